import { ITerraformDependable, Lazy, dependable } from "cdktf";
import { Construct } from "constructs";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { contextOf, warn } from "../private/context";
import { checkPrincipalArn, describe, fail, isToken } from "../private/validation";
import { resolveAddonVersion } from "./addon-versions";
import { fargateProfilesOf, selectorMatchesNamespace } from "./fargate-profile";
import { awsManagedPolicyArn } from "./node-role";
import { ServiceAccountRole } from "./service-account-role";
import { ComputeMode, IEksCluster, KnownAddon, NodePlacement } from "./types";
import { grantVolumeKeys } from "./volume-encryption";

export type { KnownAddon };

export const KNOWN_ADDONS: readonly KnownAddon[] = [
  "vpc-cni",
  "kube-proxy",
  "eks-pod-identity-agent",
  "coredns",
  "aws-ebs-csi-driver",
  "metrics-server",
];

/**
 * Node-level add-ons (DaemonSets) that must be in place before the first node joins,
 * or nodes come up without pod networking or Pod Identity. They are ACTIVE with zero
 * nodes, so creating them first never blocks.
 */
export const BEFORE_COMPUTE_ADDONS: readonly KnownAddon[] = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"];

/**
 * Add-ons that run as Deployments: they only become ACTIVE once there is somewhere to
 * schedule them, so they are created after every node group / Fargate profile.
 */
export const AFTER_COMPUTE_ADDONS: readonly KnownAddon[] = ["coredns", "aws-ebs-csi-driver", "metrics-server"];

/**
 * What EKS Auto Mode runs itself, off-cluster or on its nodes (pod networking, kube-proxy,
 * DNS, Pod Identity, EBS volumes). Installing them as add-ons too would conflict.
 */
export const AUTO_MODE_BUILT_IN_ADDONS: readonly KnownAddon[] = [
  "vpc-cni",
  "kube-proxy",
  "coredns",
  "eks-pod-identity-agent",
  "aws-ebs-csi-driver",
];

/**
 * Add-ons whose software stays in the cluster when the add-on object is deleted
 * (`aws_eks_addon.preserve`), unless the add-on's `preserve` says otherwise:
 * - vpc-cni, kube-proxy: without aws-node new pods get no IP and Services stop routing.
 * - coredns: without it every name lookup in the cluster fails.
 * - eks-pod-identity-agent: without it running pods lose their AWS credentials on the next refresh.
 * - aws-ebs-csi-driver: without it volumes of running StatefulSets can't be attached or detached
 *   (PersistentVolumes provisioned by ebs.csi.aws.com need this driver, also after a move to Auto Mode).
 * Not metrics-server: it holds no state and nothing breaks but `kubectl top` and HPA metrics,
 * so turning it off should really remove it.
 */
export const PRESERVED_ADDONS: readonly KnownAddon[] = [
  "vpc-cni",
  "kube-proxy",
  "coredns",
  "eks-pod-identity-agent",
  "aws-ebs-csi-driver",
];

/** The labels the CoreDNS add-on's pods carry. */
const COREDNS_POD_LABELS: Readonly<Record<string, string>> = {
  "k8s-app": "kube-dns",
  "eks.amazonaws.com/component": "coredns",
};

