import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { offlineTools } from "../../scripts/offline-terraform";

/**
 * Once per jest run: one loud line when the offline tier can't run here (each file then
 * skips, or fails in CI), and an empty directory in which the workers share the plans of
 * this run, so a configuration two tests build alike is planned once (see planOffline).
 */
export default function globalSetup(): void {
  const { problem } = offlineTools(true);
  if (problem)
    process.stderr.write(
      `\nOFFLINE TERRAFORM TIER NOT RUN: ${problem}${process.env.CI === "true" ? " (CI=true: failing)" : " (skipped)"}\n`,
    );
  // Set before jest starts its workers, so they inherit it.
  process.env.OFFLINE_PLAN_DEDUPE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "offline-plans-"));
}
