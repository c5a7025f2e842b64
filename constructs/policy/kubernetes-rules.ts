import { block, blocks, dig, isFalse, isTrue, isUnknown, ResourceView } from "./resource-view";
import { namespaceOf, selects, Workload, workloadsOf } from "./kubernetes-view";
import { PolicyRule, RuleContext, Violation } from "./types";

// Kubernetes rules: they read the kubernetes_*_v1 resources of @cdktf/provider-kubernetes
// (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod: container rules read the pod
// template), so hand-written resources are checked like the workload constructs' output.

const cache = new WeakMap<RuleContext, Workload[]>();
function workloads(ctx: RuleContext): Workload[] {
  let w = cache.get(ctx);
  if (!w) cache.set(ctx, (w = workloadsOf(ctx.resources, (a) => ctx.byAddress(a))));
  return w;
}

const v = (resource: ResourceView, problem: string, fix: string): Violation => ({ resource, problem, fix });
const label = (w: Workload, c?: Record<string, any>) =>
  `${w.kind} ${w.namespace}/${w.name}${c ? ` container "${c.name}"` : ""}`;

/** One violation per container that fails `bad` (returns the problem) . */
function perContainer(
  ctx: RuleContext,
  bad: (c: Record<string, any>, w: Workload) => string | undefined,
  fix: string,
  only: (w: Workload) => boolean = () => true,
): Violation[] {
  const out: Violation[] = [];
  for (const w of workloads(ctx).filter(only)) {
    for (const c of w.containers) {
      const problem = bad(c, w);
      if (problem) out.push(v(w.resource, `${label(w, c)} ${problem}`, fix));
    }
  }
  return out;
}
const sc = (c: Record<string, any>) => block(c.security_context) ?? {};
const podSc = (w: Workload) => block(w.pod.security_context) ?? {};
const resources = (c: Record<string, any>) => block(c.resources) ?? {};
const has = (map: unknown, key: string) =>
  isUnknown(map) || (map && typeof map === "object" && (map as any)[key] !== undefined);

/** K8S1 (error): CPU and memory requests, so the scheduler can bin-pack and the HPA can compute utilization. */
const requests: PolicyRule = {
  id: "K8S1",
  severity: "error",
  title: "CPU and memory requests set",
  peers: {
    checkov: ["CKV_K8S_10", "CKV_K8S_12"],
    trivy: ["KSV015", "KSV016"],
    kubeScore: ["container-resources"],
    polaris: ["cpuRequestsMissing", "memoryRequestsMissing"],
  },
  check: (ctx) =>
    perContainer(
      ctx,
      (c) => {
        const req = resources(c).requests;
        const missing = ["cpu", "memory"].filter((k) => !has(req, k));
        return missing.length ? `has no ${missing.join(" or ")} request` : undefined;
      },
      "set resources.requests.cpu and .memory",
    ),
};

/** K8S2 (error): a memory limit, so one leaking pod can't take the node's memory. */
const memoryLimit: PolicyRule = {
  id: "K8S2",
  severity: "error",
  title: "Memory limit set",
  peers: {
    checkov: ["CKV_K8S_13"],
    trivy: ["KSV018"],
    kubeScore: ["container-resources"],
    polaris: ["memoryLimitsMissing"],
  },
  check: (ctx) =>
    perContainer(
      ctx,
      (c) => (has(resources(c).limits, "memory") ? undefined : "has no memory limit"),
      "set resources.limits.memory",
    ),
};

/**
 * K8S3 (warning, off by default): a CPU limit. The peers disagree: checkov, trivy and Polaris
 * want one; kube-score makes it optional. CPU limits throttle pods even on idle nodes, and
 * requests already share the CPU fairly, so we only check them with `requireCpuLimits: true`.
 */
const cpuLimit: PolicyRule = {
  id: "K8S3",
  severity: "warning",
  title: "CPU limit set (with requireCpuLimits)",
  peers: {
    checkov: ["CKV_K8S_11"],
    trivy: ["KSV011"],
    kubeScore: ["container-resources"],
    polaris: ["cpuLimitsMissing"],
  },
  check: (ctx) =>
    ctx.options.requireCpuLimits
      ? perContainer(
          ctx,
          (c) => (has(resources(c).limits, "cpu") ? undefined : "has no CPU limit"),
          "set resources.limits.cpu",
        )
      : [],
};

