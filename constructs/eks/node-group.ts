import { Construct } from "constructs";
import { Fn, ITerraformDependable, Token } from "cdktf";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { SubnetInfo, SubnetTier } from "../network/types";
import { selectSubnets } from "./subnet-selection";
import { computeHostOf } from "./compute-host";
import {
  checkInteger,
  checkOneOf,
  checkPolicyArn,
  checkSameRegion,
  describe,
  duplicatesOf,
  fail,
  isToken,
  show,
} from "../private/validation";
import { checkNodeVersionSkew } from "./version-skew";
import { checkLabelKey, checkLabelValue } from "../private/kubernetes-names";
import { registerContext, warn } from "../private/context";
import { useProvider } from "../private/provider";
import { IEksCluster, NodePlacement, Toleration } from "./types";
import { CpuArchitecture, instanceTypeProblem } from "./instance-types";
import {
  amiArchitecture,
  checkInstanceTypeForAmi,
  defaultInstanceTypes,
  NODE_AMI_TYPES,
  NodeAmiType,
  osFamilyOf,
} from "./node-ami";

export { NODE_AMI_TYPES };
export type { CpuArchitecture, NodeAmiType };
import { NodeLaunchTemplate, NodeLaunchTemplateOptions } from "./launch-template";
import { checkRoleReference, NodeRole, roleNamePrefix, RoleReference } from "./node-role";

/**
 * - `ON_DEMAND`: regular instances.
 * - `SPOT`: up to ~90% cheaper, but EC2 can reclaim an instance with two minutes'
 *   notice. Give several instance types so EKS can draw from several capacity pools.
 */
export type CapacityType = "ON_DEMAND" | "SPOT";
export const CAPACITY_TYPES: readonly CapacityType[] = ["ON_DEMAND", "SPOT"];

/** Terraform manages the node count: min = desired = max = size. */
export interface FixedScaling {
  readonly mode: "fixed";
  /** Number of nodes, at least 1. */
  readonly size: number;
}

/**
 * A scaler in the cluster (cluster-autoscaler, Karpenter's node group mode, a human
 * with the console) moves the node count between `minSize` and `maxSize`.
 *
 * IMPORTANT: Terraform sets `desiredSize` only when it creates the node group. It
 * then ignores it (`lifecycle.ignore_changes = [scaling_config[0].desired_size]`),
 * so the next apply doesn't undo what the autoscaler did. Editing `desiredSize`
 * later has NO effect; change `minSize` (or use `mode: "fixed"`) to force a count.
 */
export interface AutoscaledScaling {
  readonly mode: "autoscaled";
  /** Fewest nodes, 0 or more. */
  readonly minSize: number;
  /** Most nodes, at least 1. */
  readonly maxSize: number;
  /**
   * Node count at creation only (see the note on AutoscaledScaling).
   * @default minSize
   */
  readonly desiredSize?: number;
}

/** How the node count is decided: pinned by Terraform, or moved by an autoscaler within bounds. */
export type NodeGroupScaling = FixedScaling | AutoscaledScaling;

/** Default sizing: two nodes (one per AZ in a two-AZ network) so a node loss or AZ outage keeps capacity, room to double. */
export const DEFAULT_NODE_GROUP_SCALING: AutoscaledScaling = {
  mode: "autoscaled",
  minSize: 2,
  maxSize: 4,
  desiredSize: 2,
};

/**
 * Taint effects, in the Kubernetes spelling (`NoSchedule`, as in a pod's
 * toleration) or the EKS API spelling (`NO_SCHEDULE`); both map to the EKS API enum.
 */
export type TaintEffect =
  "NoSchedule" | "PreferNoSchedule" | "NoExecute" | "NO_SCHEDULE" | "PREFER_NO_SCHEDULE" | "NO_EXECUTE";

const TAINT_EFFECTS: Record<TaintEffect, string> = {
  NoSchedule: "NO_SCHEDULE",
  PreferNoSchedule: "PREFER_NO_SCHEDULE",
  NoExecute: "NO_EXECUTE",
  NO_SCHEDULE: "NO_SCHEDULE",
  PREFER_NO_SCHEDULE: "PREFER_NO_SCHEDULE",
  NO_EXECUTE: "NO_EXECUTE",
};

/** A Kubernetes taint put on every node of the group. */
export interface NodeTaint {
  readonly key: string;
  /** @default no value */
  readonly value?: string;
  readonly effect: TaintEffect;
}

