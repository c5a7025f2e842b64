import {
  block,
  blocks,
  isFalse,
  isTrue,
  isUnknown,
  parsePolicy,
  referencedAddress,
  ResourceView,
} from "./resource-view";
import { PolicyRule, RuleContext, Violation } from "./types";

// AWS rules: they read the aws_* resources of @cdktf/provider-aws as synthesized, so they
// check hand-written resources as well as ours. Values that are Terraform expressions are
// unknown until apply and never produce a finding.

const WORLD = ["0.0.0.0/0", "::/0"];
const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

const v = (resource: ResourceView, problem: string, fix: string, severity?: "error" | "warning"): Violation => ({
  resource,
  problem,
  fix,
  severity,
});

/** Statements of a policy document (a single statement object counts as a list of one). */
function statements(doc: any): any[] {
  if (!doc || typeof doc !== "object") return [];
  const s = doc.Statement;
  return Array.isArray(s) ? s : s ? [s] : [];
}
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : x === undefined ? [] : [x]);

/** True when a statement's Principal is everyone ("*" or {"AWS": "*"}). */
function principalIsAnyone(principal: unknown): boolean {
  if (principal === "*") return true;
  if (principal && typeof principal === "object") return list((principal as any).AWS).includes("*");
  return false;
}

/**
 * EKS1 (error): the API endpoint is public and open to the whole internet: public access on
 * with no allowlist (the AWS default is 0.0.0.0/0) or an allowlist holding 0.0.0.0/0.
 */
const eksEndpointOpen: PolicyRule = {
  id: "EKS1",
  severity: "error",
  title: "EKS API endpoint not open to 0.0.0.0/0",
  peers: { checkov: ["CKV_AWS_38"], trivy: ["AVD-AWS-0041"] },
  check: (ctx) =>
    ctx.ofType("aws_eks_cluster").flatMap((r) => {
      const vpc = block(r.config.vpc_config) ?? {};
      const publicAccess = vpc.endpoint_public_access ?? true; // the EKS API default
      if (isUnknown(publicAccess) || isFalse(publicAccess)) return [];
      const cidrs = vpc.public_access_cidrs;
      if (isUnknown(cidrs)) return [];
      const open = cidrs === undefined || list(cidrs).some((c) => WORLD.includes(c as string));
      return open
        ? [
            v(
              r,
              `has a public API endpoint open to ${cidrs === undefined ? "every address (no public_access_cidrs)" : "0.0.0.0/0"}`,
              'use endpointAccess { mode: "private" }, or allowlist your egress CIDRs in publicCidrs',
            ),
          ]
        : [];
    }),
};

/**
 * EKS2 (warning): the API endpoint is public, even though allowlisted. checkov and trivy flag
 * every public endpoint; the EKS best-practices guide accepts an allowlist. Our choice: a
 * warning, silenced with `allowPublicEndpointWithAllowlist: true` or a suppression that says why.
 */
const eksEndpointPublic: PolicyRule = {
  id: "EKS2",
  severity: "warning",
  title: "EKS API endpoint private",
  peers: { checkov: ["CKV_AWS_39"], trivy: ["AVD-AWS-0040"] },
  check: (ctx) => {
    if (ctx.options.allowPublicEndpointWithAllowlist) return [];
    return ctx.ofType("aws_eks_cluster").flatMap((r) => {
      const vpc = block(r.config.vpc_config) ?? {};
      const publicAccess = vpc.endpoint_public_access ?? true;
      if (isUnknown(publicAccess) || isFalse(publicAccess)) return [];
      const cidrs = vpc.public_access_cidrs;
      if (cidrs === undefined || isUnknown(cidrs) || list(cidrs).some((c) => WORLD.includes(c as string))) return []; // EKS1's case
      return [
        v(
          r,
          `has a public API endpoint (allowlisted to ${JSON.stringify(cidrs)})`,
          'use endpointAccess { mode: "private" } and deploy from inside the VPC, or suppress EKS2 with the reason',
        ),
      ];
    });
  },
};

