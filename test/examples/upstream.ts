/**
 * Helpers of the ported-application tests (test/examples/online-boutique.test.ts, sock-shop.test.ts):
 * read a vendored upstream manifest, compare it with our synthesized objects field by field
 * (after applying the API server's defaults on both sides), and evaluate the generated
 * NetworkPolicies as the network policy agent would.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { KubernetesObject } from "../kubernetes-schema";

// js-yaml 3 is in the tree through jest (@istanbuljs/load-nyc-config); the repository declares no YAML parser of its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require("js-yaml") as { safeLoadAll(text: string): unknown[] };

export type ApiObject = Record<string, any>;

/** The upstream manifest's objects (comments and empty documents dropped). */
export function loadUpstream(app: string, file: string): ApiObject[] {
  const text = readFileSync(join(__dirname, "fixtures", app, file), "utf8");
  return yaml.safeLoadAll(text).filter((o): o is ApiObject => o !== null && typeof o === "object");
}

export const keyOf = (o: ApiObject) => `${o.kind}/${o.metadata.name}`;

// ---------------------------------------------------------------------------------------------------------------
// API defaults: what the API server fills in, so "unset" and "the default, written out" compare equal.
// ---------------------------------------------------------------------------------------------------------------

const PROBE_DEFAULTS = {
  initialDelaySeconds: 0,
  timeoutSeconds: 1,
  periodSeconds: 10,
  successThreshold: 1,
  failureThreshold: 3,
};

/** imagePullPolicy's default (pkg/apis/core/v1/defaults.go): Always for `:latest` or no tag, else IfNotPresent. */
function defaultPullPolicy(image: string): string {
  if (image.includes("@")) return "IfNotPresent";
  const last = image.split("/").pop()!;
  const tag = last.includes(":") ? last.split(":").pop() : undefined;
  return tag === undefined || tag === "latest" ? "Always" : "IfNotPresent";
}

function withContainerDefaults(c: ApiObject): ApiObject {
  const out: ApiObject = { ...c, imagePullPolicy: c.imagePullPolicy ?? defaultPullPolicy(c.image) };
  if (c.ports) out.ports = c.ports.map((p: ApiObject) => ({ protocol: "TCP", ...p }));
  if (c.volumeMounts) out.volumeMounts = c.volumeMounts.map((m: ApiObject) => ({ readOnly: false, ...m }));
  for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) {
    if (!c[probe]) continue;
    const p = { ...PROBE_DEFAULTS, ...c[probe] };
    if (p.httpGet) p.httpGet = { scheme: "HTTP", ...p.httpGet };
    out[probe] = p;
  }
  return out;
}

