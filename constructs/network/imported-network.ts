import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { AZ_NAME, checkAvailabilityZones } from "../private/availability-zones";
import { cidrProblem } from "../private/cidr";
import { describe, duplicatesOf, fail, isToken } from "../private/validation";
import { INetwork, SubnetInfo, SubnetTier, SUBNET_TIERS } from "./types";

/** One existing subnet. */
export interface SubnetAttributes {
  /** Subnet id ("subnet-..."), a literal or a reference. */
  readonly id: string;
  /** Its Availability Zone, by name ("eu-west-1a"), one of the network's availabilityZones. */
  readonly availabilityZone: string;
  /**
   * Its IPv4 CIDR (only used in error messages and checks).
   * @default - unknown
   */
  readonly cidr?: string;
  /**
   * Its route table id.
   * @default - unknown
   */
  readonly routeTableId?: string;
}

/** An existing VPC, as Network.fromNetworkAttributes takes it. */
export interface NetworkAttributes {
  /** VPC id ("vpc-..."), a literal or a reference. */
  readonly vpcId: string;
  /** Primary IPv4 CIDR of the VPC. */
  readonly vpcCidr: string;
  /** Availability Zones by name, 2 to 6, all in one region: those the subnets are in. */
  readonly availabilityZones: string[];
  /**
   * Subnets per tier. `private` is required (nodes, pods and the control plane go there);
   * give one subnet per AZ, in any order.
   */
  readonly subnets: {
    readonly private: SubnetAttributes[];
    /** @default - none */
    readonly public?: SubnetAttributes[];
    /** @default - none */
    readonly intra?: SubnetAttributes[];
  };
  /**
   * The region. Required when availabilityZones are references (the region can't be read from their names then).
   * @default - from the Availability Zone names
   */
  readonly region?: string;
  /**
   * The VPC's IPv6 CIDR, when it is dual stack.
   * @default - IPv4 only
   */
  readonly vpcIpv6Cidr?: string;
  /**
   * The AWS provider (account and region) of the VPC: a cluster in it uses the same one unless given its own.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** See Network.fromNetworkAttributes. */
export class ImportedNetwork extends Construct implements INetwork {
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  public readonly vpcIpv6Cidr?: string;
  public readonly region: string;
  public readonly availabilityZones: string[];
  public readonly ipv6Enabled: boolean;
  public readonly provider?: TerraformProvider;

  private readonly subnetsByTier: Record<SubnetTier, SubnetInfo[]> = { public: [], private: [], intra: [] };