/** K8S4 (warning): readiness and liveness probes on long-running workloads (not Jobs, CronJobs, init containers). */
const probes: PolicyRule = {
  id: "K8S4",
  severity: "warning",
  title: "Readiness and liveness probes",
  peers: {
    checkov: ["CKV_K8S_8", "CKV_K8S_9"],
    kubeScore: ["pod-probes"],
    polaris: ["readinessProbeMissing", "livenessProbeMissing"],
  },
  check: (ctx) => {
    const out: Violation[] = [];
    for (const w of workloads(ctx).filter((w) => w.longRunning)) {
      for (const c of blocks(w.pod.container)) {
        const missing = ["readiness_probe", "liveness_probe"].filter((p) => !c[p]);
        if (missing.length)
          out.push(
            v(
              w.resource,
              `${label(w, c)} has no ${missing.join(" or ")}`,
              "add the probes (WebService checks them against the ports)",
            ),
          );
      }
    }
    return out;
  },
};

/** K8S5 (error): runs as non-root (runAsNonRoot, or a non-zero runAsUser), on the pod or the container. */
const nonRoot: PolicyRule = {
  id: "K8S5",
  severity: "error",
  title: "Containers run as non-root",
  peers: {
    checkov: ["CKV_K8S_23"],
    trivy: ["KSV012"],
    kubeScore: ["container-security-context-user-group-id"],
    polaris: ["runAsRootAllowed"],
  },
  check: (ctx) =>
    perContainer(
      ctx,
      (c, w) => {
        const ok = (s: Record<string, any>) =>
          isTrue(s.run_as_non_root) ||
          isUnknown(s.run_as_non_root) ||
          isUnknown(s.run_as_user) ||
          (s.run_as_user !== undefined && Number(s.run_as_user) > 0);
        const cs = sc(c);
        if (isFalse(cs.run_as_non_root) || (cs.run_as_user !== undefined && Number(cs.run_as_user) === 0))
          return "runs as root";
        return ok(cs) || ok(podSc(w)) ? undefined : "may run as root (no runAsNonRoot)";
      },
      "set securityContext.runAsNonRoot: true (and a non-zero runAsUser)",
    ),
};

/** K8S6 (error): read-only root filesystem. */
const readOnlyRoot: PolicyRule = {
  id: "K8S6",
  severity: "error",
  title: "Read-only root filesystem",
  peers: {
    checkov: ["CKV_K8S_22"],
    trivy: ["KSV014"],
    kubeScore: ["container-security-context-readonlyrootfilesystem"],
    polaris: ["notReadOnlyRootFilesystem"],
  },
  check: (ctx) =>
    perContainer(
      ctx,
      (c) =>
        isTrue(sc(c).read_only_root_filesystem) || isUnknown(sc(c).read_only_root_filesystem)
          ? undefined
          : "has a writable root filesystem",
      "set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where it writes (/tmp)",
    ),
};

/** K8S7 (error): no privilege escalation. */
const noEscalation: PolicyRule = {
  id: "K8S7",
  severity: "error",
  title: "No privilege escalation",
  peers: { checkov: ["CKV_K8S_20"], trivy: ["KSV001"], polaris: ["privilegeEscalationAllowed"] },
  check: (ctx) =>
    perContainer(
      ctx,
      (c) =>
        isFalse(sc(c).allow_privilege_escalation) || isUnknown(sc(c).allow_privilege_escalation)
          ? undefined
          : "allows privilege escalation",
      "set securityContext.allowPrivilegeEscalation: false",
    ),
};

/** K8S8 (error): not privileged. */
const notPrivileged: PolicyRule = {
  id: "K8S8",
  severity: "error",
  title: "Not privileged",
  peers: {
    checkov: ["CKV_K8S_16"],
    trivy: ["KSV017"],
    kubeScore: ["container-security-context-privileged"],
    polaris: ["runAsPrivileged"],
  },
  check: (ctx) =>
    perContainer(
      ctx,
      (c) => (isTrue(sc(c).privileged) ? "is privileged" : undefined),
      "remove securityContext.privileged",
    ),
};

