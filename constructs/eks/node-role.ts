import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { checkPrincipalArn, describe, fail, isToken } from "../private/validation";

/**
 * An IAM role given to a node group or Fargate profile instead of letting it create
 * its own, e.g. one node role shared by several node groups.
 */
export interface RoleReference {
  /** ARN of the role, `arn:aws:iam::<account>:role/<name>`. */
  readonly roleArn: string;
  /** Name of the role (the last part of the ARN). */
  readonly roleName: string;
}

import { partitionOf } from "../private/partition";

export { partitionOf };

/** ARN of an AWS managed policy in a partition. */
export function awsManagedPolicyArn(partition: string, policyName: string): string {
  return `arn:${partition}:iam::aws:policy/${policyName}`;
}

/**
 * IAM role names are global to the account, so two clusters with the same name in
 * two regions would collide on a fixed name. Roles therefore get `name_prefix` (at
 * most 38 characters; Terraform appends a 26-character unique suffix).
 */
export const ROLE_NAME_PREFIX_MAX = 38;

/** Turns free text into something IAM accepts in a role name prefix, at most 38 characters. */
export function roleNamePrefix(...parts: string[]): string {
  const text = parts
    .filter((p) => p && !isToken(p))
    .join("-")
    .replace(/[^\w+=,.@-]/g, "-");
  return `${text.slice(0, ROLE_NAME_PREFIX_MAX - 1)}-`;
}

/** Validates a passed-in role reference (ARN shape and that the name matches the ARN). */
export function checkRoleReference(where: string, field: string, role: RoleReference): void {
  checkPrincipalArn(where, `${field}.roleArn`, role.roleArn);
  if (!isToken(role.roleArn) && !/:role\//.test(role.roleArn)) {
    fail(
      where,
      `${field}.roleArn`,
      role.roleArn,
      "is not an IAM role ARN",
      "use arn:aws:iam::<12-digit account>:role/<name>",
    );
  }
  if (!isToken(role.roleArn) && !isToken(role.roleName) && !role.roleArn.endsWith(`/${role.roleName}`)) {
    fail(
      where,
      `${field}.roleName`,
      role.roleName,
      `does not match roleArn "${role.roleArn}"`,
      "use the last part of the role ARN as the name",
    );
  }
}

export interface NodeRoleOptions {
  /**
   * Attach AmazonEKS_CNI_Policy to the node role, which lets every pod that can reach
   * the node's credentials manage ENIs. Tighter: set `false` and give the vpc-cni
   * add-on its own role (the cluster's `addons: { "vpc-cni": { ownRole: "irsa" } }`).
   * @default true (nodes can't get pod IPs without it unless vpc-cni has its own role)
   */
  readonly attachCniPolicy?: boolean;
  /**
   * Attach AmazonSSMManagedInstanceCore so nodes can be reached with SSM Session Manager
   * (shell access without SSH keys or open ports). Off by default: it also grants the
   * node SSM document and parameter access it doesn't otherwise need.
   * @default false
   */
  readonly attachSsmPolicy?: boolean;
  /**
   * Permissions boundary for the role, when the account requires one.
   * @default no boundary
   */
  readonly permissionsBoundaryArn?: string;
  /**
   * Prefix of the role name (Terraform appends a unique suffix).
   * @default "<cluster name>-<id>-"
   */
  readonly namePrefix?: string;
  /**
   * Tags for the role.
   * @default no extra tags
   */
  readonly tags?: Record<string, string>;
}

export interface NodeRoleProps extends NodeRoleOptions {
  /** Region the nodes run in; picks the partition of the managed policy ARNs. */
  readonly region: string;
  /**
   * Partition of the managed policy ARNs.
   * @default - the partition of `region`
   */
  readonly partition?: string;
  /** Cluster name (literal), used in the default name prefix and description. */
  readonly clusterName: string;
}

/**
 * The IAM role EC2 worker nodes of a managed node group run as, with the least
 * AWS managed policies that let a node join a cluster and pull images:
 * AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryPullOnly (pull only, no
 * listing or describing every repository like ...ReadOnly), optionally
 * AmazonEKS_CNI_Policy and AmazonSSMManagedInstanceCore.
 */
export class NodeRole extends Construct implements RoleReference {
  public readonly roleArn: string;
  public readonly roleName: string;
  public readonly attachCniPolicy: boolean;
  public readonly attachSsmPolicy: boolean;
  /** The aws_iam_role resource. */
  public readonly role: IamRole;
  /**
   * The policy attachments. Node groups depend on them so EKS never launches nodes
   * before the role can join the cluster, and Terraform detaches only after nodes are gone.
   */
  public readonly attachments: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    const where = describe("NodeRole", id);
    this.attachCniPolicy = props.attachCniPolicy ?? true;
    this.attachSsmPolicy = props.attachSsmPolicy ?? false;
    const namePrefix = props.namePrefix ?? roleNamePrefix(props.clusterName, id);
    if (!isToken(namePrefix) && (namePrefix.length > ROLE_NAME_PREFIX_MAX || !/^[\w+=,.@-]+$/.test(namePrefix))) {
      fail(
        where,
        "namePrefix",
        namePrefix,
        "is not a valid IAM role name prefix",
        `use at most ${ROLE_NAME_PREFIX_MAX} letters, digits and +=,.@_- characters`,
      );
    }

    this.role = new IamRole(this, "role", {
      namePrefix,
      description: `EKS worker nodes of cluster ${props.clusterName}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      permissionsBoundary: props.permissionsBoundaryArn,
      tags: props.tags,
    });

    const partition = props.partition ?? partitionOf(props.region);
    const policies = [
      "AmazonEKSWorkerNodePolicy",
      "AmazonEC2ContainerRegistryPullOnly",
      ...(this.attachCniPolicy ? ["AmazonEKS_CNI_Policy"] : []),
      ...(this.attachSsmPolicy ? ["AmazonSSMManagedInstanceCore"] : []),
    ];
    this.attachments = policies.map(
      (policy) =>
        new IamRolePolicyAttachment(this, policy, {
          role: this.role.name,
          policyArn: awsManagedPolicyArn(partition, policy),
        }),
    );
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
  }
}
