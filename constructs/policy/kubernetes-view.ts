import { block, blocks, dig, isUnknown, referencedAddress, ResourceView } from "./resource-view";

/** Workload kinds by Terraform resource type, and where each keeps its pod template. */
const WORKLOADS: Record<string, { kind: WorkloadKind; template: string[] }> = {
  kubernetes_deployment_v1: { kind: "Deployment", template: ["spec", "template"] },
  kubernetes_deployment: { kind: "Deployment", template: ["spec", "template"] },
  kubernetes_stateful_set_v1: { kind: "StatefulSet", template: ["spec", "template"] },
  kubernetes_stateful_set: { kind: "StatefulSet", template: ["spec", "template"] },
  kubernetes_daemon_set_v1: { kind: "DaemonSet", template: ["spec", "template"] },
  kubernetes_daemonset: { kind: "DaemonSet", template: ["spec", "template"] },
  kubernetes_job_v1: { kind: "Job", template: ["spec", "template"] },
  kubernetes_job: { kind: "Job", template: ["spec", "template"] },
  kubernetes_cron_job_v1: { kind: "CronJob", template: ["spec", "job_template", "spec", "template"] },
  kubernetes_cron_job: { kind: "CronJob", template: ["spec", "job_template", "spec", "template"] },
  kubernetes_pod_v1: { kind: "Pod", template: [] },
  kubernetes_pod: { kind: "Pod", template: [] },
};
export const WORKLOAD_TYPES = Object.keys(WORKLOADS);

export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "CronJob" | "Pod";

/** A workload as the Kubernetes rules read it: its pod template, namespace and replicas. */
export interface Workload {
  readonly resource: ResourceView;
  readonly kind: WorkloadKind;
  readonly name: string;
  /** Namespace name, or the Terraform expression that yields it (so equal keys mean the same namespace). */
  readonly namespace: string;
  /** Pod template labels (may hold unknown values). */
  readonly labels: Record<string, unknown>;
  /** The pod spec. */
  readonly pod: Record<string, any>;
  /** Every container and init container. */
  readonly containers: Record<string, any>[];
  /** spec.replicas: a number, "unknown", or undefined when unset. */
  readonly replicas: number | "unknown" | undefined;
  /** Long-running (Deployment, StatefulSet, DaemonSet): probes and availability rules apply. */
  readonly longRunning: boolean;
}

/**
 * The namespace of a namespaced object: a literal, the literal name of a namespace resource
 * it references in the same stack, or the reference itself; "default" when unset.
 */
export function namespaceOf(metadata: unknown, byAddress: (a: string) => ResourceView | undefined): string {
  const ns = block(metadata)?.namespace;
  if (ns === undefined || ns === "") return "default";
  const target = referencedAddress(ns);
  if (target) {
    const name = dig(byAddress(target)?.config, "metadata", "name");
    if (typeof name === "string" && !isUnknown(name)) return name;
  }
  return String(ns);
}

export function workloadsOf(
  resources: readonly ResourceView[],
  byAddress: (a: string) => ResourceView | undefined,
): Workload[] {
  const out: Workload[] = [];
  for (const r of resources) {
    const w = WORKLOADS[r.type];
    if (!w) continue;
    const template = w.template.length ? dig(r.config, ...w.template) : r.config;
    const pod = block(dig(template, "spec")) ?? {};
    const meta = w.template.length ? dig(template, "metadata") : r.config.metadata;
    const raw = w.kind === "Deployment" || w.kind === "StatefulSet" ? dig(r.config, "spec", "replicas") : undefined;
    out.push({
      resource: r,
      kind: w.kind,
      name: String(dig(r.config, "metadata", "name") ?? r.address),
      namespace: namespaceOf(r.config.metadata, byAddress),
      labels: (block(meta)?.labels as Record<string, unknown>) ?? {},
      pod,
      containers: [...blocks(pod.container), ...blocks(pod.init_container)],
      replicas: raw === undefined ? undefined : isUnknown(raw) ? "unknown" : Number(raw),
      longRunning: w.kind === "Deployment" || w.kind === "StatefulSet" || w.kind === "DaemonSet",
    });
  }
  return out;
}

/**
 * Whether a label selector (match_labels and match_expressions) selects pods with these labels.
 * Unknown values count as a match: they can't be checked before apply, and must not produce
 * false findings.
 */
export function selects(selector: unknown, labels: Record<string, unknown>): boolean {
  const sel = block(selector);
  if (!sel) return true; // an empty selector selects every pod of the namespace
  for (const [k, want] of Object.entries((sel.match_labels as Record<string, unknown>) ?? {})) {
    const have = labels[k];
    if (isUnknown(want) || isUnknown(have)) continue;
    if (have !== want) return false;
  }
  for (const e of blocks(sel.match_expressions)) {
    const have = labels[e.key];
    const values = (e.values ?? []) as unknown[];
    if (isUnknown(have) || isUnknown(values)) continue;
    switch (e.operator) {
      case "In":
        if (!values.includes(have)) return false;
        break;
      case "NotIn":
        if (values.includes(have)) return false;
        break;
      case "Exists":
        if (have === undefined) return false;
        break;
      case "DoesNotExist":
        if (have !== undefined) return false;
        break;
    }
  }
  return true;
}
