import { Construct } from "constructs";
import { ValidationError } from "../private/validation";
import type { ContainerSpec } from "./container";
import { Namespace, type INamespace } from "./namespace";
import {
  resolveVpaSettings,
  VerticalPodAutoscaler,
  type VerticalPodAutoscalerOptions,
  type VpaResource,
  type VpaTargetKind,
} from "./vertical-pod-autoscaler";
import { vpaConflicts, type VpaContainerResources } from "./vertical-pod-autoscaler-conflicts";

/** What a workload knows when it wires its `verticalPodAutoscaler` option in. */
export interface WorkloadVpaContext {
  /** How errors name the workload ("WebService 'web'"). */
  readonly where: string;
  readonly namespace: INamespace;
  readonly target: { readonly kind: VpaTargetKind; readonly name: string };
  /** Resources the workload's HPA scales on. */
  readonly hpaMetrics: readonly VpaResource[];
  /** The most pods that run at once (HPA maximum or replicas, plus the rollout's surge). */
  readonly maxPods: number;
  /** The pod's (non-init) containers as declared. */
  readonly containers: readonly Pick<ContainerSpec, "name" | "resources">[];
}

const FIELD = "verticalPodAutoscaler";

/**
 * Creates the workload's VerticalPodAutoscaler (construct id `vertical-pod-autoscaler`), after
 * refusing what would fight itself: an updating mode on a resource the HPA scales on,
 * minAllowed/maxAllowed outside the namespace's LimitRange, a quota the VPA could break
 * (vpaConflicts). Errors name the workload and the `verticalPodAutoscaler.<field>`.
 */
export function addWorkloadVpa(
  scope: Construct,
  options: VerticalPodAutoscalerOptions,
  ctx: WorkloadVpaContext,
): VerticalPodAutoscaler {
  const { where, namespace } = ctx;
  const prefixed = (message: string) =>
    message.startsWith(`${where}: `) ? `${where}: ${FIELD}.${message.slice(where.length + 2)}` : message;
  let settings;
  try {
    settings = resolveVpaSettings(where, options, {
      kubernetesVersion: namespace.cluster.kubernetesVersion,
      clusterName: namespace.cluster.name,
      targetKind: ctx.target.kind,
    });
  } catch (e) {
    if (e instanceof ValidationError && e.where === where) {
      throw new ValidationError(prefixed(e.message), { where, field: `${FIELD}.${e.field}` });
    }
    throw e;
  }
  const ns = namespace instanceof Namespace ? namespace : undefined;
  const containers: VpaContainerResources[] = ctx.containers.map((c) => ({
    name: c.name,
    cpu: c.resources.cpu,
    memory: c.resources.memory,
    cpuLimit: c.resources.cpuLimit,
    // The workload's memory limit defaults to its request (workload.ts renderContainer).
    memoryLimit: c.resources.memoryLimit ?? c.resources.memory,
  }));
  const conflicts = vpaConflicts(where, {
    vpa: settings,
    hpaMetrics: ctx.hpaMetrics,
    limitRange: ns?.limitRangeOptions,
    quota: ns?.quotaOptions,
    pods: { maxPods: ctx.maxPods, containers },
  });
  if (conflicts.length > 0) {
    throw new ValidationError(conflicts.map(prefixed).join("\n"), { where, field: FIELD });
  }
  return new VerticalPodAutoscaler(scope, "vertical-pod-autoscaler", {
    ...options,
    namespace,
    target: ctx.target,
  });
}
