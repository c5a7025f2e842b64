import { cidrProblem, contains, overlaps, parseCidr, subnet } from "../../constructs/private/cidr";

describe("IPv4 CIDR arithmetic", () => {
  it.each([
    ["0.0.0.0/0", undefined],
    ["255.255.255.255/32", undefined],
    ["128.0.0.0/1", undefined],
    ["10.0.0.0/16", undefined],
    ["10.0.0.1/32", undefined],
    ["010.0.0.0/16", "is not an IPv4 CIDR (a.b.c.d/n, no leading zeros)"],
    ["10.0.0.0/08", "is not an IPv4 CIDR (a.b.c.d/n, no leading zeros)"],
    ["10.0.0.0", "is not an IPv4 CIDR (a.b.c.d/n, no leading zeros)"],
    ["10.0.0.0/33", "has a prefix length above 32"],
    ["300.0.0.0/8", "has an octet above 255"],
    ["128.0.0.0/0", "has host bits set (the network address for /0 is 0.0.0.0/0)"],
    ["192.168.1.1/24", "has host bits set (the network address for /24 is 192.168.1.0/24)"],
  ])("%s: %s", (text, problem) => {
    expect(cidrProblem(text)).toBe(problem);
  });

  it("contains and overlaps across the top bit, and at /0 and /32", () => {
    const all = parseCidr("0.0.0.0/0");
    const upper = parseCidr("128.0.0.0/1");
    const host = parseCidr("255.255.255.255/32");
    expect(contains(all, upper)).toBe(true);
    expect(contains(upper, host)).toBe(true);
    expect(contains(host, upper)).toBe(false);
    expect(overlaps(host, upper)).toBe(true);
    expect(overlaps(parseCidr("10.0.0.0/17"), parseCidr("10.0.128.0/17"))).toBe(false);
    expect(overlaps(parseCidr("10.0.0.0/16"), parseCidr("10.0.255.0/24"))).toBe(true);
    expect(contains(parseCidr("10.0.0.0/16"), parseCidr("10.1.0.0/24"))).toBe(false);
  });

  it("carves subnets like Terraform's cidrsubnet, including the last one of the space", () => {
    expect(subnet(parseCidr("10.0.0.0/16"), 3, 5).text).toBe("10.0.160.0/19");
    expect(subnet(parseCidr("10.0.0.0/16"), 6, 63).text).toBe("10.0.252.0/22");
    expect(subnet(parseCidr("0.0.0.0/0"), 1, 1).text).toBe("128.0.0.0/1");
    expect(subnet(parseCidr("255.255.255.0/24"), 8, 255).text).toBe("255.255.255.255/32");
    expect(() => subnet(parseCidr("10.0.0.0/16"), 3, 8)).toThrow(
      "subnet: index 8 is not a /19 of 10.0.0.0/16; use 0 to 7 (a bug: please report it)",
    );
    expect(() => subnet(parseCidr("10.0.0.0/30"), 3, 0)).toThrow(
      "subnet: newBits 3 carves a /33 out of 10.0.0.0/30; use at most /32 (a bug: please report it)",
    );
  });
});
