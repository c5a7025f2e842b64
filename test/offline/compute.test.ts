import { TerraformStack } from "cdktf";
import { EksCluster } from "../../constructs/eks/cluster";
import { ADMIN_ARN, testNetwork, testStack } from "../fixtures";
import { describeOffline, OFFLINE_TIMEOUT_MS, planStack } from "./harness";

function clusterStack(id: string): { stack: TerraformStack; cluster: EksCluster } {
  const stack = testStack(id);
  const cluster = new EksCluster(stack, "eks", { name: "test", network: testNetwork(stack), admins: [ADMIN_ARN] });
  return { stack, cluster };
}

// terraform validate + plan, against the real hashicorp/aws provider, of a cluster with every
// kind of compute this project offers: proves node groups, launch templates and Fargate
// profiles are accepted by the provider schema (enums, blocks, lifecycle paths, depends_on).
// The same cluster is planned without compute, so the counts below are exactly what the
// compute constructs add, whatever the network and cluster constructs create themselves.
describeOffline("Compute plans offline", (tools) => {
  it(
    "spot ARM Bottlerocket group + fixed AL2023 group + Fargate profile",
    () => {
      const bare = planStack(clusterStack("compute-baseline").stack, tools);

      const { stack, cluster } = clusterStack("compute");
      cluster.addNodeGroup("batch", {
        amiType: "BOTTLEROCKET_ARM_64",
        capacityType: "SPOT",
        instanceTypes: ["m7g.large", "m6g.large", "m7gd.large"],
        scaling: { mode: "autoscaled", minSize: 0, maxSize: 10 },
        volumeSize: 80,
        volumeKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-1111-2222-3333-444455556666",
        taints: [{ key: "example.com/pool", value: "batch", effect: "NoSchedule" }],
        labels: { "example.com/pool": "batch" },
      });
      cluster.addNodeGroup("system", {
        scaling: { mode: "fixed", size: 2 },
        attachSsmPolicy: true,
        maxUnavailablePercentage: 50,
      });
      cluster.addFargateProfile("apps", {
        selectors: [{ namespace: "apps" }, { namespace: "team-*", labels: { "example.com/fargate": "true" } }],
      });
      const plan = planStack(stack, tools);

      const added: Record<string, number> = {};
      for (const [type, n] of Object.entries(plan.createByType)) {
        const delta = n - (bare.createByType[type] ?? 0);
        if (delta !== 0) added[type] = delta;
      }
      expect(added).toEqual({
        aws_eks_node_group: 2,
        aws_launch_template: 2,
        aws_eks_fargate_profile: 1,
        // two node roles and the Fargate pod execution role
        aws_iam_role: 3,
        // batch: worker + pull-only + CNI; system: the same + SSM; Fargate: pod execution policy
        aws_iam_role_policy_attachment: 8,
      });
      expect(plan.actions).toEqual({ create: plan.toCreate });
      expect(plan.toCreate).toBe(bare.toCreate + 16);
    },
    OFFLINE_TIMEOUT_MS,
  );
});
