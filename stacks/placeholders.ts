import { TerraformResource, TerraformStack, TerraformVariable } from "cdktf";

/** AWS's documentation account: example ARNs use it, and no real principal lives in it. */
export const DOCUMENTATION_ACCOUNT_ID = "123456789012";

/** The IPv4 documentation ranges (RFC 5737): no real client has these addresses. */
export const DOCUMENTATION_IPV4_PREFIXES: readonly string[] = ["192.0.2.", "198.51.100.", "203.0.113."];

/** The Terraform variable that lets a plan or deploy go ahead with the placeholders. */
export const ALLOW_PLACEHOLDERS_VARIABLE = "allow_documentation_placeholders";

/** A config value that is a documentation example, and where it is. */
export interface Placeholder {
  /** Path in the config, e.g. "cluster.admins[0]". */
  readonly field: string;
  readonly value: string;
}

function isPlaceholder(value: string): boolean {
  return (
    value === DOCUMENTATION_ACCOUNT_ID ||
    value.includes(`:${DOCUMENTATION_ACCOUNT_ID}:`) ||
    DOCUMENTATION_IPV4_PREFIXES.some((prefix) => value.startsWith(prefix))
  );
}

/** Every string in `config` (recursively) that is a documentation account principal or a documentation CIDR. */
export function findDocumentationPlaceholders(config: unknown, field = ""): Placeholder[] {
  if (typeof config === "string") return isPlaceholder(config) ? [{ field, value: config }] : [];
  if (Array.isArray(config)) return config.flatMap((item, i) => findDocumentationPlaceholders(item, `${field}[${i}]`));
  if (config && typeof config === "object")
    return Object.entries(config).flatMap(([key, value]) =>
      findDocumentationPlaceholders(value, field ? `${field}.${key}` : key),
    );
  return [];
}

/**
 * Makes a plan (so `cdktf diff` and `cdktf deploy`) of `stack` fail before anything is
 * created while its config still holds documentation placeholders: EKS and ECR reject
 * principals that don't exist, so such a deploy would otherwise stop half-way, after the
 * network and the cluster were created. The check is a lifecycle precondition on
 * `guarded` (the stack's first resource), evaluated at plan time, whose message names each
 * placeholder and its config field. Synth, tests and the offline plans keep working: the
 * Terraform variable `allow_documentation_placeholders` (default false) lets the plan
 * through. Adds nothing when the config holds no placeholder.
 */
export function guardDocumentationPlaceholders(
  stack: TerraformStack,
  config: unknown,
  guarded: TerraformResource,
  configFile = "config/environments.ts",
): Placeholder[] {
  const found = findDocumentationPlaceholders(config);
  if (found.length === 0) return found;
  const allow = new TerraformVariable(stack, ALLOW_PLACEHOLDERS_VARIABLE, {
    type: "bool",
    default: false,
    description:
      "Plan or deploy although the config still holds documentation placeholders (account 123456789012, documentation CIDRs). For tests only: AWS rejects those principals.",
  });
  const list = found.map((p) => `${p.field} "${p.value}"`).join(", ");
  guarded.lifecycle = {
    ...(guarded.lifecycle ?? {}),
    precondition: [
      ...(guarded.lifecycle?.precondition ?? []),
      {
        condition: allow.booleanValue,
        errorMessage:
          `Stack ${stack.node.id} still holds documentation placeholders from ${configFile}: ${list}. ` +
          `Replace each with your own value (your admin and CI roles, your egress CIDRs) before deploying: AWS rejects principals of the documentation account ${DOCUMENTATION_ACCOUNT_ID}. ` +
          `To plan anyway (tests), set the variable ${ALLOW_PLACEHOLDERS_VARIABLE}=true.`,
      },
    ],
  };
  return found;
}