/** K8S9 (error): every capability dropped (add back only NET_BIND_SERVICE if needed). */
const capabilities: PolicyRule = {
  id: "K8S9",
  severity: "error",
  title: "Capabilities dropped (ALL)",
  peers: {
    checkov: ["CKV_K8S_37", "CKV_K8S_28"],
    trivy: ["KSV003"],
    polaris: ["insecureCapabilities", "dangerousCapabilities"],
  },
  check: (ctx) =>
    perContainer(
      ctx,
      (c) => {
        const caps = block(sc(c).capabilities) ?? {};
        if (isUnknown(caps.drop)) return undefined;
        const drop = (caps.drop ?? []) as string[];
        if (!drop.includes("ALL")) return "does not drop ALL capabilities";
        const added = ((caps.add ?? []) as string[]).filter((a) => a !== "NET_BIND_SERVICE" && !isUnknown(a));
        return added.length ? `adds capabilities ${added.join(", ")}` : undefined;
      },
      'set securityContext.capabilities.drop: ["ALL"] (add only NET_BIND_SERVICE)',
    ),
};

/** K8S10 (error): seccomp RuntimeDefault (or Localhost), on the pod or the container. */
const seccomp: PolicyRule = {
  id: "K8S10",
  severity: "error",
  title: "Seccomp profile RuntimeDefault",
  peers: { checkov: ["CKV_K8S_31"], trivy: ["KSV030"], kubeScore: ["container-seccomp-profile"] },
  check: (ctx) =>
    perContainer(
      ctx,
      (c, w) => {
        const type = block(sc(c).seccomp_profile)?.type ?? block(podSc(w).seccomp_profile)?.type;
        return type === "RuntimeDefault" || type === "Localhost" || isUnknown(type)
          ? undefined
          : `has seccomp profile ${type === undefined ? "unset (Unconfined)" : JSON.stringify(type)}`;
      },
      'set securityContext.seccompProfile.type: "RuntimeDefault" on the pod',
    ),
};

/** K8S11 (error): no host namespaces (hostNetwork, hostPID, hostIPC). */
const hostNamespaces: PolicyRule = {
  id: "K8S11",
  severity: "error",
  title: "No host namespaces",
  peers: {
    checkov: ["CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19"],
    trivy: ["KSV008", "KSV009", "KSV010"],
    polaris: ["hostIPCSet", "hostPIDSet", "hostNetworkSet"],
  },
  check: (ctx) =>
    workloads(ctx).flatMap((w) => {
      const set = ["host_network", "host_pid", "host_ipc"].filter((k) => isTrue(w.pod[k]));
      return set.length
        ? [v(w.resource, `${label(w)} sets ${set.join(", ")}`, "remove them; use a Service or hostPort-free design")]
        : [];
    }),
};

/** K8S12 (error): no hostPath volumes. */
const noHostPath: PolicyRule = {
  id: "K8S12",
  severity: "error",
  title: "No hostPath volumes",
  peers: { trivy: ["KSV023"] },
  check: (ctx) =>
    workloads(ctx).flatMap((w) =>
      blocks(w.pod.volume)
        .filter((vol) => vol.host_path)
        .map((vol) =>
          v(
            w.resource,
            `${label(w)} mounts hostPath volume "${vol.name}" (${dig(vol, "host_path", "path")})`,
            "use emptyDir, a ConfigMap or a PVC",
          ),
        ),
    ),
};

/** The tag/digest part of an image reference whose repository may be a Terraform expression. */
function imageProblem(image: unknown): string | undefined {
  if (typeof image !== "string") return "has no image";
  // Strip "${...}" expressions: what follows the last one is what we can check.
  const lastExpr = image.lastIndexOf("}");
  const tail = image.includes("${") ? image.slice(lastExpr + 1) : image;
  if (image.includes("${") && tail === "") return undefined; // all of it computed: unknown
  if (/@sha256:[0-9a-f]{64}$/.test(tail)) return undefined;
  const m = /:([\w][\w.-]{0,127})$/.exec(tail.slice(tail.lastIndexOf("/") + 1));
  if (!m) return `image ${JSON.stringify(image)} has no tag`;
  if (m[1] === "latest") return `image ${JSON.stringify(image)} uses the "latest" tag`;
  return undefined;
}