/** A Deployment or Service with the API defaults of the compared fields filled in. */
export function withDefaults(o: ApiObject): ApiObject {
  const copy: ApiObject = JSON.parse(JSON.stringify(o));
  if (copy.kind === "Deployment") {
    const spec = copy.spec;
    spec.replicas ??= 1;
    spec.revisionHistoryLimit ??= 10;
    spec.strategy ??= { type: "RollingUpdate" };
    if (spec.strategy.type === "RollingUpdate") {
      spec.strategy.rollingUpdate = { maxSurge: "25%", maxUnavailable: "25%", ...spec.strategy.rollingUpdate };
    }
    const pod = spec.template.spec;
    pod.restartPolicy ??= "Always";
    pod.terminationGracePeriodSeconds ??= 30;
    pod.enableServiceLinks ??= true;
    pod.containers = pod.containers.map(withContainerDefaults);
    if (pod.initContainers) pod.initContainers = pod.initContainers.map(withContainerDefaults);
  }
  if (copy.kind === "Service") {
    copy.spec.type ??= "ClusterIP";
    copy.spec.ports = copy.spec.ports.map((p: ApiObject) => ({ protocol: "TCP", targetPort: p.port, ...p }));
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------------------------
// Field-by-field comparison.
// ---------------------------------------------------------------------------------------------------------------

/** How the items of a list are matched across the two sides (by this field), instead of by index. */
const LIST_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  volumes: "name",
  env: "name",
  volumeMounts: "mountPath",
  httpHeaders: "name",
  topologySpreadConstraints: "topologyKey",
};

/** Every leaf of an object, by path: `spec.template.spec.containers[server].ports[7000].protocol`. */
export function flatten(
  value: unknown,
  path = "",
  out: Record<string, unknown> = {},
  parentKey = "",
): Record<string, unknown> {
  if (Array.isArray(value)) {
    if (value.length === 0 || value.some((v) => v === null || typeof v !== "object")) {
      out[path] = value; // a list of scalars (command, args, capabilities) compares as a whole
      return out;
    }
    // Container ports by number; Service ports by port.
    const key =
      LIST_KEYS[parentKey] ??
      (parentKey === "ports" ? (value[0].containerPort !== undefined ? "containerPort" : "port") : undefined);
    value.forEach((item, i) => flatten(item, `${path}[${key ? item[key] : i}]`, out, ""));
    return out;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) out[path] = {};
    for (const [k, v] of entries) {
      const p = /^[A-Za-z][A-Za-z0-9]*$/.test(k) ? (path ? `${path}.${k}` : k) : `${path}["${k}"]`;
      flatten(v, p, out, k);
    }
    return out;
  }
  out[path] = value;
  return out;
}

/** One field that differs: `undefined` on a side means the field is absent there. */
export interface Difference {
  readonly object: string;
  readonly path: string;
  readonly upstream: unknown;
  readonly ours: unknown;
}

/** The fields that differ between two objects of the same kind and name (after API defaults). */
export function differences(object: string, upstream: ApiObject, ours: ApiObject): Difference[] {
  const u = flatten(withDefaults(upstream));
  const o = flatten(withDefaults(ours));
  const paths = [...new Set([...Object.keys(u), ...Object.keys(o)])].sort();
  return paths
    .filter((p) => JSON.stringify(u[p]) !== JSON.stringify(o[p]))
    .map((path) => ({ object, path, upstream: u[path], ours: o[path] }));
}

/** A listed difference. `ours` / `upstream`, when given, pin the values on that side (`undefined`: absent). */
export interface ListedDifference {
  /** Matches `Kind/name`. */
  readonly objects: RegExp;
  /** Matches the field path (see flatten). Anchor it. */
  readonly path: RegExp;
  readonly ours?: (value: unknown) => boolean;
  readonly upstream?: (value: unknown) => boolean;
  readonly reason: string;
}

export const absent = (v: unknown) => v === undefined;
export const is = (expected: unknown) => (v: unknown) => JSON.stringify(v) === JSON.stringify(expected);

/** Compares our objects with upstream's; returns the unlisted differences and the list entries nothing matched. */
export function compareWithUpstream(
  upstream: ApiObject[],
  ours: ApiObject[],
  kinds: string[],
  listed: ListedDifference[],
): { unlisted: string[]; unused: string[]; compared: string[] } {
  const pick = (list: ApiObject[]) =>
    new Map(list.filter((o) => kinds.includes(o.kind)).map((o) => [keyOf(o), o] as const));
  const u = pick(upstream);
  const o = pick(ours);
  const diffs: Difference[] = [];
  for (const key of [...new Set([...u.keys(), ...o.keys()])].sort()) {
    const a = u.get(key);
    const b = o.get(key);
    if (a && b) diffs.push(...differences(key, a, b));
    else
      diffs.push({
        object: key,
        path: "(object)",
        upstream: a ? "present" : undefined,
        ours: b ? "present" : undefined,
      });
  }
  const used = new Set<ListedDifference>();
  const unlisted: string[] = [];
  for (const d of diffs) {
    const entry = listed.find(
      (l) =>
        l.objects.test(d.object) &&
        l.path.test(d.path) &&
        (l.ours === undefined || l.ours(d.ours)) &&
        (l.upstream === undefined || l.upstream(d.upstream)),
    );
    if (entry) used.add(entry);
    else unlisted.push(`${d.object} ${d.path}: upstream ${JSON.stringify(d.upstream)}, ours ${JSON.stringify(d.ours)}`);
  }
  const unused = listed.filter((l) => !used.has(l)).map((l) => `${l.objects} ${l.path} (${l.reason})`);
  return { unlisted, unused, compared: [...u.keys()].filter((k) => o.has(k)) };
}