/** EKS3 (error): control-plane logging of all five log types. */
const eksLogging: PolicyRule = {
  id: "EKS3",
  severity: "error",
  title: "EKS control-plane logging of all log types",
  peers: { checkov: ["CKV_AWS_37"], trivy: ["AVD-AWS-0038"] },
  check: (ctx) =>
    ctx.ofType("aws_eks_cluster").flatMap((r) => {
      const types = r.config.enabled_cluster_log_types;
      if (isUnknown(types)) return [];
      const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !list(types).includes(t));
      return missing.length
        ? [
            v(
              r,
              `does not log ${missing.join(", ")}`,
              "keep the default clusterLogTypes (all five) so audits and incidents can be traced",
            ),
          ]
        : [];
    }),
};

/** EKS4 (error): Kubernetes Secrets envelope-encrypted with KMS. */
const eksSecretsEncryption: PolicyRule = {
  id: "EKS4",
  severity: "error",
  title: "EKS secrets encrypted with KMS",
  peers: { checkov: ["CKV_AWS_58"], trivy: ["AVD-AWS-0039"] },
  check: (ctx) =>
    ctx.ofType("aws_eks_cluster").flatMap((r) => {
      const enc = blocks(r.config.encryption_config);
      const ok = enc.some((e) => isUnknown(e.resources) || list(e.resources).includes("secrets"));
      return ok
        ? []
        : [
            v(
              r,
              "has no encryption_config for secrets",
              "keep EksCluster's default KMS key or pass secretsEncryptionKeyArn",
            ),
          ];
    }),
};

/** LT1 (error): launch templates require IMDSv2 tokens. */
const imdsV2: PolicyRule = {
  id: "LT1",
  severity: "error",
  title: "IMDSv2 required on launch templates",
  peers: { checkov: ["CKV_AWS_79"], trivy: ["AVD-AWS-0130"] },
  check: (ctx) =>
    ctx.ofType("aws_launch_template").flatMap((r) => {
      const tokens = block(r.config.metadata_options)?.http_tokens;
      if (isUnknown(tokens) || tokens === "required") return [];
      return [
        v(
          r,
          `allows IMDSv1 (metadata_options.http_tokens ${tokens === undefined ? "unset" : JSON.stringify(tokens)})`,
          'set metadata_options { http_tokens = "required" } (ManagedNodeGroup does by default)',
        ),
      ];
    }),
};

/**
 * LT2 (warning): IMDS hop limit no higher than `maxImdsHopLimit` (default 1): with 2, every pod
 * can read the node role's credentials. AWS's own EKS default is 2 for pods that need IMDS; a
 * cluster that chooses it sets `maxImdsHopLimit: 2`.
 */
const imdsHopLimit: PolicyRule = {
  id: "LT2",
  severity: "warning",
  title: "IMDS hop limit 1 on launch templates",
  peers: { checkov: ["CKV_AWS_341"] },
  check: (ctx) =>
    ctx.ofType("aws_launch_template").flatMap((r) => {
      const hop = block(r.config.metadata_options)?.http_put_response_hop_limit;
      if (hop === undefined || isUnknown(hop) || Number(hop) <= ctx.options.maxImdsHopLimit) return [];
      return [
        v(
          r,
          `has http_put_response_hop_limit ${hop}: pods can reach the node role's credentials`,
          `use 1 and give pods their own role (addServiceAccountRole), or set the engine option maxImdsHopLimit: ${hop}`,
        ),
      ];
    }),
};

