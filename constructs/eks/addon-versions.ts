import { fail, isToken } from "../private/validation";
import type { KnownAddon } from "./types";

/**
 * The EKS add-on versions AWS publishes for each Kubernetes minor: the version a cluster pins
 * (`aws_eks_addon.addon_version`) unless its `addons[name].version` says otherwise, and the
 * versions a user may pin. One dated table, checked at synth, with no AWS call at plan time.
 *
 * Why pinned: an unpinned add-on stays at the version EKS installed it with, and bumping the
 * cluster's kubernetesVersion does not move it. With the table, the same bump plans the
 * add-ons' updates to versions published for the new minor, after the control plane.
 *
 * A version belongs to a minor when `aws eks describe-addon-versions --kubernetes-version <minor>`
 * lists it; the sources below state that (or the user guide's "latest version for each
 * Kubernetes version" table does). Sources, all read on 2026-12-07:
 * - kube-proxy: EKS user guide, "Manage kube-proxy in Amazon EKS clusters", kube-proxy versions
 *   (eks/latest/userguide/managing-kube-proxy.md): 1.35 v1.35.3-eksbuild.2, 1.34
 *   v1.34.6-eksbuild.2, 1.33 v1.33.10-eksbuild.2, 1.32 v1.32.13-eksbuild.5.
 * - coredns: EKS user guide, "Manage CoreDNS for DNS in Amazon EKS clusters", CoreDNS versions
 *   (eks/latest/userguide/managing-coredns.md): 1.35 v1.14.2-eksbuild.4, 1.34
 *   v1.13.2-eksbuild.7; an earlier copy of the same table: 1.33 v1.13.2-eksbuild.4, 1.32
 *   v1.11.4-eksbuild.33.
 * - vpc-cni 1.32, 1.33: EKS user guide, "Assign IPs to Pods with the Amazon VPC CNI", Amazon VPC
 *   CNI versions: v1.20.1-eksbuild.3 (the copies readable here stop at 1.33).
 * - vpc-cni 1.34, 1.35, aws-ebs-csi-driver 1.32-1.35, eks-pod-identity-agent 1.32-1.35: AWS's EKS
 *   Blueprints for CDK, npm @aws-quickstart/eks-blueprints 1.19.0 (published 2026-07-18;
 *   github.com/awslabs/cdk-eks-blueprints, lib/addons/<add-on>/index.ts, `versionMap`: the
 *   version it installs per minor when it can't call DescribeAddonVersions). Its 1.35 entries
 *   were checked against `describe-addon-versions` defaults for 1.35 (awslabs/cdk-eks-blueprints
 *   PR #1246, 2026-04-08): vpc-cni 1.35 v1.21.1-eksbuild.1, 1.34 v1.20.4-eksbuild.2;
 *   aws-ebs-csi-driver 1.35 v1.57.1-eksbuild.1, 1.32-1.34 v1.56.0-eksbuild.1;
 *   eks-pod-identity-agent 1.32-1.35 v1.3.10-eksbuild.2. (PR #1224 of the same repository,
 *   2026-02-16, quotes the user guide's VPC CNI table with v1.21.1-eksbuild.3 for 1.34; not in the
 *   row, so the 1.34 default stays below 1.35's: EKS does not downgrade an add-on on a version bump.)
 * - aws-ebs-csi-driver 1.36: mitodl/ol-infrastructure PR #5959 (2026-09-21): v1.66.0-eksbuild.1
 *   is "the version AWS currently marks defaultVersion for Kubernetes 1.36", and the PR's twelve
 *   1.36 clusters run v1.65.0-eksbuild.1.
 * - Not in the table, for want of a source readable here that states versions per minor and
 *   can be cited: metrics-server (any minor), and vpc-cni, kube-proxy, coredns and
 *   eks-pod-identity-agent on 1.36.
 *
 * Where the table has no row (an add-on above without a source, a minor without rows), the
 * cluster sets no addon_version: EKS installs its default for the minor, and a later
 * kubernetesVersion bump does not upgrade that add-on. Pin it with `addons[name].version`.
 *
 * A table row lists the versions known to be published for that minor, newest first; the first
 * is the one the cluster pins, and it never goes down from one minor to the next (EKS refuses to
 * downgrade an add-on, so a kubernetesVersion bump would fail at apply). A pinned version the row
 * doesn't list is refused (`allowUnlistedVersion` takes one published after the table). Update the
 * rows, sources and ADDON_VERSIONS_AS_OF together.
 */
export const ADDON_VERSIONS_AS_OF = "2026-12-07";

export interface PublishedAddonVersions {
  /** Versions published for the minor, newest first: the first is what the cluster pins by default. */
  readonly versions: readonly string[];
  /** Where the versions come from (the user guide page, package or pull request). */
  readonly source: string;
}

