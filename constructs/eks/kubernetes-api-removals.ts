import * as fs from "node:fs";
import * as path from "node:path";
import { IAspect, TerraformAsset, TerraformResource, Token } from "cdktf";
import { IConstruct } from "constructs";
import { fail, isToken } from "../private/validation";
import { minorOf } from "./kubernetes-versions";

/**
 * The API versions Kubernetes stopped serving, by the minor that stopped serving them: an
 * object of such a version is refused by the API server of that minor and every later one.
 *
 * Source: the Kubernetes "Deprecated API Migration Guide"
 * (kubernetes.io/docs/reference/using-api/deprecation-guide/, "Removed APIs by release", read
 * 2026-12-07; its newest removal is v1.32, and it lists none for 1.33 to 1.36). Only the
 * releases EKS has offered since 1.22 matter to a cluster this project can create or adopt.
 */
export interface ApiRemoval {
  /** The first minor that no longer serves it. */
  readonly removedIn: string;
  readonly apiVersion: string;
  readonly kinds: readonly string[];
  /** What to use instead. */
  readonly replacement: string;
}

export const KUBERNETES_API_REMOVALS_AS_OF = "2026-12-07";

export const KUBERNETES_API_REMOVALS: readonly ApiRemoval[] = [
  {
    removedIn: "1.22",
    apiVersion: "admissionregistration.k8s.io/v1beta1",
    kinds: ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"],
    replacement: "admissionregistration.k8s.io/v1",
  },
  {
    removedIn: "1.22",
    apiVersion: "apiextensions.k8s.io/v1beta1",
    kinds: ["CustomResourceDefinition"],
    replacement: "apiextensions.k8s.io/v1",
  },
  {
    removedIn: "1.22",
    apiVersion: "apiregistration.k8s.io/v1beta1",
    kinds: ["APIService"],
    replacement: "apiregistration.k8s.io/v1",
  },
  {
    removedIn: "1.22",
    apiVersion: "certificates.k8s.io/v1beta1",
    kinds: ["CertificateSigningRequest"],
    replacement: "certificates.k8s.io/v1",
  },
  {
    removedIn: "1.22",
    apiVersion: "coordination.k8s.io/v1beta1",
    kinds: ["Lease"],
    replacement: "coordination.k8s.io/v1",
  },
  { removedIn: "1.22", apiVersion: "extensions/v1beta1", kinds: ["Ingress"], replacement: "networking.k8s.io/v1" },
  {
    removedIn: "1.22",
    apiVersion: "networking.k8s.io/v1beta1",
    kinds: ["Ingress", "IngressClass"],
    replacement: "networking.k8s.io/v1",
  },
  {
    removedIn: "1.22",
    apiVersion: "rbac.authorization.k8s.io/v1beta1",
    kinds: ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
    replacement: "rbac.authorization.k8s.io/v1",
  },
  {
    removedIn: "1.22",
    apiVersion: "scheduling.k8s.io/v1beta1",
    kinds: ["PriorityClass"],
    replacement: "scheduling.k8s.io/v1",
  },
  {
    removedIn: "1.22",
    apiVersion: "storage.k8s.io/v1beta1",
    kinds: ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"],
    replacement: "storage.k8s.io/v1",
  },
  { removedIn: "1.25", apiVersion: "batch/v1beta1", kinds: ["CronJob"], replacement: "batch/v1" },
  {
    removedIn: "1.25",
    apiVersion: "discovery.k8s.io/v1beta1",
    kinds: ["EndpointSlice"],
    replacement: "discovery.k8s.io/v1",
  },
  { removedIn: "1.25", apiVersion: "events.k8s.io/v1beta1", kinds: ["Event"], replacement: "events.k8s.io/v1" },
  {
    removedIn: "1.25",
    apiVersion: "autoscaling/v2beta1",
    kinds: ["HorizontalPodAutoscaler"],
    replacement: "autoscaling/v2",
  },
  { removedIn: "1.25", apiVersion: "policy/v1beta1", kinds: ["PodDisruptionBudget"], replacement: "policy/v1" },
  {
    removedIn: "1.25",
    apiVersion: "policy/v1beta1",
    kinds: ["PodSecurityPolicy"],
    replacement: "Pod Security Admission (namespace labels)",
  },
  { removedIn: "1.25", apiVersion: "node.k8s.io/v1beta1", kinds: ["RuntimeClass"], replacement: "node.k8s.io/v1" },
  {
    removedIn: "1.26",
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  },
  {
    removedIn: "1.26",
    apiVersion: "autoscaling/v2beta2",
    kinds: ["HorizontalPodAutoscaler"],
    replacement: "autoscaling/v2",
  },
  {
    removedIn: "1.27",
    apiVersion: "storage.k8s.io/v1beta1",
    kinds: ["CSIStorageCapacity"],
    replacement: "storage.k8s.io/v1",
  },
  {
    removedIn: "1.29",
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  },
  {
    removedIn: "1.32",
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  },
];

/** An object the app creates, as the API server sees it. */
export interface KubernetesApiObject {
  readonly apiVersion: string;
  readonly kind: string;
}

/**
 * The API version and kind behind hashicorp/kubernetes resource types whose name doesn't say it
 * (the provider's `_v1`/`_v2` resources are the GA APIs; the unsuffixed ones it deprecated in
 * their favour wrote the beta APIs: provider docs of each resource). Types not listed here and
 * not of the `kubernetes_<kind>_v<N>` form are not checked.
 */
