/**
 * The Cluster Autoscaler pairs this project installs: per Kubernetes minor, one chart version
 * and one image tag, moved together. The autoscaler simulates the scheduler of the release it was
 * built from, so its minor must be the cluster's; the chart's ClusterRole must grant what that
 * autoscaler lists and watches, so the chart must be one built for that minor (its appVersion).
 *
 * Why not "newest chart, image per minor": chart 9.52.1 (appVersion 1.34.1) with image v1.35.0
 * deployed, reported success, and never scaled. Autoscaler 1.35 always runs its Dynamic Resource
 * Allocation support and lists resource.k8s.io resourceslices, deviceclasses and resourceclaims;
 * 9.52.1's ClusterRole doesn't grant them (upstream added them in chart 9.54.0), so the informers
 * get 403 and never sync, while the health check still answers 200.
 *
 * Facts, read 2026-12-07 (see test/controllers/charts/README.md for the vendored copies):
 * - chart version -> appVersion: the chart repository's index (kubernetes/autoscaler, branch
 *   gh-pages, index.yaml), and Chart.yaml of cluster-autoscaler/charts/cluster-autoscaler;
 * - image tags: the autoscaler's GitHub releases (cluster-autoscaler-<version>), the same tags
 *   kubernetes/kops pins per minor (pkg/model/components/clusterautoscaler.go).
 * No chart with appVersion 1.36 had been published: there is no 1.36 row yet.
 *
 * Moving forward (a new minor, or a newer chart for one): add or change the row, vendor the
 * chart's Chart.yaml, values.yaml and templates/clusterrole.yaml into
 * test/controllers/charts/cluster-autoscaler-<version>/ with a SOURCE.md, and extend
 * CLUSTER_AUTOSCALER_RBAC_NEEDS when the new autoscaler lists or watches something new.
 */
export interface ClusterAutoscalerVersion {
  /** The cluster's Kubernetes minor, "1.<minor>". */
  readonly kubernetesVersion: string;
  /** The cluster-autoscaler chart version (exact). */
  readonly chartVersion: string;
  /** The chart's appVersion: the autoscaler release it was built for. */
  readonly chartAppVersion: string;
  /** The image tag installed (registry.k8s.io/autoscaling/cluster-autoscaler). */
  readonly imageTag: string;
}

export const CLUSTER_AUTOSCALER_VERSIONS: readonly ClusterAutoscalerVersion[] = [
  // 1.31-1.33: the last chart of each appVersion line, with the image patch kops pins for that minor.
  // 1.34: 9.52.1 (appVersion 1.34.1), its own image; it needs nothing of resource.k8s.io (DRA is
  // opt-in before 1.35). 1.35: the first charts that grant resource.k8s.io are 9.54.0 and later.
  { kubernetesVersion: "1.31", chartVersion: "9.44.0", chartAppVersion: "1.31.0", imageTag: "v1.31.4" },
  { kubernetesVersion: "1.32", chartVersion: "9.46.6", chartAppVersion: "1.32.0", imageTag: "v1.32.3" },
  { kubernetesVersion: "1.33", chartVersion: "9.51.0", chartAppVersion: "1.33.0", imageTag: "v1.33.1" },
  { kubernetesVersion: "1.34", chartVersion: "9.52.1", chartAppVersion: "1.34.1", imageTag: "v1.34.1" },
  { kubernetesVersion: "1.35", chartVersion: "9.59.1", chartAppVersion: "1.35.0", imageTag: "v1.35.0" },
];

/** One permission an autoscaler release needs from its ClusterRole, and why (where it was read). */
export interface ClusterAutoscalerRbacNeed {
  /** The first autoscaler minor that needs it, "1.<minor>". */
  readonly sinceMinor: string;
  readonly apiGroup: string;
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly why: string;
}

/**
 * What the autoscaler lists, watches or writes, by the release that started doing it. A chart
 * pinned for a minor must grant every need whose sinceMinor is at or below it (tested against the
 * vendored ClusterRole). Sources, read 2026-12-07: kubernetes/autoscaler issue #9244 and PR #10278
 * ("Since 1.35, --enable-dynamic-resource-allocation defaults to true and is locked on ... always
 * lists/watches deviceclasses, resourceslices and resourceclaims"); issue #8678 and
 * lablabs/terraform-aws-eks-cluster-autoscaler#36 (volumeattachments, 1.32 logs 403, 1.33 stops
 * scaling); the chart's ClusterRole since 9.x for the rest.
 */
export const CLUSTER_AUTOSCALER_RBAC_NEEDS: readonly ClusterAutoscalerRbacNeed[] = [
  {
    sinceMinor: "1.31",
    apiGroup: "",
    resources: ["nodes"],
    verbs: ["get", "list", "watch", "update"],
    why: "reads nodes and taints the ones it scales down",
  },
  {
    sinceMinor: "1.31",
    apiGroup: "",
    resources: ["pods", "services", "namespaces", "persistentvolumeclaims", "persistentvolumes"],
    verbs: ["get", "list", "watch"],
    why: "simulates scheduling of pending pods",
  },
  { sinceMinor: "1.31", apiGroup: "", resources: ["pods/eviction"], verbs: ["create"], why: "drains nodes" },
  {
    sinceMinor: "1.31",
    apiGroup: "coordination.k8s.io",
    resources: ["leases"],
    verbs: ["create"],
    why: "leader election between its replicas",
  },
  {
    sinceMinor: "1.31",
    apiGroup: "storage.k8s.io",
    resources: ["storageclasses", "csinodes", "csidrivers", "csistoragecapacities"],
    verbs: ["get", "list", "watch"],
    why: "the scheduler's volume predicates",
  },
  {
    sinceMinor: "1.32",
    apiGroup: "storage.k8s.io",
    resources: ["volumeattachments"],
    verbs: ["list", "watch"],
    why: "the scheduler's CSI volume limits informer (403 from 1.32; no scaling from 1.33)",
  },
  {
    sinceMinor: "1.35",
    apiGroup: "resource.k8s.io",
    resources: ["resourceslices", "deviceclasses", "resourceclaims"],
    verbs: ["list", "watch"],
    why: "Dynamic Resource Allocation is always on from 1.35; without it the informers never sync and it never scales",
  },
];
