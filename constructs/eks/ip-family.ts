import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";

/**
 * The IP family of pods and Services:
 * - `ipv4`: pods take IPv4 addresses of the VPC's subnets.
 * - `ipv6`: pods and Services are IPv6-only (pods still reach IPv4 destinations through the
 *   node's IPv4 address); needs a dual-stack network. IPv6 pods don't use up subnet IPv4 space.
 */
export type IpFamily = "ipv4" | "ipv6";
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