/** K8S13 (error): images pinned to a tag other than latest, or a digest. (Digest-only is K8S26.) */
const pinnedImages: PolicyRule = {
  id: "K8S13",
  severity: "error",
  title: "Images pinned (tag or digest, not latest)",
  peers: {
    checkov: ["CKV_K8S_14"],
    trivy: ["KSV013"],
    kubeScore: ["container-image-tag"],
    polaris: ["tagNotSpecified"],
  },
  check: (ctx) => perContainer(ctx, (c) => imageProblem(c.image), "pin a version tag or a digest (imageReference)"),
};

const NAMESPACED = [
  "kubernetes_service_v1",
  "kubernetes_ingress_v1",
  "kubernetes_config_map_v1",
  "kubernetes_secret_v1",
  "kubernetes_service_account_v1",
];

/** K8S14 (error): nothing in the default namespace. */
const notDefaultNamespace: PolicyRule = {
  id: "K8S14",
  severity: "error",
  title: "Not in the default namespace",
  peers: { checkov: ["CKV_K8S_21"], trivy: ["KSV110"] },
  check: (ctx) => {
    const out: Violation[] = workloads(ctx)
      .filter((w) => w.namespace === "default")
      .map((w) => v(w.resource, `${label(w)} is in the default namespace`, "put it in its own Namespace"));
    for (const r of ctx.ofType(...NAMESPACED)) {
      if (namespaceOf(r.config.metadata, (a) => ctx.byAddress(a)) === "default")
        out.push(
          v(
            r,
            `${r.type} "${dig(r.config, "metadata", "name")}" is in the default namespace`,
            "put it in its own Namespace",
          ),
        );
    }
    return out;
  },
};

/** Service accounts (namespace/name) bound to an IAM role: Pod Identity associations or the IRSA annotation. */
const BINDING_TYPES = [
  "kubernetes_role_binding_v1",
  "kubernetes_role_binding",
  "kubernetes_cluster_role_binding_v1",
  "kubernetes_cluster_role_binding",
];

/**
 * Service accounts ("namespace/name") bound to a Role or ClusterRole in the same stack: the pods
 * that call the Kubernetes API, the case that needs the token.
 */
function apiServiceAccounts(ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  for (const r of ctx.ofType(...BINDING_TYPES)) {
    for (const s of blocks(r.config.subject)) {
      if (s.kind !== "ServiceAccount") continue;
      // A computed namespace or name could be any pod's: then no workload is flagged (no false findings).
      if (isUnknown(s.namespace) || isUnknown(s.name)) out.add("*");
      out.add(`${s.namespace}/${s.name}`);
    }
  }
  return out;
}

/**
 * K8S15 (warning): the service-account token is not mounted (automountServiceAccountToken: false)
 * unless the pod's service account is bound to a Role or ClusterRole in the same stack (the pod
 * calls the Kubernetes API). AWS access is no reason: the EKS Pod Identity / IRSA webhook
 * (aws/amazon-eks-pod-identity-webhook, pkg/handler/handler.go) injects its own projected token
 * volume, audience sts.amazonaws.com / pods.eks.amazonaws.com, whatever automount says.
 */
const tokenAutomount: PolicyRule = {
  id: "K8S15",
  severity: "warning",
  title: "Service-account token mounted only for Kubernetes API access",
  peers: { checkov: ["CKV_K8S_38"], trivy: ["KSV036"], polaris: ["automountServiceAccountToken"] },
  check: (ctx) => {
    const bound = apiServiceAccounts(ctx);
    return workloads(ctx).flatMap((w) => {
      const mount = w.pod.automount_service_account_token;
      if (isFalse(mount) || isUnknown(mount)) return [];
      const sa = w.pod.service_account_name ?? "default";
      if (isUnknown(sa) || bound.has("*") || bound.has(`${w.namespace}/${sa}`)) return [];
      return [
        v(
          w.resource,
          `${label(w)} mounts its service-account token, but service account "${sa}" is bound to no Role or ClusterRole here (AWS access needs no such token)`,
          "set automountServiceAccountToken: false (apiAccess mounts it when the pods call the API), or suppress K8S15 with the reason",
        ),
      ];
    });
  },
};

const ROLE_TYPES = ["kubernetes_role_v1", "kubernetes_role", "kubernetes_cluster_role_v1", "kubernetes_cluster_role"];

