import { EksCluster, EksClusterOptions } from "../../constructs/eks/cluster";
import { testNetwork, testStack } from "../fixtures";
import { changesOf, describeOffline, OFFLINE_TIMEOUT_MS, planStack, stateOf } from "./harness";

const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";

/** The same stack (same construct ids, so the same Terraform addresses) with other cluster options. */
function clusterStack(options: Partial<EksClusterOptions>, nodeGroup: boolean) {
  const stack = testStack("day2");
  const cluster = new EksCluster(stack, "eks", {
    name: "test",
    network: testNetwork(stack),
    admins: [ADMIN],
    ...options,
  });
  if (nodeGroup) cluster.addNodeGroup("workers");
  return stack;
}

// Day-2 changes planned against the state of a running cluster (derived from the plan of its
// first deploy): terraform plan -refresh=false reads that state as what exists in AWS.
describeOffline("day-2 changes plan in place", (tools) => {
  it(
    'computeMode "managed" -> "auto" updates the cluster in place (no new OIDC issuer, no lost Secrets)',
    () => {
      // stateOf only returns a state the unchanged configuration plans without changes against.
      const state = stateOf(clusterStack({}, true), tools);

      const plan = planStack(clusterStack({ computeMode: "auto" }, false), tools, { state });
      const changes = changesOf(plan);
      expect(changes).toContain("aws_eks_cluster.eks_cluster_55B0C966: update");
      // Nothing stateful of the cluster is replaced: no delete+create anywhere.
      expect(changes.filter((c) => c.includes("delete+create") || c.includes("create+delete"))).toEqual([]);
      expect(
        plan.changes
          .filter(
            (c) =>
              c.type === "aws_eks_cluster" || c.type === "aws_kms_key" || c.type === "aws_iam_openid_connect_provider",
          )
          .map((c) => c.actions),
      ).toEqual([["update"], ["no-op"], ["no-op"]]);
    },
    OFFLINE_TIMEOUT_MS,
  );
});
