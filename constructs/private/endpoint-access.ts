import { Fn, Token } from "cdktf";
import type { EndpointAccess, EndpointSource } from "../eks/endpoint-access";
import { cidrProblem, nonPublicRangeOf } from "./cidr";
import { ipv6CidrProblem, looksIpv6 } from "./ipv6-cidr";
import { duplicatesOf, fail, isToken } from "./validation";

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
