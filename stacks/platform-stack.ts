import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { PlatformConfig } from "../config/environments";
import { EksCluster } from "../constructs/eks/cluster";
import { FargateProfile } from "../constructs/eks/fargate-profile";
import { ManagedNodeGroup } from "../constructs/eks/node-group";
import { Network } from "../constructs/network/network";
import { PolicyChecks } from "../constructs/policy/policy-checks";
import { describe, fail } from "../constructs/core/errors";
import { Registry } from "../constructs/registry/registry";
import { RegistrySettings } from "../constructs/registry/registry-settings";
import { guardDocumentationPlaceholders } from "./placeholders";
import { SAMPLE_REPOSITORIES } from "./sample-system";
import { configureState } from "./state";

/** The repositories an environment's platform stack creates: the sample's (config.sample), then the config's. */
export function repositoriesOf(config: PlatformConfig): NonNullable<PlatformConfig["registry"]["repositories"]> {
  return { ...(config.sample ? SAMPLE_REPOSITORIES : {}), ...(config.registry.repositories ?? {}) };
}

/**
 * The AWS side of the platform: network, EKS cluster and its compute, registries.
 * Kubernetes resources never live here: the kubernetes provider would need the
 * cluster's endpoint before the cluster exists, so they go in a separate workloads
 * stack that takes this stack's typed attributes (cdktf wires the outputs).
 */
export class PlatformStack extends TerraformStack {
  public readonly config: PlatformConfig;
  public readonly network: Network;
  public readonly cluster: EksCluster;
  public readonly nodeGroups: Record<string, ManagedNodeGroup> = {};
  public readonly fargateProfiles: Record<string, FargateProfile> = {};
  public readonly registry: Registry;
  public readonly registrySettings?: RegistrySettings;

  constructor(scope: Construct, id: string, config: PlatformConfig) {
    super(scope, id);
    this.config = config;
    const where = describe("PlatformStack", id);

    new AwsProvider(this, "aws", { region: config.region, defaultTags: [{ tags: config.tags }] });
    configureState(this, config);

    // A disposable environment's stateful resources go with it on destroy (explicit values win).
    const removal = config.disposable ? ({ removalPolicy: "destroy" } as const) : {};
    const flowLogs = config.network.flowLogs === false ? false : { ...removal, ...(config.network.flowLogs ?? {}) };
    this.network = new Network(this, "network", {
      ...config.network,
      flowLogs,
      name: config.name,
      clusterNames: [config.name],
    });
    if (this.network.region !== config.region) {
      fail(
        where,
        "region",
        config.region,
        `differs from the region of network.availabilityZones (${this.network.region})`,
        "use AZs of the provider's region",
      );
    }
    // A deploy still holding the example principals fails at plan, before the VPC exists.
    guardDocumentationPlaceholders(this, config, this.network.vpc);

    this.cluster = new EksCluster(this, "cluster", {
      ...(config.disposable ? { logGroupRemovalPolicy: "destroy" as const } : {}),
      ...config.cluster,
      name: config.name,
      network: this.network,
    });
    for (const [groupId, options] of Object.entries(config.nodeGroups)) {
      this.nodeGroups[groupId] = this.cluster.addNodeGroup(`node-group-${groupId}`, options);
    }
    for (const [profileId, options] of Object.entries(config.fargateProfiles)) {
      this.fargateProfiles[profileId] = this.cluster.addFargateProfile(`fargate-${profileId}`, options);
    }

    // The cluster's node and Fargate pod execution roles may pull: read at synth, so the
    // order of construction doesn't matter.
    this.registry = new Registry(this, "registry", {
      ...config.registry,
      // The example system's repositories come with it (config.sample), not from product config.
      repositories: repositoriesOf(config),
      defaults: { ...removal, ...(config.registry.defaults ?? {}) },
    });
    this.registry.grantPull(this.cluster);
    if (config.registrySettings) {
      this.registrySettings = new RegistrySettings(this, "registry-settings", {
        ...config.registrySettings,
        region: config.region,
      });
      // Nodes and Fargate pods create the cache's repositories on their first pull of an upstream
      // image: the cluster's roles, read at synth, as for the repositories' grantPull.
      this.registrySettings.grantPullThroughCache(this.cluster);
    }

    for (const s of config.policySuppressions ?? []) {
      const scope =
        this.node.tryFindChild(s.scope) ??
        this.node.findAll().find((c) => c.node.path === `${this.node.path}/${s.scope}`);
      if (!scope)
        fail(
          where,
          "policySuppressions[].scope",
          s.scope,
          "is not a construct of this stack",
          'use a path below the stack, e.g. "cluster" or "network/flow-logs"',
        );
      PolicyChecks.suppress(scope, s.ruleId, s.reason);
    }

    this.outputs();
  }

  /** Outputs named <resource>_<attribute>, for people and for `cdktf output`. */
  private outputs(): void {
    const out = (name: string, value: unknown, description: string, sensitive = false) =>
      new TerraformOutput(this, name, { value, description, sensitive });
    out("vpc_id", this.network.vpcId, "VPC id");
    out("private_subnet_ids", this.network.privateSubnetIds, "Private subnet ids, in AZ order");
    out("public_subnet_ids", this.network.publicSubnetIds, "Public subnet ids, in AZ order");
    out("nat_public_ips", this.network.natPublicIps, "Egress IPv4 addresses of the NAT gateways");
    out("cluster_name", this.cluster.clusterName, "EKS cluster name");
    out("cluster_endpoint", this.cluster.clusterEndpoint, "Kubernetes API endpoint");
    out(
      "cluster_certificate_authority_data",
      this.cluster.clusterCertificateAuthorityData,
      "Base64 CA bundle of the API server",
    );
    out("cluster_oidc_provider_arn", this.cluster.oidcProviderArn, "IAM OIDC provider for IRSA");
    out(
      "kubeconfig_command",
      this.cluster.kubeconfigCommand,
      "Run this to point kubectl at the cluster (needs an IAM principal listed in admins or access)",
    );
    out(
      "repository_urls",
      Object.fromEntries(this.registry.repositories.map((r) => [r.name, r.repositoryUrl])),
      "ECR repository URLs by name: docker push <url>:<tag>",
    );
  }
}
