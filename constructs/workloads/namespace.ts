import {
  Annotations,
  Aspects,
  IAspect,
  ITerraformDependable,
  Lazy,
  TerraformResource,
  TerraformStack,
  Token,
} from "cdktf";
import { Construct, IConstruct } from "constructs";
import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import {
  NetworkPolicyV1,
  NetworkPolicyV1SpecEgress,
  NetworkPolicyV1SpecIngress,
  NetworkPolicyV1SpecIngressFrom,
  NetworkPolicyV1SpecIngressPorts,
  NetworkPolicyV1Spec,
} from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { fargateProfilesOf, selectorMatchesNamespace } from "../eks/fargate-profile";
import { IEksCluster } from "../eks/types";
import { cidrProblem, contains, ipv6CidrProblem, parseCidr } from "../private/cidr";
import { ipv6StrictSubset, looksIpv6 } from "../private/ipv6-cidr";
import { contextOf, warnAtSynth } from "../private/context";
import { checkDnsSubdomain, checkLabels, checkNamespaceName, checkPortName } from "../private/kubernetes-names";
import { ipFamiliesOf } from "../eks/ip-family";
import { QuantityKind, checkQuantity } from "../private/quantity";
import { addSynthCheck, checkInteger, describe, fail, isToken, show } from "../private/validation";
import { DependOnLater } from "../private/dependencies";
import { READINESS_GATE_LABEL } from "./load-balancer-drain";
import { loadBalancingOf } from "./load-balancing";
import { NetworkPeer, NetworkPort, NetworkRule } from "./network-rules";
import { checkLimitRange, checkNamespaceObjects, LimitRangeOptions, ResourceQuotaOptions } from "./namespace-resources";
import { checkStackCluster, sameCluster } from "./pod-spec-rules";

export type { LimitRangeOptions, ResourceQuotaOptions } from "./namespace-resources";

/** Pod Security Admission levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/**
 * The level enforced in the namespace. `restricted` is the default; a weaker level needs a
 * written reason, kept as an annotation on the namespace so reviewers see why.
 */
export type PodSecurity =
  { readonly level: "restricted" } | { readonly level: "baseline" | "privileged"; readonly reason: string };

export interface NetworkPolicyOptions {
  /**
   * Deny all ingress and egress not allowed by a rule (DNS to kube-dns is always allowed).
   * `false` leaves the namespace open: every pod in the cluster can reach every pod here.
   * @default true
   */
  readonly defaultDeny?: boolean;
  /** Allowed incoming connections. @default - none */
  readonly ingress?: NetworkRule[];
  /** Allowed outgoing connections (besides DNS). @default - none */
  readonly egress?: NetworkRule[];
}

export interface NamespaceOptions {
  /** @default - the construct id */
  readonly name?: string;
  /** @default { level: "restricted" } */
  readonly podSecurity?: PodSecurity;
  /** @default - no quota */
  readonly quota?: ResourceQuotaOptions;
  /** @default - no LimitRange */
  readonly limits?: LimitRangeOptions;
  /** @default { defaultDeny: true } */
  readonly networkPolicy?: NetworkPolicyOptions;
  /** Extra namespace labels. @default - none */
  readonly labels?: Record<string, string>;
  /**
   * Why it is acceptable that pods of this namespace that run on Fargate don't enforce its
   * NetworkPolicies (the network policy agent runs on EC2 nodes only). Written down, it replaces
   * the synth warning a Fargate-selected namespace with policies otherwise gets, and shows in
   * code review like a policy suppression.
   * @default - none: a namespace a Fargate profile selects gets the warning
   */
  readonly fargateNetworkPolicyException?: string;
}

export interface NamespaceProps extends NamespaceOptions {
  /** The cluster the namespace lives in. */
  readonly cluster: IEksCluster;
}

