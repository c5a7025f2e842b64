import { Construct } from "constructs";
import { Release } from "@cdktf/provider-helm/lib/release";
import { PolicyDocument, ServiceAccountRole } from "../eks/service-account-role";
import { IEksCluster, NodePlacement } from "../eks/types";
import { checkChartVersion, HelmChartPin, lazyValues, placementValues } from "../private/helm";
import { checkInteger, describe, fail, isToken } from "../private/validation";

/**
 * The chart pinned by default: cluster-autoscaler 9.52.1 from the kubernetes/autoscaler chart
 * repository. The chart's own default image follows its appVersion; we always set the image
 * tag from the cluster's Kubernetes minor (CLUSTER_AUTOSCALER_IMAGE_TAGS) instead.
 */
export const CLUSTER_AUTOSCALER_CHART: HelmChartPin = {
  repository: "https://kubernetes.github.io/autoscaler",
  chart: "cluster-autoscaler",
  version: "9.52.1",
  appVersion: "1.34.1",
};

/**
 * Cluster Autoscaler image tag per Kubernetes minor. The autoscaler simulates the scheduler of
 * the release it was built with, so its minor must match the cluster's (the project tests no
 * other combination). Bump the patch deliberately; add a minor when the cluster default moves.
 */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<string, string>> = {
  "1.31": "v1.31.4",
  "1.32": "v1.32.3",
  "1.33": "v1.33.1",
  "1.34": "v1.34.0",
  "1.35": "v1.35.0",
};

export const CLUSTER_AUTOSCALER_NAMESPACE = "kube-system";
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler";

/** The expanders: how the autoscaler picks a node group when several could fit the pending pods. */
export type ClusterAutoscalerExpander = "least-waste" | "priority" | "random" | "most-pods" | "price";
export const CLUSTER_AUTOSCALER_EXPANDERS: readonly ClusterAutoscalerExpander[] = [
  "least-waste",
  "priority",
  "random",
  "most-pods",
  "price",
];

/** Scale-down behaviour. Each default is the upstream default, pinned so a chart bump can't change it silently. */
export interface ClusterAutoscalerScaleDown {
  /**
   * A node below this share of requested CPU and memory is a scale-down candidate.
   * @default 0.5
   */
  readonly utilizationThreshold?: number;
  /**
   * How long a node must stay unneeded before it is removed: long enough to ride out a
   * deploy's surge or a short dip, short enough that idle spot capacity stops billing.
   * @default "10m"
   */
  readonly unneededTime?: string;
  /**
   * No scale-down for this long after a scale-up, so fresh capacity isn't removed while the
   * pods that asked for it are still being scheduled.
   * @default "10m"
   */
  readonly delayAfterAdd?: string;
  /**
   * Whether nodes running pods with local storage (emptyDir) may be removed. Our workloads
   * mount an in-memory emptyDir at /tmp (read-only root filesystem), so `true` (upstream's
   * default) would keep almost every node forever. Data in emptyDir is scratch by definition.
   * @default false
   */
  readonly skipNodesWithLocalStorage?: boolean;
}

export interface ClusterAutoscalerOptions {
  /** @default CLUSTER_AUTOSCALER_CHART.version ("9.52.1") */
  readonly chartVersion?: string;
  /**
   * Image tag. Must be for the cluster's Kubernetes minor.
   * @default - CLUSTER_AUTOSCALER_IMAGE_TAGS[cluster.kubernetesVersion]
   */
  readonly imageTag?: string;
  /**
   * How a node group is chosen. "least-waste" picks the group that leaves the least CPU and
   * memory idle after the pending pods are placed: the cheapest choice without a price table,
   * and it needs no extra configuration ("priority" needs a priority ConfigMap).
   * @default "least-waste"
   */
  readonly expander?: ClusterAutoscalerExpander;
  /**
   * Keep similar node groups (same instance shape and labels, e.g. one per AZ) at equal size,
   * so a zone outage takes out a fair share, not most, of the capacity.
   * @default true
   */
  readonly balanceSimilarNodeGroups?: boolean;
  /** @default - see ClusterAutoscalerScaleDown */
  readonly scaleDown?: ClusterAutoscalerScaleDown;
  /**
   * Replicas; they elect a leader, so a second one only takes over when the first is gone.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Where the autoscaler runs: on the system nodes, which it never scales away from under itself.
   * @default - the cluster's systemNodePlacement, read at synth (undefined: anywhere)
   */
  readonly placement?: NodePlacement;
  /**
   * Further chart values, merged over ours at the top level.
   * @default - none
   */
  readonly values?: Record<string, unknown>;
}

