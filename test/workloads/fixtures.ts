import { App, ITerraformDependable, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { IpFamily } from "../../constructs/eks/ip-family";
import { ComputeMode, NetworkPolicyEnforcement } from "../../constructs/eks/types";
import { ILoadBalancing, registerLoadBalancing } from "../../constructs/workloads/load-balancing";
import { Namespace, NamespaceOptions } from "../../constructs/workloads/namespace";
import { FakeCluster, testNetwork } from "../fixtures";

/** A workloads-style stack: the kubernetes provider plus an AWS provider for workload IAM. */
export function workloadStack(id = "workloads"): TerraformStack {
  const app: App = Testing.app();
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new KubernetesProvider(stack, "kubernetes", {});
  return stack;
}

/**
 * FakeCluster with the knobs the workloads read (its fields are own properties, so they are
 * redefined on the instance).
 */
export function testCluster(
  stack: TerraformStack,
  options: {
    enforcement?: NetworkPolicyEnforcement;
    computeMode?: ComputeMode;
    /** A dual-stack network. @default false */
    ipv6Network?: boolean;
    /** @default - unknown (FakeCluster sets none) */
    ipFamily?: IpFamily;
  } = {},
): FakeCluster {
  const network = testNetwork(stack, options.ipv6Network ? { ipv6: true } : {});
  const cluster = new FakeCluster(stack, "cluster", network);
  if (options.ipFamily) Object.defineProperty(cluster, "ipFamily", { value: options.ipFamily });
  Object.defineProperty(cluster, "networkPolicyEnforcement", { value: options.enforcement ?? "vpc-cni" });
  Object.defineProperty(cluster, "computeMode", { value: options.computeMode ?? "managed" });
  return cluster;
}

/** A stand-in for the load balancer controller: one ConfigMap as the thing to depend on. */
export class FakeLoadBalancing extends Construct implements ILoadBalancing {
  readonly albIngressClassName = "alb";
  readonly nlbLoadBalancerClass = "service.k8s.aws/nlb";
  readonly dependables: ITerraformDependable[];
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.dependables = [
      new ConfigMapV1(this, "controller", { metadata: { name: "controller", namespace: "kube-system" } }),
    ];
    registerLoadBalancing(this);
  }
}

export interface WorkloadTestSetup {
  stack: TerraformStack;
  cluster: FakeCluster;
  ns: Namespace;
}

/** A stack with a fake cluster and one namespace "shop". */
export function setup(nsOptions: NamespaceOptions = {}): WorkloadTestSetup {
  const stack = workloadStack();
  const cluster = testCluster(stack);
  const ns = new Namespace(stack, "shop", { cluster, ...nsOptions });
  return { stack, cluster, ns };
}

/** Synthesizes (running validations) and parses. */
export function synthWith(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack, true));
}

export const IMAGE = "public.ecr.aws/nginx/nginx-unprivileged:1.27.3";
export const RESOURCES = { cpu: "100m", memory: "128Mi" };
