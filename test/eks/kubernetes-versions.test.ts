/// <reference types="cdktf/lib/testing/adapters/jest" />
import { DEFAULT_KUBERNETES_VERSION, EksCluster, EksClusterOptions } from "../../constructs/eks/cluster";
import {
  EARLIEST_END_OF_STANDARD_SUPPORT,
  EKS_KUBERNETES_VERSIONS,
  KUBERNETES_VERSIONS_AS_OF,
  supportedVersions,
  versionStatus,
} from "../../constructs/eks/kubernetes-versions";
import { CLUSTER_AUTOSCALER_VERSIONS } from "../../constructs/controllers/cluster-autoscaler-versions";
import { EKS_ADDON_VERSIONS } from "../../constructs/eks/addon-versions";
import { testStack, warningsOf } from "../fixtures";
import { testCluster } from "./fixtures";

function cluster(options: Partial<EksClusterOptions> = {}): EksCluster {
  const stack = testStack();
  return testCluster(options, { stack }).cluster;
}

describe("EKS Kubernetes versions", () => {
  it("keeps one dated table, in order, each version 14 months of standard and 12 of extended support", () => {
    expect(KUBERNETES_VERSIONS_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const minors = EKS_KUBERNETES_VERSIONS.map((v) => Number(v.version.split(".")[1]));
    expect(minors).toEqual([...minors].sort((a, b) => a - b));
    for (const v of EKS_KUBERNETES_VERSIONS.filter((e) => e.released !== undefined)) {
      if (!v.released || !v.endOfStandardSupport || !v.endOfExtendedSupport)
        throw new Error(`${v.version}: partly dated`);
      expect(v.released < v.endOfStandardSupport && v.endOfStandardSupport < v.endOfExtendedSupport).toBe(true);
      const months = (a: string, b: string) =>
        (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
      expect(months(v.endOfStandardSupport, v.endOfExtendedSupport)).toBe(12);
    }
    // The default is a version in standard support.
    expect(versionStatus(DEFAULT_KUBERNETES_VERSION)).toBe("standard");
    expect(supportedVersions()).toEqual(["1.32", "1.33", "1.34", "1.35", "1.36"]);
    // An undated row counts as standard support only while that is certain: the table's date
    // must stay before the earliest day its standard support could end.
    for (const v of EKS_KUBERNETES_VERSIONS.filter((e) => e.released === undefined)) {
      expect(EARLIEST_END_OF_STANDARD_SUPPORT[v.version] > KUBERNETES_VERSIONS_AS_OF).toBe(true);
      expect(versionStatus(v.version)).toBe("standard");
    }
    // The status is read against the table's date, not the clock.
    expect(versionStatus("1.34", "2026-01-01")).toBe("standard");
    expect(versionStatus("1.31", "2026-01-01")).toBe("extended");
  });

  it("defaults to the newest minor EKS offers that the add-on table and the controllers' tables all cover", () => {
    const autoscaled = new Set(CLUSTER_AUTOSCALER_VERSIONS.map((row) => row.kubernetesVersion));
    const covered = supportedVersions().filter((v) => v in EKS_ADDON_VERSIONS && autoscaled.has(v));
    expect(DEFAULT_KUBERNETES_VERSION).toBe(covered[covered.length - 1]);
    expect(DEFAULT_KUBERNETES_VERSION).toBe("1.35");
  });

  it("throws when the version is retired or older than EKS offers", () => {
    expect(() => cluster({ kubernetesVersion: "1.30" })).toThrow(
      `EksCluster 'eks': kubernetesVersion "1.30" is no longer offered by EKS (extended support ended 2026-07-23); use one of 1.32, 1.33, 1.34, 1.35, 1.36 (EKS version table of 2026-12-07)`,
    );
    expect(() => cluster({ kubernetesVersion: "1.19" })).toThrow(
      `EksCluster 'eks': kubernetesVersion "1.19" is not a version EKS offers (it was retired before the oldest one in the version table); use one of 1.32, 1.33, 1.34, 1.35, 1.36`,
    );
  });

  it("warns when a version past standard support would be upgraded by EKS under STANDARD, but not with EXTENDED", () => {
    expect(warningsOf(cluster({ kubernetesVersion: "1.33" }))).toEqual([
      `EksCluster 'eks': kubernetesVersion "1.33" left standard support on 2026-07-29; with supportType "STANDARD" EKS upgrades the cluster to the next version on its own; upgrade to 1.36, or set supportType: "EXTENDED" (billed per cluster-hour) to stay`,
    ]);
    expect(warningsOf(cluster({ kubernetesVersion: "1.33", supportType: "EXTENDED" }))).toEqual([]);
    expect(warningsOf(cluster())).toEqual([]);
  });

  it("warns (not throws) for a version newer than the table", () => {
    expect(warningsOf(cluster({ kubernetesVersion: "1.37" }))).toEqual([
      expect.stringContaining(
        `kubernetesVersion "1.37" is newer than the EKS version table of 2026-12-07 (newest 1.36)`,
      ),
    ]);
  });

  it("throws when a support type or compute mode comes in the wrong case", () => {
    expect(() => cluster({ supportType: "extended" as "EXTENDED" })).toThrow(
      `EksCluster 'eks': supportType "extended" is not an EKS support type (values are case-sensitive); use "EXTENDED"`,
    );
    expect(() => cluster({ computeMode: "Auto" as "auto" })).toThrow(
      `EksCluster 'eks': computeMode "Auto" is not a compute mode (values are case-sensitive); use "auto"`,
    );
  });
});
