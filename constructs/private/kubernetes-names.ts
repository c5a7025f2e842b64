import { fail, isToken } from "./validation";

// Kubernetes name rules, shared by the cluster side (access entries, node labels, Fargate
// selectors, service-account roles) and the workloads side (namespaces, workloads, ports).

/** DNS-1123 labels (namespace, Service and container names): 1-63 lower-case letters, digits and hyphens, alphanumeric at both ends. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** DNS-1123 subdomains (most object names, e.g. service accounts, ConfigMaps): up to 253 characters, dot-separated labels. */
export const DNS1123_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * DNS-1035 labels (Service names): 1-63 lower-case letters, digits and hyphens, starting with a
 * letter and ending with a letter or digit. Kubernetes' ValidateServiceName is NameIsDNS1035Label
 * (kubernetes/kubernetes pkg/apis/core/validation/validation.go).
 */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * IANA service names (port names): 1-15 lower-case letters, digits and hyphens, at least one
 * letter, no hyphen at either end and no "--" (apimachinery pkg/util/validation IsValidPortName).
 */
export const IANA_SVC_NAME = /^(?=.{1,15}$)(?=.*[a-z])(?!.*--)[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** The fix for a name that is not an IANA service name. */
export const IANA_SVC_NAME_FIX =
  'use 1 to 15 lower-case letters, digits and single hyphens, with at least one letter and a letter or digit at both ends, e.g. "http"';

/**
 * The longest CronJob name: the controller names each Job "<name>-<11-character timestamp>",
 * which must stay a 63-character label (ValidateCronJob: "must be no more than 52 characters").
 * StatefulSets take the same bound: the controller-revision-hash label of their pods is
 * "<name>-<10-character hash>" and a label value is at most 63 characters.
 */
export const MAX_GENERATED_PREFIX_NAME = 52;

const DNS_LABEL_PART = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

const LABEL_FIX = "use 1 to 63 lower-case letters, digits and hyphens, starting and ending with a letter or digit";
const SUBDOMAIN_FIX =
  "use up to 253 lower-case letters, digits, hyphens and dots, starting and ending with a letter or digit";

/** Checks a DNS-1123 label; `what` names the kind of name in the message ("Service name"). */
export function checkDnsLabel(where: string, field: string, name: string, what = "Kubernetes name"): void {
  if (isToken(name)) return;
  if (typeof name !== "string" || !DNS1123_LABEL.test(name)) {
    fail(where, field, name, `is not a valid ${what} (a DNS-1123 label)`, LABEL_FIX);
  }
}

/** Checks a DNS-1123 subdomain; `what` names the kind of name in the message. */
export function checkDnsSubdomain(where: string, field: string, name: string, what = "Kubernetes object name"): void {
  if (isToken(name)) return;
  if (typeof name !== "string" || !DNS1123_SUBDOMAIN.test(name)) {
    fail(where, field, name, `is not a valid ${what} (a DNS-1123 subdomain)`, SUBDOMAIN_FIX);
  }
}

/** Checks a Service name (a DNS-1035 label: it starts with a letter). */
export function checkServiceName(where: string, field: string, name: string, what = "Service name"): void {
  if (isToken(name)) return;
  if (typeof name !== "string" || !DNS1035_LABEL.test(name)) {
    fail(
      where,
      field,
      name,
      `is not a valid ${what} (a DNS-1035 label)`,
      "use 1 to 63 lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit",
    );
  }
}

/** Checks a port name (an IANA service name); `what` names the kind of port in the message. */
export function checkPortName(where: string, field: string, name: string, what = "port name"): void {
  if (isToken(name)) return;
  if (typeof name !== "string" || !IANA_SVC_NAME.test(name)) {
    fail(where, field, name, `is not a valid ${what} (an IANA service name)`, IANA_SVC_NAME_FIX);
  }
}

/** Checks the length bound of a name a controller extends (CronJob, StatefulSet); `kind` is the object's kind. */
export function checkGeneratedPrefixName(where: string, field: string, name: string, kind: string): void {
  if (isToken(name) || typeof name !== "string") return;
  if (name.length > MAX_GENERATED_PREFIX_NAME) {
    fail(
      where,
      field,
      name,
      `is ${name.length} characters, longer than the ${MAX_GENERATED_PREFIX_NAME} a ${kind} name may have (its controller appends a suffix to it in a 63-character name)`,
      `use at most ${MAX_GENERATED_PREFIX_NAME} characters`,
    );
  }
}

export function checkNamespaceName(where: string, field: string, name: string): void {
  if (isToken(name)) return;
  if (!DNS1123_LABEL.test(name)) {
    fail(where, field, name, "is not a valid Kubernetes namespace name", LABEL_FIX);
  }
}

export function checkServiceAccountName(where: string, field: string, name: string): void {
  if (isToken(name)) return;
  if (!DNS1123_SUBDOMAIN.test(name)) {
    fail(where, field, name, "is not a valid Kubernetes service account name", SUBDOMAIN_FIX);
  }
}

/** Why a string is not a Kubernetes label key (`[prefix/]name`), or undefined when it is one. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !prefix.split(".").every((part) => DNS_LABEL_PART.test(part)))) {
    return "has a prefix that is not a lowercase DNS subdomain";
  }
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
    return "is not a valid Kubernetes label key";
  }
  return undefined;
}

const LABEL_KEY_FIX =
  "use [prefix/]name with a name of 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, and an optional lowercase DNS prefix, e.g. \"example.com/team\"";

export function checkLabelKey(where: string, field: string, key: string): void {
  if (isToken(key)) return;
  const problem = labelKeyProblem(key);
  if (problem) fail(where, field, key, problem, LABEL_KEY_FIX);
}

export function checkLabelValue(where: string, field: string, value: string): void {
  if (isToken(value)) return;
  if (value.length > 63 || (value !== "" && !LABEL_NAME.test(value))) {
    fail(
      where,
      field,
      value,
      "is not a valid Kubernetes label value",
      "use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (or empty)",
    );
  }
}

/** Checks every key and value of a label map. */
export function checkLabels(where: string, field: string, labels: Record<string, string> | undefined): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    checkLabelKey(where, `${field} key`, key);
    checkLabelValue(where, `${field}[${JSON.stringify(key)}]`, value);
  }
}
