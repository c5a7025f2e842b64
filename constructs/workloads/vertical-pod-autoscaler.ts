import { createHash } from "node:crypto";
import * as path from "node:path";
import { Aspects, AssetType, ITerraformDependable, TerraformAsset } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { Release } from "@cdktf/provider-helm/lib/release";
import { minorOf } from "../eks/kubernetes-versions";
import { DependOnLater } from "../private/dependencies";
import { StackSingleton } from "../private/stack-singleton";
import { checkDnsLabel, checkDnsSubdomain, checkLabels } from "../private/kubernetes-names";
import { checkPositiveQuantity, parseQuantity } from "../private/quantity";
import { checkInteger, checkOneOf, describe, fail, isToken } from "../private/validation";
import type { INamespace } from "./namespace";

// VerticalPodAutoscaler objects (autoscaling.k8s.io/v1) and how a stack finds the VPA that
// serves them. API facts, read 2026-12-07 from kubernetes/autoscaler (the CRD of chart 0.13.0,
// vertical-pod-autoscaler/docs/features.md, pkg/features/features.go, updater main.go); the
// vendored CRD is test/controllers/charts/vertical-pod-autoscaler-0.13.0/.

/**
 * When VPA applies its recommendations:
 * - `Off`: never; it only recommends (`kubectl describe vpa`). Safe everywhere.
 * - `Initial`: only when a pod is created (the admission controller sets its requests).
 * - `Recreate`: also evicts running pods whose requests are far from the recommendation.
 * - `InPlaceOrRecreate`: resizes running pods in place, evicting only when that fails;
 *   needs in-place pod resize (Kubernetes 1.33+, where InPlacePodVerticalScaling is on by
 *   default) and VPA 1.5+ (its feature gate beta and on; GA in 1.6).
 * Not offered: `Auto` (deprecated since VPA 1.4: the updater logs "VPA uses deprecated
 * UpdateMode 'Auto'", kubernetes/autoscaler#8424) and `InPlace` (alpha, behind a feature gate).
 */
export type VpaUpdateMode = "Off" | "Initial" | "Recreate" | "InPlaceOrRecreate";
export const VPA_UPDATE_MODES: readonly VpaUpdateMode[] = ["Off", "Initial", "Recreate", "InPlaceOrRecreate"];

/** The resources VPA can size. */
export type VpaResource = "cpu" | "memory";
const VPA_RESOURCES: readonly VpaResource[] = ["cpu", "memory"];

/**
 * What VPA changes: the requests and the limits (keeping their declared ratio), or the
 * requests only (limits stay as declared; a request can then grow past its limit's headroom).
 */
export type VpaControlledValues = "RequestsAndLimits" | "RequestsOnly";
const CONTROLLED_VALUES: readonly VpaControlledValues[] = ["RequestsAndLimits", "RequestsOnly"];

/** Kinds VPA finds pods of. Jobs and CronJobs take only "Off" and "Initial". */
export type VpaTargetKind = "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "CronJob";
const TARGET_API_VERSIONS: Record<VpaTargetKind, string> = {
  Deployment: "apps/v1",
  StatefulSet: "apps/v1",
  DaemonSet: "apps/v1",
  Job: "batch/v1",
  CronJob: "batch/v1",
};

/** Quantities per resource, e.g. `{ cpu: "100m", memory: "128Mi" }`. */
export interface VpaResourceBounds {
  /** @default - no bound */
  readonly cpu?: string;
  /** @default - no bound */
  readonly memory?: string;
}

/** How VPA treats one container. Fields not given are the VerticalPodAutoscaler's own. */
export interface VpaContainerOptions {
  /** "Off": VPA leaves this container's resources alone (e.g. a sidecar sized by its vendor). @default "Auto" */
  readonly mode?: "Auto" | "Off";
  /** @default - the VerticalPodAutoscaler's controlledResources */
  readonly controlledResources?: VpaResource[];
  /** @default - the VerticalPodAutoscaler's controlledValues */
  readonly controlledValues?: VpaControlledValues;
  /** @default - the VerticalPodAutoscaler's minAllowed */
  readonly minAllowed?: VpaResourceBounds;
  /** @default - the VerticalPodAutoscaler's maxAllowed */
  readonly maxAllowed?: VpaResourceBounds;
}