/**
 * K8S27 (error): no "*" in the verbs, resources or API groups of a Role or ClusterRole: a wildcard
 * grants whatever later API versions and CRDs add (CIS Kubernetes Benchmark 5.1.3, "Minimize
 * wildcard use in Roles and ClusterRoles"). checkov CKV_K8S_49 (WildcardRoles); trivy KSV044 (wildcard
 * verb and resource), KSV045 (wildcard verb), KSV046 (wildcard resource); kube-linter
 * "wildcard-in-rules". kube-score and Polaris have no such check. A workload's
 * `apiAccess.wildcards: { reason }` is the suppression.
 */
const rbacWildcards: PolicyRule = {
  id: "K8S27",
  severity: "error",
  title: "No wildcards in Roles and ClusterRoles",
  peers: {
    checkov: ["CKV_K8S_49"],
    trivy: ["KSV044", "KSV045", "KSV046"],
    other: ["CIS Kubernetes Benchmark 5.1.3", "kube-linter wildcard-in-rules"],
  },
  check: (ctx) =>
    ctx.ofType(...ROLE_TYPES).flatMap((r) => {
      const kind = r.type.includes("cluster_role") ? "ClusterRole" : "Role";
      const meta = block(r.config.metadata) ?? {};
      const name =
        kind === "Role" ? `${namespaceOf(r.config.metadata, (a) => ctx.byAddress(a))}/${meta.name}` : meta.name;
      return blocks(r.config.rule).flatMap((rule, i) => {
        const wild = (["verbs", "resources", "api_groups"] as const).filter(
          (k) => Array.isArray(rule[k]) && rule[k].includes("*"),
        );
        if (wild.length === 0) return [];
        return [
          v(
            r,
            `${kind} ${name} rule ${i} has "*" in ${wild.map((k) => (k === "api_groups" ? "apiGroups" : k)).join(", ")}`,
            "list the exact verbs, resources and API groups the pods use",
          ),
        ];
      });
    }),
};

const HPA_TYPES = [
  "kubernetes_horizontal_pod_autoscaler_v2",
  "kubernetes_horizontal_pod_autoscaler_v2beta2",
  "kubernetes_horizontal_pod_autoscaler_v1",
  "kubernetes_horizontal_pod_autoscaler",
];

/** The HPA (resource and min replicas) that scales a workload, by namespace, kind and name. */
function hpaFor(ctx: RuleContext, w: Workload): { r: ResourceView; min: number | "unknown" } | undefined {
  for (const r of ctx.ofType(...HPA_TYPES)) {
    const ref = dig(r.config, "spec", "scale_target_ref") ?? {};
    if (namespaceOf(r.config.metadata, (a) => ctx.byAddress(a)) !== w.namespace) continue;
    if (ref.kind !== w.kind || (ref.name !== w.name && !isUnknown(ref.name))) continue;
    const raw = dig(r.config, "spec", "min_replicas");
    return { r, min: raw === undefined ? 1 : isUnknown(raw) ? "unknown" : Number(raw) };
  }
  return undefined;
}

/** Deployments and StatefulSets with more than one pod (replicas >= 2, or an HPA). */
function replicated(ctx: RuleContext): Workload[] {
  return workloads(ctx).filter(
    (w) =>
      (w.kind === "Deployment" || w.kind === "StatefulSet") &&
      (hpaFor(ctx, w) || w.replicas === "unknown" || (w.replicas ?? 1) >= 2),
  );
}

/** K8S16 (warning): at least 2 replicas, or an HPA with minReplicas >= 2, so one pod's loss is no outage. */
const minReplicas: PolicyRule = {
  id: "K8S16",
  severity: "warning",
  title: "At least 2 replicas (or HPA min >= 2)",
  peers: { kubeScore: ["deployment-replicas"], polaris: ["deploymentMissingReplicas"] },
  check: (ctx) =>
    workloads(ctx)
      .filter((w) => w.kind === "Deployment" || w.kind === "StatefulSet")
      .flatMap((w) => {
        const hpa = hpaFor(ctx, w);
        if (hpa)
          return hpa.min === "unknown" || hpa.min >= 2
            ? []
            : [v(hpa.r, `HPA of ${label(w)} has minReplicas ${hpa.min}`, "set minReplicas to 2 or more")];
        if (w.replicas === "unknown" || (w.replicas ?? 1) >= 2) return [];
        return [
          v(
            w.resource,
            `${label(w)} runs ${w.replicas ?? 1} replica`,
            "set replicas: 2 or more, or add an HPA with minReplicas >= 2",
          ),
        ];
      }),
};

