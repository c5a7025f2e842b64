/**
 * `npm run synth|diff|deploy|destroy`: synthesis without the cdktf CLI, deploys with it.
 *
 * - `synth` runs cdktf.json's `app` directly, with the environment `cdktf synth` gives it
 *   (CDKTF_OUTDIR, CDKTF_CONTEXT_JSON, CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS, SYNTH_HCL_OUTPUT,
 *   no TF_VAR_*, --max-old-space-size=4096), then removes the stack folders the app no longer has,
 *   as the CLI does. The output tree is the one `cdktf synth` writes (test/scripts/cdktf-launcher.test.ts
 *   compares the two). The CLI costs 2–2.5 s around an app that synthesizes in about 1 s: its
 *   bundle, its terminal UI and its `terraform version` calls; none of that is needed to synthesize.
 * - `diff`, `deploy`, `destroy` and `output` synthesize once the same way, then hand the result to
 *   the CLI with `--skip-synth` (all four take it), so its own synth doesn't run a second time.
 *   Arguments are passed on unchanged; `--skip-synth` given by the caller skips our synth too.
 * - Anything else (`list`, `get`, `--version`, ...) goes to the CLI as it is.
 *
 * The CLI gets scripts/compile-cache.js through NODE_OPTIONS (its 20 MB bundle is otherwise compiled
 * from scratch on every start), together with the `--max-old-space-size=4096` the CLI would set
 * itself: without it the CLI prints a six-line memory warning on every run.
 *
 * Plain `npx cdktf synth|deploy` keeps working: this file only saves time.
 *
 * Ctrl-C: the terminal sends SIGINT to the whole process group (this launcher, the app, the CLI and
 * terraform); passing it on as well would be a second interrupt, which makes terraform abandon a
 * running apply at once instead of stopping cleanly. So the launcher only keeps it from killing
 * itself, and waits for the child's exit code. A signal sent to this process alone is passed on.
 */
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const MEMORY = "--max-old-space-size";
const SYNTHESIZING = new Set([
  "synth",
  "synthesize",
  "diff",
  "plan",
  "deploy",
  "apply",
  "destroy",
  "output",
  "outputs",
]);

/** NODE_OPTIONS with `additions` appended, and the heap size the CLI would add when none is set. */
function nodeOptions(current, additions) {
  const parts = [current, ...additions].filter(Boolean);
  if (!parts.some((p) => p.includes(MEMORY))) parts.push(`${MEMORY}=4096`);
  return parts.join(" ");
}

/** The value of `--name value`, `--name=value` or `-x value` in argv, or undefined. */
function option(argv, long, short) {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === `--${long}` || (short && a === `-${short}`)) return argv[i + 1];
    if (a.startsWith(`--${long}=`)) return a.slice(long.length + 3);
  }
  return undefined;
}

/** The project's cdktf.json (the CLI reads it from the working directory too). */
function readConfig(cwd) {
  return JSON.parse(fs.readFileSync(path.join(cwd, "cdktf.json"), "utf8"));
}

/** The environment `cdktf synth` runs the app with (cdktf-cli 0.21, synth-stack.ts). */
function synthEnvironment(env, outdir, config) {
  const out = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("TF_VAR_")));
  const context = env.CDKTF_CONTEXT_JSON ? JSON.parse(env.CDKTF_CONTEXT_JSON) : {};
  const relativeModules = (config.terraformModules ?? []).filter((m) => {
    const source = typeof m === "string" ? m : m.source;
    return source.startsWith("./") || source.startsWith("../");
  });
  return {
    ...out,
    NODE_OPTIONS: nodeOptions(env.NODE_OPTIONS, []),
    CDKTF_OUTDIR: outdir,
    CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true",
    CDKTF_CONTEXT_JSON: JSON.stringify({ ...context, cdktfRelativeModules: relativeModules }),
    SYNTH_HCL_OUTPUT: "false",
  };
}

/**
 * Prints the stacks' annotations as the CLI does (`WARN [path]: message`); true when one is an error,
 * which fails the synth (the app keeps going past errors so that all of them are printed).
 */
function reportAnnotations(manifest) {
  const labels = { "@cdktf/info": "INFO", "@cdktf/warn": "WARN", "@cdktf/error": "ERROR" };
  let failed = false;
  for (const stack of Object.values(manifest.stacks)) {
    for (const a of stack.annotations ?? []) {
      const label = labels[a.level] ?? a.level;
      (label === "ERROR" ? console.error : console.log)(`${label} [${a.constructPath}]: ${a.message}`);
      if (label === "ERROR") failed = true;
    }
  }
  return failed;
}

