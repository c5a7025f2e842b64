/// <reference types="cdktf/lib/testing/adapters/jest" />
import { TerraformStack, TerraformVariable } from "cdktf";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { EksCluster, EksClusterOptions } from "../../constructs/eks/cluster";
import { volumeEncryptionPolicy } from "../../constructs/eks/volume-encryption";
import { resourcesOf, testNetwork, testStack, warningsOf } from "../fixtures";
import { testCluster } from "./fixtures";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OTHER_KEY = "arn:aws:kms:eu-west-1:123456789012:key/abcd1234-12ab-34cd-56ef-1234567890ab";

function setup(options: Partial<EksClusterOptions> = {}, stack = testStack()) {
  return testCluster(options, { stack });
}

/** The inline policies of the cluster, by logical id prefix, parsed. */
function policies(stack: TerraformStack): Record<string, any> {
  return Object.fromEntries(
    Object.entries(resourcesOf(stack, "aws_iam_role_policy"))
      .filter(([id]) => id.startsWith("eks_"))
      .map(([id, r]) => [id.replace(/_[0-9A-F]{8}$/, ""), { role: r.role, name: r.name, policy: tryParse(r.policy) }]),
  );
}
const tryParse = (text: string) => (text.startsWith("${") ? text : JSON.parse(text));

/** The statements AWS documents for a customer key on EBS volumes (EKS User Guide, ebs-csi.adoc; Auto Mode: create-storage-class.adoc). */
const documented = (keys: unknown) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "VolumeKeyGrantsForAwsResources",
      Effect: "Allow",
      Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      Resource: keys,
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
    {
      Sid: "VolumeKeyUse",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: keys,
    },
  ],
});

