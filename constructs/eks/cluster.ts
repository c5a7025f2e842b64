import { Annotations, dependable, ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { LogEncryptionKey } from "../core/log-encryption-key";
import { checkRemovalPolicy, DEFAULT_REMOVAL_POLICY, RemovalPolicy } from "../core/removal-policy";
import { INetwork } from "../network/types";
import { suppressRule } from "../private/suppressions";
import {
  checkClusterName,
  checkKmsKeyArn,
  checkLogRetention,
  checkOneOf,
  checkPolicyArn,
  checkSameRegion,
  describe,
  duplicatesOf,
  fail,
  isToken,
  show,
} from "../private/validation";
import { AccessGrant, ClusterAccess, resolveAccessGrants } from "./access";
import { CniIpv6Policy, IP_FAMILIES, IpFamily } from "./ip-family";
import { KUBERNETES_VERSIONS_AS_OF, supportedVersions, supportOf, versionStatus } from "./kubernetes-versions";
import { AddonsConfig, ClusterAddons, resolveAddons } from "./addons";
import { AUTO_MODE_CLUSTER_POLICIES, AutoModeNodePool, AutoModeNodeRole, resolveNodePools } from "./auto-mode";
import { cidrProblem, contains, overlaps, parseCidr } from "../private/cidr";
import { resolveEndpointAccess } from "./endpoint-access";
import { EndpointAccess, EndpointIngress } from "./endpoint-access";
import { awsManagedPolicyArn, partitionOf, roleNamePrefix } from "./node-role";
import { policyJson } from "./service-account-role";
import { checkPartition, ClusterBase, COMPUTE_MODES, KUBERNETES_MINOR_VERSION } from "./cluster-base";
import { ComputeRegistrationDetails, registerComputeHost } from "./compute-host";
import { useProvider } from "../private/provider";
import { ClusterAttributes, IImportedCluster, ImportedCluster } from "./imported-cluster";
import { ComputeMode, IEksCluster, NetworkPolicyEnforcement, NodePlacement } from "./types";
import { grantVolumeKeys, resolveVolumeEncryptionKeys } from "./volume-encryption";

/**
 * The Kubernetes version new clusters get: the newest minor the add-on table (addon-versions.ts)
 * and the controllers' version tables have versions for (EKS offers 1.36 too; its standard support
 * for 1.35 runs until 2027-03-27). Bump it deliberately (one minor at a time: EKS can't skip versions).
 */
export const DEFAULT_KUBERNETES_VERSION = "1.35";

/**
 * - `STANDARD`: the cluster is upgraded automatically when its version leaves standard support.
 * - `EXTENDED`: it may stay on an old version for up to 12 more months, billed per cluster-hour at a premium.
 */
export type SupportType = "STANDARD" | "EXTENDED";
export const SUPPORT_TYPES: readonly SupportType[] = ["STANDARD", "EXTENDED"];

/** Control-plane log streams EKS can send to CloudWatch Logs. */
export type ClusterLogType = "api" | "audit" | "authenticator" | "controllerManager" | "scheduler";
export const CLUSTER_LOG_TYPES: readonly ClusterLogType[] = [
  "api",
  "audit",
  "authenticator",
  "controllerManager",
  "scheduler",
];

/** Where the control plane's network interfaces go. */
export type ControlPlaneSubnetTier = "private" | "intra";
export const CONTROL_PLANE_SUBNET_TIERS: readonly ControlPlaneSubnetTier[] = ["private", "intra"];

export const DEFAULT_LOG_RETENTION_DAYS = 90;

export interface EksClusterOptions {
  /** Cluster name: 1-100 letters, digits, hyphens and underscores, starting with a letter or digit. */
  readonly name: string;
  /**
   * Kubernetes minor version, "1.<minor>".
   * @default DEFAULT_KUBERNETES_VERSION ("1.35")
   */
  readonly kubernetesVersion?: string;
  /**
   * What happens when the version leaves standard support. EXTENDED costs extra per
   * cluster-hour, so it is never switched on by surprise.
   * @default "STANDARD"
   */
  readonly supportType?: SupportType;
  /**
   * IP family of pods and Services. "ipv6" needs a dual-stack network (`ipv6: true`); the
   * cluster then creates the VPC CNI's IPv6 policy (AWS documents it but publishes no managed
   * policy) and attaches it to the node roles it knows and to vpc-cni's own role. EKS picks the
   * IPv6 service range itself.
   *
   * Changing it on a running cluster REPLACES the cluster (EKS can't change the IP family in
   * place): a new API endpoint and OIDC issuer, every Secret and Kubernetes object lost. Choose
   * it when you create the cluster. Terraform creates the replacement before destroying the old
   * one (node groups are create_before_destroy, which extends to the cluster), so change `name`
   * with it: under the same name EKS refuses the new cluster and the apply stops before anything
   * is destroyed (planned in test/offline/day2.test.ts).
   * @default "ipv4"
   */
  readonly ipFamily?: IpFamily;
  /**
   * The IPv4 range Kubernetes assigns Service (ClusterIP) addresses from, for an "ipv4" cluster.
   * EKS requires it inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, between /12 and /24, and
   * clear of the VPC's CIDR. Set it when the default could collide with a network peered or
   * connected to the VPC (a Service IP that is also an on-premises address is unreachable from
   * the pods). Not with ipFamily "ipv6" (EKS then picks an IPv6 range itself).
   *
   * Changing it on a running cluster REPLACES the cluster (EKS sets it only at creation): choose
   * it when you create the cluster, or change `name` with it, as for `ipFamily`.
   * @default - EKS picks 10.100.0.0/16, or 172.20.0.0/16 when that overlaps the VPC
   */
  readonly serviceIpv4Cidr?: string;
  /**
   * Subnet tier for the control plane's ENIs. "intra" (no internet route) is tighter;
   * it must exist in the network in at least 2 Availability Zones.
   *
   * With computeMode "auto" this must be "private": Auto Mode's built-in NodeClass
   * launches its nodes in the cluster's (control-plane) subnets, and nodes in intra
   * subnets could not pull images or reach AWS APIs.
   * @default "private"
   */
  readonly controlPlaneSubnetTier?: ControlPlaneSubnetTier;
  /**
   * Who can reach the Kubernetes API. Defaults to private: the secure choice can't
   * leak by omission, and whoever needs the API from outside the VPC has to name their
   * CIDRs. The cost is reachability: the machine running `cdktf deploy` for workloads
   * must be in a source of `privateAccessFrom` (by default the VPC: a CI runner, a bastion,
   * an SSM port forward; a VPN range must be added); `warnIfEndpointUnreachable` says so at synth.
   * @default { mode: "private", privateAccessFrom: [EndpointSource.vpc()] }
   */
  readonly endpointAccess?: EndpointAccess;
  /**
   * IAM role/user ARNs granted cluster-admin through access entries. Required and
   * non-empty, so people can administer the cluster even when it was created by a CI role.
   */
  readonly admins: string[];
  /**
   * Further Kubernetes access: one grant per principal (not repeating an admin).
   * @default - admins only
   */
  readonly access?: AccessGrant[];
  /**
   * Make the identity running Terraform a cluster admin. Off, because that identity is
   * usually a CI/deploy role that should not silently hold cluster-admin forever; list
   * the humans in `admins` instead. Don't enable it and also list that identity in
   * `admins` (EKS would refuse the duplicate access entry). Changing it replaces the cluster.
   * @default false
   */
  readonly bootstrapClusterCreatorAdminPermissions?: boolean;
  /**
   * KMS key ARN for envelope encryption of Kubernetes Secrets. The cluster role gets
   * encrypt/decrypt rights on it; its key policy must delegate to IAM (the default key policy does).
   * @default - a customer-managed key with yearly rotation, alias "alias/eks/<name>"
   */
  readonly secretsEncryptionKeyArn?: string;
  /**
   * Customer-managed KMS keys the cluster's EBS volumes may be encrypted with (a Gp3StorageClass's
   * `kmsKeyArn`, which refuses a key not listed here). Each key is granted, and only it, with the
   * permissions AWS documents (volumeEncryptionPolicy: grants for AWS resources only, encrypt,
   * decrypt, re-encrypt, data keys, describe): to the EBS CSI driver's role with managed compute, to
   * the cluster role on Auto Mode. Without the grant the driver can't create or attach a volume and
   * every claim stays Pending. The key policy must let IAM policies of the account grant it (the
   * default key policy does). With `addons["aws-ebs-csi-driver"].serviceAccountRoleArn` (your role)
   * or the add-on off, nothing is granted and synth warns: grant your role yourself.
   * Adding or removing a key on a running cluster changes only an inline policy.
   * @default [] - volumes use the account's default EBS key (aws/ebs) only
   */
  readonly volumeEncryptionKeyArns?: string[];
  /**
   * Control-plane logs to send to CloudWatch. [] turns control-plane logging off.
   * @default all of "api", "audit", "authenticator", "controllerManager", "scheduler"
   */
  readonly clusterLogTypes?: ClusterLogType[];
  /**
   * Retention of the /aws/eks/<name>/cluster log group, in days (0 = never expire).
   * @default 90
   */
  readonly logRetentionInDays?: number;
  /**
   * What happens to the log group on destroy: "retain" keeps the logs (audit trail)
   * after the cluster is gone (Terraform forgets it; re-creating a cluster of the same
   * name then needs the old group imported or deleted first).
   * @default "retain"
   */
  readonly logGroupRemovalPolicy?: RemovalPolicy;
  /**
   * Your own KMS key ARN for the control-plane log group, instead of the key created for it.
   * Its key policy must let CloudWatch Logs (logs.<region>.amazonaws.com) use it.
   * @default - a key created for the log group (see createLogKmsKey)
   */
  readonly logKmsKeyArn?: string;
  /**
   * Create a customer-managed KMS key for the control-plane log group: rotation on, 30-day
   * deletion window, usable by CloudWatch Logs of the region for /aws/eks/<name>/cluster only,
   * the account in charge of it; kept like the log group (`logGroupRemovalPolicy` "retain":
   * prevent_destroy). `false` leaves the group with CloudWatch Logs' own encryption, which policy
   * scanners report (checkov CKV_AWS_158, trivy AWS-0017). Turning it on for a running cluster
   * associates the key with the existing group in place.
   * @default true (unless logKmsKeyArn is given, or control-plane logging is off)
   */
  readonly createLogKmsKey?: boolean;
  /**
   * How the cluster gets compute: "managed" (addNodeGroup / addFargateProfile) or
   * "auto" (EKS Auto Mode: AWS runs nodes, storage, load balancing and core add-ons).
   *
   * Switching a running cluster from "managed" to "auto" updates it in place (same cluster,
   * OIDC issuer and Secrets). Its node groups must go in the same change (Auto Mode takes none):
   * their pods move to Auto Mode nodes as EKS drains them. The add-ons Auto Mode runs itself are
   * deleted as add-on objects but, being preserved (PRESERVED_ADDONS), their pods keep running
   * until you remove them; see the Auto Mode migration notes in the README.
   * @default "managed"
   */
  readonly computeMode?: ComputeMode;
  /**
   * Built-in node pools Auto Mode runs (computeMode "auto" only).
   * @default ["general-purpose", "system"]
   */
  readonly autoModeNodePools?: AutoModeNodePool[];
  /**
   * EKS managed add-ons: options per add-on, or false to leave one out.
   * @default - vpc-cni, kube-proxy, eks-pod-identity-agent, coredns, aws-ebs-csi-driver, metrics-server
   *   at the EKS default versions; in Auto Mode only metrics-server (Auto Mode runs the rest)
   */
  readonly addons?: AddonsConfig;
  /**
   * AWS partition for managed policy ARNs: one of PARTITIONS ("aws", "aws-cn",
   * "aws-us-gov"); the isolated aws-iso partitions are not supported.
   * @default - from the network's region: "aws" for commercial regions, "aws-cn" for cn-*, "aws-us-gov" for us-gov-*
   */
  readonly partition?: string;
  /**
   * Permissions boundary for every IAM role the cluster creates, and the default for the
   * roles of its node groups, Fargate profiles and service-account roles (add-ons included),
   * when the account requires one.
   * @default - none
   */
  readonly permissionsBoundaryArn?: string;
  /**
   * Tags for the cluster and the resources it creates (on top of the provider's default_tags).
   * @default - none
   */
  readonly tags?: Record<string, string>;
  /**
   * The AWS provider (account and region) for every resource of the cluster, including the
   * node groups, Fargate profiles and service-account roles added to it (an aliased provider
   * for a second region or account). It must be the network's region.
   * @default - the network's provider, else the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

export interface EksClusterProps extends EksClusterOptions {
  /** The network; the control plane goes into its `controlPlaneSubnetTier` subnets. */
  readonly network: INetwork;
}

/**
 * An EKS cluster: control plane with Secrets encryption and full audit logging, a
 * private-by-default API endpoint, access entries (no aws-auth ConfigMap), an OIDC
 * provider for IRSA, EKS Pod Identity, and managed add-ons ordered around compute.
 * Compute comes from addNodeGroup / addFargateProfile, or from EKS Auto Mode.
 */
export class EksCluster extends ClusterBase implements IEksCluster {
  /**
   * An existing cluster, by its attributes (literals, or references such as a
   * TerraformVariable or remote state). Node groups, Fargate profiles and service-account
   * roles can be added to it; what it can't do is listed on ClusterAttributes.
   */
  public static fromClusterAttributes(scope: Construct, id: string, attrs: ClusterAttributes): IImportedCluster {
    return new ImportedCluster(scope, id, attrs);
  }

  public readonly name: string;
  public readonly clusterName: string;
  public readonly clusterArn: string;
  public readonly clusterEndpoint: string;
  public readonly clusterCertificateAuthorityData: string;
  public readonly clusterSecurityGroupId: string;
  public readonly kubernetesVersion: string;
  public readonly supportType: SupportType;
  public readonly oidcIssuerUrl: string;
  public readonly oidcProviderArn: string;
  public readonly network: INetwork;
  public readonly computeMode: ComputeMode;
  public readonly controlPlaneSubnetTier: ControlPlaneSubnetTier;
  public readonly ipFamily: IpFamily;
  /** The Service IPv4 range asked for, if any (undefined: EKS's default). */
  public readonly serviceIpv4Cidr?: string;
  /** IPv6 clusters: the VPC CNI's IPv6 policy the cluster created. */
  public readonly cniIpv6Policy?: CniIpv6Policy;
  public readonly endpointPublicAccess: boolean;
  public readonly endpointPublicAccessCidrs: string[];
  public readonly endpointPrivateAccessSources: readonly string[];
  /** tcp/443 rules on the cluster security group, one per `privateAccessFrom` source. */
  public readonly endpointIngress: EndpointIngress;
  public readonly volumeEncryptionKeyArns: string[];
  public readonly bootstrapClusterCreatorAdminPermissions: boolean;
  public readonly clusterLogTypes: ClusterLogType[];
  public readonly logRetentionInDays: number;
  public readonly logGroupRemovalPolicy: RemovalPolicy;
  /** Undefined when control-plane logging is off (clusterLogTypes: []). */
  public readonly logGroupName?: string;
  public readonly kmsKeyArn: string;
  public readonly clusterRoleArn: string;
  public readonly clusterRoleName: string;
  public readonly partition: string;
  public readonly permissionsBoundaryArn?: string;
  /** Auto Mode only: the built-in node pools and the node role they use. */
  public readonly autoModeNodePools: AutoModeNodePool[];
  public readonly autoModeNodeRole?: AutoModeNodeRole;
  /** Run this to point kubectl at the cluster (needs a principal in admins/access). */
  public readonly kubeconfigCommand: string;
  /** True when the eks-pod-identity-agent add-on is installed, or in Auto Mode (which runs the agent itself). */
  public readonly podIdentityAvailable: boolean;

  /** The aws_eks_cluster resource. */
  public readonly resource: EksClusterResource;
  public readonly oidcProvider: IamOpenidConnectProvider;
  /** The created KMS key; undefined when secretsEncryptionKeyArn was given. */
  public readonly kmsKey?: KmsKey;
  public readonly logGroup?: CloudwatchLogGroup;
  /** The key created for the control-plane log group (undefined with logKmsKeyArn, createLogKmsKey false, or no logging). */
  public readonly logKmsKey?: LogEncryptionKey;
  public readonly accessEntries: ClusterAccess;
  public readonly addons: ClusterAddons;

  public readonly provider?: TerraformProvider;

  protected readonly autoModeNodeGroupFix =
    'use autoModeNodePools (or custom Auto Mode NodePools) for capacity, addFargateProfile for Fargate, or computeMode: "managed" for node groups';
  private systemNodes?: { placement: NodePlacement; owner: string };
  private ipv6Attachments = 0;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id, describe("EksCluster", id));
    const where = this.where;
    this.provider = props.provider ?? props.network.provider;
    useProvider(this, this.provider);
    // The compute wiring stays private: only this cluster's node groups and Fargate profiles reach it.
    const cluster = { dependencies: () => this.computeDependencies };
    registerComputeHost(this, {
      get computeDependencies() {
        return cluster.dependencies();
      },
      registerCompute: (compute, kind, roleArn, details) => this.registerCompute(compute, kind, roleArn, details),
    });

    // ---- validate and resolve every input before creating anything
    checkClusterName(where, "name", props.name);
    this.name = props.name;
    this.network = props.network;
    this.kubernetesVersion = props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
    if (!isToken(this.kubernetesVersion) && !KUBERNETES_MINOR_VERSION.test(this.kubernetesVersion)) {
      fail(
        where,
        "kubernetesVersion",
        this.kubernetesVersion,
        "is not a Kubernetes minor version",
        `use "1.<minor>", e.g. "${DEFAULT_KUBERNETES_VERSION}"`,
      );
    }
    this.supportType = props.supportType ?? "STANDARD";
    checkOneOf(where, "supportType", this.supportType, SUPPORT_TYPES, "an EKS support type");
    if (!isToken(this.kubernetesVersion)) this.checkVersionSupport(where, this.kubernetesVersion);
    this.computeMode = props.computeMode ?? "managed";
    checkOneOf(where, "computeMode", this.computeMode, COMPUTE_MODES, "a compute mode");
    const auto = this.computeMode === "auto";
    if (!auto && props.autoModeNodePools !== undefined) {
      fail(
        where,
        "autoModeNodePools",
        props.autoModeNodePools,
        'only applies to computeMode "auto"',
        'remove it, or set computeMode: "auto"',
      );
    }
    this.autoModeNodePools = auto ? resolveNodePools(where, props.autoModeNodePools) : [];
    this.partition = props.partition ?? partitionOf(props.network.region);
    this.permissionsBoundaryArn = props.permissionsBoundaryArn;
    checkPolicyArn(where, "permissionsBoundaryArn", props.permissionsBoundaryArn);
    const region = props.network.region;
    for (const field of ["secretsEncryptionKeyArn", "logKmsKeyArn"] as const)
      checkSameRegion(where, field, props[field], region, "KMS keys are regional and the cluster is in");
    // Load balancers find subnets by the kubernetes.io/cluster/<name> tag: warn, don't fail
    // (the tag may come from elsewhere, e.g. subnets tagged outside this stack).
    const tagged = props.network.clusterNames;
    if (tagged !== undefined && !isToken(props.name) && !tagged.includes(props.name)) {
      Annotations.of(this).addWarning(
        `${where}: the network's subnets don't carry this cluster's discovery tag (kubernetes.io/cluster/${props.name}): ${show(props.name)} is not in its clusterNames ${show(tagged)}, so load balancer controllers won't find the subnets; add it to the network's clusterNames`,
      );
    }
    checkPartition(where, this.partition);

    this.controlPlaneSubnetTier = props.controlPlaneSubnetTier ?? "private";
    if (!CONTROL_PLANE_SUBNET_TIERS.includes(this.controlPlaneSubnetTier)) {
      fail(
        where,
        "controlPlaneSubnetTier",
        this.controlPlaneSubnetTier,
        "is not a tier the control plane can use",
        `use one of ${CONTROL_PLANE_SUBNET_TIERS.join(", ")}`,
      );
    }
    if (auto && this.controlPlaneSubnetTier === "intra") {
      fail(
        where,
        "controlPlaneSubnetTier",
        this.controlPlaneSubnetTier,
        "can't be used with computeMode \"auto\": Auto Mode's built-in NodeClass launches nodes in the cluster's control-plane subnets, and intra subnets have no route out, so nodes could not pull images or reach AWS APIs",
        'use "private" with computeMode "auto"',
      );
    }
    const subnets = props.network.subnetsOf(this.controlPlaneSubnetTier);
    const zones = [...new Set(subnets.map((s) => s.availabilityZone))];
    if (zones.length < 2) {
      fail(
        where,
        "controlPlaneSubnetTier",
        this.controlPlaneSubnetTier,
        `has subnets in ${zones.length} Availability Zone(s) (${zones.join(", ") || "the network has no such tier"}), but EKS needs at least 2`,
        `create the "${this.controlPlaneSubnetTier}" tier in 2 or more AZs, or choose another tier (${CONTROL_PLANE_SUBNET_TIERS.join(", ")})`,
      );
    }

    this.ipFamily = props.ipFamily ?? "ipv4";
    if (!IP_FAMILIES.includes(this.ipFamily)) {
      fail(where, "ipFamily", this.ipFamily, "is not an IP family", `use one of ${IP_FAMILIES.join(", ")}`);
    }
    if (this.ipFamily === "ipv6" && !props.network.ipv6Enabled) {
      fail(
        where,
        "ipFamily",
        this.ipFamily,
        "needs a dual-stack network, but the cluster's network has no IPv6 (pods would get no addresses)",
        'create the network with ipv6: true, or use ipFamily "ipv4"',
      );
    }

    this.serviceIpv4Cidr = props.serviceIpv4Cidr;
    if (this.serviceIpv4Cidr !== undefined)
      checkServiceIpv4Cidr(where, this.serviceIpv4Cidr, this.ipFamily, props.network.vpcCidr);

    const endpoint = resolveEndpointAccess(where, props.endpointAccess ?? EndpointAccess.private(), props.network);
    this.endpointPublicAccess = endpoint.publicAccess;
    this.endpointPublicAccessCidrs = endpoint.publicCidrs;
    this.endpointPrivateAccessSources = endpoint.privateSources.map((s) => s.description);
    this.volumeEncryptionKeyArns = resolveVolumeEncryptionKeys(
      where,
      "volumeEncryptionKeyArns",
      props.volumeEncryptionKeyArns,
      region,
    );

    const grants = resolveAccessGrants(where, props.admins, props.access);
    this.bootstrapClusterCreatorAdminPermissions = props.bootstrapClusterCreatorAdminPermissions ?? false;

    this.clusterLogTypes = [...(props.clusterLogTypes ?? CLUSTER_LOG_TYPES)];
    for (const type of this.clusterLogTypes) {
      if (!CLUSTER_LOG_TYPES.includes(type))
        fail(
          where,
          "clusterLogTypes entry",
          type,
          "is not an EKS control-plane log type",
          `use any of ${CLUSTER_LOG_TYPES.join(", ")}`,
        );
    }
    const dupLogs = duplicatesOf(this.clusterLogTypes);
    if (dupLogs.length > 0)
      fail(where, "clusterLogTypes", dupLogs, "are listed more than once", "list each log type once");
    this.logRetentionInDays = props.logRetentionInDays ?? DEFAULT_LOG_RETENTION_DAYS;
    checkLogRetention(where, "logRetentionInDays", this.logRetentionInDays);
    this.logGroupRemovalPolicy = props.logGroupRemovalPolicy ?? DEFAULT_REMOVAL_POLICY;
    checkRemovalPolicy(where, "logGroupRemovalPolicy", this.logGroupRemovalPolicy, 'use "retain" or "destroy"');

    checkKmsKeyArn(
      where,
      "logKmsKeyArn",
      props.logKmsKeyArn,
      "use arn:aws:kms:<region>:<account>:key/<key id> of a key whose policy lets CloudWatch Logs use it",
    );
    if (props.logKmsKeyArn !== undefined && props.createLogKmsKey === true) {
      fail(
        where,
        "createLogKmsKey",
        true,
        "can't be given together with logKmsKeyArn",
        "remove one: logKmsKeyArn uses your key, createLogKmsKey creates one",
      );
    }
    checkKmsKeyArn(
      where,
      "secretsEncryptionKeyArn",
      props.secretsEncryptionKeyArn,
      "use arn:aws:kms:<region>:<account>:key/<key id> (a symmetric key in the cluster's region)",
    );
    // Validated here so a bad add-on name fails before any resource exists; ClusterAddons re-resolves.
    const enabledAddons = resolveAddons(where, this.computeMode, props.addons);
    // Set before ClusterAddons, whose EBS CSI role (a ServiceAccountRole) reads it.
    this.podIdentityAvailable = auto || enabledAddons.has("eks-pod-identity-agent");

    // ---- cluster IAM role
    const tags = props.tags;
    const clusterRole = new IamRole(this, "cluster-role", {
      namePrefix: roleNamePrefix(this.name, "cluster"),
      description: `EKS control plane of cluster ${this.name}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        // sts:TagSession is required by EKS Auto Mode and harmless otherwise (one trust policy for both modes).
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
          },
        ],
      }),
      permissionsBoundary: props.permissionsBoundaryArn,
      tags,
    });
    this.clusterRoleArn = clusterRole.arn;
    this.clusterRoleName = clusterRole.name;
    const clusterPolicies = ["AmazonEKSClusterPolicy", ...(auto ? AUTO_MODE_CLUSTER_POLICIES : [])];
    const roleDependencies: ITerraformDependable[] = clusterPolicies.map(
      (policy) =>
        new IamRolePolicyAttachment(this, `cluster-role-${policy}`, {
          role: clusterRole.name,
          policyArn: awsManagedPolicyArn(this.partition, policy),
        }),
    );

    // ---- Secrets envelope encryption
    if (props.secretsEncryptionKeyArn === undefined) {
      // No key policy given: AWS applies the default one, which delegates to IAM in this
      // account; the cluster role gets its grant from the inline policy below.
      this.kmsKey = new KmsKey(this, "secrets-key", {
        description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${this.name}`,
        enableKeyRotation: true,
        // The longest window: a key deleted by mistake can be restored for 30 days (Secrets are unreadable without it).
        deletionWindowInDays: 30,
        tags,
      });
      new KmsAlias(this, "secrets-key-alias", { name: `alias/eks/${this.name}`, targetKeyId: this.kmsKey.keyId });
    }
    this.kmsKeyArn = this.kmsKey?.arn ?? props.secretsEncryptionKeyArn!;
    // The cluster role must be able to use the key (the key policy delegates to IAM).
    roleDependencies.push(
      new IamRolePolicy(this, "cluster-role-secrets-encryption", {
        role: clusterRole.id,
        name: "secrets-encryption",
        policy: policyJson({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
              Resource: this.kmsKeyArn,
            },
          ],
        }),
      }),
    );

    // Auto Mode provisions volumes with the cluster role: it needs the declared volume keys.
    if (auto && this.volumeEncryptionKeyArns.length > 0) {
      roleDependencies.push(
        grantVolumeKeys(this, "cluster-role-volume-encryption", clusterRole.id, this.volumeEncryptionKeyArns),
      );
    }

    // ---- control-plane logging: our log group, so retention is ours and not "never expire"
    if (this.clusterLogTypes.length > 0) {
      const logGroupName = `/aws/eks/${this.name}/cluster`;
      if (props.logKmsKeyArn === undefined && (props.createLogKmsKey ?? true)) {
        this.logKmsKey = new LogEncryptionKey(this, "log-key", {
          description: `Encrypts the control-plane logs of EKS cluster ${this.name} in CloudWatch Logs`,
          region: props.network.region,
          partition: this.partition,
          // The account id comes from the cluster role's ARN at apply time (no lookup at plan time).
          accountArn: clusterRole.arn,
          logGroupName,
          removalPolicy: this.logGroupRemovalPolicy,
          tags,
        });
      }
      this.logGroup = new CloudwatchLogGroup(this, "log-group", {
        // The exact name EKS writes to; created first so EKS doesn't create it without retention.
        name: logGroupName,
        retentionInDays: this.logRetentionInDays,
        kmsKeyId: props.logKmsKeyArn ?? this.logKmsKey?.keyArn,
        skipDestroy: this.logGroupRemovalPolicy === "retain",
        tags,
      });
      if (props.logKmsKeyArn === undefined && this.logKmsKey === undefined) {
        // Only when the key was turned off explicitly (createLogKmsKey: false): visible in the user's code.
        suppressRule(
          this.logGroup,
          "LOG2",
          "createLogKmsKey: false was chosen: CloudWatch Logs encrypts control-plane logs at rest with AWS-owned keys, and the Secrets they could mention are envelope-encrypted in etcd",
        );
      }
      this.logGroupName = this.logGroup.name;
    }

    // ---- IPv6: the VPC CNI's IPv6 permissions (for node roles and vpc-cni's own role)
    if (this.ipFamily === "ipv6") {
      this.cniIpv6Policy = new CniIpv6Policy(this, "cni-ipv6-policy", { clusterName: this.name, tags });
    }

    // ---- Auto Mode node role
    if (auto) {
      this.autoModeNodeRole = new AutoModeNodeRole(this, "auto-mode-node-role", {
        clusterName: this.name,
        partition: this.partition,
        permissionsBoundaryArn: props.permissionsBoundaryArn,
        tags,
      });
      roleDependencies.push(...this.autoModeNodeRole.attachments);
      this._nodeRoleArns.push(this.autoModeNodeRole.roleArn);
    }

    // ---- the cluster
    this.resource = new EksClusterResource(this, "cluster", {
      name: this.name,
      version: this.kubernetesVersion,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: subnets.map((s) => s.id),
        endpointPrivateAccess: true,
        endpointPublicAccess: endpoint.publicAccess,
        publicAccessCidrs: endpoint.publicAccess ? endpoint.publicCidrs : undefined,
      },
      accessConfig: {
        authenticationMode: "API",
        bootstrapClusterCreatorAdminPermissions: this.bootstrapClusterCreatorAdminPermissions,
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: this.kmsKeyArn } },
      enabledClusterLogTypes: this.clusterLogTypes.length > 0 ? this.clusterLogTypes : undefined,
      upgradePolicy: { supportType: this.supportType },
      ...(auto
        ? {
            // Auto Mode installs its own networking, DNS and storage components.
            bootstrapSelfManagedAddons: false,
            computeConfig: {
              enabled: true,
              nodePools: this.autoModeNodePools,
              nodeRoleArn: this.autoModeNodeRole!.roleArn,
            },
            storageConfig: { blockStorage: { enabled: true } },
          }
        : {}),
      kubernetesNetworkConfig:
        auto || this.ipFamily === "ipv6" || this.serviceIpv4Cidr !== undefined
          ? {
              ...(auto ? { elasticLoadBalancing: { enabled: true } } : {}),
              ...(this.ipFamily === "ipv6" ? { ipFamily: "ipv6" } : {}),
              ...(this.serviceIpv4Cidr !== undefined ? { serviceIpv4Cidr: this.serviceIpv4Cidr } : {}),
            }
          : undefined,
      tags,
      lifecycle: {
        // bootstrap_self_managed_addons only matters when the cluster is created (EKS installs
        // the self-managed vpc-cni, kube-proxy and coredns or not) and forces a replacement in
        // hashicorp/aws 5.x. A managed cluster has it true; Auto Mode creates clusters with false.
        // Ignoring it makes computeMode "managed" -> "auto" an in-place update, as AWS supports,
        // instead of a new cluster (new OIDC issuer: every IRSA trust broken; every Secret lost).
        ignoreChanges: ["bootstrap_self_managed_addons"],
      },
      // Policies attached before the control plane starts and detached only after it is gone;
      // the log group exists (with retention) before EKS writes to it.
      dependsOn: [...roleDependencies, ...(this.logGroup ? [this.logGroup] : [])],
    });
    this.clusterName = this.resource.name;
    this.clusterArn = this.resource.arn;
    this.clusterEndpoint = this.resource.endpoint;
    this.clusterCertificateAuthorityData = this.resource.certificateAuthority.get(0).data;
    this.clusterSecurityGroupId = this.resource.vpcConfig.clusterSecurityGroupId;
    this.endpointIngress = new EndpointIngress(this, "endpoint-ingress", {
      securityGroupId: this.clusterSecurityGroupId,
      sources: endpoint.privateSources,
      tags,
    });
    this.oidcIssuerUrl = this.resource.identity.get(0).oidc.get(0).issuer;

    // ---- IRSA: the cluster's OIDC issuer as an IAM identity provider. No thumbprint:
    // provider 5.x makes it optional and IAM trusts the issuer's CA chain for EKS issuers.
    this.oidcProvider = new IamOpenidConnectProvider(this, "oidc-provider", {
      url: this.oidcIssuerUrl,
      clientIdList: ["sts.amazonaws.com"],
      tags,
    });
    this.oidcProviderArn = this.oidcProvider.arn;

    // ---- Kubernetes access: admins + grants as access entries
    this.accessEntries = new ClusterAccess(this, "access", {
      clusterName: this.clusterName,
      grants,
      partition: this.partition,
      tags,
    });

    // ---- managed add-ons (the pod identity agent among them)
    this.addons = new ClusterAddons(this, "addons", {
      cluster: this,
      cniIpv6PolicyArn: this.cniIpv6Policy?.policyArn,
      volumeEncryptionKeyArns: this.volumeEncryptionKeyArns,
      computeMode: this.computeMode,
      addons: props.addons,
      partition: this.partition,
      where,
      tags,
    });

    this.kubeconfigCommand = `aws eks update-kubeconfig --region ${props.network.region} --name ${this.name}`;
  }

  /**
   * What every node and Fargate pod waits for: the before-compute add-ons only. Not the
   * access entries: EKS creates the nodes' own entries, and one mistyped admin ARN must not
   * hold back all compute.
   */
  private get computeDependencies(): ITerraformDependable[] {
    return [...this.addons.beforeCompute];
  }

  /**
   * True when Fargate profiles are the only compute registered so far. CoreDNS is then
   * configured for Fargate (computeType "Fargate") and needs a profile selecting
   * kube-system pods labelled k8s-app=kube-dns (FargateProfile's includeCoreDns).
   */
  public get fargateOnly(): boolean {
    return this.addons.fargateOnly;
  }

  public get networkPolicyEnforcement(): NetworkPolicyEnforcement {
    if (this.computeMode === "auto") return "auto-mode";
    return this.addons.networkPolicyAgent ? "vpc-cni" : "none";
  }

  public get systemNodePlacement(): NodePlacement | undefined {
    // Auto Mode's built-in system pool: nodes labelled with their NodePool, tainted CriticalAddonsOnly.
    if (this.computeMode === "auto" && this.autoModeNodePools.includes("system")) {
      return {
        nodeSelector: { "karpenter.sh/nodepool": "system" },
        tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
      };
    }
    return this.systemNodes?.placement;
  }

  private registerCompute(
    compute: ITerraformDependable,
    kind: "node-group" | "fargate",
    roleArn?: string,
    details: ComputeRegistrationDetails = {},
  ): void {
    if (kind === "node-group" && this.computeMode === "auto") this.refuseNodeGroup();
    if (kind === "node-group" && details.attachCniPolicy === false)
      this.checkCniCredentials(details.owner ?? `a node group of ${this.where}`);
    if (details.systemNodePlacement) this.registerSystemNodes(details.systemNodePlacement, details.owner);
    if (
      this.cniIpv6Policy &&
      kind === "node-group" &&
      details.createdNodeRoleName !== undefined &&
      details.attachCniPolicy !== false
    ) {
      // aws-node uses the node role (unless vpc-cni has its own role, which gets the policy too).
      // Keyed by the node group's construct id (not by position), like its other resources.
      const groupId = (compute as unknown as IConstruct).node?.scope?.node.id ?? `${this.ipv6Attachments++}`;
      const attachment = new IamRolePolicyAttachment(this, `cni-ipv6-node-role-${groupId}`, {
        role: details.createdNodeRoleName,
        policyArn: this.cniIpv6Policy.policyArn,
      });
      const resource = compute as unknown as { dependsOn?: string[] };
      // The nodes start only once aws-node may assign IPv6 addresses.
      if (Array.isArray(resource.dependsOn) || resource.dependsOn === undefined)
        resource.dependsOn = [...(resource.dependsOn ?? []), dependable(attachment)];
    }
    this.recordComputeRole(kind, roleArn);
    this.addons.registerCompute(compute, kind);
  }

  /**
   * A node role without AmazonEKS_CNI_Policy is only fine when the vpc-cni add-on has a
   * role of its own: aws-node otherwise uses the node role, can't assign pod IPs, and
   * the nodes never become Ready.
   */
  private checkCniCredentials(owner: string): void {
    const cni = this.addons.enabled.get("vpc-cni");
    if (cni?.ownRole !== undefined || cni?.serviceAccountRoleArn !== undefined) return;
    const problem =
      cni === undefined
        ? `leaves the VPC CNI without AWS credentials: ${this.where} has addons["vpc-cni"]: false, so the aws-node DaemonSet EKS installs runs with the node role`
        : `leaves the vpc-cni add-on of ${this.where} without AWS credentials: it has no role of its own, so aws-node runs with the node role`;
    fail(
      owner,
      "attachCniPolicy",
      false,
      `${problem}, can't assign pod IPs, and the nodes never become Ready`,
      `give vpc-cni its own role on the cluster with addons: { "vpc-cni": { ownRole: "irsa" } } (or serviceAccountRoleArn: "<role ARN>"), or remove attachCniPolicy: false`,
    );
  }

  /**
   * One placement for the system pods: several system groups (e.g. one per architecture or AZ)
   * are fine when they share it; a pod can't tolerate "either of two taint sets" in one list
   * without also tolerating both, so differing taints are refused.
   */
  private registerSystemNodes(placement: NodePlacement, owner = `a node group of ${this.where}`): void {
    if (this.systemNodes === undefined) {
      this.systemNodes = { placement, owner };
      return;
    }
    if (JSON.stringify(this.systemNodes.placement) !== JSON.stringify(placement)) {
      fail(
        owner,
        "taints",
        placement.tolerations,
        `differ from those of the system node group ${this.systemNodes.owner} (${show(this.systemNodes.placement.tolerations)}), so the system pods could not be placed on both`,
        'give every role "system" group of the cluster the same taints, or make this one role "general"',
      );
    }
  }

  /** Checks the version against the dated EKS version table (kubernetes-versions.ts). */
  private checkVersionSupport(where: string, version: string): void {
    const status = versionStatus(version);
    const entry = supportOf(version);
    if (status === "retired") {
      fail(
        where,
        "kubernetesVersion",
        version,
        entry
          ? `is no longer offered by EKS (extended support ended ${entry.endOfExtendedSupport})`
          : "is not a version EKS offers (it was retired before the oldest one in the version table)",
        `use one of ${supportedVersions().join(", ")} (EKS version table of ${KUBERNETES_VERSIONS_AS_OF})`,
      );
    }
    if (status === "newer-than-table") {
      Annotations.of(this).addWarning(
        `${where}: kubernetesVersion ${show(version)} is newer than the EKS version table of ${KUBERNETES_VERSIONS_AS_OF} (newest ${supportedVersions().slice(-1)[0]}); make sure EKS offers it in your region, and add it to EKS_KUBERNETES_VERSIONS`,
      );
    }
    if (status === "extended" && this.supportType === "STANDARD") {
      Annotations.of(this).addWarning(
        `${where}: kubernetesVersion ${show(version)} left standard support on ${entry!.endOfStandardSupport}; with supportType "STANDARD" EKS upgrades the cluster to the next version on its own; upgrade to ${supportedVersions().slice(-1)[0]}, or set supportType: "EXTENDED" (billed per cluster-hour) to stay`,
      );
    }
  }
}

