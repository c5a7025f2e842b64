import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import { DaemonSetV1 } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { PersistentVolumeClaimV1 } from "@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1";
import { PriorityClassV1 } from "@cdktf/provider-kubernetes/lib/priority-class-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { CronJobV1 } from "@cdktf/provider-kubernetes/lib/cron-job-v1";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { IngressClassV1 } from "@cdktf/provider-kubernetes/lib/ingress-class-v1";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { StatefulSetV1 } from "@cdktf/provider-kubernetes/lib/stateful-set-v1";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { Release } from "@cdktf/provider-helm/lib/release";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { providerAttributePaths } from "./kubernetes-provider-schema";
import {
  everyMappedAttribute,
  knownAttributePaths,
  expectValidKubernetes,
  kubernetesObjectsOf,
  mappedResourceTypes,
  validateKubernetesObjects,
} from "./kubernetes-schema";

const NS = "shop";
const labels = { "app.kubernetes.io/name": "web" };

function newStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "k8s");
  new KubernetesProvider(stack, "k8s", {});
  return stack;
}

const container = {
  name: "web",
  image: "public.ecr.aws/nginx/nginx:1.27.3",
  port: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
  env: [
    { name: "LOG_LEVEL", value: "info" },
    { name: "FEATURE", valueFrom: { configMapKeyRef: { name: "web-config", key: "feature" } } },
    { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
  ],
  envFrom: [{ configMapRef: { name: "web-config" } }],
  resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } },
  readinessProbe: { httpGet: { path: "/ready", port: "http" }, periodSeconds: 5 },
  livenessProbe: { httpGet: { path: "/health", port: "8080", httpHeader: [{ name: "X-Probe", value: "1" }] } },
  startupProbe: { tcpSocket: [{ port: "8080" }], failureThreshold: 30 },
  securityContext: {
    runAsNonRoot: true,
    runAsUser: "10001",
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  },
  volumeMount: [
    { name: "tmp", mountPath: "/tmp" },
    { name: "config", mountPath: "/etc/web", readOnly: true },
  ],
};

function addDeployment(stack: TerraformStack, id = "web"): DeploymentV1 {
  return new DeploymentV1(stack, id, {
    metadata: { name: id, namespace: NS, labels },
    waitForRollout: false,
    spec: {
      replicas: "3",
      revisionHistoryLimit: 10,
      selector: { matchLabels: labels },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "0" } },
      template: {
        metadata: { labels, annotations: { "checksum/config": "abc123" } },
        spec: {
          serviceAccountName: "web",
          automountServiceAccountToken: false,
          securityContext: { fsGroup: "10001", seccompProfile: { type: "RuntimeDefault" } },
          container: [container],
          volume: [
            { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } },
            { name: "config", configMap: { name: "web-config", defaultMode: "0444" } },
          ],
          topologySpreadConstraint: [
            {
              maxSkew: 1,
              topologyKey: "topology.kubernetes.io/zone",
              whenUnsatisfiable: "ScheduleAnyway",
              labelSelector: [{ matchLabels: labels }],
            },
          ],
          toleration: [{ key: "workload", operator: "Equal", value: "apps", effect: "NoSchedule" }],
        },
      },
    },
  });
}

