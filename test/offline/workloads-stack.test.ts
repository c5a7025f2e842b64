import { dev, prod } from "../../config/environments";
import { PlatformStack } from "../../stacks/platform-stack";
import { WorkloadsStack } from "../../stacks/workloads-stack";
import { describeOffline, OFFLINE_TIMEOUT_MS, planAppStack } from "./harness";

// The AWS side of the default app's workloads stacks through terraform validate and plan with
// the real hashicorp/aws provider. What this proves: every IAM role, inline policy (the ALB
// controller's published policy, the autoscaler's conditioned one) and Pod Identity association
// is accepted by the provider schema and plans, with the platform's outputs arriving through
// terraform_remote_state. What it doesn't: the helm_release and kubernetes_* resources are
// removed from the scratch copy before the plan (no helm/kubernetes provider binaries exist
// here, and they would need a live API server), and the platform's outputs are mocks, so
// nothing checks that the cluster endpoint answers or that the charts install. Those are
// covered by types, construct validation and the unit tests, and by the first real deploy.
describeOffline("WorkloadsStack plans offline (AWS part)", (tools) => {
  const plan = (env: typeof dev) =>
    planAppStack(
      (app) => {
        const platform = new PlatformStack(app, `platform-${env.environment}`, env);
        new WorkloadsStack(app, `workloads-${env.environment}`, {
          cluster: platform.cluster,
          region: env.region,
          tags: env.tags,
        });
      },
      `workloads-${env.environment}`,
      tools,
      { awsOnly: true },
    );

  for (const env of [dev, prod]) {
    it(
      `${env.environment}: a role, its policy and a Pod Identity association for the ALB controller and the autoscaler`,
      () => {
        const p = plan(env);
        expect(p.createByType).toEqual({
          aws_iam_role: 2,
          aws_iam_role_policy: 2,
          aws_eks_pod_identity_association: 2,
        });
        expect(p.actions).toEqual({ create: 6 });
        // What was left out of the plan: the two controller releases.
        expect(p.dropped).toEqual({ helm_release: 2 });
      },
      OFFLINE_TIMEOUT_MS,
    );
  }
});
