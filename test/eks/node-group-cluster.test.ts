/// <reference types="cdktf/lib/testing/adapters/jest" />
import { TerraformStack } from "cdktf";
import { EksCluster, EksClusterOptions } from "../../constructs/eks/cluster";
import { LAUNCH_TEMPLATE_NAME_PREFIX_MAX } from "../../constructs/eks/node-group";
import { resourcesOf, testNetwork, testStack } from "../fixtures";
import { ADMIN_ARN, testCluster } from "./fixtures";

// Node groups and Fargate profiles through the real EksCluster (addNodeGroup / addFargateProfile).

function setup(options: Partial<EksClusterOptions> = {}): { stack: TerraformStack; cluster: EksCluster } {
  return testCluster(options);
}

const entries = (stack: TerraformStack, type: string) => Object.entries(resourcesOf(stack, type));

describe("compute through EksCluster", () => {
  it("addNodeGroup: references the cluster, waits for its compute dependencies, registers its node role", () => {
    const { stack, cluster } = setup();
    const group = cluster.addNodeGroup("workers");
    const [clusterKey] = entries(stack, "aws_eks_cluster")[0];
    const [, ng] = entries(stack, "aws_eks_node_group")[0];

    expect(ng.cluster_name).toBe(`\${aws_eks_cluster.${clusterKey}.name}`);
    expect(ng.version).toBe(cluster.kubernetesVersion);
    expect(ng.tags).toMatchObject({ "k8s.io/cluster-autoscaler/test": "owned" });

    // vpc-cni and the other before-compute add-ons come first; the access entries don't hold nodes back.
    const addonKeys = Object.fromEntries(
      entries(stack, "aws_eks_addon").map(([key, a]) => [a.addon_name, `aws_eks_addon.${key}`]),
    );
    expect(ng.depends_on).toContain(addonKeys["vpc-cni"]);
    expect(ng.depends_on).toEqual(
      expect.arrayContaining([
        addonKeys["kube-proxy"],
        addonKeys["eks-pod-identity-agent"],
        expect.stringMatching(/^aws_iam_role_policy_attachment\.eks_workers_node-role_AmazonEKSWorkerNodePolicy/),
      ]),
    );
    expect(ng.depends_on).not.toContain(addonKeys["coredns"]);
    expect(ng.depends_on.filter((d: string) => d.startsWith("aws_eks_access"))).toEqual([]);
    // ...and coredns waits for the node group, since it needs somewhere to run.
    const coredns = resourcesOf(stack, "aws_eks_addon")[addonKeys["coredns"].split(".")[1]];
    const ngRef = `aws_eks_node_group.${entries(stack, "aws_eks_node_group")[0][0]}`;
    expect(coredns.depends_on.map((d: string) => d.replace(/^\$\{(.*)\}$/, "$1"))).toContain(ngRef);

    expect(cluster.nodeRoleArns).toEqual([group.nodeRoleArn]);
  });

  it("addFargateProfile: a Fargate-only cluster with the CoreDNS selector", () => {
    const { stack, cluster } = setup();
    cluster.addFargateProfile("system", { selectors: [{ namespace: "apps" }], includeCoreDns: true });
    const [, profile] = entries(stack, "aws_eks_fargate_profile")[0];
    expect(profile.selector).toEqual([
      { namespace: "apps" },
      { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
    ]);
    const [clusterKey] = entries(stack, "aws_eks_cluster")[0];
    expect(profile.cluster_name).toBe(`\${aws_eks_cluster.${clusterKey}.name}`);
    expect(cluster.nodeRoleArns).toEqual([]);
  });

  it("throws when a node group is added to an Auto Mode cluster", () => {
    const stack = testStack();
    const cluster = new EksCluster(stack, "eks", {
      name: "test",
      network: testNetwork(stack),
      admins: [ADMIN_ARN],
      computeMode: "auto",
    });
    expect(() => cluster.addNodeGroup("workers")).toThrow(/computeMode "auto" takes no managed node groups/);
  });

  it("attachCniPolicy false works when vpc-cni has its own role (ownRole or serviceAccountRoleArn): the node role lacks AmazonEKS_CNI_Policy", () => {
    const { stack, cluster } = setup({ addons: { "vpc-cni": { ownRole: "irsa" } } });
    const group = cluster.addNodeGroup("workers", { attachCniPolicy: false });
    const nodePolicies = Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment"))
      .filter(
        (a: any) =>
          a.role ===
          `\${aws_iam_role.${entries(stack, "aws_iam_role").find(([k]) => k.startsWith("eks_workers_node-role"))![0]}.name}`,
      )
      .map((a: any) => a.policy_arn);
    expect(nodePolicies).not.toContain("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy");
    expect(nodePolicies).toContain("arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy");
    expect(group.createdNodeRole?.attachCniPolicy).toBe(false);

    const other = setup({ addons: { "vpc-cni": { serviceAccountRoleArn: "arn:aws:iam::123456789012:role/vpc-cni" } } });
    expect(() => other.cluster.addNodeGroup("workers", { attachCniPolicy: false })).not.toThrow();
  });

  it("throws when attachCniPolicy is false but vpc-cni has no role of its own", () => {
    const { cluster } = setup();
    expect(() => cluster.addNodeGroup("workers", { attachCniPolicy: false })).toThrow(
      /^ManagedNodeGroup 'workers': attachCniPolicy false leaves the vpc-cni add-on of EksCluster 'eks' without AWS credentials: it has no role of its own, so aws-node runs with the node role, can't assign pod IPs, and the nodes never become Ready; give vpc-cni its own role on the cluster with addons: \{ "vpc-cni": \{ ownRole: "irsa" \} \} \(or serviceAccountRoleArn: "<role ARN>"\), or remove attachCniPolicy: false$/,
    );
    // The default (true) and a passed-in role (whose policies aren't ours to know) are fine.
    expect(() => cluster.addNodeGroup("default")).not.toThrow();
    expect(() =>
      cluster.addNodeGroup("shared", {
        nodeRole: { roleArn: "arn:aws:iam::123456789012:role/nodes", roleName: "nodes" },
      }),
    ).not.toThrow();
  });

  it("throws when attachCniPolicy is false and the vpc-cni add-on is disabled", () => {
    const { cluster } = setup({ addons: { "vpc-cni": false } });
    expect(() => cluster.addNodeGroup("workers", { attachCniPolicy: false })).toThrow(
      /^ManagedNodeGroup 'workers': attachCniPolicy false leaves the VPC CNI without AWS credentials: EksCluster 'eks' has addons\["vpc-cni"\]: false, so the aws-node DaemonSet EKS installs runs with the node role, can't assign pod IPs, and the nodes never become Ready; give vpc-cni its own role .*ownRole: "irsa"/,
    );
  });

  it("keeps the launch template name prefix within the provider's 99 characters for a 100-character cluster name", () => {
    const { stack, cluster } = setup({ name: "c".repeat(100) });
    cluster.addNodeGroup("workers");
    const [, lt] = entries(stack, "aws_launch_template")[0];
    expect(LAUNCH_TEMPLATE_NAME_PREFIX_MAX).toBe(99);
    expect(lt.name_prefix.length).toBeLessThanOrEqual(99);
    expect(lt.name_prefix).toBe(`${"c".repeat(98)}-`);
  });
});