  constructor(scope: Construct, id: string, attrs: NetworkAttributes) {
    super(scope, id);
    const where = describe("Network.fromNetworkAttributes", id);
    if (!isToken(attrs.vpcId) && !VPC_ID.test(attrs.vpcId))
      fail(where, "vpcId", attrs.vpcId, "is not a VPC id", 'use the id of the VPC, e.g. "vpc-0123456789abcdef0"');
    if (!isToken(attrs.vpcCidr)) {
      const problem = cidrProblem(attrs.vpcCidr);
      if (problem)
        fail(where, "vpcCidr", attrs.vpcCidr, problem, 'use the VPC\'s primary IPv4 CIDR, e.g. "10.0.0.0/16"');
    }
    this.availabilityZones = [...attrs.availabilityZones];
    const literalAzs = this.availabilityZones.every((az) => !isToken(az));
    if (literalAzs) {
      const region = checkAvailabilityZones(where, this.availabilityZones);
      if (attrs.region !== undefined && !isToken(attrs.region) && attrs.region !== region)
        fail(
          where,
          "region",
          attrs.region,
          `differs from the region of availabilityZones (${region})`,
          "leave region out, or give AZs of that region",
        );
      this.region = region;
    } else {
      if (attrs.region === undefined)
        fail(
          where,
          "region",
          attrs.region,
          "is required when availabilityZones are references (the region can't be read from their names)",
          'give region, e.g. "eu-west-1"',
        );
      if (!isToken(attrs.region) && !REGION.test(attrs.region))
        fail(where, "region", attrs.region, "is not an AWS region name", 'use a name like "eu-west-1"');
      this.region = attrs.region;
    }
    this.vpcId = attrs.vpcId;
    this.vpcCidr = attrs.vpcCidr;
    this.vpcIpv6Cidr = attrs.vpcIpv6Cidr;
    this.ipv6Enabled = attrs.vpcIpv6Cidr !== undefined;
    this.provider = attrs.provider;

    // Partial: plain JavaScript callers may leave tiers out.
    const given: Partial<NetworkAttributes["subnets"]> = attrs.subnets;
    if (!given.private || given.private.length === 0)
      fail(
        where,
        "subnets.private",
        given.private ?? [],
        "is empty: nodes, pods and the control plane need private subnets",
        "give the private subnets, one per Availability Zone",
      );
    for (const tier of SUBNET_TIERS) {
      const subnets = given[tier] ?? [];
      subnets.forEach((s, i) => {
        const field = `subnets.${tier}[${i}]`;
        if (!isToken(s.id) && !SUBNET_ID.test(s.id))
          fail(where, `${field}.id`, s.id, "is not a subnet id", 'use a subnet id, e.g. "subnet-0123456789abcdef0"');
        if (!isToken(s.availabilityZone)) {
          if (!AZ_NAME.test(s.availabilityZone))
            fail(
              where,
              `${field}.availabilityZone`,
              s.availabilityZone,
              "is not an Availability Zone name",
              'use names like "eu-west-1a" (not AZ ids like "euw1-az1")',
            );
          if (literalAzs && !this.availabilityZones.includes(s.availabilityZone))
            fail(
              where,
              `${field}.availabilityZone`,
              s.availabilityZone,
              "is not one of the network's availabilityZones",
              `use one of ${this.availabilityZones.join(", ")}, or add it to availabilityZones`,
            );
        }
        if (s.cidr !== undefined && !isToken(s.cidr)) {
          const problem = cidrProblem(s.cidr);
          if (problem) fail(where, `${field}.cidr`, s.cidr, problem, 'use the subnet\'s IPv4 CIDR, e.g. "10.0.0.0/19"');
        }
      });
      const dups = duplicatesOf(subnets.map((s) => s.id).filter((x) => !isToken(x)));
      if (dups.length > 0)
        fail(where, `subnets.${tier}`, dups, "lists a subnet more than once", "list each subnet once");
      // In availabilityZones order, as Network gives them; unknown AZs keep their given order at the end.
      const order = (az: string) => {
        const i = this.availabilityZones.indexOf(az);
        return i < 0 ? this.availabilityZones.length : i;
      };
      this.subnetsByTier[tier] = [...subnets]
        .map((s, i) => ({ s, i }))
        .sort((a, b) => order(a.s.availabilityZone) - order(b.s.availabilityZone) || a.i - b.i)
        .map(({ s }) => ({
          tier,
          availabilityZone: s.availabilityZone,
          id: s.id,
          cidr: s.cidr,
          routeTableId: s.routeTableId,
        }));
    }
    const all = SUBNET_TIERS.flatMap((t) => this.subnetsByTier[t].map((s) => s.id)).filter((x) => !isToken(x));
    const shared = duplicatesOf(all);
    if (shared.length > 0)
      fail(where, "subnets", shared, "puts a subnet in more than one tier", "give each subnet one tier");
  }

  public subnetsOf(tier: SubnetTier): SubnetInfo[] {
    return [...this.subnetsByTier[tier]];
  }

  public tierOfSubnet(subnetId: string): SubnetTier | undefined {
    return SUBNET_TIERS.find((tier) => this.subnetsByTier[tier].some((s) => s.id === subnetId));
  }
}
