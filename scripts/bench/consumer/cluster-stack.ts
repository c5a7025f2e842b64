/**
 * The cluster stack both consumer benchmark apps build (scripts/bench/consumer/scale.ts and its floor,
 * floor.ts): a Network, an EksCluster and a managed node group, as docs/consumer-app.md writes one.
 * `npm run bench` copies it into the consumer project beside them.
 */
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EksCluster, Network } from "eks-platform/constructs";

export const REGION = "eu-west-1";

export class ClusterStack extends TerraformStack {
  public readonly cluster: EksCluster;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: REGION });
    const network = new Network(this, "network", {
      name: "shop",
      cidr: "10.40.0.0/16",
      availabilityZones: [`${REGION}a`, `${REGION}b`, `${REGION}c`],
      clusterNames: ["shop"],
    });
    this.cluster = new EksCluster(this, "cluster", {
      name: "shop",
      network,
      admins: ["arn:aws:iam::123456789012:role/platform-admin"],
    });
    this.cluster.addNodeGroup("general");
  }
}
