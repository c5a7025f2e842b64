/**
 * Offline Terraform check of a synthesized stack: `terraform init` from a local
 * provider directory, then `terraform plan -refresh=false` with mock credentials
 * (which runs Terraform's validation first; see planOffline). Proves the JSON cdktf wrote is accepted by the real
 * hashicorp/aws provider schema and plans, without an AWS account or network.
 *
 * The mock credentials and skip_* flags go into a Terraform override file in a
 * scratch copy of the stack, so they never reach the stacks users deploy.
 *
 * Environment:
 * - TERRAFORM_BIN: the terraform CLI (default: `terraform` on PATH).
 * - TF_PLUGIN_DIR: a provider directory in Terraform's filesystem-mirror layout
 *   (<dir>/registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/...). Default:
 *   the first of Terraform's implied local mirror directories, then /opt/<any>/,
 *   that holds the provider version asked for. When none does, `terraform init`
 *   installs from the registry as usual (a networked machine).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The hashicorp/aws version @cdktf/provider-aws 20.1.0 is generated for. */
export const AWS_PROVIDER_VERSION = "5.100.0";

export interface OfflineTools {
  readonly terraform: string;
  /** Undefined: install providers from the registry (needs network). */
  readonly pluginDir?: string;
}

export interface PlanSummary {
  /** Resource changes by action ("create", "update", "delete", "no-op", ...). */
  readonly actions: Record<string, number>;
  /** Resources to create, by Terraform resource type. */
  readonly createByType: Record<string, number>;
  /** Total resources to create. */
  readonly toCreate: number;
  /**
   * Seconds taken by init and plan. `validate` is kept for callers and is 0: validation
   * runs inside `plan`. `init` is near 0 when the process already initialized the same providers.
   */
  readonly seconds: { init: number; validate: number; plan: number };
}

/** Finds the terraform CLI, or explains why it is missing. */
export function findTerraform(): { path?: string; problem?: string } {
  const configured = process.env.TERRAFORM_BIN;
  const candidate = configured ?? "terraform";
  const probe = spawnSync(candidate, ["version", "-json"], { encoding: "utf8", env: terraformEnv() });
  if (probe.error || probe.status !== 0) {
    return {
      problem: `terraform CLI not found (${configured ? `TERRAFORM_BIN=${configured}` : "no `terraform` on PATH"}; set TERRAFORM_BIN)`,
    };
  }
  return { path: candidate };
}

/** Terraform's implied local mirror directories (see "Provider Installation" in the Terraform CLI docs). */
function impliedMirrorDirs(): string[] {
  const home = os.homedir();
  const xdgData = process.env.XDG_DATA_HOME ?? path.join(home, ".local", "share");
  const xdgDirs = (process.env.XDG_DATA_DIRS ?? "/usr/local/share:/usr/share").split(":").filter(Boolean);
  return [
    path.join(home, ".terraform.d", "plugins"),
    path.join(xdgData, "terraform", "plugins"),
    ...xdgDirs.map((d) => path.join(d, "terraform", "plugins")),
  ];
}

function holdsProvider(dir: string, version: string): boolean {
  return fs.existsSync(path.join(dir, "registry.terraform.io", "hashicorp", "aws", version));
}

/** Finds a local provider directory holding hashicorp/aws at `version`, or explains why there is none. */
export function findPluginDir(version = AWS_PROVIDER_VERSION): { path?: string; problem?: string } {
  const configured = process.env.TF_PLUGIN_DIR;
  if (configured) {
    return holdsProvider(configured, version)
      ? { path: configured }
      : { problem: `TF_PLUGIN_DIR=${configured} has no registry.terraform.io/hashicorp/aws/${version}` };
  }
  const optDirs = fs.existsSync("/opt") ? fs.readdirSync("/opt").map((d) => path.join("/opt", d)) : [];
  const found = [...impliedMirrorDirs(), ...optDirs].find((d) => holdsProvider(d, version));
  return found ? { path: found } : { problem: `no local mirror of hashicorp/aws ${version} found (set TF_PLUGIN_DIR)` };
}

/**
 * The tools for an offline check. `offline: true` (the default) insists on a local
 * provider directory; `offline: false` lets `terraform init` use the registry.
 */
export function offlineTools(offline = true): { tools?: OfflineTools; problem?: string } {
  const tf = findTerraform();
  if (!tf.path) return { problem: tf.problem };
  const plugins = findPluginDir();
  if (!plugins.path && offline) return { problem: plugins.problem };
  return { tools: { terraform: tf.path, pluginDir: plugins.path } };
}

/** Provider settings for a plan with no AWS account. Only ever written into a scratch copy. */
const MOCK_AWS_PROVIDER = {
  access_key: "mock-access-key",
  secret_key: "mock-secret-key",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
};

function terraformEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    AWS_EC2_METADATA_DISABLED: "true",
    ...extra,
  };
  // A user's profile or real keys must never be picked up by the mock plan.
  for (const key of [
    "AWS_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "TF_PLUGIN_CACHE_DIR",
  ])
    delete env[key];
  return env;
}

