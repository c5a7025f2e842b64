import { NetworkProps } from "../constructs/network/network";

/** Environments the default app knows. */
export type EnvironmentName = "dev" | "prod";

/**
 * Everything that differs between environments, typed, in one place. AZs and the
 * region are facts given here, never looked up at plan time, so every stack plans
 * offline and the same config always synthesizes the same Terraform.
 */
export interface PlatformConfig {
  readonly environment: EnvironmentName;
  /** Platform name: the network, cluster and resource names derive from it. */
  readonly name: string;
  /** AWS region of the provider; must be the region of network.availabilityZones. */
  readonly region: string;
  /** Network settings (the name and the cluster tags are filled in by the stack). */
  readonly network: Omit<NetworkProps, "name" | "clusterNames">;
  /** Tags on every AWS resource, through the provider's default_tags. */
  readonly tags: Record<string, string>;
}

export const dev: PlatformConfig = {
  environment: "dev",
  name: "platform-dev",
  region: "eu-west-1",
  network: {
    cidr: "10.10.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b"],
    // One NAT gateway for the whole VPC: a third of the cost, and dev can live with an AZ outage.
    natGateways: "single",
    flowLogs: { retentionInDays: 30 },
  },
  tags: { environment: "dev", "managed-by": "cdktf" },
};

export const prod: PlatformConfig = {
  environment: "prod",
  name: "platform-prod",
  region: "eu-west-1",
  network: {
    cidr: "10.20.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    natGateways: "one-per-az",
    intraSubnets: true,
    flowLogs: { retentionInDays: 365, maxAggregationInterval: 60 },
    vpcEndpoints: { s3Gateway: true },
  },
  tags: { environment: "prod", "managed-by": "cdktf" },
};

export const environments: Record<EnvironmentName, PlatformConfig> = { dev, prod };
