import { Testing } from "cdktf";
import { ManagedNodeGroup, NodeGroupOptions } from "../../constructs/eks/node-group";
import { Gp3StorageClass, StatefulService } from "../../constructs/workloads";
import { warningsOf } from "../fixtures";
import { IMAGE, setup } from "./fixtures";

const AUTOSCALED = { mode: "autoscaled", minSize: 1, maxSize: 3, desiredSize: 1 } as const;

/** A StatefulService with an EBS volume on a cluster with the given node groups; synthesized with validations. */
function cache(groups: Record<string, NodeGroupOptions>) {
  const s = setup();
  for (const [id, options] of Object.entries(groups))
    new ManagedNodeGroup(s.stack, id, { cluster: s.cluster, ...options });
  const storageClass = new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster });
  new StatefulService(s.stack, "cache", {
    namespace: s.ns,
    image: IMAGE,
    resources: { cpu: "100m", memory: "256Mi" },
    ports: [{ name: "redis", port: 6379 }],
    volumeClaims: [{ name: "data", mountPath: "/data", size: "10Gi", storageClass }],
  });
  return { ...s, synth: () => Testing.synth(s.stack, true) };
}

describe("StatefulService with EBS volumes: node placement", () => {
  test("throws when its pods can run on an autoscaled group spanning AZs", () => {
    const { synth } = cache({ general: { capacityType: "SPOT", scaling: AUTOSCALED } });
    expect(synth).toThrow(
      `StatefulService 'cache': volumeClaims ["data"] are EBS volumes (bound to one Availability Zone), and the pods can run on ManagedNodeGroup 'general', which is autoscaled across eu-west-1a, eu-west-1b: after a node loss the Cluster Autoscaler may not bring a node back in the volume's AZ and the replica stays Pending; give the cluster one autoscaled node group per AZ (availabilityZones: ["eu-west-1a"], one group each for eu-west-1a, eu-west-1b; the Cluster Autoscaler keeps them balanced), or keep a fixed-size group for these pods`,
    );
  });

  test("accepts one autoscaled group per AZ, which warns of no single-AZ outage (scoped on purpose)", () => {
    const { synth, stack } = cache({
      "general-a": { availabilityZones: ["eu-west-1a"], scaling: AUTOSCALED },
      "general-b": { availabilityZones: ["eu-west-1b"], scaling: AUTOSCALED },
    });
    const json = JSON.parse(synth());
    const groups = Object.values(json.resource.aws_eks_node_group) as any[];
    expect(groups.map((g) => g.subnet_ids).map((ids: string[]) => ids.length)).toEqual([1, 1]);
    expect(warningsOf(stack).filter((w) => w.includes("single Availability Zone"))).toEqual([]);
  });

  test("accepts a multi-AZ autoscaled group when single-AZ autoscaled groups cover its AZs", () => {
    const { synth } = cache({
      general: { scaling: AUTOSCALED },
      "stateful-a": { availabilityZones: ["eu-west-1a"], scaling: AUTOSCALED },
      "stateful-b": { availabilityZones: ["eu-west-1b"], scaling: AUTOSCALED },
    });
    expect(synth).not.toThrow();
  });

  test("accepts a fixed-size group, and ignores groups whose taints keep the pods off", () => {
    expect(
      cache({
        fixed: { scaling: { mode: "fixed", size: 2 } },
        gpu: { scaling: AUTOSCALED, taints: [{ key: "gpu", value: "true", effect: "NO_SCHEDULE" }] },
      }).synth,
    ).not.toThrow();
  });
});

describe("ManagedNodeGroup availabilityZones", () => {
  test("throws when an AZ has no subnet of the tier", () => {
    const s = setup();
    expect(() => new ManagedNodeGroup(s.stack, "g", { cluster: s.cluster, availabilityZones: ["eu-west-1c"] })).toThrow(
      "ManagedNodeGroup 'g': availabilityZones[0] \"eu-west-1c\" has no private subnet in the cluster's network; use AZs of the network: eu-west-1a, eu-west-1b",
    );
  });

  test("throws when given with explicit subnets", () => {
    const s = setup();
    const subnets = s.cluster.network.subnetsOf("private");
    expect(
      () => new ManagedNodeGroup(s.stack, "g", { cluster: s.cluster, subnets, availabilityZones: ["eu-west-1a"] }),
    ).toThrow(
      `ManagedNodeGroup 'g': availabilityZones ["eu-west-1a"] can't be given together with subnets; give either AZs (with subnetTier) or explicit subnets`,
    );
  });
});