/** One of every resource the workload constructs use, each in a realistic configuration. */
function fullStack(): TerraformStack {
  const stack = newStack();
  new NamespaceV1(stack, "ns", {
    metadata: { name: NS, labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
  });
  new ConfigMapV1(stack, "config", {
    metadata: { name: "web-config", namespace: NS },
    data: { feature: "on", "app.yaml": "a: 1\n" },
  });
  const token = new TerraformVariable(stack, "api_token", { type: "string", sensitive: true });
  new SecretV1(stack, "secret", {
    metadata: { name: "web-secret", namespace: NS },
    type: "Opaque",
    data: { token: token.stringValue },
  });
  new ServiceAccountV1(stack, "sa", {
    metadata: { name: "web", namespace: NS, annotations: { "example.com/role": "web" } },
    automountServiceAccountToken: false,
  });
  addDeployment(stack);
  new ServiceV1(stack, "svc", {
    metadata: { name: "web", namespace: NS },
    spec: { selector: labels, port: [{ name: "http", port: 80, targetPort: "http" }] },
  });
  new ServiceV1(stack, "nlb", {
    metadata: {
      name: "web-public",
      namespace: NS,
      annotations: {
        "service.beta.kubernetes.io/aws-load-balancer-type": "external",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      },
    },
    waitForLoadBalancer: false,
    spec: {
      type: "LoadBalancer",
      externalTrafficPolicy: "Local",
      selector: labels,
      port: [{ name: "https", port: 443, targetPort: "8080", protocol: "TCP" }],
    },
  });
  new HorizontalPodAutoscalerV2(stack, "hpa", {
    metadata: { name: "web", namespace: NS },
    spec: {
      minReplicas: 3,
      maxReplicas: 12,
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      metric: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
        { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } } },
      ],
      behavior: {
        scaleDown: [
          {
            stabilizationWindowSeconds: 300,
            policy: [{ type: "Percent", value: 50, periodSeconds: 60 }],
          },
        ],
      },
    },
  });
  new PodDisruptionBudgetV1(stack, "pdb", {
    metadata: { name: "web", namespace: NS },
    spec: { maxUnavailable: "1", selector: { matchLabels: labels } },
  });
  new IngressV1(stack, "ingress", {
    metadata: {
      name: "web",
      namespace: NS,
      annotations: {
        "alb.ingress.kubernetes.io/scheme": "internet-facing",
        "alb.ingress.kubernetes.io/target-type": "ip",
        "alb.ingress.kubernetes.io/group.name": "shared",
      },
    },
    waitForLoadBalancer: false,
    spec: {
      ingressClassName: "alb",
      tls: [{ hosts: ["shop.example.com"], secretName: "shop-tls" }],
      rule: [
        {
          host: "shop.example.com",
          http: {
            path: [
              { path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } },
              { path: "/api", pathType: "Prefix", backend: { service: { name: "api", port: { name: "http" } } } },
            ],
          },
        },
      ],
    },
  });
  new IngressClassV1(stack, "alb", {
    metadata: { name: "alb" },
    spec: {
      controller: "eks.amazonaws.com/alb",
      parameters: [{ apiGroup: "eks.amazonaws.com", kind: "IngressClassParams", name: "alb", scope: "Cluster" }],
    },
  });
  new NetworkPolicyV1(stack, "netpol", {
    metadata: { name: "default-deny", namespace: NS },
    spec: {
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { app: "gateway" } } },
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress" } } },
          ],
          ports: [{ port: "8080", protocol: "TCP" }],
        },
      ],
      egress: [
        {
          to: [{ namespaceSelector: {}, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
          ports: [
            { port: "53", protocol: "UDP" },
            { port: "53", protocol: "TCP" },
          ],
        },
        { to: [{ ipBlock: { cidr: "10.0.0.0/16", except: ["10.0.1.0/24"] } }], ports: [{ port: "5432" }] },
      ],
    },
  });
  new CronJobV1(stack, "cron", {
    metadata: { name: "report", namespace: "batch" },
    spec: {
      schedule: "0 3 * * *",
      timezone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: {},
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: 600,
          ttlSecondsAfterFinished: "3600",
          template: {
            metadata: { labels: { app: "report" } },
            spec: {
              restartPolicy: "OnFailure",
              container: [
                {
                  name: "report",
                  image: "public.ecr.aws/docker/library/busybox:1.37",
                  command: ["sh", "-c", "echo report"],
                  resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "64Mi" } },
                },
              ],
            },
          },
        },
      },
    },
  });
  new StatefulSetV1(stack, "db", {
    metadata: { name: "db", namespace: NS },
    waitForRollout: false,
    spec: {
      serviceName: "db",
      replicas: "1",
      podManagementPolicy: "OrderedReady",
      selector: { matchLabels: { app: "db" } },
      updateStrategy: [{ type: "RollingUpdate", rollingUpdate: [{ partition: 0 }] }],
      persistentVolumeClaimRetentionPolicy: [{ whenDeleted: "Retain", whenScaled: "Retain" }],
      template: {
        metadata: { labels: { app: "db" } },
        spec: {
          container: [
            {
              name: "db",
              image: "public.ecr.aws/docker/library/postgres:17.2",
              port: [{ name: "pg", containerPort: 5432 }],
              volumeMount: [{ name: "data", mountPath: "/var/lib/postgresql/data" }],
              resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "1Gi" } },
            },
          ],
        },
      },
      volumeClaimTemplate: [
        {
          metadata: { name: "data" },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: "gp3",
            resources: { requests: { storage: "20Gi" } },
          },
        },
      ],
    },
  });
  new StorageClassV1(stack, "gp3", {
    metadata: { name: "gp3" },
    storageProvisioner: "ebs.csi.aws.com",
    reclaimPolicy: "Retain",
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
    parameters: { type: "gp3", encrypted: "true" },
  });
  new ResourceQuotaV1(stack, "quota", {
    metadata: { name: "quota", namespace: NS },
    spec: { hard: { "requests.cpu": "10", "requests.memory": "20Gi", pods: "50" } },
  });
  new LimitRangeV1(stack, "limits", {
    metadata: { name: "limits", namespace: NS },
    spec: {
      limit: [
        {
          type: "Container",
          default: { cpu: "500m", memory: "512Mi" },
          defaultRequest: { cpu: "100m", memory: "128Mi" },
          max: { memory: "4Gi" },
        },
      ],
    },
  });
  return stack;
}

