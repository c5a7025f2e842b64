import { Fn, ITerraformDependable, TerraformProvider, Token } from "cdktf";
import { Construct } from "constructs";
import { checkPartition, ClusterBase, COMPUTE_MODES, EKS_CLUSTER_ARN, KUBERNETES_MINOR_VERSION } from "./cluster-base";
import { INetwork } from "../network/types";
import { cidrProblem } from "../private/cidr";
import { registerComputeHost } from "./compute-host";
import { partitionOf } from "../private/partition";
import { useProvider } from "../private/provider";
import { checkClusterName, checkPrincipalArn, describe, fail, IAM_POLICY_ARN, isToken } from "../private/validation";
import { IP_FAMILIES, IpFamily } from "./ip-family";
import { ComputeMode, IEksCluster, NetworkPolicyEnforcement, NodePlacement } from "./types";
import { resolveVolumeEncryptionKeys } from "./volume-encryption";
import type { FargateProfile, FargateProfileOptions } from "./fargate-profile";
import type { ManagedNodeGroup, NodeGroupOptions } from "./node-group";
import type { ServiceAccountRole, ServiceAccountRoleOptions } from "./service-account-role";

/**
 * An existing EKS cluster, by its attributes. Values may be literals or references known
 * only at apply (a TerraformVariable, a remote state output): literals are validated,
 * references are passed through.
 *
 * What an imported cluster does NOT do, because its owner (another stack, another tool) manages it:
 * - No add-on ordering: its add-ons already exist. Node groups and Fargate profiles added to
 *   it don't wait for vpc-cni / kube-proxy, and its coredns / aws-ebs-csi-driver /
 *   metrics-server don't wait for them (nor is coredns switched to Fargate).
 * - No access entries, add-ons, OIDC provider or control-plane settings: those stay with the owner.
 * - `attachCniPolicy: false` on a node group is not checked against the cluster's vpc-cni role.
 * - `nodeRoleArns` / `podExecutionRoleArns` hold the roles given here plus those of compute
 *   added here, so registry grants cover exactly those.
 * It refuses (a ValidationError at synth) node groups when `computeMode` is "auto", and
 * `mechanism: "pod-identity"` service-account roles unless `podIdentityAvailable` is true.
 */
