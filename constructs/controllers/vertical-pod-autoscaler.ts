import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { Release } from "@cdktf/provider-helm/lib/release";
import { IEksCluster, NodePlacement } from "../eks/types";
import { checkChartVersion, HelmChartPin, lazyValues, placementValues } from "./helm";
import { describe, fail, isToken } from "../private/validation";
import { IVerticalPodAutoscaling, registerVerticalPodAutoscaling } from "../workloads/vertical-pod-autoscaler";

/**
 * The chart pinned by default: the official SIG Autoscaling chart `vertical-pod-autoscaler`
 * 0.13.0 (kubernetes/autoscaler, vertical-pod-autoscaler/charts/vertical-pod-autoscaler, tag
 * vertical-pod-autoscaler-chart-0.13.0, released 2026-09-23), which deploys VPA 1.8.0
 * (InPlaceOrRecreate GA since 1.6.0). Chosen over Fairwinds' `vpa` chart, which lagged (VPA
 * 1.4.1 in December 2025). Known caveat: the chart's README still says "currently under
 * development and is not ready for production use"; it is SIG-owned, released often, and has
 * managed the CRDs as templates since 0.12.0 (so no later ownership migration is needed from
 * here). Vendored facts: test/controllers/charts/vertical-pod-autoscaler-0.13.0/.
 */
export const VPA_CHART: HelmChartPin = {
  repository: "https://kubernetes.github.io/autoscaler",
  chart: "vertical-pod-autoscaler",
  version: "0.13.0",
  appVersion: "1.8.0",
};

/** Where VPA runs. Its admission webhook skips this namespace (see VerticalPodAutoscalerController). */
export const VPA_NAMESPACE = "kube-system";

export interface VerticalPodAutoscalerControllerOptions {
  /**
   * Chart version (exact). Give `vpaVersion` with it: the update modes VPA objects may use depend on it.
   * @default VPA_CHART.version ("0.13.0")
   */
  readonly chartVersion?: string;
  /**
   * The VPA release the chart deploys (its appVersion).
   * @default VPA_CHART.appVersion ("1.8.0"); required with chartVersion
   */
  readonly vpaVersion?: string;
  /**
   * Where the recommender, updater, admission controller and the certificate Jobs run.
   * @default - the cluster's systemNodePlacement, read at synth (undefined: anywhere)
   */
  readonly placement?: NodePlacement;
  /**
   * Further chart values, merged over ours at the top level (a key given here replaces ours).
   * @default - none
   */
  readonly values?: Record<string, unknown>;
}

export interface VerticalPodAutoscalerControllerProps extends VerticalPodAutoscalerControllerOptions {
  readonly cluster: IEksCluster;
}

/**
 * Requests and memory limits from the chart's commented examples (values.yaml), so the system nodes
 * account for VPA; no CPU limit (throttling, as for workloads: see Resources).
 */
const RESOURCES = {
  admissionController: { requests: { cpu: "50m", memory: "200Mi" }, limits: { memory: "500Mi" } },
  recommender: { requests: { cpu: "50m", memory: "500Mi" }, limits: { memory: "1000Mi" } },
  updater: { requests: { cpu: "50m", memory: "200Mi" }, limits: { memory: "500Mi" } },
};

/**
 * The Vertical Pod Autoscaler (recommender, updater, admission controller), installed with its
 * official chart. No IAM: no component calls an AWS API; the recommender reads pod metrics from
 * metrics.k8s.io, i.e. the cluster's metrics-server (an EKS add-on; refused when the cluster says
 * it doesn't have it).
 *
 * Settings, against the chart's values.yaml at 0.13.0:
 * - the three Deployments and the two certificate hook Jobs on the system nodes (a hook Job that
 *   can't schedule hangs the release), priority class system-cluster-critical;
 * - the admission webhook registered by Helm (`registerWebhook: false`: the binary would
 *   otherwise need delete on every MutatingWebhookConfiguration) with certificates from the
 *   chart's kube-webhook-certgen Jobs (no cert-manager), failurePolicy Ignore: a pod is never
 *   refused because VPA is down, it starts with its declared requests. kube-system is excluded
 *   from the webhook (namespaceSelector), so system pods never wait on it;
 * - CRDs installed and kept on uninstall (`crds.keep`): removing VPA never deletes users' VPA objects;
 * - the updater's `--in-place-skip-disruption-budget=true` (the chart default, stated): an
 *   in-place resize doesn't take a pod out of service, so PDBs aren't consulted; evictions
 *   (Recreate, and InPlaceOrRecreate's fallback) still are.
 */
export class VerticalPodAutoscalerController extends Construct implements IVerticalPodAutoscaling {
  public readonly chartVersion: string;
  public readonly vpaVersion: string;
  public readonly excludedNamespaces: readonly string[] = [VPA_NAMESPACE];
  public readonly release: Release;

