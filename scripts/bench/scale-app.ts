/**
 * The scale benchmark's app: the dev platform stack (network, cluster, compute, registries)
 * and a workloads stack on its cluster with BENCH_SERVICES web services (default 10), each
 * built by scripts/bench/web-service.ts. The workloads stack reaches the cluster through
 * cdktf cross-stack references, as a real workloads stack does.
 *
 *   BENCH_SERVICES=100 CDKTF_OUTDIR=/tmp/out node --require ./scripts/register-ts.js scripts/bench/scale-app.ts
 */
import { App, Fn, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { dev, PlatformConfig } from "../../config/environments";
import { useLazyCreationStacks } from "../../constructs/core/creation-stacks";
import { Namespace } from "../../constructs/workloads/namespace";
import { PlatformStack } from "../../stacks/platform-stack";
import { addBenchWebService } from "./web-service";

class BenchWorkloadsStack extends TerraformStack {
  constructor(scope: Construct, id: string, platform: PlatformStack, config: PlatformConfig, services: number) {
    super(scope, id);
    const { cluster } = platform;
    new KubernetesProvider(this, "kubernetes", {
      host: cluster.clusterEndpoint,
      clusterCaCertificate: Fn.base64decode(cluster.clusterCertificateAuthorityData),
      exec: [
        {
          apiVersion: "client.authentication.k8s.io/v1beta1",
          command: "aws",
          args: ["eks", "get-token", "--cluster-name", cluster.clusterName, "--region", config.region],
        },
      ],
    });
    const namespace = new Namespace(this, "services", { cluster });
    for (let i = 0; i < services; i++) {
      addBenchWebService(this, {
        name: `web-${String(i).padStart(3, "0")}`,
        namespace,
        image: "public.ecr.aws/nginx/nginx:1.27.3",
      });
    }
  }
}

export function buildScaleApp(services: number, app = new App()): App {
  const platform = new PlatformStack(app, "platform-dev", dev);
  new BenchWorkloadsStack(app, "workloads-dev", platform, dev, services);
  return app;
}

if (require.main === module) {
  const services = Number(process.env.BENCH_SERVICES ?? 10);
  if (!Number.isInteger(services) || services < 0)
    throw new Error(`BENCH_SERVICES "${process.env.BENCH_SERVICES}" is not a whole number; give e.g. 10, 100 or 500`);
  useLazyCreationStacks(); // as main.ts does
  buildScaleApp(services).synth();
}
