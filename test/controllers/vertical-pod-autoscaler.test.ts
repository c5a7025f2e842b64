import { Testing } from "cdktf";
import {
  ExistingVerticalPodAutoscaler,
  metricsServerOf,
  VPA_CHART,
  VerticalPodAutoscalerController,
} from "../../constructs/controllers/vertical-pod-autoscaler";
import { verticalPodAutoscalingOf } from "../../constructs/workloads/vertical-pod-autoscaler";
import { controllerStack, resourceOf, synthJson, valuesOf } from "./fixtures";

const SYSTEM = {
  nodeSelector: { "platform/role": "system" },
  tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" as const, effect: "NoSchedule" as const }],
};

describe("VerticalPodAutoscalerController", () => {
  it("defaults: chart 0.13.0 (VPA 1.8.0) in kube-system, Helm-registered webhook with failurePolicy Ignore, CRDs kept, no IAM", () => {
    const { stack, cluster } = controllerStack();
    const vpa = new VerticalPodAutoscalerController(stack, "vpa", { cluster });
    expect([vpa.chartVersion, vpa.vpaVersion, VPA_CHART.repository]).toEqual([
      "0.13.0",
      "1.8.0",
      "https://kubernetes.github.io/autoscaler",
    ]);
    const json = synthJson(stack);
    const release = resourceOf(json, "helm_release", "vpa");
    expect(release).toMatchObject({
      name: "vertical-pod-autoscaler",
      namespace: "kube-system",
      repository: "https://kubernetes.github.io/autoscaler",
      chart: "vertical-pod-autoscaler",
      version: "0.13.0",
      atomic: true,
      cleanup_on_fail: true,
    });
    // No IAM: the only role is the test network's flow-log role.
    expect(Object.keys(json.resource.aws_iam_role)).toEqual([expect.stringMatching(/^network_flow-logs_role/)]);
    expect(json.resource.aws_eks_pod_identity_association).toBeUndefined();
    const values = valuesOf(release);
    expect(values.admissionController).toMatchObject({
      registerWebhook: false,
      certGen: { enabled: true, priorityClassName: "system-cluster-critical" },
      mutatingWebhookConfiguration: {
        failurePolicy: "Ignore",
        namespaceSelector: {
          matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system"] }],
        },
      },
    });
    expect(values.crds).toEqual({ enabled: true, keep: true });
    expect(values.updater.extraArgs).toEqual(["--in-place-skip-disruption-budget=true"]);
    for (const c of ["admissionController", "recommender", "updater"]) {
      expect(values[c].priorityClassName).toBe("system-cluster-critical");
      expect(values[c].resources.requests.cpu).toBe("50m");
    }
    expect(vpa.excludedNamespaces).toEqual(["kube-system"]);
    expect(verticalPodAutoscalingOf(stack)).toBe(vpa);
  });

  it("runs the three components and the certificate hook Jobs on the system nodes", () => {
    const { stack, cluster } = controllerStack({ systemNodePlacement: SYSTEM });
    new VerticalPodAutoscalerController(stack, "vpa", { cluster });
    const values = valuesOf(resourceOf(synthJson(stack), "helm_release", "vpa"));
    const placement = {
      nodeSelector: { "platform/role": "system" },
      tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
    };
    for (const v of [
      values.admissionController,
      values.admissionController.certGen,
      values.recommender,
      values.updater,
    ])
      expect(v).toMatchObject(placement);
  });

  it("reads the system placement at synth (system nodes added after the controller still count)", () => {
    const { stack, cluster } = controllerStack();
    new VerticalPodAutoscalerController(stack, "vpa", { cluster });
    Object.assign(cluster, { systemNodePlacement: SYSTEM });
    const values = valuesOf(resourceOf(synthJson(stack), "helm_release", "vpa"));
    expect(values.recommender.nodeSelector).toEqual({ "platform/role": "system" });
  });

  it("values given replace ours at the top level", () => {
    const { stack, cluster } = controllerStack();
    new VerticalPodAutoscalerController(stack, "vpa", { cluster, values: { crds: { enabled: false } } });
    expect(valuesOf(resourceOf(synthJson(stack), "helm_release", "vpa")).crds).toEqual({ enabled: false });
  });

  it("throws when chartVersion comes without vpaVersion", () => {
    const { stack, cluster } = controllerStack();
    expect(() => new VerticalPodAutoscalerController(stack, "vpa", { cluster, chartVersion: "0.12.0" })).toThrow(
      "VerticalPodAutoscalerController 'vpa': vpaVersion undefined is needed with chartVersion \"0.12.0\": VPA objects' update modes are checked against the VPA release the chart deploys; give the chart's appVersion as vpaVersion, e.g. \"1.8.0\"",
    );
  });

  it("throws when the chart version is a range", () => {
    const { stack, cluster } = controllerStack();
    expect(
      () => new VerticalPodAutoscalerController(stack, "vpa", { cluster, chartVersion: "^0.13", vpaVersion: "1.8.0" }),
    ).toThrow(
      'VerticalPodAutoscalerController \'vpa\': chartVersion "^0.13" is not an exact chart version; pin one release as MAJOR.MINOR.PATCH, e.g. "1.14.1" (no ranges, no "v" prefix, no "latest")',
    );
  });

  it("throws when the cluster has no metrics-server add-on", () => {
    const { stack, cluster } = controllerStack();
    Object.assign(cluster, { addons: { enabled: new Map([["coredns", {}]]) } });
    expect(metricsServerOf(cluster)).toBe("absent");
    expect(() => new VerticalPodAutoscalerController(stack, "vpa", { cluster })).toThrow(
      "VerticalPodAutoscalerController 'vpa': cluster \"test\" has no metrics-server add-on, and the VPA recommender reads pod usage from metrics.k8s.io: it would never recommend; keep metrics-server in the cluster's addons (the default), or leave verticalPodAutoscaler out (false)",
    );
  });

  it("metrics-server: installed per the cluster's add-ons, unknown for a hand-written or adopted cluster", () => {
    const { cluster } = controllerStack();
    expect(metricsServerOf(cluster)).toBe("unknown");
    Object.assign(cluster, { addons: { enabled: new Map([["metrics-server", {}]]) } });
    expect(metricsServerOf(cluster)).toBe("installed");
    Object.assign(cluster, { adopted: true });
    expect(metricsServerOf(cluster)).toBe("unknown");
  });

  it("throws when a stack gets two", () => {
    const { stack, cluster } = controllerStack();
    new VerticalPodAutoscalerController(stack, "vpa", { cluster });
    expect(() => new ExistingVerticalPodAutoscaler(stack, "other", { vpaVersion: "1.8.0" })).toThrow(
      `Stack 'workloads': Vertical Pod Autoscaler "workloads/other" is a second one: the stack already has workloads/vpa; a cluster runs one: keep one of them (on a cluster that runs its own, use ExistingVerticalPodAutoscaler)`,
    );
  });

  it("ExistingVerticalPodAutoscaler: throws on a version that isn't MAJOR.MINOR.PATCH", () => {
    const stack = controllerStack().stack;
    expect(() => new ExistingVerticalPodAutoscaler(stack, "vpa", { vpaVersion: "v1.8" })).toThrow(
      'ExistingVerticalPodAutoscaler \'vpa\': vpaVersion "v1.8" is not a VPA release; give MAJOR.MINOR.PATCH, e.g. "1.8.0"',
    );
  });

  it("synthesizes with validations on", () => {
    const { stack, cluster } = controllerStack();
    new VerticalPodAutoscalerController(stack, "vpa", { cluster });
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });
});
