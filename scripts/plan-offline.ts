/**
 * `npm run plan:offline [-- <stack> ...]`: after `cdktf synth`, runs terraform init
 * and plan (which validates first) (mock credentials, no refresh) on each synthesized stack in
 * cdktf.out, and prints what would be created. Stacks with no AWS provider (the
 * Kubernetes side) are listed and passed over.
 *
 * Environment: TERRAFORM_BIN, TF_PLUGIN_DIR (see offline-terraform.ts),
 * CDKTF_OUTDIR (default cdktf.out), PLAN_OFFLINE_ALLOW_REGISTRY=1 to let
 * `terraform init` download providers when no local mirror exists.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { offlineTools, planOffline } from "./offline-terraform";

function main(): number {
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const stacksDir = path.join(outdir, "stacks");
  if (!fs.existsSync(stacksDir)) {
    console.error(`plan:offline: no ${stacksDir}; run \`npm run synth\` first`);
    return 2;
  }
  const { tools, problem } = offlineTools(process.env.PLAN_OFFLINE_ALLOW_REGISTRY !== "1");
  if (!tools) {
    console.error(`plan:offline: cannot run: ${problem}`);
    return 2;
  }
  const wanted = process.argv.slice(2);
  const stacks = wanted.length ? wanted : fs.readdirSync(stacksDir).sort();
  let failed = 0;
  for (const stack of stacks) {
    const file = path.join(stacksDir, stack, "cdk.tf.json");
    if (!fs.existsSync(file)) {
      console.error(`${stack}: no ${file}`);
      failed++;
      continue;
    }
    const providers = Object.keys(JSON.parse(fs.readFileSync(file, "utf8")).provider ?? {});
    if (!providers.includes("aws") || providers.some((p) => p !== "aws")) {
      console.log(
        `${stack}: passed over (providers: ${providers.join(", ") || "none"}; only AWS-only stacks plan offline)`,
      );
      continue;
    }
    try {
      const s = planOffline(path.join(stacksDir, stack), tools);
      const types = Object.entries(s.createByType)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([t, n]) => `  ${t}: ${n}`);
      console.log(
        `${stack}: validated and planned: ${s.toCreate} to create (init ${s.seconds.init}s, plan ${s.seconds.plan}s)\n${types.join("\n")}`,
      );
    } catch (err) {
      console.error(`${stack}: FAILED\n${(err as Error).message}`);
      failed++;
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = main();
