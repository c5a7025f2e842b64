import { App, Testing } from "cdktf";
import { OnlineBoutiqueStack } from "../../examples/online-boutique/main";
import { SecondClusterStack } from "../../examples/second-cluster/main";
import { SockShopStack } from "../../examples/sock-shop/main";
import { describeOffline, OFFLINE_TIMEOUT_MS, planAppStack, planStack } from "./harness";

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

  // The two ported applications: workloads stacks on an adopted cluster. Their AWS part is the
  // load balancer controller's IAM role (the apps themselves need no AWS access); the Kubernetes
  // objects and the chart are left out of the plan (no kubernetes/helm provider binaries here)
  // and validated against the Kubernetes schema in test/examples/.
  for (const [name, build, deployments] of [
    ["online-boutique", (app: App) => new OnlineBoutiqueStack(app, "online-boutique"), 12],
    ["sock-shop", (app: App) => new SockShopStack(app, "sock-shop"), 14],
  ] as const) {
    it(
      `${name}: the load balancer controller's role, policy and Pod Identity association; nothing else on AWS`,
      () => {
        const plan = planAppStack(build, name, tools, { awsOnly: true });
        expect(plan.createByType).toEqual({
          aws_iam_role: 1,
          aws_iam_role_policy: 1,
          aws_eks_pod_identity_association: 1,
        });
        expect(plan.actions).toEqual({ create: 3 });
        expect(plan.dropped).toMatchObject({ helm_release: 1, kubernetes_deployment_v1: deployments });
      },
      OFFLINE_TIMEOUT_MS,
    );
  }
});
