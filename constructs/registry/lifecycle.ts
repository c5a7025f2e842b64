import { checkInteger, duplicatesOf, fail, isToken } from "../private/validation";

/**
 * Which images an ECR lifecycle rule looks at:
 * - `tagged`: images with at least one tag matching `tagPrefixes` or `tagPatterns`.
 * - `untagged`: images without any tag (superseded pushes, build cache layers).
 * - `any`: every image. ECR requires such a rule to be evaluated last (highest priority number).
 */
export type LifecycleTagStatus = "tagged" | "untagged" | "any";

/**
 * One rule of a repository's lifecycle policy; maps 1:1 to an ECR lifecycle rule whose
 * action is always `expire`. Build them with {@link LifecycleRules} rather than by hand.
 *
 * Exactly one of `maxImageCount` (keep the newest N, expire the rest) and `maxImageAgeDays`
 * (expire images pushed more than N days ago) must be set.
 */
export interface LifecycleRule {
  /**
   * ECR `rulePriority`: lower numbers are evaluated first, and an image matched by a rule is
   * never expired by a later one. Unique positive integers within a policy.
   * @default - one more than the previous rule's priority (1 for the first rule)
   */
  readonly priority?: number;
  /**
   * Shown in the ECR console.
   * @default - no description (the LifecycleRules builders write one)
   */
  readonly description?: string;
  readonly tagStatus: LifecycleTagStatus;
  /**
   * `tagged` rules only: tag prefixes (ECR `tagPrefixList`). Note ECR's semantics: an image
   * is selected only if it has tags matching *all* listed prefixes. For "prefix A or prefix B",
   * write one rule per prefix.
   * @default - none (then `tagPatterns` is required for a tagged rule)
   */
  readonly tagPrefixes?: string[];
  /**
   * `tagged` rules only: tag wildcard patterns (ECR `tagPatternList`), e.g. `["release-*"]`;
   * at most four `*` per pattern, `["*"]` means any tag. Same all-must-match semantics as prefixes.
   * @default - none (then `tagPrefixes` is required for a tagged rule)
   */
  readonly tagPatterns?: string[];
  /**
   * Keep at most this many matching images (newest by push time), expire the rest
   * (ECR `countType: imageCountMoreThan`).
   * @default - unset; set this or maxImageAgeDays
   */
  readonly maxImageCount?: number;
  /**
   * Expire matching images pushed more than this many days ago
   * (ECR `countType: sinceImagePushed`, `countUnit: days`).
   * @default - unset; set this or maxImageCount
   */
  readonly maxImageAgeDays?: number;
}

/** Options common to every {@link LifecycleRules} builder. */
export interface LifecycleRuleOptions {
  /**
   * ECR `rulePriority` (lower runs first).
   * @default - one more than the previous rule's priority (1 for the first rule)
   */
  readonly priority?: number;
  /**
   * Rule description shown in the ECR console.
   * @default - a sentence generated from the rule
   */
  readonly description?: string;
}

/**
 * Typed builders for lifecycle rules, so a policy reads as what it does:
 * ```ts
 * lifecycleRules: [
 *   LifecycleRules.expireUntagged(7),
 *   LifecycleRules.keepLastTagged(20, ["release-"]),
 *   LifecycleRules.keepLast(200), // the total cap: must come last
 * ]
 * ```
 */
export class LifecycleRules {
  /** Expire untagged images `days` days after they were pushed. */
  public static expireUntagged(days: number, options: LifecycleRuleOptions = {}): LifecycleRule {
    return {
      tagStatus: "untagged",
      maxImageAgeDays: days,
      priority: options.priority,
      description: options.description ?? `Expire untagged images ${days} days after push`,
    };
  }

  /**
   * Keep the newest `count` images tagged with the given prefixes; expire older ones.
   * An image must match all listed prefixes (ECR semantics): use one rule per prefix for "any of".
   */
  public static keepLastTagged(
    count: number,
    tagPrefixes: string[],
    options: LifecycleRuleOptions = {},
  ): LifecycleRule {
    return {
      tagStatus: "tagged",
      tagPrefixes,
      maxImageCount: count,
      priority: options.priority,
      description:
        options.description ?? `Keep the last ${count} images tagged ${tagPrefixes.map((p) => `${p}*`).join(" + ")}`,
    };
  }

