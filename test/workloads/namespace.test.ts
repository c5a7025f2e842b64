import { Construct } from "constructs";
import { TerraformStack, Testing } from "cdktf";
import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { Namespace, Peer, Worker } from "../../constructs/workloads";
import { FargateProfile } from "../../constructs/eks/fargate-profile";
import { warningsOf } from "../fixtures";
import { fargateSetup } from "./cases";
import { IMAGE, RESOURCES, setup, synthWith, testCluster, workloadStack } from "./fixtures";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";

const policiesOf = (json: any): Record<string, any> =>
  Object.fromEntries(
    Object.values(json.resource.kubernetes_network_policy_v1 ?? {}).map((p: any) => [p.metadata.name, p]),
  );

describe("Namespace defaults", () => {
  const { stack, ns } = setup();
  const synth = Testing.synth(stack, true);
  const json = JSON.parse(synth);

  test("enforces restricted Pod Security, and audits and warns at restricted", () => {
    expect(synth).toHaveResource(NamespaceV1);
    expect(Object.values(json.resource.kubernetes_namespace_v1)[0]).toMatchObject({
      metadata: {
        name: "shop",
        labels: {
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": "latest",
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/warn": "restricted",
        },
      },
    });
    expect(ns.podSecurityLevel).toBe("restricted");
  });

  test("denies all ingress and egress, except DNS to kube-dns on UDP and TCP 53", () => {
    const policies = policiesOf(json);
    expect(Object.keys(policies).sort()).toEqual(["allow-dns", "default-deny"]);
    expect(policies["default-deny"].spec).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"] });
    expect(policies["allow-dns"].spec).toEqual({
      pod_selector: {},
      policy_types: ["Egress"],
      egress: [
        {
          to: [
            {
              namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "kube-system" } },
              pod_selector: { match_labels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { port: "53", protocol: "UDP" },
            { port: "53", protocol: "TCP" },
          ],
        },
      ],
    });
  });

  test("no quota and no LimitRange unless configured", () => {
    expect(json.resource.kubernetes_resource_quota_v1).toBeUndefined();
    expect(json.resource.kubernetes_limit_range_v1).toBeUndefined();
  });

  test("snapshot", () => {
    expect({
      namespace: json.resource.kubernetes_namespace_v1,
      policies: json.resource.kubernetes_network_policy_v1,
    }).toMatchSnapshot();
  });
});

