import * as fs from "node:fs";
import * as path from "node:path";
import * as os from "node:os";
import { App, TerraformStack, Testing } from "cdktf";
import {
  offlineTools,
  planOffline,
  PlanOfflineOptions,
  PlanSummary,
  OfflineTools,
  recordedStateOfStack,
  RecordingMode,
  TerraformState,
} from "../../scripts/offline-terraform";

// terraform init + plan (validation included) of a whole stack against the real provider: seconds, but
// on a busy 2-core machine a file of several stacks can take minutes.
export const OFFLINE_TIMEOUT_MS = 10 * 60 * 1000;

const found = offlineTools(true);

/**
 * describe() for tests that need terraform and the local provider mirror. Without them
 * the block is skipped with one loud line; in CI (CI=true) it fails instead, so a
 * machine that lost its terraform can't turn the tier green by skipping it.
 */
export function describeOffline(name: string, body: (tools: OfflineTools) => void): void {
  if (found.tools) {
    const tools = found.tools;
    describe(name, () => body(tools));
    return;
  }
  const reason = `OFFLINE TERRAFORM TIER NOT RUN: ${found.problem}`;
  if (process.env.CI === "true") {
    describe(name, () => {
      it("has terraform and the provider mirror (required in CI)", () => {
        throw new Error(reason);
      });
    });
  } else {
    // The one loud line is printed by global-setup.ts, once per run.
    describe.skip(name, () => body({ terraform: "terraform" }));
  }
}

/**
 * Synthesizes one stack to disk and runs the offline init and plan on it, against
 * `options.state` if given (see planOffline: validation runs inside plan, and a configuration
 * already planned in this run is not planned again).
 */
export function planStack(stack: TerraformStack, tools: OfflineTools, options: PlanOfflineOptions = {}): PlanSummary {
  return withSynth(stack, (stackDir) => planOffline(stackDir, tools, options));
}

/** Where the recorded day-2 states are kept (reviewed like snapshots; see docs/testing.md). */
export const RECORDED_STATES_DIR = path.join(__dirname, "states");

/**
 * The state of the stack as if it had been applied, to plan a day-2 change against: the recording
 * `states/<recording>.json` when it was derived from this very configuration; otherwise derived, and
 * what happens to the recording is recordingMode()'s (a stale one fails in CI).
 */
export function stateOf(stack: TerraformStack, tools: OfflineTools, recording: string): TerraformState {
  const file = path.join(RECORDED_STATES_DIR, `${recording}.json`);
  return withSynth(stack, (stackDir) => recordedStateOfStack(stackDir, tools, file, recordingMode()));
}

/**
 * Jest's own snapshot setting decides, as for a snapshot: `-u` (or OFFLINE_STATES_UPDATE=1) re-records
 * stale recordings, `--ci` (the default under CI=true) fails on them, a local run derives them again.
 */
export function recordingMode(): RecordingMode {
  if (process.env.OFFLINE_STATES_UPDATE === "1") return "update";
  const snapshots = (expect.getState() as { snapshotState?: { _updateSnapshot?: string } }).snapshotState;
  if (snapshots?._updateSnapshot === "all") return "update";
  if (process.env.CI === "true" || snapshots?._updateSnapshot === "none") return "check";
  return "local";
}

function withSynth<T>(stack: TerraformStack, body: (stackDir: string) => T): T {
  const outdir = Testing.fullSynth(stack);
  try {
    const stackDir = path.join(outdir, "stacks", stack.node.id);
    if (!fs.existsSync(path.join(stackDir, "cdk.tf.json"))) throw new Error(`no cdk.tf.json in ${stackDir}`);
    return body(stackDir);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Synthesizes a whole app (so cross-stack references become outputs and remote state, which
 * synthesizing one stack alone doesn't do) and plans one of its stacks.
 */
export function planAppStack(
  build: (app: App) => void,
  stackId: string,
  tools: OfflineTools,
  options: PlanOfflineOptions = {},
): PlanSummary {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "offline-app-"));
  try {
    const app = new App({ outdir, skipValidation: true });
    build(app);
    app.synth();
    return planOffline(path.join(outdir, "stacks", stackId), tools, options);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The changes that are not no-ops, as "<address>: <actions>", for readable assertions. */
export function changesOf(plan: PlanSummary): string[] {
  return plan.changes
    .filter((c) => !(c.actions.length === 1 && c.actions[0] === "no-op"))
    .map(
      (c) => `${c.address}: ${c.actions.join("+")}${c.replacePaths.length ? ` (${c.replacePaths.join(", ")})` : ""}`,
    );
}
