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
 * - OFFLINE_TERRAFORM_CACHE_DIR: where provider schemas and derived day-2 states are kept between
 *   runs (default: .cache/offline-terraform in the project); OFFLINE_TERRAFORM_CACHE=off turns
 *   that off. Plans themselves are never reused between runs (see planOffline).
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
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
  /** Resources and data sources removed from the plan by `awsOnly`, by type. */
  readonly dropped: Record<string, number>;
  /** Resource changes by action ("create", "update", "delete", "no-op", ...; a replacement is "delete+create"). */
  readonly actions: Record<string, number>;
  /** Resources to create, by Terraform resource type. */
  readonly createByType: Record<string, number>;
  /** Total resources to create. */
  readonly toCreate: number;
  /** Seconds taken by init and plan (validate is part of plan: always 0). */
  readonly seconds: { init: number; validate: number; plan: number };
  /** Every managed resource's planned change (no-ops included), in plan order. */
  readonly changes: ResourceChange[];
}

/** One resource's planned change, as `terraform show -json` reports it. */
export interface ResourceChange {
  /** e.g. "aws_eks_cluster.eks_cluster_55B0C966" */
  readonly address: string;
  readonly type: string;
  /** e.g. ["update"], ["delete", "create"] (a replacement), ["no-op"] */
  readonly actions: string[];
  /** Attribute paths that force the replacement, when it is one, e.g. ["bootstrap_self_managed_addons"]. */
  readonly replacePaths: string[];
}

/** A Terraform state file (format version 4), as `terraform plan` reads it from a local backend. */
export interface TerraformState {
  readonly version: 4;
  readonly terraform_version: string;
  readonly serial: number;
  readonly lineage: string;
  readonly outputs: Record<string, unknown>;
  readonly resources: StateResource[];
}

export interface StateResource {
  readonly mode: "managed";
  readonly type: string;
  readonly name: string;
  readonly provider: string;
  readonly instances: { schema_version: number; attributes: Record<string, unknown>; index_key?: unknown }[];
}

export interface PlanOfflineOptions {
  /**
   * Plan against this state instead of an empty one (a day-2 change): it is written as the
   * scratch local backend's state, and `plan -refresh=false` takes it as what exists.
   * @default - no state: everything is created
   */
  readonly state?: TerraformState;
  /**
   * Plan only the stack's AWS side: the kubernetes and helm providers, every kubernetes_* and
   * helm_* resource and data source, and outputs and depends_on entries naming them are removed
   * from the scratch copy first (no provider binaries for them exist offline, and they would
   * need a live API server). Throws when an AWS resource refers to a removed one.
   * @default false
   */
  readonly awsOnly?: boolean;
  /**
   * Outputs each terraform_remote_state data source returns, by data source name. The remote
   * state of another stack doesn't exist offline, so these become its `defaults` (over an
   * empty local state in the scratch directory).
   * @default - a plausible mock per referenced output, derived from its name
   */
  readonly remoteStateOutputs?: Record<string, Record<string, unknown>>;
  /**
   * Set the stack's `allow_documentation_placeholders` variable (stacks/placeholders.ts), so a
   * config that still holds the documentation account's example principals plans offline.
   * `false` plans as a real deploy would, and fails on them.
   * @default true
   */
  readonly allowDocumentationPlaceholders?: boolean;
}

