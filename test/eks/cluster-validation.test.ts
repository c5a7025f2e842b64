import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { EksCluster, EksClusterOptions } from "../../constructs/eks/cluster";
import { ManagedNodeGroup } from "../../constructs/eks/node-group";
import { INetwork, SubnetInfo, SubnetTier } from "../../constructs/network/types";
import { testNetwork, testStack } from "../fixtures";
import { ADMIN_ARN } from "./fixtures";

function make(options: Partial<EksClusterOptions> = {}, network?: (stack: TerraformStack) => INetwork): EksCluster {
  const stack = testStack();
  return new EksCluster(stack, "main", {
    name: "main",
    network: network ? network(stack) : testNetwork(stack),
    admins: [ADMIN_ARN],
    ...options,
  });
}

/** A network with private subnets in the given AZs only (the real Network insists on 2+ AZs). */
class OneTierNetwork extends Construct implements INetwork {
  readonly vpcId = "vpc-0123456789abcdef0";
  readonly vpcCidr = "10.0.0.0/16";
  readonly region = "eu-west-1";
  readonly ipv6Enabled = false;
  constructor(
    scope: Construct,
    id: string,
    readonly availabilityZones: string[],
  ) {
    super(scope, id);
  }
  subnetsOf(tier: SubnetTier): SubnetInfo[] {
    if (tier !== "private") return [];
    return this.availabilityZones.map((az, i) => ({
      tier,
      availabilityZone: az,
      id: `subnet-${i}`,
      cidr: `10.0.${i}.0/24`,
      routeTableId: `rtb-${i}`,
    }));
  }
  tierOfSubnet(): SubnetTier | undefined {
    return undefined;
  }
}

