export * from "./alb-controller-iam-policy";
export * from "./aws-load-balancer-controller";
export * from "./cluster-autoscaler";
export * from "./auto-mode-load-balancing";
export * from "./auto-mode-network-policy";
export * from "./cluster-controllers";
export * from "./cluster-autoscaler-versions";
export * from "./existing-load-balancer-controller";
export { VPA_CHART, VerticalPodAutoscalerController, ExistingVerticalPodAutoscaler } from "./vertical-pod-autoscaler";
export type {
  VerticalPodAutoscalerControllerOptions,
  VerticalPodAutoscalerControllerProps,
  ExistingVerticalPodAutoscalerOptions,
  VerticalPodAutoscalerChoice,
} from "./vertical-pod-autoscaler";
