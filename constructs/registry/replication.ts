import { EcrReplicationConfigurationReplicationConfigurationRule } from "@cdktf/provider-aws/lib/ecr-replication-configuration";
import { checkAccountId, duplicatesOf, fail, isToken } from "../private/validation";

/** Where images are copied to: a region of this account or another account's registry. */
export interface ReplicationDestination {
  /** Destination region, e.g. "eu-central-1". */
  readonly region: string;
  /**
   * Destination account (registry) id. Another account must allow this one to replicate
   * into it with a registry permissions policy on its side (ecr:CreateRepository, ecr:ReplicateImage).
   * @default - the source account (RegistrySettings `accountId`)
   */
  readonly accountId?: string;
}

export interface ReplicationRule {
  /** Up to 25 destinations across all rules. */
  readonly destinations: ReplicationDestination[];
  /**
   * Replicate only repositories whose names start with one of these prefixes (ECR `PREFIX_MATCH`).
   * @default - every repository
   */
  readonly repositoryPrefixes?: string[];
}

/** Regions by shape (no lookups): "eu-west-1", "us-gov-west-1", "cn-north-1". */
export const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function checkRegion(where: string, field: string, region: string): void {
  if (isToken(region)) return;
  if (!AWS_REGION.test(region))
    fail(where, field, region, "is not an AWS region name", 'use a region code like "eu-west-1"');
}

// ECR's prefix filter grammar.
const PREFIX_FILTER = /^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*\/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$/;

/**
 * Validated replication rules for the Terraform resource. Replicating a registry into itself
 * (same region and account) is refused: ECR rejects it, and it would copy nothing anyway.
 */
export function resolveReplication(
  where: string,
  source: { region: string; accountId: string },
  rules: readonly ReplicationRule[],
): EcrReplicationConfigurationReplicationConfigurationRule[] {
  if (rules.length === 0 || rules.length > 10) {
    fail(
      where,
      "replication",
      rules.length,
      "rules is not 1 to 10",
      "give between 1 and 10 replication rules, or leave replication unset",
    );
  }
  const total = rules.reduce((n, r) => n + r.destinations.length, 0);
  if (total > 25)
    fail(
      where,
      "replication",
      total,
      "destinations in total is over ECR's limit",
      "replicate to at most 25 destinations across all rules",
    );
  return rules.map((rule, i) => {
    const at = `replication[${i}]`;
    if (rule.destinations.length === 0)
      fail(
        where,
        `${at}.destinations`,
        rule.destinations,
        "is empty",
        'give at least one { region: "..." } destination',
      );
    const keys = rule.destinations.map((d, j) => {
      const accountId = d.accountId ?? source.accountId;
      checkRegion(where, `${at}.destinations[${j}].region`, d.region);
      checkAccountId(where, `${at}.destinations[${j}].accountId`, accountId);
      if (d.region === source.region && accountId === source.accountId) {
        fail(
          where,
          `${at}.destinations[${j}]`,
          { region: d.region, accountId },
          "is the source registry itself (same region and account)",
          "replicate to another region, or give another account's accountId",
        );
      }
      return `${accountId}/${d.region}`;
    });
    const dups = duplicatesOf(keys);
    if (dups.length)
      fail(
        where,
        `${at}.destinations`,
        dups,
        "are listed more than once",
        "list each region/account destination once per rule",
      );
    const prefixes = rule.repositoryPrefixes;
    if (prefixes !== undefined) {
      if (prefixes.length === 0 || prefixes.length > 100) {
        fail(
          where,
          `${at}.repositoryPrefixes`,
          prefixes,
          "must hold 1 to 100 prefixes",
          'list repository name prefixes like "prod/", or leave it unset to replicate everything',
        );
      }
      prefixes.forEach((p, j) => {
        if (!isToken(p) && (p.length < 2 || p.length > 256 || !PREFIX_FILTER.test(p))) {
          fail(
            where,
            `${at}.repositoryPrefixes[${j}]`,
            p,
            "is not a repository name prefix",
            'use 2 to 256 lowercase repository name characters, e.g. "prod/" or "shop"',
          );
        }
      });
    }
    return {
      destination: rule.destinations.map((d) => ({ region: d.region, registryId: d.accountId ?? source.accountId })),
      repositoryFilter: prefixes?.map((filter) => ({ filter, filterType: "PREFIX_MATCH" })),
    };
  });
}
