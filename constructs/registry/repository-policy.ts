import { Fn, Token } from "cdktf";
import { checkAccountId, checkPrincipalArn } from "../private/validation";

/**
 * What pulling an image needs on the repository: read manifests, fetch layers, check layers.
 * Callers also need `ecr:GetAuthorizationToken` in their own IAM policy (see ECR_AUTH_ACTIONS).
 */
export const ECR_PULL_ACTIONS: readonly string[] = [
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchCheckLayerAvailability",
];

/** Pushing: the pull actions (docker checks existing layers) plus the layer upload and manifest write. */
export const ECR_PUSH_ACTIONS: readonly string[] = [
  ...ECR_PULL_ACTIONS,
  "ecr:PutImage",
  "ecr:InitiateLayerUpload",
  "ecr:UploadLayerPart",
  "ecr:CompleteLayerUpload",
];

/**
 * `docker login` to ECR. This is an IAM identity permission on resource "*", not a repository
 * permission: a repository policy can't grant it. Every puller and pusher (CI roles, other
 * accounts' roles) needs it in its own IAM policy; EKS node roles get it from
 * AmazonEC2ContainerRegistryReadOnly / AmazonEKSWorkerNodePolicy.
 */
export const ECR_AUTH_ACTIONS: readonly string[] = ["ecr:GetAuthorizationToken"];

/** Who may use a repository, as the repository policy grants it. */
export interface RepositoryAccess {
  /**
   * IAM role or user ARNs allowed to pull (Terraform references are fine). A single list token
   * (e.g. `Token.asList(...)`) is accepted too. Read when the repository is built: for a
   * cluster's node and Fargate roles use `grantPull(cluster)`, which reads them at synth.
   * @default []
   */
  readonly pullPrincipalArns?: string[];
  /**
   * Other AWS accounts (12-digit ids) allowed to pull. The grant is to the account: its
   * administrators then decide which of their roles may pull, through IAM (plus GetAuthorizationToken).
   * @default []
   */
  readonly pullAccountIds?: string[];
  /**
   * IAM role or user ARNs allowed to push (and pull): CI roles. They also need
   * `ecr:GetAuthorizationToken` in their own IAM policy (ECR_AUTH_ACTIONS).
   * @default []
   */
  readonly pushPrincipalArns?: string[];
}

/** The principals of one statement: literal/reference strings, plus whole list tokens. */
interface Principals {
  readonly items: string[];
  readonly lists: string[][];
}

function collect(lists: Array<string[] | undefined>): Principals {
  const items: string[] = [];
  const tokenLists: string[][] = [];
  for (const list of lists) {
    if (!list) continue;
    // A list-valued reference (one encoded element) must stay a list for concat().
    if (Token.isUnresolved(list)) {
      tokenLists.push(list);
      continue;
    }
    for (const item of list) if (!items.includes(item)) items.push(item);
  }
  return { items, lists: tokenLists };
}

function principalValue(p: Principals): unknown {
  if (p.lists.length === 0) return p.items;
  if (p.items.length === 0 && p.lists.length === 1) return p.lists[0];
  return Fn.concat([p.items, ...p.lists]);
}

/** True when a principal list is empty (no literal, no reference, no list token). */
function isEmpty(p: Principals): boolean {
  return p.items.length === 0 && p.lists.length === 0;
}

/** Checks every literal ARN and account id (references are checked by AWS at apply). */
export function checkRepositoryAccess(where: string, access: RepositoryAccess): void {
  literals(access.pullPrincipalArns).forEach((arn, i) => checkPrincipalArn(where, `pullPrincipalArns[${i}]`, arn));
  literals(access.pullAccountIds).forEach((id, i) => checkAccountId(where, `pullAccountIds[${i}]`, id));
  literals(access.pushPrincipalArns).forEach((arn, i) => checkPrincipalArn(where, `pushPrincipalArns[${i}]`, arn));
}

/** The elements of a list, or none when the whole list is a reference (known only at apply). */
function literals(list: string[] | undefined): string[] {
  return !list || Token.isUnresolved(list) ? [] : list;
}

/**
 * The repository policy for the given access, least privilege: pullers get ECR_PULL_ACTIONS,
 * pushers ECR_PUSH_ACTIONS, nothing else (no ecr:*, no delete, no policy changes).
 * Undefined when nobody is granted anything (then no policy resource should exist).
 */
export function repositoryPolicyDocument(
  access: RepositoryAccess,
  grantedPull: string[][] = [],
): Record<string, unknown> | undefined {
  // Account ids as bare 12-digit principals: the same as arn:<partition>:iam::<id>:root,
  // without guessing the partition.
  const pull = collect([access.pullPrincipalArns, ...grantedPull, access.pullAccountIds]);
  const push = collect([access.pushPrincipalArns]);
  const statements: Array<Record<string, unknown>> = [];
  if (!isEmpty(pull)) {
    statements.push({
      Sid: "AllowPull",
      Effect: "Allow",
      Principal: { AWS: principalValue(pull) },
      Action: [...ECR_PULL_ACTIONS],
    });
  }
  if (!isEmpty(push)) {
    statements.push({
      Sid: "AllowPushAndPull",
      Effect: "Allow",
      Principal: { AWS: principalValue(push) },
      Action: [...ECR_PUSH_ACTIONS],
    });
  }
  if (statements.length === 0) return undefined;
  return { Version: "2012-10-17", Statement: statements };
}

/** Deep check for Terraform references anywhere in a JSON-able value. */
export function containsToken(value: unknown): boolean {
  if (typeof value === "string" || typeof value === "number") return Token.isUnresolved(value);
  if (Array.isArray(value)) return Token.isUnresolved(value) || value.some(containsToken);
  if (value && typeof value === "object") return Token.isUnresolved(value) || Object.values(value).some(containsToken);
  return false;
}

/**
 * Renders a JSON document: plain JSON when every value is known at synth time (readable in
 * the synthesized stack and in plan diffs), Terraform's jsonencode() when it holds references.
 */
export function renderJson(document: unknown): string {
  return containsToken(document) ? Fn.jsonencode(document) : JSON.stringify(document);
}