/** Stack folders the manifest no longer lists (a renamed or narrowed stack): removed, as the CLI does. */
function removeStaleStacks(outdir, manifest) {
  const stacksDir = path.join(outdir, "stacks");
  const current = new Set(Object.keys(manifest.stacks));
  for (const entry of fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir, { withFileTypes: true }) : []) {
    if (entry.isDirectory() && !current.has(entry.name))
      fs.rmSync(path.join(stacksDir, entry.name), { recursive: true });
  }
  return [...current];
}

/** Runs a child with this process's stdio; resolves with [code, signal]. */
function run(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", ...options });
    const forward = (signal) => child.kill(signal);
    process.on("SIGTERM", forward);
    process.on("SIGHUP", forward);
    child.on("exit", (code, signal) => {
      process.off("SIGTERM", forward);
      process.off("SIGHUP", forward);
      resolve([code, signal]);
    });
  });
}

/** Synthesizes the app directly; resolves with [code, signal]. Prints what `cdktf synth` prints on success. */
async function synth(argv, cwd, env) {
  const config = readConfig(cwd);
  const app = option(argv, "app", "a") ?? config.app;
  const outdir = option(argv, "output", "o") ?? config.output ?? "cdktf.out";
  const [code, signal] = await run(app, [], { cwd, shell: true, env: synthEnvironment(env, outdir, config) });
  if (code !== 0 || signal) return [code, signal];
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.resolve(cwd, outdir, "manifest.json"), "utf8"));
  } catch (e) {
    console.error(
      `ERROR: synthesis failed: the app didn't call synth(), so ${outdir}/manifest.json wasn't written (${e.message})`,
    );
    return [1, null];
  }
  const stacks = removeStaleStacks(path.resolve(cwd, outdir), manifest);
  if (stacks.length === 0) console.error("ERROR: No Terraform code synthesized.");
  if (reportAnnotations(manifest)) {
    console.error("ERROR: synthesis found error annotations (above).");
    return [1, null];
  }
  return [0, null];
}

/**
 * Runs `cdktf <argv>` the fast way; resolves with the exit code and signal to end with.
 * `cli` is the CLI's entry script (a test passes a stand-in).
 */
async function main(argv, cwd = process.cwd(), env = process.env, cli = require.resolve("cdktf-cli/bundle/bin/cdktf")) {
  const [command] = argv;
  const hook = `--require ${JSON.stringify(path.join(__dirname, "compile-cache.js"))}`;
  const cliEnv = { ...env, NODE_OPTIONS: nodeOptions(env.NODE_OPTIONS, [hook]) };
  const skip = argv.includes("--skip-synth");
  if (command === "synth" || command === "synthesize") {
    // Options only the CLI understands (--hcl) go to the CLI.
    if (argv.includes("--hcl")) return run(process.execPath, [cli, ...argv], { cwd, env: cliEnv });
    const result = await synth(argv.slice(1), cwd, env);
    if (result[0] === 0 && !result[1]) {
      const outdir = option(argv, "output", "o") ?? readConfig(cwd).output ?? "cdktf.out";
      const manifest = JSON.parse(fs.readFileSync(path.resolve(cwd, outdir, "manifest.json"), "utf8"));
      console.log(`Generated Terraform code for the stacks: ${Object.keys(manifest.stacks).join(", ")}`);
    }
    return result;
  }
  if (SYNTHESIZING.has(command) && !skip) {
    const result = await synth(argv.slice(1), cwd, env);
    if (result[0] !== 0 || result[1]) return result;
    return run(process.execPath, [cli, ...argv, "--skip-synth"], { cwd, env: cliEnv });
  }
  return run(process.execPath, [cli, ...argv], { cwd, env: cliEnv });
}

module.exports = { main, synthEnvironment, nodeOptions, removeStaleStacks, reportAnnotations };

if (require.main === module) {
  process.on("SIGINT", () => {});
  main(process.argv.slice(2)).then(([code, signal]) => {
    if (!signal) process.exit(code ?? 1);
    // Die of the same signal, so the caller (a shell, npm, CI) sees what stopped the child.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
}