/** The per-workload VPA settings (what a workload's `verticalPodAutoscaler` option takes). */
export interface VerticalPodAutoscalerOptions {
  /**
   * When recommendations are applied. "Off" only recommends: the safe start, and the only mode
   * that never fights an HPA, a LimitRange or a quota.
   * @default "Off"
   */
  readonly updateMode?: VpaUpdateMode;
  /** @default ["cpu", "memory"] */
  readonly controlledResources?: VpaResource[];
  /** @default "RequestsAndLimits" (VPA's default, stated in the object so a change of it is visible) */
  readonly controlledValues?: VpaControlledValues;
  /** The least VPA recommends, per resource, for every container. @default - no minimum */
  readonly minAllowed?: VpaResourceBounds;
  /**
   * The most VPA recommends, per resource, for every container: set it, so a leak or a burst
   * can't size a pod larger than a node (it would stay Pending) or the namespace quota.
   * @default - no maximum
   */
  readonly maxAllowed?: VpaResourceBounds;
  /**
   * Per-container settings, by container name; a container not listed follows the settings
   * above. Each listed container gets a complete policy (VPA doesn't merge a container's
   * policy with the default one; this construct does, so what you see is what applies).
   * @default - none
   */
  readonly containers?: Record<string, VpaContainerOptions>;
  /**
   * The fewest live replicas for the updater to evict one (Recreate, InPlaceOrRecreate). The
   * updater's own default (--min-replicas) is 2: a single-replica workload is never updated
   * after creation unless this is 1 (then it has downtime at each update).
   * @default - the updater's --min-replicas (2)
   */
  readonly minReplicas?: number;
}

/** What a VerticalPodAutoscaler points at. */
export interface VpaTarget {
  readonly kind: VpaTargetKind;
  /** The target's name (in the same namespace). */
  readonly name: string;
}

export interface VerticalPodAutoscalerProps extends VerticalPodAutoscalerOptions {
  /** The namespace of the target (and of the VPA object). */
  readonly namespace: INamespace;
  readonly target: VpaTarget;
  /**
   * Name of the VerticalPodAutoscaler object.
   * @default - the target's name
   */
  readonly name?: string;
  /**
   * Labels on the object, over the namespace's common labels.
   * @default - the namespace's common labels
   */
  readonly labels?: Record<string, string>;
}

/** One container policy as rendered (`"*"` is the default policy). */
export interface VpaContainerPolicy {
  readonly containerName: string;
  readonly mode: "Auto" | "Off";
  readonly controlledResources: VpaResource[];
  readonly controlledValues: VpaControlledValues;
  readonly minAllowed?: VpaResourceBounds;
  readonly maxAllowed?: VpaResourceBounds;
}

/** A VerticalPodAutoscaler's settings with every default resolved: the input of `vpaConflicts`. */
export interface VpaSettings {
  readonly updateMode: VpaUpdateMode;
  /** The default policy ("*") first, then one per listed container. */
  readonly containerPolicies: VpaContainerPolicy[];
  readonly minReplicas?: number;
}

/**
 * What serves VerticalPodAutoscaler objects in a cluster: the VPA release this project
 * installs, or one the cluster already runs. VPA objects find it with
 * `verticalPodAutoscalingOf(scope)` at synth, so the order constructs are written in doesn't matter.
 */
export interface IVerticalPodAutoscaling extends IConstruct {
  /** The VPA release ("1.8.0"): which update modes it offers. */
  readonly vpaVersion: string;
  /** Namespaces the admission controller's webhook skips: only "Off" works there. */
  readonly excludedNamespaces: readonly string[];
  /**
   * What VPA objects depend on (the release that installs the CRD): created after it, deleted
   * before it.
   */
  readonly dependables: ITerraformDependable[];
}

const registered = new StackSingleton<IVerticalPodAutoscaling>(
  "Vertical Pod Autoscaler",
  "is a second one",
  "a cluster runs one: keep one of them (on a cluster that runs its own, use ExistingVerticalPodAutoscaler)",
);

/** Makes `vpa` the VPA of its stack. One per stack: a second one is refused. */
export function registerVerticalPodAutoscaling(vpa: IVerticalPodAutoscaling): void {
  registered.register(vpa);
}

/** The VPA registered in `scope`'s stack, or undefined when there is none (yet). */
export function verticalPodAutoscalingOf(scope: IConstruct): IVerticalPodAutoscaling | undefined {
  return registered.of(scope);
}

/** Where the one-object chart lives in this repository (a TerraformAsset at synth). */
export const VPA_OBJECT_CHART_DIR = path.join(__dirname, "charts", "vertical-pod-autoscaler-object");
/**
 * The one-object chart's version (its Chart.yaml; a test keeps them equal). Stated on the release
 * so it is pinned like every chart (policy rule HELM1); the helm provider reads a local chart's
 * version from its Chart.yaml too, so the two agree and plan no change.
 */
const VPA_OBJECT_CHART_VERSION = "1.0.0";

