import { Testing } from "cdktf";
import { dev, prod } from "../../config/environments";
import { PlatformStack, repositoriesOf } from "../../stacks/platform-stack";
import { countByType } from "../default-app-invariants";
import { describeOffline, OFFLINE_TIMEOUT_MS, planStack } from "./harness";

// The default app's platform stacks, exactly as `cdktf deploy` would apply them, through
// terraform validate and plan with the real hashicorp/aws provider. The plan creates exactly what
// was synthesized, type by type: nothing the provider drops, expands or refuses. The default app is
// the user's to change, so how many of each there are is pinned by the reviewed snapshots
// (test/app/default-app-snapshots.test.ts), not here.
describeOffline("PlatformStack plans offline", (tools) => {
  it.each([
    ["dev", dev],
    ["prod", prod],
  ] as const)(
    "%s: the plan creates every synthesized resource and nothing else; one node group per config entry, one repository per config entry",
    (env, config) => {
      const stack = new PlatformStack(Testing.app(), `platform-${env}`, config);
      const synthesized = countByType(JSON.parse(Testing.synth(stack)));
      const plan = planStack(stack, tools);
      expect(plan.createByType).toEqual(synthesized);
      expect(plan.actions).toEqual({ create: Object.values(synthesized).reduce((a, b) => a + b, 0) });
      expect(plan.createByType).toMatchObject({
        aws_vpc: 1,
        aws_eks_cluster: 1,
        aws_nat_gateway: config.network.natGateways === "single" ? 1 : config.network.availabilityZones.length,
        aws_eks_node_group: Object.keys(config.nodeGroups).length,
        aws_eks_fargate_profile: Object.keys(config.fargateProfiles).length,
      });
      // The repositories the environment asks for: the sample's where it runs the sample (config.sample), then its own.
      expect(plan.createByType.aws_ecr_repository ?? 0).toBe(Object.keys(repositoriesOf(config)).length);
    },
    OFFLINE_TIMEOUT_MS,
  );
});
