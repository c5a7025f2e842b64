// The public report API: what the app calls after synth, and the shapes it returns (named, see eks/index.ts).
export { estimateCost } from "./cost";
export type { CostEstimate, CostLine } from "./cost";
export { mermaidDiagram } from "./diagram";
export { buildPlanReport, summaryLine, writePlanReports } from "./plan-report";
export type { KnowledgeTable, PlanReport } from "./plan-report";
