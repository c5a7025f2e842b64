import { Testing } from "cdktf";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { Gp3StorageClass, StatefulService, StatefulServiceOptions } from "../../constructs/workloads";
import { IMAGE, setup, synthWith, testCluster, workloadStack } from "./fixtures";

function db(options: Partial<StatefulServiceOptions> = {}) {
  const s = setup();
  const storageClass = new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster });
  const service = new StatefulService(s.stack, "db", {
    namespace: s.ns,
    image: IMAGE,
    resources: { cpu: "250m", memory: "512Mi" },
    ports: [{ name: "pg", port: 5432 }],
    securityContext: { runAsUser: 999 },
    volumeClaims: [{ name: "data", mountPath: "/var/lib/postgresql/data", size: "20Gi", storageClass }],
    ...options,
  });
  return { ...s, service, storageClass };
}

describe("Gp3StorageClass defaults", () => {
  const stack = workloadStack();
  new Gp3StorageClass(stack, "gp3", { cluster: testCluster(stack) });
  const synth = Testing.synth(stack);

  test("encrypted gp3 for the EBS CSI driver, WaitForFirstConsumer, Retain, expandable, not the default class", () => {
    expect(synth).toHaveResource(StorageClassV1);
    expect(Object.values(JSON.parse(synth).resource.kubernetes_storage_class_v1)[0]).toMatchObject({
      storage_provisioner: "ebs.csi.aws.com",
      reclaim_policy: "Retain",
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
      parameters: { type: "gp3", encrypted: "true" },
      metadata: { name: "gp3-encrypted" },
    });
    const sc = Object.values(JSON.parse(synth).resource.kubernetes_storage_class_v1)[0] as any;
    expect(sc.metadata.annotations).toBeUndefined();
    expect(sc.parameters.kmsKeyId).toBeUndefined();
  });

  test("snapshot", () => {
    expect(JSON.parse(synth).resource.kubernetes_storage_class_v1).toMatchSnapshot();
  });
});

describe("Gp3StorageClass", () => {
  test("Auto Mode uses its own EBS provisioner", () => {
    const stack = workloadStack();
    const sc = new Gp3StorageClass(stack, "gp3", { cluster: testCluster(stack, { computeMode: "auto" }) });
    expect(sc.provisioner).toBe("ebs.csi.eks.amazonaws.com");
  });

  test("a KMS key, the delete opt-out, the default-class annotation and performance are visible props", () => {
    const stack = workloadStack();
    const key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const cluster = testCluster(stack);
    Object.defineProperty(cluster, "volumeEncryptionKeyArns", { value: [key] }); // declared, as the key must be
    new Gp3StorageClass(stack, "gp3", {
      cluster,
      kmsKeyArn: key,
      removalPolicy: "destroy",
      isDefault: true,
      iops: 6000,
      throughput: 250,
    });
    const sc = Object.values(synthWith(stack).resource.kubernetes_storage_class_v1)[0] as any;
    expect(sc.reclaim_policy).toBe("Delete");
    expect(sc.parameters).toEqual({ type: "gp3", encrypted: "true", kmsKeyId: key, iops: "6000", throughput: "250" });
    expect(sc.metadata.annotations).toEqual({ "storageclass.kubernetes.io/is-default-class": "true" });
  });

  test.each([
    [
      { kmsKeyArn: "alias/ebs" },
      "Gp3StorageClass 'gp3': kmsKeyArn \"alias/ebs\" is not a KMS key ARN; use the key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias",
    ],
    [
      { removalPolicy: "keep" },
      'Gp3StorageClass \'gp3\': removalPolicy "keep" is not a removal policy; use "retain" (keep the EBS volume when its claim is deleted) or "destroy"',
    ],
    [{ iops: 100 }, "Gp3StorageClass 'gp3': iops 100 is out of range; use a whole number from 3000 to 80000"],
    [
      { name: "GP3" },
      "Gp3StorageClass 'gp3': name \"GP3\" is not a valid StorageClass name (a DNS-1123 subdomain); use up to 253 lower-case letters, digits, hyphens and dots, starting and ending with a letter or digit",
    ],
  ])("throws when given %j", (options, message) => {
    const stack = workloadStack();
    expect(() => new Gp3StorageClass(stack, "gp3", { cluster: testCluster(stack), ...(options as any) })).toThrow(
      message,
    );
  });
});