  /** Keep the newest `count` images with tags matching the wildcard patterns (e.g. `["*"]`: any tag). */
  public static keepLastMatching(
    count: number,
    tagPatterns: string[],
    options: LifecycleRuleOptions = {},
  ): LifecycleRule {
    return {
      tagStatus: "tagged",
      tagPatterns,
      maxImageCount: count,
      priority: options.priority,
      description:
        options.description ??
        (tagPatterns.length === 1 && tagPatterns[0] === "*"
          ? `Keep the last ${count} tagged images`
          : `Keep the last ${count} images tagged ${tagPatterns.join(" + ")}`),
    };
  }

  /**
   * The total cap: keep the newest `count` images whatever their tags, expire the rest.
   * ECR evaluates it last (it must have the highest priority number), so put it at the end.
   */
  public static keepLast(count: number, options: LifecycleRuleOptions = {}): LifecycleRule {
    return {
      tagStatus: "any",
      maxImageCount: count,
      priority: options.priority,
      description: options.description ?? `Keep the last ${count} images of any tag`,
    };
  }

  /** Expire tagged images matching the prefixes `days` days after push (e.g. short-lived `pr-` builds). */
  public static expireTaggedAfter(
    days: number,
    tagPrefixes: string[],
    options: LifecycleRuleOptions = {},
  ): LifecycleRule {
    return {
      tagStatus: "tagged",
      tagPrefixes,
      maxImageAgeDays: days,
      priority: options.priority,
      description:
        options.description ??
        `Expire images tagged ${tagPrefixes.map((p) => `${p}*`).join(" + ")} ${days} days after push`,
    };
  }
}

/**
 * The lifecycle every repository gets unless told otherwise: untagged images (superseded
 * pushes, orphaned layers) expire after 14 days, and only the newest 100 tagged images are kept,
 * so storage cost is bounded while recent rollbacks stay possible.
 */
export const DEFAULT_LIFECYCLE_RULES: readonly LifecycleRule[] = [
  LifecycleRules.expireUntagged(14),
  LifecycleRules.keepLastMatching(100, ["*"]),
];

/** ECR's lifecycle policy JSON, as AWS documents it. */
export interface LifecyclePolicyDocument {
  readonly rules: Array<{
    rulePriority: number;
    description?: string;
    selection: {
      tagStatus: LifecycleTagStatus;
      tagPrefixList?: string[];
      tagPatternList?: string[];
      countType: "imageCountMoreThan" | "sinceImagePushed";
      countUnit?: "days";
      countNumber: number;
    };
    action: { type: "expire" };
  }>;
}

const MAX_COUNT = 2_147_483_647;
const TAG_STATUSES: readonly LifecycleTagStatus[] = ["tagged", "untagged", "any"];
// Characters a Docker tag may hold; patterns add `*`.
const TAG_PREFIX = /^[A-Za-z0-9_.-]{1,128}$/;
const TAG_PATTERN = /^[A-Za-z0-9_.*-]{1,128}$/;

/**
 * Validates rules, assigns missing priorities in list order, and returns the rules with
 * priorities filled in. `field` names the prop in error messages (e.g. "lifecycleRules").
 */
export function resolveLifecycleRules(where: string, field: string, rules: readonly LifecycleRule[]): LifecycleRule[] {
  const resolved: LifecycleRule[] = [];
  let previous = 0;
  rules.forEach((rule, i) => {
    const at = `${field}[${i}]`;
    if (!TAG_STATUSES.includes(rule.tagStatus)) {
      fail(where, `${at}.tagStatus`, rule.tagStatus, "is not an ECR tag status", 'use "tagged", "untagged" or "any"');
    }
    const priority = rule.priority ?? previous + 1;
    if (!isToken(priority) && (!Number.isInteger(priority) || priority < 1)) {
      fail(
        where,
        `${at}.priority`,
        priority,
        "is not a positive integer",
        "use a whole number from 1 up, unique within the policy",
      );
    }
    previous = priority;
    checkSelection(where, at, rule);
    resolved.push({ ...rule, priority });
  });

  const priorities = resolved.map((r) => r.priority as number);
  const dups = duplicatesOf(priorities);
  if (dups.length) {
    fail(
      where,
      `${field} priorities`,
      priorities,
      `repeat ${dups.join(", ")}`,
      "give every rule a unique priority (rules without one get the previous rule's priority + 1)",
    );
  }
  const anyRules = resolved.filter((r) => r.tagStatus === "any");
  if (anyRules.length > 1) {
    fail(
      where,
      field,
      anyRules.map((r) => r.priority),
      'holds more than one tagStatus "any" rule',
      'keep a single "any" rule (the total cap); ECR evaluates it last',
    );
  }
  if (anyRules.length === 1) {
    const highest = Math.max(...priorities);
    if (anyRules[0].priority !== highest) {
      fail(
        where,
        `${field}[${resolved.indexOf(anyRules[0])}].priority`,
        anyRules[0].priority,
        `is not the highest priority (${highest}), but ECR requires the tagStatus "any" rule to be evaluated last`,
        "move it to the end of the list or give it the highest priority number",
      );
    }
  }
  return resolved;
}

