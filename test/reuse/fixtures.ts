import { TerraformStack } from "cdktf";
import { EksCluster } from "../../constructs/eks/cluster";
import { ClusterAttributes, IImportedCluster } from "../../constructs/eks/imported-cluster";
import { Network } from "../../constructs/network/network";
import { NetworkAttributes } from "../../constructs/network/imported-network";
import { INetwork } from "../../constructs/network/types";

export { ADMIN_ARN } from "../fixtures";

/** An existing two-AZ VPC with private and public subnets, by literal ids. */
export const EXISTING_VPC: NetworkAttributes = {
  vpcId: "vpc-0a1b2c3d4e5f60718",
  vpcCidr: "10.50.0.0/16",
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  subnets: {
    // Given out of AZ order on purpose: subnetsOf returns them in availabilityZones order.
    private: [
      { id: "subnet-0bbbbbbbbbbbbbbb2", availabilityZone: "eu-west-1b", cidr: "10.50.32.0/19" },
      { id: "subnet-0aaaaaaaaaaaaaaa1", availabilityZone: "eu-west-1a", cidr: "10.50.0.0/19" },
    ],
    public: [
      { id: "subnet-0ccccccccccccccc3", availabilityZone: "eu-west-1a" },
      { id: "subnet-0ddddddddddddddd4", availabilityZone: "eu-west-1b" },
    ],
  },
};

export function existingNetwork(stack: TerraformStack, overrides: Partial<NetworkAttributes> = {}): INetwork {
  return Network.fromNetworkAttributes(stack, "existing-vpc", { ...EXISTING_VPC, ...overrides });
}

/** The attributes of an existing cluster (literals), in the existing VPC. */
export function existingClusterAttributes(network: INetwork): ClusterAttributes {
  return {
    clusterName: "legacy",
    clusterEndpoint: "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
    clusterCertificateAuthorityData: "Y2VydGlmaWNhdGU=",
    oidcProviderArn:
      "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF",
    clusterSecurityGroupId: "sg-0123456789abcdef0",
    network,
    kubernetesVersion: "1.34",
  };
}

export function existingCluster(stack: TerraformStack, overrides: Partial<ClusterAttributes> = {}): IImportedCluster {
  const network = overrides.network ?? existingNetwork(stack);
  return EksCluster.fromClusterAttributes(stack, "legacy", { ...existingClusterAttributes(network), ...overrides });
}
