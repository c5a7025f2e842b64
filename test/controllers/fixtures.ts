import { TerraformStack, Testing } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ComputeMode, NetworkPolicyEnforcement, NodePlacement } from "../../constructs/eks/types";
import { FakeCluster, synthJson, testNetwork } from "../fixtures";

export interface FakeClusterOverrides {
  computeMode?: ComputeMode;
  kubernetesVersion?: string;
  networkPolicyEnforcement?: NetworkPolicyEnforcement;
  systemNodePlacement?: NodePlacement;
  nodeRoleArns?: string[];
  partition?: string;
}

/** A stack holding the three providers of a workloads stack, and a FakeCluster (with a real network). */
export function controllerStack(overrides: FakeClusterOverrides = {}): { stack: TerraformStack; cluster: FakeCluster } {
  const stack = new TerraformStack(Testing.app(), "workloads");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new KubernetesProvider(stack, "kubernetes", {});
  new HelmProvider(stack, "helm", {});
  const cluster = new FakeCluster(stack, "cluster", testNetwork(stack));
  const { partition, nodeRoleArns, ...rest } = overrides;
  Object.assign(cluster, rest);
  if (nodeRoleArns) cluster.nodeRoleArns.push(...nodeRoleArns);
  if (partition) Object.defineProperty(cluster, "partition", { value: partition });
  return { stack, cluster };
}

/** The one resource of `type` whose logical id contains `part`. */
export function resourceOf(json: any, type: string, part = ""): any {
  const matches = Object.entries<any>(json.resource?.[type] ?? {}).filter(([id]) => id.includes(part));
  if (matches.length !== 1) throw new Error(`expected one ${type} matching "${part}", found ${matches.length}`);
  return matches[0][1];
}

/** The Helm values of a helm_release (one JSON document), parsed. */
export function valuesOf(release: any): any {
  expect(release.values).toHaveLength(1);
  return JSON.parse(release.values[0]);
}

export { synthJson };
