import { offlineTools } from "../../scripts/offline-terraform";

/** Once per jest run: one loud line when the offline tier can't run here (each file then skips, or fails in CI). */
export default function globalSetup(): void {
  const { problem } = offlineTools(true);
  if (problem)
    process.stderr.write(
      `\nOFFLINE TERRAFORM TIER NOT RUN: ${problem}${process.env.CI === "true" ? " (CI=true: failing)" : " (skipped)"}\n`,
    );
}