/**
 * What a node group is for:
 * - `general`: application pods.
 * - `system`: cluster-critical pods only. The nodes carry SYSTEM_NODE_LABEL and, unless you give
 *   `taints`, the taint `CriticalAddonsOnly:NoSchedule` (SYSTEM_NODE_TAINT), so nothing else lands
 *   there; the cluster routes coredns, metrics-server and the EBS CSI controller to them, and
 *   returns their placement as `cluster.systemNodePlacement` for controllers deployed later.
 */
export type NodeGroupRole = "general" | "system";
export const NODE_GROUP_ROLES: readonly NodeGroupRole[] = ["general", "system"];

/** The label every node of a `role: "system"` group carries: the system pods' node selector. */
export const SYSTEM_NODE_LABEL = { key: "eks-platform.io/node-role", value: "system" } as const;

/** The taint a `role: "system"` group gets when no `taints` are given (the one EKS Auto Mode's system pool uses). */
export const SYSTEM_NODE_TAINT: NodeTaint = { key: "CriticalAddonsOnly", effect: "NoSchedule" };

/** EKS accepts at most 50 taints per node group. */
export const MAX_TAINTS = 50;
/** EKS accepts at most 20 instance types per node group. */
export const MAX_INSTANCE_TYPES = 20;
/** node_group_name_prefix: 63 characters minus Terraform's 26-character unique suffix. */
export const NODE_GROUP_NAME_PREFIX_MAX = 37;
/** aws_launch_template name_prefix: the provider accepts at most 99 characters. */
export const LAUNCH_TEMPLATE_NAME_PREFIX_MAX = 99;

/**
 * Subnet tiers a node group may use. `intra` subnets have no route to the internet:
 * nodes there only join when the VPC has interface endpoints for EKS, ECR, STS, EC2
 * and the S3 gateway endpoint. `public` is refused unless `allowPublicSubnets` is set.
 */
export type NodeSubnetTier = SubnetTier;

