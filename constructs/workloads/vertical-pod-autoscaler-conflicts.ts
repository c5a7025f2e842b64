import { parseQuantity } from "../private/quantity";
import { isToken, show } from "../private/validation";
import type { VpaContainerPolicy, VpaResource, VpaSettings } from "./vertical-pod-autoscaler";

// What a VPA in an updating mode fights, as pure checks: the workload that wires a VPA in calls
// vpaConflicts with what it knows (its HPA, its namespace's LimitRange and quota, its pods) and
// fails synth with the messages. "Off" only recommends, so it conflicts with nothing.

/** A namespace LimitRange's Container bounds. */
export interface VpaLimitRange {
  /** @default - no minimum */
  readonly min?: { readonly cpu?: string; readonly memory?: string };
  /** @default - no maximum */
  readonly max?: { readonly cpu?: string; readonly memory?: string };
}

/** A namespace ResourceQuota's compute fields (the names of ResourceQuotaOptions). */
export interface VpaQuota {
  readonly requestsCpu?: string;
  readonly requestsMemory?: string;
  readonly limitsCpu?: string;
  readonly limitsMemory?: string;
}

/** One container of the workload as declared (requests, and limits if any). */
export interface VpaContainerResources {
  readonly name: string;
  readonly cpu?: string;
  readonly memory?: string;
  /** @default - none */
  readonly cpuLimit?: string;
  /** @default - none */
  readonly memoryLimit?: string;
}

export interface VpaConflictInput {
  /** The VPA's resolved settings (`VerticalPodAutoscaler.settings`, or `resolveVpaSettings`). */
  readonly vpa: VpaSettings;
  /**
   * Resources an HPA on the same workload scales on (utilization or average value of cpu/memory).
   * @default - no HPA
   */
  readonly hpaMetrics?: readonly VpaResource[];
  /** @default - no LimitRange */
  readonly limitRange?: VpaLimitRange;
  /** @default - no ResourceQuota */
  readonly quota?: VpaQuota;
  /**
   * The workload's pods: its containers, and the most pods that run at once (maxReplicas of the
   * HPA, or replicas, plus the rollout's maxSurge).
   * @default - unknown: the quota is only checked for a missing maxAllowed and for one pod
   */
  readonly pods?: { readonly maxPods: number; readonly containers: readonly VpaContainerResources[] };
}

const QUOTA_FIELDS: Record<"requests" | "limits", Record<VpaResource, keyof VpaQuota>> = {
  requests: { cpu: "requestsCpu", memory: "requestsMemory" },
  limits: { cpu: "limitsCpu", memory: "limitsMemory" },
};

/**
 * Messages (`<where>: <field> <value> <problem>; <fix>`, the shape of every synth error) for
 * each way the VPA would fight the workload's surroundings; empty when it doesn't:
 * - an HPA scaling on a resource VPA updates: each undoes the other (VPA raises the request,
 *   utilization falls, the HPA removes pods; the upstream VPA README's known limitation);
 * - minAllowed/maxAllowed outside the namespace LimitRange: VPA follows its own policy over the
 *   LimitRange ("VPA will follow VPA policy (and set values outside the limit range)",
 *   vertical-pod-autoscaler/docs/features.md), and the LimitRanger then refuses the pod;
 *   with RequestsAndLimits, a declared limit scales with the request, so maxAllowed × the
 *   declared limit/request ratio must fit the maximum too;
 * - a quota on a resource VPA updates: an evicted pod whose new requests don't fit the quota is
 *   never recreated, so maxAllowed must be set and the pods at their maximum must fit.
 */
