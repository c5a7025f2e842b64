import { Construct } from "constructs";
import { Fn, ITerraformDependable } from "cdktf";
import { EksFargateProfile } from "@cdktf/provider-aws/lib/eks-fargate-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SubnetInfo, SubnetTier } from "../network/types";
import { selectSubnets } from "./subnet-selection";
import { computeHostOf } from "./compute-host";
import { useProvider } from "../private/provider";
import { describe, duplicatesOf, EKS_CLUSTER_NAME, fail, isToken, show } from "../private/validation";
import { IEksCluster } from "./types";
import { checkLabelKey, checkLabelValue } from "../private/kubernetes-names";
import { awsManagedPolicyArn, checkRoleReference, roleNamePrefix, RoleReference } from "./node-role";

/**
 * Which pods run on Fargate: pods in `namespace` whose labels include all of
 * `labels`. `namespace` and label values may use the wildcards `*` and `?`
 * (e.g. "team-*").
 */
export interface FargateSelector {
  readonly namespace: string;
  /**
   * Pod labels that must all match.
   * @default every pod of the namespace
   */
  readonly labels?: Record<string, string>;
}

/** EKS accepts 1 to 5 selectors per Fargate profile. */
export const MAX_FARGATE_SELECTORS = 5;

/** Subnet tiers Fargate may use; `public` exists only to be refused with a clear message. */
export type FargateSubnetTier = SubnetTier;

export interface FargateProfileOptions {
  /**
   * The pods this profile runs (up to 5 selectors in all, counting the CoreDNS one
   * when `includeCoreDns` is set).
   */
  readonly selectors: FargateSelector[];
  /**
   * Add the selector for CoreDNS (namespace kube-system, label k8s-app=kube-dns).
   * A cluster with only Fargate compute needs it, or CoreDNS stays Pending and no
   * pod can resolve names; the cluster's coredns add-on must also be configured
   * with `computeType: Fargate`. Same as adding `FargateProfile.corednsSelector()`.
   * @default false
   */
  readonly includeCoreDns?: boolean;
  /**
   * Subnet tier of the cluster's network for the pods. Fargate pods only run in
   * private subnets, so "public" is refused.
   * @default "private"
   */
  readonly subnetTier?: FargateSubnetTier;
  /**
   * Explicit private subnets of the cluster's network. Give this or `subnetTier`, not both.
   * @default all subnets of `subnetTier`
   */
  readonly subnets?: SubnetInfo[];
  /**
   * An existing pod execution role (trusting eks-fargate-pods.amazonaws.com, with
   * AmazonEKSFargatePodExecutionRolePolicy) instead of creating one.
   * @default a new role limited to this cluster's Fargate profiles
   */
  readonly podExecutionRole?: RoleReference;
  /**
   * Permissions boundary for the created pod execution role.
   * @default - the cluster's permissionsBoundaryArn
   */
  readonly permissionsBoundaryArn?: string;
  /**
   * Name of the Fargate profile. EKS has no name prefix for Fargate profiles, so
   * changing selectors or subnets deletes the profile before creating its
   * replacement: running pods keep running, but new pods of those selectors stay
   * Pending for the minute or two in between.
   * @default the construct id
   */
  readonly fargateProfileName?: string;
  /**
   * Tags for the profile and its role.
   * @default no extra tags
   */
  readonly tags?: Record<string, string>;
}

export interface FargateProfileProps extends FargateProfileOptions {
  /** The cluster whose pods the profile runs. */
  readonly cluster: IEksCluster;
}

/** Namespace names are DNS-1123 labels; Fargate selectors also allow the wildcards * and ?. */
const NAMESPACE_PATTERN = /^[a-z0-9*?]([-a-z0-9*?]*[a-z0-9*?])?$/;

/**
 * EKS creates or deletes one Fargate profile of a cluster at a time and fails a
 * second concurrent call (ResourceInUseException), so each profile waits for the
 * one declared before it on the same cluster.
 */
const lastProfileOf = new WeakMap<IEksCluster, EksFargateProfile>();

/** Every FargateProfile of a cluster, in the order they were created. */
const profilesOf = new WeakMap<IEksCluster, FargateProfile[]>();

