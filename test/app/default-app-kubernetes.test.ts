import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { buildApp } from "../../main";
import type { PlatformConfig } from "../../config/environments";
import { expectValidKubernetes } from "../kubernetes-schema";

// Every Kubernetes object the default app deploys, in every environment, validated against the
// Kubernetes OpenAPI schema (kubernetes-models) plus the API server rules the schema leaves out.
// No kubernetes provider binary exists offline, so this is what stands in for `terraform validate`.
// The sample on both environments' settings: prod runs it when it sets `sample: true`.
const withSample = (config: PlatformConfig): PlatformConfig => ({ ...config, sample: true });

describe("the default app's Kubernetes objects", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "default-app-k8s-"));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  buildApp(new App({ outdir }), ["dev", "prod"], { configure: withSample }).synth();
  const stackFile = (id: string) => path.join(outdir, "stacks", id, "cdk.tf.json");

  it.each(["workloads-dev", "workloads-prod"])("%s: every object is valid", (id) => {
    const { objects, skipped } = expectValidKubernetes(stackFile(id));
    const kinds = objects.reduce<Record<string, number>>((n, o) => ({ ...n, [o.kind]: (n[o.kind] ?? 0) + 1 }), {});
    // The sample system (web, api, worker, report CronJob, Redis) and the controllers' namespaced objects.
    expect(kinds).toMatchObject({
      Namespace: 5,
      Deployment: 3,
      StatefulSet: 1,
      CronJob: 1,
      Service: 3,
      HorizontalPodAutoscaler: 3,
      PodDisruptionBudget: 4,
      Ingress: 1,
      StorageClass: 1,
    });
    // Helm releases carry their own manifests; only they are skipped.
    expect(skipped.every((s) => s.startsWith("helm_release."))).toBe(true);
  });
});
