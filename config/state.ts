// Where Terraform keeps each stack's state: part of an environment's config, read by
// configureState (stacks/state.ts), which also applies the PLATFORM_STATE_* overrides.

/** Local state files next to the synthesized stacks (cdktf's default): no setup, one machine. */
export interface LocalStateConfig {
  readonly backend: "local";
}

/**
 * State in an S3 bucket that already exists (versioning on, public access blocked: create it
 * once, outside these stacks). Encrypted at rest, locked with Terraform's native S3 lock
 * file (`use_lockfile`, Terraform >= 1.10: no DynamoDB table), one key per stack:
 * `<keyPrefix>/<stack id>.tfstate`, e.g. `eks-platform/platform-dev.tfstate`.
 */
export interface S3StateConfig {
  readonly backend: "s3";
  /** The bucket name. */
  readonly bucket: string;
  /** The bucket's region. */
  readonly region: string;
  /**
   * Prefix of every state key, without leading or trailing "/".
   * @default "eks-platform"
   */
  readonly keyPrefix?: string;
  /**
   * A KMS key to encrypt the state objects with (SSE-KMS).
   * @default - SSE-S3 (the bucket's AES256 encryption)
   */
  readonly kmsKeyArn?: string;
}

/** Where Terraform keeps a stack's state. */
export type StateConfig = LocalStateConfig | S3StateConfig;
