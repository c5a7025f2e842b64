import { DeploymentV1SpecTemplateSpecAffinity } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { EksCluster } from "../eks/cluster";
import { fargateProfilesOf } from "../eks/fargate-profile";
import { ManagedNodeGroup, NodeGroupRole, nodeGroupsOf, SYSTEM_NODE_LABEL, tolerationOf } from "../eks/node-group";
import type { IEksCluster, Toleration } from "../eks/types";
import { checkDnsSubdomain, checkLabelKey } from "../private/kubernetes-names";
import { checkInteger, fail, isToken } from "../private/validation";

/** A CPU architecture as nodes label it (`kubernetes.io/arch`). */
export type Architecture = "amd64" | "arm64";
export const ARCHITECTURES: readonly Architecture[] = ["amd64", "arm64"];

/**
 * On-demand or spot nodes. Rendered as the label of the cluster's compute: managed node groups
 * carry `eks.amazonaws.com/capacityType: ON_DEMAND|SPOT`, Auto Mode (Karpenter) nodes
 * `karpenter.sh/capacity-type: on-demand|spot`.
 */
export type PodCapacityType = "on-demand" | "spot";

/** One requirement on a node label, as Kubernetes node affinity takes it. */
export interface NodeRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
  /** In/NotIn: one or more; Gt/Lt: one integer; Exists/DoesNotExist: none. @default - none */
  readonly values?: string[];
}

/** Preferred (soft) node affinity: the scheduler favours nodes that meet all `match`, by `weight`. */
export interface PreferredNodeRequirements {
  /** 1-100. */
  readonly weight: number;
  readonly match: NodeRequirement[];
}

/** "required": never two pods of the workload in one zone/node; "preferred": avoid it when possible. */
export type AntiAffinityMode = "required" | "preferred";

/**
 * Where a workload's pods may run. Checked at synth against the node groups, Fargate profiles
 * and Auto Mode node pools of the cluster (see docs/workloads.md, "Placement").
 */
export interface PlacementOptions {
  /**
   * Node architectures the pods may run on (`kubernetes.io/arch`). One value pins it; both
   * leave it open. Must include every architecture the pods can land on when a container's
   * `imageArchitectures` is known.
   * @default - any architecture
   */
  readonly architectures?: Architecture[];
  /** @default - any capacity type */
  readonly capacityType?: PodCapacityType;
  /**
   * The node group role to run on: "system" selects the nodes of the `role: "system"` group
   * (SYSTEM_NODE_LABEL) or Auto Mode's built-in `system` pool, and tolerates their taints;
   * "general" keeps the pods off them.
   * @default - any node the pods tolerate
   */
  readonly nodeRole?: NodeGroupRole;
  /**
   * Taints the pods tolerate, e.g. a dedicated group's `{ key: "dedicated", value: "gpu", effect: "NoSchedule" }`.
   * @default - none; with nodeRole "system", the system nodes' tolerations
   */
  readonly tolerations?: Toleration[];
  /**
   * PriorityClass of the pods (the scheduler preempts lower-priority pods to place them).
   * The class must exist in the cluster.
   * @default - none (the cluster's global default, usually priority 0)
   */
  readonly priorityClassName?: string;
  /** Node affinity on labels: required (hard) and preferred (soft). @default - none */
  readonly nodeAffinity?: {
    /** @default - none */
    readonly required?: NodeRequirement[];
    /** @default - none */
    readonly preferred?: PreferredNodeRequirements[];
  };
  /**
   * Pod anti-affinity between the workload's own pods. The workload already spreads its pods
   * softly across zones and nodes (topology spread, ScheduleAnyway); this makes it strict or
   * adds a preference. "required" per host needs at least as many nodes as replicas.
   * @default - none
   */
  readonly antiAffinity?: {
    /** @default - none */
    readonly zone?: AntiAffinityMode;
    /** @default - none */
    readonly host?: AntiAffinityMode;
  };
  /**
   * Skip the synth-time check that some node group, Fargate profile or Auto Mode node pool of
   * the cluster takes these pods, e.g. for compute declared outside this app (custom Auto Mode
   * NodePools, node groups of another Terraform configuration). Give the reason.
   * @default - checked
   */
  readonly uncheckedReason?: string;
}

