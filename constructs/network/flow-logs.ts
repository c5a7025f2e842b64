import { Construct } from "constructs";
import { Fn } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LogEncryptionKey } from "../core/log-encryption-key";
import { DEFAULT_REMOVAL_POLICY, RemovalPolicy } from "../core/removal-policy";
import { partitionOf } from "../private/partition";
import { checkKmsKeyArn, checkLogRetention, checkSameRegion, describe, fail } from "../private/validation";
import { suppressRule } from "../private/suppressions";

export type FlowLogTrafficType = "ALL" | "ACCEPT" | "REJECT";

/** What the delivery role may do on its own log group. */
export const FLOW_LOG_DELIVERY_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"];

export interface FlowLogsOptions {
  /**
   * Days CloudWatch Logs keeps flow records (0 = never expire).
   * @default 365 - a year, what most audit baselines (CIS, checkov CKV_AWS_338) ask for
   */
  readonly retentionInDays?: number;
  /** @default "ALL" */
  readonly trafficType?: FlowLogTrafficType;
  /**
   * Seconds over which records are aggregated: 60 or 600.
   * @default 600 - cheaper; 60 for faster incident response
   */
  readonly maxAggregationInterval?: 60 | 600;
  /**
   * Your own KMS key ARN to encrypt the log group with, instead of the key created for it. Its
   * key policy must allow the CloudWatch Logs service principal (logs.<region>.amazonaws.com)
   * to use it, or the log group can't be created.
   * @default - a key created for the flow logs (see createKmsKey)
   */
  readonly kmsKeyArn?: string;
  /**
   * Create a customer-managed KMS key for the log group (rotation on, 30-day deletion window,
   * usable by CloudWatch Logs of this region for this log group only, kept like the log group
   * by `removalPolicy`). `false` leaves the group with CloudWatch Logs' own encryption, which
   * policy scanners report (checkov CKV_AWS_158, trivy AWS-0017). Turning it on for an existing
   * group associates the key in place.
   * @default true (unless kmsKeyArn is given)
   */
  readonly createKmsKey?: boolean;
  /**
   * What `cdktf destroy` does to the log group. The group's name carries a unique suffix
   * (`/aws/vpc/flow-logs/<name>-<suffix>`), so a retained group never blocks the next deploy.
   * @default "retain" - the group and its records stay in AWS (Terraform forgets it)
   */
  readonly removalPolicy?: RemovalPolicy;
}

export interface VpcFlowLogsProps extends FlowLogsOptions {
  /** Used in the log group and role names. */
  readonly name: string;
  /** Region of the VPC: scopes the role's trust and permissions. */
  readonly region: string;
  readonly vpcId: string;
  readonly tags?: Record<string, string>;
}

/** VPC flow logs to a CloudWatch log group with set retention, and the least-privilege role delivering them. */
export class VpcFlowLogs extends Construct {
  public readonly logGroup: CloudwatchLogGroup;
  public readonly role: IamRole;
  public readonly flowLog: FlowLog;
  public readonly logGroupName: string;
  public readonly retentionInDays: number;
  public readonly trafficType: FlowLogTrafficType;
  public readonly removalPolicy: RemovalPolicy;
  /** The key created for the log group (undefined with kmsKeyArn or createKmsKey: false). */
  public readonly kmsKey?: LogEncryptionKey;
  /** The key the log group is encrypted with, if any. */
  public readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    const where = describe("VpcFlowLogs", id);
    this.retentionInDays = props.retentionInDays ?? 365;
    this.trafficType = props.trafficType ?? "ALL";
    this.removalPolicy = props.removalPolicy ?? DEFAULT_REMOVAL_POLICY;
    const interval = props.maxAggregationInterval ?? 600;
    checkLogRetention(where, "retentionInDays", this.retentionInDays);
    checkKmsKeyArn(
      where,
      "kmsKeyArn",
      props.kmsKeyArn,
      "use arn:aws:kms:<region>:<12-digit account>:key/<key id> of a key whose policy lets CloudWatch Logs use it",
    );
    if (!["ALL", "ACCEPT", "REJECT"].includes(this.trafficType)) {
      fail(where, "trafficType", this.trafficType, "is not a flow log traffic type", 'use "ALL", "ACCEPT" or "REJECT"');
    }
    if (interval !== 60 && interval !== 600) {
      fail(
        where,
        "maxAggregationInterval",
        interval,
        "is not an interval VPC flow logs accept",
        "use 60 or 600 (seconds)",
      );
    }

