/**
 * Validates the Kubernetes objects a cdktf stack creates against the Kubernetes OpenAPI schema.
 *
 * No kubernetes provider binary exists where the tests run, so `terraform validate` never sees the
 * `kubernetes_*` resources. This module converts every typed `kubernetes_*_v1` / `_v2` resource of a synthesized
 * stack back into the API object the provider would send (apiVersion, kind, metadata, spec, ...) and validates it
 * with the validators kubernetes-models generates from the OpenAPI schema, plus a strictness check: an unknown
 * field fails, as it would with `kubectl apply --validate=strict`.
 *
 * The mapping from the provider's schema to the API's is an explicit table per block (below). An attribute the
 * table does not know fails the conversion with the resource address and the path, so a typo, an escape-hatch
 * override or a provider field this file does not cover is never silently dropped: add it to the table.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import { join } from "path";
import { TerraformStack, Testing } from "cdktf";
import { validate as deploymentSchema } from "kubernetes-models/_schemas/IoK8sApiAppsV1Deployment";
import { validate as statefulSetSchema } from "kubernetes-models/_schemas/IoK8sApiAppsV1StatefulSet";
import { validate as daemonSetSchema } from "kubernetes-models/_schemas/IoK8sApiAppsV1DaemonSet";
import { validate as jobSchema } from "kubernetes-models/_schemas/IoK8sApiBatchV1Job";
import { validate as cronJobSchema } from "kubernetes-models/_schemas/IoK8sApiBatchV1CronJob";
import { validate as serviceSchema } from "kubernetes-models/_schemas/IoK8sApiCoreV1Service";
import { validate as configMapSchema } from "kubernetes-models/_schemas/IoK8sApiCoreV1ConfigMap";
import { validate as secretSchema } from "kubernetes-models/_schemas/IoK8sApiCoreV1Secret";
import { validate as namespaceSchema } from "kubernetes-models/_schemas/IoK8sApiCoreV1Namespace";
import { validate as serviceAccountSchema } from "kubernetes-models/_schemas/IoK8sApiCoreV1ServiceAccount";
import { validate as resourceQuotaSchema } from "kubernetes-models/_schemas/IoK8sApiCoreV1ResourceQuota";
import { validate as limitRangeSchema } from "kubernetes-models/_schemas/IoK8sApiCoreV1LimitRange";
import { validate as pvcSchema } from "kubernetes-models/_schemas/IoK8sApiCoreV1PersistentVolumeClaim";
import { validate as hpaSchema } from "kubernetes-models/_schemas/IoK8sApiAutoscalingV2HorizontalPodAutoscaler";
import { validate as pdbSchema } from "kubernetes-models/_schemas/IoK8sApiPolicyV1PodDisruptionBudget";
import { validate as ingressSchema } from "kubernetes-models/_schemas/IoK8sApiNetworkingV1Ingress";
import { validate as ingressClassSchema } from "kubernetes-models/_schemas/IoK8sApiNetworkingV1IngressClass";
import { validate as networkPolicySchema } from "kubernetes-models/_schemas/IoK8sApiNetworkingV1NetworkPolicy";
import { validate as storageClassSchema } from "kubernetes-models/_schemas/IoK8sApiStorageV1StorageClass";
import { validate as roleSchema } from "kubernetes-models/_schemas/IoK8sApiRbacV1Role";
import { validate as roleBindingSchema } from "kubernetes-models/_schemas/IoK8sApiRbacV1RoleBinding";
import { validate as clusterRoleSchema } from "kubernetes-models/_schemas/IoK8sApiRbacV1ClusterRole";
import { validate as clusterRoleBindingSchema } from "kubernetes-models/_schemas/IoK8sApiRbacV1ClusterRoleBinding";
import { validate as priorityClassSchema } from "kubernetes-models/_schemas/IoK8sApiSchedulingV1PriorityClass";

/** One Kubernetes API object converted from a `kubernetes_*` resource. */
export interface KubernetesObject {
  /** The Terraform address, e.g. `kubernetes_deployment_v1.web`. */
  readonly address: string;
  readonly kind: string;
  /** The API object: apiVersion, kind, metadata, spec, ... */
  readonly object: Record<string, unknown>;
}

/** A Terraform expression (`${...}`) that was replaced by a schema-valid stand-in before validation. */
export interface ReplacedReference {
  readonly address: string;
  /** The provider-side path, e.g. `spec.template.spec.container[0].image`. */
  readonly path: string;
  readonly expression: string;
  /** The stand-in put in its place, or undefined when a whole block was a reference and was left out. */
  readonly standIn: unknown;
}

export interface KubernetesObjects {
  readonly objects: KubernetesObject[];
  /** Resources not converted, with the reason (Helm releases: their manifests come from the chart). */
  readonly skipped: string[];
  readonly references: ReplacedReference[];
}

// ---------------------------------------------------------------------------------------------------------------
// The mapping table.
// ---------------------------------------------------------------------------------------------------------------

/**
 * How a provider value becomes an API value. `int` and `intOrString` turn the provider's numeric strings
 * (`replicas = "2"`, `port = "8080"`) into numbers and leave anything else as it is, so the schema rejects it;
 * `octal` is the provider's file mode string ("0644" -> 420).
 */
type ValueKind =
  "string" | "int" | "bool" | "intOrString" | "quantity" | "octal" | "strings" | "ints" | "map" | "quantities";

type Field =
  | { readonly type: "value"; readonly to?: string; readonly kind: ValueKind }
  | { readonly type: "block"; readonly to?: string; readonly block: Block; readonly list: boolean }
  /** Provider-only attribute (`wait_for_rollout`, `timeouts`, ...): never sent to the API server. */
  | { readonly type: "drop" }
  | {
      readonly type: "custom";
      readonly convert: (value: unknown, ctx: Context, path: string, out: Record<string, unknown>) => void;
    };
