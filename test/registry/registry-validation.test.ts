import { App, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  imageReference,
  LifecycleRule,
  LifecycleRules,
  PullThroughCacheRule,
  Registry,
  RegistrySettings,
  RegistrySettingsProps,
  Repository,
  RepositoryOptions,
} from "../../constructs/registry";
import { testStack } from "../fixtures";

const ACCOUNT = "123456789012";
const OTHER_ACCOUNT = "210987654321";
const URL = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api";
const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf";

const repo = (options: RepositoryOptions) => () =>
  new Registry(testStack(), "registry", { repositories: { "shop/api": options } });
const rules = (lifecycleRules: LifecycleRule[]) => repo({ lifecycleRules });
const settings = (props: Partial<RegistrySettingsProps>) => () =>
  new RegistrySettings(testStack(), "ecr", { region: "eu-west-1", accountId: ACCOUNT, ...props });
const cache = (...pullThroughCache: PullThroughCacheRule[]) => settings({ pullThroughCache });

describe("Registry validation", () => {
  it.each([
    ["uppercase", "Shop/API"],
    ["too short", "a"],
    ["an empty path segment", "shop//api"],
    ["a leading separator", "-shop"],
    ["a trailing slash", "shop/"],
    ["doubled separators", "shop--api"],
    ["a space", "shop api"],
    ["over 256 characters", "a".repeat(257)],
  ])("throws when a repository name has %s", (_what, name) => {
    expect(() => new Registry(testStack(), "registry", { repositories: { [name]: {} } })).toThrow(
      new RegExp(
        `^Registry 'registry': repository name "${name.replace(/[/]/g, "\\/")}" is not a valid ECR repository name; use 2 to 256 characters: lowercase`,
      ),
    );
  });

  it("throws when a standalone Repository has an invalid name", () => {
    expect(() => new Repository(testStack(), "repo", { name: "My_Repo" })).toThrow(
      /^Repository 'My_Repo': name "My_Repo" is not a valid ECR repository name; use 2 to 256/,
    );
  });

  it("throws when a repository name is added twice to a registry", () => {
    const registry = new Registry(testStack(), "registry", { repositories: { "shop/api": {} } });
    expect(() => registry.addRepository("shop/api")).toThrow(
      /^Registry 'registry': repository name "shop\/api" is already in this registry; declare each repository once/,
    );
  });

  it("throws when two registries in one stack declare the same repository name", () => {
    const stack = testStack();
    new Registry(stack, "a", { repositories: { "shop/api": {} } });
    expect(() => new Registry(stack, "b", { repositories: { "shop/api": {} } })).toThrow(
      /^Repository 'shop\/api': name "shop\/api" is already used by the repository at test\/a\/shop--api; give each repository a unique name/,
    );
  });

  it("throws when asked for a repository the registry doesn't have", () => {
    const registry = new Registry(testStack(), "registry", { repositories: { "shop/api": {}, "shop/web": {} } });
    expect(() => registry.repository("shop/apis")).toThrow(
      /^Registry 'registry': repository "shop\/apis" is not in this registry; use one of "shop\/api", "shop\/web", or add it/,
    );
  });

  it("throws when imageTagMutability or removalPolicy is not a known value", () => {
    expect(repo({ imageTagMutability: "immutable" as any })).toThrow(
      /^Repository 'shop\/api': imageTagMutability "immutable" is not a tag mutability; use "IMMUTABLE" \(default\) or "MUTABLE"/,
    );
    expect(repo({ removalPolicy: "delete" as any })).toThrow(
      /^Repository 'shop\/api': removalPolicy "delete" is not a removal policy; use "retain" \(default\) or "destroy"/,
    );
  });

  it.each([
    "alias/ecr",
    "1234abcd-12ab-34cd-56ef-1234567890ab",
    "arn:aws:kms:eu-west-1:123:key/abc",
    "arn:aws:iam::123456789012:role/key",
    "arn:aws:kms:eu-west-1:123456789012:alias/ecr",
  ])("throws when kmsKeyArn %s is not a KMS key ARN", (kmsKeyArn) => {
    expect(repo({ kmsKeyArn })).toThrow(
      new RegExp(
        `^Repository 'shop\\/api': kmsKeyArn "${kmsKeyArn.replace(/[/]/g, "\\/")}" is not a KMS key ARN; use arn:aws:kms:<region>:<12-digit account>:key\\/<key id>`,
      ),
    );
  });

  it("throws when a pull or push principal is not an IAM role or user ARN", () => {
    expect(repo({ pullPrincipalArns: ["arn:aws:iam::123456789012:role/ok", "eks-node-role"] })).toThrow(
      /^Repository 'shop\/api': pullPrincipalArns\[1\] "eks-node-role" is not an IAM role or user ARN; use arn:aws:iam::<12-digit account>:role\/<name>/,
    );
    expect(repo({ pushPrincipalArns: ["arn:aws:iam::12345:role/ci"] })).toThrow(
      /^Repository 'shop\/api': pushPrincipalArns\[0\] "arn:aws:iam::12345:role\/ci" is not an IAM role or user ARN/,
    );
  });

  it("throws when a pull account id is not 12 digits", () => {
    expect(repo({ pullAccountIds: ["12345678901"] })).toThrow(
      /^Repository 'shop\/api': pullAccountIds\[0\] "12345678901" is not an AWS account id; use the 12-digit account number/,
    );
    expect(repo({ pullAccountIds: ["arn:aws:iam::123456789012:root"] })).toThrow(
      /pullAccountIds\[0\] "arn:aws:iam::123456789012:root" is not an AWS account id/,
    );
  });

  it("does not validate principals that are Terraform references", () => {
    const stack = testStack();
    const v = new TerraformVariable(stack, "arn", { type: "string" });
    const list = new TerraformVariable(stack, "arns", { type: "list(string)" });
    expect(
      () =>
        new Registry(stack, "registry", {
          repositories: {
            app: {
              pullPrincipalArns: [v.stringValue],
              pushPrincipalArns: list.listValue,
              pullAccountIds: list.listValue,
            },
          },
        }),
    ).not.toThrow();
  });
});

