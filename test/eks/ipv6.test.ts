/// <reference types="cdktf/lib/testing/adapters/jest" />
import { TerraformStack } from "cdktf";
import { EksCluster, EksClusterOptions } from "../../constructs/eks/cluster";
import { CNI_IPV6_POLICY_DOCUMENT } from "../../constructs/eks/ip-family";
import { resourcesOf } from "../fixtures";
import { testCluster } from "./fixtures";

function setup(options: Partial<EksClusterOptions> = {}, ipv6 = true): { stack: TerraformStack; cluster: EksCluster } {
  return testCluster(options, { network: { ipv6 } });
}

const clusterOf = (stack: TerraformStack) => Object.values(resourcesOf(stack, "aws_eks_cluster"))[0];

describe("IPv6 clusters", () => {
  it("defaults to IPv4 with no kubernetes_network_config and no IPv6 policy", () => {
    const { stack, cluster } = setup({}, false);
    expect(cluster.ipFamily).toBe("ipv4");
    expect(clusterOf(stack).kubernetes_network_config).toBeUndefined();
    expect(resourcesOf(stack, "aws_iam_policy")).toEqual({});
  });

  it('ipFamily "ipv6": the cluster is IPv6 and the node roles get the VPC CNI\'s IPv6 policy before the nodes start', () => {
    const { stack, cluster } = setup({ ipFamily: "ipv6" });
    cluster.addNodeGroup("workers");
    expect(clusterOf(stack).kubernetes_network_config).toEqual({ ip_family: "ipv6" });
    const [policyId, policy] = Object.entries(resourcesOf(stack, "aws_iam_policy"))[0];
    expect(JSON.parse(policy.policy)).toEqual(CNI_IPV6_POLICY_DOCUMENT);
    expect(CNI_IPV6_POLICY_DOCUMENT.Statement[0].Action).toContain("ec2:AssignIpv6Addresses");
    const attachments = Object.entries(resourcesOf(stack, "aws_iam_role_policy_attachment")).filter(
      ([, a]: [string, any]) => a.policy_arn === `\${aws_iam_policy.${policyId}.arn}`,
    );
    expect(attachments).toHaveLength(1);
    const [attachmentId, attachment] = attachments[0];
    expect(attachment.role).toMatch(/^\$\{aws_iam_role\.eks_workers_node-role.*\.name\}$/);
    const group = Object.values(resourcesOf(stack, "aws_eks_node_group"))[0];
    expect(group.depends_on).toContain(`aws_iam_role_policy_attachment.${attachmentId}`);
  });

  it("gives vpc-cni's own role the IPv6 policy too", () => {
    const { stack } = setup({ ipFamily: "ipv6", addons: { "vpc-cni": { ownRole: "irsa" } } });
    const [policyId] = Object.keys(resourcesOf(stack, "aws_iam_policy"));
    const roles = Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment"))
      .filter((a: any) => a.policy_arn === `\${aws_iam_policy.${policyId}.arn}`)
      .map((a: any) => a.role);
    expect(roles).toEqual([expect.stringContaining("vpc-cni-role")]);
  });

  it("Auto Mode keeps its load balancing config next to the IPv6 family", () => {
    const { stack } = setup({ ipFamily: "ipv6", computeMode: "auto" });
    expect(clusterOf(stack).kubernetes_network_config).toEqual({
      elastic_load_balancing: { enabled: true },
      ip_family: "ipv6",
    });
  });

  it("throws when ipFamily is ipv6 on a network without IPv6, or is not an IP family", () => {
    expect(() => setup({ ipFamily: "ipv6" }, false)).toThrow(
      `EksCluster 'eks': ipFamily "ipv6" needs a dual-stack network, but the cluster's network has no IPv6 (pods would get no addresses); create the network with ipv6: true, or use ipFamily "ipv4"`,
    );
    expect(() => setup({ ipFamily: "IPv6" as "ipv6" })).toThrow(
      `EksCluster 'eks': ipFamily "IPv6" is not an IP family; use one of ipv4, ipv6`,
    );
  });
});
