import { ITerraformDependable, TerraformIterator } from "cdktf";
import { Construct } from "constructs";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { checkPrincipalArn, duplicatesOf, fail, isToken, show } from "../private/validation";
import { checkNamespaceName } from "../private/kubernetes-names";

/**
 * The EKS access policies a principal can be granted (Kubernetes permissions via
 * access entries, not the aws-auth ConfigMap):
 * - `cluster-admin`: everything, cluster-wide (AmazonEKSClusterAdminPolicy; like the `cluster-admin` ClusterRole).
 * - `admin`: most resources incl. RBAC inside namespaces (AmazonEKSAdminPolicy).
 * - `edit`: create/change workloads, no RBAC (AmazonEKSEditPolicy).
 * - `view`: read-only, no Secrets (AmazonEKSViewPolicy).
 */
export type AccessPolicy = "cluster-admin" | "admin" | "edit" | "view";

/** The AWS-managed cluster access policy behind each AccessPolicy. */
export const ACCESS_POLICY_NAMES: Readonly<Record<AccessPolicy, string>> = {
  "cluster-admin": "AmazonEKSClusterAdminPolicy",
  admin: "AmazonEKSAdminPolicy",
  edit: "AmazonEKSEditPolicy",
  view: "AmazonEKSViewPolicy",
};

const ACCESS_POLICIES = Object.keys(ACCESS_POLICY_NAMES) as AccessPolicy[];