export interface ClusterAttributes {
  /** The cluster name (a literal, or a reference). */
  readonly clusterName: string;
  /** API server endpoint URL (https://...). */
  readonly clusterEndpoint: string;
  /** Base64 CA bundle of the API server. */
  readonly clusterCertificateAuthorityData: string;
  /** ARN of the cluster's IAM OIDC provider (arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>). */
  readonly oidcProviderArn: string;
  /**
   * The OIDC issuer URL.
   * @default - "https://" + the provider host and path in oidcProviderArn
   */
  readonly oidcIssuerUrl?: string;
  /** The security group EKS created for the control plane and managed nodes. */
  readonly clusterSecurityGroupId: string;
  /** The network the cluster runs in (e.g. from Network.fromNetworkAttributes). */
  readonly network: INetwork;
  /** Kubernetes minor version, "1.<minor>"; node groups added here follow it. */
  readonly kubernetesVersion: string;
  /**
   * The cluster ARN.
   * @default - arn:<partition>:eks:<network region>:<account of oidcProviderArn>:cluster/<clusterName>
   */
  readonly clusterArn?: string;
  /**
   * How the cluster gets compute. "auto" refuses node groups.
   * @default "managed"
   */
  readonly computeMode?: ComputeMode;
  /**
   * Whether the cluster runs the EKS Pod Identity agent on its nodes. Unknown for a cluster
   * we didn't create, so service-account roles default to IRSA, which works on any cluster
   * with an OIDC provider.
   * @default - true with computeMode "auto", false otherwise
   */
  readonly podIdentityAvailable?: boolean;
  /**
   * True when the API endpoint is reachable from outside the VPC.
   * @default false
   */
  readonly endpointPublicAccess?: boolean;
  /**
   * CIDRs allowed to reach the public endpoint.
   * @default []
   */
  readonly endpointPublicAccessCidrs?: string[];
  /**
   * Customer-managed KMS keys the cluster's EBS volumes may be encrypted with: keys you (the
   * cluster's owner) granted to its EBS CSI driver's role, or on Auto Mode to its cluster role,
   * with the permissions of volumeEncryptionPolicy. Nothing is granted here; declaring them lets a
   * Gp3StorageClass on this cluster use them (it refuses any other kmsKeyArn).
   * @default [] - volumes use the account's default EBS key (aws/ebs) only
   */
  readonly volumeEncryptionKeyArns?: string[];
  /**
   * AWS partition of the IAM policy ARNs ("aws", "aws-cn", "aws-us-gov").
   * @default - from the network's region
   */
  readonly partition?: string;
  /**
   * Permissions boundary for the IAM roles made for this cluster (node, Fargate, service-account roles).
   * @default - none
   */
  readonly permissionsBoundaryArn?: string;
  /**
   * Node role ARNs of the cluster's existing compute (e.g. for registry pull grants).
   * @default []
   */
  readonly nodeRoleArns?: string[];
  /**
   * Pod execution role ARNs of the cluster's existing Fargate profiles.
   * @default []
   */
  readonly podExecutionRoleArns?: string[];
  /**
   * How NetworkPolicies are enforced in the cluster.
   * @default - "auto-mode" with computeMode "auto", otherwise "none" (unknown: not assumed)
   */
  readonly networkPolicyEnforcement?: NetworkPolicyEnforcement;
  /**
   * Where cluster-critical pods go.
   * @default - undefined: no dedicated system nodes
   */
  readonly systemNodePlacement?: NodePlacement;
  /**
   * The cluster's IP family ("ipv4" or "ipv6"; a reference is accepted). Give it for an IPv6
   * cluster: its workloads then get IPv6 NetworkPolicy rules and dual-stack load balancers.
   * @default - unknown: NetworkPolicy rules for both families, IPv4 load balancers
   */
  readonly ipFamily?: IpFamily;
  /**
   * The AWS provider (account and region) for the resources made for this cluster
   * (node groups, Fargate profiles, service-account roles).
   * @default - the network's provider, else the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** A cluster imported with EksCluster.fromClusterAttributes: its attributes, and the ways to add to it. */
export interface IImportedCluster extends IEksCluster {
  /** Adds a managed node group (refused with computeMode "auto"). No add-on ordering: see ClusterAttributes. */
  addNodeGroup(id: string, options?: NodeGroupOptions): ManagedNodeGroup;
  /** Adds a Fargate profile. */
  addFargateProfile(id: string, options: FargateProfileOptions): FargateProfile;
  /** Gives a Kubernetes service account an IAM role (IRSA unless podIdentityAvailable). */
  addServiceAccountRole(id: string, options: ServiceAccountRoleOptions): ServiceAccountRole;
}

const ENFORCEMENTS: readonly NetworkPolicyEnforcement[] = ["vpc-cni", "auto-mode", "none"];
const OIDC_PROVIDER_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/[a-z0-9.-]+(\/[\w.-]+)*$/;
const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** See ClusterAttributes. Created through EksCluster.fromClusterAttributes. */
export class ImportedCluster extends ClusterBase implements IImportedCluster {
  public readonly name: string;
  public readonly clusterName: string;
  public readonly clusterArn: string;
  public readonly clusterEndpoint: string;
  public readonly clusterCertificateAuthorityData: string;
  public readonly clusterSecurityGroupId: string;
  public readonly kubernetesVersion: string;
  public readonly oidcIssuerUrl: string;
  public readonly oidcProviderArn: string;
  public readonly network: INetwork;
  public readonly computeMode: ComputeMode;
  public readonly endpointPublicAccess: boolean;
  public readonly endpointPublicAccessCidrs: string[];
  public readonly volumeEncryptionKeyArns: string[];
  public readonly partition: string;
  public readonly permissionsBoundaryArn?: string;
  public readonly podIdentityAvailable: boolean;
  public readonly networkPolicyEnforcement: NetworkPolicyEnforcement;
  public readonly systemNodePlacement: NodePlacement | undefined;
  public readonly ipFamily?: IpFamily;
  public readonly provider?: TerraformProvider;
  public readonly adopted = true;

