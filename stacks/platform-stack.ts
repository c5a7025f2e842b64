import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { PlatformConfig } from "../config/environments";
import { Network } from "../constructs/network/network";
import { describe, fail } from "../constructs/private/validation";

/**
 * The AWS side of the platform: network, EKS cluster and compute, registries.
 * Kubernetes resources never live here: the kubernetes provider would need the
 * cluster's endpoint before the cluster exists (see the workloads stack).
 */
export class PlatformStack extends TerraformStack {
  public readonly config: PlatformConfig;
  public readonly network: Network;

  constructor(scope: Construct, id: string, config: PlatformConfig) {
    super(scope, id);
    this.config = config;

    new AwsProvider(this, "aws", { region: config.region, defaultTags: [{ tags: config.tags }] });

    this.network = new Network(this, "network", {
      ...config.network,
      name: config.name,
      clusterNames: [config.name],
    });
    if (this.network.region !== config.region) {
      fail(describe("PlatformStack", id), "region", config.region, `differs from the region of network.availabilityZones (${this.network.region})`, "use AZs of the provider's region");
    }

    new TerraformOutput(this, "vpc_id", { value: this.network.vpcId, description: "VPC id" });
    new TerraformOutput(this, "private_subnet_ids", { value: this.network.privateSubnetIds, description: "Private subnet ids, in AZ order" });
    new TerraformOutput(this, "public_subnet_ids", { value: this.network.publicSubnetIds, description: "Public subnet ids, in AZ order" });
    new TerraformOutput(this, "nat_public_ips", { value: this.network.natPublicIps, description: "Egress IPv4 addresses of the NAT gateways" });
  }
}