const KUBE_PROXY = "EKS user guide, managing-kube-proxy (kube-proxy versions)";
const COREDNS = "EKS user guide, managing-coredns (CoreDNS versions)";
const VPC_CNI = "EKS user guide, managing-vpc-cni (Amazon VPC CNI versions)";
const BLUEPRINTS = "EKS Blueprints for CDK 1.19.0 (npm @aws-quickstart/eks-blueprints), versionMap";
const EBS_1_36 = "mitodl/ol-infrastructure PR #5959 (2026-09-21), describe-addon-versions for 1.36";

export const EKS_ADDON_VERSIONS: Readonly<
  Record<string, Readonly<Partial<Record<KnownAddon, PublishedAddonVersions>>>>
> = {
  "1.32": {
    "kube-proxy": { versions: ["v1.32.13-eksbuild.5"], source: KUBE_PROXY },
    coredns: { versions: ["v1.11.4-eksbuild.33"], source: COREDNS },
    "vpc-cni": { versions: ["v1.20.1-eksbuild.3"], source: VPC_CNI },
    "aws-ebs-csi-driver": { versions: ["v1.56.0-eksbuild.1"], source: BLUEPRINTS },
    "eks-pod-identity-agent": { versions: ["v1.3.10-eksbuild.2"], source: BLUEPRINTS },
  },
  "1.33": {
    "kube-proxy": { versions: ["v1.33.10-eksbuild.2"], source: KUBE_PROXY },
    coredns: { versions: ["v1.13.2-eksbuild.4"], source: COREDNS },
    "vpc-cni": { versions: ["v1.20.1-eksbuild.3"], source: VPC_CNI },
    "aws-ebs-csi-driver": { versions: ["v1.56.0-eksbuild.1"], source: BLUEPRINTS },
    "eks-pod-identity-agent": { versions: ["v1.3.10-eksbuild.2"], source: BLUEPRINTS },
  },
  "1.34": {
    "kube-proxy": { versions: ["v1.34.6-eksbuild.2"], source: KUBE_PROXY },
    coredns: { versions: ["v1.13.2-eksbuild.7", "v1.13.2-eksbuild.4"], source: COREDNS },
    "vpc-cni": { versions: ["v1.20.4-eksbuild.2"], source: BLUEPRINTS },
    "aws-ebs-csi-driver": { versions: ["v1.56.0-eksbuild.1"], source: BLUEPRINTS },
    "eks-pod-identity-agent": { versions: ["v1.3.10-eksbuild.2"], source: BLUEPRINTS },
  },
  "1.35": {
    "kube-proxy": { versions: ["v1.35.3-eksbuild.2"], source: KUBE_PROXY },
    coredns: { versions: ["v1.14.2-eksbuild.4"], source: COREDNS },
    "vpc-cni": { versions: ["v1.21.1-eksbuild.1"], source: BLUEPRINTS },
    "aws-ebs-csi-driver": { versions: ["v1.57.1-eksbuild.1"], source: BLUEPRINTS },
    "eks-pod-identity-agent": { versions: ["v1.3.10-eksbuild.2"], source: BLUEPRINTS },
  },
  "1.36": {
    "aws-ebs-csi-driver": { versions: ["v1.66.0-eksbuild.1", "v1.65.0-eksbuild.1"], source: EBS_1_36 },
  },
};

/** The versions the table knows for this add-on on this minor (undefined: no row). */
export function publishedAddonVersions(
  kubernetesVersion: string,
  name: KnownAddon,
): PublishedAddonVersions | undefined {
  return EKS_ADDON_VERSIONS[kubernetesVersion]?.[name];
}

/** The minors the table has a row for, for this add-on. */
export function minorsWithAddonVersions(name: KnownAddon): string[] {
  return Object.keys(EKS_ADDON_VERSIONS).filter((minor) => EKS_ADDON_VERSIONS[minor][name] !== undefined);
}

/**
 * The add-on version a cluster of `kubernetesVersion` sets: the user's pin (checked against the
 * table's row) or the row's default; undefined where the table has no row and nothing is pinned.
 */
export function resolveAddonVersion(
  where: string,
  name: KnownAddon,
  kubernetesVersion: string,
  pinned: string | undefined,
  allowUnlistedVersion: boolean | undefined,
): string | undefined {
  if (isToken(kubernetesVersion)) return pinned;
  const row = publishedAddonVersions(kubernetesVersion, name);
  if (pinned === undefined) return row?.versions[0];
  if (isToken(pinned) || row === undefined || allowUnlistedVersion === true) return pinned;
  if (!row.versions.includes(pinned)) {
    fail(
      where,
      `addons["${name}"].version`,
      pinned,
      `is not a version published for Kubernetes ${kubernetesVersion} in the add-on table of ${ADDON_VERSIONS_AS_OF} (${row.versions.join(", ")}; ${row.source})`,
      `use one of those, or omit it for ${row.versions[0]}; if \`aws eks describe-addon-versions --addon-name ${name} --kubernetes-version ${kubernetesVersion}\` lists it, set allowUnlistedVersion: true`,
    );
  }
  return pinned;
}
