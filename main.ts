import { App } from "cdktf";
import { environments, EnvironmentName } from "./config/environments";
import { PlatformStack } from "./stacks/platform-stack";

/**
 * The default app: the platform stacks of the environments named in PLATFORM_ENVS
 * (comma separated), dev when unset. Local state; no AWS account needed to synthesize.
 */
export function buildApp(app = new App(), names = (process.env.PLATFORM_ENVS ?? "dev").split(",")): App {
  for (const raw of names) {
    const name = raw.trim() as EnvironmentName;
    const config = environments[name];
    if (!config)
      throw new Error(
        `PLATFORM_ENVS: unknown environment "${raw}"; use one or more of ${Object.keys(environments).join(", ")}`,
      );
    new PlatformStack(app, `platform-${name}`, config);
  }
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
