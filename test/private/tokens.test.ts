/// <reference types="cdktf/lib/testing/adapters/jest" />
import { TerraformVariable, Token } from "cdktf";
import { EksCluster } from "../../constructs/eks/cluster";
import { EndpointAccess } from "../../constructs/eks/endpoint-access";
import { Network } from "../../constructs/network/network";
import { isToken } from "../../constructs/private/validation";
import { resourcesOf, testNetwork, testStack } from "../fixtures";

describe("values only known at apply", () => {
  it("isToken sees string and number tokens, list and map tokens and their elements", () => {
    const stack = testStack();
    const list = new TerraformVariable(stack, "list", { type: "list(string)" }).listValue;
    const map = Token.asStringMap(new TerraformVariable(stack, "map", { type: "map(string)" }).value);
    expect(isToken(list)).toBe(true);
    expect(isToken(list[0])).toBe(true);
    expect(isToken(map)).toBe(true);
    expect(isToken(Object.keys(map)[0])).toBe(true);
    expect(isToken(new TerraformVariable(stack, "n", { type: "number" }).numberValue)).toBe(true);
    expect(isToken(["a"])).toBe(false);
    expect(isToken({ a: "b" })).toBe(false);
    expect(isToken("#not-a-token")).toBe(false);
  });

  it("accepts admins, public endpoint CIDRs and node labels from Terraform variables", () => {
    const stack = testStack();
    const admins = new TerraformVariable(stack, "admins", { type: "list(string)" }).listValue;
    const cidrs = new TerraformVariable(stack, "cidrs", { type: "list(string)" }).listValue;
    const labels = Token.asStringMap(new TerraformVariable(stack, "labels", { type: "map(string)" }).value);
    const cluster = new EksCluster(stack, "eks", {
      name: "test",
      network: testNetwork(stack),
      admins,
      endpointAccess: EndpointAccess.publicAndPrivate(cidrs),
    });
    cluster.addNodeGroup("apps", { labels });
    cluster.addNodeGroup("system", { role: "system", labels });
    const c = Object.values(resourcesOf(stack, "aws_eks_cluster"))[0];
    expect(c.vpc_config.public_access_cidrs).toBe("${var.cidrs}");
    // One access entry per admin, for_each over the variable.
    const [entry] = Object.values(resourcesOf(stack, "aws_eks_access_entry")) as any[];
    expect(entry.for_each).toBe("${toset(var.admins)}");
    expect(entry.principal_arn).toBe("${each.value}");
    const [association] = Object.values(resourcesOf(stack, "aws_eks_access_policy_association")) as any[];
    expect(association.for_each).toBe("${toset(var.admins)}");
    const groups = Object.entries(resourcesOf(stack, "aws_eks_node_group")) as [string, any][];
    expect(groups.find(([k]) => k.includes("apps"))![1].labels).toBe("${var.labels}");
    expect(groups.find(([k]) => k.includes("system"))![1].labels).toBe(
      '${merge(var.labels, {"eks-platform.io/node-role" = "system"})}',
    );
  });

  it("throws when the VPC CIDR or the AZs are only known at apply, saying they must be literals", () => {
    const stack = testStack();
    const azs = new TerraformVariable(stack, "azs", { type: "list(string)" }).listValue;
    const cidr = new TerraformVariable(stack, "cidr", { type: "string" }).stringValue;
    expect(() => new Network(stack, "a", { name: "a", availabilityZones: azs })).toThrow(
      `Network 'a': availabilityZones "<a list only known at apply time>" is only known at apply time, but the subnet layout and the subnets' construct ids are computed from the AZ names at synth; give the AZ names as literal strings, e.g. ["eu-west-1a", "eu-west-1b"] (from typed config, not a variable or data source)`,
    );
    expect(() => new Network(stack, "b", { name: "b", availabilityZones: ["eu-west-1a", "eu-west-1b"], cidr })).toThrow(
      `Network 'b': cidr "<a value only known at apply time>" is only known at apply time, but the subnet CIDRs are computed from the VPC CIDR at synth; give the VPC CIDR as a literal string, e.g. "10.0.0.0/16"`,
    );
  });
});
