import { IConstruct } from "constructs";
import { ValidationError } from "./validation";

// The suppression record a construct leaves for the policy engine (constructs/policy/), kept
// apart from the engine so a construct that opts out of a rule doesn't import the rules.
// PolicyChecks.suppress is the public entry (it also checks the rule id); the engine reads the
// records back with suppressionsOn. The symbol is global so two copies of the package agree.
const SUPPRESSIONS = Symbol.for("eks-platform.policy.suppressions");

/** One rule opted out of on a construct and everything below it, with the reason the report shows. */
export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
}

/** Records a suppression of `ruleId` on `construct`; the reason is required (it is what the review reads). */
export function suppressRule(construct: IConstruct, ruleId: string, reason: string): void {
  if (typeof reason !== "string" || reason.trim().length === 0)
    throw new ValidationError(
      `PolicyChecks: suppress(${construct.node.path}, "${ruleId}") reason ${JSON.stringify(reason)} is empty; say why the finding is acceptable here`,
    );
  const list: Suppression[] = ((construct as unknown as Record<symbol, Suppression[]>)[SUPPRESSIONS] ??= []);
  list.push({ ruleId, reason: reason.trim() });
}

/** The suppressions recorded on `construct` itself (not its scopes). */
export function suppressionsOn(construct: IConstruct): readonly Suppression[] {
  return (construct as unknown as Record<symbol, Suppression[] | undefined>)[SUPPRESSIONS] ?? [];
}
