import { Construct } from "constructs";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Fn, Token } from "cdktf";
import { cidrProblem, nonPublicRangeOf } from "../private/cidr";
import { ipv6CidrProblem, looksIpv6 } from "../private/ipv6-cidr";
import { duplicatesOf, fail, isToken } from "../private/validation";

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

/** One source of the private endpoint, ready to become a tcp/443 ingress rule. */
export interface ResolvedEndpointSource {
  /** The rule's construct id (so its Terraform address): from the source, never its position. */
  readonly key: string;
  /** Who it admits, for the rule's description and the reachability warning. */
  readonly description: string;
  readonly cidrIpv4?: string;
  readonly cidrIpv6?: string;
  readonly securityGroupId?: string;
}

/** The EKS vpc_config endpoint settings an EndpointAccess resolves to. */
export interface ResolvedEndpointAccess {
  readonly privateAccess: true;
  readonly publicAccess: boolean;
  /** Empty when the endpoint is private only. */
  readonly publicCidrs: string[];
  /** Who reaches the private endpoint (ingress rules on the cluster security group). */
  readonly privateSources: ResolvedEndpointSource[];
}

/** The VPC's ranges, for the `vpc` source. */
export interface EndpointVpc {
  readonly vpcCidr: string;
  /** @default - no IPv6 block (an IPv4-only network) */
  readonly vpcIpv6Cidr?: string;
}

const ENDPOINT_MODES = ["private", "public-and-private"];
const ANY_IPV4 = "0.0.0.0/0";

/**
 * Validates an EndpointAccess choice and resolves it to vpc_config settings.
 * `where` names the construct in error messages, e.g. "EksCluster 'main'".
 */
export function resolveEndpointAccess(where: string, access: EndpointAccess, vpc: EndpointVpc): ResolvedEndpointAccess {
  const privateSources = resolveSources(where, access.privateAccessFrom, vpc);
  if (access.mode === "private") return { privateAccess: true, publicAccess: false, publicCidrs: [], privateSources };
  if (access.mode !== "public-and-private") {
    fail(
      where,
      "endpointAccess.mode",
      (access as { mode?: unknown }).mode,
      "is not an endpoint access mode",
      `use one of ${ENDPOINT_MODES.join(", ")}`,
    );
  }
  const cidrs = access.publicCidrs ?? [];
  if (cidrs.length === 0) {
    fail(
      where,
      "endpointAccess.publicCidrs",
      cidrs,
      "is empty, which would leave a public endpoint with no allowlist",
      'list the IPv4 CIDRs that may reach the API (e.g. your VPN or CI egress "203.0.113.10/32"), or use { mode: "private" }',
    );
  }
  for (const cidr of cidrs) {
    if (isToken(cidr)) continue;
    const problem = cidrProblem(cidr);
    if (problem)
      fail(
        where,
        "endpointAccess.publicCidrs entry",
        cidr,
        problem,
        'use an IPv4 network CIDR such as "203.0.113.0/24"',
      );
    const privateRange = nonPublicRangeOf(cidr);
    if (privateRange !== undefined) {
      fail(
        where,
        "endpointAccess.publicCidrs entry",
        cidr,
        `is inside the non-public range ${privateRange}, and the public endpoint only ever sees public source addresses, so it can never match`,
        "list the public egress CIDRs of your VPN, office or CI (callers inside the VPC use the private endpoint, which is always on)",
      );
    }
    if (cidr === ANY_IPV4 && access.allowAnyIPv4 !== true) {
      fail(
        where,
        "endpointAccess.publicCidrs entry",
        cidr,
        "opens the Kubernetes API to the whole internet",
        "list narrower CIDRs, or set allowAnyIPv4: true to opt in explicitly",
      );
    }
  }
  const dups = duplicatesOf(cidrs.filter((c) => !isToken(c)));
  if (dups.length > 0)
    fail(where, "endpointAccess.publicCidrs", dups, "are listed more than once", "list each CIDR once");
  return { privateAccess: true, publicAccess: true, publicCidrs: [...cidrs], privateSources };
}

const SOURCE_KINDS = ["vpc", "cidr", "security-group"];
const SOURCE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
const ANY_ADDRESS = ["0.0.0.0/0", "::/0"];
const FIELD = "endpointAccess.privateAccessFrom";