export interface NodeGroupOptions extends NodeLaunchTemplateOptions {
  /**
   * What the group is for (see NodeGroupRole). A cluster takes several system groups only when
   * they have the same taints (one placement for the system pods). Changing a group's role changes
   * its labels and taints in place (EKS rolls no nodes for that).
   * @default "general"
   */
  readonly role?: NodeGroupRole;
  /**
   * AMI family and architecture.
   * @default "AL2023_x86_64_STANDARD"
   */
  readonly amiType?: NodeAmiType;
  /**
   * EC2 instance types, most preferred first. Their architecture must match `amiType`
   * (Graviton families such as m7g, c7g, r7g, t4g are arm64).
   * @default ["m6i.large"] for x86_64 AMIs, ["m7g.large"] for arm64, ["g5.xlarge"] / ["g5g.xlarge"] for NVIDIA
   */
  readonly instanceTypes?: string[];
  /**
   * On-demand or spot instances.
   * @default "ON_DEMAND"
   */
  readonly capacityType?: CapacityType;
  /**
   * Node count: `{ mode: "fixed", size }` or `{ mode: "autoscaled", minSize, maxSize, desiredSize? }`.
   * With `autoscaled`, later edits of desiredSize are ignored by Terraform (see AutoscaledScaling).
   * @default { mode: "autoscaled", minSize: 2, maxSize: 4, desiredSize: 2 }
   */
  readonly scaling?: NodeGroupScaling;
  /**
   * Kubernetes labels on every node. Keys in the kubernetes.io and k8s.io namespaces
   * are refused (the kubelet won't start with them) except under
   * node.kubernetes.io/ and kubelet.kubernetes.io/.
   * @default no extra labels
   */
  readonly labels?: Record<string, string>;
  /**
   * Kubernetes taints on every node, e.g. `{ key: "dedicated", value: "gpu", effect: "NoSchedule" }`.
   * On a `role: "system"` group these replace SYSTEM_NODE_TAINT, and the system pods get a
   * toleration for each of them.
   * @default no taints; [SYSTEM_NODE_TAINT] (CriticalAddonsOnly:NoSchedule) for role "system"
   */
  readonly taints?: NodeTaint[];
  /**
   * How many nodes a rolling update may take down at once (1 to 100).
   * Give this or `maxUnavailablePercentage`, not both.
   * @default 1 (when maxUnavailablePercentage is not given)
   */
  readonly maxUnavailable?: number;
  /**
   * Percentage of nodes a rolling update may take down at once (1 to 100).
   * @default not used; maxUnavailable 1 applies
   */
  readonly maxUnavailablePercentage?: number;
  /**
   * Subnet tier of the cluster's network to place nodes in, one subnet per AZ.
   * @default "private"
   */
  readonly subnetTier?: NodeSubnetTier;
  /**
   * Explicit subnets of the cluster's network (from `cluster.network.subnetsOf(...)`),
   * e.g. to keep a group in some AZs only. Give this or `subnetTier`, not both.
   * @default all subnets of `subnetTier`
   */
  readonly subnets?: SubnetInfo[];
  /**
   * Keep the group in these Availability Zones of the cluster's network: the `subnetTier`
   * subnets there. One AZ per group is what the Cluster Autoscaler needs to bring back a node
   * for a pod bound to an EBS volume (volumes are AZ-bound): one autoscaled group per AZ, kept
   * balanced by the autoscaler's balance-similar-node-groups. A group scoped to one AZ this way
   * gets no single-AZ warning: it is scoped on purpose.
   * @default - every AZ of the tier
   */
  readonly availabilityZones?: string[];
  /**
   * Allow nodes in public subnets. Nodes there are one security group rule away from
   * being reachable from the internet; prefer private subnets behind NAT.
   * @default false
   */
  readonly allowPublicSubnets?: boolean;
  /**
   * An existing node role (e.g. one shared by several node groups) instead of creating one.
   * It needs AmazonEKSWorkerNodePolicy and AmazonEC2ContainerRegistryPullOnly (or ReadOnly).
   * @default a new role with the policies described on NodeRole
   */
  readonly nodeRole?: RoleReference;
  /**
   * Attach AmazonEKS_CNI_Policy to the created node role. Tighter: `false`, with the
   * vpc-cni add-on using its own role: set the cluster's
   * `addons: { "vpc-cni": { ownRole: "irsa" } }` (or `serviceAccountRoleArn`); without
   * that, `false` is refused (nodes would never become Ready).
   * Only for the role this construct creates.
   * @default true
   */
  readonly attachCniPolicy?: boolean;
  /**
   * Attach AmazonSSMManagedInstanceCore to the created node role (SSM Session Manager access).
   * Only for the role this construct creates.
   * @default false
   */
  readonly attachSsmPolicy?: boolean;
  /**
   * Permissions boundary for the created node role.
   * @default - the cluster's permissionsBoundaryArn
   */
  readonly permissionsBoundaryArn?: string;
  /**
   * Prefix of the node group name; Terraform appends a unique suffix. A prefix
   * (not a fixed name) lets Terraform create the replacement group before deleting
   * the old one when a change forces replacement (instance types, AMI type, capacity
   * type, subnets), so nodes are never all gone at once. At most 37 characters.
   * @default "<id>-"
   */
  readonly nodeGroupNamePrefix?: string;
  /**
   * EKS node auto repair: replaces nodes that stay NotReady or report hardware or
   * kubelet problems.
   * @default true
   */
  readonly nodeAutoRepair?: boolean;
  /**
   * Hold the nodes at a Kubernetes minor of their own, e.g. to upgrade the control plane in one
   * deploy and the nodes in the next. Never newer than the cluster's kubernetesVersion, and at
   * most 3 minors older (the Kubernetes version skew policy): both checked at synth. Changing it
   * rolls the nodes in place, within `maxUnavailable` and the pods' disruption budgets.
   * @default - the cluster's kubernetesVersion: a cluster upgrade rolls the nodes after the control plane
   */
  readonly kubernetesVersion?: string;
  /**
   * Tags for the node group, its role and launch template, and the instances and volumes it launches.
   * @default no extra tags
   */
  readonly tags?: Record<string, string>;
}

export interface NodeGroupProps extends NodeGroupOptions {
  /** The cluster the nodes join. */
  readonly cluster: IEksCluster;
}

/** Node labels the kubelet refuses to set on itself (NodeRestriction): kubernetes.io / k8s.io namespaces outside the allowed prefixes. */
function isRestrictedNodeLabel(key: string): boolean {
  const slash = key.indexOf("/");
  if (slash < 0) return false;
  const prefix = key.slice(0, slash);
  const inK8sNamespace = ["kubernetes.io", "k8s.io"].some((ns) => prefix === ns || prefix.endsWith(`.${ns}`));
  if (!inK8sNamespace) return false;
  const allowed = ["kubelet.kubernetes.io", "node.kubernetes.io"].some(
    (ns) => prefix === ns || prefix.endsWith(`.${ns}`),
  );
  return !allowed;
}

