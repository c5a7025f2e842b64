import { Aspects, Fn, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ClusterControllers, ClusterControllersOptions } from "../controllers/cluster-controllers";
import { KubernetesApiRemovalCheck } from "../eks/kubernetes-api-removals";
import { warnIfEndpointUnreachable } from "../eks/reachability";
import { IEksCluster } from "../eks/types";
import { ILoadBalancing } from "../workloads/load-balancing";
import { registerStackCluster, sameCluster } from "../workloads/pod-spec-rules";
import { describe, fail, isToken, regionOfArn, show } from "../private/validation";
import { configureState, StateSettings } from "./state";

/** The client.authentication.k8s.io version `aws eks get-token` prints. */
export const EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

/** The workloads stacks of an app, to refuse a second one for a cluster. */
const workloadsStacksOf = new WeakMap<Construct, WorkloadsStack[]>();

/** Adopts a cluster into the workloads stack: called once, with the stack, after its AWS provider exists. */
export type AdoptCluster = (stack: WorkloadsStack) => IEksCluster;

export interface WorkloadsStackProps {
  /**
   * The cluster to put workloads on: a cluster object, e.g. `platform.cluster`, or a function
   * that adopts an existing cluster into this stack, e.g.
   * `(stack) => EksCluster.fromClusterAttributes(stack, "cluster", { ... })`.
   *
   * A cluster of another stack arrives as cross-stack references (outputs +
   * terraform_remote_state), and this stack is deployed after that one. An adopted cluster
   * lives in this stack and uses its AWS provider; nothing of it is created or changed.
   */
  readonly cluster: IEksCluster | AdoptCluster;
  /** AWS region of the cluster (the AWS provider's region, and `aws eks get-token --region`). */
  readonly region: string;
  /**
   * Tags on every AWS resource of this stack (the workload IAM roles), through default_tags.
   * @default - none
   */
  readonly tags?: Record<string, string>;
  /**
   * The cluster controllers (load balancing, autoscaling).
   * @default {} - chosen by compute mode, see ClusterControllers
   */
  readonly controllers?: ClusterControllersOptions;
  /**
   * Where this stack's Terraform state lives (see constructs/stacks/state.ts): the environment's
   * `state` config, overridden by the PLATFORM_STATE_* variables.
   * @default - local state, unless PLATFORM_STATE_BUCKET is set
   */
  readonly state?: StateSettings;
}

/**
 * The Kubernetes side of one environment: the kubernetes and helm providers pointed at the
 * cluster, an AWS provider for workload IAM (service-account roles), and the cluster
 * controllers. Workloads are added to this stack as its children.
 *
 * The providers authenticate with an exec credential: Terraform runs `aws eks get-token` each
 * time it connects, so a token never outlives an apply (tokens expire after 15 minutes, and a
 * token read by a data source at plan time would expire in the middle of a long apply). The
 * deploying machine needs the AWS CLI v2, credentials of a principal in the cluster's admins or
 * access, and network reach to the API endpoint.
 *
 * The cluster never lives here: the kubernetes provider needs the endpoint before the cluster
 * exists, so sharing a stack would make every first plan fail.
 */
export class WorkloadsStack extends TerraformStack {
  public readonly cluster: IEksCluster;
  public readonly region: string;
  public readonly controllers: ClusterControllers;
  public readonly kubernetesProvider: KubernetesProvider;
  public readonly helmProvider: HelmProvider;
  public readonly awsProvider: AwsProvider;
  /** True when the cluster's endpoint is private only and synth warned about where to deploy from. */
  public readonly endpointWarning: boolean;

  constructor(scope: Construct, id: string, props: WorkloadsStackProps) {
    super(scope, id);
    this.region = props.region;

    configureState(this, props.state ?? { region: props.region });

    this.awsProvider = new AwsProvider(this, "aws", {
      region: props.region,
      defaultTags: props.tags ? [{ tags: props.tags }] : undefined,
    });
    const cluster = typeof props.cluster === "function" ? props.cluster(this) : props.cluster;
    this.cluster = cluster;
    const where = describe("WorkloadsStack", id);
    checkClusterRegion(where, cluster, props.region);
    // One workloads stack per cluster: a second one would install the same controller releases
    // and create the same pod identity associations and cluster-scoped objects again, and each
    // stack's apply would fight the other's.
    const root = this.node.root;
    const stacks = workloadsStacksOf.get(root) ?? [];
    const first = stacks.find((s) => sameCluster(s.cluster, cluster));
    if (first !== undefined) {
      fail(
        where,
        "cluster",
        isToken(cluster.name) ? cluster.node.path : cluster.name,
        `already has WorkloadsStack '${first.node.id}': a second stack would install the same Helm releases and pod identity associations again`,
        `add the workloads to WorkloadsStack '${first.node.id}' (one workloads stack per cluster)`,
      );
    }
    workloadsStacksOf.set(root, [...stacks, this]);
    registerStackCluster(this, cluster, where);
    const exec = {
      apiVersion: EXEC_API_VERSION,
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", cluster.name, "--region", props.region, "--output", "json"],
    };
    const connection = {
      host: cluster.clusterEndpoint,
      clusterCaCertificate: Fn.base64decode(cluster.clusterCertificateAuthorityData),
    };
    this.kubernetesProvider = new KubernetesProvider(this, "kubernetes", { ...connection, exec: [exec] });
    this.helmProvider = new HelmProvider(this, "helm", { kubernetes: { ...connection, exec } });

    // Cross-stack references already order the deploy; this states it, and holds even if
    // nothing here read a cluster attribute.
    const clusterStack = TerraformStack.of(cluster);
    if (clusterStack !== this) this.addDependency(clusterStack);

    this.endpointWarning = warnIfEndpointUnreachable(cluster, this);
    // Every Kubernetes object of this stack (workloads added later included) must use an API
    // the cluster's minor still serves: checked at synth, so an upgrade can't strand one.
    Aspects.of(this).add(new KubernetesApiRemovalCheck(cluster.kubernetesVersion, `WorkloadsStack '${id}'`));

    this.controllers = new ClusterControllers(this, "controllers", {
      ...props.controllers,
      cluster,
      region: props.region,
    });
  }

  /** What Ingresses and LoadBalancer Services of this stack's workloads depend on. */
  public get loadBalancing(): ILoadBalancing | undefined {
    return this.controllers.loadBalancing;
  }
}

/**
 * The stack's region is the AWS provider's (workload IAM roles, pod identity associations) and the
 * one `aws eks get-token` asks: another region than the cluster's finds no cluster there. The
 * cluster's region is its network's, or its ARN's; a value only known at apply is not compared.
 */
function checkClusterRegion(where: string, cluster: IEksCluster, region: string): void {
  if (isToken(region)) return;
  const network = cluster.network?.region;
  const clusterRegion = network !== undefined && !isToken(network) ? network : regionOfArn(cluster.clusterArn);
  if (clusterRegion === undefined || clusterRegion === region) return;
  fail(
    where,
    "region",
    region,
    `differs from the region of cluster ${isToken(cluster.name) ? cluster.node.path : show(cluster.name)} (${clusterRegion}): the AWS provider and aws eks get-token would look for the cluster in ${region}`,
    `use region: ${show(clusterRegion)}`,
  );
}
