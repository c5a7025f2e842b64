import { App, Testing } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { dev } from "../../config/environments";
import { PolicyChecks, POLICY_RULES } from "../../constructs/policy";
import { buildApp } from "../../main";
import { PlatformStack, repositoriesOf } from "../../stacks/platform-stack";
import { testStack, warningsOf } from "../fixtures";

describe("PolicyChecks", () => {
  it("fails synth with every error listed in one message, not only the first", () => {
    const stack = testStack();
    new KmsKey(stack, "k1", {});
    new KmsKey(stack, "k2", {});
    new CloudwatchLogGroup(stack, "logs", { name: "x" });
    const app = stack.node.root as App;
    PolicyChecks.applyTo(app);
    let message = "";
    try {
      Testing.synth(stack);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("Policy checks failed for stack test: 3 error(s)");
    expect(message).toContain(
      "KMS1 (error) aws_kms_key.k1 [test/k1]: does not rotate its key material; set enable_key_rotation = true",
    );
    expect(message).toContain("aws_kms_key.k2 [test/k2]");
    expect(message).toContain("LOG1 (error) aws_cloudwatch_log_group.logs [test/logs]: keeps logs forever");
  });

  it("prints warnings as cdktf warnings on the resource's construct, and synth succeeds", () => {
    const stack = testStack();
    new CloudwatchLogGroup(stack, "logs", { name: "x", retentionInDays: 30 });
    PolicyChecks.applyTo(stack.node.root as App);
    expect(() => Testing.synth(stack)).not.toThrow();
    expect(warningsOf(stack).join("\n")).toContain("[policy] LOG2 (warning) aws_cloudwatch_log_group.logs [test/logs]");
  });

  it("a suppression on a parent silences the rule on its children and records the reason", () => {
    const stack = testStack();
    new CloudwatchLogGroup(stack, "logs", { name: "x", retentionInDays: 30 });
    PolicyChecks.suppress(stack, "LOG2", "test logs hold nothing sensitive");
    const result = PolicyChecks.evaluate(stack);
    expect(result.findings).toEqual([]);
    expect(result.suppressed).toMatchObject([
      {
        ruleId: "LOG2",
        address: "aws_cloudwatch_log_group.logs",
        reason: "test logs hold nothing sensitive",
        suppressedAt: "test",
      },
    ]);
  });

  it("throws when a suppression has no reason", () => {
    const stack = testStack();
    expect(() => PolicyChecks.suppress(stack, "LOG2", "  ")).toThrow(
      'PolicyChecks: suppress(test, "LOG2") reason "  " is empty; say why the finding is acceptable here',
    );
  });

  it("throws when a suppression names an unknown rule", () => {
    expect(() => PolicyChecks.suppress(testStack(), "LOG9", "typo")).toThrow(
      'PolicyChecks: suppress(test): rule id "LOG9" is not a rule; use one of EKS1,',
    );
  });

  it("throws when disabledRules names an unknown rule", () => {
    expect(() => PolicyChecks.evaluate(testStack(), { disabledRules: ["NOPE"] })).toThrow(
      'rule id "NOPE" is not a rule',
    );
  });

  it("throws when applied twice to one app with different options", () => {
    const app = Testing.app();
    expect(PolicyChecks.applyTo(app, {})).toBe(PolicyChecks.applyTo(app));
    expect(() => PolicyChecks.applyTo(app, { requireCpuLimits: true })).toThrow(
      'PolicyChecks: applyTo(app) options {"requireCpuLimits":true} differ from those the app\'s checks already use',
    );
  });

  it("every rule has a unique id, a severity and a title", () => {
    const ids = POLICY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of POLICY_RULES) {
      expect(["error", "warning"]).toContain(r.severity);
      expect(r.title.length).toBeGreaterThan(5);
    }
  });

  it("the default app (dev and prod) has zero errors and zero warnings; deliberate choices are suppressed with reasons", () => {
    const app = buildApp(Testing.app(), ["dev", "prod"]);
    const checks = PolicyChecks.of(app)!;
    for (const stack of app.node.children) Testing.synth(stack as any);
    const [devResult, prodResult] = checks.results;
    expect(devResult.findings).toEqual([]);
    expect(prodResult.findings).toEqual([]);
    const summary = (r: typeof devResult) => r.suppressed.map((s) => `${s.ruleId} ${s.suppressedAt}`).sort();
    // dev's public endpoint (EKS2), and each repository's force_delete in a disposable environment (ECR3).
    expect(summary(devResult)).toEqual(
      [
        ...Object.keys(repositoriesOf(dev)).map(
          (name) => `ECR3 platform-dev/registry/${name.replace(/\//g, "--")}/repository`,
        ),
        "EKS2 platform-dev/cluster",
      ].sort(),
    );
    expect(summary(prodResult)).not.toContain("EKS2 platform-prod/cluster");
    for (const s of [...devResult.suppressed, ...prodResult.suppressed]) expect(s.reason.length).toBeGreaterThan(20);
  });

  it("the platform stack refuses a suppression scope that isn't a construct of it", () => {
    expect(
      () =>
        new PlatformStack(Testing.app(), "platform-dev", {
          ...dev,
          policySuppressions: [{ scope: "clusterr", ruleId: "EKS2", reason: "typo in the scope" }],
        }),
    ).toThrow("PlatformStack 'platform-dev': policySuppressions[].scope \"clusterr\" is not a construct of this stack");
  });
});
