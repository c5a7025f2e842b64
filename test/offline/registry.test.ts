import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { LifecycleRules, Registry, RegistrySettings } from "../../constructs/registry";
import { testStack } from "../fixtures";
import { describeOffline, OFFLINE_TIMEOUT_MS, planStack } from "./harness";

// terraform validate + plan of a registry with every feature, against the real hashicorp/aws
// provider schema. Counts are exact: a change in what gets created must be deliberate.
describeOffline("Registry plans offline", (tools) => {
  it(
    "repositories with lifecycle and policies, plus scanning, replication and pull-through cache",
    () => {
      const stack = testStack("registry");
      // A role created in the same stack: its ARN is unknown until apply, so the policy goes through jsonencode().
      const ci = new IamRole(stack, "ci-role", {
        name: "ci-push",
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: "sts:AssumeRoleWithWebIdentity",
              Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
            },
          ],
        }),
      });
      const registry = new Registry(stack, "registry", {
        defaults: {
          pullPrincipalArns: ["arn:aws:iam::123456789012:role/eks-nodes"],
          pushPrincipalArns: [ci.arn],
          tags: { team: "shop" },
        },
        repositories: {
          "shop/api": {},
          "shop/web": {
            imageTagMutability: "MUTABLE",
            lifecycleRules: [
              LifecycleRules.expireUntagged(3),
              LifecycleRules.keepLastTagged(20, ["release-"]),
              LifecycleRules.keepLast(200),
            ],
          },
          "shop/scratch": {
            removalPolicy: "destroy",
            lifecycleRules: false,
            pullAccountIds: ["210987654321"],
            kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
          },
        },
      });
      expect(registry.repositoryNames).toHaveLength(3);
      new RegistrySettings(stack, "registry-settings", {
        region: "eu-west-1",
        accountId: "123456789012",
        scanning: {
          rules: [{ frequency: "CONTINUOUS_SCAN", repositoryFilters: ["shop/*"] }, { frequency: "SCAN_ON_PUSH" }],
        },
        replication: [
          {
            destinations: [{ region: "eu-central-1" }, { region: "eu-west-1", accountId: "210987654321" }],
            repositoryPrefixes: ["shop/"],
          },
        ],
        pullThroughCache: [
          { upstream: "ecr-public" },
          { upstream: "k8s" },
          {
            upstream: "docker-hub",
            credentialArn:
              "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf",
          },
        ],
      });

      const plan = planStack(stack, tools);
      expect(plan.createByType).toEqual({
        aws_iam_role: 1,
        aws_ecr_repository: 3,
        aws_ecr_lifecycle_policy: 2,
        aws_ecr_repository_policy: 3,
        aws_ecr_registry_scanning_configuration: 1,
        aws_ecr_replication_configuration: 1,
        aws_ecr_pull_through_cache_rule: 3,
      });
      expect(plan.actions).toEqual({ create: 14 });
    },
    OFFLINE_TIMEOUT_MS,
  );
});