/** What workloads need from their namespace. */
export interface INamespace extends IConstruct {
  readonly name: string;
  readonly cluster: IEksCluster;
  readonly podSecurityLevel: PodSecurityLevel;
  /** Labels put on every object in the namespace. */
  readonly commonLabels: Record<string, string>;
  /**
   * What objects in the namespace depend on (the namespace resource), so Terraform creates
   * them after it and deletes them before it.
   * @default - none (a namespace created elsewhere)
   */
  readonly dependable?: ITerraformDependable;
  /** The Fargate profile (described) that runs pods with these labels here, or undefined. Read at synth. */
  fargateProfileFor(podLabels: Record<string, string>): string | undefined;
}

const PSA = "pod-security.kubernetes.io";
/** Namespace names per cluster, to refuse declaring one twice. */
const namespacesOf = new WeakMap<IEksCluster, Map<string, string>>();
const LEVELS: readonly PodSecurityLevel[] = ["restricted", "baseline", "privileged"];

/**
 * A namespace with Pod Security Admission (restricted enforced by default; audit and warn
 * always at restricted), an optional ResourceQuota and LimitRange, and default-deny
 * NetworkPolicies with DNS allowed and typed allow rules.
 *
 * NetworkPolicies are only enforced when something in the cluster enforces them (the vpc-cni
 * network policy agent, or Auto Mode's controller): a namespace with policies in a cluster that
 * doesn't is refused, so no policy is ever silently ignored.
 */
export class Namespace extends Construct implements INamespace {
  public readonly name: string;
  public readonly cluster: IEksCluster;
  public readonly podSecurityLevel: PodSecurityLevel;
  public readonly commonLabels: Record<string, string>;
  public readonly defaultDeny: boolean;
  public readonly resource: NamespaceV1;
  public readonly dependable: ITerraformDependable;
  public readonly quota?: ResourceQuotaV1;
  public readonly limitRange?: LimitRangeV1;
  /** The quota as declared (what a VerticalPodAutoscaler must fit). */
  public readonly quotaOptions?: ResourceQuotaOptions;
  /** The LimitRange as declared (what a VerticalPodAutoscaler's bounds must lie within). */
  public readonly limitRangeOptions?: LimitRangeOptions;
  /** The NetworkPolicies, by name. */
  public readonly networkPolicies: Record<string, NetworkPolicyV1> = {};
  private readonly where: string;
  /** Workloads exposed through the load balancer's ip targets (see exposeThroughLoadBalancer). */
  private readonly exposed: IConstruct[] = [];

