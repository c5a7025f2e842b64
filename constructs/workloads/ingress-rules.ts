import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { fail, isToken } from "../private/validation";

// What the Kubernetes API server and the AWS Load Balancer Controller refuse in an Ingress, or
// build into a load balancer that can't serve it. Sources (read 2026-12-08):
// - kubernetes/kubernetes pkg/apis/networking/validation/validation.go (validateIngressRules,
//   validateHTTPIngressPath): a host is a DNS-1123 subdomain, or a wildcard one ("*." and a
//   subdomain, IsWildcardDNS1123Subdomain), and "must be a DNS name, not an IP address"; a
//   Prefix or Exact path starts with "/" and contains none of "//", "/./", "/../", "%2f", "%2F"
//   and doesn't end with "/.." or "/.".
// - kubernetes-sigs/aws-load-balancer-controller v2.14.1 pkg/ingress/model_build_listener_rules.go
//   (buildPathPatternsForPrefixPathType): a Prefix path "shouldn't contain wildcards" (* or ?),
//   and becomes the patterns <path> and <path>/* (trailing "/" trimmed); an ALB path pattern is
//   at most 128 characters (ELB ListenerRule PathPatternConfig).
// - the same controller, pkg/ingress/model_build_load_balancer.go (buildLoadBalancerScheme): the
//   members of an IngressGroup (alb.ingress.kubernetes.io/group.name) with different schemes
//   fail with "conflicting scheme", and an IngressClassParams scheme overrides each member's
//   annotation; model_build_listener.go (buildSSLRedirectConfig): ssl-redirect of any member
//   applies to the whole group.

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/** The longest ALB path pattern. */
const ALB_PATH_PATTERN_MAX = 128;

/** Checks an Ingress rule's host as the API server does. */
export function checkIngressHost(where: string, field: string, host: string | undefined): void {
  if (host === undefined || isToken(host)) return;
  if (IPV4.test(host) || host.includes(":")) {
    fail(
      where,
      field,
      host,
      "is an IP address; the API server accepts only DNS names as Ingress hosts",
      "give the DNS name clients use (a record pointing at the load balancer), or leave host unset to route every host",
    );
  }
  if (host !== host.toLowerCase()) {
    fail(
      where,
      field,
      host,
      "has upper-case letters (a DNS-1123 subdomain is lower case)",
      `use "${host.toLowerCase()}"`,
    );
  }
  const wildcard = host.startsWith("*.");
  const name = wildcard ? host.slice(2) : host;
  if (name.includes("*")) {
    fail(
      where,
      field,
      host,
      "has a wildcard that is not the whole first label",
      'use one leading "*." for a wildcard host, e.g. "*.example.com"',
    );
  }
  if (host.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    fail(
      where,
      field,
      host,
      "is not a DNS-1123 subdomain",
      'use lower-case letters, digits, "-" and ".", each label starting and ending with a letter or digit, at most 253 characters (e.g. "shop.example.com", or "*.example.com")',
    );
  }
}

/** Checks the path of a Prefix rule, as the API server and the load balancer controller do. */
export function checkIngressPrefixPath(where: string, field: string, path: string): void {
  if (isToken(path)) return;
  if (!path.startsWith("/")) fail(where, field, path, "is not an absolute path", 'start it with "/"');
  for (const bad of ["//", "/./", "/../", "%2f", "%2F"]) {
    if (path.includes(bad)) {
      fail(
        where,
        field,
        path,
        `contains "${bad}", which the API server refuses in a Prefix path`,
        bad === "//" ? 'remove the empty segment (one "/" between segments)' : "give the path without it",
      );
    }
  }
  for (const bad of ["/..", "/."]) {
    if (path.endsWith(bad)) {
      fail(
        where,
        field,
        path,
        `ends with "${bad}", which the API server refuses in a Prefix path`,
        "give the path without it",
      );
    }
  }
  if (/[*?]/.test(path)) {
    fail(
      where,
      field,
      path,
      "has a wildcard (* or ?), which the load balancer controller refuses in a Prefix path",
      'give the prefix itself: "/api" routes /api and everything below it',
    );
  }
  const pattern = path === "/" ? "/*" : `${path.replace(/\/$/, "")}/*`;
  if (pattern.length > ALB_PATH_PATTERN_MAX) {
    fail(
      where,
      field,
      path,
      `becomes the ALB path pattern "${pattern.slice(0, 20)}...", ${pattern.length} characters, over the ${ALB_PATH_PATTERN_MAX} an ALB rule accepts`,
      `use a prefix of at most ${ALB_PATH_PATTERN_MAX - 2} characters`,
    );
  }
}

/** One Ingress of an ALB group, as its members must agree. */
export interface AlbGroupMember {
  readonly where: string;
  readonly scheme: string;
  readonly tls: boolean;
  /** Undefined: every host. */
  readonly host?: string;
  readonly path: string;
}

const groups = new WeakMap<TerraformStack, Map<string, AlbGroupMember[]>>();

/**
 * Registers an Ingress in its ALB group (per stack: one stack holds one cluster's workloads) and
 * refuses what the controller can't build into one ALB: another scheme, a mix of TLS and plain
 * HTTP members (one member's ssl-redirect redirects the whole group's port 80 to 443, where the
 * plain member has no rule), and a host and path another member already routes (the ALB applies
 * the first rule; the second never sees a request).
 */
export function joinAlbGroup(scope: IConstruct, group: string, field: string, member: AlbGroupMember): void {
  if (isToken(group)) return;
  const stack = TerraformStack.of(scope);
  const byName = groups.get(stack) ?? new Map<string, AlbGroupMember[]>();
  groups.set(stack, byName);
  const members = byName.get(group) ?? [];
  for (const other of members) {
    if (!isToken(member.scheme) && !isToken(other.scheme) && other.scheme !== member.scheme) {
      fail(
        member.where,
        `${field}.scheme`,
        member.scheme,
        `differs from ${other.where}'s "${other.scheme}" in ALB group "${group}"; one ALB has one scheme, and the controller refuses the group ("conflicting scheme")`,
        `use "${other.scheme}", or another groupName`,
      );
    }
    if (other.tls !== member.tls) {
      fail(
        member.where,
        `${field}.tls`,
        member.tls,
        `differs from ${other.where} in ALB group "${group}": the TLS member's ssl-redirect applies to the whole ALB, so the plain HTTP member's requests are redirected to 443, where it has no rule`,
        "give every member of the group a certificate (or none), or use another groupName",
      );
    }
    const sameHost = (other.host ?? "") === (member.host ?? "");
    const known = [member.host, other.host, member.path, other.path].every((v) => v === undefined || !isToken(v));
    const norm = (p: string) => (p === "/" ? "/" : p.replace(/\/$/, ""));
    if (known && sameHost && norm(other.path) === norm(member.path)) {
      fail(
        member.where,
        `${field}.path`,
        member.path,
        `is already routed${member.host ? ` for host "${member.host}"` : " for every host"} by ${other.where} in ALB group "${group}"; the ALB sends it to one of them only`,
        "give each member of the group its own host or path",
      );
    }
  }
  members.push(member);
  byName.set(group, members);
}
