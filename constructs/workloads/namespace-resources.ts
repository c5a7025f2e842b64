import { IConstruct } from "constructs";
import { PersistentVolumeClaimV1 } from "@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { QuantityKind, formatQuantity, parseQuantity } from "../private/quantity";
import { fail, isToken, show } from "../private/validation";

// What a namespace's LimitRange and ResourceQuota do to the workloads in it, checked at synth so
// nothing the API server refuses at apply (or admission refuses pod by pod) gets past. Sources,
// kubernetes/kubernetes at the versions EKS runs (read 2026-12):
// - ValidateLimitRange (pkg/apis/core/validation/validation.go): min <= max, min <= defaultRequest
//   <= max, min <= default <= max, defaultRequest <= default, per resource.
// - SetDefaults_LimitRangeItem (pkg/apis/core/v1/defaults.go): an unset default limit is the max,
//   an unset default request is the default limit, else the min.
// - The LimitRanger admission plugin (plugin/pkg/admission/limitranger): it fills in the defaults,
//   then refuses a container (init containers too) whose request is below min or limit above max.
// - The ResourceQuota admission (pkg/quota/v1/evaluator/core/pods.go): with a quota on limits.cpu
//   or limits.memory, every container must set that limit ("must specify limits.cpu"); a pod
//   counts max(sum of its containers, largest init container) per resource. services.go: a
//   LoadBalancer Service counts one services.loadbalancers and, like a NodePort Service, one
//   services.nodeports per port.

/**
 * Hard limits for the whole namespace (a ResourceQuota). Only the fields given are limited. Each
 * is checked at synth against what the stack puts in the namespace: a quota no pod of a workload
 * fits, a limits.cpu quota with a container that has no CPU limit (and no LimitRange default),
 * or fewer Services, load balancers, node ports, claims or storage than the stack creates, is
 * refused (the API server would refuse the pods or objects at apply).
 */
export interface ResourceQuotaOptions {
  /** @default - not limited */
  readonly requestsCpu?: string;
  /** @default - not limited */
  readonly requestsMemory?: string;
  /** With it, every container needs a CPU limit (resources.cpuLimit, or the LimitRange's default). @default - not limited */
  readonly limitsCpu?: string;
  /** @default - not limited */
  readonly limitsMemory?: string;
  /** Total storage requested by PersistentVolumeClaims, e.g. "500Gi". @default - not limited */
  readonly requestsStorage?: string;
  /** @default - not limited */
  readonly pods?: number;
  /** @default - not limited */
  readonly services?: number;
  /** LoadBalancer Services (each one an NLB that costs money). @default - not limited */
  readonly servicesLoadBalancers?: number;
  /**
   * Node ports (services.nodeports): every port of a NodePort Service, and of a LoadBalancer
   * Service (which gets node ports too).
   * @default - not limited
   */
  readonly servicesNodePorts?: number;
  /** @default - not limited */
  readonly persistentVolumeClaims?: number;
}

/**
 * Per-container defaults and bounds (a LimitRange of type Container). Refused at synth when out
 * of order (min <= defaultRequest <= defaultLimit <= max, as the API server requires), and when a
 * workload of the namespace in this stack falls outside it.
 */
export interface LimitRangeOptions {
  /** Requests for containers that set none. @default - none */
  readonly defaultRequest?: { readonly cpu?: string; readonly memory?: string };
  /** Limits for containers that set none. @default - none */
  readonly defaultLimit?: { readonly cpu?: string; readonly memory?: string };
  /** The least one container may ask for. @default - no bound */
  readonly min?: { readonly cpu?: string; readonly memory?: string };
  /** The most one container may ask for. @default - no bound */
  readonly max?: { readonly cpu?: string; readonly memory?: string };
}

type Resource = "cpu" | "memory";
const RESOURCES: readonly Resource[] = ["cpu", "memory"];
const KIND: Record<Resource, QuantityKind> = { cpu: "cores", memory: "bytes" };
const WHAT: Record<Resource, string> = { cpu: "CPU", memory: "memory" };
const QUOTA_FIELD: Record<"requests" | "limits", Record<Resource, keyof ResourceQuotaOptions>> = {
  requests: { cpu: "requestsCpu", memory: "requestsMemory" },
  limits: { cpu: "limitsCpu", memory: "limitsMemory" },
};

