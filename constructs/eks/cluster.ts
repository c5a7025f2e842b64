import { dependable, ITerraformDependable, TerraformProvider } from "cdktf";
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
import { RemovalPolicy } from "../core/removal-policy";
import { INetwork } from "../network/types";
import { suppressRule } from "../private/suppressions";
import { describe, fail, show } from "../private/validation";
import { ClusterAccess } from "./access";
import { CniIpv6Policy, IpFamily } from "./ip-family";
import { ClusterAddons } from "./addons";
import { AUTO_MODE_CLUSTER_POLICIES, AutoModeNodePool, AutoModeNodeRole } from "./auto-mode";
import { EndpointIngress } from "./endpoint-access";
import { awsManagedPolicyArn, roleNamePrefix } from "./node-role";
import { policyJson } from "./service-account-role";
import { ClusterBase } from "./cluster-base";
import { ComputeRegistrationDetails, registerComputeHost } from "./compute-host";
import { warn } from "../private/context";
import { useProvider } from "../private/provider";
import { ClusterAttributes, IImportedCluster, ImportedCluster } from "./imported-cluster";
import { ComputeMode, IEksCluster, NetworkPolicyEnforcement, NodePlacement } from "./types";
import { grantVolumeKeys } from "./volume-encryption";

import {
  ClusterLogType,
  ControlPlaneSubnetTier,
  EksClusterProps,
  resolveClusterSettings,
  SupportType,
} from "./cluster-settings";

// The props and their enums live with their resolution (cluster-settings.ts); the construct
// offers them too, as every construct module offers its props.
export {
  CLUSTER_LOG_TYPES,
  CONTROL_PLANE_SUBNET_TIERS,
  DEFAULT_KUBERNETES_VERSION,
  SUPPORT_TYPES,
} from "./cluster-settings";
export type {
  ClusterLogType,
  ControlPlaneSubnetTier,
  EksClusterOptions,
  EksClusterProps,
  SupportType,
} from "./cluster-settings";

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
    const settings = resolveClusterSettings(where, props);
    for (const warning of settings.warnings) warn(this, where, warning);
    this.name = settings.name;
    this.network = settings.network;
    this.kubernetesVersion = settings.kubernetesVersion;
    this.supportType = settings.supportType;
    this.computeMode = settings.computeMode;
    this.autoModeNodePools = settings.autoModeNodePools;
    this.partition = settings.partition;
    this.permissionsBoundaryArn = settings.permissionsBoundaryArn;
    this.controlPlaneSubnetTier = settings.controlPlaneSubnetTier;
    this.ipFamily = settings.ipFamily;
    this.serviceIpv4Cidr = settings.serviceIpv4Cidr;
    this.endpointPublicAccess = settings.endpointPublicAccess;
    this.endpointPublicAccessCidrs = settings.endpointPublicAccessCidrs;
    this.endpointPrivateAccessSources = settings.endpointPrivateAccessSources;
    this.volumeEncryptionKeyArns = settings.volumeEncryptionKeyArns;
    this.bootstrapClusterCreatorAdminPermissions = settings.bootstrapClusterCreatorAdminPermissions;
    this.clusterLogTypes = settings.clusterLogTypes;
    this.logRetentionInDays = settings.logRetentionInDays;
    this.logGroupRemovalPolicy = settings.logGroupRemovalPolicy;
    this.podIdentityAvailable = settings.podIdentityAvailable;
    const { endpoint, grants } = settings;
    const subnets = settings.controlPlaneSubnets;
    const auto = this.computeMode === "auto";

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
}
