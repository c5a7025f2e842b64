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
 * Sources, read on 2026-12-07 (the "latest version of the Amazon EKS add-on type for each
 * Kubernetes version" tables of the EKS user guide):
 * - kube-proxy: "Manage kube-proxy in Amazon EKS clusters", kube-proxy versions
 *   (eks/latest/userguide/managing-kube-proxy.md): 1.35 v1.35.3-eksbuild.2, 1.34
 *   v1.34.6-eksbuild.2, 1.33 v1.33.10-eksbuild.2, 1.32 v1.32.13-eksbuild.5.
 * - coredns: "Manage CoreDNS for DNS in Amazon EKS clusters", CoreDNS versions
 *   (eks/latest/userguide/managing-coredns.md): 1.35 v1.14.2-eksbuild.4, 1.34
 *   v1.13.2-eksbuild.7; an earlier copy of the same table: 1.33 v1.13.2-eksbuild.4, 1.32
 *   v1.11.4-eksbuild.33.
 * - vpc-cni: "Assign IPs to Pods with the Amazon VPC CNI", Amazon VPC CNI versions: 1.33 and
 *   1.32 v1.20.1-eksbuild.3. The copies readable here stop at 1.33.
 * - aws-ebs-csi-driver, eks-pod-identity-agent, metrics-server: the user guide publishes no
 *   per-minor table for them, and no `describe-addon-versions` output for the minors below
 *   was found in a readable source.
 * - Kubernetes 1.36: no add-on version published for it in a source readable here.
 *
 * Where the table has no row (an add-on above without a source, a minor without rows), the
 * cluster sets no addon_version: EKS installs its default for the minor, and a later
 * kubernetesVersion bump does not upgrade that add-on. Pin it with `addons[name].version`.
 *
 * A table row lists the versions known to be published for that minor; the first is the one
 * the cluster pins. A pinned version the row doesn't list is refused (`allowUnlistedVersion`
 * takes one published after the table). Update the rows, sources and ADDON_VERSIONS_AS_OF together.
 */
export const ADDON_VERSIONS_AS_OF = "2026-12-07";

export interface PublishedAddonVersions {
  /** Versions published for the minor, newest first: the first is what the cluster pins by default. */
  readonly versions: readonly string[];
  /** The user guide page the versions come from. */
  readonly source: string;
}

const KUBE_PROXY = "EKS user guide, managing-kube-proxy (kube-proxy versions)";
const COREDNS = "EKS user guide, managing-coredns (CoreDNS versions)";
const VPC_CNI = "EKS user guide, managing-vpc-cni (Amazon VPC CNI versions)";

export const EKS_ADDON_VERSIONS: Readonly<
  Record<string, Readonly<Partial<Record<KnownAddon, PublishedAddonVersions>>>>
> = {
  "1.32": {
    "kube-proxy": { versions: ["v1.32.13-eksbuild.5"], source: KUBE_PROXY },
    coredns: { versions: ["v1.11.4-eksbuild.33"], source: COREDNS },
    "vpc-cni": { versions: ["v1.20.1-eksbuild.3"], source: VPC_CNI },
  },
  "1.33": {
    "kube-proxy": { versions: ["v1.33.10-eksbuild.2"], source: KUBE_PROXY },
    coredns: { versions: ["v1.13.2-eksbuild.4"], source: COREDNS },
    "vpc-cni": { versions: ["v1.20.1-eksbuild.3"], source: VPC_CNI },
  },
  "1.34": {
    "kube-proxy": { versions: ["v1.34.6-eksbuild.2"], source: KUBE_PROXY },
    coredns: { versions: ["v1.13.2-eksbuild.7", "v1.13.2-eksbuild.4"], source: COREDNS },
  },
  "1.35": {
    "kube-proxy": { versions: ["v1.35.3-eksbuild.2"], source: KUBE_PROXY },
    coredns: { versions: ["v1.14.2-eksbuild.4"], source: COREDNS },
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
