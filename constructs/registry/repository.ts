import { Construct, IConstruct } from "constructs";
import { Lazy, TerraformProvider, TerraformStack } from "cdktf";
import type { IEksCluster } from "../eks/types";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import { checkRemovalPolicy, DEFAULT_REMOVAL_POLICY, RemovalPolicy } from "../core/removal-policy";
import { checkRepositoryName, REPOSITORY_NAME } from "../private/repository-name";
import { checkRepositoryAccess, renderJson, repositoryPolicyDocument } from "./repository-policy";
import { renderImageReference } from "./image-reference";
import { checkAccountId, checkKmsKeyArn, describe, fail, isToken } from "../private/validation";
import { partitionOf } from "../private/partition";
import { ImageVersion } from "./image-reference";
import { DEFAULT_LIFECYCLE_RULES, LifecycleRule, lifecyclePolicyDocument, resolveLifecycleRules } from "./lifecycle";
import { RepositoryAccess } from "./repository-policy";
import { suppressRule } from "../private/suppressions";

/**
 * - `IMMUTABLE`: a pushed tag can never point at other bytes, so a tag in a manifest means one image forever.
 * - `MUTABLE`: tags can be overwritten (needed for floating tags like `main` or `latest`).
 */
export type TagMutability = "IMMUTABLE" | "MUTABLE";