export interface ClusterAutoscalerProps extends ClusterAutoscalerOptions {
  readonly cluster: IEksCluster;
  /** AWS region of the cluster's Auto Scaling groups. */
  readonly region: string;
}

const DURATION = /^\d+(s|m|h)$/;

/**
 * Kubernetes Cluster Autoscaler for managed node groups: finds the groups by the Auto Scaling
 * group tags EKS puts on every managed node group (k8s.io/cluster-autoscaler/enabled and
 * k8s.io/cluster-autoscaler/<cluster name>), so node groups added later need no change here.
 * Its role may only change the desired capacity of, and terminate instances in, groups that
 * carry this cluster's tag.
 */
export class ClusterAutoscaler extends Construct {
  public readonly chartVersion: string;
  public readonly imageTag: string;
  public readonly expander: ClusterAutoscalerExpander;
  public readonly balanceSimilarNodeGroups: boolean;
  public readonly scaleDown: Required<ClusterAutoscalerScaleDown>;
  public readonly replicas: number;
  public readonly role: ServiceAccountRole;
  public readonly release: Release;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    const where = describe("ClusterAutoscaler", id);
    const cluster = props.cluster;
    if (cluster.computeMode === "auto") {
      fail(
        where,
        "cluster.computeMode",
        cluster.computeMode,
        `means EKS Auto Mode scales cluster "${cluster.name}" itself and it has no node groups to scale`,
        "leave the autoscaler out on Auto Mode clusters (ClusterControllers does)",
      );
    }
    this.chartVersion = props.chartVersion ?? CLUSTER_AUTOSCALER_CHART.version;
    checkChartVersion(where, "chartVersion", this.chartVersion);
    const tag = props.imageTag ?? CLUSTER_AUTOSCALER_IMAGE_TAGS[cluster.kubernetesVersion];
    if (tag === undefined) {
      fail(
        where,
        "imageTag",
        undefined,
        `has no default for Kubernetes ${cluster.kubernetesVersion} (cluster "${cluster.name}"): the autoscaler's minor must match the cluster's`,
        `pass imageTag "v${cluster.kubernetesVersion}.<patch>" of a released Cluster Autoscaler, or use a cluster version of ${Object.keys(CLUSTER_AUTOSCALER_IMAGE_TAGS).join(", ")}`,
      );
    }
    this.imageTag = tag;
    const minor = /^v?(\d+\.\d+)\.\d+/.exec(tag)?.[1];
    if (!isToken(tag) && !isToken(cluster.kubernetesVersion) && minor !== cluster.kubernetesVersion) {
      fail(
        where,
        "imageTag",
        tag,
        `is not for Kubernetes ${cluster.kubernetesVersion}, the version of cluster "${cluster.name}": the autoscaler would simulate another scheduler`,
        `use a v${cluster.kubernetesVersion}.<patch> tag`,
      );
    }
    this.expander = props.expander ?? "least-waste";
    if (!CLUSTER_AUTOSCALER_EXPANDERS.includes(this.expander)) {
      fail(
        where,
        "expander",
        this.expander,
        "is not an expander",
        `use one of ${CLUSTER_AUTOSCALER_EXPANDERS.join(", ")}`,
      );
    }
    this.balanceSimilarNodeGroups = props.balanceSimilarNodeGroups ?? true;
    const sd = props.scaleDown ?? {};
    this.scaleDown = {
      utilizationThreshold: sd.utilizationThreshold ?? 0.5,
      unneededTime: sd.unneededTime ?? "10m",
      delayAfterAdd: sd.delayAfterAdd ?? "10m",
      skipNodesWithLocalStorage: sd.skipNodesWithLocalStorage ?? false,
    };
    const threshold = this.scaleDown.utilizationThreshold;
    if (!(threshold > 0 && threshold <= 1)) {
      fail(
        where,
        "scaleDown.utilizationThreshold",
        threshold,
        "is out of range",
        "use a fraction above 0 and up to 1, e.g. 0.5",
      );
    }
    for (const field of ["unneededTime", "delayAfterAdd"] as const) {
      if (!DURATION.test(this.scaleDown[field])) {
        fail(
          where,
          `scaleDown.${field}`,
          this.scaleDown[field],
          "is not a duration",
          'use a number with s, m or h, e.g. "10m"',
        );
      }
    }
    this.replicas = props.replicas ?? 2;
    checkInteger(where, "replicas", this.replicas, 1, 5);