export function vpaConflicts(where: string, input: VpaConflictInput): string[] {
  const { vpa } = input;
  if (vpa.updateMode === "Off") return [];
  const mode = `updateMode "${vpa.updateMode}"`;
  const active = vpa.containerPolicies.filter((p) => p.mode === "Auto");
  const messages: string[] = [];
  const say = (field: string, value: unknown, problem: string, fix: string) =>
    messages.push(`${where}: ${field} ${show(value)} ${problem}; ${fix}`);
  const name = (p: VpaContainerPolicy) => (p.containerName === "*" ? "" : `containers["${p.containerName}"].`);

  // HPA on the same resource.
  for (const r of input.hpaMetrics ?? []) {
    const fighting = active.filter((p) => p.controlledResources.includes(r));
    if (fighting.length === 0) continue;
    say(
      `${name(fighting[0])}controlledResources`,
      fighting[0].controlledResources,
      `with ${mode} updates ${r}, which the workload's HorizontalPodAutoscaler scales on: each undoes the other (VPA raises the ${r} request, utilization falls, the HPA removes pods)`,
      r === "cpu"
        ? 'use updateMode "Off" (recommendations only), or controlledResources ["memory"] with the HPA on cpu only'
        : 'use updateMode "Off" (recommendations only), or drop memory from the HPA and keep it in controlledResources',
    );
  }

  // LimitRange bounds (per container).
  const lr = input.limitRange;
  for (const p of active) {
    for (const r of p.controlledResources) {
      const lrMin = lr?.min?.[r];
      const lrMax = lr?.max?.[r];
      const min = p.minAllowed?.[r];
      const max = p.maxAllowed?.[r];
      if (lrMin !== undefined && min !== undefined && less(min, lrMin)) {
        say(
          `${name(p)}minAllowed.${r}`,
          min,
          `is below the namespace LimitRange's min.${r} ("${lrMin}"): VPA would set it and the pod would be refused`,
          `raise minAllowed.${r} to at least "${lrMin}"`,
        );
      }
      if (lrMax === undefined) continue;
      if (max === undefined) {
        say(
          `${name(p)}maxAllowed.${r}`,
          undefined,
          `is unset, but the namespace LimitRange caps ${r} at "${lrMax}": VPA follows its own policy over the LimitRange, so a recommendation above it makes the pod be refused`,
          `set maxAllowed.${r} to at most "${lrMax}"`,
        );
        continue;
      }
      if (less(lrMax, max)) {
        say(
          `${name(p)}maxAllowed.${r}`,
          max,
          `is above the namespace LimitRange's max.${r} ("${lrMax}"): VPA would set it and the pod would be refused`,
          `lower maxAllowed.${r} to at most "${lrMax}"`,
        );
        continue;
      }
      if (p.controlledValues !== "RequestsAndLimits") continue;
      for (const c of containersOf(p, vpa, input)) {
        const ratio = limitRatio(c, r);
        if (ratio === undefined || isToken(max)) continue;
        const limitAtMax = parseQuantity(max)! * ratio;
        if (!isToken(lrMax) && limitAtMax > parseQuantity(lrMax)!) {
          say(
            `${name(p)}maxAllowed.${r}`,
            max,
            `raises container "${c.name}"'s ${r} limit with it (RequestsAndLimits keeps the declared limit/request ratio ${round(ratio)}) to ${amount(r, limitAtMax)}, above the namespace LimitRange's max.${r} ("${lrMax}")`,
            `lower maxAllowed.${r} to ${amount(r, parseQuantity(lrMax)! / ratio)} or less, or use controlledValues "RequestsOnly"`,
          );
        }
      }
    }
  }

  // ResourceQuota (the whole workload at its maximum).
  const quota = input.quota;
  for (const kind of ["requests", "limits"] as const) {
    for (const r of ["cpu", "memory"] as const) {
      const q = quota?.[QUOTA_FIELDS[kind][r]];
      if (q === undefined || isToken(q)) continue;
      const controlling = active.filter(
        (p) => p.controlledResources.includes(r) && (kind === "requests" || p.controlledValues === "RequestsAndLimits"),
      );
      if (controlling.length === 0) continue;
      const unbounded = controlling.find((p) => p.maxAllowed?.[r] === undefined);
      if (unbounded) {
        say(
          `${name(unbounded)}maxAllowed.${r}`,
          undefined,
          `is unset, but the namespace quota caps ${kind}.${r} at "${q}": VPA could raise ${kind} past it, and a pod evicted for the update could not be recreated`,
          `set maxAllowed.${r} so that the workload's pods at their maximum fit "${q}", or use updateMode "Off"`,
        );
        continue;
      }
      const pods = input.pods;
      const perPod = pods
        ? pods.containers.reduce((sum, c) => sum + maxOf(c, r, kind, vpa), 0)
        : Math.max(...controlling.map((p) => parseQuantity(p.maxAllowed![r]!) ?? 0));
      const count = pods?.maxPods ?? 1;
      if (Number.isNaN(perPod) || isToken(count)) continue; // a token somewhere
      if (perPod * count > parseQuantity(q)!) {
        say(
          `${name(controlling[0])}maxAllowed.${r}`,
          controlling[0].maxAllowed![r],
          `lets ${count} pod(s) reach ${amount(r, perPod * count)} of ${kind}.${r}, above the namespace quota ("${q}"): a pod evicted for an update could not be recreated`,
          `lower maxAllowed.${r}, lower the most pods at once, or raise the quota`,
        );
      }
    }
  }
  return messages;
}

