import { EksClusterOptions } from "../constructs/eks/cluster";
import { FargateProfileOptions } from "../constructs/eks/fargate-profile";
import { NodeGroupOptions } from "../constructs/eks/node-group";
import { NetworkProps } from "../constructs/network/network";
import { RegistryOptions } from "../constructs/registry/registry";
import { RegistrySettingsOptions } from "../constructs/registry/registry-settings";
import { PlacementOptions } from "../constructs/workloads/placement";
import type { StateConfig } from "../constructs/stacks/state";

/** Environments the default app knows. */
export type EnvironmentName = "dev" | "prod";

/**
 * Everything that differs between environments, typed, in one place. AZs, the region
 * and account ids are facts given here, never looked up at plan time, so every stack
 * plans offline and the same config always synthesizes the same Terraform.
 */
export interface PlatformConfig {
  readonly environment: EnvironmentName;
  /** Platform name: the network and the EKS cluster are named after it. */
  readonly name: string;
  /** AWS region of the provider; must be the region of network.availabilityZones. */
  readonly region: string;
  /** Network settings (the name and the cluster tags are filled in by the stack). */
  readonly network: Omit<NetworkProps, "name" | "clusterNames">;
  /** EKS control plane, access and add-ons (the name comes from `name`). */
  readonly cluster: Omit<EksClusterOptions, "name">;
  /** Managed node groups by id (the id prefixes the node group name). Must be empty with Auto Mode. */
  readonly nodeGroups: Record<string, NodeGroupOptions>;
  /** Fargate profiles by id (the id is the profile name suffix). */
  readonly fargateProfiles: Record<string, FargateProfileOptions>;
  /**
   * ECR repositories of the platform. The stack grants the cluster's node roles and
   * Fargate pod execution roles pull on every repository.
   */
  readonly registry: Omit<RegistryOptions, "provider">;
  /**
   * Deploy the example system (stacks/sample-system.ts: a web front end, an API, a cache, a
   * worker and a report job) to this environment, with its ECR repositories (apps/web, apps/api,
   * apps/report-job) in the platform's registry. It shows the constructs at work; it is not
   * part of the platform.
   * @default false
   */
  readonly sample?: boolean;
  /**
   * Account-and-region-wide ECR settings (enhanced scanning, replication, pull-through
   * cache). They exist once per account and region, so only one environment per account
   * may set them, and they need the account id.
   * @default - none: the account's ECR settings are left as they are
   */
  readonly registrySettings?: Omit<RegistrySettingsOptions, "region" | "provider">;
  /**
   * Where the sample workloads (web, API, worker, cache) run, checked at synth against
   * `nodeGroups`. The report job runs on the Fargate `batch` profile.
   * @default - anywhere the pods tolerate
   */
  readonly samplePlacement?: PlacementOptions;
  /** Tags on every AWS resource, through the provider's default_tags. */
  readonly tags: Record<string, string>;
  /**
   * A throwaway environment: `cdktf destroy` removes everything, data included. Every stateful
   * resource defaults to removal policy "destroy" (ECR repositories, the control-plane and
   * flow-log groups and their keys, the sample's gp3 volumes and claims); a value set
   * explicitly in this config still wins. Without it, destroy stops at `prevent_destroy` on
   * the repositories and log keys, and log groups and volumes stay in AWS.
   *
   * Flipping it on a running environment changes the AWS resources' policies in place, but NOT
   * the gp3 volumes that already exist: each keeps the reclaim policy it was provisioned with
   * (see Gp3StorageClassOptions.removalPolicy for how to change the class and patch them). Set
   * it when you create the environment.
   * @default false
   */
  readonly disposable?: boolean;
  /**
   * Policy findings this environment accepts on purpose, each with its reason (shown in the
   * plan report). `scope` is a construct path below the stack, e.g. "cluster".
   * @default - none
   */
  readonly policySuppressions?: { readonly scope: string; readonly ruleId: string; readonly reason: string }[];
  /**
   * Where Terraform keeps the state of this environment's stacks: local files, or an S3
   * bucket (`{ backend: "s3", bucket, region, keyPrefix?, kmsKeyArn? }`). The environment
   * variables PLATFORM_STATE_BUCKET, PLATFORM_STATE_REGION, PLATFORM_STATE_KEY_PREFIX and
   * PLATFORM_STATE_KMS_KEY_ARN override it (see constructs/stacks/state.ts).
   * @default { backend: "local" }
   */
  readonly state?: StateConfig;
}

/**
 * Example principals from AWS's documentation account (123456789012): replace them
 * with your own admin role and CI role before `cdktf deploy`.
 */
const EXAMPLE_ADMIN_ROLE = "arn:aws:iam::123456789012:role/platform-admin";
const EXAMPLE_CI_ROLE = "arn:aws:iam::123456789012:role/ci-deploy";

/**
 * One autoscaled node group per Availability Zone, `<id>-<az>`, each with `perAz` nodes. A
 * StatefulService's EBS volume is bound to one AZ: after a node loss only a group scoped to that
 * AZ lets the Cluster Autoscaler bring a node back there (AWS's guidance; StatefulService refuses
 * a multi-AZ autoscaled group). The autoscaler keeps the groups balanced (balanceSimilarNodeGroups).
 */
