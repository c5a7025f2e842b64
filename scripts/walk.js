/**
 * `npm run walk`: a newcomer's first steps, in a scratch copy of the repository (the real files are
 * never touched):
 *
 * 1. the quick start, `npm run synth`, on the tracked files as they are;
 * 2. adding a workload the README's way ("Adding a workload"): a repository in
 *    `config/environments.ts`, then a Namespace and a WebService running that repository's image in
 *    the workloads stack, next to the sample in `main.ts`;
 * 3. `npm run synth` again, and a check that the new repository, namespace and workload are in the
 *    synthesized stacks of every environment, and in their plan reports.
 *
 * With `--tests` it goes on as the README tells a user to after changing the default app:
 * `npm run test:update-snapshots`, then the unit tier (`npm run test:unit`), which must pass: no test
 * fails because the user added a workload. Slower (a full unit run), so CI runs the walk without it;
 * `test/default-app-invariants.test.ts` proves the same in-process for the invariant tests.
 *
 * The consumer-app part of the walk (a managed, an Auto Mode and an adopted cluster, from the packed
 * package) is `test/package.test.ts`.
 *
 * `--keep` leaves the scratch copy in place and prints where it is.
 */
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const args = new Set(process.argv.slice(2));

/** The workload a user adds, as the README's "Adding a workload" describes it. */
const REPOSITORY = "apps/shop";
const NAMESPACE = "shop";
const WORKLOAD = "shop";

/** Replaces `anchor` (which must occur exactly once) in `file` of the copy with `replacement`. */
function edit(copy, file, anchor, replacement, times = 1) {
  const full = path.join(copy, file);
  const text = fs.readFileSync(full, "utf8");
  const found = text.split(anchor).length - 1;
  if (found !== times)
    throw new Error(
      `walk: ${file} contains ${JSON.stringify(anchor)} ${found} times, not ${times}; update scripts/walk.js`,
    );
  fs.writeFileSync(full, text.split(anchor).join(replacement));
}

/** The documented edit: a repository in each environment's config, a Namespace and a WebService in main.ts. */
function addWorkload(copy) {
  edit(
    copy,
    "config/environments.ts",
    `    defaults: { pushPrincipalArns: [EXAMPLE_CI_ROLE] },\n  },\n`,
    `    defaults: { pushPrincipalArns: [EXAMPLE_CI_ROLE] },\n    repositories: { "${REPOSITORY}": {} },\n  },\n`,
    2,
  );
  edit(
    copy,
    "main.ts",
    `import { WorkloadsStack } from "./stacks/workloads-stack";\n`,
    `import { WorkloadsStack } from "./stacks/workloads-stack";\n` +
      `import { imageReference } from "./constructs/registry";\n` +
      `import { Namespace, WebService } from "./constructs/workloads";\n`,
  );
  edit(
    copy,
    "main.ts",
    `      if (config.sample)\n`,
    `      const shop = new Namespace(workloads, "${NAMESPACE}", { cluster: workloads.cluster });\n` +
      `      new WebService(workloads, "shop-web", {\n` +
      `        namespace: shop,\n` +
      `        name: "${WORKLOAD}",\n` +
      `        image: imageReference(platform.registry.repository("${REPOSITORY}").repositoryUrl, { tag: "1.0.0" }),\n` +
      `        ports: [{ name: "http", port: 8080 }],\n` +
      `        resources: { cpu: "100m", memory: "128Mi" },\n` +
      `        securityContext: { runAsUser: 10001, runAsGroup: 10001 },\n` +
      `        probes: {\n` +
      `          readiness: { http: { path: "/ready", port: "http" } },\n` +
      `          liveness: { http: { path: "/healthz", port: "http" } },\n` +
      `        },\n` +
      `      });\n` +
      `      if (config.sample)\n`,
  );
}

/** The tracked files (what a clean clone has), copied into a fresh directory, with node_modules linked. */
function scratchCopy() {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-walk-"));
  const files = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const file of files) {
    const from = path.join(ROOT, file);
    if (!fs.existsSync(from)) continue; // deleted in the working tree, not yet committed
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(from, path.join(copy, file));
  }
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, "node_modules")), path.join(copy, "node_modules"), "dir");
  return copy;
}