type Block = { readonly [providerName: string]: Field | ValueKind };

/** A nested block the API holds as one object (the provider may render it as an object or a one-element list). */
const one = (block: Block, to?: string): Field => ({ type: "block", block, list: false, to });
/** A repeated block; `to` is the API's (usually plural) list field, always written out. */
const many = (to: string, block: Block): Field => ({ type: "block", block, list: true, to });
/** A value whose API name is not the camelCase of the provider's. */
const renamed = (to: string, kind: ValueKind): Field => ({ type: "value", to, kind });
const drop: Field = { type: "drop" };

const metadata: Block = {
  name: "string",
  generate_name: "string",
  namespace: "string",
  labels: "map",
  annotations: "map",
};
/** Cluster-scoped objects (and a Job's pod template) have no namespace in the provider's metadata. */
const { namespace: _namespace, ...unnamespacedMetadata } = metadata;
const clusterMetadata: Block = unnamespacedMetadata;
const labelSelector: Block = {
  match_labels: "map",
  match_expressions: many("matchExpressions", { key: "string", operator: "string", values: "strings" }),
};
const nodeSelectorTerm: Block = {
  match_expressions: many("matchExpressions", { key: "string", operator: "string", values: "strings" }),
  match_fields: many("matchFields", { key: "string", operator: "string", values: "strings" }),
};
const podAffinityTerm: Block = {
  label_selector: one(labelSelector),
  namespace_selector: one(labelSelector),
  namespaces: "strings",
  topology_key: "string",
};
const podAffinity: Block = {
  required_during_scheduling_ignored_during_execution: many(
    "requiredDuringSchedulingIgnoredDuringExecution",
    podAffinityTerm,
  ),
  preferred_during_scheduling_ignored_during_execution: many("preferredDuringSchedulingIgnoredDuringExecution", {
    weight: "int",
    pod_affinity_term: one(podAffinityTerm),
  }),
};
const affinity: Block = {
  node_affinity: one({
    required_during_scheduling_ignored_during_execution: one({
      node_selector_term: many("nodeSelectorTerms", nodeSelectorTerm),
    }),
    preferred_during_scheduling_ignored_during_execution: many("preferredDuringSchedulingIgnoredDuringExecution", {
      weight: "int",
      preference: one(nodeSelectorTerm),
    }),
  }),
  pod_affinity: one(podAffinity),
  pod_anti_affinity: one(podAffinity),
};
const seLinuxOptions: Block = { level: "string", role: "string", type: "string", user: "string" };
const seccompProfile: Block = { type: "string", localhost_profile: "string" };
const httpGet: Block = {
  host: "string",
  path: "string",
  port: "intOrString",
  scheme: "string",
  http_header: many("httpHeaders", { name: "string", value: "string" }),
};
const handler: Block = {
  exec: one({ command: "strings" }),
  http_get: one(httpGet),
  tcp_socket: one({ port: "intOrString" }),
};
const probe: Block = {
  ...handler,
  grpc: one({ port: "int", service: "string" }),
  failure_threshold: "int",
  initial_delay_seconds: "int",
  period_seconds: "int",
  success_threshold: "int",
  timeout_seconds: "int",
};
const keyRef: Block = { key: "string", name: "string", optional: "bool" };
const resources: Block = { limits: "quantities", requests: "quantities" };
const container: Block = {
  name: "string",
  image: "string",
  image_pull_policy: "string",
  args: "strings",
  command: "strings",
  working_dir: "string",
  stdin: "bool",
  stdin_once: "bool",
  tty: "bool",
  termination_message_path: "string",
  termination_message_policy: "string",
  env: many("env", {
    name: "string",
    value: "string",
    value_from: one({
      config_map_key_ref: one(keyRef),
      secret_key_ref: one(keyRef),
      field_ref: one({ api_version: "string", field_path: "string" }),
      resource_field_ref: one({ container_name: "string", divisor: "quantity", resource: "string" }),
    }),
  }),
  env_from: many("envFrom", {
    prefix: "string",
    config_map_ref: one({ name: "string", optional: "bool" }),
    secret_ref: one({ name: "string", optional: "bool" }),
  }),
  lifecycle: one({ post_start: one(handler), pre_stop: one(handler) }),
  liveness_probe: one(probe),
  readiness_probe: one(probe),
  startup_probe: one(probe),
  port: many("ports", {
    container_port: "int",
    host_ip: renamed("hostIP", "string"),
    host_port: "int",
    name: "string",
    protocol: "string",
  }),
  resources: one(resources),
  security_context: one({
    allow_privilege_escalation: "bool",
    privileged: "bool",
    read_only_root_filesystem: "bool",
    run_as_group: "int",
    run_as_non_root: "bool",
    run_as_user: "int",
    capabilities: one({ add: "strings", drop: "strings" }),
    se_linux_options: one(seLinuxOptions),
    seccomp_profile: one(seccompProfile),
  }),
  volume_device: many("volumeDevices", { device_path: "string", name: "string" }),
  volume_mount: many("volumeMounts", {
    mount_path: "string",
    mount_propagation: "string",
    name: "string",
    read_only: "bool",
    sub_path: "string",
    sub_path_expr: "string",
  }),
};
const keyToPath: Block = { key: "string", mode: "octal", path: "string" };
const pvcSpec: Block = {
  access_modes: "strings",
  storage_class_name: "string",
  volume_mode: "string",
  volume_name: "string",
  resources: one(resources),
  selector: one(labelSelector),
};
const downwardApiItems = many("items", {
  path: "string",
  mode: "octal",
  field_ref: one({ api_version: "string", field_path: "string" }),
  resource_field_ref: one({ container_name: "string", divisor: "quantity", resource: "string" }),
});
/**
 * The volume sources the converter knows. The provider has more (azure_disk, rbd, iscsi, ...: in-tree or
 * deprecated plugins): they fail as unknown until added here.
 */
