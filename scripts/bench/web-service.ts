/**
 * THE per-service builder of the scale benchmark: one `WebService`, the product's own
 * construct, with the six Kubernetes objects a service of the AWS CDK peer's
 * EXTRA_SERVICES variant has (ServiceAccount, ConfigMap, Deployment, Service,
 * HorizontalPodAutoscaler autoscaling/v2, PodDisruptionBudget), so the comparison measures
 * what a user of each tool writes, validation included.
 */
import { Construct } from "constructs";
import { INamespace } from "../../constructs/workloads/namespace";
import { WebService } from "../../constructs/workloads/web-service";

export interface BenchWebServiceProps {
  /** Service name, a DNS-1123 label. */
  readonly name: string;
  /** Namespace the service lives in (declared in the stack). */
  readonly namespace: INamespace;
  /** Pinned image reference. */
  readonly image: string;
}

/** Adds one web service (six Kubernetes objects) under `scope`. */
export function addBenchWebService(scope: Construct, props: BenchWebServiceProps): void {
  const { name, namespace, image } = props;
  new WebService(scope, name, {
    namespace,
    name,
    image,
    ports: [{ name: "http", port: 8080 }],
    resources: { cpu: "100m", memory: "128Mi", memoryLimit: "256Mi", cpuLimit: "500m" },
    probes: {
      readiness: { http: { path: "/healthz", port: "http" } },
      liveness: { http: { path: "/healthz", port: "http" }, periodSeconds: 20 },
    },
    config: { env: { LOG_LEVEL: "info", SERVICE_NAME: name, PORT: "8080" } },
    autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 70, memoryUtilization: false },
    disruptionBudget: { minAvailable: 1 },
  });
}