/** Validates the private endpoint's sources and keys each one by what it is. */
function resolveSources(
  where: string,
  sources: readonly EndpointSource[] | undefined,
  vpc: EndpointVpc,
): ResolvedEndpointSource[] {
  const list = sources ?? [{ kind: "vpc" } as const];
  if (isToken(list))
    fail(
      where,
      FIELD,
      "<a list only known at apply time>",
      "can't be a single reference: each source becomes its own ingress rule, keyed by the source",
      "list the sources, each of which may be a reference (EndpointSource.cidr(ref, { name }))",
    );
  const resolved = list.flatMap((source, i) => resolveSource(where, `${FIELD}[${i}]`, source, vpc));
  const dups = duplicatesOf(resolved.map((s) => s.key));
  if (dups.length > 0)
    fail(
      where,
      FIELD,
      dups,
      "name the same source more than once (each key is one ingress rule)",
      "list each source once, or give two different references different names",
    );
  return resolved;
}

function resolveSource(
  where: string,
  field: string,
  source: EndpointSource,
  vpc: EndpointVpc,
): ResolvedEndpointSource[] {
  const name = (source as { name?: unknown }).name;
  if (name !== undefined && (typeof name !== "string" || !SOURCE_NAME.test(name)))
    fail(
      where,
      `${field}.name`,
      name,
      "is not a source name",
      'use 1-63 lowercase letters, digits and hyphens, e.g. "office-vpn"',
    );
  switch (source.kind) {
    case "vpc": {
      const ipv4: ResolvedEndpointSource = {
        key: "vpc",
        description: isToken(vpc.vpcCidr) ? "the VPC" : `the VPC ${vpc.vpcCidr}`,
        cidrIpv4: vpc.vpcCidr,
      };
      // The IPv6 block is AWS-assigned (a reference): callers using IPv6 inside the VPC.
      const ipv6: ResolvedEndpointSource[] =
        vpc.vpcIpv6Cidr === undefined
          ? []
          : [{ key: "vpc-ipv6", description: "the VPC's IPv6 block", cidrIpv6: vpc.vpcIpv6Cidr }];
      return [ipv4, ...ipv6];
    }
    case "cidr": {
      const cidr = source.cidr;
      if (isToken(cidr)) {
        if (source.name === undefined)
          fail(
            where,
            `${field}.name`,
            undefined,
            "is required when the CIDR is only known at apply (the rule has no text to be keyed on)",
            'name the source, e.g. EndpointSource.cidr(vpnCidr, { name: "vpn" })',
          );
        // Known at apply: the family is decided then (Terraform's strcontains), one attribute set, the other null.
        const v6 = Fn.strcontains(cidr, ":");
        return [
          {
            key: source.name,
            description: source.name,
            cidrIpv4: Token.asString(Fn.conditional(v6, Token.nullValue(), cidr)),
            cidrIpv6: Token.asString(Fn.conditional(v6, cidr, Token.nullValue())),
          },
        ];
      }
      const v6 = typeof cidr === "string" && looksIpv6(cidr);
      const problem = typeof cidr !== "string" ? "is not a CIDR" : v6 ? ipv6CidrProblem(cidr) : cidrProblem(cidr);
      if (problem)
        fail(where, `${field}.cidr`, cidr, problem, 'use a network CIDR such as "10.50.0.0/16" or "2001:db8::/56"');
      if (ANY_ADDRESS.includes(cidr) && source.allowAnyAddress !== true)
        fail(
          where,
          `${field}.cidr`,
          cidr,
          "admits every address routed into the VPC to the Kubernetes API",
          "list the ranges that deploy (VPN clients, CI runners, bastions), or set allowAnyAddress: true to opt in explicitly",
        );
      return [
        {
          key: source.name ?? cidr.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
          description: source.name === undefined ? cidr : `${source.name} ${cidr}`,
          ...(v6 ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
        },
      ];
    }
    case "security-group": {
      const id = source.securityGroupId;
      if (isToken(id)) {
        if (source.name === undefined)
          fail(
            where,
            `${field}.name`,
            undefined,
            "is required when the security group id is only known at apply (the rule has no text to be keyed on)",
            'name the source, e.g. EndpointSource.securityGroup(bastion.id, { name: "bastion" })',
          );
        return [{ key: source.name, description: source.name, securityGroupId: id }];
      }
      if (typeof id !== "string" || !SECURITY_GROUP_ID.test(id))
        fail(
          where,
          `${field}.securityGroupId`,
          id,
          "is not a security group id",
          'use an id such as "sg-0123456789abcdef0"',
        );
      return [
        {
          key: source.name ?? id,
          description: source.name === undefined ? id : `${source.name} ${id}`,
          securityGroupId: id,
        },
      ];
    }
    default:
      return fail(
        where,
        `${field}.kind`,
        (source as { kind?: unknown }).kind,
        "is not an endpoint source kind",
        `use one of ${SOURCE_KINDS.join(", ")} (EndpointSource.vpc(), .cidr(...), .securityGroup(...))`,
      );
  }
}