describe("Namespace", () => {
  test("baseline by opt-in keeps the reason on the namespace", () => {
    const stack = workloadStack();
    new Namespace(stack, "legacy", {
      cluster: testCluster(stack),
      podSecurity: { level: "baseline", reason: "vendor image needs NET_BIND_SERVICE" },
    });
    expect(Object.values(synthWith(stack).resource.kubernetes_namespace_v1)[0]).toMatchObject({
      metadata: {
        labels: { "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/warn": "restricted" },
        annotations: { "eks-platform/pod-security-reason": "vendor image needs NET_BIND_SERVICE" },
      },
    });
  });

  test("quota and LimitRange from typed config", () => {
    const stack = workloadStack();
    new Namespace(stack, "team", {
      cluster: testCluster(stack),
      quota: { requestsCpu: "8", requestsMemory: "16Gi", limitsMemory: "32Gi", pods: 50, servicesLoadBalancers: 1 },
      limits: {
        defaultRequest: { cpu: "100m", memory: "128Mi" },
        defaultLimit: { memory: "256Mi" },
        max: { cpu: "4" },
      },
    });
    const synth = Testing.synth(stack);
    expect(synth).toHaveResource(ResourceQuotaV1);
    expect(Object.values(JSON.parse(synth).resource.kubernetes_resource_quota_v1)[0]).toMatchObject({
      metadata: { name: "quota", namespace: "team" },
      spec: {
        hard: {
          "requests.cpu": "8",
          "requests.memory": "16Gi",
          "limits.memory": "32Gi",
          pods: "50",
          "services.loadbalancers": "1",
        },
      },
    });
    const limitRange = Object.values(JSON.parse(synth).resource.kubernetes_limit_range_v1)[0] as any;
    expect(limitRange.spec.limit).toEqual([
      {
        type: "Container",
        default_request: { cpu: "100m", memory: "128Mi" },
        default: { memory: "256Mi" },
        max: { cpu: "4" },
      },
    ]);
    expect(synth).toHaveResource(LimitRangeV1);
  });

  test("typed allow rules: same namespace, a namespace, a workload elsewhere, a CIDR, with ports", () => {
    const { stack, ns, cluster } = setup();
    const other = new Namespace(stack, "billing", { cluster });
    const billing = new Worker(stack, "invoicer", { namespace: other, image: IMAGE, resources: RESOURCES });
    const local = new Worker(stack, "mailer", { namespace: ns, image: IMAGE, resources: RESOURCES });
    ns.allowIngress({ name: "from-neighbours", peers: [Peer.sameNamespace()] });
    ns.allowIngress({
      name: "from-billing",
      pods: local,
      peers: [Peer.namespace(other), Peer.workload(billing)],
      ports: [{ port: 8080 }],
    });
    ns.allowEgress({
      name: "to-db-subnet",
      peers: [Peer.cidr("10.0.224.0/22")],
      ports: [{ port: 5432 }, { port: 30000, endPort: 32767, protocol: "UDP" }],
    });
    ns.allowEgress({ name: "to-local", pods: local, peers: [Peer.workload(local)] });
    const policies = policiesOf(synthWith(stack));
    expect(policies["from-neighbours"].spec).toEqual({
      pod_selector: { match_labels: {} },
      policy_types: ["Ingress"],
      ingress: [{ from: [{ pod_selector: {} }] }],
    });
    expect(policies["from-billing"].spec).toEqual({
      pod_selector: { match_labels: local.selectorLabels },
      policy_types: ["Ingress"],
      ingress: [
        {
          from: [
            { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "billing" } } },
            {
              namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "billing" } },
              pod_selector: { match_labels: billing.selectorLabels },
            },
          ],
          ports: [{ port: "8080", protocol: "TCP" }],
        },
      ],
    });
    expect(policies["to-db-subnet"].spec.egress).toEqual([
      {
        to: [{ ip_block: { cidr: "10.0.224.0/22" } }],
        ports: [
          { port: "5432", protocol: "TCP" },
          { port: "30000", protocol: "UDP", end_port: 32767 },
        ],
      },
    ]);
    expect(policies["to-local"].spec.egress[0].to).toEqual([{ pod_selector: { match_labels: local.selectorLabels } }]);
  });

  test("Auto Mode enforcement is accepted; DNS runs on the node there, so port 53 is open to any destination", () => {
    const stack = workloadStack();
    new Namespace(stack, "shop", { cluster: testCluster(stack, { enforcement: "auto-mode", computeMode: "auto" }) });
    expect(policiesOf(synthWith(stack))["allow-dns"].spec.egress).toEqual([
      {
        ports: [
          { port: "53", protocol: "UDP" },
          { port: "53", protocol: "TCP" },
        ],
      },
    ]);
  });

  test("throws when a workload is in another stack than its Namespace (no order between them, no depends_on across stacks)", () => {
    const { stack, ns } = setup();
    const other = new TerraformStack(stack.node.scope as Construct, "apps");
    new KubernetesProvider(other, "kubernetes", {});
    expect(() => new Worker(other, "mailer", { namespace: ns, image: IMAGE, resources: RESOURCES })).toThrow(
      `Worker 'mailer': namespace "workloads/shop" is a Namespace of stack "workloads", but this construct is in stack "apps": the two would be applied by different stacks in no set order, and depends_on can't name another stack's resources (terraform validate refuses it); declare the Namespace in stack "apps", next to what uses it`,
    );
  });

  test("defaultDeny: false creates no policy, so a cluster without enforcement accepts it", () => {
    const stack = workloadStack();
    new Namespace(stack, "open", {
      cluster: testCluster(stack, { enforcement: "none" }),
      networkPolicy: { defaultDeny: false },
    });
    expect(synthWith(stack).resource.kubernetes_network_policy_v1).toBeUndefined();
  });

  test.each([
    [
      "a rule name is used twice",
      (ns: Namespace) => {
        ns.allowIngress({ name: "a", peers: [Peer.sameNamespace()] });
        ns.allowEgress({ name: "a", peers: [Peer.sameNamespace()] });
      },
      "Namespace 'shop': networkPolicy.egress[].name \"a\" is used twice; give every rule its own name",
    ],
    [
      "a rule has no peers",
      (ns: Namespace) => ns.allowIngress({ name: "a", peers: [] }),
      "Namespace 'shop': networkPolicy.ingress rule \"a\".peers [] is empty (a rule without peers allows nothing); list at least one peer, e.g. Peer.sameNamespace() or Peer.workload(web)",
    ],
    [
      "a CIDR has host bits",
      (ns: Namespace) => ns.allowEgress({ name: "a", peers: [Peer.cidr("10.0.0.1/16")] }),
      'Namespace \'shop\': networkPolicy.egress rule "a".peers[0].cidr "10.0.0.1/16" has host bits set (the network address for /16 is 10.0.0.0/16); use an IPv4 CIDR such as "10.0.0.0/16" or an IPv6 CIDR such as "fd00::/8"',
    ],
    [
      "a port is out of range",
      (ns: Namespace) => ns.allowEgress({ name: "a", peers: [Peer.anywhere()], ports: [{ port: 0 }] }),
      "Namespace 'shop': networkPolicy.egress rule \"a\".ports[0].port 0 is out of range; use a whole number from 1 to 65535",
    ],
  ])("throws when %s", (_what, act, message) => {
    const { ns } = setup();
    expect(() => act(ns)).toThrow(message);
  });

  test.each([
    [
      "a Kubernetes namespace is reused",
      { name: "kube-system" },
      "Namespace 'x': name \"kube-system\" is a namespace Kubernetes creates itself; pick a name of your own",
    ],
    [
      "a quota limits nothing",
      { quota: {} },
      'Namespace \'x\': quota {} limits nothing; give at least one limit, e.g. { requestsCpu: "4", requestsMemory: "8Gi" }',
    ],
    [
      "a quota quantity is malformed",
      { quota: { requestsMemory: "8GB" } },
      'Namespace \'x\': quota.requestsMemory "8GB" is not a Kubernetes quantity; use a number with an optional suffix, e.g. "250m" or "1" for CPU, "512Mi" or "2Gi" for memory and storage',
    ],
  ])("throws when %s", (_what, options, message) => {
    const stack = workloadStack();
    expect(() => new Namespace(stack, "x", { cluster: testCluster(stack), ...options })).toThrow(message);
  });
});

