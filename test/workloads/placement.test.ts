import { Testing } from "cdktf";
import { FargateProfile } from "../../constructs/eks/fargate-profile";
import { ManagedNodeGroup, NodeGroupOptions } from "../../constructs/eks/node-group";
import { Namespace, WebService, Worker } from "../../constructs/workloads";
import { WorkloadOptions } from "../../constructs/workloads/workload";
import { PolicyChecks } from "../../constructs/policy";
import { expectValidKubernetes } from "../kubernetes-schema";
import { IMAGE, RESOURCES, setup, synthWith, testCluster, workloadStack } from "./fixtures";

const GRAVITON_SPOT: NodeGroupOptions = {
  amiType: "AL2023_ARM_64_STANDARD",
  instanceTypes: ["m7g.large", "m6g.large"],
  capacityType: "SPOT",
};
const SYSTEM: NodeGroupOptions = { role: "system", instanceTypes: ["m6i.large"] };

/** A Worker on a cluster with the given node groups, synthesized with validations. */
function worker(groups: Record<string, NodeGroupOptions>, options: Partial<WorkloadOptions> = {}) {
  const s = setup();
  for (const [id, o] of Object.entries(groups)) new ManagedNodeGroup(s.stack, id, { cluster: s.cluster, ...o });
  const w = new Worker(s.stack, "worker", { namespace: s.ns, image: IMAGE, resources: RESOURCES, ...options });
  return { ...s, w, synth: () => synthWith(s.stack) };
}
const podOf = (json: any) => (Object.values(json.resource.kubernetes_deployment_v1)[0] as any).spec.template.spec;

