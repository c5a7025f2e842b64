import { Annotations, App, IAspect, TerraformStack, Aspects } from "cdktf";
import { IConstruct } from "constructs";
import { isUnknown, resourceViews, ResourceView } from "./resource-view";
import { suppressionsOn, suppressRule } from "../private/suppressions";
import { ValidationError } from "../private/validation";
import { AWS_RULES } from "./aws-rules";
import { KUBERNETES_RULES } from "./kubernetes-rules";
import {
  Finding,
  PolicyOptions,
  PolicyRule,
  ResolvedPolicyOptions,
  RuleContext,
  StackPolicyResult,
  SuppressedFinding,
} from "./types";

/** Every rule the engine runs, AWS first. */
export const POLICY_RULES: readonly PolicyRule[] = [...AWS_RULES, ...KUBERNETES_RULES];
const RULES_BY_ID = new Map(POLICY_RULES.map((r) => [r.id, r]));

const CHECKS = Symbol.for("eks-platform.policy.checks");
/** Stacks whose toTerraform() runs the checks already. */
const HOOKED = new WeakSet<TerraformStack>();

function resolveOptions(o: PolicyOptions = {}): ResolvedPolicyOptions {
  for (const id of o.disabledRules ?? []) unknownRule(id, "disabledRules");
  return {
    requireCpuLimits: o.requireCpuLimits ?? false,
    requireImageDigests: o.requireImageDigests ?? false,
    allowPublicEndpointWithAllowlist: o.allowPublicEndpointWithAllowlist ?? false,
    maxImdsHopLimit: o.maxImdsHopLimit ?? 1,
    allowReplicasWithHpa: o.allowReplicasWithHpa ?? false,
    minLogRetentionDays: o.minLogRetentionDays ?? 1,
    disabledRules: o.disabledRules ?? [],
  };
}

function unknownRule(id: string, where: string): void {
  if (!RULES_BY_ID.has(id))
    throw new ValidationError(
      `PolicyChecks: ${where} rule id "${id}" is not a rule; use one of ${[...RULES_BY_ID.keys()].join(", ")}`,
    );
}

/**
 * Policy checks at synth, cdk-nag style: every rule runs over every Terraform resource of each
 * stack once, when the stack synthesizes (a cdktf Aspect). Errors fail the synth with every
 * finding listed; warnings print as cdktf warnings. A finding on a construct (or below it) that
 * carries a suppression for the rule, with a written reason, is recorded as suppressed.
 *
 * ```ts
 * const app = new App();
 * new PlatformStack(app, "platform-dev", dev);
 * PolicyChecks.applyTo(app, { requireCpuLimits: false });
 * PolicyChecks.suppress(stack.cluster, "EKS2", "dev deploys from the office: endpoint allowlisted");
 * ```
 */
export class PolicyChecks implements IAspect {
  /**
   * Adds the checks to every stack of the app (stacks added later are covered too when
   * applyTo is called again). Returns the engine, whose `results` the plan report reads.
   */
  public static applyTo(app: App, options: PolicyOptions = {}): PolicyChecks {
    const existing = (app as any)[CHECKS] as PolicyChecks | undefined;
    if (existing && JSON.stringify(existing.options) !== JSON.stringify(resolveOptions(options)))
      throw new ValidationError(
        `PolicyChecks: applyTo(app) options ${JSON.stringify(options)} differ from those the app's checks already use (${JSON.stringify(existing.options)}); call applyTo once, with one set of options`,
      );
    const checks = existing ?? new PolicyChecks(options);
    if (!existing) Object.defineProperty(app, CHECKS, { value: checks, enumerable: false });
    // cdktf runs aspects per stack, from the stack down: an aspect on the App never runs.
    for (const stack of app.node.findAll().filter((c) => TerraformStack.isStack(c))) {
      if (!Aspects.of(stack).all.includes(checks)) Aspects.of(stack).add(checks);
    }
    return checks;
  }

  /** The engine applied to the app, if any. */
  public static of(app: App): PolicyChecks | undefined {
    return (app as any)[CHECKS];
  }

  /**
   * Suppresses a rule on a construct and everything below it. The reason is required and
   * appears in the plan report; put the call next to the code that makes the choice so it is
   * visible in review.
   */
  public static suppress(construct: IConstruct, ruleId: string, reason: string): void {
    unknownRule(ruleId, `suppress(${construct.node.path}):`);
    suppressRule(construct, ruleId, reason);
  }

