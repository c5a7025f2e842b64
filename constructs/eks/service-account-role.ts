import { Fn, ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { useProvider } from "../private/provider";
import { checkPolicyArn, describe, duplicatesOf, fail, isToken, show } from "../private/validation";
import { warnAtSynth } from "../private/context";
import { checkNamespaceName, checkServiceAccountName } from "../private/kubernetes-names";
import { FargateProfile, fargateProfilesOf, selectorMatchesNamespace } from "./fargate-profile";
import { roleNamePrefix } from "./node-role";
import { IEksCluster } from "./types";

/**
 * How pods of a service account obtain the role's credentials:
 * - `pod-identity`: EKS Pod Identity (an aws_eks_pod_identity_association; needs the
 *   eks-pod-identity-agent add-on, which the cluster installs by default). No OIDC
 *   trust per cluster in the role, so the same role can serve several clusters.
 *   The agent is a DaemonSet, so pods on Fargate (which runs none) can't use it.
 * - `irsa`: IAM Roles for Service Accounts (web identity through the cluster's OIDC
 *   provider). For SDKs or add-ons that don't support Pod Identity yet.
 */
export type ServiceAccountRoleMechanism = "pod-identity" | "irsa";

export const SERVICE_ACCOUNT_ROLE_MECHANISMS: readonly ServiceAccountRoleMechanism[] = ["pod-identity", "irsa"];

/** One IAM policy statement, typed so a wildcard action can be caught at synth time. */
export interface PolicyStatement {
  /** IAM actions as "service:Action", e.g. "s3:GetObject". "*" is refused: name the actions. */
  readonly actions: string[];
  /** Resource ARNs (wildcards within an ARN are allowed, e.g. "arn:aws:s3:::bucket/*"). */
  readonly resources: string[];
  /** @default "Allow" */
  readonly effect?: "Allow" | "Deny";
}

/** A condition block of an IAM statement: operator -> condition key -> value(s). */
export type PolicyCondition = Record<string, Record<string, string | string[]>>;

/** One statement of a full IAM policy document, in IAM's own JSON shape. */
export interface PolicyDocumentStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  /** "service:Action" or a list of them. "*" is refused: name the actions. */
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: PolicyCondition;
}

/**
 * A full IAM policy document, for permissions that `policyStatements` can't express
 * (conditions, Sids), e.g. a controller's published policy reproduced as it is.
 */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: PolicyDocumentStatement[];
}

/** IAM's limit on the inline policies of one role, counted without whitespace. */
export const INLINE_POLICY_MAX_CHARS = 10240;