function checkSelection(where: string, at: string, rule: LifecycleRule): void {
  const byCount = rule.maxImageCount !== undefined;
  const byAge = rule.maxImageAgeDays !== undefined;
  if (byCount === byAge) {
    fail(
      where,
      at,
      { maxImageCount: rule.maxImageCount, maxImageAgeDays: rule.maxImageAgeDays },
      "must set exactly one of maxImageCount and maxImageAgeDays",
      "keep the newest N images (maxImageCount) or expire after N days (maxImageAgeDays)",
    );
  }
  if (byCount) checkInteger(where, `${at}.maxImageCount`, rule.maxImageCount, 1, MAX_COUNT);
  if (byAge) checkInteger(where, `${at}.maxImageAgeDays`, rule.maxImageAgeDays, 1, MAX_COUNT);

  const prefixes = rule.tagPrefixes;
  const patterns = rule.tagPatterns;
  if (rule.tagStatus !== "tagged") {
    if (prefixes !== undefined || patterns !== undefined) {
      fail(
        where,
        `${at}.${prefixes !== undefined ? "tagPrefixes" : "tagPatterns"}`,
        prefixes ?? patterns,
        `is only allowed on tagged rules, not tagStatus "${rule.tagStatus}"`,
        'remove it, or use tagStatus "tagged"',
      );
    }
    return;
  }
  if (prefixes !== undefined && patterns !== undefined) {
    fail(
      where,
      at,
      { tagPrefixes: prefixes, tagPatterns: patterns },
      "sets both tagPrefixes and tagPatterns",
      "ECR takes one or the other per rule: split it into two rules",
    );
  }
  if (prefixes === undefined && patterns === undefined) {
    fail(
      where,
      `${at}.tagPrefixes`,
      prefixes,
      "is missing, but a tagged rule must select tags",
      'give tagPrefixes (e.g. ["release-"]) or tagPatterns (e.g. ["*"] for any tag)',
    );
  }
  if (prefixes !== undefined) {
    if (prefixes.length === 0)
      fail(
        where,
        `${at}.tagPrefixes`,
        prefixes,
        "is empty",
        'list at least one prefix, e.g. ["release-"], or use tagPatterns ["*"] for any tag',
      );
    prefixes.forEach((p, j) => {
      if (!isToken(p) && !TAG_PREFIX.test(p)) {
        fail(
          where,
          `${at}.tagPrefixes[${j}]`,
          p,
          "is not a tag prefix",
          "use 1 to 128 characters: letters, digits, _ . - (use tagPatterns for wildcards)",
        );
      }
    });
  }
  if (patterns !== undefined) {
    if (patterns.length === 0)
      fail(where, `${at}.tagPatterns`, patterns, "is empty", 'list at least one pattern, e.g. ["release-*"]');
    patterns.forEach((p, j) => {
      if (isToken(p)) return;
      if (!TAG_PATTERN.test(p) || (p.match(/\*/g) ?? []).length > 4) {
        fail(
          where,
          `${at}.tagPatterns[${j}]`,
          p,
          "is not a tag pattern",
          "use 1 to 128 characters: letters, digits, _ . - and at most four * wildcards",
        );
      }
    });
  }
}

/** Renders resolved rules (priorities filled in) to ECR's lifecycle policy JSON document. */
export function lifecyclePolicyDocument(rules: readonly LifecycleRule[]): LifecyclePolicyDocument {
  return {
    rules: rules.map((r) => ({
      rulePriority: r.priority as number,
      ...(r.description !== undefined ? { description: r.description } : {}),
      selection: {
        tagStatus: r.tagStatus,
        ...(r.tagPrefixes ? { tagPrefixList: [...r.tagPrefixes] } : {}),
        ...(r.tagPatterns ? { tagPatternList: [...r.tagPatterns] } : {}),
        ...(r.maxImageCount !== undefined
          ? { countType: "imageCountMoreThan" as const, countNumber: r.maxImageCount }
          : {
              countType: "sinceImagePushed" as const,
              countUnit: "days" as const,
              countNumber: r.maxImageAgeDays as number,
            }),
      },
      action: { type: "expire" as const },
    })),
  };
}
