// The README's construct examples, as code: if an example stops synthesizing what the README says, this
// file fails. That every TypeScript block of the docs type-checks as written is test/docs/code-blocks.test.ts.
import { Testing } from "cdktf";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster, EndpointAccess, EndpointSource } from "../constructs/eks";
import { Network } from "../constructs/network";
import { LifecycleRules, Registry, RegistrySettings, imageReference } from "../constructs/registry";
import { testStack } from "./fixtures";

describe("README examples", () => {
  it("network, cluster with compute and a service-account role, registry and registry settings synthesize", () => {
    const stack = testStack();
    const network = new Network(stack, "network", {
      name: "platform-prod",
      cidr: "10.20.0.0/16",
      availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
      natGateways: "one-per-az",
      intraSubnets: true,
      clusterNames: ["platform-prod"],
      vpcEndpoints: { s3Gateway: true, interfaces: ["ecr.api", "ecr.dkr", "sts", "logs", "ec2"] },
      ipv6: false,
    });
    expect(network.subnetsByAz["eu-west-1a"].private.cidr).toBe("10.20.0.0/19");

    const cluster = new EksCluster(stack, "cluster", {
      name: "platform-prod",
      network,
      admins: ["arn:aws:iam::123456789012:role/platform-admin"],
      access: [{ principalArn: "arn:aws:iam::123456789012:role/dev-team", policy: "edit", namespaces: ["shop"] }],
      endpointAccess: EndpointAccess.private({
        privateAccessFrom: [EndpointSource.vpc(), EndpointSource.cidr("192.168.0.0/16", { name: "office-vpn" })],
      }),
      volumeEncryptionKeyArns: ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
      kubernetesVersion: "1.35",
      computeMode: "managed",
      addons: { "aws-ebs-csi-driver": { version: "v1.57.1-eksbuild.1" }, "metrics-server": {} },
    });
    cluster.addNodeGroup("apps", {
      amiType: "AL2023_ARM_64_STANDARD",
      instanceTypes: ["m7g.large", "m6g.large", "m7gd.large"],
      capacityType: "SPOT",
      scaling: { mode: "autoscaled", minSize: 3, maxSize: 12 },
      taints: [{ key: "workload", value: "apps", effect: "NoSchedule" }],
    });
    cluster.addFargateProfile("batch", { selectors: [{ namespace: "batch" }] });
    cluster.addServiceAccountRole("s3-reader", {
      namespace: "shop",
      serviceAccount: "api",
      policyStatements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::shop-assets/*"] }],
    });

    const registry = new Registry(stack, "registry", {
      repositories: {
        "apps/web": {},
        "apps/api": { lifecycleRules: [LifecycleRules.expireUntagged(7), LifecycleRules.keepLast(50)] },
      },
      defaults: {
        pullPrincipalArns: cluster.nodeRoleArns,
        pushPrincipalArns: ["arn:aws:iam::123456789012:role/ci-deploy"],
        pullAccountIds: ["210987654321"],
      },
    });
    const digest = `sha256:${"a".repeat(64)}`;
    expect(imageReference(registry.repository("apps/web").repositoryUrl, { digest })).toMatch(
      new RegExp(`@${digest}$`),
    );
    expect(() => imageReference("123456789012.dkr.ecr.eu-west-1.amazonaws.com/apps/web", { tag: "latest" })).toThrow(
      /latest/,
    );
    new RegistrySettings(stack, "ecr-settings", {
      region: "eu-west-1",
      accountId: "123456789012",
      scanning: { type: "ENHANCED" },
      replication: [{ destinations: [{ region: "eu-central-1" }] }],
      pullThroughCache: [{ upstream: "ecr-public" }, { upstream: "k8s" }, { upstream: "quay" }],
    });

    const synth = Testing.synth(stack, true);
    expect(synth).toHaveResourceWithProperties(EksAddon, {
      addon_name: "aws-ebs-csi-driver",
      addon_version: "v1.57.1-eksbuild.1",
    });
    const json = JSON.parse(synth);
    expect(Object.keys(json.resource.aws_eks_node_group)).toHaveLength(1);
    expect(Object.keys(json.resource.aws_eks_pod_identity_association)).toHaveLength(1);
    expect(Object.keys(json.resource.aws_ecr_pull_through_cache_rule)).toHaveLength(3);
  });
});