/** The first Kubernetes minor with in-place pod resize on by default (InPlacePodVerticalScaling beta). */
export const IN_PLACE_RESIZE_MINOR = 33;
/** The first VPA release whose InPlaceOrRecreate is on without flags (feature gate beta in 1.5.0, GA in 1.6.0). */
export const VPA_IN_PLACE_VERSION = "1.5.0";

/** VPA object names per namespace, to refuse two of one name (they would share one Helm release). */
const namesOf = new WeakMap<INamespace, Set<string>>();

/**
 * One VerticalPodAutoscaler object, rendered through a local Helm chart shipped with these
 * constructs (`charts/vertical-pod-autoscaler-object`), one release per object.
 *
 * Why a chart and not `kubernetes_manifest`: kubernetes_manifest reads the CRD's schema from
 * the API server at plan time, so a first plan (cluster not yet created, or the CRD not yet
 * installed by the VPA release of the same apply) or a plan from outside the VPC would fail;
 * the workloads stack must plan before the cluster exists. A helm_release plans from the chart
 * alone and the API server checks the object at apply, after the VPA release (which installs
 * the CRD) it depends on. One release per object: changing or removing one VPA touches no other.
 * Removing it only stops future changes: running pods keep the requests they have.
 */
export class VerticalPodAutoscaler extends Construct {
  public readonly name: string;
  public readonly namespaceName: string;
  public readonly target: VpaTarget;
  public readonly settings: VpaSettings;
  /** The object as rendered (the chart's template is this object, key for key). */
  public readonly object: Record<string, unknown>;
  public readonly release: Release;

  constructor(scope: Construct, id: string, props: VerticalPodAutoscalerProps) {
    super(scope, id);
    const where = describe("VerticalPodAutoscaler", id);
    const ns = props.namespace;
    this.namespaceName = ns.name;
    this.target = props.target;
    checkOneOf(
      where,
      "target.kind",
      props.target.kind,
      Object.keys(TARGET_API_VERSIONS) as VpaTargetKind[],
      "a kind VPA targets",
    );
    checkDnsSubdomain(where, "target.name", props.target.name, `${props.target.kind} name`);
    this.name = props.name ?? props.target.name;
    checkDnsSubdomain(where, "name", this.name, "VerticalPodAutoscaler name");
    checkLabels(where, "labels", props.labels);
    this.settings = resolveVpaSettings(where, props, {
      kubernetesVersion: ns.cluster.kubernetesVersion,
      clusterName: ns.cluster.name,
      targetKind: props.target.kind,
    });

    if (!isToken(this.name) && !isToken(this.namespaceName)) {
      const taken = namesOf.get(ns) ?? new Set<string>();
      if (taken.has(this.name)) {
        fail(
          where,
          "name",
          this.name,
          `is already a VerticalPodAutoscaler in namespace "${this.namespaceName}" (one object, and one Helm release, per name)`,
          "give each VerticalPodAutoscaler of a namespace its own name",
        );
      }
      namesOf.set(ns, taken.add(this.name));
    }

    this.object = {
      apiVersion: "autoscaling.k8s.io/v1",
      kind: "VerticalPodAutoscaler",
      metadata: {
        name: this.name,
        namespace: this.namespaceName,
        labels: { ...ns.commonLabels, ...(props.labels ?? {}) },
      },
      spec: renderSpec(this.target, this.settings),
    };
    const metadata = this.object.metadata as { labels: Record<string, string> };
    const chart = new TerraformAsset(this, "chart", { path: VPA_OBJECT_CHART_DIR, type: AssetType.DIRECTORY });
    this.release = new Release(this, "release", {
      name: releaseNameFor(this.name),
      namespace: this.namespaceName,
      chart: chart.path,
      version: VPA_OBJECT_CHART_VERSION,
      atomic: true,
      // The values are the object's parts: the template renders them as they are.
      values: [JSON.stringify({ name: this.name, labels: metadata.labels, spec: this.object.spec }, null, 2)],
      dependsOn: ns.dependable ? [ns.dependable] : undefined,
    });

    // Resolved at synth, so a VPA installed after this object is declared still counts: the
    // object is created after the release that installs its CRD, and deleted before it.
    Aspects.of(this).add(new DependOnLater([this.release], () => verticalPodAutoscalingOf(this)?.dependables ?? []));
    const mode = this.settings.updateMode;
    this.node.addValidation({
      validate: () => {
        const vpa = verticalPodAutoscalingOf(this);
        if (vpa === undefined) {
          return [
            `${where}: target ${this.target.kind} "${this.target.name}" needs the Vertical Pod Autoscaler, but this stack installs none, so the VerticalPodAutoscaler CRD would not exist at apply ("no matches for kind VerticalPodAutoscaler"); install it with ClusterControllers' verticalPodAutoscaler (or declare the cluster's own with { existing: { vpaVersion } }), or remove the VerticalPodAutoscaler`,
          ];
        }
        const problems: string[] = [];
        if (
          mode === "InPlaceOrRecreate" &&
          !isToken(vpa.vpaVersion) &&
          compareVersions(vpa.vpaVersion, VPA_IN_PLACE_VERSION) < 0
        ) {
          problems.push(
            `${where}: updateMode "InPlaceOrRecreate" needs VPA ${VPA_IN_PLACE_VERSION} or later, but the cluster's VPA is ${vpa.vpaVersion} (the mode is behind an alpha feature gate before 1.5.0); use "Recreate", or upgrade VPA`,
          );
        }
        if (mode !== "Off" && vpa.excludedNamespaces.includes(this.namespaceName)) {
          problems.push(
            `${where}: updateMode "${mode}" applies recommendations through the VPA admission webhook, which skips namespace "${this.namespaceName}" (${vpa.excludedNamespaces.join(", ")} excluded), so pods would keep their declared requests; use updateMode "Off" there, or move the workload to another namespace`,
          );
        }
        return problems;
      },
    });
  }
}