  constructor(scope: Construct, id: string, props: NamespaceProps) {
    super(scope, id);
    const where = describe("Namespace", id);
    this.where = where;
    this.cluster = props.cluster;
    this.name = props.name ?? id;
    checkNamespaceName(where, "name", this.name);
    checkStackCluster(this, where, "cluster", props.cluster);
    if (!isToken(this.name) && ["default", "kube-system", "kube-public", "kube-node-lease"].includes(this.name)) {
      fail(where, "name", this.name, "is a namespace Kubernetes creates itself", "pick a name of your own");
    }
    const taken = namespacesOf.get(props.cluster) ?? new Map<string, string>();
    if (!isToken(this.name) && taken.has(this.name)) {
      fail(
        where,
        "name",
        this.name,
        `is already declared for cluster "${props.cluster.name}" by ${taken.get(this.name)}`,
        "declare each namespace once and pass that construct around",
      );
    }
    taken.set(this.name, where);
    namespacesOf.set(props.cluster, taken);
    const podSecurity = props.podSecurity ?? { level: "restricted" };
    if (!LEVELS.includes(podSecurity.level)) {
      fail(
        where,
        "podSecurity.level",
        podSecurity.level,
        "is not a Pod Security level",
        `use one of ${LEVELS.join(", ")}`,
      );
    }
    const reason = podSecurity.level === "restricted" ? undefined : podSecurity.reason;
    if (podSecurity.level !== "restricted" && (typeof reason !== "string" || reason.trim().length === 0)) {
      fail(
        where,
        "podSecurity.reason",
        reason ?? "",
        `is missing: level "${podSecurity.level}" weakens the restricted default`,
        'say why the pods need it, e.g. { level: "baseline", reason: "vendor image runs as root" }, or keep "restricted"',
      );
    }
    this.podSecurityLevel = podSecurity.level;
    checkLabels(where, "labels", props.labels);
    this.commonLabels = { "app.kubernetes.io/managed-by": "cdktf" };

    const labels = {
      ...(props.labels ?? {}),
      ...this.commonLabels,
      [`${PSA}/enforce`]: this.podSecurityLevel,
      [`${PSA}/enforce-version`]: "latest",
      // Audit and warn at restricted even where a weaker level is enforced: the gap stays visible.
      [`${PSA}/audit`]: "restricted",
      [`${PSA}/audit-version`]: "latest",
      [`${PSA}/warn`]: "restricted",
      [`${PSA}/warn-version`]: "latest",
    };
    this.resource = new NamespaceV1(this, "namespace", {
      metadata: {
        name: this.name,
        // The readiness gate label is known at synth only (the load balancing may be declared later).
        labels: Token.asStringMap(
          Lazy.anyValue({
            produce: () => (this.podReadinessGates ? { ...labels, [READINESS_GATE_LABEL]: "enabled" } : labels),
          }),
        ),
        annotations: reason !== undefined ? { "eks-platform/pod-security-reason": reason } : undefined,
      },
    });

    this.dependable = this.resource;
    this.quotaOptions = props.quota;
    this.limitRangeOptions = props.limits;
    if (props.quota) this.quota = this.createQuota(where, props.quota);
    if (props.limits) this.limitRange = this.createLimitRange(where, props.limits);
    const quota = props.quota;
    // At synth: the stack's Services and claims in the namespace may be declared after it.
    if (quota) {
      addSynthCheck(this, () => checkNamespaceObjects(where, this.name, quota, TerraformStack.of(this)));
    }

    const np = props.networkPolicy ?? {};
    this.defaultDeny = np.defaultDeny ?? true;
    if (this.defaultDeny) {
      this.checkEnforcement("networkPolicy.defaultDeny", true);
      this.policy("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
      this.policy("allow-dns", {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [dnsEgress(this.cluster)],
      });
    }
    for (const rule of np.ingress ?? []) this.allowIngress(rule);
    for (const rule of np.egress ?? []) this.allowEgress(rule);

    // The vpc-cni network policy agent runs on EC2 nodes only: Fargate pods ignore NetworkPolicies.
    const fargateException = props.fargateNetworkPolicyException;
    if (fargateException !== undefined && fargateException.trim().length < 10) {
      fail(
        where,
        "fargateNetworkPolicyException",
        fargateException,
        "is not a reason",
        "write why Fargate pods of this namespace may go without NetworkPolicy enforcement (at least a few words), or remove it and keep the warning",
      );
    }
    let warned = false;
    this.node.addValidation({
      validate: () => {
        if (warned || Object.keys(this.networkPolicies).length === 0 || fargateException !== undefined) return [];
        warned = true;
        const profile = this.fargateProfileFor({}) ?? this.fargateProfileForAnyLabels();
        if (profile) {
          Annotations.of(this).addWarning(
            `${where}: ${profile} runs pods of this namespace on Fargate, where NetworkPolicies are not enforced (the network policy agent runs on EC2 nodes only); isolate Fargate pods with security groups, and rely on the policies only for pods on nodes`,
          );
        }
        return [];
      },
    });
  }

  /**
   * True when the namespace carries `elbv2.k8s.aws/pod-readiness-gate-inject: enabled`: a workload
   * here is exposed through the load balancer's ip targets, and the stack's load balancing injects
   * readiness gates (the AWS Load Balancer Controller; not EKS Auto Mode). Read at synth.
   */
  public get podReadinessGates(): boolean {
    return this.exposed.length > 0 && loadBalancingOf(this)?.podReadinessGates === true;
  }

  /**
   * Records that `workload` (in this namespace) is a target of a load balancer with ip targets.
   * With the AWS Load Balancer Controller the namespace then gets the readiness gate label, and
   * every pod-creating object of the namespace in this stack is created after the controller's
   * release: its pod webhook (failurePolicy Fail) intercepts every Pod CREATE here.
   */
  public exposeThroughLoadBalancer(workload: IConstruct): void {
    if (this.exposed.includes(workload)) return;
    if (this.exposed.length === 0) Aspects.of(TerraformStack.of(this)).add(new PodsAfterReadinessGateWebhook(this));
    this.exposed.push(workload);
  }

  private fargateProfileForAnyLabels(): string | undefined {
    for (const profile of fargateProfilesOf(this.cluster)) {
      const selector = profile.selectors.find((s) => selectorMatchesNamespace(s, this.name));
      if (selector) return `FargateProfile '${profile.node.id}' (selector ${show(selector.namespace)})`;
    }
    return undefined;
  }

  /** Allows incoming connections from `rule.peers` (to `rule.pods`, or every pod here). */
  public allowIngress(rule: NetworkRule): NetworkPolicyV1 {
    return this.rule("ingress", rule);
  }

  /** Allows outgoing connections to `rule.peers` (from `rule.pods`, or every pod here). */
  public allowEgress(rule: NetworkRule): NetworkPolicyV1 {
    return this.rule("egress", rule);
  }

  public fargateProfileFor(podLabels: Record<string, string>): string | undefined {
    for (const profile of fargateProfilesOf(this.cluster)) {
      for (const selector of profile.selectors) {
        if (!selectorMatchesNamespace(selector, this.name)) continue;
        const labels = selector.labels ?? {};
        const matches = Object.entries(labels).every(([k, v]) => {
          const actual = podLabels[k];
          if (actual === undefined) return false;
          const pattern = v
            .replace(/[.+^${}()|[\]\\-]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".");
          return new RegExp(`^${pattern}$`).test(actual);
        });
        if (matches) return `FargateProfile '${profile.node.id}' (selector ${show(selector.namespace)})`;
      }
    }
    return undefined;
  }

  private rule(direction: "ingress" | "egress", rule: NetworkRule): NetworkPolicyV1 {
    const field = `networkPolicy.${direction} rule ${show(rule.name)}`;
    checkDnsSubdomain(this.where, `networkPolicy.${direction}[].name`, rule.name, "NetworkPolicy name");
    if (this.networkPolicies[rule.name] !== undefined || ["default-deny", "allow-dns"].includes(rule.name)) {
      fail(this.where, `networkPolicy.${direction}[].name`, rule.name, "is used twice", "give every rule its own name");
    }
    this.checkEnforcement(field, rule.name);
    if (!rule.peers || rule.peers.length === 0) {
      fail(
        this.where,
        `${field}.peers`,
        rule.peers ?? [],
        "is empty (a rule without peers allows nothing)",
        "list at least one peer, e.g. Peer.sameNamespace() or Peer.workload(web)",
      );
    }
    if (rule.pods && rule.pods.namespaceName !== this.name) {
      fail(
        this.where,
        `${field}.pods`,
        rule.pods.node.id,
        `runs in namespace ${show(rule.pods.namespaceName)}, not in ${show(this.name)}`,
        "add the rule to the workload's own namespace",
      );
    }
    const peers = rule.peers.flatMap((p, i) => this.renderPeer(`${field}.peers[${i}]`, p));
    const ports = (rule.ports ?? []).map((p, i) => renderPort(this.where, `${field}.ports[${i}]`, p));
    this.checkNamedPorts(direction, field, rule);
    const podSelector = { matchLabels: rule.pods?.selectorLabels ?? {} };
    if (direction === "ingress") {
      const ingress: NetworkPolicyV1SpecIngress = { from: peers, ports: ports.length > 0 ? ports : undefined };
      return this.policy(rule.name, { podSelector, policyTypes: ["Ingress"], ingress: [ingress] });
    }
    const egress: NetworkPolicyV1SpecEgress = { to: peers, ports: ports.length > 0 ? ports : undefined };
    return this.policy(rule.name, { podSelector, policyTypes: ["Egress"], egress: [egress] });
  }

  /**
   * A named port in a rule is looked up in the containers of the pods it reaches: the rule's
   * pods for ingress, the peer pods for egress (Kubernetes NetworkPolicyPort: "a named port on a
   * pod"). A name none of them declares matches nothing, so the rule silently allows nothing.
   * Refused when the rule names its workloads; when it covers every pod of the namespace, checked
   * at synth against the namespace's workloads (a warning: pods from charts may declare it).
   */
  private checkNamedPorts(direction: "ingress" | "egress", field: string, rule: NetworkRule): void {
    const named = (rule.ports ?? [])
      .map((p, i) => ({ name: p.port, at: `${field}.ports[${i}].port` }))
      .filter((p): p is { name: string; at: string } => typeof p.name === "string" && !isToken(p.name));
    if (named.length === 0) return;
    const targets: IConstruct[] | undefined =
      direction === "ingress"
        ? rule.pods && [rule.pods]
        : rule.peers.every((p) => p.kind === "pods")
          ? rule.peers.map((p) => (p as { pods: IConstruct }).pods)
          : undefined;
    if (targets !== undefined) {
      const declared = targets.map(declaredPortNames);
      if (declared.some((d) => d === undefined)) return; // pods we can't see into
      const all = new Set(declared.flatMap((d) => d!));
      const whose = direction === "ingress" ? "the rule's pods" : "the peer pods";
      for (const p of named.filter((n) => !all.has(n.name))) {
        fail(
          this.where,
          p.at,
          p.name,
          `is not a port name ${whose} declare (${targets.map((t) => describePorts(t)).join("; ")}): a named port no container declares matches nothing, so the rule allows nothing`,
          "name a declared container port, or give the port number",
        );
      }
      return;
    }
    if (direction === "egress") return; // peers outside our view (CIDRs, namespaces)
    warnAtSynth(this, this.where, () => {
      // Workloads live in their namespace's stack (checkSameStack): the stack is all there is to walk.
      const workloads = TerraformStack.of(this)
        .node.findAll()
        .filter((c) => (c as { namespace?: unknown }).namespace === this && declaredPortNames(c) !== undefined);
      if (workloads.length === 0) return [];
      const all = new Set(workloads.flatMap((w) => declaredPortNames(w)!));
      return named
        .filter((n) => !all.has(n.name))
        .map(
          (n) =>
            `${n.at} ${show(n.name)} is declared by no workload of this namespace (${workloads.map((w) => describePorts(w)).join("; ")}): unless other pods here declare it, the rule allows nothing; name a declared container port, or give the port number`,
        );
    });
  }

  /** One peer as NetworkPolicy peers: a family-following peer becomes one ipBlock per IP family. */
  private renderPeer(field: string, peer: NetworkPeer): NetworkPolicyV1SpecIngressFrom[] {
    const families = ipFamiliesOf(this.cluster);
    switch (peer.kind) {
      case "same-namespace":
        return [{ podSelector: {} }];
      case "namespace":
        checkNamespaceName(this.where, `${field}.namespace`, peer.namespace);
        return [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": peer.namespace } } }];
      case "pods": {
        // A workload of another cluster: its labels select nothing here (pods reach another
        // cluster's pods through a load balancer or their addresses, never a pod selector).
        const other = (peer.pods as { namespace?: { cluster?: IEksCluster } }).namespace?.cluster;
        if (other !== undefined && !sameCluster(other, this.cluster)) {
          fail(
            this.where,
            field,
            peer.pods.node.path,
            `is a workload of cluster ${show(isToken(other.name) ? other.node.path : other.name)}, not of this namespace's cluster ${show(isToken(this.cluster.name) ? this.cluster.node.path : this.cluster.name)}: a NetworkPolicy selects pods of its own cluster only`,
            "allow the other cluster's traffic by address (Peer.cidr or Peer.vpc), or name a workload of this cluster",
          );
        }
        if (peer.pods.namespaceName === this.name) return [{ podSelector: { matchLabels: peer.pods.selectorLabels } }];
        return [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": peer.pods.namespaceName } },
            podSelector: { matchLabels: peer.pods.selectorLabels },
          },
        ];
      }
      case "cidr":
        if (!isToken(peer.cidr)) checkCidr(this.where, `${field}.cidr`, peer.cidr);
        (peer.except ?? []).forEach((c, i) => {
          if (isToken(c)) return;
          checkCidr(this.where, `${field}.except[${i}]`, c);
          if (!isToken(peer.cidr)) checkExcept(this.where, `${field}.except[${i}]`, peer.cidr, c);
        });
        return [{ ipBlock: { cidr: peer.cidr, except: peer.except } }];
      case "anywhere":
        return families.map((f) => ({ ipBlock: { cidr: f === "ipv4" ? "0.0.0.0/0" : "::/0" } }));
      case "vpc":
        return families.flatMap((f) => {
          const network = this.cluster.network;
          if (f === "ipv4") return [{ ipBlock: { cidr: network.vpcCidr } }];
          if (network.vpcIpv6Cidr !== undefined) return [{ ipBlock: { cidr: network.vpcIpv6Cidr } }];
          // Unknown family and an IPv4-only network: the cluster can only be IPv4.
          if (families.length > 1) return [];
          return fail(
            this.where,
            field,
            "Peer.vpc()",
            `needs the VPC's IPv6 CIDR on IPv6 cluster "${this.cluster.name}", but its network has none`,
            "import the network with its vpcIpv6Cidr (Network.fromNetworkAttributes), or give the range with Peer.cidr()",
          );
        });
      default:
        return fail(
          this.where,
          field,
          peer,
          "is not a network peer",
          "build peers with Peer.sameNamespace(), Peer.namespace(), Peer.workload(), Peer.cidr(), Peer.vpc() or Peer.anywhere()",
        );
    }
  }

  private checkEnforcement(field: string, value: unknown): void {
    if (this.cluster.networkPolicyEnforcement !== "none") return;
    fail(
      this.where,
      field,
      value,
      this.cluster.adopted
        ? `needs NetworkPolicy enforcement, but adopted cluster "${this.cluster.name}" declares none (networkPolicyEnforcement is "none", its default), so the policy would be silently ignored`
        : `needs NetworkPolicy enforcement, but cluster "${this.cluster.name}" has none (its vpc-cni network policy agent is off), so the policy would be silently ignored`,
      this.cluster.adopted
        ? 'set networkPolicyEnforcement in fromClusterAttributes to what the cluster runs ("vpc-cni" when its vpc-cni network policy agent is on), or set networkPolicy: { defaultDeny: false } and add no rules'
        : 'turn the agent on (the vpc-cni default; or addons: { "vpc-cni": { configurationValues: { enableNetworkPolicy: "true" } } }), or set networkPolicy: { defaultDeny: false } and add no rules',
    );
  }

  private policy(name: string, spec: NetworkPolicyV1Spec): NetworkPolicyV1 {
    const policy = new NetworkPolicyV1(this, `policy-${name}`, {
      metadata: { name, namespace: this.name, labels: this.commonLabels },
      spec,
      dependsOn: [this.resource],
    });
    this.networkPolicies[name] = policy;
    return policy;
  }

  private createQuota(where: string, q: ResourceQuotaOptions): ResourceQuotaV1 {
    const hard: Record<string, string> = {};
    const quantity = (
      key: string,
      field: keyof ResourceQuotaOptions,
      value: string | undefined,
      kind: QuantityKind = "cores",
    ) => {
      if (value === undefined) return;
      checkQuantity(where, `quota.${field}`, value, kind);
      hard[key] = value;
    };
    const count = (key: string, field: keyof ResourceQuotaOptions, value: number | undefined) => {
      if (value === undefined) return;
      checkInteger(where, `quota.${field}`, value, 0, 1_000_000);
      hard[key] = String(value);
    };
    quantity("requests.cpu", "requestsCpu", q.requestsCpu);
    quantity("requests.memory", "requestsMemory", q.requestsMemory, "bytes");
    quantity("limits.cpu", "limitsCpu", q.limitsCpu);
    quantity("limits.memory", "limitsMemory", q.limitsMemory, "bytes");
    quantity("requests.storage", "requestsStorage", q.requestsStorage, "volume");
    count("pods", "pods", q.pods);
    count("services", "services", q.services);
    count("services.loadbalancers", "servicesLoadBalancers", q.servicesLoadBalancers);
    count("services.nodeports", "servicesNodePorts", q.servicesNodePorts);
    count("persistentvolumeclaims", "persistentVolumeClaims", q.persistentVolumeClaims);
    if (Object.keys(hard).length === 0) {
      fail(
        where,
        "quota",
        q,
        "limits nothing",
        'give at least one limit, e.g. { requestsCpu: "4", requestsMemory: "8Gi" }',
      );
    }
    return new ResourceQuotaV1(this, "quota", {
      metadata: { name: "quota", namespace: this.name, labels: this.commonLabels },
      spec: { hard },
      dependsOn: [this.resource],
    });
  }

  private createLimitRange(where: string, l: LimitRangeOptions): LimitRangeV1 {
    const pick = (field: string, v: { cpu?: string; memory?: string } | undefined) => {
      if (v === undefined) return undefined;
      const out: Record<string, string> = {};
      if (v.cpu !== undefined) {
        checkQuantity(where, `limits.${field}.cpu`, v.cpu);
        out.cpu = v.cpu;
      }
      if (v.memory !== undefined) {
        checkQuantity(where, `limits.${field}.memory`, v.memory, "bytes");
        out.memory = v.memory;
      }
      return Object.keys(out).length > 0 ? out : undefined;
    };
    const spec = {
      defaultRequest: pick("defaultRequest", l.defaultRequest),
      default: pick("defaultLimit", l.defaultLimit),
      max: pick("max", l.max),
      min: pick("min", l.min),
    };
    checkLimitRange(where, l);
    return new LimitRangeV1(this, "limits", {
      metadata: { name: "limits", namespace: this.name, labels: this.commonLabels },
      spec: {
        limit: [{ type: "Container", ...spec }],
      },
      dependsOn: [this.resource],
    });
  }
}

/** Resources whose controllers create pods (what the readiness gate webhook intercepts). */
const POD_CREATORS = [
  "kubernetes_deployment_v1",
  "kubernetes_deployment",
  "kubernetes_stateful_set_v1",
  "kubernetes_stateful_set",
  "kubernetes_daemon_set_v1",
  "kubernetes_daemonset",
  "kubernetes_job_v1",
  "kubernetes_job",
  "kubernetes_cron_job_v1",
  "kubernetes_cron_job",
  "kubernetes_pod_v1",
  "kubernetes_pod",
];

/**
 * Orders the pod-creating resources of a labelled namespace (those under a construct whose
 * `namespace` is it) after the load balancing's dependables (the controller's release).
 */
class PodsAfterReadinessGateWebhook implements IAspect {
  constructor(private readonly namespace: Namespace) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) || !POD_CREATORS.includes(node.terraformResourceType)) return;
    if (!node.node.scopes.some((s) => (s as { namespace?: unknown }).namespace === this.namespace)) return;
    if (!this.namespace.podReadinessGates) return;
    new DependOnLater([node], () => loadBalancingOf(this.namespace)?.dependables ?? []).visit(node);
  }
}

