/**
 * Scratch workspaces: a copy of the stack with mock credentials, a local backend and mock remote states, initialized
 * once per set of providers, where terraform plans, shows and reads schemas.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { awsPartOf } from "./aws-only";
import { awsProviderBinary, terraformEnv } from "./discovery";
import { runningProvider } from "./provider-daemon";
import type { OfflineTools, PlanOfflineOptions, TerraformState } from "./types";

/** Provider settings for a plan with no AWS account. Only ever written into a scratch copy. */
const MOCK_AWS_PROVIDER = {
  access_key: "mock-access-key",
  secret_key: "mock-secret-key",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
};

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

/** The stack's Terraform JSON files as they are planned: without the Kubernetes side with `awsOnly`. */
export function stackFilesFor(
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

export interface Scratch {
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
export function inScratch<T>(
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

/** Initialized data directories by required providers: one `terraform init` each per run (per process outside jest). */
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
  const key = JSON.stringify([
    tools.terraform,
    tools.pluginDir ?? null,
    Object.entries(requiredProviders).sort(([a], [b]) => a.localeCompare(b)),
  ]);
  const known = initialized.get(key) ?? sharedInit(key);
  if (known && fs.existsSync(known.lockFile)) {
    initialized.set(key, known);
    return known;
  }
  // In a jest run, in the run's shared directory (OFFLINE_PLAN_DEDUPE_DIR, removed when the run ends): the test
  // files of every worker then share one init, where each file's own copy of this module would init again.
  const shared = process.env.OFFLINE_PLAN_DEDUPE_DIR;
  const dir = fs.mkdtempSync(path.join(shared && fs.existsSync(shared) ? shared : scratchRoot(), "init-"));
  fs.writeFileSync(
    path.join(dir, "providers.tf.json"),
    JSON.stringify({ terraform: { required_providers: requiredProviders, backend: OVERRIDE.terraform.backend } }),
  );
  const dataDir = path.join(dir, ".terraform");
  run(tools.terraform, initArgs, dir, terraformEnv({ TF_CLI_CONFIG_FILE: emptyCliConfig(), TF_DATA_DIR: dataDir }));
  const entry = { dataDir, lockFile: path.join(dir, ".terraform.lock.hcl") };
  initialized.set(key, entry);
  if (shared && dir.startsWith(shared)) {
    // Written under a temporary name and renamed, so another worker never reads half a record.
    const record = sharedInitRecord(key)!;
    fs.writeFileSync(`${record}.${process.pid}.tmp`, JSON.stringify(entry));
    fs.renameSync(`${record}.${process.pid}.tmp`, record);
  }
  return entry;
}

/** Where this run's shared init for `key` is recorded (undefined outside a jest run). */
function sharedInitRecord(key: string): string | undefined {
  const shared = process.env.OFFLINE_PLAN_DEDUPE_DIR;
  if (!shared || !fs.existsSync(shared)) return undefined;
  return path.join(shared, `init-${createHash("sha256").update(key).digest("hex").slice(0, 16)}.json`);
}

/** The data directory another test file (of any worker) of this run initialized for `key`. */
function sharedInit(key: string): { dataDir: string; lockFile: string } | undefined {
  const record = sharedInitRecord(key);
  return record && fs.existsSync(record) ? JSON.parse(fs.readFileSync(record, "utf8")) : undefined;
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