function objectOf(stack: TerraformStack, address: string): Record<string, any> {
  const found = kubernetesObjectsOf(stack).objects.find((o) => o.address === address);
  if (!found) throw new Error(`no object ${address}`);
  return found.object;
}

function errorsOf(stack: TerraformStack): string[] {
  return validateKubernetesObjects(kubernetesObjectsOf(stack).objects);
}

describe("kubernetesObjectsOf", () => {
  test("converts every kubernetes_* resource of the full stack, and each is valid", () => {
    const { objects, references } = expectValidKubernetes(fullStack());
    expect(objects.map((o) => `${o.kind} ${o.address}`).sort()).toEqual([
      "ConfigMap kubernetes_config_map_v1.config",
      "CronJob kubernetes_cron_job_v1.cron",
      "Deployment kubernetes_deployment_v1.web",
      "HorizontalPodAutoscaler kubernetes_horizontal_pod_autoscaler_v2.hpa",
      "Ingress kubernetes_ingress_v1.ingress",
      "IngressClass kubernetes_ingress_class_v1.alb",
      "LimitRange kubernetes_limit_range_v1.limits",
      "Namespace kubernetes_namespace_v1.ns",
      "NetworkPolicy kubernetes_network_policy_v1.netpol",
      "PodDisruptionBudget kubernetes_pod_disruption_budget_v1.pdb",
      "ResourceQuota kubernetes_resource_quota_v1.quota",
      "Secret kubernetes_secret_v1.secret",
      "Service kubernetes_service_v1.nlb",
      "Service kubernetes_service_v1.svc",
      "ServiceAccount kubernetes_service_account_v1.sa",
      "StatefulSet kubernetes_stateful_set_v1.db",
      "StorageClass kubernetes_storage_class_v1.gp3",
    ]);
    // The secret's value is a Terraform variable: replaced by a stand-in and reported.
    expect(references).toEqual([
      { address: "kubernetes_secret_v1.secret", path: "data.token", expression: "${var.api_token}", standIn: "tf-ref" },
    ]);
  });

  test("maps a Deployment's provider schema to the API's", () => {
    const deployment = objectOf(fullStack(), "kubernetes_deployment_v1.web");
    expect(deployment.apiVersion).toBe("apps/v1");
    expect(deployment).not.toHaveProperty("waitForRollout");
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: "25%", maxUnavailable: 0 });
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toEqual({ fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.volumes).toEqual([
      { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } },
      { name: "config", configMap: { name: "web-config", defaultMode: 0o444 } },
    ]);
    expect(pod.topologySpreadConstraints[0].labelSelector).toEqual({ matchLabels: labels });
    expect(pod.tolerations).toHaveLength(1);
    const [web] = pod.containers;
    expect(web.ports).toEqual([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    expect(web.volumeMounts).toHaveLength(2);
    expect(web.resources).toEqual({ requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } });
    expect(web.readinessProbe.httpGet).toEqual({ path: "/ready", port: "http" });
    expect(web.livenessProbe.httpGet).toEqual({
      path: "/health",
      port: 8080,
      httpHeaders: [{ name: "X-Probe", value: "1" }],
    });
    expect(web.startupProbe.tcpSocket).toEqual({ port: 8080 });
    expect(web.securityContext.runAsUser).toBe(10001);
    expect(web.securityContext.capabilities).toEqual({ drop: ["ALL"] });
    expect(web.env[1].valueFrom).toEqual({ configMapKeyRef: { name: "web-config", key: "feature" } });
    expect(web.envFrom).toEqual([{ configMapRef: { name: "web-config" } }]);
  });

  test("maps the special cases: Secret data, StorageClass top-level fields, CronJob timeZone, StatefulSet claims", () => {
    const stack = fullStack();
    expect(objectOf(stack, "kubernetes_secret_v1.secret")).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "web-secret", namespace: NS },
      type: "Opaque",
      stringData: { token: "tf-ref" },
    });
    const storageClass = objectOf(stack, "kubernetes_storage_class_v1.gp3");
    expect(storageClass).toMatchObject({ provisioner: "ebs.csi.aws.com", volumeBindingMode: "WaitForFirstConsumer" });
    expect(storageClass).not.toHaveProperty("spec");
    const cron = objectOf(stack, "kubernetes_cron_job_v1.cron");
    expect(cron.spec.timeZone).toBe("Etc/UTC");
    expect(cron.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBe(3600);
    const db = objectOf(stack, "kubernetes_stateful_set_v1.db");
    expect(db.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("20Gi");
    expect(db.spec.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { partition: 0 } });
    expect(objectOf(stack, "kubernetes_service_account_v1.sa").automountServiceAccountToken).toBe(false);
    expect(objectOf(stack, "kubernetes_network_policy_v1.netpol").spec.egress[1].to[0].ipBlock.except).toEqual([
      "10.0.1.0/24",
    ]);
  });

  test("converts the other kinds: DaemonSet, Job, PVC, RBAC, PriorityClass, and a pod with affinity and init containers", () => {
    const stack = newStack();
    new PriorityClassV1(stack, "critical", {
      metadata: { name: "platform-critical" },
      value: 1000000,
      description: "platform agents",
      preemptionPolicy: "PreemptLowerPriority",
    });
    new DaemonSetV1(stack, "agent", {
      metadata: { name: "agent", namespace: "kube-system" },
      waitForRollout: false,
      spec: {
        selector: { matchLabels: { app: "agent" } },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%" } },
        template: {
          metadata: { labels: { app: "agent" } },
          spec: {
            priorityClassName: "platform-critical",
            hostNetwork: true,
            nodeSelector: { "kubernetes.io/os": "linux" },
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerm: [
                    {
                      matchExpressions: [
                        { key: "eks.amazonaws.com/compute-type", operator: "NotIn", values: ["fargate"] },
                      ],
                    },
                  ],
                },
              },
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  {
                    weight: 100,
                    podAffinityTerm: {
                      topologyKey: "kubernetes.io/hostname",
                      labelSelector: [{ matchLabels: { app: "agent" } }],
                    },
                  },
                ],
              },
            },
            initContainer: [{ name: "init", image: "public.ecr.aws/docker/library/busybox:1.37", command: ["true"] }],
            container: [
              {
                name: "agent",
                image: "public.ecr.aws/example/agent:2.1.0",
                lifecycle: { preStop: [{ exec: { command: ["sleep", "5"] } }] },
                volumeMount: [{ name: "logs", mountPath: "/var/log", readOnly: true }],
              },
            ],
            volume: [{ name: "logs", hostPath: { path: "/var/log", type: "Directory" } }],
          },
        },
      },
    });
    new JobV1(stack, "migrate", {
      metadata: { name: "migrate", namespace: NS },
      waitForCompletion: false,
      spec: {
        backoffLimit: 1,
        template: {
          metadata: {},
          spec: {
            restartPolicy: "Never",
            container: [{ name: "migrate", image: "public.ecr.aws/example/migrate:1.0.0" }],
            volume: [{ name: "data", persistentVolumeClaim: { claimName: "data" } }],
          },
        },
      },
    });
    new PersistentVolumeClaimV1(stack, "data", {
      metadata: { name: "data", namespace: NS },
      waitUntilBound: false,
      spec: { accessModes: ["ReadWriteOnce"], storageClassName: "gp3", resources: { requests: { storage: "5Gi" } } },
    });
    new RoleV1(stack, "reader", {
      metadata: { name: "reader", namespace: NS },
      rule: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }],
    });
    new RoleBindingV1(stack, "reader-binding", {
      metadata: { name: "reader", namespace: NS },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "reader" },
      subject: [{ kind: "ServiceAccount", name: "web", namespace: NS }],
    });
    new ClusterRoleV1(stack, "metrics", {
      metadata: { name: "metrics-reader" },
      rule: [{ nonResourceUrls: ["/metrics"], verbs: ["get"] }],
    });
    new ClusterRoleBindingV1(stack, "metrics-binding", {
      metadata: { name: "metrics-reader" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "metrics-reader" },
      subject: [{ kind: "Group", name: "system:monitoring", apiGroup: "rbac.authorization.k8s.io" }],
    });
    const { objects } = expectValidKubernetes(stack);
    expect(objects.map((o) => o.kind).sort()).toEqual([
      "ClusterRole",
      "ClusterRoleBinding",
      "DaemonSet",
      "Job",
      "PersistentVolumeClaim",
      "PriorityClass",
      "Role",
      "RoleBinding",
    ]);
    const daemonSet = objects.find((o) => o.kind === "DaemonSet")!.object as any;
    expect(daemonSet.spec.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%" } });
    expect(daemonSet.spec.template.spec.hostNetwork).toBe(true);
    expect(daemonSet.spec.template.spec.initContainers).toHaveLength(1);
    expect(daemonSet.spec.template.spec.containers[0].lifecycle).toEqual({
      preStop: { exec: { command: ["sleep", "5"] } },
    });
    const clusterRole = objects.find((o) => o.kind === "ClusterRole")!.object as any;
    expect(clusterRole.rules).toEqual([{ nonResourceURLs: ["/metrics"], verbs: ["get"] }]);
  });

  test("lists Helm releases as skipped and ignores other providers' resources", () => {
    const stack = newStack();
    new HelmProvider(stack, "helm", {});
    new Release(stack, "lbc", { name: "aws-load-balancer-controller", chart: "aws-load-balancer-controller" });
    addDeployment(stack);
    const { objects, skipped } = expectValidKubernetes(stack);
    expect(objects).toHaveLength(1);
    expect(skipped).toEqual(["helm_release.lbc: Helm release: its manifests come from the chart"]);
  });

  test("reads the output directory of Testing.fullSynth", () => {
    const stack = newStack();
    addDeployment(stack);
    const { objects } = expectValidKubernetes(Testing.fullSynth(stack));
    expect(objects.map((o) => o.address)).toEqual(["kubernetes_deployment_v1.web"]);
  });

  test("throws when a stack has nothing to validate", () => {
    const stack = newStack();
    new HelmProvider(stack, "helm", {});
    new Release(stack, "lbc", { name: "lbc", chart: "aws-load-balancer-controller" });
    expect(() => expectValidKubernetes(stack)).toThrow(
      "the stack has no kubernetes_* resource to validate (skipped: helm_release.lbc: Helm release: its manifests come from the chart)",
    );
  });

  test("replaces references with stand-ins of the right type and reports them", () => {
    const stack = newStack();
    const replicas = new TerraformVariable(stack, "replicas", { type: "number" });
    const image = new TerraformVariable(stack, "image", { type: "string" });
    const deployment = addDeployment(stack);
    deployment.addOverride("spec.replicas", replicas.stringValue);
    deployment.addOverride("spec.template.spec.container.0.image", image.stringValue);
    const { objects, references } = expectValidKubernetes(stack);
    expect(references.map((r) => [r.path, r.standIn])).toEqual([
      ["spec.replicas", 1],
      ["spec.template.spec.container[0].image", "tf-ref"],
    ]);
    expect((objects[0].object as any).spec.replicas).toBe(1);
  });

  test("throws when an attribute is not in the mapping table, naming the address and the path", () => {
    const stack = newStack();
    addDeployment(stack).addOverride("spec.template.spec.container.0.imagePullPolicy", "Always");
    expect(() => kubernetesObjectsOf(stack)).toThrow(
      /^kubernetes_deployment_v1\.web: spec\.template\.spec\.container\[0\]\.imagePullPolicy is not an attribute test\/kubernetes-schema\.ts knows \(known here: name, image, image_pull_policy/,
    );
  });

  test("throws when a provider attribute has no API equivalent (HPA v2 target_cpu_utilization_percentage)", () => {
    const stack = newStack();
    new HorizontalPodAutoscalerV2(stack, "hpa", {
      metadata: { name: "web" },
      spec: { maxReplicas: 3, targetCpuUtilizationPercentage: 70, scaleTargetRef: { kind: "Deployment", name: "web" } },
    });
    expect(() => kubernetesObjectsOf(stack)).toThrow(
      "kubernetes_horizontal_pod_autoscaler_v2.hpa: spec.target_cpu_utilization_percentage is not an attribute",
    );
  });

  test("throws when a kubernetes_* resource type has no mapping", () => {
    const stack = newStack();
    addDeployment(stack);
    stack.addOverride("resource.kubernetes_manifest.crd", { manifest: { apiVersion: "v1", kind: "ConfigMap" } });
    expect(() => kubernetesObjectsOf(stack)).toThrow(
      /^kubernetes_manifest: test\/kubernetes-schema\.ts has no mapping for this resource type/,
    );
  });
});