export interface ServiceAccountRoleOptions {
  /** Kubernetes namespace of the service account. */
  readonly namespace: string;
  /** Kubernetes service account name. */
  readonly serviceAccount: string;
  /**
   * How the pods get credentials. "pod-identity" is refused when the cluster doesn't run
   * the Pod Identity agent (eks-pod-identity-agent add-on disabled); synth warns when a
   * Fargate profile selects the namespace, since Fargate pods can't use Pod Identity.
   * @default "pod-identity" when the cluster runs the Pod Identity agent
   *   (`cluster.podIdentityAvailable`) and has EC2 compute or none yet; "irsa" when the
   *   agent is disabled or every compute registered so far is Fargate
   */
  readonly mechanism?: ServiceAccountRoleMechanism;
  /**
   * Permissions as inline policy statements.
   * @default - none
   */
  readonly policyStatements?: PolicyStatement[];
  /**
   * Permissions as a full IAM policy document (conditions allowed), e.g. a controller's
   * published policy. Give either this or `policyStatements`, not both.
   * @default - none
   */
  readonly policyDocument?: PolicyDocument;
  /**
   * Managed policies to attach (AWS managed or your own).
   * @default - none
   */
  readonly managedPolicyArns?: string[];
  /**
   * Create the aws_eks_pod_identity_association (pod-identity only). Set false when
   * something else creates it, e.g. an EKS add-on's pod_identity_association block.
   * @default true
   */
  readonly createPodIdentityAssociation?: boolean;
  /**
   * Permissions boundary, when the account requires one on every role.
   * @default - the cluster's permissionsBoundaryArn
   */
  readonly permissionsBoundaryArn?: string;
  /**
   * Tags for the role and association.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

export interface ServiceAccountRoleProps extends ServiceAccountRoleOptions {
  readonly cluster: IEksCluster;
}

/**
 * IAM actions: "<service prefix>:<action>", wildcards * and ? allowed in the action part (IAM
 * JSON policy elements: Action, "You can use wildcards (* or ?)").
 */
const ACTION = /^[a-zA-Z0-9-]+:[A-Za-z0-9*?]+$/;

/**
 * IAM resources: "*" or an ARN, arn:<partition>:<service>:<region>:<account>:<resource> (region
 * and account may be empty, as for S3 buckets and IAM; the resource part may hold ':' and '/',
 * and wildcards * and ? may appear in any segment). Grammar from the IAM User Guide, "IAM JSON
 * policy elements: Resource" and "Amazon Resource Names (ARNs)".
 */
const RESOURCE_ARN = /^arn:[a-z*?][a-z0-9*?-]*:[a-z0-9*?-]+:[a-z0-9*?-]*:[0-9a-z*?-]*:.+$/;

/**
 * An IAM role for one Kubernetes service account, through EKS Pod Identity (default)
 * or IRSA. The trust policy names exactly that namespace/service account, so no other
 * pod in the cluster can assume it.
 */
export class ServiceAccountRole extends Construct {
  public readonly roleArn: string;
  public readonly roleName: string;
  public readonly namespace: string;
  public readonly serviceAccount: string;
  public readonly mechanism: ServiceAccountRoleMechanism;
  /** The aws_iam_role resource. */
  public readonly role: IamRole;
  /** The Pod Identity association, when this construct created one. */
  public readonly podIdentityAssociation?: EksPodIdentityAssociation;
  /**
   * The inline policy and managed policy attachments. Whatever uses the role should
   * depend on these, not only on roleArn, so it never starts with a role that has no
   * permissions yet (and loses them only after it is gone).
   */
  public readonly policies: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: ServiceAccountRoleProps) {
    super(scope, id);
    const where = describe("ServiceAccountRole", id);
    checkNamespaceName(where, "namespace", props.namespace);
    checkServiceAccountName(where, "serviceAccount", props.serviceAccount);
    const cluster = props.cluster;
    useProvider(this, cluster.provider);
    // Fargate only (so far): profiles registered and no EC2 node role (node groups and
    // Auto Mode both register one), so no node would run the Pod Identity agent.
    const fargateOnly = fargateProfilesOf(cluster).length > 0 && cluster.nodeRoleArns.length === 0;
    this.mechanism = props.mechanism ?? (cluster.podIdentityAvailable && !fargateOnly ? "pod-identity" : "irsa");
    if (!SERVICE_ACCOUNT_ROLE_MECHANISMS.includes(this.mechanism)) {
      fail(
        where,
        "mechanism",
        this.mechanism,
        "is not a way to give pods a role",
        `use one of ${SERVICE_ACCOUNT_ROLE_MECHANISMS.join(", ")}`,
      );
    }
    if (this.mechanism === "pod-identity" && !cluster.podIdentityAvailable) {
      // An adopted cluster has no add-on settings here: name the attribute it does have.
      fail(
        where,
        "mechanism",
        this.mechanism,
        cluster.adopted
          ? `needs the EKS Pod Identity agent, but adopted cluster "${cluster.name}" doesn't declare it (podIdentityAvailable is false, its default), so the pods would get no credentials`
          : `needs the EKS Pod Identity agent, but cluster "${cluster.name}" doesn't run it (its eks-pod-identity-agent add-on is disabled), so the pods would get no credentials`,
        cluster.adopted
          ? 'use mechanism "irsa" (or leave mechanism out), or set podIdentityAvailable: true in fromClusterAttributes once the cluster runs the eks-pod-identity-agent add-on'
          : 'use mechanism "irsa" (or leave mechanism out), or enable the eks-pod-identity-agent add-on',
      );
    }
    checkPolicyArn(where, "permissionsBoundaryArn", props.permissionsBoundaryArn);
    const statements = props.policyStatements ?? [];
    statements.forEach((s, i) => checkStatement(where, `policyStatements[${i}]`, s));
    if (props.policyDocument !== undefined && statements.length > 0) {
      fail(
        where,
        "policyDocument",
        `${props.policyDocument.Statement?.length ?? 0} statements`,
        "is given together with policyStatements",
        "give the permissions one way: move the policyStatements into policyDocument.Statement, or drop policyDocument",
      );
    }
    if (props.policyDocument !== undefined) checkPolicyDocument(where, "policyDocument", props.policyDocument);
    const managedPolicyArns = props.managedPolicyArns ?? [];
    for (const arn of managedPolicyArns) {
      if (!isToken(arn) && !/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/.+$/.test(arn)) {
        fail(
          where,
          "managedPolicyArns entry",
          arn,
          "is not an IAM policy ARN",
          "use arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<name>",
        );
      }
    }
    const dupPolicies = duplicatesOf(managedPolicyArns.filter((a) => !isToken(a)));
    if (dupPolicies.length > 0)
      fail(where, "managedPolicyArns", dupPolicies, "are listed more than once", "list each policy once");
    const createAssociation = props.createPodIdentityAssociation ?? true;
    this.namespace = props.namespace;
    this.serviceAccount = props.serviceAccount;

    this.role = new IamRole(this, "role", {
      namePrefix: roleNamePrefix(cluster.name, props.serviceAccount),
      description: `Service account ${props.namespace}/${props.serviceAccount} of EKS cluster ${cluster.name} (${this.mechanism})`,
      assumeRolePolicy:
        this.mechanism === "irsa"
          ? irsaTrustPolicy(cluster, props.namespace, props.serviceAccount)
          : podIdentityTrustPolicy(cluster, props.namespace, props.serviceAccount),
      permissionsBoundary: props.permissionsBoundaryArn ?? cluster.permissionsBoundaryArn,
      tags: props.tags,
    });
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;

    const document: PolicyDocument | undefined =
      props.policyDocument ??
      (statements.length > 0
        ? {
            Version: "2012-10-17",
            Statement: statements.map((s) => ({
              Effect: s.effect ?? "Allow",
              Action: s.actions,
              Resource: s.resources,
            })),
          }
        : undefined);
    if (document !== undefined) {
      const policy = new IamRolePolicy(this, "policy", {
        role: this.role.id,
        name: "permissions",
        policy: policyJson(document),
      });
      this.policies.push(policy);
    }
    managedPolicyArns.forEach((policyArn, i) => {
      this.policies.push(
        new IamRolePolicyAttachment(
          this,
          isToken(policyArn) ? `managed-policy-${i}` : policyArn.split(":policy/")[1].replace(/\//g, "-"),
          {
            role: this.role.name,
            policyArn,
          },
        ),
      );
    });

    if (this.mechanism === "pod-identity" && createAssociation) {
      this.podIdentityAssociation = new EksPodIdentityAssociation(this, "pod-identity", {
        clusterName: cluster.clusterName,
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
        roleArn: this.role.arn,
        tags: props.tags,
      });
    }

    // Fargate profiles may be added after this role, so the check runs at synth.
    if (this.mechanism === "pod-identity") {
      warnAtSynth(this, where, () => {
        const match = fargateMatch(cluster, this.namespace);
        return match
          ? [
              `mechanism "pod-identity" for ${this.namespace}/${this.serviceAccount}, but ${match} selects namespace ${show(this.namespace)}: ` +
                'pods there run on Fargate, which runs no DaemonSets and so no Pod Identity agent, and would get no credentials; use mechanism "irsa"',
            ]
          : [];
      });
    }
  }
}

/**
 * Describes the first Fargate profile selector of the cluster matching the namespace, or
 * undefined. The CoreDNS selector (kube-system, k8s-app=kube-dns) is skipped: only
 * CoreDNS pods carry that label, and they use no IAM role.
 */
function fargateMatch(cluster: IEksCluster, namespace: string): string | undefined {
  const coredns = JSON.stringify(FargateProfile.corednsSelector());
  for (const profile of fargateProfilesOf(cluster)) {
    for (const selector of profile.selectors) {
      if (JSON.stringify({ namespace: selector.namespace, labels: selector.labels }) === coredns) continue;
      if (!selectorMatchesNamespace(selector, namespace)) continue;
      const labels =
        selector.labels && Object.keys(selector.labels).length > 0 ? ` (pods labelled ${show(selector.labels)})` : "";
      return `FargateProfile '${profile.node.id}' (selector ${show(selector.namespace)}${labels})`;
    }
  }
  return undefined;
}

/**
 * EKS Pod Identity: the EKS Auth service assumes the role on the pod's behalf and tags the session
 * with the cluster, namespace and service account it serves (session tags are on unless an
 * association sets disableSessionTags, which ours never do). The trust policy requires all three,
 * as the EKS user guide's hardening example does ("Create IAM role with trust policy required by EKS
 * Pod Identity" and "List of session tags added by EKS Pod Identity", read 2026-12-07): no other
 * cluster, namespace or service account can use the role, even with an association pointing at it.
 *
 * Not aws:SourceArn/aws:SourceAccount: the guide documents neither for this principal, and the
 * source a service reports is its own resource (an association ARN, not the cluster's), so an
 * ArnEquals on the cluster ARN would refuse every assume and leave pods without credentials.
 * The cluster ARN comes from the cluster (a literal or its resource's attribute): no AWS API call
 * at plan time.
 */
function podIdentityTrustPolicy(cluster: IEksCluster, namespace: string, serviceAccount: string): string {
  return policyJson({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:RequestTag/eks-cluster-arn": cluster.clusterArn,
            "aws:RequestTag/kubernetes-namespace": namespace,
            "aws:RequestTag/kubernetes-service-account": serviceAccount,
          },
        },
      },
    ],
  });
}

