/**
 * What spares work: plans of this run by configuration (shared between jest workers), and what is kept between
 * runs in OFFLINE_TERRAFORM_CACHE_DIR (provider schemas, derived day-2 states) with the identity of the tools.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { awsProviderBinary, terraformEnv } from "./discovery";
import type { OfflineTools, PlanOfflineOptions, PlanSummary } from "./types";

/** Drops what Terraform ignores or this check replaces: `//` comments of the body and resources, and the backend. */
export function planRelevant(text: string): unknown {
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

export function dedupeKey(files: Record<string, string>, tools: OfflineTools, options: PlanOfflineOptions): string {
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

export function recallPlan(key: string): PlanSummary | undefined {
  const local = planned.get(key);
  if (local) return local;
  const dir = process.env.OFFLINE_PLAN_DEDUPE_DIR;
  const file = dir && path.join(dir, `${key}.json`);
  if (!file || !fs.existsSync(file)) return undefined;
  const summary = JSON.parse(fs.readFileSync(file, "utf8")) as PlanSummary;
  planned.set(key, summary);
  return summary;
}

/**
 * Notes that a stack (its folder name under cdktf.out/stacks) was planned in this run, planned
 * or recalled, so the run can say which stacks its plans covered (test/offline/global-teardown.ts
 * writes them to OFFLINE_PLAN_REPORT for `npm run bench`). One line per call, appended: atomic
 * for lines this short, whichever worker writes.
 */
export function notePlanned(stack: string): void {
  const dir = process.env.OFFLINE_PLAN_DEDUPE_DIR;
  if (!dir || !fs.existsSync(dir)) return;
  fs.appendFileSync(path.join(dir, PLANNED_STACKS), `${stack}\n`);
}

/** The file of notePlanned in OFFLINE_PLAN_DEDUPE_DIR (not a plan: recallPlan reads `<key>.json`). */
export const PLANNED_STACKS = "planned-stacks.log";

export function rememberPlan(key: string, summary: PlanSummary): void {
  planned.set(key, summary);
  const dir = process.env.OFFLINE_PLAN_DEDUPE_DIR;
  if (!dir || !fs.existsSync(dir)) return;
  // Written under a temporary name and renamed, so another worker never reads half a file.
  const tmp = path.join(dir, `${key}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(summary));
  fs.renameSync(tmp, path.join(dir, `${key}.json`));
}

export function cacheDir(): string {
  return process.env.OFFLINE_TERRAFORM_CACHE_DIR || path.join(__dirname, "..", "..", ".cache", "offline-terraform");
}

/** Written under a temporary name and renamed (a parallel worker never reads half a file); a read-only checkout skips it. */
export function writeCacheFile(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch {
    // no cache: it is only ever a shortcut
  }
}

const terraformVersions = new Map<string, string>();
/**
 * What a cached result depends on besides the configuration: the terraform CLI's version and the
 * provider binary (path, size, modification time). Only for stacks that need nothing but
 * hashicorp/aws from a local mirror; undefined otherwise, or with OFFLINE_TERRAFORM_CACHE=off.
 */
export function toolIdentity(tools: OfflineTools, files: Record<string, string>): string | undefined {
  if (process.env.OFFLINE_TERRAFORM_CACHE === "off") return undefined;
  const binary = awsProviderBinary(tools);
  if (!binary) return undefined;
  for (const text of Object.values(files))
    if (Object.keys(JSON.parse(text).terraform?.required_providers ?? {}).some((name) => name !== "aws"))
      return undefined;
  const stat = fs.statSync(binary);
  return JSON.stringify([terraformVersion(tools), path.resolve(binary), stat.size, stat.mtimeMs]);
}

/** `terraform version -json`'s version, once per process and CLI (it starts no provider). */
export function terraformVersion(tools: OfflineTools): string {
  let version = terraformVersions.get(tools.terraform);
  if (version === undefined) {
    version = JSON.parse(execFileSync(tools.terraform, ["version", "-json"], { encoding: "utf8", env: terraformEnv() }))
      .terraform_version as string;
    terraformVersions.set(tools.terraform, version);
  }
  return version;
}

/**
 * The harness's own source, every module of this folder: part of a derived state's cache key, since the
 * derivation is spread over them (scratch copy, AWS-only filtering, day-2 state synthesis).
 */
export function harnessSource(): string {
  const hash = createHash("sha256");
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith(".ts"));
  for (const file of files.sort()) hash.update(`\0${file}\0`).update(fs.readFileSync(path.join(__dirname, file)));
  return hash.digest("hex");
}
