import { TerraformStack, Testing } from "cdktf";
import { KNOWN_ADDONS } from "../../constructs/eks/addons";
import { EksCluster, EksClusterOptions } from "../../constructs/eks/cluster";
import { EndpointAccess, EndpointSource } from "../../constructs/eks/endpoint-access";
import { NetworkProps } from "../../constructs/network/network";
import { ADMIN_ARN, testNetwork, testStack } from "../fixtures";
import { changesOf, describeOffline, OFFLINE_TIMEOUT_MS, planStack, stateOf } from "./harness";

/** The same stack (same construct ids, so the same Terraform addresses) with other cluster options. */
function clusterStack(options: Partial<EksClusterOptions>, nodeGroup: boolean, network: Partial<NetworkProps> = {}) {
  const stack = testStack("day2");
  const cluster = new EksCluster(stack, "eks", {
    name: "test",
    network: testNetwork(stack, network),
    admins: [ADMIN_ARN],
    ...options,
  });
  if (nodeGroup) cluster.addNodeGroup("workers");
  return stack;
}

/**
 * Each resource's dependencies (depends_on and references in its arguments), transitively, from
 * the synthesized configuration: Terraform applies the updates of a plan in this order.
 */
function dependencyClosure(stack: TerraformStack): Map<string, Set<string>> {
  const json = JSON.parse(Testing.synth(stack));
  const direct = new Map<string, Set<string>>();
  for (const [type, byName] of Object.entries<Record<string, unknown>>(json.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) {
      const text = JSON.stringify(config);
      const refs = new Set<string>();
      for (const m of text.matchAll(/\b(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g)) refs.add(m[1]);
      refs.delete(`${type}.${name}`);
      direct.set(`${type}.${name}`, refs);
    }
  }
  const closure = new Map<string, Set<string>>();
  const visit = (address: string): Set<string> => {
    const known = closure.get(address);
    if (known) return known;
    const all = new Set<string>();
    closure.set(address, all);
    for (const dep of direct.get(address) ?? []) {
      all.add(dep);
      for (const d of visit(dep)) all.add(d);
    }
    return all;
  };
  for (const address of direct.keys()) visit(address);
  return closure;
}

// Day-2 changes planned against the state of a running cluster (derived from the plan of its
// first deploy, recorded in states/ by the configuration it was derived from): terraform plan
// -refresh=false reads that state as what exists in AWS.
describeOffline("day-2 changes plan in place", (tools) => {
  it(
    'computeMode "managed" -> "auto" updates the cluster in place (no new OIDC issuer, no lost Secrets)',
    () => {
      // stateOf only returns a state the unchanged configuration plans without changes against.
      const state = stateOf(clusterStack({}, true), tools, "day2-managed");

      const plan = planStack(clusterStack({ computeMode: "auto" }, false), tools, { state });
      const changes = changesOf(plan);
      expect(changes).toContain("aws_eks_cluster.eks_cluster_55B0C966: update");
      // Nothing stateful of the cluster is replaced: no delete+create anywhere.
      expect(changes.filter((c) => c.includes("delete+create") || c.includes("create+delete"))).toEqual([]);
      // The cluster, its keys (Secrets, logs) and its OIDC provider stay what they are.
      const kept = (type: string) => plan.changes.filter((c) => c.type === type).map((c) => c.actions.join("+"));
      expect(kept("aws_eks_cluster")).toEqual(["update"]);
      expect(kept("aws_kms_key")).toEqual(["no-op", "no-op", "no-op"]);
      expect(kept("aws_iam_openid_connect_provider")).toEqual(["no-op"]);
      expect(kept("aws_cloudwatch_log_group")).toEqual(["no-op", "no-op"]);
    },
    OFFLINE_TIMEOUT_MS,
  );

  it(
    "a cluster deployed before the hardening (no preserve, no log keys) takes today's defaults without replacing anything",
    () => {
      const before = clusterStack(
        {
          createLogKmsKey: false,
          addons: Object.fromEntries(KNOWN_ADDONS.map((name) => [name, { preserve: false }])),
        },
        true,
        { flowLogs: { createKmsKey: false } },
      );
      const state = stateOf(before, tools, "day2-before-hardening");
      const changes = changesOf(planStack(clusterStack({}, true), tools, { state }));
      expect(changes.filter((c) => !c.endsWith(": update") && !c.endsWith(": create"))).toEqual([]);
      // preserve flips on five add-ons in place; both log groups get their key in place.
      expect(changes.filter((c) => c.startsWith("aws_eks_addon.")).length).toBe(5);
      expect(changes.filter((c) => c.startsWith("aws_cloudwatch_log_group.")).map((c) => c.split(": ")[1])).toEqual([
        "update",
        "update",
      ]);
      expect(changes.filter((c) => c.endsWith(": create"))).toEqual([
        "aws_kms_key.eks_log-key_889FE009: create",
        "aws_kms_key.network_flow-logs_kms-key_5A177FC3: create",
      ]);
    },
    OFFLINE_TIMEOUT_MS,
  );

  // The other side of the contract: what the JSDoc says replaces the cluster does, and the plan
  // says why (so a reviewer of `cdktf diff` sees it before apply). Node groups are
  // create_before_destroy, which Terraform extends to the cluster they depend on: the new
  // cluster is created before the old one is destroyed. Under the same name EKS refuses that
  // create ("already exists"), so the apply stops before anything is destroyed; with a new name
  // (what the JSDoc advises) the new cluster and its node groups come up beside the old ones.
  it(
    'ipFamily "ipv4" -> "ipv6" replaces the cluster, forced by kubernetes_network_config.ip_family, the new one first',
    () => {
      const state = stateOf(clusterStack({}, true, { ipv6: true }), tools, "day2-ipv6-network");
      const plan = planStack(clusterStack({ ipFamily: "ipv6", name: "test-v6" }, true, { ipv6: true }), tools, {
        state,
      });
      const cluster = plan.changes.find((c) => c.type === "aws_eks_cluster");
      expect(cluster?.actions).toEqual(["create", "delete"]);
      expect(cluster?.replacePaths).toEqual(expect.arrayContaining(["kubernetes_network_config.0.ip_family"]));
      expect(plan.changes.find((c) => c.type === "aws_eks_node_group")?.actions).toEqual(["create", "delete"]);
      // The network stays; the cluster's keys and log group are not replaced with it.
      const replaced = (type: string) =>
        plan.changes.filter((c) => c.type === type && c.actions.includes("delete")).map((c) => c.address);
      expect(replaced("aws_vpc")).toEqual([]);
      expect(replaced("aws_subnet")).toEqual([]);
      expect(replaced("aws_kms_key")).toEqual([]);
    },
    OFFLINE_TIMEOUT_MS,
  );

  it(
    "serviceIpv4Cidr set on a running cluster (EKS picked the range) replaces it, forced by service_ipv4_cidr, as its JSDoc warns",
    () => {
      // The same running cluster as above (its derived state is shared).
      const state = stateOf(clusterStack({}, true, { ipv6: true }), tools, "day2-ipv6-network");
      const plan = planStack(
        clusterStack({ serviceIpv4Cidr: "172.20.0.0/16", name: "test-svc" }, true, { ipv6: true }),
        tools,
        { state },
      );
      const cluster = plan.changes.find((c) => c.type === "aws_eks_cluster");
      expect(cluster?.actions).toEqual(["create", "delete"]);
      expect(cluster?.replacePaths).toEqual(expect.arrayContaining(["kubernetes_network_config.0.service_ipv4_cidr"]));
      expect(plan.changes.filter((c) => c.type === "aws_vpc" || c.type === "aws_subnet").map((c) => c.actions)).toEqual(
        expect.not.arrayContaining([expect.arrayContaining(["delete"])]),
      );
    },
    OFFLINE_TIMEOUT_MS,
  );

  it(
    "endpoint sources and a volume key added to a running cluster (one deployed before they existed) create only their rules and policy",
    () => {
      // No rule at all: what a cluster deployed before endpoint sources existed has.
      const state = stateOf(
        clusterStack({ endpointAccess: EndpointAccess.private({ privateAccessFrom: [] }) }, true),
        tools,
        "day2-private-endpoint-no-sources",
      );
      const plan = planStack(
        clusterStack(
          {
            endpointAccess: EndpointAccess.private({
              privateAccessFrom: [EndpointSource.vpc(), EndpointSource.cidr("192.168.0.0/16", { name: "office-vpn" })],
            }),
            volumeEncryptionKeyArns: ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
          },
          true,
        ),
        tools,
        { state },
      );
      expect(changesOf(plan).map((c) => c.replace(/_[0-9A-F]{8}:/, ":"))).toEqual([
        "aws_iam_role_policy.eks_addons_ebs-csi-driver-volume-encryption: create",
        "aws_vpc_security_group_ingress_rule.eks_endpoint-ingress_office-vpn: create",
        "aws_vpc_security_group_ingress_rule.eks_endpoint-ingress_vpc: create",
      ]);
      expect(plan.changes.find((c) => c.type === "aws_eks_cluster")?.actions).toEqual(["no-op"]);
      expect(plan.changes.find((c) => c.type === "aws_eks_addon" && c.address.includes("ebs"))?.actions).toEqual([
        "no-op",
      ]);
    },
    OFFLINE_TIMEOUT_MS,
  );

  // A one-minor upgrade: kubernetesVersion n -> n+1 on a running cluster updates everything in
  // place, in the order Terraform follows the dependency graph: the control plane, then the
  // node-level add-ons (vpc-cni, kube-proxy, pod identity agent) at the new minor's versions,
  // then the node groups (rolling within update_config and the PDBs), then the add-ons that
  // run as Deployments (coredns, EBS CSI, metrics-server), which wait for compute.
  it(
    "kubernetesVersion 1.34 -> 1.35 (managed): cluster, add-ons at the 1.35 versions, node group, all in place, in order",
    () => {
      const before = clusterStack({ kubernetesVersion: "1.34", supportType: "EXTENDED" }, true);
      const state = stateOf(before, tools, "day2-1.34-managed");
      const after = clusterStack({ kubernetesVersion: "1.35", supportType: "EXTENDED" }, true);
      const plan = planStack(after, tools, { state });
      const changes = changesOf(plan);
      expect(changes.filter((c) => !c.endsWith(": update"))).toEqual([]);
      const updated = (type: string) =>
        plan.changes.filter((c) => c.type === type && c.actions.join() === "update").map((c) => c.address);
      const [cluster] = updated("aws_eks_cluster");
      const [nodeGroup] = updated("aws_eks_node_group");
      expect(cluster).toBe("aws_eks_cluster.eks_cluster_55B0C966");
      expect(nodeGroup).toMatch(/^aws_eks_node_group\./);
      // vpc-cni, kube-proxy, coredns and the EBS CSI driver move to the versions the add-on table
      // publishes for 1.35; the Pod Identity agent's version is the same on both minors, and
      // metrics-server has no row: both stay where they are.
      const addons = updated("aws_eks_addon");
      expect(addons.map((a) => a.replace(/^aws_eks_addon\.eks_addons_([a-z-]+)_.*$/, "$1")).sort()).toEqual([
        "aws-ebs-csi-driver",
        "coredns",
        "kube-proxy",
        "vpc-cni",
      ]);
      expect(changes.sort()).toEqual([cluster, nodeGroup, ...addons].map((a) => `${a}: update`).sort());

      const deps = dependencyClosure(after);
      const kubeProxy = addons.find((a) => a.includes("kube-proxy"))!;
      const coredns = addons.find((a) => a.includes("coredns"))!;
      const vpcCni = addons.find((a) => a.includes("vpc-cni"))!;
      const ebsCsi = addons.find((a) => a.includes("ebs-csi"))!;
      expect([...deps.get(kubeProxy)!]).toContain(cluster);
      expect([...deps.get(vpcCni)!]).toContain(cluster);
      expect([...deps.get(nodeGroup)!]).toEqual(expect.arrayContaining([cluster, kubeProxy, vpcCni]));
      expect([...deps.get(coredns)!]).toEqual(expect.arrayContaining([cluster, nodeGroup]));
      expect([...deps.get(ebsCsi)!]).toEqual(expect.arrayContaining([cluster, nodeGroup]));
      // Nothing waits the other way round.
      expect(deps.get(cluster)!.has(nodeGroup) || deps.get(nodeGroup)!.has(coredns)).toBe(false);
    },
    OFFLINE_TIMEOUT_MS,
  );

  it(
    "kubernetesVersion 1.34 -> 1.35 (Auto Mode): the control plane updates in place, nothing else moves",
    () => {
      const state = stateOf(
        clusterStack({ kubernetesVersion: "1.34", supportType: "EXTENDED", computeMode: "auto" }, false),
        tools,
        "day2-1.34-auto",
      );
      const plan = planStack(
        clusterStack({ kubernetesVersion: "1.35", supportType: "EXTENDED", computeMode: "auto" }, false),
        tools,
        { state },
      );
      // Auto Mode upgrades its nodes itself after the control plane; metrics-server, its only
      // add-on, has no row in the add-on table, so it keeps its version.
      expect(changesOf(plan)).toEqual(["aws_eks_cluster.eks_cluster_55B0C966: update"]);
    },
    OFFLINE_TIMEOUT_MS,
  );
});