const LEGACY_RESOURCE_APIS: Readonly<Record<string, KubernetesApiObject>> = {
  kubernetes_cron_job: { apiVersion: "batch/v1beta1", kind: "CronJob" },
  kubernetes_pod_disruption_budget: { apiVersion: "policy/v1beta1", kind: "PodDisruptionBudget" },
  kubernetes_pod_security_policy: { apiVersion: "policy/v1beta1", kind: "PodSecurityPolicy" },
  kubernetes_csi_driver: { apiVersion: "storage.k8s.io/v1beta1", kind: "CSIDriver" },
  kubernetes_horizontal_pod_autoscaler_v2beta2: { apiVersion: "autoscaling/v2beta2", kind: "HorizontalPodAutoscaler" },
};

/** The API objects inside a Helm chart, read from its templates (local charts only: a remote chart's templates aren't here at synth). */
export function chartApiObjects(chartDir: string): KubernetesApiObject[] {
  const templates = path.join(chartDir, "templates");
  if (!fs.existsSync(templates)) return [];
  const out: KubernetesApiObject[] = [];
  for (const file of fs.readdirSync(templates).filter((f) => /\.ya?ml$/.test(f))) {
    for (const doc of fs.readFileSync(path.join(templates, file), "utf8").split(/^---\s*$/m)) {
      const apiVersion = /^apiVersion:\s*(\S+)\s*$/m.exec(doc)?.[1];
      const kind = /^kind:\s*(\S+)\s*$/m.exec(doc)?.[1];
      if (apiVersion && kind) out.push({ apiVersion, kind });
    }
  }
  return out;
}

/** The removal that hits this object on `kubernetesVersion`, if any. */
export function removalFor(object: KubernetesApiObject, kubernetesVersion: string): ApiRemoval | undefined {
  return KUBERNETES_API_REMOVALS.find(
    (r) =>
      r.apiVersion === object.apiVersion &&
      r.kinds.includes(object.kind) &&
      minorOf(r.removedIn) <= minorOf(kubernetesVersion),
  );
}

/**
 * Checks at synth that every Kubernetes object a stack creates uses an API its cluster's
 * minor still serves: the kubernetes provider's resources, `kubernetes_manifest` objects and the
 * templates of local Helm charts (`helm_release` whose `chart` is a directory). Added by the
 * workloads stack for its cluster's version; fails synth with the first object a removal hits.
 */
export class KubernetesApiRemovalCheck implements IAspect {
  constructor(
    private readonly kubernetesVersion: string,
    private readonly where: string,
  ) {}

  public visit(node: IConstruct): void {
    if (isToken(this.kubernetesVersion) || !/^1\.\d+$/.test(this.kubernetesVersion)) return;
    if (!(node instanceof TerraformResource)) return;
    const type = node.terraformResourceType;
    for (const object of apiObjectsOf(node)) {
      const removal = removalFor(object, this.kubernetesVersion);
      if (removal) {
        fail(
          this.where,
          `${type}.${node.friendlyUniqueId} (${node.node.path})`,
          `${object.apiVersion} ${object.kind}`,
          `is not served by Kubernetes ${this.kubernetesVersion}, the cluster's version: Kubernetes ${removal.removedIn} stopped serving it (Kubernetes deprecated API migration guide)`,
          `use ${removal.replacement}`,
        );
      }
    }
  }
}

/** The API objects a resource creates, as far as they are known at synth (exported for tests). */
export function apiObjectsOf(resource: TerraformResource): KubernetesApiObject[] {
  const type = resource.terraformResourceType;
  if (type in LEGACY_RESOURCE_APIS) return [LEGACY_RESOURCE_APIS[type]];
  // Only these two carry their API in their configuration: rendering any other resource's
  // (a Deployment's takes about 0.1 ms, every resource of the stack is visited) finds nothing.
  if (type !== "kubernetes_manifest" && type !== "helm_release") return [];
  const config = synthesizedConfig(resource);
  if (type === "kubernetes_manifest") {
    const manifest = config.manifest as Record<string, unknown> | undefined;
    const apiVersion = manifest?.apiVersion;
    const kind = manifest?.kind;
    return typeof apiVersion === "string" && typeof kind === "string" && !isToken(apiVersion) && !isToken(kind)
      ? [{ apiVersion, kind }]
      : [];
  }
  if (type === "helm_release") {
    const chart = config.chart;
    if (typeof chart !== "string" || Token.isUnresolved(chart)) return [];
    const dir = localChartDir(resource, chart);
    return dir ? chartApiObjects(dir) : [];
  }
  return [];
}

function synthesizedConfig(resource: TerraformResource): Record<string, unknown> {
  const rendered = resource.toTerraform() as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  const byId = rendered.resource?.[resource.terraformResourceType] ?? {};
  return Object.values(byId)[0] ?? {};
}

/**
 * The source directory of a local chart: a directory on disk, or the TerraformAsset next to the
 * release whose output path the release's `chart` names (its source path is not public API, so
 * read defensively: no directory, no check).
 */
function localChartDir(release: TerraformResource, chart: string): string | undefined {
  if (fs.existsSync(path.join(chart, "Chart.yaml"))) return chart;
  const scope = release.node.scope;
  for (const sibling of scope?.node.children ?? []) {
    if (!(sibling instanceof TerraformAsset) || sibling.path !== chart) continue;
    const source = (sibling as unknown as { sourcePath?: unknown }).sourcePath;
    if (typeof source === "string" && fs.existsSync(path.join(source, "Chart.yaml"))) return source;
  }
  return undefined;
}
