import { Construct } from "constructs";
import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { checkDnsSubdomain } from "../private/kubernetes-names";
import { duplicatesOf, fail, isToken } from "../private/validation";

/** The verbs of the Kubernetes API a rule can grant; "*" only with `wildcards`. */
export type ApiVerb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection" | "*";
export const API_VERBS: readonly ApiVerb[] = [
  "get",
  "list",
  "watch",
  "create",
  "update",
  "patch",
  "delete",
  "deletecollection",
  "*",
];

/** One RBAC rule: the verbs allowed on some resources of some API groups. */
export interface ApiRule {
  /** API groups of the resources: "" is the core group (ConfigMaps, Pods, ...). @default [""] */
  readonly apiGroups?: string[];
  /** Resources (plural, lower case), with subresources as "pods/log". "*" only with `wildcards`. */
  readonly resources: string[];
  /** "*" only with `wildcards`. */
  readonly verbs: ApiVerb[];
  /**
   * Only these objects, by name. Kubernetes can't restrict create or deletecollection by name,
   * so those verbs are refused here.
   * @default - every object of the resources
   */
  readonly resourceNames?: string[];
}

/**
 * Kubernetes API permissions of a workload's pods, bound to its service account. Declaring
 * any mounts the service-account token (the pods need it to call the API); nothing else does.
 */
export interface ApiAccess {
  /** Rules in the workload's own namespace: a Role and a RoleBinding named after the workload. @default - none */
  readonly namespaced?: ApiRule[];
  /**
   * Cluster-wide rules (cluster-scoped resources such as nodes, or a resource in every
   * namespace): a ClusterRole and ClusterRoleBinding named `<namespace>-<workload>`.
   * @default - none
   */
  readonly clusterWide?: ApiRule[];
  /**
   * Allows "*" in verbs, resources or API groups (grants whatever the API adds later, CRDs
   * included), with the reason; the reason is the policy finding's suppression (K8S27).
   * @default - wildcards refused
   */
  readonly wildcards?: { readonly reason: string };
}

/** What the workload passes: who to bind, and where. */
export interface ApiAccessProps {
  readonly where: string;
  readonly access: ApiAccess;
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly workloadName: string;
  readonly labels: Record<string, string>;
}

const RESOURCE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\/[a-z]+)?$/;

