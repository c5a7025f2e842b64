import { IConstruct } from "constructs";

/** Pods a network rule can name: a workload's pods (namespace + selector labels). */
export interface ISelectablePods extends IConstruct {
  /** The namespace the pods run in. */
  readonly namespaceName: string;
  /** Labels that select exactly these pods. */
  readonly selectorLabels: Record<string, string>;
}

/** The other end of an allowed connection. Build one with `Peer.*`. */
export type NetworkPeer =
  | { readonly kind: "same-namespace" }
  | { readonly kind: "namespace"; readonly namespace: string }
  | { readonly kind: "pods"; readonly pods: ISelectablePods }
  | { readonly kind: "cidr"; readonly cidr: string; readonly except?: string[] }
  | { readonly kind: "anywhere" }
  | { readonly kind: "vpc" };

/** Intent-level factories for the peers of NetworkRules. */
export class Peer {
  /** Every pod of the rule's own namespace. */
  public static sameNamespace(): NetworkPeer {
    return { kind: "same-namespace" };
  }
  /** Every pod of another namespace (by name, or a Namespace construct). */
  public static namespace(namespace: string | { readonly name: string }): NetworkPeer {
    return { kind: "namespace", namespace: typeof namespace === "string" ? namespace : namespace.name };
  }
  /** The pods of one workload (WebService, Worker, StatefulService, ...), in whatever namespace it runs. */
  public static workload(pods: ISelectablePods): NetworkPeer {
    return { kind: "pods", pods };
  }
  /**
   * An IPv4 or IPv6 range, e.g. a database subnet. EKS enforces only the rules of the cluster's
   * own IP family: on an IPv6 cluster give IPv6 ranges (or use `Peer.vpc()` / `Peer.anywhere()`,
   * which follow the family).
   */
  public static cidr(cidr: string, except?: string[]): NetworkPeer {
    return { kind: "cidr", cidr, except };
  }
  /**
   * Every address of the cluster's IP family: 0.0.0.0/0 on IPv4, ::/0 on IPv6, both when the
   * family is unknown. Use with `ports` for egress like HTTPS to AWS APIs.
   */
  public static anywhere(): NetworkPeer {
    return { kind: "anywhere" };
  }
  /**
   * The cluster VPC's CIDR of the cluster's IP family (both when unknown), e.g. where load
   * balancer nodes reach their pod targets from.
   */
  public static vpc(): NetworkPeer {
    return { kind: "vpc" };
  }
}

/** A port (or range) a rule allows. */
export interface NetworkPort {
  /** Number or named container port. */
  readonly port: number | string;
  /** @default "TCP" */
  readonly protocol?: "TCP" | "UDP";
  /**
   * Last port of a range starting at `port` (numeric ports only).
   * @default - a single port
   */
  readonly endPort?: number;
}

/** One allow rule: a NetworkPolicy named after it. */
export interface NetworkRule {
  /** The NetworkPolicy's name (a DNS-1123 label) and the construct id: renaming it replaces the policy. */
  readonly name: string;
  /** Which pods of the namespace the rule applies to. @default - every pod of the namespace */
  readonly pods?: ISelectablePods;
  /** Allowed peers (one of them suffices). */
  readonly peers: NetworkPeer[];
  /** @default - every port */
  readonly ports?: NetworkPort[];
}
