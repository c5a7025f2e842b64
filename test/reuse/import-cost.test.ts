import { execFileSync } from "node:child_process";
import * as path from "node:path";

// `import { WebService } from "eks-platform/constructs"` loads every area of the library. The
// pod-template resources of @cdktf/provider-kubernetes are about 5 MB of generated code each, so
// those of the CronJob, Job, StatefulSet and DaemonSet constructs load when a construct first
// needs one (constructs/private/pod-controllers.ts), not on import. Checked in a process of its
// own (jest's module registry is not Node's), as an app runs: the library's index, required.
const ROOT = path.resolve(__dirname, "..", "..");

function podTemplateModulesLoadedBy(script: string): string[] {
  const out = execFileSync(
    process.execPath,
    [
      "--require",
      "./scripts/register-ts.js",
      "-e",
      `${script}; console.log(JSON.stringify(Object.keys(require.cache).map((f) => /provider-kubernetes[\\\\/]lib[\\\\/]([a-z0-9-]+)[\\\\/]index\\.js$/.exec(f)?.[1]).filter((m) => m && /^(deployment|cron-job|job|stateful-set|daemon-set)-v1$/.test(m)).sort()))`,
    ],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } },
  );
  return JSON.parse(out.trim().split("\n").pop()!) as string[];
}

describe("what importing the library loads", () => {
  it("of the pod-template resources, only the Deployment's (WebService and Worker use it)", () => {
    expect(podTemplateModulesLoadedBy(`require("./constructs")`)).toEqual(["deployment-v1"]);
  });

  it("the others on first use: the provider class a construct needs, at its construction", () => {
    const script = `
      const { App, TerraformStack } = require("cdktf");
      const { KubernetesProvider } = require("@cdktf/provider-kubernetes/lib/provider");
      const { statefulSetV1 } = require("./constructs/private/pod-controllers");
      require("./constructs");
      const stack = new TerraformStack(new App(), "s");
      new KubernetesProvider(stack, "k8s", {});
      new (statefulSetV1())(stack, "set", { metadata: {}, spec: { selector: {}, serviceName: "x", template: {} } })`;
    expect(podTemplateModulesLoadedBy(script)).toEqual(["deployment-v1", "stateful-set-v1"]);
  });
});
