import * as fs from "node:fs";
import * as path from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { dev } from "../../config/environments";
import { countByType } from "../default-app-invariants";
import { ServiceAccountRole } from "../../constructs/eks/service-account-role";
import { PlatformStack } from "../../stacks/platform-stack";
import { configureState } from "../../stacks/state";
import { planOffline, PlanSummary, OfflineTools } from "../../scripts/offline-terraform";
import { testNetwork, testStack } from "../fixtures";
import { existingCluster } from "../reuse/fixtures";
import { describeOffline, OFFLINE_TIMEOUT_MS, planStack } from "./harness";

/** planStack, with the placeholder guard's variable left at its default (false). */
function planWithoutPlaceholderOverride(stack: TerraformStack, tools: OfflineTools): PlanSummary {
  const outdir = Testing.fullSynth(stack);
  try {
    return planOffline(path.join(outdir, "stacks", stack.node.id), tools, { allowDocumentationPlaceholders: false });
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describeOffline("reuse and deploy safety plan offline", (tools) => {
  it(
    "a ServiceAccountRole (IRSA) and a node group against an imported cluster in an imported VPC",
    () => {
      const stack = testStack("imported-cluster");
      const cluster = existingCluster(stack);
      new ServiceAccountRole(stack, "reader", {
        cluster,
        namespace: "apps",
        serviceAccount: "reader",
        policyStatements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::assets/*"] }],
      });
      cluster.addNodeGroup("extra");
      const plan = planStack(stack, tools);
      expect(plan.actions).toEqual({ create: 8 });
      expect(plan.createByType).toEqual({
        aws_iam_role: 2,
        aws_iam_role_policy: 1,
        aws_iam_role_policy_attachment: 3,
        aws_launch_template: 1,
        aws_eks_node_group: 1,
      });
    },
    OFFLINE_TIMEOUT_MS,
  );

  it(
    "a stack with an S3 backend (the scratch copy plans with a local one)",
    () => {
      const stack = testStack("s3-state");
      configureState(
        stack,
        { region: "eu-west-1", state: { backend: "s3", bucket: "acme-state", region: "eu-west-1" } },
        {},
      );
      testNetwork(stack, { flowLogs: false });
      const plan = planStack(stack, tools);
      expect(plan.createByType.aws_vpc).toBe(1);
    },
    OFFLINE_TIMEOUT_MS,
  );

  it(
    "platform-dev with the documentation placeholders fails at plan, naming them, unless allowed",
    () => {
      let message = "";
      try {
        planWithoutPlaceholderOverride(new PlatformStack(Testing.app(), "platform-dev", dev), tools);
      } catch (error) {
        // Terraform wraps its error text: compare with single spaces.
        message = String((error as Error).message).replace(/\s+/g, " ");
      }
      expect(message).toContain("Resource precondition failed");
      expect(message).toContain(
        'Stack platform-dev still holds documentation placeholders from config/environments.ts: cluster.admins[0] "arn:aws:iam::123456789012:role/platform-admin", cluster.endpointAccess.publicCidrs[0] "203.0.113.0/24", registry.defaults.pushPrincipalArns[0] "arn:aws:iam::123456789012:role/ci-deploy".',
      );
      // The same stack plans with the variable set (as every other offline test does).
      const stack = new PlatformStack(Testing.app(), "platform-dev", dev);
      const synthesized = countByType(JSON.parse(Testing.synth(stack)));
      expect(planStack(stack, tools).actions).toEqual({
        create: Object.values(synthesized).reduce((a, b) => a + b, 0),
      });
    },
    OFFLINE_TIMEOUT_MS,
  );
});
