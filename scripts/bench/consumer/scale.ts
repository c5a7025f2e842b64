/**
 * The scale benchmark as a consumer writes it: a 500-service app (BENCH_SERVICES) built from the
 * package the way docs/consumer-app.md and examples/consumer-app tell another repository to
 * write one: a cluster stack (Network, EksCluster, a managed node group), a WorkloadsStack on it,
 * a Namespace and N WebServices, imported from `eks-platform/constructs`. `npm run bench` copies
 * it into a consumer project set up as the docs say and runs it the way that project's cdktf.json
 * does (compiled by tsc, run by node), with the first line the docs give it (useLazyCreationStacks).
 */
import { App, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EksCluster, Namespace, Network, useLazyCreationStacks, WebService } from "eks-platform/constructs";
import { WorkloadsStack } from "eks-platform/constructs/stacks";

// The documented first line of a consumer app (docs/consumer-app.md).
useLazyCreationStacks();

const REGION = "eu-west-1";

class ClusterStack extends TerraformStack {
  public readonly cluster: EksCluster;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: REGION });
    const network = new Network(this, "network", {
      name: "shop",
      cidr: "10.40.0.0/16",
      availabilityZones: [`${REGION}a`, `${REGION}b`, `${REGION}c`],
      clusterNames: ["shop"],
    });
    this.cluster = new EksCluster(this, "cluster", {
      name: "shop",
      network,
      admins: ["arn:aws:iam::123456789012:role/platform-admin"],
    });
    this.cluster.addNodeGroup("general");
  }
}

const services = Number(process.env.BENCH_SERVICES ?? 500);
const app = new App();
const platform = new ClusterStack(app, "platform");
const workloads = new WorkloadsStack(app, "workloads", { cluster: platform.cluster, region: REGION });
const namespace = new Namespace(workloads, "services", { cluster: workloads.cluster });
for (let i = 0; i < services; i++) {
  const name = `web-${String(i).padStart(3, "0")}`;
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