/** Helm release name: `vpa-<name>`, shortened with a hash of the name past Helm's 53 characters. */
export function releaseNameFor(name: string): string {
  const full = `vpa-${name}`;
  if (isToken(name) || full.length <= 53) return full;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${full.slice(0, 44).replace(/[-.]+$/, "")}-${hash}`;
}

/** -1, 0, 1 for MAJOR.MINOR.PATCH versions (a "v" prefix and pre-release suffixes ignored). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^v/, "").split(/[-+]/)[0].split(".").map(Number);
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** What the settings are checked against. */
export interface VpaContext {
  /** The cluster's Kubernetes minor ("1.33"); a token skips the in-place check. */
  readonly kubernetesVersion: string;
  readonly clusterName: string;
  readonly targetKind: VpaTargetKind;
}

/**
 * The settings with defaults resolved and checked: update mode for the cluster's version and the
 * target's kind, resources, quantities, min ≤ max. Pure; the construct calls it, and a workload
 * can call it to validate its option before creating anything.
 */
export function resolveVpaSettings(where: string, o: VerticalPodAutoscalerOptions, ctx: VpaContext): VpaSettings {
  const updateMode = o.updateMode ?? "Off";
  checkOneOf(where, "updateMode", updateMode, VPA_UPDATE_MODES, "a VPA update mode");
  if (
    updateMode === "InPlaceOrRecreate" &&
    !isToken(ctx.kubernetesVersion) &&
    minorOf(ctx.kubernetesVersion) < IN_PLACE_RESIZE_MINOR
  ) {
    fail(
      where,
      "updateMode",
      updateMode,
      `needs in-place pod resize, which Kubernetes ${ctx.kubernetesVersion} (cluster "${ctx.clusterName}") doesn't enable: InPlacePodVerticalScaling is on by default from 1.${IN_PLACE_RESIZE_MINOR}`,
      `use "Recreate" (pods are evicted and recreated with the recommendation) or "Off", or upgrade the cluster to 1.${IN_PLACE_RESIZE_MINOR} or later`,
    );
  }
  if ((ctx.targetKind === "Job" || ctx.targetKind === "CronJob") && updateMode !== "Off" && updateMode !== "Initial") {
    fail(
      where,
      "updateMode",
      updateMode,
      `would evict or resize running ${ctx.targetKind} pods: a run is interrupted (its pod restarts from the beginning) to change its requests`,
      'use "Initial" (each new run starts with the recommendation) or "Off"',
    );
  }
  if (o.minReplicas !== undefined) checkInteger(where, "minReplicas", o.minReplicas, 1, 1000);

  const base: VpaContainerPolicy = policyOf(where, "", o, {
    containerName: "*",
    mode: "Auto",
    controlledResources: [...VPA_RESOURCES],
    controlledValues: "RequestsAndLimits",
  });
  const policies = [base];
  for (const [name, c] of Object.entries(o.containers ?? {})) {
    const field = `containers["${name}"]`;
    if (name === "*") {
      fail(
        where,
        "containers key",
        name,
        "is VPA's default policy, which this construct writes from the top-level settings",
        "set controlledResources, minAllowed and maxAllowed at the top level",
      );
    }
    checkDnsLabel(where, "containers key", name, "container name");
    if (c.mode !== undefined) checkOneOf(where, `${field}.mode`, c.mode, ["Auto", "Off"] as const, "a container mode");
    policies.push(
      policyOf(where, `${field}.`, c, {
        containerName: name,
        mode: c.mode ?? "Auto",
        controlledResources: base.controlledResources,
        controlledValues: base.controlledValues,
        minAllowed: base.minAllowed,
        maxAllowed: base.maxAllowed,
      }),
    );
  }
  return {
    updateMode,
    containerPolicies: policies,
    ...(o.minReplicas !== undefined ? { minReplicas: o.minReplicas } : {}),
  };
}

