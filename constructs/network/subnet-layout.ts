import { Ipv4Cidr, cidrProblem, contains, overlaps, parseCidr, subnet } from "../private/cidr";
import { fail } from "../private/validation";
import { SubnetTier, SUBNET_TIERS } from "./types";

/**
 * The default subnet layout, carved from a VPC CIDR of prefix /P (P from 16 to 22):
 *
 * | tier    | size   | where                                   | /16 example, AZ a / b / c               |
 * |---------|--------|-----------------------------------------|-----------------------------------------|
 * | private | /(P+3) | eighths 0-5 of the VPC, one per AZ      | 10.0.0.0/19, 10.0.32.0/19, 10.0.64.0/19  |
 * | public  | /(P+6) | the 7th eighth, split in 8, one per AZ  | 10.0.192.0/22, 10.0.196.0/22, ...       |
 * | intra   | /(P+6) | the 8th eighth, split in 8, one per AZ  | 10.0.224.0/22, 10.0.228.0/22, ...       |
 *
 * Private subnets get three quarters of the space because, with the VPC CNI, every
 * pod takes a VPC address; public subnets only hold load balancers and NAT gateways.
 * The slot of a subnet depends only on its AZ's position, so adding a sixth AZ later
 * never moves an existing subnet.
 */
export const DEFAULT_LAYOUT = {
  private: { newBits: 3, firstIndex: 0 },
  public: { newBits: 6, firstIndex: 48 },
  intra: { newBits: 6, firstIndex: 56 },
} as const;

/** AWS subnet (and VPC) prefixes must lie between /16 and /28. */
export const MIN_PREFIX = 16;
export const MAX_PREFIX = 28;
/** The largest VPC prefix the default layout fits in (/22 + 6 bits = /28, the smallest AWS subnet). */
export const MAX_DEFAULT_LAYOUT_PREFIX = MAX_PREFIX - DEFAULT_LAYOUT.public.newBits;

export interface LayoutInput {
  readonly where: string;
  readonly vpcCidr: string;
  readonly availabilityZones: readonly string[];
  readonly tiers: readonly SubnetTier[];
  readonly explicit: Partial<Record<SubnetTier, readonly string[]>>;
}

/** Checks a VPC CIDR and returns it parsed. */
export function checkVpcCidr(where: string, cidr: string): Ipv4Cidr {
  const problem = cidrProblem(cidr);
  if (problem) fail(where, "cidr", cidr, problem, 'use an IPv4 network CIDR such as "10.0.0.0/16"');
  const parsed = parseCidr(cidr);
  if (parsed.prefix < MIN_PREFIX || parsed.prefix > MAX_PREFIX) {
    fail(
      where,
      "cidr",
      cidr,
      `has prefix /${parsed.prefix}, which AWS does not allow for a VPC`,
      `use a prefix from /${MIN_PREFIX} to /${MAX_PREFIX}`,
    );
  }
  return parsed;
}

/**
 * Resolves the CIDR of every subnet of every tier (explicit or computed), and checks
 * that each is well formed, inside the VPC, sized as AWS allows, and overlaps no other.
 */
export function resolveSubnetCidrs(input: LayoutInput): Record<SubnetTier, string[]> {
  const { where, availabilityZones: azs } = input;
  const vpc = checkVpcCidr(where, input.vpcCidr);
  const result: Record<SubnetTier, string[]> = { public: [], private: [], intra: [] };

  for (const tier of SUBNET_TIERS) {
    const given = input.explicit[tier];
    const field = `subnetCidrs.${tier}`;
    if (!input.tiers.includes(tier)) {
      if (given)
        fail(
          where,
          field,
          given,
          `is set but the ${tier} tier is not enabled`,
          `enable the tier (${tier}Subnets: true) or remove ${field}`,
        );
      continue;
    }
    if (given) {
      if (given.length !== azs.length) {
        fail(
          where,
          field,
          given,
          `has ${given.length} entries for ${azs.length} Availability Zones`,
          `give exactly one CIDR per AZ, in the order of availabilityZones (${azs.join(", ")})`,
        );
      }
      given.forEach((cidr, i) => {
        const problem = cidrProblem(cidr);
        if (problem) fail(where, `${field}[${i}]`, cidr, problem, 'use an IPv4 network CIDR such as "10.0.1.0/24"');
      });
      result[tier] = [...given];
    } else {
      if (vpc.prefix > MAX_DEFAULT_LAYOUT_PREFIX) {
        fail(
          where,
          "cidr",
          input.vpcCidr,
          `is too small for the default subnet layout (its ${tier} subnets would be /${vpc.prefix + DEFAULT_LAYOUT[tier].newBits}, smaller than AWS's /${MAX_PREFIX})`,
          `use a VPC prefix from /${MIN_PREFIX} to /${MAX_DEFAULT_LAYOUT_PREFIX}, or give subnetCidrs explicitly`,
        );
      }
      const { newBits, firstIndex } = DEFAULT_LAYOUT[tier];
      result[tier] = azs.map((_, i) => subnet(vpc, newBits, firstIndex + i).text);
    }
  }

  // Every subnet inside the VPC and sized as AWS allows; no two overlapping.
  const all: { label: string; cidr: Ipv4Cidr }[] = [];
  for (const tier of SUBNET_TIERS) {
    result[tier].forEach((text, i) => {
      const label = `subnetCidrs.${tier}[${i}]`;
      const cidr = parseCidr(text);
      if (!contains(vpc, cidr))
        fail(where, label, text, `is outside the VPC CIDR ${vpc.text}`, `choose a subnet inside ${vpc.text}`);
      if (cidr.prefix > MAX_PREFIX)
        fail(
          where,
          label,
          text,
          `is smaller than AWS's smallest subnet (/${MAX_PREFIX})`,
          `use a prefix from /${vpc.prefix} to /${MAX_PREFIX}`,
        );
      const clash = all.find((other) => overlaps(other.cidr, cidr));
      if (clash)
        fail(
          where,
          label,
          text,
          `overlaps ${clash.label} (${clash.cidr.text})`,
          "give every subnet its own non-overlapping range",
        );
      all.push({ label, cidr });
    });
  }
  return result;
}
