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
