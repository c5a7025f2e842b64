/**
 * The floor of the consumer scale benchmark: scripts/bench/consumer/scale.ts with each WebService
 * replaced by the same six Kubernetes objects written directly with the provider classes, with the
 * same content (what `WebService` writes for the benchmark's props: labels, probes, resources,
 * security context, spread, the config checksum), and nothing else: no validation, no defaults
 * worked out, no names checked. The cluster stack, the WorkloadsStack and the Namespace are the
 * library's in both, so the difference is what the workload constructs cost over the objects
 * they write. `npm run bench` runs it in the same consumer project, the same way, with the same
 * first line (useLazyCreationStacks), so both pay the same for the tokens the provider classes make.
 */
import { createHash } from "node:crypto";
import { App } from "cdktf";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { Construct } from "constructs";
import { Namespace, useLazyCreationStacks } from "eks-platform/constructs";
import { WorkloadsStack } from "eks-platform/constructs/stacks";
import { ClusterStack, REGION } from "./cluster-stack";

// The documented first line of a consumer app (docs/consumer-app.md).
useLazyCreationStacks();

/** The six objects of one web service, as WebService writes them for the benchmark's props. */
function addService(scope: Construct, name: string, namespace: Namespace): void {
  const dependsOn = namespace.dependable ? [namespace.dependable] : [];
  const selector = { "app.kubernetes.io/component": "web-service", "app.kubernetes.io/name": name };
  const labels = { ...selector, "app.kubernetes.io/managed-by": "cdktf" };
  const metadata = { name, namespace: namespace.name, labels };
  const svc = new Construct(scope, name);
  const account = new ServiceAccountV1(svc, "service-account", {
    metadata,
    automountServiceAccountToken: false,
    dependsOn,
  });
  const data = { LOG_LEVEL: "info", SERVICE_NAME: name, PORT: "8080" };
  const config = new ConfigMapV1(svc, "config", {
    metadata: { ...metadata, name: `${name}-config` },
    data,
    dependsOn,
  });
  const checksum = createHash("sha256")
    .update(JSON.stringify({ env: data, files: {} }))
    .digest("hex");
  const probe = { httpGet: { path: "/healthz", port: "http" } };
  const spread = (topologyKey: string) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: "ScheduleAnyway",
    labelSelector: [{ matchLabels: selector }],
  });
  new DeploymentV1(svc, "deployment", {
    metadata,
    dependsOn: [account, config, ...dependsOn],
    lifecycle: { ignoreChanges: ["spec[0].replicas"] },
    spec: {
      replicas: "2",
      revisionHistoryLimit: 10,
      selector: { matchLabels: selector },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "0" } },
      template: {
        metadata: { labels: selector, annotations: { "checksum/config": checksum } },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          serviceAccountName: name,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          topologySpreadConstraint: [spread("topology.kubernetes.io/zone"), spread("kubernetes.io/hostname")],
          volume: [{ name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } }],
          container: [
            {
              name,
              image: "public.ecr.aws/nginx/nginx:1.27.3",
              imagePullPolicy: "Always",
              env: Object.keys(data).map((key) => ({
                name: key,
                valueFrom: { configMapKeyRef: { name: `${name}-config`, key } },
              })),
              port: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
              readinessProbe: probe,
              livenessProbe: { ...probe, periodSeconds: 20, failureThreshold: 6 },
              resources: {
                requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "256Mi" },
                limits: { cpu: "500m", memory: "256Mi", "ephemeral-storage": "256Mi" },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
              },
              volumeMount: [{ name: "tmp", mountPath: "/tmp" }],
            },
          ],
        },
      },
    },
  });
  new ServiceV1(svc, "service", {
    metadata,
    dependsOn,
    spec: {
      type: "ClusterIP",
      selector,
      port: [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }],
    },
  });
  new HorizontalPodAutoscalerV2(svc, "hpa", {
    metadata,
    dependsOn,
    spec: {
      minReplicas: 2,
      maxReplicas: 10,
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
      metric: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
      ],
    },
  });
  new PodDisruptionBudgetV1(svc, "pdb", {
    metadata,
    dependsOn,
    spec: { minAvailable: "1", selector: { matchLabels: selector } },
  });
}

const services = Number(process.env.BENCH_SERVICES ?? 500);
const app = new App();
const platform = new ClusterStack(app, "platform");
const workloads = new WorkloadsStack(app, "workloads", { cluster: platform.cluster, region: REGION });
const namespace = new Namespace(workloads, "services", { cluster: workloads.cluster });
for (let i = 0; i < services; i++) addService(workloads, `web-${String(i).padStart(3, "0")}`, namespace);
app.synth();
