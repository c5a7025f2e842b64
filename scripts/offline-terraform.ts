/**
 * Offline Terraform check of a synthesized stack: `terraform init` from a local
 * provider directory, `terraform validate`, and `terraform plan -refresh=false`
 * with mock credentials. Proves the JSON cdktf wrote is accepted by the real
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
import { execFileSync, spawnSync } from "node:child_process";
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

export interface PlanOfflineOptions {
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

export interface PlanSummary {
  /** Resources and data sources removed from the plan by `awsOnly`, by type. */
  readonly dropped: Record<string, number>;
  /** Resource changes by action ("create", "update", "delete", "no-op", ...). */
  readonly actions: Record<string, number>;
  /** Resources to create, by Terraform resource type. */
  readonly createByType: Record<string, number>;
  /** Total resources to create. */
  readonly toCreate: number;
  /** Seconds taken by init, validate and plan. */
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
 * Runs init, validate and plan on a synthesized stack directory (the folder holding
 * cdk.tf.json) and returns what the plan would do. Throws with Terraform's own
 * output when any step fails.
 */
export function planOffline(stackDir: string, tools: OfflineTools, options: PlanOfflineOptions = {}): PlanSummary {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "offline-plan-"));
  try {
    for (const entry of fs.readdirSync(stackDir)) {
      if (entry.endsWith(".tf.json") || entry === "assets")
        fs.cpSync(path.join(stackDir, entry), path.join(work, entry), { recursive: true });
    }
    const stackFile = path.join(work, "cdk.tf.json");
    let dropped: Record<string, number> = {};
    let config = JSON.parse(fs.readFileSync(stackFile, "utf8"));
    if (options.awsOnly) {
      ({ config, dropped } = awsPartOf(config));
      fs.writeFileSync(stackFile, JSON.stringify(config, null, 2));
    }
    // The stack's own backend (local state path, or S3) is replaced by a scratch local state.
    const override: Record<string, unknown> = {
      terraform: { backend: { local: { path: path.join(work, "offline.tfstate") } } },
      provider: { aws: [MOCK_AWS_PROVIDER] },
    };
    const remoteStates = mockRemoteStates(config, work, options.remoteStateOutputs ?? {});
    if (Object.keys(remoteStates).length > 0) override.data = { terraform_remote_state: remoteStates };
    fs.writeFileSync(path.join(work, "offline_mock_override.tf.json"), JSON.stringify(override, null, 2));
    // An empty CLI config: the user's own (credentials helpers, mirrors, cache) must not change the result.
    const cliConfig = path.join(work, ".terraformrc");
    fs.writeFileSync(cliConfig, "");
    const env = terraformEnv({ TF_CLI_CONFIG_FILE: cliConfig, TF_DATA_DIR: path.join(work, ".terraform") });
    // Stacks whose config still holds documentation placeholders refuse to plan unless told
    // (stacks/placeholders.ts); a mock plan may. Terraform ignores it for stacks without the variable.
    if (options.allowDocumentationPlaceholders ?? true) env.TF_VAR_allow_documentation_placeholders = "true";

    const initArgs = ["init", "-input=false", "-no-color"];
    if (tools.pluginDir) initArgs.push(`-plugin-dir=${tools.pluginDir}`);
    const init = run(tools.terraform, initArgs, work, env);
    const validate = run(tools.terraform, ["validate", "-no-color"], work, env);
    const plan = run(
      tools.terraform,
      ["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=offline.tfplan"],
      work,
      env,
    );
    const shown = execFileSync(tools.terraform, ["show", "-json", "offline.tfplan"], {
      cwd: work,
      env,
      encoding: "utf8",
      maxBuffer: 512 * 1024 * 1024,
    });
    return summarize(JSON.parse(shown), { init, validate, plan }, dropped);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function summarize(plan: any, seconds: PlanSummary["seconds"], dropped: Record<string, number>): PlanSummary {
  const actions: Record<string, number> = {};
  const createByType: Record<string, number> = {};
  for (const change of plan.resource_changes ?? []) {
    if (change.mode !== "managed") continue;
    const action = (change.change.actions as string[]).join("+");
    actions[action] = (actions[action] ?? 0) + 1;
    if (action === "create") createByType[change.type] = (createByType[change.type] ?? 0) + 1;
  }
  const toCreate = Object.values(createByType).reduce((a, b) => a + b, 0);
  return { actions, createByType, toCreate, seconds, dropped };
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
