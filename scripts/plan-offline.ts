/**
 * `npm run plan:offline [-- <stack> ...]`: after `cdktf synth`, runs terraform init
 * and plan (which validates first) (mock credentials, no refresh) on each synthesized stack in
 * cdktf.out, and prints what would be created. Stacks that mix AWS with the kubernetes
 * and helm providers (the workloads stacks) are planned for their AWS part only: no
 * kubernetes/helm provider binaries are needed, and another stack's remote state is mocked
 * (see PlanOfflineOptions). Stacks with no AWS provider are listed and passed over.
 *
 * Environment: TERRAFORM_BIN, TF_PLUGIN_DIR (see offline-terraform/index.ts),
 * CDKTF_OUTDIR (default cdktf.out), PLAN_OFFLINE_ALLOW_REGISTRY=1 to let
 * `terraform init` download providers when no local mirror exists.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { NON_AWS_PROVIDERS, offlineTools, planOffline } from "./offline-terraform";

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
    const unknown = providers.filter((p) => p !== "aws" && !(NON_AWS_PROVIDERS as readonly string[]).includes(p));
    if (!providers.includes("aws") || unknown.length > 0) {
      console.log(
        `${stack}: passed over (providers: ${providers.join(", ") || "none"}; only the AWS part of a stack plans offline)`,
      );
      continue;
    }
    const awsOnly = providers.some((p) => p !== "aws");
    try {
      const s = planOffline(path.join(stacksDir, stack), tools, { awsOnly });
      const dropped = Object.entries(s.dropped)
        .map(([t, n]) => `${t}: ${n}`)
        .join(", ");
      if (awsOnly) console.log(`${stack}: AWS part only (not planned here: ${dropped || "nothing"})`);
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
