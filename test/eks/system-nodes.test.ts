/// <reference types="cdktf/lib/testing/adapters/jest" />
import { TerraformStack } from "cdktf";
import { EksCluster, EksClusterOptions } from "../../constructs/eks/cluster";
import { SYSTEM_NODE_LABEL } from "../../constructs/eks/node-group";
import { resourcesOf, warningsOf } from "../fixtures";
import { testCluster } from "./fixtures";

const CRITICAL = { key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" };
const SELECTOR = { "eks-platform.io/node-role": "system" };

function setup(options: Partial<EksClusterOptions> = {}): { stack: TerraformStack; cluster: EksCluster } {
  return testCluster(options);
}

/** Parsed configuration_values of each add-on, by add-on name. */
function configOf(stack: TerraformStack): Record<string, any> {
  return Object.fromEntries(
    Object.values(resourcesOf(stack, "aws_eks_addon")).map((a: any) => [
      a.addon_name,
      a.configuration_values === undefined ? undefined : JSON.parse(a.configuration_values),
    ]),
  );
}

function nodeGroups(stack: TerraformStack): Record<string, any> {
  return resourcesOf(stack, "aws_eks_node_group");
}

describe('node group role "system"', () => {
  it("labels the nodes and taints them CriticalAddonsOnly:NoSchedule by default; general groups stay as they were", () => {
    const { stack, cluster } = setup();
    const system = cluster.addNodeGroup("system", { role: "system", labels: { team: "platform" } });
    const apps = cluster.addNodeGroup("apps");
    expect(system.role).toBe("system");
    expect(apps.role).toBe("general");
    const groups = Object.entries(nodeGroups(stack));
    const systemGroup = groups.find(([k]) => k.startsWith("eks_system_"))![1];
    const appsGroup = groups.find(([k]) => k.startsWith("eks_apps_"))![1];
    expect(systemGroup.labels).toEqual({ team: "platform", [SYSTEM_NODE_LABEL.key]: "system" });
    expect(systemGroup.taint).toEqual([{ key: "CriticalAddonsOnly", effect: "NO_SCHEDULE" }]);
    expect(appsGroup.labels).toBeUndefined();
    expect(appsGroup.taint).toBeUndefined();
  });

  it("gives cluster.systemNodePlacement from the system group, also when it is added after the add-ons", () => {
    const { cluster } = setup();
    expect(cluster.systemNodePlacement).toBeUndefined();
    cluster.addNodeGroup("apps");
    expect(cluster.systemNodePlacement).toBeUndefined();
    cluster.addNodeGroup("system", { role: "system" });
    expect(cluster.systemNodePlacement).toEqual({ nodeSelector: SELECTOR, tolerations: [CRITICAL] });
  });

  it("routes coredns, metrics-server and the EBS CSI controller to the system nodes through their configuration schemas", () => {
    const { stack, cluster } = setup();
    cluster.addNodeGroup("system", { role: "system" });
    const config = configOf(stack);
    expect(config.coredns).toEqual({ nodeSelector: SELECTOR, tolerations: [CRITICAL] });
    expect(config["metrics-server"]).toEqual({ nodeSelector: SELECTOR, tolerations: [CRITICAL] });
    // Only the controller: the node DaemonSet must run on every node that mounts volumes.
    expect(config["aws-ebs-csi-driver"]).toEqual({ controller: { nodeSelector: SELECTOR, tolerations: [CRITICAL] } });
    // Node-level add-ons are not routed.
    expect(config["kube-proxy"]).toBeUndefined();
    expect(config["vpc-cni"]).toEqual({ enableNetworkPolicy: "true" });
  });

  it("leaves the add-ons' placement alone without a system group", () => {
    const { stack, cluster } = setup();
    cluster.addNodeGroup("apps");
    const config = configOf(stack);
    expect(config.coredns).toBeUndefined();
    expect(config["metrics-server"]).toBeUndefined();
    expect(config["aws-ebs-csi-driver"]).toBeUndefined();
  });

  it("merges with the user's configurationValues, the user's keys winning", () => {
    const { stack, cluster } = setup({
      addons: {
        coredns: { configurationValues: { replicaCount: 3, tolerations: [] } },
        "aws-ebs-csi-driver": {
          configurationValues: { controller: { replicaCount: 3 }, node: { tolerateAllTaints: true } },
        },
      },
    });
    cluster.addNodeGroup("system", { role: "system" });
    const config = configOf(stack);
    expect(config.coredns).toEqual({ nodeSelector: SELECTOR, tolerations: [], replicaCount: 3 });
    expect(config["aws-ebs-csi-driver"]).toEqual({
      controller: { nodeSelector: SELECTOR, tolerations: [CRITICAL], replicaCount: 3 },
      node: { tolerateAllTaints: true },
    });
  });

  it("tolerates the user's own taints of a system group instead of the default one", () => {
    const { stack, cluster } = setup();
    cluster.addNodeGroup("system", {
      role: "system",
      taints: [
        { key: "dedicated", value: "system", effect: "NO_SCHEDULE" },
        { key: "drain", effect: "NoExecute" },
      ],
    });
    const tolerations = [
      { key: "dedicated", operator: "Equal", value: "system", effect: "NoSchedule" },
      { key: "drain", operator: "Exists", effect: "NoExecute" },
    ];
    expect(cluster.systemNodePlacement).toEqual({ nodeSelector: SELECTOR, tolerations });
    expect(configOf(stack).coredns.tolerations).toEqual(tolerations);
  });

  it("takes several system groups with the same taints (one placement)", () => {
    const { cluster } = setup();
    cluster.addNodeGroup("system-x86", { role: "system" });
    cluster.addNodeGroup("system-arm", { role: "system", amiType: "AL2023_ARM_64_STANDARD" });
    expect(cluster.systemNodePlacement).toEqual({ nodeSelector: SELECTOR, tolerations: [CRITICAL] });
  });

  it("throws when two system groups have different taints", () => {
    const { cluster } = setup();
    cluster.addNodeGroup("system", { role: "system" });
    expect(() =>
      cluster.addNodeGroup("system2", {
        role: "system",
        taints: [{ key: "dedicated", value: "x", effect: "NoSchedule" }],
      }),
    ).toThrow(
      `ManagedNodeGroup 'system2': taints [{"key":"dedicated","operator":"Equal","value":"x","effect":"NoSchedule"}] differ from those of the system node group ManagedNodeGroup 'system' ([{"key":"CriticalAddonsOnly","operator":"Exists","effect":"NoSchedule"}]), so the system pods could not be placed on both; give every role "system" group of the cluster the same taints, or make this one role "general"`,
    );
  });

  it("throws when the role is not a node group role, or the system label is given another value", () => {
    const { cluster } = setup();
    expect(() => cluster.addNodeGroup("a", { role: "System" as "system" })).toThrow(
      `ManagedNodeGroup 'a': role "System" is not a node group role; use one of general, system`,
    );
    expect(() => cluster.addNodeGroup("b", { role: "system", labels: { [SYSTEM_NODE_LABEL.key]: "apps" } })).toThrow(
      `ManagedNodeGroup 'b': labels["eks-platform.io/node-role"] "apps" is the label the system pods select system nodes by, and must be "system" on a role "system" group; remove it (the group sets it)`,
    );
  });

  it("warns when a system group's taints keep no other pods off", () => {
    const { cluster } = setup();
    const group = cluster.addNodeGroup("system", {
      role: "system",
      taints: [{ key: "soft", effect: "PreferNoSchedule" }],
    });
    expect(warningsOf(group)).toEqual([
      expect.stringContaining(
        `ManagedNodeGroup 'system': role "system" with taints [{"key":"soft","effect":"PreferNoSchedule"}] keeps no other pods off these nodes`,
      ),
    ]);
  });

  it("Auto Mode: metrics-server goes to the built-in system pool", () => {
    const { stack } = setup({ computeMode: "auto" });
    expect(configOf(stack)["metrics-server"]).toEqual({
      nodeSelector: { "karpenter.sh/nodepool": "system" },
      tolerations: [CRITICAL],
    });
  });
});
