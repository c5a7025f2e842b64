import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * A test run writes its temporary files into one folder of its own, removed when the run ends:
 * cdktf's Testing.app() makes a `cdktf.outdir.*` folder per app and never removes it, the offline
 * tier's provider logs tens of MB per worker (its `-debug` output), and terraform's scratch copies
 * add more. Without this a run left about 75 MB and thousands of folders in the temp folder.
 *
 * os.tmpdir() reads TMPDIR on every call, and jest's workers (and the terraform and app processes
 * they start) inherit the environment the run's global setup leaves, so setting TMPDIR there moves
 * all of them. (Setting it in a test file's setup wouldn't: a test sees a copy of process.env.)
 */
const PREFIX = "eks-platform-jest-";

/** The temp folder the run started from. */
export function baseTempDir(): string {
  return process.env.EKS_PLATFORM_TEST_BASE_TMPDIR ?? os.tmpdir();
}

/** Points TMPDIR at a new folder of this run (`<tmp>/eks-platform-jest-<pid>`); returns it. */
export function useRunTempDir(): string {
  const base = baseTempDir();
  process.env.EKS_PLATFORM_TEST_BASE_TMPDIR = base;
  const dir = path.join(base, `${PREFIX}${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  process.env.TMPDIR = dir;
  return dir;
}

/** Removes this run's folder and puts TMPDIR back. */
export function removeRunTempDir(): void {
  const base = process.env.EKS_PLATFORM_TEST_BASE_TMPDIR;
  if (base === undefined) return;
  fs.rmSync(path.join(base, `${PREFIX}${process.pid}`), { recursive: true, force: true });
  process.env.TMPDIR = base;
  delete process.env.EKS_PLATFORM_TEST_BASE_TMPDIR;
}

/** True while a process with this pid runs. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the folders of runs that ended without their teardown (a killed run), so nothing
 * accumulates. A folder of a run that is still going is left alone.
 */
export function removeStaleTempDirs(base = baseTempDir()): string[] {
  const removed: string[] = [];
  for (const name of fs.readdirSync(base)) {
    const pid = name.startsWith(PREFIX) ? Number(name.slice(PREFIX.length)) : NaN;
    if (!Number.isInteger(pid) || running(pid)) continue;
    fs.rmSync(path.join(base, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
