/** The offline plan of a stack and its summary. */
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { dedupeKey, notePlanned, recallPlan, rememberPlan } from "./plan-cache";
import { inScratch, stackFilesFor } from "./scratch";
import type { OfflineTools, PlanOfflineOptions, PlanSummary, ResourceChange, TerraformState } from "./types";

/**
 * Runs init and plan on a synthesized stack directory (the folder holding cdk.tf.json)
 * and returns what the plan would do. Throws with Terraform's own diagnostics when a
 * step fails.
 *
 * There is no separate `terraform validate`: `terraform plan` runs the same validate
 * walk first (Terraform's local backend logs "running validation operation" and builds
 * the walkValidate graph before planning) and fails on any error it reports, so a
 * separate validate only loaded the 700 MB provider's schema once more (about 2.5 s a
 * stack). The plan's own JSON stream gives the resource changes, which spares the
 * third schema load a `terraform show -json` of a saved plan costs. A plan against a
 * state (`options.state`, a day-2 change) uses `show -json` only when it replaces something,
 * for the attribute paths that force the replacement and its order (create or delete first),
 * which the stream doesn't give; otherwise its summary is the stream's changes and a no-op for
 * every other instance of the state, which is what `show -json` reports
 * (OFFLINE_TERRAFORM_SHOW=compare runs both and throws when they differ; =always always shows).
 *
 * Within one run, a configuration already planned is not planned again: the result is
 * reused when the stack's Terraform JSON (without cdktf's `//` metadata comments and the
 * backend, both replaced or ignored here) and the options are byte for byte ones planned
 * before. Runs never share results: a configuration is always planned once per run.
 */
export function planOffline(stackDir: string, tools: OfflineTools, options: PlanOfflineOptions = {}): PlanSummary {
  const { files, dropped } = stackFilesFor(stackDir, options);
  const key = dedupeKey(files, tools, options);
  notePlanned(path.basename(stackDir));
  const known = recallPlan(key);
  // What was dropped is this stack's own: two stacks with the same AWS part share the plan, not that.
  if (known) return { ...known, dropped };
  const summary = inScratch(stackDir, files, tools, options, (scratch) => {
    if (options.state) {
      scratch.writeState(options.state);
      const { messages, seconds } = scratch.planStream(true);
      const timing = { init: scratch.initSeconds, validate: 0, plan: seconds };
      // The stream says "replace" for both orders and not which paths force it: only then is the full plan
      // (`show -json`, one more load of the provider's schema) read.
      const showMode = process.env.OFFLINE_TERRAFORM_SHOW;
      if (showMode === "always" || messages.some((m) => m.type === "planned_change" && m.change.action === "replace"))
        return summarizeShown(scratch.show(), timing, dropped);
      const summary = summarizeAgainstState(messages, options.state, timing, dropped);
      if (showMode === "compare") {
        const shown = summarizeShown(scratch.show(), timing, dropped);
        if (!isDeepStrictEqual(shown, summary))
          throw new Error(
            `offline plan: the stream's summary differs from show -json's:\n${JSON.stringify(summary)}\n${JSON.stringify(shown)}`,
          );
      }
      return summary;
    }
    const { messages, seconds } = scratch.planStream();
    return summarize(messages, { init: scratch.initSeconds, validate: 0, plan: seconds }, dropped);
  });
  rememberPlan(key, summary);
  return summary;
}

/** Plan actions in the names `terraform show -json` uses (a replacement is shown as delete+create). */
const ACTION_NAMES: Record<string, string> = {
  noop: "no-op",
  replace: "delete+create",
};

function summarize(messages: any[], seconds: PlanSummary["seconds"], dropped: Record<string, number>): PlanSummary {
  const actions: Record<string, number> = {};
  const createByType: Record<string, number> = {};
  const changes: ResourceChange[] = [];
  for (const m of messages) {
    if (m.type !== "planned_change") continue;
    const resource = m.change.resource;
    if (String(resource.resource).startsWith("data.")) continue;
    const action = ACTION_NAMES[m.change.action] ?? m.change.action;
    actions[action] = (actions[action] ?? 0) + 1;
    if (action === "create") createByType[resource.resource_type] = (createByType[resource.resource_type] ?? 0) + 1;
    changes.push({
      address: resource.addr,
      type: resource.resource_type,
      actions: action.split("+"),
      replacePaths: [],
    });
  }
  const toCreate = Object.values(createByType).reduce((a, b) => a + b, 0);
  // The stream and Terraform's own totals must agree, or this summary misread the stream.
  const totals = messages.find((m) => m.type === "change_summary")?.changes;
  if (!totals || totals.add !== toCreate + (actions["delete+create"] ?? 0)) {
    throw new Error(`offline plan: read ${toCreate} creates, Terraform's summary says ${JSON.stringify(totals)}`);
  }
  return { actions, createByType, toCreate, seconds, changes, dropped };
}

/**
 * The summary of a plan against a state with no replacement, from its stream: what it shows as
 * `show -json` would (the stream's changes, and a no-op for every instance of the state it doesn't
 * name, in address order), without `show`'s second load of the provider's schema.
 */
function summarizeAgainstState(
  messages: any[],
  state: TerraformState,
  seconds: PlanSummary["seconds"],
  dropped: Record<string, number>,
): PlanSummary {
  const streamed = summarize(messages, seconds, dropped);
  const changes = new Map(streamed.changes.map((c) => [c.address, c]));
  const actions = { ...streamed.actions };
  for (const resource of state.resources) {
    if (resource.mode !== "managed") continue;
    for (const instance of resource.instances) {
      const index = instance.index_key === undefined ? "" : `[${JSON.stringify(instance.index_key)}]`;
      const address = `${resource.type}.${resource.name}${index}`;
      if (changes.has(address)) continue;
      changes.set(address, { address, type: resource.type, actions: ["no-op"], replacePaths: [] });
      actions["no-op"] = (actions["no-op"] ?? 0) + 1;
    }
  }
  const ordered = [...changes.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { ...streamed, actions, changes: ordered };
}

/** The summary of a full plan (`terraform show -json`), with the paths that force each replacement. */
function summarizeShown(plan: any, seconds: PlanSummary["seconds"], dropped: Record<string, number>): PlanSummary {
  const actions: Record<string, number> = {};
  const createByType: Record<string, number> = {};
  for (const change of plan.resource_changes ?? []) {
    if (change.mode !== "managed") continue;
    const action = (change.change.actions as string[]).join("+");
    actions[action] = (actions[action] ?? 0) + 1;
    if (action === "create") createByType[change.type] = (createByType[change.type] ?? 0) + 1;
  }
  const toCreate = Object.values(createByType).reduce((a, b) => a + b, 0);
  const changes: ResourceChange[] = (plan.resource_changes ?? [])
    .filter((c: any) => c.mode === "managed")
    .map((c: any) => ({
      address: c.address,
      type: c.type,
      actions: c.change.actions,
      replacePaths: (c.change.replace_paths ?? []).map((p: unknown[]) => p.join(".")),
    }));
  return { actions, createByType, toCreate, seconds, changes, dropped };
}
