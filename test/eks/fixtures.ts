import { TerraformStack } from "cdktf";
import { EksCluster, EksClusterOptions } from "../../constructs/eks/cluster";
import { NetworkProps } from "../../constructs/network/network";
import { ADMIN_ARN, testNetwork, testStack } from "../fixtures";

export { ADMIN_ARN };

/**
 * The cluster the eks tests share: "eks", named "test", on the test network (2 AZs), administered
 * by ADMIN_ARN; `options` override the cluster's props and `network` the network's.
 */
export function testCluster(
  options: Partial<EksClusterOptions> = {},
  { stack = testStack(), network = {} }: { stack?: TerraformStack; network?: Partial<NetworkProps> } = {},
): { stack: TerraformStack; cluster: EksCluster } {
  const cluster = new EksCluster(stack, "eks", {
    name: "test",
    network: testNetwork(stack, network),
    admins: [ADMIN_ARN],
    ...options,
  });
  return { stack, cluster };
}
