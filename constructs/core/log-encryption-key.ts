import { Construct } from "constructs";
import { Fn } from "cdktf";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { partitionOf } from "../private/partition";
import { RemovalPolicy } from "./removal-policy";

/** What CloudWatch Logs needs on a key to encrypt and read a log group's data. */
export const CLOUDWATCH_LOGS_KEY_ACTIONS = [
  "kms:Encrypt*",
  "kms:Decrypt*",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:Describe*",
];

/**
 * The account id in any ARN the stack creates (arn:<partition>:<service>:<region>:<account>:...),
 * known at apply time: no aws_caller_identity data source, so plans stay offline.
 */
export function accountIdOf(arn: string): string {
  return Fn.element(Fn.split(":", arn), 4) as string;
}

export interface LogEncryptionKeyProps {
  /** What the key protects, for its description. */
  readonly description: string;
  /** Region of the log group(s): only CloudWatch Logs of this region may use the key. */
  readonly region: string;
  /**
   * Any ARN of a resource in the account, usually a role the same stack creates: the account id
   * is taken from it at apply time.
   */
  readonly accountArn: string;
  /**
   * Name of the log group the key may encrypt; may end in "*" for a name prefix. Scopes
   * CloudWatch Logs' use by the `kms:EncryptionContext:aws:logs:arn` condition.
   */
  readonly logGroupName: string;
  /**
   * `retain`: Terraform refuses to delete the key (`prevent_destroy`), because the log
   * groups it encrypts are kept on destroy and would be unreadable without it.
   */
  readonly removalPolicy: RemovalPolicy;
  /** @default - from the region */
  readonly partition?: string;
  /** @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * A customer-managed KMS key for CloudWatch log groups: yearly rotation, the longest deletion
 * window, and a key policy that (1) keeps the account in charge of the key (the default key
 * policy statement: IAM policies of the account decide, so the key never becomes unmanageable)
 * and (2) lets CloudWatch Logs of one region use it for the named log group(s) only.
 */
export class LogEncryptionKey extends Construct {
  public readonly key: KmsKey;
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, props: LogEncryptionKeyProps) {
    super(scope, id);
    const partition = props.partition ?? partitionOf(props.region);
    const account = accountIdOf(props.accountArn);
    this.key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      // The longest window: a key deleted by mistake can be restored for 30 days.
      deletionWindowInDays: 30,
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AccountAdministersTheKey",
            Effect: "Allow",
            Principal: { AWS: `arn:${partition}:iam::${account}:root` },
            Action: "kms:*",
            Resource: "*",
          },
          {
            Sid: "CloudWatchLogsUsesTheKey",
            Effect: "Allow",
            Principal: { Service: `logs.${props.region}.amazonaws.com` },
            Action: CLOUDWATCH_LOGS_KEY_ACTIONS,
            Resource: "*",
            Condition: {
              ArnLike: {
                "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${props.region}:${account}:log-group:${props.logGroupName}`,
              },
            },
          },
        ],
      }),
      lifecycle: props.removalPolicy === "retain" ? { preventDestroy: true } : undefined,
      tags: props.tags,
    });
    this.keyArn = this.key.arn;
  }
}
