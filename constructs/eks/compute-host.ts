import { ITerraformDependable } from "cdktf";
import type { IEksCluster, NodePlacement } from "./types";
import { fail } from "../private/validation";

/** What a node group tells the cluster when it registers, so the cluster can check it fits. */
export interface ComputeRegistrationDetails {
  /**
   * Whether the node role the group created has AmazonEKS_CNI_Policy.
   * @default - unknown (e.g. a passed-in node role): not checked
   */
  readonly attachCniPolicy?: boolean;
  /**
   * The name of the node role the group created (not of a passed-in role), so the cluster can
   * attach what its configuration needs (the IPv6 CNI policy of an IPv6 cluster).
   * @default - none (a passed-in role: not changed)
   */
  readonly createdNodeRoleName?: string;
  /**
   * Set by a node group with `role: "system"`: where cluster-critical pods must go to land on
   * it (its label as node selector, tolerations of its taints). The cluster returns it as
   * `systemNodePlacement`.
   * @default - not a system node group
   */
  readonly systemNodePlacement?: NodePlacement;
  /**
   * How errors name the registering construct, e.g. "ManagedNodeGroup 'workers'".
   * @default - the cluster names itself only
   */
  readonly owner?: string;
}

/**
 * The cluster's compute wiring, which only its own children use: not part of IEksCluster,
 * so a consumer (or an imported cluster, or a test fake) never has to implement it.
 * EksCluster and imported clusters register one for themselves; node groups and Fargate
 * profiles look it up.
 */
export interface ComputeHost {
  /** Resources every node and Fargate pod waits for (the before-compute add-ons). */
  readonly computeDependencies: ITerraformDependable[];
  /**
   * Called by every node group and Fargate profile: add-ons that need somewhere to run
   * wait for it, and its role (node role, or Fargate pod execution role) is recorded.
   */
  registerCompute(
    compute: ITerraformDependable,
    kind: "node-group" | "fargate",
    roleArn?: string,
    details?: ComputeRegistrationDetails,
  ): void;
}

const hosts = new WeakMap<IEksCluster, ComputeHost>();

/** Makes `cluster` accept node groups and Fargate profiles, wired through `host`. */
export function registerComputeHost(cluster: IEksCluster, host: ComputeHost): void {
  hosts.set(cluster, host);
}

/**
 * The compute wiring of a cluster. A hand-written IEksCluster has none: compute is added
 * through EksCluster (or an imported cluster), which knows the add-ons to order it around.
 */
export function computeHostOf(cluster: IEksCluster, owner: string): ComputeHost {
  const host = hosts.get(cluster);
  if (!host) {
    fail(
      owner,
      "cluster",
      cluster.node.path,
      "is neither an EksCluster nor a cluster from EksCluster.fromClusterAttributes, so nothing orders this compute around its add-ons",
      "create the compute with cluster.addNodeGroup(...) / cluster.addFargateProfile(...) on an EksCluster, or import the cluster with EksCluster.fromClusterAttributes(...)",
    );
  }
  return host;
}