/** Provider names whose resources and data sources `awsOnly` removes. */
export const NON_AWS_PROVIDERS = ["kubernetes", "helm"] as const;

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
    // terraform and the provider are Go programs that decode the provider's whole schema (tens of
    // MB) in every command and exit seconds later: letting the heap grow to 5x its live size
    // between collections instead of 2x cuts their CPU by about a fifth (measured on the plan of platform-dev: 4.0 s
    // -> 3.1 s of CPU, peak 608 -> 646 MB; GOGC=off saved no more, its page faults cost as much
    // system time). GOMEMLIMIT caps the heap. A caller's own settings win.
    GOGC: process.env.GOGC ?? "400",
    GOMEMLIMIT: process.env.GOMEMLIMIT ?? "2GiB",
    ...extra,
  };
  // A user's profile or real keys must never be picked up by the mock plan.
  for (const key of [
    "AWS_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "TF_PLUGIN_CACHE_DIR",
    "TF_REATTACH_PROVIDERS",
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
 * third schema load a `terraform show -json` of a saved plan costs. A plan against a
 * state (`options.state`, a day-2 change) does use `show -json`, for the attribute paths
 * that force a replacement.
 *
 * Within one run, a configuration already planned is not planned again: the result is
 * reused when the stack's Terraform JSON (without cdktf's `//` metadata comments and the
 * backend, both replaced or ignored here) and the options are byte for byte ones planned
 * before. Runs never share results: a configuration is always planned once per run.
 */
export function planOffline(stackDir: string, tools: OfflineTools, options: PlanOfflineOptions = {}): PlanSummary {
  const { files, dropped } = stackFilesFor(stackDir, options);
  const key = dedupeKey(files, tools, options);
  const known = recallPlan(key);
  if (known) return known;
  const summary = inScratch(stackDir, files, tools, options, (scratch) => {
    if (options.state) {
      scratch.writeState(options.state);
      const { plan, seconds } = scratch.planShown();
      return summarizeShown(plan, { init: scratch.initSeconds, validate: 0, plan: seconds }, dropped);
    }
    const { messages, seconds } = scratch.planStream();
    return summarize(messages, { init: scratch.initSeconds, validate: 0, plan: seconds }, dropped);
  });
  rememberPlan(key, summary);
  return summary;
}

/** The stack's Terraform JSON files as they are planned: without the Kubernetes side with `awsOnly`. */
function stackFilesFor(
  stackDir: string,
  options: PlanOfflineOptions,
): { files: Record<string, string>; dropped: Record<string, number> } {
  const files = readStackFiles(stackDir);
  let dropped: Record<string, number> = {};
  if (options.awsOnly && files["cdk.tf.json"] !== undefined) {
    const part = awsPartOf(JSON.parse(files["cdk.tf.json"]));
    dropped = part.dropped;
    files["cdk.tf.json"] = JSON.stringify(part.config, null, 2);
  }
  return { files, dropped };
}

/**
 * A state "as if the stack had been applied": what `planOffline(..., { state })` needs to
 * prove that a later change updates in place. Built from the plan's planned values; what only
 * AWS would know (ids, ARNs, endpoints) gets a well-formed stand-in of the attribute's schema
 * type. References to stand-ins are then settled by re-planning against the state until the
 * unchanged configuration plans with no changes (at most `maxRounds` plans; throws otherwise),
 * so the state returned is one the same configuration plans cleanly against.
 */
export function stateOfStack(
  stackDir: string,
  tools: OfflineTools,
  maxRounds = 4,
  options: PlanOfflineOptions = {},
): TerraformState {
  const { files } = stackFilesFor(stackDir, options);
  const cached = derivedStateFile(files, tools, maxRounds, options);
  if (cached && fs.existsSync(cached)) return JSON.parse(fs.readFileSync(cached, "utf8")) as TerraformState;
  const state = inScratch(stackDir, files, tools, options, (scratch) => {
    const resourceSchemas = resourceSchemasOf(scratch, tools, files);
    const filler = new StandIns();
    let state: TerraformState | undefined;
    let changed: string[] = [];
    for (let round = 0; round < maxRounds; round++) {
      const { messages } = scratch.planStream(true);
      // Settled: Terraform's own totals say no resource changes, so the full plan (another 2 s of
      // provider start-up for `show`) isn't needed.
      if (state && !resourcesChange(messages)) return state;
      const plan = scratch.show();
      changed = (plan.resource_changes ?? [])
        .filter((c: any) => c.mode === "managed" && !(c.change.actions.length === 1 && c.change.actions[0] === "no-op"))
        .map((c: any) => `${c.address} (${c.change.actions.join("+")}: ${changedPaths(c.change).join(", ")})`);
      if (state && changed.length === 0) return state;
      state = stateFromPlan(plan, resourceSchemas, filler, state);
      scratch.writeState(state);
    }
    // Only a state the unchanged configuration plans cleanly against proves anything.
    throw new Error(
      `stateOfStack: the state of ${stackDir} did not settle in ${maxRounds} plans; still changing: ${changed.join("; ")}`,
    );
  });
  if (cached) writeCacheFile(cached, JSON.stringify(state));
  return state;
}

/**
 * Where a derived state is kept between runs (OFFLINE_TERRAFORM_CACHE_DIR), by everything it is
 * a function of: the configuration as planned (as for the in-run dedupe: no `//` comments, no
 * backend), the options, the identity of terraform and of the provider binary, and the source of
 * this file (the derivation itself). A state is only ever written after the unchanged
 * configuration planned cleanly against it, so a hit is that same state, without the three to
 * four plans that derive it again. The day-2 plan against it always runs. Undefined (no cache)
 * without a local provider mirror, or with OFFLINE_TERRAFORM_CACHE=off.
 */
function derivedStateFile(
  files: Record<string, string>,
  tools: OfflineTools,
  maxRounds: number,
  options: PlanOfflineOptions,
): string | undefined {
  const identity = toolIdentity(tools, files);
  if (!identity) return undefined;
  const key = createHash("sha256")
    .update(identity)
    .update(dedupeKey(files, tools, options))
    .update(`\0${maxRounds}\0`)
    .update(fs.readFileSync(__filename))
    .digest("hex")
    .slice(0, 32);
  return path.join(cacheDir(), `derived-state-${key}.json`);
}

function cacheDir(): string {
  return process.env.OFFLINE_TERRAFORM_CACHE_DIR || path.join(__dirname, "..", ".cache", "offline-terraform");
}

/** Written under a temporary name and renamed (a parallel worker never reads half a file); a read-only checkout skips it. */
function writeCacheFile(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch {
    // no cache: it is only ever a shortcut
  }
}

/**
 * The resource schemas of the stack's providers (`terraform providers schema -json`: another
 * 2 s of provider start-up and a 30 MB document). When the stack needs only hashicorp/aws from
 * a local mirror, they are kept in OFFLINE_TERRAFORM_CACHE_DIR (default .cache/offline-terraform
 * in the project, git-ignored) by toolIdentity(): the schema is a function of that alone.
 */
function resourceSchemasOf(scratch: Scratch, tools: OfflineTools, files: Record<string, string>): Record<string, any> {
  const identity = toolIdentity(tools, files);
  const file =
    identity &&
    path.join(cacheDir(), `resource-schemas-${createHash("sha256").update(identity).digest("hex").slice(0, 32)}.json`);
  if (file && fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8"));
  const schema = JSON.parse(scratch.output(["providers", "schema", "-json"]));
  const resourceSchemas: Record<string, any> = {};
  for (const provider of Object.values<any>(schema.provider_schemas ?? {}))
    Object.assign(resourceSchemas, provider.resource_schemas ?? {});
  if (file) writeCacheFile(file, JSON.stringify(resourceSchemas));
  return resourceSchemas;
}

const terraformVersions = new Map<string, string>();
/**
 * What a cached result depends on besides the configuration: the terraform CLI's version and the
 * provider binary (path, size, modification time). Only for stacks that need nothing but
 * hashicorp/aws from a local mirror; undefined otherwise, or with OFFLINE_TERRAFORM_CACHE=off.
 */
function toolIdentity(tools: OfflineTools, files: Record<string, string>): string | undefined {
  if (process.env.OFFLINE_TERRAFORM_CACHE === "off") return undefined;
  const binary = awsProviderBinary(tools);
  if (!binary) return undefined;
  for (const text of Object.values(files))
    if (Object.keys(JSON.parse(text).terraform?.required_providers ?? {}).some((name) => name !== "aws"))
      return undefined;
  let version = terraformVersions.get(tools.terraform);
  if (version === undefined) {
    version = JSON.parse(execFileSync(tools.terraform, ["version", "-json"], { encoding: "utf8", env: terraformEnv() }))
      .terraform_version as string;
    terraformVersions.set(tools.terraform, version);
  }
  const stat = fs.statSync(binary);
  return JSON.stringify([version, path.resolve(binary), stat.size, stat.mtimeMs]);
}

/** Whether the plan's change summary counts any resource to add, change, remove or import. */
function resourcesChange(messages: any[]): boolean {
  const totals = messages.find((m) => m.type === "change_summary")?.changes;
  if (!totals) throw new Error("offline plan: no change_summary in terraform's JSON stream");
  return ["add", "change", "remove", "import"].some((k) => (totals[k] ?? 0) > 0);
}

/** Top-level attributes whose planned value differs from the prior state (for error messages). */
function changedPaths(change: any): string[] {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const unknown = change.after_unknown ?? {};
  return Object.keys({ ...before, ...after }).filter(
    (k) => unknown[k] === true || JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
}

interface Scratch {
  readonly initSeconds: number;
  output(args: string[]): string;
  /** `plan -json`: the streamed messages; with `save`, the plan is also written for `show()`. */
  planStream(save?: boolean): { messages: any[]; seconds: number };
  /** `show -json` of the plan the last `planStream(true)` saved. */
  show(): any;
  /** `plan -out` and `show -json` of it: the full plan. */
  planShown(): { plan: any; seconds: number };
  writeState(state: TerraformState): void;
}

/**
 * Writes the stack into a scratch directory with mock credentials, a local backend and mock
 * remote states, inits it (sharing an initialized data directory where it can), and runs
 * `body` there.
 */
function inScratch<T>(
  stackDir: string,
  files: Record<string, string>,
  tools: OfflineTools,
  options: PlanOfflineOptions,
  body: (scratch: Scratch) => T,
): T {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "offline-plan-"));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(work, name), text);
    if (fs.existsSync(path.join(stackDir, "assets")))
      fs.cpSync(path.join(stackDir, "assets"), path.join(work, "assets"), { recursive: true });
    const override: Record<string, unknown> = { ...OVERRIDE };
    const remoteStates = mockRemoteStates(
      JSON.parse(files["cdk.tf.json"] ?? "{}"),
      work,
      options.remoteStateOutputs ?? {},
    );
    if (Object.keys(remoteStates).length > 0) override.data = { terraform_remote_state: remoteStates };
    fs.writeFileSync(path.join(work, "offline_mock_override.tf.json"), JSON.stringify(override, null, 2));

    const started = Date.now();
    const { dataDir, lockFile } = initFor(work, files, tools);
    const initSeconds = (Date.now() - started) / 1000;
    if (lockFile) fs.copyFileSync(lockFile, path.join(work, ".terraform.lock.hcl"));
    const env = terraformEnv({ TF_CLI_CONFIG_FILE: planCliConfig(tools), TF_DATA_DIR: dataDir });
    const reattach = runningProvider(tools);
    if (reattach) env.TF_REATTACH_PROVIDERS = reattach;
    // Stacks whose config still holds documentation placeholders refuse to plan unless told
    // (stacks/placeholders.ts); a mock plan may. Terraform ignores it for stacks without the variable.
    if (options.allowDocumentationPlaceholders ?? true) env.TF_VAR_allow_documentation_placeholders = "true";
    const output = (args: string[]) =>
      execFileSync(tools.terraform, args, { cwd: work, env, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
    const planArgs = ["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false"];
    let serial = 0;
    return body({
      initSeconds,
      output,
      planStream,
      show,
      planShown: () => {
        const { seconds } = planStream(true);
        return { plan: show(), seconds };
      },
      writeState: (state) => {
        serial = Math.max(serial + 1, state.serial);
        fs.writeFileSync(path.join(work, "offline.tfstate"), JSON.stringify({ ...state, serial }, null, 2));
      },
    });

    function show(): any {
      return JSON.parse(output(["show", "-json", "offline.tfplan"]));
    }

    function planStream(save = false): { messages: any[]; seconds: number } {
      const planStarted = Date.now();
      const args = [...planArgs, "-json", ...(save ? ["-out=offline.tfplan"] : [])];
      const result = spawnSync(tools.terraform, args, {
        cwd: work,
        env,
        encoding: "utf8",
        maxBuffer: 512 * 1024 * 1024,
      });
      if (result.error) throw result.error;
      const messages = parseJsonLines(result.stdout);
      if (result.status !== 0) {
        throw new Error(
          `terraform plan failed in ${work} (exit ${result.status}):\n${diagnostics(messages)}\n${result.stderr}`.trim(),
        );
      }
      return { messages, seconds: (Date.now() - planStarted) / 1000 };
    }
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

function dedupeKey(files: Record<string, string>, tools: OfflineTools, options: PlanOfflineOptions): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify([tools.terraform, tools.pluginDir ?? null]));
  hash.update(
    JSON.stringify({ ...options, allowDocumentationPlaceholders: options.allowDocumentationPlaceholders ?? true }),
  );
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

const planCliConfigs = new Map<string, string>();
/**
 * The CLI config of plan, show and providers schema. With a local mirror, it points Terraform
 * straight at the mirror's hashicorp/aws ${AWS_PROVIDER_VERSION} binary (a `dev_overrides` entry),
 * which spares every command the SHA-256 of the 700 MB provider package against the lock file:
 * about 1.2 s of CPU before each plan even starts the provider, measured with strace. What is
 * planned is unchanged: the same binary, the version the stacks pin (the mirror's directory is
 * that version's), and `init` still installs from the mirror and writes the lock file. Terraform
 * prints a "development overrides are in effect" warning, which the summaries don't read.
 * Without a mirror (registry installs) it is the empty config.
 */
function planCliConfig(tools: OfflineTools): string {
  const binary = awsProviderBinary(tools);
  if (!binary) return emptyCliConfig();
  const providerDir = path.dirname(binary);
  const known = planCliConfigs.get(providerDir);
  if (known && fs.existsSync(known)) return known;
  const file = path.join(scratchRoot(), `plan-${planCliConfigs.size}.terraformrc`);
  fs.writeFileSync(
    file,
    `provider_installation {\n  dev_overrides {\n    "hashicorp/aws" = ${JSON.stringify(providerDir)}\n  }\n  direct {}\n}\n`,
  );
  planCliConfigs.set(providerDir, file);
  return file;
}

/**
 * TF_REATTACH_PROVIDERS for a hashicorp/aws provider that keeps running for this process (one
 * per jest worker, shared by its test files), so plan, show and providers schema attach to it
 * instead of each starting the 700 MB binary and having it build its schema again: about 1.2 s
 * of CPU and 1 s of wall time less per command (measured on the plan of platform-dev: 3.9 s ->
 * 2.7 s of CPU with the provider's own counted). The same binary plans the same configuration;
 * every command still configures it afresh with the scratch copy's mock settings.
 *
 * The provider runs under a shell that waits on a pipe from this process: when the process
 * ends, however it ends, the pipe closes and the shell stops the provider, so none outlives its
 * worker. Undefined (each command starts its own provider) without a local mirror, with
 * OFFLINE_TERRAFORM_REATTACH=off, or when the provider didn't start (said once on stderr).
 */
function runningProvider(tools: OfflineTools): string | undefined {
  // The watchdog below is a POSIX shell; elsewhere each command starts its own provider.
  if (process.env.OFFLINE_TERRAFORM_REATTACH === "off" || process.platform === "win32") return undefined;
  const binary = awsProviderBinary(tools);
  if (!binary) return undefined;
  const dir = path.dirname(binary);
  // Jest gives each test file its own copy of this module, so the running provider is found
  // through a file named after the worker's pid, not a module variable.
  const record = path.join(os.tmpdir(), `offline-terraform-provider-${process.pid}.json`);
  const known = readProviderRecord(record, dir);
  if (known !== undefined) return known || undefined;
  const out = `${record}.out`;
  fs.rmSync(out, { force: true });
  // No AWS_CA_BUNDLE: the provider adds it to its HTTP client each time it is configured, and a
  // second configuration in one process fails ("unable to add custom RootCAs HTTPClient"). These
  // plans make no AWS call, so there is nothing for a CA bundle to verify.
  const providerEnv = terraformEnv();
  delete providerEnv.AWS_CA_BUNDLE;
  const child = spawn(
    "sh",
    ["-c", '"$0" -debug >"$1" 2>&1 & p=$!; cat >/dev/null; kill $p 2>/dev/null; wait $p', binary, out],
    {
      stdio: ["pipe", "ignore", "ignore"],
      env: providerEnv,
    },
  );
  // Neither the child nor its pipe keeps the event loop alive; the pipe stays open until exit.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  process.once("exit", () => fs.rmSync(record, { force: true }));
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const text = fs.existsSync(out) ? fs.readFileSync(out, "utf8") : "";
    const reattach = /TF_REATTACH_PROVIDERS='(\{.*?\})'/.exec(text)?.[1];
    if (reattach) {
      fs.writeFileSync(record, JSON.stringify({ dir, reattach }));
      return reattach;
    }
    Atomics.wait(sleeper, 0, 0, 50);
  }
  child.kill();
  fs.writeFileSync(record, JSON.stringify({ dir, reattach: "" }));
  process.stderr.write(
    `offline terraform: ${binary} -debug printed no TF_REATTACH_PROVIDERS in 30 s; each command starts its own provider\n`,
  );
  return undefined;
}

/** The reattach settings recorded for this process ("" after a failed start), if its provider still runs. */
function readProviderRecord(record: string, dir: string): string | undefined {
  if (!fs.existsSync(record)) return undefined;
  try {
    const { dir: recordedDir, reattach } = JSON.parse(fs.readFileSync(record, "utf8")) as {
      dir: string;
      reattach: string;
    };
    if (recordedDir !== dir) return undefined;
    if (!reattach) return "";
    const pid = Object.values<any>(JSON.parse(reattach))[0]?.Pid as number | undefined;
    if (!pid) return undefined;
    process.kill(pid, 0); // throws when it no longer runs (a stale record of an earlier process with this pid)
    return reattach;
  } catch {
    return undefined;
  }
}

/** Node's process.arch in Go's names, which the mirror's <os>_<arch> directories use. */
const GO_ARCH: Record<string, string> = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" };

/** The local mirror's hashicorp/aws ${AWS_PROVIDER_VERSION} binary for this machine, if the tools have a mirror holding it. */
function awsProviderBinary(tools: OfflineTools): string | undefined {
  if (!tools.pluginDir) return undefined;
  const arch = GO_ARCH[process.arch] ?? process.arch;
  const dir = path.join(
    tools.pluginDir,
    "registry.terraform.io",
    "hashicorp",
    "aws",
    AWS_PROVIDER_VERSION,
    `${process.platform}_${arch}`,
  );
  const binary = fs.existsSync(dir) && fs.readdirSync(dir).find((f) => f.startsWith("terraform-provider-aws"));
  return binary ? path.join(dir, binary) : undefined;
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

function summarize(messages: any[], seconds: PlanSummary["seconds"], dropped: Record<string, number>): PlanSummary {
  const actions: Record<string, number> = {};
  const createByType: Record<string, number> = {};
  const changes: ResourceChange[] = [];
  for (const m of messages) {
    if (m.type !== "planned_change") continue;
    const resource = m.change.resource;
    if (String(resource.resource).startsWith("data.")) continue;
    const action = ACTION_NAMES[m.change.action] ?? m.change.action;
    actions[action] = (actions[action] ?? 0) + 1;
    if (action === "create") createByType[resource.resource_type] = (createByType[resource.resource_type] ?? 0) + 1;
    changes.push({
      address: resource.addr,
      type: resource.resource_type,
      actions: action.split("+"),
      replacePaths: [],
    });
  }
  const toCreate = Object.values(createByType).reduce((a, b) => a + b, 0);
  // The stream and Terraform's own totals must agree, or this summary misread the stream.
  const totals = messages.find((m) => m.type === "change_summary")?.changes;
  if (!totals || totals.add !== toCreate + (actions["delete+create"] ?? 0)) {
    throw new Error(`offline plan: read ${toCreate} creates, Terraform's summary says ${JSON.stringify(totals)}`);
  }
  return { actions, createByType, toCreate, seconds, changes, dropped };
}

/** The summary of a full plan (`terraform show -json`), with the paths that force each replacement. */
function summarizeShown(plan: any, seconds: PlanSummary["seconds"], dropped: Record<string, number>): PlanSummary {
  const actions: Record<string, number> = {};
  const createByType: Record<string, number> = {};
  for (const change of plan.resource_changes ?? []) {
    if (change.mode !== "managed") continue;
    const action = (change.change.actions as string[]).join("+");
    actions[action] = (actions[action] ?? 0) + 1;
    if (action === "create") createByType[change.type] = (createByType[change.type] ?? 0) + 1;
  }
  const toCreate = Object.values(createByType).reduce((a, b) => a + b, 0);
  const changes: ResourceChange[] = (plan.resource_changes ?? [])
    .filter((c: any) => c.mode === "managed")
    .map((c: any) => ({
      address: c.address,
      type: c.type,
      actions: c.change.actions,
      replacePaths: (c.change.replace_paths ?? []).map((p: unknown[]) => p.join(".")),
    }));
  return { actions, createByType, toCreate, seconds, changes, dropped };
}

/** Well-formed values for what only AWS would know, numbered so no two resources share one. */
class StandIns {
  private n = 0;
  /** The resource type being filled: ids take its AWS shape ("lt-...", "vpc-..."), which some references validate. */
  resourceType = "";
  value(type: any, name: string): unknown {
    if (type === "string") return this.string(name);
    if (type === "number") return 1;
    if (type === "bool") return false;
    if (Array.isArray(type)) {
      const [kind, inner] = type;
      if (kind === "list" || kind === "set") return [this.value(inner, name)];
      if (kind === "map") return {};
      if (kind === "object")
        return Object.fromEntries(Object.entries<any>(inner).map(([k, t]) => [k, this.value(t, k)]));
      if (kind === "tuple") return (inner as any[]).map((t) => this.value(t, name));
    }
    return null;
  }
  private string(name: string): string {
    const n = ++this.n;
    const idPrefix = ID_PREFIXES[this.resourceType];
    if (name === "id" && idPrefix) return `${idPrefix}${n.toString(16).padStart(17, "0")}`;
    if (name === "arn" || name.endsWith("_arn")) return `arn:aws:iam::123456789012:role/stand-in-${n}`;
    if (["url", "issuer", "endpoint"].includes(name) || name.endsWith("_url"))
      return `https://stand-in-${n}.example.com`;
    if (name.includes("ipv6") && (name.endsWith("cidr_block") || name.endsWith("_cidr"))) {
      // Amazon-provided blocks: a VPC gets a /56, a subnet a /64 of it (re-planning then
      // settles the subnets' to cidrsubnet() of the VPC's stand-in).
      const prefix = this.resourceType === "aws_subnet" ? 64 : 56;
      const group = prefix === 64 ? (n & 0xffff).toString(16) : `${(n & 0xff).toString(16)}00`;
      return `2600:1f18:${((n >> 8) & 0xffff).toString(16)}:${group}::/${prefix}`;
    }
    if (name.endsWith("cidr_block") || name.endsWith("_cidr")) return `10.${n % 250}.0.0/16`;
    return `stand-in-${n}`;
  }
}

/** How AWS shapes the ids of resource types whose ids other resources validate. */
const ID_PREFIXES: Record<string, string> = {
  aws_launch_template: "lt-",
  aws_vpc: "vpc-",
  aws_subnet: "subnet-",
  aws_security_group: "sg-",
  aws_default_security_group: "sg-",
  aws_internet_gateway: "igw-",
  aws_egress_only_internet_gateway: "eigw-",
  aws_nat_gateway: "nat-",
  aws_eip: "eipalloc-",
  aws_route_table: "rtb-",
  aws_vpc_endpoint: "vpce-",
  aws_flow_log: "fl-",
};

/** Known planned values, unknowns from the previous state (same address) or a stand-in of the schema's type. */
function stateFromPlan(
  plan: any,
  schemas: Record<string, any>,
  standIns: StandIns,
  previous?: TerraformState,
): TerraformState {
  const prior = new Map<string, Record<string, unknown>>();
  for (const r of previous?.resources ?? [])
    for (const i of r.instances) prior.set(`${r.type}.${r.name}${JSON.stringify(i.index_key ?? null)}`, i.attributes);
  const byResource = new Map<string, StateResource>();
  const planned = new Map<string, any>();
  const collect = (module: any) => {
    for (const r of module?.resources ?? []) planned.set(r.address, r);
    for (const child of module?.child_modules ?? []) collect(child);
  };
  collect(plan.planned_values?.root_module);
  for (const change of plan.resource_changes ?? []) {
    if (change.mode !== "managed" || change.module_address) continue;
    const values = planned.get(change.address);
    const schema = schemas[change.type];
    if (!values || !schema) continue;
    const key = `${change.type}.${change.name}${JSON.stringify(change.index ?? null)}`;
    standIns.resourceType = change.type;
    const attributes = settle(values.values, change.change.after_unknown, prior.get(key), schema.block, standIns);
    const resourceKey = `${change.type}.${change.name}`;
    let resource = byResource.get(resourceKey);
    if (!resource) {
      resource = {
        mode: "managed",
        type: change.type,
        name: change.name,
        provider: `provider["${change.provider_name}"]`,
        instances: [],
      };
      byResource.set(resourceKey, resource);
    }
    resource.instances.push({
      schema_version: values.schema_version ?? schema.version ?? 0,
      attributes: attributes as Record<string, unknown>,
      ...(change.index !== undefined ? { index_key: change.index } : {}),
    });
  }
  resolveDirectReferences(plan, byResource);
  return {
    version: 4,
    terraform_version: plan.terraform_version ?? "1.11.0",
    serial: (previous?.serial ?? 0) + 1,
    lineage: previous?.lineage ?? "00000000-0000-4000-8000-000000000000",
    outputs: {},
    resources: [...byResource.values()],
  };
}

/**
 * An attribute that is unknown only because it is `${other.resource.attr}` of a resource being
 * replaced in this round takes that resource's (kept) value now: otherwise every link of a chain of
 * references (subnet -> NAT gateway -> route) would cost one more plan to settle.
 */
function resolveDirectReferences(plan: any, resources: Map<string, StateResource>): void {
  const attributeOf = (address: string): unknown => {
    const dot = address.lastIndexOf(".");
    const resource = resources.get(address.slice(0, dot));
    return resource?.instances.length === 1 ? resource.instances[0].attributes[address.slice(dot + 1)] : undefined;
  };
  const unknownOf = new Map<string, any>();
  for (const change of plan.resource_changes ?? []) unknownOf.set(change.address, change.change.after_unknown ?? {});
  for (const config of plan.configuration?.root_module?.resources ?? []) {
    const resource = resources.get(config.address);
    if (!resource || resource.instances.length !== 1) continue;
    const unknown = unknownOf.get(config.address) ?? {};
    for (const [name, expression] of Object.entries<any>(config.expressions ?? {})) {
      const refs: string[] = expression?.references ?? [];
      if (unknown[name] !== true || refs.length !== 2 || refs[0] !== `${refs[1]}.${refs[0].split(".").pop()}`) continue;
      const value = attributeOf(refs[0]);
      if (value !== undefined && value !== null) resource.instances[0].attributes[name] = value;
    }
  }
}

/** Fills the unknown parts of a block's planned value. */
function settle(value: any, unknown: any, prior: any, block: any, standIns: StandIns): any {
  const out: Record<string, unknown> = { ...(value ?? {}) };
  for (const [name, attr] of Object.entries<any>(block.attributes ?? {})) {
    const u = unknown?.[name];
    if (u === true) out[name] = prior?.[name] ?? standIns.value(attr.type, name);
    else if (u && typeof u === "object")
      out[name] = settleValue(out[name], u, prior?.[name], attr.type, name, standIns);
  }
  for (const [name, nested] of Object.entries<any>(block.block_types ?? {})) {
    const u = unknown?.[name];
    if (!u || typeof u !== "object") continue;
    const current = out[name];
    if (Array.isArray(current))
      out[name] = current.map((item, i) =>
        settle(
          item,
          (u as any[])[i],
          Array.isArray(prior?.[name]) ? prior[name][i] : undefined,
          nested.block,
          standIns,
        ),
      );
    else if (current && typeof current === "object")
      out[name] = settle(current, u, prior?.[name], nested.block, standIns);
  }
  return out;
}

/** Fills the unknown parts of an attribute value of a collection or object type. */
function settleValue(value: any, unknown: any, prior: any, type: any, name: string, standIns: StandIns): any {
  if (!Array.isArray(type) || value === null || value === undefined) return value;
  const [kind, inner] = type;
  const one = (v: any, u: any, p: any, t: any, n: string) =>
    u === true ? (p ?? standIns.value(t, n)) : u && typeof u === "object" ? settleValue(v, u, p, t, n, standIns) : v;
  if ((kind === "list" || kind === "set") && Array.isArray(value))
    return value.map((v, i) => one(v, unknown[i], Array.isArray(prior) ? prior[i] : undefined, inner, name));
  if (kind === "map" && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, one(v, unknown[k], prior?.[k], inner, k)]));
  if (kind === "object" && typeof value === "object")
    return Object.fromEntries(
      Object.entries<any>(inner).map(([k, t]) => [k, one(value[k], unknown[k], prior?.[k], t, k)]),
    );
  return value;
}