  /**
   * Runs the rules over a stack without synthesizing it, and returns what they found (nothing
   * thrown, nothing annotated). For tests and tools.
   */
  public static evaluate(stack: TerraformStack, options: PolicyOptions = {}): StackPolicyResult {
    return new PolicyChecks(options).evaluate(stack);
  }

  public readonly options: ResolvedPolicyOptions;
  private readonly _results = new Map<string, StackPolicyResult>();
  private readonly annotated = new Set<string>();

  private constructor(options: PolicyOptions) {
    this.options = resolveOptions(options);
  }

  /** Results per stack name, in synth order; filled as each stack synthesizes. */
  public get results(): StackPolicyResult[] {
    return [...this._results.values()];
  }

  /**
   * Visits each stack before it synthesizes and hooks the checks onto its `toTerraform()`: they
   * then read the JSON the synth resolves anyway (one resolve of the stack, not two) and throw
   * before the stack's file is written.
   */
  public visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || HOOKED.has(node)) return;
    HOOKED.add(node);
    const synthesize = node.toTerraform.bind(node);
    node.toTerraform = () => {
      const json = synthesize();
      this.enforce(node, this.evaluate(node, json));
      return json;
    };
  }

  private enforce(node: TerraformStack, result: StackPolicyResult): void {
    this._results.set(result.stack, result);
    const byPath = new Map(result.resources.map((r) => [r.path, r.construct]));
    for (const f of result.findings.filter((f) => f.severity === "warning")) {
      if (this.annotated.has(f.message)) continue; // toTerraform() may run more than once
      this.annotated.add(f.message);
      Annotations.of(byPath.get(f.path) ?? node).addWarning(`[policy] ${f.message}`);
    }
    const errors = result.findings.filter((f) => f.severity === "error");
    if (errors.length) {
      throw new ValidationError(
        `Policy checks failed for stack ${result.stack}: ${errors.length} error(s)\n` +
          errors.map((f) => `  - ${f.message}`).join("\n") +
          "\nFix each resource, or suppress the rule on its construct with PolicyChecks.suppress(construct, ruleId, reason).",
      );
    }
  }

  private evaluate(stack: TerraformStack, json: any = stack.toTerraform()): StackPolicyResult {
    const resources = resourceViews(stack, json);
    const byType = new Map<string, ResourceView[]>();
    const byAddress = new Map<string, ResourceView>();
    for (const r of resources) {
      byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
      byAddress.set(r.address, r);
    }
    const ctx: RuleContext = {
      resources,
      options: this.options,
      ofType: (...types) => types.flatMap((t) => byType.get(t) ?? []),
      byAddress: (a) => byAddress.get(a),
    };
    const findings: Finding[] = [];
    const suppressed: SuppressedFinding[] = [];
    for (const rule of POLICY_RULES) {
      if (this.options.disabledRules.includes(rule.id)) continue;
      for (const violation of rule.check(ctx)) {
        const r = violation.resource;
        const severity = violation.severity ?? rule.severity;
        const finding: Finding = {
          ruleId: rule.id,
          severity,
          title: rule.title,
          address: r.address,
          path: r.path,
          message: `${rule.id} (${severity}) ${r.address} [${r.path}]: ${violation.problem}; ${violation.fix}`,
        };
        const s = suppressionFor(r.construct, rule.id);
        if (s) suppressed.push({ ...finding, reason: s.reason, suppressedAt: s.at });
        else findings.push(finding);
      }
    }
    return { stack: stack.node.id, region: awsRegion(stack), resources, findings, suppressed };
  }
}

/** The nearest suppression of the rule on the construct or one of its scopes. */
function suppressionFor(construct: IConstruct, ruleId: string): { reason: string; at: string } | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const s = suppressionsOn(scope).find((x) => x.ruleId === ruleId);
    if (s) return { reason: s.reason, at: scope.node.path };
  }
  return undefined;
}

/** The region of the stack's (default) AWS provider. */
function awsRegion(stack: TerraformStack): string | undefined {
  for (const c of stack.node.children) {
    const p = c as { terraformResourceType?: string; region?: string; alias?: string };
    if (p.terraformResourceType === "aws" && !p.alias && typeof p.region === "string" && !isUnknown(p.region))
      return p.region;
  }
  return undefined;
}
