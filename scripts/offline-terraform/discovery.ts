/**
 * Finding the tools: the terraform CLI (TERRAFORM_BIN), the local provider mirror (TF_PLUGIN_DIR, Terraform's
 * implied mirror directories, /opt) and its hashicorp/aws binary, and the environment every terraform command runs in.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { OfflineTools } from "./types";

/** The hashicorp/aws version @cdktf/provider-aws 20.1.0 is generated for. */
export const AWS_PROVIDER_VERSION = "5.100.0";

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

export function terraformEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
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

/** Node's process.arch in Go's names, which the mirror's <os>_<arch> directories use. */
const GO_ARCH: Record<string, string> = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" };

/** The local mirror's hashicorp/aws ${AWS_PROVIDER_VERSION} binary for this machine, if the tools have a mirror holding it. */
export function awsProviderBinary(tools: OfflineTools): string | undefined {
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