const isRemoved = (type: string) => NON_AWS_PROVIDERS.some((p) => type.startsWith(`${p}_`));

/**
 * The stack without its Kubernetes side (see PlanOfflineOptions.awsOnly). Returns the new
 * configuration and what was removed, by type.
 */
export function awsPartOf(stack: any): { config: any; dropped: Record<string, number> } {
  const config = JSON.parse(JSON.stringify(stack));
  const dropped: Record<string, number> = {};
  const removed: string[] = [];
  for (const [block, prefix] of [
    ["resource", ""],
    ["data", "data."],
  ] as const) {
    for (const type of Object.keys(config[block] ?? {})) {
      if (!isRemoved(type)) continue;
      for (const name of Object.keys(config[block][type])) removed.push(`${prefix}${type}.${name}`);
      dropped[type] = (dropped[type] ?? 0) + Object.keys(config[block][type]).length;
      delete config[block][type];
    }
    if (config[block] && Object.keys(config[block]).length === 0) delete config[block];
  }
  for (const p of NON_AWS_PROVIDERS) {
    if (config.provider) delete config.provider[p];
    if (config.terraform?.required_providers) delete config.terraform.required_providers[p];
  }
  const refersToRemoved = (value: unknown) => {
    const text = JSON.stringify(value);
    return removed.find((address) => text.includes(`${address}.`) || text.includes(`"${address}"`));
  };
  for (const [name, output] of Object.entries(config.output ?? {})) {
    if (refersToRemoved(output)) delete config.output[name];
  }
  for (const block of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries<Record<string, any>>(config[block] ?? {})) {
      for (const [name, body] of Object.entries(byName)) {
        if (Array.isArray(body.depends_on)) {
          body.depends_on = body.depends_on.filter((d: string) => !removed.includes(d));
          if (body.depends_on.length === 0) delete body.depends_on;
        }
        const ref = refersToRemoved(body);
        if (ref) {
          throw new Error(
            `${type}.${name} refers to ${ref}, which an AWS-only plan removes; the AWS side of this stack can't be planned alone`,
          );
        }
      }
    }
  }
  return { config, dropped };
}