/** Ingress rules of every security-group shape, with the resource that holds them. */
function ingressRules(
  ctx: RuleContext,
): { r: ResourceView; from: number; to: number; protocol: string; cidrs: unknown[] }[] {
  const out: { r: ResourceView; from: number; to: number; protocol: string; cidrs: unknown[] }[] = [];
  const range = (from: unknown, to: unknown, protocol: unknown) => {
    const p = String(protocol);
    return p === "-1" || p === "all"
      ? { from: 0, to: 65535, protocol: "-1" }
      : { from: Number(from), to: Number(to), protocol: p };
  };
  for (const r of ctx.ofType("aws_security_group")) {
    for (const i of blocks(r.config.ingress)) {
      out.push({
        r,
        ...range(i.from_port, i.to_port, i.protocol),
        cidrs: [...list(i.cidr_blocks), ...list(i.ipv6_cidr_blocks)],
      });
    }
  }
  for (const r of ctx.ofType("aws_security_group_rule")) {
    if (r.config.type !== "ingress") continue;
    const c = r.config;
    out.push({
      r,
      ...range(c.from_port, c.to_port, c.protocol),
      cidrs: [...list(c.cidr_blocks), ...list(c.ipv6_cidr_blocks)],
    });
  }
  for (const r of ctx.ofType("aws_vpc_security_group_ingress_rule")) {
    const c = r.config;
    out.push({
      r,
      ...range(c.from_port ?? 0, c.to_port ?? 65535, c.ip_protocol),
      cidrs: [c.cidr_ipv4, c.cidr_ipv6].filter(Boolean),
    });
  }
  return out;
}