/**
 * K8S17 (warning): no `replicas` on a workload an HPA scales, unless Terraform ignores it
 * (`lifecycle.ignore_changes` holding spec[0].replicas): otherwise every apply resets the
 * HPA's count. kube-score agrees; Polaris (deploymentMissingReplicas) wants replicas set, so
 * `allowReplicasWithHpa: true` turns this off.
 */
const replicasWithHpa: PolicyRule = {
  id: "K8S17",
  severity: "warning",
  title: "No replicas alongside an HPA (unless ignored by Terraform)",
  peers: { kubeScore: ["deployment-targeted-by-hpa-does-not-have-replicas-configured"] },
  check: (ctx) =>
    ctx.options.allowReplicasWithHpa
      ? []
      : workloads(ctx)
          .filter((w) => w.replicas !== undefined && hpaFor(ctx, w))
          .filter(
            (w) =>
              !((w.resource.config.lifecycle?.ignore_changes ?? []) as unknown[]).some((p) =>
                String(p).includes("replicas"),
              ),
          )
          .map((w) =>
            v(
              w.resource,
              `${label(w)} sets replicas ${w.replicas} and is scaled by an HPA: each apply resets the count`,
              'remove replicas or add lifecycle ignoreChanges ["spec[0].replicas"]',
            ),
          ),
};

/** K8S18 (warning): a PodDisruptionBudget for every replicated workload, so drains and upgrades keep it up. */
const pdb: PolicyRule = {
  id: "K8S18",
  severity: "warning",
  title: "PodDisruptionBudget per replicated workload",
  peers: {
    kubeScore: ["deployment-has-poddisruptionbudget", "statefulset-has-poddisruptionbudget"],
    polaris: ["missingPodDisruptionBudget"],
  },
  check: (ctx) => {
    const pdbs = ctx.ofType("kubernetes_pod_disruption_budget_v1", "kubernetes_pod_disruption_budget");
    return replicated(ctx)
      .filter(
        (w) =>
          !pdbs.some(
            (p) =>
              namespaceOf(p.config.metadata, (a) => ctx.byAddress(a)) === w.namespace &&
              selects(dig(p.config, "spec", "selector"), w.labels), // policy/v1: an empty selector selects every pod,
          ),
      )
      .map((w) =>
        v(w.resource, `${label(w)} has no PodDisruptionBudget`, "add a PDB selecting its pods (maxUnavailable: 1)"),
      );
  },
};

/** K8S19 (error): every pod is selected by a NetworkPolicy in its namespace (default deny and the allow rules). */
const networkPolicy: PolicyRule = {
  id: "K8S19",
  severity: "error",
  title: "NetworkPolicy covering every pod",
  peers: { trivy: ["KSV038"], kubeScore: ["pod-networkpolicy"] },
  check: (ctx) => {
    const policies = ctx.ofType("kubernetes_network_policy_v1", "kubernetes_network_policy");
    return workloads(ctx)
      .filter(
        (w) =>
          !policies.some(
            (p) =>
              namespaceOf(p.config.metadata, (a) => ctx.byAddress(a)) === w.namespace &&
              selects(dig(p.config, "spec", "pod_selector"), w.labels),
          ),
      )
      .map((w) =>
        v(
          w.resource,
          `${label(w)} is not selected by any NetworkPolicy`,
          "declare its namespace with the default-deny policy (Namespace) or add one",
        ),
      );
  },
};

/** K8S20 (warning): replicated workloads spread across zones (topologySpreadConstraints on topology.kubernetes.io/zone). */
const zoneSpread: PolicyRule = {
  id: "K8S20",
  severity: "warning",
  title: "Topology spread across zones",
  peers: { polaris: ["topologySpreadConstraint"] },
  check: (ctx) =>
    replicated(ctx)
      .filter(
        (w) =>
          !blocks(w.pod.topology_spread_constraint).some(
            (t) => t.topology_key === "topology.kubernetes.io/zone" || isUnknown(t.topology_key),
          ),
      )
      .map((w) =>
        v(
          w.resource,
          `${label(w)} does not spread its pods across zones`,
          'add a topologySpreadConstraint on "topology.kubernetes.io/zone"',
        ),
      ),
};