/** Labels the capacity types carry, per compute mode. */
const CAPACITY_LABEL = { managed: "eks.amazonaws.com/capacityType", auto: "karpenter.sh/capacity-type" } as const;
const CAPACITY_VALUE = {
  managed: { "on-demand": "ON_DEMAND", spot: "SPOT" },
  auto: { "on-demand": "on-demand", spot: "spot" },
} as const;
const ARCH_LABEL = "kubernetes.io/arch";
const NODE_POOL_LABEL = "karpenter.sh/nodepool";
const ZONE = "topology.kubernetes.io/zone";
const HOST = "kubernetes.io/hostname";
const OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"];

/** The built-in Auto Mode node pools, as the EKS user guide describes them ("Enable or Disable Built-in NodePools",
 * docs.aws.amazon.com/eks/latest/userguide/set-builtin-node-pools.html, read 2026-12): both on-demand only;
 * general-purpose amd64 only; system amd64 and arm64, tainted CriticalAddonsOnly. */
const AUTO_POOLS = {
  "general-purpose": { architectures: ["amd64"], taints: [] as Toleration[] },
  system: {
    architectures: ["amd64", "arm64"],
    taints: [{ key: "CriticalAddonsOnly", effect: "NoSchedule" }] as Toleration[],
  },
} as const;

/** A place pods can run, as the check sees it. */
interface Target {
  /** For messages, e.g. `ManagedNodeGroup 'apps' (arm64, SPOT)`. */
  readonly describe: string;
  readonly architectures: readonly Architecture[];
  /** Node labels known at synth (token values are unknown). */
  readonly labels: Record<string, string>;
  /** Taints the pods must tolerate (NoSchedule / NoExecute). */
  readonly taints: readonly { key: string; value?: string; effect: string }[];
}

/** Placement as rendered into the pod template. */
export interface RenderedPlacement {
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: Toleration[];
  readonly affinity?: DeploymentV1SpecTemplateSpecAffinity;
  readonly priorityClassName?: string;
}

