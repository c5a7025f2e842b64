/**
 * THE per-service builder of the scale benchmark, and the only file to change when the
 * workload constructs land.
 *
 * LEAD, AFTER MERGING issue 7: replace the body of `addBenchWebService` with one
 * `new WebService(scope, name, {...})` of the same shape (2 replicas, port 8080 behind
 * port 80, requests 100m/128Mi, limits 500m/256Mi, HPA 2-10 at 70 % CPU, PDB minAvailable 1,
 * a ConfigMap of three keys as env, its own service account) and keep the signature: the
 * scale app and the benchmark only call this function and count what the stack holds.
 *
 * Until then it is written with the raw @cdktf/provider-kubernetes resources (deep imports),
 * one resource per Kubernetes object: ServiceAccount, ConfigMap, Deployment, Service,
 * HorizontalPodAutoscaler (autoscaling/v2) and PodDisruptionBudget, the six objects a service
 * of the AWS CDK peer's EXTRA_SERVICES variant has.
 */
import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";

export interface BenchWebServiceProps {
  /** Service name, a DNS-1123 label. */
  readonly name: string;
  /** Namespace the service lives in (already declared in the stack). */
  readonly namespace: string;
  /** Pinned image reference. */
  readonly image: string;
}

/** Adds one web service (six Kubernetes objects) under `scope`. */
export function addBenchWebService(scope: Construct, props: BenchWebServiceProps): void {
  const { name, namespace, image } = props;
  const service = new Construct(scope, name);
  const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "platform" };
  const selector = { "app.kubernetes.io/name": name };
  const metadata = { name, namespace, labels };

  const account = new ServiceAccountV1(service, "service-account", {
    metadata,
    automountServiceAccountToken: false,
  });
  const config = new ConfigMapV1(service, "config", {
    metadata: { ...metadata, name: `${name}-config` },
    data: { LOG_LEVEL: "info", SERVICE_NAME: name, PORT: "8080" },
  });
  const deployment = new DeploymentV1(service, "deployment", {
    metadata,
    spec: {
      replicas: "2",
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: account.metadata.name,
          container: [
            {
              name: "web",
              image,
              port: [{ name: "http", containerPort: 8080 }],
              envFrom: [{ configMapRef: { name: config.metadata.name } }],
              resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
              readinessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 10 },
              livenessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 20 },
            },
          ],
        },
      },
    },
  });
  new ServiceV1(service, "service", {
    metadata,
    spec: { type: "ClusterIP", selector, port: [{ name: "http", port: 80, targetPort: "http" }] },
  });
  new HorizontalPodAutoscalerV2(service, "hpa", {
    metadata,
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
      minReplicas: 2,
      maxReplicas: 10,
      metric: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
      ],
    },
  });
  new PodDisruptionBudgetV1(service, "pdb", {
    metadata,
    spec: { minAvailable: "1", selector: { matchLabels: selector } },
  });
}
