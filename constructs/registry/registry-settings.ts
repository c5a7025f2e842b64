import { Construct } from "constructs";
import { Aspects, TerraformProvider, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EcrPullThroughCacheRule } from "@cdktf/provider-aws/lib/ecr-pull-through-cache-rule";
import { EcrRegistryScanningConfiguration } from "@cdktf/provider-aws/lib/ecr-registry-scanning-configuration";
import { EcrReplicationConfiguration } from "@cdktf/provider-aws/lib/ecr-replication-configuration";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { partitionOf } from "../private/partition";
import { fargateProfilesOf } from "../eks/fargate-profile";
import { nodeGroupsOf } from "../eks/node-group";
import { checkAccountId, checkPrincipalArn, describe, fail, isToken } from "../private/validation";
import type { PullGrantee } from "./repository";
import {
  PULL_THROUGH_CACHE_ACTIONS,
  PullThroughCacheRule,
  resolvePullThroughCache,
  ResolvedPullThroughCacheRule,
} from "./pull-through-cache";
import { checkRegion, ReplicationRule, resolveReplication } from "./replication";
import { resolveScanning, ScanningOptions, ScanType } from "./scanning";

export interface RegistrySettingsOptions {
  /**
   * The region of the registry being configured: the region of the AWS provider these
   * resources are created with. Given explicitly because nothing is looked up at plan time;
   * used to refuse replication into itself and to check credential secrets' region.
   */
  readonly region: string;
  /** The 12-digit account id owning the registry (the default replication destination account). */
  readonly accountId: string;
  /**
   * Registry-wide image scanning. Once set, it replaces every repository's own scan-on-push.
   * @default - not managed: the account keeps its current configuration (basic scanning by
   * default, with each repository's scanOnPush)
   */
  readonly scanning?: ScanningOptions;
  /**
   * Copy pushed images to other regions and/or accounts.
   * @default - no replication
   */
  readonly replication?: ReplicationRule[];
  /**
   * Cache public upstream registries in this registry, so clusters pull through ECR
   * (no Docker Hub rate limits, images survive upstream outages, scanned like your own).
   * @default - no pull-through cache
   */
  readonly pullThroughCache?: PullThroughCacheRule[];
  /**
   * The AWS provider for `region` and `accountId`.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** The same as RegistrySettingsOptions: this construct takes no parent object. */
export type RegistrySettingsProps = RegistrySettingsOptions;

/**
 * Account- and region-wide ECR settings: enhanced scanning, replication and pull-through cache.
 * A separate construct from Registry because AWS holds one scanning and one replication
 * configuration per account and region: two owners would overwrite each other on every
 * apply. Create exactly one per account and region (enforced across the whole app), in
 * the stack that owns the platform, while application stacks hold their Registries.
 */
export class RegistrySettings extends Construct {
  public readonly region: string;
  public readonly accountId: string;
  public readonly provider?: TerraformProvider;
  /** Undefined when scanning isn't managed here. */
  public readonly scanType?: ScanType;
  public readonly scanningConfiguration?: EcrRegistryScanningConfiguration;
  public readonly replicationConfiguration?: EcrReplicationConfiguration;
  /** Pull-through cache rules by ECR repository prefix. */
  public readonly pullThroughCacheRules: Record<string, EcrPullThroughCacheRule> = {};
  /** The resolved pull-through cache rules (prefix, upstream URL), e.g. to build node IAM policies. */
  public readonly pullThroughCache: ResolvedPullThroughCacheRule[];

  private readonly where: string;
  private readonly pullThroughGrantees: PullGrantee[] = [];
  private pullThroughGranted = false;

  constructor(scope: Construct, id: string, props: RegistrySettingsProps) {
    super(scope, id);
    const where = describe("RegistrySettings", id);
    this.where = where;
    this.region = props.region;
    this.accountId = props.accountId;
    this.provider = props.provider;
    checkRegion(where, "region", this.region);
    this.checkProviderRegion(where);
    checkAccountId(where, "accountId", this.accountId);
    this.checkOnePerRegion(where);
    const source = { region: this.region, accountId: this.accountId };

    if (props.scanning) {
      const scanning = resolveScanning(where, props.scanning);
      this.scanType = scanning.scanType;
      this.scanningConfiguration = new EcrRegistryScanningConfiguration(this, "scanning", {
        provider: this.provider,
        scanType: scanning.scanType,
        rule: scanning.rules,
      });
    }

    if (props.replication) {
      const rules = resolveReplication(where, source, props.replication);
      this.replicationConfiguration = new EcrReplicationConfiguration(this, "replication", {
        provider: this.provider,
        replicationConfiguration: { rule: rules },
      });
    }

    this.pullThroughCache = resolvePullThroughCache(where, source, props.pullThroughCache ?? []);
    for (const rule of this.pullThroughCache) {
      // Addressed by prefix, not position: reordering rules replaces nothing.
      this.pullThroughCacheRules[rule.ecrRepositoryPrefix] = new EcrPullThroughCacheRule(
        this,
        `pull-through-cache-${rule.ecrRepositoryPrefix.replace(/\//g, "--")}`,
        {
          provider: this.provider,
          ecrRepositoryPrefix: rule.ecrRepositoryPrefix,
          upstreamRegistryUrl: rule.upstreamRegistryUrl,
          credentialArn: rule.credentialArn,
        },
      );
    }
  }