const NODE_GROUP_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;

/**
 * An EKS managed node group: EC2 nodes EKS launches, drains and updates for you.
 *
 * Secure by default: nodes run in the private subnets of the cluster's network,
 * IMDSv2 is required with a hop limit of 1 (pods can't read the node role's
 * credentials), volumes are encrypted gp3, and the node role has only the
 * policies a node needs to join and pull images.
 *
 * Nodes wait for the cluster's compute dependencies (vpc-cni and kube-proxy add-ons,
 * access entries); without the CNI nodes would never become Ready.
 */
export class ManagedNodeGroup extends Construct {
  public readonly cluster: IEksCluster;
  public readonly amiType: NodeAmiType;
  public readonly architecture: CpuArchitecture;
  public readonly instanceTypes: string[];
  public readonly capacityType: CapacityType;
  public readonly scaling: NodeGroupScaling;
  public readonly role: NodeGroupRole;
  public readonly labels: Record<string, string>;
  public readonly taints: NodeTaint[];
  /** Role "system" only: the node selector and tolerations that put a pod on these nodes. */
  public readonly systemNodePlacement?: NodePlacement;
  /** update_config.max_unavailable, or undefined when a percentage is used. */
  public readonly maxUnavailable?: number;
  public readonly maxUnavailablePercentage?: number;
  /** The subnets the nodes run in. */
  public readonly subnets: SubnetInfo[];
  public readonly nodeAutoRepair: boolean;
  /** The nodes' Kubernetes minor. */
  public readonly kubernetesVersion: string;
  public readonly nodeGroupNamePrefix: string;
  /** The aws_eks_node_group resource. */
  public readonly nodeGroup: EksNodeGroup;
  /** The launch template (IMDS, volumes, tags). */
  public readonly launchTemplate: NodeLaunchTemplate;
  /** The node role this construct created; undefined when `nodeRole` was passed in. */
  public readonly createdNodeRole?: NodeRole;
  /** Node group name (a reference; the name has a generated suffix). */
  public readonly nodeGroupName: string;
  public readonly nodeGroupArn: string;
  public readonly nodeRoleArn: string;
  public readonly nodeRoleName: string;

