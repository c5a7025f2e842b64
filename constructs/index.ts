// The public construct API: import from here, or from one area ("./constructs/eks").
// Each area's index names what it exports; test/reuse/public-api.test.ts pins the list.
export type { RemovalPolicy } from "./core/removal-policy";
export * from "./network";
export * from "./eks";
export * from "./registry";
export * from "./workloads";
// VPA objects: a new file of the workloads area (its index re-exports it once the workloads wire it in).
export { VerticalPodAutoscaler } from "./workloads/vertical-pod-autoscaler";
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
} from "./workloads/vertical-pod-autoscaler";
export * from "./controllers";
export * from "./policy";
export * from "./report";
export * from "./stacks";
export { ValidationError } from "./core/errors";