describe("EksCluster validation", () => {
  it("throws when the cluster name breaks the EKS rules", () => {
    expect(() => make({ name: "-bad name" })).toThrow(
      /EksCluster 'main': name "-bad name" is not a valid EKS cluster name; use 1 to 100 characters/,
    );
    expect(() => make({ name: "x".repeat(101) })).toThrow(/name "x{101}" is not a valid EKS cluster name/);
  });

  it("throws when the Kubernetes version is not 1.<minor>", () => {
    expect(() => make({ kubernetesVersion: "1.35.2" })).toThrow(
      /EksCluster 'main': kubernetesVersion "1.35.2" is not a Kubernetes minor version; use "1.<minor>", e.g. "1.35"/,
    );
    expect(() => make({ kubernetesVersion: "v1.30" })).toThrow(/kubernetesVersion "v1.30"/);
  });

  it("throws when the support type is unknown", () => {
    expect(() => make({ supportType: "PREMIUM" as never })).toThrow(
      /EksCluster 'main': supportType "PREMIUM" is not an EKS support type; use one of STANDARD, EXTENDED/,
    );
  });

  it("throws when a public endpoint has no CIDR allowlist", () => {
    expect(() => make({ endpointAccess: { mode: "public-and-private", publicCidrs: [] } })).toThrow(
      /EksCluster 'main': endpointAccess.publicCidrs \[\] is empty, which would leave a public endpoint with no allowlist; list the IPv4 CIDRs .* or use \{ mode: "private" \}/,
    );
  });

  it("throws when an allowlist CIDR is malformed", () => {
    expect(() => make({ endpointAccess: { mode: "public-and-private", publicCidrs: ["203.0.113.0/33"] } })).toThrow(
      /EksCluster 'main': endpointAccess.publicCidrs entry "203.0.113.0\/33" has a prefix length above 32; use an IPv4 network CIDR/,
    );
    expect(() => make({ endpointAccess: { mode: "public-and-private", publicCidrs: ["203.0.113.5/24"] } })).toThrow(
      /"203.0.113.5\/24" has host bits set/,
    );
    expect(() => make({ endpointAccess: { mode: "public-and-private", publicCidrs: ["office"] } })).toThrow(
      /"office" is not an IPv4 CIDR/,
    );
  });

  it("throws when 0.0.0.0/0 is allowed without the explicit opt-in", () => {
    expect(() => make({ endpointAccess: { mode: "public-and-private", publicCidrs: ["0.0.0.0/0"] } })).toThrow(
      /EksCluster 'main': endpointAccess.publicCidrs entry "0.0.0.0\/0" opens the Kubernetes API to the whole internet; list narrower CIDRs, or set allowAnyIPv4: true/,
    );
  });

  it("throws when an allowlist CIDR is repeated or the mode is unknown", () => {
    expect(() =>
      make({ endpointAccess: { mode: "public-and-private", publicCidrs: ["203.0.113.0/24", "203.0.113.0/24"] } }),
    ).toThrow(/endpointAccess.publicCidrs \["203.0.113.0\/24"\] are listed more than once/);
    expect(() => make({ endpointAccess: { mode: "public" } as never })).toThrow(
      /endpointAccess.mode "public" is not an endpoint access mode; use one of private, public-and-private/,
    );
  });

  it("throws when admins is empty", () => {
    expect(() => make({ admins: [] })).toThrow(
      /EksCluster 'main': admins \[\] is empty, so no human could administer the cluster .*; list at least one IAM role or user ARN/,
    );
  });

  it("throws when a principal ARN is not an IAM role or user", () => {
    expect(() => make({ admins: ["arn:aws:iam::123456789012:group/admins"] })).toThrow(
      /EksCluster 'main': admins entry "arn:aws:iam::123456789012:group\/admins" is not an IAM role or user ARN; use arn:aws:iam::<12-digit account>:role\/<name>/,
    );
    expect(() => make({ access: [{ principalArn: "platform-admin", policy: "view" }] })).toThrow(
      /access\[\]\.principalArn "platform-admin" is not an IAM role or user ARN/,
    );
  });

  it("throws when a principal appears twice (admins and access)", () => {
    expect(() => make({ access: [{ principalArn: ADMIN_ARN, policy: "view" }] })).toThrow(
      /EksCluster 'main': admins\/access principals \["arn:aws:iam::123456789012:role\/platform-admin"\] appear more than once; give each IAM principal exactly one entry/,
    );
  });

  it("throws when a principal's access entry id would equal another principal's policy association id", () => {
    expect(() =>
      make({ admins: ["arn:aws:iam::123456789012:role/ops", "arn:aws:iam::123456789012:role/ops-cluster-admin"] }),
    ).toThrow(
      /^EksCluster 'main': admins\/access principal "arn:aws:iam::123456789012:role\/ops-cluster-admin" would give the access entry of "arn:aws:iam::123456789012:role\/ops-cluster-admin" the construct id "123456789012-role-ops-cluster-admin", already used by the "cluster-admin" policy association of "arn:aws:iam::123456789012:role\/ops"; grant one of the two principals through a role with another name$/,
    );
  });

  it("throws when an access policy is unknown", () => {
    expect(() =>
      make({ access: [{ principalArn: "arn:aws:iam::123456789012:role/dev", policy: "owner" as never }] }),
    ).toThrow(
      /access policy for "arn:aws:iam::123456789012:role\/dev" "owner" is not an access policy; use one of cluster-admin, admin, edit, view/,
    );
  });

  it("throws when an access grant names an invalid namespace", () => {
    expect(() =>
      make({
        access: [{ principalArn: "arn:aws:iam::123456789012:role/dev", policy: "edit", namespaces: ["Team_A"] }],
      }),
    ).toThrow(
      /EksCluster 'main': access namespace for "arn:aws:iam::123456789012:role\/dev" "Team_A" is not a valid Kubernetes namespace name; use 1 to 63 lower-case letters/,
    );
    expect(() =>
      make({ access: [{ principalArn: "arn:aws:iam::123456789012:role/dev", policy: "edit", namespaces: [] }] }),
    ).toThrow(/namespaces for .* \[\] is empty/);
  });

  it("throws when cluster-admin is scoped to namespaces", () => {
    expect(() =>
      make({
        access: [{ principalArn: "arn:aws:iam::123456789012:role/dev", policy: "cluster-admin", namespaces: ["apps"] }],
      }),
    ).toThrow(
      /access namespaces for "arn:aws:iam::123456789012:role\/dev" \["apps"\] cannot scope cluster-admin, which is cluster-wide; drop namespaces, or grant "admin"/,
    );
  });

  it("throws when an add-on name is unknown, listing the known ones", () => {
    expect(() => make({ addons: { "aws-efs-csi-driver": {} } as never })).toThrow(
      /EksCluster 'main': addons key "aws-efs-csi-driver" is not an add-on this construct manages; use one of vpc-cni, kube-proxy, eks-pod-identity-agent, coredns, aws-ebs-csi-driver, metrics-server/,
    );
  });

  it("throws when a control-plane log type is unknown or repeated", () => {
    expect(() => make({ clusterLogTypes: ["api", "kubelet" as never] })).toThrow(
      /EksCluster 'main': clusterLogTypes entry "kubelet" is not an EKS control-plane log type; use any of api, audit, authenticator, controllerManager, scheduler/,
    );
    expect(() => make({ clusterLogTypes: ["api", "api"] })).toThrow(
      /clusterLogTypes \["api"\] are listed more than once/,
    );
  });

  it("throws when log retention is not a CloudWatch period", () => {
    expect(() => make({ logRetentionInDays: 45 })).toThrow(
      /EksCluster 'main': logRetentionInDays 45 is not a retention period CloudWatch Logs accepts; use 0 \(never expire\) or one of 1, 3/,
    );
  });

  it("throws when the control-plane tier has fewer than 2 AZs", () => {
    expect(() => make({ controlPlaneSubnetTier: "intra" })).toThrow(
      /EksCluster 'main': controlPlaneSubnetTier "intra" has subnets in 0 Availability Zone\(s\) \(the network has no such tier\), but EKS needs at least 2; create the "intra" tier in 2 or more AZs, or choose another tier \(private, intra\)/,
    );
    expect(() => make({}, (stack) => new OneTierNetwork(stack, "net", ["eu-west-1a"]))).toThrow(
      /controlPlaneSubnetTier "private" has subnets in 1 Availability Zone\(s\) \(eu-west-1a\), but EKS needs at least 2/,
    );
    expect(() => make({ controlPlaneSubnetTier: "public" as never })).toThrow(
      /controlPlaneSubnetTier "public" is not a tier the control plane can use; use one of private, intra/,
    );
  });

  it("throws when Auto Mode is combined with the intra control-plane tier", () => {
    const intraNetwork = (stack: TerraformStack) => testNetwork(stack, { intraSubnets: true });
    expect(() => make({ computeMode: "auto", controlPlaneSubnetTier: "intra" }, intraNetwork)).toThrow(
      /^EksCluster 'main': controlPlaneSubnetTier "intra" can't be used with computeMode "auto": Auto Mode's built-in NodeClass launches nodes in the cluster's control-plane subnets, and intra subnets have no route out, so nodes could not pull images or reach AWS APIs; use "private" with computeMode "auto"$/,
    );
    // Each alone is fine.
    expect(() => make({ controlPlaneSubnetTier: "intra" }, intraNetwork)).not.toThrow();
    expect(() => make({ computeMode: "auto" }, intraNetwork)).not.toThrow();
  });

  it("throws when a secrets key ARN is not a KMS key ARN", () => {
    expect(() => make({ secretsEncryptionKeyArn: "alias/eks" })).toThrow(
      /EksCluster 'main': secretsEncryptionKeyArn "alias\/eks" is not a KMS key ARN; use arn:aws:kms:<region>:<account>:key\/<key id>/,
    );
  });

  it("throws when addNodeGroup is called in Auto Mode", () => {
    const cluster = make({ computeMode: "auto" });
    expect(() => cluster.addNodeGroup("workers")).toThrow(
      /EksCluster 'main': computeMode "auto" takes no managed node groups: EKS Auto Mode launches and manages the nodes itself; use autoModeNodePools .*addFargateProfile for Fargate, or computeMode: "managed"/,
    );
  });

  it("throws when a node group is attached to an Auto Mode cluster directly (registerCompute)", () => {
    const cluster = make({ computeMode: "auto" });
    expect(() => new ManagedNodeGroup(cluster, "workers", { cluster })).toThrow(
      /EksCluster 'main': computeMode "auto" takes no managed node groups/,
    );
  });

  it("throws when Auto Mode options are wrong", () => {
    expect(() => make({ computeMode: "serverless" as never })).toThrow(
      /computeMode "serverless" is not a compute mode; use one of managed, auto/,
    );
    expect(() => make({ autoModeNodePools: ["system"] })).toThrow(
      /autoModeNodePools \["system"\] only applies to computeMode "auto"; remove it, or set computeMode: "auto"/,
    );
    expect(() => make({ computeMode: "auto", autoModeNodePools: [] })).toThrow(
      /autoModeNodePools \[\] is empty, so Auto Mode would launch no nodes; use one or both of general-purpose, system/,
    );
    expect(() => make({ computeMode: "auto", autoModeNodePools: ["gpu" as never] })).toThrow(
      /autoModeNodePools entry "gpu" is not a built-in Auto Mode node pool; use general-purpose or system/,
    );
    expect(() => make({ computeMode: "auto", addons: { coredns: { version: "v1.11.4-eksbuild.2" } } })).toThrow(
      /addons\["coredns"\] \{"version":"v1.11.4-eksbuild.2"\} is built into EKS Auto Mode, which runs it itself; remove it \(or set it to false\); Auto Mode only takes metrics-server/,
    );
  });

  it("throws when the partition is unknown or one whose principal ARNs the access validation refuses (aws-iso, aws-iso-b)", () => {
    expect(() => make({ partition: "aws-mars" })).toThrow(
      /partition "aws-mars" is not an AWS partition this construct supports; use one of aws, aws-cn, aws-us-gov$/,
    );
    expect(() => make({ partition: "aws-iso" })).toThrow(
      /EksCluster 'main': partition "aws-iso" is not an AWS partition this construct supports; use one of aws, aws-cn, aws-us-gov$/,
    );
    expect(() => make({ partition: "aws-iso-b" })).toThrow(
      /partition "aws-iso-b" is not an AWS partition this construct supports/,
    );
    expect(() => make({ partition: "aws-us-gov" })).not.toThrow();
  });

  it("creates nothing before validation fails (errors come first)", () => {
    const stack = testStack();
    const network = testNetwork(stack);
    expect(
      () =>
        new EksCluster(stack, "main", { name: "main", network, admins: [ADMIN_ARN], addons: { nope: {} } as never }),
    ).toThrow(/addons key "nope"/);
    const main = stack.node.tryFindChild("main");
    expect(main?.node.children ?? []).toEqual([]);
  });
});
