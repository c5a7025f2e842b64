/// <reference types="cdktf/lib/testing/adapters/jest" />
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { PodDisruptionBudget } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget";
import { INGRESS_CLASS_PARAMS_CHART_DIR } from "../../constructs/controllers/auto-mode-load-balancing";
import { EksCluster, EksClusterOptions } from "../../constructs/eks/cluster";
import {
  apiObjectsOf,
  chartApiObjects,
  KUBERNETES_API_REMOVALS,
  removalFor,
} from "../../constructs/eks/kubernetes-api-removals";
import { MAX_KUBELET_SKEW } from "../../constructs/eks/version-skew";
import { WorkloadsStack } from "../../stacks/workloads-stack";
import { resourcesOf, testNetwork, testStack } from "../fixtures";
import { existingCluster } from "../reuse/fixtures";
import { ADMIN_ARN } from "./fixtures";

function cluster(options: Partial<EksClusterOptions> = {}): { stack: TerraformStack; cluster: EksCluster } {
  const stack = testStack();
  const c = new EksCluster(stack, "eks", {
    name: "test",
    network: testNetwork(stack),
    admins: [ADMIN_ARN],
    supportType: "EXTENDED",
    ...options,
  });
  return { stack, cluster: c };
}

describe("version skew between the control plane and node groups", () => {
  it("defaults the nodes to the cluster's version, and takes an older one within the kubelet skew", () => {
    const { stack, cluster: c } = cluster();
    c.addNodeGroup("follows");
    c.addNodeGroup("held", { kubernetesVersion: "1.32" });
    const groups = Object.values(resourcesOf(stack, "aws_eks_node_group")) as any[];
    expect(groups.map((g) => g.version).sort()).toEqual(["1.32", "1.35"]);
    expect(MAX_KUBELET_SKEW).toBe(3);
  });

  it("throws when a node group is newer than the control plane", () => {
    const { cluster: c } = cluster({ kubernetesVersion: "1.34" });
    expect(() => c.addNodeGroup("ahead", { kubernetesVersion: "1.35" })).toThrow(
      `ManagedNodeGroup 'ahead': kubernetesVersion "1.35" is newer than the control plane of cluster "test" (1.34): a kubelet must never be newer than the API server, and EKS refuses it; upgrade the cluster's kubernetesVersion first (one minor per deploy), or use 1.34 or older`,
    );
  });

  it("throws when a node group is more minors behind than the Kubernetes skew policy allows", () => {
    const { cluster: c } = cluster({ kubernetesVersion: "1.36" });
    expect(() => c.addNodeGroup("stale", { kubernetesVersion: "1.32" })).toThrow(
      `ManagedNodeGroup 'stale': kubernetesVersion "1.32" is 4 minors behind the control plane of cluster "test" (1.36); the Kubernetes version skew policy allows kubelets at most 3 minors older than the API server; use 1.33 to 1.36 (upgrade the nodes before the cluster moves on), or remove kubernetesVersion so the nodes follow the cluster`,
    );
  });

  it("throws when a node group version is not a minor version", () => {
    const { cluster: c } = cluster();
    expect(() => c.addNodeGroup("bad", { kubernetesVersion: "1.35.2" })).toThrow(
      `ManagedNodeGroup 'bad': kubernetesVersion "1.35.2" is not a Kubernetes minor version; use the form "1.<minor>", e.g. "1.35"`,
    );
  });

  it("checks node groups of an adopted cluster against the version it was imported with", () => {
    const stack = testStack();
    const legacy = existingCluster(stack); // 1.34
    expect(() => legacy.addNodeGroup("ahead", { kubernetesVersion: "1.35" })).toThrow(
      `ManagedNodeGroup 'ahead': kubernetesVersion "1.35" is newer than the control plane of cluster "legacy" (1.34)`,
    );
  });
});

describe("Kubernetes API removals", () => {
  it("keeps a table of removals by minor, each with its replacement", () => {
    for (const r of KUBERNETES_API_REMOVALS) {
      expect(r.removedIn).toMatch(/^1\.\d+$/);
      expect(r.kinds.length).toBeGreaterThan(0);
      expect(r.replacement).not.toBe(r.apiVersion);
    }
    expect(
      removalFor({ apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", kind: "FlowSchema" }, "1.31"),
    ).toBeUndefined();
    expect(
      removalFor({ apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", kind: "FlowSchema" }, "1.32")?.removedIn,
    ).toBe("1.32");
    expect(removalFor({ apiVersion: "policy/v1", kind: "PodDisruptionBudget" }, "1.36")).toBeUndefined();
  });

  it("reads the API objects of the local IngressClassParams chart from its templates", () => {
    expect(chartApiObjects(INGRESS_CLASS_PARAMS_CHART_DIR)).toEqual([
      { apiVersion: "eks.amazonaws.com/v1", kind: "IngressClassParams" },
    ]);
  });

  function workloads(build: (stack: WorkloadsStack) => void, computeMode: "managed" | "auto" = "managed") {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "api-removals-"));
    try {
      const app = new App({ outdir, skipValidation: true });
      const stack = new TerraformStack(app, "platform");
      new AwsProvider(stack, "aws", { region: "eu-west-1" });
      const c = new EksCluster(stack, "eks", {
        name: "test",
        network: testNetwork(stack),
        admins: [ADMIN_ARN],
        computeMode,
      });
      if (computeMode === "managed") c.addNodeGroup("system", { role: "system" });
      const w = new WorkloadsStack(app, "workloads", { cluster: c, region: "eu-west-1" });
      build(w);
      app.synth();
      return w;
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }

  it("passes the default controllers and GA objects, managed and Auto Mode (its local chart included)", () => {
    expect(() => workloads(() => undefined)).not.toThrow();
    const auto = workloads(() => undefined, "auto");
    // The local chart's objects are found through its asset, so a removal in its templates would fail synth.
    const release = auto.controllers.node
      .findAll()
      .find((c) => (c as any).terraformResourceType === "helm_release" && c.node.id === "params");
    expect(apiObjectsOf(release as any)).toEqual([{ apiVersion: "eks.amazonaws.com/v1", kind: "IngressClassParams" }]);
  });

  it("throws at synth when an object uses an API the cluster's version no longer serves", () => {
    expect(() =>
      workloads((w) => {
        new Manifest(w, "old-hpa", {
          manifest: {
            apiVersion: "autoscaling/v2beta2",
            kind: "HorizontalPodAutoscaler",
            metadata: { name: "web", namespace: "default" },
          },
        });
      }),
    ).toThrow(
      "WorkloadsStack 'workloads': kubernetes_manifest.old-hpa (workloads/old-hpa) \"autoscaling/v2beta2 HorizontalPodAutoscaler\" is not served by Kubernetes 1.35, the cluster's version: Kubernetes 1.26 stopped serving it (Kubernetes deprecated API migration guide); use autoscaling/v2",
    );
    expect(() =>
      workloads((w) => {
        new PodDisruptionBudget(w, "legacy-pdb", {
          metadata: { name: "web", namespace: "default" },
          spec: { maxUnavailable: "1", selector: { matchLabels: { app: "web" } } },
        });
      }),
    ).toThrow(
      "WorkloadsStack 'workloads': kubernetes_pod_disruption_budget.legacy-pdb (workloads/legacy-pdb) \"policy/v1beta1 PodDisruptionBudget\" is not served by Kubernetes 1.35, the cluster's version: Kubernetes 1.25 stopped serving it (Kubernetes deprecated API migration guide); use policy/v1",
    );
  });
});
