import { TerraformOutput, TerraformVariable, Testing } from "cdktf";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EcrPullThroughCacheRule } from "@cdktf/provider-aws/lib/ecr-pull-through-cache-rule";
import { EcrRegistryScanningConfiguration } from "@cdktf/provider-aws/lib/ecr-registry-scanning-configuration";
import { EcrReplicationConfiguration } from "@cdktf/provider-aws/lib/ecr-replication-configuration";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import {
  ECR_PULL_ACTIONS,
  ECR_PUSH_ACTIONS,
  imageReference,
  LifecycleRules,
  PULL_THROUGH_UPSTREAMS,
  Registry,
  RegistrySettings,
} from "../../constructs/registry";
import { ADMIN_ARN, resourcesOf, synthJson, testNetwork, testStack } from "../fixtures";
import { EksCluster } from "../../constructs/eks/cluster";
import { DEFAULT_LIFECYCLE_RULES } from "../../constructs/registry/lifecycle";

const NODE_ROLE = "arn:aws:iam::123456789012:role/eks-nodes";
const CI_ROLE = "arn:aws:iam::123456789012:role/github-actions";
const OTHER_ACCOUNT = "210987654321";
const DIGEST = `sha256:${"ab12".repeat(16)}`;
const DOCKER_HUB_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf";
const GITHUB_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/github-XyZ123";

/** Resources of a type keyed by a property (e.g. name, or the repository they attach to). */
function byRepository(stack: any, type: string): Record<string, any> {
  const repos = resourcesOf(stack, "aws_ecr_repository");
  const nameOf = (ref: string) => {
    const id = /aws_ecr_repository\.([^.]+)\.name/.exec(ref)?.[1];
    return id ? repos[id].name : ref;
  };
  return Object.fromEntries(Object.values(resourcesOf(stack, type)).map((r: any) => [nameOf(r.repository), r]));
}
/** What a value synthesizes to (a Terraform expression for references), via stack outputs. */
function resolved(stack: any, values: Record<string, string>): Record<string, string> {
  for (const [k, v] of Object.entries(values)) new TerraformOutput(stack, `out-${k}`, { value: v });
  const outputs = synthJson(stack).output;
  return Object.fromEntries(Object.keys(values).map((k) => [k, outputs[`out-${k}`].value]));
}
const reposByName = (stack: any) =>
  Object.fromEntries(Object.values(resourcesOf(stack, "aws_ecr_repository")).map((r: any) => [r.name, r]));
const policyOf = (stack: any, repo: string) =>
  JSON.parse(byRepository(stack, "aws_ecr_repository_policy")[repo].policy);
const lifecycleOf = (stack: any, repo: string) =>
  JSON.parse(byRepository(stack, "aws_ecr_lifecycle_policy")[repo].policy);

