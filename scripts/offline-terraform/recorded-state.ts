/**
 * Recorded day-2 states: the "before" state a day-2 plan runs against, derived once (stateOfStack) and committed
 * beside the tests with the key of the configuration it was derived from, like a snapshot. A clean clone plans
 * against the recording without deriving it (three plans and two `show -json`s a state, about 1 s of CPU each).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_MAX_ROUNDS, stateOfStack } from "./day2-state";
import { AWS_PROVIDER_VERSION } from "./discovery";
import { planRelevant, terraformVersion } from "./plan-cache";
import { stackFilesFor } from "./scratch";
import type { OfflineTools, PlanOfflineOptions, TerraformState } from "./types";

/** The command that re-records stale or missing recordings (package.json). */
export const RERECORD_COMMAND = "npm run test:update-states";

/**
 * - "check": a stale or missing recording fails, naming the command that re-records it (CI, `jest --ci`): main never
 *   silently pays the derivation.
 * - "local": a stale recording is derived again for this run, with a warning, and left as it is for review; a
 *   missing one is derived and written (as jest writes a new snapshot).
 * - "update": a stale or missing recording is derived and written; one that matches is kept.
 */
export type RecordingMode = "check" | "local" | "update";

/** What a recording file holds. */
export interface RecordedState {
  readonly "//": string;
  /** recordingKey() of the configuration the state was derived from. */
  readonly key: string;
  readonly state: TerraformState;
}

/**
 * What a derived state is a function of, and nothing of the machine: the configuration as planned (as for the
 * in-run dedupe: no `//` comments, no backend), the plan options, the rounds allowed, terraform's version (a state
 * carries the version that wrote it, and an older terraform refuses a newer one's) and the pinned hashicorp/aws
 * version. Not the derivation's own source: a recorded state was proven settled for its configuration when it was
 * derived, and stays so whatever the derivation's code becomes.
 */
export function recordingKey(
  files: Record<string, string>,
  options: PlanOfflineOptions,
  terraform: string,
  maxRounds = DEFAULT_MAX_ROUNDS,
): string {
  const { state: _state, ...planOptions } = options;
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ terraform, aws: AWS_PROVIDER_VERSION, maxRounds }));
  hash.update(
    JSON.stringify({
      ...planOptions,
      allowDocumentationPlaceholders: planOptions.allowDocumentationPlaceholders ?? true,
    }),
  );
  for (const name of Object.keys(files).sort())
    hash.update(`\0${name}\0${JSON.stringify(sortKeys(planRelevant(files[name])))}`);
  return hash.digest("hex").slice(0, 32);
}

/**
 * The recording in `file` when its key is `key`; otherwise what `mode` says (see RecordingMode). One exception to
 * "check": a recording made by another terraform version (`terraform`, when given) is derived again with a warning,
 * not failed on: the machine's CLI is not the change under review, and a CI runner with another patch release must
 * still pass (slower, by the derivation).
 */
export function recordedState(
  file: string,
  key: string,
  derive: () => TerraformState,
  mode: RecordingMode,
  terraform?: string,
): TerraformState {
  const recorded = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as RecordedState) : undefined;
  if (recorded?.key === key) return recorded.state;
  const shown = path.relative(process.cwd(), file);
  const problem = recorded
    ? `is stale: recorded from configuration ${recorded.key}, the test now builds ${key}`
    : `is missing (configuration ${key})`;
  const otherTerraform =
    recorded !== undefined && terraform !== undefined && recorded.state.terraform_version !== terraform;
  if (mode === "check" && !otherTerraform)
    throw new Error(
      `The recorded day-2 state ${shown} ${problem}. Re-record it with \`${RERECORD_COMMAND}\` ` +
        `and review its diff (what the "before" configuration now deploys).`,
    );
  const state = derive();
  if (mode === "update" || !recorded) fs.writeFileSync(file, serialize(key, state));
  else if (otherTerraform)
    console.warn(
      `The recorded day-2 state ${shown} was recorded with terraform ${recorded.state.terraform_version}, this is ` +
        `${terraform}; derived it for this run. Re-record it with \`${RERECORD_COMMAND}\` to keep the runs fast.`,
    );
  else
    console.warn(
      `The recorded day-2 state ${shown} ${problem}; derived it for this run. ` +
        `Re-record it with \`${RERECORD_COMMAND}\` (CI fails on it).`,
    );
  return state;
}

/** The state the stack would have had after its first apply, from its recording (see recordedState). */
export function recordedStateOfStack(
  stackDir: string,
  tools: OfflineTools,
  file: string,
  mode: RecordingMode,
  options: PlanOfflineOptions = {},
): TerraformState {
  const { files } = stackFilesFor(stackDir, options);
  const terraform = terraformVersion(tools);
  const key = recordingKey(files, options, terraform);
  return recordedState(file, key, () => stateOfStack(stackDir, tools, DEFAULT_MAX_ROUNDS, options), mode, terraform);
}

/** Keys sorted at every level, two-space indentation, a final newline: the same state is the same bytes. */
export function serialize(key: string, state: TerraformState): string {
  const recording: RecordedState = {
    "//": `Derived by stateOfStack (scripts/offline-terraform), recorded for review like a snapshot: \`${RERECORD_COMMAND}\``,
    key,
    state,
  };
  return `${JSON.stringify(sortKeys(recording), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  return value;
}
