import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { IEksCluster } from "../eks/types";
import { describe, fail, isToken } from "../private/validation";
import { ILoadBalancing, registerLoadBalancing } from "../workloads/load-balancing";
import { ALB_CONTROLLER_NLB_CLASS, ALB_INGRESS_CLASS } from "./aws-load-balancer-controller";

/** A load balancer controller that already runs in the cluster (an adopted cluster's own). */
export interface ExistingLoadBalancerControllerOptions {
  /**
   * The IngressClass it answers to.
   * @default "alb" (the chart's default IngressClass)
   */
  readonly ingressClassName?: string;
  /**
   * The loadBalancerClass of its NLB Services.
   * @default "service.k8s.aws/nlb" (the controller's own class)
   */
  readonly nlbLoadBalancerClass?: string;
  /**
   * Whether its pod webhook injects readiness gates (false when it runs with
   * `--enable-pod-readiness-gate-inject=false`): then exposed workloads get minReadySeconds instead.
   * @default true (the controller's default)
   */
  readonly podReadinessGates?: boolean;
}

export interface ExistingLoadBalancerControllerProps extends ExistingLoadBalancerControllerOptions {
  readonly cluster: IEksCluster;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * The load balancing of a cluster that already runs an AWS Load Balancer Controller (installed by
 * its owner): Ingresses and LoadBalancer Services of this stack use its IngressClass and NLB
 * class, and nothing is installed. Nothing here creates it, so nothing orders around it: on
 * destroy the owner's controller keeps running and deletes the load balancers.
 */
export class ExistingLoadBalancerController extends Construct implements ILoadBalancing {
  public readonly albIngressClassName: string;
  public readonly nlbLoadBalancerClass: string;
  public readonly podReadinessGates: boolean;

  constructor(scope: Construct, id: string, props: ExistingLoadBalancerControllerProps) {
    super(scope, id);
    const where = describe("ExistingLoadBalancerController", id);
    if (props.cluster.computeMode === "auto") {
      fail(
        where,
        "cluster.computeMode",
        props.cluster.computeMode,
        `means EKS Auto Mode runs load balancing itself on cluster "${props.cluster.name}"`,
        "use AutoModeLoadBalancing (or ClusterControllers, which chooses by compute mode)",
      );
    }
    this.albIngressClassName = props.ingressClassName ?? ALB_INGRESS_CLASS;
    this.nlbLoadBalancerClass = props.nlbLoadBalancerClass ?? ALB_CONTROLLER_NLB_CLASS;
    this.podReadinessGates = props.podReadinessGates ?? true;
    if (!isToken(this.albIngressClassName) && !DNS1123_SUBDOMAIN.test(this.albIngressClassName)) {
      fail(
        where,
        "ingressClassName",
        this.albIngressClassName,
        "is not a DNS-1123 subdomain",
        'use the name of the controller\'s IngressClass, e.g. "alb"',
      );
    }
    if (!isToken(this.nlbLoadBalancerClass) && !QUALIFIED_NAME.test(this.nlbLoadBalancerClass)) {
      fail(
        where,
        "nlbLoadBalancerClass",
        this.nlbLoadBalancerClass,
        "is not a qualified name",
        'use the controller\'s class, e.g. "service.k8s.aws/nlb"',
      );
    }
    registerLoadBalancing(this);
  }

  /** Nothing of this stack: the controller is the owner's. */
  public get dependables(): ITerraformDependable[] {
    return [];
  }
}