describe("StatefulService defaults", () => {
  const { stack, service } = db();
  const json = synthWith(stack);
  const sts = Object.values(json.resource.kubernetes_stateful_set_v1)[0] as any;

  test("one replica, claims retained on delete and scale-down, ordered rolling updates", () => {
    expect(sts.spec).toMatchObject({
      replicas: "1",
      service_name: "db",
      pod_management_policy: "OrderedReady",
      update_strategy: [{ type: "RollingUpdate" }],
      persistent_volume_claim_retention_policy: [{ when_deleted: "Retain", when_scaled: "Retain" }],
    });
  });

  test("a ReadWriteOnce claim per replica on the storage class, mounted, writable through fsGroup", () => {
    expect(sts.spec.volume_claim_template).toEqual([
      {
        metadata: { name: "data", labels: expect.any(Object) },
        spec: {
          access_modes: ["ReadWriteOnce"],
          storage_class_name: "gp3-encrypted",
          resources: { requests: { storage: "20Gi" } },
        },
      },
    ]);
    const pod = sts.spec.template.spec;
    expect(pod.container[0].volume_mount).toContainEqual({ name: "data", mount_path: "/var/lib/postgresql/data" });
    expect(pod.security_context.fs_group).toBe("999");
    expect(pod.container[0].security_context.read_only_root_filesystem).toBe(true);
    expect(sts.depends_on).toContainEqual(expect.stringMatching(/^kubernetes_storage_class_v1\.gp3_/));
  });

  test("a headless Service and typed attributes", () => {
    const svc = Object.values(json.resource.kubernetes_service_v1)[0] as any;
    expect(svc.spec.cluster_ip).toBe("None");
    expect(service.serviceDnsName).toBe("db.shop.svc.cluster.local");
    expect(service.servicePort).toBe(5432);
  });

  test("a PDB with maxUnavailable 1", () => {
    const pdb = Object.values(json.resource.kubernetes_pod_disruption_budget_v1)[0] as any;
    expect(pdb.spec.max_unavailable).toBe("1");
  });

  test("snapshot", () => {
    expect({
      statefulSet: json.resource.kubernetes_stateful_set_v1,
      service: json.resource.kubernetes_service_v1,
    }).toMatchSnapshot();
  });
});

describe("StatefulService", () => {
  test.each([
    [
      { volumeClaims: [] },
      "StatefulService 'db': volumeClaims [] is empty: a StatefulService without storage keeps nothing; add a claim, or use a WebService or Worker",
    ],
    [
      { replicas: 3, disruptionBudget: { minAvailable: 3 } },
      "StatefulService 'db': disruptionBudget.minAvailable 3 is at least the 3 replica(s), so it blocks every eviction and node drains hang; use at most 2, or maxUnavailable: 1",
    ],
    [
      { ports: [] },
      "StatefulService 'db': ports [] is empty, so the Service would route nowhere; declare the port the app listens on, e.g. [{ name: \"db\", port: 5432 }]",
    ],
    [
      { claimRetention: "Keep" },
      'StatefulService \'db\': claimRetention "Keep" is not a retention policy; use "Retain" or "Delete"',
    ],
  ])("throws when given %j", (options, message) => {
    expect(() => db(options as any)).toThrow(message);
  });

  test("throws when a claim size is not a quantity", () => {
    expect(() =>
      db({ volumeClaims: [{ name: "data", mountPath: "/data", size: "20GB", storageClass: "gp3" }] }),
    ).toThrow(
      'StatefulService \'db\': volumeClaims[0].size "20GB" is not a Kubernetes quantity; use a number with an optional suffix, e.g. "250m" or "1" for CPU, "512Mi" or "2Gi" for memory and storage',
    );
  });
});