    checkSameRegion(
      where,
      "kmsKeyArn",
      props.kmsKeyArn,
      props.region,
      "CloudWatch Logs only uses keys of its own region,",
    );
    if (props.kmsKeyArn !== undefined && props.createKmsKey === true) {
      fail(
        where,
        "createKmsKey",
        true,
        "can't be given together with kmsKeyArn",
        "remove one: kmsKeyArn uses your key, createKmsKey creates one",
      );
    }
    const partition = partitionOf(props.region);
    this.role = new IamRole(this, "role", {
      namePrefix: `${props.name}-flow-logs-`.slice(0, 38),
      description: `Delivers VPC flow logs of ${props.name} to CloudWatch Logs`,
      // Only flow logs of this region may assume it (confused-deputy guard without an account lookup).
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { ArnLike: { "aws:SourceArn": `arn:${partition}:ec2:${props.region}:*:vpc-flow-log/*` } },
          },
        ],
      }),
      tags: props.tags,
    });

    const namePrefix = `/aws/vpc/flow-logs/${props.name}-`;
    if (props.kmsKeyArn === undefined && (props.createKmsKey ?? true)) {
      this.kmsKey = new LogEncryptionKey(this, "kms-key", {
        description: `Encrypts the VPC flow logs of ${props.name} in CloudWatch Logs`,
        region: props.region,
        // The account id comes from the role's ARN at apply time: nothing is looked up at plan time.
        accountArn: this.role.arn,
        logGroupName: `${namePrefix}*`,
        removalPolicy: this.removalPolicy,
        tags: props.tags,
      });
    }
    this.kmsKeyArn = props.kmsKeyArn ?? this.kmsKey?.keyArn;

    // A prefix, not a fixed name: a retained group from an earlier deploy (or another
    // stack with the same network name) would otherwise fail the create.
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      namePrefix,
      retentionInDays: this.retentionInDays,
      kmsKeyId: this.kmsKeyArn,
      // retain: destroy leaves the group (and the evidence in it) in AWS.
      skipDestroy: this.removalPolicy === "retain",
      tags: props.tags,
    });
    if (this.kmsKeyArn === undefined) {
      suppressRule(
        this.logGroup,
        "LOG2",
        "createKmsKey: false was chosen: CloudWatch Logs encrypts flow logs at rest with AWS-owned keys; pass kmsKeyArn or keep the created key where a customer key is required",
      );
    }
    this.logGroupName = this.logGroup.name;

    // Writes only to this log group. DescribeLogGroups is a list call that IAM can only
    // scope to log-group:* (of this region).
    const rolePolicy = new IamRolePolicy(this, "role-policy", {
      role: this.role.id,
      name: "deliver-to-log-group",
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "Deliver",
            Effect: "Allow",
            Action: FLOW_LOG_DELIVERY_ACTIONS,
            Resource: [this.logGroup.arn, `${this.logGroup.arn}:*`],
          },
          {
            Sid: "FindLogGroup",
            Effect: "Allow",
            Action: ["logs:DescribeLogGroups"],
            Resource: `arn:${partition}:logs:${props.region}:*:log-group:*`,
          },
        ],
      }),
    });

    this.flowLog = new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType: this.trafficType,
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: this.role.arn,
      maxAggregationInterval: interval,
      tags: { ...props.tags, Name: `${props.name}-flow-logs` },
      // The flow log starts delivering as soon as it exists: its role must already be allowed
      // to write, or the first records are dropped and the flow log reports an access error.
      dependsOn: [rolePolicy],
    });
  }
}
