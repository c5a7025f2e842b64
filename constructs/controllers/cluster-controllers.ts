import { Construct } from "constructs";
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
