import { ITerraformDependable } from "cdktf";
import { IConstruct } from "constructs";
import { INetwork } from "../network/types";

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

/** What a node group tells the cluster when it registers, so the cluster can check it fits. */
export interface ComputeRegistrationDetails {
  /**
   * Whether the node role the group created has AmazonEKS_CNI_Policy.
   * @default - unknown (e.g. a passed-in node role): not checked
   */
  readonly attachCniPolicy?: boolean;
  /**
   * The name of the node role the group created (not of a passed-in role), so the cluster can
   * attach what its configuration needs (the IPv6 CNI policy of an IPv6 cluster).
   * @default - none (a passed-in role: not changed)
   */
  readonly createdNodeRoleName?: string;
  /**
   * Set by a node group with `role: "system"`: where cluster-critical pods must go to land on
   * it (its label as node selector, tolerations of its taints). The cluster returns it as
   * `systemNodePlacement`.
   * @default - not a system node group
   */
  readonly systemNodePlacement?: NodePlacement;
  /**
   * How errors name the registering construct, e.g. "ManagedNodeGroup 'workers'".
   * @default - the cluster names itself only
   */
  readonly owner?: string;
}

/**
 * What node groups, Fargate profiles, service-account roles and the workloads stack
 * need from a cluster. Consumers take this interface, never ARN strings.
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
  /** True when the API endpoint is reachable from outside the VPC (from an allowlist). */
  readonly endpointPublicAccess: boolean;
  /** CIDRs allowed to reach the public endpoint (empty when private only). */
  readonly endpointPublicAccessCidrs: string[];
  /**
   * Resources that must exist before any node or Fargate pod starts
   * (the vpc-cni, kube-proxy and pod identity agent add-ons, the access entries).
   */
  readonly computeDependencies: ITerraformDependable[];
  /**
   * Called by every node group and Fargate profile: add-ons that need somewhere to
   * run (coredns, aws-ebs-csi-driver, metrics-server) then depend on it.
   */
  registerCompute(
    compute: ITerraformDependable,
    kind: "node-group" | "fargate",
    nodeRoleArn?: string,
    details?: ComputeRegistrationDetails,
  ): void;
  /** AWS partition of the IAM policy ARNs of every role made for this cluster ("aws", "aws-cn", "aws-us-gov"). */
  readonly partition: string;
  /** Permissions boundary for every IAM role made for this cluster (node, Fargate, service-account roles), if the account requires one. */
  readonly permissionsBoundaryArn?: string;
  /** Node IAM role ARNs of the registered node groups (and Auto Mode's node role). */
  readonly nodeRoleArns: string[];
  /**
   * True when the cluster runs the EKS Pod Identity agent on its EC2 nodes: the
   * eks-pod-identity-agent add-on is installed, or Auto Mode runs it itself. Fargate
   * pods never have it (Fargate runs no DaemonSets). ServiceAccountRole defaults to
   * IRSA when this is false, and refuses an explicit "pod-identity".
   */
  readonly podIdentityAvailable: boolean;
  /** How NetworkPolicies are enforced in this cluster (see NetworkPolicyEnforcement). */
  readonly networkPolicyEnforcement: NetworkPolicyEnforcement;
  /**
   * Where cluster-critical pods go: the node group with `role: "system"`, or Auto Mode's
   * built-in system node pool. Read at synth (node groups may be added later).
   * @default - undefined: no dedicated system nodes; critical pods run anywhere
   */
  readonly systemNodePlacement: NodePlacement | undefined;
}
