import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { minorOf } from "../eks/kubernetes-versions";
import { IEksCluster } from "../eks/types";
import { fail, isToken, show } from "../private/validation";

// The API server's rules for how a pod spec is composed (issue 17, classes 4 and 6): environment
// variable names by the cluster's Kubernetes version, ConfigMap keys and size, secret-looking
// literals, and the one cluster of a workloads stack.

/**
 * The first minor where the API server accepts relaxed environment variable names (any printable
 * ASCII character but '='): RelaxedEnvironmentVariableValidation is alpha in 1.30-1.31 (off),
 * beta and on by default from 1.32, GA and locked on from 1.34 (kubernetes/website
 * content/en/docs/reference/command-line-tools-reference/feature-gates/
 * RelaxedEnvironmentVariableValidation.md; KEP-4369, "Alpha v1.30, Beta v1.32, Stable v1.34";
 * read 2026-12-07). EKS runs the upstream defaults of beta feature gates.
 */
export const RELAXED_ENV_NAMES_MINOR = 32;

/**
 * The strict rule before 1.32: apimachinery pkg/util/validation/validation.go IsEnvVarName,
 * `[-._a-zA-Z][-._a-zA-Z0-9]*`, and not ".", ".." or starting with ".." (hasChDirPrefix).
 */
const STRICT_ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * The relaxed rule (IsRelaxedEnvVarName, same file, kubernetes/kubernetes master as read
 * 2026-12-07): non-empty, every character printable ASCII (space to '~') and not '='.
 */
const RELAXED_ENV_NAME = /^[\x20-\x3c\x3e-\x7e]+$/;

/** True when the cluster's version takes relaxed names (a version only known at apply takes them: never compared). */
export function relaxedEnvNames(cluster: IEksCluster): boolean {
  const version = cluster.kubernetesVersion;
  if (version === undefined || isToken(version)) return true;
  const minor = minorOf(version);
  return Number.isNaN(minor) || minor >= RELAXED_ENV_NAMES_MINOR;
}

/**
 * Checks an environment variable name (or an envFrom prefix, which the API server checks by the
 * same rule) against the rule of the cluster's Kubernetes version.
 */
export function checkEnvName(where: string, field: string, name: string, cluster: IEksCluster, what: string): void {
  if (isToken(name)) return;
  if (relaxedEnvNames(cluster)) {
    if (typeof name === "string" && RELAXED_ENV_NAME.test(name)) return;
    fail(
      where,
      field,
      name,
      `is not ${what} (Kubernetes accepts printable ASCII characters other than '=')`,
      "remove the '=' and any character outside printable ASCII",
    );
  }
  if (typeof name === "string" && STRICT_ENV_NAME.test(name) && name !== "." && !name.startsWith("..")) return;
  fail(
    where,
    field,
    name,
    `is not ${what} Kubernetes ${cluster.kubernetesVersion} accepts (cluster ${show(cluster.name)}; names of any printable ASCII but '=' need 1.${RELAXED_ENV_NAMES_MINOR}+)`,
    "use letters, digits, '_', '-' and '.', not starting with a digit or '..', or upgrade the cluster",
  );
}

/** ConfigMap and Secret keys (IsConfigMapKey): 1-253 letters, digits, '-', '_', '.', not "." or "..". */
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
export const CONFIG_MAP_KEY_MAX = 253;

/** Checks a key of the generated ConfigMap. */
export function checkConfigMapKey(where: string, field: string, key: string): void {
  if (isToken(key)) return;
  if (!CONFIG_MAP_KEY.test(key) || key === "." || key === "..") {
    fail(where, field, key, "is not a key a ConfigMap accepts", "use letters, digits, '-', '_' and '.'");
  }
  if (key.length > CONFIG_MAP_KEY_MAX) {
    fail(
      where,
      field,
      key,
      `is ${key.length} characters, longer than the ${CONFIG_MAP_KEY_MAX} a ConfigMap key may have`,
      `use at most ${CONFIG_MAP_KEY_MAX} characters`,
    );
  }
}

/**
 * The most a ConfigMap's values may add up to: 1 MiB. The API server refuses a larger one
 * (ValidateConfigMap sums len(value), in bytes, over data and binaryData, keys not counted, and
 * compares with core.MaxSecretSize, 1 MiB; kubernetes/kubernetes pkg/apis/core/validation/
 * validation.go, as at v1.34.1), and the documentation says so: "The data stored in a ConfigMap
 * cannot exceed 1 MiB" (kubernetes.io/docs/concepts/configuration/configmap/, read 2026-12-07).
 * etcd's request limit (1.5 MiB by default) is what the bound protects.
 */
export const CONFIG_MAP_MAX_BYTES = 1024 * 1024;

/**
 * Checks the generated ConfigMap's size, in UTF-8 bytes as the API server counts them. Values
 * only known at apply are not counted (never compared); the literal part alone can still be too big.
 */