describe("Registry", () => {
  it("defaults: immutable tags, scan on push, AES256, force_delete off, prevent_destroy, default lifecycle, no policy", () => {
    const stack = testStack();
    const registry = new Registry(stack, "registry", { repositories: { "shop/api": {} } });
    const repo = registry.repository("shop/api");
    const synth = Testing.synth(stack);

    expect(repo.imageTagMutability).toBe("IMMUTABLE");
    expect(repo.scanOnPush).toBe(true);
    expect(repo.encryptionType).toBe("AES256");
    expect(repo.kmsKeyArn).toBeUndefined();
    expect(repo.removalPolicy).toBe("retain");
    expect(synth).toHaveResourceWithProperties(EcrRepository, {
      name: "shop/api",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "AES256" }],
      force_delete: false,
      lifecycle: { prevent_destroy: true },
    });
    const resource = reposByName(stack)["shop/api"];
    expect(resource.encryption_configuration[0].kms_key).toBeUndefined();
    expect(synth).toHaveResource(EcrLifecyclePolicy);
    expect(lifecycleOf(stack, "shop/api").rules.map((r: any) => r.selection)).toEqual([
      { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
      { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: 100 },
    ]);
    expect(repo.lifecycleRules).toHaveLength(DEFAULT_LIFECYCLE_RULES.length);
    expect(synth).not.toHaveResource(EcrRepositoryPolicy);
    expect(repo.policy).toBeUndefined();
    // Registry-level settings are never created as a side effect of repositories.
    expect(synth).not.toHaveResource(EcrRegistryScanningConfiguration);
    expect(synth).not.toHaveResource(EcrReplicationConfiguration);
  });

  it("renders lifecycle rules to ECR's JSON exactly, assigning missing priorities in order", () => {
    const stack = testStack();
    new Registry(stack, "registry", {
      repositories: {
        "shop/api": {
          lifecycleRules: [
            LifecycleRules.expireUntagged(7),
            LifecycleRules.keepLastTagged(20, ["release-"]),
            LifecycleRules.expireTaggedAfter(3, ["pr-"], { priority: 10, description: "PR builds" }),
            LifecycleRules.keepLast(500),
          ],
        },
      },
    });
    expect(lifecycleOf(stack, "shop/api")).toEqual({
      rules: [
        {
          rulePriority: 1,
          description: "Expire untagged images 7 days after push",
          selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
          action: { type: "expire" },
        },
        {
          rulePriority: 2,
          description: "Keep the last 20 images tagged release-*",
          selection: {
            tagStatus: "tagged",
            tagPrefixList: ["release-"],
            countType: "imageCountMoreThan",
            countNumber: 20,
          },
          action: { type: "expire" },
        },
        {
          rulePriority: 10,
          description: "PR builds",
          selection: {
            tagStatus: "tagged",
            tagPrefixList: ["pr-"],
            countType: "sinceImagePushed",
            countUnit: "days",
            countNumber: 3,
          },
          action: { type: "expire" },
        },
        {
          rulePriority: 11,
          description: "Keep the last 500 images of any tag",
          selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 500 },
          action: { type: "expire" },
        },
      ],
    });
  });

  it("accepts hand-written rules and omits the description when none is given", () => {
    const stack = testStack();
    new Registry(stack, "registry", {
      repositories: {
        app: { lifecycleRules: [{ tagStatus: "tagged", tagPatterns: ["v*.*"], maxImageCount: 5, priority: 3 }] },
      },
    });
    expect(lifecycleOf(stack, "app")).toEqual({
      rules: [
        {
          rulePriority: 3,
          selection: { tagStatus: "tagged", tagPatternList: ["v*.*"], countType: "imageCountMoreThan", countNumber: 5 },
          action: { type: "expire" },
        },
      ],
    });
  });

  it("opts out of the lifecycle policy explicitly with false or []", () => {
    const stack = testStack();
    const registry = new Registry(stack, "registry", {
      repositories: { "keep/all": { lifecycleRules: false }, "keep/too": { lifecycleRules: [] }, "cleaned/up": {} },
    });
    expect(Object.keys(byRepository(stack, "aws_ecr_lifecycle_policy"))).toEqual(["cleaned/up"]);
    expect(registry.repository("keep/all").lifecycleRules).toEqual([]);
    expect(registry.repository("keep/all").lifecyclePolicy).toBeUndefined();
  });

  it("grants least-privilege pull to node roles and accounts and push to CI roles", () => {
    const stack = testStack();
    new Registry(stack, "registry", {
      repositories: { "shop/api": {} },
      defaults: {
        pullPrincipalArns: [NODE_ROLE, NODE_ROLE],
        pullAccountIds: [OTHER_ACCOUNT],
        pushPrincipalArns: [CI_ROLE],
      },
    });
    expect(policyOf(stack, "shop/api")).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowPull",
          Effect: "Allow",
          Principal: { AWS: [NODE_ROLE, OTHER_ACCOUNT] },
          Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
        },
        {
          Sid: "AllowPushAndPull",
          Effect: "Allow",
          Principal: { AWS: [CI_ROLE] },
          Action: [
            "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchCheckLayerAvailability",
            "ecr:PutImage",
            "ecr:InitiateLayerUpload",
            "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload",
          ],
        },
      ],
    });
    // GetAuthorizationToken is identity-side only; no wildcard or destructive action sneaks in.
    const actions = policyOf(stack, "shop/api").Statement.flatMap((s: any) => s.Action);
    expect(actions).not.toContain("ecr:GetAuthorizationToken");
    expect(actions.some((a: string) => a.includes("*") || /Delete|SetRepositoryPolicy/.test(a))).toBe(false);
    expect(ECR_PUSH_ACTIONS).toEqual(expect.arrayContaining([...ECR_PULL_ACTIONS]));
  });

  it("renders a pull-only policy when only pull principals are given", () => {
    const stack = testStack();
    new Registry(stack, "registry", { repositories: { web: { pullAccountIds: [OTHER_ACCOUNT] } } });
    const policy = policyOf(stack, "web");
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]).toMatchObject({ Sid: "AllowPull", Principal: { AWS: [OTHER_ACCOUNT] } });
  });

  it("takes Terraform references as principals (cluster nodeRoleArns) and renders them with jsonencode", () => {
    const stack = testStack();
    const role = new TerraformVariable(stack, "node_role_arn", { type: "string" });
    const ciRoles = new TerraformVariable(stack, "ci_role_arns", { type: "list(string)" });
    new Registry(stack, "registry", {
      repositories: { "shop/api": { pullPrincipalArns: [role.stringValue], pushPrincipalArns: ciRoles.listValue } },
    });
    const policy = byRepository(stack, "aws_ecr_repository_policy")["shop/api"].policy as string;
    expect(policy).toMatch(/^\$\{jsonencode\(/);
    expect(policy).toContain('"AWS" = [var.node_role_arn]');
    expect(policy).toContain('"AWS" = var.ci_role_arns');
    expect(policy).toContain('"ecr:PutImage"');
  });

  it("mixes literal principals with a list reference through concat(), keeping both", () => {
    const stack = testStack();
    const nodeRoles = new TerraformVariable(stack, "node_role_arns", { type: "list(string)" });
    new Registry(stack, "registry", {
      repositories: { "shop/api": { pullPrincipalArns: nodeRoles.listValue, pullAccountIds: [OTHER_ACCOUNT] } },
    });
    const policy = byRepository(stack, "aws_ecr_repository_policy")["shop/api"].policy as string;
    expect(policy).toMatch(/^\$\{jsonencode\(/);
    expect(policy).toContain(`"AWS" = concat(["${OTHER_ACCOUNT}"], var.node_role_arns)`);
  });

  it("creates the repository and its policies with the registry's provider; the same name under another provider is no clash", () => {
    const stack = testStack();
    const frankfurt = new AwsProvider(stack, "frankfurt", { region: "eu-central-1", alias: "frankfurt" });
    const dr = new Registry(stack, "dr", {
      provider: frankfurt,
      repositories: { "shop/api": { pullAccountIds: [OTHER_ACCOUNT] } },
    });
    expect(() => new Registry(stack, "main", { repositories: { "shop/api": {} } })).not.toThrow();
    expect(dr.repository("shop/api").provider).toBe(frankfurt);
    const providers = (type: string, prefix: string) =>
      Object.entries(resourcesOf(stack, type))
        .filter(([key]) => key.startsWith(prefix))
        .map(([, r]: [string, any]) => r.provider);
    expect(providers("aws_ecr_repository", "dr_")).toEqual(["aws.frankfurt"]);
    expect(providers("aws_ecr_lifecycle_policy", "dr_")).toEqual(["aws.frankfurt"]);
    expect(providers("aws_ecr_repository_policy", "dr_")).toEqual(["aws.frankfurt"]);
    expect(providers("aws_ecr_repository", "main_")).toEqual([undefined]);
  });

  it("applies per-repository overrides over the registry defaults", () => {
    const stack = testStack();
    const kms = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const registry = new Registry(stack, "registry", {
      defaults: { pullPrincipalArns: [NODE_ROLE], tags: { team: "shop", env: "prod" }, kmsKeyArn: kms },
      repositories: {
        "shop/api": {},
        "shop/web": {
          imageTagMutability: "MUTABLE",
          scanOnPush: false,
          tags: { env: "dev" },
          pullPrincipalArns: [CI_ROLE],
          kmsKeyArn: undefined,
        },
        "shop/scratch": { removalPolicy: "destroy", lifecycleRules: [LifecycleRules.keepLast(5)] },
      },
    });
    const repos = reposByName(stack);
    expect(repos["shop/api"]).toMatchObject({
      image_tag_mutability: "IMMUTABLE",
      tags: { team: "shop", env: "prod" },
      encryption_configuration: [{ encryption_type: "KMS", kms_key: kms }],
    });
    expect(repos["shop/web"]).toMatchObject({
      image_tag_mutability: "MUTABLE",
      image_scanning_configuration: { scan_on_push: false },
      tags: { team: "shop", env: "dev" },
    });
    // An explicit undefined doesn't erase the default.
    expect(repos["shop/web"].encryption_configuration).toEqual([{ encryption_type: "KMS", kms_key: kms }]);
    expect(repos["shop/scratch"].force_delete).toBe(true);
    expect(repos["shop/scratch"].lifecycle).toBeUndefined();
    expect(registry.repository("shop/scratch").removalPolicy).toBe("destroy");
    // Lists replace the default whole.
    expect(policyOf(stack, "shop/web").Statement[0].Principal.AWS).toEqual([CI_ROLE]);
    expect(policyOf(stack, "shop/api").Statement[0].Principal.AWS).toEqual([NODE_ROLE]);
    expect(lifecycleOf(stack, "shop/scratch").rules).toHaveLength(1);
  });

  it("derives Terraform addresses from repository names, so reordering changes nothing", () => {
    const a = testStack("a");
    new Registry(a, "registry", {
      repositories: { "shop/api": {}, "shop/web": { imageTagMutability: "MUTABLE" }, "tools/ci": {} },
    });
    const b = testStack("a");
    new Registry(b, "registry", {
      repositories: { "tools/ci": {}, "shop/web": { imageTagMutability: "MUTABLE" }, "shop/api": {} },
    });
    const idsOf = (stack: any) =>
      Object.entries(resourcesOf(stack, "aws_ecr_repository"))
        .map(([id, r]: [string, any]) => `${id}=${r.name}`)
        .sort();
    expect(idsOf(a)).toEqual(idsOf(b));
    expect(idsOf(a).find((x) => x.endsWith("=shop/api"))).toMatch(/^registry_shop--api_repository_/);
  });

  it("exposes typed attributes per repository and adds repositories later", () => {
    const stack = testStack();
    const registry = new Registry(stack, "registry", { repositories: { "shop/api": {} } });
    const added = registry.addRepository("shop/worker", { imageTagMutability: "MUTABLE" });
    const api = registry.repository("shop/api");
    expect(registry.repositoryNames).toEqual(["shop/api", "shop/worker"]);
    expect(registry.repositories).toEqual([api, added]);
    expect(api.name).toBe("shop/api");
    const out = resolved(stack, { url: api.repositoryUrl, arn: api.repositoryArn, name: api.repositoryName });
    expect(out.url).toMatch(/^\$\{aws_ecr_repository\.registry_shop--api_repository_\w+\.repository_url\}$/);
    expect(out.arn).toMatch(/^\$\{aws_ecr_repository\.registry_shop--api_repository_\w+\.arn\}$/);
    expect(out.name).toMatch(/^\$\{aws_ecr_repository\.registry_shop--api_repository_\w+\.name\}$/);
    expect(reposByName(stack)["shop/worker"].image_tag_mutability).toBe("MUTABLE");
  });

  it("builds image references: digest preferred, version tags accepted, latest only when allowed", () => {
    const stack = testStack();
    const repo = new Registry(stack, "registry", { repositories: { "shop/api": {} } }).repository("shop/api");
    const out = resolved(stack, {
      digest: repo.imageReference({ digest: DIGEST }),
      tag: repo.imageReference({ tag: "1.4.2" }),
      latest: repo.imageReference({ tag: "latest", allowLatest: true }),
    });
    const url = /^\$\{(aws_ecr_repository\.registry_shop--api_repository_\w+\.repository_url)\}/.exec(out.digest)?.[1];
    expect(url).toBeDefined();
    expect(out.digest).toBe(`\${${url}}@${DIGEST}`);
    expect(out.tag).toBe(`\${${url}}:1.4.2`);
    expect(out.latest).toBe(`\${${url}}:latest`);

    const literal = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api";
    expect(imageReference(literal, { digest: DIGEST })).toBe(`${literal}@${DIGEST}`);
    expect(imageReference(literal, { tag: "v2_rc-1.0" })).toBe(`${literal}:v2_rc-1.0`);
    expect(imageReference("localhost:5000/app", { tag: "1" })).toBe("localhost:5000/app:1");
  });
});

describe("RegistrySettings", () => {
  it("manages enhanced continuous scanning of every repository by default", () => {
    const stack = testStack();
    const settings = new RegistrySettings(stack, "ecr", {
      region: "eu-west-1",
      accountId: "123456789012",
      scanning: {},
    });
    expect(settings.scanType).toBe("ENHANCED");
    expect(Testing.synth(stack)).toHaveResourceWithProperties(EcrRegistryScanningConfiguration, {
      scan_type: "ENHANCED",
      rule: [{ scan_frequency: "CONTINUOUS_SCAN", repository_filter: [{ filter: "*", filter_type: "WILDCARD" }] }],
    });
  });

  it("renders scanning rules per frequency with wildcard filters, and basic scanning", () => {
    const enhanced = testStack();
    new RegistrySettings(enhanced, "ecr", {
      region: "eu-west-1",
      accountId: "123456789012",
      scanning: {
        rules: [{ frequency: "CONTINUOUS_SCAN", repositoryFilters: ["prod/*"] }, { frequency: "SCAN_ON_PUSH" }],
      },
    });
    expect(Testing.synth(enhanced)).toHaveResourceWithProperties(EcrRegistryScanningConfiguration, {
      scan_type: "ENHANCED",
      rule: [
        { scan_frequency: "CONTINUOUS_SCAN", repository_filter: [{ filter: "prod/*", filter_type: "WILDCARD" }] },
        { scan_frequency: "SCAN_ON_PUSH", repository_filter: [{ filter: "*", filter_type: "WILDCARD" }] },
      ],
    });
    const basic = testStack();
    new RegistrySettings(basic, "ecr", { region: "eu-west-1", accountId: "123456789012", scanning: { type: "BASIC" } });
    expect(Testing.synth(basic)).toHaveResourceWithProperties(EcrRegistryScanningConfiguration, {
      scan_type: "BASIC",
      rule: [{ scan_frequency: "SCAN_ON_PUSH", repository_filter: [{ filter: "*", filter_type: "WILDCARD" }] }],
    });
  });

  it("replicates to other regions and accounts, defaulting the destination account to the source", () => {
    const stack = testStack();
    new RegistrySettings(stack, "ecr", {
      region: "eu-west-1",
      accountId: "123456789012",
      replication: [
        {
          destinations: [{ region: "eu-central-1" }, { region: "eu-west-1", accountId: OTHER_ACCOUNT }],
          repositoryPrefixes: ["shop/", "tools"],
        },
        { destinations: [{ region: "us-east-1" }] },
      ],
    });
    const config = Object.values(resourcesOf(stack, "aws_ecr_replication_configuration"))[0];
    expect(config.replication_configuration.rule).toEqual([
      {
        destination: [
          { region: "eu-central-1", registry_id: "123456789012" },
          { region: "eu-west-1", registry_id: OTHER_ACCOUNT },
        ],
        repository_filter: [
          { filter: "shop/", filter_type: "PREFIX_MATCH" },
          { filter: "tools", filter_type: "PREFIX_MATCH" },
        ],
      },
      { destination: [{ region: "us-east-1", registry_id: "123456789012" }] },
    ]);
  });

  it("creates pull-through cache rules for public upstreams, addressed by prefix", () => {
    const stack = testStack();
    const settings = new RegistrySettings(stack, "ecr", {
      region: "eu-west-1",
      accountId: "123456789012",
      pullThroughCache: [
        { upstream: "ecr-public" },
        { upstream: "k8s" },
        { upstream: "quay", repositoryPrefix: "mirror/quay" },
        { upstream: "docker-hub", credentialArn: DOCKER_HUB_SECRET },
        { upstream: "github", credentialArn: GITHUB_SECRET },
      ],
    });
    const rules = Object.fromEntries(
      Object.values(resourcesOf(stack, "aws_ecr_pull_through_cache_rule")).map((r: any) => [
        r.ecr_repository_prefix,
        r,
      ]),
    );
    expect(rules).toEqual({
      "ecr-public": { ecr_repository_prefix: "ecr-public", upstream_registry_url: "public.ecr.aws" },
      k8s: { ecr_repository_prefix: "k8s", upstream_registry_url: "registry.k8s.io" },
      "mirror/quay": { ecr_repository_prefix: "mirror/quay", upstream_registry_url: "quay.io" },
      "docker-hub": {
        ecr_repository_prefix: "docker-hub",
        upstream_registry_url: "registry-1.docker.io",
        credential_arn: DOCKER_HUB_SECRET,
      },
      github: { ecr_repository_prefix: "github", upstream_registry_url: "ghcr.io", credential_arn: GITHUB_SECRET },
    });
    expect(Object.keys(settings.pullThroughCacheRules).sort()).toEqual([
      "docker-hub",
      "ecr-public",
      "github",
      "k8s",
      "mirror/quay",
    ]);
    expect(
      Object.keys(resourcesOf(stack, "aws_ecr_pull_through_cache_rule")).find((id) => id.includes("docker-hub")),
    ).toBeDefined();
    expect(PULL_THROUGH_UPSTREAMS["docker-hub"].url).toBe("registry-1.docker.io");
    expect(Testing.synth(stack)).toHaveResource(EcrPullThroughCacheRule);
  });

  it("grants a puller's role what the first pull through the cache needs, scoped to the cache's prefixes", () => {
    const stack = testStack();
    const settings = new RegistrySettings(stack, "ecr", {
      region: "eu-west-1",
      accountId: "123456789012",
      pullThroughCache: [{ upstream: "ecr-public" }, { upstream: "quay", repositoryPrefix: "mirror/quay" }],
    });
    settings.grantPullThroughCache("arn:aws:iam::123456789012:role/node-role");
    // Granted twice, made once.
    settings.grantPullThroughCache(["arn:aws:iam::123456789012:role/node-role"]);
    const policies = resourcesOf(stack, "aws_iam_role_policy");
    expect(Object.keys(policies)).toEqual([expect.stringContaining("pull-through-cache-grant-role-node-role")]);
    const [policy] = Object.values(policies) as any[];
    expect(policy.role).toBe("node-role");
    expect(JSON.parse(policy.policy).Statement).toEqual([
      {
        Sid: "CreateCacheRepositoriesOnFirstPull",
        Effect: "Allow",
        Action: ["ecr:CreateRepository", "ecr:BatchImportUpstreamImage"],
        Resource: [
          "arn:aws:ecr:eu-west-1:123456789012:repository/ecr-public/*",
          "arn:aws:ecr:eu-west-1:123456789012:repository/mirror/quay/*",
        ],
      },
    ]);
    // No cache: nothing to grant.
    const bareStack = testStack();
    const bare = new RegistrySettings(bareStack, "ecr", { region: "eu-west-1", accountId: "123456789012" });
    bare.grantPullThroughCache("arn:aws:iam::123456789012:role/node-role");
    expect(resourcesOf(bareStack, "aws_iam_role_policy")).toEqual({});
  });

  it("grants a cluster's node and Fargate roles through the cache at synth, one policy per role, keyed by node group and profile", () => {
    const stack = testStack();
    const settings = new RegistrySettings(stack, "ecr", {
      region: "eu-west-1",
      accountId: "123456789012",
      pullThroughCache: [{ upstream: "ecr-public" }],
    });
    const cluster = new EksCluster(stack, "eks", { name: "test", network: testNetwork(stack), admins: [ADMIN_ARN] });
    settings.grantPullThroughCache(cluster);
    // Compute added after the grant is included.
    cluster.addNodeGroup("general", {});
    cluster.addFargateProfile("batch", { selectors: [{ namespace: "batch" }] });
    const policies = resourcesOf(stack, "aws_iam_role_policy");
    const grants = Object.keys(policies)
      .filter((k) => k.includes("pull-through-cache-grant"))
      .sort();
    expect(grants.map((k) => k.replace(/_[0-9A-F]{8}$/, ""))).toEqual([
      "ecr_pull-through-cache-grant-batch",
      "ecr_pull-through-cache-grant-general",
    ]);
    expect(grants.map((k) => policies[k].role)).toEqual([
      expect.stringMatching(/^\$\{aws_iam_role\.eks_batch_pod-execution-role.*\.name\}$/),
      expect.stringMatching(/^\$\{aws_iam_role\.eks_general_node-role.*\.name\}$/),
    ]);
  });

  it("throws when a pull-through grantee is a role ARN known only at apply", () => {
    const stack = testStack();
    const settings = new RegistrySettings(stack, "ecr", {
      region: "eu-west-1",
      accountId: "123456789012",
      pullThroughCache: [{ upstream: "ecr-public" }],
    });
    const arn = new TerraformVariable(stack, "role", { type: "string" }).stringValue;
    expect(() => settings.grantPullThroughCache(arn)).toThrow(
      `RegistrySettings 'ecr': grantPullThroughCache[0] "${arn}" is a role ARN known only at apply; grant the cluster, or pass literal role ARNs: the grant is an inline policy on the role, addressed by its name`,
    );
  });

  it("creates scanning, replication and pull-through cache rules with the given provider", () => {
    const stack = testStack();
    const frankfurt = new AwsProvider(stack, "frankfurt", { region: "eu-central-1", alias: "frankfurt" });
    new RegistrySettings(stack, "ecr", {
      region: "eu-central-1",
      accountId: "123456789012",
      provider: frankfurt,
      scanning: {},
      replication: [{ destinations: [{ region: "eu-west-1" }] }],
      pullThroughCache: [{ upstream: "ecr-public" }],
    });
    for (const type of [
      "aws_ecr_registry_scanning_configuration",
      "aws_ecr_replication_configuration",
      "aws_ecr_pull_through_cache_rule",
    ]) {
      expect(Object.values(resourcesOf(stack, type)).map((r: any) => r.provider)).toEqual(["aws.frankfurt"]);
    }
  });

  it("creates nothing it isn't asked for", () => {
    const stack = testStack();
    new RegistrySettings(stack, "ecr", { region: "eu-west-1", accountId: "123456789012" });
    expect(synthJson(stack).resource).toBeUndefined();
  });

  it("allows one settings construct per region of an account", () => {
    const stack = testStack();
    new RegistrySettings(stack, "ireland", { region: "eu-west-1", accountId: "123456789012" });
    const frankfurt = new AwsProvider(stack, "aws-frankfurt", { region: "eu-central-1", alias: "frankfurt" });
    new RegistrySettings(stack, "frankfurt", {
      region: "eu-central-1",
      accountId: "123456789012",
      provider: frankfurt,
    });
    new RegistrySettings(stack, "other-account", { region: "eu-west-1", accountId: OTHER_ACCOUNT });
    expect(() => synthJson(stack)).not.toThrow();
  });

  it("throws when the settings' region is not their provider's", () => {
    expect(
      () => new RegistrySettings(testStack(), "ecr", { region: "eu-central-1", accountId: "123456789012" }),
    ).toThrow(
      `RegistrySettings 'ecr': region "eu-central-1" differs from the region of its AWS provider (eu-west-1), where the settings would be made; use "eu-west-1", or pass the provider of eu-central-1 as provider`,
    );
  });
});

describe("Registry snapshot", () => {
  it("matches the snapshot of a representative registry and settings", () => {
    const stack = testStack();
    new Registry(stack, "registry", {
      defaults: { pullPrincipalArns: [NODE_ROLE], pushPrincipalArns: [CI_ROLE], tags: { team: "shop" } },
      repositories: {
        "shop/api": {},
        "shop/web": {
          imageTagMutability: "MUTABLE",
          lifecycleRules: [LifecycleRules.expireUntagged(3), LifecycleRules.keepLast(50)],
        },
        "shop/batch": { pullAccountIds: [OTHER_ACCOUNT], lifecycleRules: false },
      },
    });
    new RegistrySettings(stack, "registry-settings", {
      region: "eu-west-1",
      accountId: "123456789012",
      scanning: {},
      replication: [{ destinations: [{ region: "eu-central-1" }] }],
      pullThroughCache: [{ upstream: "ecr-public" }, { upstream: "docker-hub", credentialArn: DOCKER_HUB_SECRET }],
    });
    expect(Testing.synth(stack)).toMatchSnapshot();
  });
});