/**
 * IRSA: web identity through the cluster's OIDC provider, only for tokens whose subject is
 * this exact service account and whose audience is STS. The condition keys contain the
 * issuer host, known only at apply time; zipmap builds the map with computed keys
 * (an object literal can't have a Terraform reference as a key).
 */
function irsaTrustPolicy(cluster: IEksCluster, namespace: string, serviceAccount: string): string {
  const issuerHost = Fn.replace(cluster.oidcIssuerUrl, "https://", "");
  return Fn.jsonencode({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: cluster.oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: Fn.zipmap(
            [Fn.join("", [issuerHost, ":sub"]), Fn.join("", [issuerHost, ":aud"])],
            [`system:serviceaccount:${namespace}:${serviceAccount}`, "sts.amazonaws.com"],
          ) as unknown,
        },
      },
    ],
  });
}

/**
 * Checks inline statements where the user wrote them (e.g. a workload's awsAccess), so the
 * message names that construct and field rather than the role built from them.
 */
export function checkPolicyStatements(where: string, field: string, statements: PolicyStatement[]): void {
  statements.forEach((s, i) => checkStatement(where, `${field}[${i}]`, s));
}

function checkStatement(
  where: string,
  field: string,
  s: PolicyStatement,
  names: { Action: string; Resource: string; Effect: string } = {
    Action: "actions",
    Resource: "resources",
    Effect: "effect",
  },
): void {
  if (!s.actions || s.actions.length === 0)
    fail(where, `${field}.${names.Action}`, s.actions ?? [], "is empty", 'list the IAM actions, e.g. ["s3:GetObject"]');
  for (const action of s.actions) {
    if (isToken(action)) continue;
    if (action === "*" || action === "*:*") {
      fail(
        where,
        `${field}.${names.Action} entry`,
        action,
        "grants every action in every AWS service",
        'name the actions the workload needs, e.g. "s3:GetObject" (service wildcards like "s3:Get*" are allowed)',
      );
    }
    if (!ACTION.test(action))
      fail(
        where,
        `${field}.${names.Action} entry`,
        action,
        "is not an IAM action",
        'use "service:Action", e.g. "s3:GetObject"',
      );
  }
  if (!s.resources || s.resources.length === 0) {
    fail(
      where,
      `${field}.${names.Resource}`,
      s.resources ?? [],
      "is empty",
      'list the resource ARNs, e.g. ["arn:aws:s3:::my-bucket/*"]',
    );
  }
  for (const resource of s.resources) {
    if (isToken(resource) || resource === "*" || RESOURCE_ARN.test(resource)) continue;
    const s3 = /^s3:\/\/(.+)$/.exec(resource);
    fail(
      where,
      `${field}.${names.Resource} entry`,
      resource,
      'is not an ARN or "*" (IAM matches resources by ARN only)',
      s3
        ? `use the bucket's ARN: "arn:aws:s3:::${s3[1]}"`
        : 'use arn:<partition>:<service>:<region>:<account>:<resource>, e.g. "arn:aws:s3:::my-bucket/*" or "arn:aws:sqs:eu-west-1:123456789012:orders", or "*"',
    );
  }
  const allow = (s.effect ?? "Allow") === "Allow";
  const everyResource = s.resources.some((r) => !isToken(r) && r === "*");
  const wholeService = s.actions.find((a) => !isToken(a) && /^[a-z0-9-]+:\*$/.test(a));
  if (allow && everyResource && wholeService !== undefined) {
    fail(
      where,
      `${field}.actions entry`,
      wholeService,
      'together with resources ["*"] grants every action of the service on every resource in the account',
      `name the actions (e.g. "${wholeService.split(":")[0]}:Get*") or the resource ARNs the workload needs`,
    );
  }
  if (s.effect !== undefined && s.effect !== "Allow" && s.effect !== "Deny") {
    fail(where, `${field}.${names.Effect}`, s.effect, "is not a statement effect", 'use "Allow" or "Deny"');
  }
}

