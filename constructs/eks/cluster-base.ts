import { Construct } from "constructs";
import { registerContext } from "../private/context";
import { fail, isToken } from "../private/validation";
import { FargateProfile, FargateProfileOptions } from "./fargate-profile";
import { ManagedNodeGroup, NodeGroupOptions } from "./node-group";
import { ServiceAccountRole, ServiceAccountRoleOptions } from "./service-account-role";
import { ComputeMode, IEksCluster } from "./types";

// What a new cluster (EksCluster) and an adopted one (EksCluster.fromClusterAttributes) share:
// the tables both validate against, and the add* methods and role lists both offer.

export const COMPUTE_MODES: readonly ComputeMode[] = ["managed", "auto"];

/**
 * Partitions the cluster supports: those whose IAM principal ARNs the admins/access
 * validation accepts (so not the isolated aws-iso / aws-iso-b partitions).
 */
export const PARTITIONS: readonly string[] = ["aws", "aws-cn", "aws-us-gov"];

/** A Kubernetes minor version as EKS names it: "1.35". */
export const KUBERNETES_MINOR_VERSION = /^1\.\d{1,2}$/;

/** An EKS cluster ARN (the adopted cluster's `clusterArn`). */
export const EKS_CLUSTER_ARN =
  /^arn:aws(-cn|-us-gov)?:eks:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:cluster\/[0-9A-Za-z][A-Za-z0-9\-_]*$/;

/** Refuses a partition outside PARTITIONS (references pass: known at apply). */
export function checkPartition(where: string, partition: string): void {
  if (!isToken(partition) && !PARTITIONS.includes(partition))
    fail(
      where,
      "partition",
      partition,
      "is not an AWS partition this construct supports",
      `use one of ${PARTITIONS.join(", ")}`,
    );
}

/**
 * The base of EksCluster and the adopted cluster: compute and service-account roles are added
 * the same way to both, and both keep the node and pod-execution roles that registry grants read.
 */
export abstract class ClusterBase extends Construct {
  public abstract readonly computeMode: ComputeMode;

  /** How errors name this cluster, e.g. "EksCluster 'main'". */
  protected readonly where: string;
  protected readonly _nodeRoleArns: string[] = [];
  protected readonly _podExecutionRoleArns: string[] = [];

  protected constructor(scope: Construct, id: string, where: string) {
    super(scope, id);
    this.where = registerContext(this, where);
  }

  /** The IAM roles of this cluster's nodes (node groups and Auto Mode), for grants. */
  public get nodeRoleArns(): string[] {
    return [...this._nodeRoleArns];
  }

  /** The pod execution roles of this cluster's Fargate profiles, for grants. */
  public get podExecutionRoleArns(): string[] {
    return [...this._podExecutionRoleArns];
  }

  /** Adds a managed node group (computeMode "managed" only). */
  public addNodeGroup(id: string, options: NodeGroupOptions = {}): ManagedNodeGroup {
    if (this.computeMode === "auto") this.refuseNodeGroup();
    return new ManagedNodeGroup(this, id, { ...options, cluster: this.self });
  }

  /** Adds a Fargate profile (both compute modes). */
  public addFargateProfile(id: string, options: FargateProfileOptions): FargateProfile {
    return new FargateProfile(this, id, { ...options, cluster: this.self });
  }

  /** Gives a Kubernetes service account an IAM role (Pod Identity by default, or IRSA). */
  public addServiceAccountRole(id: string, options: ServiceAccountRoleOptions): ServiceAccountRole {
    return new ServiceAccountRole(this, id, { ...options, cluster: this.self });
  }

  /** Every subclass implements IEksCluster; the base only needs to hand itself to its children. */
  private get self(): IEksCluster {
    return this as unknown as IEksCluster;
  }

  /** What to use instead of a node group on an Auto Mode cluster (the fix of the refusal). */
  protected abstract readonly autoModeNodeGroupFix: string;

  /** Records the role of compute added to this cluster (once), for grants. */
  protected recordComputeRole(kind: "node-group" | "fargate", roleArn: string | undefined): void {
    const roles = kind === "node-group" ? this._nodeRoleArns : this._podExecutionRoleArns;
    if (roleArn !== undefined && !roles.includes(roleArn)) roles.push(roleArn);
  }

  protected refuseNodeGroup(): never {
    return fail(
      this.where,
      "computeMode",
      this.computeMode,
      "takes no managed node groups: EKS Auto Mode launches and manages the nodes itself",
      this.autoModeNodeGroupFix,
    );
  }
}
