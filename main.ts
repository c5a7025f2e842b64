import { App } from "cdktf";
import { environments, EnvironmentName, PlatformConfig } from "./config/environments";
import { useLazyCreationStacks } from "./constructs/core/creation-stacks";
import { PolicyChecks, PolicyOptions } from "./constructs/policy";
import { summaryLine, writePlanReports } from "./constructs/report";
import { PlatformStack } from "./stacks/platform-stack";
import { addSampleSystem } from "./stacks/sample-system";
import { AppSynthError, formatSynthError } from "./stacks/synth-errors";
import { WorkloadsStack } from "./stacks/workloads-stack";

/** How the default app is built. */
export interface BuildOptions {
  /**
   * Options of the policy checks that run over every stack at synth, or false to build the app
   * without them (only to measure what they cost).
   * @default {} - every rule, with the engine's defaults
   */
  readonly policy?: PolicyOptions | false;
  /**
   * Derives the configuration each environment is built from, e.g. an IPv6 variant of it
   * (tests build the sample system on an IPv6 cluster this way).
   * @default - config/environments.ts as it is
   */
  readonly configure?: (config: PlatformConfig) => PlatformConfig;
}

/** Every environment of config/environments.ts, or those PLATFORM_ENVS (comma separated) narrows it to. */
export function environmentNames(filter = process.env.PLATFORM_ENVS): string[] {
  const all = Object.keys(environments);
  if (filter === undefined || filter.trim() === "") return all;
  return filter.split(",").map((n) => n.trim());
}

/**
 * The default app: per environment, a platform stack and the workloads stack on its cluster
 * (deployed in that order, destroyed in the reverse). `cdktf list` shows them platform stacks first:
 * platform-dev, platform-prod, workloads-dev, workloads-prod. Pick stacks with cdktf's stack
 * arguments (`cdktf deploy 'platform-dev' 'workloads-dev'`, or `'*-dev'`); PLATFORM_ENVS only
 * narrows what is synthesized. Local state by default; no AWS account needed to synthesize.
 * Policy checks run over every stack when it synthesizes.
 */
export function buildApp(app = new App(), names = environmentNames(), options: BuildOptions = {}): App {
  for (const raw of names) {
    const name = raw.trim() as EnvironmentName;
    const base = environments[name];
    if (!base)
      throw new Error(
        `PLATFORM_ENVS: unknown environment "${raw}"; use one or more of ${Object.keys(environments).join(", ")}`,
      );
    const config = options.configure ? options.configure(base) : base;
    // Errors name the environment and the stack they were found in (see stacks/synth-errors.ts).
    const within = <T>(stack: string, build: () => T): T => {
      try {
        return build();
      } catch (error) {
        throw error instanceof AppSynthError ? error : new AppSynthError(error, { environment: name, stack });
      }
    };
    const platform = within(`platform-${name}`, () => new PlatformStack(app, `platform-${name}`, config));
    within(`workloads-${name}`, () => {
      const workloads = new WorkloadsStack(app, `workloads-${name}`, {
        cluster: platform.cluster,
        region: config.region,
        tags: config.tags,
        state: config,
      });
      // The example applications, where the environment asks for them (config.sample): public
      // images, so a first deploy runs before anything is pushed.
      if (config.sample)
        addSampleSystem(workloads, {
          cluster: workloads.cluster,
          registry: platform.registry,
          dataRemovalPolicy: config.disposable ? "destroy" : "retain",
          placement: config.samplePlacement,
        });
    });
  }
  if (options.policy !== false) PolicyChecks.applyTo(app, options.policy ?? {});
  return app;
}

/** Synthesizes the app, then writes a plan report per stack (<outdir>/reports) and prints a summary. */
export function synthWithReports(app: App): void {
  app.synth();
  const checks = PolicyChecks.of(app);
  if (!checks) return;
  const reports = writePlanReports(app.outdir, checks.results);
  // stdout: `cdktf synth` shows it as is (stderr it labels [ERROR]). The checks run inside the
  // synth, after cdktf has collected its annotations, so policy warnings are printed here.
  for (const result of checks.results)
    for (const f of result.findings) console.log(`[policy] ${result.stack}: ${f.message}`);
  for (const r of reports) console.log(`[plan report] ${summaryLine(r)} · ${app.outdir}/reports/${r.stack}.md`);
}

if (require.main === module) {
  // Same output and error messages, a third less CPU at scale: see constructs/core/creation-stacks.ts.
  useLazyCreationStacks();
  try {
    synthWithReports(buildApp());
  } catch (error) {
    // One block per error, printed once: the message, the stack and environment, the config path.
    console.error(formatSynthError(error));
    process.exitCode = 1;
  }
}
