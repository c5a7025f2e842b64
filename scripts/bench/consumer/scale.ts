/**
 * The scale benchmark as a consumer writes it: a 500-service app (BENCH_SERVICES) built from the
 * package the way docs/consumer-app.md and examples/consumer-app tell another repository to
 * write one: a cluster stack (Network, EksCluster, a managed node group), a WorkloadsStack on it,
 * a Namespace and N WebServices, imported from `eks-platform/constructs`. `npm run bench` copies
 * it into a consumer project set up as the docs say and runs it the way that project's cdktf.json
 * does (`node --require eks-platform/register main.ts`), with the first line the docs give it
 * (useLazyCreationStacks).
 */
import { App } from "cdktf";
import { Namespace, useLazyCreationStacks, WebService } from "eks-platform/constructs";
import { WorkloadsStack } from "eks-platform/constructs/stacks";
import { ClusterStack, REGION } from "./cluster-stack";

// The documented first line of a consumer app (docs/consumer-app.md).
useLazyCreationStacks();

const services = Number(process.env.BENCH_SERVICES ?? 500);
const app = new App();
const platform = new ClusterStack(app, "platform");
const workloads = new WorkloadsStack(app, "workloads", { cluster: platform.cluster, region: REGION });
const namespace = new Namespace(workloads, "services", { cluster: workloads.cluster });
for (let i = 0; i < services; i++) {
  const name = `web-${String(i).padStart(3, "0")}`;
  // The props of scripts/bench/web-service.ts (the in-repository scale app), written here again
  // because this file is a consumer's app: it imports the package, never the repository's modules.
  new WebService(workloads, name, {
    namespace,
    name,
    image: "public.ecr.aws/nginx/nginx:1.27.3",
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
app.synth();
