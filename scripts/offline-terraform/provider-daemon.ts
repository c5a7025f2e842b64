/** The hashicorp/aws provider each process keeps running, which terraform commands reattach to. */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { awsProviderBinary, terraformEnv } from "./discovery";
import type { OfflineTools } from "./types";

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
export function runningProvider(tools: OfflineTools): string | undefined {
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
  // The record and the provider's log (tens of MB of -debug output) go with the process.
  process.once("exit", () => {
    fs.rmSync(record, { force: true });
    fs.rmSync(out, { force: true });
  });
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