export function checkConfigMapSize(where: string, field: string, data: Record<string, string>): void {
  let bytes = 0;
  for (const v of Object.values(data)) if (!isToken(v)) bytes += Buffer.byteLength(v, "utf8");
  if (bytes <= CONFIG_MAP_MAX_BYTES) return;
  fail(
    where,
    field,
    `<${bytes} bytes of values>`,
    `exceeds the ${CONFIG_MAP_MAX_BYTES} bytes (1 MiB) a ConfigMap's values may hold, so the API server refuses it`,
    "keep large files out of config: bake them into the image, or mount them from a volume",
  );
}

/**
 * Environment variable names that say their value is a credential: the last word(s) of the name
 * (split at '_', '-', '.') are one of these. A name that goes on (DB_PASSWORD_FILE,
 * API_TOKEN_URL, JWT_SECRET_ARN) names where a secret is, not the secret, and is not matched.
 */
const SECRET_WORDS = [
  ["PASSWORD"],
  ["PASSWD"],
  ["PASS"],
  ["PWD"],
  ["TOKEN"],
  ["SECRET"],
  ["API", "KEY"],
  ["APIKEY"],
  ["PRIVATE", "KEY"],
  ["SECRET", "KEY"],
  ["ACCESS", "KEY"],
  ["CLIENT", "SECRET"],
];

/**
 * True when a literal variable looks like a credential: its name says so (DB_PASSWORD,
 * GITHUB_TOKEN, STRIPE_API_KEY) and its value is not empty and not an absolute path (a file that
 * holds the secret, e.g. TLS_PRIVATE_KEY=/etc/tls/key.pem).
 */
export function looksSecret(name: string, value: string): boolean {
  if (isToken(name) || isToken(value) || value === "" || value.startsWith("/")) return false;
  const words = name
    .toUpperCase()
    .split(/[_.-]+/)
    .filter((w) => w.length > 0);
  // PWD is the shell's working directory when it is the whole name.
  if (words.length === 1 && words[0] === "PWD") return false;
  return SECRET_WORDS.some(
    (tail) => words.length >= tail.length && tail.every((w, i) => words[words.length - tail.length + i] === w),
  );
}

/** The fix for a secret-looking literal: where the value should come from instead. */
export const SECRET_LITERAL_FIX =
  'put the value in a VariableSecret (its value comes from a sensitive Terraform variable) and use EnvValue.fromSecret(secret, "<KEY>") or secrets: [secret]; if it is not a credential, say so with EnvValue.notSecret(value, "<why>")';

/** The cluster each workloads stack is for, so constructs of the stack can't point at another. */
const clusterOfStack = new WeakMap<TerraformStack, { cluster: IEksCluster; where: string }>();

/** Records the one cluster of a workloads stack (called by WorkloadsStack). */
export function registerStackCluster(stack: TerraformStack, cluster: IEksCluster, where: string): void {
  clusterOfStack.set(stack, { cluster, where });
}

/** Same cluster: the same object, or two adoptions of one cluster under one literal name. */
export function sameCluster(a: IEksCluster, b: IEksCluster): boolean {
  if (a === b) return true;
  return (
    !isToken(a.name) && !isToken(b.name) && a.name === b.name && !isToken(a.clusterArn) && a.clusterArn === b.clusterArn
  );
}

/**
 * Refuses a construct of a workloads stack that names another cluster than the stack's own: its
 * objects would be created through the stack's providers, on the stack's cluster, while every
 * check (Fargate, placement, enforcement) read the other one.
 */
export function checkStackCluster(scope: IConstruct, where: string, field: string, cluster: IEksCluster): void {
  const own = clusterOfStack.get(TerraformStack.of(scope));
  if (own === undefined || sameCluster(own.cluster, cluster)) return;
  fail(
    where,
    field,
    isToken(cluster.name) ? cluster.node.path : cluster.name,
    `is not the cluster of ${own.where} (${isToken(own.cluster.name) ? own.cluster.node.path : show(own.cluster.name)}), whose providers create this construct's objects`,
    "pass the stack's cluster (stack.cluster), or declare the construct in the workloads stack of its cluster",
  );
}

/**
 * Refuses a construct that is declared in another stack than `scope`'s: its Terraform resources
 * would be named in depends_on, which can't name a resource of another stack (terraform validate
 * refuses it), and another stack's objects are on another stack's cluster.
 */
export function checkSameStack(scope: IConstruct, where: string, field: string, other: IConstruct, kind: string): void {
  const mine = TerraformStack.of(scope);
  const theirs = TerraformStack.of(other);
  if (mine === theirs) return;
  fail(
    where,
    field,
    other.node.path,
    `is a ${kind} of stack ${show(theirs.node.id)}, but this construct is in stack ${show(mine.node.id)}: the two would be applied by different stacks in no set order, and depends_on can't name another stack's resources (terraform validate refuses it)`,
    `declare the ${kind} in stack ${show(mine.node.id)}, next to what uses it`,
  );
}
