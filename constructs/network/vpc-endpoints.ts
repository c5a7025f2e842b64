import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { describe, duplicatesOf, fail } from "../private/validation";

/** AWS services reachable through an interface endpoint that private EKS clusters commonly need. */
export const INTERFACE_ENDPOINT_SERVICES = [
  "ecr.api",
  "ecr.dkr",
  "sts",
  "logs",
  "ec2",
  "elasticloadbalancing",
  "autoscaling",
  "eks",
  "eks-auth",
  "ssm",
  "ssmmessages",
  "ec2messages",
  "kms",
  "secretsmanager",
  "sqs",
  "xray",
] as const;
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

/**
 * What nodes of a cluster without internet egress need to pull images from ECR,
 * get IRSA / Pod Identity credentials, ship logs and join (the EC2 API).
 */
export const PRIVATE_CLUSTER_ENDPOINTS: readonly InterfaceEndpointService[] = [
  "ecr.api",
  "ecr.dkr",
  "sts",
  "logs",
  "ec2",
];

export interface VpcEndpointsOptions {
  /**
   * An S3 gateway endpoint on every route table: free, and ECR image layers are served from S3.
   * @default true
   */
  readonly s3Gateway?: boolean;
  /**
   * Interface endpoints (billed per AZ-hour) with private DNS, in the private subnets.
   * @default PRIVATE_CLUSTER_ENDPOINTS (ecr.api, ecr.dkr, sts, logs, ec2)
   */
  readonly interfaces?: InterfaceEndpointService[];
  /**
   * Availability Zones to place the interface endpoints in (a subset of the network's).
   * Not every service is offered in every AZ; AWS refuses an endpoint in a subnet of an
   * AZ the service lacks, so narrow this when apply says so.
   * @default - every AZ of the network
   */
  readonly availabilityZones?: string[];
}

export interface VpcEndpointsProps extends VpcEndpointsOptions {
  readonly name: string;
  readonly region: string;
  readonly vpcId: string;
  /** Clients allowed to reach the interface endpoints over HTTPS: the VPC's IPv4 CIDR. */
  readonly vpcCidr: string;
  /** The VPC's IPv6 block, allowed too when dual stack. */
  readonly vpcIpv6Cidr?: string;
  /** Candidate subnets for the interface endpoints, one per AZ. */
  readonly subnets: { readonly id: string; readonly availabilityZone: string }[];
  readonly routeTableIds: string[];
  readonly tags?: Record<string, string>;
}

/** Gateway and interface VPC endpoints, so a private cluster reaches AWS APIs without NAT. */
export class VpcEndpoints extends Construct {
  public readonly s3Gateway?: VpcEndpoint;
  public readonly interfaceEndpoints: Record<string, VpcEndpoint> = {};
  /** Security group of the interface endpoints (HTTPS from the VPC only); undefined with no interface endpoints. */
  public readonly securityGroup?: SecurityGroup;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    const where = describe("VpcEndpoints", id);
    const interfaces = props.interfaces ?? [...PRIVATE_CLUSTER_ENDPOINTS];
    interfaces.forEach((svc, i) => {
      if (!(INTERFACE_ENDPOINT_SERVICES as readonly string[]).includes(svc)) {
        fail(
          where,
          `interfaces[${i}]`,
          svc,
          "is not a supported interface endpoint service",
          `use one of ${INTERFACE_ENDPOINT_SERVICES.join(", ")}`,
        );
      }
    });
    const dups = duplicatesOf(interfaces);
    if (dups.length)
      fail(where, "interfaces", interfaces, `lists ${dups.join(", ")} more than once`, "list each service once");
    const networkAzs = props.subnets.map((s) => s.availabilityZone);
    const azs = props.availabilityZones ?? networkAzs;
    azs.forEach((az, i) => {
      if (!networkAzs.includes(az))
        fail(
          where,
          `availabilityZones[${i}]`,
          az,
          "is not an Availability Zone of the network",
          `use some of ${networkAzs.join(", ")}`,
        );
    });
    if (azs.length === 0)
      fail(
        where,
        "availabilityZones",
        azs,
        "is empty",
        "give at least one AZ (two or more for availability), or leave it unset for all",
      );
    const subnetIds = props.subnets.filter((s) => azs.includes(s.availabilityZone)).map((s) => s.id);
    const dualStack = props.vpcIpv6Cidr !== undefined;

    if (props.s3Gateway ?? true) {
      this.s3Gateway = new VpcEndpoint(this, "s3", {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: props.routeTableIds,
        tags: { ...props.tags, Name: `${props.name}-s3` },
      });
    }
    if (interfaces.length === 0) return;

    this.securityGroup = new SecurityGroup(this, "security-group", {
      namePrefix: `${props.name}-vpc-endpoints-`,
      description: `HTTPS from ${props.name} to its interface VPC endpoints`,
      vpcId: props.vpcId,
      tags: { ...props.tags, Name: `${props.name}-vpc-endpoints` },
      // A change that replaces the group (its description, the VPC) must create the new group
      // and move the endpoints to it before deleting the old one: deleting a group endpoints
      // still use fails with DependencyViolation. The name prefix lets both exist at once.
      lifecycle: { createBeforeDestroy: true },
    });
    new VpcSecurityGroupIngressRule(this, "https-ipv4", {
      securityGroupId: this.securityGroup.id,
      description: "HTTPS from the VPC",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.vpcCidr,
    });
    if (props.vpcIpv6Cidr) {
      new VpcSecurityGroupIngressRule(this, "https-ipv6", {
        securityGroupId: this.securityGroup.id,
        description: "HTTPS from the VPC (IPv6)",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv6: props.vpcIpv6Cidr,
      });
    }
    // No egress rules: endpoints answer, they never initiate.
    for (const svc of interfaces) {
      this.interfaceEndpoints[svc] = new VpcEndpoint(this, svc.replace(/\./g, "-"), {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${svc}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds,
        // Dual stack: IPv6 clients in the VPC reach the endpoints too.
        ipAddressType: dualStack ? "dualstack" : undefined,
        dnsOptions: dualStack ? { dnsRecordIpType: "dualstack" } : undefined,
        securityGroupIds: [this.securityGroup.id],
        tags: { ...props.tags, Name: `${props.name}-${svc}` },
      });
    }
  }
}