  protected readonly autoModeNodeGroupFix = "use addFargateProfile, or Auto Mode NodePools in the cluster";

  constructor(scope: Construct, id: string, attrs: ClusterAttributes) {
    super(scope, id, describe("EksCluster.fromClusterAttributes", id));
    const where = this.where;

    checkClusterName(where, "clusterName", attrs.clusterName);
    checkPattern(
      where,
      "clusterEndpoint",
      attrs.clusterEndpoint,
      /^https:\/\/\S+$/,
      "use the https:// URL of the API server",
    );
    checkPattern(
      where,
      "oidcProviderArn",
      attrs.oidcProviderArn,
      OIDC_PROVIDER_ARN,
      "use arn:aws:iam::<12-digit account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id> (the cluster's IAM OIDC provider)",
    );
    if (attrs.oidcIssuerUrl !== undefined)
      checkPattern(where, "oidcIssuerUrl", attrs.oidcIssuerUrl, /^https:\/\/\S+$/, "use the https:// issuer URL");
    if (attrs.clusterArn !== undefined)
      checkPattern(
        where,
        "clusterArn",
        attrs.clusterArn,
        EKS_CLUSTER_ARN,
        "use arn:aws:eks:<region>:<12-digit account>:cluster/<name>",
      );
    checkPattern(
      where,
      "clusterSecurityGroupId",
      attrs.clusterSecurityGroupId,
      SECURITY_GROUP_ID,
      'use a security group id such as "sg-0123456789abcdef0"',
    );
    checkPattern(
      where,
      "kubernetesVersion",
      attrs.kubernetesVersion,
      KUBERNETES_MINOR_VERSION,
      'use the cluster\'s minor version, e.g. "1.35"',
    );
    this.computeMode = attrs.computeMode ?? "managed";
    if (!COMPUTE_MODES.includes(this.computeMode))
      fail(where, "computeMode", this.computeMode, "is not a compute mode", `use one of ${COMPUTE_MODES.join(", ")}`);
    this.partition = attrs.partition ?? partitionOf(attrs.network.region);
    checkPartition(where, this.partition);
    if (attrs.permissionsBoundaryArn !== undefined)
      checkPattern(
        where,
        "permissionsBoundaryArn",
        attrs.permissionsBoundaryArn,
        IAM_POLICY_ARN,
        "use arn:aws:iam::<12-digit account>:policy/<name>",
      );
    this.networkPolicyEnforcement =
      attrs.networkPolicyEnforcement ?? (this.computeMode === "auto" ? "auto-mode" : "none");
    if (!ENFORCEMENTS.includes(this.networkPolicyEnforcement))
      fail(
        where,
        "networkPolicyEnforcement",
        this.networkPolicyEnforcement,
        "is not a way of enforcing NetworkPolicies",
        `use one of ${ENFORCEMENTS.join(", ")}`,
      );
    this.ipFamily = attrs.ipFamily;
    if (this.ipFamily !== undefined && !isToken(this.ipFamily) && !IP_FAMILIES.includes(this.ipFamily))
      fail(where, "ipFamily", this.ipFamily, "is not an IP family", `use one of ${IP_FAMILIES.join(", ")}`);
    this.endpointPublicAccess = attrs.endpointPublicAccess ?? false;
    this.endpointPublicAccessCidrs = [...(attrs.endpointPublicAccessCidrs ?? [])];
    literals(this.endpointPublicAccessCidrs).forEach((cidr, i) => {
      const problem = isToken(cidr) ? undefined : cidrProblem(cidr);
      if (problem)
        fail(where, `endpointPublicAccessCidrs[${i}]`, cidr, problem, 'use IPv4 CIDRs such as "203.0.113.0/24"');
    });
    this.volumeEncryptionKeyArns = resolveVolumeEncryptionKeys(
      where,
      "volumeEncryptionKeyArns",
      attrs.volumeEncryptionKeyArns,
      attrs.network.region,
    );
    this._nodeRoleArns.push(...(attrs.nodeRoleArns ?? []));
    this._podExecutionRoleArns.push(...(attrs.podExecutionRoleArns ?? []));
    literals(this._nodeRoleArns).forEach((arn, i) => checkPrincipalArn(where, `nodeRoleArns[${i}]`, arn));
    literals(this._podExecutionRoleArns).forEach((arn, i) =>
      checkPrincipalArn(where, `podExecutionRoleArns[${i}]`, arn),
    );

    this.name = attrs.clusterName;
    this.clusterName = attrs.clusterName;
    this.clusterEndpoint = attrs.clusterEndpoint;
    this.clusterCertificateAuthorityData = attrs.clusterCertificateAuthorityData;
    this.clusterSecurityGroupId = attrs.clusterSecurityGroupId;
    this.kubernetesVersion = attrs.kubernetesVersion;
    this.oidcProviderArn = attrs.oidcProviderArn;
    this.oidcIssuerUrl = attrs.oidcIssuerUrl ?? issuerOf(attrs.oidcProviderArn);
    this.clusterArn =
      attrs.clusterArn ??
      `arn:${this.partition}:eks:${attrs.network.region}:${accountOf(attrs.oidcProviderArn)}:cluster/${attrs.clusterName}`;
    this.network = attrs.network;
    this.permissionsBoundaryArn = attrs.permissionsBoundaryArn;
    this.podIdentityAvailable = attrs.podIdentityAvailable ?? this.computeMode === "auto";
    this.systemNodePlacement = attrs.systemNodePlacement;
    this.provider = attrs.provider ?? attrs.network.provider;
    useProvider(this, this.provider);

    registerComputeHost(this, {
      // Its add-ons exist already (the owner made them): nothing of ours to wait for.
      computeDependencies: [] as ITerraformDependable[],
      registerCompute: (_compute, kind, roleArn) => {
        if (kind === "node-group" && this.computeMode === "auto") this.refuseNodeGroup();
        this.recordComputeRole(kind, roleArn);
      },
    });
  }
}

function checkPattern(where: string, field: string, value: string, pattern: RegExp, fix: string): void {
  if (isToken(value)) return;
  if (typeof value !== "string" || !pattern.test(value)) fail(where, field, value, `is not a valid ${field}`, fix);
}

/** The elements of a list, or none when the whole list is a reference. */
function literals(list: string[]): string[] {
  return Token.isUnresolved(list) ? [] : list;
}

/** "https://oidc.eks.<region>.amazonaws.com/id/<id>" from the provider ARN (a Terraform expression for a reference). */
function issuerOf(oidcProviderArn: string): string {
  if (isToken(oidcProviderArn))
    // A function call, not a "https://${...}" template: consumers pass it on to functions
    // (Fn.replace for the IRSA trust policy), which cdktf can't nest a template string in.
    return Fn.join("", ["https://", Token.asString(Fn.element(Fn.split("oidc-provider/", oidcProviderArn), 1))]);
  return `https://${oidcProviderArn.slice(oidcProviderArn.indexOf("oidc-provider/") + "oidc-provider/".length)}`;
}

/** The account id of an IAM ARN (a Terraform expression for a reference). */
function accountOf(arn: string): string {
  if (isToken(arn)) return Token.asString(Fn.element(Fn.split(":", arn), 4));
  return arn.split(":")[4];
}
