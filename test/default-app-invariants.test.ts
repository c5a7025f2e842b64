import * as fs from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import { environments, EnvironmentName, PlatformConfig } from "../config/environments";
import { buildApp, synthWithReports } from "../main";
import {
  buildExtendedApp,
  expectKubernetesValid,
  expectPolicyClean,
  expectRegistryWired,
  expectWorkloadsWired,
  resourcesOf,
  synthesizeApp,
  SynthesizedApp,
  TEAM_WORKLOAD,
  withTeamRepository,
} from "./default-app-invariants";

// The default app's invariants (test/default-app-invariants.ts), for the app as it is and for a copy
// with a team's own repository, namespace and web service added the README's way: what the default
// app's tests assert must hold for whatever a user adds, so adding a workload fails no test but a
// snapshot (recorded again with `npm run test:update-snapshots`). scripts/walk.js makes the same
// change to a copy of the files and synthesizes it.
const variants: [string, (app: App) => App, (config: PlatformConfig) => PlatformConfig][] = [
  ["the default app", (app) => buildApp(app, ["dev", "prod"]), (config) => config],
  ["the default app with a team's workload added", (app) => buildExtendedApp(app, ["dev", "prod"]), withTeamRepository],
];

// Each variant is synthesized once per file: "a team's workload added the README's way" below reads the
// second variant's stacks (synthWithReports is app.synth() plus the reports beside the stacks, so the
// stacks are the same ones a plain synth writes) instead of synthesizing the same app again.
const synthesizedVariants = new Map<string, SynthesizedApp>();
afterAll(() => synthesizedVariants.forEach((s) => s.dispose()));

describe.each(variants)("%s", (label, build, configOf) => {
  let printed: string[] = [];
  const synthesized: SynthesizedApp = synthesizeApp(build, (app) => {
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      synthWithReports(app);
      printed = log.mock.calls.map((c) => String(c[0]));
    } finally {
      log.mockRestore();
    }
  });
  synthesizedVariants.set(label, synthesized);
  const envs = Object.keys(environments) as EnvironmentName[];

  it("has a platform and a workloads stack per environment; each workloads stack depends on its platform only", () => {
    expect(synthesized.stackIds).toEqual(envs.flatMap((e) => [`platform-${e}`, `workloads-${e}`]));
    const manifest = JSON.parse(fs.readFileSync(path.join(synthesized.outdir, "manifest.json"), "utf8"));
    for (const e of envs) {
      expect(manifest.stacks[`platform-${e}`].dependencies).toEqual([]);
      expect(manifest.stacks[`workloads-${e}`].dependencies).toEqual([`platform-${e}`]);
    }
  });

  it("is policy clean: every stack checked, no error, no warning, every suppression with its reason", () => {
    expectPolicyClean(synthesized.app);
  });

  it.each(envs)("%s: every Kubernetes object is valid and every workload wired", (env) => {
    expectKubernetesValid(synthesized.file(`workloads-${env}`));
    expectWorkloadsWired(synthesized.json(`workloads-${env}`));
  });

  it.each(envs)("%s: every repository of the config exists, pullable by every node and Fargate role", (env) => {
    expectRegistryWired(synthesized.json(`platform-${env}`), configOf(environments[env]));
  });

  it("writes a plan report per stack whose resource count is the stack's, and prints its summary line", () => {
    for (const id of synthesized.stackIds) {
      const report = JSON.parse(fs.readFileSync(path.join(synthesized.outdir, "reports", `${id}.json`), "utf8"));
      const count = resourcesOf(synthesized.json(id)).length;
      expect([id, report.resourceCount]).toEqual([id, count]);
      expect([id, report.policy.errors, report.policy.warnings]).toEqual([id, 0, 0]);
      const line = printed.find((l) => l.startsWith(`[plan report] ${id}: `));
      expect(line).toMatch(
        new RegExp(
          `^\\[plan report\\] ${id}: ${count} resources · policy 0 errors, 0 warnings, ${report.policy.suppressed.length} suppressed · ~\\$[0-9.]+/month \\(estimate\\) · `,
        ),
      );
    }
  });
});

