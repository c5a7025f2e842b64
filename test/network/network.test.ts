import { Testing } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { EgressOnlyInternetGateway } from "@cdktf/provider-aws/lib/egress-only-internet-gateway";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { resourcesOf, synthJson, testNetwork, testStack } from "../fixtures";

const byName = (resources: Record<string, any>) =>
  Object.fromEntries(Object.values(resources).map((r: any) => [r.tags?.Name, r]));
const count = (stack: any, type: string) => Object.keys(resourcesOf(stack, type)).length;

describe("Network", () => {
  it("defaults: 10.0.0.0/16, DNS on, NAT per AZ after the internet gateway, default SG kept empty, flow logs for a year and retained, no intra tier, no endpoints, IPv4 only", () => {
    const stack = testStack();
    const network = testNetwork(stack, { cidr: undefined, natGateways: undefined, clusterNames: undefined });
    const json = synthJson(stack);
    const synth = Testing.synth(stack);

    expect(network.natMode).toBe("one-per-az");
    expect(network.vpcCidr).toBe("10.0.0.0/16");
    expect(network.tiers).toEqual(["public", "private"]);
    expect(network.ipv6Enabled).toBe(false);
    expect(synth).toHaveResourceWithProperties(Vpc, {
      cidr_block: "10.0.0.0/16",
      enable_dns_hostnames: true,
      enable_dns_support: true,
    });
    expect((Object.values(json.resource.aws_vpc)[0] as any).assign_generated_ipv6_cidr_block).toBeUndefined();

    // The default security group is adopted with explicit empty rule lists (kept empty on every plan).
    expect(Object.values(json.resource.aws_default_security_group)).toEqual([
      expect.objectContaining({ ingress: [], egress: [] }),
    ]);
    expect(synth).toHaveResource(DefaultSecurityGroup);

    // One NAT per AZ, in that AZ's public subnet, after the internet gateway; each AZ's private route uses its own.
    const igw = Object.keys(json.resource.aws_internet_gateway)[0];
    for (const az of ["eu-west-1a", "eu-west-1b"]) {
      const [natId, nat] = Object.entries(json.resource.aws_nat_gateway).find(([k]) =>
        k.includes(`nat-gateway-${az}`),
      ) as [string, any];
      expect(nat.subnet_id).toContain(`public-subnet-${az}`);
      expect(nat.depends_on).toEqual([`aws_internet_gateway.${igw}`]);
      const eip = Object.entries(json.resource.aws_eip).find(([k]) => k.includes(`nat-eip-${az}`))![1] as any;
      expect(eip).toMatchObject({ domain: "vpc", depends_on: [`aws_internet_gateway.${igw}`] });
      const route = (Object.values(json.resource.aws_route) as any[]).find(
        (r) => r.nat_gateway_id && r.route_table_id.includes(`private-route-table-${az}`),
      );
      expect(route).toMatchObject({
        destination_cidr_block: "0.0.0.0/0",
        nat_gateway_id: `\${aws_nat_gateway.${natId}.id}`,
      });
    }

    // Flow logs: all traffic, 600 s aggregation, a year, retained on destroy, name with a unique suffix.
    expect(synth).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name_prefix: "/aws/vpc/flow-logs/test-",
      retention_in_days: 365,
      skip_destroy: true,
    });
    // Encrypted with a key of its own (test/core/log-encryption.test.ts).
    expect((Object.values(json.resource.aws_cloudwatch_log_group)[0] as any).kms_key_id).toBe(
      "${aws_kms_key.network_flow-logs_kms-key_5A177FC3.arn}",
    );
    expect(synth).toHaveResourceWithProperties(FlowLog, {
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      max_aggregation_interval: 600,
    });

    for (const s of Object.values(json.resource.aws_subnet) as any[]) {
      expect(s.map_public_ip_on_launch).toBe(false);
      expect(Object.keys(s.tags).filter((k) => k.startsWith("kubernetes.io/cluster/"))).toEqual([]);
      expect(s.ipv6_cidr_block).toBeUndefined();
    }
    expect(network.subnetsOf("intra")).toEqual([]);
    expect(count(stack, "aws_vpc_endpoint")).toBe(0);
    expect(synth).not.toHaveResource(EgressOnlyInternetGateway);
  });

  it("lays out subnets by the documented default layout", () => {
    const stack = testStack();
    const network = testNetwork(stack, {
      availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
      intraSubnets: true,
    });
    expect(network.subnetsOf("private").map((s) => s.cidr)).toEqual(["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]);
    expect(network.subnetsOf("public").map((s) => s.cidr)).toEqual(["10.0.192.0/22", "10.0.196.0/22", "10.0.200.0/22"]);
    expect(network.subnetsOf("intra").map((s) => s.cidr)).toEqual(["10.0.224.0/22", "10.0.228.0/22", "10.0.232.0/22"]);
    const subnets = byName(resourcesOf(stack, "aws_subnet"));
    expect(subnets["test-private-eu-west-1c"]).toMatchObject({
      availability_zone: "eu-west-1c",
      cidr_block: "10.0.64.0/19",
    });
    expect(Object.keys(subnets)).toHaveLength(9);
  });

  it("uses explicit subnet CIDRs when given", () => {
    const stack = testStack();
    const network = testNetwork(stack, {
      subnetCidrs: { public: ["10.0.0.0/24", "10.0.1.0/24"], private: ["10.0.16.0/20", "10.0.32.0/20"] },
    });
    expect(network.subnetsOf("private").map((s) => s.cidr)).toEqual(["10.0.16.0/20", "10.0.32.0/20"]);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Subnet, {
      cidr_block: "10.0.1.0/24",
      availability_zone: "eu-west-1b",
    });
  });

  it("tags subnets for EKS load balancer discovery, per tier and per cluster", () => {
    const stack = testStack();
    testNetwork(stack, { clusterNames: ["blue", "green"], intraSubnets: true });
    const subnets = byName(resourcesOf(stack, "aws_subnet"));
    expect(subnets["test-public-eu-west-1a"].tags).toMatchObject({
      "kubernetes.io/role/elb": "1",
      "kubernetes.io/cluster/blue": "shared",
      "kubernetes.io/cluster/green": "shared",
    });
    expect(subnets["test-private-eu-west-1b"].tags).toMatchObject({
      "kubernetes.io/role/internal-elb": "1",
      "kubernetes.io/cluster/blue": "shared",
    });
    expect(subnets["test-private-eu-west-1b"].tags["kubernetes.io/role/elb"]).toBeUndefined();
    expect(Object.keys(subnets["test-intra-eu-west-1a"].tags).filter((k) => k.startsWith("kubernetes.io"))).toEqual([]);
  });

  it.each([
    ["none", 0, 0],
    ["single", 1, 3],
    ["one-per-az", 3, 3],
  ] as const)("NAT mode %s: %i NAT gateways, %i private routes through NAT", (mode, nats, privateRoutes) => {
    const stack = testStack();
    testNetwork(stack, { natGateways: mode, availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] });
    expect(count(stack, "aws_nat_gateway")).toBe(nats);
    expect(count(stack, "aws_eip")).toBe(nats);
    const routes = Object.values(resourcesOf(stack, "aws_route")) as any[];
    expect(routes.filter((r) => r.nat_gateway_id)).toHaveLength(privateRoutes);
    // single: every AZ routes to the one NAT in the first AZ; one-per-az: each AZ to its own.
    for (const az of ["eu-west-1a", "eu-west-1b", "eu-west-1c"]) {
      const route = routes.find((r) => r.nat_gateway_id && r.route_table_id.includes(`private-route-table-${az}`));
      if (mode === "none") expect(route).toBeUndefined();
      else expect(route.nat_gateway_id).toContain(`nat-gateway-${mode === "single" ? "eu-west-1a" : az}`);
    }
  });

  it("routes: public to the internet gateway, private through NAT, intra nowhere", () => {
    const stack = testStack();
    const network = testNetwork(stack, { intraSubnets: true });
    const json = synthJson(stack);
    const rts = json.resource.aws_route_table;
    expect(Object.keys(rts)).toHaveLength(4); // public, private x2, intra
    const routes = Object.values(json.resource.aws_route) as any[];
    const publicRoute = routes.find((r) => r.gateway_id);
    expect(publicRoute).toMatchObject({
      destination_cidr_block: "0.0.0.0/0",
      gateway_id: expect.stringContaining("aws_internet_gateway"),
    });
    expect(publicRoute.route_table_id).toContain("public-route-table");
    expect(routes.filter((r) => String(r.route_table_id).includes("intra"))).toEqual([]);
    const associations = Object.values(json.resource.aws_route_table_association) as any[];
    expect(associations).toHaveLength(6);
    for (const a of associations) {
      const tier = /network_(public|private|intra)-subnet-(eu-west-1[ab])/.exec(a.subnet_id)!;
      const expected = tier[1] === "private" ? `private-route-table-${tier[2]}` : `${tier[1]}-route-table`;
      expect(a.route_table_id).toContain(expected);
    }
    expect(network.routeTableIds).toHaveLength(4);
    expect(Testing.synth(stack)).toHaveResource(InternetGateway);
  });

  it("without public subnets: no internet gateway, no NAT", () => {
    const stack = testStack();
    testNetwork(stack, { publicSubnets: false, natGateways: "none", vpcEndpoints: {} });
    const synth = Testing.synth(stack);
    expect(synth).not.toHaveResource(InternetGateway);
    expect(synth).not.toHaveResource(NatGateway);
  });

  it("flow logs: least-privilege delivery role scoped to its log group; opt-out removes them", () => {
    const stack = testStack();
    testNetwork(stack, { flowLogs: { retentionInDays: 30, trafficType: "REJECT", removalPolicy: "destroy" } });
    const json = synthJson(stack);
    const role = Object.values(json.resource.aws_iam_role)[0] as any;
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({
      Service: "vpc-flow-logs.amazonaws.com",
    });
    expect(JSON.parse(role.assume_role_policy).Statement[0].Condition).toEqual({
      ArnLike: { "aws:SourceArn": "arn:aws:ec2:eu-west-1:*:vpc-flow-log/*" },
    });
    const [groupId] = Object.keys(json.resource.aws_cloudwatch_log_group);
    const groupArn = `\${aws_cloudwatch_log_group.${groupId}.arn}`;
    const policy = (Object.values(json.resource.aws_iam_role_policy)[0] as any).policy as string;
    // Fn.jsonencode renders an HCL object expression: check its statements' actions and resources.
    expect(policy).toContain('"Action" = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]');
    expect(policy).toContain(
      `"Resource" = [aws_cloudwatch_log_group.${groupId}.arn, "\${aws_cloudwatch_log_group.${groupId}.arn}:*"]`,
    );
    expect(policy).toContain('"Action" = ["logs:DescribeLogGroups"]');
    expect(policy).toContain('"Resource" = "arn:aws:logs:eu-west-1:*:log-group:*"');
    expect(policy).not.toMatch(/logs:\*|"Resource" = "\*"/);
    const flowLog = Object.values(json.resource.aws_flow_log)[0] as any;
    expect(flowLog).toMatchObject({
      traffic_type: "REJECT",
      log_destination: groupArn,
      iam_role_arn: `\${aws_iam_role.${Object.keys(json.resource.aws_iam_role)[0]}.arn}`,
    });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(CloudwatchLogGroup, {
      retention_in_days: 30,
      skip_destroy: false,
    });

    const tuned = testStack("tuned");
    const kms = "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-1111-2222-3333-444455556666";
    testNetwork(tuned, { flowLogs: { maxAggregationInterval: 60, kmsKeyArn: kms } });
    expect(Testing.synth(tuned)).toHaveResourceWithProperties(FlowLog, { max_aggregation_interval: 60 });
    expect(Testing.synth(tuned)).toHaveResourceWithProperties(CloudwatchLogGroup, { kms_key_id: kms });

    const off = testStack("off");
    testNetwork(off, { flowLogs: false });
    expect(Testing.synth(off)).not.toHaveResource(FlowLog);
    expect(Testing.synth(off)).not.toHaveResource(CloudwatchLogGroup);
  });

  it("VPC endpoints: S3 gateway on every route table, interface endpoints in private subnets behind an HTTPS-from-VPC group", () => {
    const stack = testStack();
    const network = testNetwork(stack, { vpcEndpoints: {} });
    const endpoints = Object.values(resourcesOf(stack, "aws_vpc_endpoint")) as any[];
    const s3 = endpoints.find((e) => e.vpc_endpoint_type === "Gateway");
    expect(s3.service_name).toBe("com.amazonaws.eu-west-1.s3");
    expect(s3.route_table_ids).toHaveLength(network.routeTableIds.length);
    const interfaces = endpoints
      .filter((e) => e.vpc_endpoint_type === "Interface")
      .map((e) => e.service_name)
      .sort();
    expect(interfaces).toEqual(["ec2", "ecr.api", "ecr.dkr", "logs", "sts"].map((s) => `com.amazonaws.eu-west-1.${s}`));
    const [sgId] = Object.keys(resourcesOf(stack, "aws_security_group"));
    // Replaced without a DependencyViolation: the new group exists before the old one goes.
    expect(resourcesOf(stack, "aws_security_group")[sgId].lifecycle).toEqual({ create_before_destroy: true });
    expect(resourcesOf(stack, "aws_security_group")[sgId].name_prefix).toBe("test-vpc-endpoints-");
    for (const e of endpoints.filter((x) => x.vpc_endpoint_type === "Interface")) {
      expect(e.private_dns_enabled).toBe(true);
      expect(e.subnet_ids).toEqual([
        expect.stringContaining("private-subnet-eu-west-1a"),
        expect.stringContaining("private-subnet-eu-west-1b"),
      ]);
      expect(network.privateSubnetIds).toHaveLength(2);
      expect(e.security_group_ids).toEqual([`\${aws_security_group.${sgId}.id}`]);
      expect(e.ip_address_type).toBeUndefined();
    }
    const rules = Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule")) as any[];
    expect(rules).toEqual([
      expect.objectContaining({ cidr_ipv4: "10.0.0.0/16", from_port: 443, to_port: 443, ip_protocol: "tcp" }),
    ]);
    expect(Object.keys(resourcesOf(stack, "aws_vpc_security_group_egress_rule"))).toHaveLength(0);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(VpcEndpoint, {
      service_name: "com.amazonaws.eu-west-1.ecr.dkr",
    });
  });

  it("VPC endpoints: S3 gateway can be left out; no interfaces means no security group; AZs can be narrowed", () => {
    const stack = testStack();
    testNetwork(stack, { vpcEndpoints: { s3Gateway: false, interfaces: [] } });
    expect(count(stack, "aws_vpc_endpoint")).toBe(0);
    expect(count(stack, "aws_security_group")).toBe(0);

    const narrowed = testStack("narrowed");
    const network = testNetwork(narrowed, { vpcEndpoints: { interfaces: ["sts"], availabilityZones: ["eu-west-1b"] } });
    const sts = (Object.values(resourcesOf(narrowed, "aws_vpc_endpoint")) as any[]).find(
      (e) => e.vpc_endpoint_type === "Interface",
    );
    expect(sts.subnet_ids).toEqual([expect.stringContaining("private-subnet-eu-west-1b")]);
    expect(network.subnetsByAz["eu-west-1b"].private.cidr).toBe("10.0.32.0/19");
  });

  it("IPv6 dual stack: Amazon block on the VPC, /64 per subnet, egress-only gateway for private", () => {
    const stack = testStack();
    const network = testNetwork(stack, { ipv6: true, intraSubnets: true });
    const json = synthJson(stack);
    expect(Object.values(json.resource.aws_vpc)[0]).toMatchObject({ assign_generated_ipv6_cidr_block: true });
    const subnets = byName(json.resource.aws_subnet);
    expect(subnets["test-private-eu-west-1b"]).toMatchObject({
      assign_ipv6_address_on_creation: true,
      ipv6_cidr_block: expect.stringMatching(/cidrsubnet\(aws_vpc\.network_vpc_[0-9A-F]+\.ipv6_cidr_block, 8, 17\)/),
    });
    expect(subnets["test-public-eu-west-1a"].ipv6_cidr_block).toMatch(/, 8, 0\)/);
    const slots = Object.values(subnets).map((sub: any) => Number(/, 8, (\d+)\)/.exec(sub.ipv6_cidr_block)![1]));
    expect(slots.sort((a, b) => a - b)).toEqual([0, 1, 16, 17, 32, 33]);
    for (const sub of Object.values(subnets) as any[])
      expect(sub.enable_resource_name_dns_aaaa_record_on_launch).toBe(true);
    expect(Testing.synth(stack)).toHaveResource(EgressOnlyInternetGateway);
    const routes = Object.values(json.resource.aws_route) as any[];
    expect(routes.filter((r) => r.destination_ipv6_cidr_block === "::/0" && r.egress_only_gateway_id)).toHaveLength(2);
    expect(routes.filter((r) => r.destination_ipv6_cidr_block === "::/0" && r.gateway_id)).toHaveLength(1);
    expect(network.ipv6Enabled).toBe(true);
    expect(network.vpcIpv6Cidr).toEqual(expect.any(String));

    const withEndpoints = testStack("v6-endpoints");
    testNetwork(withEndpoints, { ipv6: true, vpcEndpoints: { interfaces: ["sts"] } });
    const sts = (Object.values(resourcesOf(withEndpoints, "aws_vpc_endpoint")) as any[]).find(
      (e) => e.vpc_endpoint_type === "Interface",
    );
    expect(sts).toMatchObject({ ip_address_type: "dualstack", dns_options: { dns_record_ip_type: "dualstack" } });
  });

  it("exposes typed attributes per tier and per AZ", () => {
    const stack = testStack();
    const network = testNetwork(stack, { intraSubnets: true });
    expect(network.region).toBe("eu-west-1");
    expect(network.privateSubnetIds).toHaveLength(2);
    expect(network.publicSubnetIds).toHaveLength(2);
    expect(network.intraSubnetIds).toHaveLength(2);
    expect(Object.keys(network.subnetsByAz)).toEqual(["eu-west-1a", "eu-west-1b"]);
    expect(network.subnetsByAz["eu-west-1b"].private.cidr).toBe("10.0.32.0/19");
    expect(network.tierOfSubnet(network.publicSubnetIds[1])).toBe("public");
    expect(network.tierOfSubnet("subnet-unknown")).toBeUndefined();
    expect(network.natGatewayIds).toHaveLength(1);
    expect(network.natPublicIps).toHaveLength(1);
  });

  it("keys subnets by AZ, so reordering availabilityZones keeps the same Terraform addresses", () => {
    const a = testStack("a");
    testNetwork(a, {
      availabilityZones: ["eu-west-1a", "eu-west-1b"],
      subnetCidrs: { public: ["10.0.0.0/24", "10.0.1.0/24"], private: ["10.0.8.0/21", "10.0.16.0/21"] },
    });
    const b = testStack("b");
    testNetwork(b, {
      availabilityZones: ["eu-west-1b", "eu-west-1a"],
      subnetCidrs: { public: ["10.0.1.0/24", "10.0.0.0/24"], private: ["10.0.16.0/21", "10.0.8.0/21"] },
    });
    const keys = (s: any) =>
      Object.entries(resourcesOf(s, "aws_subnet"))
        .map(([k, v]: any) => `${k}=${v.cidr_block}`)
        .sort();
    expect(keys(a)).toEqual(keys(b));
  });
});
