/// <reference types="cdktf/lib/testing/adapters/jest" />
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { architectureOf } from "../../constructs/eks/instance-types";
import { ManagedNodeGroup, NodeGroupOptions, TaintEffect } from "../../constructs/eks/node-group";
import { Network } from "../../constructs/network/network";
import { FakeCluster, testNetwork, testStack, warningsOf } from "../fixtures";

let stack: TerraformStack;
let network: Network;
let cluster: FakeCluster;
beforeEach(() => {
  stack = testStack();
  network = testNetwork(stack);
  cluster = new FakeCluster(stack, "cluster", network);
});

// Each attempt gets its own scope, so a test can try several bad inputs with the same id.
let attempt = 0;
const group = (options: NodeGroupOptions) =>
  new ManagedNodeGroup(new Construct(stack, `attempt-${attempt++}`), "workers", { cluster, ...options });

describe("ManagedNodeGroup validation", () => {
  describe("scaling", () => {
    it("throws when minSize is above desiredSize", () => {
      expect(() => group({ scaling: { mode: "autoscaled", minSize: 3, maxSize: 5, desiredSize: 1 } })).toThrow(
        /^ManagedNodeGroup 'workers': scaling\.desiredSize 1 is below scaling\.minSize 3; raise desiredSize to at least 3/,
      );
    });

    it("throws when desiredSize is above maxSize", () => {
      expect(() => group({ scaling: { mode: "autoscaled", minSize: 1, maxSize: 3, desiredSize: 5 } })).toThrow(
        /^ManagedNodeGroup 'workers': scaling\.desiredSize 5 is above scaling\.maxSize 3; lower desiredSize to at most 3 or raise maxSize/,
      );
    });

    it("throws when minSize is above maxSize", () => {
      expect(() => group({ scaling: { mode: "autoscaled", minSize: 4, maxSize: 2 } })).toThrow(
        /ManagedNodeGroup 'workers': scaling\.minSize 4 is above scaling\.maxSize 2; lower minSize to at most 2/,
      );
    });

    it("throws when maxSize is 0", () => {
      expect(() => group({ scaling: { mode: "autoscaled", minSize: 0, maxSize: 0 } })).toThrow(
        /ManagedNodeGroup 'workers': scaling\.maxSize 0 can never run a node .*; use a maxSize of 1 or more/,
      );
    });

    it("throws when a fixed size is 0", () => {
      expect(() => group({ scaling: { mode: "fixed", size: 0 } })).toThrow(
        /ManagedNodeGroup 'workers': scaling\.size 0 can never run a node .*; use at least 1, or \{ mode: "autoscaled", minSize: 0, maxSize: 1 \}/,
      );
    });

    it("throws when a size is negative or fractional", () => {
      expect(() => group({ scaling: { mode: "autoscaled", minSize: -1, maxSize: 3 } })).toThrow(
        /ManagedNodeGroup 'workers': scaling\.minSize -1 is not a node count; use a whole number, 0 or more/,
      );
      expect(() => group({ scaling: { mode: "fixed", size: 2.5 } })).toThrow(/scaling\.size 2\.5 is not a node count/);
    });
  });

  describe("capacity and instance types", () => {
    it("warns when spot has a single instance type", () => {
      const ng = group({ capacityType: "SPOT", instanceTypes: ["m6i.large"] });
      const warnings = warningsOf(ng);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /^ManagedNodeGroup 'workers': capacityType "SPOT" with the single instance type "m6i\.large".*reclaims spot capacity per pool.*give several similar types/,
      );
      expect(warningsOf(stack)).toEqual(warnings);
    });

    it("does not warn for spot with several types", () => {
      expect(warningsOf(group({ capacityType: "SPOT", instanceTypes: ["m6i.large", "m5.large"] }))).toEqual([]);
    });

    it("warns when an autoscaled group mixes instance sizes, not when the size is fixed", () => {
      const warnings = warningsOf(
        group({ instanceTypes: ["m6i.large", "m6i.xlarge"], scaling: { mode: "autoscaled", minSize: 1, maxSize: 3 } }),
      );
      expect(warnings).toEqual([
        `ManagedNodeGroup 'workers': instanceTypes ["m6i.large","m6i.xlarge"] mix sizes (large, xlarge): cluster-autoscaler assumes every node of a group has the CPU and memory of one type, so it will scale this group wrongly; use types of one size (e.g. all .large), or one group per size`,
      ]);
      expect(
        warningsOf(group({ instanceTypes: ["m6i.large", "m6i.xlarge"], scaling: { mode: "fixed", size: 2 } })),
      ).toEqual([]);
    });

    it("throws when an ARM instance type is used with an x86 AMI", () => {
      expect(() => group({ instanceTypes: ["m6i.large", "m7g.large"] })).toThrow(
        /^ManagedNodeGroup 'workers': instanceTypes "m7g\.large" is an arm64 \(Graviton\) instance type but amiType "AL2023_x86_64_STANDARD" is for x86_64; use amiType "AL2023_ARM_64_STANDARD" or x86_64 instance types such as "m6i\.large"/,
      );
    });

    it("throws when an x86 instance type is used with an ARM AMI", () => {
      expect(() => group({ amiType: "BOTTLEROCKET_ARM_64", instanceTypes: ["c6i.xlarge"] })).toThrow(
        /instanceTypes "c6i\.xlarge" is an x86_64 instance type but amiType "BOTTLEROCKET_ARM_64" is for arm64; use amiType "BOTTLEROCKET_x86_64" or arm64 instance types such as "m7g\.large"/,
      );
    });

    it("throws when an NVIDIA AMI gets a type without an NVIDIA GPU", () => {
      expect(() => group({ amiType: "AL2023_x86_64_NVIDIA", instanceTypes: ["m6i.large"] })).toThrow(
        /instanceTypes "m6i\.large" has no NVIDIA GPU but amiType "AL2023_x86_64_NVIDIA" is an NVIDIA AMI; use an NVIDIA GPU type .* or amiType "AL2023_x86_64_STANDARD"/,
      );
    });

    it("throws when instance types are empty or repeated", () => {
      expect(() => group({ instanceTypes: [] })).toThrow(/instanceTypes \[\] must hold 1 to 20 instance types/);
      expect(() => group({ instanceTypes: ["m6i.large", "m6i.large"] })).toThrow(
        /instanceTypes \["m6i\.large","m6i\.large"\] lists "m6i\.large" more than once/,
      );
    });

    it("knows the architecture of common families", () => {
      const arm = [
        "m7g.large",
        "c7gn.xlarge",
        "r8gd.2xlarge",
        "t4g.medium",
        "x2gd.large",
        "im4gn.large",
        "is4gen.large",
        "g5g.xlarge",
        "a1.large",
        "hpc7g.4xlarge",
      ];
      const x86 = [
        "m6i.large",
        "m7i-flex.large",
        "c5.xlarge",
        "m6a.large",
        "g4dn.xlarge",
        "p5.48xlarge",
        "t3.medium",
        "r5dn.large",
        "inf2.xlarge",
      ];
      for (const t of arm) expect([t, architectureOf(t)]).toEqual([t, "arm64"]);
      for (const t of x86) expect([t, architectureOf(t)]).toEqual([t, "x86_64"]);
      expect(architectureOf("u-6tb1.metal")).toBeUndefined();
    });
  });

  describe("launch template", () => {
    it("throws when the disk size is out of range", () => {
      expect(() => group({ volumeSize: 10 })).toThrow(
        /^ManagedNodeGroup 'workers': volumeSize 10 is out of range; use a whole number from 20 to 16384/,
      );
      expect(() => group({ volumeSize: 20000 })).toThrow(
        /volumeSize 20000 is out of range; use a whole number from 20 to 16384/,
      );
    });

    it("throws when the hop limit is out of range", () => {
      expect(() => group({ httpPutResponseHopLimit: 0 })).toThrow(
        /^ManagedNodeGroup 'workers': httpPutResponseHopLimit 0 is out of range; use a whole number from 1 to 64/,
      );
      expect(() => group({ httpPutResponseHopLimit: 65 })).toThrow(/httpPutResponseHopLimit 65 is out of range/);
    });

    it("throws when the volume KMS key is not a key ARN", () => {
      expect(() => group({ volumeKmsKeyArn: "alias/ebs" })).toThrow(
        /volumeKmsKeyArn "alias\/ebs" is not a KMS key ARN; use arn:aws:kms:<region>:<account>:key\/<key id>/,
      );
    });
  });

  describe("labels and taints", () => {
    it("throws when the taint effect is invalid", () => {
      expect(() => group({ taints: [{ key: "dedicated", effect: "NoScheduel" as TaintEffect }] })).toThrow(
        /^ManagedNodeGroup 'workers': taints\[0\]\.effect "NoScheduel" is not a taint effect; use "NoSchedule", "PreferNoSchedule" or "NoExecute"/,
      );
    });

    it("throws when a label key is invalid", () => {
      expect(() => group({ labels: { "-team": "a" } })).toThrow(
        /^ManagedNodeGroup 'workers': labels key "-team" is not a valid Kubernetes label key; use \[prefix\/\]name/,
      );
      expect(() => group({ labels: { "Example.COM/team": "a" } })).toThrow(
        /labels key "Example\.COM\/team" has a prefix that is not a lowercase DNS subdomain/,
      );
      expect(() => group({ labels: { ["x".repeat(64)]: "a" } })).toThrow(/is not a valid Kubernetes label key/);
    });

    it("throws when a label key is in the kubelet-restricted kubernetes.io namespace", () => {
      expect(() => group({ labels: { "node-role.kubernetes.io/worker": "" } })).toThrow(
        /labels key "node-role\.kubernetes\.io\/worker" is in the kubernetes\.io\/k8s\.io namespace the kubelet may not set .*; use your own prefix/,
      );
    });

    it("throws when a label value is invalid", () => {
      expect(() => group({ labels: { team: "a b" } })).toThrow(
        /labels\["team"\] "a b" is not a valid Kubernetes label value/,
      );
    });

    it("throws when a taint key is invalid or repeated", () => {
      expect(() => group({ taints: [{ key: "bad key", effect: "NoSchedule" }] })).toThrow(
        /taints\[0\]\.key "bad key" is not a valid Kubernetes label key/,
      );
      expect(() =>
        group({
          taints: [
            { key: "a", value: "1", effect: "NoSchedule" },
            { key: "a", value: "2", effect: "NO_SCHEDULE" },
          ],
        }),
      ).toThrow(/taints "a:NO_SCHEDULE" is given more than once/);
    });
  });

  describe("update config", () => {
    it("throws when both maxUnavailable forms are given", () => {
      expect(() => group({ maxUnavailable: 2, maxUnavailablePercentage: 20 })).toThrow(
        /^ManagedNodeGroup 'workers': maxUnavailablePercentage 20 can't be given together with maxUnavailable 2; give either a node count \(maxUnavailable\) or a percentage/,
      );
    });

    it("throws when maxUnavailable is out of range", () => {
      expect(() => group({ maxUnavailable: 0 })).toThrow(
        /maxUnavailable 0 is out of range; use a whole number from 1 to 100/,
      );
      expect(() => group({ maxUnavailablePercentage: 101 })).toThrow(
        /maxUnavailablePercentage 101 is out of range; use a whole number from 1 to 100/,
      );
    });
  });

  describe("subnets", () => {
    it("warns when all subnets are in one AZ", () => {
      const ng = group({ subnets: network.subnetsOf("private").slice(0, 1) });
      expect(warningsOf(ng)).toEqual([
        expect.stringMatching(
          /^ManagedNodeGroup 'workers': all subnets are in the single Availability Zone "eu-west-1a": an outage of that AZ takes down every node/,
        ),
      ]);
    });

    it("throws when public subnets are used without allowPublicSubnets", () => {
      expect(() => group({ subnetTier: "public" })).toThrow(
        /^ManagedNodeGroup 'workers': subnetTier "public" puts nodes in public subnets; use "private" \(the default\) or "intra", or set allowPublicSubnets: true/,
      );
      expect(() => group({ subnets: network.subnetsOf("public") })).toThrow(
        /subnets\[0\] "10\.0\.\d+\.\d+\/\d+" is a public subnet; use private subnets .* or set allowPublicSubnets: true/,
      );
    });

    it("throws when the tier has no subnets", () => {
      expect(() => group({ subnetTier: "intra" })).toThrow(
        /subnetTier "intra" has no subnets in the cluster's network; create that tier/,
      );
    });

    it("throws when explicit subnets are empty", () => {
      expect(() => group({ subnets: [] })).toThrow(
        /^ManagedNodeGroup 'workers': subnets \[\] is empty; give at least one subnet/,
      );
    });

    it("throws when a subnet is not from the cluster's network", () => {
      const other = {
        tier: "private" as const,
        availabilityZone: "eu-west-1a",
        id: "subnet-0123456789abcdef0",
        cidr: "10.9.0.0/24",
        routeTableId: "rtb-1",
      };
      expect(() => group({ subnets: [other] })).toThrow(
        /subnets\[0\] "10\.9\.0\.0\/24" is not a subnet of the cluster's network/,
      );
    });

    it("throws when subnetTier and subnets are both given", () => {
      expect(() => group({ subnetTier: "private", subnets: network.subnetsOf("private") })).toThrow(
        /subnetTier "private" can't be given together with subnets/,
      );
    });
  });

  describe("roles and names", () => {
    it("throws when role options are given with a shared nodeRole", () => {
      const nodeRole = { roleArn: "arn:aws:iam::123456789012:role/nodes", roleName: "nodes" };
      expect(() => group({ nodeRole, attachSsmPolicy: true })).toThrow(
        /attachSsmPolicy true only applies to the node role this construct creates, but nodeRole was given; remove attachSsmPolicy or remove nodeRole/,
      );
    });

    it("throws when the shared nodeRole is not a role ARN or the name doesn't match", () => {
      expect(() => group({ nodeRole: { roleArn: "nodes", roleName: "nodes" } })).toThrow(
        /nodeRole\.roleArn "nodes" is not an IAM role or user ARN/,
      );
      expect(() => group({ nodeRole: { roleArn: "arn:aws:iam::123456789012:role/nodes", roleName: "other" } })).toThrow(
        /nodeRole\.roleName "other" does not match roleArn/,
      );
    });

    it("throws when the node group name prefix is too long or invalid", () => {
      expect(() => group({ nodeGroupNamePrefix: `${"a".repeat(38)}` })).toThrow(
        /nodeGroupNamePrefix "a{38}" is not a valid node group name prefix; use 1 to 37/,
      );
      expect(() => group({ nodeGroupNamePrefix: "my group" })).toThrow(
        /nodeGroupNamePrefix "my group" is not a valid node group name prefix/,
      );
    });

    it("throws when the AMI type is unknown", () => {
      expect(() => group({ amiType: "AL2_x86_64" as any })).toThrow(
        /amiType "AL2_x86_64" is not a supported AMI type; use one of AL2023_x86_64_STANDARD/,
      );
    });
  });
});