/** Validates placement props (no cluster knowledge needed) at construction. */
export function checkPlacement(where: string, p: PlacementOptions | undefined, nodeSelector?: Record<string, string>) {
  if (!p) return;
  const archs = p.architectures;
  if (archs !== undefined) {
    if (archs.length === 0)
      fail(where, "placement.architectures", [], "is empty", 'give "amd64", "arm64" or both, or leave it unset');
    for (const a of archs)
      if (!ARCHITECTURES.includes(a))
        fail(where, "placement.architectures", a, "is not a node architecture", 'use "amd64" or "arm64"');
  }
  if (p.capacityType !== undefined && p.capacityType !== "on-demand" && p.capacityType !== "spot")
    fail(where, "placement.capacityType", p.capacityType, "is not a capacity type", 'use "on-demand" or "spot"');
  if (p.nodeRole !== undefined && p.nodeRole !== "general" && p.nodeRole !== "system")
    fail(where, "placement.nodeRole", p.nodeRole, "is not a node group role", 'use "general" or "system"');
  (p.tolerations ?? []).forEach((t, i) => {
    const f = `placement.tolerations[${i}]`;
    checkLabelKey(where, `${f}.key`, t.key);
    if (t.operator !== undefined && t.operator !== "Equal" && t.operator !== "Exists")
      fail(where, `${f}.operator`, t.operator, "is not a toleration operator", 'use "Equal" or "Exists"');
    if (t.operator === "Exists" && t.value !== undefined)
      fail(where, `${f}.value`, t.value, 'is set with operator "Exists" (the API server refuses it)', "remove it");
    if (!["NoSchedule", "PreferNoSchedule", "NoExecute"].includes(t.effect))
      fail(
        where,
        `${f}.effect`,
        t.effect,
        "is not a taint effect",
        'use "NoSchedule", "PreferNoSchedule" or "NoExecute"',
      );
  });
  if (p.priorityClassName !== undefined) checkDnsSubdomain(where, "placement.priorityClassName", p.priorityClassName);
  const checkReqs = (field: string, reqs: NodeRequirement[]) =>
    reqs.forEach((r, i) => {
      const f = `${field}[${i}]`;
      checkLabelKey(where, `${f}.key`, r.key);
      if (!OPERATORS.includes(r.operator))
        fail(
          where,
          `${f}.operator`,
          r.operator,
          "is not a node selector operator",
          `use one of ${OPERATORS.join(", ")}`,
        );
      const n = r.values?.length ?? 0;
      if ((r.operator === "In" || r.operator === "NotIn") && n === 0)
        fail(
          where,
          `${f}.values`,
          r.values ?? [],
          `is empty, but operator "${r.operator}" needs values`,
          "give one or more values",
        );
      if ((r.operator === "Exists" || r.operator === "DoesNotExist") && n > 0)
        fail(
          where,
          `${f}.values`,
          r.values,
          `is set with operator "${r.operator}" (the API server refuses it)`,
          "remove it",
        );
      if ((r.operator === "Gt" || r.operator === "Lt") && (n !== 1 || !/^-?\d+$/.test(r.values![0])))
        fail(
          where,
          `${f}.values`,
          r.values ?? [],
          `must be one integer with operator "${r.operator}"`,
          'give e.g. ["4"]',
        );
    });
  checkReqs("placement.nodeAffinity.required", p.nodeAffinity?.required ?? []);
  (p.nodeAffinity?.preferred ?? []).forEach((pref, i) => {
    checkInteger(where, `placement.nodeAffinity.preferred[${i}].weight`, pref.weight, 1, 100);
    if (pref.match.length === 0)
      fail(where, `placement.nodeAffinity.preferred[${i}].match`, [], "is empty", "give at least one requirement");
    checkReqs(`placement.nodeAffinity.preferred[${i}].match`, pref.match);
  });
  for (const k of ["zone", "host"] as const) {
    const m = p.antiAffinity?.[k];
    if (m !== undefined && m !== "required" && m !== "preferred")
      fail(where, `placement.antiAffinity.${k}`, m, "is not an anti-affinity mode", 'use "required" or "preferred"');
  }
  if (p.uncheckedReason !== undefined && !p.uncheckedReason.trim())
    fail(where, "placement.uncheckedReason", p.uncheckedReason, "is empty", "say why the check can't see the compute");
  // One owner per label: the typed option or the free-form nodeSelector, never both.
  for (const key of [ARCH_LABEL, CAPACITY_LABEL.managed, CAPACITY_LABEL.auto, SYSTEM_NODE_LABEL.key, NODE_POOL_LABEL]) {
    if (nodeSelector && key in nodeSelector && owns(p, key)) {
      fail(
        where,
        "nodeSelector",
        key,
        "is also set by the typed placement options",
        "keep one of them: remove the key from nodeSelector, or the placement option",
      );
    }
  }
}

function owns(p: PlacementOptions, key: string): boolean {
  if (key === ARCH_LABEL) return p.architectures?.length === 1;
  if (key === CAPACITY_LABEL.managed || key === CAPACITY_LABEL.auto) return p.capacityType !== undefined;
  return p.nodeRole !== undefined;
}