/** K8S21 (error): namespaces enforce a Pod Security Standard (restricted, or baseline by choice). */
const podSecurityLabels: PolicyRule = {
  id: "K8S21",
  severity: "error",
  title: "Pod Security labels on namespaces",
  peers: { other: ["Pod Security Admission (pod-security.kubernetes.io/enforce)"] },
  check: (ctx) =>
    ctx.ofType("kubernetes_namespace_v1", "kubernetes_namespace").flatMap((r) => {
      const level = (block(r.config.metadata)?.labels ?? {})["pod-security.kubernetes.io/enforce"];
      if (isUnknown(level) || level === "restricted" || level === "baseline") return [];
      return [
        v(
          r,
          `namespace "${dig(r.config, "metadata", "name")}" ${level ? `enforces "${level}"` : "has no pod-security.kubernetes.io/enforce label"}`,
          'label it pod-security.kubernetes.io/enforce: "restricted" (Namespace does)',
        ),
      ];
    }),
};

/** HELM1 (error): Helm charts pinned to a version, so a plan is reproducible. */
const helmPinned: PolicyRule = {
  id: "HELM1",
  severity: "error",
  title: "Helm chart version pinned",
  peers: {},
  check: (ctx) =>
    ctx
      .ofType("helm_release")
      .filter((r) => r.config.version === undefined || r.config.version === "")
      .map((r) => v(r, `chart "${r.config.chart}" has no version`, "pin version")),
};

/** A positive quantity is set (or unknown). */
const setQuantity = (map: unknown, key: string) =>
  isUnknown(map) ||
  (map !== null &&
    typeof map === "object" &&
    (map as any)[key] !== undefined &&
    (isUnknown((map as any)[key]) || !/^0+(\.0*)?[a-zA-Z]*$/.test(String((map as any)[key]))));

/**
 * K8S22 (warning): an ephemeral-storage request and limit on every container (init included), so
 * a pod filling the node's disk (logs, node-disk emptyDirs) is evicted alone. kube-score makes the
 * missing limit critical and the missing request a warning; we report both as one warning.
 */
const ephemeralStorage: PolicyRule = {
  id: "K8S22",
  severity: "warning",
  title: "Ephemeral-storage request and limit set",
  peers: { kubeScore: ["container-ephemeral-storage-request-and-limit"] },
  check: (ctx) =>
    perContainer(
      ctx,
      (c) => {
        const missing = [
          ...(setQuantity(resources(c).requests, "ephemeral-storage") ? [] : ["request"]),
          ...(setQuantity(resources(c).limits, "ephemeral-storage") ? [] : ["limit"]),
        ];
        return missing.length ? `has no ephemeral-storage ${missing.join(" or ")}` : undefined;
      },
      'set resources.requests and .limits "ephemeral-storage" (the workload constructs default to 256Mi)',
    ),
};

/** The handler of a probe, comparable: kube-score's semantics plus gRPC (port and service). */
function probeHandler(p: Record<string, any> | undefined): string | undefined {
  if (!p) return undefined;
  const http = block(p.http_get);
  if (http) return JSON.stringify(["http", http.path ?? "/", String(http.port)]);
  const tcp = block(p.tcp_socket);
  if (tcp) return JSON.stringify(["tcp", String(tcp.port)]);
  const grpc = block(p.grpc);
  if (grpc) return JSON.stringify(["grpc", String(grpc.port), grpc.service ?? ""]);
  const exec = block(p.exec);
  if (exec) return JSON.stringify(["exec", exec.command]);
  return undefined;
}

/**
 * K8S23 (warning): liveness differs from readiness. With identical checks, a slow dependency
 * fails both: the pod leaves the endpoints (fine) and is restarted (not fine: a restart storm
 * when a database is slow). kube-score compares the handler (HTTP path and port, TCP port, exec
 * command) and ignores timing; we do the same and also compare gRPC probes.
 */
const identicalProbes: PolicyRule = {
  id: "K8S23",
  severity: "warning",
  title: "Liveness probe differs from readiness",
  peers: { kubeScore: ["pod-probes", "pod-probes-identical"] },
  check: (ctx) =>
    perContainer(
      ctx,
      (c) => {
        const r = probeHandler(block(c.readiness_probe));
        const l = probeHandler(block(c.liveness_probe));
        return r !== undefined && r === l ? "has the same readiness and liveness check" : undefined;
      },
      "give liveness a cheaper check of the process itself (e.g. TCP on the port), or none",
      (w) => w.longRunning,
    ),
};

