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
