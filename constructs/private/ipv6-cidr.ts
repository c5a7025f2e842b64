/**
 * IPv6 CIDR checks done at synth time (IPv4 lives in cidr.ts): enough to refuse a typo or a
 * host address before EC2 does, mid-apply.
 */

const HEXTET = /^[0-9a-fA-F]{1,4}$/;

/** The 8 hextets of an IPv6 address ("2001:db8::1"), or undefined when it isn't one. IPv4-embedded forms are not accepted. */
function hextetsOf(address: string): number[] | undefined {
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const part = (text: string) => (text === "" ? [] : text.split(":"));
  const head = part(halves[0]);
  const tail = halves.length === 2 ? part(halves[1]) : [];
  if ([...head, ...tail].some((h) => !HEXTET.test(h))) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail].map((h) => parseInt(h, 16));
}

/** Why a string is not a valid IPv6 network CIDR, or undefined when it is. */
export function ipv6CidrProblem(text: string): string | undefined {
  const slash = text.lastIndexOf("/");
  if (slash < 0 || !/^(0|[1-9]\d{0,2})$/.test(text.slice(slash + 1)))
    return "is not an IPv6 CIDR (address/n, e.g. 2001:db8::/56)";
  const prefix = Number(text.slice(slash + 1));
  if (prefix > 128) return "has a prefix length above 128";
  const hextets = hextetsOf(text.slice(0, slash));
  if (hextets === undefined) return "is not an IPv6 CIDR (address/n, e.g. 2001:db8::/56)";
  // Host bits: every bit after the prefix must be 0.
  for (let i = 0; i < 8; i++) {
    const kept = Math.min(16, Math.max(0, prefix - i * 16));
    const hostMask = kept === 16 ? 0 : 0xffff >> kept;
    if ((hextets[i] & hostMask) !== 0) return `has host bits set (not the network address of a /${prefix})`;
  }
  return undefined;
}

/** True for text that looks like IPv6 (has a colon): which family a CIDR means. */
export function looksIpv6(text: string): boolean {
  return text.includes(":");
}

/** An IPv6 CIDR as a 128-bit network number (host bits cleared) and prefix, or undefined when it can't be read. */
function ipv6Network(text: string): { network: bigint; prefix: number } | undefined {
  const slash = text.lastIndexOf("/");
  const hextets = slash < 0 ? undefined : hextetsOf(text.slice(0, slash));
  if (hextets === undefined) return undefined;
  const prefix = Number(text.slice(slash + 1));
  const address = hextets.reduce((acc, h) => (acc << 16n) | BigInt(h), 0n);
  const mask = prefix === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - prefix)) - 1n);
  return { network: address & mask, prefix };
}

/**
 * True when IPv6 CIDR `inner` is a strict subset of `outer` (inside it, with a longer prefix), as
 * Kubernetes requires of a NetworkPolicy ipBlock's `except`; undefined when either can't be read.
 */
export function ipv6StrictSubset(outer: string, inner: string): boolean | undefined {
  const o = ipv6Network(outer);
  const i = ipv6Network(inner);
  if (o === undefined || i === undefined) return undefined;
  const shift = BigInt(128 - o.prefix);
  return i.prefix > o.prefix && i.network >> shift === o.network >> shift;
}
