import { mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Testing } from "cdktf";
import { prod } from "../../config/environments";
import { PolicyChecks } from "../../constructs/policy";
import { buildPlanReport, estimateCost, mermaidDiagram, writePlanReports } from "../../constructs/report";
import { PlatformStack } from "../../stacks/platform-stack";
import { workloadStack } from "../policy/fixtures";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";

describe("plan report and diagram", () => {
  const result = PolicyChecks.evaluate(
    // prod with the sample, so the diagram has repositories to show.
    new PlatformStack(Testing.app(), "platform-prod", { ...prod, sample: true }),
  );

  it("the prod diagram shows the VPC, AZs and tiers, NAT, cluster endpoint mode, node groups, Fargate, registries", () => {
    const d = mermaidDiagram("platform-prod", result.resources);
    expect(d).toContain("flowchart TB");
    expect(d).toContain('["VPC 10.20.0.0/16"]');
    for (const az of ["eu-west-1a", "eu-west-1b", "eu-west-1c"]) expect(d).toContain(`["${az}"]`);
    expect(d).toContain('["private 10.20.0.0/19"]');
    expect(d).toContain('["public 10.20.192.0/22"]');
    expect(d).toContain('["intra 10.20.224.0/22"]');
    expect(d.match(/\(\["NAT gateway"\]\)/g)).toHaveLength(3);
    expect(d).toContain("EKS platform-prod 1.35<br/>endpoint: private only");
    expect(d).toContain("-.->|control-plane ENIs in intra subnets| aws_subnet_network_intra_subnet_eu_west_1a");
    expect(d).toContain("node group node-group-system<br/>m6i.large · ON_DEMAND · 3-3 (desired 3)");
    expect(d).toContain("node group node-group-apps");
    expect(d).toContain("Fargate fargate-batch<br/>namespaces: batch");
    expect(d).toContain('[("apps/web")]');
    expect(d).toContain("ecr.api (Interface)");
  });

  it("the diagram shows namespaces, workloads and their exposure", () => {
    const d = mermaidDiagram("w", PolicyChecks.evaluate(workloadStack()).resources);
    expect(d).toContain('subgraph ns_shop["namespace shop"]');
    expect(d).toContain('["Deployment web"]');
    expect(d).toContain("Service web · ClusterIP");
    expect(d).toMatch(
      /aws_kubernetes|kubernetes_service_v1_web-svc --> kubernetes_deployment_v1_web|kubernetes_service_v1_web_svc --> kubernetes_deployment_v1_web/,
    );
  });

  it("the diagram shows Helm releases in their namespace", () => {
    const stack = workloadStack();
    new HelmProvider(stack, "helm", {});
    new Release(stack, "lbc", {
      name: "lbc",
      chart: "aws-load-balancer-controller",
      version: "1.13.0",
      namespace: "kube-system",
    });
    const d = mermaidDiagram("w", PolicyChecks.evaluate(stack).resources);
    expect(d).toContain('subgraph ns_kube_system["namespace kube-system"]');
    expect(d).toContain('[/"Helm aws-load-balancer-controller 1.13.0"/]');
  });

  it("writes Markdown, JSON and the diagram per stack, the report linking the diagram", () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-report-"));
    const [report] = writePlanReports(dir, [result]);
    const json = JSON.parse(readFileSync(join(dir, "reports", "platform-prod.json"), "utf8"));
    // The report's figures are the stack's: every resource, the policy result, the estimate
    // (test/report/cost.test.ts pins the estimate's arithmetic; the snapshots pin the counts).
    const synthesized = JSON.parse(
      Testing.synth(new PlatformStack(Testing.app(), "platform-prod", { ...prod, sample: true })),
    );
    const byType = Object.fromEntries(
      Object.entries(synthesized.resource as Record<string, object>).map(([t, byName]) => [
        t,
        Object.keys(byName).length,
      ]),
    );
    expect(json.resourcesByType).toEqual(byType);
    expect(json.resourceCount).toBe(Object.values(byType).reduce((a, b) => a + b, 0));
    expect(json.resourcesByType.aws_nat_gateway).toBe(prod.network.availabilityZones.length); // one-per-az
    expect(json.policy).toMatchObject({ errors: 0, warnings: 0 });
    expect(json.policy.suppressed.length).toBe(result.suppressed.length);
    const cost = estimateCost(prod.region, result.resources).monthlyTotal;
    expect(cost).toBeGreaterThan(0);
    expect(json.cost.monthlyTotal).toBe(cost);
    const md = readFileSync(join(dir, "reports", "platform-prod.md"), "utf8");
    expect(md).toContain("**An estimate, not a quote:**");
    expect(md).toContain(`| **total** | | | **$${cost.toFixed(2)}** |`);
    expect(md).toContain("Source: [platform-prod.mmd](./platform-prod.mmd)");
    expect(md).toContain("AES256 is ECR's default encryption at rest");
    expect(readFileSync(join(dir, "reports", report.diagram), "utf8")).toContain("flowchart TB");
  });

  it("says how old each shipped table is: EKS versions, add-on versions, API removals, prices", () => {
    const { report, markdown } = buildPlanReport(result, new Date("2027-01-06T15:00:00Z"));
    expect(report.tables).toEqual([
      { name: "EKS Kubernetes versions (constructs/eks/kubernetes-versions.ts)", asOf: "2026-12-07", ageDays: 30 },
      { name: "EKS add-on versions per minor (constructs/eks/addon-versions.ts)", asOf: "2026-12-07", ageDays: 30 },
      { name: "Kubernetes API removals (constructs/eks/kubernetes-api-removals.ts)", asOf: "2026-12-07", ageDays: 30 },
      { name: "AWS list prices (constructs/report/prices.ts)", asOf: "2026-11-26", ageDays: 41 },
    ]);
    expect(markdown).toContain(
      "## Version knowledge\n\n| table | as of | age |\n|---|---|---|\n| EKS Kubernetes versions (constructs/eks/kubernetes-versions.ts) | 2026-12-07 | 30 days |",
    );
  });
});
