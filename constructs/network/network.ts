import { Construct } from "constructs";
import { Fn, TerraformProvider } from "cdktf";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { EgressOnlyInternetGateway } from "@cdktf/provider-aws/lib/egress-only-internet-gateway";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { checkAvailabilityZones } from "../private/availability-zones";
import { useProvider } from "../private/provider";
import { checkClusterName, checkLiteral, describe, duplicatesOf, fail } from "../private/validation";
import { ImportedNetwork, NetworkAttributes } from "./imported-network";
import { FlowLogsOptions, VpcFlowLogs } from "./flow-logs";
import { resolveSubnetCidrs } from "./subnet-layout";
import { INetwork, SubnetInfo, SubnetTier, SUBNET_TIERS } from "./types";
import { VpcEndpoints, VpcEndpointsOptions } from "./vpc-endpoints";

/**
 * NAT gateways for the private tier's IPv4 egress, as one typed switch:
 * - `none`: no IPv4 internet egress from private subnets (use VPC endpoints, or IPv6 egress).
 * - `single`: one NAT gateway in the first AZ, shared by all (cheap; an AZ outage cuts egress everywhere). For dev.
 * - `one-per-az`: a NAT gateway per AZ, each AZ's private subnet routed to its own (highly available). For prod.
 */
export type NatMode = "none" | "single" | "one-per-az";

export interface NetworkProps {
  /** Name for Name tags, log groups and roles: 1-48 letters, digits and hyphens, not starting with "sg-". */
  readonly name: string;
  /**
   * IPv4 CIDR of the VPC, /16 to /28 (/16 to /22 with the default subnet layout).
   * @default "10.0.0.0/16"
   */
  readonly cidr?: string;
  /**
   * Availability Zones by name (e.g. "eu-west-1a"), 2 to 6, all in one region. Given
   * explicitly so nothing is looked up at plan time; EKS needs at least two.
   */
  readonly availabilityZones: string[];
  /**
   * Create the public tier (internet gateway route; load balancers, NAT gateways).
   * @default true
   */
  readonly publicSubnets?: boolean;
  /**
   * Create the intra tier (no route to the internet at all).
   * @default false
   */
  readonly intraSubnets?: boolean;
  /**
   * Explicit subnet CIDRs per tier, one per AZ in `availabilityZones` order.
   * @default - computed from `cidr` by the layout documented in subnet-layout.ts
   */
  readonly subnetCidrs?: Partial<Record<SubnetTier, string[]>>;
  /**
   * NAT gateways for private IPv4 egress.
   * @default "one-per-az" - survives the loss of an AZ; choose "single" for dev to save cost
   */
  readonly natGateways?: NatMode;
  /**
   * EKS clusters that will use this network: each gets a `kubernetes.io/cluster/<name>=shared`
   * tag on the public and private subnets, for load balancer subnet discovery.
   * @default []
   */
  readonly clusterNames?: string[];
  /**
   * VPC flow logs to CloudWatch Logs. `false` turns them off (explicit opt-out).
   * @default - on: all traffic, 365 days retention, log group retained on destroy
   */
  readonly flowLogs?: FlowLogsOptions | false;
  /**
   * VPC endpoints for clusters with little or no internet egress.
   * @default - none
   */
  readonly vpcEndpoints?: VpcEndpointsOptions;
  /**
   * Dual stack: an Amazon-provided IPv6 /56 on the VPC, a /64 on every subnet, IPv6
   * egress for the public tier through the internet gateway and for the private tier
   * through an egress-only internet gateway. Needed for IPv6 EKS clusters.
   * @default false
   */
  readonly ipv6?: boolean;
  /**
   * Tags on every resource (the provider's default_tags are the better place for org-wide tags).
   * @default {}
   */
  readonly tags?: Record<string, string>;
  /**
   * The AWS provider (account and region) for every resource of the network (an aliased
   * provider for a second region or account). Its region must be that of availabilityZones.
   * A cluster in this network uses it too, unless given its own.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** Subnets of one Availability Zone. */
export interface AzSubnets {
  readonly public?: SubnetInfo;
  readonly private: SubnetInfo;
  readonly intra?: SubnetInfo;
}

const NETWORK_NAME = /^(?!sg-)[A-Za-z0-9][A-Za-z0-9-]{0,47}$/;

/**
 * The VPC an EKS cluster runs in: subnets per tier in 2-6 AZs, internet and NAT
 * gateways, route tables, EKS discovery tags, a locked-down default security group,
 * flow logs, optional VPC endpoints and optional IPv6 dual stack.
 */
export class Network extends Construct implements INetwork {
  /**
   * An existing VPC, by its attributes: ids may be literals or references known only at
   * apply (TerraformVariable, remote state). Nothing is created or changed in it: its
   * subnets keep their own tags (load balancers find subnets by the kubernetes.io/role/elb
   * and kubernetes.io/role/internal-elb tags, which its owner must set).
   */
  public static fromNetworkAttributes(scope: Construct, id: string, attrs: NetworkAttributes): INetwork {
    return new ImportedNetwork(scope, id, attrs);
  }