function policyOf(
  where: string,
  prefix: string,
  o: Omit<VpaContainerOptions, "mode">,
  inherited: VpaContainerPolicy,
): VpaContainerPolicy {
  const controlledResources = o.controlledResources ?? inherited.controlledResources;
  if (!Array.isArray(controlledResources) || controlledResources.length === 0) {
    fail(
      where,
      `${prefix}controlledResources`,
      controlledResources,
      "controls nothing",
      'list "cpu" and/or "memory", or set the container\'s mode to "Off"',
    );
  }
  controlledResources.forEach((r, i) =>
    checkOneOf(where, `${prefix}controlledResources[${i}]`, r, VPA_RESOURCES, "a resource VPA sizes"),
  );
  if (new Set(controlledResources).size !== controlledResources.length) {
    fail(
      where,
      `${prefix}controlledResources`,
      controlledResources,
      "lists a resource twice",
      "list each resource once",
    );
  }
  const controlledValues = o.controlledValues ?? inherited.controlledValues;
  checkOneOf(where, `${prefix}controlledValues`, controlledValues, CONTROLLED_VALUES, "a controlledValues setting");
  const minAllowed = o.minAllowed ?? inherited.minAllowed;
  const maxAllowed = o.maxAllowed ?? inherited.maxAllowed;
  for (const [field, bounds] of [
    ["minAllowed", minAllowed],
    ["maxAllowed", maxAllowed],
  ] as const) {
    for (const [r, q] of Object.entries(bounds ?? {}) as [string, string | undefined][]) {
      checkOneOf(where, `${prefix}${field} key`, r, VPA_RESOURCES, "a resource VPA sizes");
      if (q === undefined) continue;
      checkPositiveQuantity(where, `${prefix}${field}.${r}`, q, r === "memory" ? "bytes" : "cores");
      if (!controlledResources.includes(r)) {
        fail(
          where,
          `${prefix}${field}.${r}`,
          q,
          `bounds a resource VPA doesn't control here (controlledResources ${JSON.stringify(controlledResources)}), so it would do nothing`,
          `add "${r}" to controlledResources, or remove the bound`,
        );
      }
    }
  }
  for (const r of VPA_RESOURCES) {
    const [min, max] = [minAllowed?.[r], maxAllowed?.[r]];
    if (min === undefined || max === undefined || isToken(min) || isToken(max)) continue;
    if (parseQuantity(min)! > parseQuantity(max)!) {
      fail(
        where,
        `${prefix}minAllowed.${r}`,
        min,
        `is above ${prefix}maxAllowed.${r} ("${max}")`,
        `lower minAllowed.${r} or raise maxAllowed.${r}`,
      );
    }
  }
  return {
    containerName: inherited.containerName,
    mode: inherited.mode,
    controlledResources: [...controlledResources],
    controlledValues,
    ...(minAllowed && Object.keys(minAllowed).length > 0 ? { minAllowed: { ...minAllowed } } : {}),
    ...(maxAllowed && Object.keys(maxAllowed).length > 0 ? { maxAllowed: { ...maxAllowed } } : {}),
  };
}

/** The object's spec: every setting explicit, so a change of VPA's defaults can't change it unseen. */
export function renderSpec(target: VpaTarget, s: VpaSettings): Record<string, unknown> {
  return {
    targetRef: { apiVersion: TARGET_API_VERSIONS[target.kind], kind: target.kind, name: target.name },
    updatePolicy: { updateMode: s.updateMode, ...(s.minReplicas !== undefined ? { minReplicas: s.minReplicas } : {}) },
    resourcePolicy: {
      containerPolicies: s.containerPolicies.map((p) => ({
        containerName: p.containerName,
        mode: p.mode,
        controlledResources: p.controlledResources,
        controlledValues: p.controlledValues,
        ...(p.minAllowed ? { minAllowed: definedOnly(p.minAllowed) } : {}),
        ...(p.maxAllowed ? { maxAllowed: definedOnly(p.maxAllowed) } : {}),
      })),
    },
  };
}

function definedOnly(b: VpaResourceBounds): Record<string, string> {
  return Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined));
}
