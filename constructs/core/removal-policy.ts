import { fail } from "../private/validation";

/**
 * What happens to a stateful resource (registry, log group, key) when it leaves the
 * configuration or the stack is destroyed. One typed switch used by every construct
 * that owns data, so the opt-out is a visible word in the code, never a buried flag.
 *
 * - `retain` (the default everywhere): Terraform refuses to delete it (`prevent_destroy`)
 *   or, for CloudWatch log groups, forgets it on destroy and leaves it in AWS (`skip_destroy`).
 * - `destroy`: deleted with the stack, data and all. For throwaway environments.
 */
export type RemovalPolicy = "retain" | "destroy";

export const DEFAULT_REMOVAL_POLICY: RemovalPolicy = "retain";

/** Checks a removal policy given from untyped config; `fix` is the caller's wording of the choices. */
export function checkRemovalPolicy(where: string, field: string, policy: string, fix: string): void {
  if (policy !== "retain" && policy !== "destroy") fail(where, field, policy, "is not a removal policy", fix);
}