const value = (q: string | undefined): number | undefined =>
  q === undefined || isToken(q) ? undefined : parseQuantity(q);

/** Refuses a LimitRange the API server would refuse (ValidateLimitRange): its bounds and defaults out of order. */
export function checkLimitRange(where: string, l: LimitRangeOptions): void {
  for (const r of RESOURCES) {
    const [min, max, dReq, dLim] = [l.min?.[r], l.max?.[r], l.defaultRequest?.[r], l.defaultLimit?.[r]];
    const above = (field: string, v: string | undefined, other: string, bound: string | undefined, fix: string) => {
      const [a, b] = [value(v), value(bound)];
      if (a === undefined || b === undefined || a <= b) return;
      fail(
        where,
        `limits.${field}.${r}`,
        v,
        `is above limits.${other}.${r} ("${bound}"), so the API server refuses the LimitRange`,
        fix,
      );
    };
    above("min", min, "max", max, `lower min.${r} or raise max.${r}`);
    above("defaultRequest", dReq, "max", max, `lower defaultRequest.${r} to at most "${max}"`);
    above("defaultLimit", dLim, "max", max, `lower defaultLimit.${r} to at most "${max}"`);
    above(
      "defaultRequest",
      dReq,
      "defaultLimit",
      dLim,
      `lower defaultRequest.${r} to at most "${dLim}", or raise defaultLimit.${r}`,
    );
    const below = (field: string, v: string | undefined) => {
      const [a, b] = [value(v), value(min)];
      if (a === undefined || b === undefined || a >= b) return;
      fail(
        where,
        `limits.${field}.${r}`,
        v,
        `is below limits.min.${r} ("${min}"), so the API server refuses the LimitRange`,
        `raise ${field}.${r} to at least "${min}"`,
      );
    };
    below("defaultRequest", dReq);
    below("defaultLimit", dLim);
  }
}

/** The default limit the LimitRange gives a container without one (its defaultLimit, else its max). */
function defaultLimitOf(l: LimitRangeOptions | undefined, r: Resource): { value: string; field: string } | undefined {
  if (l?.defaultLimit?.[r] !== undefined) return { value: l.defaultLimit[r], field: `defaultLimit.${r}` };
  if (l?.max?.[r] !== undefined)
    return { value: l.max[r], field: `max.${r} (the default limit when defaultLimit.${r} is unset)` };
  return undefined;
}

/** One container of a workload as declared, with the field prefix its errors use ("", "containers[0].", ...). */
export interface DeclaredContainer {
  readonly field: string;
  readonly role: "main" | "extra" | "init";
  readonly resources: {
    readonly cpu: string;
    readonly memory: string;
    readonly cpuLimit?: string;
    readonly memoryLimit?: string;
  };
}

/** The namespace as a workload's checks see it. */
export interface NamespaceBounds {
  readonly name: string;
  readonly quota?: ResourceQuotaOptions;
  readonly limits?: LimitRangeOptions;
}

/**
 * Refuses a workload whose pods the namespace's LimitRange or quota would refuse, every one of
 * them: a request below the LimitRange's min, a limit above its max, a request above the default
 * limit a container without one gets, no CPU limit under a limits.cpu quota, a pod larger than the
 * quota, a quota of 0 pods.
 */
