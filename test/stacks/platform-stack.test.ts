import { Testing } from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { dev, prod } from "../../config/environments";
import { buildApp, environmentNames } from "../../main";
import { PlatformStack, repositoriesOf } from "../../stacks/platform-stack";
import { warningsOf } from "../fixtures";

describe("PlatformStack", () => {
  // The snapshots of platform-dev and platform-prod are the default app's (test/app/default-app-snapshots.test.ts):
  // one reviewed snapshot per stack.

  it("holds the AWS provider with the environment's region and default tags", () => {
    const json = JSON.parse(Testing.synth(new PlatformStack(Testing.app(), "platform-dev", dev)));
    expect(json.provider.aws).toEqual([{ region: "eu-west-1", default_tags: [{ tags: dev.tags }] }]);
    expect(json.provider.kubernetes).toBeUndefined();
  });

  it("tags the network's subnets for the environment's cluster", () => {
    const stack = new PlatformStack(Testing.app(), "platform-dev", dev);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Vpc, { cidr_block: "10.10.0.0/16" });
    expect(stack.network.subnetsOf("private")).toHaveLength(2);
    const json = JSON.parse(Testing.synth(stack));
    for (const subnet of Object.values(json.resource.aws_subnet) as any[]) {
      expect(subnet.tags["kubernetes.io/cluster/platform-dev"]).toBe("shared");
    }
  });

  it("outputs what users and other stacks need: kubeconfig command, cluster endpoint and CA, repository URLs", () => {
    const json = JSON.parse(Testing.synth(new PlatformStack(Testing.app(), "platform-dev", dev)));
    expect(Object.keys(json.output).sort()).toEqual([
      "cluster_certificate_authority_data",
      "cluster_endpoint",
      "cluster_name",
      "cluster_oidc_provider_arn",
      "kubeconfig_command",
      "nat_public_ips",
      "private_subnet_ids",
      "public_subnet_ids",
      "repository_urls",
      "vpc_id",
    ]);
    expect(json.output.kubeconfig_command.value).toBe(
      "aws eks update-kubeconfig --region eu-west-1 --name platform-dev",
    );
    // One URL per repository of the config (the default app's config is the user's to change).
    const repositories = Object.keys(repositoriesOf(dev));
    expect(repositories.length).toBeGreaterThan(0);
    expect(Object.keys(json.output.repository_urls.value).sort()).toEqual([...repositories].sort());
    for (const name of repositories)
      expect(json.output.repository_urls.value[name]).toMatch(/^\$\{aws_ecr_repository\..+\.repository_url\}$/);
  });

  it("grants every node role of the cluster pull access to every repository", () => {
    // prod's node groups, with the sample's repositories (prod has none of its own).
    const json = JSON.parse(
      Testing.synth(new PlatformStack(Testing.app(), "platform-prod", { ...prod, sample: true })),
    );
    const nodeRoles = Object.keys(json.resource.aws_iam_role).filter(
      (k) => k.includes("node-group") && k.includes("node-role"),
    );
    // One role per node group of the config, one policy per repository.
    expect(nodeRoles).toHaveLength(Object.keys(prod.nodeGroups).length);
    expect(nodeRoles.length).toBeGreaterThan(0);
    const policies = Object.values(json.resource.aws_ecr_repository_policy) as any[];
    expect(policies).toHaveLength(Object.keys(repositoriesOf({ ...prod, sample: true })).length);
    for (const p of policies) for (const role of nodeRoles) expect(p.policy).toContain(`aws_iam_role.${role}.arn`);
  });

  it("dev and prod synthesize with validations and without a single warning", () => {
    for (const config of [dev, prod]) {
      const stack = new PlatformStack(Testing.app(), `platform-${config.environment}`, config);
      Testing.synth(stack, true);
      expect(warningsOf(stack)).toEqual([]);
    }
  });

  it("prod: the system node group takes coredns, metrics-server and the EBS CSI controller", () => {
    const stack = new PlatformStack(Testing.app(), "platform-prod", prod);
    expect(stack.nodeGroups.system.role).toBe("system");
    expect(stack.cluster.systemNodePlacement).toEqual({
      nodeSelector: { "eks-platform.io/node-role": "system" },
      tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
    });
    const addons = Object.values(JSON.parse(Testing.synth(stack)).resource.aws_eks_addon) as any[];
    const placed = addons
      .filter((a) => a.configuration_values?.includes("eks-platform.io/node-role"))
      .map((a) => a.addon_name);
    expect(placed.sort()).toEqual(["aws-ebs-csi-driver", "coredns", "metrics-server"]);
  });

  it("grants every node and Fargate role the pull-through cache's first-pull rights when the stack has a cache", () => {
    const stack = new PlatformStack(Testing.app(), "platform-prod", {
      ...prod,
      registrySettings: { accountId: "123456789012", pullThroughCache: [{ upstream: "ecr-public" }] },
    });
    const policies = JSON.parse(Testing.synth(stack)).resource.aws_iam_role_policy as Record<string, any>;
    const grants = Object.entries(policies).filter(([, p]) => p.name_prefix === "ecr-pull-through-cache-");
    // Keyed by node group and Fargate profile id (the node groups' addresses are those the stack's own grants had).
    expect(grants.map(([k]) => k.replace(/_[0-9A-F]{8}$/, "")).sort()).toEqual([
      "registry-settings_pull-through-cache-grant-fargate-batch",
      "registry-settings_pull-through-cache-grant-node-group-apps-eu-west-1a",
      "registry-settings_pull-through-cache-grant-node-group-apps-eu-west-1b",
      "registry-settings_pull-through-cache-grant-node-group-apps-eu-west-1c",
      "registry-settings_pull-through-cache-grant-node-group-system",
    ]);
    expect(grants.map(([, p]) => p.role).sort()).toEqual([
      expect.stringMatching(/^\$\{aws_iam_role\.cluster_fargate-batch_pod-execution-role.*\.name\}$/),
      expect.stringMatching(/^\$\{aws_iam_role\.cluster_node-group-apps-eu-west-1a_node-role.*\.name\}$/),
      expect.stringMatching(/^\$\{aws_iam_role\.cluster_node-group-apps-eu-west-1b_node-role.*\.name\}$/),
      expect.stringMatching(/^\$\{aws_iam_role\.cluster_node-group-apps-eu-west-1c_node-role.*\.name\}$/),
      expect.stringMatching(/^\$\{aws_iam_role\.cluster_node-group-system_node-role.*\.name\}$/),
    ]);
    expect(JSON.parse(grants[0][1].policy).Statement[0].Resource).toEqual([
      "arn:aws:ecr:eu-west-1:123456789012:repository/ecr-public/*",
    ]);
  });

  it("throws when the provider region and the AZs disagree", () => {
    expect(() => new PlatformStack(Testing.app(), "bad", { ...dev, region: "us-east-1" })).toThrow(
      `PlatformStack 'bad': region "us-east-1" differs from the region of network.availabilityZones (eu-west-1); use AZs of the provider's region`,
    );
  });

  it("the default app synthesizes every stack of every environment; PLATFORM_ENVS narrows it", () => {
    const ids = (app: ReturnType<typeof buildApp>) => app.node.children.map((c) => c.node.id);
    const all = ["platform-dev", "workloads-dev", "platform-prod", "workloads-prod"];
    expect(ids(buildApp(Testing.app(), environmentNames(undefined)))).toEqual(all);
    expect(ids(buildApp(Testing.app(), environmentNames("")))).toEqual(all);
    expect(environmentNames("prod")).toEqual(["prod"]);
    expect(ids(buildApp(Testing.app(), environmentNames(" prod ")))).toEqual(["platform-prod", "workloads-prod"]);
    expect(() => buildApp(Testing.app(), ["staging"])).toThrow(
      `PLATFORM_ENVS: unknown environment "staging"; use one or more of dev, prod`,
    );
  });
});