/**
 * The Fargate profiles created so far for a cluster, e.g. for a ServiceAccountRole to
 * tell whether its pods run on Fargate. Read it late (at synth) to see profiles added later.
 */
export function fargateProfilesOf(cluster: IEksCluster): readonly FargateProfile[] {
  return profilesOf.get(cluster) ?? [];
}

/**
 * True when a selector's namespace (which may hold the wildcards `*` and `?`) matches
 * `namespace`. Namespaces only known at apply time never match.
 */
export function selectorMatchesNamespace(selector: FargateSelector, namespace: string): boolean {
  if (isToken(selector.namespace) || isToken(namespace)) return false;
  const pattern = selector.namespace
    .replace(/[.+^${}()|[\]\\-]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${pattern}$`).test(namespace);
}

/**
 * An EKS Fargate profile: pods matching its selectors run on Fargate, one pod per
 * isolated micro-VM, in the private subnets of the cluster's network.
 */
export class FargateProfile extends Construct {
  /**
   * The selector CoreDNS needs to run on Fargate: namespace kube-system, label
   * k8s-app=kube-dns. Required in a cluster with only Fargate compute.
   */
  public static corednsSelector(): FargateSelector {
    return { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } };
  }

  public readonly cluster: IEksCluster;
  public readonly selectors: FargateSelector[];
  public readonly includeCoreDns: boolean;
  public readonly subnets: SubnetInfo[];
  /** The aws_eks_fargate_profile resource. */
  public readonly profile: EksFargateProfile;
  /** The pod execution role this construct created; undefined when one was passed in. */
  public readonly createdPodExecutionRole?: IamRole;
  public readonly fargateProfileName: string;
  public readonly fargateProfileArn: string;
  public readonly podExecutionRoleArn: string;
  public readonly podExecutionRoleName: string;

  constructor(scope: Construct, id: string, props: FargateProfileProps) {
    super(scope, id);
    const where = describe("FargateProfile", id);
    const cluster = props.cluster;
    this.cluster = cluster;
    const host = computeHostOf(cluster, where);
    useProvider(this, cluster.provider);
    this.includeCoreDns = props.includeCoreDns ?? false;
    this.selectors = [...(props.selectors ?? []), ...(this.includeCoreDns ? [FargateProfile.corednsSelector()] : [])];
    this.checkSelectors(where);
    this.subnets = this.resolveSubnets(where, props);

    const name =
      props.fargateProfileName ??
      (id
        .replace(/[^A-Za-z0-9\-_]/g, "-")
        .replace(/^[^A-Za-z0-9]+/, "")
        .slice(0, 100) ||
        "fargate");
    if (!isToken(name) && !EKS_CLUSTER_NAME.test(name)) {
      fail(
        where,
        "fargateProfileName",
        name,
        "is not a valid Fargate profile name",
        "use 1 to 100 letters, digits, hyphens and underscores, starting with a letter or digit",
      );
    }

    const tags = props.tags ?? {};
    let roleDependencies: ITerraformDependable[] = [];
    if (props.podExecutionRole) {
      if (props.permissionsBoundaryArn !== undefined) {
        fail(
          where,
          "permissionsBoundaryArn",
          props.permissionsBoundaryArn,
          "only applies to the role this construct creates, but podExecutionRole was given",
          "remove one of them",
        );
      }
      checkRoleReference(where, "podExecutionRole", props.podExecutionRole);
      this.podExecutionRoleArn = props.podExecutionRole.roleArn;
      this.podExecutionRoleName = props.podExecutionRole.roleName;
    } else {
      const role = new IamRole(this, "pod-execution-role", {
        namePrefix: roleNamePrefix(cluster.name, id, "fargate"),
        description: `EKS Fargate pod execution role of cluster ${cluster.name}`,
        // aws:SourceArn limits the role to this cluster's Fargate profiles (confused-deputy protection).
        assumeRolePolicy: Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "eks-fargate-pods.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: {
                ArnLike: { "aws:SourceArn": `${Fn.replace(cluster.clusterArn, ":cluster/", ":fargateprofile/")}/*` },
              },
            },
          ],
        }),
        permissionsBoundary: props.permissionsBoundaryArn ?? cluster.permissionsBoundaryArn,
        tags,
      });
      const attachment = new IamRolePolicyAttachment(this, "AmazonEKSFargatePodExecutionRolePolicy", {
        role: role.name,
        policyArn: awsManagedPolicyArn(cluster.partition, "AmazonEKSFargatePodExecutionRolePolicy"),
      });
      this.createdPodExecutionRole = role;
      this.podExecutionRoleArn = role.arn;
      this.podExecutionRoleName = role.name;
      roleDependencies = [attachment];
    }

    const previous = lastProfileOf.get(cluster);
    this.profile = new EksFargateProfile(this, "profile", {
      clusterName: cluster.clusterName,
      fargateProfileName: name,
      podExecutionRoleArn: this.podExecutionRoleArn,
      subnetIds: this.subnets.map((s) => s.id),
      selector: this.selectors.map((s) => ({
        namespace: s.namespace,
        labels: s.labels && Object.keys(s.labels).length > 0 ? s.labels : undefined,
      })),
      tags: Object.keys(tags).length > 0 ? tags : undefined,
      dependsOn: [...host.computeDependencies, ...roleDependencies, ...(previous ? [previous] : [])],
    });
    lastProfileOf.set(cluster, this.profile);
    profilesOf.set(cluster, [...fargateProfilesOf(cluster), this]);

    this.fargateProfileName = this.profile.fargateProfileName;
    this.fargateProfileArn = this.profile.arn;
    // Its pod execution role pulls the pods' images: recorded for registry grants.
    host.registerCompute(this.profile, "fargate", this.podExecutionRoleArn);
  }

  private checkSelectors(where: string): void {
    const selectors = this.selectors;
    if (selectors.length === 0 || selectors.length > MAX_FARGATE_SELECTORS) {
      fail(
        where,
        "selectors",
        `${selectors.length} selectors${this.includeCoreDns ? " (counting the CoreDNS one)" : ""}`,
        `is outside the 1 to ${MAX_FARGATE_SELECTORS} EKS allows per Fargate profile`,
        `give 1 to ${MAX_FARGATE_SELECTORS} selectors; split the rest into another FargateProfile`,
      );
    }
    selectors.forEach((s, i) => {
      if (!isToken(s.namespace) && (s.namespace.length > 63 || !NAMESPACE_PATTERN.test(s.namespace))) {
        fail(
          where,
          `selectors[${i}].namespace`,
          s.namespace,
          "is not a Kubernetes namespace name",
          "use 1 to 63 lowercase letters, digits and '-', starting and ending with a letter or digit (wildcards * and ? allowed)",
        );
      }
      for (const [key, value] of Object.entries(s.labels ?? {})) {
        checkLabelKey(where, `selectors[${i}].labels key`, key);
        // Fargate selectors accept * and ? in label values.
        checkLabelValue(where, `selectors[${i}].labels[${show(key)}]`, value.replace(/[*?]/g, "x"));
      }
    });
    const dups = duplicatesOf(
      selectors.map((s) => JSON.stringify([s.namespace, Object.entries(s.labels ?? {}).sort()])),
    );
    if (dups.length > 0)
      fail(
        where,
        "selectors",
        (JSON.parse(dups[0]) as unknown[])[0],
        "is selected twice with the same labels",
        "give each selector once",
      );
  }

  private resolveSubnets(where: string, props: FargateProfileProps): SubnetInfo[] {
    const publicFix =
      'Fargate pods only run in private subnets; use subnetTier "private" (the default) or subnets from cluster.network.subnetsOf("private")';
    return selectSubnets(where, props.cluster.network, props, {
      allowPublic: false,
      publicSubnetFix: publicFix,
      publicTierProblem: "is not allowed",
      publicTierFix: publicFix,
      foreignSubnetFix: 'pick subnets from cluster.network.subnetsOf("private")',
      empty: {
        problem: "is empty (the network has no subnets of that tier)",
        fix: "create private subnets in the network or pass subnets explicitly",
      },
    });
  }
}