function less(a: string, b: string): boolean {
  if (isToken(a) || isToken(b)) return false;
  return parseQuantity(a)! < parseQuantity(b)!;
}

function round(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/** An amount of `r` as a quantity: cores for cpu ("1.5"), Mi for memory ("1536Mi"). */
function amount(r: VpaResource, n: number): string {
  return r === "cpu" ? `"${round(n)}"` : `"${Math.ceil(n / 2 ** 20)}Mi"`;
}

function policyFor(container: string, vpa: VpaSettings): VpaContainerPolicy {
  return vpa.containerPolicies.find((p) => p.containerName === container) ?? vpa.containerPolicies[0];
}

/** The declared containers a policy governs (the default policy: every container without its own). */
function containersOf(
  p: VpaContainerPolicy,
  vpa: VpaSettings,
  input: VpaConflictInput,
): readonly VpaContainerResources[] {
  return (input.pods?.containers ?? []).filter((c) => policyFor(c.name, vpa) === p);
}

function limitRatio(c: VpaContainerResources, r: VpaResource): number | undefined {
  const [req, lim] = r === "cpu" ? [c.cpu, c.cpuLimit] : [c.memory, c.memoryLimit];
  if (req === undefined || lim === undefined || isToken(req) || isToken(lim)) return undefined;
  const [q, l] = [parseQuantity(req), parseQuantity(lim)];
  return q && l ? l / q : undefined;
}

/** A container's most of requests/limits of `r` under the VPA (NaN when a token hides it). */
function maxOf(c: VpaContainerResources, r: VpaResource, kind: "requests" | "limits", vpa: VpaSettings): number {
  const p = policyFor(c.name, vpa);
  const declaredRequest = r === "cpu" ? c.cpu : c.memory;
  const declaredLimit = r === "cpu" ? c.cpuLimit : c.memoryLimit;
  const controlled = p.mode === "Auto" && p.controlledResources.includes(r);
  const value = (q: string | undefined) => (q === undefined ? 0 : isToken(q) ? NaN : parseQuantity(q)!);
  if (!controlled) return value(kind === "requests" ? declaredRequest : declaredLimit);
  const max = p.maxAllowed?.[r];
  if (max === undefined || isToken(max)) return NaN;
  if (kind === "requests") return value(max);
  if (p.controlledValues === "RequestsOnly") return value(declaredLimit);
  const ratio = limitRatio(c, r);
  return ratio === undefined ? value(declaredLimit) : value(max) * ratio;
}
