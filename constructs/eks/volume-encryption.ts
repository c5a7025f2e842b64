import { DefaultTokenResolver, Fn, StringConcat, Token, Tokenization } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KMS_KEY_ARN, checkSameRegion, duplicatesOf, fail, isToken } from "../private/validation";
import type { PolicyDocument } from "./service-account-role";

/**
 * What a role needs on a customer-managed KMS key to create, attach and resize EBS volumes
 * encrypted with it, restricted to exactly the declared keys:
 * - grants (CreateGrant, ListGrants, RevokeGrant) only for AWS resources (kms:GrantIsForAWSResource):
 *   EC2 attaches a volume through a grant, and the role can't grant the key to anyone else;
 * - Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*, DescribeKey.
 *
 * The same two statements are documented for both holders:
 * - the EBS CSI driver's role (managed compute): EKS User Guide, "Use Kubernetes volume storage with
 *   Amazon EBS", step 1 "If you use a custom KMS key" (awsdocs/amazon-eks-user-guide,
 *   latest/ug/storage/ebs-csi.adoc, read 2025);
 * - the cluster role on Auto Mode, whose storage capability provisions the volumes: "Create a storage
 *   class", "Use self-managed KMS key to encrypt EBS volumes" (attach the key policy to the EKS Cluster
 *   Role; latest/ug/automode/create-storage-class.adoc) with the actions of "Enable EBS Volume Encryption
 *   with Customer Managed KMS Keys for EKS Auto Mode" (latest/ug/automode/auto-kms.adoc), read 2025.
 * The key policy must still let IAM policies of the account grant it (the default key policy does).
 */
export function volumeEncryptionPolicy(keyArns: string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "VolumeKeyGrantsForAwsResources",
        Effect: "Allow",
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: keyArns,
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
      {
        Sid: "VolumeKeyUse",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: keyArns,
      },
    ],
  };
}

/**
 * The declared keys granted to a role, as an inline policy named "volume-encryption". Plain JSON
 * for literal ARNs (readable in plans); Terraform's jsonencode when a key, or the whole list, is a
 * reference (a list reference can't be written into a JSON string at synth).
 */
export function grantVolumeKeys(scope: Construct, id: string, role: string, keyArns: string[]): IamRolePolicy {
  const doc = volumeEncryptionPolicy(keyArns);
  const references = isToken(keyArns) || keyArns.some((k) => isToken(k));
  return new IamRolePolicy(scope, id, {
    role,
    name: "volume-encryption",
    policy: references ? Fn.jsonencode(doc) : JSON.stringify(doc),
  });
}

/**
 * Validates the keys a cluster declares for its volumes (`volumeEncryptionKeyArns`): key ARNs (no
 * aliases: EBS stores the key ARN and the StorageClass is matched against it), of the cluster's
 * region, each once. A reference is accepted as it is; a whole list only known at apply too.
 */
export function resolveVolumeEncryptionKeys(
  where: string,
  field: string,
  keyArns: string[] | undefined,
  region: string,
): string[] {
  if (keyArns === undefined) return [];
  if (isToken(keyArns)) return keyArns;
  keyArns.forEach((arn, i) => {
    if (isToken(arn)) return;
    if (typeof arn !== "string" || !KMS_KEY_ARN.test(arn))
      fail(
        where,
        `${field}[${i}]`,
        arn,
        "is not a KMS key ARN",
        "use the key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias: a StorageClass's kmsKeyArn is matched against it",
      );
    checkSameRegion(
      where,
      `${field}[${i}]`,
      arn,
      region,
      "EBS volumes can only use a key of their own region, and the cluster is in",
    );
  });
  const dups = duplicatesOf(keyArns);
  if (dups.length > 0) fail(where, field, dups, "are listed more than once", "list each key once");
  return [...keyArns];
}

/**
 * True when a StorageClass's key is one the cluster declares. Literals match by ARN. A reference
 * (a KmsKey's `arn`, a variable, a remote-state output) matches a declared reference to the same
 * thing: both are compared as the Terraform expression they stand for (cdktf makes a new token on
 * every read of an attribute, so the token text alone would never match). When the cluster's
 * whole list is only known at apply, nothing can be checked and every key is accepted.
 */
export function declaresVolumeKey(scope: IConstruct, declared: string[], keyArn: string): boolean {
  if (isToken(declared) || Token.isUnresolved(declared)) return true;
  const wanted = expressionOf(scope, keyArn);
  return declared.some((k) => expressionOf(scope, k) === wanted);
}

/**
 * A literal as it is; a reference as the expression it resolves to, e.g. "${aws_kms_key.volumes.arn}".
 * Resolved without `preparing`, so no cross-stack output is registered by looking.
 */
function expressionOf(scope: IConstruct, value: string): string {
  if (!isToken(value)) return value;
  return String(
    Tokenization.resolve(value, { scope, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) }),
  );
}
