import { duplicatesOf, fail, isToken, show } from "../private/validation";

/**
 * Public registries ECR can cache, by the names ECR itself uses for them:
 * - `ecr-public`: public.ecr.aws
 * - `k8s`: registry.k8s.io (Kubernetes project images)
 * - `quay`: quay.io
 * - `docker-hub`: registry-1.docker.io (needs a Docker Hub credential)
 * - `github`: ghcr.io, GitHub Container Registry (needs a GitHub credential)
 */
export type PullThroughUpstream = "ecr-public" | "k8s" | "quay" | "docker-hub" | "github";

export const PULL_THROUGH_UPSTREAMS: Readonly<
  Record<PullThroughUpstream, { readonly url: string; readonly needsCredential: boolean }>
> = {
  "ecr-public": { url: "public.ecr.aws", needsCredential: false },
  k8s: { url: "registry.k8s.io", needsCredential: false },
  quay: { url: "quay.io", needsCredential: false },
  "docker-hub": { url: "registry-1.docker.io", needsCredential: true },
  github: { url: "ghcr.io", needsCredential: true },
};

/**
 * What a node (or any puller) needs in its own IAM policy, on
 * `arn:aws:ecr:<region>:<account>:repository/<prefix>/*`, for the first pull of an image
 * through the cache: ECR creates the cache repository and imports the image on its behalf.
 */
export const PULL_THROUGH_CACHE_ACTIONS: readonly string[] = ["ecr:CreateRepository", "ecr:BatchImportUpstreamImage"];

/** Every Secrets Manager secret a pull-through cache rule uses must have a name under this prefix. */
export const PULL_THROUGH_SECRET_PREFIX = "ecr-pullthroughcache/";

export interface PullThroughCacheRule {
  readonly upstream: PullThroughUpstream;
  /**
   * The ECR namespace the upstream appears under: `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/<upstream repository>`.
   * 2-30 lowercase repository name characters, unique per registry.
   * @default - the upstream name, e.g. "docker-hub" (docker-hub/library/nginx)
   */
  readonly repositoryPrefix?: string;
  /**
   * ARN of the Secrets Manager secret holding the upstream username and access token.
   * Required for docker-hub and github, refused for the others (they are anonymous).
   * Its name must start with "ecr-pullthroughcache/", and it must be in the registry's account and region.
   * @default - none
   */
  readonly credentialArn?: string;
}

/** A pull-through cache rule ready for aws_ecr_pull_through_cache_rule. */
export interface ResolvedPullThroughCacheRule {
  readonly upstream: PullThroughUpstream;
  readonly ecrRepositoryPrefix: string;
  readonly upstreamRegistryUrl: string;
  readonly credentialArn?: string;
}

const CACHE_PREFIX = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const SECRET_ARN = /^arn:aws(?:-cn|-us-gov)?:secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$/;

export function resolvePullThroughCache(
  where: string,
  source: { region: string; accountId: string },
  rules: readonly PullThroughCacheRule[],
): ResolvedPullThroughCacheRule[] {
  const resolved = rules.map((rule, i) => {
    const at = `pullThroughCache[${i}]`;
    if (!Object.prototype.hasOwnProperty.call(PULL_THROUGH_UPSTREAMS, rule.upstream)) {
      fail(
        where,
        `${at}.upstream`,
        rule.upstream,
        "is not a supported upstream",
        `use one of ${Object.keys(PULL_THROUGH_UPSTREAMS)
          .map((u) => show(u))
          .join(", ")}`,
      );
    }
    const upstream = PULL_THROUGH_UPSTREAMS[rule.upstream];
    const prefix = rule.repositoryPrefix ?? rule.upstream;
    if (!isToken(prefix) && (prefix.length < 2 || prefix.length > 30 || !CACHE_PREFIX.test(prefix))) {
      fail(
        where,
        `${at}.repositoryPrefix`,
        prefix,
        "is not a valid ECR repository prefix",
        'use 2 to 30 lowercase letters and digits, separated by single . _ - or /, e.g. "docker-hub"',
      );
    }
    const credentialArn = rule.credentialArn;
    if (upstream.needsCredential && credentialArn === undefined) {
      fail(
        where,
        `${at}.credentialArn`,
        credentialArn,
        `is required for upstream "${rule.upstream}" (${upstream.url} only serves authenticated pulls to a cache)`,
        `store the username and access token in a Secrets Manager secret named "${PULL_THROUGH_SECRET_PREFIX}<name>" and pass its ARN`,
      );
    }
    if (!upstream.needsCredential && credentialArn !== undefined) {
      fail(
        where,
        `${at}.credentialArn`,
        credentialArn,
        `is not used by upstream "${rule.upstream}" (${upstream.url} is pulled anonymously)`,
        "remove credentialArn",
      );
    }
    if (credentialArn !== undefined) checkSecretArn(where, `${at}.credentialArn`, credentialArn, source);
    return { upstream: rule.upstream, ecrRepositoryPrefix: prefix, upstreamRegistryUrl: upstream.url, credentialArn };
  });
  const dups = duplicatesOf(resolved.map((r) => r.ecrRepositoryPrefix));
  if (dups.length) {
    fail(
      where,
      "pullThroughCache",
      dups,
      "repositoryPrefix is used by more than one rule",
      "give each upstream its own repositoryPrefix",
    );
  }
  return resolved;
}

function checkSecretArn(
  where: string,
  field: string,
  arn: string,
  source: { region: string; accountId: string },
): void {
  if (isToken(arn)) return;
  const m = SECRET_ARN.exec(arn);
  if (!m) {
    fail(
      where,
      field,
      arn,
      "is not a Secrets Manager secret ARN",
      `use arn:aws:secretsmanager:<region>:<account>:secret:${PULL_THROUGH_SECRET_PREFIX}<name>`,
    );
  }
  const [, region, account, name] = m;
  if (!name.startsWith(PULL_THROUGH_SECRET_PREFIX) || name.length === PULL_THROUGH_SECRET_PREFIX.length) {
    fail(
      where,
      field,
      arn,
      `names secret "${name}", but ECR only reads pull-through cache secrets whose name starts with "${PULL_THROUGH_SECRET_PREFIX}"`,
      `create the secret as "${PULL_THROUGH_SECRET_PREFIX}<name>"`,
    );
  }
  if (
    (!isToken(source.region) && region !== source.region) ||
    (!isToken(source.accountId) && account !== source.accountId)
  ) {
    fail(
      where,
      field,
      arn,
      `is in ${account}/${region}, but ECR needs the secret in the registry's own account and region (${source.accountId}/${source.region})`,
      "create the secret there",
    );
  }
}
