import { Annotations } from "cdktf";
import { IConstruct } from "constructs";
import { IEksCluster } from "./types";

/**
 * Warns (a cdktf synth annotation on `consumer`) when a cluster's API endpoint is private
 * only. Anything that talks to the Kubernetes API at deploy time (the kubernetes/helm
 * providers of a workloads stack) then works only from a source the cluster security group
 * admits on tcp/443 (`endpointAccess.privateAccessFrom`, by default the VPC); from a laptop or
 * a hosted CI runner it hangs until timeout with no hint why. Returns true when it warned.
 */
export function warnIfEndpointUnreachable(cluster: IEksCluster, consumer: IConstruct): boolean {
  if (cluster.endpointPublicAccess) return false;
  const network = cluster.network;
  const sources = cluster.endpointPrivateAccessSources;
  const admitted =
    sources === undefined
      ? "whatever its cluster security group admits on tcp/443 (its owner manages that)"
      : sources.length === 0
        ? "nothing but the cluster's own nodes (endpointAccess.privateAccessFrom is [])"
        : `${sources.join(", ")} (the tcp/443 sources of endpointAccess.privateAccessFrom)`;
  Annotations.of(consumer).addWarning(
    `EKS cluster "${cluster.name}" has a private-only API endpoint, so ${consumer.node.path} deploys only from a machine in its VPC ` +
      `(${network.vpcCidr} in ${network.region}) or a network routed into it, and only from what the endpoint admits: ${admitted}. ` +
      "Run `cdktf deploy` from a CI runner or bastion there, or through SSM Session Manager port forwarding via an instance there; " +
      'a VPN / Direct Connect / Transit Gateway range must be added as a source (EndpointSource.cidr("<range>")); ' +
      `or add the deploy machine's egress CIDR to the cluster's endpointAccess ({ mode: "public-and-private", publicCidrs: ["<egress IP>/32"] }).`,
  );
  return true;
}
