// The public policy API: the checks, their options, rules and results (named, see eks/index.ts).
export { PolicyChecks, POLICY_RULES } from "./policy-checks";
export type {
  Finding,
  PeerIds,
  PolicyOptions,
  PolicyRule,
  ResolvedPolicyOptions,
  RuleContext,
  Severity,
  StackPolicyResult,
  SuppressedFinding,
  Violation,
} from "./types";
