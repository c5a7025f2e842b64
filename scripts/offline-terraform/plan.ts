/** The offline plan of a stack and its summary. */
import * as path from "node:path";
import { dedupeKey, notePlanned, recallPlan, rememberPlan } from "./plan-cache";
import { inScratch, stackFilesFor } from "./scratch";
import type { OfflineTools, PlanOfflineOptions, PlanSummary, ResourceChange } from "./types";

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
 * state (`options.state`, a day-2 change) does use `show -json`, for the attribute paths
 * that force a replacement.
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
      const { plan, seconds } = scratch.planShown();
      return summarizeShown(plan, { init: scratch.initSeconds, validate: 0, plan: seconds }, dropped);
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