/**
 * K8S24 (warning): containers run with a user and group id of 10000 or more (container value, else
 * the pod's), so they share no id with a host user. No default can satisfy it safely: an image's
 * files are owned by its own uid; set securityContext.runAsUser/runAsGroup where the image allows,
 * or suppress with the image's reason.
 */
const highIds: PolicyRule = {
  id: "K8S24",
  severity: "warning",
  title: "User and group ids of 10000 or more",
  peers: { kubeScore: ["container-security-context-user-group-id"], checkov: ["CKV_K8S_40"] },
  check: (ctx) =>
    perContainer(
      ctx,
      (c, w) => {
        const low = (["run_as_user", "run_as_group"] as const).filter((k) => {
          const v = sc(c)[k] ?? podSc(w)[k];
          return !isUnknown(v) && (v === undefined || Number(v) < 10000);
        });
        return low.length
          ? `runs with ${low.map((k) => `${k === "run_as_user" ? "runAsUser" : "runAsGroup"} ${sc(c)[k] ?? podSc(w)[k] ?? "unset"}`).join(" and ")} (unset or below 10000)`
          : undefined;
      },
      "set securityContext.runAsUser and runAsGroup to 10000 or more, or suppress with the image's reason",
    ),
};

const DIGEST = /@sha256:[0-9a-f]{64}$/;

/**
 * K8S25 (warning): imagePullPolicy Always for images pinned by tag (a tag can be moved, and
 * IfNotPresent lets a pod reuse a node's cached copy without pull credentials). The peers want
 * Always for digests too; we accept IfNotPresent there: a digest is immutable, and on EKS every
 * pod of a node can pull through the node role anyway.
 */
const pullPolicy: PolicyRule = {
  id: "K8S25",
  severity: "warning",
  title: "Image pull policy Always for tag-pinned images",
  peers: { kubeScore: ["container-image-pull-policy"], polaris: ["pullPolicyNotAlways"], checkov: ["CKV_K8S_15"] },
  check: (ctx) =>
    perContainer(
      ctx,
      (c) => {
        const policy = c.image_pull_policy;
        if (isUnknown(policy) || policy === "Always" || typeof c.image !== "string") return undefined;
        if (DIGEST.test(c.image)) return undefined;
        // Unset with an untagged or latest image: Kubernetes defaults to Always.
        if (policy === undefined && imageProblem(c.image) !== undefined) return undefined;
        return `pulls tag-pinned image ${JSON.stringify(c.image)} with imagePullPolicy ${policy ?? "unset (IfNotPresent)"}`;
      },
      'set imagePullPolicy: "Always" (the workload constructs do for tags)',
    ),
};

/**
 * K8S26 (error, off by default): images pinned by digest. Only checkov asks for it; public images
 * pinned by tag can't be resolved to digests offline, so `requireImageDigests: true` turns it on.
 */
const digestImages: PolicyRule = {
  id: "K8S26",
  severity: "error",
  title: "Images pinned by digest (with requireImageDigests)",
  peers: { checkov: ["CKV_K8S_43"] },
  check: (ctx) =>
    ctx.options.requireImageDigests
      ? perContainer(
          ctx,
          (c) =>
            typeof c.image === "string" && !DIGEST.test(c.image)
              ? `image ${JSON.stringify(c.image)} is not pinned by digest`
              : undefined,
          "pin the image by digest (imageReference(url, { digest }))",
        )
      : [],
};

export const KUBERNETES_RULES: readonly PolicyRule[] = [
  requests,
  memoryLimit,
  cpuLimit,
  probes,
  nonRoot,
  readOnlyRoot,
  noEscalation,
  notPrivileged,
  capabilities,
  seccomp,
  hostNamespaces,
  noHostPath,
  pinnedImages,
  notDefaultNamespace,
  tokenAutomount,
  minReplicas,
  replicasWithHpa,
  pdb,
  networkPolicy,
  zoneSpread,
  podSecurityLabels,
  ephemeralStorage,
  identicalProbes,
  highIds,
  pullPolicy,
  digestImages,
  rbacWildcards,
  helmPinned,
];