describe("Lifecycle validation", () => {
  it("throws when lifecycle rules have duplicate priorities", () => {
    expect(
      rules([
        LifecycleRules.expireUntagged(7, { priority: 2 }),
        LifecycleRules.keepLastTagged(5, ["v"], { priority: 2 }),
      ]),
    ).toThrow(/^Repository 'shop\/api': lifecycleRules priorities \[2,2\] repeat 2; give every rule a unique priority/);
    // An auto-assigned priority colliding with a later explicit one is caught too.
    expect(rules([LifecycleRules.expireUntagged(7), LifecycleRules.keepLastTagged(5, ["v"], { priority: 1 })])).toThrow(
      /lifecycleRules priorities \[1,1\] repeat 1/,
    );
  });

  it.each([0, -3, 1.5])("throws when a lifecycle priority is %p", (priority) => {
    expect(rules([LifecycleRules.expireUntagged(7, { priority })])).toThrow(
      new RegExp(
        `^Repository 'shop\\/api': lifecycleRules\\[0\\]\\.priority ${priority} is not a positive integer; use a whole number from 1 up`,
      ),
    );
  });

  it.each([
    ["maxImageCount", LifecycleRules.keepLast(0)],
    ["maxImageCount", LifecycleRules.keepLastTagged(-1, ["v"])],
    ["maxImageAgeDays", LifecycleRules.expireUntagged(0)],
    ["maxImageAgeDays", LifecycleRules.expireUntagged(2.5)],
  ])("throws when %s is not a positive integer", (field, rule) => {
    const value = (rule as any)[field];
    expect(rules([rule])).toThrow(
      new RegExp(
        `^Repository 'shop\\/api': lifecycleRules\\[0\\]\\.${field} ${value} is out of range; use a whole number from 1 to`,
      ),
    );
  });

  it("throws when a rule sets both or neither of maxImageCount and maxImageAgeDays", () => {
    expect(rules([{ tagStatus: "untagged", maxImageCount: 3, maxImageAgeDays: 3 }])).toThrow(
      /^Repository 'shop\/api': lifecycleRules\[0\] \{"maxImageCount":3,"maxImageAgeDays":3\} must set exactly one of maxImageCount and maxImageAgeDays/,
    );
    expect(rules([{ tagStatus: "untagged" }])).toThrow(
      /lifecycleRules\[0\] \{\} must set exactly one of maxImageCount and maxImageAgeDays/,
    );
  });

  it("throws when the tagStatus any rule is not evaluated last", () => {
    expect(rules([LifecycleRules.keepLast(100), LifecycleRules.expireUntagged(7)])).toThrow(
      /^Repository 'shop\/api': lifecycleRules\[0\]\.priority 1 is not the highest priority \(2\), but ECR requires the tagStatus "any" rule to be evaluated last; move it to the end/,
    );
    expect(
      rules([LifecycleRules.expireUntagged(7, { priority: 5 }), LifecycleRules.keepLast(100, { priority: 3 })]),
    ).toThrow(/lifecycleRules\[1\]\.priority 3 is not the highest priority \(5\)/);
  });

  it("throws when there is more than one tagStatus any rule", () => {
    expect(rules([LifecycleRules.keepLast(100), LifecycleRules.keepLast(50)])).toThrow(
      /^Repository 'shop\/api': lifecycleRules \[1,2\] holds more than one tagStatus "any" rule; keep a single "any" rule/,
    );
  });

  it("throws when a tagged rule has no, empty or bad tag prefixes", () => {
    expect(rules([{ tagStatus: "tagged", maxImageCount: 5 }])).toThrow(
      /^Repository 'shop\/api': lifecycleRules\[0\]\.tagPrefixes undefined is missing, but a tagged rule must select tags; give tagPrefixes/,
    );
    expect(rules([LifecycleRules.keepLastTagged(5, [])])).toThrow(
      /^Repository 'shop\/api': lifecycleRules\[0\]\.tagPrefixes \[\] is empty; list at least one prefix/,
    );
    expect(rules([LifecycleRules.keepLastTagged(5, ["v", ""])])).toThrow(
      /^Repository 'shop\/api': lifecycleRules\[0\]\.tagPrefixes\[1\] "" is not a tag prefix; use 1 to 128 characters/,
    );
    expect(rules([LifecycleRules.keepLastTagged(5, ["release-*"])])).toThrow(
      /lifecycleRules\[0\]\.tagPrefixes\[0\] "release-\*" is not a tag prefix; .*use tagPatterns for wildcards/,
    );
  });

  it("throws when tag patterns are empty or have more than four wildcards", () => {
    expect(rules([LifecycleRules.keepLastMatching(5, [])])).toThrow(/lifecycleRules\[0\]\.tagPatterns \[\] is empty/);
    expect(rules([LifecycleRules.keepLastMatching(5, ["*a*b*c*d*"])])).toThrow(
      /^Repository 'shop\/api': lifecycleRules\[0\]\.tagPatterns\[0\] "\*a\*b\*c\*d\*" is not a tag pattern; .*at most four \* wildcards/,
    );
  });

  it("throws when an untagged or any rule selects tags, or a rule sets prefixes and patterns", () => {
    expect(rules([{ tagStatus: "untagged", tagPrefixes: ["v"], maxImageAgeDays: 3 }])).toThrow(
      /^Repository 'shop\/api': lifecycleRules\[0\]\.tagPrefixes \["v"\] is only allowed on tagged rules, not tagStatus "untagged"/,
    );
    expect(rules([{ tagStatus: "any", tagPatterns: ["*"], maxImageCount: 3 }])).toThrow(
      /lifecycleRules\[0\]\.tagPatterns \["\*"\] is only allowed on tagged rules, not tagStatus "any"/,
    );
    expect(rules([{ tagStatus: "tagged", tagPrefixes: ["v"], tagPatterns: ["v*"], maxImageCount: 3 }])).toThrow(
      /lifecycleRules\[0\] .* sets both tagPrefixes and tagPatterns; ECR takes one or the other/,
    );
  });

  it("throws when tagStatus is not tagged, untagged or any", () => {
    expect(rules([{ tagStatus: "all" as any, maxImageCount: 3 }])).toThrow(
      /^Repository 'shop\/api': lifecycleRules\[0\]\.tagStatus "all" is not an ECR tag status; use "tagged", "untagged" or "any"/,
    );
  });
});