describe("workload placement", () => {
  test("renders architecture, capacity type, tolerations, priority class, node affinity and anti-affinity", () => {
    const { synth } = worker(
      { apps: GRAVITON_SPOT, system: SYSTEM },
      {
        nodeSelector: { team: "payments" },
        placement: {
          architectures: ["arm64"],
          capacityType: "spot",
          nodeRole: "general",
          tolerations: [{ key: "dedicated", operator: "Equal", value: "payments", effect: "NoSchedule" }],
          priorityClassName: "business-critical",
          nodeAffinity: {
            preferred: [
              {
                weight: 50,
                match: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: ["m7g.large"] }],
              },
            ],
          },
          antiAffinity: { host: "required", zone: "preferred" },
        },
      },
    );
    const pod = podOf(synth());
    expect(pod.node_selector).toEqual({
      team: "payments",
      "kubernetes.io/arch": "arm64",
      "eks.amazonaws.com/capacityType": "SPOT",
    });
    expect(pod.toleration).toEqual([{ key: "dedicated", operator: "Equal", value: "payments", effect: "NoSchedule" }]);
    expect(pod.priority_class_name).toBe("business-critical");
    const selector = [
      { match_labels: { "app.kubernetes.io/name": "worker", "app.kubernetes.io/component": "worker" } },
    ];
    expect(pod.affinity).toEqual({
      node_affinity: {
        required_during_scheduling_ignored_during_execution: {
          node_selector_term: [
            { match_expressions: [{ key: "eks-platform.io/node-role", operator: "NotIn", values: ["system"] }] },
          ],
        },
        preferred_during_scheduling_ignored_during_execution: [
          {
            weight: 50,
            preference: {
              match_expressions: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: ["m7g.large"] }],
            },
          },
        ],
      },
      pod_anti_affinity: {
        required_during_scheduling_ignored_during_execution: [
          { topology_key: "kubernetes.io/hostname", label_selector: selector },
        ],
        preferred_during_scheduling_ignored_during_execution: [
          { weight: 100, pod_affinity_term: { topology_key: "topology.kubernetes.io/zone", label_selector: selector } },
        ],
      },
    });
  });

  test('nodeRole "system" selects the system nodes and tolerates their taints by default', () => {
    const s = setup();
    Object.defineProperty(s.cluster, "systemNodePlacement", {
      value: {
        nodeSelector: { "eks-platform.io/node-role": "system" },
        tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
      },
    });
    new ManagedNodeGroup(s.stack, "system", { cluster: s.cluster, ...SYSTEM });
    new Worker(s.stack, "agent", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      placement: { nodeRole: "system" },
    });
    const pod = podOf(synthWith(s.stack));
    expect(pod.node_selector).toEqual({ "eks-platform.io/node-role": "system" });
    expect(pod.toleration).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }]);
  });

  test("uses Auto Mode's labels on an Auto Mode cluster", () => {
    const stack = workloadStack();
    const cluster = testCluster(stack, { computeMode: "auto" });
    const ns = new Namespace(stack, "shop", { cluster });
    new Worker(stack, "w", {
      namespace: ns,
      image: IMAGE,
      resources: RESOURCES,
      placement: { capacityType: "on-demand", nodeRole: "general" },
    });
    const pod = podOf(synthWith(stack));
    expect(pod.node_selector).toEqual({ "karpenter.sh/capacity-type": "on-demand" });
    expect(pod.affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_term).toEqual([
      { match_expressions: [{ key: "karpenter.sh/nodepool", operator: "NotIn", values: ["system"] }] },
    ]);
  });

  test("throws when no node group matches, naming the groups that exist", () => {
    const { synth } = worker({ apps: GRAVITON_SPOT, system: SYSTEM }, { placement: { architectures: ["amd64"] } });
    expect(synth).toThrow(
      `Worker 'worker': placement {"architectures":["amd64"]} matches no node group or node pool of the cluster, so the pods would stay Pending: ManagedNodeGroup 'apps' (arm64, SPOT): its nodes don't carry kubernetes.io/arch=amd64; ManagedNodeGroup 'system' (amd64, ON_DEMAND, role system, taints CriticalAddonsOnly:NoSchedule): the pods don't tolerate its taint CriticalAddonsOnly:NoSchedule; change the placement (or tolerate the taint), or add a node group that matches it`,
    );
  });

  test("throws when every group is tainted and the pods tolerate none", () => {
    const { synth } = worker({ gpu: { taints: [{ key: "gpu", value: "true", effect: "NoSchedule" }] } });
    expect(synth).toThrow(
      `Worker 'worker': placement {} matches no node group or node pool of the cluster, so the pods would stay Pending: ManagedNodeGroup 'gpu' (amd64, ON_DEMAND, taints gpu=true:NoSchedule): the pods don't tolerate its taint gpu:NoSchedule; change the placement (or tolerate the taint), or add a node group that matches it`,
    );
    expect(
      worker(
        { gpu: { taints: [{ key: "gpu", value: "true", effect: "NoSchedule" }] } },
        { placement: { tolerations: [{ key: "gpu", value: "true", effect: "NoSchedule" }] } },
      ).synth,
    ).not.toThrow();
  });

  test("a node group's own labels count: a nodeSelector no group carries throws", () => {
    const groups = { apps: { ...GRAVITON_SPOT, labels: { team: "payments" } }, other: { labels: { team: "search" } } };
    expect(worker(groups, { nodeSelector: { team: "payments" } }).synth).not.toThrow();
    expect(worker(groups, { nodeSelector: { team: "billing" } }).synth).toThrow(
      `Worker 'worker': placement {"nodeSelector":{"team":"billing"}} matches no node group or node pool of the cluster, so the pods would stay Pending: ManagedNodeGroup 'apps' (arm64, SPOT): its nodes don't carry team=billing; ManagedNodeGroup 'other' (amd64, ON_DEMAND): its nodes don't carry team=billing; change the placement (or tolerate the taint), or add a node group that matches it`,
    );
  });

  test("throws when an amd64-only image can land on a Graviton group", () => {
    const { synth } = worker({ apps: GRAVITON_SPOT, x86: {} }, { imageArchitectures: ["amd64"] });
    expect(synth).toThrow(
      `Worker 'worker': imageArchitectures ["amd64"] don't include arm64, but the pods can run on ManagedNodeGroup 'apps' (arm64, SPOT), ManagedNodeGroup 'x86' (amd64, ON_DEMAND): the container would fail with "exec format error"; set placement.architectures: ["amd64"], or build the image for arm64 too`,
    );
    expect(
      worker(
        { apps: GRAVITON_SPOT, x86: {} },
        { imageArchitectures: ["amd64"], placement: { architectures: ["amd64"] } },
      ).synth,
    ).not.toThrow();
    expect(worker({ apps: GRAVITON_SPOT }, { imageArchitectures: ["amd64", "arm64"] }).synth).not.toThrow();
  });

  test("throws when placement pins an architecture the image lacks", () => {
    expect(() =>
      worker({}, { imageArchitectures: ["amd64"], placement: { architectures: ["arm64"] } }).synth(),
    ).toThrow(
      `Worker 'worker': imageArchitectures ["amd64"] don't include arm64, but the pods can run on arm64 nodes (placement.architectures): the container would fail with "exec format error"; build the image for arm64, or run the workload where such nodes are`,
    );
  });

  test("on Fargate: refuses an arm64 placement (EKS Fargate is amd64 only)", () => {
    const s = setup();
    new ManagedNodeGroup(s.stack, "apps", { cluster: s.cluster, ...GRAVITON_SPOT });
    new FargateProfile(s.stack, "fargate", { cluster: s.cluster, selectors: [{ namespace: "shop" }] });
    new Worker(s.stack, "w", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      placement: { architectures: ["arm64"] },
    });
    expect(() => Testing.synth(s.stack, true)).toThrow(
      `Worker 'w': placement.architectures ["arm64"] can't be met: FargateProfile 'fargate' (selector "shop") runs these pods on Fargate, and EKS Fargate runs amd64 pods only; remove it, or run the workload in a namespace no Fargate profile selects`,
    );
  });

  test("accepts any placement when the cluster's compute is unknown (no node groups or profiles declared here)", () => {
    expect(worker({}, { placement: { architectures: ["arm64"], capacityType: "spot" } }).synth).not.toThrow();
  });

  test("uncheckedReason skips the check", () => {
    expect(
      worker(
        { apps: GRAVITON_SPOT },
        { placement: { architectures: ["amd64"], uncheckedReason: "amd64 nodes come from a custom NodePool" } },
      ).synth,
    ).not.toThrow();
  });

  test.each([
    [
      { architectures: [] },
      `Worker 'worker': placement.architectures [] is empty; give "amd64", "arm64" or both, or leave it unset`,
    ],
    [
      { capacityType: "SPOT" },
      `Worker 'worker': placement.capacityType "SPOT" is not a capacity type; use "on-demand" or "spot"`,
    ],
    [
      { nodeAffinity: { required: [{ key: "zone", operator: "In", values: [] }] } },
      `Worker 'worker': placement.nodeAffinity.required[0].values [] is empty, but operator "In" needs values; give one or more values`,
    ],
    [
      { tolerations: [{ key: "gpu", operator: "Exists", value: "true", effect: "NoSchedule" }] },
      `Worker 'worker': placement.tolerations[0].value "true" is set with operator "Exists" (the API server refuses it); remove it`,
    ],
    [
      { uncheckedReason: " " },
      `Worker 'worker': placement.uncheckedReason " " is empty; say why the check can't see the compute`,
    ],
  ])("throws on bad placement %j", (placement, message) => {
    expect(() => worker({}, { placement: placement as any })).toThrow(message);
  });

  test("throws when nodeSelector and placement both set a label", () => {
    expect(() =>
      worker({}, { nodeSelector: { "kubernetes.io/arch": "arm64" }, placement: { architectures: ["arm64"] } }),
    ).toThrow(
      `Worker 'worker': nodeSelector "kubernetes.io/arch" is also set by the typed placement options; keep one of them: remove the key from nodeSelector, or the placement option`,
    );
  });
});

