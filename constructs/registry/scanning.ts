import { EcrRegistryScanningConfigurationRule } from "@cdktf/provider-aws/lib/ecr-registry-scanning-configuration";
import { duplicatesOf, fail, isToken } from "../private/validation";

/**
 * - `ENHANCED`: Amazon Inspector scans OS and language packages, continuously or on push
 *   (Inspector must be enabled in the account; billed per image scanned).
 * - `BASIC`: ECR's own CVE scan of OS packages, on push only.
 */
export type ScanType = "ENHANCED" | "BASIC";

/**
 * - `CONTINUOUS_SCAN`: rescan when new CVEs are published (ENHANCED only).
 * - `SCAN_ON_PUSH`: scan each image once, when pushed.
 */
export type ScanFrequency = "CONTINUOUS_SCAN" | "SCAN_ON_PUSH";

export interface ScanningRule {
  readonly frequency: ScanFrequency;
  /**
   * Repository name wildcard filters (ECR `WILDCARD`), e.g. `["prod/*"]`; `*` matches any characters.
   * @default ["*"] - every repository
   */
  readonly repositoryFilters?: string[];
}

/** The registry-wide scanning configuration (aws_ecr_registry_scanning_configuration). */
export interface ScanningOptions {
  /**
   * @default "ENHANCED"
   */
  readonly type?: ScanType;
  /**
   * Which repositories are scanned how often. Repositories matching no rule are not scanned
   * at all (their own scan-on-push setting is ignored once this configuration exists).
   * At most one rule per frequency.
   * @default - ENHANCED: [{ frequency: "CONTINUOUS_SCAN", repositoryFilters: ["*"] }]; BASIC: [{ frequency: "SCAN_ON_PUSH", repositoryFilters: ["*"] }]
   */
  readonly rules?: ScanningRule[];
}

// ECR's wildcard filter grammar.
const WILDCARD_FILTER = /^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$/;

/** Validated scan type and rules, defaults filled in, ready for the Terraform resource. */
export function resolveScanning(
  where: string,
  options: ScanningOptions,
): { scanType: ScanType; rules: EcrRegistryScanningConfigurationRule[] } {
  const scanType = options.type ?? "ENHANCED";
  if (!["ENHANCED", "BASIC"].includes(scanType))
    fail(where, "scanning.type", scanType, "is not a scan type", 'use "ENHANCED" (Amazon Inspector) or "BASIC"');
  const rules = options.rules ?? [{ frequency: scanType === "ENHANCED" ? "CONTINUOUS_SCAN" : "SCAN_ON_PUSH" }];
  if (rules.length === 0) {
    fail(
      where,
      "scanning.rules",
      rules,
      "is empty, which would scan nothing",
      "give at least one rule, or leave rules unset to scan every repository",
    );
  }
  const frequencies = rules.map((r) => r.frequency);
  const dup = duplicatesOf(frequencies);
  if (dup.length)
    fail(
      where,
      "scanning.rules",
      frequencies,
      `have more than one ${dup.join(", ")} rule`,
      "ECR takes one rule per frequency: put all its repository filters in that one rule",
    );
  return {
    scanType,
    rules: rules.map((rule, i) => {
      const at = `scanning.rules[${i}]`;
      if (!["CONTINUOUS_SCAN", "SCAN_ON_PUSH"].includes(rule.frequency)) {
        fail(
          where,
          `${at}.frequency`,
          rule.frequency,
          "is not a scan frequency",
          'use "CONTINUOUS_SCAN" or "SCAN_ON_PUSH"',
        );
      }
      if (scanType === "BASIC" && rule.frequency === "CONTINUOUS_SCAN") {
        fail(
          where,
          `${at}.frequency`,
          rule.frequency,
          "needs enhanced scanning",
          'use type "ENHANCED", or frequency "SCAN_ON_PUSH"',
        );
      }
      const filters = rule.repositoryFilters ?? ["*"];
      if (filters.length === 0 || filters.length > 100) {
        fail(
          where,
          `${at}.repositoryFilters`,
          filters,
          "must hold 1 to 100 filters",
          'list repository name wildcards, e.g. ["*"] or ["prod/*"]',
        );
      }
      filters.forEach((f, j) => {
        if (!isToken(f) && (f.length > 256 || !WILDCARD_FILTER.test(f))) {
          fail(
            where,
            `${at}.repositoryFilters[${j}]`,
            f,
            "is not a repository wildcard filter",
            'use lowercase repository name characters and * (e.g. "prod/*"), up to 256 characters',
          );
        }
      });
      return {
        scanFrequency: rule.frequency,
        repositoryFilter: filters.map((filter) => ({ filter, filterType: "WILDCARD" })),
      };
    }),
  };
}