  constructor(scope: Construct, id: string, props: NodeGroupProps) {
    super(scope, id);
    const where = registerContext(this, describe("ManagedNodeGroup", id));
    const cluster = props.cluster;
    this.cluster = cluster;
    const host = computeHostOf(cluster, where);
    useProvider(this, cluster.provider);

    this.amiType = props.amiType ?? "AL2023_x86_64_STANDARD";
    if (!NODE_AMI_TYPES.includes(this.amiType)) {
      fail(where, "amiType", this.amiType, "is not a supported AMI type", `use one of ${NODE_AMI_TYPES.join(", ")}`);
    }
    this.architecture = amiArchitecture(this.amiType);
    this.instanceTypes = props.instanceTypes ?? defaultInstanceTypes(this.amiType);
    this.capacityType = props.capacityType ?? "ON_DEMAND";
    checkOneOf(where, "capacityType", this.capacityType, CAPACITY_TYPES, "a capacity type");
    this.scaling = props.scaling ?? DEFAULT_NODE_GROUP_SCALING;
    this.role = props.role ?? "general";
    if (!NODE_GROUP_ROLES.includes(this.role)) {
      fail(where, "role", this.role, "is not a node group role", `use one of ${NODE_GROUP_ROLES.join(", ")}`);
    }
    const system = this.role === "system";
    const userLabels = props.labels ?? {};
    if (
      system &&
      SYSTEM_NODE_LABEL.key in userLabels &&
      userLabels[SYSTEM_NODE_LABEL.key] !== SYSTEM_NODE_LABEL.value
    ) {
      fail(
        where,
        `labels[${show(SYSTEM_NODE_LABEL.key)}]`,
        userLabels[SYSTEM_NODE_LABEL.key],
        `is the label the system pods select system nodes by, and must be ${show(SYSTEM_NODE_LABEL.value)} on a role "system" group`,
        `remove it (the group sets it)`,
      );
    }
    const systemLabel = { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value };
    // A map only known at apply (a variable, another stack's output) can't be spread at synth: merged by Terraform.
    this.labels = !system
      ? userLabels
      : isToken(userLabels)
        ? Token.asStringMap(Fn.merge([userLabels, systemLabel]))
        : { ...userLabels, ...systemLabel };
    this.taints = props.taints ?? (system ? [SYSTEM_NODE_TAINT] : []);
    this.nodeAutoRepair = props.nodeAutoRepair ?? true;
    if (props.maxUnavailable !== undefined && props.maxUnavailablePercentage !== undefined) {
      fail(
        where,
        "maxUnavailablePercentage",
        props.maxUnavailablePercentage,
        `can't be given together with maxUnavailable ${props.maxUnavailable}`,
        "give either a node count (maxUnavailable) or a percentage (maxUnavailablePercentage)",
      );
    }
    this.maxUnavailablePercentage = props.maxUnavailablePercentage;
    this.maxUnavailable = props.maxUnavailablePercentage === undefined ? (props.maxUnavailable ?? 1) : undefined;
    if (this.maxUnavailable !== undefined) checkInteger(where, "maxUnavailable", this.maxUnavailable, 1, 100);
    if (this.maxUnavailablePercentage !== undefined)
      checkInteger(where, "maxUnavailablePercentage", this.maxUnavailablePercentage, 1, 100);

    checkPolicyArn(where, "permissionsBoundaryArn", props.permissionsBoundaryArn);
    checkSameRegion(
      where,
      "volumeKmsKeyArn",
      props.volumeKmsKeyArn,
      cluster.network.region,
      "EBS volumes can only use keys of their own region,",
    );
    this.checkInstanceTypes(where);
    this.kubernetesVersion = props.kubernetesVersion ?? cluster.kubernetesVersion;
    checkNodeVersionSkew(where, "kubernetesVersion", this.kubernetesVersion, cluster.kubernetesVersion, cluster.name);
    const scalingConfig = this.resolveScaling(where);
    this.checkLabels(where);
    const taint = this.resolveTaints(where);
    if (system) {
      if (this.taints.some((t) => isToken(t.key) || isToken(t.value))) {
        fail(
          where,
          "taints",
          this.taints,
          'hold values only known at apply, but the system pods\' tolerations of a role "system" group are computed at synth',
          "give the taints of a system group as literals",
        );
      }
      if (!this.taints.some((t) => TAINT_EFFECTS[t.effect] !== "PREFER_NO_SCHEDULE")) {
        warn(
          this,
          where,
          `role "system" with taints ${show(this.taints)} keeps no other pods off these nodes, so application pods can take the room the system pods need; keep a NoSchedule taint such as CriticalAddonsOnly (the default)`,
        );
      }
      this.systemNodePlacement = {
        nodeSelector: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
        tolerations: this.taints.map(tolerationOf),
      };
    }
    this.subnets = this.resolveSubnets(where, props);

    this.nodeGroupNamePrefix = props.nodeGroupNamePrefix ?? defaultNamePrefix(id);
    if (
      !isToken(this.nodeGroupNamePrefix) &&
      (this.nodeGroupNamePrefix.length > NODE_GROUP_NAME_PREFIX_MAX || !NODE_GROUP_NAME.test(this.nodeGroupNamePrefix))
    ) {
      fail(
        where,
        "nodeGroupNamePrefix",
        this.nodeGroupNamePrefix,
        "is not a valid node group name prefix",
        `use 1 to ${NODE_GROUP_NAME_PREFIX_MAX} letters, digits, hyphens and underscores, starting with a letter or digit`,
      );
    }

    if (this.capacityType === "SPOT" && this.instanceTypes.length === 1) {
      warn(
        this,
        where,
        `capacityType "SPOT" with the single instance type ${show(this.instanceTypes[0])}: EC2 reclaims spot capacity per pool (type and AZ), ` +
          "so one type can lose all its nodes at once and fail to get them back; give several similar types, e.g. " +
          (this.architecture === "arm64"
            ? `["m7g.large", "m6g.large", "m7gd.large"]`
            : `["m6i.large", "m5.large", "m6a.large", "m7i.large"]`),
      );
    }

    // cluster-autoscaler models a node group from one instance type: mixed sizes make it
    // over- or under-provision. Same size suffix (".large") is the usual proxy for same shape.
    const sizes = [...new Set(this.instanceTypes.map((t) => t.split(".")[1]).filter((x) => x !== undefined))];
    if (this.scaling.mode === "autoscaled" && sizes.length > 1) {
      warn(
        this,
        where,
        `instanceTypes ${show(this.instanceTypes)} mix sizes (${sizes.join(", ")}): cluster-autoscaler assumes every node of a group ` +
          "has the CPU and memory of one type, so it will scale this group wrongly; use types of one size (e.g. all .large), or one group per size",
      );
    }

    // Node role: created with the least policies, or shared.
    const tags = props.tags ?? {};
    let roleDependencies: ITerraformDependable[] = [];
    if (props.nodeRole) {
      for (const field of ["attachCniPolicy", "attachSsmPolicy", "permissionsBoundaryArn"] as const) {
        if (props[field] !== undefined) {
          fail(
            where,
            field,
            props[field],
            "only applies to the node role this construct creates, but nodeRole was given",
            `remove ${field} or remove nodeRole`,
          );
        }
      }
      checkRoleReference(where, "nodeRole", props.nodeRole);
      this.nodeRoleArn = props.nodeRole.roleArn;
      this.nodeRoleName = props.nodeRole.roleName;
    } else {
      this.createdNodeRole = new NodeRole(this, "node-role", {
        region: cluster.network.region,
        partition: cluster.partition,
        clusterName: cluster.name,
        namePrefix: roleNamePrefix(cluster.name, id, "node"),
        attachCniPolicy: props.attachCniPolicy,
        attachSsmPolicy: props.attachSsmPolicy,
        permissionsBoundaryArn: props.permissionsBoundaryArn ?? cluster.permissionsBoundaryArn,
        tags: props.tags,
      });
      this.nodeRoleArn = this.createdNodeRole.roleArn;
      this.nodeRoleName = this.createdNodeRole.roleName;
      roleDependencies = this.createdNodeRole.attachments;
    }

    this.launchTemplate = new NodeLaunchTemplate(this, "launch-template", {
      osFamily: osFamilyOf(this.amiType),
      // The provider allows launch template name prefixes of at most 99 characters
      // (it appends a 26-character unique suffix): 98 plus the trailing "-".
      namePrefix: `${`${sanitize(cluster.name)}-${sanitize(id)}`.slice(0, LAUNCH_TEMPLATE_NAME_PREFIX_MAX - 1)}-`,
      volumeSize: props.volumeSize,
      volumeKmsKeyArn: props.volumeKmsKeyArn,
      httpPutResponseHopLimit: props.httpPutResponseHopLimit,
      resourceTags: { Name: `${cluster.name}-${id}`, ...tags },
      tags,
    });

    const autoscaled = this.scaling.mode === "autoscaled";
    this.nodeGroup = new EksNodeGroup(this, "node-group", {
      clusterName: cluster.clusterName,
      nodeGroupNamePrefix: this.nodeGroupNamePrefix,
      nodeRoleArn: this.nodeRoleArn,
      subnetIds: this.subnets.map((s) => s.id),
      // Nodes follow the control plane: a cluster upgrade then rolls the node group after it.
      version: this.kubernetesVersion,
      amiType: this.amiType,
      capacityType: this.capacityType,
      instanceTypes: this.instanceTypes,
      launchTemplate: {
        id: this.launchTemplate.launchTemplateId,
        version: this.launchTemplate.launchTemplate.getStringAttribute("latest_version"),
      },
      scalingConfig,
      updateConfig:
        this.maxUnavailablePercentage !== undefined
          ? { maxUnavailablePercentage: this.maxUnavailablePercentage }
          : { maxUnavailable: this.maxUnavailable },
      labels: Object.keys(this.labels).length > 0 ? this.labels : undefined,
      taint: taint.length > 0 ? taint : undefined,
      nodeRepairConfig: { enabled: this.nodeAutoRepair },
      tags: {
        ...tags,
        // EKS itself tags the node group's Auto Scaling group with these keys, which is what
        // cluster-autoscaler's auto-discovery (--node-group-auto-discovery=asg:tag=...) reads;
        // node group tags are not copied to the ASG. These make the node group itself
        // discoverable and visibly autoscaler-managed (console, tag queries, cost reports).
        "k8s.io/cluster-autoscaler/enabled": "true",
        [`k8s.io/cluster-autoscaler/${cluster.name}`]: "owned",
      },
      lifecycle: {
        createBeforeDestroy: true,
        ...(autoscaled ? { ignoreChanges: ["scaling_config[0].desired_size"] } : {}),
      },
      dependsOn: [...host.computeDependencies, ...roleDependencies],
    });

    this.nodeGroupName = this.nodeGroup.nodeGroupName;
    this.nodeGroupArn = this.nodeGroup.arn;
    nodeGroupsOfCluster.set(cluster, [...nodeGroupsOf(cluster), this]);
    host.registerCompute(this.nodeGroup, "node-group", this.nodeRoleArn, {
      // Unknown (undefined) for a passed-in role: its policies are not ours to check.
      attachCniPolicy: this.createdNodeRole?.attachCniPolicy,
      systemNodePlacement: this.systemNodePlacement,
      createdNodeRoleName: this.createdNodeRole?.roleName,
      owner: where,
    });
  }

