import { TerraformProvider } from "cdktf";
import { IConstruct } from "constructs";
import { INetwork } from "../network/types";

/**
 * The IP family of pods and Services:
 * - `ipv4`: pods take IPv4 addresses of the VPC's subnets.
 * - `ipv6`: pods and Services are IPv6-only (pods still reach IPv4 destinations through the
 *   node's IPv4 address); needs a dual-stack network. IPv6 pods don't use up subnet IPv4 space.
 */
export type IpFamily = "ipv4" | "ipv6";

/** The EKS managed add-ons this construct knows how to wire up. */
export type KnownAddon =
  "vpc-cni" | "kube-proxy" | "eks-pod-identity-agent" | "coredns" | "aws-ebs-csi-driver" | "metrics-server";

/**
 * How the cluster gets its compute:
 * - `managed`: managed node groups and/or Fargate profiles added with addNodeGroup / addFargateProfile.
 * - `auto`: EKS Auto Mode; AWS runs nodes, storage and load balancing from built-in node pools.
 */
export type ComputeMode = "managed" | "auto";

/**
 * How the cluster enforces Kubernetes NetworkPolicies:
 * - `vpc-cni`: the vpc-cni add-on runs its network policy agent (`enableNetworkPolicy`).
 * - `auto-mode`: EKS Auto Mode enforces them once the `amazon-vpc-cni` ConfigMap in kube-system
 *   turns its network policy controller on; the workloads side creates that ConfigMap.
 * - `none`: nothing enforces them (vpc-cni disabled, or its agent switched off): a policy would be silently ignored.
 */
export type NetworkPolicyEnforcement = "vpc-cni" | "auto-mode" | "none";

/** A Kubernetes toleration, as pods and add-on configurations take it. */
export interface Toleration {
  readonly key: string;
  /** @default "Equal" */
  readonly operator?: "Equal" | "Exists";
  /** @default - none (only with operator "Exists") */
  readonly value?: string;
  readonly effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** Where cluster-critical pods (add-ons, controllers) run: the node selector and tolerations that reach the system nodes. */
export interface NodePlacement {
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: Toleration[];
}

/**
 * What node groups, Fargate profiles, service-account roles, registry grants and the
 * workloads stack need from a cluster: read-only attributes. Consumers take this
 * interface, never ARN strings. It carries no wiring: compute is added through
 * `addNodeGroup` / `addFargateProfile` of an EksCluster or of a cluster imported with
 * `EksCluster.fromClusterAttributes`, which order it around the cluster's add-ons.
 */
export interface IEksCluster extends IConstruct {
  /** The cluster name as configured (a literal, usable in tags and names). */
  readonly name: string;
  /** The cluster name as a reference to the aws_eks_cluster resource (creates a Terraform dependency). */
  readonly clusterName: string;
  readonly clusterArn: string;
  /** API server endpoint URL. */
  readonly clusterEndpoint: string;
  /** Base64 CA bundle of the API server. */
  readonly clusterCertificateAuthorityData: string;
  /** The security group EKS creates for the control plane and managed nodes. */
  readonly clusterSecurityGroupId: string;
  /** Kubernetes minor version, e.g. "1.35". */
  readonly kubernetesVersion: string;
  /** OIDC issuer URL (https://...), for IRSA. */
  readonly oidcIssuerUrl: string;
  /** ARN of the IAM OIDC provider for IRSA. */
  readonly oidcProviderArn: string;
  /** The network the cluster runs in. */
  readonly network: INetwork;
  readonly computeMode: ComputeMode;
  /**
   * The IP family of pods and Services. Workloads follow it: NetworkPolicy CIDRs of that family
   * (EKS enforces only those), dual-stack load balancers on "ipv6". Optional so an adopted or
   * hand-written cluster can leave it out.
   * @default - unknown: workloads write rules for both families and keep load balancers IPv4
   */
  readonly ipFamily?: IpFamily;
  /** True when the API endpoint is reachable from outside the VPC (from an allowlist). */
  readonly endpointPublicAccess: boolean;
  /** CIDRs allowed to reach the public endpoint (empty when private only). */
  readonly endpointPublicAccessCidrs: string[];
  /**
   * Who the cluster security group admits to the private endpoint on tcp/443, described (e.g.
   * "the VPC 10.20.0.0/16"), for the reachability warning.
   * @default - undefined: unknown (an adopted cluster's security group belongs to its owner)
   */
  readonly endpointPrivateAccessSources?: readonly string[];
  /**
   * Customer-managed KMS keys EBS volumes of this cluster may be encrypted with: the EBS CSI
   * driver's role (or, on Auto Mode, the cluster role) may use them. A Gp3StorageClass refuses a
   * kmsKeyArn that isn't one of them.
   * @default - none declared (a hand-written IEksCluster): only the account's default EBS key
   */
  readonly volumeEncryptionKeyArns?: string[];
  /** AWS partition of the IAM policy ARNs of every role made for this cluster ("aws", "aws-cn", "aws-us-gov"). */
  readonly partition: string;
  /** Permissions boundary for every IAM role made for this cluster (node, Fargate, service-account roles), if the account requires one. */
  readonly permissionsBoundaryArn?: string;
  /** Node IAM role ARNs of the registered node groups (and Auto Mode's node role). Read at synth (compute may be added later). */
  readonly nodeRoleArns: string[];
  /** Pod execution role ARNs of the cluster's Fargate profiles (they pull images too). Read at synth. */
  readonly podExecutionRoleArns: string[];
  /**
   * The AWS provider (account and region) of the cluster's resources; children (node groups,
   * Fargate profiles, service-account roles) use it too.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
  /**
   * True when the cluster runs the EKS Pod Identity agent on its EC2 nodes: the
   * eks-pod-identity-agent add-on is installed, or Auto Mode runs it itself. Fargate
   * pods never have it (Fargate runs no DaemonSets). ServiceAccountRole defaults to
   * IRSA when this is false, and refuses an explicit "pod-identity".
   */
  readonly podIdentityAvailable: boolean;
  /**
   * True for a cluster adopted with EksCluster.fromClusterAttributes: its add-ons and settings are
   * its owner's, so errors name the attributes it was adopted with instead.
   * @default false
   */
  readonly adopted?: boolean;
  /** How NetworkPolicies are enforced in this cluster (see NetworkPolicyEnforcement). */
  readonly networkPolicyEnforcement: NetworkPolicyEnforcement;
  /**
   * Where cluster-critical pods go: the node group with `role: "system"`, or Auto Mode's
   * built-in system node pool. Read at synth (node groups may be added later).
   * @default - undefined: no dedicated system nodes; critical pods run anywhere
   */
  readonly systemNodePlacement: NodePlacement | undefined;
}
