export * from "./container";
export * from "./volume";
export * from "./workload";
export * from "./deployment-workload";
export * from "./deployment-options";
export * from "./job-options";
export * from "./load-balancing";
export * from "./network-rules";
export * from "./namespace";
export * from "./secret";
export * from "./storage-class";
export * from "./web-service";
export * from "./worker";
export * from "./cron-job";
export * from "./job";
export * from "./stateful-service";
export * from "./daemon-set";
export { ARCHITECTURES } from "./placement";
export type {
  AntiAffinityMode,
  Architecture,
  NodeRequirement,
  PlacementOptions,
  PodCapacityType,
  PreferredNodeRequirements,
} from "./placement";
export { API_VERBS, WorkloadApiAccess } from "./api-access";
export type { ApiAccess, ApiAccessProps, ApiRule, ApiVerb } from "./api-access";
export { VerticalPodAutoscaler } from "./vertical-pod-autoscaler";
export type {
  IVerticalPodAutoscaling,
  VerticalPodAutoscalerOptions,
  VerticalPodAutoscalerProps,
  VpaContainerOptions,
  VpaControlledValues,
  VpaResource,
  VpaResourceBounds,
  VpaTarget,
  VpaTargetKind,
  VpaUpdateMode,
} from "./vertical-pod-autoscaler";
export { DRAIN_DEFAULTS, READINESS_GATE_LABEL } from "./load-balancer-drain";
export type { LoadBalancerDrainOptions, PreStopWait, ResolvedDrain } from "./load-balancer-drain";