  private checkInstanceTypes(where: string): void {
    const types = this.instanceTypes;
    if (types.length === 0 || types.length > MAX_INSTANCE_TYPES) {
      fail(
        where,
        "instanceTypes",
        types,
        `must hold 1 to ${MAX_INSTANCE_TYPES} instance types`,
        'give at least one, e.g. ["m6i.large"], or remove instanceTypes for the default',
      );
    }
    const dups = duplicatesOf(types);
    if (dups.length > 0)
      fail(
        where,
        "instanceTypes",
        types,
        `lists ${dups.map((d) => show(d)).join(", ")} more than once`,
        "list each instance type once",
      );
    for (const type of types) {
      if (isToken(type)) continue;
      const problem = instanceTypeProblem(type);
      if (problem) {
        fail(
          where,
          "instanceTypes entry",
          type,
          problem,
          'use an EC2 instance type name "<family><generation>[attributes].<size>", lowercase, e.g. "m6i.large" or "c7g.2xlarge"',
        );
      }
      checkInstanceTypeForAmi(where, this.amiType, type);
    }
  }

  private resolveScaling(where: string): { minSize: number; maxSize: number; desiredSize: number } {
    const s = this.scaling;
    const count = (field: string, value: number) => {
      if (isToken(value)) return;
      if (!Number.isInteger(value) || value < 0)
        fail(where, field, value, "is not a node count", "use a whole number, 0 or more");
    };
    if (s.mode === "fixed") {
      count("scaling.size", s.size);
      if (s.size === 0) {
        fail(
          where,
          "scaling.size",
          s.size,
          "can never run a node (EKS needs a maximum of at least 1)",
          'use at least 1, or { mode: "autoscaled", minSize: 0, maxSize: 1 } to park the group empty',
        );
      }
      return { minSize: s.size, maxSize: s.size, desiredSize: s.size };
    }
    if (s.mode !== "autoscaled") {
      fail(
        where,
        "scaling.mode",
        (s as { mode: unknown }).mode,
        "is not a scaling mode",
        'use "fixed" or "autoscaled"',
      );
    }
    const desiredSize = s.desiredSize ?? s.minSize;
    count("scaling.minSize", s.minSize);
    count("scaling.maxSize", s.maxSize);
    count("scaling.desiredSize", desiredSize);
    if (s.maxSize === 0) {
      fail(
        where,
        "scaling.maxSize",
        s.maxSize,
        "can never run a node (EKS needs a maximum of at least 1)",
        "use a maxSize of 1 or more; for an empty group use minSize 0 with maxSize 1 or more",
      );
    }
    if (!isToken(s.minSize) && !isToken(s.maxSize) && s.minSize > s.maxSize) {
      fail(
        where,
        "scaling.minSize",
        s.minSize,
        `is above scaling.maxSize ${s.maxSize}`,
        `lower minSize to at most ${s.maxSize} or raise maxSize`,
      );
    }
    if (!isToken(desiredSize) && !isToken(s.minSize) && desiredSize < s.minSize) {
      fail(
        where,
        "scaling.desiredSize",
        desiredSize,
        `is below scaling.minSize ${s.minSize}`,
        `raise desiredSize to at least ${s.minSize}, lower minSize, or leave desiredSize out (it defaults to minSize)`,
      );
    }
    if (!isToken(desiredSize) && !isToken(s.maxSize) && desiredSize > s.maxSize) {
      fail(
        where,
        "scaling.desiredSize",
        desiredSize,
        `is above scaling.maxSize ${s.maxSize}`,
        `lower desiredSize to at most ${s.maxSize} or raise maxSize`,
      );
    }
    return { minSize: s.minSize, maxSize: s.maxSize, desiredSize };
  }