const volume: Block = {
  downward_api: one({ default_mode: "octal", items: downwardApiItems }, "downwardAPI"),
  projected: one({
    default_mode: "octal",
    // One provider `sources` element is one API VolumeProjection; its config_map/secret blocks take one entry.
    sources: many("sources", {
      config_map: one({ name: "string", optional: "bool", items: many("items", keyToPath) }),
      secret: one({ name: "string", optional: "bool", items: many("items", keyToPath) }),
      downward_api: one({ items: downwardApiItems }, "downwardAPI"),
      service_account_token: one({ audience: "string", expiration_seconds: "int", path: "string" }),
    }),
  }),
  name: "string",
  config_map: one({ name: "string", default_mode: "octal", optional: "bool", items: many("items", keyToPath) }),
  secret: one({ secret_name: "string", default_mode: "octal", optional: "bool", items: many("items", keyToPath) }),
  empty_dir: one({ medium: "string", size_limit: "quantity" }),
  persistent_volume_claim: one({ claim_name: "string", read_only: "bool" }),
  host_path: one({ path: "string", type: "string" }),
  nfs: one({ path: "string", read_only: "bool", server: "string" }),
  csi: one({
    driver: "string",
    fs_type: "string",
    read_only: "bool",
    volume_attributes: "map",
    node_publish_secret_ref: one({ name: "string" }),
  }),
  ephemeral: one({
    volume_claim_template: one({ metadata: one({ labels: "map", annotations: "map" }), spec: one(pvcSpec) }),
  }),
};
const podSpec: Block = {
  active_deadline_seconds: "int",
  automount_service_account_token: "bool",
  dns_policy: "string",
  enable_service_links: "bool",
  host_ipc: renamed("hostIPC", "bool"),
  host_network: "bool",
  host_pid: renamed("hostPID", "bool"),
  hostname: "string",
  node_name: "string",
  node_selector: "map",
  priority_class_name: "string",
  restart_policy: "string",
  runtime_class_name: "string",
  scheduler_name: "string",
  service_account_name: "string",
  share_process_namespace: "bool",
  subdomain: "string",
  termination_grace_period_seconds: "int",
  affinity: one(affinity),
  container: many("containers", container),
  init_container: many("initContainers", container),
  dns_config: one({
    nameservers: "strings",
    searches: "strings",
    option: many("options", { name: "string", value: "string" }),
  }),
  host_aliases: many("hostAliases", { hostnames: "strings", ip: "string" }),
  image_pull_secrets: many("imagePullSecrets", { name: "string" }),
  os: one({ name: "string" }),
  readiness_gate: many("readinessGates", { condition_type: "string" }),
  security_context: one({
    fs_group: "int",
    fs_group_change_policy: "string",
    run_as_group: "int",
    run_as_non_root: "bool",
    run_as_user: "int",
    supplemental_groups: "ints",
    se_linux_options: one(seLinuxOptions),
    seccomp_profile: one(seccompProfile),
    sysctl: many("sysctls", { name: "string", value: "string" }),
    windows_options: one({
      gmsa_credential_spec: "string",
      gmsa_credential_spec_name: "string",
      host_process: "bool",
      run_as_username: renamed("runAsUserName", "string"),
    }),
  }),
  toleration: many("tolerations", {
    effect: "string",
    key: "string",
    operator: "string",
    toleration_seconds: "int",
    value: "string",
  }),
  topology_spread_constraint: many("topologySpreadConstraints", {
    label_selector: one(labelSelector),
    match_label_keys: "strings",
    max_skew: "int",
    min_domains: "int",
    node_affinity_policy: "string",
    node_taints_policy: "string",
    topology_key: "string",
    when_unsatisfiable: "string",
  }),
  volume: many("volumes", volume),
};
const podTemplate: Block = { metadata: one(metadata), spec: one(podSpec) };
const jobSpec: Block = {
  active_deadline_seconds: "int",
  backoff_limit: "int",
  backoff_limit_per_index: "int",
  completion_mode: "string",
  completions: "int",
  manual_selector: "bool",
  max_failed_indexes: "int",
  parallelism: "int",
  ttl_seconds_after_finished: "int",
  pod_failure_policy: one({
    rule: many("rules", {
      action: "string",
      on_exit_codes: one({ container_name: "string", operator: "string", values: "ints" }),
      on_pod_condition: many("onPodConditions", { status: "string", type: "string" }),
    }),
  }),
  selector: one(labelSelector),
  template: one({ metadata: one(clusterMetadata), spec: one(podSpec) }),
};
const hpaTarget: Block = {
  type: "string",
  average_utilization: "int",
  average_value: "quantity",
  value: "quantity",
};
const metricIdentifier: Block = { name: "string", selector: one(labelSelector) };
const hpaScalingRules: Block = {
  select_policy: "string",
  stabilization_window_seconds: "int",
  policy: many("policies", { period_seconds: "int", type: "string", value: "int" }),
};
const backend: Block = {
  resource: one({ api_group: "string", kind: "string", name: "string" }),
  service: one({ name: "string", port: one({ name: "string", number: "int" }) }),
};
const networkPolicyPeer: Block = {
  ip_block: one({ cidr: "string", except: "strings" }, "ipBlock"),
  namespace_selector: one(labelSelector),
  pod_selector: one(labelSelector),
};
const networkPolicyPort: Block = { end_port: "int", port: "intOrString", protocol: "string" };
const policyRule: Block = {
  api_groups: "strings",
  resource_names: "strings",
  resources: "strings",
  verbs: "strings",
};
const roleRef: Block = { api_group: "string", kind: "string", name: "string" };
const subject: Block = { api_group: "string", kind: "string", name: "string", namespace: "string" };

