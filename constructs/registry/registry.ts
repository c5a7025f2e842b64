import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { describe, fail, show } from "../private/validation";
import { checkRepositoryName, repositoryConstructId } from "../private/repository-name";
import { PullGrantee, Repository, RepositoryOptions } from "./repository";

export interface RegistryOptions {
  /**
   * The repositories, keyed by ECR repository name, each with its overrides of `defaults`:
   * ```ts
   * repositories: { "shop/api": {}, "shop/web": { imageTagMutability: "MUTABLE" } }
   * ```
   * A record rather than an array of `{ name }`: a name can occur only once (TypeScript rejects
   * duplicate keys in a literal), the overrides sit next to the name they apply to, and each
   * repository's Terraform address derives from its key alone, so reordering or adding entries
   * never replaces an existing repository.
   * @default {} - add repositories later with addRepository()
   */
  readonly repositories?: Record<string, RepositoryOptions>;
  /**
   * Settings for every repository, under the per-repository overrides. A repository's value
   * replaces the default whole (principal lists too: spread the default to extend it);
   * only `tags` merge.
   * @default - each RepositoryOptions default: IMMUTABLE tags, scan on push, AES256,
   * retained, DEFAULT_LIFECYCLE_RULES, no repository policy
   */
  readonly defaults?: RepositoryOptions;
  /**
   * The AWS provider (account and region) to create the repositories with.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** The same as RegistryOptions: this construct takes no parent object. */
export type RegistryProps = RegistryOptions;

/**
 * The ECR repositories of one application or team, from typed config: registry-wide defaults,
 * per-repository overrides, typed attributes out (`registry.repository("shop/api").repositoryUrl`).
 * Account/region-wide ECR settings (scanning, replication, pull-through cache) are a separate
 * construct, RegistrySettings, because they can exist only once per region while Registries can be many.
 */
export class Registry extends Construct {
  public readonly defaults: RepositoryOptions;
  public readonly provider?: TerraformProvider;

  private readonly byName = new Map<string, Repository>();
  private readonly pullGrants: PullGrantee[] = [];
  private readonly where: string;

  constructor(scope: Construct, id: string, props: RegistryProps = {}) {
    super(scope, id);
    this.where = describe("Registry", id);
    this.defaults = props.defaults ?? {};
    this.provider = props.provider;
    for (const [name, options] of Object.entries(props.repositories ?? {})) this.addRepository(name, options);
  }

  /** Adds a repository with the registry defaults under `options`. */
  public addRepository(name: string, options: RepositoryOptions = {}): Repository {
    checkRepositoryName(this.where, "repository name", name);
    if (this.byName.has(name)) {
      fail(
        this.where,
        "repository name",
        name,
        "is already in this registry",
        "declare each repository once; change its options in that one entry",
      );
    }
    const repository = new Repository(this, repositoryConstructId(name), {
      ...mergeRepositoryOptions(this.defaults, options),
      name,
      provider: this.provider,
    });
    this.byName.set(name, repository);
    for (const grantee of this.pullGrants) repository.grantPull(grantee);
    return repository;
  }

  /**
   * Lets `grantee` pull from every repository of the registry, including those added later:
   * IAM role/user ARNs, or a cluster (its node roles and Fargate pod execution roles, read
   * at synth, so the registry can be built before or after the cluster's compute).
   */
  public grantPull(grantee: PullGrantee): void {
    this.pullGrants.push(grantee);
    for (const repository of this.byName.values()) repository.grantPull(grantee);
  }

  /** The repository of that name; throws when the registry has none. */
  public repository(name: string): Repository {
    const found = this.byName.get(name);
    if (!found) {
      const known = this.repositoryNames;
      fail(
        this.where,
        "repository",
        name,
        "is not in this registry",
        known.length
          ? `use one of ${known.map((n) => show(n)).join(", ")}, or add it to repositories`
          : "add it to repositories first",
      );
    }
    return found;
  }

  /** All repositories, in the order they were added. */
  public get repositories(): Repository[] {
    return [...this.byName.values()];
  }

  public get repositoryNames(): string[] {
    return [...this.byName.keys()];
  }
}

/**
 * `override` over `defaults`: a set value replaces the default (an explicit `undefined`
 * doesn't count as set); tags merge, the repository's winning per key.
 */
function mergeRepositoryOptions(defaults: RepositoryOptions, override: RepositoryOptions): RepositoryOptions {
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(override)) if (value !== undefined) merged[key] = value;
  if (defaults.tags || override.tags) merged.tags = { ...(defaults.tags ?? {}), ...(override.tags ?? {}) };
  return merged;
}