/** True when some Fargate profile of the cluster selects the CoreDNS pods (or a selector is only known at apply). */
function fargateRunsCoreDns(cluster: IEksCluster): boolean {
  const glob = (pattern: string, value: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\-]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".")}$`,
    ).test(value);
  return fargateProfilesOf(cluster).some((profile) =>
    profile.selectors.some((selector) => {
      if (isToken(selector.namespace) || isToken(selector.labels)) return true;
      if (!selectorMatchesNamespace(selector, "kube-system")) return false;
      return Object.entries(selector.labels ?? {}).every(
        ([key, value]) =>
          isToken(key) || isToken(value) || (key in COREDNS_POD_LABELS && glob(value, COREDNS_POD_LABELS[key])),
      );
    }),
  );
}

/**
 * Cluster-critical Deployments routed to the system nodes (cluster.systemNodePlacement) through
 * the keys their configuration schema takes: coredns and metrics-server `nodeSelector` /
 * `tolerations`; aws-ebs-csi-driver `controller.nodeSelector` / `controller.tolerations` (its
 * node DaemonSet must stay on every node).
 */
export const SYSTEM_ADDONS: readonly KnownAddon[] = ["coredns", "metrics-server", "aws-ebs-csi-driver"];

/**
 * An add-on's configuration with the system placement merged in; the user's own values win
 * (per key, and per key of `controller` for the EBS CSI driver).
 */
export function placementValues(
  name: KnownAddon,
  placement: NodePlacement | undefined,
  user: Record<string, unknown>,
): Record<string, unknown> {
  if (placement === undefined) return { ...user };
  const scheduling = {
    nodeSelector: placement.nodeSelector,
    tolerations: placement.tolerations.map((t) => ({ ...t, operator: t.operator ?? "Equal" })),
  };
  if (name === "aws-ebs-csi-driver") {
    const controller = (user.controller ?? {}) as Record<string, unknown>;
    return { ...user, controller: { ...scheduling, ...controller } };
  }
  return { ...scheduling, ...user };
}

/** What vpc-cni gets unless its configurationValues say otherwise: the network policy agent on. */
export const VPC_CNI_DEFAULT_CONFIGURATION: Readonly<Record<string, unknown>> = { enableNetworkPolicy: "true" };

/** The service account the EBS CSI controller runs as (fixed by the add-on). */
export const EBS_CSI_SERVICE_ACCOUNT = "ebs-csi-controller-sa";

/** The service account the VPC CNI (aws-node DaemonSet) runs as (fixed by the add-on). */
export const VPC_CNI_SERVICE_ACCOUNT = "aws-node";

/**
 * How the cluster gives an add-on a role of its own: `irsa` (IAM Roles for Service
 * Accounts through the cluster's OIDC provider), the mechanism AWS documents for the VPC CNI.
 */
export type AddonOwnRole = "irsa";

/** Add-ons the cluster can create their own role for (`ownRole`), with the AWS managed policy it gets. */
export const OWN_ROLE_ADDONS: Readonly<Partial<Record<KnownAddon, { serviceAccount: string; policy: string }>>> = {
  "vpc-cni": { serviceAccount: VPC_CNI_SERVICE_ACCOUNT, policy: "AmazonEKS_CNI_Policy" },
};

export interface AddonOptions {
  /**
   * Pin the add-on version, e.g. "v1.19.2-eksbuild.1" (`aws eks describe-addon-versions`).
   * Where the add-on table (addon-versions.ts) has a row for the cluster's Kubernetes minor,
   * the version must be one it lists (or set `allowUnlistedVersion`).
   *
   * A version pinned here does not follow a kubernetesVersion bump: change it with the bump
   * (or remove it, so the table's version for the new minor applies).
   * @default - the table's version for the cluster's Kubernetes minor (EKS_ADDON_VERSIONS), so a
   *   kubernetesVersion bump moves the add-on too; where the table has no row, none: EKS installs
   *   its default for the minor and the add-on stays there on later upgrades
   */
  readonly version?: string;
  /**
   * Accept a `version` the add-on table doesn't list for the cluster's minor (one AWS published
   * after the table's date): check it with `aws eks describe-addon-versions --addon-name <name>
   * --kubernetes-version <minor>` first, since EKS refuses an unpublished one only at apply.
   * @default false
   */
  readonly allowUnlistedVersion?: boolean;
  /**
   * Add-on configuration (the JSON schema from `aws eks describe-addon-configuration`).
   * @default - the add-on's defaults
   */
  readonly configurationValues?: Record<string, unknown>;
  /**
   * An existing IAM role for the add-on's Kubernetes service account, used through IRSA
   * (aws_eks_addon service_account_role_arn): the role must trust the cluster's OIDC
   * provider for that service account (kube-system/aws-node for vpc-cni). For
   * aws-ebs-csi-driver it replaces the role the cluster creates. Not together with `ownRole`.
   * @default - none: vpc-cni uses the node role (which then needs AmazonEKS_CNI_Policy);
   *   aws-ebs-csi-driver gets a role created by the cluster
   */
  readonly serviceAccountRoleArn?: string;
  /**
   * vpc-cni only: the cluster creates a role for kube-system/aws-node with
   * AmazonEKS_CNI_Policy, trusted through IRSA, and passes it as the add-on's service
   * account role. Then node groups can use `attachCniPolicy: false`, so pods that reach
   * the node's credentials can't manage ENIs. Not together with `serviceAccountRoleArn`.
   * @default - no role of its own: aws-node uses the node role
   */
  readonly ownRole?: AddonOwnRole;
  /**
   * Keep the add-on's software (DaemonSets, Deployments, RBAC) in the cluster when the
   * add-on is deleted: when it is set to `false` in `addons`, when the cluster moves to Auto
   * Mode, or on destroy. EKS then only stops managing it; the pods keep running unmanaged
   * (nothing upgrades them) until you delete them with kubectl. With `false`, deleting the
   * add-on deletes its pods at once: for vpc-cni that means new pods get no IP.
   * Changing it is an in-place update and changes nothing in the cluster.
   * @default - true for vpc-cni, kube-proxy, coredns, eks-pod-identity-agent, aws-ebs-csi-driver
   *   (PRESERVED_ADDONS); false for metrics-server
   */
  readonly preserve?: boolean;
}

/**
 * Per add-on: options, or `false` to leave it out. Add-ons not mentioned are installed
 * with defaults (except those EKS Auto Mode runs itself).
 *
 * Turning an installed add-on off (`false`) on a running cluster deletes the EKS add-on
 * object. For the add-ons in PRESERVED_ADDONS (the default `preserve: true`) the software
 * keeps running, unmanaged and never upgraded, until you remove it with kubectl or install
 * a replacement; for metrics-server it is removed at once. Roles the cluster created for an
 * add-on (the EBS CSI driver's, vpc-cni's `ownRole`) are deleted with it, so a preserved
 * add-on that needs AWS access loses it: give it a role of your own first.
 *
 * Fargate-only clusters: CoreDNS is switched to Fargate automatically (its profile needs the
 * kube-system `k8s-app: kube-dns` selector); aws-ebs-csi-driver must be `false` (EBS can't
 * attach to Fargate pods; synth fails otherwise); metrics-server needs a Fargate profile
 * selecting its pods (kube-system, `app.kubernetes.io/name: metrics-server`) or `false`.
 */
export type AddonsConfig = { readonly [name in KnownAddon]?: AddonOptions | false };

export interface ClusterAddonsProps {
  readonly cluster: IEksCluster;
  readonly computeMode: ComputeMode;
  readonly addons?: AddonsConfig;
  /** Partition of the managed policy ARNs. */
  readonly partition: string;
  /**
   * IPv6 clusters: the VPC CNI's IPv6 policy, attached to vpc-cni's own role.
   * @default - an IPv4 cluster
   */
  readonly cniIpv6PolicyArn?: string;
  /**
   * Customer-managed KMS keys EBS volumes may be encrypted with (the cluster's
   * volumeEncryptionKeyArns), granted to the EBS CSI driver's role the cluster creates.
   * @default []
   */
  readonly volumeEncryptionKeyArns?: string[];
  /**
   * The cluster's Kubernetes minor: picks the add-on versions from the add-on table.
   * @default - cluster.kubernetesVersion
   */
  readonly kubernetesVersion?: string;
  /** @default - none */
  readonly tags?: Record<string, string>;
}

const VERSION = /^v\d+\.\d+\.\d+(-[A-Za-z0-9.]+)?$/;

/** Which add-ons a cluster gets, validated. Exported so the cluster can check before creating anything. */
export function resolveAddons(
  where: string,
  computeMode: ComputeMode,
  addons: AddonsConfig = {},
): Map<KnownAddon, AddonOptions> {
  for (const name of Object.keys(addons)) {
    if (!(KNOWN_ADDONS as readonly string[]).includes(name)) {
      fail(
        where,
        "addons key",
        name,
        "is not an add-on this construct manages",
        `use one of ${KNOWN_ADDONS.join(", ")} (install others with aws_eks_addon next to the cluster)`,
      );
    }
  }
  const enabled = new Map<KnownAddon, AddonOptions>();
  for (const name of KNOWN_ADDONS) {
    const choice = addons[name];
    if (choice === false) continue;
    if (computeMode === "auto" && AUTO_MODE_BUILT_IN_ADDONS.includes(name)) {
      if (choice !== undefined) {
        fail(
          where,
          `addons["${name}"]`,
          choice,
          "is built into EKS Auto Mode, which runs it itself",
          `remove it (or set it to false); Auto Mode only takes ${KNOWN_ADDONS.filter((a) => !AUTO_MODE_BUILT_IN_ADDONS.includes(a)).join(", ")}`,
        );
      }
      continue;
    }
    const options = choice ?? {};
    if (options.version !== undefined && !isToken(options.version) && !VERSION.test(options.version)) {
      fail(
        where,
        `addons["${name}"].version`,
        options.version,
        "is not an add-on version",
        'use the form "v1.19.2-eksbuild.1" (see `aws eks describe-addon-versions`), or omit it for the EKS default',
      );
    }
    const networkPolicy = name === "vpc-cni" ? options.configurationValues?.enableNetworkPolicy : undefined;
    if (
      networkPolicy !== undefined &&
      !isToken(networkPolicy) &&
      networkPolicy !== "true" &&
      networkPolicy !== "false"
    ) {
      fail(
        where,
        'addons["vpc-cni"].configurationValues.enableNetworkPolicy',
        networkPolicy,
        'is not a value the vpc-cni configuration schema accepts (it takes the strings "true" and "false")',
        'use "true" (the default: NetworkPolicies are enforced) or "false"',
      );
    }
    if (options.preserve !== undefined && typeof options.preserve !== "boolean") {
      fail(where, `addons["${name}"].preserve`, options.preserve, "is not a boolean", "use true or false");
    }
    if (options.serviceAccountRoleArn !== undefined) {
      checkPrincipalArn(where, `addons["${name}"].serviceAccountRoleArn`, options.serviceAccountRoleArn);
      if (!isToken(options.serviceAccountRoleArn) && !options.serviceAccountRoleArn.includes(":role/")) {
        fail(
          where,
          `addons["${name}"].serviceAccountRoleArn`,
          options.serviceAccountRoleArn,
          "is not an IAM role ARN",
          "use arn:aws:iam::<12-digit account>:role/<name>",
        );
      }
    }
    if (options.ownRole !== undefined) {
      const ownRoleAddons = Object.keys(OWN_ROLE_ADDONS);
      if (!ownRoleAddons.includes(name)) {
        fail(
          where,
          `addons["${name}"].ownRole`,
          options.ownRole,
          `only applies to ${ownRoleAddons.join(", ")}`,
          `remove it; give ${name} a role with serviceAccountRoleArn if it needs one`,
        );
      }
      if ((options.ownRole as string) !== "irsa") {
        fail(
          where,
          `addons["${name}"].ownRole`,
          options.ownRole,
          "is not a way to give an add-on its own role",
          'use "irsa"',
        );
      }
      if (options.serviceAccountRoleArn !== undefined) {
        fail(
          where,
          `addons["${name}"].ownRole`,
          options.ownRole,
          "can't be given together with serviceAccountRoleArn",
          "remove one: ownRole creates a role, serviceAccountRoleArn uses yours",
        );
      }
    }
    enabled.set(name, options);
  }
  return enabled;
}

/**
 * The cluster's EKS managed add-ons. All use resolve_conflicts OVERWRITE on create and
 * update, so adopting a self-managed copy or upgrading over drifted fields never fails
 * half-way; pinned configuration lives in `configurationValues` instead.
 */
export class ClusterAddons extends Construct {
  /** The add-on resources by name (absent: not installed). */
  public readonly addons: Partial<Record<KnownAddon, EksAddon>> = {};
  /** The EBS CSI controller's role, when that add-on is installed without serviceAccountRoleArn. */
  public readonly ebsCsiDriverRole?: ServiceAccountRole;
  /** The VPC CNI's own role (kube-system/aws-node, IRSA), when `ownRole` was asked for. */
  public readonly vpcCniRole?: ServiceAccountRole;
  /** The installed add-ons and their options, as resolved from the cluster's `addons`. */
  public readonly enabled: ReadonlyMap<KnownAddon, AddonOptions>;
  private readonly computeKinds = new Set<"node-group" | "fargate">();
  private readonly registered: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: ClusterAddonsProps) {
    super(scope, id);
    // Errors name the cluster (whose `addons` the user wrote), or this construct when standalone.
    const where = contextOf(props.cluster) ?? describe("ClusterAddons", id);
    const enabled = resolveAddons(where, props.computeMode, props.addons);
    this.enabled = enabled;
    const cluster = props.cluster;
    const volumeKeys = props.volumeEncryptionKeyArns ?? [];
    const ebs = enabled.get("aws-ebs-csi-driver");
    if (volumeKeys.length > 0 && props.computeMode === "managed" && ebs?.serviceAccountRoleArn !== undefined) {
      warn(
        this,
        where,
        `volumeEncryptionKeyArns are not granted to any role: addons["aws-ebs-csi-driver"].serviceAccountRoleArn is your own role; give it the KMS permissions of volumeEncryptionPolicy on those keys, or claims of a StorageClass using them stay Pending`,
      );
    } else if (volumeKeys.length > 0 && props.computeMode === "managed" && ebs === undefined) {
      warn(
        this,
        where,
        `volumeEncryptionKeyArns are not granted to any role: addons["aws-ebs-csi-driver"] is false; give the EBS CSI driver you run the KMS permissions of volumeEncryptionPolicy on those keys, or claims of a StorageClass using them stay Pending`,
      );
    }

    for (const [name, options] of enabled) {
      let configurationValues: string | undefined = options.configurationValues
        ? JSON.stringify(options.configurationValues)
        : undefined;
      if (name === "vpc-cni") {
        // The network policy agent is on unless the user turns it off explicitly: a
        // NetworkPolicy the cluster silently ignores is worse than none. Turning it on for a
        // running cluster updates the add-on in place (aws-node pods roll, pods keep their IPs).
        configurationValues = JSON.stringify({
          ...VPC_CNI_DEFAULT_CONFIGURATION,
          ...(options.configurationValues ?? {}),
        });
      }
      if (SYSTEM_ADDONS.includes(name)) {
        // Lazy: compute (and so the system node group) registers after this runs.
        // - coredns: with only Fargate to run on, it must be told so, or its pods stay Pending
        //   (they'd wait for EC2 nodes).
        // - coredns, metrics-server, the EBS CSI controller: onto the system nodes, when there
        //   are any, so a spot reclaim of application nodes doesn't take DNS or volume attachment along.
        configurationValues = Lazy.stringValue({
          produce: () => {
            const fargate = name === "coredns" && this.fargateOnly;
            const placement = fargate ? undefined : cluster.systemNodePlacement;
            const values = {
              ...placementValues(name, placement, options.configurationValues ?? {}),
              ...(fargate ? { computeType: "Fargate" } : {}),
            };
            return Object.keys(values).length > 0 ? JSON.stringify(values) : undefined;
          },
        });
      }

      let serviceAccountRoleArn = options.serviceAccountRoleArn;
      let podIdentityAssociation: { roleArn: string; serviceAccount: string }[] | undefined;
      // The add-on waits for its role's permissions, not only for the role: otherwise EKS
      // may start it (and Terraform later detach them) while it still needs them.
      let dependsOn: ITerraformDependable[] = [];
      const ownRole = OWN_ROLE_ADDONS[name];
      if (options.ownRole !== undefined && ownRole) {
        const role = new ServiceAccountRole(this, `${name}-role`, {
          cluster,
          namespace: "kube-system",
          serviceAccount: ownRole.serviceAccount,
          mechanism: options.ownRole,
          managedPolicyArns: [
            awsManagedPolicyArn(props.partition, ownRole.policy),
            ...(name === "vpc-cni" && props.cniIpv6PolicyArn ? [props.cniIpv6PolicyArn] : []),
          ],
          tags: props.tags,
        });
        if (name === "vpc-cni") this.vpcCniRole = role;
        serviceAccountRoleArn = role.roleArn;
        dependsOn = role.policies;
      }
      if (name === "aws-ebs-csi-driver" && serviceAccountRoleArn === undefined) {
        // Pod Identity when its agent is installed (Auto Mode never gets here); IRSA otherwise.
        const mechanism = enabled.has("eks-pod-identity-agent") ? "pod-identity" : "irsa";
        const role = new ServiceAccountRole(this, "ebs-csi-driver-role", {
          cluster,
          namespace: "kube-system",
          serviceAccount: EBS_CSI_SERVICE_ACCOUNT,
          mechanism,
          managedPolicyArns: [awsManagedPolicyArn(props.partition, "service-role/AmazonEBSCSIDriverPolicy")],
          // The add-on creates the association itself (its pod_identity_association block),
          // so deleting the add-on also removes it.
          createPodIdentityAssociation: false,
          tags: props.tags,
        });
        this.ebsCsiDriverRole = role;
        if (mechanism === "pod-identity")
          podIdentityAssociation = [{ roleArn: role.roleArn, serviceAccount: EBS_CSI_SERVICE_ACCOUNT }];
        else serviceAccountRoleArn = role.roleArn;
        dependsOn = role.policies;
        // The managed policy covers EBS but no customer key: without this grant, volumes of a
        // StorageClass with kmsKeyArn are never created and their claims stay Pending.
        if (volumeKeys.length > 0)
          dependsOn = [
            ...dependsOn,
            grantVolumeKeys(this, "ebs-csi-driver-volume-encryption", role.roleName, volumeKeys),
          ];
      }

      this.addons[name] = new EksAddon(this, name, {
        clusterName: cluster.clusterName,
        addonName: name,
        addonVersion: resolveAddonVersion(
          where,
          name,
          props.kubernetesVersion ?? cluster.kubernetesVersion,
          options.version,
          options.allowUnlistedVersion,
        ),
        configurationValues,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        // Deleting the add-on object (addons: { x: false }, a move to Auto Mode) must not
        // take the cluster's networking or DNS with it.
        preserve: options.preserve ?? PRESERVED_ADDONS.includes(name),
        serviceAccountRoleArn,
        podIdentityAssociation,
        tags: props.tags,
        dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
      });
    }

    // Checked at synth, once every node group / Fargate profile has registered.
    this.node.addValidation({
      validate: () => [
        ...(this.fargateOnly && this.addons["aws-ebs-csi-driver"]
          ? [
              `${where}: addons["aws-ebs-csi-driver"] is installed but the cluster's only compute is Fargate, where EBS volumes can't attach and the add-on never becomes ACTIVE; set "aws-ebs-csi-driver": false or add a node group`,
            ]
          : []),
        ...(this.fargateOnly && this.addons.coredns && !fargateRunsCoreDns(cluster)
          ? [
              `${where}: addons["coredns"] is installed but the cluster's only compute is Fargate and no Fargate profile selects the CoreDNS pods (namespace kube-system, label k8s-app=kube-dns), so they stay Pending and no name in the cluster resolves; give a profile includeCoreDns: true (or FargateProfile.corednsSelector()), or add a node group`,
            ]
          : []),
      ],
    });
  }

  /** True when vpc-cni is installed with its network policy agent on (the default). */
  public get networkPolicyAgent(): boolean {
    const cni = this.enabled.get("vpc-cni");
    return cni !== undefined && cni.configurationValues?.enableNetworkPolicy !== "false";
  }

  /** True when compute was registered and all of it is Fargate (no EC2 nodes). */
  public get fargateOnly(): boolean {
    return this.computeKinds.has("fargate") && !this.computeKinds.has("node-group");
  }

  /** The add-ons nodes and Fargate pods need before they start. */
  public get beforeCompute(): ITerraformDependable[] {
    return BEFORE_COMPUTE_ADDONS.flatMap((name) => (this.addons[name] ? [this.addons[name]] : []));
  }

  /**
   * Makes the add-ons that need somewhere to run (AFTER_COMPUTE_ADDONS) wait for this node
   * group / Fargate profile: their depends_on is read at synth, so compute added at any
   * time before synth is included.
   */
  public registerCompute(compute: ITerraformDependable, kind: "node-group" | "fargate"): void {
    this.computeKinds.add(kind);
    if (this.registered.includes(compute)) return;
    this.registered.push(compute);
    for (const name of AFTER_COMPUTE_ADDONS) {
      const addon = this.addons[name];
      // dependable() renders a bare address (aws_eks_node_group.x), which depends_on requires;
      // a plain fqn token would render as an interpolation "${...}" that Terraform rejects there.
      if (addon) addon.dependsOn = [...(addon.dependsOn ?? []), dependable(compute)];
    }
  }
}
