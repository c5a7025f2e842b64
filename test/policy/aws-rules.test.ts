import { TerraformVariable, Testing } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { dev, prod } from "../../config/environments";
import { EksCluster } from "../../constructs/eks/cluster";
import { PlatformStack } from "../../stacks/platform-stack";
import { testNetwork, testStack } from "../fixtures";
import { ruleIds } from "./fixtures";

const ROLE = "arn:aws:iam::123456789012:role/x";
const cluster = (stack: any, vpcConfig: any, extra: any = {}) =>
  new EksClusterResource(stack, "eks", {
    name: "raw",
    roleArn: ROLE,
    vpcConfig: { subnetIds: ["subnet-1", "subnet-2"], ...vpcConfig },
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:aws:kms:eu-west-1:123456789012:key/k" } },
    ...extra,
  });
/** A stack holding one hand-written resource built by `build`. */
const raw = (build: (stack: any) => void) => {
  const stack = testStack();
  build(stack);
  return ruleIds(stack);
};

describe("AWS policy rules", () => {
  // Passing side: the default app of both environments (built from our constructs) has no finding
  // at all, so every AWS rule passes on it; the suppressed ones are checked in policy-checks.test.ts.
  it.each([
    ["dev", dev],
    ["prod", prod],
  ] as const)("pass: the %s platform stack has no finding", (name, config) => {
    expect(ruleIds(new PlatformStack(Testing.app(), `platform-${name}`, config))).toEqual([]);
  });

  const failing: [string, () => string[]][] = [
    ["EKS1", () => raw((s) => cluster(s, { endpointPublicAccess: true }))],
    ["EKS2", () => raw((s) => cluster(s, { endpointPublicAccess: true, publicAccessCidrs: ["198.51.100.0/24"] }))],
    ["EKS3", () => raw((s) => cluster(s, { endpointPublicAccess: false }, { enabledClusterLogTypes: ["api"] }))],
    ["EKS4", () => raw((s) => cluster(s, { endpointPublicAccess: false }, { encryptionConfig: undefined }))],
    ["LT1", () => raw((s) => new LaunchTemplate(s, "lt", { metadataOptions: { httpTokens: "optional" } }))],
    [
      "LT2",
      () =>
        raw(
          (s) =>
            new LaunchTemplate(s, "lt", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } }),
        ),
    ],
    [
      "SG1",
      () =>
        raw(
          (s) =>
            new SecurityGroup(s, "sg", {
              ingress: [{ fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }],
            }),
        ),
    ],
    [
      "SG2",
      () =>
        raw(
          (s) =>
            new SecurityGroup(s, "sg", {
              ingress: [{ fromPort: 443, toPort: 443, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }],
            }),
        ),
    ],
    ["SG3", () => raw((s) => new Vpc(s, "vpc", { cidrBlock: "10.0.0.0/16" }))],
    ["VPC1", () => raw((s) => new Vpc(s, "vpc", { cidrBlock: "10.0.0.0/16" }))],
    ["ECR1", () => raw((s) => new EcrRepository(s, "r", { name: "a", imageTagMutability: "IMMUTABLE" }))],
    [
      "ECR2",
      () => raw((s) => new EcrRepository(s, "r", { name: "a", imageScanningConfiguration: { scanOnPush: true } })),
    ],
    ["ECR3", () => raw((s) => new EcrRepository(s, "r", { name: "a" }))],
    [
      "ECR4",
      () =>
        raw((s) => {
          const r = new EcrRepository(s, "r", { name: "a" });
          new EcrRepositoryPolicy(s, "p", {
            repository: r.name,
            policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" }] }),
          });
        }),
    ],
    ["ECR5", () => raw((s) => new EcrRepository(s, "r", { name: "a" }))],
    ["KMS1", () => raw((s) => new KmsKey(s, "k", {}))],
    ["LOG1", () => raw((s) => new CloudwatchLogGroup(s, "l", { name: "x" }))],
    ["LOG2", () => raw((s) => new CloudwatchLogGroup(s, "l", { name: "x", retentionInDays: 30 }))],
    [
      "IAM1",
      () =>
        raw(
          (s) =>
            new IamRole(s, "r", {
              assumeRolePolicy: JSON.stringify({
                Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
              }),
            }),
        ),
    ],
    [
      "IAM2",
      () =>
        raw(
          (s) =>
            new IamRolePolicy(s, "p", {
              role: "r",
              policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
            }),
        ),
    ],
    [
      "IAM3",
      () =>
        raw(
          (s) =>
            new IamRole(s, "r", {
              assumeRolePolicy: JSON.stringify({
                Statement: [
                  {
                    Effect: "Allow",
                    Principal: {
                      Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X",
                    },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                      StringLike: { "oidc.eks.eu-west-1.amazonaws.com/id/X:sub": "system:serviceaccount:*" },
                    },
                  },
                ],
              }),
            }),
        ),
    ],
  ];
  it.each(failing)("fail: %s fires on a hand-written resource", (id, ids) => {
    expect(ids()).toContain(id);
  });

  it("pass: EKS2 is silent with allowPublicEndpointWithAllowlist, and LT2 with maxImdsHopLimit 2", () => {
    const s = testStack();
    cluster(s, { endpointPublicAccess: true, publicAccessCidrs: ["198.51.100.0/24"] });
    new LaunchTemplate(s, "lt", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } });
    const ids = ruleIds(s, { allowPublicEndpointWithAllowlist: true, maxImdsHopLimit: 2 });
    expect(ids).not.toContain("EKS2");
    expect(ids).not.toContain("LT2");
  });

  it("pass: ECR3 and LOG2 with customer keys, LOG1 with minLogRetentionDays met", () => {
    const s = testStack();
    new CloudwatchLogGroup(s, "l", {
      name: "x",
      retentionInDays: 365,
      kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/k",
    });
    new EcrRepository(s, "r", {
      name: "a",
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: "arn:aws:kms:eu-west-1:123456789012:key/k" }],
    });
    const ids = ruleIds(s, { minLogRetentionDays: 365 });
    expect(ids).not.toContain("ECR3");
    expect(ids).not.toContain("LOG2");
    expect(ids).not.toContain("LOG1");
    expect(ruleIds(s, { minLogRetentionDays: 400 })).toContain("LOG1");
  });

  it("pass: IAM3 accepts addServiceAccountRole's IRSA trust (condition keys computed with zipmap)", () => {
    const stack = testStack();
    const c = new EksCluster(stack, "eks", {
      name: "test",
      network: testNetwork(stack),
      admins: [ROLE],
      addons: { "aws-ebs-csi-driver": false },
    });
    c.addServiceAccountRole("api", { namespace: "shop", serviceAccount: "api", mechanism: "irsa" });
    expect(ruleIds(stack)).not.toContain("IAM3");
  });

  it("values known only at apply (Terraform variables, references) produce no finding", () => {
    const s = testStack();
    const cidrs = new TerraformVariable(s, "cidrs", { type: "list(string)" });
    const days = new TerraformVariable(s, "days", { type: "number" });
    const tokens = new TerraformVariable(s, "tokens", { type: "string" });
    cluster(s, { endpointPublicAccess: true, publicAccessCidrs: cidrs.listValue });
    new CloudwatchLogGroup(s, "l", { name: "x", retentionInDays: days.numberValue, kmsKeyId: tokens.stringValue });
    new LaunchTemplate(s, "lt", {
      metadataOptions: { httpTokens: tokens.stringValue, httpPutResponseHopLimit: days.numberValue },
    });
    const ids = ruleIds(s);
    for (const id of ["EKS1", "EKS2", "LOG1", "LOG2", "LT1", "LT2"]) expect(ids).not.toContain(id);
  });

  it("pass: SG1 ignores a node group without remote_access, fails one with an SSH key and no source SGs", () => {
    const ng = (s: any, remoteAccess?: any) =>
      new EksNodeGroup(s, "ng", {
        clusterName: "c",
        nodeRoleArn: ROLE,
        subnetIds: ["subnet-1"],
        scalingConfig: { desiredSize: 1, minSize: 1, maxSize: 1 },
        remoteAccess,
      });
    expect(raw((s) => ng(s))).not.toContain("SG1");
    expect(raw((s) => ng(s, { ec2SshKey: "key" }))).toContain("SG1");
  });
});