/** Our Kubernetes objects as API objects. */
export const apiObjects = (objects: readonly KubernetesObject[]): ApiObject[] => objects.map((o) => o.object);

// ---------------------------------------------------------------------------------------------------------------
// NetworkPolicy evaluation.
// ---------------------------------------------------------------------------------------------------------------

/** One allowed connection: from, to, port/protocol. Ends are workload names, "kube-dns", or "cidr:<range>". */
export type Edge = string;
export const edge = (from: string, to: string, port: number | string, protocol = "TCP"): Edge =>
  `${from} -> ${to}:${port}/${protocol}`;

interface Pod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

const matches = (selector: ApiObject | undefined, labels: Record<string, string>) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
  (selector?.matchExpressions ?? []).length === 0;

/** Where a policy peer points: the namespace's pods it selects, kube-dns, or an address range. */
function peerEnds(peer: ApiObject, policyNamespace: string, pods: Pod[]): string[] {
  if (peer.ipBlock) {
    if (peer.ipBlock.except) throw new Error(`ipBlock with except: ${JSON.stringify(peer)}`);
    return [`cidr:${peer.ipBlock.cidr}`];
  }
  if (peer.namespaceSelector) {
    const ns = peer.namespaceSelector.matchLabels?.["kubernetes.io/metadata.name"];
    if (
      ns === "kube-system" &&
      peer.podSelector?.matchLabels?.["k8s-app"] === "kube-dns" &&
      Object.keys(peer.podSelector.matchLabels).length === 1
    ) {
      return ["kube-dns"];
    }
    throw new Error(`namespaceSelector peer the evaluator does not model: ${JSON.stringify(peer)}`);
  }
  if (peer.podSelector)
    return pods
      .filter((p) => p.namespace === policyNamespace && matches(peer.podSelector, p.labels))
      .map((p) => p.name);
  throw new Error(`peer the evaluator does not model: ${JSON.stringify(peer)}`);
}

function rulePorts(rule: ApiObject): string[] {
  if (!rule.ports || rule.ports.length === 0) return ["*"];
  return rule.ports.map((p: ApiObject) => {
    if (p.endPort !== undefined) throw new Error(`port range: ${JSON.stringify(p)}`);
    return `${p.port}/${p.protocol ?? "TCP"}`;
  });
}

/**
 * The connections the namespace's NetworkPolicies allow, as the policy agent enforces them: a
 * pod selected by a policy of a direction is isolated in it, and then a connection needs an
 * egress rule on the sender and an ingress rule on the receiver. Pods no policy selects would
 * be open (reported as "*"). Returns the in-namespace edges (allowed both ways), egress to
 * outside ends, ingress from outside ends, and one-sided rules (an egress without its ingress
 * or the reverse: allowed by one side only, so allowing nothing, but a sign of a wrong rule).
 */
