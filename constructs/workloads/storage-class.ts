import { Construct, IConstruct } from "constructs";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { IEksCluster } from "../eks/types";
import { RemovalPolicy, checkRemovalPolicy } from "../core/removal-policy";
import { checkDnsSubdomain } from "../private/kubernetes-names";
import { checkInteger, checkKmsKeyArn, describe, fail, isToken, show } from "../private/validation";
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
  /** Provisioned IOPS (gp3: 3000-16000). @default - 3000, gp3's baseline */
  readonly iops?: number;
  /** Throughput in MiB/s (gp3: 125-1000). @default - 125, gp3's baseline */
  readonly throughput?: number;
}

export interface Gp3StorageClassProps extends Gp3StorageClassOptions {
  readonly cluster: IEksCluster;
}

/** StorageClass names per cluster, to refuse declaring one twice. */
const storageClassesOf = new WeakMap<IEksCluster, Map<string, string>>();

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
    if (props.iops !== undefined) checkInteger(where, "iops", props.iops, 3000, 16000);
    if (props.throughput !== undefined) checkInteger(where, "throughput", props.throughput, 125, 1000);
    // StorageClasses are cluster-scoped: two of one name would be one object, applied twice.
    const taken = storageClassesOf.get(props.cluster) ?? new Map<string, string>();
    const owner = taken.get(this.storageClassName);
    if (owner !== undefined && !isToken(this.storageClassName)) {
      fail(
        where,
        "name",
        this.storageClassName,
        `is already the name of ${owner} on cluster ${show(props.cluster.name)} (StorageClasses are cluster-scoped)`,
        "declare the class once and pass it to every workload, or give the second one another name",
      );
    }
    taken.set(this.storageClassName, where);
    storageClassesOf.set(props.cluster, taken);
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
