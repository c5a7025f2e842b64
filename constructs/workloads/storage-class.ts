import { Construct, IConstruct } from "constructs";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { IEksCluster } from "../eks/types";
import { RemovalPolicy, checkRemovalPolicy } from "../core/removal-policy";
import { checkDnsSubdomain } from "../private/kubernetes-names";
import { checkInteger, checkKmsKeyArn, describe } from "../private/validation";

/** A StorageClass volume claims can name. */
export interface IStorageClass extends IConstruct {
  readonly storageClassName: string;
  /** True when its volumes are EBS volumes (which Fargate can't mount). */
  readonly ebsBacked: boolean;
}

export interface Gp3StorageClassOptions {
  /** @default "gp3-encrypted" */
  readonly name?: string;
  /**
   * What happens to a volume when its claim is deleted. "retain" keeps the EBS volume (and the
   * data) after the workload and its claims are gone: delete it by hand when you are sure.
   * @default "retain"
   */
  readonly removalPolicy?: RemovalPolicy;
  /** Customer-managed KMS key for the volumes. @default - the account's aws/ebs key */
  readonly kmsKeyArn?: string;
  /** Make it the cluster's default StorageClass (claims without a class get it). @default false */
  readonly isDefault?: boolean;
  /** Provisioned IOPS (gp3: 3000-16000). @default - 3000, gp3's baseline */
  readonly iops?: number;
  /** Throughput in MiB/s (gp3: 125-1000). @default - 125, gp3's baseline */
  readonly throughput?: number;
}

export interface Gp3StorageClassProps extends Gp3StorageClassOptions {
  readonly cluster: IEksCluster;
}

/** The EBS CSI provisioner: EKS Auto Mode runs its own, under another name. */
export function ebsProvisioner(cluster: IEksCluster): string {
  return cluster.computeMode === "auto" ? "ebs.csi.eks.amazonaws.com" : "ebs.csi.aws.com";
}

/**
 * An encrypted gp3 StorageClass for the EBS CSI driver: volumes are created in the zone of
 * the pod that first uses them (WaitForFirstConsumer, so a pod never waits for a volume in
 * another AZ), can grow in place, and are retained when their claim is deleted.
 */
export class Gp3StorageClass extends Construct implements IStorageClass {
  public readonly storageClassName: string;
  public readonly ebsBacked = true;
  public readonly provisioner: string;
  public readonly removalPolicy: RemovalPolicy;
  public readonly resource: StorageClassV1;

  constructor(scope: Construct, id: string, props: Gp3StorageClassProps) {
    super(scope, id);
    const where = describe("Gp3StorageClass", id);
    this.storageClassName = props.name ?? "gp3-encrypted";
    checkDnsSubdomain(where, "name", this.storageClassName, "StorageClass name");
    this.removalPolicy = props.removalPolicy ?? "retain";
    checkRemovalPolicy(
      where,
      "removalPolicy",
      this.removalPolicy,
      `use "retain" (keep the EBS volume when its claim is deleted) or "destroy"`,
    );
    checkKmsKeyArn(
      where,
      "kmsKeyArn",
      props.kmsKeyArn,
      "use the key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias",
    );
    if (props.iops !== undefined) checkInteger(where, "iops", props.iops, 3000, 16000);
    if (props.throughput !== undefined) checkInteger(where, "throughput", props.throughput, 125, 1000);
    this.provisioner = ebsProvisioner(props.cluster);
    const parameters: Record<string, string> = { type: "gp3", encrypted: "true" };
    if (props.kmsKeyArn !== undefined) parameters.kmsKeyId = props.kmsKeyArn;
    if (props.iops !== undefined) parameters.iops = String(props.iops);
    if (props.throughput !== undefined) parameters.throughput = String(props.throughput);
    this.resource = new StorageClassV1(this, "storage-class", {
      metadata: {
        name: this.storageClassName,
        labels: { "app.kubernetes.io/managed-by": "cdktf" },
        annotations: props.isDefault ? { "storageclass.kubernetes.io/is-default-class": "true" } : undefined,
      },
      storageProvisioner: this.provisioner,
      reclaimPolicy: this.removalPolicy === "retain" ? "Retain" : "Delete",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      parameters,
    });
  }
}
