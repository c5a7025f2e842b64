/// <reference types="cdktf/lib/testing/adapters/jest" />
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { Construct } from "constructs";
import { EksCluster } from "../../constructs/eks/cluster";
import { ManagedNodeGroup } from "../../constructs/eks/node-group";
import { ServiceAccountRole } from "../../constructs/eks/service-account-role";
import { IEksCluster } from "../../constructs/eks/types";
import { Network } from "../../constructs/network/network";
import { INetwork } from "../../constructs/network/types";
import { Registry } from "../../constructs/registry/registry";
import { resourcesOf, synthJson, testStack } from "../fixtures";
import { ADMIN_ARN, EXISTING_VPC, existingCluster, existingClusterAttributes, existingNetwork } from "./fixtures";

describe("Network.fromNetworkAttributes", () => {
  it("gives the INetwork attributes of an existing VPC, subnets in AZ order, and creates nothing", () => {
    const stack = testStack();
    const network = existingNetwork(stack);
    expect(network.vpcId).toBe("vpc-0a1b2c3d4e5f60718");
    expect(network.region).toBe("eu-west-1");
    expect(network.ipv6Enabled).toBe(false);
    expect(network.subnetsOf("private").map((s) => s.id)).toEqual([
      "subnet-0aaaaaaaaaaaaaaa1",
      "subnet-0bbbbbbbbbbbbbbb2",
    ]);
    expect(network.subnetsOf("intra")).toEqual([]);
    expect(network.tierOfSubnet("subnet-0ccccccccccccccc3")).toBe("public");
    expect(network.tierOfSubnet("subnet-0eeeeeeeeeeeeeee5")).toBeUndefined();
    expect(synthJson(stack).resource).toBeUndefined();
  });

  it("takes references (TerraformVariable) for ids and AZs, with the region given", () => {
    const stack = testStack();
    const vars: Record<string, TerraformVariable> = {};
    const v = (name: string) => (vars[name] ??= new TerraformVariable(stack, name, { type: "string" }));
    const network = Network.fromNetworkAttributes(stack, "vpc", {
      vpcId: v("vpc_id").stringValue,
      vpcCidr: v("vpc_cidr").stringValue,
      availabilityZones: [v("az_a").stringValue, v("az_b").stringValue],
      region: "eu-west-1",
      subnets: {
        private: [
          { id: v("private_a").stringValue, availabilityZone: v("az_a").stringValue },
          { id: v("private_b").stringValue, availabilityZone: v("az_b").stringValue },
        ],
      },
    });
    new EksCluster(stack, "cluster", { name: "second", network, admins: [ADMIN_ARN] });
    const [cluster] = Object.values(resourcesOf(stack, "aws_eks_cluster"));
    expect(cluster.vpc_config.subnet_ids).toEqual(["${var.private_a}", "${var.private_b}"]);
  });

  it("puts a new cluster's control plane in the given private subnets", () => {
    const stack = testStack();
    new EksCluster(stack, "cluster", { name: "second", network: existingNetwork(stack), admins: [ADMIN_ARN] });
    const [cluster] = Object.values(resourcesOf(stack, "aws_eks_cluster"));
    expect(cluster.vpc_config.subnet_ids).toEqual(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]);
  });

  it("throws when the VPC id is not a VPC id", () => {
    expect(() => existingNetwork(testStack(), { vpcId: "subnet-0a1b2c3d" })).toThrow(
      'Network.fromNetworkAttributes \'existing-vpc\': vpcId "subnet-0a1b2c3d" is not a VPC id; use the id of the VPC, e.g. "vpc-0123456789abcdef0"',
    );
  });

  it("throws when a subnet's AZ is not one of the network's", () => {
    expect(() =>
      existingNetwork(testStack(), {
        subnets: { private: [{ id: "subnet-0aaaaaaaaaaaaaaa1", availabilityZone: "eu-west-1c" }] },
      }),
    ).toThrow(
      "Network.fromNetworkAttributes 'existing-vpc': subnets.private[0].availabilityZone \"eu-west-1c\" is not one of the network's availabilityZones; use one of eu-west-1a, eu-west-1b, or add it to availabilityZones",
    );
  });

  it("throws when there are no private subnets", () => {
    expect(() => existingNetwork(testStack(), { subnets: { private: [] } })).toThrow(
      "Network.fromNetworkAttributes 'existing-vpc': subnets.private [] is empty: nodes, pods and the control plane need private subnets; give the private subnets, one per Availability Zone",
    );
  });

  it("throws when the AZs are references and no region is given", () => {
    const stack = testStack();
    const az = new TerraformVariable(stack, "az", { type: "string" }).stringValue;
    expect(() => existingNetwork(stack, { availabilityZones: [az, "eu-west-1b"] })).toThrow(
      "Network.fromNetworkAttributes 'existing-vpc': region undefined is required when availabilityZones are references (the region can't be read from their names); give region, e.g. \"eu-west-1\"",
    );
  });

  it("throws when AZ names are bad (the same checks as Network)", () => {
    expect(() => existingNetwork(testStack(), { availabilityZones: ["eu-west-1a"] })).toThrow(
      /Network.fromNetworkAttributes 'existing-vpc': availabilityZones \["eu-west-1a"\] has 1 entry/,
    );
  });

  it("throws when a subnet is in two tiers", () => {
    const sub = EXISTING_VPC.subnets.private[0];
    expect(() => existingNetwork(testStack(), { subnets: { private: [sub], public: [sub] } })).toThrow(
      "Network.fromNetworkAttributes 'existing-vpc': subnets [\"subnet-0bbbbbbbbbbbbbbb2\"] puts a subnet in more than one tier; give each subnet one tier",
    );
  });
});

