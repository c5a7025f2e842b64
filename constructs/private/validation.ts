import { Token } from "cdktf";
import type { IConstruct } from "constructs";

/**
 * Thrown for bad construct input at synth time. The message always names the
 * construct, the field, the bad value and what would be valid, so a user can fix
 * it without reading our code or waiting for Terraform to fail mid-apply.
 */
export class ValidationError extends Error {
  /** The construct, as `describe` names it ("Network 'main'"), when the error came from `fail`. */
  public readonly where?: string;
  /** The field that holds the bad value, when the error came from `fail`. */
  public readonly field?: string;

  constructor(message: string, details: { where?: string; field?: string } = {}) {
    super(message);
    this.name = "ValidationError";
    this.where = details.where;
    this.field = details.field;
  }
}

/** Renders a value for an error message: strings quoted, arrays and objects as JSON. */
export function show(value: unknown): string {
  if (typeof value === "string") return `"${value}"`;
  if (value === undefined) return "undefined";
  return JSON.stringify(value);
}

/**
 * Throws a ValidationError shaped as
 * `<Kind> '<id>': <field> <show(value)> <problem>; <fix>`.
 */
export function fail(where: string, field: string, value: unknown, problem: string, fix: string): never {
  throw new ValidationError(`${where}: ${field} ${show(value)} ${problem}; ${fix}`, { where, field });
}

/** "Network 'main'" – how every message names its construct. */
export function describe(kind: string, id: string): string {
  return `${kind} '${id}'`;
}

/**
 * Markers cdktf puts in place of a whole list ("#{TfToken[...]}") or map ("&{TfToken[...]}") that
 * is only known at apply (a Terraform variable, another stack's output): a list from
 * `variable.listValue` is ["#{TfToken[TOKEN.1]}"], whose element `Token.isUnresolved` doesn't see.
 */