export function checkWorkloadInNamespace(
  where: string,
  ns: NamespaceBounds,
  containers: readonly DeclaredContainer[],
): void {
  const lr = ns.limits;
  const quota = ns.quota;
  const nsName = `namespace ${show(ns.name)}`;
  if (quota?.pods === 0) {
    fail(
      where,
      "namespace",
      ns.name,
      "has quota.pods 0, so no pod of the workload can be created",
      "raise the namespace's quota.pods, or run the workload in another namespace",
    );
  }
  // The limit each container ends up with, per resource (undefined: none).
  const limits = new Map<DeclaredContainer, Record<Resource, string | undefined>>();
  for (const c of containers) {
    const res = c.resources;
    const cpuDefault = res.cpuLimit === undefined ? defaultLimitOf(lr, "cpu") : undefined;
    limits.set(c, { cpu: res.cpuLimit ?? cpuDefault?.value, memory: res.memoryLimit ?? res.memory });
    for (const r of RESOURCES) {
      const request = r === "cpu" ? res.cpu : res.memory;
      const min = lr?.min?.[r];
      const [req, lo] = [value(request), value(min)];
      if (req !== undefined && lo !== undefined && req < lo) {
        fail(
          where,
          `${c.field}resources.${r}`,
          request,
          `is below the least ${WHAT[r]} ${nsName}'s LimitRange allows a container (limits.min.${r} "${min}"), so the API server refuses every pod of the workload`,
          `raise it to at least "${min}", or lower the LimitRange's min.${r}`,
        );
      }
      const declared = r === "cpu" ? res.cpuLimit : (res.memoryLimit ?? res.memory);
      const max = lr?.max?.[r];
      const [lim, hi] = [value(declared), value(max)];
      if (lim !== undefined && hi !== undefined && lim > hi) {
        const field = r === "memory" && res.memoryLimit === undefined ? "memory" : `${r}Limit`;
        fail(
          where,
          `${c.field}resources.${field}`,
          declared,
          `is above the most ${WHAT[r]} ${nsName}'s LimitRange allows a container (limits.max.${r} "${max}")${field === "memory" ? " (the memory limit defaults to the request)" : ""}, so the API server refuses every pod of the workload`,
          `lower it to at most "${max}", or raise the LimitRange's max.${r}`,
        );
      }
    }
    const dflt = value(cpuDefault?.value);
    const req = value(res.cpu);
    if (cpuDefault && dflt !== undefined && req !== undefined && req > dflt) {
      fail(
        where,
        `${c.field}resources.cpu`,
        res.cpu,
        `is above the CPU limit ${nsName}'s LimitRange gives containers without one (limits.${cpuDefault.field} "${cpuDefault.value}"), so the API server refuses every pod of the workload (a request above its limit)`,
        `set ${c.field}resources.cpuLimit to at least the request, or lower the request`,
      );
    }
    if (quota?.limitsCpu !== undefined && res.cpuLimit === undefined && cpuDefault === undefined) {
      fail(
        where,
        `${c.field}resources.cpuLimit`,
        undefined,
        `is unset, but ${nsName} has a quota on limits.cpu ("${quota.limitsCpu}") and ${lr ? "its LimitRange gives no default CPU limit" : "no LimitRange gives a default CPU limit"}, so the API server refuses every pod of the workload (with that quota every container needs a CPU limit)`,
        `set ${c.field}resources.cpuLimit, or give the namespace limits: { defaultLimit: { cpu: "..." } }`,
      );
    }
  }
  // One pod against the quota: max(sum of the containers, the largest init container).
  for (const kind of ["requests", "limits"] as const) {
    for (const r of RESOURCES) {
      const field = QUOTA_FIELD[kind][r];
      const q = value(quota?.[field] as string | undefined);
      if (q === undefined) continue;
      const amounts = containers.map((c) =>
        value(kind === "requests" ? (r === "cpu" ? c.resources.cpu : c.resources.memory) : limits.get(c)![r]),
      );
      if (amounts.some((a) => a === undefined)) continue; // a token, or a limit the check above covers
      const sum = containers.reduce((s, c, i) => (c.role === "init" ? s : s + amounts[i]!), 0);
      const init = Math.max(0, ...containers.map((c, i) => (c.role === "init" ? amounts[i]! : 0)));
      const pod = Math.max(sum, init);
      if (pod > q) {
        const amount = formatQuantity(KIND[r], pod);
        fail(
          where,
          `pod ${kind}.${r}`,
          amount,
          `(one pod's: its containers' sum, or its largest init container's) is above ${nsName}'s quota (quota.${field} "${quota![field]}"), so no pod of the workload can ever be admitted`,
          `raise quota.${field} to at least "${amount}", or lower the workload's ${WHAT[r]} ${kind}`,
        );
      }
    }
  }
}

