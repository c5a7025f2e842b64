import { Construct } from "constructs";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { ResolvedEndpointSource } from "../private/endpoint-access";

/**
 * The whole VPC the cluster runs in: its IPv4 CIDR, and its IPv6 block on a dual-stack network.
 * CI runners, bastions and SSM port forwards through an instance in the VPC come from here.
 */
export interface VpcEndpointSource {
  readonly kind: "vpc";
}

/**
 * An IPv4 or IPv6 range, e.g. the on-premises or VPN client range routed into the VPC (VPN,
 * Direct Connect, Transit Gateway, peering): those callers don't come from the VPC's CIDR.
 */
export interface CidrEndpointSource {
  readonly kind: "cidr";
  /** An IPv4 ("10.50.0.0/16") or IPv6 ("2001:db8::/56") network CIDR, or a value only known at apply. */
  readonly cidr: string;
  /**
   * Names the source: the key of its ingress rule (its Terraform address) and its description.
   * Required when `cidr` is only known at apply (it has no text to key the rule on).
   * @default - the CIDR, e.g. "10-50-0-0-16"
   */
  readonly name?: string;
  /**
   * Must be true to allow "0.0.0.0/0" or "::/0": whatever is routed into the VPC could then
   * reach the API, a deliberate and visible choice.
   * @default false
   */
  readonly allowAnyAddress?: boolean;
}

/** Instances in a security group (a bastion's, a CI runner fleet's), wherever their addresses are. */
export interface SecurityGroupEndpointSource {
  readonly kind: "security-group";
  /** "sg-..." (of the cluster's VPC, or of a peered VPC), or a reference to one. */
  readonly securityGroupId: string;
  /**
   * Names the source: the key of its ingress rule (its Terraform address) and its description.
   * Required when `securityGroupId` is only known at apply (e.g. a security group of this stack).
   * @default - the security group id
   */
  readonly name?: string;
}

/**
 * One place callers of the private endpoint come from: a tcp/443 ingress rule on the cluster
 * security group EKS creates (which otherwise admits only itself, i.e. the nodes).
 */
export type EndpointSource = VpcEndpointSource | CidrEndpointSource | SecurityGroupEndpointSource;

/** Shorthands, so a source list reads like what it admits. */
export const EndpointSource = {
  /** The cluster's VPC (IPv4 CIDR, and IPv6 block when dual stack). */
  vpc(): VpcEndpointSource {
    return { kind: "vpc" };
  },
  /** An IPv4 or IPv6 range routed into the VPC (VPN, Direct Connect, Transit Gateway, peering). */
  cidr(cidr: string, options: { name?: string; allowAnyAddress?: boolean } = {}): CidrEndpointSource {
    return { kind: "cidr", cidr, ...options };
  },
  /** Members of a security group (a bastion, CI runners). */
  securityGroup(securityGroupId: string, options: { name?: string } = {}): SecurityGroupEndpointSource {
    return { kind: "security-group", securityGroupId, ...options };
  },
};

/**
 * The API server is reachable only from inside the VPC (and networks routed into it:
 * peering, Transit Gateway, VPN, Direct Connect), from the sources in `privateAccessFrom`.
 * Nothing on the internet can reach it.
 */
export interface PrivateEndpointAccess {
  readonly mode: "private";
  /**
   * Who may reach the private endpoint (always on: nodes and in-VPC tooling use it): one tcp/443
   * ingress rule per source on the cluster security group EKS creates, which otherwise admits
   * only itself (the nodes).
   *
   * Why the whole VPC by default: the private endpoint is meant to be "reachable from inside the
   * VPC", and the README's deploy path for a private cluster is a CI runner, a bastion or an SSM
   * port forward in the VPC; without a rule that path hangs until timeout. The VPC is the boundary
   * the private endpoint already promises; anything wider (VPN, on-premises, peered networks) must
   * be named with EndpointSource.cidr or EndpointSource.securityGroup.
   *
   * EKS also puts the cluster security group on managed nodes, Auto Mode nodes and Fargate pods,
   * so a source reaches tcp/443 on them too: keep sources narrow. `[]` admits nothing but the
   * cluster's own members. Adding or removing a source on a running cluster creates or deletes
   * only its rule (rules are keyed by source, not position; planned in test/offline/day2.test.ts).
   * @default [EndpointSource.vpc()]
   */
  readonly privateAccessFrom?: EndpointSource[];
}

