/// <reference types="cdktf/lib/testing/adapters/jest" />
import { EksCluster, EksClusterOptions } from "../../constructs/eks/cluster";
import { EndpointAccess } from "../../constructs/eks/endpoint-access";
import { architectureOf } from "../../constructs/eks/instance-types";
import { NodeGroupOptions } from "../../constructs/eks/node-group";
import { NetworkProps } from "../../constructs/network/network";
import { testNetwork, testStack, warningsOf } from "../fixtures";
import { ADMIN_ARN } from "./fixtures";

function cluster(options: Partial<EksClusterOptions> = {}, network: Partial<NetworkProps> = {}): EksCluster {
  const stack = testStack();
  return new EksCluster(stack, "eks", {
    name: "test",
    network: testNetwork(stack, network),
    admins: [ADMIN_ARN],
    ...options,
  });
}

const nodeGroup = (options: NodeGroupOptions) => cluster().addNodeGroup("workers", options);

describe("input the eks constructs refuse", () => {
  it("throws when a public endpoint allowlist holds a private range, which can never match", () => {
    expect(() => cluster({ endpointAccess: EndpointAccess.publicAndPrivate(["10.20.0.0/16"]) })).toThrow(
      `EksCluster 'eks': endpointAccess.publicCidrs entry "10.20.0.0/16" is inside the non-public range 10.0.0.0/8, and the public endpoint only ever sees public source addresses, so it can never match; list the public egress CIDRs of your VPN, office or CI (callers inside the VPC use the private endpoint, which is always on)`,
    );
    expect(() => cluster({ endpointAccess: EndpointAccess.publicAndPrivate(["100.64.1.0/24"]) })).toThrow(
      /inside the non-public range 100\.64\.0\.0\/10/,
    );
    expect(() => cluster({ endpointAccess: EndpointAccess.publicAndPrivate(["203.0.113.0/24"]) })).not.toThrow();
  });

  it("throws when an IAM statement grants a whole service on every resource", () => {
    const c = cluster();
    const statement = { actions: ["s3:*"], resources: ["*"] };
    expect(() =>
      c.addServiceAccountRole("app", { namespace: "apps", serviceAccount: "app", policyStatements: [statement] }),
    ).toThrow(
      `ServiceAccountRole 'app': policyStatements[0].actions entry "s3:*" together with resources ["*"] grants every action of the service on every resource in the account; name the actions (e.g. "s3:Get*") or the resource ARNs the workload needs`,
    );
    // Scoped to a resource, or a Deny: fine.
    expect(() =>
      c.addServiceAccountRole("ok", {
        namespace: "apps",
        serviceAccount: "ok",
        policyStatements: [
          { actions: ["s3:*"], resources: ["arn:aws:s3:::assets/*"] },
          { effect: "Deny", actions: ["s3:*"], resources: ["*"] },
        ],
      }),
    ).not.toThrow();
  });

  it("warns when the network doesn't carry the cluster's discovery tag", () => {
    const untagged = cluster({}, { clusterNames: ["other"] });
    expect(warningsOf(untagged)).toEqual([
      `EksCluster 'eks': the network's subnets don't carry this cluster's discovery tag (kubernetes.io/cluster/test): "test" is not in its clusterNames ["other"], so load balancer controllers won't find the subnets; add it to the network's clusterNames`,
    ]);
    expect(warningsOf(cluster())).toEqual([]);
  });

  it("throws when a permissions boundary is not an IAM policy ARN", () => {
    expect(() => cluster({ permissionsBoundaryArn: "arn:aws:iam::123456789012:role/boundary" })).toThrow(
      `EksCluster 'eks': permissionsBoundaryArn "arn:aws:iam::123456789012:role/boundary" is not an IAM managed policy ARN; use arn:aws:iam::<12-digit account>:policy/<name> (or arn:aws:iam::aws:policy/<name>)`,
    );
    expect(() => nodeGroup({ permissionsBoundaryArn: "boundary" })).toThrow(
      `ManagedNodeGroup 'workers': permissionsBoundaryArn "boundary" is not an IAM managed policy ARN`,
    );
    expect(() =>
      cluster().addServiceAccountRole("app", {
        namespace: "apps",
        serviceAccount: "app",
        managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        permissionsBoundaryArn: "arn:aws:s3:::boundary",
      }),
    ).toThrow(
      `ServiceAccountRole 'app': permissionsBoundaryArn "arn:aws:s3:::boundary" is not an IAM managed policy ARN`,
    );
    expect(() => cluster({ permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/boundary" })).not.toThrow();
  });

  it("throws when a KMS key is in another region than what uses it", () => {
    const key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    expect(() => cluster({ secretsEncryptionKeyArn: key })).toThrow(
      `EksCluster 'eks': secretsEncryptionKeyArn "${key}" is in us-east-1, but KMS keys are regional and the cluster is in eu-west-1; use a key in eu-west-1`,
    );
    expect(() => cluster({ logKmsKeyArn: key })).toThrow(/logKmsKeyArn .* is in us-east-1/);
    expect(() => cluster({}, { flowLogs: { kmsKeyArn: key } })).toThrow(
      /VpcFlowLogs 'flow-logs': kmsKeyArn .* is in us-east-1, but CloudWatch Logs only uses keys of its own region, eu-west-1/,
    );
    expect(() => nodeGroup({ volumeKmsKeyArn: key })).toThrow(
      /ManagedNodeGroup 'workers': volumeKmsKeyArn .* is in us-east-1/,
    );
  });

  it("throws when a case-sensitive enum value comes in the wrong case, saying which one was meant", () => {
    expect(() => nodeGroup({ capacityType: "spot" as "SPOT" })).toThrow(
      `ManagedNodeGroup 'workers': capacityType "spot" is not a capacity type (values are case-sensitive); use "SPOT"`,
    );
    expect(() => nodeGroup({ capacityType: "CHEAP" as "SPOT" })).toThrow(
      `ManagedNodeGroup 'workers': capacityType "CHEAP" is not a capacity type; use one of ON_DEMAND, SPOT`,
    );
  });
});

describe("instance types", () => {
  it("throws when an instance type is malformed or names a family or size EC2 doesn't have", () => {
    const fix = `use an EC2 instance type name "<family><generation>[attributes].<size>", lowercase, e.g. "m6i.large" or "c7g.2xlarge"`;
    expect(() => nodeGroup({ instanceTypes: ["m6i-large"] })).toThrow(
      `ManagedNodeGroup 'workers': instanceTypes entry "m6i-large" is not an instance type name; ${fix}`,
    );
    expect(() => nodeGroup({ instanceTypes: ["M6i.large"] })).toThrow(
      `instanceTypes entry "M6i.large" is not an instance type name (names are lowercase, without spaces)`,
    );
    expect(() => nodeGroup({ instanceTypes: ["q5.large"] })).toThrow(
      `instanceTypes entry "q5.large" names the instance family "q", which EC2 doesn't have`,
    );
    expect(() => nodeGroup({ instanceTypes: ["m6i.huge"] })).toThrow(`has the size "huge", which EC2 doesn't have`);
    for (const ok of ["m6i.large", "c7gn.16xlarge", "r6i.metal", "t3.micro", "trn1.32xlarge", "g5.xlarge"]) {
      const amiType = architectureOf(ok) === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
      expect(() => cluster().addNodeGroup("ok", { instanceTypes: [ok], amiType })).not.toThrow();
    }
  });
});
