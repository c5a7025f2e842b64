import { testNetwork, testStack } from "../fixtures";
import { describeOffline, OFFLINE_TIMEOUT_MS, planStack } from "./harness";

// terraform validate + plan of the network alone, with the real hashicorp/aws provider, in the
// three shapes the issue names. Counts are exact: a change in what gets created must be deliberate.
describeOffline("Network plans offline", (tools) => {
  it(
    "dev: 2 AZs, one NAT gateway",
    () => {
      const stack = testStack("network-dev");
      testNetwork(stack, { natGateways: "single" });
      const plan = planStack(stack, tools);
      expect(plan.createByType).toEqual({
        aws_vpc: 1,
        aws_default_security_group: 1,
        aws_internet_gateway: 1,
        aws_subnet: 4,
        aws_route_table: 3,
        aws_route_table_association: 4,
        aws_route: 3,
        aws_eip: 1,
        aws_nat_gateway: 1,
        aws_cloudwatch_log_group: 1,
        // the flow-log group's own key
        aws_kms_key: 1,
        aws_iam_role: 1,
        aws_iam_role_policy: 1,
        aws_flow_log: 1,
      });
      expect(plan.actions).toEqual({ create: 24 });
    },
    OFFLINE_TIMEOUT_MS,
  );

  it(
    "prod: 3 AZs, NAT per AZ, intra tier, VPC endpoints, flow logs",
    () => {
      const stack = testStack("network-prod");
      testNetwork(stack, {
        availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
        natGateways: "one-per-az",
        intraSubnets: true,
        flowLogs: { retentionInDays: 365, maxAggregationInterval: 60 },
        vpcEndpoints: { s3Gateway: true, interfaces: ["ecr.api", "ecr.dkr", "sts", "logs", "ec2", "eks-auth"] },
      });
      const plan = planStack(stack, tools);
      expect(plan.createByType).toMatchObject({
        aws_subnet: 9,
        aws_nat_gateway: 3,
        aws_eip: 3,
        aws_route_table: 5,
        aws_route_table_association: 9,
        aws_route: 4,
        aws_vpc_endpoint: 7,
        aws_security_group: 1,
        aws_vpc_security_group_ingress_rule: 1,
        aws_flow_log: 1,
      });
      expect(plan.toCreate).toBe(50);
    },
    OFFLINE_TIMEOUT_MS,
  );

  it(
    "IPv6 dual stack: egress-only gateway and IPv6 routes",
    () => {
      const stack = testStack("network-ipv6");
      testNetwork(stack, { ipv6: true, natGateways: "single", vpcEndpoints: { interfaces: ["sts"] } });
      const plan = planStack(stack, tools);
      expect(plan.createByType).toMatchObject({
        aws_egress_only_internet_gateway: 1,
        aws_subnet: 4,
        // public: v4 + v6 default; private: v4 via NAT and v6 via the egress-only gateway, per AZ
        aws_route: 6,
        aws_vpc_security_group_ingress_rule: 2,
      });
      expect(plan.toCreate).toBe(33); // includes the S3 gateway endpoint (on by default)
    },
    OFFLINE_TIMEOUT_MS,
  );
});
