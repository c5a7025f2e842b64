import { ClusterAutoscaler, clusterAutoscalerPolicy } from "../../constructs/controllers/cluster-autoscaler";
import { CLUSTER_AUTOSCALER_VERSIONS } from "../../constructs/controllers/cluster-autoscaler-versions";
import { Token } from "cdktf";
import { controllerStack, resourceOf, synthJson, valuesOf } from "./fixtures";

describe("ClusterAutoscaler", () => {
  it("defaults: pinned chart, ASG tag auto-discovery, image of the cluster's minor, least-waste, production scale-down", () => {
    const { stack, cluster } = controllerStack({ kubernetesVersion: "1.35" });
    new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1" });
    const release = resourceOf(synthJson(stack), "helm_release", "ca");
    expect(release).toMatchObject({
      name: "cluster-autoscaler",
      namespace: "kube-system",
      repository: "https://kubernetes.github.io/autoscaler",
      chart: "cluster-autoscaler",
      version: "9.59.1",
      atomic: true,
    });
    expect(valuesOf(release)).toEqual({
      cloudProvider: "aws",
      awsRegion: "eu-west-1",
      autoDiscovery: { clusterName: "test" },
      image: { tag: "v1.35.0" },
      rbac: { serviceAccount: { create: true, name: "cluster-autoscaler" } },
      replicaCount: 2,
      podDisruptionBudget: { maxUnavailable: 1 },
      priorityClassName: "system-cluster-critical",
      extraArgs: {
        expander: "least-waste",
        "balance-similar-node-groups": true,
        "scale-down-utilization-threshold": 0.5,
        "scale-down-unneeded-time": "10m",
        "scale-down-delay-after-add": "10m",
        "skip-nodes-with-local-storage": false,
        "skip-nodes-with-system-pods": true,
      },
      nodeSelector: {},
      tolerations: [],
    });
  });

  it.each(CLUSTER_AUTOSCALER_VERSIONS.map((v) => [v.kubernetesVersion, v.chartVersion, v.imageTag]))(
    "Kubernetes %s: chart %s with image %s",
    (minor, chart, image) => {
      const { stack, cluster } = controllerStack({ kubernetesVersion: minor });
      new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1" });
      const release = resourceOf(synthJson(stack), "helm_release", "ca");
      expect([release.version, valuesOf(release).image]).toEqual([chart, { tag: image }]);
    },
  );

  it("may only scale and terminate in Auto Scaling groups tagged for its cluster, through Pod Identity", () => {
    const { stack, cluster } = controllerStack();
    new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1" });
    const json = synthJson(stack);
    const policy = JSON.parse(resourceOf(json, "aws_iam_role_policy", "ca").policy);
    expect(policy).toEqual(clusterAutoscalerPolicy("test"));
    const write = policy.Statement.find((s: any) => s.Action.includes("autoscaling:SetDesiredCapacity"));
    expect(write.Action).toEqual(["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]);
    // Both auto-discovery tag keys must be on the group: no other cluster's groups, no untagged ones.
    expect(write.Condition).toEqual({
      Null: {
        "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "false",
        "aws:ResourceTag/k8s.io/cluster-autoscaler/test": "false",
      },
    });
    // Every other action only reads.
    const others = policy.Statement.filter((s: any) => s !== write).flatMap((s: any) => s.Action);
    expect(others.filter((a: string) => !/:(Describe|Get)/.test(a))).toEqual([]);
    expect(resourceOf(json, "aws_eks_pod_identity_association", "ca")).toMatchObject({
      namespace: "kube-system",
      service_account: "cluster-autoscaler",
    });
  });

  it("runs on the system nodes when the cluster has them", () => {
    const { stack, cluster } = controllerStack({
      systemNodePlacement: {
        nodeSelector: { role: "system" },
        tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
      },
    });
    new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1" });
    const values = valuesOf(resourceOf(synthJson(stack), "helm_release", "ca"));
    expect(values.nodeSelector).toEqual({ role: "system" });
    expect(values.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }]);
  });

  it("takes expander, scale-down settings and the table's pair given explicitly", () => {
    const { stack, cluster } = controllerStack();
    new ClusterAutoscaler(stack, "ca", {
      cluster,
      region: "eu-west-1",
      expander: "priority",
      expanderPriorities: { 10: [".*spot.*"], 1: [".*"] },
      chartVersion: "9.51.0",
      imageTag: "v1.33.1",
      scaleDown: { unneededTime: "30m", utilizationThreshold: 0.6 },
    });
    const values = valuesOf(resourceOf(synthJson(stack), "helm_release", "ca"));
    expect(values.image).toEqual({ tag: "v1.33.1" });
    // The chart renders them as the cluster-autoscaler-priority-expander ConfigMap.
    expect(values.expanderPriorities).toEqual({ 10: [".*spot.*"], 1: [".*"] });
    expect(values.extraArgs).toMatchObject({
      expander: "priority",
      "scale-down-unneeded-time": "30m",
      "scale-down-utilization-threshold": 0.6,
      "scale-down-delay-after-add": "10m",
    });
  });

  it("accepts a chart version or image tag known only at apply", () => {
    const { stack, cluster } = controllerStack();
    const ca = new ClusterAutoscaler(stack, "ca", {
      cluster,
      region: "eu-west-1",
      imageTag: Token.asString({ Ref: "tag" }) as string,
    });
    expect(ca.chartVersion).toBe("9.51.0");
  });

  it("throws when chart and image are not a pair of the table (chart 9.52.1 with autoscaler 1.35)", () => {
    const { stack, cluster } = controllerStack({ kubernetesVersion: "1.35" });
    expect(
      () =>
        new ClusterAutoscaler(stack, "ca", {
          cluster,
          region: "eu-west-1",
          chartVersion: "9.52.1",
          imageTag: "v1.35.0",
        }),
    ).toThrow(
      `ClusterAutoscaler 'ca': chartVersion/imageTag "9.52.1 + v1.35.0" is not a tested pair for Kubernetes 1.35 (cluster "test"): a chart whose ClusterRole lacks what that autoscaler lists deploys, reports healthy and never scales; leave both out for the pinned pair, or use one of 1.31: chart 9.44.0 + image v1.31.4; 1.32: chart 9.46.6 + image v1.32.3; 1.33: chart 9.51.0 + image v1.33.1; 1.34: chart 9.52.1 + image v1.34.1; 1.35: chart 9.59.1 + image v1.35.0`,
    );
  });

  it("throws when there is no image for the cluster's Kubernetes version", () => {
    const { stack, cluster } = controllerStack({ kubernetesVersion: "1.29" });
    expect(() => new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1" })).toThrow(
      `ClusterAutoscaler 'ca': imageTag undefined has no default for Kubernetes 1.29 (cluster "test"): the chart and the autoscaler are pinned per minor, and 1.29 has no tested pair; use a cluster version of 1.31, 1.32, 1.33, 1.34, 1.35, or add the pair to CLUSTER_AUTOSCALER_VERSIONS with its vendored chart files (docs/controllers.md, "Controllers")`,
    );
  });

  it("throws when imageTag is for another Kubernetes minor", () => {
    const { stack, cluster } = controllerStack();
    expect(() => new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1", imageTag: "v1.35.0" })).toThrow(
      `ClusterAutoscaler 'ca': chartVersion/imageTag "9.51.0 + v1.35.0" is not a tested pair for Kubernetes 1.33 (cluster "test"): a chart whose ClusterRole lacks what that autoscaler lists deploys, reports healthy and never scales; leave both out for the pinned pair, or use one of 1.31: chart 9.44.0 + image v1.31.4; 1.32: chart 9.46.6 + image v1.32.3; 1.33: chart 9.51.0 + image v1.33.1; 1.34: chart 9.52.1 + image v1.34.1; 1.35: chart 9.59.1 + image v1.35.0`,
    );
  });

  it("throws when expander is unknown", () => {
    const { stack, cluster } = controllerStack();
    expect(
      () => new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1", expander: "cheapest" as any }),
    ).toThrow(
      `ClusterAutoscaler 'ca': expander "cheapest" is not an expander; use one of least-waste, priority, random, most-pods, price`,
    );
  });

  it("throws when scaleDown.utilizationThreshold is out of range", () => {
    const { stack, cluster } = controllerStack();
    expect(
      () =>
        new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1", scaleDown: { utilizationThreshold: 1.5 } }),
    ).toThrow(
      "ClusterAutoscaler 'ca': scaleDown.utilizationThreshold 1.5 is out of range; use a fraction above 0 and up to 1, e.g. 0.5",
    );
  });

  it("throws when scaleDown.unneededTime is not a duration", () => {
    const { stack, cluster } = controllerStack();
    expect(
      () =>
        new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1", scaleDown: { unneededTime: "10 minutes" } }),
    ).toThrow(
      `ClusterAutoscaler 'ca': scaleDown.unneededTime "10 minutes" is not a Go duration; use numbers with the units h, m, s, ms, us or ns, without spaces, e.g. "10m", "1h30m", "1.5h" or "300ms"`,
    );
  });

  it("throws when chartVersion is not exact", () => {
    const { stack, cluster } = controllerStack();
    expect(() => new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1", chartVersion: "latest" })).toThrow(
      `ClusterAutoscaler 'ca': chartVersion "latest" is not an exact chart version`,
    );
  });

  it("throws when the cluster is in Auto Mode", () => {
    const { stack, cluster } = controllerStack({ computeMode: "auto" });
    expect(() => new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1" })).toThrow(
      `ClusterAutoscaler 'ca': cluster.computeMode "auto" means EKS Auto Mode scales cluster "test" itself and it has no node groups to scale; leave the autoscaler out on Auto Mode clusters (ClusterControllers does)`,
    );
  });
});