/**
 * DNS egress. With the vpc-cni, CoreDNS runs as pods in kube-system (label k8s-app=kube-dns).
 * EKS Auto Mode runs the cluster DNS on each node instead of as pods, so there is no pod to
 * select: port 53 is allowed to any destination.
 */
function dnsEgress(cluster: IEksCluster): NetworkPolicyV1SpecEgress {
  const ports: NetworkPolicyV1SpecIngressPorts[] = [
    { port: "53", protocol: "UDP" },
    { port: "53", protocol: "TCP" },
  ];
  if (cluster.computeMode === "auto") return { ports };
  return {
    to: [
      {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
        podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
      },
    ],
    ports,
  };
}

function renderPort(where: string, field: string, p: NetworkPort): NetworkPolicyV1SpecIngressPorts {
  const protocol = p.protocol ?? "TCP";
  if (protocol !== "TCP" && protocol !== "UDP")
    fail(where, `${field}.protocol`, protocol, "is not supported", 'use "TCP" or "UDP"');
  if (typeof p.port === "number") checkInteger(where, `${field}.port`, p.port, 1, 65535);
  else checkPortName(where, `${field}.port`, p.port);
  if (p.endPort !== undefined) {
    if (typeof p.port !== "number") {
      fail(where, `${field}.endPort`, p.endPort, "needs a numeric port to start the range", "give port as a number");
    }
    checkInteger(where, `${field}.endPort`, p.endPort, p.port, 65535);
  }
  return { port: String(p.port), protocol, endPort: p.endPort };
}