describe("validateKubernetesObjects", () => {
  test("fails a value of the wrong type (replicas that is not a number)", () => {
    const stack = newStack();
    addDeployment(stack).addOverride("spec.replicas", "three");
    expect(errorsOf(stack)).toEqual([
      "kubernetes_deployment_v1.web (Deployment 'web'): /spec/replicas must be integer",
    ]);
  });

  test("fails a missing required field (a container without a name)", () => {
    const stack = newStack();
    addDeployment(stack).addOverride("spec.template.spec.container.0.name", null);
    expect(errorsOf(stack)).toEqual([
      "kubernetes_deployment_v1.web (Deployment 'web'): /spec/template/spec/containers/0 must have required property 'name'",
    ]);
  });

  test("fails what the API server rejects beyond the schema: a container without an image", () => {
    const stack = newStack();
    addDeployment(stack).addOverride("spec.template.spec.container.0.image", null);
    expect(errorsOf(stack)).toEqual([
      "kubernetes_deployment_v1.web (Deployment 'web'): /spec/template/spec/containers/0/image is required",
    ]);
  });

  test("fails a selector that doesn't match the pod template's labels", () => {
    const stack = newStack();
    addDeployment(stack).addOverride("spec.template.metadata.labels", { "app.kubernetes.io/name": "api" });
    expect(errorsOf(stack)).toEqual([
      `kubernetes_deployment_v1.web (Deployment 'web'): /spec/selector/matchLabels/app.kubernetes.io/name "web" does not match the pod template's labels`,
    ]);
  });

  test("fails names the API server refuses: a Service name that isn't a DNS-1123 label, a long port name", () => {
    const stack = newStack();
    new ServiceV1(stack, "svc", { metadata: { name: "web.v2" }, spec: { port: [{ port: 80 }] } });
    addDeployment(stack).addOverride("spec.template.spec.container.0.port.0.name", "http-metrics-port");
    expect(errorsOf(stack)).toEqual([
      `kubernetes_deployment_v1.web (Deployment 'web'): /spec/template/spec/containers/0/ports/0/name "http-metrics-port" is not an IANA service name (at most 15 characters)`,
      `kubernetes_service_v1.svc (Service 'web.v2'): /metadata/name "web.v2" is not a DNS-1123 label (lower-case alphanumerics and '-', at most 63 characters)`,
    ]);
  });

  test("fails a quantity that does not parse", () => {
    const stack = newStack();
    addDeployment(stack).addOverride("spec.template.spec.container.0.resources.limits.memory", "512 MB");
    expect(errorsOf(stack)).toEqual([
      `kubernetes_deployment_v1.web (Deployment 'web'): /spec/template/spec/containers/0/resources/limits/memory must match format "quantity"`,
    ]);
  });

  test("fails a field the API does not have", () => {
    const object = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", labels },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: "web", image: "nginx:1.27", imagePullPolcy: "Always" }] },
        },
      },
    };
    expect(
      validateKubernetesObjects([{ address: "kubernetes_deployment_v1.web", kind: "Deployment", object }]),
    ).toEqual([
      "kubernetes_deployment_v1.web (Deployment 'web'): /spec/template/spec/containers/0/imagePullPolcy is not a field of Deployment in the Kubernetes API",
    ]);
  });

  test("expectValidKubernetes lists every error", () => {
    const stack = newStack();
    const deployment = addDeployment(stack);
    deployment.addOverride("spec.replicas", "three");
    deployment.addOverride("spec.template.spec.container.0.port.0.container_port", "http");
    expect(() => expectValidKubernetes(stack)).toThrow(
      "2 Kubernetes schema error(s) in 1 object(s):\n" +
        "  kubernetes_deployment_v1.web (Deployment 'web'): /spec/replicas must be integer\n" +
        "  kubernetes_deployment_v1.web (Deployment 'web'): /spec/template/spec/containers/0/ports/0/containerPort must be integer",
    );
  });

  test("converts and validates 50 objects in well under a second", () => {
    const stack = newStack();
    for (let i = 0; i < 50; i++) addDeployment(stack, `web-${i}`);
    const json = Testing.synth(stack);
    expect(validateKubernetesObjects(kubernetesObjectsOf(json).objects)).toEqual([]); // warm-up
    // The best of three, with a loose bound: the machine is shared, and this guards against an order-of-magnitude
    // regression (e.g. recompiling validators per object), not against noise. Typically 40-110 ms.
    const runs = [0, 1, 2].map(() => {
      const started = performance.now();
      validateKubernetesObjects(kubernetesObjectsOf(json).objects);
      return performance.now() - started;
    });
    expect(Math.min(...runs)).toBeLessThan(1000);
  });
});

