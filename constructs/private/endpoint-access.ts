import type { EndpointAccess } from "../eks/endpoint-access";
import { cidrProblem, nonPublicRangeOf } from "./cidr";
import { duplicatesOf, fail, isToken } from "./validation";

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
