import { ResourceView } from "./resource-view";

/** What a finding does: errors fail synth, warnings print. */
export type Severity = "error" | "warning";

/** The ids of the same check in the tools platform teams already run. Empty: no peer has it. */
export interface PeerIds {
  /** checkov, e.g. CKV_AWS_58, CKV2_AWS_11, CKV_K8S_20. */
  readonly checkov?: string[];
  /** trivy (AVD ids), e.g. AVD-AWS-0039, KSV001. */
  readonly trivy?: string[];
  /** kube-score check names, e.g. pod-networkpolicy. */
  readonly kubeScore?: string[];
  /** Polaris check names, e.g. memoryLimitsMissing. */
  readonly polaris?: string[];
  /** Other references (AWS Config managed rules, Pod Security Standards) where no peer above has the check. */
  readonly other?: string[];
}

/**
 * Options of the policy engine: the places where the peer tools disagree, as typed
 * switches. Every default is the stricter common choice; see each rule's JSDoc.
 */
export interface PolicyOptions {
  /**
   * Require CPU limits on containers (K8S3). checkov (CKV_K8S_11), trivy (KSV011) and Polaris
   * (cpuLimitsMissing) want them; kube-score lets you ignore them and Kubernetes' own guidance
   * warns that CPU limits throttle latency-sensitive pods while requests already give each pod its
   * fair share. We don't require them.
   * @default false
   */
  readonly requireCpuLimits?: boolean;
  /**
   * Require images pinned by digest (K8S26). Only checkov (CKV_K8S_43) asks for it; kube-score and
   * Polaris accept any version tag. Off by default: public images pinned by tag can't be resolved
   * to digests offline; imageReference(url, { digest }) pins your own.
   * @default false
   */
  readonly requireImageDigests?: boolean;
  /**
   * Accept a public EKS API endpoint when it is allowlisted to named CIDRs (EKS2). checkov
   * (CKV_AWS_39) and trivy (AVD-AWS-0040) flag any public endpoint; the EKS best-practices
   * guide accepts an allowlist. By default it is a warning; true accepts it silently.
   * An endpoint open to 0.0.0.0/0 is always an error (EKS1).
   * @default false
   */
  readonly allowPublicEndpointWithAllowlist?: boolean;
  /**
   * Highest IMDS hop limit accepted on launch templates (LT2). checkov (CKV_AWS_341) wants 1, so
   * pods can't reach the node's credentials; AWS's EKS default is 2 so that pods needing IMDS
   * work. We default to 1; set 2 for clusters whose pods need IMDS.
   * @default 1
   */
  readonly maxImdsHopLimit?: number;
  /**
   * Accept `replicas` on a Deployment or StatefulSet that an HPA scales (K8S17). kube-score
   * (deployment-targeted-by-hpa-does-not-have-replicas-configured) says don't set it; Polaris
   * (deploymentMissingReplicas) wants it set. Terraform would reset the HPA's count on every
   * apply unless `spec[0].replicas` is in `ignore_changes`, which we accept.
   * @default false
   */
  readonly allowReplicasWithHpa?: boolean;
  /**
   * Minimum CloudWatch log retention in days (LOG1). checkov CKV_AWS_66 wants any retention,
   * CKV_AWS_338 at least 365 days. We require a retention (never "forever") and accept shorter
   * ones, for cost (dev keeps 30 days); set 365 to match CKV_AWS_338.
   * @default 1
   */
  readonly minLogRetentionDays?: number;
  /**
   * Rule ids to skip entirely, everywhere (prefer a suppression on one construct, with its reason).
   * @default []
   */
  readonly disabledRules?: string[];
}

/** Options with every default resolved. */
export type ResolvedPolicyOptions = Required<PolicyOptions>;

/** One violation a rule reports, before suppressions are applied. */
export interface Violation {
  readonly resource: ResourceView;
  /** What is wrong, naming the value. */
  readonly problem: string;
  /** What to change. */
  readonly fix: string;
  /** Severity when the rule's own depends on the value (e.g. a warning below an error threshold). */
  readonly severity?: Severity;
}

/** What rules get: every resource of the stack, indexed, and the options. */
export interface RuleContext {
  readonly resources: readonly ResourceView[];
  readonly options: ResolvedPolicyOptions;
  ofType(...types: string[]): ResourceView[];
  byAddress(address: string): ResourceView | undefined;
}

/** A policy rule. */
export interface PolicyRule {
  /** Stable id: AWS rules by service (EKS1, ECR2, IAM3...), Kubernetes rules K8S<n>. */
  readonly id: string;
  readonly severity: Severity;
  /** One line: what the rule wants. */
  readonly title: string;
  readonly peers: PeerIds;
  /** Reports every violation in the stack. */
  check(ctx: RuleContext): Violation[];
}

/** A finding: a violation with its rule, as reported and written to the plan report. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly title: string;
  readonly address: string;
  readonly path: string;
  readonly message: string;
}

/** A finding that a suppression silenced, with the suppression's reason. */
export interface SuppressedFinding extends Finding {
  readonly reason: string;
  /** Path of the construct the suppression was put on. */
  readonly suppressedAt: string;
}

/** The outcome of the checks for one stack. */
export interface StackPolicyResult {
  readonly stack: string;
  /** Region of the stack's AWS provider, when it has one with a literal region. */
  readonly region?: string;
  readonly resources: readonly ResourceView[];
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
}
