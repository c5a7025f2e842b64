import { Construct } from "constructs";
import { describe, fail } from "../private/validation";
import { IEksCluster } from "../eks/types";
import { ILoadBalancing } from "../workloads/load-balancing";
import { AutoModeLoadBalancing, AutoModeLoadBalancingOptions } from "./auto-mode-load-balancing";
import { AutoModeNetworkPolicy } from "./auto-mode-network-policy";
import { AwsLoadBalancerController, AwsLoadBalancerControllerOptions } from "./aws-load-balancer-controller";
import { ClusterAutoscaler, ClusterAutoscalerOptions } from "./cluster-autoscaler";
import {
  ExistingLoadBalancerController,
  ExistingLoadBalancerControllerOptions,
} from "./existing-load-balancer-controller";
import {
  ExistingVerticalPodAutoscaler,
  VerticalPodAutoscalerChoice,
  VerticalPodAutoscalerController,
  verticalPodAutoscalerFor,
} from "./vertical-pod-autoscaler";

export interface ClusterControllersOptions {
  /**
   * The AWS Load Balancer Controller (managed compute only): options to install it, `false` to
   * leave load balancing out, or `{ existing: {...} }` when the cluster already runs one (an
   * adopted cluster): nothing is installed and workloads use its IngressClass and NLB class.
   * @default {} on managed clusters
   */
  readonly loadBalancerController?:
    AwsLoadBalancerControllerOptions | false | { readonly existing: ExistingLoadBalancerControllerOptions };
  /**
   * Cluster Autoscaler (managed compute with node groups only); false leaves it out.
   * @default {} on managed clusters that have node groups (Fargate alone has nothing to scale)
   */
  readonly clusterAutoscaler?: ClusterAutoscalerOptions | false;
  /**
   * The IngressClass and IngressClassParams of Auto Mode's load balancing (Auto Mode only).
   * @default {} on Auto Mode clusters
   */
  readonly autoModeLoadBalancing?: AutoModeLoadBalancingOptions;
  /**
   * The Vertical Pod Autoscaler (both compute modes): options to install it, `false` to leave it
   * out, or `{ existing: { vpaVersion } }` when the cluster already runs one. VerticalPodAutoscaler
   * objects need one of these in their stack.
   * @default {} on Auto Mode and on managed clusters with node groups (see verticalPodAutoscalerFor)
   */
  readonly verticalPodAutoscaler?: VerticalPodAutoscalerChoice;
}

export interface ClusterControllersProps extends ClusterControllersOptions {
  readonly cluster: IEksCluster;
  /** AWS region of the cluster. */
  readonly region: string;
}

/**
 * What a cluster needs so Ingresses, LoadBalancer Services, NetworkPolicies and HPAs work, chosen
 * by compute mode:
 * - managed: AWS Load Balancer Controller, and Cluster Autoscaler when there are node groups;
 * - auto: Auto Mode's IngressClass and IngressClassParams, and the ConfigMap that turns its
 *   NetworkPolicy enforcement on when the cluster says Auto Mode enforces them;
 * - both: the Vertical Pod Autoscaler, where it has nodes to run on.
 */
export class ClusterControllers extends Construct {
  public readonly loadBalancerController?: AwsLoadBalancerController;
  /** The cluster's own controller, when `loadBalancerController` says it exists. */
  public readonly existingLoadBalancerController?: ExistingLoadBalancerController;
  public readonly clusterAutoscaler?: ClusterAutoscaler;
  public readonly autoModeLoadBalancing?: AutoModeLoadBalancing;
  public readonly autoModeNetworkPolicy?: AutoModeNetworkPolicy;
  /** The Vertical Pod Autoscaler installed here, or the cluster's own (`existing`). */
  public readonly verticalPodAutoscaler?: VerticalPodAutoscalerController | ExistingVerticalPodAutoscaler;
  /** Whatever turns Ingresses and LoadBalancer Services into load balancers here, if anything. */
  public readonly loadBalancing?: ILoadBalancing;

