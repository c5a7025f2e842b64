import type { VerticalPodAutoscalerOptions } from "./vertical-pod-autoscaler";
import { WorkloadOptions } from "./workload";

/** HorizontalPodAutoscaler (autoscaling/v2) settings: utilization is a percentage of the requests. */
export interface AutoscalingOptions {
  /** @default 2 (one pod can be lost to a node drain or an AZ outage) */
  readonly minReplicas?: number;
  /** @default 10 (or minReplicas, when larger) */
  readonly maxReplicas?: number;
  /** Target average CPU utilization, 1-100 % of the request; false for none. @default 70 */
  readonly cpuUtilization?: number | false;
  /** Target average memory utilization, 1-100 % of the request; false for none. @default 80 */
  readonly memoryUtilization?: number | false;
}

/** Rolling update and rollback settings. */
export interface RolloutOptions {
  /** Extra pods during a rollout (count or percentage; above "100%" is valid). @default "25%" */
  readonly maxSurge?: number | string;
  /** Pods that may be unavailable during a rollout. @default 0 (capacity never drops during a deploy) */
  readonly maxUnavailable?: number | string;
  /** Old ReplicaSets kept for `kubectl rollout undo`, 0 to 100 (0: none, no undo). @default 10 */
  readonly revisionHistoryLimit?: number;
}

/** A PodDisruptionBudget: give one of the two. */
export interface DisruptionBudgetOptions {
  /** @default 1 */
  readonly maxUnavailable?: number | string;
  /** Must be below the (minimum) replica count, or node drains hang. @default - unset */
  readonly minAvailable?: number | string;
}

/** What WebService and Worker share on top of the workload options. */
export interface DeploymentWorkloadOptions extends WorkloadOptions {
  /** `false` for a fixed replica count. @default - see AutoscalingOptions */
  readonly autoscaling?: AutoscalingOptions | false;
  /** Fixed replica count (only with autoscaling: false). @default 2 */
  readonly replicas?: number;
  /** `false` for no PodDisruptionBudget. @default { maxUnavailable: 1 } */
  readonly disruptionBudget?: DisruptionBudgetOptions | false;
  /** @default - see RolloutOptions */
  readonly rollout?: RolloutOptions;
  /**
   * A VerticalPodAutoscaler for the Deployment (needs the cluster's Vertical Pod Autoscaler, e.g.
   * ClusterControllers' verticalPodAutoscaler). `{}` recommends only (updateMode "Off"). An
   * updating mode is refused on a resource the HPA scales on (the default HPA scales on cpu and
   * memory: use controlledResources ["memory"] with autoscaling.memoryUtilization false), with
   * bounds outside the namespace's LimitRange, or where the namespace quota could refuse a
   * resized pod.
   * @default - none
   */
  readonly verticalPodAutoscaler?: VerticalPodAutoscalerOptions;
}
