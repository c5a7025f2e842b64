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

export interface PlanSummary {
  /** Resource changes by action ("create", "update", "delete", "no-op", ...). */
  readonly actions: Record<string, number>;
  /** Resources to create, by Terraform resource type. */
  readonly createByType: Record<string, number>;
  /** Total resources to create. */
  readonly toCreate: number;
  /** Seconds taken by init, validate and plan. */
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
 * output when any step fails. With `options.state`, plans against that state.
 */
export function planOffline(stackDir: string, tools: OfflineTools, options: PlanOfflineOptions = {}): PlanSummary {
  return inScratch(stackDir, tools, (scratch) => {
    if (options.state) scratch.writeState(options.state);
    const validate = scratch.run(["validate", "-no-color"]);
    const { plan, seconds } = scratch.plan();
    return summarize(plan, { init: scratch.initSeconds, validate, plan: seconds });
  });
}

/**
 * A state "as if the stack had been applied": what `planOffline(..., { state })` needs to
 * prove that a later change updates in place. Built from the plan's planned values; what only
 * AWS would know (ids, ARNs, endpoints) gets a well-formed stand-in of the attribute's schema
 * type. References to stand-ins are then settled by re-planning against the state until the
 * unchanged configuration plans with no changes (at most `maxRounds` plans; throws otherwise),
 * so the state returned is one the same configuration plans cleanly against.
 */
export function stateOfStack(stackDir: string, tools: OfflineTools, maxRounds = 4): TerraformState {
  return inScratch(stackDir, tools, (scratch) => {
    const schema = JSON.parse(scratch.output(["providers", "schema", "-json"]));
    const resourceSchemas: Record<string, any> = {};
    for (const provider of Object.values<any>(schema.provider_schemas ?? {}))
      Object.assign(resourceSchemas, provider.resource_schemas ?? {});
    const filler = new StandIns();
    let state: TerraformState | undefined;
    let changed: string[] = [];
    for (let round = 0; round < maxRounds; round++) {
      const { plan } = scratch.plan();
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
  run(args: string[]): number;
  output(args: string[]): string;
  plan(): { plan: any; seconds: number };
  writeState(state: TerraformState): void;
}

/** Copies the stack into a scratch directory with mock credentials and a local backend, and inits it. */
function inScratch<T>(stackDir: string, tools: OfflineTools, body: (scratch: Scratch) => T): T {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "offline-plan-"));
  try {
    for (const entry of fs.readdirSync(stackDir)) {
      if (entry.endsWith(".tf.json") || entry === "assets")
        fs.cpSync(path.join(stackDir, entry), path.join(work, entry), { recursive: true });
    }
    const statePath = path.join(work, "offline.tfstate");
    // The stack's own backend (local state path, or S3) is replaced by a scratch local state.
    const override = {
      terraform: { backend: { local: { path: statePath } } },
      provider: { aws: [MOCK_AWS_PROVIDER] },
    };
    fs.writeFileSync(path.join(work, "offline_mock_override.tf.json"), JSON.stringify(override, null, 2));
    // An empty CLI config: the user's own (credentials helpers, mirrors, cache) must not change the result.
    const cliConfig = path.join(work, ".terraformrc");
    fs.writeFileSync(cliConfig, "");
    const env = terraformEnv({ TF_CLI_CONFIG_FILE: cliConfig, TF_DATA_DIR: path.join(work, ".terraform") });
    const output = (args: string[]) =>
      execFileSync(tools.terraform, args, { cwd: work, env, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });

    const initArgs = ["init", "-input=false", "-no-color"];
    if (tools.pluginDir) initArgs.push(`-plugin-dir=${tools.pluginDir}`);
    const initSeconds = run(tools.terraform, initArgs, work, env);
    let serial = 0;
    return body({
      initSeconds,
      run: (args) => run(tools.terraform, args, work, env),
      output,
      plan: () => {
        const seconds = run(
          tools.terraform,
          ["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=offline.tfplan"],
          work,
          env,
        );
        return { plan: JSON.parse(output(["show", "-json", "offline.tfplan"])), seconds };
      },
      writeState: (state) => {
        serial = Math.max(serial + 1, state.serial);
        fs.writeFileSync(statePath, JSON.stringify({ ...state, serial }, null, 2));
      },
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
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

function summarize(plan: any, seconds: PlanSummary["seconds"]): PlanSummary {
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
  return { actions, createByType, toCreate, seconds, changes };
}
