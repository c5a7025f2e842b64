/// <reference types="cdktf/lib/testing/adapters/jest" />
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { EksCluster } from "../../constructs/eks/cluster";
import { Gp3StorageClass } from "../../constructs/workloads/storage-class";
import { testNetwork } from "../fixtures";
import { synthWith, testCluster, workloadStack } from "./fixtures";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OTHER_KEY = "arn:aws:kms:eu-west-1:123456789012:key/abcd1234-12ab-34cd-56ef-1234567890ab";
const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";

/** The fake cluster, declaring `keys` as EksCluster's volumeEncryptionKeyArns would. */
function clusterDeclaring(keys: string[] | undefined, stack = workloadStack()) {
  const cluster = testCluster(stack);
  if (keys !== undefined) Object.defineProperty(cluster, "volumeEncryptionKeyArns", { value: keys });
  return { stack, cluster };
}

const kmsKeyIdOf = (json: any) =>
  (Object.values(json.resource.kubernetes_storage_class_v1)[0] as any).parameters.kmsKeyId;

describe("Gp3StorageClass kmsKeyArn and the cluster's volume keys", () => {
  it("uses a key the cluster declares", () => {
    const { stack, cluster } = clusterDeclaring([OTHER_KEY, KEY]);
    new Gp3StorageClass(stack, "gp3", { cluster, kmsKeyArn: KEY });
    expect(kmsKeyIdOf(synthWith(stack))).toBe(KEY);
  });

  it("throws when the cluster declares no key (the EBS CSI driver would have no rights on it: every claim Pending)", () => {
    const { stack, cluster } = clusterDeclaring([]);
    expect(() => new Gp3StorageClass(stack, "gp3", { cluster, kmsKeyArn: KEY })).toThrow(
      `Gp3StorageClass 'gp3': kmsKeyArn "${KEY}" is not a key cluster "test" declares in volumeEncryptionKeyArns (none), so the EBS CSI driver (on Auto Mode, the cluster role) has no rights on it and every claim of this class would stay Pending; add it to the cluster's volumeEncryptionKeyArns (EksCluster option; on an adopted cluster, the attribute of EksCluster.fromClusterAttributes once you granted it), or remove kmsKeyArn to use the account's aws/ebs key`,
    );
  });

  it("throws when the key is not among those declared, and on a hand-written cluster that declares none", () => {
    const { stack, cluster } = clusterDeclaring([OTHER_KEY]);
    expect(() => new Gp3StorageClass(stack, "gp3", { cluster, kmsKeyArn: KEY })).toThrow(
      `is not a key cluster "test" declares in volumeEncryptionKeyArns ("${OTHER_KEY}"), so the EBS CSI driver`,
    );
    const undeclared = clusterDeclaring(undefined);
    expect(() => new Gp3StorageClass(undeclared.stack, "gp3", { cluster: undeclared.cluster, kmsKeyArn: KEY })).toThrow(
      "declares in volumeEncryptionKeyArns (none)",
    );
  });

  it("needs no declaration without kmsKeyArn (the account's aws/ebs key)", () => {
    const { stack, cluster } = clusterDeclaring([]);
    new Gp3StorageClass(stack, "gp3", { cluster });
    expect(kmsKeyIdOf(synthWith(stack))).toBeUndefined();
  });

  it("matches a reference by identity: the same KmsKey arn on both sides", () => {
    const stack = workloadStack();
    const key = new KmsKey(stack, "volumes", { enableKeyRotation: true });
    const { cluster } = clusterDeclaring([key.arn], stack);
    new Gp3StorageClass(stack, "gp3", { cluster, kmsKeyArn: key.arn });
    expect(kmsKeyIdOf(synthWith(stack))).toBe("${aws_kms_key.volumes.arn}");
  });

  it("matches a key of the platform stack used from the workloads stack (each read of .arn is a new token)", () => {
    const app = Testing.app();
    const platform = new TerraformStack(app, "platform");
    new AwsProvider(platform, "aws", { region: "eu-west-1" });
    const key = new KmsKey(platform, "volumes", { enableKeyRotation: true });
    const cluster = new EksCluster(platform, "eks", {
      name: "test",
      network: testNetwork(platform),
      admins: [ADMIN],
      volumeEncryptionKeyArns: [key.arn],
    });
    const workloads = new TerraformStack(app, "workloads");
    new AwsProvider(workloads, "aws", { region: "eu-west-1" });
    new KubernetesProvider(workloads, "kubernetes", {});
    new Gp3StorageClass(workloads, "gp3", { cluster, kmsKeyArn: key.arn });
    // Accepted at construction; the app's synth then wires the key across stacks (outputs and
    // remote state), which Testing.synth of one stack doesn't do.
    expect(kmsKeyIdOf(JSON.parse(Testing.synth(workloads)))).toBe("${aws_kms_key.volumes.arn}");
  });

  it("throws for a reference the cluster doesn't declare, saying how references match", () => {
    const stack = workloadStack();
    const key = new TerraformVariable(stack, "key", { type: "string" });
    const { cluster } = clusterDeclaring([KEY], stack);
    expect(() => new Gp3StorageClass(stack, "gp3", { cluster, kmsKeyArn: key.stringValue })).toThrow(
      `Gp3StorageClass 'gp3': kmsKeyArn "<a value only known at apply time>" is not a key cluster "test" declares in volumeEncryptionKeyArns ("${KEY}"), so the EBS CSI driver (on Auto Mode, the cluster role) has no rights on it and every claim of this class would stay Pending; declare a reference to the same key in the cluster's volumeEncryptionKeyArns (references match by what they refer to, e.g. the same KmsKey's arn), or remove kmsKeyArn to use the account's aws/ebs key`,
    );
  });

  it("accepts any key when the cluster's whole list is only known at apply", () => {
    const stack = workloadStack();
    const keys = new TerraformVariable(stack, "keys", { type: "list(string)" });
    const { cluster } = clusterDeclaring(keys.listValue, stack);
    expect(() => new Gp3StorageClass(stack, "gp3", { cluster, kmsKeyArn: KEY })).not.toThrow();
  });

  it("works against a real EksCluster and an adopted one declaring the key", () => {
    const stack = workloadStack();
    const network = testNetwork(stack);
    const cluster = new EksCluster(stack, "eks", {
      name: "test",
      network,
      admins: [ADMIN],
      volumeEncryptionKeyArns: [KEY],
    });
    expect(() => new Gp3StorageClass(stack, "gp3", { cluster, kmsKeyArn: KEY })).not.toThrow();
    const adopted = EksCluster.fromClusterAttributes(stack, "legacy", {
      clusterName: "legacy",
      clusterEndpoint: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
      clusterCertificateAuthorityData: "Y2E=",
      oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
      clusterSecurityGroupId: "sg-0123456789abcdef0",
      network,
      kubernetesVersion: "1.35",
      volumeEncryptionKeyArns: [KEY],
    });
    expect(() => new Gp3StorageClass(stack, "gp3-adopted", { cluster: adopted, kmsKeyArn: KEY })).not.toThrow();
    expect(() => new Gp3StorageClass(stack, "gp3-other", { cluster: adopted, kmsKeyArn: OTHER_KEY })).toThrow(
      `is not a key cluster "legacy" declares in volumeEncryptionKeyArns ("${KEY}")`,
    );
  });
});
