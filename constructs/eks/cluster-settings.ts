import { TerraformProvider } from "cdktf";
import { checkRemovalPolicy, DEFAULT_REMOVAL_POLICY, RemovalPolicy } from "../core/removal-policy";
import { INetwork, SubnetInfo } from "../network/types";
import {
  checkClusterName,
  checkKmsKeyArn,
  checkLogRetention,
  checkOneOf,
  checkPolicyArn,
  checkSameRegion,
  duplicatesOf,
  fail,
  isToken,
  show,
} from "../private/validation";
import { AccessGrant, resolveAccessGrants } from "./access";
import { IP_FAMILIES, IpFamily } from "./ip-family";
import { KUBERNETES_VERSIONS_AS_OF, supportedVersions, supportOf, versionStatus } from "./kubernetes-versions";
import { AddonsConfig, resolveAddons } from "./addons";
import { AutoModeNodePool, resolveNodePools } from "./auto-mode";
import { cidrProblem, contains, overlaps, parseCidr } from "../private/cidr";
import { resolveEndpointAccess, ResolvedEndpointAccess } from "./endpoint-access";
import { EndpointAccess } from "./endpoint-access";
import { partitionOf } from "./node-role";
import { checkPartition, COMPUTE_MODES, KUBERNETES_MINOR_VERSION } from "./cluster-base";
import { ComputeMode } from "./types";
import { resolveVolumeEncryptionKeys } from "./volume-encryption";

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
   * until you remove them; see the Auto Mode migration notes in docs/platform.md.
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

/** An EksCluster's inputs, validated and with every default applied (resolveClusterSettings). */
export interface ClusterSettings {
  readonly name: string;
  readonly network: INetwork;
  readonly region: string;
  readonly kubernetesVersion: string;
  readonly supportType: SupportType;
  readonly computeMode: ComputeMode;
  readonly autoModeNodePools: AutoModeNodePool[];
  readonly partition: string;
  readonly permissionsBoundaryArn?: string;
  readonly controlPlaneSubnetTier: ControlPlaneSubnetTier;
  /** The control plane's subnets (in 2 or more AZs). */
  readonly controlPlaneSubnets: SubnetInfo[];
  readonly ipFamily: IpFamily;
  readonly serviceIpv4Cidr?: string;
  readonly endpoint: ResolvedEndpointAccess;
  readonly endpointPublicAccess: boolean;
  readonly endpointPublicAccessCidrs: string[];
  readonly endpointPrivateAccessSources: readonly string[];
  readonly volumeEncryptionKeyArns: string[];
  readonly grants: ReturnType<typeof resolveAccessGrants>;
  readonly bootstrapClusterCreatorAdminPermissions: boolean;
  readonly clusterLogTypes: ClusterLogType[];
  readonly logRetentionInDays: number;
  readonly logGroupRemovalPolicy: RemovalPolicy;
  readonly enabledAddons: ReturnType<typeof resolveAddons>;
  /** True when the eks-pod-identity-agent add-on is installed, or in Auto Mode. */
  readonly podIdentityAvailable: boolean;
  /** Warnings for the cluster to attach, without its name (the settings are valid, but something deserves a look). */
  readonly warnings: string[];
}

/**
 * Every input of an EksCluster, validated and resolved to the settings the cluster is created
 * from, before anything exists. Pure: no construct, no stack (a test can call it alone); the
 * warnings come back as messages for the cluster to attach to itself.
 */