describe("the mapping table", () => {
  test.each(mappedResourceTypes)("every API field name %s writes exists in the Kubernetes schema", (type) => {
    const converted = kubernetesObjectsOf({ resource: { [type]: { all: everyMappedAttribute(type) } } });
    const unknown = validateKubernetesObjects(converted.objects).filter((e) => e.includes("is not a field of"));
    expect(unknown).toEqual([]);
  });

  test.each(mappedResourceTypes)("knows no attribute that %s does not have", (type) => {
    const provider = new Set(providerAttributePaths(type));
    expect(knownAttributePaths(type).filter((path) => !provider.has(path))).toEqual([]);
  });

  test("maps every attribute of the pinned provider but in-tree volume plugins and HPA v1's CPU target", () => {
    const unmapped = new Set<string>();
    for (const type of mappedResourceTypes) {
      const known = new Set(knownAttributePaths(type));
      const missing = providerAttributePaths(type).filter((p) => !known.has(p) && !/^(id|timeouts)(\.|$)/.test(p));
      // Report a missing block once, not each of its attributes; pod specs once for all workload kinds.
      for (const path of missing.filter((p) => !missing.some((parent) => p.startsWith(`${parent}.`)))) {
        unmapped.add(path.replace(/^spec\.(job_template\.spec\.)?template\.spec\./, "<pod>."));
      }
    }
    expect([...unmapped].sort()).toEqual([
      "<pod>.volume.aws_elastic_block_store",
      "<pod>.volume.azure_disk",
      "<pod>.volume.azure_file",
      "<pod>.volume.ceph_fs",
      "<pod>.volume.cinder",
      "<pod>.volume.fc",
      "<pod>.volume.flex_volume",
      "<pod>.volume.flocker",
      "<pod>.volume.gce_persistent_disk",
      "<pod>.volume.git_repo",
      "<pod>.volume.glusterfs",
      "<pod>.volume.iscsi",
      "<pod>.volume.local",
      "<pod>.volume.photon_persistent_disk",
      "<pod>.volume.quobyte",
      "<pod>.volume.rbd",
      "<pod>.volume.vsphere_volume",
      "spec.target_cpu_utilization_percentage",
    ]);
  });
});