/** Secret `data` is plain text in Terraform (the provider base64-encodes it): the API's `stringData` says the same. */
const intoStringData: Field = {
  type: "custom",
  convert: (value, ctx, path, out) => {
    out.stringData = { ...(out.stringData as object), ...(valueOf(value, "map", ctx, path) as object) };
  },
};
const intoData: Field = {
  type: "custom",
  convert: (value, ctx, path, out) => {
    out.data = { ...(out.data as object), ...(valueOf(value, "map", ctx, path) as object) };
  },
};

interface ResourceMapping {
  readonly apiVersion: string;
  readonly kind: string;
  readonly schema: (data: unknown) => boolean;
  /** The resource's top-level attributes; every one of them is listed, provider-only ones as `drop`. */
  readonly top: Block;
}

const workload = (spec: Block): Block => ({ metadata: one(metadata), spec: one(spec), wait_for_rollout: drop });

const RESOURCES: { readonly [terraformType: string]: ResourceMapping } = {
  kubernetes_deployment_v1: {
    apiVersion: "apps/v1",
    kind: "Deployment",
    schema: deploymentSchema,
    top: workload({
      min_ready_seconds: "int",
      paused: "bool",
      progress_deadline_seconds: "int",
      replicas: "int",
      revision_history_limit: "int",
      selector: one(labelSelector),
      strategy: one({
        type: "string",
        rolling_update: one({ max_surge: "intOrString", max_unavailable: "intOrString" }),
      }),
      template: one(podTemplate),
    }),
  },
  kubernetes_stateful_set_v1: {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    schema: statefulSetSchema,
    top: workload({
      min_ready_seconds: "int",
      pod_management_policy: "string",
      replicas: "int",
      revision_history_limit: "int",
      service_name: "string",
      persistent_volume_claim_retention_policy: one({ when_deleted: "string", when_scaled: "string" }),
      selector: one(labelSelector),
      template: one(podTemplate),
      update_strategy: one({ type: "string", rolling_update: one({ partition: "int" }) }),
      volume_claim_template: many("volumeClaimTemplates", { metadata: one(metadata), spec: one(pvcSpec) }),
    }),
  },
  kubernetes_daemon_set_v1: {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    schema: daemonSetSchema,
    top: workload({
      min_ready_seconds: "int",
      revision_history_limit: "int",
      selector: one(labelSelector),
      strategy: one(
        { type: "string", rolling_update: one({ max_surge: "intOrString", max_unavailable: "intOrString" }) },
        "updateStrategy",
      ),
      template: one(podTemplate),
    }),
  },
  kubernetes_job_v1: {
    apiVersion: "batch/v1",
    kind: "Job",
    schema: jobSchema,
    top: { metadata: one(metadata), spec: one(jobSpec), wait_for_completion: drop },
  },
  kubernetes_cron_job_v1: {
    apiVersion: "batch/v1",
    kind: "CronJob",
    schema: cronJobSchema,
    top: {
      metadata: one(metadata),
      spec: one({
        concurrency_policy: "string",
        failed_jobs_history_limit: "int",
        schedule: "string",
        starting_deadline_seconds: "int",
        successful_jobs_history_limit: "int",
        suspend: "bool",
        timezone: renamed("timeZone", "string"),
        job_template: one({ metadata: one(metadata), spec: one(jobSpec) }),
      }),
    },
  },
  kubernetes_service_v1: {
    apiVersion: "v1",
    kind: "Service",
    schema: serviceSchema,
    top: {
      metadata: one(metadata),
      wait_for_load_balancer: drop,
      spec: one({
        allocate_load_balancer_node_ports: "bool",
        cluster_ip: renamed("clusterIP", "string"),
        cluster_ips: renamed("clusterIPs", "strings"),
        external_ips: renamed("externalIPs", "strings"),
        external_name: "string",
        external_traffic_policy: "string",
        health_check_node_port: "int",
        internal_traffic_policy: "string",
        ip_families: renamed("ipFamilies", "strings"),
        ip_family_policy: "string",
        load_balancer_class: "string",
        load_balancer_ip: renamed("loadBalancerIP", "string"),
        load_balancer_source_ranges: "strings",
        publish_not_ready_addresses: "bool",
        selector: "map",
        session_affinity: "string",
        type: "string",
        port: many("ports", {
          app_protocol: "string",
          name: "string",
          node_port: "int",
          port: "int",
          protocol: "string",
          target_port: "intOrString",
        }),
        session_affinity_config: one({ client_ip: one({ timeout_seconds: "int" }, "clientIP") }),
      }),
    },
  },
  kubernetes_config_map_v1: {
    apiVersion: "v1",
    kind: "ConfigMap",
    schema: configMapSchema,
    top: { metadata: one(metadata), data: "map", binary_data: "map", immutable: "bool" },
  },
  kubernetes_secret_v1: {
    apiVersion: "v1",
    kind: "Secret",
    schema: secretSchema,
    top: {
      metadata: one(metadata),
      type: "string",
      immutable: "bool",
      data: intoStringData,
      data_wo: intoStringData,
      binary_data: intoData,
      binary_data_wo: intoData,
      data_wo_revision: drop,
      binary_data_wo_revision: drop,
      wait_for_service_account_token: drop,
    },
  },
  kubernetes_namespace_v1: {
    apiVersion: "v1",
    kind: "Namespace",
    schema: namespaceSchema,
    top: { metadata: one(clusterMetadata), wait_for_default_service_account: drop },
  },
  kubernetes_service_account_v1: {
    apiVersion: "v1",
    kind: "ServiceAccount",
    schema: serviceAccountSchema,
    top: {
      metadata: one(metadata),
      automount_service_account_token: "bool",
      image_pull_secret: many("imagePullSecrets", { name: "string" }),
      secret: many("secrets", { name: "string" }),
    },
  },
  kubernetes_resource_quota_v1: {
    apiVersion: "v1",
    kind: "ResourceQuota",
    schema: resourceQuotaSchema,
    top: {
      metadata: one(metadata),
      spec: one({
        hard: "quantities",
        scopes: "strings",
        scope_selector: one({
          match_expression: many("matchExpressions", { operator: "string", scope_name: "string", values: "strings" }),
        }),
      }),
    },
  },
  kubernetes_limit_range_v1: {
    apiVersion: "v1",
    kind: "LimitRange",
    schema: limitRangeSchema,
    top: {
      metadata: one(metadata),
      spec: one({
        limit: many("limits", {
          type: "string",
          default: "quantities",
          default_request: "quantities",
          max: "quantities",
          min: "quantities",
          max_limit_request_ratio: "quantities",
        }),
      }),
    },
  },
  kubernetes_persistent_volume_claim_v1: {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    schema: pvcSchema,
    top: { metadata: one(metadata), spec: one(pvcSpec), wait_until_bound: drop },
  },
  // target_cpu_utilization_percentage (in the provider's v2 schema, from autoscaling/v1) is left out on purpose:
  // autoscaling/v2 has no such field, so it fails as unknown. Use a Resource metric.
  kubernetes_horizontal_pod_autoscaler_v2: {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    schema: hpaSchema,
    top: {
      metadata: one(metadata),
      spec: one({
        max_replicas: "int",
        min_replicas: "int",
        scale_target_ref: one({ api_version: "string", kind: "string", name: "string" }),
        behavior: one({ scale_down: one(hpaScalingRules), scale_up: one(hpaScalingRules) }),
        metric: many("metrics", {
          type: "string",
          resource: one({ name: "string", target: one(hpaTarget) }),
          container_resource: one({ container: "string", name: "string", target: one(hpaTarget) }),
          pods: one({ metric: one(metricIdentifier), target: one(hpaTarget) }),
          external: one({ metric: one(metricIdentifier), target: one(hpaTarget) }),
          object: one({
            described_object: one({ api_version: "string", kind: "string", name: "string" }),
            metric: one(metricIdentifier),
            target: one(hpaTarget),
          }),
        }),
      }),
    },
  },
  kubernetes_pod_disruption_budget_v1: {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    schema: pdbSchema,
    top: {
      metadata: one(metadata),
      spec: one({ max_unavailable: "intOrString", min_available: "intOrString", selector: one(labelSelector) }),
    },
  },
  kubernetes_ingress_v1: {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    schema: ingressSchema,
    top: {
      metadata: one(metadata),
      wait_for_load_balancer: drop,
      spec: one({
        ingress_class_name: "string",
        default_backend: one(backend),
        rule: many("rules", {
          host: "string",
          http: one({ path: many("paths", { path: "string", path_type: "string", backend: one(backend) }) }),
        }),
        tls: many("tls", { hosts: "strings", secret_name: "string" }),
      }),
    },
  },
  kubernetes_ingress_class_v1: {
    apiVersion: "networking.k8s.io/v1",
    kind: "IngressClass",
    schema: ingressClassSchema,
    top: {
      metadata: one(clusterMetadata),
      spec: one({
        controller: "string",
        parameters: one({ api_group: "string", kind: "string", name: "string", namespace: "string", scope: "string" }),
      }),
    },
  },
  kubernetes_network_policy_v1: {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    schema: networkPolicySchema,
    top: {
      metadata: one(metadata),
      spec: one({
        policy_types: "strings",
        pod_selector: one(labelSelector),
        ingress: many("ingress", { from: many("from", networkPolicyPeer), ports: many("ports", networkPolicyPort) }),
        egress: many("egress", { to: many("to", networkPolicyPeer), ports: many("ports", networkPolicyPort) }),
      }),
    },
  },
  // A StorageClass has no spec: its fields are top-level in the API as in the provider.
  kubernetes_storage_class_v1: {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    schema: storageClassSchema,
    top: {
      metadata: one(clusterMetadata),
      storage_provisioner: renamed("provisioner", "string"),
      parameters: "map",
      reclaim_policy: "string",
      volume_binding_mode: "string",
      allow_volume_expansion: "bool",
      mount_options: "strings",
      allowed_topologies: many("allowedTopologies", {
        match_label_expressions: many("matchLabelExpressions", { key: "string", values: "strings" }),
      }),
    },
  },
  kubernetes_role_v1: {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    schema: roleSchema,
    top: { metadata: one(metadata), rule: many("rules", policyRule) },
  },
  kubernetes_cluster_role_v1: {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    schema: clusterRoleSchema,
    top: {
      metadata: one(clusterMetadata),
      rule: many("rules", { ...policyRule, non_resource_urls: renamed("nonResourceURLs", "strings") }),
      aggregation_rule: one({ cluster_role_selectors: many("clusterRoleSelectors", labelSelector) }),
    },
  },
  kubernetes_role_binding_v1: {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    schema: roleBindingSchema,
    top: { metadata: one(metadata), role_ref: one(roleRef), subject: many("subjects", subject) },
  },
  kubernetes_cluster_role_binding_v1: {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    schema: clusterRoleBindingSchema,
    top: { metadata: one(clusterMetadata), role_ref: one(roleRef), subject: many("subjects", subject) },
  },
  kubernetes_priority_class_v1: {
    apiVersion: "scheduling.k8s.io/v1",
    kind: "PriorityClass",
    schema: priorityClassSchema,
    top: {
      metadata: one(clusterMetadata),
      value: "int",
      description: "string",
      global_default: "bool",
      preemption_policy: "string",
    },
  },
};

