import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Network, NetworkProps } from "../constructs/network/network";

/** A bare stack with the AWS provider every TerraformStack must hold. */
export function testStack(id = "test"): TerraformStack {
  const app: App = Testing.app();
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  return stack;
}

/** A small valid network: 2 AZs, public + private, one NAT gateway. */
export function testNetwork(stack: TerraformStack, overrides: Partial<NetworkProps> = {}): Network {
  return new Network(stack, "network", {
    name: "test",
    cidr: "10.0.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b"],
    natGateways: "single",
    clusterNames: ["test"],
    ...overrides,
  });
}

/** Synthesizes a stack and parses the Terraform JSON. */
export function synthJson(stack: TerraformStack, runValidations = false): any {
  return JSON.parse(Testing.synth(stack, runValidations));
}

/** The resources of one type in a synthesized stack, keyed by logical id. */
export function resourcesOf(stack: TerraformStack, type: string): Record<string, any> {
  return synthJson(stack).resource?.[type] ?? {};
}