describe("EksCluster volumeEncryptionKeyArns", () => {
  it("grants nothing on any key by default (the EBS CSI role has only AmazonEBSCSIDriverPolicy)", () => {
    const { stack, cluster } = setup();
    expect(cluster.volumeEncryptionKeyArns).toEqual([]);
    expect(Object.keys(policies(stack))).toEqual(["eks_cluster-role-secrets-encryption"]);
  });

  it("grants the EBS CSI driver's role the documented KMS permissions on exactly the declared keys (managed compute)", () => {
    const { stack, cluster } = setup({ volumeEncryptionKeyArns: [KEY, OTHER_KEY] });
    expect(cluster.volumeEncryptionKeyArns).toEqual([KEY, OTHER_KEY]);
    const roleId = Object.keys(resourcesOf(stack, "aws_iam_role")).find((id) => id.includes("ebs-csi-driver-role"));
    expect(policies(stack)["eks_addons_ebs-csi-driver-volume-encryption"]).toEqual({
      role: `\${aws_iam_role.${roleId}.name}`,
      name: "volume-encryption",
      policy: documented([KEY, OTHER_KEY]),
    });
    // The add-on waits for the grant, as for its other permissions.
    const addon = Object.entries(resourcesOf(stack, "aws_eks_addon")).find(([id]) =>
      id.includes("aws-ebs-csi-driver"),
    )![1];
    expect(addon.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_iam_role_policy\.eks_addons_ebs-csi-driver-volume-encryption_/),
      ]),
    );
    expect(warningsOf(stack)).toEqual([]);
  });

  it("grants the cluster role on Auto Mode (whose storage capability provisions the volumes), before the cluster starts", () => {
    const { stack } = setup({ computeMode: "auto", volumeEncryptionKeyArns: [KEY] });
    expect(policies(stack)["eks_cluster-role-volume-encryption"]).toEqual({
      role: "${aws_iam_role.eks_cluster-role_F63B2DEE.id}",
      name: "volume-encryption",
      policy: documented([KEY]),
    });
    expect(Object.values(resourcesOf(stack, "aws_eks_cluster"))[0].depends_on).toContain(
      "aws_iam_role_policy.eks_cluster-role-volume-encryption_A1A9B668",
    );
  });

  it("accepts references: a key of the stack, and a whole list only known at apply", () => {
    const stack = testStack();
    const key = new KmsKey(stack, "volumes", { enableKeyRotation: true });
    setup({ volumeEncryptionKeyArns: [key.arn] }, stack);
    // A reference renders as Terraform's jsonencode, the key by address.
    expect(policies(stack)["eks_addons_ebs-csi-driver-volume-encryption"].policy).toContain(
      '"Resource" = [aws_kms_key.volumes.arn]',
    );

    const stack2 = testStack();
    const keys = new TerraformVariable(stack2, "volume_keys", { type: "list(string)" });
    const list = keys.listValue;
    const { cluster } = setup({ volumeEncryptionKeyArns: list, computeMode: "auto" }, stack2);
    expect(cluster.volumeEncryptionKeyArns).toEqual(list);
    expect(policies(stack2)["eks_cluster-role-volume-encryption"].policy).toContain('"Resource" = var.volume_keys');
    const stack3 = testStack();
    const keys3 = new TerraformVariable(stack3, "volume_keys", { type: "list(string)" });
    setup({ volumeEncryptionKeyArns: keys3.listValue }, stack3);
    expect(policies(stack3)["eks_addons_ebs-csi-driver-volume-encryption"].policy).toContain(
      '"Resource" = var.volume_keys',
    );
  });

  it("warns that nothing is granted when the EBS CSI driver runs with your own role, or is off", () => {
    const own = setup({
      volumeEncryptionKeyArns: [KEY],
      addons: { "aws-ebs-csi-driver": { serviceAccountRoleArn: "arn:aws:iam::123456789012:role/ebs-csi" } },
    });
    expect(warningsOf(own.stack)).toEqual([
      "EksCluster 'eks': volumeEncryptionKeyArns are not granted to any role: addons[\"aws-ebs-csi-driver\"].serviceAccountRoleArn is your own role; give it the KMS permissions of volumeEncryptionPolicy on those keys, or claims of a StorageClass using them stay Pending",
    ]);
    const off = setup({ volumeEncryptionKeyArns: [KEY], addons: { "aws-ebs-csi-driver": false } });
    expect(warningsOf(off.stack)).toEqual([
      "EksCluster 'eks': volumeEncryptionKeyArns are not granted to any role: addons[\"aws-ebs-csi-driver\"] is false; give the EBS CSI driver you run the KMS permissions of volumeEncryptionPolicy on those keys, or claims of a StorageClass using them stay Pending",
    ]);
    expect(Object.keys(policies(own.stack))).toEqual(["eks_cluster-role-secrets-encryption"]);
  });

  it("exports the policy for a role of your own", () => {
    expect(volumeEncryptionPolicy([KEY])).toEqual(documented([KEY]));
  });

  it.each<[string, string[], string]>([
    [
      "an alias",
      ["arn:aws:kms:eu-west-1:123456789012:alias/ebs"],
      "EksCluster 'eks': volumeEncryptionKeyArns[0] \"arn:aws:kms:eu-west-1:123456789012:alias/ebs\" is not a KMS key ARN; use the key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias: a StorageClass's kmsKeyArn is matched against it",
    ],
    [
      "a key of another region",
      [KEY, KEY.replace("eu-west-1", "us-east-1")],
      `EksCluster 'eks': volumeEncryptionKeyArns[1] "${KEY.replace("eu-west-1", "us-east-1")}" is in us-east-1, but EBS volumes can only use a key of their own region, and the cluster is in eu-west-1; use a key in eu-west-1`,
    ],
    [
      "a key listed twice",
      [KEY, KEY],
      `EksCluster 'eks': volumeEncryptionKeyArns ["${KEY}"] are listed more than once; list each key once`,
    ],
  ])("throws on %s", (_case, volumeEncryptionKeyArns, message) => {
    expect(() => setup({ volumeEncryptionKeyArns })).toThrow(message);
  });
});

describe("EksCluster.fromClusterAttributes volumeEncryptionKeyArns", () => {
  const attrs = (stack: TerraformStack) => ({
    clusterName: "legacy",
    clusterEndpoint: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
    clusterCertificateAuthorityData: "Y2E=",
    oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
    clusterSecurityGroupId: "sg-0123456789abcdef0",
    network: testNetwork(stack),
    kubernetesVersion: "1.35",
  });

  it("declares the keys the owner granted, and grants nothing itself", () => {
    const stack = testStack();
    const cluster = EksCluster.fromClusterAttributes(stack, "legacy", {
      ...attrs(stack),
      volumeEncryptionKeyArns: [KEY],
    });
    expect(cluster.volumeEncryptionKeyArns).toEqual([KEY]);
    expect(EksCluster.fromClusterAttributes(testStack(), "none", attrs(testStack())).volumeEncryptionKeyArns).toEqual(
      [],
    );
    expect(Object.keys(resourcesOf(stack, "aws_iam_role_policy")).filter((id) => !id.startsWith("network_"))).toEqual(
      [],
    );
  });

  it("throws when a declared key is not a key ARN", () => {
    const stack = testStack();
    expect(() =>
      EksCluster.fromClusterAttributes(stack, "legacy", { ...attrs(stack), volumeEncryptionKeyArns: ["alias/ebs"] }),
    ).toThrow(
      "EksCluster.fromClusterAttributes 'legacy': volumeEncryptionKeyArns[0] \"alias/ebs\" is not a KMS key ARN; use the key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias: a StorageClass's kmsKeyArn is matched against it",
    );
  });
});
