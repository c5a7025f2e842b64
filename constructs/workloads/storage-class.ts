import { Construct, IConstruct } from "constructs";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { IEksCluster } from "../eks/types";
import { RemovalPolicy, checkRemovalPolicy } from "../core/removal-policy";
import { checkDnsSubdomain } from "../private/kubernetes-names";
import { parseQuantity } from "../private/quantity";
import { checkInteger, checkKmsKeyArn, checkSameRegion, describe, fail, isToken, show } from "../private/validation";
import { NameRegistry } from "../private/name-registry";
import { declaresVolumeKey } from "../eks/volume-encryption";
import { checkStackCluster } from "./pod-spec-rules";

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
   *
   * Changing it later does NOT change volumes that already exist: Kubernetes copies the class's
   * reclaim policy into each PersistentVolume when it provisions it, and a StorageClass's
   * reclaimPolicy can't be updated. The kubernetes provider plans the change as an in-place update
   * it never sends (resource_kubernetes_storage_class_v1.go patches only metadata and
   * allow_volume_expansion), so the class keeps its old policy and the plan shows the change on
   * every run. To switch: `kubectl delete storageclass <name>` and deploy (the class is re-created
   * with the new policy; deleting a class leaves its volumes and claims alone), then patch each
   * existing volume: `kubectl patch pv <pv> -p '{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}'`
   * (or "Delete"). The same holds for an environment's `disposable` switch, which sets this.
   * @default "retain"
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Customer-managed KMS key for the volumes: one the cluster declares in its
   * `volumeEncryptionKeyArns` (which grants the EBS CSI driver, or Auto Mode's cluster role, the
   * rights on it); any other key is refused, since its claims would stay Pending. A reference
   * (e.g. a KmsKey's `arn`, a variable) matches a declared reference to the same thing (the same
   * key's `arn`, the same variable); a reference never matches a literal ARN.
   * @default - the account's aws/ebs key
   */
  readonly kmsKeyArn?: string;
  /** Make it the cluster's default StorageClass (claims without a class get it). @default false */
  readonly isDefault?: boolean;
  /**
   * Provisioned IOPS of each volume, 3,000 to 80,000. gp3 allows 500 IOPS per GiB of volume size,
   * so a claim of this class must be at least iops / 500 GiB (checked against the claims that use
   * the class, e.g. a StatefulService's volumeClaims).
   * @default - 3000, gp3's baseline
   */
  readonly iops?: number;
  /**
   * Throughput of each volume in MiB/s, 125 to 2,000, at most 0.25 MiB/s per provisioned IOPS
   * (so above 750 MiB/s, iops must be raised too: 2,000 MiB/s needs 8,000 IOPS).
   * @default - 125, gp3's baseline
   */
  readonly throughput?: number;
}

export interface Gp3StorageClassProps extends Gp3StorageClassOptions {
  readonly cluster: IEksCluster;
}

/**
 * gp3's limits as AWS publishes them today (Amazon EBS User Guide, "General Purpose SSD volumes",
 * and the EC2 API reference of CreateVolume/ModifyVolume, whose Throughput range is now 125 to
 * 2,000; raised in September 2025, aws.amazon.com/about-aws/whats-new/2025/09/
 * amazon-ebs-size-provisioned-performance-gp3-volumes; read 2026-12): 1 GiB to
 * 64 TiB, 3,000 (baseline) to 80,000 IOPS with at most 500 IOPS per GiB, 125 (baseline) to
 * 2,000 MiB/s with at most 0.25 MiB/s per provisioned IOPS.
 *
 * The EBS CSI driver passes `iops` and `throughput` (StorageClass parameters, case-insensitive;
 * kubernetes-sigs/aws-ebs-csi-driver docs/parameters.md; `iopsPerGB` is the per-GiB alternative,
 * never with `iops`) to CreateVolume. It learns the IOPS maximum from EC2 (a DryRun CreateVolume,
 * PR #2682, merged 2025-10-02, before every add-on version pinned here, v1.56.0 and later) instead
 * of its old 16,000 cap, and lowers IOPS above 500 per GiB of the claim to that (capIOPS,
 * pkg/cloud/cloud.go) where that is at least 3,000; for smaller volumes EC2 refuses the volume.
 * It rounds a claim up to whole GiB.
 */
export const GP3 = {
  minSizeGiB: 1,
  maxSizeGiB: 64 * 1024,
  minIops: 3000,
  maxIops: 80000,
  iopsPerGiB: 500,
  minThroughput: 125,
  maxThroughput: 2000,
  throughputPerIops: 0.25,
} as const;

/**
 * Checks a claim's size against its StorageClass, where the class is one of ours (a class given
 * by name is not known here): at most 64 TiB, and large enough for the class's IOPS (500 per
 * GiB). A size only known at apply is not compared.
 */
