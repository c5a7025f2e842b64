/// <reference types="cdktf/lib/testing/adapters/jest" />
import { TerraformStack, TerraformVariable } from "cdktf";
import { EksCluster, EksClusterOptions } from "../../constructs/eks/cluster";
import { resourcesOf, testNetwork, testStack } from "../fixtures";
import { ADMIN_ARN } from "./fixtures";

function setup(options: Partial<EksClusterOptions> = {}, ipv6 = false, stack = testStack()): TerraformStack {
  new EksCluster(stack, "eks", {
    name: "test",
    network: testNetwork(stack, { ipv6 }),
    admins: [ADMIN_ARN],
    ...options,
  });
  return stack;
}

const networkConfigOf = (stack: TerraformStack) =>
  (Object.values(resourcesOf(stack, "aws_eks_cluster"))[0] as { kubernetes_network_config?: unknown })
    .kubernetes_network_config;

describe("EksCluster serviceIpv4Cidr", () => {
  it("is EKS's default when unset (no kubernetes_network_config on a managed IPv4 cluster)", () => {
    expect(networkConfigOf(setup())).toBeUndefined();
  });

  it("sets kubernetes_network_config.service_ipv4_cidr, alone or beside Auto Mode's settings", () => {
    expect(networkConfigOf(setup({ serviceIpv4Cidr: "172.20.0.0/16" }))).toEqual({
      service_ipv4_cidr: "172.20.0.0/16",
    });
    expect(networkConfigOf(setup({ serviceIpv4Cidr: "192.168.240.0/20", computeMode: "auto" }))).toEqual({
      elastic_load_balancing: { enabled: true },
      service_ipv4_cidr: "192.168.240.0/20",
    });
  });

  it("accepts a value known only at apply (a variable)", () => {
    const stack = testStack();
    const range = new TerraformVariable(stack, "service_range", { type: "string" });
    setup({ serviceIpv4Cidr: range.stringValue }, false, stack);
    expect(networkConfigOf(stack)).toEqual({ service_ipv4_cidr: "${var.service_range}" });
  });

  it("throws when the range is malformed, the wrong size, public, inside the VPC, or on an IPv6 cluster", () => {
    const where = "EksCluster 'eks': serviceIpv4Cidr";
    expect(() => setup({ serviceIpv4Cidr: "172.20.0.0" })).toThrow(
      `${where} "172.20.0.0" is not an IPv4 CIDR (a.b.c.d/n, no leading zeros); use a private block such as "172.20.0.0/16"`,
    );
    expect(() => setup({ serviceIpv4Cidr: "172.20.0.1/16" })).toThrow(
      `${where} "172.20.0.1/16" has host bits set (the network address for /16 is 172.20.0.0/16)`,
    );
    expect(() => setup({ serviceIpv4Cidr: "10.0.0.0/8" })).toThrow(
      `${where} "10.0.0.0/8" is a /8, but EKS takes /12 to /24; use e.g. a /16: "172.20.0.0/16"`,
    );
    expect(() => setup({ serviceIpv4Cidr: "172.20.0.0/25" })).toThrow(`is a /25, but EKS takes /12 to /24`);
    expect(() => setup({ serviceIpv4Cidr: "100.64.0.0/16" })).toThrow(
      `${where} "100.64.0.0/16" is not inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16; use a block inside one of them that no connected network uses`,
    );
    // testNetwork's VPC is 10.0.0.0/16.
    expect(() => setup({ serviceIpv4Cidr: "10.0.128.0/20" })).toThrow(
      `${where} "10.0.128.0/20" overlaps the VPC's CIDR 10.0.0.0/16 (Service and pod or node addresses would collide); use a block outside the VPC's range`,
    );
    expect(() => setup({ serviceIpv4Cidr: "172.20.0.0/16", ipFamily: "ipv6" }, true)).toThrow(
      `${where} "172.20.0.0/16" is set on an ipFamily "ipv6" cluster, where EKS assigns Services IPv6 addresses from a range it picks; remove serviceIpv4Cidr, or use ipFamily "ipv4"`,
    );
  });
});
