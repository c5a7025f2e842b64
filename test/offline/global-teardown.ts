import * as fs from "node:fs";

/** The plans of this run are not kept: the next run plans every configuration again. */
export default function globalTeardown(): void {
  const dir = process.env.OFFLINE_PLAN_DEDUPE_DIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.OFFLINE_PLAN_DEDUPE_DIR;
}
