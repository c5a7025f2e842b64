import { Testing } from "cdktf";
import { dev } from "../../config/environments";
import { PlatformStack } from "../../stacks/platform-stack";
import { changesOf, describeOffline, OFFLINE_TIMEOUT_MS, planStack, stateOf } from "./harness";

// Day 2 of the config change that split dev's one multi-AZ spot group into one group per AZ (so an
// EBS-backed pod always gets a node back in its volume's AZ): planned against the state of a running
// dev platform with the old group. Only node groups and what belongs to them move; the cluster, its
// add-ons, the network and the registry stay.
describeOffline("node groups split per AZ on a running platform", (tools) => {
  it(
    "creates the per-AZ groups and deletes the old one; nothing else is replaced or deleted",
    () => {
      const before = {
        ...dev,
        nodeGroups: {
          general: {
            instanceTypes: ["m6i.large", "m6a.large", "m5.large"],
            capacityType: "SPOT" as const,
            scaling: { mode: "autoscaled" as const, minSize: 1, maxSize: 4, desiredSize: 2 },
          },
        },
      };
      const state = stateOf(
        new PlatformStack(Testing.app(), "platform-dev", before),
        tools,
        "platform-dev-one-spot-group",
      );
      const plan = planStack(new PlatformStack(Testing.app(), "platform-dev", dev), tools, { state });
      const changes = changesOf(plan);
      const moved = (c: string) => /node-group-general/.test(c);
      // Every change belongs to a node group (its group, role, launch template, attachments, access entry).
      expect(changes.filter((c) => !moved(c) && !c.endsWith(": update"))).toEqual([]);
      expect(
        plan.changes
          .filter((c) => c.type === "aws_eks_node_group")
          .map((c) => c.actions.join("+"))
          .sort(),
      ).toEqual(["create", "create", "delete"]);
      for (const type of ["aws_eks_cluster", "aws_eks_addon", "aws_vpc", "aws_ecr_repository", "aws_kms_key"])
        expect(plan.changes.filter((c) => c.type === type && c.actions.includes("delete"))).toEqual([]);
    },
    OFFLINE_TIMEOUT_MS,
  );
});
