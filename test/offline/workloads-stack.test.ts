import { dev, prod } from "../../config/environments";
import { App } from "cdktf";
import { buildApp } from "../../main";
import { countByType, synthesizeApp } from "../default-app-invariants";
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
      `${env.environment}: every synthesized AWS resource plans (a role, its policy and a Pod Identity association per controller and workload with AWS access); only Kubernetes and Helm are left out`,
      () => {
        // The same app, synthesized for what it holds (the default app is the user's to change: its
        // counts are in the reviewed snapshot, test/default-app-snapshots.test.ts).
        const synthesized = synthesizeApp((app: App) => buildApp(app, [env.environment]));
        const json = synthesized.json(`workloads-${env.environment}`);
        synthesized.dispose();
        const p = plan(env);
        const aws = countByType(json, (t) => t.startsWith("aws_"));
        expect(p.createByType).toEqual(aws);
        expect(p.actions).toEqual({ create: Object.values(aws).reduce((a, b) => a + b, 0) });
        expect(aws.aws_iam_role).toBeGreaterThan(0); // the controllers' roles at least
        // What was left out of the plan: the controller releases and the Kubernetes objects, all of them.
        expect(p.dropped).toEqual(countByType(json, (t) => !t.startsWith("aws_")));
      },
      OFFLINE_TIMEOUT_MS,
    );
  }
});