  constructor(scope: Construct, id: string, props: ClusterControllersProps) {
    super(scope, id);
    const { cluster, region } = props;
    checkOptionsApply(describe("ClusterControllers", id), props);
    this.verticalPodAutoscaler = verticalPodAutoscalerFor(this, cluster, props.verticalPodAutoscaler);
    if (cluster.computeMode === "auto") {
      this.autoModeLoadBalancing = new AutoModeLoadBalancing(this, "auto-mode-load-balancing", {
        ...props.autoModeLoadBalancing,
        cluster,
      });
      this.loadBalancing = this.autoModeLoadBalancing;
      if (cluster.networkPolicyEnforcement === "auto-mode") {
        this.autoModeNetworkPolicy = new AutoModeNetworkPolicy(this, "network-policy", { cluster });
      }
      return;
    }
    const lbc = props.loadBalancerController;
    if (lbc !== false && lbc !== undefined && "existing" in lbc) {
      this.existingLoadBalancerController = new ExistingLoadBalancerController(
        this,
        "existing-load-balancer-controller",
        {
          ...lbc.existing,
          cluster,
        },
      );
      this.loadBalancing = this.existingLoadBalancerController;
    } else if (lbc !== false) {
      this.loadBalancerController = new AwsLoadBalancerController(this, "aws-load-balancer-controller", {
        ...lbc,
        cluster,
        region,
      });
      this.loadBalancing = this.loadBalancerController;
    }
    // Node groups register their node role with the cluster; Fargate profiles don't.
    const hasNodeGroups = cluster.nodeRoleArns.length > 0;
    if (props.clusterAutoscaler !== false && hasNodeGroups) {
      this.clusterAutoscaler = new ClusterAutoscaler(this, "cluster-autoscaler", {
        ...props.clusterAutoscaler,
        cluster,
        region,
      });
    }
  }
}

/**
 * Options for a controller this cluster doesn't get would be ignored without a word: refused,
 * naming what the cluster runs instead.
 */
function checkOptionsApply(where: string, props: ClusterControllersProps): void {
  const { cluster } = props;
  if (cluster.computeMode === "auto") {
    if (props.loadBalancerController !== undefined) {
      fail(
        where,
        "loadBalancerController",
        props.loadBalancerController,
        `is ignored: cluster "${cluster.name}" is in EKS Auto Mode, whose built-in load balancing serves its Ingresses and NLB Services`,
        "remove loadBalancerController; configure Auto Mode's IngressClass with autoModeLoadBalancing",
      );
    }
    if (props.clusterAutoscaler !== undefined && props.clusterAutoscaler !== false) {
      fail(
        where,
        "clusterAutoscaler",
        props.clusterAutoscaler,
        `is ignored: cluster "${cluster.name}" is in EKS Auto Mode, which scales its nodes itself`,
        "remove clusterAutoscaler (Auto Mode's node pools scale the cluster)",
      );
    }
    return;
  }
  if (props.autoModeLoadBalancing !== undefined) {
    fail(
      where,
      "autoModeLoadBalancing",
      props.autoModeLoadBalancing,
      `is ignored: cluster "${cluster.name}" is not in EKS Auto Mode (computeMode "${cluster.computeMode}"), so the AWS Load Balancer Controller serves its Ingresses`,
      "remove autoModeLoadBalancing; configure the controller with loadBalancerController",
    );
  }
  const autoscaler = props.clusterAutoscaler;
  if (autoscaler !== undefined && autoscaler !== false && cluster.nodeRoleArns.length === 0) {
    fail(
      where,
      "clusterAutoscaler",
      autoscaler,
      `is ignored: cluster "${cluster.name}" has no node groups (Fargate scales per pod), so there is nothing for the autoscaler to scale`,
      "remove clusterAutoscaler, or add a node group to the cluster",
    );
  }
}