/** The node selector, tolerations and affinity the placement renders to, for this cluster's compute. */
export function renderPlacement(
  p: PlacementOptions | undefined,
  cluster: IEksCluster,
  selectorLabels: Record<string, string>,
): RenderedPlacement {
  const nodeSelector: Record<string, string> = {};
  const tolerations: Toleration[] = [...(p?.tolerations ?? [])];
  if (!p) return { nodeSelector, tolerations };
  const auto = cluster.computeMode === "auto";
  if (p.architectures?.length === 1) nodeSelector[ARCH_LABEL] = p.architectures[0];
  if (p.capacityType) {
    const mode = auto ? "auto" : "managed";
    nodeSelector[CAPACITY_LABEL[mode]] = CAPACITY_VALUE[mode][p.capacityType];
  }
  const required: NodeRequirement[] = [...(p.nodeAffinity?.required ?? [])];
  const roleKey = auto ? NODE_POOL_LABEL : SYSTEM_NODE_LABEL.key;
  if (p.nodeRole === "system") {
    nodeSelector[roleKey] = auto ? "system" : SYSTEM_NODE_LABEL.value;
    if (p.tolerations === undefined) tolerations.push(...(cluster.systemNodePlacement?.tolerations ?? []));
  } else if (p.nodeRole === "general") {
    // General nodes carry no role label: "not the system nodes" (NotIn also matches an absent label).
    required.push({ key: roleKey, operator: "NotIn", values: ["system"] });
  }
  const expr = (reqs: NodeRequirement[]) => reqs.map((r) => ({ key: r.key, operator: r.operator, values: r.values }));
  const preferred = p.nodeAffinity?.preferred ?? [];
  const nodeAffinity =
    required.length > 0 || preferred.length > 0
      ? {
          requiredDuringSchedulingIgnoredDuringExecution:
            required.length > 0 ? { nodeSelectorTerm: [{ matchExpressions: expr(required) }] } : undefined,
          preferredDuringSchedulingIgnoredDuringExecution:
            preferred.length > 0
              ? preferred.map((pr) => ({ weight: pr.weight, preference: { matchExpressions: expr(pr.match) } }))
              : undefined,
        }
      : undefined;
  const terms = (mode: AntiAffinityMode) =>
    (["zone", "host"] as const)
      .filter((k) => p.antiAffinity?.[k] === mode)
      .map((k) => ({ topologyKey: k === "zone" ? ZONE : HOST, labelSelector: [{ matchLabels: selectorLabels }] }));
  const hard = terms("required");
  const soft = terms("preferred");
  const podAntiAffinity =
    hard.length > 0 || soft.length > 0
      ? {
          requiredDuringSchedulingIgnoredDuringExecution: hard.length > 0 ? hard : undefined,
          preferredDuringSchedulingIgnoredDuringExecution:
            soft.length > 0 ? soft.map((t) => ({ weight: 100, podAffinityTerm: t })) : undefined,
        }
      : undefined;
  return {
    nodeSelector,
    tolerations,
    affinity: nodeAffinity || podAntiAffinity ? { nodeAffinity, podAntiAffinity } : undefined,
    priorityClassName: p.priorityClassName,
  };
}

/** The places pods of this cluster can run, or undefined when unknown (nothing to check against). */
function targetsOf(cluster: IEksCluster): Target[] | undefined {
  if (cluster.adopted) return undefined; // its own node groups are its owner's: unknown here
  if (cluster.computeMode === "auto") {
    if (!(cluster instanceof EksCluster)) return undefined;
    return cluster.autoModeNodePools.map((pool) => ({
      describe: `Auto Mode node pool "${pool}" (${AUTO_POOLS[pool].architectures.join("/")}, on-demand${pool === "system" ? ", tainted CriticalAddonsOnly" : ""})`,
      architectures: AUTO_POOLS[pool].architectures,
      labels: { [NODE_POOL_LABEL]: pool, [CAPACITY_LABEL.auto]: "on-demand" },
      taints: AUTO_POOLS[pool].taints,
    }));
  }
  const groups = nodeGroupsOf(cluster);
  if (groups.length === 0 && fargateProfilesOf(cluster).length === 0) return undefined;
  return groups.map((g) => groupTarget(g));
}