    this.role = new ServiceAccountRole(this, "role", {
      cluster,
      namespace: CLUSTER_AUTOSCALER_NAMESPACE,
      serviceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
      mechanism: "pod-identity",
      policyDocument: clusterAutoscalerPolicy(cluster.name),
    });

    const chosen = {
      expander: this.expander,
      balance: this.balanceSimilarNodeGroups,
      scaleDown: this.scaleDown,
      replicas: this.replicas,
      image: this.imageTag,
    };
    this.release = new Release(this, "release", {
      name: "cluster-autoscaler",
      namespace: CLUSTER_AUTOSCALER_NAMESPACE,
      repository: CLUSTER_AUTOSCALER_CHART.repository,
      chart: CLUSTER_AUTOSCALER_CHART.chart,
      version: this.chartVersion,
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
      values: [
        lazyValues(() => ({
          cloudProvider: "aws",
          awsRegion: props.region,
          // --node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/<name>
          autoDiscovery: { clusterName: cluster.name },
          image: { tag: chosen.image },
          rbac: { serviceAccount: { create: true, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } },
          replicaCount: chosen.replicas,
          podDisruptionBudget: { maxUnavailable: 1 },
          // Evicting the autoscaler mid scale-up loses its in-flight decisions.
          priorityClassName: "system-cluster-critical",
          extraArgs: {
            expander: chosen.expander,
            "balance-similar-node-groups": chosen.balance,
            "scale-down-utilization-threshold": chosen.scaleDown.utilizationThreshold,
            "scale-down-unneeded-time": chosen.scaleDown.unneededTime,
            "scale-down-delay-after-add": chosen.scaleDown.delayAfterAdd,
            "skip-nodes-with-local-storage": chosen.scaleDown.skipNodesWithLocalStorage,
            // kube-system pods (coredns, controllers) keep their nodes: the upstream default, pinned.
            "skip-nodes-with-system-pods": true,
          },
          ...placementValues(props.placement ?? cluster.systemNodePlacement),
          ...(props.values ?? {}),
        })),
      ],
      dependsOn: [
        ...this.role.policies,
        ...(this.role.podIdentityAssociation ? [this.role.podIdentityAssociation] : []),
      ],
    });
  }
}

/**
 * The least-privilege policy of the Cluster Autoscaler's AWS documentation: read-only calls on
 * "*" (they take no resource-level permissions), and the two calls that change capacity only
 * on Auto Scaling groups tagged for this cluster. EKS tags every managed node group's ASG for
 * auto-discovery (EKS user guide, "Simplify node lifecycle with managed node groups"); the
 * condition asks for both tag keys to be present, the same test auto-discovery applies
 * ("it does not matter what value the tags have", autoscaler AWS README).
 */
export function clusterAutoscalerPolicy(clusterName: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ScaleOwnNodeGroups",
        Effect: "Allow",
        Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        Resource: "*",
        Condition: {
          Null: {
            "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "false",
            [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "false",
          },
        },
      },
      {
        Sid: "Discover",
        Effect: "Allow",
        Action: [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeAutoScalingInstances",
          "autoscaling:DescribeLaunchConfigurations",
          "autoscaling:DescribeScalingActivities",
          "autoscaling:DescribeTags",
          "ec2:DescribeImages",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:GetInstanceTypesFromInstanceRequirements",
          "eks:DescribeNodegroup",
        ],
        Resource: "*",
      },
    ],
  };
}
