import { existsSync, mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { PolicyChecks } from "../../constructs/policy";
import { buildApp, synthWithReports } from "../../main";

describe("main.ts wiring", () => {
  it("npm run synth's path: synth writes a report per stack and prints the summary on stdout", () => {
    const outdir = mkdtempSync(join(tmpdir(), "synth-"));
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    let printed: string;
    try {
      synthWithReports(buildApp(new App({ outdir }), ["dev"]));
      printed = log.mock.calls.map((c) => c[0]).join("\n");
    } finally {
      log.mockRestore();
    }
    expect(existsSync(join(outdir, "stacks", "platform-dev", "cdk.tf.json"))).toBe(true);
    // The figures are the stack's own (the default app is the user's to change): its resource count,
    // the policy result and the estimate the report holds.
    const stack = JSON.parse(readFileSync(join(outdir, "stacks", "platform-dev", "cdk.tf.json"), "utf8"));
    const resources = Object.values(stack.resource as Record<string, object>).reduce(
      (n, byName) => n + Object.keys(byName).length,
      0,
    );
    const report = JSON.parse(readFileSync(join(outdir, "reports", "platform-dev.json"), "utf8"));
    const suppressed = report.policy.suppressed.length;
    expect(suppressed).toBeGreaterThan(0);
    const md = readFileSync(join(outdir, "reports", "platform-dev.md"), "utf8");
    expect(md).toContain(`policy: 0 errors, 0 warnings, ${suppressed} suppressed`);
    expect(printed).toContain(
      `[plan report] platform-dev: ${resources} resources · policy 0 errors, 0 warnings, ${suppressed} suppressed · ~$${report.cost.monthlyTotal.toFixed(2)}/month (estimate) · ${outdir}/reports/platform-dev.md`,
    );
  });

  it("buildApp can leave the checks out (for measuring them)", () => {
    expect(
      PolicyChecks.of(buildApp(new App({ outdir: mkdtempSync(join(tmpdir(), "x-")) }), ["dev"], { policy: false })),
    ).toBeUndefined();
  });

  it("an error stops the synth before the stack's Terraform file is written", () => {
    const outdir = mkdtempSync(join(tmpdir(), "synth-"));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "bad");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new KmsKey(stack, "key", { enableKeyRotation: false });
    PolicyChecks.applyTo(app);
    expect(() => app.synth()).toThrow("KMS1 (error) aws_kms_key.key [bad/key]");
    expect(existsSync(join(outdir, "stacks", "bad", "cdk.tf.json"))).toBe(false);
  });
});
