import { mkdirSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { ADDON_VERSIONS_AS_OF } from "../eks/addon-versions";
import { KUBERNETES_API_REMOVALS_AS_OF } from "../eks/kubernetes-api-removals";
import { KUBERNETES_VERSIONS_AS_OF } from "../eks/kubernetes-versions";
import { StackPolicyResult } from "../policy/types";
import { PRICES_AS_OF } from "./prices";
import { CostEstimate, estimateCost } from "./cost";
import { mermaidDiagram } from "./diagram";

/** The plan report of one stack, as written to <outdir>/reports/<stack>.json. */
export interface PlanReport {
  readonly stack: string;
  readonly region?: string;
  /** Resource counts by Terraform type, sorted by type. */
  readonly resourcesByType: Record<string, number>;
  readonly resourceCount: number;
  readonly policy: {
    readonly errors: number;
    readonly warnings: number;
    readonly findings: StackPolicyResult["findings"];
    readonly suppressed: StackPolicyResult["suppressed"];
  };
  readonly cost?: CostEstimate;
  /** File name of the Mermaid diagram, next to the report. */
  readonly diagram: string;
  /** The shipped knowledge tables synth checked against, with their dates and age on the day of the report. */
  readonly tables: readonly KnowledgeTable[];
}

/** A dated table shipped with the constructs. */
export interface KnowledgeTable {
  readonly name: string;
  /** The day the table was last checked against its sources. */
  readonly asOf: string;
  /** Days between `asOf` and the day the report was written. */
  readonly ageDays: number;
}

/** The dated tables synth relies on: refresh them (and their sources) when they grow old. */
const KNOWLEDGE_TABLES: readonly { name: string; asOf: string }[] = [
  { name: "EKS Kubernetes versions (constructs/eks/kubernetes-versions.ts)", asOf: KUBERNETES_VERSIONS_AS_OF },
  { name: "EKS add-on versions per minor (constructs/eks/addon-versions.ts)", asOf: ADDON_VERSIONS_AS_OF },
  { name: "Kubernetes API removals (constructs/eks/kubernetes-api-removals.ts)", asOf: KUBERNETES_API_REMOVALS_AS_OF },
  { name: "AWS list prices (constructs/report/prices.ts)", asOf: PRICES_AS_OF },
];

/** Whole days from `asOf` (an ISO day) to `now`. */
function daysSince(asOf: string, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((today - Date.parse(`${asOf}T00:00:00Z`)) / 86_400_000);
}

/** Builds the report of one stack from the policy engine's result (no I/O). */
export function buildPlanReport(
  result: StackPolicyResult,
  now: Date = new Date(),
): { report: PlanReport; diagram: string; markdown: string } {
  const resourcesByType: Record<string, number> = {};
  for (const r of result.resources) resourcesByType[r.type] = (resourcesByType[r.type] ?? 0) + 1;
  const sorted = Object.fromEntries(Object.entries(resourcesByType).sort(([a], [b]) => a.localeCompare(b)));
  const cost = result.region ? estimateCost(result.region, result.resources) : undefined;
  const diagramFile = `${result.stack}.mmd`;
  const report: PlanReport = {
    stack: result.stack,
    region: result.region,
    resourcesByType: sorted,
    resourceCount: result.resources.length,
    policy: {
      errors: result.findings.filter((f) => f.severity === "error").length,
      warnings: result.findings.filter((f) => f.severity === "warning").length,
      findings: result.findings,
      suppressed: result.suppressed,
    },
    cost,
    diagram: diagramFile,
    tables: KNOWLEDGE_TABLES.map((t) => ({ ...t, ageDays: daysSince(t.asOf, now) })),
  };
  const diagram = mermaidDiagram(result.stack, result.resources);
  return { report, diagram, markdown: renderMarkdown(report, diagram) };
}

const usd = (x: number) => `$${x.toFixed(2)}`;

function renderMarkdown(r: PlanReport, diagram: string): string {
  const out: string[] = [`# Plan report: ${r.stack}`, ""];
  out.push(
    `Region: ${r.region ?? "(none)"} · ${r.resourceCount} resources · policy: ${r.policy.errors} errors, ${r.policy.warnings} warnings, ${r.policy.suppressed.length} suppressed`,
    "",
  );
  out.push("## Resources by type", "", "| type | count |", "|---|---|");
  for (const [t, n] of Object.entries(r.resourcesByType)) out.push(`| \`${t}\` | ${n} |`);
  out.push("", "## Policy findings", "");
  if (r.policy.findings.length === 0) out.push("None.");
  else {
    out.push("| rule | severity | resource | finding |", "|---|---|---|---|");
    for (const f of r.policy.findings)
      out.push(`| ${f.ruleId} | ${f.severity} | \`${f.address}\` | ${f.message.replace(/\|/g, "\\|")} |`);
  }
  out.push("", "## Suppressions", "");
  if (r.policy.suppressed.length === 0) out.push("None.");
  else {
    out.push("| rule | resource | suppressed at | reason |", "|---|---|---|---|");
    for (const s of r.policy.suppressed)
      out.push(`| ${s.ruleId} | \`${s.address}\` | \`${s.suppressedAt}\` | ${s.reason.replace(/\|/g, "\\|")} |`);
  }
  out.push("", "## Monthly cost estimate", "");
  const c = r.cost;
  if (!c) out.push("No AWS provider region: not estimated.");
  else if (!c.supported) out.push(`**Not estimated:** ${c.unpriced.join("; ")}.`);
  else if (c.lines.length === 0) out.push("Nothing with a fixed price in this stack (an estimate: $0.00 a month).");
  else {
    out.push(
      `**An estimate, not a quote:** list prices of ${c.region} as of ${c.pricesAsOf} (shipped price table), ${c.hoursPerMonth} hours a month, spot at an assumed ${c.spotDiscount * 100} % discount off on-demand, node groups at their planned desired size.`,
      "",
      "| item | quantity | unit price | per month |",
      "|---|---|---|---|",
    );
    for (const l of c.lines)
      out.push(
        `| ${l.item}${l.note ? ` (${l.note})` : ""} | ${l.quantity} ${l.unit === "hour" ? "× 730 h" : l.unit} | $${l.unitPrice}/${l.unit} | ${usd(l.monthly)} |`,
      );
    out.push(`| **total** | | | **${usd(c.monthlyTotal)}** |`, "");
    if (c.unpriced.length) out.push(`Not priced here: ${c.unpriced.join("; ")}.`, "");
    out.push(`Left out: ${c.notIncluded.join("; ")}.`);
  }
  out.push("", "## Version knowledge", "", "| table | as of | age |", "|---|---|---|");
  for (const t of r.tables) out.push(`| ${t.name} | ${t.asOf} | ${t.ageDays} days |`);
  out.push(
    "",
    "## Diagram",
    "",
    `Source: [${r.diagram}](./${r.diagram})`,
    "",
    "```mermaid",
    diagram.trimEnd(),
    "```",
    "",
  );
  return out.join("\n");
}

/** One console line per stack. */
export function summaryLine(r: PlanReport): string {
  const cost = r.cost?.supported ? `~${usd(r.cost.monthlyTotal)}/month (estimate)` : "cost not estimated";
  return `${r.stack}: ${r.resourceCount} resources · policy ${r.policy.errors} errors, ${r.policy.warnings} warnings, ${r.policy.suppressed.length} suppressed · ${cost}`;
}

/**
 * Writes <outdir>/reports/<stack>.md, .json and .mmd for every stack the checks ran on, and
 * returns the reports. Call after app.synth().
 */
export function writePlanReports(outdir: string, results: readonly StackPolicyResult[]): PlanReport[] {
  const dir = join(outdir, "reports");
  // The folder holds this synth's reports only: a stack left out (PLATFORM_ENVS, a renamed stack)
  // must not leave an old report that reads as current. cdktf removes old stack folders the same way.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return results.map((result) => {
    const { report, diagram, markdown } = buildPlanReport(result);
    writeFileSync(join(dir, `${result.stack}.json`), JSON.stringify(report, null, 2) + "\n");
    writeFileSync(join(dir, `${result.stack}.md`), markdown);
    writeFileSync(join(dir, report.diagram), diagram);
    return report;
  });
}