  public readonly vpc: Vpc;
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  public readonly vpcIpv6Cidr?: string;
  public readonly region: string;
  public readonly availabilityZones: string[];
  public readonly ipv6Enabled: boolean;
  public readonly natMode: NatMode;
  public readonly tiers: SubnetTier[];
  /** True when it has public subnets (tagged kubernetes.io/role/elb for internet-facing load balancers). */
  public readonly publicLoadBalancerSubnets: boolean;
  public readonly clusterNames: string[];
  public readonly internetGatewayId?: string;
  public readonly egressOnlyInternetGatewayId?: string;
  /** NAT gateway ids, in AZ order (one, or one per AZ). */
  public readonly natGatewayIds: string[] = [];
  /** Public IPv4 addresses of the NAT gateways: what to allowlist on third-party firewalls. */
  public readonly natPublicIps: string[] = [];
  public readonly publicRouteTableId?: string;
  /** One private route table per AZ, in AZ order. */
  public readonly privateRouteTableIds: string[] = [];
  public readonly intraRouteTableId?: string;
  public readonly flowLogs?: VpcFlowLogs;
  public readonly endpoints?: VpcEndpoints;
  public readonly provider?: TerraformProvider;

  private readonly subnetsByTier: Record<SubnetTier, SubnetInfo[]> = { public: [], private: [], intra: [] };

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const where = describe("Network", id);
    this.provider = props.provider;
    useProvider(this, this.provider);

    if (!NETWORK_NAME.test(props.name)) {
      fail(
        where,
        "name",
        props.name,
        "is not a valid network name",
        'use 1 to 48 letters, digits and hyphens, starting with a letter or digit and not with "sg-" (security group names derive from it)',
      );
    }
    // Subnets are laid out, named and addressed by AZ at synth: these can't wait for apply.
    checkLiteral(
      where,
      "availabilityZones",
      props.availabilityZones,
      "the subnet layout and the subnets' construct ids are computed from the AZ names at synth",
      'give the AZ names as literal strings, e.g. ["eu-west-1a", "eu-west-1b"] (from typed config, not a variable or data source)',
    );
    if (props.cidr !== undefined)
      checkLiteral(
        where,
        "cidr",
        props.cidr,
        "the subnet CIDRs are computed from the VPC CIDR at synth",
        'give the VPC CIDR as a literal string, e.g. "10.0.0.0/16"',
      );
    this.availabilityZones = [...props.availabilityZones];
    this.region = checkAvailabilityZones(where, this.availabilityZones);
    this.vpcCidr = props.cidr ?? "10.0.0.0/16";
    this.ipv6Enabled = props.ipv6 ?? false;
    this.natMode = props.natGateways ?? "one-per-az";
    this.clusterNames = [...(props.clusterNames ?? [])];
    this.tiers = SUBNET_TIERS.filter((t) =>
      t === "public" ? (props.publicSubnets ?? true) : t === "intra" ? (props.intraSubnets ?? false) : true,
    );

    this.publicLoadBalancerSubnets = this.tiers.includes("public");
    if (!["none", "single", "one-per-az"].includes(this.natMode)) {
      fail(where, "natGateways", this.natMode, "is not a NAT mode", 'use "none", "single" or "one-per-az"');
    }
    if (this.natMode !== "none" && !this.tiers.includes("public")) {
      fail(
        where,
        "natGateways",
        this.natMode,
        "needs public subnets to place NAT gateways in, but publicSubnets is false",
        'set publicSubnets: true, or natGateways: "none" and reach AWS through vpcEndpoints',
      );
    }
    this.clusterNames.forEach((name, i) => checkClusterName(where, `clusterNames[${i}]`, name));
    const dupClusters = duplicatesOf(this.clusterNames);
    if (dupClusters.length)
      fail(
        where,
        "clusterNames",
        this.clusterNames,
        `lists ${dupClusters.join(", ")} more than once`,
        "list each cluster once",
      );

