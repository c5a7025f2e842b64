import { Annotations } from "cdktf";
import { IConstruct } from "constructs";
import { IEksCluster } from "./types";

/**
 * Warns (a cdktf synth annotation on `consumer`) when a cluster's API endpoint is private
 * only. Anything that talks to the Kubernetes API at deploy time (the kubernetes/helm
 * providers of a workloads stack) then works only from a machine that reaches the VPC;
 * from a laptop or a hosted CI runner it hangs until timeout with no hint why.
 * Returns true when it warned.
 */
export function warnIfEndpointUnreachable(cluster: IEksCluster, consumer: IConstruct): boolean {
  if (cluster.endpointPublicAccess) return false;
  const network = cluster.network;
  Annotations.of(consumer).addWarning(
    `EKS cluster "${cluster.name}" has a private-only API endpoint, so ${consumer.node.path} deploys only from a machine that reaches ` +
      `its VPC (${network.vpcCidr} in ${network.region}): run \`cdktf deploy\` from inside the VPC (a CI runner or bastion there), ` +
      "over a VPN / Direct Connect / Transit Gateway into it, or through SSM Session Manager port forwarding to the endpoint; " +
      `or add the deploy machine's egress CIDR to the cluster's endpointAccess ({ mode: "public-and-private", publicCidrs: ["<egress IP>/32"] }).`,
  );
  return true;
}