/**
 * The API server is reachable from inside the VPC (`privateAccessFrom`) and, additionally, from
 * the listed public IPv4 ranges (e.g. an office egress or the CI runners' NAT addresses).
 * Nodes always use the private endpoint.
 */
export interface PublicAndPrivateEndpointAccess {
  readonly mode: "public-and-private";
  /**
   * Who may reach the private endpoint (always on: nodes and in-VPC tooling use it): one tcp/443
   * ingress rule per source on the cluster security group EKS creates, which otherwise admits
   * only itself (the nodes).
   *
   * Why the whole VPC by default: the private endpoint is meant to be "reachable from inside the
   * VPC", and the README's deploy path for a private cluster is a CI runner, a bastion or an SSM
   * port forward in the VPC; without a rule that path hangs until timeout. The VPC is the boundary
   * the private endpoint already promises; anything wider (VPN, on-premises, peered networks) must
   * be named with EndpointSource.cidr or EndpointSource.securityGroup.
   *
   * EKS also puts the cluster security group on managed nodes, Auto Mode nodes and Fargate pods,
   * so a source reaches tcp/443 on them too: keep sources narrow. `[]` admits nothing but the
   * cluster's own members. Adding or removing a source on a running cluster creates or deletes
   * only its rule (rules are keyed by source, not position; planned in test/offline/day2.test.ts).
   * @default [EndpointSource.vpc()]
   */
  readonly privateAccessFrom?: EndpointSource[];
  /**
   * IPv4 CIDRs allowed to reach the public endpoint. Required and non-empty: a public
   * endpoint is never opened to "everyone" by omission.
   */
  readonly publicCidrs: string[];
  /**
   * Must be set to true to allow "0.0.0.0/0" in `publicCidrs`: opening the Kubernetes
   * API to the whole internet is a deliberate, visible choice.
   * @default false
   */
  readonly allowAnyIPv4?: boolean;
}

/**
 * Who can reach the cluster's Kubernetes API endpoint. Private access is always on
 * (nodes and in-VPC tooling use it, from `privateAccessFrom`); public access is an explicit allowlist.
 */
export type EndpointAccess = PrivateEndpointAccess | PublicAndPrivateEndpointAccess;

/** Shorthands, so call sites read like the choice they make. */
export const EndpointAccess = {
  /** Only from inside the VPC (by default the whole VPC; see `privateAccessFrom`). */
  private(options: { privateAccessFrom?: EndpointSource[] } = {}): PrivateEndpointAccess {
    return { mode: "private", ...options };
  },
  /** From inside the VPC and from these public IPv4 CIDRs. */
  publicAndPrivate(
    publicCidrs: string[],
    options: { allowAnyIPv4?: boolean; privateAccessFrom?: EndpointSource[] } = {},
  ): PublicAndPrivateEndpointAccess {
    return { mode: "public-and-private", publicCidrs, ...options };
  },
};

export interface EndpointIngressProps {
  /** The cluster security group EKS created (aws_eks_cluster vpc_config cluster_security_group_id). */
  readonly securityGroupId: string;
  /** The validated sources (resolveEndpointAccess). */
  readonly sources: readonly ResolvedEndpointSource[];
  /** @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * The private endpoint's sources as ingress rules (tcp/443) on the cluster security group: one
 * aws_vpc_security_group_ingress_rule per source, its construct id the source's key (never its
 * position), so adding, removing or reordering sources touches only those rules.
 */
export class EndpointIngress extends Construct {
  /** The rules by source key. */
  public readonly rules: Record<string, VpcSecurityGroupIngressRule> = {};

  constructor(scope: Construct, id: string, props: EndpointIngressProps) {
    super(scope, id);
    for (const source of props.sources) {
      this.rules[source.key] = new VpcSecurityGroupIngressRule(this, source.key, {
        securityGroupId: props.securityGroupId,
        description: `Kubernetes API (private endpoint) from ${source.description}`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: source.cidrIpv4,
        cidrIpv6: source.cidrIpv6,
        referencedSecurityGroupId: source.securityGroupId,
        tags: props.tags,
      });
    }
  }
}
