import { fail, isToken } from "./validation";

/** ECR's repository name grammar. */
export const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function checkRepositoryName(where: string, field: string, name: string): void {
  if (isToken(name)) return;
  if (typeof name !== "string" || name.length < 2 || name.length > 256 || !REPOSITORY_NAME.test(name)) {
    fail(
      where,
      field,
      name,
      "is not a valid ECR repository name",
      'use 2 to 256 characters: lowercase letters and digits, separated by single . _ or -, with / between path segments (e.g. "shop/api")',
    );
  }
}

/**
 * The construct id for a repository, derived from its name alone so that the Terraform
 * address doesn't depend on declaration order: reordering or adding repositories never
 * replaces an existing one. Injective: `--` can't occur in a valid name.
 */
export function repositoryConstructId(name: string): string {
  return name.replace(/\//g, "--");
}