/** The ranges EKS accepts a Service IPv4 CIDR in. */
const SERVICE_IPV4_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/** EKS's rules for kubernetes_network_config.service_ipv4_cidr (the CreateCluster API reference). */
function checkServiceIpv4Cidr(where: string, cidr: string, ipFamily: IpFamily, vpcCidr: string): void {
  if (ipFamily === "ipv6")
    fail(
      where,
      "serviceIpv4Cidr",
      cidr,
      'is set on an ipFamily "ipv6" cluster, where EKS assigns Services IPv6 addresses from a range it picks',
      'remove serviceIpv4Cidr, or use ipFamily "ipv4"',
    );
  if (isToken(cidr)) return; // known at apply: EKS checks it then
  const problem = cidrProblem(cidr);
  if (problem) fail(where, "serviceIpv4Cidr", cidr, problem, 'use a private block such as "172.20.0.0/16"');
  const parsed = parseCidr(cidr);
  if (parsed.prefix < 12 || parsed.prefix > 24)
    fail(
      where,
      "serviceIpv4Cidr",
      cidr,
      `is a /${parsed.prefix}, but EKS takes /12 to /24`,
      'use e.g. a /16: "172.20.0.0/16"',
    );
  if (!SERVICE_IPV4_RANGES.some((range) => contains(parseCidr(range), parsed)))
    fail(
      where,
      "serviceIpv4Cidr",
      cidr,
      `is not inside ${SERVICE_IPV4_RANGES.join(", ")}`,
      "use a block inside one of them that no connected network uses",
    );
  if (!isToken(vpcCidr) && cidrProblem(vpcCidr) === undefined && overlaps(parseCidr(vpcCidr), parsed))
    fail(
      where,
      "serviceIpv4Cidr",
      cidr,
      `overlaps the VPC's CIDR ${vpcCidr} (Service and pod or node addresses would collide)`,
      "use a block outside the VPC's range",
    );
}
