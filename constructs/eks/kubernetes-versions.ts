/**
 * The Kubernetes minor versions Amazon EKS offers, with the dates their support ends: one
 * dated table, checked at synth. Update it with the EKS Kubernetes version calendar
 * (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html) when EKS releases or
 * retires a version, and move KUBERNETES_VERSIONS_AS_OF.
 *
 * Dates are ISO days (UTC). Standard support lasts 14 months after the EKS release, extended
 * support 12 more (billed per cluster-hour); after that EKS upgrades the cluster itself.
 */
export interface KubernetesVersionSupport {
  readonly version: string;
  /** When EKS released the version. */
  readonly released: string;
  /** Last day of standard support. */
  readonly endOfStandardSupport: string;
  /** Last day of extended support: after it EKS upgrades the cluster automatically. */
  readonly endOfExtendedSupport: string;
}

/** The day the table below was last checked against the EKS calendar. */
export const KUBERNETES_VERSIONS_AS_OF = "2026-11-26";

export const EKS_KUBERNETES_VERSIONS: readonly KubernetesVersionSupport[] = [
  { version: "1.29", released: "2024-01-23", endOfStandardSupport: "2025-03-23", endOfExtendedSupport: "2026-03-23" },
  { version: "1.30", released: "2024-05-23", endOfStandardSupport: "2025-07-23", endOfExtendedSupport: "2026-07-23" },
  { version: "1.31", released: "2024-09-26", endOfStandardSupport: "2025-11-26", endOfExtendedSupport: "2026-11-26" },
  { version: "1.32", released: "2025-01-23", endOfStandardSupport: "2026-03-23", endOfExtendedSupport: "2027-03-23" },
  { version: "1.33", released: "2025-05-29", endOfStandardSupport: "2026-07-29", endOfExtendedSupport: "2027-07-29" },
  { version: "1.34", released: "2025-10-02", endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" },
  { version: "1.35", released: "2026-01-27", endOfStandardSupport: "2027-03-27", endOfExtendedSupport: "2028-03-27" },
];

/** Where a version stands on `asOf` (by default the table's date, so synth output never depends on the clock). */
export type VersionStatus = "standard" | "extended" | "retired" | "newer-than-table";

function minor(version: string): number {
  return Number(version.split(".")[1]);
}

export function versionStatus(version: string, asOf = KUBERNETES_VERSIONS_AS_OF): VersionStatus {
  const entry = EKS_KUBERNETES_VERSIONS.find((v) => v.version === version);
  if (!entry) {
    const newest = EKS_KUBERNETES_VERSIONS[EKS_KUBERNETES_VERSIONS.length - 1];
    return minor(version) > minor(newest.version) ? "newer-than-table" : "retired";
  }
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
