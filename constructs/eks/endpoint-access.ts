import { cidrProblem, nonPublicRangeOf } from "../private/cidr";
import { duplicatesOf, fail, isToken } from "../private/validation";

/**
 * The API server is reachable only from inside the VPC (and networks routed into it:
 * peering, Transit Gateway, VPN, Direct Connect). Nothing on the internet can reach it.
 */
export interface PrivateEndpointAccess {
  readonly mode: "private";
}

/**
 * The API server is reachable from inside the VPC and, additionally, from the
 * listed public IPv4 ranges (e.g. an office egress or the CI runners' NAT addresses).
 * Nodes always use the private endpoint.
 */
export interface PublicAndPrivateEndpointAccess {
  readonly mode: "public-and-private";
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
 * (nodes and in-VPC tooling use it); public access is an explicit allowlist.
 */
export type EndpointAccess = PrivateEndpointAccess | PublicAndPrivateEndpointAccess;

/** Shorthands, so call sites read like the choice they make. */
export const EndpointAccess = {
  /** Only from inside the VPC. */
  private(): PrivateEndpointAccess {
    return { mode: "private" };
  },
  /** From inside the VPC and from these public IPv4 CIDRs. */
  publicAndPrivate(publicCidrs: string[], options: { allowAnyIPv4?: boolean } = {}): PublicAndPrivateEndpointAccess {
    return { mode: "public-and-private", publicCidrs, allowAnyIPv4: options.allowAnyIPv4 };
  },
};

/** The EKS vpc_config endpoint settings an EndpointAccess resolves to. */
export interface ResolvedEndpointAccess {
  readonly privateAccess: true;
  readonly publicAccess: boolean;
  /** Empty when the endpoint is private only. */
  readonly publicCidrs: string[];
}

const ENDPOINT_MODES = ["private", "public-and-private"];
const ANY_IPV4 = "0.0.0.0/0";

/**
 * Validates an EndpointAccess choice and resolves it to vpc_config settings.
 * `where` names the construct in error messages, e.g. "EksCluster 'main'".
 */
export function resolveEndpointAccess(where: string, access: EndpointAccess): ResolvedEndpointAccess {
  if (access.mode === "private") return { privateAccess: true, publicAccess: false, publicCidrs: [] };
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
  return { privateAccess: true, publicAccess: true, publicCidrs: [...cidrs] };
}
