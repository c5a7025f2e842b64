import * as fs from "node:fs";
import * as path from "node:path";
import { PLANNED_STACKS } from "../../scripts/offline-terraform/plan-cache";

/**
 * The plans of this run are not kept: the next run plans every configuration again. With
 * OFFLINE_PLAN_REPORT set (`npm run bench` does), what the run planned is written there first:
 * `{ "configurations": <distinct configurations planned>, "stacks": [<stack folder names>] }`.
 */
export default function globalTeardown(): void {
  const dir = process.env.OFFLINE_PLAN_DEDUPE_DIR;
  const report = process.env.OFFLINE_PLAN_REPORT;
  if (dir && report && fs.existsSync(dir)) {
    const log = path.join(dir, PLANNED_STACKS);
    const stacks = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
    const configurations = fs.readdirSync(dir).filter((f) => f.endsWith(".json")).length;
    fs.writeFileSync(report, JSON.stringify({ configurations, stacks: [...new Set(stacks)].sort() }, null, 2));
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.OFFLINE_PLAN_DEDUPE_DIR;
}
