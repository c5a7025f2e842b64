import { TerraformProvider } from "cdktf";
import { IConstruct } from "constructs";

/**
 * Subnet tiers:
 * - `public`: routes to the internet gateway; internet-facing load balancers and NAT gateways live here.
 * - `private`: egress through NAT (and IPv6 egress-only gateway); nodes, pods and internal load balancers.
 * - `intra`: no route to the internet at all; databases, control-plane ENIs, anything that must stay isolated.
 */
export type SubnetTier = "public" | "private" | "intra";

export const SUBNET_TIERS: readonly SubnetTier[] = ["public", "private", "intra"];

/** One subnet, as other constructs see it. */
export interface SubnetInfo {
  readonly tier: SubnetTier;
  readonly availabilityZone: string;
  /** Subnet id (a Terraform reference). */
  readonly id: string;
  /**
   * IPv4 CIDR, known at synth time.
   * @default - undefined only for an imported subnet given without one
   */
  readonly cidr?: string;
  /**
   * Route table the subnet is associated with (a Terraform reference).
   * @default - undefined only for an imported subnet given without one
   */
  readonly routeTableId?: string;
}

/**
 * What other constructs (clusters, node groups, endpoints, databases) need from a network.
 * Consumers take this interface, never raw id strings, so a subnet's tier and AZ travel with its id.
 */
export interface INetwork extends IConstruct {
  readonly vpcId: string;
  /** Primary IPv4 CIDR of the VPC. */
  readonly vpcCidr: string;
  /** Amazon-provided IPv6 block (a Terraform reference), when dual stack is on. */
  readonly vpcIpv6Cidr?: string;
  /** Region the network lives in, derived from its Availability Zone names. */
  readonly region: string;
  /** Availability Zones, in the order given. */
  readonly availabilityZones: string[];
  /**
   * Clusters whose discovery tag (kubernetes.io/cluster/<name>=shared) the public and private
   * subnets carry, so their load balancers find the subnets.
   * @default - unknown (e.g. an imported network): not checked
   */
  readonly clusterNames?: string[];
  /**
   * Whether the network has public subnets tagged `kubernetes.io/role/elb`, where internet-facing
   * load balancers go (the load balancer controller and Auto Mode discover subnets by that tag):
   * an internet-facing Ingress or NLB in a network without them is refused at synth.
   * @default - unknown (an adopted network: its owner tags its subnets): not checked
   */
  readonly publicLoadBalancerSubnets?: boolean;
  /** True when the network is dual stack (IPv4 + IPv6). */
  readonly ipv6Enabled: boolean;
  /** Subnets of a tier, one per AZ in `availabilityZones` order; empty when the tier was not created. */
  subnetsOf(tier: SubnetTier): SubnetInfo[];
  /** Finds the tier of a subnet id this network created, or undefined for an id it doesn't know. */
  tierOfSubnet(subnetId: string): SubnetTier | undefined;
  /**
   * The AWS provider (account and region) of the network's resources; a cluster in this
   * network uses it unless given its own.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}