/** Terraform meta-arguments and cdktf's bookkeeping on every resource: never part of the API object. */
const META_ARGUMENTS = new Set([
  "//",
  "count",
  "for_each",
  "provider",
  "depends_on",
  "lifecycle",
  "provisioner",
  "connection",
  "timeouts",
  "id",
]);
/** Resources deployed by something other than the typed resources; listed as skipped with the reason. */
const SKIPPED: { readonly [terraformType: string]: string } = {
  helm_release: "Helm release: its manifests come from the chart",
};

// ---------------------------------------------------------------------------------------------------------------
// Conversion.
// ---------------------------------------------------------------------------------------------------------------

interface Context {
  readonly address: string;
  readonly references: ReplacedReference[];
}

/** A Terraform interpolation; `$${` is the escape for a literal `${` (unescaped below, as Terraform does). */
const REFERENCE = /(^|[^$])\$\{/;
const ESCAPED_INTERPOLATION = /\$\$\{/g;
const STAND_IN: { readonly [kind in ValueKind]: unknown } = {
  string: "tf-ref",
  int: 1,
  bool: true,
  intOrString: 1,
  quantity: "1",
  octal: 0o644,
  strings: [],
  ints: [],
  map: {},
  quantities: {},
};
const ELEMENT_KIND: { readonly [kind in ValueKind]?: ValueKind } = {
  strings: "string",
  ints: "int",
  map: "string",
  quantities: "quantity",
};

function isReference(value: unknown): value is string {
  return typeof value === "string" && REFERENCE.test(value);
}

function standIn(value: string, kind: ValueKind | undefined, ctx: Context, path: string): unknown {
  const replacement = kind === undefined ? undefined : STAND_IN[kind];
  ctx.references.push({ address: ctx.address, path, expression: value, standIn: replacement });
  return replacement;
}

function valueOf(value: unknown, kind: ValueKind, ctx: Context, path: string): unknown {
  if (isReference(value)) return standIn(value, kind, ctx, path);
  const element = ELEMENT_KIND[kind];
  if (element && (kind === "strings" || kind === "ints")) {
    if (!Array.isArray(value)) return value;
    return value.map((item, i) => valueOf(item, element, ctx, `${path}[${i}]`));
  }
  if (element && value !== null && typeof value === "object" && !Array.isArray(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, valueOf(item, element, ctx, `${path}.${key}`)]),
    );
  }
  switch (kind) {
    case "string":
      return typeof value === "string" ? value.replace(ESCAPED_INTERPOLATION, "${") : value;
    case "int":
    case "intOrString":
      // The provider takes some integers as strings ("2"); a non-numeric string stays, for the schema to reject.
      return typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
    case "octal":
      return typeof value === "string" && /^[0-7]+$/.test(value) ? parseInt(value, 8) : value;
    default:
      return value;
  }
}