/** ARN of an EKS cluster access policy, e.g. arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy. */
export function accessPolicyArn(policy: AccessPolicy, partition = "aws"): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${ACCESS_POLICY_NAMES[policy]}`;
}

/** Kubernetes access for one IAM principal. */
export interface AccessGrant {
  /** IAM role or user ARN (arn:aws:iam::<account>:role/<name> or :user/<name>). */
  readonly principalArn: string;
  readonly policy: AccessPolicy;
  /**
   * Limit the grant to these namespaces. Not allowed with `cluster-admin`, which is cluster-wide by definition.
   * @default - the whole cluster
   */
  readonly namespaces?: string[];
}

/**
 * Validates the admins and grants of a cluster and merges them into one list
 * (admins first, as cluster-admin grants). `where` names the construct in errors.
 */
export function resolveAccessGrants(
  where: string,
  admins: readonly string[] | undefined,
  access: readonly AccessGrant[] = [],
): AccessGrant[] {
  if (!admins || admins.length === 0) {
    fail(
      where,
      "admins",
      admins ?? [],
      "is empty, so no human could administer the cluster (the identity running Terraform is not made admin)",
      'list at least one IAM role or user ARN, e.g. ["arn:aws:iam::123456789012:role/platform-admin"]',
    );
  }
  admins.forEach((arn) => checkPrincipalArn(where, "admins entry", arn));
  const grants: AccessGrant[] = [
    ...admins.map((principalArn) => ({ principalArn, policy: "cluster-admin" as const })),
    ...access,
  ];
  for (const grant of access) {
    checkPrincipalArn(where, "access[].principalArn", grant.principalArn);
    if (!ACCESS_POLICIES.includes(grant.policy)) {
      fail(
        where,
        `access policy for ${show(grant.principalArn)}`,
        grant.policy,
        "is not an access policy",
        `use one of ${ACCESS_POLICIES.join(", ")}`,
      );
    }
    if (grant.namespaces !== undefined) {
      if (grant.policy === "cluster-admin") {
        fail(
          where,
          `access namespaces for ${show(grant.principalArn)}`,
          grant.namespaces,
          "cannot scope cluster-admin, which is cluster-wide",
          'drop namespaces, or grant "admin" (or "edit"/"view") in those namespaces',
        );
      }
      if (grant.namespaces.length === 0) {
        fail(
          where,
          `access namespaces for ${show(grant.principalArn)}`,
          grant.namespaces,
          "is empty",
          "list at least one namespace, or omit namespaces for cluster-wide access",
        );
      }
      grant.namespaces.forEach((ns) =>
        checkNamespaceName(where, `access namespace for ${show(grant.principalArn)}`, ns),
      );
      const dupNs = duplicatesOf(grant.namespaces);
      if (dupNs.length > 0)
        fail(
          where,
          `access namespaces for ${show(grant.principalArn)}`,
          dupNs,
          "are listed more than once",
          "list each namespace once",
        );
    }
  }
  // One access entry per principal: EKS refuses a second entry for the same ARN, and
  // two grants for one principal would be ambiguous about which policy was meant.
  const dups = duplicatesOf(grants.map((g) => g.principalArn).filter((arn) => !isToken(arn)));
  if (dups.length > 0) {
    fail(
      where,
      "admins/access principals",
      dups,
      "appear more than once",
      "give each IAM principal exactly one entry (admins are already cluster-admin)",
    );
  }
  // ClusterAccess creates an entry "<id>" and an association "<id>-<policy>" per principal,
  // side by side: a principal named like another one's association ("x-view" next to "x"
  // granted "view") would collide. Said here, before anything is created.
  const owners = new Map<string, string>();
  grants.forEach((grant, index) => {
    const entryId = principalId(grant.principalArn, index);
    for (const [constructId, what] of [
      [entryId, `the access entry of ${show(grant.principalArn)}`],
      [`${entryId}-${grant.policy}`, `the ${show(grant.policy)} policy association of ${show(grant.principalArn)}`],
    ]) {
      const other = owners.get(constructId);
      if (other !== undefined) {
        fail(
          where,
          "admins/access principal",
          grant.principalArn,
          `would give ${what} the construct id ${show(constructId)}, already used by ${other}`,
          "grant one of the two principals through a role with another name",
        );
      }
      owners.set(constructId, what);
    }
  });
  return grants;
}

export interface ClusterAccessProps {
  /** The cluster name as a reference to the cluster resource, so entries are created after it. */
  readonly clusterName: string;
  /** Already validated by resolveAccessGrants. */
  readonly grants: readonly AccessGrant[];
  /** @default "aws" */
  readonly partition?: string;
  /** @default - no tags */
  readonly tags?: Record<string, string>;
}

/**
 * One aws_eks_access_entry and one aws_eks_access_policy_association per principal.
 * Construct ids come from the principal ARN (account, type, name), not its list
 * position, so reordering the list never replaces an entry.
 */
export class ClusterAccess extends Construct {
  public readonly entries: EksAccessEntry[] = [];
  public readonly associations: EksAccessPolicyAssociation[] = [];

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    const partition = props.partition ?? "aws";
    props.grants.forEach((grant, index) => {
      const grantId = principalId(grant.principalArn, index);
      if (isListToken(grant.principalArn)) {
        // A whole list only known at apply (admins from a variable or another stack): one
        // entry and one association per element, with for_each keyed by the ARN.
        const principals = TerraformIterator.fromList([grant.principalArn]);
        const entry = new EksAccessEntry(this, grantId, {
          forEach: principals,
          clusterName: props.clusterName,
          principalArn: principals.value as string,
          type: "STANDARD",
          tags: props.tags,
        });
        this.entries.push(entry);
        const associations = TerraformIterator.fromList([grant.principalArn]);
        this.associations.push(
          new EksAccessPolicyAssociation(this, `${grantId}-${grant.policy}`, {
            forEach: associations,
            clusterName: props.clusterName,
            principalArn: associations.value as string,
            policyArn: accessPolicyArn(grant.policy, partition),
            accessScope: grant.namespaces
              ? { type: "namespace", namespaces: [...grant.namespaces] }
              : { type: "cluster" },
            dependsOn: [entry],
          }),
        );
        return;
      }
      const entry = new EksAccessEntry(this, grantId, {
        clusterName: props.clusterName,
        principalArn: grant.principalArn,
        type: "STANDARD",
        tags: props.tags,
      });
      this.entries.push(entry);
      this.associations.push(
        new EksAccessPolicyAssociation(this, `${grantId}-${grant.policy}`, {
          clusterName: props.clusterName,
          // Referencing the entry (not the input ARN) orders the association after it.
          principalArn: entry.principalArn,
          policyArn: accessPolicyArn(grant.policy, partition),
          accessScope: grant.namespaces
            ? { type: "namespace", namespaces: [...grant.namespaces] }
            : { type: "cluster" },
        }),
      );
    });
  }

  /** Everything that must exist before nodes start (they resolve permissions through access entries). */
  public get dependables(): ITerraformDependable[] {
    return [...this.entries, ...this.associations];
  }
}

/** True for the marker cdktf puts in place of a whole list only known at apply. */
function isListToken(value: string): boolean {
  return /^#\{TfToken\[/.test(value);
}

/**
 * The construct id of a principal's access entry, one-to-one with the ARN:
 * "arn:aws:iam::123456789012:role/deployer" -> "123456789012-role-deployer", and with an
 * IAM path "role/team/deployer" -> "123456789012-role-team~-deployer". Construct ids can't
 * hold "/"; a path's "/" becomes "~-" because "~" never occurs in IAM names or paths, so
 * role/a/b and role/a-b get different ids (the readable part of the Terraform logical
 * id, which drops "~", stays "...-team-deployer"). Tokens fall back to the position.
 */
export function principalId(arn: string, index: number): string {
  if (isToken(arn)) return `principal-${index}`;
  const [, , , , account, resource] = arn.split(":");
  const slash = resource.indexOf("/");
  return `${account}-${resource.slice(0, slash)}-${resource.slice(slash + 1).replace(/\//g, "~-")}`;
}
