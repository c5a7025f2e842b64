export * from "./alb-controller-iam-policy";
export * from "./aws-load-balancer-controller";
export * from "./cluster-autoscaler";
export * from "./auto-mode-load-balancing";
export * from "./auto-mode-network-policy";
export * from "./cluster-controllers";
export * from "./cluster-autoscaler-versions";
export * from "./existing-load-balancer-controller";