describe("Image reference validation", () => {
  it.each([`sha256:${"a".repeat(63)}`, `sha256:${"A".repeat(64)}`, `md5:${"a".repeat(32)}`, "a".repeat(64)])(
    "throws when digest %s is malformed",
    (digest) => {
      expect(() => imageReference(URL, { digest })).toThrow(
        new RegExp(
          `^Image '${URL.replace(/[/.]/g, "\\$&")}': digest "${digest}" is not an image digest; use "sha256:" followed by 64 lowercase hex`,
        ),
      );
    },
  );

  it.each([".hidden", "-rc1", "v 1", "v1/2", "a".repeat(129), ""])(
    "throws when tag %p breaks Docker's tag rules",
    (tag) => {
      expect(() => imageReference(URL, { tag })).toThrow(
        /^Image '.*': tag ".*" is not a valid Docker tag; use 1 to 128 characters/,
      );
    },
  );

  it("throws when the tag is latest without allowLatest", () => {
    expect(() => imageReference(URL, { tag: "latest" })).toThrow(
      /^Image '.*shop\/api': tag "latest" is a floating tag.*; pin a digest or a version tag, or pass allowLatest: true/,
    );
    expect(() => imageReference(URL, { tag: "latest", allowLatest: false })).toThrow(/tag "latest" is a floating tag/);
  });

  it("throws from a repository with the repository named in the message", () => {
    const repository = new Registry(testStack(), "registry", { repositories: { "shop/api": {} } }).repository(
      "shop/api",
    );
    expect(() => repository.imageReference({ tag: "latest" })).toThrow(
      /^Repository 'shop\/api': tag "latest" is a floating tag/,
    );
    expect(() => repository.imageReference({ digest: "sha256:nope" })).toThrow(
      /^Repository 'shop\/api': digest "sha256:nope" is not an image digest/,
    );
  });

  it("throws when both or neither of digest and tag are given, or the URL already holds a tag", () => {
    expect(() => imageReference(URL, { digest: `sha256:${"a".repeat(64)}`, tag: "1.0" } as any)).toThrow(
      /image version .* sets both digest and tag; pass only the digest/,
    );
    expect(() => imageReference(URL, {} as any)).toThrow(/image version \{\} has neither digest nor tag/);
    expect(() => imageReference(`${URL}:1.0`, { tag: "1.1" })).toThrow(
      /repositoryUrl ".*shop\/api:1\.0" is not a bare repository URL; pass the URL without tag or digest/,
    );
  });
});