export function checkClaimSize(where: string, field: string, size: string, storageClass: IStorageClass | string): void {
  if (!(storageClass instanceof Gp3StorageClass) || isToken(size)) return;
  const bytes = parseQuantity(size);
  if (bytes === undefined) return;
  const gib = Math.max(GP3.minSizeGiB, Math.ceil(bytes / 2 ** 30));
  const cls = `StorageClass "${storageClass.storageClassName}" (Gp3StorageClass '${storageClass.node.id}')`;
  if (gib > GP3.maxSizeGiB) {
    fail(
      where,
      field,
      size,
      `is larger than a gp3 volume can be (64 TiB), so EC2 would refuse the volume of ${cls}`,
      'use at most "64Ti", or spread the data over more claims',
    );
  }
  const iops = storageClass.iops;
  if (iops === undefined || isToken(iops) || iops <= GP3.minIops || iops <= gib * GP3.iopsPerGiB) return;
  const most = gib * GP3.iopsPerGiB;
  fail(
    where,
    field,
    size,
    `is too small for the ${iops} IOPS of ${cls}: gp3 allows 500 IOPS per GiB, ${most} for ${gib} GiB, so ${most >= GP3.minIops ? `the EBS CSI driver would lower the volume's IOPS to ${most}` : "EC2 would refuse the volume"}`,
    `use at least "${Math.ceil(iops / GP3.iopsPerGiB)}Gi", or a class with at most ${Math.max(GP3.minIops, most)} IOPS`,
  );
}

/** StorageClass names per cluster, to refuse declaring one twice. */
const storageClassesOf = new NameRegistry<IEksCluster>();

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
  /** The provisioned IOPS, when given. */
  public readonly iops?: number;
  /** The throughput in MiB/s, when given. */
  public readonly throughput?: number;

  constructor(scope: Construct, id: string, props: Gp3StorageClassProps) {
    super(scope, id);
    const where = describe("Gp3StorageClass", id);
    this.storageClassName = props.name ?? "gp3-encrypted";
    checkDnsSubdomain(where, "name", this.storageClassName, "StorageClass name");
    checkStackCluster(this, where, "cluster", props.cluster);
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
    checkSameRegion(
      where,
      "kmsKeyArn",
      props.kmsKeyArn,
      props.cluster.network.region,
      "EBS volumes can only use a key of their own region, and the cluster is in",
    );
    const declared = props.cluster.volumeEncryptionKeyArns ?? [];
    if (props.kmsKeyArn !== undefined && !declaresVolumeKey(this, declared, props.kmsKeyArn)) {
      const token = isToken(props.kmsKeyArn);
      fail(
        where,
        "kmsKeyArn",
        token ? "<a value only known at apply time>" : props.kmsKeyArn,
        `is not a key cluster "${props.cluster.name}" declares in volumeEncryptionKeyArns (${declared.length === 0 ? "none" : declared.map((k) => (isToken(k) ? "<a reference>" : show(k))).join(", ")}), so the EBS CSI driver (on Auto Mode, the cluster role) has no rights on it and every claim of this class would stay Pending`,
        token
          ? "declare a reference to the same key in the cluster's volumeEncryptionKeyArns (references match by what they refer to, e.g. the same KmsKey's arn), or remove kmsKeyArn to use the account's aws/ebs key"
          : "add it to the cluster's volumeEncryptionKeyArns (EksCluster option; on an adopted cluster, the attribute of EksCluster.fromClusterAttributes once you granted it), or remove kmsKeyArn to use the account's aws/ebs key",
      );
    }
    this.iops = props.iops;
    this.throughput = props.throughput;
    if (props.iops !== undefined) checkInteger(where, "iops", props.iops, GP3.minIops, GP3.maxIops);
    if (props.throughput !== undefined)
      checkInteger(where, "throughput", props.throughput, GP3.minThroughput, GP3.maxThroughput);
    const iops = props.iops ?? GP3.minIops;
    if (props.throughput !== undefined && !isToken(props.throughput) && !isToken(iops)) {
      if (props.throughput > iops * GP3.throughputPerIops) {
        const needed = Math.ceil(props.throughput / GP3.throughputPerIops);
        fail(
          where,
          "throughput",
          props.throughput,
          `is more than gp3 allows for ${iops} IOPS${props.iops === undefined ? " (the baseline, iops being unset)" : ""}: at most 0.25 MiB/s per IOPS, ${iops * GP3.throughputPerIops} MiB/s, so EC2 would refuse every volume of the class`,
          `raise iops to at least ${needed}, or lower throughput to ${iops * GP3.throughputPerIops}`,
        );
      }
    }
    // StorageClasses are cluster-scoped: two of one name would be one object, applied twice.
    const owner = storageClassesOf.claim(props.cluster, this.storageClassName, where);
    if (owner !== undefined) {
      fail(
        where,
        "name",
        this.storageClassName,
        `is already the name of ${owner} on cluster ${show(props.cluster.name)} (StorageClasses are cluster-scoped)`,
        "declare the class once and pass it to every workload, or give the second one another name",
      );
    }
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