const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function convertBlock(value: unknown, block: Block, ctx: Context, path: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`${ctx.address}: ${path} is ${JSON.stringify(value)}; expected a block (an object)`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (raw === undefined || raw === null) continue;
    const here = path ? `${path}.${key}` : key;
    const entry = block[key];
    if (entry === undefined) {
      throw new Error(
        `${ctx.address}: ${here} is not an attribute test/kubernetes-schema.ts knows (known here: ${Object.keys(block).join(", ")}); ` +
          "fix the name, or add the attribute to the mapping table if the provider has it",
      );
    }
    const field: Field = typeof entry === "string" ? { type: "value", kind: entry } : entry;
    switch (field.type) {
      case "drop":
        break;
      case "custom":
        field.convert(raw, ctx, here, out);
        break;
      case "value":
        out[field.to ?? camelCase(key)] = valueOf(raw, field.kind, ctx, here);
        break;
      case "block": {
        const to = field.to ?? camelCase(key);
        if (isReference(raw)) {
          // A whole block from an expression (e.g. a dynamic value) has no literal shape to stand in for.
          standIn(raw, undefined, ctx, here);
          break;
        }
        const items = Array.isArray(raw) ? raw : [raw];
        if (field.list) {
          out[to] = items.map((item, i) => convertBlock(item, field.block, ctx, `${here}[${i}]`));
        } else if (items.length > 1) {
          throw new Error(`${ctx.address}: ${here} has ${items.length} blocks; the API takes one`);
        } else if (items.length === 1) {
          out[to] = convertBlock(items[0], field.block, ctx, Array.isArray(raw) ? `${here}[0]` : here);
        }
        break;
      }
    }
  }
  return out;
}

/**
 * A provider-side configuration of `terraformType` that sets every attribute the mapping table knows, with
 * stand-in values. Its conversion carries every API field name the table writes, so validating it checks that
 * each of those names exists at its place in the Kubernetes schema.
 */
export function everyMappedAttribute(terraformType: string): Record<string, unknown> {
  const mapping = RESOURCES[terraformType];
  if (!mapping) throw new Error(`${terraformType}: no mapping`);
  const fill = (block: Block): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(block).flatMap(([key, entry]): [string, unknown][] => {
        const field: Field = typeof entry === "string" ? { type: "value", kind: entry } : entry;
        switch (field.type) {
          case "drop":
            return [];
          case "custom":
            return [[key, { example: "value" }]];
          case "value": {
            const value = STAND_IN[field.kind];
            if (field.kind === "strings" || field.kind === "ints")
              return [[key, [STAND_IN[ELEMENT_KIND[field.kind]!]]]];
            if (field.kind === "map" || field.kind === "quantities") return [[key, { example: "1" }]];
            return [[key, value]];
          }
          case "block":
            return [[key, field.list ? [fill(field.block)] : fill(field.block)]];
        }
      }),
    );
  return fill(mapping.top);
}

/** Every provider attribute path the mapping table knows for `terraformType` (mapped, custom or dropped). */
export function knownAttributePaths(terraformType: string): string[] {
  const mapping = RESOURCES[terraformType];
  if (!mapping) throw new Error(`${terraformType}: no mapping`);
  const walk = (block: Block, prefix: string): string[] =>
    Object.entries(block).flatMap(([key, entry]) => {
      const path = prefix ? `${prefix}.${key}` : key;
      return typeof entry !== "string" && entry.type === "block" ? [path, ...walk(entry.block, path)] : [path];
    });
  return walk(mapping.top, "");
}

