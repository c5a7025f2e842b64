import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { IEksCluster } from "../eks/types";
import { describe, fail } from "../private/validation";

/**
 * Turns on NetworkPolicy enforcement in an EKS Auto Mode cluster: the kube-system/amazon-vpc-cni
 * ConfigMap with enable-network-policy-controller "true" (EKS user guide, "Use Network Policies
 * with EKS Auto Mode"). Until it exists, Auto Mode accepts NetworkPolicies and ignores them.
 * Auto Mode runs no vpc-cni add-on, so the ConfigMap doesn't exist before and is ours to own.
 */
export class AutoModeNetworkPolicy extends Construct {
  public readonly configMap: ConfigMapV1;

  constructor(scope: Construct, id: string, props: { readonly cluster: IEksCluster }) {
    super(scope, id);
    if (props.cluster.computeMode !== "auto") {
      fail(
        describe("AutoModeNetworkPolicy", id),
        "cluster.computeMode",
        props.cluster.computeMode,
        `is not Auto Mode: on cluster "${props.cluster.name}" the vpc-cni add-on's network policy agent enforces policies, configured on the cluster`,
        "leave this out; the cluster's vpc-cni add-on has enableNetworkPolicy on by default",
      );
    }
    this.configMap = new ConfigMapV1(this, "amazon-vpc-cni", {
      metadata: { name: "amazon-vpc-cni", namespace: "kube-system" },
      data: { "enable-network-policy-controller": "true" },
    });
  }
}