/** The container port names a workload's pods declare, or undefined for pods we can't see into. */
function declaredPortNames(pods: IConstruct): string[] | undefined {
  const ports = (pods as { podPorts?: { name?: string }[] }).podPorts;
  if (!Array.isArray(ports)) return undefined;
  return ports.map((p) => p.name).filter((n): n is string => n !== undefined);
}

function describePorts(pods: IConstruct): string {
  // Workloads keep their "Kind 'id'" in `where` (protected there; read here for the message only).
  const own = (pods as { where?: unknown }).where;
  const where = contextOf(pods) ?? (typeof own === "string" ? own : pods.node.id);
  const names = declaredPortNames(pods) ?? [];
  return names.length === 0 ? `${where} declares no named port` : `${where} declares ${names.map(show).join(", ")}`;
}

/**
 * An ipBlock's except range must be a strict subset of its cidr (Kubernetes ValidateIPBlock:
 * cidrIPNet.Contains(except IP) and a longer prefix), so also of the same IP family.
 */
function checkExcept(where: string, field: string, cidr: string, except: string): void {
  const v6 = looksIpv6(cidr);
  if (v6 !== looksIpv6(except)) {
    fail(
      where,
      field,
      except,
      `is ${v6 ? "IPv4" : "IPv6"}, but cidr ${show(cidr)} is ${v6 ? "IPv6" : "IPv4"}: an except range lies inside its cidr`,
      "give except ranges of the cidr's family inside it, and the other family in a Peer.cidr of its own",
    );
  }
  const inside = v6
    ? ipv6StrictSubset(cidr, except)
    : cidrProblem(cidr) === undefined &&
      parseCidr(except).prefix > parseCidr(cidr).prefix &&
      contains(parseCidr(cidr), parseCidr(except));
  if (inside === false) {
    fail(
      where,
      field,
      except,
      `is not inside cidr ${show(cidr)} with a longer prefix (Kubernetes requires an except range to be a strict subset of its cidr)`,
      `give a range inside ${show(cidr)} with a prefix longer than /${cidr.split("/")[1]}, or widen cidr`,
    );
  }
}

function checkCidr(where: string, field: string, cidr: string): void {
  const problem = cidr.includes(":") ? ipv6CidrProblem(cidr) : cidrProblem(cidr);
  if (problem)
    fail(where, field, cidr, problem, 'use an IPv4 CIDR such as "10.0.0.0/16" or an IPv6 CIDR such as "fd00::/8"');
}
