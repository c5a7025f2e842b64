/// <reference types="cdktf/lib/testing/adapters/jest" />
import { TerraformStack } from "cdktf";
import { EksCluster } from "../constructs/eks/cluster";
import { resourcesOf, testNetwork, testStack } from "./fixtures";

// Node groups and Fargate profiles through the real EksCluster (addNodeGroup / addFargateProfile).

const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";

function setup(): { stack: TerraformStack; cluster: EksCluster } {
  const stack = testStack();
  const cluster = new EksCluster(stack, "eks", { name: "test", network: testNetwork(stack), admins: [ADMIN] });
  return { stack, cluster };
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

    // vpc-cni (and the other before-compute add-ons) and the access entries come first.
    const addonKeys = Object.fromEntries(entries(stack, "aws_eks_addon").map(([key, a]) => [a.addon_name, `aws_eks_addon.${key}`]));
    expect(ng.depends_on).toContain(addonKeys["vpc-cni"]);
    expect(ng.depends_on).toEqual(
      expect.arrayContaining([
        addonKeys["kube-proxy"],
        addonKeys["eks-pod-identity-agent"],
        expect.stringMatching(/^aws_eks_access_entry\./),
        expect.stringMatching(/^aws_eks_access_policy_association\./),
        expect.stringMatching(/^aws_iam_role_policy_attachment\.eks_workers_node-role_AmazonEKSWorkerNodePolicy/),
      ]),
    );
    expect(ng.depends_on).not.toContain(addonKeys["coredns"]);
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
    expect(profile.selector).toEqual([{ namespace: "apps" }, { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } }]);
    const [clusterKey] = entries(stack, "aws_eks_cluster")[0];
    expect(profile.cluster_name).toBe(`\${aws_eks_cluster.${clusterKey}.name}`);
    expect(cluster.nodeRoleArns).toEqual([]);
  });

  it("throws when a node group is added to an Auto Mode cluster", () => {
    const stack = testStack();
    const cluster = new EksCluster(stack, "eks", { name: "test", network: testNetwork(stack), admins: [ADMIN], computeMode: "auto" });
    expect(() => cluster.addNodeGroup("workers")).toThrow(/computeMode "auto" takes no managed node groups/);
  });
});
