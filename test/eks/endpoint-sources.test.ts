/// <reference types="cdktf/lib/testing/adapters/jest" />
import { TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { EksClusterOptions } from "../../constructs/eks/cluster";
import { EndpointAccess, EndpointSource } from "../../constructs/eks/endpoint-access";
import { warnIfEndpointUnreachable } from "../../constructs/eks/reachability";
import { PolicyChecks } from "../../constructs/policy/policy-checks";
import { resourcesOf, testStack, warningsOf } from "../fixtures";
import { testCluster } from "./fixtures";

const CLUSTER_SG = "${aws_eks_cluster.eks_cluster_55B0C966.vpc_config[0].cluster_security_group_id}";

function setup(options: Partial<EksClusterOptions> = {}, ipv6 = false, stack = testStack()) {
  return testCluster(options, { stack, network: { ipv6 } });
}

/** The cluster's tcp/443 rules by source key (their logical ids are eks_endpoint-ingress_<key>_<hash>). */
function rulesOf(stack: TerraformStack): Record<string, any> {
  return Object.fromEntries(
    Object.entries(resourcesOf(stack, "aws_vpc_security_group_ingress_rule"))
      .filter(([id]) => id.startsWith("eks_endpoint-ingress_"))
      .map(([id, r]) => [id.replace(/^eks_endpoint-ingress_/, "").replace(/_[0-9A-F]{8}$/, ""), r]),
  );
}

const rule = (source: Record<string, string>, description: string) => ({
  security_group_id: CLUSTER_SG,
  ip_protocol: "tcp",
  from_port: 443,
  to_port: 443,
  description: `Kubernetes API (private endpoint) from ${description}`,
  ...source,
});

describe("EksCluster private endpoint sources", () => {
  it("admits the VPC on tcp/443 by default, on the cluster security group EKS creates (the README's in-VPC deploy path)", () => {
    const { stack, cluster } = setup();
    expect(rulesOf(stack)).toEqual({ vpc: rule({ cidr_ipv4: "10.0.0.0/16" }, "the VPC 10.0.0.0/16") });
    expect(cluster.endpointPrivateAccessSources).toEqual(["the VPC 10.0.0.0/16"]);
    // Not the world: the security-group policy rules (SG1, SG2) have nothing to say.
    expect(PolicyChecks.evaluate(stack).findings.filter((f) => f.ruleId.startsWith("SG"))).toEqual([]);
  });

  it("admits the VPC's IPv6 block as well on a dual-stack network, and in public-and-private mode too", () => {
    const { stack } = setup({ endpointAccess: EndpointAccess.publicAndPrivate(["203.0.113.0/24"]) }, true);
    const rules = rulesOf(stack);
    expect(Object.keys(rules).sort()).toEqual(["vpc", "vpc-ipv6"]);
    expect(rules["vpc-ipv6"]).toEqual(
      rule({ cidr_ipv6: "${aws_vpc.network_vpc_4E8F0223.ipv6_cidr_block}" }, "the VPC's IPv6 block"),
    );
  });

  it("turns IPv4 and IPv6 ranges and security groups into one rule each, keyed by the source", () => {
    const { stack } = setup({
      endpointAccess: EndpointAccess.private({
        privateAccessFrom: [
          EndpointSource.vpc(),
          EndpointSource.cidr("192.168.0.0/16", { name: "office-vpn" }),
          EndpointSource.cidr("172.31.8.0/22"),
          EndpointSource.cidr("2001:db8:1200::/40"),
          EndpointSource.securityGroup("sg-0123456789abcdef0"),
        ],
      }),
    });
    expect(rulesOf(stack)).toEqual({
      vpc: rule({ cidr_ipv4: "10.0.0.0/16" }, "the VPC 10.0.0.0/16"),
      "office-vpn": rule({ cidr_ipv4: "192.168.0.0/16" }, "office-vpn 192.168.0.0/16"),
      "172-31-8-0-22": rule({ cidr_ipv4: "172.31.8.0/22" }, "172.31.8.0/22"),
      "2001-db8-1200-40": rule({ cidr_ipv6: "2001:db8:1200::/40" }, "2001:db8:1200::/40"),
      "sg-0123456789abcdef0": rule({ referenced_security_group_id: "sg-0123456789abcdef0" }, "sg-0123456789abcdef0"),
    });
  });

  it("keeps every rule's address when the sources are reordered or one is removed (ids by source, not position)", () => {
    const a = EndpointSource.cidr("192.168.0.0/16");
    const b = EndpointSource.securityGroup("sg-0123456789abcdef0");
    const ids = (sources: EndpointSource[]) =>
      Object.keys(
        resourcesOf(
          setup({ endpointAccess: EndpointAccess.private({ privateAccessFrom: sources }) }).stack,
          "aws_vpc_security_group_ingress_rule",
        ),
      ).sort();
    const all = ids([EndpointSource.vpc(), a, b]);
    expect(ids([b, a, EndpointSource.vpc()])).toEqual(all);
    expect(all).toEqual(expect.arrayContaining(ids([b])));
  });

  it("accepts references known only at apply, named: a security group of the stack and a CIDR variable (family decided at apply)", () => {
    const stack = testStack();
    const bastion = new SecurityGroup(stack, "bastion", { name: "bastion" });
    const range = new TerraformVariable(stack, "vpn_range", { type: "string" });
    setup(
      {
        endpointAccess: EndpointAccess.private({
          privateAccessFrom: [
            EndpointSource.securityGroup(bastion.id, { name: "bastion" }),
            EndpointSource.cidr(range.stringValue, { name: "vpn" }),
          ],
        }),
      },
      false,
      stack,
    );
    expect(rulesOf(stack)).toEqual({
      bastion: rule({ referenced_security_group_id: "${aws_security_group.bastion.id}" }, "bastion"),
      vpn: rule(
        {
          cidr_ipv4: '${strcontains(var.vpn_range, ":") ? null : var.vpn_range}',
          cidr_ipv6: '${strcontains(var.vpn_range, ":") ? var.vpn_range : null}',
        },
        "vpn",
      ),
    });
  });

  it("admits nothing but the cluster's own members with []", () => {
    const { stack, cluster } = setup({ endpointAccess: EndpointAccess.private({ privateAccessFrom: [] }) });
    expect(rulesOf(stack)).toEqual({});
    const consumer = new Construct(stack, "workloads");
    warnIfEndpointUnreachable(cluster, consumer);
    expect(warningsOf(consumer)[0]).toContain(
      "only from what the endpoint admits: nothing but the cluster's own nodes (endpointAccess.privateAccessFrom is [])",
    );
  });

  it("opens 0.0.0.0/0 only on an explicit opt-in, which the policy checks then report (SG2)", () => {
    const { stack } = setup({
      endpointAccess: EndpointAccess.private({
        privateAccessFrom: [EndpointSource.cidr("0.0.0.0/0", { name: "anywhere", allowAnyAddress: true })],
      }),
    });
    expect(rulesOf(stack).anywhere.cidr_ipv4).toBe("0.0.0.0/0");
    const findings = PolicyChecks.evaluate(stack).findings.filter((f) => f.ruleId === "SG2");
    expect(findings.map((f) => f.address)).toEqual([
      expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.eks_endpoint-ingress_anywhere_[0-9A-F]{8}$/),
    ]);
  });

  it("names where the deploy can run from in the reachability warning", () => {
    const { stack, cluster } = setup({
      endpointAccess: EndpointAccess.private({
        privateAccessFrom: [EndpointSource.vpc(), EndpointSource.cidr("192.168.0.0/16", { name: "office-vpn" })],
      }),
    });
    const consumer = new Construct(stack, "workloads");
    expect(warnIfEndpointUnreachable(cluster, consumer)).toBe(true);
    expect(warningsOf(consumer)).toEqual([
      'EKS cluster "test" has a private-only API endpoint, so test/workloads deploys only from a machine in its VPC (10.0.0.0/16 in eu-west-1) or a network routed into it, and only from what the endpoint admits: the VPC 10.0.0.0/16, office-vpn 192.168.0.0/16 (the tcp/443 sources of endpointAccess.privateAccessFrom). Run `cdktf deploy` from a CI runner or bastion there, or through SSM Session Manager port forwarding via an instance there; a VPN / Direct Connect / Transit Gateway range must be added as a source (EndpointSource.cidr("<range>")); or add the deploy machine\'s egress CIDR to the cluster\'s endpointAccess ({ mode: "public-and-private", publicCidrs: ["<egress IP>/32"] }).',
    ]);
  });

  const where = "EksCluster 'eks': endpointAccess.privateAccessFrom";
  it.each<[string, EndpointSource[], string]>([
    [
      "a malformed IPv4 range",
      [EndpointSource.cidr("10.0.0.0/33")],
      `${where}[0].cidr "10.0.0.0/33" has a prefix length above 32; use a network CIDR such as "10.50.0.0/16" or "2001:db8::/56"`,
    ],
    [
      "an IPv6 host address",
      [EndpointSource.cidr("2001:db8::1/64")],
      `${where}[0].cidr "2001:db8::1/64" has host bits set (not the network address of a /64); use a network CIDR such as "10.50.0.0/16" or "2001:db8::/56"`,
    ],
    [
      "something that is no IPv6 range",
      [EndpointSource.cidr("2001:db8:::/64")],
      `${where}[0].cidr "2001:db8:::/64" is not an IPv6 CIDR (address/n, e.g. 2001:db8::/56); use a network CIDR such as "10.50.0.0/16" or "2001:db8::/56"`,
    ],
    [
      "0.0.0.0/0 without the opt-in",
      [EndpointSource.cidr("0.0.0.0/0")],
      `${where}[0].cidr "0.0.0.0/0" admits every address routed into the VPC to the Kubernetes API; list the ranges that deploy (VPN clients, CI runners, bastions), or set allowAnyAddress: true to opt in explicitly`,
    ],
    [
      "::/0 without the opt-in",
      [EndpointSource.vpc(), EndpointSource.cidr("::/0")],
      `${where}[1].cidr "::/0" admits every address routed into the VPC to the Kubernetes API; list the ranges that deploy (VPN clients, CI runners, bastions), or set allowAnyAddress: true to opt in explicitly`,
    ],
    [
      "a malformed security group id",
      [EndpointSource.securityGroup("bastion")],
      `${where}[0].securityGroupId "bastion" is not a security group id; use an id such as "sg-0123456789abcdef0"`,
    ],
    [
      "a bad name",
      [EndpointSource.cidr("192.168.0.0/16", { name: "Office VPN" })],
      `${where}[0].name "Office VPN" is not a source name; use 1-63 lowercase letters, digits and hyphens, e.g. "office-vpn"`,
    ],
    [
      "the same source twice",
      [EndpointSource.cidr("192.168.0.0/16"), EndpointSource.cidr("192.168.0.0/16")],
      `${where} ["192-168-0-0-16"] name the same source more than once (each key is one ingress rule); list each source once, or give two different references different names`,
    ],
    [
      "an unknown kind",
      [{ kind: "prefix-list" } as unknown as EndpointSource],
      `${where}[0].kind "prefix-list" is not an endpoint source kind; use one of vpc, cidr, security-group (EndpointSource.vpc(), .cidr(...), .securityGroup(...))`,
    ],
  ])("throws on %s", (_case, privateAccessFrom, message) => {
    expect(() => setup({ endpointAccess: EndpointAccess.private({ privateAccessFrom }) })).toThrow(message);
  });

  it("throws when a reference has no name to key its rule on", () => {
    const stack = testStack();
    const range = new TerraformVariable(stack, "vpn_range", { type: "string" });
    expect(() =>
      setup(
        { endpointAccess: EndpointAccess.private({ privateAccessFrom: [EndpointSource.cidr(range.stringValue)] }) },
        false,
        stack,
      ),
    ).toThrow(
      `${where}[0].name undefined is required when the CIDR is only known at apply (the rule has no text to be keyed on); name the source, e.g. EndpointSource.cidr(vpnCidr, { name: "vpn" })`,
    );
  });
});