describe("RegistrySettings validation", () => {
  it("throws when region or accountId is malformed", () => {
    expect(settings({ region: "Ireland" })).toThrow(
      /^RegistrySettings 'ecr': region "Ireland" is not an AWS region name; use a region code like "eu-west-1"/,
    );
    expect(settings({ accountId: "1234" })).toThrow(
      /^RegistrySettings 'ecr': accountId "1234" is not an AWS account id; use the 12-digit account number/,
    );
  });

  it("throws when a second RegistrySettings targets the same account and region, even from another stack", () => {
    const app: App = Testing.app();
    const a = new TerraformStack(app, "platform");
    new AwsProvider(a, "aws", { region: "eu-west-1" });
    const b = new TerraformStack(app, "apps");
    new AwsProvider(b, "aws", { region: "eu-west-1" });
    new RegistrySettings(a, "ecr", { region: "eu-west-1", accountId: ACCOUNT });
    expect(() => new RegistrySettings(b, "ecr-again", { region: "eu-west-1", accountId: ACCOUNT })).toThrow(
      /^RegistrySettings 'ecr-again': region "eu-west-1" already has registry settings for account 123456789012 at platform\/ecr; create one RegistrySettings per account and region/,
    );
  });

  it("throws when replicating to the source registry (same region and account)", () => {
    expect(
      settings({ replication: [{ destinations: [{ region: "eu-central-1" }, { region: "eu-west-1" }] }] }),
    ).toThrow(
      /^RegistrySettings 'ecr': replication\[0\]\.destinations\[1\] \{"region":"eu-west-1","accountId":"123456789012"\} is the source registry itself \(same region and account\); replicate to another region, or give another account's accountId/,
    );
    expect(settings({ replication: [{ destinations: [{ region: "eu-west-1", accountId: ACCOUNT }] }] })).toThrow(
      /destinations\[0\] .* is the source registry itself/,
    );
    // Same region, another account: a real copy.
    expect(
      settings({ replication: [{ destinations: [{ region: "eu-west-1", accountId: OTHER_ACCOUNT }] }] }),
    ).not.toThrow();
  });

  it("throws when a replication destination has a bad region or account id", () => {
    expect(settings({ replication: [{ destinations: [{ region: "frankfurt" }] }] })).toThrow(
      /^RegistrySettings 'ecr': replication\[0\]\.destinations\[0\]\.region "frankfurt" is not an AWS region name/,
    );
    expect(settings({ replication: [{ destinations: [{ region: "eu-west-1", accountId: "21098765432a" }] }] })).toThrow(
      /^RegistrySettings 'ecr': replication\[0\]\.destinations\[0\]\.accountId "21098765432a" is not an AWS account id/,
    );
  });

  it("throws when replication rules, destinations or prefixes are empty, repeated, too many or malformed", () => {
    expect(settings({ replication: [] })).toThrow(/^RegistrySettings 'ecr': replication 0 rules is not 1 to 10/);
    expect(
      settings({ replication: Array.from({ length: 11 }, () => ({ destinations: [{ region: "us-east-1" }] })) }),
    ).toThrow(/replication 11 rules is not 1 to 10/);
    const many = Array.from({ length: 26 }, (_, i) => ({ region: "us-east-1", accountId: String(100000000000 + i) }));
    expect(settings({ replication: [{ destinations: many }] })).toThrow(
      /replication 26 destinations in total is over ECR's limit; replicate to at most 25/,
    );
    expect(settings({ replication: [{ destinations: [] }] })).toThrow(/replication\[0\]\.destinations \[\] is empty/);
    expect(
      settings({
        replication: [{ destinations: [{ region: "us-east-1" }, { region: "us-east-1", accountId: ACCOUNT }] }],
      }),
    ).toThrow(/replication\[0\]\.destinations \["123456789012\/us-east-1"\] are listed more than once/);
    expect(
      settings({ replication: [{ destinations: [{ region: "us-east-1" }], repositoryPrefixes: ["Shop/"] }] }),
    ).toThrow(
      /^RegistrySettings 'ecr': replication\[0\]\.repositoryPrefixes\[0\] "Shop\/" is not a repository name prefix/,
    );
  });

  it("throws when scanning is contradictory or malformed", () => {
    expect(settings({ scanning: { type: "BASIC", rules: [{ frequency: "CONTINUOUS_SCAN" }] } })).toThrow(
      /^RegistrySettings 'ecr': scanning\.rules\[0\]\.frequency "CONTINUOUS_SCAN" needs enhanced scanning; use type "ENHANCED", or frequency "SCAN_ON_PUSH"/,
    );
    expect(
      settings({
        scanning: { rules: [{ frequency: "SCAN_ON_PUSH" }, { frequency: "SCAN_ON_PUSH", repositoryFilters: ["x*"] }] },
      }),
    ).toThrow(
      /scanning\.rules \["SCAN_ON_PUSH","SCAN_ON_PUSH"\] have more than one SCAN_ON_PUSH rule; ECR takes one rule per frequency/,
    );
    expect(settings({ scanning: { rules: [] } })).toThrow(/scanning\.rules \[\] is empty, which would scan nothing/);
    expect(
      settings({ scanning: { rules: [{ frequency: "CONTINUOUS_SCAN", repositoryFilters: ["Prod/*"] }] } }),
    ).toThrow(/scanning\.rules\[0\]\.repositoryFilters\[0\] "Prod\/\*" is not a repository wildcard filter/);
    expect(settings({ scanning: { type: "INSPECTOR" as any } })).toThrow(
      /scanning\.type "INSPECTOR" is not a scan type/,
    );
    expect(settings({ scanning: { rules: [{ frequency: "DAILY" as any }] } })).toThrow(
      /scanning\.rules\[0\]\.frequency "DAILY" is not a scan frequency/,
    );
  });

  it("throws when Docker Hub or GitHub has no credential", () => {
    expect(cache({ upstream: "docker-hub" })).toThrow(
      /^RegistrySettings 'ecr': pullThroughCache\[0\]\.credentialArn undefined is required for upstream "docker-hub" \(registry-1\.docker\.io .*\); store the username and access token in a Secrets Manager secret named "ecr-pullthroughcache\/<name>"/,
    );
    expect(cache({ upstream: "ecr-public" }, { upstream: "github" })).toThrow(
      /pullThroughCache\[1\]\.credentialArn undefined is required for upstream "github" \(ghcr\.io/,
    );
  });

  it("throws when an anonymous upstream is given a credential", () => {
    expect(cache({ upstream: "quay", credentialArn: SECRET })).toThrow(
      /pullThroughCache\[0\]\.credentialArn ".*" is not used by upstream "quay" \(quay\.io is pulled anonymously\); remove credentialArn/,
    );
  });

  it("throws when the credential is not a Secrets Manager ARN under ecr-pullthroughcache/ in the registry's account and region", () => {
    expect(
      cache({ upstream: "docker-hub", credentialArn: "arn:aws:ssm:eu-west-1:123456789012:parameter/dockerhub" }),
    ).toThrow(
      /^RegistrySettings 'ecr': pullThroughCache\[0\]\.credentialArn "arn:aws:ssm:.*" is not a Secrets Manager secret ARN; use arn:aws:secretsmanager:<region>:<account>:secret:ecr-pullthroughcache\/<name>/,
    );
    expect(
      cache({
        upstream: "docker-hub",
        credentialArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:dockerhub-AbCdEf",
      }),
    ).toThrow(
      /credentialArn ".*" names secret "dockerhub-AbCdEf", but ECR only reads pull-through cache secrets whose name starts with "ecr-pullthroughcache\/"; create the secret as "ecr-pullthroughcache\/<name>"/,
    );
    expect(
      cache({
        upstream: "docker-hub",
        credentialArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/",
      }),
    ).toThrow(/names secret "ecr-pullthroughcache\/"/);
    expect(cache({ upstream: "docker-hub", credentialArn: SECRET.replace("eu-west-1", "us-east-1") })).toThrow(
      /credentialArn ".*" is in 123456789012\/us-east-1, but ECR needs the secret in the registry's own account and region \(123456789012\/eu-west-1\)/,
    );
  });

  it("throws when a cache repository prefix is malformed or repeated, or the upstream unknown", () => {
    expect(cache({ upstream: "quay", repositoryPrefix: "Q" })).toThrow(
      /^RegistrySettings 'ecr': pullThroughCache\[0\]\.repositoryPrefix "Q" is not a valid ECR repository prefix; use 2 to 30 lowercase/,
    );
    expect(cache({ upstream: "quay", repositoryPrefix: "q".repeat(31) })).toThrow(
      /repositoryPrefix "q{31}" is not a valid ECR repository prefix/,
    );
    expect(cache({ upstream: "quay", repositoryPrefix: "mirror/" })).toThrow(
      /repositoryPrefix "mirror\/" is not a valid ECR repository prefix/,
    );
    expect(
      cache({ upstream: "quay", repositoryPrefix: "mirror" }, { upstream: "k8s", repositoryPrefix: "mirror" }),
    ).toThrow(
      /pullThroughCache \["mirror"\] repositoryPrefix is used by more than one rule; give each upstream its own repositoryPrefix/,
    );
    expect(cache({ upstream: "gcr" as any })).toThrow(
      /pullThroughCache\[0\]\.upstream "gcr" is not a supported upstream; use one of "ecr-public", "k8s", "quay", "docker-hub", "github"/,
    );
  });
});
