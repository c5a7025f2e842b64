/// <reference types="cdktf/lib/testing/adapters/jest" />
import { ITerraformDependable, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { INetwork, SubnetInfo, SubnetTier } from "../../constructs/network/types";
import { ManagedNodeGroup, NodeGroupOptions } from "../../constructs/eks/node-group";
import { ComputeRegistrationDetails } from "../../constructs/eks/compute-host";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { FakeCluster, resourcesOf, synthJson, testNetwork, testStack, warningsOf } from "../fixtures";

/** A network with literal ids, so the snapshot holds only the node group's own resources. */
class FakeNetwork extends Construct implements INetwork {
  readonly vpcId = "vpc-0123456789abcdef0";
  readonly vpcCidr = "10.0.0.0/16";
  readonly region = "eu-west-1";
  readonly availabilityZones = ["eu-west-1a", "eu-west-1b"];
  readonly ipv6Enabled = false;
  private readonly subnets: SubnetInfo[] = [
    {
      tier: "public",
      availabilityZone: "eu-west-1a",
      id: "subnet-0000000000000000a",
      cidr: "10.0.96.0/22",
      routeTableId: "rtb-0a",
    },
    {
      tier: "public",
      availabilityZone: "eu-west-1b",
      id: "subnet-0000000000000000b",
      cidr: "10.0.100.0/22",
      routeTableId: "rtb-0a",
    },
    {
      tier: "private",
      availabilityZone: "eu-west-1a",
      id: "subnet-1111111111111111a",
      cidr: "10.0.0.0/19",
      routeTableId: "rtb-1a",
    },
    {
      tier: "private",
      availabilityZone: "eu-west-1b",
      id: "subnet-1111111111111111b",
      cidr: "10.0.32.0/19",
      routeTableId: "rtb-1b",
    },
  ];
  subnetsOf(tier: SubnetTier): SubnetInfo[] {
    return this.subnets.filter((s) => s.tier === tier);
  }
  tierOfSubnet(id: string): SubnetTier | undefined {
    return this.subnets.find((s) => s.id === id)?.tier;
  }
}

function setup(options: NodeGroupOptions = {}): {
  stack: TerraformStack;
  cluster: FakeCluster;
  group: ManagedNodeGroup;
} {
  const stack = testStack();
  const cluster = new FakeCluster(stack, "cluster", testNetwork(stack));
  const group = new ManagedNodeGroup(stack, "workers", { cluster, ...options });
  return { stack, cluster, group };
}

/** The one resource of a type created under a construct id prefix (the network has its own roles). */
const only = (stack: TerraformStack, type: string, prefix = ""): any => {
  const all = Object.entries(resourcesOf(stack, type))
    .filter(([key]) => key.startsWith(prefix))
    .map(([, r]) => r);
  expect(all).toHaveLength(1);
  return all[0];
};

describe("ManagedNodeGroup", () => {
  it("defaults: IMDSv2 hop 1, encrypted gp3 50 GiB, AL2023 x86 on-demand m6i.large, autoscaled 2..4, max_unavailable 1, autoscaler tags, private subnets", () => {
    const { stack, cluster, group } = setup();
    const synth = Testing.synth(stack);
    const network = cluster.network;

    const lt = only(stack, "aws_launch_template");
    expect(lt.metadata_options).toEqual({
      http_endpoint: "enabled",
      http_tokens: "required",
      http_put_response_hop_limit: 1,
    });
    expect(lt.block_device_mappings).toEqual([
      {
        device_name: "/dev/xvda",
        ebs: { volume_type: "gp3", volume_size: 50, encrypted: "true", delete_on_termination: "true" },
      },
    ]);
    expect(lt.instance_type).toBeUndefined();
    expect(lt.image_id).toBeUndefined();
    expect(lt.tag_specifications.map((t: any) => t.resource_type)).toEqual(["instance", "volume", "network-interface"]);
    expect(lt.tag_specifications[0].tags).toEqual({ Name: "test-workers" });

    const ng = only(stack, "aws_eks_node_group");
    expect(ng.ami_type).toBe("AL2023_x86_64_STANDARD");
    expect(ng.capacity_type).toBe("ON_DEMAND");
    expect(ng.instance_types).toEqual(["m6i.large"]);
    expect(ng.disk_size).toBeUndefined();
    expect(ng.scaling_config).toEqual({ min_size: 2, max_size: 4, desired_size: 2 });
    expect(ng.update_config).toEqual({ max_unavailable: 1 });
    expect(ng.node_repair_config).toEqual({ enabled: true });
    expect(ng.tags).toEqual({ "k8s.io/cluster-autoscaler/enabled": "true", "k8s.io/cluster-autoscaler/test": "owned" });
    expect(ng.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ["scaling_config[0].desired_size"] });
    expect(ng.node_group_name_prefix).toBe("workers-");
    expect(ng.node_group_name).toBeUndefined();
    expect(ng.cluster_name).toBe("test");
    expect(ng.version).toBe("1.33");
    expect(ng.labels).toBeUndefined();
    expect(ng.taint).toBeUndefined();
    expect(ng.remote_access).toBeUndefined();
    expect(ng.launch_template.id).toMatch(/^\$\{aws_launch_template\.[\w-]+\.id\}$/);
    expect(ng.launch_template.version).toMatch(/^\$\{aws_launch_template\.[\w-]+\.latest_version\}$/);

    // Private subnets only, in both AZs.
    expect(group.subnets.map((s) => s.tier)).toEqual(["private", "private"]);
    expect(group.subnets.map((s) => s.availabilityZone)).toEqual(["eu-west-1a", "eu-west-1b"]);
    expect(ng.subnet_ids).toEqual([
      expect.stringMatching(/^\$\{aws_subnet\.network_private-subnet-eu-west-1a_\w+\.id\}$/),
      expect.stringMatching(/^\$\{aws_subnet\.network_private-subnet-eu-west-1b_\w+\.id\}$/),
    ]);
    expect(network.subnetsOf("private").map((s) => s.availabilityZone)).toEqual(["eu-west-1a", "eu-west-1b"]);

    // Node role: EC2 trust, worker + pull-only + CNI, no SSM.
    expect(synth).toHaveResourceWithProperties(IamRole, { name_prefix: "test-workers-node-" });
    const role = only(stack, "aws_iam_role", "workers");
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    const policies = Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment")).map((a: any) => a.policy_arn);
    expect(policies.sort()).toEqual([
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    ]);

    expect(group.amiType).toBe("AL2023_x86_64_STANDARD");
    expect(group.capacityType).toBe("ON_DEMAND");
    expect(group.scaling).toEqual({ mode: "autoscaled", minSize: 2, maxSize: 4, desiredSize: 2 });
    expect(group.launchTemplate.httpPutResponseHopLimit).toBe(1);
    expect(group.launchTemplate.volumeSize).toBe(50);
    expect(warningsOf(stack)).toEqual([]);
  });

  it("waits for the cluster's compute dependencies and its role's policy attachments, and registers with the cluster", () => {
    const { stack, cluster, group } = setup();
    const ng = only(stack, "aws_eks_node_group");
    const attachments = Object.keys(resourcesOf(stack, "aws_iam_role_policy_attachment")).map(
      (k) => `aws_iam_role_policy_attachment.${k}`,
    );
    expect(ng.depends_on).toHaveLength(4);
    expect([...ng.depends_on].sort()).toEqual(
      [`aws_eks_addon.${Object.keys(resourcesOf(stack, "aws_eks_addon"))[0]}`, ...attachments].sort(),
    );
    expect(cluster.registered).toHaveLength(1);
    expect(cluster.registered[0].compute).toBe(group.nodeGroup);
    expect(cluster.registered[0].kind).toBe("node-group");
    const out = (name: string, value: unknown) => new TerraformOutput(stack, name, { value });
    out("registered", cluster.registered[0].nodeRoleArn);
    out("role_arn", group.nodeRoleArn);
    out("role_name", group.nodeRoleName);
    out("name", group.nodeGroupName);
    out("arn", group.nodeGroupArn);
    const outputs = synthJson(stack).output;
    const roleKey = Object.keys(resourcesOf(stack, "aws_iam_role")).find((k) => k.startsWith("workers"));
    const ngKey = Object.keys(resourcesOf(stack, "aws_eks_node_group"))[0];
    expect(outputs.registered.value).toBe(`\${aws_iam_role.${roleKey}.arn}`);
    expect(outputs.role_arn.value).toBe(`\${aws_iam_role.${roleKey}.arn}`);
    expect(outputs.role_name.value).toBe(`\${aws_iam_role.${roleKey}.name}`);
    expect(outputs.name.value).toBe(`\${aws_eks_node_group.${ngKey}.node_group_name}`);
    expect(outputs.arn.value).toBe(`\${aws_eks_node_group.${ngKey}.arn}`);
  });

  it("fixed scaling pins min = desired = max and lets Terraform manage desired size", () => {
    const { stack } = setup({ scaling: { mode: "fixed", size: 3 } });
    const ng = only(stack, "aws_eks_node_group");
    expect(ng.scaling_config).toEqual({ min_size: 3, max_size: 3, desired_size: 3 });
    expect(ng.lifecycle).toEqual({ create_before_destroy: true });
  });

  it("autoscaled desiredSize defaults to minSize and is ignored after creation", () => {
    const { stack } = setup({ scaling: { mode: "autoscaled", minSize: 1, maxSize: 10 } });
    const ng = only(stack, "aws_eks_node_group");
    expect(ng.scaling_config).toEqual({ min_size: 1, max_size: 10, desired_size: 1 });
    expect(ng.lifecycle.ignore_changes).toEqual(["scaling_config[0].desired_size"]);
  });

  it("spot ARM Bottlerocket: data volume /dev/xvdb sized, OS volume encrypted, KMS key, hop limit 2", () => {
    const kms = "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-1111-2222-3333-444455556666";
    const { stack } = setup({
      amiType: "BOTTLEROCKET_ARM_64",
      capacityType: "SPOT",
      instanceTypes: ["m7g.large", "m6g.large", "m7gd.large"],
      volumeSize: 100,
      volumeKmsKeyArn: kms,
      httpPutResponseHopLimit: 2,
    });
    const ng = only(stack, "aws_eks_node_group");
    expect(ng).toMatchObject({
      ami_type: "BOTTLEROCKET_ARM_64",
      capacity_type: "SPOT",
      instance_types: ["m7g.large", "m6g.large", "m7gd.large"],
    });
    const lt = only(stack, "aws_launch_template");
    expect(lt.metadata_options.http_put_response_hop_limit).toBe(2);
    expect(lt.block_device_mappings).toEqual([
      {
        device_name: "/dev/xvda",
        ebs: { volume_type: "gp3", encrypted: "true", kms_key_id: kms, delete_on_termination: "true" },
      },
      {
        device_name: "/dev/xvdb",
        ebs: {
          volume_type: "gp3",
          volume_size: 100,
          encrypted: "true",
          kms_key_id: kms,
          delete_on_termination: "true",
        },
      },
    ]);
    expect(warningsOf(stack)).toEqual([]);
  });

  it("defaults to m7g.large for ARM and g5.xlarge for NVIDIA AMIs", () => {
    expect(setup({ amiType: "AL2023_ARM_64_STANDARD" }).group.instanceTypes).toEqual(["m7g.large"]);
    expect(setup({ amiType: "AL2023_x86_64_NVIDIA" }).group.instanceTypes).toEqual(["g5.xlarge"]);
    expect(setup({ amiType: "BOTTLEROCKET_ARM_64_NVIDIA" }).group.instanceTypes).toEqual(["g5g.xlarge"]);
  });

  it("maps Kubernetes taint effects to the EKS enum and passes labels", () => {
    const { stack } = setup({
      labels: { "example.com/team": "payments", workload: "batch", "node.kubernetes.io/pool": "batch" },
      taints: [
        { key: "dedicated", value: "batch", effect: "NoSchedule" },
        { key: "example.com/preemptible", effect: "PreferNoSchedule" },
        { key: "drain", effect: "NO_EXECUTE" },
      ],
    });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(EksNodeGroup, {
      labels: { "example.com/team": "payments", workload: "batch", "node.kubernetes.io/pool": "batch" },
      taint: [
        { key: "dedicated", value: "batch", effect: "NO_SCHEDULE" },
        { key: "example.com/preemptible", effect: "PREFER_NO_SCHEDULE" },
        { key: "drain", effect: "NO_EXECUTE" },
      ],
    });
  });

  it("turns node auto repair off when asked", () => {
    const { stack, group } = setup({ nodeAutoRepair: false });
    expect(only(stack, "aws_eks_node_group").node_repair_config).toEqual({ enabled: false });
    expect(group.nodeAutoRepair).toBe(false);
  });

  it("makes each launch template change its default version, pinned by the node group to latest_version", () => {
    const { stack } = setup({ volumeSize: 80 });
    const lt = only(stack, "aws_launch_template");
    expect(lt.update_default_version).toBe(true);
    expect(lt.block_device_mappings[0].ebs.volume_size).toBe(80);
    expect(only(stack, "aws_eks_node_group").launch_template.version).toMatch(/\.latest_version\}$/);
  });

  it("puts permissionsBoundaryArn on the created node role", () => {
    const boundary = "arn:aws:iam::123456789012:policy/node-boundary";
    const { stack } = setup({ permissionsBoundaryArn: boundary });
    expect(only(stack, "aws_iam_role", "workers").permissions_boundary).toBe(boundary);
    expect(only(setup().stack, "aws_iam_role", "workers").permissions_boundary).toBeUndefined();
  });

  it("uses maxUnavailablePercentage instead of the node count when given", () => {
    const { stack, group } = setup({ maxUnavailablePercentage: 25 });
    expect(only(stack, "aws_eks_node_group").update_config).toEqual({ max_unavailable_percentage: 25 });
    expect(group.maxUnavailable).toBeUndefined();
  });

  it("places nodes in explicit subnets or another tier", () => {
    const stack = testStack();
    const network = testNetwork(stack, { intraSubnets: true });
    const cluster = new FakeCluster(stack, "cluster", network);
    const intra = new ManagedNodeGroup(stack, "isolated", { cluster, subnetTier: "intra" });
    expect(intra.subnets.map((s) => s.tier)).toEqual(["intra", "intra"]);
    const pub = new ManagedNodeGroup(stack, "edge", { cluster, subnetTier: "public", allowPublicSubnets: true });
    expect(pub.subnets.map((s) => s.tier)).toEqual(["public", "public"]);
    const explicit = new ManagedNodeGroup(stack, "pinned", { cluster, subnets: network.subnetsOf("private") });
    expect(explicit.subnets).toEqual(network.subnetsOf("private"));
  });

  it("shares a passed-in node role instead of creating one", () => {
    const stack = testStack();
    const cluster = new FakeCluster(stack, "cluster", testNetwork(stack));
    const nodeRole = { roleArn: "arn:aws:iam::123456789012:role/shared-nodes", roleName: "shared-nodes" };
    const group = new ManagedNodeGroup(stack, "workers", { cluster, nodeRole });
    expect(Object.keys(resourcesOf(stack, "aws_iam_role")).filter((k) => k.startsWith("workers"))).toEqual([]);
    expect(
      Object.keys(resourcesOf(stack, "aws_iam_role_policy_attachment")).filter((k) => k.startsWith("workers")),
    ).toEqual([]);
    expect(only(stack, "aws_eks_node_group").node_role_arn).toBe(nodeRole.roleArn);
    expect(group.nodeRoleName).toBe("shared-nodes");
    expect(group.createdNodeRole).toBeUndefined();
    expect(cluster.registered[0].nodeRoleArn).toBe(nodeRole.roleArn);
  });

  it("SSM on and CNI policy off when asked, with managed policy ARNs in the region's partition", () => {
    const stack = testStack();
    const network = testNetwork(stack, { availabilityZones: ["cn-north-1a", "cn-north-1b"] });
    const cluster = new FakeCluster(stack, "cluster", network);
    new ManagedNodeGroup(stack, "workers", { cluster, attachCniPolicy: false, attachSsmPolicy: true });
    const policies = Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment")).map((a: any) => a.policy_arn);
    expect(policies.sort()).toEqual([
      "arn:aws-cn:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
      "arn:aws-cn:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ]);
  });

  it("tells the cluster on registration whether its created node role has the CNI policy (unknown for a passed-in role)", () => {
    class RecordingCluster extends FakeCluster {
      readonly details: (ComputeRegistrationDetails | undefined)[] = [];
      override registerCompute(
        compute: ITerraformDependable,
        kind: "node-group" | "fargate",
        nodeRoleArn?: string,
        details?: ComputeRegistrationDetails,
      ): void {
        this.details.push(details);
        super.registerCompute(compute, kind, nodeRoleArn);
      }
    }
    const stack = testStack();
    const cluster = new RecordingCluster(stack, "cluster", testNetwork(stack));
    new ManagedNodeGroup(stack, "default", { cluster });
    new ManagedNodeGroup(stack, "no-cni", { cluster, attachCniPolicy: false });
    new ManagedNodeGroup(stack, "shared", {
      cluster,
      nodeRole: { roleArn: "arn:aws:iam::123456789012:role/nodes", roleName: "nodes" },
    });
    const roleName = expect.stringMatching(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
    expect(cluster.details).toEqual([
      { attachCniPolicy: true, createdNodeRoleName: roleName, owner: "ManagedNodeGroup 'default'" },
      { attachCniPolicy: false, createdNodeRoleName: roleName, owner: "ManagedNodeGroup 'no-cni'" },
      // A passed-in role is not ours to change: no name to attach policies to.
      { attachCniPolicy: undefined, owner: "ManagedNodeGroup 'shared'" },
    ]);
  });

  it("puts user tags on the node group, role, launch template, instances and volumes", () => {
    const { stack } = setup({ tags: { team: "platform" } });
    expect(only(stack, "aws_eks_node_group").tags).toEqual({
      team: "platform",
      "k8s.io/cluster-autoscaler/enabled": "true",
      "k8s.io/cluster-autoscaler/test": "owned",
    });
    expect(only(stack, "aws_iam_role", "workers").tags).toEqual({ team: "platform" });
    const lt = only(stack, "aws_launch_template");
    expect(lt.tags).toEqual({ team: "platform" });
    expect(lt.tag_specifications).toEqual([
      { resource_type: "instance", tags: { Name: "test-workers", team: "platform" } },
      { resource_type: "volume", tags: { Name: "test-workers", team: "platform" } },
      { resource_type: "network-interface", tags: { Name: "test-workers", team: "platform" } },
    ]);
  });

  it("puts the AWS provider's default_tags on instances, volumes and network interfaces (EC2 doesn't), the group's own tags winning", () => {
    const stack = testStack();
    new AwsProvider(stack, "tagged", {
      region: "eu-west-1",
      alias: "other",
      defaultTags: [{ tags: { ignored: "x" } }],
    });
    const provider = stack.node.findChild("aws") as AwsProvider;
    const cluster = new FakeCluster(stack, "cluster", testNetwork(stack));
    new ManagedNodeGroup(stack, "workers", { cluster, tags: { team: "platform", environment: "mine" } });
    // Set after the node group: read at synth.
    provider.defaultTags = [{ tags: { environment: "prod", "cost-center": "42" } }];
    const lt = only(stack, "aws_launch_template");
    const tags = { "cost-center": "42", environment: "mine", Name: "test-workers", team: "platform" };
    expect(lt.tag_specifications).toEqual(
      ["instance", "volume", "network-interface"].map((resource_type) => ({ resource_type, tags })),
    );
  });

  it("snapshot: a spot Graviton group with labels and taints next to a default group", () => {
    const stack = testStack();
    const cluster = new FakeCluster(stack, "cluster", new FakeNetwork(stack, "network"));
    new ManagedNodeGroup(stack, "general", { cluster });
    new ManagedNodeGroup(stack, "batch", {
      cluster,
      amiType: "BOTTLEROCKET_ARM_64",
      capacityType: "SPOT",
      instanceTypes: ["m7g.xlarge", "m6g.xlarge", "m7gd.xlarge"],
      scaling: { mode: "autoscaled", minSize: 0, maxSize: 20 },
      labels: { "example.com/pool": "batch" },
      taints: [{ key: "example.com/pool", value: "batch", effect: "NoSchedule" }],
      maxUnavailablePercentage: 33,
    });
    expect(Object.keys(synthJson(stack).resource).sort()).toEqual([
      "aws_eks_addon",
      "aws_eks_node_group",
      "aws_iam_role",
      "aws_iam_role_policy_attachment",
      "aws_launch_template",
    ]);
    expect(Testing.synth(stack)).toMatchSnapshot();
  });
});