const CONDITION_OPERATOR = /^(ForAllValues:|ForAnyValue:)?[A-Za-z]+$/;

function checkPolicyDocument(where: string, field: string, doc: PolicyDocument): void {
  if (doc.Version !== "2012-10-17") {
    fail(where, `${field}.Version`, doc.Version, "is not the current IAM policy language version", 'use "2012-10-17"');
  }
  if (!Array.isArray(doc.Statement) || doc.Statement.length === 0) {
    fail(where, `${field}.Statement`, doc.Statement ?? [], "is empty", "list at least one statement");
  }
  doc.Statement.forEach((s, i) => {
    const at = `${field}.Statement[${i}]`;
    const actions = typeof s.Action === "string" ? [s.Action] : (s.Action ?? []);
    const resources = typeof s.Resource === "string" ? [s.Resource] : (s.Resource ?? []);
    checkStatement(
      where,
      at,
      { actions, resources, effect: s.Effect },
      { Action: "Action", Resource: "Resource", Effect: "Effect" },
    );
    if (s.Effect === undefined) fail(where, `${at}.Effect`, s.Effect, "is missing", 'use "Allow" or "Deny"');
    for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
      if (!CONDITION_OPERATOR.test(operator)) {
        fail(
          where,
          `${at}.Condition operator`,
          operator,
          "is not an IAM condition operator",
          'use e.g. "StringEquals", "Null" or "ForAnyValue:StringEquals"',
        );
      }
      if (typeof keys !== "object" || keys === null || Object.keys(keys).length === 0) {
        fail(
          where,
          `${at}.Condition.${operator}`,
          keys ?? {},
          "has no condition keys",
          'map condition keys to values, e.g. { "aws:ResourceTag/team": "web" }',
        );
      }
    }
  });
  const chars = JSON.stringify(doc).length;
  if (!Token.isUnresolved(JSON.stringify(doc)) && chars > INLINE_POLICY_MAX_CHARS) {
    fail(
      where,
      field,
      `${chars} characters`,
      `exceeds IAM's ${INLINE_POLICY_MAX_CHARS}-character limit for a role's inline policies`,
      "split it, or create an aws_iam_policy and pass its ARN in managedPolicyArns",
    );
  }
}

/** Plain JSON when everything is known at synth time (readable in plans); jsonencode when it holds references. */
export function policyJson(doc: object): string {
  return Token.isUnresolved(JSON.stringify(doc)) ? Fn.jsonencode(doc) : JSON.stringify(doc);
}
