import { App } from "cdktf";
import { environments, EnvironmentName } from "./config/environments";
import { PlatformStack } from "./stacks/platform-stack";
import { WorkloadsStack } from "./stacks/workloads-stack";

/**
 * The default app: per environment named in PLATFORM_ENVS (comma separated, dev when unset),
 * a platform stack and the workloads stack on its cluster (deployed in that order). Local
 * state; no AWS account needed to synthesize.
 */
export function buildApp(app = new App(), names = (process.env.PLATFORM_ENVS ?? "dev").split(",")): App {
  for (const raw of names) {
    const name = raw.trim() as EnvironmentName;
    const config = environments[name];
    if (!config)
      throw new Error(
        `PLATFORM_ENVS: unknown environment "${raw}"; use one or more of ${Object.keys(environments).join(", ")}`,
      );
    const platform = new PlatformStack(app, `platform-${name}`, config);
    const workloads = new WorkloadsStack(app, `workloads-${name}`, {
      cluster: platform.cluster,
      region: config.region,
      tags: config.tags,
    });
    // The sample system goes here, one call per environment, e.g.
    // addSampleSystem(workloads, { cluster: workloads.cluster, loadBalancing: workloads.loadBalancing, ... })
    void workloads;
  }
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
