/**
 * A second EKS cluster in a VPC that already exists (made by another team, stack or tool),
 * built from the library as another repository would use it: `eks-platform/constructs`.
 * Different from the default app: no Network of its own (the VPC is adopted by its ids),
 * its own node group, an ECR repository whose pull grant is given before the compute exists
 * (resolved at synth), and a service-account role.
 *
 * Synthesize: `npx tsx examples/second-cluster/main.ts` (writes cdktf.out/stacks/second-cluster),
 * or `npx cdktf synth --app "npx tsx examples/second-cluster/main.ts"`.
 * Put your VPC's ids in EXISTING_VPC and your principals in ADMINS before deploying.
 */
import { App, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EksCluster, EndpointAccess, Network, NetworkAttributes, Registry, Repository } from "eks-platform/constructs";

/** The existing VPC, by its ids (literals here; TerraformVariable values or remote state work too). */
export const EXISTING_VPC: NetworkAttributes = {
  vpcId: "vpc-0a1b2c3d4e5f60718",
  vpcCidr: "10.50.0.0/16",
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  subnets: {
    private: [
      { id: "subnet-0aaaaaaaaaaaaaaa1", availabilityZone: "eu-west-1a", cidr: "10.50.0.0/19" },
      { id: "subnet-0bbbbbbbbbbbbbbb2", availabilityZone: "eu-west-1b", cidr: "10.50.32.0/19" },
      { id: "subnet-0ccccccccccccccc3", availabilityZone: "eu-west-1c", cidr: "10.50.64.0/19" },
    ],
  },
};

/** Documentation-account placeholders: replace with your own admin role before deploying. */
export const ADMINS = ["arn:aws:iam::123456789012:role/analytics-admin"];

export interface SecondClusterProps {
  /** @default "eu-west-1" */
  readonly region?: string;
  /** @default EXISTING_VPC */
  readonly vpc?: NetworkAttributes;
  /** @default "analytics" */
  readonly clusterName?: string;
}

export class SecondClusterStack extends TerraformStack {
  public readonly cluster: EksCluster;
  public readonly registry: Registry;

  constructor(scope: Construct, id: string, props: SecondClusterProps = {}) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: props.region ?? "eu-west-1" });

    const network = Network.fromNetworkAttributes(this, "shared-vpc", props.vpc ?? EXISTING_VPC);
    this.cluster = new EksCluster(this, "cluster", {
      name: props.clusterName ?? "analytics",
      network,
      admins: ADMINS,
      endpointAccess: EndpointAccess.private(),
    });

    // Granted before the node group exists: read at synth, so the node role is included.
    this.registry = new Registry(this, "registry", { repositories: { "analytics/jobs": {} } });
    this.registry.grantPull(this.cluster);

    this.cluster.addNodeGroup("general", {
      instanceTypes: ["m7g.large", "m6g.large"],
      amiType: "AL2023_ARM_64_STANDARD",
      capacityType: "SPOT",
      scaling: { mode: "autoscaled", minSize: 2, maxSize: 6 },
    });
    this.cluster.addServiceAccountRole("jobs-reader", {
      namespace: "jobs",
      serviceAccount: "runner",
      policyStatements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::analytics-input/*"] }],
    });

    // A base image from another account's repository: referenced, not managed here.
    const base = Repository.fromRepositoryName(this, "base-images", "base/python", {
      accountId: "210987654321",
      region: props.region ?? "eu-west-1",
    });

    new TerraformOutput(this, "cluster_name", { value: this.cluster.clusterName });
    new TerraformOutput(this, "repository_url", {
      value: this.registry.repository("analytics/jobs").repositoryUrl,
    });
    new TerraformOutput(this, "base_image", { value: base.imageReference({ tag: "3.12" }) });
  }
}

if (require.main === module) {
  const app = new App();
  new SecondClusterStack(app, "second-cluster");
  app.synth();
}
