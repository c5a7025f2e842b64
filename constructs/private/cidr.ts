import { fail } from "./validation";
import { isIPv6 } from "node:net";

/**
 * IPv4 CIDR arithmetic done at synth time, so subnet layouts are checked
 * (inside the VPC, no overlaps, fits the prefix) before Terraform ever runs.
 */

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefix: number;
  /** The CIDR as written back, e.g. "10.0.0.0/16". */
  readonly text: string;
}

// No leading zeros: "010.0.0.0/16" is octal to some tools and AWS rejects it.
const OCTET = "(0|[1-9]\\d{0,2})";
const CIDR_RE = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}\\/(0|[1-9]\\d?)$`);

/** Why a string is not a valid IPv4 network CIDR, or undefined when it is. */
export function cidrProblem(text: string): string | undefined {
  const m = CIDR_RE.exec(text);
  if (!m) return "is not an IPv4 CIDR (a.b.c.d/n, no leading zeros)";
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return "has an octet above 255";
  const prefix = Number(m[5]);
  if (prefix > 32) return "has a prefix length above 32";
  const addr = toInt(octets);
  if ((addr & mask(prefix)) >>> 0 !== addr) {
    return `has host bits set (the network address for /${prefix} is ${toText((addr & mask(prefix)) >>> 0)}/${prefix})`;
  }
  return undefined;
}

/**
 * Why a string is not a valid IPv6 network CIDR, or undefined when it is (the address as
 * Node's parser reads it, a prefix of 0 to 128). Host bits are not checked: Kubernetes accepts them.
 */
export function ipv6CidrProblem(text: string): string | undefined {
  const slash = text.lastIndexOf("/");
  if (slash < 0 || !isIPv6(text.slice(0, slash)) || !/^(0|[1-9]\d{0,2})$/.test(text.slice(slash + 1)))
    return "is not an IPv6 CIDR (address/n)";
  if (Number(text.slice(slash + 1)) > 128) return "has a prefix length above 128";
  return undefined;
}

/** Address ranges never seen as a source on the internet (RFC 1918, shared CGNAT, loopback, link-local). */
export const NON_PUBLIC_IPV4 = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
];

/** The non-public range a valid CIDR lies in, or undefined when it is (partly) public. */
export function nonPublicRangeOf(text: string): string | undefined {
  const cidr = parseCidr(text);
  return NON_PUBLIC_IPV4.find((range) => contains(parseCidr(range), cidr));
}

/** Parses a CIDR already checked by cidrProblem. */
export function parseCidr(text: string): Ipv4Cidr {
  const problem = cidrProblem(text);
  if (problem) fail("parseCidr", "cidr", text, problem, "check it with cidrProblem first (a bug: please report it)");
  const [addr, prefix] = text.split("/");
  return { network: toInt(addr.split(".").map(Number)), prefix: Number(prefix), text };
}

export function contains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.prefix >= outer.prefix && (inner.network & mask(outer.prefix)) >>> 0 === outer.network;
}

export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return contains(a, b) || contains(b, a);
}

/** The index-th subnet of `newBits` extra prefix bits, like Terraform's cidrsubnet(). */
export function subnet(base: Ipv4Cidr, newBits: number, index: number): Ipv4Cidr {
  const prefix = base.prefix + newBits;
  if (prefix > 32)
    fail(
      "subnet",
      "newBits",
      newBits,
      `carves a /${prefix} out of ${base.text}`,
      "use at most /32 (a bug: please report it)",
    );
  if (index < 0 || index >= 2 ** newBits)
    fail(
      "subnet",
      "index",
      index,
      `is not a /${prefix} of ${base.text}`,
      `use 0 to ${2 ** newBits - 1} (a bug: please report it)`,
    );
  const network = (base.network + index * 2 ** (32 - prefix)) >>> 0;
  return { network, prefix, text: `${toText(network)}/${prefix}` };
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function toInt(octets: number[]): number {
  return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

function toText(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}