describe("workload API access", () => {
  test("binds a Role and a ClusterRole to the service account and mounts the token", () => {
    const { synth, stack } = worker(
      {},
      {
        apiAccess: {
          namespaced: [{ resources: ["configmaps"], verbs: ["get"], resourceNames: ["settings"] }],
          clusterWide: [{ resources: ["nodes"], verbs: ["get", "list", "watch"] }],
        },
      },
    );
    const json = synth();
    const role = Object.values(json.resource.kubernetes_role_v1)[0] as any;
    expect(role.metadata).toMatchObject({ name: "worker", namespace: "shop" });
    expect(role.rule).toEqual([
      { api_groups: [""], resources: ["configmaps"], verbs: ["get"], resource_names: ["settings"] },
    ]);
    const binding = Object.values(json.resource.kubernetes_role_binding_v1)[0] as any;
    expect(binding.subject).toEqual([{ kind: "ServiceAccount", name: "worker", namespace: "shop" }]);
    expect(binding.role_ref.kind).toBe("Role");
    const clusterRole = Object.values(json.resource.kubernetes_cluster_role_v1)[0] as any;
    expect(clusterRole.metadata.name).toBe("shop-worker");
    const clusterBinding = Object.values(json.resource.kubernetes_cluster_role_binding_v1)[0] as any;
    expect(clusterBinding.subject).toEqual([{ kind: "ServiceAccount", name: "worker", namespace: "shop" }]);
    expect((Object.values(json.resource.kubernetes_service_account_v1)[0] as any).automount_service_account_token).toBe(
      true,
    );
    expect(podOf(json).automount_service_account_token).toBe(true);
    expectValidKubernetes(stack);
    const ids = PolicyChecks.evaluate(stack).findings.map((f) => f.ruleId);
    expect(ids).not.toContain("K8S15");
    expect(ids).not.toContain("K8S27");
  });

  test("without apiAccess, no token, even with AWS access", () => {
    const { synth } = worker(
      {},
      { awsAccess: { policyStatements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }] } },
    );
    const json = synth();
    expect(podOf(json).automount_service_account_token).toBe(false);
    expect(json.resource.kubernetes_role_v1).toBeUndefined();
  });

  test("a wildcard needs an opt-in with a reason, which suppresses K8S27", () => {
    expect(() => worker({}, { apiAccess: { namespaced: [{ resources: ["*"], verbs: ["get"] }] } })).toThrow(
      `Worker 'worker': apiAccess.namespaced[0].resources "*" is a wildcard: it grants everything, including what later API versions and CRDs add; list the exact verbs and resources, or opt in with apiAccess.wildcards: { reason: "..." }`,
    );
    const { stack } = worker(
      {},
      {
        apiAccess: {
          namespaced: [{ apiGroups: ["example.com"], resources: ["widgets"], verbs: ["*"] }],
          wildcards: { reason: "the widget operator owns every verb on its own CRD" },
        },
      },
    );
    const result = PolicyChecks.evaluate(stack);
    expect(result.findings.map((f) => f.ruleId)).not.toContain("K8S27");
    expect(result.suppressed.filter((f) => f.ruleId === "K8S27").map((f) => f.reason)).toEqual([
      "the widget operator owns every verb on its own CRD",
    ]);
  });

  test.each([
    [
      {},
      `Worker 'worker': apiAccess {} grants nothing, but would mount the service-account token; give namespaced or clusterWide rules, e.g. { namespaced: [{ resources: ["configmaps"], verbs: ["get"] }] }, or remove apiAccess`,
    ],
    [
      { namespaced: [{ resources: ["configmaps"], verbs: ["create"], resourceNames: ["x"] }] },
      `Worker 'worker': apiAccess.namespaced[0].verbs ["create"] can't be restricted by resourceNames (the object's name isn't part of the request's URL), so the rule would not grant them; move them to a rule without resourceNames`,
    ],
    [
      { namespaced: [{ resources: ["roles"], verbs: ["escalate"] }] },
      `Worker 'worker': apiAccess.namespaced[0].verbs "escalate" is not a verb a workload may be granted (escalate, bind and impersonate are privilege escalation); use get, list, watch, create, update, patch, delete, deletecollection`,
    ],
    [
      { namespaced: [{ resources: ["ConfigMaps"], verbs: ["get"] }] },
      `Worker 'worker': apiAccess.namespaced[0].resources "ConfigMaps" is not a resource name; use the plural lower-case name, e.g. "configmaps" or "pods/log"`,
    ],
  ])("throws on bad apiAccess %j", (apiAccess, message) => {
    expect(() => worker({}, { apiAccess: apiAccess as any })).toThrow(message);
  });

  test("every object is schema-valid on a WebService too", () => {
    const s = setup();
    new WebService(s.stack, "api", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      ports: [{ name: "http", port: 8080 }],
      apiAccess: {
        namespaced: [{ apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "update"] }],
      },
      placement: { architectures: ["arm64"], antiAffinity: { zone: "required" }, priorityClassName: "high" },
    });
    expectValidKubernetes(s.stack);
  });
});