  private checkLabels(where: string): void {
    // Labels only known at apply are checked by EKS; the keys and values of a literal map here.
    if (isToken(this.labels)) return;
    for (const [key, value] of Object.entries(this.labels)) {
      checkLabelKey(where, "labels key", key);
      if (!isToken(key) && isRestrictedNodeLabel(key)) {
        fail(
          where,
          "labels key",
          key,
          "is in the kubernetes.io/k8s.io namespace the kubelet may not set on its node, so nodes would never join",
          'use your own prefix (e.g. "example.com/role") or one under node.kubernetes.io/',
        );
      }
      checkLabelValue(where, `labels[${show(key)}]`, value);
    }
  }

  private resolveTaints(where: string): { key: string; value?: string; effect: string }[] {
    if (this.taints.length > MAX_TAINTS) {
      fail(
        where,
        "taints",
        `${this.taints.length} taints`,
        `is more than EKS allows per node group`,
        `use at most ${MAX_TAINTS}`,
      );
    }
    const resolved = this.taints.map((t, i) => {
      const effect = TAINT_EFFECTS[t.effect];
      if (!effect || !Object.prototype.hasOwnProperty.call(TAINT_EFFECTS, t.effect)) {
        fail(
          where,
          `taints[${i}].effect`,
          t.effect,
          "is not a taint effect",
          'use "NoSchedule", "PreferNoSchedule" or "NoExecute"',
        );
      }
      checkLabelKey(where, `taints[${i}].key`, t.key);
      if (t.value !== undefined) checkLabelValue(where, `taints[${i}].value`, t.value);
      return { key: t.key, value: t.value, effect };
    });
    const dups = duplicatesOf(resolved.map((t) => `${t.key}:${t.effect}`));
    if (dups.length > 0) {
      fail(
        where,
        "taints",
        dups[0],
        "is given more than once (same key and effect)",
        "keep one taint per key and effect",
      );
    }
    return resolved;
  }

