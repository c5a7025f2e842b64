import { NetworkProps } from "../../constructs/network/network";
import { testNetwork, testStack } from "../fixtures";

const build = (overrides: Partial<NetworkProps>) => () => testNetwork(testStack(), overrides);

describe("Network bad input", () => {
  it("throws when fewer than 2 AZs are given", () => {
    expect(build({ availabilityZones: ["eu-west-1a"] })).toThrow(
      `Network 'network': availabilityZones ["eu-west-1a"] has 1 entry; EKS needs subnets in at least 2 Availability Zones; give 2 to 6`,
    );
  });

  it("throws when more than 6 AZs are given", () => {
    const azs = ["a", "b", "c", "d", "e", "f", "g"].map((l) => `us-east-1${l}`);
    expect(build({ availabilityZones: azs })).toThrow(/availabilityZones .* has 7 entries; .* give 2 to 6/);
  });

  it("throws when an AZ is listed twice", () => {
    expect(build({ availabilityZones: ["eu-west-1a", "eu-west-1a"] })).toThrow(
      `Network 'network': availabilityZones ["eu-west-1a","eu-west-1a"] lists eu-west-1a more than once; give each Availability Zone once`,
    );
  });

  it("throws when an AZ id is given instead of a name", () => {
    expect(build({ availabilityZones: ["euw1-az1", "euw1-az2"] })).toThrow(
      /availabilityZones\[0\] "euw1-az1" is not an Availability Zone name; use names like "eu-west-1a"/,
    );
  });

  it("throws when AZs span regions", () => {
    expect(build({ availabilityZones: ["eu-west-1a", "us-east-1b"] })).toThrow(
      /spans several regions \(eu-west-1, us-east-1\)/,
    );
  });

  it.each([
    ["10.0.0/16", "is not an IPv4 CIDR (a.b.c.d/n, no leading zeros)"],
    ["010.0.0.0/16", "is not an IPv4 CIDR (a.b.c.d/n, no leading zeros)"],
    ["10.0.0.256/16", "has an octet above 255"],
    ["10.0.0.0/33", "has a prefix length above 32"],
    ["10.0.1.0/16", "has host bits set (the network address for /16 is 10.0.0.0/16)"],
  ])("throws when the VPC CIDR %s is malformed", (cidr, problem) => {
    expect(build({ cidr })).toThrow(
      `Network 'network': cidr "${cidr}" ${problem}; use an IPv4 network CIDR such as "10.0.0.0/16"`,
    );
  });

  it("throws when the VPC prefix is outside what AWS allows", () => {
    expect(build({ cidr: "10.0.0.0/8" })).toThrow(
      /cidr "10.0.0.0\/8" has prefix \/8, which AWS does not allow for a VPC; use a prefix from \/16 to \/28/,
    );
  });

  it("throws when the default layout does not fit the VPC prefix", () => {
    expect(build({ cidr: "10.0.0.0/24" })).toThrow(
      /cidr "10.0.0.0\/24" is too small for the default subnet layout .*; use a VPC prefix from \/16 to \/22, or give subnetCidrs explicitly/,
    );
  });

  it("fits the default layout into a /22 but not a /23", () => {
    expect(build({ cidr: "10.0.0.0/22", subnetCidrs: undefined })).not.toThrow();
    expect(build({ cidr: "10.0.0.0/23" })).toThrow(
      `Network 'network': cidr "10.0.0.0/23" is too small for the default subnet layout (its public subnets would be /29, smaller than AWS's /28); use a VPC prefix from /16 to /22, or give subnetCidrs explicitly`,
    );
  });

  it("throws when a subnet lies outside the VPC CIDR", () => {
    expect(build({ subnetCidrs: { private: ["10.0.0.0/20", "10.1.0.0/20"] } })).toThrow(
      `Network 'network': subnetCidrs.private[1] "10.1.0.0/20" is outside the VPC CIDR 10.0.0.0/16; choose a subnet inside 10.0.0.0/16`,
    );
  });

  it("throws when subnets overlap", () => {
    expect(
      build({ subnetCidrs: { public: ["10.0.0.0/24", "10.0.1.0/24"], private: ["10.0.0.0/20", "10.0.16.0/20"] } }),
    ).toThrow(
      `Network 'network': subnetCidrs.private[0] "10.0.0.0/20" overlaps subnetCidrs.public[0] (10.0.0.0/24); give every subnet its own non-overlapping range`,
    );
  });

  it("throws when an explicit subnet CIDR is malformed or has the wrong count", () => {
    expect(build({ subnetCidrs: { private: ["10.0.0.0/20", "nope"] } })).toThrow(
      /subnetCidrs.private\[1\] "nope" is not an IPv4 CIDR/,
    );
    expect(build({ subnetCidrs: { private: ["10.0.0.0/20"] } })).toThrow(
      /subnetCidrs.private \["10.0.0.0\/20"\] has 1 entries for 2 Availability Zones; give exactly one CIDR per AZ/,
    );
  });

  it("throws when a subnet is smaller than /28", () => {
    expect(build({ subnetCidrs: { private: ["10.0.0.0/29", "10.0.0.16/28"] } })).toThrow(
      /subnetCidrs.private\[0\] "10.0.0.0\/29" is smaller than AWS's smallest subnet \(\/28\)/,
    );
  });

  it("throws when CIDRs are given for a tier that is off", () => {
    expect(build({ subnetCidrs: { intra: ["10.0.240.0/24", "10.0.241.0/24"] } })).toThrow(
      /subnetCidrs.intra .* is set but the intra tier is not enabled; enable the tier \(intraSubnets: true\)/,
    );
  });

  it("throws when NAT gateways are asked for without public subnets", () => {
    expect(build({ publicSubnets: false, natGateways: "one-per-az" })).toThrow(
      `Network 'network': natGateways "one-per-az" needs public subnets to place NAT gateways in, but publicSubnets is false; set publicSubnets: true, or natGateways: "none" and reach AWS through vpcEndpoints`,
    );
  });

  it("throws when the NAT mode is unknown", () => {
    expect(build({ natGateways: "per-az" as any })).toThrow(
      /natGateways "per-az" is not a NAT mode; use "none", "single" or "one-per-az"/,
    );
  });

  it("throws when a cluster name for tagging is invalid", () => {
    expect(build({ clusterNames: ["my cluster"] })).toThrow(
      `Network 'network': clusterNames[0] "my cluster" is not a valid EKS cluster name; use 1 to 100 characters: letters, digits, hyphens and underscores, starting with a letter or digit`,
    );
    expect(build({ clusterNames: ["a", "a"] })).toThrow(/clusterNames \["a","a"\] lists a more than once/);
  });

  it("throws when the network name is invalid", () => {
    expect(build({ name: "bad_name!" })).toThrow(/name "bad_name!" is not a valid network name/);
  });

  it("throws when flow log retention is not a CloudWatch value", () => {
    expect(build({ flowLogs: { retentionInDays: 45 } })).toThrow(
      /VpcFlowLogs 'flow-logs': retentionInDays 45 is not a retention period CloudWatch Logs accepts; use 0 \(never expire\) or one of 1, 3, 5/,
    );
  });

  it("throws when an interface endpoint service is unknown or repeated", () => {
    expect(build({ vpcEndpoints: { interfaces: ["ecr.api", "ecr" as any] } })).toThrow(
      /VpcEndpoints 'endpoints': interfaces\[1\] "ecr" is not a supported interface endpoint service; use one of ecr.api, ecr.dkr/,
    );
    expect(build({ vpcEndpoints: { interfaces: ["sts", "sts"] } })).toThrow(
      /interfaces \["sts","sts"\] lists sts more than once/,
    );
  });

  it("throws when the network name would make an invalid security group name", () => {
    expect(build({ name: "sg-prod" })).toThrow(/name "sg-prod" is not a valid network name; use .* not with "sg-"/);
  });

  it("throws when flow log traffic type or aggregation interval is not one AWS accepts", () => {
    expect(build({ flowLogs: { trafficType: "DENIED" as any } })).toThrow(
      `VpcFlowLogs 'flow-logs': trafficType "DENIED" is not a flow log traffic type; use "ALL", "ACCEPT" or "REJECT"`,
    );
    expect(build({ flowLogs: { maxAggregationInterval: 300 as any } })).toThrow(
      `VpcFlowLogs 'flow-logs': maxAggregationInterval 300 is not an interval VPC flow logs accept; use 60 or 600 (seconds)`,
    );
  });

  it("throws when the flow-log KMS key is not a key ARN", () => {
    expect(build({ flowLogs: { kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:alias/logs" } })).toThrow(
      `VpcFlowLogs 'flow-logs': kmsKeyArn "arn:aws:kms:eu-west-1:123456789012:alias/logs" is not a KMS key ARN; use arn:aws:kms:<region>:<12-digit account>:key/<key id> of a key whose policy lets CloudWatch Logs use it`,
    );
  });

  it("throws when interface endpoint AZs are not the network's", () => {
    expect(build({ vpcEndpoints: { availabilityZones: ["eu-west-1c"] } })).toThrow(
      `VpcEndpoints 'endpoints': availabilityZones[0] "eu-west-1c" is not an Availability Zone of the network; use some of eu-west-1a, eu-west-1b`,
    );
    expect(build({ vpcEndpoints: { availabilityZones: [] } })).toThrow(
      /availabilityZones \[\] is empty; give at least one AZ/,
    );
  });
});