function groupTarget(g: ManagedNodeGroup): Target {
  const arch: Architecture = g.architecture === "arm64" ? "arm64" : "amd64";
  const taints = g.taints.map((t) => tolerationOf(t)).filter((t) => t.effect !== "PreferNoSchedule");
  return {
    describe: `ManagedNodeGroup '${g.node.id}' (${arch}, ${g.capacityType}${g.role === "system" ? ", role system" : ""}${taints.length > 0 ? `, taints ${taints.map((t) => `${t.key}${t.value !== undefined ? `=${t.value}` : ""}:${t.effect}`).join(", ")}` : ""})`,
    architectures: [arch],
    labels: {
      ...(isToken(g.labels) ? {} : g.labels),
      [ARCH_LABEL]: arch,
      [CAPACITY_LABEL.managed]: g.capacityType,
    },
    taints,
  };
}

/** Keys whose absence from a target's labels is known (not just unmodelled). */
function modelledKeys(targets: Target[]): Set<string> {
  const keys = new Set([
    ARCH_LABEL,
    CAPACITY_LABEL.managed,
    CAPACITY_LABEL.auto,
    SYSTEM_NODE_LABEL.key,
    NODE_POOL_LABEL,
  ]);
  for (const t of targets) for (const k of Object.keys(t.labels)) keys.add(k);
  return keys;
}

function requirementHolds(r: NodeRequirement, labels: Record<string, string>, modelled: Set<string>): boolean {
  if (isToken(r.key) || (r.values ?? []).some(isToken)) return true;
  const value = labels[r.key];
  if (value === undefined && !modelled.has(r.key)) return true; // a label we don't know: can't tell
  if (value !== undefined && isToken(value)) return true;
  switch (r.operator) {
    case "In":
      return value !== undefined && r.values!.includes(value);
    case "NotIn":
      return value === undefined || !r.values!.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    default:
      return true; // Gt/Lt on numeric labels we don't model
  }
}

function tolerates(tolerations: Toleration[], taint: { key: string; value?: string; effect: string }): boolean {
  return tolerations.some(
    (t) =>
      (t.effect === undefined || t.effect === taint.effect) &&
      (isToken(t.key) ||
        (t.key === taint.key && ((t.operator ?? "Equal") === "Exists" || isToken(t.value) || t.value === taint.value))),
  );
}

/** Why a target can't take the pods, or undefined when it can. */
function mismatch(
  target: Target,
  rendered: RenderedPlacement,
  nodeSelector: Record<string, string>,
  required: NodeRequirement[],
  modelled: Set<string>,
): string | undefined {
  for (const [key, value] of Object.entries(nodeSelector)) {
    if (!requirementHolds({ key, operator: "In", values: [value] }, target.labels, modelled))
      return `its nodes don't carry ${key}=${value}`;
  }
  for (const r of required) {
    if (!requirementHolds(r, target.labels, modelled))
      return `its nodes don't meet ${r.key} ${r.operator}${r.values ? ` ${r.values.join(",")}` : ""}`;
  }
  const untolerated = target.taints.find((t) => !tolerates(rendered.tolerations, t));
  if (untolerated) return `the pods don't tolerate its taint ${untolerated.key}:${untolerated.effect}`;
  return undefined;
}

/**
 * The synth-time check: some node group, Fargate profile or Auto Mode node pool of the cluster
 * takes the pods, and every container's image runs on every architecture the pods can land on.
 */