export function resolveClusterSettings(where: string, props: EksClusterProps): ClusterSettings {
  const warnings: string[] = [];
  checkClusterName(where, "name", props.name);
  const name = props.name;
  const network = props.network;
  const kubernetesVersion = props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  if (!isToken(kubernetesVersion) && !KUBERNETES_MINOR_VERSION.test(kubernetesVersion)) {
    fail(
      where,
      "kubernetesVersion",
      kubernetesVersion,
      "is not a Kubernetes minor version",
      `use "1.<minor>", e.g. "${DEFAULT_KUBERNETES_VERSION}"`,
    );
  }
  const supportType = props.supportType ?? "STANDARD";
  checkOneOf(where, "supportType", supportType, SUPPORT_TYPES, "an EKS support type");
  if (!isToken(kubernetesVersion)) warnings.push(...versionSupportWarnings(where, kubernetesVersion, supportType));
  const computeMode = props.computeMode ?? "managed";
  checkOneOf(where, "computeMode", computeMode, COMPUTE_MODES, "a compute mode");
  const auto = computeMode === "auto";
  if (!auto && props.autoModeNodePools !== undefined) {
    fail(
      where,
      "autoModeNodePools",
      props.autoModeNodePools,
      'only applies to computeMode "auto"',
      'remove it, or set computeMode: "auto"',
    );
  }
  const autoModeNodePools = auto ? resolveNodePools(where, props.autoModeNodePools) : [];
  const partition = props.partition ?? partitionOf(props.network.region);
  const permissionsBoundaryArn = props.permissionsBoundaryArn;
  checkPolicyArn(where, "permissionsBoundaryArn", props.permissionsBoundaryArn);
  const region = props.network.region;
  for (const field of ["secretsEncryptionKeyArn", "logKmsKeyArn"] as const)
    checkSameRegion(where, field, props[field], region, "KMS keys are regional and the cluster is in");
  // Load balancers find subnets by the kubernetes.io/cluster/<name> tag: warn, don't fail
  // (the tag may come from elsewhere, e.g. subnets tagged outside this stack).
  const tagged = props.network.clusterNames;
  if (tagged !== undefined && !isToken(props.name) && !tagged.includes(props.name)) {
    warnings.push(
      `the network's subnets don't carry this cluster's discovery tag (kubernetes.io/cluster/${props.name}): ${show(props.name)} is not in its clusterNames ${show(tagged)}, so load balancer controllers won't find the subnets; add it to the network's clusterNames`,
    );
  }
  checkPartition(where, partition);

  const controlPlaneSubnetTier = props.controlPlaneSubnetTier ?? "private";
  if (!CONTROL_PLANE_SUBNET_TIERS.includes(controlPlaneSubnetTier)) {
    fail(
      where,
      "controlPlaneSubnetTier",
      controlPlaneSubnetTier,
      "is not a tier the control plane can use",
      `use one of ${CONTROL_PLANE_SUBNET_TIERS.join(", ")}`,
    );
  }
  if (auto && controlPlaneSubnetTier === "intra") {
    fail(
      where,
      "controlPlaneSubnetTier",
      controlPlaneSubnetTier,
      "can't be used with computeMode \"auto\": Auto Mode's built-in NodeClass launches nodes in the cluster's control-plane subnets, and intra subnets have no route out, so nodes could not pull images or reach AWS APIs",
      'use "private" with computeMode "auto"',
    );
  }
  const subnets = props.network.subnetsOf(controlPlaneSubnetTier);
  const zones = [...new Set(subnets.map((s) => s.availabilityZone))];
  if (zones.length < 2) {
    fail(
      where,
      "controlPlaneSubnetTier",
      controlPlaneSubnetTier,
      `has subnets in ${zones.length} Availability Zone(s) (${zones.join(", ") || "the network has no such tier"}), but EKS needs at least 2`,
      `create the "${controlPlaneSubnetTier}" tier in 2 or more AZs, or choose another tier (${CONTROL_PLANE_SUBNET_TIERS.join(", ")})`,
    );
  }

  const ipFamily = props.ipFamily ?? "ipv4";
  if (!IP_FAMILIES.includes(ipFamily)) {
    fail(where, "ipFamily", ipFamily, "is not an IP family", `use one of ${IP_FAMILIES.join(", ")}`);
  }
  if (ipFamily === "ipv6" && !props.network.ipv6Enabled) {
    fail(
      where,
      "ipFamily",
      ipFamily,
      "needs a dual-stack network, but the cluster's network has no IPv6 (pods would get no addresses)",
      'create the network with ipv6: true, or use ipFamily "ipv4"',
    );
  }

  const serviceIpv4Cidr = props.serviceIpv4Cidr;
  if (serviceIpv4Cidr !== undefined) checkServiceIpv4Cidr(where, serviceIpv4Cidr, ipFamily, props.network.vpcCidr);

  const endpoint = resolveEndpointAccess(where, props.endpointAccess ?? EndpointAccess.private(), props.network);
  const endpointPublicAccess = endpoint.publicAccess;
  const endpointPublicAccessCidrs = endpoint.publicCidrs;
  const endpointPrivateAccessSources = endpoint.privateSources.map((s) => s.description);
  const volumeEncryptionKeyArns = resolveVolumeEncryptionKeys(
    where,
    "volumeEncryptionKeyArns",
    props.volumeEncryptionKeyArns,
    region,
  );

  const grants = resolveAccessGrants(where, props.admins, props.access);
  const bootstrapClusterCreatorAdminPermissions = props.bootstrapClusterCreatorAdminPermissions ?? false;

  const clusterLogTypes = [...(props.clusterLogTypes ?? CLUSTER_LOG_TYPES)];
  for (const type of clusterLogTypes) {
    if (!CLUSTER_LOG_TYPES.includes(type))
      fail(
        where,
        "clusterLogTypes entry",
        type,
        "is not an EKS control-plane log type",
        `use any of ${CLUSTER_LOG_TYPES.join(", ")}`,
      );
  }
  const dupLogs = duplicatesOf(clusterLogTypes);
  if (dupLogs.length > 0)
    fail(where, "clusterLogTypes", dupLogs, "are listed more than once", "list each log type once");
  const logRetentionInDays = props.logRetentionInDays ?? DEFAULT_LOG_RETENTION_DAYS;
  checkLogRetention(where, "logRetentionInDays", logRetentionInDays);
  const logGroupRemovalPolicy = props.logGroupRemovalPolicy ?? DEFAULT_REMOVAL_POLICY;
  checkRemovalPolicy(where, "logGroupRemovalPolicy", logGroupRemovalPolicy, 'use "retain" or "destroy"');

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
  const enabledAddons = resolveAddons(where, computeMode, props.addons);
  // Set before ClusterAddons, whose EBS CSI role (a ServiceAccountRole) reads it.
  const podIdentityAvailable = auto || enabledAddons.has("eks-pod-identity-agent");

  return {
    autoModeNodePools,
    bootstrapClusterCreatorAdminPermissions,
    clusterLogTypes,
    computeMode,
    controlPlaneSubnetTier,
    endpointPrivateAccessSources,
    endpointPublicAccess,
    endpointPublicAccessCidrs,
    ipFamily,
    kubernetesVersion,
    logGroupRemovalPolicy,
    logRetentionInDays,
    name,
    network,
    partition,
    permissionsBoundaryArn,
    podIdentityAvailable,
    serviceIpv4Cidr,
    supportType,
    volumeEncryptionKeyArns,
    region,
    controlPlaneSubnets: subnets,
    endpoint,
    grants,
    enabledAddons,
    warnings,
  };
}

/** Checks the version against the dated EKS version table (kubernetes-versions.ts). */
function versionSupportWarnings(where: string, version: string, supportType: SupportType): string[] {
  const warnings: string[] = [];
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
    warnings.push(
      `kubernetesVersion ${show(version)} is newer than the EKS version table of ${KUBERNETES_VERSIONS_AS_OF} (newest ${supportedVersions().slice(-1)[0]}); make sure EKS offers it in your region, and add it to EKS_KUBERNETES_VERSIONS`,
    );
  }
  if (status === "extended" && supportType === "STANDARD") {
    warnings.push(
      `kubernetesVersion ${show(version)} left standard support on ${entry!.endOfStandardSupport}; with supportType "STANDARD" EKS upgrades the cluster to the next version on its own; upgrade to ${supportedVersions().slice(-1)[0]}, or set supportType: "EXTENDED" (billed per cluster-hour) to stay`,
    );
  }
  return warnings;
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