function run(terraform: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const started = Date.now();
  const result = spawnSync(terraform, args, { cwd, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `terraform ${args[0]} failed in ${cwd} (exit ${result.status}):\n${result.stderr}\n${result.stdout}`.trim(),
    );
  }
  return (Date.now() - started) / 1000;
}

/**
 * Runs init and plan on a synthesized stack directory (the folder holding cdk.tf.json)
 * and returns what the plan would do. Throws with Terraform's own diagnostics when a
 * step fails.
 *
 * There is no separate `terraform validate`: `terraform plan` runs the same validate
 * walk first (Terraform's local backend logs "running validation operation" and builds
 * the walkValidate graph before planning) and fails on any error it reports, so a
 * separate validate only loaded the 700 MB provider's schema once more (about 2.5 s a
 * stack). The plan's own JSON stream gives the resource changes, which spares the
 * third schema load a `terraform show -json` of a saved plan costs.
 *
 * Within one run, a configuration already planned is not planned again: the result is
 * reused when the stack's Terraform JSON (without cdktf's `//` metadata comments and the
 * backend, both replaced or ignored here) is byte for byte one planned before. Runs
 * never share results: a configuration is always planned once per run.
 */
export function planOffline(stackDir: string, tools: OfflineTools): PlanSummary {
  const files = readStackFiles(stackDir);
  const key = dedupeKey(files, tools);
  const known = recallPlan(key);
  if (known) return known;

  const work = fs.mkdtempSync(path.join(os.tmpdir(), "offline-plan-"));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(work, name), text);
    if (fs.existsSync(path.join(stackDir, "assets")))
      fs.cpSync(path.join(stackDir, "assets"), path.join(work, "assets"), { recursive: true });
    fs.writeFileSync(path.join(work, "offline_mock_override.tf.json"), JSON.stringify(OVERRIDE, null, 2));

    const started = Date.now();
    const { dataDir, lockFile } = initFor(work, files, tools);
    const init = (Date.now() - started) / 1000;
    if (lockFile) fs.copyFileSync(lockFile, path.join(work, ".terraform.lock.hcl"));
    const env = terraformEnv({ TF_CLI_CONFIG_FILE: emptyCliConfig(), TF_DATA_DIR: dataDir });

    const planStarted = Date.now();
    const result = spawnSync(
      tools.terraform,
      ["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-json"],
      { cwd: work, env, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 },
    );
    if (result.error) throw result.error;
    const messages = parseJsonLines(result.stdout);
    if (result.status !== 0) {
      throw new Error(
        `terraform plan failed in ${work} (exit ${result.status}):\n${diagnostics(messages)}\n${result.stderr}`.trim(),
      );
    }
    const summary = summarize(messages, { init, validate: 0, plan: (Date.now() - planStarted) / 1000 });
    rememberPlan(key, summary);
    return summary;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Provider settings for a plan with no AWS account, and a scratch local backend in place
 * of the stack's own (local state path, or S3). Only ever written into a scratch copy.
 * The state path is relative so every scratch copy has the same backend configuration,
 * which lets them share one initialized data directory (see initFor).
 */
const OVERRIDE = {
  terraform: { backend: { local: { path: "offline.tfstate" } } },
  provider: { aws: [MOCK_AWS_PROVIDER] },
};

/** The stack's Terraform JSON files, by name. */
function readStackFiles(stackDir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(stackDir).sort()) {
    if (entry.endsWith(".tf.json")) files[entry] = fs.readFileSync(path.join(stackDir, entry), "utf8");
  }
  return files;
}

/** Drops what Terraform ignores or this check replaces: `//` comments of the body and resources, and the backend. */
function planRelevant(text: string): unknown {
  const config = JSON.parse(text);
  delete config["//"];
  if (config.terraform) delete config.terraform.backend;
  for (const blockKind of ["resource", "data"]) {
    for (const byName of Object.values<Record<string, any>>(config[blockKind] ?? {})) {
      for (const body of Object.values<any>(byName)) if (body && typeof body === "object") delete body["//"];
    }
  }
  return config;
}

function dedupeKey(files: Record<string, string>, tools: OfflineTools): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify([tools.terraform, tools.pluginDir ?? null]));
  for (const [name, text] of Object.entries(files)) hash.update(`\0${name}\0${JSON.stringify(planRelevant(text))}`);
  return hash.digest("hex");
}

/**
 * Plans of this run, by configuration. In-process, and shared between jest workers through
 * the directory in OFFLINE_PLAN_DEDUPE_DIR, which the offline project's global setup
 * creates empty at the start of every run and removes at its end.
 */
const planned = new Map<string, PlanSummary>();

function recallPlan(key: string): PlanSummary | undefined {
  const local = planned.get(key);
  if (local) return local;
  const dir = process.env.OFFLINE_PLAN_DEDUPE_DIR;
  const file = dir && path.join(dir, `${key}.json`);
  if (!file || !fs.existsSync(file)) return undefined;
  const summary = JSON.parse(fs.readFileSync(file, "utf8")) as PlanSummary;
  planned.set(key, summary);
  return summary;
}