describe("a team's workload added the README's way", () => {
  // buildExtendedApp(app, ["dev", "prod"]), synthesized above.
  const synthesized = synthesizedVariants.get(variants[1][0])!;

  it.each(Object.keys(environments))("%s: its repository, namespace and wired WebService are synthesized", (env) => {
    const platform = resourcesOf(synthesized.json(`platform-${env}`));
    const repository = platform.find(
      (r) => r.type === "aws_ecr_repository" && r.body.name === TEAM_WORKLOAD.repository,
    );
    expect(repository).toBeDefined();
    const workloads = resourcesOf(synthesized.json(`workloads-${env}`));
    const inNamespace = (type: string) =>
      workloads.filter((r) => r.type === type && r.body.metadata.namespace === TEAM_WORKLOAD.namespace);
    expect(workloads.filter((r) => r.type === "kubernetes_namespace_v1").map((r) => r.body.metadata.name)).toContain(
      TEAM_WORKLOAD.namespace,
    );
    const [deployment] = inNamespace("kubernetes_deployment_v1");
    expect(deployment.body.metadata.name).toBe(TEAM_WORKLOAD.name);
    // The image comes from the platform's repository, through the platform stack's output.
    expect(deployment.body.spec.template.spec.container[0].image).toMatch(/^\$\{.*\}:1\.0\.0$/);
    for (const type of [
      "kubernetes_service_v1",
      "kubernetes_service_account_v1",
      "kubernetes_pod_disruption_budget_v1",
      "kubernetes_horizontal_pod_autoscaler_v2",
    ])
      expect([type, inNamespace(type).map((r) => r.body.metadata.name)]).toEqual([type, [TEAM_WORKLOAD.name]]);
    expect(inNamespace("kubernetes_network_policy_v1").map((r) => r.body.metadata.name)).toContain("default-deny");
  });
});

describe("the invariant checks fail on a miswired app", () => {
  const synthesized = synthesizeApp((app) => buildApp(app, ["dev"]));
  afterAll(() => synthesized.dispose());
  const mutated = (id: string, change: (json: any) => void) => {
    const json = structuredClone(synthesized.json(id));
    change(json);
    return json;
  };
  const first = (json: any, type: string): any => Object.values(json.resource[type])[0];

  it("a Service that selects no pods", () => {
    const json = mutated("workloads-dev", (j) => {
      first(j, "kubernetes_service_v1").spec.selector["app.kubernetes.io/name"] = "typo";
    });
    expect(() => expectWorkloadsWired(json)).toThrow(/Service [a-z]+\/[a-z]+/);
  });

  it("an Ingress to a port its Service doesn't have", () => {
    const json = mutated("workloads-dev", (j) => {
      first(j, "kubernetes_ingress_v1").spec.rule[0].http.path[0].backend.service.port.number = 9999;
    });
    expect(() => expectWorkloadsWired(json)).toThrow(/Ingress .*:9999/);
  });

  it("a namespace without its default-deny policy", () => {
    const json = mutated("workloads-dev", (j) => {
      for (const [name, p] of Object.entries<any>(j.resource.kubernetes_network_policy_v1))
        if (p.metadata.name === "default-deny") delete j.resource.kubernetes_network_policy_v1[name];
    });
    expect(() => expectWorkloadsWired(json)).toThrow(/default-deny/);
  });

  it("a repository the config has and the stack doesn't, or one no node role may pull from", () => {
    const config = withTeamRepository(environments.dev);
    expect(() => expectRegistryWired(synthesized.json("platform-dev"), config)).toThrow(/apps\/invariants-check/);
    const json = mutated("platform-dev", (j) => {
      const policy = first(j, "aws_ecr_repository_policy");
      policy.policy = policy.policy.replace(/aws_iam_role\.cluster_node-group[^,\]]*\.arn/g, "");
    });
    expect(() => expectRegistryWired(json, environments.dev)).toThrow(/node-group/);
  });
});
