import { Testing } from "cdktf";
import { SecondClusterStack } from "../../examples/second-cluster/main";
import { describeOffline, OFFLINE_TIMEOUT_MS, planStack } from "./harness";

// The examples/ apps, planned like the default app's stacks: exact counts.
describeOffline("examples plan offline", (tools) => {
  it(
    "second-cluster: a cluster, node group, repository and roles in an existing VPC, no network resources",
    () => {
      const plan = planStack(new SecondClusterStack(Testing.app(), "second-cluster"), tools);
      expect(plan.actions).toEqual({ create: 32 });
      expect(plan.createByType).toMatchObject({
        aws_eks_cluster: 1,
        // Secrets encryption and the control-plane log group's key.
        aws_kms_key: 2,
        aws_eks_node_group: 1,
        aws_ecr_repository: 1,
        aws_ecr_repository_policy: 1,
        aws_eks_pod_identity_association: 1,
      });
      expect(plan.createByType.aws_vpc).toBeUndefined();
      expect(plan.createByType.aws_subnet).toBeUndefined();
    },
    OFFLINE_TIMEOUT_MS,
  );
});
