import { INetwork, SubnetInfo, SubnetTier } from "../../constructs/network/types";
import { DEFAULT_KUBERNETES_VERSION, resolveClusterSettings } from "../../constructs/eks/cluster-settings";
import { ADMIN_ARN } from "../fixtures";

// EksCluster's settings are resolved before anything is created, by a pure function: no App, no
// stack, no construct. A plain object stands in for the network.
const SUBNETS: SubnetInfo[] = ["a", "b"].flatMap((az, i) =>
  (["public", "private", "intra"] as SubnetTier[]).map((tier, j) => ({
    tier,
    availabilityZone: `eu-west-1${az}`,
    id: `subnet-${tier}-${az}`,
    cidr: `10.0.${i * 3 + j}.0/24`,
  })),
);
// Only the attributes the settings read: no construct node (the settings never touch the tree).
const network = {
  vpcId: "vpc-1",
  vpcCidr: "10.0.0.0/16",
  region: "eu-west-1",
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  clusterNames: ["main"],
  ipv6Enabled: false,
  subnetsOf: (tier: SubnetTier) => SUBNETS.filter((s) => s.tier === tier),
  tierOfSubnet: (id: string) => SUBNETS.find((s) => s.id === id)?.tier,
} as Omit<INetwork, "node"> as INetwork;

describe("resolveClusterSettings", () => {
  test("applies every default without a stack", () => {
    const s = resolveClusterSettings("EksCluster 'main'", { name: "main", network, admins: [ADMIN_ARN] });
    expect(s).toMatchObject({
      name: "main",
      region: "eu-west-1",
      kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
      supportType: "STANDARD",
      computeMode: "managed",
      partition: "aws",
      controlPlaneSubnetTier: "private",
      ipFamily: "ipv4",
      endpointPublicAccess: false,
      endpointPublicAccessCidrs: [],
      bootstrapClusterCreatorAdminPermissions: false,
      clusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      logRetentionInDays: 90,
      logGroupRemovalPolicy: "retain",
      podIdentityAvailable: true,
      warnings: [],
    });
    expect(s.controlPlaneSubnets.map((x) => x.id)).toEqual(["subnet-private-a", "subnet-private-b"]);
  });

  test("returns warnings as messages (without the cluster's name) instead of attaching them", () => {
    const s = resolveClusterSettings("EksCluster 'other'", { name: "other", network, admins: [ADMIN_ARN] });
    expect(s.warnings).toEqual([
      `the network's subnets don't carry this cluster's discovery tag (kubernetes.io/cluster/other): "other" is not in its clusterNames ["main"], so load balancer controllers won't find the subnets; add it to the network's clusterNames`,
    ]);
  });

  test("throws on bad input before anything exists", () => {
    expect(() =>
      resolveClusterSettings("EksCluster 'main'", {
        name: "main",
        network,
        admins: [ADMIN_ARN],
        controlPlaneSubnetTier: "public" as never,
      }),
    ).toThrow(
      `EksCluster 'main': controlPlaneSubnetTier "public" is not a tier the control plane can use; use one of private, intra`,
    );
  });
});