  constructor(scope: Construct, id: string, props: VerticalPodAutoscalerControllerProps) {
    super(scope, id);
    const where = describe("VerticalPodAutoscalerController", id);
    const cluster = props.cluster;
    if (props.chartVersion !== undefined && props.vpaVersion === undefined) {
      fail(
        where,
        "vpaVersion",
        undefined,
        `is needed with chartVersion "${props.chartVersion}": VPA objects' update modes are checked against the VPA release the chart deploys`,
        'give the chart\'s appVersion as vpaVersion, e.g. "1.8.0"',
      );
    }
    this.chartVersion = props.chartVersion ?? VPA_CHART.version;
    checkChartVersion(where, "chartVersion", this.chartVersion);
    this.vpaVersion = props.vpaVersion ?? VPA_CHART.appVersion;
    checkVpaVersion(where, this.vpaVersion);
    if (metricsServerOf(cluster) === "absent") {
      fail(
        where,
        "cluster",
        cluster.name,
        "has no metrics-server add-on, and the VPA recommender reads pod usage from metrics.k8s.io: it would never recommend",
        "keep metrics-server in the cluster's addons (the default), or leave verticalPodAutoscaler out (false)",
      );
    }

    this.release = new Release(this, "release", {
      name: "vertical-pod-autoscaler",
      namespace: VPA_NAMESPACE,
      repository: VPA_CHART.repository,
      chart: VPA_CHART.chart,
      version: this.chartVersion,
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
      values: [
        lazyValues(() => {
          const placement = placementValues(props.placement ?? cluster.systemNodePlacement);
          const component = (resources: object) => ({
            ...placement,
            // Evicting VPA's own pods on a full node would stop sizing everyone else's.
            priorityClassName: "system-cluster-critical",
            resources,
          });
          return {
            admissionController: {
              ...component(RESOURCES.admissionController),
              registerWebhook: false,
              certGen: { enabled: true, ...placement, priorityClassName: "system-cluster-critical" },
              mutatingWebhookConfiguration: {
                failurePolicy: "Ignore",
                namespaceSelector: {
                  matchExpressions: [
                    { key: "kubernetes.io/metadata.name", operator: "NotIn", values: [VPA_NAMESPACE] },
                  ],
                },
              },
            },
            recommender: component(RESOURCES.recommender),
            updater: {
              ...component(RESOURCES.updater),
              extraArgs: ["--in-place-skip-disruption-budget=true"],
            },
            crds: { enabled: true, keep: true },
            ...(props.values ?? {}),
          };
        }),
      ],
    });
    registerVerticalPodAutoscaling(this);
  }

  /** VPA objects are created after the release (it installs their CRD) and deleted before it. */
  public get dependables(): ITerraformDependable[] {
    return [this.release];
  }
}

export interface ExistingVerticalPodAutoscalerOptions {
  /** The VPA release the cluster runs (e.g. "1.8.0"): which update modes VPA objects may use. */
  readonly vpaVersion: string;
  /**
   * Namespaces its admission webhook skips (where only "Off" works).
   * @default []
   */
  readonly excludedNamespaces?: string[];
}

/**
 * A VPA the cluster already runs (an adopted cluster): nothing is installed; VPA objects of the
 * stack are checked against its version. Its CRD must exist before they are applied.
 */
export class ExistingVerticalPodAutoscaler extends Construct implements IVerticalPodAutoscaling {
  public readonly vpaVersion: string;
  public readonly excludedNamespaces: readonly string[];
  public readonly dependables: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: ExistingVerticalPodAutoscalerOptions) {
    super(scope, id);
    checkVpaVersion(describe("ExistingVerticalPodAutoscaler", id), props.vpaVersion);
    this.vpaVersion = props.vpaVersion;
    this.excludedNamespaces = [...(props.excludedNamespaces ?? [])];
    registerVerticalPodAutoscaling(this);
  }
}

function checkVpaVersion(where: string, version: string): void {
  if (isToken(version) || /^\d+\.\d+\.\d+$/.test(version)) return;
  fail(where, "vpaVersion", version, "is not a VPA release", 'give MAJOR.MINOR.PATCH, e.g. "1.8.0"');
}

/**
 * Whether the cluster installs the metrics-server add-on: known for a cluster made by EksCluster
 * (its `addons`), unknown for an adopted or hand-written one.
 */
export function metricsServerOf(cluster: IEksCluster): "installed" | "absent" | "unknown" {
  const addons = (cluster as { addons?: { enabled?: ReadonlyMap<string, unknown> } }).addons;
  if (cluster.adopted || !(addons?.enabled instanceof Map)) return "unknown";
  return addons.enabled.has("metrics-server") ? "installed" : "absent";
}

/** What ClusterControllers' `verticalPodAutoscaler` option takes. */
export type VerticalPodAutoscalerChoice =
  VerticalPodAutoscalerControllerOptions | false | { readonly existing: ExistingVerticalPodAutoscalerOptions };

/**
 * The VPA of ClusterControllers, by its option. Default: installed on clusters with somewhere
 * to run it, i.e. Auto Mode (its built-in system node pool, or general-purpose) and managed
 * compute with node groups; not on Fargate alone (its pods would need a kube-system Fargate
 * profile, and Fargate pods are sized at start anyway). VPA objects are then available to every
 * workload, and it costs six small pods (150m CPU, 900Mi requested) on the system nodes.
 */
export function verticalPodAutoscalerFor(
  scope: Construct,
  cluster: IEksCluster,
  choice: VerticalPodAutoscalerChoice | undefined,
): VerticalPodAutoscalerController | ExistingVerticalPodAutoscaler | undefined {
  if (choice === false) return undefined;
  if (choice !== undefined && "existing" in choice) {
    return new ExistingVerticalPodAutoscaler(scope, "existing-vertical-pod-autoscaler", choice.existing);
  }
  const somewhereToRun = cluster.computeMode === "auto" || cluster.nodeRoleArns.length > 0;
  if (choice === undefined && !somewhereToRun) return undefined;
  return new VerticalPodAutoscalerController(scope, "vertical-pod-autoscaler", { ...choice, cluster });
}