describe("Namespace on Fargate", () => {
  const FARGATE_WARNING = "where NetworkPolicies are not enforced";

  test("warns that a Fargate profile's pods ignore the namespace's NetworkPolicies", () => {
    const { stack } = fargateSetup();
    Testing.synth(stack, true);
    expect(warningsOf(stack).filter((w) => w.includes(FARGATE_WARNING))).toEqual([
      expect.stringContaining(
        "Namespace 'batch': FargateProfile 'fargate-batch' (selector \"batch\") runs pods of this namespace on Fargate",
      ),
    ]);
  });

  test("a written exception replaces the warning", () => {
    const stack = workloadStack();
    const cluster = testCluster(stack);
    new FargateProfile(stack, "fargate-batch", { cluster, selectors: [{ namespace: "batch" }] });
    new Namespace(stack, "batch", {
      cluster,
      fargateNetworkPolicyException: "batch jobs only call the API, whose ingress policy admits them",
    });
    Testing.synth(stack, true);
    expect(warningsOf(stack).filter((w) => w.includes(FARGATE_WARNING))).toEqual([]);
  });

  test("throws when the exception gives no reason", () => {
    const stack = workloadStack();
    expect(
      () => new Namespace(stack, "batch", { cluster: testCluster(stack), fargateNetworkPolicyException: " " }),
    ).toThrow(
      `Namespace 'batch': fargateNetworkPolicyException " " is not a reason; write why Fargate pods of this namespace may go without NetworkPolicy enforcement (at least a few words), or remove it and keep the warning`,
    );
  });
});
