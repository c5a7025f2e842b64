import { resolveVpaSettings, VerticalPodAutoscalerOptions } from "../../constructs/workloads/vertical-pod-autoscaler";
import { vpaConflicts, VpaConflictInput } from "../../constructs/workloads/vertical-pod-autoscaler-conflicts";

// The cross-checks the workload wiring calls: pure, so each rule is shown with its exact message.

const W = "WebService 'api'";
const settings = (o: VerticalPodAutoscalerOptions) =>
  resolveVpaSettings(W, o, { kubernetesVersion: "1.33", clusterName: "test", targetKind: "Deployment" });
const conflicts = (o: VerticalPodAutoscalerOptions, rest: Omit<VpaConflictInput, "vpa"> = {}) =>
  vpaConflicts(W, { vpa: settings(o), ...rest });

describe("vpaConflicts", () => {
  it("Off conflicts with nothing, whatever surrounds it", () => {
    expect(
      conflicts(
        { updateMode: "Off" },
        { hpaMetrics: ["cpu", "memory"], limitRange: { max: { cpu: "1" } }, quota: { requestsCpu: "1" } },
      ),
    ).toEqual([]);
  });

  it("an updating mode on a resource the HPA scales on is refused, per resource", () => {
    expect(conflicts({ updateMode: "Recreate" }, { hpaMetrics: ["cpu", "memory"] })).toEqual([
      'WebService \'api\': controlledResources ["cpu","memory"] with updateMode "Recreate" updates cpu, which the workload\'s HorizontalPodAutoscaler scales on: each undoes the other (VPA raises the cpu request, utilization falls, the HPA removes pods); use updateMode "Off" (recommendations only), or controlledResources ["memory"] with the HPA on cpu only',
      'WebService \'api\': controlledResources ["cpu","memory"] with updateMode "Recreate" updates memory, which the workload\'s HorizontalPodAutoscaler scales on: each undoes the other (VPA raises the memory request, utilization falls, the HPA removes pods); use updateMode "Off" (recommendations only), or drop memory from the HPA and keep it in controlledResources',
    ]);
  });

  it("VPA on memory with the HPA on cpu is fine; so is a container VPA leaves alone", () => {
    expect(
      conflicts({ updateMode: "InPlaceOrRecreate", controlledResources: ["memory"] }, { hpaMetrics: ["cpu"] }),
    ).toEqual([]);
    expect(
      conflicts(
        {
          updateMode: "Initial",
          controlledResources: ["memory"],
          containers: { app: { mode: "Off", controlledResources: ["cpu"] } },
        },
        { hpaMetrics: ["cpu"] },
      ),
    ).toEqual([]);
    // ...but a container policy that brings cpu back under VPA is seen.
    expect(
      conflicts(
        {
          updateMode: "Initial",
          controlledResources: ["memory"],
          containers: { app: { controlledResources: ["cpu"] } },
        },
        { hpaMetrics: ["cpu"] },
      ),
    ).toEqual([
      'WebService \'api\': containers["app"].controlledResources ["cpu"] with updateMode "Initial" updates cpu, which the workload\'s HorizontalPodAutoscaler scales on: each undoes the other (VPA raises the cpu request, utilization falls, the HPA removes pods); use updateMode "Off" (recommendations only), or controlledResources ["memory"] with the HPA on cpu only',
    ]);
  });

  it("bounds outside the namespace LimitRange are refused; no maxAllowed under a LimitRange max is too", () => {
    const limitRange = { min: { memory: "64Mi" }, max: { cpu: "2", memory: "2Gi" } };
    expect(
      conflicts(
        { updateMode: "Recreate", minAllowed: { memory: "32Mi" }, maxAllowed: { cpu: "4", memory: "1Gi" } },
        { limitRange },
      ),
    ).toEqual([
      'WebService \'api\': maxAllowed.cpu "4" is above the namespace LimitRange\'s max.cpu ("2"): VPA would set it and the pod would be refused; lower maxAllowed.cpu to at most "2"',
      'WebService \'api\': minAllowed.memory "32Mi" is below the namespace LimitRange\'s min.memory ("64Mi"): VPA would set it and the pod would be refused; raise minAllowed.memory to at least "64Mi"',
    ]);
    expect(conflicts({ updateMode: "Recreate", maxAllowed: { cpu: "2" } }, { limitRange })).toEqual([
      'WebService \'api\': maxAllowed.memory undefined is unset, but the namespace LimitRange caps memory at "2Gi": VPA follows its own policy over the LimitRange, so a recommendation above it makes the pod be refused; set maxAllowed.memory to at most "2Gi"',
    ]);
    expect(conflicts({ updateMode: "Recreate", maxAllowed: { cpu: "2", memory: "2Gi" } }, { limitRange })).toEqual([]);
  });

  it("with RequestsAndLimits, a declared limit scales with maxAllowed and must fit the LimitRange max", () => {
    const input = {
      limitRange: { max: { memory: "2Gi" } },
      pods: { maxPods: 3, containers: [{ name: "app", cpu: "100m", memory: "512Mi", memoryLimit: "1Gi" }] },
    };
    expect(
      conflicts({ updateMode: "Recreate", controlledResources: ["memory"], maxAllowed: { memory: "1536Mi" } }, input),
    ).toEqual([
      'WebService \'api\': maxAllowed.memory "1536Mi" raises container "app"\'s memory limit with it (RequestsAndLimits keeps the declared limit/request ratio 2) to "3072Mi", above the namespace LimitRange\'s max.memory ("2Gi"); lower maxAllowed.memory to "1024Mi" or less, or use controlledValues "RequestsOnly"',
    ]);
    expect(
      conflicts(
        {
          updateMode: "Recreate",
          controlledResources: ["memory"],
          controlledValues: "RequestsOnly",
          maxAllowed: { memory: "1536Mi" },
        },
        input,
      ),
    ).toEqual([]);
  });

  it("a quota on a resource VPA updates needs maxAllowed, and the pods at their maximum must fit it", () => {
    expect(
      conflicts({ updateMode: "Recreate", controlledResources: ["cpu"] }, { quota: { requestsCpu: "4" } }),
    ).toEqual([
      'WebService \'api\': maxAllowed.cpu undefined is unset, but the namespace quota caps requests.cpu at "4": VPA could raise requests past it, and a pod evicted for the update could not be recreated; set maxAllowed.cpu so that the workload\'s pods at their maximum fit "4", or use updateMode "Off"',
    ]);
    const pods = {
      maxPods: 5,
      containers: [
        { name: "app", cpu: "250m", memory: "256Mi" },
        { name: "sidecar", cpu: "100m", memory: "64Mi" },
      ],
    };
    // 5 pods × (1 + 0.1 for the sidecar VPA leaves alone) = 5.5 cores > 4.
    expect(
      conflicts(
        {
          updateMode: "Recreate",
          controlledResources: ["cpu"],
          maxAllowed: { cpu: "1" },
          containers: { sidecar: { mode: "Off" } },
        },
        { quota: { requestsCpu: "4", requestsMemory: "10Gi" }, pods },
      ),
    ).toEqual([
      'WebService \'api\': maxAllowed.cpu "1" lets 5 pod(s) reach "5.5" of requests.cpu, above the namespace quota ("4"): a pod evicted for an update could not be recreated; lower maxAllowed.cpu, lower the most pods at once, or raise the quota',
    ]);
    expect(
      conflicts(
        {
          updateMode: "Recreate",
          controlledResources: ["cpu"],
          maxAllowed: { cpu: "700m" },
          containers: { sidecar: { mode: "Off" } },
        },
        { quota: { requestsCpu: "4" }, pods },
      ),
    ).toEqual([]);
  });

  it("a limits quota counts limits only under RequestsAndLimits", () => {
    const pods = { maxPods: 2, containers: [{ name: "app", cpu: "250m", memory: "256Mi", memoryLimit: "512Mi" }] };
    const o = {
      updateMode: "Recreate" as const,
      controlledResources: ["memory" as const],
      maxAllowed: { memory: "1Gi" },
    };
    expect(conflicts(o, { quota: { limitsMemory: "3Gi" }, pods })).toEqual([
      'WebService \'api\': maxAllowed.memory "1Gi" lets 2 pod(s) reach "4096Mi" of limits.memory, above the namespace quota ("3Gi"): a pod evicted for an update could not be recreated; lower maxAllowed.memory, lower the most pods at once, or raise the quota',
    ]);
    expect(conflicts({ ...o, controlledValues: "RequestsOnly" }, { quota: { limitsMemory: "3Gi" }, pods })).toEqual([]);
  });
});