export function allowedConnections(objects: ApiObject[], namespace: string) {
  const pods: Pod[] = objects
    .filter((o) => o.kind === "Deployment" && o.metadata.namespace === namespace)
    .map((o) => ({ name: o.metadata.name, namespace, labels: o.spec.template.metadata.labels }));
  const policies = objects.filter((o) => o.kind === "NetworkPolicy" && o.metadata.namespace === namespace);
  const egress = new Set<Edge>();
  const ingress = new Set<Edge>();
  const isolated = { Egress: new Set<string>(), Ingress: new Set<string>() };
  for (const policy of policies) {
    const selected = pods.filter((p) => matches(policy.spec.podSelector, p.labels));
    for (const type of policy.spec.policyTypes as ("Ingress" | "Egress")[]) {
      for (const p of selected) isolated[type].add(p.name);
    }
    for (const rule of policy.spec.egress ?? []) {
      const ends = rule.to ? rule.to.flatMap((peer: ApiObject) => peerEnds(peer, namespace, pods)) : ["*"];
      for (const p of selected)
        for (const end of ends) for (const port of rulePorts(rule)) egress.add(`${p.name} -> ${end}:${port}`);
    }
    for (const rule of policy.spec.ingress ?? []) {
      const ends = rule.from ? rule.from.flatMap((peer: ApiObject) => peerEnds(peer, namespace, pods)) : ["*"];
      for (const p of selected)
        for (const end of ends) for (const port of rulePorts(rule)) ingress.add(`${end} -> ${p.name}:${port}`);
    }
  }
  const open = pods.flatMap((p) => [
    ...(isolated.Egress.has(p.name) ? [] : [`${p.name} -> *:*`]),
    ...(isolated.Ingress.has(p.name) ? [] : [`* -> ${p.name}:*`]),
  ]);
  const names = new Set(pods.map((p) => p.name));
  const endOf = (e: Edge) => {
    const [from, rest] = e.split(" -> ");
    return { from, to: rest.slice(0, rest.indexOf(":")) };
  };
  const internalEgress = [...egress].filter((e) => names.has(endOf(e).to));
  const internalIngress = [...ingress].filter((e) => names.has(endOf(e).from));
  const both = internalEgress.filter((e) => ingress.has(e));
  return {
    open,
    internal: both.sort(),
    egressOut: [...egress].filter((e) => !names.has(endOf(e).to)).sort(),
    ingressIn: [...ingress].filter((e) => !names.has(endOf(e).from)).sort(),
    oneSided: [
      ...internalEgress.filter((e) => !ingress.has(e)),
      ...internalIngress.filter((e) => !egress.has(e)),
    ].sort(),
  };
}

/**
 * The pod port behind `<service>:<port>` per the upstream manifest: the Service's targetPort,
 * resolved to a number through the selected pods' named container ports. Undefined when the
 * manifest has no such Service.
 */
export function upstreamTarget(upstream: ApiObject[], address: string): { workload: string; port: number } | undefined {
  const [host, portText] = address.split(":");
  const service = upstream.find((o) => o.kind === "Service" && o.metadata.name === host);
  if (!service) return undefined;
  const sp = service.spec.ports.find((p: ApiObject) => p.port === Number(portText ?? 80));
  if (!sp) throw new Error(`Service ${host} has no port ${portText}`);
  const deployment = upstream.find(
    (o) =>
      o.kind === "Deployment" &&
      Object.entries(service.spec.selector).every(([k, v]) => o.spec.template.metadata.labels?.[k] === v),
  );
  if (!deployment) throw new Error(`no Deployment matches Service ${host}'s selector`);
  const target = sp.targetPort ?? sp.port;
  const port =
    typeof target === "number"
      ? target
      : deployment.spec.template.spec.containers
          .flatMap((c: ApiObject) => c.ports ?? [])
          .find((p: ApiObject) => p.name === target)?.containerPort;
  if (port === undefined) throw new Error(`Service ${host} targets ${target}, which no container declares`);
  return { workload: deployment.metadata.name, port };
}

/**
 * What every ported workload differs by, whatever the app: the constructs' labels and selectors,
 * rollout and spread settings, and the secure pod and container defaults. `label` is the
 * upstream's own pod label key (kept on the pods as an extra label).
 */
