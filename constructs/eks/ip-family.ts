import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import type { IEksCluster, IpFamily } from "./types";

export type { IpFamily };

export const IP_FAMILIES: readonly IpFamily[] = ["ipv4", "ipv6"];

/**
 * What the VPC CNI needs to give pods IPv6 addresses. AWS documents this policy for IPv6
 * clusters but publishes no managed policy with it (there is no "AmazonEKS_CNI_IPv6_Policy" to
 * attach), so the cluster creates it as a customer-managed policy.
 */
export const CNI_IPV6_POLICY_DOCUMENT = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "AssignIpv6Addresses",
      Effect: "Allow",
      Action: [
        "ec2:AssignIpv6Addresses",
        "ec2:DescribeInstances",
        "ec2:DescribeTags",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeInstanceTypes",
      ],
      Resource: "*",
    },
    {
      Sid: "TagNetworkInterfaces",
      Effect: "Allow",
      Action: ["ec2:CreateTags"],
      Resource: ["arn:*:ec2:*:*:network-interface/*"],
    },
  ],
};

export interface CniIpv6PolicyProps {
  /** Literal cluster name, for the policy name and description. */
  readonly clusterName: string;
  /** @default - none */
  readonly tags?: Record<string, string>;
}

/** The customer-managed IPv6 CNI policy of one cluster (attached to node roles and vpc-cni's own role). */
export class CniIpv6Policy extends Construct {
  public readonly policy: IamPolicy;
  public readonly policyArn: string;

  constructor(scope: Construct, id: string, props: CniIpv6PolicyProps) {
    super(scope, id);
    this.policy = new IamPolicy(this, "policy", {
      namePrefix: `${props.clusterName}-cni-ipv6-`.slice(0, 100),
      description: `VPC CNI IPv6 permissions for EKS cluster ${props.clusterName} (the AmazonEKS_CNI_IPv6_Policy AWS documents)`,
      policy: JSON.stringify(CNI_IPV6_POLICY_DOCUMENT),
      tags: props.tags,
    });
    this.policyArn = this.policy.arn;
  }
}

/**
 * The IP families NetworkPolicy rules must be written for in `cluster`. EKS's network policy
 * agent (and Auto Mode's) programs only the rules of the cluster's own family and ignores the
 * others, so an IPv4-only rule on an IPv6 cluster allows nothing. When the family is unknown at
 * synth (an adopted cluster that didn't say, or a reference) and the network has IPv6, both are
 * written: a rule of the other family is ignored, so writing both is never less safe than the
 * one that applies.
 */
export function ipFamiliesOf(cluster: IEksCluster): ("ipv4" | "ipv6")[] {
  const family = cluster.ipFamily;
  if (family === "ipv4" || family === "ipv6") return [family];
  // An IPv6 cluster needs a dual-stack network: without one, the cluster can only be IPv4.
  return cluster.network.ipv6Enabled ? ["ipv4", "ipv6"] : ["ipv4"];
}

/**
 * The EKS Pod Identity agent's address per IP family; it serves credentials on port 80 ("Set up
 * the Amazon EKS Pod Identity Agent", EKS User Guide: 169.254.170.23 for IPv4, [fd00:ec2::23]
 * for IPv6; read 2026-12).
 */
export const POD_IDENTITY_AGENT = { ipv4: "169.254.170.23/32", ipv6: "fd00:ec2::23/128" } as const;

/**
 * Load balancers in front of IPv6 pods must be dual-stack: the AWS Load Balancer Controller
 * refuses IPv6 targets behind an IPv4 load balancer ("unsupported IPv6 configuration, lb not
 * dual-stack", buildTargetGroupIPAddressType in pkg/ingress and pkg/service
 * model_build_target_group.go of kubernetes-sigs/aws-load-balancer-controller v2.14; the
 * annotations are `alb.ingress.kubernetes.io/ip-address-type` and
 * `service.beta.kubernetes.io/aws-load-balancer-ip-address-type` in its v2.14 annotation guides;
 * Auto Mode's IngressClassParams takes `spec.ipAddressType`; read 2026-12). A
 * dual-stack load balancer needs subnets with IPv6 ranges, which a Network with ipv6: true gives
 * its public and private subnets. When the family is unknown, a network with IPv6 gets
 * dual-stack (it serves IPv4 targets too) and one without stays IPv4 (the cluster can only be IPv4).
 */
export function loadBalancerIpAddressType(cluster: IEksCluster): "ipv4" | "dualstack" {
  if (cluster.ipFamily === "ipv6") return "dualstack";
  if (cluster.ipFamily === "ipv4") return "ipv4";
  return cluster.network.ipv6Enabled === true ? "dualstack" : "ipv4";
}
