import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { PlatformConfig } from "../../config/environments";
import { PolicyChecks } from "../../constructs/policy";
import { buildApp } from "../../main";
import { warningsOf } from "../fixtures";
import { expectValidKubernetes } from "../kubernetes-schema";

/** The environment on an IPv6 cluster: a dual-stack network and ipFamily "ipv6", nothing else changed. */
const ipv6 = (config: PlatformConfig): PlatformConfig => ({
  ...config,
  network: { ...config.network, ipv6: true },
  cluster: { ...config.cluster, ipFamily: "ipv6" },
});

const resources = (file: string, type: string): any[] =>
  Object.values(JSON.parse(fs.readFileSync(file, "utf8")).resource?.[type] ?? {});

// The default app's environments built on IPv6 clusters: everything that synthesizes for IPv4
// must synthesize, pass the policy checks and be schema-valid for IPv6 too, with NetworkPolicy
// CIDRs EKS enforces there (IPv6 ones) and dual-stack load balancers.
// The sample on both environments' settings: prod runs it when it sets `sample: true`.
const withSample = (config: PlatformConfig): PlatformConfig => ({ ...config, sample: true });

describe("the default app on IPv6 clusters", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "default-app-ipv6-"));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const app = buildApp(new App({ outdir }), ["dev", "prod"], { configure: (c) => ipv6(withSample(c)) });
  app.synth();
  const stackFile = (id: string) => path.join(outdir, "stacks", id, "cdk.tf.json");

  it("has zero policy errors and warnings, and warns at synth only where the IPv4 app does", () => {
    const checks = PolicyChecks.of(app)!;
    expect(checks.results.map((r) => r.stack).sort()).toEqual([
      "platform-dev",
      "platform-prod",
      "workloads-dev",
      "workloads-prod",
    ]);
    for (const result of checks.results) expect(result.findings).toEqual([]);
    const ipv4 = buildApp(
      new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "default-app-ipv4-")) }),
      ["dev", "prod"],
      { configure: withSample },
    );
    ipv4.synth();
    fs.rmSync(ipv4.outdir, { recursive: true, force: true });
    // The one warning both give: prod's private endpoint, whose admitted sources on IPv6 add the VPC's IPv6 block.
    expect(warningsOf(app)).toEqual(
      warningsOf(ipv4).map((w) => w.replace("the VPC 10.20.0.0/16 (", "the VPC 10.20.0.0/16, the VPC's IPv6 block (")),
    );
    expect(warningsOf(app)).toHaveLength(1);
  });

  it.each(["workloads-dev", "workloads-prod"])("%s: every Kubernetes object is valid", (id) => {
    const { objects, skipped } = expectValidKubernetes(stackFile(id));
    expect(objects.filter((o) => o.kind === "NetworkPolicy").length).toBeGreaterThan(10);
    expect(skipped.every((s) => s.startsWith("helm_release."))).toBe(true);
  });

  it.each(["workloads-dev", "workloads-prod"])("%s: every NetworkPolicy CIDR is IPv6", (id) => {
    const cidrs = resources(stackFile(id), "kubernetes_network_policy_v1").flatMap((p) =>
      [...(p.spec.ingress ?? []).flatMap((r: any) => r.from), ...(p.spec.egress ?? []).flatMap((r: any) => r.to ?? [])]
        .filter((peer: any) => peer.ip_block)
        .map((peer: any) => peer.ip_block.cidr as string),
    );
    expect(cidrs.length).toBeGreaterThan(0);
    for (const cidr of cidrs) expect(cidr).toMatch(/^(fd00:ec2::23\/128|::\/0|\$\{.*ipv6_cidr_block.*\})$/);
    expect(cidrs).toContain("fd00:ec2::23/128");
    expect(cidrs).toContain("::/0");
  });

  it.each(["workloads-dev", "workloads-prod"])("%s: the ALB Ingress is dual-stack", (id) => {
    const [ingress] = resources(stackFile(id), "kubernetes_ingress_v1");
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/ip-address-type"]).toBe("dualstack");
  });
});
