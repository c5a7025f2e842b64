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

  const podsOf = (id: string) => {
    const json = JSON.parse(fs.readFileSync(stackFile(id), "utf8"));
    const out: Record<string, any> = {};
    for (const type of ["kubernetes_deployment_v1", "kubernetes_stateful_set_v1"])
      for (const r of Object.values(json.resource[type] ?? {}) as any[])
        out[`${r.metadata.namespace}/${r.metadata.name}`] = r.spec.template.spec;
    return { json, pods: out };
  };

  it("places the sample's node workloads on prod's Graviton spot apps groups, off the system nodes", () => {
    const { pods } = podsOf("workloads-prod");
    expect(Object.keys(pods).sort()).toEqual(["api/api", "data/cache", "web/web", "worker/worker"]);
    for (const pod of Object.values(pods)) {
      expect(pod.node_selector).toEqual({ "kubernetes.io/arch": "arm64", "eks.amazonaws.com/capacityType": "SPOT" });
      expect(pod.affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_term).toEqual(
        [{ match_expressions: [{ key: "eks-platform.io/node-role", operator: "NotIn", values: ["system"] }] }],
      );
    }
  });

  it("places them on dev's x86 spot groups", () => {
    for (const pod of Object.values(podsOf("workloads-dev").pods))
      expect(pod.node_selector).toEqual({ "kubernetes.io/arch": "amd64", "eks.amazonaws.com/capacityType": "SPOT" });
  });

  it.each(["workloads-dev", "workloads-prod"])(
    "%s: one role-bound workload (the report job reads its ConfigMap); only it mounts the API token",
    (id) => {
      const { json, pods } = podsOf(id);
      const roles = Object.values(json.resource.kubernetes_role_v1) as any[];
      expect(roles.map((r) => [r.metadata.namespace, r.metadata.name, r.rule])).toEqual([
        [
          "batch",
          "report",
          [{ api_groups: [""], resources: ["configmaps"], verbs: ["get"], resource_names: ["report-config"] }],
        ],
      ]);
      expect(json.resource.kubernetes_cluster_role_v1).toBeUndefined();
      const cron = (Object.values(json.resource.kubernetes_cron_job_v1)[0] as any).spec.job_template.spec.template.spec;
      expect(cron.automount_service_account_token).toBe(true);
      for (const pod of Object.values(pods)) expect(pod.automount_service_account_token).toBe(false);
    },
  );
});