export function checkSchedulable(args: {
  where: string;
  cluster: IEksCluster;
  placement: PlacementOptions | undefined;
  rendered: RenderedPlacement;
  nodeSelector: Record<string, string>;
  /** The Fargate profile that runs these pods, if any (described, e.g. "FargateProfile 'batch'"). */
  fargateProfile: string | undefined;
  /** Images with declared architectures: field and architectures. */
  images: { field: string; image: string; architectures: readonly Architecture[] }[];
  /** A node agent (DaemonSet): it runs on every matching node, not "somewhere". */
  daemon: boolean;
}): void {
  const { where, placement: p, rendered, images } = args;
  if (p?.uncheckedReason) return;
  const archsOf = (targets: readonly { architectures: readonly Architecture[] }[]) => [
    ...new Set(targets.flatMap((t) => [...t.architectures])),
  ];
  const checkImages = (archs: Architecture[], on: string) => {
    for (const img of images) {
      const missing = archs.filter((a) => !img.architectures.includes(a));
      if (missing.length > 0) {
        fail(
          where,
          `${img.field}imageArchitectures`,
          img.architectures,
          `don't include ${missing.join(", ")}, but the pods can run on ${on}: the container would fail with "exec format error"`,
          img.architectures.length === 1 && archs.includes(img.architectures[0])
            ? `set placement.architectures: ["${img.architectures[0]}"], or build the image for ${missing.join(" and ")} too`
            : `build the image for ${missing.join(" and ")}, or run the workload where such nodes are`,
        );
      }
    }
  };
  // Placement pins an architecture the image lacks: wrong whatever the cluster has.
  if (p?.architectures)
    checkImages([...p.architectures], `${p.architectures.join(" and ")} nodes (placement.architectures)`);

  if (args.fargateProfile) {
    // EKS Fargate runs amd64 only, on-demand only (arm64: aws/containers-roadmap#1629, open), and its
    // nodes carry no node group labels or taints.
    const problem: [string, unknown, string] | undefined =
      p?.architectures && !p.architectures.includes("amd64")
        ? ["placement.architectures", p.architectures, "EKS Fargate runs amd64 pods only"]
        : p?.capacityType === "spot"
          ? ["placement.capacityType", p.capacityType, "EKS Fargate has no spot capacity"]
          : p?.nodeRole !== undefined
            ? ["placement.nodeRole", p.nodeRole, "Fargate pods run on no node group"]
            : undefined;
    if (problem) {
      fail(
        where,
        problem[0],
        problem[1],
        `can't be met: ${args.fargateProfile} runs these pods on Fargate, and ${problem[2]}`,
        "remove it, or run the workload in a namespace no Fargate profile selects",
      );
    }
    checkImages(["amd64"], `Fargate (${args.fargateProfile}, amd64 only)`);
    return;
  }

  const targets = targetsOf(args.cluster);
  if (!targets) return; // compute unknown here (adopted or hand-written cluster): not checked
  const modelled = modelledKeys(targets);
  const selector = { ...args.nodeSelector, ...rendered.nodeSelector };
  const required = [...(p?.nodeAffinity?.required ?? [])];
  if (p?.nodeRole === "general") {
    required.push({
      key: args.cluster.computeMode === "auto" ? NODE_POOL_LABEL : SYSTEM_NODE_LABEL.key,
      operator: "NotIn",
      values: ["system"],
    });
  }
  const results = targets.map((t) => ({ t, why: mismatch(t, rendered, selector, required, modelled) }));
  const matching = results.filter((r) => r.why === undefined).map((r) => r.t);
  if (matching.length === 0) {
    if (args.daemon && targets.length > 0 && p === undefined && Object.keys(args.nodeSelector).length === 0) return;
    fail(
      where,
      "placement",
      describePlacement(p, args.nodeSelector),
      targets.length === 0
        ? "can't be met: the cluster has no node groups (only Fargate profiles that don't select these pods), so the pods would stay Pending"
        : `matches no node group or node pool of the cluster, so the pods would stay Pending: ${results.map((r) => `${r.t.describe}: ${r.why}`).join("; ")}`,
      targets.length === 0
        ? "add a node group, or a Fargate profile selecting the namespace"
        : "change the placement (or tolerate the taint), or add a node group that matches it",
    );
  }
  checkImages(archsOf(matching), matching.map((t) => t.describe).join(", "));
}

function describePlacement(p: PlacementOptions | undefined, nodeSelector: Record<string, string>) {
  const out: Record<string, unknown> = {};
  if (Object.keys(nodeSelector).length > 0) out.nodeSelector = nodeSelector;
  for (const k of ["architectures", "capacityType", "nodeRole", "tolerations", "nodeAffinity"] as const)
    if (p?.[k] !== undefined) out[k] = p[k];
  return out;
}
