import { ITerraformDependable } from "cdktf";
import { IConstruct } from "constructs";
import { StackSingleton } from "../private/stack-singleton";

/**
 * What turns Ingresses and `LoadBalancer` Services into AWS load balancers in a cluster:
 * the AWS Load Balancer Controller (a Helm release on managed compute), or EKS Auto Mode's
 * built-in load balancing. Workloads that expose themselves through a load balancer find it
 * with `loadBalancingOf(scope)` at synth, so the order constructs are written in doesn't matter.
 */
export interface ILoadBalancing extends IConstruct {
  /** The IngressClass ALB Ingresses use (e.g. "alb"). */
  readonly albIngressClassName: string;
  /**
   * The `spec.loadBalancerClass` of NLB Services: "service.k8s.aws/nlb" for the controller,
   * "eks.amazonaws.com/nlb" for Auto Mode.
   */
  readonly nlbLoadBalancerClass: string;
  /**
   * What Ingresses and LoadBalancer Services depend on (the controller's release, the
   * IngressClass). On destroy Terraform then deletes them first, while the controller still
   * runs to delete the load balancers; otherwise they linger and block the VPC's deletion.
   */
  readonly dependables: ITerraformDependable[];
  /**
   * Whether the controller injects pod readiness gates into pods of namespaces labelled
   * `elbv2.k8s.aws/pod-readiness-gate-inject: enabled` (the AWS Load Balancer Controller's pod
   * webhook). EKS Auto Mode's load balancing has none (aws/containers-roadmap#2511, open): its
   * exposed workloads get minReadySeconds instead.
   * @default false
   */
  readonly podReadinessGates?: boolean;
  /**
   * The scheme every ALB of the IngressClass gets (its IngressClassParams' `scheme`), which
   * overrides an Ingress's own `alb.ingress.kubernetes.io/scheme` (load balancer controller
   * v2.14.1 pkg/ingress/model_build_load_balancer.go, buildLoadBalancerScheme): an Ingress that
   * asks for another scheme is refused at synth.
   * @default - none: each Ingress chooses its scheme
   */
  readonly albScheme?: "internal" | "internet-facing";
}

const registered = new StackSingleton<ILoadBalancing>(
  "load balancing",
  "is a second controller",
  "a cluster gets one: keep one of them (on a cluster that runs its own, use ExistingLoadBalancerController)",
);

/** Makes `lb` the load balancing of its stack. One per stack: a second one is refused. */
export function registerLoadBalancing(lb: ILoadBalancing): void {
  registered.register(lb);
}

/** The load balancing registered in `scope`'s stack, or undefined when there is none (yet). */
export function loadBalancingOf(scope: IConstruct): ILoadBalancing | undefined {
  return registered.of(scope);
}