describe("EksCluster.fromClusterAttributes", () => {
  it("gives the IEksCluster attributes, deriving the ARN and the issuer from the OIDC provider ARN", () => {
    const cluster = existingCluster(testStack());
    expect(cluster.name).toBe("legacy");
    expect(cluster.clusterArn).toBe("arn:aws:eks:eu-west-1:123456789012:cluster/legacy");
    expect(cluster.oidcIssuerUrl).toBe("https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF");
    expect(cluster.partition).toBe("aws");
    expect(cluster.computeMode).toBe("managed");
    // Unknown for a cluster we didn't make: not assumed.
    expect(cluster.podIdentityAvailable).toBe(false);
    expect(cluster.networkPolicyEnforcement).toBe("none");
    expect(cluster.nodeRoleArns).toEqual([]);
  });

  it("takes references (remote state, variables) for every attribute", () => {
    const stack = testStack();
    const v = (name: string) => new TerraformVariable(stack, name, { type: "string" }).stringValue;
    const cluster = existingCluster(stack, {
      clusterName: v("cluster_name"),
      clusterEndpoint: v("endpoint"),
      clusterCertificateAuthorityData: v("ca"),
      oidcProviderArn: v("oidc_arn"),
      clusterSecurityGroupId: v("sg"),
      kubernetesVersion: v("version"),
    });
    cluster.addServiceAccountRole("reader", {
      namespace: "apps",
      serviceAccount: "reader",
      policyStatements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::assets/*"] }],
    });
    const warn = jest.spyOn(console, "warn");
    const synth = Testing.synth(stack);
    expect(synth).toContain("var.oidc_arn");
    // The IRSA trust policy's condition keys name the issuer host, derived from the ARN by
    // functions only (cdktf warns, and may write wrong HCL, for a template string inside a function).
    expect(synth).toMatch(
      /replace\(join\(.{1,8}, \[.{1,4}https:\/\/.{1,4}, element\(split\(.{1,4}oidc-provider\/.{1,4}, var\.oidc_arn\), 1\)\]\), .{1,4}https:\/\/.{1,4}, .{1,8}\)/,
    );
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    expect(cluster.clusterArn).toContain("arn:aws:eks:eu-west-1:");
  });

  it("a ServiceAccountRole against it defaults to IRSA trusting its OIDC provider", () => {
    const stack = testStack();
    const cluster = existingCluster(stack);
    const role = new ServiceAccountRole(stack, "reader", {
      cluster,
      namespace: "apps",
      serviceAccount: "reader",
      policyStatements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::assets/*"] }],
    });
    expect(role.mechanism).toBe("irsa");
    const [iamRole] = Object.values(resourcesOf(stack, "aws_iam_role"));
    expect(iamRole.assume_role_policy).toContain(
      existingClusterAttributes(existingNetwork(testStack())).oidcProviderArn,
    );
    expect(iamRole.assume_role_policy).toContain("system:serviceaccount:apps:reader");
    expect(resourcesOf(stack, "aws_eks_pod_identity_association")).toEqual({});
  });

  it("uses Pod Identity when told the cluster runs the agent", () => {
    const stack = testStack();
    const cluster = existingCluster(stack, { podIdentityAvailable: true });
    cluster.addServiceAccountRole("writer", { namespace: "apps", serviceAccount: "writer", managedPolicyArns: [] });
    const [association] = Object.values(resourcesOf(stack, "aws_eks_pod_identity_association"));
    expect(association.cluster_name).toBe("legacy");
  });

  it("adds node groups and Fargate profiles with no add-on ordering, and grants cover their roles", () => {
    const stack = testStack();
    const cluster = existingCluster(stack, { nodeRoleArns: ["arn:aws:iam::123456789012:role/legacy-nodes"] });
    const registry = new Registry(stack, "registry", { repositories: { "apps/web": {} } });
    registry.grantPull(cluster);
    const group = cluster.addNodeGroup("extra");
    const profile = cluster.addFargateProfile("batch", { selectors: [{ namespace: "batch" }] });
    const synth = synthJson(stack);
    const ng = synth.resource.aws_eks_node_group[group.nodeGroup.friendlyUniqueId];
    expect(ng.cluster_name).toBe("legacy");
    expect(ng.version).toBe("1.34");
    expect(ng.subnet_ids).toEqual(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]);
    // Its own role's policies only: the imported cluster's add-ons already exist.
    expect(ng.depends_on.every((d: string) => d.startsWith("aws_iam_role_policy_attachment."))).toBe(true);
    expect(cluster.nodeRoleArns).toEqual(["arn:aws:iam::123456789012:role/legacy-nodes", group.nodeRoleArn]);
    expect(cluster.podExecutionRoleArns).toEqual([profile.podExecutionRoleArn]);
    const [policy] = Object.values<any>(synth.resource.aws_ecr_repository_policy);
    expect(policy.policy).toContain("arn:aws:iam::123456789012:role/legacy-nodes");
    expect(policy.policy).toContain("aws_iam_role.legacy_extra_node-role_");
    expect(policy.policy).toContain("aws_iam_role.legacy_batch_pod-execution-role_");
  });

  it("throws when a node group is added to an Auto Mode cluster", () => {
    const cluster = existingCluster(testStack(), { computeMode: "auto" });
    expect(() => cluster.addNodeGroup("extra")).toThrow(
      "EksCluster.fromClusterAttributes 'legacy': computeMode \"auto\" takes no managed node groups: EKS Auto Mode launches and manages the nodes itself; use addFargateProfile, or Auto Mode NodePools in the cluster",
    );
  });

  it("throws when pod-identity is asked of a cluster not known to run the agent", () => {
    const cluster = existingCluster(testStack());
    expect(() =>
      cluster.addServiceAccountRole("writer", {
        namespace: "apps",
        serviceAccount: "writer",
        mechanism: "pod-identity",
        managedPolicyArns: [],
      }),
    ).toThrow(
      `ServiceAccountRole 'writer': mechanism "pod-identity" needs the EKS Pod Identity agent, but adopted cluster "legacy" doesn't declare it (podIdentityAvailable is false, its default), so the pods would get no credentials; use mechanism "irsa" (or leave mechanism out), or set podIdentityAvailable: true in fromClusterAttributes once the cluster runs the eks-pod-identity-agent add-on`,
    );
  });

  it("throws when the OIDC provider ARN is not one", () => {
    expect(() => existingCluster(testStack(), { oidcProviderArn: "arn:aws:iam::123456789012:role/oidc" })).toThrow(
      "EksCluster.fromClusterAttributes 'legacy': oidcProviderArn \"arn:aws:iam::123456789012:role/oidc\" is not a valid oidcProviderArn; use arn:aws:iam::<12-digit account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id> (the cluster's IAM OIDC provider)",
    );
  });

  it("throws when the cluster security group id is not one", () => {
    expect(() => existingCluster(testStack(), { clusterSecurityGroupId: "sg-123" })).toThrow(
      'EksCluster.fromClusterAttributes \'legacy\': clusterSecurityGroupId "sg-123" is not a valid clusterSecurityGroupId; use a security group id such as "sg-0123456789abcdef0"',
    );
  });

  it("throws when the Kubernetes version is not a minor version", () => {
    expect(() => existingCluster(testStack(), { kubernetesVersion: "1.34.2" })).toThrow(
      'EksCluster.fromClusterAttributes \'legacy\': kubernetesVersion "1.34.2" is not a valid kubernetesVersion; use the cluster\'s minor version, e.g. "1.35"',
    );
  });

  it("throws when the cluster name is not an EKS name, or the endpoint is not https", () => {
    expect(() => existingCluster(testStack(), { clusterName: "-bad" })).toThrow(
      /EksCluster.fromClusterAttributes 'legacy': clusterName "-bad" is not a valid EKS cluster name/,
    );
    expect(() => existingCluster(testStack(), { clusterEndpoint: "http://x" })).toThrow(
      "EksCluster.fromClusterAttributes 'legacy': clusterEndpoint \"http://x\" is not a valid clusterEndpoint; use the https:// URL of the API server",
    );
  });

  it("throws when a node role ARN is not an IAM role ARN", () => {
    expect(() => existingCluster(testStack(), { nodeRoleArns: ["nodes"] })).toThrow(
      /EksCluster.fromClusterAttributes 'legacy': nodeRoleArns\[0\] "nodes" is not an IAM role or user ARN/,
    );
  });
});

describe("IEksCluster carries attributes only", () => {
  /** A hand-written cluster: every IEksCluster member, and nothing of the cluster's wiring. */
  class HandWritten extends Construct implements IEksCluster {
    readonly name = "hand";
    readonly clusterName = "hand";
    readonly clusterArn = "arn:aws:eks:eu-west-1:123456789012:cluster/hand";
    readonly clusterEndpoint = "https://x.eks.amazonaws.com";
    readonly clusterCertificateAuthorityData = "Y2E=";
    readonly clusterSecurityGroupId = "sg-0123456789abcdef0";
    readonly kubernetesVersion = "1.35";
    readonly oidcIssuerUrl = "https://oidc.eks.eu-west-1.amazonaws.com/id/X";
    readonly oidcProviderArn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X";
    readonly computeMode = "managed" as const;
    readonly endpointPublicAccess = false;
    readonly endpointPublicAccessCidrs: string[] = [];
    readonly partition = "aws";
    readonly nodeRoleArns: string[] = [];
    readonly podExecutionRoleArns: string[] = [];
    readonly podIdentityAvailable = false;
    readonly networkPolicyEnforcement = "none" as const;
    readonly systemNodePlacement = undefined;
    constructor(
      scope: Construct,
      readonly network: INetwork,
    ) {
      super(scope, "hand");
    }
  }

  it("is implemented by attributes alone, and service-account roles work against it", () => {
    const stack: TerraformStack = testStack();
    const cluster = new HandWritten(stack, existingNetwork(stack));
    expect(
      () =>
        new ServiceAccountRole(stack, "reader", {
          cluster,
          namespace: "apps",
          serviceAccount: "reader",
          managedPolicyArns: [],
        }),
    ).not.toThrow();
  });

  it("throws when compute is added to a hand-written cluster (nothing would order it around its add-ons)", () => {
    const stack = testStack();
    const cluster = new HandWritten(stack, existingNetwork(stack));
    expect(() => new ManagedNodeGroup(stack, "workers", { cluster })).toThrow(
      "ManagedNodeGroup 'workers': cluster \"test/hand\" is neither an EksCluster nor a cluster from EksCluster.fromClusterAttributes, so nothing orders this compute around its add-ons; create the compute with cluster.addNodeGroup(...) / cluster.addFargateProfile(...) on an EksCluster, or import the cluster with EksCluster.fromClusterAttributes(...)",
    );
  });
});