const COLLECTION_TOKEN = /[#&]\{TfToken\[/;

/**
 * True when a value is only known at apply time (a Terraform reference) and so can't be checked
 * here: a string or number token, an element of a list or map token, or a list or map token itself.
 * The one check every construct uses before validating a value.
 */
export function isToken(value: unknown): boolean {
  if (typeof value === "string") return Token.isUnresolved(value) || COLLECTION_TOKEN.test(value);
  if (typeof value === "number") return Token.isUnresolved(value);
  if (Array.isArray(value))
    return (
      Token.isUnresolved(value) || value.some((v) => isToken(v) && typeof v === "string" && COLLECTION_TOKEN.test(v))
    );
  if (value !== null && typeof value === "object")
    return Token.isUnresolved(value) || Object.keys(value).some((k) => COLLECTION_TOKEN.test(k));
  return false;
}

/**
 * For values that must be literals (they decide construct ids or a layout computed at synth):
 * throws, naming the value as only known at apply, when `value` (or any element) is a token.
 */
export function checkLiteral(where: string, field: string, value: unknown, why: string, fix: string): void {
  const unresolved = isToken(value) || (Array.isArray(value) && value.some((v) => isToken(v)));
  if (unresolved) fail(where, field, renderToken(value), `is only known at apply time, but ${why}`, fix);
}

/** How a token shows in an error: what the user passed, not cdktf's internal marker. */
function renderToken(value: unknown): string {
  return Array.isArray(value) ? "<a list only known at apply time>" : "<a value only known at apply time>";
}

/** Finds the entries that occur more than once, in first-seen order. */
export function duplicatesOf<T>(values: readonly T[]): T[] {
  const seen = new Set<T>();
  const dups = new Set<T>();
  for (const v of values) (seen.has(v) ? dups : seen).add(v);
  return [...dups];
}

/** Checks an integer lies in [min, max]. */
export function checkInteger(where: string, field: string, value: number, min: number, max: number): void {
  if (isToken(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(where, field, value, "is out of range", `use a whole number from ${min} to ${max}`);
  }
}

/** CloudWatch Logs accepts only these retention periods (days); 0 means never expire. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export function checkLogRetention(where: string, field: string, days: number): void {
  if (isToken(days)) return;
  if (days !== 0 && !(LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
    fail(
      where,
      field,
      days,
      "is not a retention period CloudWatch Logs accepts",
      `use 0 (never expire) or one of ${LOG_RETENTION_DAYS.join(", ")}`,
    );
  }
}

/** EKS cluster names: 1-100 characters, start with a letter or digit, then letters, digits, hyphens, underscores. */
export const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

export function checkClusterName(where: string, field: string, name: string): void {
  if (isToken(name)) return;
  if (!EKS_CLUSTER_NAME.test(name)) {
    fail(
      where,
      field,
      name,
      "is not a valid EKS cluster name",
      "use 1 to 100 characters: letters, digits, hyphens and underscores, starting with a letter or digit",
    );
  }
}

/** 12-digit AWS account ids. */
export function checkAccountId(where: string, field: string, id: string): void {
  if (isToken(id)) return;
  if (!/^\d{12}$/.test(id))
    fail(where, field, id, "is not an AWS account id", 'use the 12-digit account number, e.g. "123456789012"');
}

/**
 * KMS key ARNs (not alias ARNs: services store the key ARN, so an alias would differ on
 * every plan and, where the key forces replacement, replace the resource each deploy).
 */
export const KMS_KEY_ARN = /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** Checks a KMS key ARN; `fix` says what to give instead, in the words of the caller's field. */
export function checkKmsKeyArn(where: string, field: string, arn: string | undefined, fix: string): void {
  if (arn === undefined || isToken(arn)) return;
  if (!KMS_KEY_ARN.test(arn)) fail(where, field, arn, "is not a KMS key ARN", fix);
}

/**
 * Checks a value against a closed set of strings; a value that only differs in case gets a
 * "did you mean" (EKS and IAM enums are case-sensitive: "spot" is not "SPOT").
 */
export function checkOneOf<T extends string>(
  where: string,
  field: string,
  value: string,
  allowed: readonly T[],
  what: string,
): asserts value is T {
  if (isToken(value) || (allowed as readonly string[]).includes(value)) return;
  const sameButCase = allowed.find((a) => typeof value === "string" && a.toLowerCase() === value.toLowerCase());
  fail(
    where,
    field,
    value,
    sameButCase ? `is not ${what} (values are case-sensitive)` : `is not ${what}`,
    sameButCase ? `use "${sameButCase}"` : `use one of ${allowed.join(", ")}`,
  );
}

/** IAM managed policy ARNs: customer-managed (12-digit account) or AWS managed ("aws"). */
export const IAM_POLICY_ARN = /^arn:aws(-cn|-us-gov)?:iam::(\d{12}|aws):policy\/[\w+=,.@\-/]+$/;

/** Checks an IAM policy ARN (e.g. a permissions boundary, which must be a managed policy). */
export function checkPolicyArn(where: string, field: string, arn: string | undefined): void {
  if (arn === undefined || isToken(arn)) return;
  if (!IAM_POLICY_ARN.test(arn))
    fail(
      where,
      field,
      arn,
      "is not an IAM managed policy ARN",
      "use arn:aws:iam::<12-digit account>:policy/<name> (or arn:aws:iam::aws:policy/<name>)",
    );
}

/** The region of a regional ARN (arn:<partition>:<service>:<region>:...), or undefined for tokens and global ARNs. */
export function regionOfArn(arn: string | undefined): string | undefined {
  if (arn === undefined || isToken(arn)) return undefined;
  return arn.split(":")[3] || undefined;
}

/** Refuses a regional ARN (a KMS key, a secret) of another region than the resource that uses it. */
export function checkSameRegion(
  where: string,
  field: string,
  arn: string | undefined,
  region: string,
  why: string,
): void {
  const arnRegion = regionOfArn(arn);
  if (arnRegion === undefined || isToken(region) || arnRegion === region) return;
  fail(where, field, arn, `is in ${arnRegion}, but ${why} ${region}`, `use a key in ${region}`);
}

/** IAM role/user ARNs (any partition). */
export const IAM_PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@\-/]+$/;

export function checkPrincipalArn(where: string, field: string, arn: string): void {
  if (isToken(arn)) return;
  if (!IAM_PRINCIPAL_ARN.test(arn)) {
    fail(
      where,
      field,
      arn,
      "is not an IAM role or user ARN",
      "use arn:aws:iam::<12-digit account>:role/<name> or :user/<name>",
    );
  }
}

/**
 * Runs `check` at synth, when every construct of the stack exists (checks across a namespace's
 * workloads, or against a controller registered later). Bad input it finds (a ValidationError) is
 * reported the way cdktf reports every validation: with the construct's path, which starts with the
 * stack's name, and together with every other failed check of the stack, so one synth shows them all.
 */
export function addSynthCheck(scope: IConstruct, check: () => void): void {
  scope.node.addValidation({
    validate: () => {
      try {
        check();
        return [];
      } catch (error) {
        if (error instanceof ValidationError) return [error.message];
        throw error;
      }
    },
  });
}
