import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { duplicatesOf, fail } from "../private/validation";
import { awsManagedPolicyArn, roleNamePrefix } from "./node-role";

/**
 * The node pools EKS Auto Mode has built in:
 * - `general-purpose`: on-demand x86/ARM nodes for ordinary workloads.
 * - `system`: tainted nodes (CriticalAddonsOnly) for cluster-critical add-ons.
 */
export type AutoModeNodePool = "general-purpose" | "system";

export const AUTO_MODE_NODE_POOLS: readonly AutoModeNodePool[] = ["general-purpose", "system"];

/** Both built-in pools, so add-ons and workloads each have somewhere to run. */
export const DEFAULT_AUTO_MODE_NODE_POOLS: readonly AutoModeNodePool[] = ["general-purpose", "system"];

/**
 * Managed policies the cluster role needs on top of AmazonEKSClusterPolicy when EKS
 * runs compute, block storage, load balancing and networking for the cluster.
 */
export const AUTO_MODE_CLUSTER_POLICIES: readonly string[] = [
  "AmazonEKSComputePolicy",
  "AmazonEKSBlockStoragePolicy",
  "AmazonEKSLoadBalancingPolicy",
  "AmazonEKSNetworkingPolicy",
];

/** The least the Auto Mode node role needs: join the cluster and pull images (no ENI or describe-everything rights). */
export const AUTO_MODE_NODE_POLICIES: readonly string[] = [
  "AmazonEKSWorkerNodeMinimalPolicy",
  "AmazonEC2ContainerRegistryPullOnly",
];

/** Validates the built-in node pools asked for. Empty is refused: the built-in pools are what gives an Auto Mode cluster nodes. */
export function resolveNodePools(where: string, pools: readonly string[] | undefined): AutoModeNodePool[] {
  const resolved = [...(pools ?? DEFAULT_AUTO_MODE_NODE_POOLS)];
  if (resolved.length === 0) {
    fail(
      where,
      "autoModeNodePools",
      resolved,
      "is empty, so Auto Mode would launch no nodes",
      `use one or both of ${AUTO_MODE_NODE_POOLS.join(", ")}`,
    );
  }
  for (const pool of resolved) {
    if (!(AUTO_MODE_NODE_POOLS as readonly string[]).includes(pool)) {
      fail(
        where,
        "autoModeNodePools entry",
        pool,
        "is not a built-in Auto Mode node pool",
        `use ${AUTO_MODE_NODE_POOLS.join(" or ")} (custom NodePools are Kubernetes objects, created in the workloads stack)`,
      );
    }
  }
  const dups = duplicatesOf(resolved);
  if (dups.length > 0) fail(where, "autoModeNodePools", dups, "are listed more than once", "list each pool once");
  return resolved as AutoModeNodePool[];
}

export interface AutoModeNodeRoleProps {
  /** Cluster name (literal), for the role name and description. */
  readonly clusterName: string;
  readonly partition: string;
  /** @default - none */
  readonly permissionsBoundaryArn?: string;
  /** @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * The IAM role EKS Auto Mode gives the EC2 instances it launches. EKS creates the
 * matching access entry itself when the role is set in the cluster's compute_config.
 */
export class AutoModeNodeRole extends Construct {
  public readonly roleArn: string;
  public readonly roleName: string;
  public readonly role: IamRole;
  /** The cluster depends on these, so Auto Mode never launches a node whose role can't join yet. */
  public readonly attachments: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: AutoModeNodeRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      namePrefix: roleNamePrefix(props.clusterName, "auto-node"),
      description: `EKS Auto Mode nodes of cluster ${props.clusterName}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      permissionsBoundary: props.permissionsBoundaryArn,
      tags: props.tags,
    });
    this.attachments = AUTO_MODE_NODE_POLICIES.map(
      (policy) =>
        new IamRolePolicyAttachment(this, policy, {
          role: this.role.name,
          policyArn: awsManagedPolicyArn(props.partition, policy),
        }),
    );
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
  }
}
