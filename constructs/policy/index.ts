export * from "./types";
export { PolicyChecks, POLICY_RULES } from "./policy-checks";