/** SG1 (error): no SSH (22) or RDP (3389) from the internet. Includes node groups' remote_access without source SGs. */
const noAdminPortsFromWorld: PolicyRule = {
  id: "SG1",
  severity: "error",
  title: "No SSH or RDP open to the world",
  peers: { checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_100"], trivy: ["AVD-AWS-0107"] },
  check: (ctx) => {
    const out: Violation[] = [];
    for (const rule of ingressRules(ctx)) {
      if (isUnknown(rule.from) || isUnknown(rule.to) || !rule.cidrs.some((c) => WORLD.includes(c as string))) continue;
      const ports = [22, 3389].filter((p) => rule.from <= p && p <= rule.to);
      if (ports.length)
        out.push(
          v(
            rule.r,
            `opens port ${ports.join(" and ")} (${rule.from}-${rule.to}) to the internet`,
            "use SSM Session Manager instead of SSH/RDP, or restrict the source to a named CIDR",
          ),
        );
    }
    for (const r of ctx.ofType("aws_eks_node_group")) {
      const ra = block(r.config.remote_access);
      if (ra && !isUnknown(ra.source_security_group_ids) && list(ra.source_security_group_ids).length === 0)
        out.push(
          v(
            r,
            "has remote_access (SSH key) without source_security_group_ids: SSH is open to 0.0.0.0/0",
            "remove remote_access and use SSM, or give source_security_group_ids",
          ),
        );
    }
    return out;
  },
};

/** SG2 (warning): no other ingress from the internet (load balancers the controller creates carry their own groups). */
const noWorldIngress: PolicyRule = {
  id: "SG2",
  severity: "warning",
  title: "No ingress from 0.0.0.0/0",
  peers: { checkov: ["CKV_AWS_260", "CKV_AWS_277"], trivy: ["AVD-AWS-0107"] },
  check: (ctx) =>
    ingressRules(ctx)
      .filter((rule) => rule.cidrs.some((c) => WORLD.includes(c as string)))
      .filter((rule) => !(rule.from <= 22 && 22 <= rule.to) && !(rule.from <= 3389 && 3389 <= rule.to)) // SG1's
      .map((rule) =>
        v(
          rule.r,
          `allows ingress from the internet on ${rule.protocol === "-1" ? "every port" : `ports ${rule.from}-${rule.to}`}`,
          "restrict the source to the VPC CIDR or a named range, or suppress SG2 with the reason (public load balancer)",
        ),
      ),
};

/** Resources of `type` whose `attribute` references each VPC (by address). */
function referencedBy(ctx: RuleContext, type: string, attribute: string): Set<string> {
  return new Set(
    ctx
      .ofType(type)
      .map((r) => referencedAddress(r.config[attribute]))
      .filter((a): a is string => !!a),
  );
}

/** SG3 (error): each VPC's default security group has every rule removed. */
const defaultSgLocked: PolicyRule = {
  id: "SG3",
  severity: "error",
  title: "Default security group restricts all traffic",
  peers: { checkov: ["CKV2_AWS_12"], trivy: ["AVD-AWS-0173"] },
  check: (ctx) => {
    const out: Violation[] = [];
    const locked = new Set<string>();
    for (const r of ctx.ofType("aws_default_security_group")) {
      const rules = [...blocks(r.config.ingress), ...blocks(r.config.egress)];
      const vpc = referencedAddress(r.config.vpc_id);
      if (rules.length === 0) {
        if (vpc) locked.add(vpc);
      } else out.push(v(r, `keeps ${rules.length} rule(s)`, "set ingress = [] and egress = [] (Network does)"));
    }
    for (const vpc of ctx.ofType("aws_vpc")) {
      if (!locked.has(vpc.address))
        out.push(
          v(
            vpc,
            "has a default security group that still allows traffic between its members",
            "manage it with aws_default_security_group and no rules (Network does)",
          ),
        );
    }
    return out;
  },
};

/** VPC1 (error): every VPC has flow logs. */
const vpcFlowLogs: PolicyRule = {
  id: "VPC1",
  severity: "error",
  title: "VPC flow logs enabled",
  peers: { checkov: ["CKV2_AWS_11"], trivy: ["AVD-AWS-0178"] },
  check: (ctx) => {
    const logged = referencedBy(ctx, "aws_flow_log", "vpc_id");
    return ctx
      .ofType("aws_vpc")
      .filter((r) => !logged.has(r.address))
      .map((r) => v(r, "has no flow log", "keep Network's default flowLogs (or add an aws_flow_log for the VPC)"));
  },
};

/** ECR1 (error): scan on push, or registry-wide scanning configured in the same stack. */
const ecrScan: PolicyRule = {
  id: "ECR1",
  severity: "error",
  title: "ECR scan on push",
  peers: { checkov: ["CKV_AWS_163"], trivy: ["AVD-AWS-0030"] },
  check: (ctx) => {
    if (ctx.ofType("aws_ecr_registry_scanning_configuration").length) return []; // enhanced/basic registry-wide rules
    return ctx.ofType("aws_ecr_repository").flatMap((r) => {
      const scan = block(r.config.image_scanning_configuration)?.scan_on_push;
      return isTrue(scan) || isUnknown(scan)
        ? []
        : [
            v(
              r,
              "does not scan images on push",
              "keep scanOnPush (the default) or configure RegistrySettings scanning",
            ),
          ];
    });
  },
};

/** ECR2 (error): immutable tags. */
const ecrImmutable: PolicyRule = {
  id: "ECR2",
  severity: "error",
  title: "ECR tags immutable",
  peers: { checkov: ["CKV_AWS_51"], trivy: ["AVD-AWS-0031"] },
  check: (ctx) =>
    ctx.ofType("aws_ecr_repository").flatMap((r) => {
      const m = r.config.image_tag_mutability ?? "MUTABLE";
      return isUnknown(m) || String(m).startsWith("IMMUTABLE")
        ? []
        : [
            v(
              r,
              `has image_tag_mutability ${JSON.stringify(m)}`,
              'keep the default "IMMUTABLE" and push a new tag per build',
            ),
          ];
    }),
};

/** ECR3 (warning): a customer-managed KMS key. AES256 is ECR's default and ours: suppressed where chosen. */
const ecrKms: PolicyRule = {
  id: "ECR3",
  severity: "warning",
  title: "ECR encrypted with a KMS key",
  peers: { checkov: ["CKV_AWS_136"], trivy: ["AVD-AWS-0033"] },
  check: (ctx) =>
    ctx.ofType("aws_ecr_repository").flatMap((r) => {
      const enc = block(r.config.encryption_configuration);
      return enc?.encryption_type === "KMS" || isUnknown(enc?.encryption_type)
        ? []
        : [v(r, "is encrypted with AES256, not a KMS key", "pass kmsKeyArn, or suppress ECR3 with the reason")];
    }),
};

/** ECR4 (error): no repository policy that lets anyone (Principal "*") in without a condition. */
const ecrNotPublic: PolicyRule = {
  id: "ECR4",
  severity: "error",
  title: "ECR repository policy not public",
  peers: { checkov: ["CKV_AWS_32"], trivy: ["AVD-AWS-0032"] },
  check: (ctx) =>
    ctx.ofType("aws_ecr_repository_policy").flatMap((r) =>
      statements(parsePolicy(r.config.policy))
        .filter((s) => s.Effect === "Allow" && principalIsAnyone(s.Principal) && !s.Condition)
        .map(() =>
          v(
            r,
            'allows Principal "*" with no condition: anyone can pull',
            "name the principals or accounts (pullAccountIds)",
          ),
        ),
    ),
};

/** ECR5 (warning): a lifecycle policy per repository, so old images don't pile up (storage cost, scan noise). */
const ecrLifecycle: PolicyRule = {
  id: "ECR5",
  severity: "warning",
  title: "ECR lifecycle policy",
  peers: { other: ["AWS Config ecr-private-lifecycle-policy-configured", "Control Tower CT.ECR.PR.1"] },
  check: (ctx) => {
    const covered = referencedBy(ctx, "aws_ecr_lifecycle_policy", "repository");
    return ctx
      .ofType("aws_ecr_repository")
      .filter((r) => !covered.has(r.address))
      .map((r) => v(r, "has no lifecycle policy", "keep Repository's default lifecycleRules or give your own"));
  },
};

/** KMS1 (error): automatic rotation of symmetric customer keys. */
const kmsRotation: PolicyRule = {
  id: "KMS1",
  severity: "error",
  title: "KMS key rotation",
  peers: { checkov: ["CKV_AWS_7"], trivy: ["AVD-AWS-0065"] },
  check: (ctx) =>
    ctx.ofType("aws_kms_key").flatMap((r) => {
      const spec = r.config.customer_master_key_spec ?? "SYMMETRIC_DEFAULT";
      if (
        spec !== "SYMMETRIC_DEFAULT" ||
        isTrue(r.config.enable_key_rotation) ||
        isUnknown(r.config.enable_key_rotation)
      )
        return [];
      return [v(r, "does not rotate its key material", "set enable_key_rotation = true")];
    }),
};

/** LOG1 (error): log groups keep logs for a bounded time (at least `minLogRetentionDays`), never forever. */
const logRetention: PolicyRule = {
  id: "LOG1",
  severity: "error",
  title: "Log group retention set",
  peers: { checkov: ["CKV_AWS_66", "CKV_AWS_338"] },
  check: (ctx) =>
    ctx.ofType("aws_cloudwatch_log_group").flatMap((r) => {
      const days = r.config.retention_in_days;
      if (isUnknown(days)) return [];
      if (days === undefined || Number(days) === 0)
        return [
          v(r, "keeps logs forever (no retention_in_days)", "set a retention (retentionInDays / logRetentionInDays)"),
        ];
      if (Number(days) < ctx.options.minLogRetentionDays)
        return [
          v(
            r,
            `keeps logs ${days} days, below minLogRetentionDays ${ctx.options.minLogRetentionDays}`,
            `keep at least ${ctx.options.minLogRetentionDays} days`,
          ),
        ];
      return [];
    }),
};

/** LOG2 (warning): log groups encrypted with a customer KMS key (CloudWatch encrypts with AWS-owned keys otherwise). */
const logKms: PolicyRule = {
  id: "LOG2",
  severity: "warning",
  title: "Log group encrypted with KMS",
  peers: { checkov: ["CKV_AWS_158"], trivy: ["AVD-AWS-0017"] },
  check: (ctx) =>
    ctx
      .ofType("aws_cloudwatch_log_group")
      .filter((r) => r.config.kms_key_id === undefined)
      .map((r) =>
        v(
          r,
          "is not encrypted with a customer KMS key",
          "set kms_key_id (kmsKeyArn), or suppress LOG2 with the reason",
        ),
      ),
};

/** IAM1 (error): no role that anyone may assume (Principal "*" without a condition). */
const iamTrustNotPublic: PolicyRule = {
  id: "IAM1",
  severity: "error",
  title: "IAM role not assumable by anyone",
  peers: { checkov: ["CKV_AWS_60"] },
  check: (ctx) =>
    ctx.ofType("aws_iam_role").flatMap((r) =>
      statements(parsePolicy(r.config.assume_role_policy))
        .filter((s) => s.Effect === "Allow" && principalIsAnyone(s.Principal) && !s.Condition)
        .map(() =>
          v(
            r,
            'trusts Principal "*" with no condition: anyone can assume it',
            "name the service or role that assumes it",
          ),
        ),
    ),
};

/** IAM2 (error): no policy granting every action on every resource, and no AdministratorAccess attachment. */
const iamNoAdmin: PolicyRule = {
  id: "IAM2",
  severity: "error",
  title: 'No "*:*" IAM policies',
  peers: { checkov: ["CKV_AWS_62"], trivy: ["AVD-AWS-0057"] },
  check: (ctx) => {
    const out: Violation[] = [];
    for (const r of ctx.ofType(
      "aws_iam_role_policy",
      "aws_iam_policy",
      "aws_iam_user_policy",
      "aws_iam_group_policy",
    )) {
      for (const s of statements(parsePolicy(r.config.policy))) {
        const actions = list(s.Action);
        if (s.Effect === "Allow" && actions.some((a) => a === "*" || a === "*:*") && list(s.Resource).includes("*"))
          out.push(
            v(
              r,
              'allows Action "*" on Resource "*" (full admin)',
              "name the actions and resources the principal needs",
            ),
          );
      }
    }
    for (const r of ctx.ofType("aws_iam_role_policy_attachment", "aws_iam_policy_attachment")) {
      if (/:policy\/AdministratorAccess$/.test(String(r.config.policy_arn)))
        out.push(v(r, "attaches AdministratorAccess", "attach a policy scoped to what the role does"));
    }
    return out;
  },
};

/**
 * IAM3 (error): IRSA trust (sts:AssumeRoleWithWebIdentity from an OIDC provider) scoped to one
 * service account: a StringEquals condition on `<issuer>:sub` = `system:serviceaccount:<ns>:<name>`.
 * Without it any pod of the cluster (any service account) can assume the role. No peer has it.
 */
const irsaScoped: PolicyRule = {
  id: "IAM3",
  severity: "error",
  title: "IRSA trust scoped to one service account",
  peers: {},
  check: (ctx) =>
    ctx.ofType("aws_iam_role").flatMap((r) =>
      statements(parsePolicy(r.config.assume_role_policy))
        .filter((s) => s.Effect === "Allow" && list(s.Action).includes("sts:AssumeRoleWithWebIdentity"))
        .filter((s) => {
          const federated = String(s.Principal?.Federated ?? "");
          if (!/oidc|\$\{/.test(federated) || federated.includes("token.actions.githubusercontent.com")) return false;
          const eq = s.Condition?.StringEquals;
          if (typeof eq === "string") return !/:sub/.test(eq) || !/system:serviceaccount:[^*"]+:[^*"]+"/.test(eq); // computed keys (zipmap)
          const sub = eq && Object.entries(eq).find(([k]) => k.endsWith(":sub"))?.[1];
          return !(typeof sub === "string" && /^system:serviceaccount:[^*:]+:[^*:]+$/.test(sub));
        })
        .map(() =>
          v(
            r,
            "trusts web identities from the cluster's OIDC provider without a StringEquals condition on <issuer>:sub naming one service account",
            'condition StringEquals "<issuer>:sub" = "system:serviceaccount:<namespace>:<name>" (addServiceAccountRole does)',
          ),
        ),
    ),
};

export const AWS_RULES: readonly PolicyRule[] = [
  eksEndpointOpen,
  eksEndpointPublic,
  eksLogging,
  eksSecretsEncryption,
  imdsV2,
  imdsHopLimit,
  noAdminPortsFromWorld,
  noWorldIngress,
  defaultSgLocked,
  vpcFlowLogs,
  ecrScan,
  ecrImmutable,
  ecrKms,
  ecrNotPublic,
  ecrLifecycle,
  kmsRotation,
  logRetention,
  logKms,
  iamTrustNotPublic,
  iamNoAdmin,
  irsaScoped,
];