/** The `kubernetes_*` resource types the converter knows. */
export const mappedResourceTypes: readonly string[] = Object.keys(RESOURCES);

/**
 * A synthesized stack: the stack itself, the JSON string of `Testing.synth`, its parsed object, or the output
 * directory of `Testing.fullSynth` (or a `cdk.tf.json` path) when it holds one stack.
 */
export type SynthesizedStack = TerraformStack | string | { resource?: Record<string, Record<string, unknown>> };

function parse(input: SynthesizedStack): { resource?: Record<string, Record<string, unknown>> } {
  if (TerraformStack.isStack(input)) return JSON.parse(Testing.synth(input));
  if (typeof input !== "string") return input;
  if (input.trimStart().startsWith("{")) return JSON.parse(input);
  if (!statSync(input).isDirectory()) return JSON.parse(readFileSync(input, "utf8"));
  const stacksDir = join(input, "stacks");
  const stacks = existsSync(stacksDir) ? readdirSync(stacksDir) : [];
  if (stacks.length !== 1) {
    throw new Error(
      `${input} holds ${stacks.length} stacks (${stacks.join(", ")}); pass one stack's cdk.tf.json ` +
        `(${join(input, "stacks", "<stack>", "cdk.tf.json")})`,
    );
  }
  return JSON.parse(readFileSync(join(stacksDir, stacks[0], "cdk.tf.json"), "utf8"));
}

/**
 * Converts every `kubernetes_*` resource of a synthesized stack into the Kubernetes API object it creates.
 * Throws on a `kubernetes_*` resource type or an attribute the mapping table doesn't know.
 */
export function kubernetesObjectsOf(input: SynthesizedStack): KubernetesObjects {
  const synthesized = parse(input);
  const objects: KubernetesObject[] = [];
  const skipped: string[] = [];
  const references: ReplacedReference[] = [];
  for (const [type, byName] of Object.entries(synthesized.resource ?? {})) {
    if (SKIPPED[type]) {
      skipped.push(...Object.keys(byName).map((name) => `${type}.${name}: ${SKIPPED[type]}`));
      continue;
    }
    if (!type.startsWith("kubernetes_")) continue;
    const mapping = RESOURCES[type];
    if (!mapping) {
      throw new Error(
        `${type}: test/kubernetes-schema.ts has no mapping for this resource type ` +
          `(it knows ${Object.keys(RESOURCES).join(", ")}); add one`,
      );
    }
    for (const [name, config] of Object.entries(byName)) {
      const ctx: Context = { address: `${type}.${name}`, references };
      const attributes = Object.fromEntries(
        Object.entries(config as Record<string, unknown>).filter(([key]) => !META_ARGUMENTS.has(key)),
      );
      const body = convertBlock(attributes, mapping.top, ctx, "");
      objects.push({
        address: ctx.address,
        kind: mapping.kind,
        object: { apiVersion: mapping.apiVersion, kind: mapping.kind, ...body },
      });
    }
  }
  return { objects, skipped, references };
}

// ---------------------------------------------------------------------------------------------------------------
// Validation.
// ---------------------------------------------------------------------------------------------------------------

interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/**
 * Wraps `value` so that every own property the validator reads is recorded. kubernetes-models' validators do not
 * check additionalProperties, but they read every property the schema declares (and every entry of a map), so a
 * property that was never read is one the schema doesn't have.
 */
function tracked(value: unknown, path: string, read: Set<string>): unknown {
  if (value === null || typeof value !== "object") return value;
  const children = new Map<string, unknown>();
  return new Proxy(value, {
    get(target, key, receiver) {
      const result = Reflect.get(target, key, receiver);
      if (typeof key !== "string" || !Object.prototype.hasOwnProperty.call(target, key)) return result;
      if (Array.isArray(target) && key === "length") return result;
      const childPath = `${path}/${key}`;
      read.add(childPath);
      if (!children.has(key)) children.set(key, tracked(result, childPath, read));
      return children.get(key);
    },
  });
}

/**
 * Fields the schema has but its generated validator never reads, so the read-tracking can't see them. kubernetes-models
 * drops every property named "description" from the schemas it compiles (it takes them for documentation); the
 * mapping-table test finds any other such field.
 */
const UNREAD_FIELDS: { readonly [kind: string]: readonly string[] } = { PriorityClass: ["/description"] };

