import { S3Backend, TerraformStack } from "cdktf";
import type { S3StateConfig, StateConfig } from "../config/state";
import { checkKmsKeyArn, describe, fail, isToken } from "../constructs/core/errors";

export type { LocalStateConfig, S3StateConfig, StateConfig } from "../config/state";

/**
 * Environment variables that choose S3 state without editing the config: PLATFORM_STATE_BUCKET
 * switches it on (over config.state), the others override the config's fields.
 */
export const STATE_ENV = {
  bucket: "PLATFORM_STATE_BUCKET",
  region: "PLATFORM_STATE_REGION",
  keyPrefix: "PLATFORM_STATE_KEY_PREFIX",
  kmsKeyArn: "PLATFORM_STATE_KMS_KEY_ARN",
} as const;

export const DEFAULT_STATE_KEY_PREFIX = "eks-platform";

/** What configureState reads from an environment's config. */
export interface StateSettings {
  /**
   * @default { backend: "local" }
   */
  readonly state?: StateConfig;
  /** The environment's region: the bucket's region when neither the config nor PLATFORM_STATE_REGION names one. */
  readonly region: string;
}

const BUCKET = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const KEY_PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;

/** The state config after the environment variables, validated. */
export function resolveState(
  where: string,
  settings: StateSettings,
  env: NodeJS.ProcessEnv = process.env,
): StateConfig {
  const configured = settings.state ?? { backend: "local" };
  // A plain string here: the config may come from JavaScript or JSON.
  const backend: string = configured.backend;
  if (backend !== "local" && backend !== "s3")
    fail(where, "state.backend", backend, "is not a state backend", 'use "local" or "s3"');
  const fromConfig = configured.backend === "s3" ? configured : undefined;
  const bucket = env[STATE_ENV.bucket] || fromConfig?.bucket;
  if (bucket === undefined) {
    for (const name of [STATE_ENV.region, STATE_ENV.keyPrefix, STATE_ENV.kmsKeyArn]) {
      if (env[name])
        fail(
          where,
          name,
          env[name],
          `is set but the state is local (no ${STATE_ENV.bucket} and no state.bucket in the config)`,
          `set ${STATE_ENV.bucket} to use S3 state, or unset ${name}`,
        );
    }
    return { backend: "local" };
  }
  const field = (name: keyof typeof STATE_ENV) => (env[STATE_ENV[name]] ? STATE_ENV[name] : `state.${name}`);
  const s3: S3StateConfig = {
    backend: "s3",
    bucket,
    region: env[STATE_ENV.region] || fromConfig?.region || settings.region,
    keyPrefix: env[STATE_ENV.keyPrefix] || fromConfig?.keyPrefix || DEFAULT_STATE_KEY_PREFIX,
    kmsKeyArn: env[STATE_ENV.kmsKeyArn] || fromConfig?.kmsKeyArn,
  };
  if (!isToken(s3.bucket) && !BUCKET.test(s3.bucket))
    fail(
      where,
      field("bucket"),
      s3.bucket,
      "is not an S3 bucket name",
      "use 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
    );
  if (!REGION.test(s3.region))
    fail(where, field("region"), s3.region, "is not an AWS region name", 'use the bucket\'s region, e.g. "eu-west-1"');
  if (!KEY_PREFIX.test(s3.keyPrefix!))
    fail(
      where,
      field("keyPrefix"),
      s3.keyPrefix,
      "is not a state key prefix",
      'use path segments of letters, digits and !_.*\'()- separated by single "/", without a leading or trailing "/", e.g. "teams/platform"',
    );
  checkKmsKeyArn(
    where,
    field("kmsKeyArn"),
    s3.kmsKeyArn,
    "use arn:aws:kms:<region>:<12-digit account>:key/<key id> (a key ARN, not an alias)",
  );
  return s3;
}

/**
 * Configures where `stack` keeps its state: nothing for local state (cdktf's default local
 * backend), else an S3 backend with encryption on, the native S3 lock file and the key
 * `<keyPrefix>/<stack id>.tfstate` (stack ids carry the environment: platform-dev,
 * workloads-prod). Call it from each stack's constructor. Stacks that read another stack's
 * outputs get a terraform_remote_state with this same backend from cdktf, so cross-stack
 * references work with both. Returns the S3 backend, or undefined for local state.
 */
export function configureState(
  stack: TerraformStack,
  settings: StateSettings,
  env: NodeJS.ProcessEnv = process.env,
): S3Backend | undefined {
  const state = resolveState(describe("Stack", stack.node.id), settings, env);
  if (state.backend === "local") return undefined;
  const backend = new S3Backend(stack, {
    bucket: state.bucket,
    key: `${state.keyPrefix}/${stack.node.id}.tfstate`,
    region: state.region,
    encrypt: true,
    kmsKeyId: state.kmsKeyArn,
  });
  // cdktf 0.21's S3BackendConfig has no useLockfile yet; Terraform >= 1.10 takes it.
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
  return backend;
}