    const cidrs = resolveSubnetCidrs({
      where,
      vpcCidr: this.vpcCidr,
      availabilityZones: this.availabilityZones,
      tiers: this.tiers,
      explicit: props.subnetCidrs ?? {},
    });

    const tags = props.tags ?? {};
    const name = props.name;

    // DNS hostnames and support on: EKS nodes fail to join, and private endpoints don't resolve, without them.
    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: this.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      assignGeneratedIpv6CidrBlock: this.ipv6Enabled ? true : undefined,
      tags: { ...tags, Name: name },
    });
    this.vpcId = this.vpc.id;
    if (this.ipv6Enabled) this.vpcIpv6Cidr = this.vpc.ipv6CidrBlock;

    // Taking over the default security group with empty rule lists removes AWS's
    // allow-all-within-group default, so nothing lands in it and talks freely by accident;
    // the explicit [] (not omitted) makes every later plan remove rules added by hand.
    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: this.vpc.id,
      ingress: [],
      egress: [],
      tags: { ...tags, Name: `${name}-default-deny` },
    });

    let igw: InternetGateway | undefined;
    if (this.tiers.includes("public")) {
      igw = new InternetGateway(this, "internet-gateway", { vpcId: this.vpc.id, tags: { ...tags, Name: name } });
      this.internetGatewayId = igw.id;
    }
    if (this.ipv6Enabled && this.tiers.includes("private")) {
      const eigw = new EgressOnlyInternetGateway(this, "egress-only-internet-gateway", {
        vpcId: this.vpc.id,
        tags: { ...tags, Name: name },
      });
      this.egressOnlyInternetGatewayId = eigw.id;
    }

    const clusterTags = Object.fromEntries(this.clusterNames.map((c) => [`kubernetes.io/cluster/${c}`, "shared"]));
    // Fixed IPv6 /64 slots per tier (8 new bits of the /56), so subnets never move when AZs are added.
    const ipv6Offset: Record<SubnetTier, number> = { public: 0, private: 16, intra: 32 };
    const tierTags: Record<SubnetTier, Record<string, string>> = {
      public: { "kubernetes.io/role/elb": "1", ...clusterTags },
      private: { "kubernetes.io/role/internal-elb": "1", ...clusterTags },
      intra: {},
    };

    // Route tables: public and intra share one each (their routes don't depend on the AZ);
    // private gets one per AZ so each AZ can route to its own NAT gateway.
    let publicRt: RouteTable | undefined;
    if (this.tiers.includes("public")) {
      publicRt = new RouteTable(this, "public-route-table", {
        vpcId: this.vpc.id,
        tags: { ...tags, Name: `${name}-public` },
      });
      this.publicRouteTableId = publicRt.id;
      new Route(this, "public-ipv4-default", {
        routeTableId: publicRt.id,
        destinationCidrBlock: "0.0.0.0/0",
        gatewayId: this.internetGatewayId,
      });
      if (this.ipv6Enabled) {
        new Route(this, "public-ipv6-default", {
          routeTableId: publicRt.id,
          destinationIpv6CidrBlock: "::/0",
          gatewayId: this.internetGatewayId,
        });
      }
    }
    let intraRt: RouteTable | undefined;
    if (this.tiers.includes("intra")) {
      intraRt = new RouteTable(this, "intra-route-table", {
        vpcId: this.vpc.id,
        tags: { ...tags, Name: `${name}-intra` },
      });
      this.intraRouteTableId = intraRt.id;
    }

    for (const tier of this.tiers) {
      this.availabilityZones.forEach((az, i) => {
        let routeTableId: string;
        if (tier === "public") routeTableId = publicRt!.id;
        else if (tier === "intra") routeTableId = intraRt!.id;
        else {
          const rt = new RouteTable(this, `private-route-table-${az}`, {
            vpcId: this.vpc.id,
            tags: { ...tags, Name: `${name}-private-${az}` },
          });
          this.privateRouteTableIds.push(rt.id);
          routeTableId = rt.id;
        }
        // Construct ids carry the AZ, not an index: reordering availabilityZones must not replace subnets.
        const subnet = new Subnet(this, `${tier}-subnet-${az}`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: cidrs[tier][i],
          // Public subnets still don't hand out public IPv4s: only load balancers and NAT gateways live there.
          mapPublicIpOnLaunch: false,
          ipv6CidrBlock: this.ipv6Enabled ? Fn.cidrsubnet(this.vpc.ipv6CidrBlock, 8, ipv6Offset[tier] + i) : undefined,
          assignIpv6AddressOnCreation: this.ipv6Enabled ? true : undefined,
          enableResourceNameDnsAaaaRecordOnLaunch: this.ipv6Enabled ? true : undefined,
          tags: { ...tags, ...tierTags[tier], Name: `${name}-${tier}-${az}`, tier },
        });
        new RouteTableAssociation(this, `${tier}-route-table-association-${az}`, { subnetId: subnet.id, routeTableId });
        this.subnetsByTier[tier].push({
          tier,
          availabilityZone: az,
          id: subnet.id,
          cidr: cidrs[tier][i],
          routeTableId,
        });
      });
    }

    // NAT gateways in the public subnets; private route tables point at their AZ's (or the only) one.
    if (this.natMode !== "none") {
      const natAzs = this.natMode === "single" ? [this.availabilityZones[0]] : this.availabilityZones;
      const natIds = natAzs.map((az) => {
        // Both wait for the internet gateway: AWS refuses a NAT gateway in a VPC without one,
        // and nothing else orders them (they don't reference it).
        const eip = new Eip(this, `nat-eip-${az}`, {
          domain: "vpc",
          dependsOn: [igw!],
          tags: { ...tags, Name: `${name}-nat-${az}` },
        });
        const publicSubnet = this.subnetsByTier.public.find((s) => s.availabilityZone === az)!;
        const nat = new NatGateway(this, `nat-gateway-${az}`, {
          allocationId: eip.allocationId,
          subnetId: publicSubnet.id,
          dependsOn: [igw!],
          tags: { ...tags, Name: `${name}-${az}` },
        });
        this.natPublicIps.push(eip.publicIp);
        return nat.id;
      });
      this.natGatewayIds.push(...natIds);
      this.availabilityZones.forEach((az, i) => {
        new Route(this, `private-ipv4-default-${az}`, {
          routeTableId: this.privateRouteTableIds[i],
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: natIds[this.natMode === "single" ? 0 : i],
        });
      });
    }
    if (this.egressOnlyInternetGatewayId) {
      this.availabilityZones.forEach((az, i) => {
        new Route(this, `private-ipv6-default-${az}`, {
          routeTableId: this.privateRouteTableIds[i],
          destinationIpv6CidrBlock: "::/0",
          egressOnlyGatewayId: this.egressOnlyInternetGatewayId,
        });
      });
    }

    if (props.flowLogs !== false) {
      this.flowLogs = new VpcFlowLogs(this, "flow-logs", {
        ...(props.flowLogs ?? {}),
        name,
        region: this.region,
        vpcId: this.vpc.id,
        tags,
      });
    }

    if (props.vpcEndpoints) {
      this.endpoints = new VpcEndpoints(this, "endpoints", {
        ...props.vpcEndpoints,
        name,
        region: this.region,
        vpcId: this.vpc.id,
        vpcCidr: this.vpcCidr,
        vpcIpv6Cidr: this.vpcIpv6Cidr,
        subnets: this.subnetsByTier.private,
        routeTableIds: this.routeTableIds,
        tags,
      });
    }
  }

  public subnetsOf(tier: SubnetTier): SubnetInfo[] {
    return [...this.subnetsByTier[tier]];
  }

  public tierOfSubnet(subnetId: string): SubnetTier | undefined {
    return SUBNET_TIERS.find((tier) => this.subnetsByTier[tier].some((s) => s.id === subnetId));
  }

  public get publicSubnetIds(): string[] {
    return this.subnetsByTier.public.map((s) => s.id);
  }

  public get privateSubnetIds(): string[] {
    return this.subnetsByTier.private.map((s) => s.id);
  }

  public get intraSubnetIds(): string[] {
    return this.subnetsByTier.intra.map((s) => s.id);
  }

  /** Subnets by Availability Zone. */
  public get subnetsByAz(): Record<string, AzSubnets> {
    return Object.fromEntries(
      this.availabilityZones.map((az) => {
        const pick = (tier: SubnetTier) => this.subnetsByTier[tier].find((s) => s.availabilityZone === az);
        return [az, { public: pick("public"), private: pick("private")!, intra: pick("intra") }];
      }),
    );
  }

  /** Every route table of the network: public, private per AZ, intra. */
  public get routeTableIds(): string[] {
    return [this.publicRouteTableId, ...this.privateRouteTableIds, this.intraRouteTableId].filter(
      (x): x is string => x !== undefined,
    );
  }
}