function unknownFields(kind: string, value: unknown, path: string, read: Set<string>, found: string[]): void {
  if (value === null || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}/${key}`;
    if (read.has(childPath)) unknownFields(kind, child, childPath, read, found);
    else if (!UNREAD_FIELDS[kind]?.includes(childPath)) found.push(childPath);
  }
}

function describeError(error: SchemaError): string {
  const at = error.instancePath || "/";
  switch (error.keyword) {
    case "required":
      return `${at} must have required property '${String(error.params.missingProperty)}'`;
    case "type":
      return `${at} must be ${String(error.params.type)}`;
    case "format":
      return `${at} must match format "${String(error.params.format)}"`;
    case "enum":
      return `${at} must be one of ${JSON.stringify(error.params.allowedValues)}`;
    default:
      return `${at} fails ${error.keyword} ${JSON.stringify(error.params)}`;
  }
}

/**
 * A Quantity or an IntOrString is a oneOf (a string, or a number): a bad "512 MB" fails the string branch's
 * format, the number branch's type and the oneOf itself. Where a path has an error other than type/oneOf, that
 * error is the cause and the others are noise.
 */
function mainCauses(errors: SchemaError[]): SchemaError[] {
  const specific = new Set(
    errors.filter((e) => !["type", "oneOf", "anyOf"].includes(e.keyword)).map((e) => e.instancePath),
  );
  const kept = errors.filter((e) => !specific.has(e.instancePath) || !["type", "oneOf", "anyOf"].includes(e.keyword));
  const withoutAlternatives = kept.filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf");
  return withoutAlternatives.length > 0 ? withoutAlternatives : kept;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Kinds whose names the API server checks as DNS-1123 labels rather than subdomains. */
const LABEL_NAMED = new Set(["Namespace", "Service"]);

/** The pod template of a workload kind, if it has one. */
function podTemplateOf(object: Record<string, any>): Record<string, any> | undefined {
  if (object.kind === "CronJob") return object.spec?.jobTemplate?.spec?.template;
  return ["Deployment", "StatefulSet", "DaemonSet", "Job"].includes(object.kind as string)
    ? object.spec?.template
    : undefined;
}

/**
 * A few of the API server's validations that the OpenAPI schema does not express, chosen because a construct can
 * get them wrong: names, a pod's containers (image required, unique names, port names), and a selector that must
 * match the pod template's labels. Values that were Terraform references are stand-ins and pass.
 */
function serverSideErrors(object: Record<string, any>): string[] {
  const errors: string[] = [];
  const name = object.metadata?.name;
  if (name === undefined && object.metadata?.generateName === undefined) {
    errors.push("/metadata/name is required (or generateName)");
  } else if (name !== undefined) {
    const label = LABEL_NAMED.has(object.kind as string);
    if (!(label ? DNS1123_LABEL : DNS1123_SUBDOMAIN).test(name) || name.length > (label ? 63 : 253)) {
      errors.push(
        `/metadata/name "${name}" is not a DNS-1123 ${label ? "label" : "subdomain"} ` +
          `(lower-case alphanumerics and '-'${label ? "" : ", '.'"}, at most ${label ? 63 : 253} characters)`,
      );
    }
  }
  const template = podTemplateOf(object);
  if (template) {
    const at = object.kind === "CronJob" ? "/spec/jobTemplate/spec/template" : "/spec/template";
    const pod = template.spec ?? {};
    const names = new Set<string>();
    for (const [list, containers] of [
      ["initContainers", pod.initContainers ?? []],
      ["containers", pod.containers ?? []],
    ] as const) {
      (containers as Record<string, any>[]).forEach((container, i) => {
        const where = `${at}/spec/${list}/${i}`;
        if (!container.image) errors.push(`${where}/image is required`);
        if (container.name !== undefined && names.has(container.name)) {
          errors.push(`${where}/name "${container.name}" is used by another container of the pod`);
        }
        names.add(container.name);
        const portNames = new Set<string>();
        ((container.ports ?? []) as Record<string, any>[]).forEach((port, j) => {
          if (port.name === undefined) return;
          if (!IANA_SVC_NAME.test(port.name) || port.name.length > 15) {
            errors.push(`${where}/ports/${j}/name "${port.name}" is not an IANA service name (at most 15 characters)`);
          }
          if (portNames.has(port.name)) errors.push(`${where}/ports/${j}/name "${port.name}" is used twice`);
          portNames.add(port.name);
        });
      });
    }
    const selector: Record<string, string> = object.spec?.selector?.matchLabels ?? {};
    const labels: Record<string, string> = template.metadata?.labels ?? {};
    for (const [key, value] of Object.entries(selector)) {
      if (object.kind !== "Job" && labels[key] !== value) {
        errors.push(`/spec/selector/matchLabels/${key} "${value}" does not match the pod template's labels`);
      }
    }
  }
  return errors;
}

/**
 * Validates each object against the Kubernetes OpenAPI schema (kubernetes-models), rejects fields the schema
 * doesn't have, and applies a few of the API server's own checks (`serverSideErrors`). Returns one message per
 * problem, naming the resource address, kind, name and JSON path; empty when all are valid.
 */
export function validateKubernetesObjects(objects: readonly KubernetesObject[]): string[] {
  const errors: string[] = [];
  const schemas = new Map(Object.values(RESOURCES).map((m) => [`${m.apiVersion}/${m.kind}`, m.schema]));
  for (const { address, kind, object } of objects) {
    const name = (object.metadata as { name?: string } | undefined)?.name ?? "(no name)";
    const where = `${address} (${kind} '${name}')`;
    const schema = schemas.get(`${String(object.apiVersion)}/${String(object.kind)}`);
    if (!schema) {
      errors.push(`${where}: no schema for ${String(object.apiVersion)} ${String(object.kind)}`);
      continue;
    }
    const read = new Set<string>();
    const valid = schema(tracked(object, "", read));
    if (!valid) {
      const found = mainCauses((schema as unknown as { errors?: SchemaError[] }).errors ?? []).map(describeError);
      errors.push(...[...new Set(found)].map((message) => `${where}: ${message}`));
    }
    const unknown: string[] = [];
    unknownFields(kind, object, "", read, unknown);
    errors.push(...unknown.map((path) => `${where}: ${path} is not a field of ${kind} in the Kubernetes API`));
    errors.push(...serverSideErrors(object).map((message) => `${where}: ${message}`));
  }
  return errors;
}

/**
 * Synthesizes (when given a stack), converts and validates; throws one error listing every problem, or when the
 * stack has no `kubernetes_*` resource at all.
 * Returns the conversion, so a test can assert on the objects, the skipped resources and the references.
 */
export function expectValidKubernetes(input: SynthesizedStack): KubernetesObjects {
  const converted = kubernetesObjectsOf(input);
  if (converted.objects.length === 0) {
    // A validation of nothing passes whatever the stack holds: say so rather than pass.
    throw new Error(
      `the stack has no kubernetes_* resource to validate${converted.skipped.length ? ` (skipped: ${converted.skipped.join("; ")})` : ""}`,
    );
  }
  const errors = validateKubernetesObjects(converted.objects);
  if (errors.length > 0) {
    throw new Error(
      `${errors.length} Kubernetes schema error(s) in ${converted.objects.length} object(s):\n  ${errors.join("\n  ")}`,
    );
  }
  return converted;
}