/** A Terraform state (format 4) with nothing in it. */
const EMPTY_STATE = {
  version: 4,
  terraform_version: "1.11.0",
  serial: 1,
  lineage: "offline-mock",
  outputs: {},
  resources: [],
};

const REMOTE_OUTPUT = /data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)/g;

/** A plausible value for a cross-stack output, from its name (cdktf names them after the attribute). */
function mockOutput(name: string): string {
  if (/arn$/i.test(name)) return "arn:aws:iam::123456789012:role/offline-mock";
  if (/endpoint$/.test(name)) return "https://offline-mock.gr7.eu-west-1.eks.amazonaws.com";
  if (/certificate_authority\d*data$/.test(name)) return "b2ZmbGluZS1tb2NrLWNh";
  if (/vpc\w*id$/.test(name)) return "vpc-0123456789abcdef0";
  if (/name$/.test(name)) return "offline-mock";
  return "offline-mock";
}

/**
 * Override blocks for every terraform_remote_state data source: an empty local state in the
 * scratch directory, and `defaults` holding the outputs the stack reads from it.
 */
function mockRemoteStates(
  config: any,
  work: string,
  given: Record<string, Record<string, unknown>>,
): Record<string, unknown> {
  const sources = Object.keys(config.data?.terraform_remote_state ?? {});
  if (sources.length === 0) return {};
  const referenced: Record<string, Record<string, unknown>> = {};
  for (const [, source, output] of JSON.stringify(config).matchAll(REMOTE_OUTPUT)) {
    (referenced[source] ??= {})[output] = mockOutput(output);
  }
  return Object.fromEntries(
    sources.map((source) => {
      // terraform_remote_state refuses a missing state ("Unable to find remote state"), but
      // takes an empty one, and then answers from `defaults`.
      const statePath = path.join(work, `remote-state-${source}.tfstate`);
      fs.writeFileSync(statePath, JSON.stringify(EMPTY_STATE));
      return [
        source,
        {
          backend: "local",
          config: { path: statePath },
          defaults: { ...(referenced[source] ?? {}), ...(given[source] ?? {}) },
        },
      ];
    }),
  );
}
