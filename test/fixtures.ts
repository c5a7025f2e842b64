import { AnnotationMetadataEntryType, App, ITerraformDependable, TerraformStack, Testing } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { ComputeMode, IEksCluster, NetworkPolicyEnforcement, NodePlacement } from "../constructs/eks/types";
import { Network, NetworkProps } from "../constructs/network/network";
import { INetwork } from "../constructs/network/types";
import { partitionOf } from "../constructs/private/partition";
import { ComputeRegistrationDetails, registerComputeHost } from "../constructs/eks/compute-host";

/** The cluster admin role the tests grant access to. */
export const ADMIN_ARN = "arn:aws:iam::123456789012:role/platform-admin";

/** A bare stack with the AWS provider every TerraformStack must hold. */
export function testStack(id = "test"): TerraformStack {
  const app: App = Testing.app();
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  return stack;
}

/** A small valid network: 2 AZs, public + private, one NAT gateway. */
export function testNetwork(stack: TerraformStack, overrides: Partial<NetworkProps> = {}): Network {
  return new Network(stack, "network", {
    name: "test",
    cidr: "10.0.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b"],
    natGateways: "single",
    clusterNames: ["test"],
    ...overrides,
  });
}

/** Synthesizes a stack and parses the Terraform JSON. */
export function synthJson(stack: TerraformStack, runValidations = false): any {
  return JSON.parse(Testing.synth(stack, runValidations));
}

/** The resources of one type in a synthesized stack, keyed by logical id. */
export function resourcesOf(stack: TerraformStack, type: string): Record<string, any> {
  return synthJson(stack).resource?.[type] ?? {};
}

/**
 * A stand-in for EksCluster with literal attributes and a real (or fake) network, for
 * testing node groups and Fargate profiles alone. IEksCluster holds attributes only; the
 * compute wiring is registered through the internal compute-host module (as EksCluster
 * does): one add-on (vpc-cni) as the compute dependency, and a record of what registered.
 */
export class FakeCluster extends Construct implements IEksCluster {
  readonly name = "test";
  readonly clusterName = "test";
  readonly clusterArn = "arn:aws:eks:eu-west-1:123456789012:cluster/test";
  readonly clusterEndpoint = "https://ABC.gr7.eu-west-1.eks.amazonaws.com";
  readonly clusterCertificateAuthorityData = "Y2E=";
  readonly clusterSecurityGroupId = "sg-0123456789abcdef0";
  readonly kubernetesVersion = "1.33";
  readonly oidcIssuerUrl = "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC";
  readonly oidcProviderArn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC";
  readonly computeMode: ComputeMode = "managed";
  readonly permissionsBoundaryArn?: string = undefined;
  readonly endpointPublicAccess = false;
  readonly endpointPublicAccessCidrs: string[] = [];
  readonly computeDependencies: ITerraformDependable[];
  readonly nodeRoleArns: string[] = [];
  readonly podExecutionRoleArns: string[] = [];
  readonly podIdentityAvailable = true;
  readonly networkPolicyEnforcement: NetworkPolicyEnforcement = "vpc-cni";
  readonly systemNodePlacement: NodePlacement | undefined = undefined;
  readonly registered: { compute: ITerraformDependable; kind: string; nodeRoleArn?: string }[] = [];
  readonly vpcCni: EksAddon;

  /** Like EksCluster's default: the partition of the network's region. */
  get partition(): string {
    return partitionOf(this.network.region);
  }

  constructor(
    scope: Construct,
    id: string,
    readonly network: INetwork,
  ) {
    super(scope, id);
    this.vpcCni = new EksAddon(this, "vpc-cni", { clusterName: this.clusterName, addonName: "vpc-cni" });
    this.computeDependencies = [this.vpcCni];
    registerComputeHost(this, {
      computeDependencies: this.computeDependencies,
      registerCompute: (compute, kind, roleArn, details) => this.registerCompute(compute, kind, roleArn, details),
    });
  }

  /** What EksCluster does privately: record the compute and its role. */
  registerCompute(
    compute: ITerraformDependable,
    kind: "node-group" | "fargate",
    roleArn?: string,
    _details?: ComputeRegistrationDetails,
  ): void {
    this.registered.push({ compute, kind, nodeRoleArn: roleArn });
    if (roleArn) (kind === "node-group" ? this.nodeRoleArns : this.podExecutionRoleArns).push(roleArn);
  }
}

/** The warnings (cdktf Annotations) attached to a construct or anything below it. */
export function warningsOf(scope: IConstruct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata.filter((m) => m.type === String(AnnotationMetadataEntryType.WARN)).map((m) => String(m.data)),
    );
}
