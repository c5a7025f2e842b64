/** Day-2 state synthesis: a state "as if the stack had been applied", for plans of a later change. */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir, dedupeKey, harnessSource, toolIdentity, writeCacheFile } from "./plan-cache";
import { inScratch, type Scratch, stackFilesFor } from "./scratch";
import type { OfflineTools, PlanOfflineOptions, StateResource, TerraformState } from "./types";

/** Plans stateOfStack may take to settle a state (every recorded state so far settled in 2 or 3). */
export const DEFAULT_MAX_ROUNDS = 4;

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
  maxRounds = DEFAULT_MAX_ROUNDS,
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
 * the harness (the derivation itself: harnessSource). A state is only ever written after the unchanged
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
    .update(harnessSource())
    .digest("hex")
    .slice(0, 32);
  return path.join(cacheDir(), `derived-state-${key}.json`);
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
