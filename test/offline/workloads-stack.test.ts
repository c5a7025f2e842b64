import { dev, prod } from "../../config/environments";
import { buildApp } from "../../main";
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
      // The default app's own stacks, sample system included, as `cdktf deploy` would apply them.
      (app) => buildApp(app, [env.environment]),
      `workloads-${env.environment}`,
      tools,
      { awsOnly: true },
    );

  for (const env of [dev, prod]) {
    it(
      `${env.environment}: a role, its policy and a Pod Identity association for the ALB controller, the autoscaler and the sample API`,
      () => {
        const p = plan(env);
        expect(p.createByType).toEqual({
          aws_iam_role: 3,
          aws_iam_role_policy: 3,
          aws_eks_pod_identity_association: 3,
        });
        expect(p.actions).toEqual({ create: 9 });
        // What was left out of the plan: the controller releases (load balancer controller, autoscaler,
        // VPA: the VPA adds no AWS resource), the sample's two VPA objects (worker, cache) and its
        // Kubernetes objects.
        expect(p.dropped).toMatchObject({
          helm_release: 5,
          kubernetes_deployment_v1: 3,
          kubernetes_stateful_set_v1: 1,
          kubernetes_cron_job_v1: 1,
          kubernetes_ingress_v1: 1,
        });
      },
      OFFLINE_TIMEOUT_MS,
    );
  }
});