  private resolveSubnets(where: string, props: NodeGroupProps): SubnetInfo[] {
    const subnets = selectSubnets(where, props.cluster.network, props, {
      allowPublic: props.allowPublicSubnets ?? false,
      publicSubnetFix:
        'use private subnets (cluster.network.subnetsOf("private")), or set allowPublicSubnets: true to accept nodes in public subnets',
      publicTierProblem: "puts nodes in public subnets",
      publicTierFix:
        'use "private" (the default) or "intra", or set allowPublicSubnets: true to accept nodes in public subnets',
      foreignSubnetFix: "pick subnets from cluster.network.subnetsOf(...)",
      emptyTier: {
        problem: "has no subnets in the cluster's network",
        fix: "create that tier in the network or choose another subnetTier",
      },
      empty: { problem: "is empty", fix: "give at least one subnet, ideally one per Availability Zone" },
    });
    const zones = new Set(subnets.map((s) => s.availabilityZone));
    if (zones.size === 1 && props.availabilityZones === undefined) {
      warn(
        this,
        where,
        `all subnets are in the single Availability Zone ${show([...zones][0])}: an outage of that AZ takes down every node of the group; use subnets in two or more AZs`,
      );
    }
    return subnets;
  }
}

const nodeGroupsOfCluster = new WeakMap<IEksCluster, ManagedNodeGroup[]>();

/** The node groups declared in this app for `cluster`, in declaration order. Read at synth. */
export function nodeGroupsOf(cluster: IEksCluster): readonly ManagedNodeGroup[] {
  return nodeGroupsOfCluster.get(cluster) ?? [];
}

const KUBERNETES_EFFECT: Record<string, Toleration["effect"]> = {
  NO_SCHEDULE: "NoSchedule",
  PREFER_NO_SCHEDULE: "PreferNoSchedule",
  NO_EXECUTE: "NoExecute",
};

/** The toleration a pod needs to run on a node with this taint. */
export function tolerationOf(taint: NodeTaint): Toleration {
  const effect = KUBERNETES_EFFECT[TAINT_EFFECTS[taint.effect]];
  return taint.value === undefined
    ? { key: taint.key, operator: "Exists", effect }
    : { key: taint.key, operator: "Equal", value: taint.value, effect };
}

/** Characters a node group / launch template name can't hold become "-". */
function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9\-_]/g, "-");
}

function defaultNamePrefix(id: string): string {
  const base = sanitize(id).replace(/^[^A-Za-z0-9]+/, "") || "nodes";
  return `${base.slice(0, NODE_GROUP_NAME_PREFIX_MAX - 1)}-`;
}
