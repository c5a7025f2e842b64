import * as fs from "node:fs";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";
import { POLICY_RULES } from "../../constructs/policy/policy-checks";
import { suppressionsOn, suppressRule } from "../../constructs/private/suppressions";

// Constructs record suppressions through the small primitive, which doesn't know the rules (so
// they don't import the engine). The rule ids they name are checked here instead.
const ROOT = path.resolve(__dirname, "../../constructs");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith(".ts") ? [full] : [];
  });
}

describe("suppressRule", () => {
  test("every rule id a construct suppresses is a rule of the engine", () => {
    const ids = sources(ROOT).flatMap((file) =>
      [...fs.readFileSync(file, "utf8").matchAll(/suppressRule\(\s*[^,]+,\s*"([^"]+)"/g)].map((m) => m[1]),
    );
    expect(ids.length).toBeGreaterThanOrEqual(3);
    const known = new Set(POLICY_RULES.map((r) => r.id));
    expect(ids.filter((id) => !known.has(id))).toEqual([]);
  });

  test("records the trimmed reason on the construct", () => {
    const stack = new TerraformStack(new App(), "s");
    suppressRule(stack, "ECR3", "  images hold no secrets ");
    expect(suppressionsOn(stack)).toEqual([{ ruleId: "ECR3", reason: "images hold no secrets" }]);
  });

  test("throws when the reason is empty", () => {
    const stack = new TerraformStack(new App(), "s");
    expect(() => suppressRule(stack, "ECR3", " ")).toThrow(
      'PolicyChecks: suppress(s, "ECR3") reason " " is empty; say why the finding is acceptable here',
    );
  });
});
