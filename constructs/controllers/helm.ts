import { Lazy } from "cdktf";
import { NodePlacement } from "../eks/types";
import { fail, isToken } from "../private/validation";

/** A chart pinned by exact version, with the application version it ships (for docs and tests). */
export interface HelmChartPin {
  /** Chart repository URL. */
  readonly repository: string;
  /** Chart name in the repository. */
  readonly chart: string;
  /** Exact chart version. */
  readonly version: string;
  /** The application version this chart version deploys. */
  readonly appVersion: string;
}

/** An exact SemVer 2 version: no ranges ("^1.2", "~1.2", "1.x", ">=1"), no "latest". */
const EXACT_SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/**
 * A chart version must be exact: a range makes `helm` pick whatever is newest on the day of
 * the deploy, so two deploys of the same commit could install different controllers.
 */
export function checkChartVersion(where: string, field: string, version: string): void {
  if (isToken(version)) return;
  if (!EXACT_SEMVER.test(version)) {
    fail(
      where,
      field,
      version,
      "is not an exact chart version",
      'pin one release as MAJOR.MINOR.PATCH, e.g. "1.14.1" (no ranges, no "v" prefix, no "latest")',
    );
  }
}

/** A toleration as Helm charts take it (the Kubernetes toleration shape). */
export interface HelmToleration {
  readonly key: string;
  readonly operator: string;
  readonly value?: string;
  readonly effect: string;
}

/** nodeSelector and tolerations values for a chart, from a placement (empty when undefined: run anywhere). */
export function placementValues(placement: NodePlacement | undefined): {
  nodeSelector: Record<string, string>;
  tolerations: HelmToleration[];
} {
  return {
    nodeSelector: { ...(placement?.nodeSelector ?? {}) },
    tolerations: (placement?.tolerations ?? []).map((t) => ({
      key: t.key,
      operator: t.operator ?? "Equal",
      ...(t.value !== undefined ? { value: t.value } : {}),
      effect: t.effect,
    })),
  };
}

/**
 * Helm values as one JSON document (JSON is YAML, so Helm reads it), produced at synth so
 * attributes read from the cluster then (its system node placement) don't depend on the
 * order the code was written in. Terraform references inside stay `${...}` interpolations.
 */
export function lazyValues(produce: () => object): string {
  return Lazy.stringValue({ produce: () => JSON.stringify(produce(), null, 2) });
}
