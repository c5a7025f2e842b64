import { Construct, IConstruct } from "constructs";
import { Lazy, TerraformStack } from "cdktf";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { checkInteger, describe, fail, isToken } from "../private/validation";
import { contextOf } from "../private/context";

/** The operating system family of a node AMI; decides the disk layout. */
export type NodeOsFamily = "al2023" | "bottlerocket";

/** Root/data volume size limits (GiB). Below 20 GiB image pulls fill the disk fast; 16 TiB is the gp3 maximum. */
export const NODE_VOLUME_SIZE_MIN = 20;
export const NODE_VOLUME_SIZE_MAX = 16384;
export const DEFAULT_NODE_VOLUME_SIZE = 50;

export const DEFAULT_HOP_LIMIT = 1;

export interface NodeLaunchTemplateOptions {
  /**
   * Size in GiB of the volume that holds container images and ephemeral storage
   * (the root volume /dev/xvda on AL2023, the data volume /dev/xvdb on Bottlerocket).
   * Always gp3 and encrypted.
   * @default 50
   */
  readonly volumeSize?: number;
  /**
   * KMS key ARN for the node volumes. The key policy must let the
   * AWSServiceRoleForAutoScaling role use it, or instances fail to launch.
   * @default the account's AWS managed key for EBS (aws/ebs)
   */
  readonly volumeKmsKeyArn?: string;
  /**
   * IMDSv2 PUT response hop limit, 1 to 64. 1 (the default) means a pod (one network
   * hop further than the node) can't reach the instance metadata service and so
   * can't take the node role's credentials; give pods AWS access with IRSA or EKS
   * Pod Identity instead. Use 2 only for pods that really need IMDS (some older
   * agents that read the instance identity).
   * @default 1
   */
  readonly httpPutResponseHopLimit?: number;
}

export interface NodeLaunchTemplateProps extends NodeLaunchTemplateOptions {
  readonly osFamily: NodeOsFamily;
  /** Name prefix of the launch template (Terraform appends a unique suffix). */
  readonly namePrefix: string;
  /**
   * Tags put on the instances, volumes and network interfaces the template launches, on top of
   * the default_tags of the stack's AWS provider (read at synth).
   */
  readonly resourceTags: Record<string, string>;
  /** Tags of the launch template itself. */
  readonly tags?: Record<string, string>;
}

/** What a node's launch creates and tags: the instance, its EBS volumes and its network interfaces. */
export const LAUNCHED_RESOURCE_TYPES = ["instance", "volume", "network-interface"] as const;

/** The default_tags of the stack's default (un-aliased) AWS provider; {} when there is none or they are tokens. */
export function providerDefaultTags(scope: IConstruct): Record<string, string> {
  const provider = TerraformStack.of(scope)
    .node.findAll()
    .find((c): c is AwsProvider => c instanceof AwsProvider && c.alias === undefined);
  const defaultTags = provider?.defaultTags;
  if (!Array.isArray(defaultTags)) return {};
  return Object.assign({}, ...defaultTags.map((d) => (d.tags && typeof d.tags === "object" ? d.tags : {}))) as Record<
    string,
    string
  >;
}

/**
 * The EC2 launch template of a managed node group: IMDSv2 required with a hop
 * limit that keeps pods away from node credentials, encrypted gp3 volumes and tags
 * on instances and volumes. Instance types and the AMI stay on the node group so
 * EKS keeps choosing and updating the AMI.
 */
export class NodeLaunchTemplate extends Construct {
  public readonly volumeSize: number;
  public readonly volumeKmsKeyArn?: string;
  public readonly httpPutResponseHopLimit: number;
  /** The aws_launch_template resource. */
  public readonly launchTemplate: LaunchTemplate;
  public readonly launchTemplateId: string;
  /** Latest version number; node groups roll their nodes when it changes. */
  public readonly latestVersion: number;

  constructor(scope: Construct, id: string, props: NodeLaunchTemplateProps) {
    super(scope, id);
    // A node group's template is named after the node group (what the user configured).
    const where = contextOf(scope) ?? describe("NodeLaunchTemplate", id);
    this.volumeSize = props.volumeSize ?? DEFAULT_NODE_VOLUME_SIZE;
    this.volumeKmsKeyArn = props.volumeKmsKeyArn;
    this.httpPutResponseHopLimit = props.httpPutResponseHopLimit ?? DEFAULT_HOP_LIMIT;

    checkInteger(where, "volumeSize", this.volumeSize, NODE_VOLUME_SIZE_MIN, NODE_VOLUME_SIZE_MAX);
    checkInteger(where, "httpPutResponseHopLimit", this.httpPutResponseHopLimit, 1, 64);
    if (
      this.volumeKmsKeyArn !== undefined &&
      !isToken(this.volumeKmsKeyArn) &&
      !/^arn:aws[\w-]*:kms:[\w-]+:\d{12}:(key|alias)\/.+$/.test(this.volumeKmsKeyArn)
    ) {
      fail(
        where,
        "volumeKmsKeyArn",
        this.volumeKmsKeyArn,
        "is not a KMS key ARN",
        "use arn:aws:kms:<region>:<account>:key/<key id>",
      );
    }

    const ebs = (volumeSize?: number) => ({
      volumeType: "gp3",
      volumeSize,
      encrypted: "true",
      kmsKeyId: this.volumeKmsKeyArn,
      deleteOnTermination: "true",
    });
    // AL2023 keeps everything on /dev/xvda. Bottlerocket boots from a small OS volume
    // (/dev/xvda, left at the AMI's size but still encrypted) and keeps images and
    // ephemeral storage on the data volume /dev/xvdb, which is the one to size.
    const blockDeviceMappings =
      props.osFamily === "bottlerocket"
        ? [
            { deviceName: "/dev/xvda", ebs: ebs(undefined) },
            { deviceName: "/dev/xvdb", ebs: ebs(this.volumeSize) },
          ]
        : [{ deviceName: "/dev/xvda", ebs: ebs(this.volumeSize) }];

    this.launchTemplate = new LaunchTemplate(this, "template", {
      namePrefix: props.namePrefix,
      description: "EKS managed node group nodes: IMDSv2 only, encrypted gp3 volumes",
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: this.httpPutResponseHopLimit,
      },
      blockDeviceMappings,
      // The provider's default_tags reach the launch template resource but not what EC2 launches
      // from it, and EKS doesn't copy node group tags to instances: without these, nodes miss
      // cost allocation tags and accounts whose tag policies require tags on RunInstances
      // can't launch them. Lazy: the provider's tags are read at synth, wherever it was created.
      tagSpecifications: LAUNCHED_RESOURCE_TYPES.map((resourceType) => ({
        resourceType,
        tags: Lazy.anyValue({
          produce: () => ({ ...providerDefaultTags(this), ...props.resourceTags }),
        }) as unknown as Record<string, string>,
      })),
      tags: props.tags,
    });
    this.launchTemplateId = this.launchTemplate.id;
    this.latestVersion = this.launchTemplate.latestVersion;
  }
}