  /**
   * Lets pullers pull through the cache: on the first pull of an upstream image, ECR creates the
   * cache repository and imports the image on the puller's behalf, which needs
   * `ecr:CreateRepository` and `ecr:BatchImportUpstreamImage` in the puller's own policy (a
   * repository policy can't grant them: the repository doesn't exist yet). Scoped to the cache's
   * repository prefixes. Pulling itself needs the usual ECR read rights (node roles have them
   * through AmazonEC2ContainerRegistryPullOnly).
   *
   * The grantee is the one `Repository.grantPull` takes: a cluster, whose node roles (node groups,
   * Auto Mode) and Fargate pod execution roles are read at synth (compute added after the grant is
   * included), or IAM role ARNs. Each role gets one inline policy, however often it is granted,
   * addressed by its node group or Fargate profile id (or `role-<name>`), never by position.
   * Nothing is created when there is no cache rule.
   */
  public grantPullThroughCache(grantee: PullGrantee): void {
    if (typeof grantee === "string" || Array.isArray(grantee)) {
      const arns = typeof grantee === "string" ? [grantee] : grantee;
      const fix =
        "grant the cluster, or pass literal role ARNs: the grant is an inline policy on the role, addressed by its name";
      if (isToken(arns) && !Array.isArray(arns))
        fail(this.where, "grantPullThroughCache", arns, "is a list known only at apply", fix);
      arns.forEach((arn, i) => {
        const field = `grantPullThroughCache[${i}]`;
        if (isToken(arn)) fail(this.where, field, arn, "is a role ARN known only at apply", fix);
        checkPrincipalArn(this.where, field, arn);
        if (!/:role\//.test(arn)) fail(this.where, field, arn, "is not an IAM role", fix);
      });
    }
    if (this.pullThroughGrantees.length === 0) {
      // At synth, when every node group and Fargate profile of a granted cluster exists.
      Aspects.of(this).add({ visit: (node) => node === this && this.createPullThroughGrants() });
    }
    this.pullThroughGrantees.push(grantee);
  }

  /** One inline policy per granted role (a role shared by several node groups is granted once). */
  private createPullThroughGrants(): void {
    // Aspects run at every synth of the stack; the grants are made once.
    if (this.pullThroughCache.length === 0 || this.pullThroughGranted) return;
    this.pullThroughGranted = true;
    const roles = new Map<string, string>(); // role name -> construct id
    const add = (roleName: string, id: string) => {
      if (!roles.has(roleName)) roles.set(roleName, id);
    };
    for (const grantee of this.pullThroughGrantees) {
      if (typeof grantee === "string" || Array.isArray(grantee)) {
        for (const arn of typeof grantee === "string" ? [grantee] : grantee) {
          const name = arn.slice(arn.lastIndexOf("/") + 1);
          add(name, `role-${name}`);
        }
        continue;
      }
      for (const group of nodeGroupsOf(grantee)) add(group.nodeRoleName, group.node.id);
      // EksCluster's Auto Mode node role (not part of IEksCluster: an adopted cluster has none of ours).
      const autoMode = (grantee as { autoModeNodeRole?: { roleName: string } }).autoModeNodeRole;
      if (autoMode) add(autoMode.roleName, "auto-mode-nodes");
      for (const profile of fargateProfilesOf(grantee)) add(profile.podExecutionRoleName, profile.node.id);
    }
    const partition = partitionOf(this.region);
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "CreateCacheRepositoriesOnFirstPull",
          Effect: "Allow",
          Action: PULL_THROUGH_CACHE_ACTIONS,
          Resource: this.pullThroughCache.map(
            (rule) => `arn:${partition}:ecr:${this.region}:${this.accountId}:repository/${rule.ecrRepositoryPrefix}/*`,
          ),
        },
      ],
    });
    for (const [roleName, id] of roles) {
      new IamRolePolicy(this, `pull-through-cache-grant-${id}`, {
        provider: this.provider,
        role: roleName,
        namePrefix: "ecr-pull-through-cache-",
        policy,
      });
    }
  }

  /**
   * The settings are made in the provider's region: a `region` that differs would check secrets
   * and replication against the wrong region while configuring another one.
   */
  private checkProviderRegion(where: string): void {
    const provider =
      this.provider ??
      TerraformStack.of(this)
        .node.findAll()
        .find((c): c is AwsProvider => c instanceof AwsProvider && c.alias === undefined);
    const providerRegion = provider instanceof AwsProvider ? provider.region : undefined;
    if (providerRegion === undefined || isToken(providerRegion) || isToken(this.region)) return;
    if (providerRegion !== this.region) {
      fail(
        where,
        "region",
        this.region,
        `differs from the region of its AWS provider (${providerRegion}), where the settings would be made`,
        `use "${providerRegion}", or pass the provider of ${this.region} as provider`,
      );
    }
  }

  /** One owner per account and region, across every stack of the app. */
  private checkOnePerRegion(where: string): void {
    const other = this.node.root.node
      .findAll()
      .find(
        (c) =>
          c !== this && c instanceof RegistrySettings && c.region === this.region && c.accountId === this.accountId,
      );
    if (other) {
      fail(
        where,
        "region",
        this.region,
        `already has registry settings for account ${this.accountId} at ${other.node.path}`,
        "create one RegistrySettings per account and region and put all its scanning, replication and pull-through cache rules there",
      );
    }
  }
}