/** Settings of one ECR repository; also the registry-wide `defaults` a Registry applies to each. */
export interface RepositoryOptions extends RepositoryAccess {
  /**
   * Whether tags can be overwritten once pushed.
   * @default "IMMUTABLE"
   */
  readonly imageTagMutability?: TagMutability;
  /**
   * Basic vulnerability scan of every pushed image. Ignored by AWS while a registry-level
   * scanning configuration (RegistrySettings `scanning`) exists: that one decides then.
   * @default true
   */
  readonly scanOnPush?: boolean;
  /**
   * Encrypt images with this customer-managed KMS key (`encryption_type = KMS`), e.g. to
   * control key access or rotation. Changing it replaces the repository (blocked while retained).
   * @default - AES256 with an ECR-managed key
   */
  readonly kmsKeyArn?: string;
  /**
   * What happens to the repository and its images on `cdktf destroy` or when it leaves the config.
   * `retain`: Terraform refuses to delete it (`prevent_destroy`) and AWS refuses to delete a
   * repository holding images (`force_delete = false`). `destroy`: deleted with all images.
   * @default "retain"
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Lifecycle rules, in evaluation order. `false` or `[]`: no lifecycle policy, images are
   * kept forever (explicit opt-out).
   * @default DEFAULT_LIFECYCLE_RULES - expire untagged after 14 days, keep the newest 100 tagged images
   */
  readonly lifecycleRules?: LifecycleRule[] | false;
  /**
   * Tags on the repository. In a Registry, merged over the defaults' tags (the one prop that merges).
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

export interface RepositoryProps extends RepositoryOptions {
  /**
   * The ECR repository name, e.g. "shop/api": 2-256 characters, lowercase letters, digits,
   * and `.`, `_`, `-` between them, `/` between path segments.
   */
  readonly name: string;
  /**
   * The AWS provider (account and region) to create it with.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * Who may pull, for `grantPull`: IAM role/user ARNs, or a cluster, whose node roles and
 * Fargate pod execution roles are read at synth (so compute added after the grant is included).
 */
export type PullGrantee = string | string[] | IEksCluster;

/** Where an existing repository lives, for Repository.fromRepositoryName. */
export interface RepositoryLocation {
  /** The 12-digit account id the repository is in. */
  readonly accountId: string;
  /** Its region, e.g. "eu-west-1". */
  readonly region: string;
  /**
   * The AWS partition.
   * @default - from the region ("aws-cn" for cn-*, "aws-us-gov" for us-gov-*, else "aws")
   */
  readonly partition?: string;
}

/** What workloads and pipelines need from a repository. */
export interface IRepository extends IConstruct {
  /** The name as configured (a literal, usable in names and tags). */
  readonly name: string;
  /** The name as a reference to the repository resource (creates a Terraform dependency). */
  readonly repositoryName: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`, for image references. */
  readonly repositoryUrl: string;
  readonly repositoryArn: string;
  /** `<repositoryUrl>@sha256:...` or `<repositoryUrl>:<tag>`, validated. */
  imageReference(version: ImageVersion): string;
}

/** ECR's repository name grammar. */
export { REPOSITORY_NAME };

/**
 * One ECR repository, secure by default: immutable tags, scan on push, encryption, a
 * lifecycle policy bounding storage, a least-privilege repository policy only when someone
 * is granted access, and protection against deletion. Usually created through a Registry.
 */
export class Repository extends Construct implements IRepository {
  /**
   * An existing repository, by name, account and region: its URL and ARN for image
   * references and IAM policies. Nothing is created; its repository policy stays its
   * owner's (so there is no grantPull on it: grant in the stack that owns it).
   */
  public static fromRepositoryName(
    scope: Construct,
    id: string,
    name: string,
    location: RepositoryLocation,
  ): IRepository {
    return new ImportedRepository(scope, id, name, location);
  }

  public readonly name: string;
  public readonly repositoryName: string;
  public readonly repositoryUrl: string;
  public readonly repositoryArn: string;
  /** The registry (account) id the repository lives in. */
  public readonly registryId: string;

  public readonly imageTagMutability: TagMutability;
  public readonly scanOnPush: boolean;
  public readonly encryptionType: "AES256" | "KMS";
  public readonly kmsKeyArn?: string;
  public readonly removalPolicy: RemovalPolicy;
  /** The lifecycle rules in force, priorities filled in; empty when opted out. */
  public readonly lifecycleRules: LifecycleRule[];
  public readonly pullPrincipalArns: string[];
  public readonly pullAccountIds: string[];
  public readonly pushPrincipalArns: string[];
  public readonly tags: Record<string, string>;
  public readonly provider?: TerraformProvider;

  public readonly repository: EcrRepository;
  public readonly lifecyclePolicy?: EcrLifecyclePolicy;
  /** Present only when some principal is granted pull or push. */
  public readonly policy?: EcrRepositoryPolicy;

  private readonly where: string;
  private readonly access: RepositoryAccess;
  private readonly pullGrants: PullGrantee[] = [];

  constructor(scope: Construct, id: string, props: RepositoryProps) {
    super(scope, id);
    this.where = describe("Repository", isToken(props.name) ? id : props.name);
    const where = this.where;
    checkRepositoryName(where, "name", props.name);

    this.name = props.name;
    this.provider = props.provider;
    this.imageTagMutability = props.imageTagMutability ?? "IMMUTABLE";
    this.scanOnPush = props.scanOnPush ?? true;
    this.kmsKeyArn = props.kmsKeyArn;
    this.encryptionType = this.kmsKeyArn !== undefined ? "KMS" : "AES256";
    this.removalPolicy = props.removalPolicy ?? DEFAULT_REMOVAL_POLICY;
    this.tags = { ...(props.tags ?? {}) };
    // Read once, here. For a cluster use grantPull(cluster), read at synth instead.
    this.pullPrincipalArns = props.pullPrincipalArns ?? [];
    this.pullAccountIds = props.pullAccountIds ?? [];
    this.pushPrincipalArns = props.pushPrincipalArns ?? [];

    if (!["IMMUTABLE", "MUTABLE"].includes(this.imageTagMutability)) {
      fail(
        where,
        "imageTagMutability",
        this.imageTagMutability,
        "is not a tag mutability",
        'use "IMMUTABLE" (default) or "MUTABLE"',
      );
    }
    checkRemovalPolicy(where, "removalPolicy", this.removalPolicy, 'use "retain" (default) or "destroy"');
    // ECR stores the key ARN and encryption forces replacement: an alias ARN would replace the repository on every deploy.
    checkKmsKeyArn(
      where,
      "kmsKeyArn",
      this.kmsKeyArn,
      "use arn:aws:kms:<region>:<12-digit account>:key/<key id>, e.g. a KmsKey's arn or a KmsAlias's targetKeyArn (alias ARNs make every plan replace the repository)",
    );
    checkRepositoryAccess(where, props);
    const rules = props.lifecycleRules === false ? [] : (props.lifecycleRules ?? DEFAULT_LIFECYCLE_RULES);
    this.lifecycleRules = resolveLifecycleRules(where, "lifecycleRules", rules);
    this.checkNameUnusedInStack();

    const retain = this.removalPolicy === "retain";
    this.repository = new EcrRepository(this, "repository", {
      provider: this.provider,
      name: this.name,
      imageTagMutability: this.imageTagMutability,
      imageScanningConfiguration: { scanOnPush: this.scanOnPush },
      encryptionConfiguration: [
        this.kmsKeyArn !== undefined ? { encryptionType: "KMS", kmsKey: this.kmsKeyArn } : { encryptionType: "AES256" },
      ],
      // Retained: AWS refuses to delete a repository that still holds images, and Terraform
      // refuses to plan its deletion, so neither `cdktf destroy` nor a rename loses images.
      forceDelete: !retain,
      lifecycle: retain ? { preventDestroy: true } : undefined,
      tags: Object.keys(this.tags).length ? this.tags : undefined,
    });
    if (this.kmsKeyArn === undefined) {
      suppressRule(
        this.repository,
        "ECR3",
        "AES256 is ECR's default encryption at rest and ours: images hold no secrets, and a customer key adds a key policy to run and KMS request costs on every pull; pass kmsKeyArn to use one",
      );
    }
    this.repositoryName = this.repository.name;
    this.repositoryUrl = this.repository.repositoryUrl;
    this.repositoryArn = this.repository.arn;
    this.registryId = this.repository.registryId;

    if (this.lifecycleRules.length > 0) {
      this.lifecyclePolicy = new EcrLifecyclePolicy(this, "lifecycle-policy", {
        provider: this.provider,
        repository: this.repository.name,
        policy: renderJson(lifecyclePolicyDocument(this.lifecycleRules)),
      });
    }

    this.access = {
      pullPrincipalArns: this.pullPrincipalArns,
      pullAccountIds: this.pullAccountIds,
      pushPrincipalArns: this.pushPrincipalArns,
    };
    if (repositoryPolicyDocument(this.access)) this.policy = this.createPolicy();
  }

  /**
   * Lets `grantee` pull from this repository: IAM role/user ARNs, or a cluster (its node
   * roles and Fargate pod execution roles). Resolved at synth, so the result doesn't depend
   * on whether the compute was added before or after this call.
   */
  public grantPull(grantee: PullGrantee): void {
    if (typeof grantee === "string" || Array.isArray(grantee)) {
      const arns = typeof grantee === "string" ? [grantee] : grantee;
      checkRepositoryAccess(this.where, { pullPrincipalArns: arns });
    }
    this.pullGrants.push(grantee);
    if (!this.policy) (this as { policy?: EcrRepositoryPolicy }).policy = this.createPolicy();
  }

  /** The pull principals of the grants as they are now (at synth: final), one list per grantee. */
  private grantedPullPrincipals(): string[][] {
    return this.pullGrants.map((grantee) =>
      typeof grantee === "string"
        ? [grantee]
        : Array.isArray(grantee)
          ? grantee
          : [...grantee.nodeRoleArns, ...grantee.podExecutionRoleArns],
    );
  }

  /** The repository policy, its document produced at synth from the props and every grant. */
  private createPolicy(): EcrRepositoryPolicy {
    const document = () => repositoryPolicyDocument(this.access, this.grantedPullPrincipals());
    this.node.addValidation({
      validate: () =>
        document() === undefined
          ? [
              `${this.where}: grantPull was called, but at synth nobody is granted anything (a granted cluster has no node group or Fargate profile); add compute to the cluster, or remove the grant`,
            ]
          : [],
    });
    return new EcrRepositoryPolicy(this, "policy", {
      provider: this.provider,
      repository: this.repository.name,
      policy: Lazy.stringValue({ produce: () => renderJson(document() ?? {}) }),
    });
  }

  /** `<repositoryUrl>@sha256:...` (preferred) or `<repositoryUrl>:<tag>`, validated at synth time. */
  public imageReference(version: ImageVersion): string {
    return renderImageReference(this.where, this.repositoryUrl, version);
  }

  /** Two repositories of one name in one stack and account/region would fight over the same ECR repository. */
  private checkNameUnusedInStack(): void {
    if (isToken(this.name)) return;
    const other = TerraformStack.of(this)
      .node.findAll()
      .find((c) => c !== this && c instanceof Repository && c.name === this.name && c.provider === this.provider);
    if (other) {
      fail(
        this.where,
        "name",
        this.name,
        `is already used by the repository at ${other.node.path}`,
        "give each repository a unique name, or reuse the existing one",
      );
    }
  }
}

/** See Repository.fromRepositoryName. */
class ImportedRepository extends Construct implements IRepository {
  public readonly name: string;
  public readonly repositoryName: string;
  public readonly repositoryUrl: string;
  public readonly repositoryArn: string;
  private readonly where: string;

  constructor(scope: Construct, id: string, name: string, location: RepositoryLocation) {
    super(scope, id);
    this.where = describe("Repository.fromRepositoryName", isToken(name) ? id : name);
    checkRepositoryName(this.where, "name", name);
    checkAccountId(this.where, "accountId", location.accountId);
    if (!isToken(location.region) && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(location.region))
      fail(this.where, "region", location.region, "is not an AWS region name", 'use a name like "eu-west-1"');
    const partition = location.partition ?? partitionOf(location.region);
    if (!isToken(partition) && !["aws", "aws-cn", "aws-us-gov"].includes(partition))
      fail(
        this.where,
        "partition",
        partition,
        "is not an AWS partition this construct supports",
        'use "aws", "aws-cn" or "aws-us-gov"',
      );
    const domain = partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
    this.name = name;
    this.repositoryName = name;
    this.repositoryUrl = `${location.accountId}.dkr.ecr.${location.region}.${domain}/${name}`;
    this.repositoryArn = `arn:${partition}:ecr:${location.region}:${location.accountId}:repository/${name}`;
  }

  public imageReference(version: ImageVersion): string {
    return renderImageReference(this.where, this.repositoryUrl, version);
  }
}
