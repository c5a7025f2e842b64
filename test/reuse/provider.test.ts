/// <reference types="cdktf/lib/testing/adapters/jest" />
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EksCluster } from "../../constructs/eks/cluster";
import { Network } from "../../constructs/network/network";
import { Registry } from "../../constructs/registry/registry";
import { synthJson, testStack } from "../fixtures";
import { ADMIN_ARN } from "./fixtures";

/** Every aws_* resource of a synthesized stack, as [address, provider]. */
function providersOf(synth: any): [string, string | undefined][] {
  return Object.entries(synth.resource as Record<string, Record<string, any>>)
    .filter(([type]) => type.startsWith("aws_"))
    .flatMap(([type, byId]) =>
      Object.entries(byId).map(([id, r]) => [`${type}.${id}`, r.provider] as [string, string]),
    );
}

describe("provider (a second region through an aliased provider)", () => {
  it("puts every resource of the network, the cluster and the compute, roles and add-ons added to it on that provider", () => {
    const stack = testStack();
    const second = new AwsProvider(stack, "aws-frankfurt", { region: "eu-central-1", alias: "frankfurt" });
    const network = new Network(stack, "network", {
      name: "second",
      availabilityZones: ["eu-central-1a", "eu-central-1b"],
      natGateways: "single",
      vpcEndpoints: { s3Gateway: true, interfaces: ["sts"] },
      provider: second,
    });
    // No provider given: the cluster takes the network's.
    const cluster = new EksCluster(stack, "cluster", { name: "second", network, admins: [ADMIN_ARN] });
    cluster.addNodeGroup("general");
    cluster.addFargateProfile("batch", { selectors: [{ namespace: "batch" }] });
    cluster.addServiceAccountRole("reader", { namespace: "apps", serviceAccount: "reader", managedPolicyArns: [] });
    new Registry(stack, "registry", { repositories: { "apps/web": {} }, provider: second }).grantPull(cluster);

    const providers = providersOf(synthJson(stack));
    expect(providers.length).toBeGreaterThan(40);
    expect(providers.filter(([, p]) => p !== "aws.frankfurt")).toEqual([]);
    expect(cluster.provider).toBe(second);
  });

  it("lets the cluster name its own provider, and leaves the default provider's resources alone", () => {
    const stack = testStack();
    const second = new AwsProvider(stack, "aws-frankfurt", { region: "eu-central-1", alias: "frankfurt" });
    const network = new Network(stack, "network", {
      name: "second",
      availabilityZones: ["eu-central-1a", "eu-central-1b"],
      natGateways: "single",
      flowLogs: false,
    });
    new EksCluster(stack, "cluster", { name: "second", network, admins: [ADMIN_ARN], provider: second });
    const providers = providersOf(synthJson(stack));
    const onSecond = providers.filter(([, p]) => p === "aws.frankfurt").map(([a]) => a);
    const onDefault = providers.filter(([, p]) => p === undefined).map(([a]) => a);
    expect(onSecond).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_eks_cluster\./)]));
    expect(onSecond.every((a) => !a.startsWith("aws_vpc.") && !a.startsWith("aws_subnet."))).toBe(true);
    expect(onDefault).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_vpc\./)]));
    expect(onDefault.every((a) => !a.includes("cluster"))).toBe(true);
  });
});