function run(copy, command, commandArgs, env = {}) {
  const started = Date.now();
  console.log(`walk: $ ${[command, ...commandArgs].join(" ")}`);
  const result = spawnSync(command, commandArgs, {
    cwd: copy,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (result.status !== 0) {
    process.stdout.write(result.stdout ?? "");
    process.stderr.write(result.stderr ?? "");
    throw new Error(`walk: \`${[command, ...commandArgs].join(" ")}\` exited with ${result.status ?? result.signal}`);
  }
  console.log(`walk:   ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result.stdout;
}

/** The synthesized Terraform JSON of a stack of the copy. */
function stackJson(copy, stack) {
  return JSON.parse(fs.readFileSync(path.join(copy, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8"));
}

/** The stacks `npm run synth` wrote, by name. */
function synthesizedStacks(copy) {
  return fs.readdirSync(path.join(copy, "cdktf.out", "stacks")).sort();
}

function resourcesOf(json, type) {
  return Object.values(json.resource?.[type] ?? {});
}

/** Checks that every environment has the new repository, namespace and wired workload; returns what failed. */
function checkWorkload(copy) {
  const problems = [];
  const stacks = synthesizedStacks(copy);
  const environments = stacks.filter((s) => s.startsWith("platform-")).map((s) => s.slice("platform-".length));
  if (environments.length === 0) problems.push(`no platform stack in cdktf.out/stacks (${stacks.join(", ")})`);
  for (const env of environments) {
    const platform = stackJson(copy, `platform-${env}`);
    if (!resourcesOf(platform, "aws_ecr_repository").some((r) => r.name === REPOSITORY))
      problems.push(`platform-${env}: no aws_ecr_repository "${REPOSITORY}"`);
    const workloads = stackJson(copy, `workloads-${env}`);
    const inShop = (type) => resourcesOf(workloads, type).filter((r) => r.metadata?.namespace === NAMESPACE);
    if (!resourcesOf(workloads, "kubernetes_namespace_v1").some((r) => r.metadata?.name === NAMESPACE))
      problems.push(`workloads-${env}: no kubernetes_namespace_v1 "${NAMESPACE}"`);
    const deployment = inShop("kubernetes_deployment_v1").find((r) => r.metadata?.name === WORKLOAD);
    if (!deployment) problems.push(`workloads-${env}: no kubernetes_deployment_v1 "${WORKLOAD}" in "${NAMESPACE}"`);
    else {
      const image = deployment.spec.template.spec.container[0].image;
      if (!String(image).includes("aws_ecr_repository") && !String(image).includes(REPOSITORY))
        problems.push(`workloads-${env}: the ${WORKLOAD} Deployment doesn't run the ${REPOSITORY} image (${image})`);
    }
    for (const type of ["kubernetes_service_v1", "kubernetes_pod_disruption_budget_v1"])
      if (!inShop(type).some((r) => r.metadata?.name === WORKLOAD))
        problems.push(`workloads-${env}: no ${type} "${WORKLOAD}" in "${NAMESPACE}"`);
    if (inShop("kubernetes_network_policy_v1").length === 0)
      problems.push(`workloads-${env}: no NetworkPolicy in "${NAMESPACE}" (default deny)`);
    for (const stack of [`platform-${env}`, `workloads-${env}`]) {
      const report = path.join(copy, "cdktf.out", "reports", `${stack}.md`);
      if (!fs.existsSync(report)) problems.push(`${stack}: no plan report`);
    }
    const report = fs.readFileSync(path.join(copy, "cdktf.out", "reports", `workloads-${env}.md`), "utf8");
    if (!report.includes(NAMESPACE)) problems.push(`workloads-${env}: the plan report doesn't mention "${NAMESPACE}"`);
  }
  return problems;
}

function main() {
  const started = Date.now();
  const copy = scratchCopy();
  console.log(`walk: scratch copy of the tracked files${args.has("--keep") ? ` in ${copy}` : ""}`);
  try {
    // 1. The quick start, as it is.
    run(copy, "npm", ["run", "synth"]);
    const before = synthesizedStacks(copy);
    // 2. A repository, a Namespace and a WebService, the documented way.
    addWorkload(copy);
    const output = run(copy, "npm", ["run", "synth"]);
    const after = synthesizedStacks(copy);
    // The README's workload is policy clean: synth prints no finding for it.
    const findings = output.split("\n").filter((l) => l.startsWith("[policy]"));
    if (findings.length > 0)
      throw new Error(`walk: policy findings after adding the workload:\n${findings.join("\n")}`);
    if (before.join() !== after.join())
      throw new Error(`walk: the stacks changed: ${before.join(", ")} → ${after.join(", ")}`);
    const problems = checkWorkload(copy);
    if (problems.length > 0)
      throw new Error(`walk: the added workload is not in the output:\n- ${problems.join("\n- ")}`);
    console.log(
      `walk: ${REPOSITORY}, namespace ${NAMESPACE} and WebService ${WORKLOAD} synthesized in ${after.join(", ")}`,
    );
    // 3. Optionally: what a user runs next.
    if (args.has("--tests")) {
      run(copy, "npm", ["run", "test:update-snapshots"]);
      run(copy, "npm", ["run", "test:unit"]);
    }
    console.log(`walk: passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    if (args.has("--keep")) console.log(`walk: kept ${copy}`);
    else fs.rmSync(copy, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
