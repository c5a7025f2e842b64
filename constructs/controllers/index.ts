// The public controllers API: constructs, their props and enums (named, see eks/index.ts).
export { AwsLoadBalancerController } from "./aws-load-balancer-controller";
export type { AwsLoadBalancerControllerOptions, AwsLoadBalancerControllerProps } from "./aws-load-balancer-controller";
export { CLUSTER_AUTOSCALER_EXPANDERS, ClusterAutoscaler, clusterAutoscalerPolicy } from "./cluster-autoscaler";
export type {
  ClusterAutoscalerExpander,
  ClusterAutoscalerOptions,
  ClusterAutoscalerProps,
  ClusterAutoscalerScaleDown,
} from "./cluster-autoscaler";
export { AutoModeLoadBalancing } from "./auto-mode-load-balancing";
export type {
  AutoModeAlbScheme,
  AutoModeLoadBalancingOptions,
  AutoModeLoadBalancingProps,
} from "./auto-mode-load-balancing";
export { AutoModeNetworkPolicy } from "./auto-mode-network-policy";
export { ClusterControllers } from "./cluster-controllers";
export type { ClusterControllersOptions, ClusterControllersProps } from "./cluster-controllers";
export { ExistingLoadBalancerController } from "./existing-load-balancer-controller";
export type {
  ExistingLoadBalancerControllerOptions,
  ExistingLoadBalancerControllerProps,
} from "./existing-load-balancer-controller";
export { VerticalPodAutoscalerController, ExistingVerticalPodAutoscaler } from "./vertical-pod-autoscaler";
export type {
  VerticalPodAutoscalerControllerOptions,
  VerticalPodAutoscalerControllerProps,
  ExistingVerticalPodAutoscalerOptions,
  VerticalPodAutoscalerChoice,
} from "./vertical-pod-autoscaler";