function rememberPlan(key: string, summary: PlanSummary): void {
  planned.set(key, summary);
  const dir = process.env.OFFLINE_PLAN_DEDUPE_DIR;
  if (!dir || !fs.existsSync(dir)) return;
  // Written under a temporary name and renamed, so another worker never reads half a file.
  const tmp = path.join(dir, `${key}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(summary));
  fs.renameSync(tmp, path.join(dir, `${key}.json`));
}

let cliConfig: string | undefined;
/** An empty CLI config: the user's own (credentials helpers, mirrors, cache) must not change the result. */
function emptyCliConfig(): string {
  if (!cliConfig || !fs.existsSync(cliConfig)) {
    cliConfig = path.join(scratchRoot(), "empty.terraformrc");
    fs.writeFileSync(cliConfig, "");
  }
  return cliConfig;
}

let scratch: string | undefined;
/** One scratch directory per process for what plans share (CLI config, initialized data directories). */
function scratchRoot(): string {
  if (!scratch || !fs.existsSync(scratch)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "offline-shared-"));
    scratch = dir;
    process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return scratch;
}

/** Initialized data directories by required providers, one `terraform init` each per process. */
const initialized = new Map<string, { dataDir: string; lockFile: string }>();

/**
 * `terraform init` for a scratch copy. Stacks that call no modules and need the same
 * providers share one data directory: it holds only links to the provider mirror and the
 * (identical) backend settings, and the copy gets the lock file init wrote, so `plan`
 * still checks the provider packages against it. Stacks with modules get an init of their own.
 */
function initFor(
  work: string,
  files: Record<string, string>,
  tools: OfflineTools,
): { dataDir: string; lockFile?: string } {
  const configs = Object.values(files).map((t) => JSON.parse(t));
  const initArgs = ["init", "-input=false", "-no-color"];
  if (tools.pluginDir) initArgs.push(`-plugin-dir=${tools.pluginDir}`);
  if (configs.some((c) => c.module)) {
    const dataDir = path.join(work, ".terraform");
    run(tools.terraform, initArgs, work, terraformEnv({ TF_CLI_CONFIG_FILE: emptyCliConfig(), TF_DATA_DIR: dataDir }));
    return { dataDir };
  }
  const requiredProviders = Object.assign({}, ...configs.map((c) => c.terraform?.required_providers ?? {}));
  const key = JSON.stringify(Object.entries(requiredProviders).sort(([a], [b]) => a.localeCompare(b)));
  const known = initialized.get(key);
  if (known && fs.existsSync(known.lockFile)) return known;
  const dir = fs.mkdtempSync(path.join(scratchRoot(), "init-"));
  fs.writeFileSync(
    path.join(dir, "providers.tf.json"),
    JSON.stringify({ terraform: { required_providers: requiredProviders, backend: OVERRIDE.terraform.backend } }),
  );
  const dataDir = path.join(dir, ".terraform");
  run(tools.terraform, initArgs, dir, terraformEnv({ TF_CLI_CONFIG_FILE: emptyCliConfig(), TF_DATA_DIR: dataDir }));
  const entry = { dataDir, lockFile: path.join(dir, ".terraform.lock.hcl") };
  initialized.set(key, entry);
  return entry;
}

function parseJsonLines(stdout: string): any[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line));
}

/** Terraform's error and warning diagnostics, as it would print them: summary, where, detail. */
function diagnostics(messages: any[]): string {
  return messages
    .filter((m) => m.type === "diagnostic")
    .map((m) => {
      const d = m.diagnostic;
      const where = d.range ? ` (${d.range.filename}:${d.range.start?.line})` : "";
      const address = d.address ? ` [${d.address}]` : "";
      return `${d.severity}: ${d.summary}${address}${where}${d.detail ? `\n  ${d.detail}` : ""}`;
    })
    .join("\n");
}

/** Plan actions in the names `terraform show -json` uses (a replacement is shown as delete+create). */
const ACTION_NAMES: Record<string, string> = {
  noop: "no-op",
  replace: "delete+create",
};

function summarize(messages: any[], seconds: PlanSummary["seconds"]): PlanSummary {
  const actions: Record<string, number> = {};
  const createByType: Record<string, number> = {};
  for (const m of messages) {
    if (m.type !== "planned_change") continue;
    const resource = m.change.resource;
    if (String(resource.resource).startsWith("data.")) continue;
    const action = ACTION_NAMES[m.change.action] ?? m.change.action;
    actions[action] = (actions[action] ?? 0) + 1;
    if (action === "create") createByType[resource.resource_type] = (createByType[resource.resource_type] ?? 0) + 1;
  }
  const toCreate = Object.values(createByType).reduce((a, b) => a + b, 0);
  // The stream and Terraform's own totals must agree, or this summary misread the stream.
  const totals = messages.find((m) => m.type === "change_summary")?.changes;
  if (!totals || totals.add !== toCreate + (actions["delete+create"] ?? 0)) {
    throw new Error(`offline plan: read ${toCreate} creates, Terraform's summary says ${JSON.stringify(totals)}`);
  }
  return { actions, createByType, toCreate, seconds };
}
