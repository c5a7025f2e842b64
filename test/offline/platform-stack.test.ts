import { Testing } from "cdktf";
import { dev, prod } from "../../config/environments";
import { PlatformStack } from "../../stacks/platform-stack";
import { describeOffline, OFFLINE_TIMEOUT_MS, planStack } from "./harness";

// The default app's platform stacks, exactly as `cdktf deploy` would apply them, through
// terraform validate and plan with the real hashicorp/aws provider. Exact counts: a change
// in what the platform creates must show up here and be deliberate.
describeOffline("PlatformStack plans offline", (tools) => {
  it(
    "dev: network (2 AZs, one NAT), cluster, a spot node group per AZ, Fargate, add-ons, registries",
    () => {
      const plan = planStack(new PlatformStack(Testing.app(), "platform-dev", dev), tools);
      expect(plan.actions).toEqual({ create: 68 });
      expect(plan.createByType).toMatchObject({
        aws_vpc: 1,
        aws_subnet: 4,
        aws_nat_gateway: 1,
        aws_eks_cluster: 1,
        aws_eks_addon: 6,
        // One spot group per AZ (so EBS-backed pods get a node back in their volume's AZ).
        aws_eks_node_group: 2,
        aws_eks_fargate_profile: 1,
        aws_eks_access_entry: 1,
        aws_eks_access_policy_association: 1,
        aws_iam_openid_connect_provider: 1,
        // Secrets, control-plane logs, flow logs
        aws_kms_key: 3,
        aws_launch_template: 2,
        aws_ecr_repository: 3,
        aws_ecr_lifecycle_policy: 3,
        aws_ecr_repository_policy: 3,
        aws_cloudwatch_log_group: 2,
      });
    },
    OFFLINE_TIMEOUT_MS,
  );

  it(
    "prod: 3 AZs, NAT per AZ, intra control plane, endpoints, system group and an apps group per AZ, Fargate, no sample repositories",
    () => {
      const plan = planStack(new PlatformStack(Testing.app(), "platform-prod", prod), tools);
      expect(plan.actions).toEqual({ create: 99 });
      expect(plan.createByType).toMatchObject({
        aws_subnet: 9,
        aws_nat_gateway: 3,
        aws_vpc_endpoint: 7,
        aws_eks_cluster: 1,
        aws_eks_addon: 6,
        aws_eks_node_group: 4,
        aws_launch_template: 4,
        aws_eks_fargate_profile: 1,
        aws_eks_access_entry: 2,
        aws_eks_access_policy_association: 2,
      });
      // prod doesn't deploy the sample (config.sample), so none of its repositories.
      expect(plan.createByType.aws_ecr_repository).toBeUndefined();
    },
    OFFLINE_TIMEOUT_MS,
  );
});
