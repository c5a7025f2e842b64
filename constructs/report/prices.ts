/**
 * The price table the cost estimate uses: USD list prices, on-demand, Linux, per region.
 * Shipped with the project so synth never needs the network.
 *
 * As of 2026-11-26, from AWS's public price pages (EKS, EC2 on-demand, VPC/NAT, PrivateLink,
 * EBS, Elastic Load Balancing, public IPv4, KMS), cross-checked against third-party price
 * guides. Prices change: update this table (and PRICES_AS_OF) and the pinned tests together.
 */
export const PRICES_AS_OF = "2026-11-26";

/** Hours in the month the estimate assumes (AWS's own calculator uses 730). */
export const HOURS_PER_MONTH = 730;

/**
 * Assumed average spot discount off the on-demand price. Spot prices move by the hour and by
 * AZ; 60 % is a typical long-run average for general-purpose types, not a quote.
 */
export const ASSUMED_SPOT_DISCOUNT = 0.6;

export interface RegionPrices {
  /** EKS control plane per cluster-hour: standard support. */
  readonly eksStandardHour: number;
  /** EKS control plane per cluster-hour: extended support. */
  readonly eksExtendedHour: number;
  /** NAT gateway per hour (processing per GB is not included). */
  readonly natGatewayHour: number;
  /** Public IPv4 address per hour (the NAT gateways' Elastic IPs). */
  readonly publicIpv4Hour: number;
  /** Interface VPC endpoint per AZ-hour (processing per GB is not included). */
  readonly interfaceEndpointAzHour: number;
  /** EBS gp3 per GB-month (baseline IOPS and throughput, which are free). */
  readonly gp3GbMonth: number;
  /** Network Load Balancer per hour (LCUs not included). */
  readonly nlbHour: number;
  /** Application Load Balancer per hour (LCUs not included). */
  readonly albHour: number;
  /** KMS customer-managed key per month (requests not included). */
  readonly kmsKeyMonth: number;
  /** On-demand instance price per hour, by instance type. */
  readonly instanceHour: Readonly<Record<string, number>>;
}

const EKS = { eksStandardHour: 0.1, eksExtendedHour: 0.6, publicIpv4Hour: 0.005, kmsKeyMonth: 1.0 };

export const PRICES: Readonly<Record<string, RegionPrices>> = {
  "us-east-1": {
    ...EKS,
    natGatewayHour: 0.045,
    interfaceEndpointAzHour: 0.01,
    gp3GbMonth: 0.08,
    nlbHour: 0.0225,
    albHour: 0.0225,
    instanceHour: {
      "t3.medium": 0.0416,
      "t3.large": 0.0832,
      "m5.large": 0.096,
      "m5.xlarge": 0.192,
      "m6i.large": 0.096,
      "m6i.xlarge": 0.192,
      "m6a.large": 0.0864,
      "m7i.large": 0.1008,
      "c6i.large": 0.085,
      "r6i.large": 0.126,
      "m6g.large": 0.077,
      "m6gd.large": 0.0904,
      "m7g.large": 0.0816,
      "m7gd.large": 0.1068,
      "c7g.large": 0.0725,
    },
  },
  "us-west-2": {
    ...EKS,
    natGatewayHour: 0.045,
    interfaceEndpointAzHour: 0.01,
    gp3GbMonth: 0.08,
    nlbHour: 0.0225,
    albHour: 0.0225,
    instanceHour: {
      "t3.medium": 0.0416,
      "t3.large": 0.0832,
      "m5.large": 0.096,
      "m5.xlarge": 0.192,
      "m6i.large": 0.096,
      "m6i.xlarge": 0.192,
      "m6a.large": 0.0864,
      "m7i.large": 0.1008,
      "c6i.large": 0.085,
      "r6i.large": 0.126,
      "m6g.large": 0.077,
      "m6gd.large": 0.0904,
      "m7g.large": 0.0816,
      "m7gd.large": 0.1068,
      "c7g.large": 0.0725,
    },
  },
  "eu-west-1": {
    ...EKS,
    natGatewayHour: 0.048,
    interfaceEndpointAzHour: 0.011,
    gp3GbMonth: 0.088,
    nlbHour: 0.0252,
    albHour: 0.0252,
    instanceHour: {
      "t3.medium": 0.0456,
      "t3.large": 0.0912,
      "m5.large": 0.107,
      "m5.xlarge": 0.214,
      "m6i.large": 0.107,
      "m6i.xlarge": 0.214,
      "m6a.large": 0.0963,
      "m7i.large": 0.1124,
      "c6i.large": 0.096,
      "r6i.large": 0.141,
      "m6g.large": 0.086,
      "m6gd.large": 0.1008,
      "m7g.large": 0.0892,
      "m7gd.large": 0.1176,
      "c7g.large": 0.0816,
    },
  },
  "eu-central-1": {
    ...EKS,
    natGatewayHour: 0.052,
    interfaceEndpointAzHour: 0.012,
    gp3GbMonth: 0.0952,
    nlbHour: 0.027,
    albHour: 0.027,
    instanceHour: {
      "t3.medium": 0.048,
      "t3.large": 0.096,
      "m5.large": 0.115,
      "m5.xlarge": 0.23,
      "m6i.large": 0.115,
      "m6i.xlarge": 0.23,
      "m6a.large": 0.1035,
      "m7i.large": 0.1208,
      "c6i.large": 0.097,
      "r6i.large": 0.152,
      "m6g.large": 0.092,
      "m6gd.large": 0.1088,
      "m7g.large": 0.0972,
      "m7gd.large": 0.1272,
      "c7g.large": 0.0857,
    },
  },
};

/** What the estimate leaves out: usage-priced items that depend on traffic, not on the plan. */
export const NOT_PRICED = [
  "data transfer (internet egress, cross-AZ)",
  "NAT gateway data processing per GB",
  "interface endpoint data processing per GB",
  "CloudWatch Logs ingestion and storage (control-plane and flow logs)",
  "load balancer LCUs",
  "KMS and ECR API requests, ECR image storage",
  "Fargate pods (sized by the pods scheduled, not by the plan)",
  "EKS Auto Mode management fee",
  "taxes, Savings Plans and Reserved Instance discounts",
];
