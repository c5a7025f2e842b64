import { Aspects, IAspect, ITerraformDependable, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { Construct } from "constructs";
import { Release } from "@cdktf/provider-helm/lib/release";
import { PolicyDocument, ServiceAccountRole } from "../eks/service-account-role";
import { IEksCluster, NodePlacement } from "../eks/types";
import { checkChartVersion, HelmChartPin, lazyValues, placementValues } from "./helm";
import { dependsOnOf } from "../private/dependencies";
import { checkInteger, describe, fail } from "../private/validation";
import { ILoadBalancing, registerLoadBalancing } from "../workloads/load-balancing";
import { ALB_CONTROLLER_IAM_POLICY } from "./alb-controller-iam-policy";

/**
 * The chart pinned by default: eks-charts aws-load-balancer-controller 1.14.1, which deploys
 * controller v2.14.1 (the release the EKS user guide installs). Newer lines exist (2.17, and
 * 3.0 with breaking changes); move deliberately, together with ALB_CONTROLLER_IAM_POLICY.
 */
export const ALB_CONTROLLER_CHART: HelmChartPin = {
  repository: "https://aws.github.io/eks-charts",
  chart: "aws-load-balancer-controller",
  version: "1.14.1",
  appVersion: "v2.14.1",
};

/** The IngressClass the chart creates, and the loadBalancerClass of the controller's NLBs. */
export const ALB_INGRESS_CLASS = "alb";
export const ALB_CONTROLLER_NLB_CLASS = "service.k8s.aws/nlb";

export interface AwsLoadBalancerControllerOptions {
  /**
   * Chart version (exact). Change it together with `policyDocument` when the controller
   * release needs new permissions.
   * @default ALB_CONTROLLER_CHART.version ("1.14.1", controller v2.14.1)
   */
  readonly chartVersion?: string;
  /**
   * Controller replicas. Two, with a PodDisruptionBudget of maxUnavailable 1, so a node drain
   * or upgrade never leaves Ingresses and LoadBalancer Services without a reconciler (and its
   * admission webhooks without an endpoint, which would block creating Services).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Where the controller pods run.
   * @default - the cluster's systemNodePlacement, read at synth (undefined: anywhere)
   */
  readonly placement?: NodePlacement;
  /**
   * The controller's IAM policy.
   * @default ALB_CONTROLLER_IAM_POLICY (the published policy of the pinned release; commercial partition)
   */
  readonly policyDocument?: PolicyDocument;
  /**
   * Further chart values, merged over ours at the top level (a key given here replaces ours).
   * @default - none
   */
  readonly values?: Record<string, unknown>;
}

export interface AwsLoadBalancerControllerProps extends AwsLoadBalancerControllerOptions {
  readonly cluster: IEksCluster;
  /** AWS region of the cluster (the controller doesn't read it from IMDS: hop limit 1). */
  readonly region: string;
}

/** Namespace and service account the controller runs as (its Pod Identity association names them). */
export const ALB_CONTROLLER_NAMESPACE = "kube-system";
export const ALB_CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";

/**
 * The AWS Load Balancer Controller, installed with Helm: ALB Ingresses and NLB Services for a
 * cluster on managed compute. IAM is its published policy on a role bound to its service
 * account through EKS Pod Identity. clusterName, region and vpcId are set explicitly, because
 * with IMDSv2 hop limit 1 (our node default) pods can't discover them from instance metadata.
 */
export class AwsLoadBalancerController extends Construct implements ILoadBalancing {
  public readonly albIngressClassName = ALB_INGRESS_CLASS;
  public readonly nlbLoadBalancerClass = ALB_CONTROLLER_NLB_CLASS;
  /** Its pod webhook injects readiness gates in labelled namespaces (on by default in the controller). */
  public readonly podReadinessGates = true;
  public readonly chartVersion: string;
  public readonly replicas: number;
  public readonly role: ServiceAccountRole;
  public readonly release: Release;
  /**
   * True when the chart's Service mutating webhook is on (only when `values` turns it on): then
   * every Service and Helm release of the stack is ordered after this release.
   */
  public readonly serviceWebhook: boolean;

  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerProps) {
    super(scope, id);
    const where = describe("AwsLoadBalancerController", id);
    const cluster = props.cluster;
    if (cluster.computeMode === "auto") {
      fail(
        where,
        "cluster.computeMode",
        cluster.computeMode,
        `means EKS Auto Mode runs load balancing itself; a second controller on cluster "${cluster.name}" would fight it over the same Ingresses`,
        "use AutoModeLoadBalancing (or ClusterControllers, which chooses by compute mode)",
      );
    }
    this.chartVersion = props.chartVersion ?? ALB_CONTROLLER_CHART.version;
    checkChartVersion(where, "chartVersion", this.chartVersion);
    this.replicas = props.replicas ?? 2;
    checkInteger(where, "replicas", this.replicas, 1, 10);
    if (props.policyDocument === undefined && cluster.partition !== "aws") {
      fail(
        where,
        "policyDocument",
        undefined,
        `defaults to the commercial-partition policy, but cluster "${cluster.name}" is in partition "${cluster.partition}"`,
        "pass the controller's policy for that partition (iam_policy_cn.json or iam_policy_us-gov.json of the same release)",
      );
    }

    this.role = new ServiceAccountRole(this, "role", {
      cluster,
      namespace: ALB_CONTROLLER_NAMESPACE,
      serviceAccount: ALB_CONTROLLER_SERVICE_ACCOUNT,
      // Pod Identity where the cluster runs its agent, IRSA elsewhere (an adopted cluster).
      policyDocument: props.policyDocument ?? ALB_CONTROLLER_IAM_POLICY,
    });
    const irsaRoleArn = this.role.mechanism === "irsa" ? this.role.roleArn : undefined;
    // The chart's Service mutator (mservice.elbv2.k8s.aws, failurePolicy Fail, every Service
    // CREATE) only sets loadBalancerClass on LoadBalancer Services that have none. Ours always
    // set it, so the mutator adds nothing and would make every Service creation in the cluster
    // fail while no controller replica answers (a first deploy races it). Off unless `values`
    // turns it back on; then every Service and chart of this stack waits for this release.
    this.serviceWebhook = props.values?.enableServiceMutatorWebhook === true;
    if (this.serviceWebhook) Aspects.of(TerraformStack.of(this)).add(new AfterServiceWebhook(this));

    const replicas = this.replicas;
    this.release = new Release(this, "release", {
      name: "aws-load-balancer-controller",
      namespace: ALB_CONTROLLER_NAMESPACE,
      repository: ALB_CONTROLLER_CHART.repository,
      chart: ALB_CONTROLLER_CHART.chart,
      version: this.chartVersion,
      // Roll back a failed upgrade instead of leaving a half-applied controller.
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
      values: [
        lazyValues(() => ({
          // The literal name: known at synth, so the value reads plainly in plans (a cross-stack
          // reference would arrive as a sensitive output and hide the whole values document).
          clusterName: cluster.name,
          region: props.region,
          vpcId: cluster.network.vpcId,
          serviceAccount: {
            create: true,
            name: ALB_CONTROLLER_SERVICE_ACCOUNT,
            ...(irsaRoleArn ? { annotations: { "eks.amazonaws.com/role-arn": irsaRoleArn } } : {}),
          },
          enableServiceMutatorWebhook: false,
          // The pod webhook (mpod.elbv2.k8s.aws: Pod CREATE in namespaces labelled
          // elbv2.k8s.aws/pod-readiness-gate-inject=enabled) injects the readiness gates that keep a
          // rollout from removing the last healthy target. Fail, stated rather than inherited (the
          // docs give Ignore as the default after v2.11.0 and recommend Fail, pod_readiness_gate.md):
          // with Ignore, a pod created while no replica answers has no gate, and its rollout can drop
          // requests. Pods of labelled namespaces are therefore created after this release
          // (Namespace orders them).
          podMutatorWebhookConfig: { failurePolicy: "Fail" },
          replicaCount: replicas,
          podDisruptionBudget: { maxUnavailable: 1 },
          // Set explicitly (the chart's deployment.yaml renders .Values.priorityClassName,
          // aws/eks-charts stable/aws-load-balancer-controller): Ingress reconciliation is
          // cluster-critical, so the scheduler preempts application pods to place it.
          priorityClassName: "system-cluster-critical",
          ...placementValues(props.placement ?? cluster.systemNodePlacement),
          ...(props.values ?? {}),
        })),
      ],
      // Pods start with credentials: the role's permissions and its association exist first,
      // and on destroy they go only after the controller has cleaned up its load balancers.
      dependsOn: [
        ...this.role.policies,
        ...(this.role.podIdentityAssociation ? [this.role.podIdentityAssociation] : []),
      ],
    });
    registerLoadBalancing(this);
  }

  /** What Ingresses and LoadBalancer Services depend on: the release (so they are deleted before it). */
  public get dependables(): ITerraformDependable[] {
    return [this.release];
  }
}

/**
 * With the chart's Service mutator on, a Service created while no controller replica answers is
 * refused (failurePolicy Fail). Orders every kubernetes Service and every other Helm release of
 * the stack (charts create Services) after the controller's release.
 */
class AfterServiceWebhook implements IAspect {
  constructor(private readonly controller: AwsLoadBalancerController) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) || node === this.controller.release) return;
    const type = node.terraformResourceType;
    if (type !== "kubernetes_service_v1" && type !== "kubernetes_service" && type !== "helm_release") return;
    if (TerraformStack.of(node) !== TerraformStack.of(this.controller)) return;
    const [entry] = dependsOnOf([this.controller.release]);
    const current = node.dependsOn ?? [];
    if (!current.includes(entry)) node.dependsOn = [...current, entry];
  }
}
