import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, Testing } from "cdktf";
import { environments, PlatformConfig } from "../../config/environments";
import { ValidationError } from "../../constructs/private/validation";
import { buildApp, synthWithReports } from "../../main";
import { PlatformStack } from "../../stacks/platform-stack";
import { AppSynthError, configPathOf, formatSynthError } from "../../stacks/synth-errors";

/** Builds the default app with `change` applied to one environment's config; returns the error it throws. */
function errorOf(env: "dev" | "prod", change: (c: PlatformConfig) => PlatformConfig): unknown {
  const original = environments[env];
  environments[env] = change(original);
  try {
    buildApp(Testing.app(), ["dev", "prod"], { policy: false });
  } catch (error) {
    return error;
  } finally {
    environments[env] = original;
  }
  throw new Error("expected the app to refuse the config");
}

describe("a bad input in the default app", () => {
  it("prints one block: the message, the stack and environment, and the config path; no stack trace", () => {
    const error = errorOf("prod", (c) => ({ ...c, network: { ...c.network, cidr: "10.20.0.0/33" } }));
    expect(formatSynthError(error)).toBe(
      [
        `Error: Network 'network': cidr "10.20.0.0/33" has a prefix length above 32; use an IPv4 network CIDR such as "10.0.0.0/16"`,
        `  stack:  platform-prod (environment "prod")`,
        `  config: prod.network.cidr in config/environments.ts`,
      ].join("\n"),
    );
  });

  it("a node group's field is traced to its key under nodeGroups", () => {
    const error = errorOf("dev", (c) => {
      const [id, group] = Object.entries(c.nodeGroups)[0];
      return { ...c, nodeGroups: { ...c.nodeGroups, [id]: { ...group, instanceTypes: ["no-such.type"] } } };
    });
    expect(error).toBeInstanceOf(AppSynthError);
    const id = Object.keys(environments.dev.nodeGroups)[0];
    // A key that isn't an identifier ("general-eu-west-1a") is written as JavaScript would index it.
    const key = /^[A-Za-z_$][\w$]*$/.test(id) ? `.${id}` : `[${JSON.stringify(id)}]`;
    expect((error as AppSynthError).configPath).toBe(`dev.nodeGroups${key}.instanceTypes`);
  });

  it("a repository the workloads use but the config lacks: the error says where to add it", () => {
    // As the sample system looks up its images when given tags (stacks/sample-system.ts).
    const platform = new PlatformStack(Testing.app(), "platform-dev", environments.dev);
    let error: unknown;
    try {
      platform.registry.repository("apps/billing");
    } catch (e) {
      error = new AppSynthError(e, { environment: "dev", stack: "workloads-dev" });
    }
    const text = formatSynthError(error);
    expect(text.split("\n")).toHaveLength(3);
    expect(text).toMatch(
      /^Error: Registry 'registry': repository "apps\/billing" is not in this registry; use one of .*, or add it to repositories\n/,
    );
    expect(text).toContain(`  stack:  workloads-dev (environment "dev")`);
    expect(text).toContain(`  config: dev.registry.repositories in config/environments.ts`);
  });

  it("an error that isn't bad input (a defect) keeps its stack trace", () => {
    const text = formatSynthError(
      new AppSynthError(new TypeError("x is undefined"), { environment: "dev", stack: "platform-dev" }),
    );
    expect(text.split("\n").slice(0, 2)).toEqual([
      "Error: x is undefined",
      `  stack:  platform-dev (environment "dev")`,
    ]);
    expect(text).toMatch(/\n {4}at /);
  });

  it.each([
    ["EksCluster 'cluster'", "kubernetesVersion", "dev.cluster.kubernetesVersion"],
    ["FargateProfile 'fargate-batch'", "selectors", "dev.fargateProfiles.batch.selectors"],
    ["Repository 'apps/web'", "lifecycleRules", 'dev.registry.repositories["apps/web"].lifecycleRules'],
    ["VpcFlowLogs 'flow-logs'", "retentionInDays", "dev.network.flowLogs.retentionInDays"],
    ["WebService 'web'", "replicas", undefined],
  ])("%s's %s comes from %s", (where, field, expected) => {
    expect(configPathOf("dev", new ValidationError("m", { where, field }))).toBe(expected);
  });
});

describe("the plan reports folder", () => {
  it("holds only the stacks just synthesized: a narrowed synth (PLATFORM_ENVS) leaves no old report", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "reports-"));
    try {
      const log = jest.spyOn(console, "log").mockImplementation(() => {});
      try {
        synthWithReports(buildApp(new App({ outdir }), ["dev", "prod"]));
        expect(fs.readdirSync(path.join(outdir, "reports")).filter((f) => f.endsWith(".json"))).toHaveLength(4);
        synthWithReports(buildApp(new App({ outdir }), ["dev"]));
      } finally {
        log.mockRestore();
      }
      expect(fs.readdirSync(path.join(outdir, "reports")).sort()).toEqual(
        ["platform-dev", "workloads-dev"].flatMap((s) => [`${s}.json`, `${s}.md`, `${s}.mmd`]).sort(),
      );
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);
});
