import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { prod } from "../../config/environments";
import { buildApp } from "../../main";
import { repositoriesOf } from "../../stacks/platform-stack";
import type { PlatformConfig } from "../../config/environments";

// What `cdktf deploy` / `cdktf destroy` of the default app do, read from what it synthesizes:
// the stack order (cdktf deploys a stack after the stacks it depends on and destroys in the
// reverse), the order inside the workloads stack (load balancers go while their controller
// runs), and what a destroy leaves behind in a disposable environment (nothing) and in prod
// (the data).
// The sample on both environments' settings: prod runs it when it sets `sample: true`.
const withSample = (config: PlatformConfig): PlatformConfig => ({ ...config, sample: true });

describe("deploy and destroy of the default app", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "lifecycle-"));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  buildApp(new App({ outdir }), ["dev", "prod"], { configure: withSample }).synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  const stack = (id: string) =>
    JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8")) as {
      resource: Record<string, Record<string, any>>;
    };
  const all = (id: string) =>
    Object.entries(stack(id).resource).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, body]) => ({ address: `${type}.${name}`, type, body })),
    );

  it("lists platform and workloads stacks of every environment; workloads depend on their platform only", () => {
    expect(Object.keys(manifest.stacks).sort()).toEqual([
      "platform-dev",
      "platform-prod",
      "workloads-dev",
      "workloads-prod",
    ]);
    expect(manifest.stacks["platform-dev"].dependencies).toEqual([]);
    expect(manifest.stacks["platform-prod"].dependencies).toEqual([]);
    expect(manifest.stacks["workloads-dev"].dependencies).toEqual(["platform-dev"]);
    expect(manifest.stacks["workloads-prod"].dependencies).toEqual(["platform-prod"]);
  });

  it.each(["workloads-dev", "workloads-prod"])(
    "%s: every Ingress and LoadBalancer Service depends on the load balancer controller's release",
    (id) => {
      const resources = all(id);
      const controller = resources.find(
        (r) => r.type === "helm_release" && r.body.chart === "aws-load-balancer-controller",
      );
      expect(controller).toBeDefined();
      const exposed = resources.filter(
        (r) =>
          r.type === "kubernetes_ingress_v1" ||
          (r.type === "kubernetes_service_v1" && r.body.spec?.type === "LoadBalancer"),
      );
      expect(exposed.length).toBeGreaterThan(0);
      for (const r of exposed) expect(r.body.depends_on).toContain(controller!.address);
    },
  );

  it("dev is disposable: nothing refuses to be destroyed, nothing is left behind", () => {
    for (const id of ["platform-dev", "workloads-dev"]) {
      for (const r of all(id)) {
        expect([r.address, r.body.lifecycle?.prevent_destroy]).toEqual([r.address, undefined]);
        expect([r.address, r.body.skip_destroy]).not.toEqual([r.address, true]);
      }
    }
    const platform = all("platform-dev");
    for (const repo of platform.filter((r) => r.type === "aws_ecr_repository"))
      expect(repo.body.force_delete).toBe(true);
    const workloads = all("workloads-dev");
    const storageClass = workloads.find((r) => r.type === "kubernetes_storage_class_v1")!;
    expect(storageClass.body.reclaim_policy).toBe("Delete");
    const cache = workloads.find((r) => r.type === "kubernetes_stateful_set_v1")!;
    expect(cache.body.spec.persistent_volume_claim_retention_policy).toEqual([
      { when_deleted: "Delete", when_scaled: "Delete" },
    ]);
  });

  it("prod keeps its data: repositories and log keys refuse destroy, log groups and volumes stay in AWS", () => {
    const platform = all("platform-prod");
    const repos = platform.filter((r) => r.type === "aws_ecr_repository");
    expect(repos).toHaveLength(Object.keys(repositoriesOf(withSample(prod))).length);
    expect(repos.length).toBeGreaterThan(0);
    for (const repo of repos) {
      expect(repo.body.lifecycle?.prevent_destroy).toBe(true);
      expect(repo.body.force_delete).toBe(false);
    }
    const logGroups = platform.filter((r) => r.type === "aws_cloudwatch_log_group");
    expect(logGroups).toHaveLength(2);
    for (const group of logGroups) expect(group.body.skip_destroy).toBe(true);
    const logKeys = platform.filter((r) => r.type === "aws_kms_key" && r.body.lifecycle?.prevent_destroy === true);
    expect(logKeys).toHaveLength(2);
    const workloads = all("workloads-prod");
    expect(workloads.find((r) => r.type === "kubernetes_storage_class_v1")!.body.reclaim_policy).toBe("Retain");
    const cache = workloads.find((r) => r.type === "kubernetes_stateful_set_v1")!;
    expect(cache.body.spec.persistent_volume_claim_retention_policy).toEqual([
      { when_deleted: "Retain", when_scaled: "Retain" },
    ]);
  });
});