/**
 * Refuses a quota smaller than what this stack creates in the namespace: LoadBalancer Services
 * (services.loadbalancers), node ports (services.nodeports: every port of a NodePort or
 * LoadBalancer Service), Services, and PersistentVolumeClaims (their count and requests.storage).
 * The API server would refuse the objects past the quota at apply.
 */
export function checkNamespaceObjects(
  where: string,
  namespace: string,
  quota: ResourceQuotaOptions,
  scope: IConstruct,
): void {
  if (isToken(namespace)) return;
  const inNamespace = (m: { namespace?: string } | undefined) => m?.namespace === namespace;
  const services: ServiceV1[] = [];
  const claims: PersistentVolumeClaimV1[] = [];
  for (const c of scope.node.findAll()) {
    if (c instanceof ServiceV1 && inNamespace(c.metadata.internalValue)) services.push(c);
    else if (c instanceof PersistentVolumeClaimV1 && inNamespace(c.metadata.internalValue)) claims.push(c);
  }
  const typeOf = (s: ServiceV1) => s.spec.internalValue?.type ?? "ClusterIP";
  const names = (list: (ServiceV1 | PersistentVolumeClaimV1)[]) =>
    list
      .map((o) =>
        isToken(o.metadata.internalValue?.name) ? "<a name only known at apply>" : show(o.metadata.internalValue?.name),
      )
      .join(", ");
  const portsOf = (s: ServiceV1) => {
    const ports = s.spec.internalValue?.port;
    return Array.isArray(ports) ? ports.length : 1;
  };
  const over = (field: keyof ResourceQuotaOptions, used: number, what: string, listed: string, fix: string) => {
    const q = quota[field];
    if (typeof q !== "number" || isToken(q) || used <= q) return;
    fail(
      where,
      `quota.${field}`,
      q,
      `is below the ${used} ${what} this stack creates in the namespace (${listed}), so the API server refuses ${used - q} of them at apply`,
      fix,
    );
  };
  const lbs = services.filter((s) => typeOf(s) === "LoadBalancer");
  over(
    "servicesLoadBalancers",
    lbs.length,
    "LoadBalancer Service(s)",
    names(lbs),
    `raise quota.servicesLoadBalancers to at least ${lbs.length}, or expose fewer workloads through an NLB`,
  );
  const nodePortServices = services.filter((s) => ["NodePort", "LoadBalancer"].includes(typeOf(s)));
  const nodePorts = nodePortServices.reduce((n, s) => n + portsOf(s), 0);
  over(
    "servicesNodePorts",
    nodePorts,
    "node port(s) (every port of a NodePort or LoadBalancer Service)",
    names(nodePortServices),
    `raise quota.servicesNodePorts to at least ${nodePorts}`,
  );
  over(
    "services",
    services.length,
    "Service(s)",
    names(services),
    `raise quota.services to at least ${services.length}`,
  );
  over(
    "persistentVolumeClaims",
    claims.length,
    "PersistentVolumeClaim(s)",
    names(claims),
    `raise quota.persistentVolumeClaims to at least ${claims.length}`,
  );
  const storage = value(quota.requestsStorage);
  if (storage === undefined) return;
  const sizes = claims.map((c) => value(c.spec.internalValue?.resources?.requests?.storage));
  if (sizes.some((s) => s === undefined)) return;
  const total = sizes.reduce((sum: number, b) => sum + b!, 0);
  if (total > storage) {
    const amount = formatQuantity("volume", total);
    fail(
      where,
      "quota.requestsStorage",
      quota.requestsStorage,
      `is below the ${amount} the ${claims.length} PersistentVolumeClaim(s) this stack creates in the namespace request (${names(claims)}), so the API server refuses the claims past it at apply`,
      `raise quota.requestsStorage to at least "${amount}", or make the claims smaller`,
    );
  }
}