export function platformDifferences(label: string): ListedDifference[] {
  const C = String.raw`^spec\.template\.spec\.(containers|initContainers)\[[a-z-]+\]`;
  return [
    {
      objects: /./,
      path: new RegExp(
        String.raw`^metadata\.labels(\.${label}|\["app\.kubernetes\.io\/(name|component|managed-by)"\])$`,
      ),
      reason:
        "object labels are the app.kubernetes.io set (name, component, managed-by); upstream's label stays on the pods",
    },
    {
      objects: /^(Deployment|Service)\//,
      path: new RegExp(
        String.raw`^spec\.selector(\.matchLabels)?(\.${label}|\["app\.kubernetes\.io\/(name|component)"\])$`,
      ),
      reason:
        "selectors are app.kubernetes.io/name + component, the same for every workload (a selector change replaces the Deployment)",
    },
    {
      objects: /^Deployment\//,
      path: /^spec\.template\.metadata\.labels\["app\.kubernetes\.io\/(name|component)"\]$/,
      upstream: absent,
      reason: "the selector labels on the pods",
    },
    {
      objects: /^Deployment\//,
      path: /^spec\.strategy\.rollingUpdate\.maxUnavailable$/,
      upstream: is("25%"),
      ours: is(0),
      reason: "rollouts never drop capacity (surge first)",
    },
    {
      objects: /^Deployment\//,
      path: /^spec\.template\.spec\.topologySpreadConstraints\[/,
      upstream: absent,
      reason: "pods spread over zones and nodes (ScheduleAnyway)",
    },
    {
      objects: /^Deployment\//,
      path: /^spec\.template\.spec\.automountServiceAccountToken$/,
      upstream: absent,
      ours: is(false),
      reason: "hardening: no API token in pods that don't call the API",
    },
    {
      objects: /^Deployment\//,
      path: /^spec\.template\.spec\.enableServiceLinks$/,
      upstream: is(true),
      ours: is(false),
      reason: "hardening: no *_SERVICE_HOST variables (neither app reads them)",
    },
    {
      objects: /^Deployment\//,
      path: /^spec\.template\.spec\.securityContext\.seccompProfile\.type$/,
      upstream: absent,
      ours: is("RuntimeDefault"),
      reason: "hardening: seccomp RuntimeDefault",
    },
    {
      objects: /^Deployment\//,
      path: /^spec\.template\.spec\.volumes\[tmp\]\.(name|emptyDir\.medium|emptyDir\.sizeLimit)$/,
      upstream: absent,
      reason: "every container gets an in-memory /tmp of 64Mi (the root filesystem is read-only)",
    },
    {
      objects: /^Deployment\//,
      path: new RegExp(String.raw`${C}\.volumeMounts\[\/tmp\]\.(name|mountPath|readOnly)$`),
      upstream: absent,
      reason: "same: its mount",
    },
    {
      objects: /^Deployment\//,
      path: new RegExp(String.raw`${C}\.securityContext\.seccompProfile\.type$`),
      upstream: absent,
      ours: is("RuntimeDefault"),
      reason: "hardening: seccomp per container",
    },
    {
      objects: /^Deployment\//,
      path: new RegExp(String.raw`${C}\.securityContext\.runAsNonRoot$`),
      upstream: absent,
      ours: is(true),
      reason: "hardening: non-root stated on each container",
    },
    {
      objects: /^Deployment\//,
      path: new RegExp(String.raw`${C}\.imagePullPolicy$`),
      upstream: is("IfNotPresent"),
      ours: is("Always"),
      reason: "tag-pinned images are re-checked on each start (a tag can move; the peers' rules want Always)",
    },
    {
      objects: /^Deployment\//,
      path: new RegExp(String.raw`${C}\.resources\.(requests|limits)\["ephemeral-storage"\]$`),
      upstream: absent,
      reason:
        "ephemeral-storage request and limit (256Mi, plus node-disk emptyDirs): a pod filling the node's disk is evicted alone",
    },
    {
      objects: /^Deployment\//,
      path: new RegExp(String.raw`${C}\.livenessProbe\.failureThreshold$`),
      upstream: is(3),
      ours: is(6),
      reason: "liveness waits 6 failures (readiness 3): a restart is costlier than leaving the endpoints",
    },
  ];
}
