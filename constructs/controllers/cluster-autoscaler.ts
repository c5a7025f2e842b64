import { Construct } from "constructs";
import { Release } from "@cdktf/provider-helm/lib/release";
import { PolicyDocument, ServiceAccountRole } from "../eks/service-account-role";
import { IEksCluster, NodePlacement } from "../eks/types";
import { checkChartVersion, HelmChartPin, lazyValues, placementValues } from "./helm";
import { checkGoDuration } from "../private/go-duration";
import { checkInteger, describe, fail, isToken } from "../private/validation";
import { CLUSTER_AUTOSCALER_VERSIONS } from "./cluster-autoscaler-versions";

/**
 * The chart repository and the pair of the default Kubernetes version. Every minor has its own
 * chart and image, pinned together in CLUSTER_AUTOSCALER_VERSIONS; the construct picks the row of
 * the cluster's minor and refuses a chartVersion/imageTag pair that isn't a row.
 */
export const CLUSTER_AUTOSCALER_CHART: HelmChartPin = {
  repository: "https://kubernetes.github.io/autoscaler",
  chart: "cluster-autoscaler",
  version: "9.59.1",
  appVersion: "1.35.0",
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
   * A Go duration ("10m", "1h30m", "1.5h").
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
  /**
   * Chart version. With imageTag, it must be the pair CLUSTER_AUTOSCALER_VERSIONS pins for the
   * cluster's minor (a chart whose ClusterRole grants what that autoscaler needs).
   * @default - the chartVersion of the cluster's minor in CLUSTER_AUTOSCALER_VERSIONS
   */
  readonly chartVersion?: string;
  /**
   * Image tag. With chartVersion, it must be the pair CLUSTER_AUTOSCALER_VERSIONS pins for the
   * cluster's minor.
   * @default - the imageTag of the cluster's minor in CLUSTER_AUTOSCALER_VERSIONS
   */
  readonly imageTag?: string;
  /**
   * How a node group is chosen. "least-waste" picks the group that leaves the least CPU and
   * memory idle after the pending pods are placed: the cheapest choice without a price table,
   * and it needs no extra configuration ("priority" needs expanderPriorities; "price" is refused:
   * the autoscaler's AWS provider has no pricing model).
   * @default "least-waste"
   */
  readonly expander?: ClusterAutoscalerExpander;
  /**
   * The priority expander's priorities: node group name regexes (RE2) by priority, highest first
   * tried (the chart's `expanderPriorities`, rendered as the cluster-autoscaler-priority-expander
   * ConfigMap). Required with expander "priority" and refused without it: without the ConfigMap
   * the priority expander picks at random, and with another expander the priorities are ignored.
   * @default - none
   */
  readonly expanderPriorities?: Record<number, string[]>;
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
  /** The priority expander's priorities (expander "priority" only). */
  public readonly expanderPriorities?: Record<number, string[]>;
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
    const pair = resolvePair(where, cluster, props.chartVersion, props.imageTag);
    this.chartVersion = pair.chartVersion;
    this.imageTag = pair.imageTag;
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
    this.expanderPriorities = checkExpanderPriorities(where, this.expander, props);
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
    // The autoscaler reads both with pflag's DurationVar (time.ParseDuration): "1h30m", "90s", "1.5h".
    checkGoDuration(where, "scaleDown.unneededTime", this.scaleDown.unneededTime);
    checkGoDuration(where, "scaleDown.delayAfterAdd", this.scaleDown.delayAfterAdd);
    this.replicas = props.replicas ?? 2;
    checkInteger(where, "replicas", this.replicas, 1, 5);

    this.role = new ServiceAccountRole(this, "role", {
      cluster,
      namespace: CLUSTER_AUTOSCALER_NAMESPACE,
      serviceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
      // Pod Identity where the cluster runs its agent, IRSA elsewhere (an adopted cluster): the
      // role's own default, so an adopted cluster without the agent still gets credentials.
      policyDocument: clusterAutoscalerPolicy(cluster.name),
    });

    const irsaRoleArn = this.role.mechanism === "irsa" ? this.role.roleArn : undefined;
    const chosen = {
      expander: this.expander,
      balance: this.balanceSimilarNodeGroups,
      scaleDown: this.scaleDown,
      replicas: this.replicas,
      image: this.imageTag,
      priorities: this.expanderPriorities,
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
          rbac: {
            serviceAccount: {
              create: true,
              name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
              // IRSA: the web identity token is mounted for service accounts annotated with the role.
              ...(irsaRoleArn ? { annotations: { "eks.amazonaws.com/role-arn": irsaRoleArn } } : {}),
            },
          },
          replicaCount: chosen.replicas,
          ...(chosen.priorities ? { expanderPriorities: chosen.priorities } : {}),
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
 * The expander's own settings, refused where they would be ignored or missing:
 * - "price" needs the cloud provider's pricing model, and the AWS provider has none
 *   (kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/aws_cloud_provider.go: Pricing()
 *   returns cloudprovider.ErrNotImplemented; expander/factory/expander_factory.go returns that
 *   error, so the autoscaler doesn't start). FAQ: "price ... works only for GCE, GKE and Equinix
 *   Metal".
 * - "priority" reads the cluster-autoscaler-priority-expander ConfigMap, which the chart renders
 *   only from a non-empty `expanderPriorities` (charts/cluster-autoscaler/templates/
 *   priority-expander-configmap.yaml); without it the expander has nothing to rank by.
 * - priorities with another expander are ignored (the chart renders the ConfigMap only when the
 *   expander list contains "priority").
 * Priorities given through `values.expanderPriorities` count too.
 */
function checkExpanderPriorities(
  where: string,
  expander: ClusterAutoscalerExpander,
  props: ClusterAutoscalerProps,
): Record<number, string[]> | undefined {
  const viaValues = props.values?.expanderPriorities;
  const given = props.expanderPriorities;
  if (expander === "price") {
    fail(
      where,
      "expander",
      expander,
      "needs a pricing model, and the autoscaler's AWS provider has none (it doesn't start with this expander)",
      'use "least-waste" (the default), or "priority" with expanderPriorities to prefer cheaper node groups',
    );
  }
  if (given !== undefined && viaValues !== undefined) {
    fail(
      where,
      "values.expanderPriorities",
      viaValues,
      "is given twice (also as expanderPriorities)",
      "give the priorities once, as expanderPriorities",
    );
  }
  if (given !== undefined && !isToken(given)) {
    const entries = Object.entries(given);
    for (const [priority, groups] of entries) {
      if (!/^-?\d+$/.test(priority)) {
        fail(
          where,
          "expanderPriorities",
          given,
          `has priority ${JSON.stringify(priority)}, which is not a whole number`,
          'key the node group patterns by whole numbers, e.g. { 10: [".*spot.*"], 1: [".*"] }',
        );
      }
      if (!Array.isArray(groups) || groups.length === 0) {
        fail(
          where,
          `expanderPriorities[${priority}]`,
          groups,
          "lists no node group pattern",
          'give at least one regular expression matching node group names, e.g. [".*spot.*"]',
        );
      }
    }
    if (entries.length === 0) {
      fail(
        where,
        "expanderPriorities",
        given,
        "is empty, so the chart renders no priority ConfigMap",
        'give node group patterns by priority, e.g. { 10: [".*spot.*"], 1: [".*"] }',
      );
    }
  }
  const hasPriorities =
    (given !== undefined && (isToken(given) || Object.keys(given).length > 0)) ||
    (viaValues !== undefined &&
      viaValues !== null &&
      (typeof viaValues !== "object" || isToken(viaValues) || Object.keys(viaValues).length > 0));
  if (expander === "priority" && !hasPriorities) {
    fail(
      where,
      "expander",
      expander,
      "needs priorities, but expanderPriorities is not set, so the chart creates no cluster-autoscaler-priority-expander ConfigMap and the expander has nothing to rank node groups by",
      'give expanderPriorities, e.g. { 10: [".*spot.*"], 1: [".*"] }, or use "least-waste"',
    );
  }
  if (expander !== "priority" && given !== undefined) {
    fail(
      where,
      "expanderPriorities",
      given,
      `is only read by the "priority" expander, and expander is "${expander}", so it would be ignored`,
      'set expander: "priority", or remove expanderPriorities',
    );
  }
  return given;
}

/**
 * The chart version and image tag: the row of the cluster's minor, or the pair given, which must
 * be a row (of the cluster's minor when that is known at synth). Values known only at apply pass.
 */
function resolvePair(
  where: string,
  cluster: IEksCluster,
  chartVersion: string | undefined,
  imageTag: string | undefined,
): { chartVersion: string; imageTag: string } {
  const minor = cluster.kubernetesVersion;
  const row = CLUSTER_AUTOSCALER_VERSIONS.find((v) => v.kubernetesVersion === minor);
  const pairs = CLUSTER_AUTOSCALER_VERSIONS.map(
    (v) => `${v.kubernetesVersion}: chart ${v.chartVersion} + image ${v.imageTag}`,
  ).join("; ");
  if (chartVersion !== undefined) checkChartVersion(where, "chartVersion", chartVersion);
  const chosen = { chartVersion: chartVersion ?? row?.chartVersion, imageTag: imageTag ?? row?.imageTag };
  if (chosen.chartVersion === undefined || chosen.imageTag === undefined) {
    fail(
      where,
      chosen.imageTag === undefined ? "imageTag" : "chartVersion",
      undefined,
      `has no default for Kubernetes ${minor} (cluster "${cluster.name}"): the chart and the autoscaler are pinned per minor, and ${minor} has no tested pair`,
      `use a cluster version of ${CLUSTER_AUTOSCALER_VERSIONS.map((v) => v.kubernetesVersion).join(", ")}, or add the pair to CLUSTER_AUTOSCALER_VERSIONS with its vendored chart files (docs/controllers.md, "Controllers")`,
    );
  }
  const resolved = { chartVersion: chosen.chartVersion, imageTag: chosen.imageTag };
  if (isToken(resolved.chartVersion) || isToken(resolved.imageTag)) return resolved;
  const inTable = CLUSTER_AUTOSCALER_VERSIONS.filter(
    (v) => v.chartVersion === resolved.chartVersion && v.imageTag === resolved.imageTag,
  );
  const forMinor = isToken(minor) ? inTable : inTable.filter((v) => v.kubernetesVersion === minor);
  if (forMinor.length === 0) {
    fail(
      where,
      "chartVersion/imageTag",
      `${resolved.chartVersion} + ${resolved.imageTag}`,
      `is not a tested pair${isToken(minor) ? "" : ` for Kubernetes ${minor} (cluster "${cluster.name}")`}: a chart whose ClusterRole lacks what that autoscaler lists deploys, reports healthy and never scales`,
      `leave both out for the pinned pair, or use one of ${pairs}`,
    );
  }
  return resolved;
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
