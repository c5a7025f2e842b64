/// <reference types="cdktf/lib/testing/adapters/jest" />
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { EksCluster } from "../../constructs/eks/cluster";
import { Registry } from "../../constructs/registry/registry";
import { Repository } from "../../constructs/registry/repository";
import { resourcesOf, synthJson, testNetwork, testStack } from "../fixtures";
import { ADMIN_ARN } from "./fixtures";

const CI = "arn:aws:iam::123456789012:role/ci-deploy";

function clusterIn(stack: TerraformStack): EksCluster {
  return new EksCluster(stack, "cluster", { name: "test", network: testNetwork(stack), admins: [ADMIN_ARN] });
}

function addCompute(cluster: EksCluster): void {
  cluster.addNodeGroup("general");
  cluster.addFargateProfile("batch", { selectors: [{ namespace: "batch" }] });
}

/** The repository policies of a stack, as Terraform JSON. */
function policies(stack: TerraformStack): Record<string, any> {
  return resourcesOf(stack, "aws_ecr_repository_policy");
}

describe("registry pull grants", () => {
  it("gives the same repository policy whether the registry is built before or after the compute", () => {
    const before = testStack("before");
    const c1 = clusterIn(before);
    const r1 = new Registry(before, "registry", {
      repositories: { "apps/web": {} },
      defaults: { pushPrincipalArns: [CI] },
    });
    r1.grantPull(c1);
    addCompute(c1);

    const after = testStack("after");
    const c2 = clusterIn(after);
    addCompute(c2);
    const r2 = new Registry(after, "registry", {
      repositories: { "apps/web": {} },
      defaults: { pushPrincipalArns: [CI] },
    });
    r2.grantPull(c2);

    expect(JSON.stringify(policies(before))).toEqual(JSON.stringify(policies(after)));
    // ...and it holds the node role and the Fargate pod execution role.
    const [policy] = Object.values(policies(after));
    expect(policy.policy).toContain("aws_iam_role.cluster_general_node-role_");
    expect(policy.policy).toContain("aws_iam_role.cluster_batch_pod-execution-role_");
    expect(policy.policy).toContain(CI);
  });

  it("covers repositories added to the registry after the grant", () => {
    const stack = testStack();
    const cluster = clusterIn(stack);
    const registry = new Registry(stack, "registry");
    registry.grantPull(cluster);
    registry.addRepository("apps/late");
    addCompute(cluster);
    const [policy] = Object.values(policies(stack));
    expect(policy.repository).toMatch(/^\$\{aws_ecr_repository.registry_apps--late_repository_[0-9A-F]+.name\}$/);
    expect(policy.policy).toContain("pod-execution-role");
  });

  it("creates the policy on the first grant of a repository that had none, with literal ARNs as plain JSON", () => {
    const stack = testStack();
    const repository = new Repository(stack, "repo", { name: "apps/api" });
    expect(repository.policy).toBeUndefined();
    repository.grantPull("arn:aws:iam::210987654321:role/puller");
    expect(repository.policy).toBeDefined();
    const [policy] = Object.values(policies(stack));
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowPull",
          Effect: "Allow",
          Principal: { AWS: ["arn:aws:iam::210987654321:role/puller"] },
          Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
        },
      ],
    });
  });

  it("accepts a list token as the grantee (e.g. role ARNs from a variable)", () => {
    const stack = testStack();
    const roles = new TerraformVariable(stack, "puller_roles", { type: "list(string)" });
    const repository = new Repository(stack, "repo", { name: "apps/api" });
    repository.grantPull(roles.listValue);
    const [policy] = Object.values(policies(stack));
    expect(policy.policy).toContain("var.puller_roles");
  });

  it("throws when a granted ARN is not an IAM role or user ARN", () => {
    const repository = new Repository(testStack(), "repo", { name: "apps/api" });
    expect(() => repository.grantPull("arn:aws:iam::123456789012:group/devs")).toThrow(
      "Repository 'apps/api': pullPrincipalArns[0] \"arn:aws:iam::123456789012:group/devs\" is not an IAM role or user ARN; use arn:aws:iam::<12-digit account>:role/<name> or :user/<name>",
    );
  });

  it("throws at synth when a granted cluster has no compute, so nothing would be granted", () => {
    const stack = testStack();
    const cluster = clusterIn(stack);
    new Registry(stack, "registry", { repositories: { "apps/web": {} } }).grantPull(cluster);
    expect(() => Testing.synth(stack, true)).toThrow(
      "Repository 'apps/web': grantPull was called, but at synth nobody is granted anything (a granted cluster has no node group or Fargate profile); add compute to the cluster, or remove the grant",
    );
  });
});

describe("Repository.fromRepositoryName", () => {
  it("gives the URL and ARN of an existing repository, and image references, without creating anything", () => {
    const stack = testStack();
    const repo = Repository.fromRepositoryName(stack, "shared", "base/node", {
      accountId: "210987654321",
      region: "eu-central-1",
    });
    expect(repo.repositoryUrl).toBe("210987654321.dkr.ecr.eu-central-1.amazonaws.com/base/node");
    expect(repo.repositoryArn).toBe("arn:aws:ecr:eu-central-1:210987654321:repository/base/node");
    expect(repo.imageReference({ tag: "20.1" })).toBe("210987654321.dkr.ecr.eu-central-1.amazonaws.com/base/node:20.1");
    expect(synthJson(stack).resource).toBeUndefined();
  });

  it("uses the China partition's domain and ARNs in cn regions", () => {
    const repo = Repository.fromRepositoryName(testStack(), "cn", "base/node", {
      accountId: "210987654321",
      region: "cn-north-1",
    });
    expect(repo.repositoryUrl).toBe("210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn/base/node");
    expect(repo.repositoryArn).toBe("arn:aws-cn:ecr:cn-north-1:210987654321:repository/base/node");
  });

  it("accepts references for the name, account and region", () => {
    const stack = testStack();
    const account = new TerraformVariable(stack, "account", { type: "string" });
    const repo = Repository.fromRepositoryName(stack, "ref", "base/node", {
      accountId: account.stringValue,
      region: "eu-west-1",
    });
    expect(repo.repositoryUrl).toContain(".dkr.ecr.eu-west-1.amazonaws.com/base/node");
  });

  it("throws when the account id is not 12 digits", () => {
    expect(() =>
      Repository.fromRepositoryName(testStack(), "bad", "base/node", { accountId: "12345", region: "eu-west-1" }),
    ).toThrow(
      'Repository.fromRepositoryName \'base/node\': accountId "12345" is not an AWS account id; use the 12-digit account number, e.g. "123456789012"',
    );
  });

  it("throws when the name is not an ECR repository name", () => {
    expect(() =>
      Repository.fromRepositoryName(testStack(), "bad", "Base/Node", {
        accountId: "210987654321",
        region: "eu-west-1",
      }),
    ).toThrow(/Repository.fromRepositoryName 'Base\/Node': name "Base\/Node" is not a valid ECR repository name/);
  });

  it("throws when the region is not a region name", () => {
    expect(() =>
      Repository.fromRepositoryName(testStack(), "bad", "base/node", {
        accountId: "210987654321",
        region: "eu-west-1a",
      }),
    ).toThrow(
      'Repository.fromRepositoryName \'base/node\': region "eu-west-1a" is not an AWS region name; use a name like "eu-west-1"',
    );
  });
});
