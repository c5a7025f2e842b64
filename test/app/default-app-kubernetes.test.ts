import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { buildApp } from "../../main";
import type { PlatformConfig } from "../../config/environments";
import { countByType } from "../default-app-invariants";
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
    // Every kubernetes_* resource became an object and was validated (the default app is the user's:
    // how many of each kind it has is pinned by its snapshot, test/default-app-snapshots.test.ts).
    const kubernetes = countByType(JSON.parse(fs.readFileSync(stackFile(id), "utf8")), (t) =>
      t.startsWith("kubernetes_"),
    );
    expect(objects).toHaveLength(Object.values(kubernetes).reduce((a, b) => a + b, 0));
    expect(objects.length).toBeGreaterThan(0);
    // Helm releases carry their own manifests; only they are skipped.
    expect(skipped.filter((s) => !s.startsWith("helm_release."))).toEqual([]);
  });
});
