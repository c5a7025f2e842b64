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
import { resourcesOf, synthJson, testNetwork, testStack } from "./fixtures";

const byName = (resources: Record<string, any>) => Object.fromEntries(Object.values(resources).map((r: any) => [r.tags?.Name, r]));
const count = (stack: any, type: string) => Object.keys(resourcesOf(stack, type)).length;

describe("Network", () => {
  it("defaults: DNS on, flow logs on for a year and retained, default SG emptied, one NAT per AZ, no public IPs on launch", () => {
    const stack = testStack();
    const network = testNetwork(stack, { natGateways: undefined });
    const synth = Testing.synth(stack);

    expect(network.natMode).toBe("one-per-az");
    expect(network.vpcCidr).toBe("10.0.0.0/16");
    expect(synth).toHaveResourceWithProperties(Vpc, { cidr_block: "10.0.0.0/16", enable_dns_hostnames: true, enable_dns_support: true });
    expect(synth).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "/aws/vpc/flow-logs/test", retention_in_days: 365, skip_destroy: true });
    expect(synth).toHaveResourceWithProperties(FlowLog, { traffic_type: "ALL", log_destination_type: "cloud-watch-logs", max_aggregation_interval: 600 });
    const sg = Object.values(resourcesOf(stack, "aws_default_security_group"))[0] as any;
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    expect(synth).toHaveResource(DefaultSecurityGroup);
    expect(count(stack, "aws_nat_gateway")).toBe(2);
    for (const s of Object.values(resourcesOf(stack, "aws_subnet")) as any[]) expect(s.map_public_ip_on_launch).toBe(false);
    expect(count(stack, "aws_vpc_endpoint")).toBe(0);
    expect(synth).not.toHaveResource(EgressOnlyInternetGateway);
  });

  it("lays out subnets by the documented default layout", () => {
    const stack = testStack();
    const network = testNetwork(stack, { availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], intraSubnets: true });
    expect(network.subnetsOf("private").map((s) => s.cidr)).toEqual(["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]);
    expect(network.subnetsOf("public").map((s) => s.cidr)).toEqual(["10.0.192.0/22", "10.0.196.0/22", "10.0.200.0/22"]);
    expect(network.subnetsOf("intra").map((s) => s.cidr)).toEqual(["10.0.224.0/22", "10.0.228.0/22", "10.0.232.0/22"]);
    const subnets = byName(resourcesOf(stack, "aws_subnet"));
    expect(subnets["test-private-eu-west-1c"]).toMatchObject({ availability_zone: "eu-west-1c", cidr_block: "10.0.64.0/19" });
    expect(Object.keys(subnets)).toHaveLength(9);
  });

  it("uses explicit subnet CIDRs when given", () => {
    const stack = testStack();
    const network = testNetwork(stack, { subnetCidrs: { public: ["10.0.0.0/24", "10.0.1.0/24"], private: ["10.0.16.0/20", "10.0.32.0/20"] } });
    expect(network.subnetsOf("private").map((s) => s.cidr)).toEqual(["10.0.16.0/20", "10.0.32.0/20"]);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Subnet, { cidr_block: "10.0.1.0/24", availability_zone: "eu-west-1b" });
  });

  it("tags subnets for EKS load balancer discovery, per tier and per cluster", () => {
    const stack = testStack();
    testNetwork(stack, { clusterNames: ["blue", "green"], intraSubnets: true });
    const subnets = byName(resourcesOf(stack, "aws_subnet"));
    expect(subnets["test-public-eu-west-1a"].tags).toMatchObject({ "kubernetes.io/role/elb": "1", "kubernetes.io/cluster/blue": "shared", "kubernetes.io/cluster/green": "shared" });
    expect(subnets["test-private-eu-west-1b"].tags).toMatchObject({ "kubernetes.io/role/internal-elb": "1", "kubernetes.io/cluster/blue": "shared" });
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
    // Each AZ routes to its own NAT only in one-per-az mode.
    const targets = new Set(routes.filter((r) => r.nat_gateway_id).map((r) => r.nat_gateway_id));
    expect(targets.size).toBe(nats);
  });

  it("routes: public to the internet gateway, private through NAT, intra nowhere", () => {
    const stack = testStack();
    const network = testNetwork(stack, { intraSubnets: true });
    const json = synthJson(stack);
    const rts = json.resource.aws_route_table;
    expect(Object.keys(rts)).toHaveLength(4); // public, private x2, intra
    const routes = Object.values(json.resource.aws_route) as any[];
    const publicRoute = routes.find((r) => r.gateway_id);
    expect(publicRoute).toMatchObject({ destination_cidr_block: "0.0.0.0/0", gateway_id: expect.stringContaining("aws_internet_gateway") });
    expect(publicRoute.route_table_id).toContain("public-route-table");
    expect(routes.filter((r) => String(r.route_table_id).includes("intra"))).toEqual([]);
    expect(Object.keys(json.resource.aws_route_table_association)).toHaveLength(6);
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
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: "vpc-flow-logs.amazonaws.com" });
    const policy = (Object.values(json.resource.aws_iam_role_policy)[0] as any).policy;
    expect(policy).toContain("logs:PutLogEvents");
    expect(policy).toContain("aws_cloudwatch_log_group");
    expect(policy).not.toContain('"*"');
    expect(Testing.synth(stack)).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 30, skip_destroy: false });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(FlowLog, { traffic_type: "REJECT" });

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
    const interfaces = endpoints.filter((e) => e.vpc_endpoint_type === "Interface").map((e) => e.service_name).sort();
    expect(interfaces).toEqual(["ec2", "ecr.api", "ecr.dkr", "logs", "sts"].map((s) => `com.amazonaws.eu-west-1.${s}`));
    for (const e of endpoints.filter((x) => x.vpc_endpoint_type === "Interface")) {
      expect(e.private_dns_enabled).toBe(true);
      expect(e.subnet_ids).toHaveLength(2);
    }
    const rules = Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule")) as any[];
    expect(rules).toEqual([expect.objectContaining({ cidr_ipv4: "10.0.0.0/16", from_port: 443, to_port: 443, ip_protocol: "tcp" })]);
    expect(Object.keys(resourcesOf(stack, "aws_vpc_security_group_egress_rule"))).toHaveLength(0);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(VpcEndpoint, { service_name: "com.amazonaws.eu-west-1.ecr.dkr" });
  });

  it("IPv6 dual stack: Amazon block on the VPC, /64 per subnet, egress-only gateway for private", () => {
    const stack = testStack();
    const network = testNetwork(stack, { ipv6: true, intraSubnets: true });
    const json = synthJson(stack);
    expect(Object.values(json.resource.aws_vpc)[0]).toMatchObject({ assign_generated_ipv6_cidr_block: true });
    const subnets = byName(json.resource.aws_subnet);
    expect(subnets["test-private-eu-west-1b"]).toMatchObject({ assign_ipv6_address_on_creation: true, ipv6_cidr_block: expect.stringMatching(/cidrsubnet\(aws_vpc\.network_vpc_[0-9A-F]+\.ipv6_cidr_block, 8, 17\)/) });
    expect(subnets["test-public-eu-west-1a"].ipv6_cidr_block).toMatch(/, 8, 0\)/);
    expect(Testing.synth(stack)).toHaveResource(EgressOnlyInternetGateway);
    const routes = Object.values(json.resource.aws_route) as any[];
    expect(routes.filter((r) => r.destination_ipv6_cidr_block === "::/0" && r.egress_only_gateway_id)).toHaveLength(2);
    expect(routes.filter((r) => r.destination_ipv6_cidr_block === "::/0" && r.gateway_id)).toHaveLength(1);
    expect(network.ipv6Enabled).toBe(true);
    expect(network.vpcIpv6Cidr).toBeDefined();
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
    testNetwork(a, { availabilityZones: ["eu-west-1a", "eu-west-1b"], subnetCidrs: { public: ["10.0.0.0/24", "10.0.1.0/24"], private: ["10.0.8.0/21", "10.0.16.0/21"] } });
    const b = testStack("b");
    testNetwork(b, { availabilityZones: ["eu-west-1b", "eu-west-1a"], subnetCidrs: { public: ["10.0.1.0/24", "10.0.0.0/24"], private: ["10.0.16.0/21", "10.0.8.0/21"] } });
    const keys = (s: any) => Object.entries(resourcesOf(s, "aws_subnet")).map(([k, v]: any) => `${k}=${v.cidr_block}`).sort();
    expect(keys(a)).toEqual(keys(b));
  });
});