function perAvailabilityZone(
  id: string,
  zones: string[],
  options: NodeGroupOptions,
  perAz: { minSize: number; maxSize: number; desiredSize: number },
): Record<string, NodeGroupOptions> {
  return Object.fromEntries(
    zones.map((az) => [
      `${id}-${az}`,
      { ...options, availabilityZones: [az], scaling: { mode: "autoscaled", ...perAz } } satisfies NodeGroupOptions,
    ]),
  );
}

const DEV_ZONES = ["eu-west-1a", "eu-west-1b"];
const PROD_ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

export const dev: PlatformConfig = {
  environment: "dev",
  // Torn down and rebuilt at will: `npm run destroy -- '*-dev'` removes it all, data included.
  disposable: true,
  // The example system runs in dev, to try the platform out; prod runs your own workloads.
  sample: true,
  name: "platform-dev",
  region: "eu-west-1",
  network: {
    cidr: "10.10.0.0/16",
    availabilityZones: DEV_ZONES,
    // One NAT gateway for the whole VPC: a third of the cost, and dev can live with an AZ outage.
    natGateways: "single",
    flowLogs: { retentionInDays: 30 },
  },
  cluster: {
    admins: [EXAMPLE_ADMIN_ROLE],
    // The workloads stack is deployed from outside the VPC in dev: a public endpoint, allowlisted
    // to the office egress range (203.0.113.0/24 is the documentation range: put yours).
    endpointAccess: { mode: "public-and-private", publicCidrs: ["203.0.113.0/24"] },
    logRetentionInDays: 30,
  },
  // Spot, one group per AZ (2 to 4 nodes in all), so the cache's EBS volume always gets a node back in its AZ.
  nodeGroups: perAvailabilityZone(
    "general",
    DEV_ZONES,
    { instanceTypes: ["m6i.large", "m6a.large", "m5.large"], capacityType: "SPOT" },
    { minSize: 1, maxSize: 2, desiredSize: 1 },
  ),
  fargateProfiles: {
    batch: { selectors: [{ namespace: "batch" }] },
  },
  // dev's groups are all x86 spot: say so, so an arm64-only image fails at synth, not in the pod.
  samplePlacement: { architectures: ["amd64"], capacityType: "spot" },
  registry: {
    defaults: { pushPrincipalArns: [EXAMPLE_CI_ROLE] },
  },
  tags: { environment: "dev", "managed-by": "cdktf" },
  policySuppressions: [
    {
      scope: "cluster",
      ruleId: "EKS2",
      reason:
        "dev's workloads stack deploys from outside the VPC: the public endpoint is allowlisted to the office egress range (publicCidrs) and keeps a private endpoint for the nodes",
    },
  ],
};

export const prod: PlatformConfig = {
  environment: "prod",
  name: "platform-prod",
  region: "eu-west-1",
  network: {
    cidr: "10.20.0.0/16",
    availabilityZones: PROD_ZONES,
    natGateways: "one-per-az",
    intraSubnets: true,
    flowLogs: { retentionInDays: 365, maxAggregationInterval: 60 },
    vpcEndpoints: { s3Gateway: true, interfaces: ["ecr.api", "ecr.dkr", "sts", "logs", "ec2", "eks-auth"] },
  },
  cluster: {
    admins: [EXAMPLE_ADMIN_ROLE],
    access: [{ principalArn: "arn:aws:iam::123456789012:role/platform-readonly", policy: "view" }],
    // Private only: deploy the workloads stack from inside the VPC (a CI runner or bastion there, or an SSM
    // port forward), which the endpoint admits by default (privateAccessFrom: the VPC). Over a VPN, add its
    // range: privateAccessFrom: [EndpointSource.vpc(), EndpointSource.cidr("<VPN client range>")].
    endpointAccess: { mode: "private" },
    controlPlaneSubnetTier: "intra",
    logRetentionInDays: 365,
  },
  nodeGroups: {
    // Cluster-critical pods (coredns, metrics-server, the EBS CSI controller, the workloads
    // stack's controllers) on a small on-demand group: role "system" labels and taints it
    // (CriticalAddonsOnly:NoSchedule) and the cluster routes those pods there.
    system: {
      role: "system",
      instanceTypes: ["m6i.large"],
      scaling: { mode: "fixed", size: 3 },
    },
    // Application pods on Graviton spot across several instance types, one group per AZ (3 to 12
    // nodes in all) so stateful pods always get a node back in their EBS volume's AZ.
    ...perAvailabilityZone(
      "apps",
      PROD_ZONES,
      {
        amiType: "AL2023_ARM_64_STANDARD",
        instanceTypes: ["m7g.large", "m6g.large", "m7gd.large", "m6gd.large"], // one shape (2 vCPU, 8 GiB): see the autoscaler warning
        capacityType: "SPOT",
        volumeSize: 80,
        maxUnavailablePercentage: 33,
      },
      { minSize: 1, maxSize: 4, desiredSize: 1 },
    ),
  },
  fargateProfiles: {
    batch: { selectors: [{ namespace: "batch" }] },
  },
  // The apps groups: Graviton spot, off the system nodes. A team image built for amd64 only
  // fails at synth (imageArchitectures) instead of crashing with "exec format error".
  samplePlacement: { architectures: ["arm64"], capacityType: "spot", nodeRole: "general" },
  registry: {
    defaults: { pushPrincipalArns: [EXAMPLE_CI_ROLE] },
  },
  tags: { environment: "prod", "managed-by": "cdktf" },
};

export const environments: Record<EnvironmentName, PlatformConfig> = { dev, prod };