/** Validates the rules (construction time): explicit verbs and resources, wildcards only with a reason. */
export function checkApiAccess(where: string, access: ApiAccess): void {
  const rules = [
    ...(access.namespaced ?? []).map((r, i) => [`apiAccess.namespaced[${i}]`, r] as const),
    ...(access.clusterWide ?? []).map((r, i) => [`apiAccess.clusterWide[${i}]`, r] as const),
  ];
  if (rules.length === 0) {
    fail(
      where,
      "apiAccess",
      access,
      "grants nothing, but would mount the service-account token",
      'give namespaced or clusterWide rules, e.g. { namespaced: [{ resources: ["configmaps"], verbs: ["get"] }] }, or remove apiAccess',
    );
  }
  if (access.wildcards !== undefined && !access.wildcards.reason?.trim()) {
    fail(
      where,
      "apiAccess.wildcards.reason",
      access.wildcards.reason ?? "",
      "is empty",
      "say why the pods need every verb or resource",
    );
  }
  for (const [f, r] of rules) {
    if (!r.verbs || r.verbs.length === 0)
      fail(where, `${f}.verbs`, r.verbs ?? [], "is empty", 'give the verbs, e.g. ["get"]');
    if (!r.resources || r.resources.length === 0)
      fail(where, `${f}.resources`, r.resources ?? [], "is empty", 'give the resources, e.g. ["configmaps"]');
    for (const verb of r.verbs) {
      if (!API_VERBS.includes(verb))
        fail(
          where,
          `${f}.verbs`,
          verb,
          "is not a verb a workload may be granted (escalate, bind and impersonate are privilege escalation)",
          `use ${API_VERBS.filter((v) => v !== "*").join(", ")}`,
        );
    }
    const dups = duplicatesOf(r.verbs);
    if (dups.length > 0) fail(where, `${f}.verbs`, dups, "are listed more than once", "list each verb once");
    for (const res of r.resources) {
      if (res !== "*" && !isToken(res) && !RESOURCE.test(res))
        fail(
          where,
          `${f}.resources`,
          res,
          "is not a resource name",
          'use the plural lower-case name, e.g. "configmaps" or "pods/log"',
        );
    }
    for (const g of r.apiGroups ?? [""]) {
      if (g !== "" && g !== "*" && !isToken(g)) checkDnsSubdomain(where, `${f}.apiGroups`, g, "API group");
    }
    const wild = [
      ...r.verbs.filter((x) => x === "*").map(() => "verbs"),
      ...r.resources.filter((x) => x === "*").map(() => "resources"),
      ...(r.apiGroups ?? []).filter((x) => x === "*").map(() => "apiGroups"),
    ];
    if (wild.length > 0 && access.wildcards === undefined) {
      fail(
        where,
        `${f}.${wild[0]}`,
        "*",
        "is a wildcard: it grants everything, including what later API versions and CRDs add",
        'list the exact verbs and resources, or opt in with apiAccess.wildcards: { reason: "..." }',
      );
    }
    if (r.resourceNames !== undefined) {
      if (r.resourceNames.length === 0)
        fail(
          where,
          `${f}.resourceNames`,
          [],
          "is empty (an empty list means every object)",
          "name the objects, or remove it",
        );
      const unnamed = r.verbs.filter((x) => x === "create" || x === "deletecollection");
      if (unnamed.length > 0)
        fail(
          where,
          `${f}.verbs`,
          unnamed,
          "can't be restricted by resourceNames (the object's name isn't part of the request's URL), so the rule would not grant them",
          "move them to a rule without resourceNames",
        );
      r.resourceNames.forEach((n) => {
        if (!isToken(n)) checkDnsSubdomain(where, `${f}.resourceNames`, n, "object name");
      });
    }
  }
}

const render = (rules: ApiRule[]) =>
  rules.map((r) => ({
    apiGroups: r.apiGroups ?? [""],
    resources: r.resources,
    verbs: r.verbs,
    resourceNames: r.resourceNames,
  }));

/** The Role/ClusterRole and bindings of a workload's API access. */
export class WorkloadApiAccess extends Construct {
  public readonly role?: RoleV1;
  public readonly roleBinding?: RoleBindingV1;
  public readonly clusterRole?: ClusterRoleV1;
  public readonly clusterRoleBinding?: ClusterRoleBindingV1;

  constructor(scope: Construct, id: string, props: ApiAccessProps) {
    super(scope, id);
    const { access, namespace, serviceAccountName, labels } = props;
    const subject = [{ kind: "ServiceAccount", name: serviceAccountName, namespace }];
    if ((access.namespaced ?? []).length > 0) {
      const metadata = { name: props.workloadName, namespace, labels };
      this.role = new RoleV1(this, "role", { metadata, rule: render(access.namespaced!) });
      this.roleBinding = new RoleBindingV1(this, "role-binding", {
        metadata,
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: this.role.metadata.name },
        subject,
      });
    }
    if ((access.clusterWide ?? []).length > 0) {
      // Cluster-scoped names are shared by every namespace: prefix the namespace.
      const name = `${namespace}-${props.workloadName}`;
      checkDnsSubdomain(props.where, "apiAccess.clusterWide (ClusterRole name)", name);
      this.clusterRole = new ClusterRoleV1(this, "cluster-role", {
        metadata: { name, labels },
        rule: render(access.clusterWide!),
      });
      this.clusterRoleBinding = new ClusterRoleBindingV1(this, "cluster-role-binding", {
        metadata: { name, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: this.clusterRole.metadata.name },
        subject,
      });
    }
  }
}
