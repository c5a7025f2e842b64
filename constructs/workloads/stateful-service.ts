import { Construct } from "constructs";
import { PersistentVolumeClaimV1 } from "@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import type { StatefulSetV1 } from "@cdktf/provider-kubernetes/lib/stateful-set-v1";
import { statefulSetV1 } from "../private/pod-controllers";
import { nodeGroupsOf, tolerationOf } from "../eks/node-group";
import { checkDnsLabel } from "../private/kubernetes-names";
import { checkPositiveQuantity } from "../private/quantity";
import { addSynthCheck, checkInteger, checkLiteral, duplicatesOf, fail, isToken, show } from "../private/validation";
import { DisruptionBudgetOptions } from "./deployment-options";
import { INamespace } from "./namespace";
import { checkSameStack } from "./pod-spec-rules";
import { Gp3StorageClass, IStorageClass, checkClaimSize } from "./storage-class";
import type { VerticalPodAutoscaler, VerticalPodAutoscalerOptions } from "./vertical-pod-autoscaler";
import { ResolvedServicePort, ServiceOptions, Workload, WorkloadOptions } from "./workload";
import { addWorkloadVpa } from "./workload-vpa";

/** A volume each replica gets for itself (a PersistentVolumeClaim per pod, kept across restarts). */
export interface VolumeClaim {
  /** Volume name (a DNS-1123 label). */
  readonly name: string;
  /** Where the container mounts it. */
  readonly mountPath: string;
  /**
   * Size, e.g. "20Gi". Required: an EBS volume has a size. Raising it later expands the volumes
   * in place (the StorageClass must allow expansion, as Gp3StorageClass does); lowering it
   * can't shrink a volume and is refused at plan with claimRetention "Retain" (see StatefulService).
   */
  readonly size: string;
  /** The StorageClass (e.g. a Gp3StorageClass) or the name of one. */
  readonly storageClass: IStorageClass | string;
}

export interface StatefulServiceOptions extends WorkloadOptions {
  /** Volume claim templates (at least one). */
  readonly volumeClaims: VolumeClaim[];
  /** @default 1 */
  readonly replicas?: number;
  /** Ports and annotations of the headless Service (and of the client Service). @default - see ServiceOptions */
  readonly service?: ServiceOptions;
  /**
   * A ClusterIP Service `<name>-client` beside the headless one: one stable virtual IP that
   * load-balances over the ready replicas (for clients that don't need a particular pod).
   * @default false
   */
  readonly clientService?: boolean;
  /** `false` for none. @default { maxUnavailable: 1 } */
  readonly disruptionBudget?: DisruptionBudgetOptions | false;
  /**
   * Claims are kept when the StatefulSet is deleted or scaled down ("Retain"), so the data
   * outlives the workload: Terraform then refuses to delete a claim (prevent_destroy), so a
   * scale-down, a smaller size or a destroy stops at plan. "Delete" removes them (and, with a
   * Delete StorageClass, the volumes). Changing it later applies to the claims Terraform
   * manages, not to volumes the StorageClass's reclaim policy already governs.
   * @default "Retain"
   */
  readonly claimRetention?: "Retain" | "Delete";
  /**
   * A VerticalPodAutoscaler for the StatefulSet (needs the cluster's Vertical Pod Autoscaler).
   * `{}` recommends only (updateMode "Off"); an updating mode evicts or resizes replicas one at a
   * time within the disruption budget, and is refused with bounds outside the namespace's
   * LimitRange or where the namespace quota could refuse a resized pod.
   * @default - none
   */
  readonly verticalPodAutoscaler?: VerticalPodAutoscalerOptions;
}

export interface StatefulServiceProps extends StatefulServiceOptions {
  readonly namespace: INamespace;
}

/** EBS-backed StorageClass names on EKS (the in-tree gp2 default and the usual CSI names). */
const EBS_CLASS_NAMES = ["gp2", "gp3", "io1", "io2", "st1", "sc1", "gp3-encrypted", "auto-ebs-sc"];

/**
 * A StatefulSet with volume claim templates (one volume per replica), a headless Service for
 * stable pod DNS names (`<name>-0.<name>.<namespace>.svc.cluster.local`) and a PDB.
 */
export class StatefulService extends Workload {
  public readonly statefulSet: StatefulSetV1;
  public readonly service: ServiceV1;
  public readonly pdb?: PodDisruptionBudgetV1;
  public readonly serviceDnsName: string;
  public readonly servicePort: number;
  /** The headless Service's ports, with the container port behind each. */
  public readonly servicePorts: ResolvedServicePort[];
  /** The ClusterIP Service `<name>-client`, with clientService. */
  public readonly clientService?: ServiceV1;
  public readonly replicas: number;
  /** With verticalPodAutoscaler. */
  public readonly verticalPodAutoscaler?: VerticalPodAutoscaler;
  /**
   * The claims of every replica, by `<claim>-<ordinal>`, named as the StatefulSet names them
   * (`<claim>-<name>-<ordinal>`) so it adopts them instead of creating its own.
   */
  public readonly claims: Record<string, PersistentVolumeClaimV1> = {};

  constructor(scope: Construct, id: string, props: StatefulServiceProps) {
    super(scope, id, props, {
      kind: "StatefulService",
      component: "stateful-service",
      defaultReadiness: true,
      namesService: true,
      suffixedBy: "StatefulSet",
      reservedVolumes: (props.volumeClaims ?? []).map((c) => c.name),
      mainMounts: (props.volumeClaims ?? []).map((c, i) => ({
        field: `volumeClaims[${i}].mountPath`,
        path: c.mountPath,
      })),
      ebsVolumes: () =>
        (props.volumeClaims ?? [])
          .filter((c) =>
            typeof c.storageClass === "string" ? EBS_CLASS_NAMES.includes(c.storageClass) : c.storageClass.ebsBacked,
          )
          .map((c) => c.name),
    });
    const where = this.where;
    if (this.ports.length === 0) {
      fail(
        where,
        "ports",
        props.ports ?? [],
        "is empty, so the Service would route nowhere",
        'declare the port the app listens on, e.g. [{ name: "db", port: 5432 }]',
      );
    }
    const claims = props.volumeClaims ?? [];
    if (claims.length === 0) {
      fail(
        where,
        "volumeClaims",
        claims,
        "is empty: a StatefulService without storage keeps nothing",
        "add a claim, or use a WebService or Worker",
      );
    }
    claims.forEach((c, i) => {
      checkDnsLabel(where, `volumeClaims[${i}].name`, c.name, "volume name");
      if (c.size === undefined || c.size === "") {
        fail(
          where,
          `volumeClaims[${i}].size`,
          c.size ?? "",
          `is missing for claim ${show(c.name)}`,
          'give the volume size, e.g. "20Gi"',
        );
      }
      checkPositiveQuantity(where, `volumeClaims[${i}].size`, c.size, "volume");
      if (c.storageClass !== undefined) checkClaimSize(where, `volumeClaims[${i}].size`, c.size, c.storageClass);
      if (!isToken(c.mountPath) && (!c.mountPath?.startsWith("/") || c.mountPath === "/")) {
        fail(
          where,
          `volumeClaims[${i}].mountPath`,
          c.mountPath ?? "",
          "is not an absolute directory other than /",
          'give e.g. "/var/lib/data"',
        );
      }
      if (c.storageClass === undefined) {
        fail(
          where,
          `volumeClaims[${i}].storageClass`,
          undefined,
          "is missing",
          "pass a Gp3StorageClass (or the name of a StorageClass)",
        );
      }
      // The claims and the StatefulSet depend on the class's resource (depends_on): it must be
      // of this stack, and so of this stack's cluster.
      if (c.storageClass instanceof Gp3StorageClass)
        checkSameStack(this, where, `volumeClaims[${i}].storageClass`, c.storageClass, "StorageClass");
    });
    const dups = duplicatesOf(claims.map((c) => c.name));
    if (dups.length > 0)
      fail(where, "volumeClaims", dups, "are claim names used more than once", "name every claim once");
    this.replicas = props.replicas ?? 1;
    checkInteger(where, "replicas", this.replicas, 1, 100);
    checkLiteral(
      where,
      "replicas",
      this.replicas,
      "each replica's volume claim is declared at synth",
      "give the replica count as a number",
    );
    const claimRetention = props.claimRetention ?? "Retain";
    if (claimRetention !== "Retain" && claimRetention !== "Delete") {
      fail(where, "claimRetention", claimRetention, "is not a retention policy", 'use "Retain" or "Delete"');
    }

    this.servicePorts = this.resolveServicePorts("service.ports", props.service?.ports, false);
    this.checkServiceAnnotations("service.annotations", props.service?.annotations);
    this.servicePort = this.servicePorts[0].port;
    this.serviceDnsName = `${this.name}.${this.namespaceName}.svc.cluster.local`;
    this.service = new ServiceV1(this, "service", {
      metadata: {
        name: this.name,
        namespace: this.namespaceName,
        labels: this.objectLabels(),
        annotations: props.service?.annotations,
      },
      spec: {
        // Headless: DNS returns the pods themselves, each with a stable name.
        clusterIp: "None",
        selector: this.selectorLabels,
        port: this.renderServicePorts(this.servicePorts),
      },
    });
    if (props.clientService === true) {
      this.clientService = new ServiceV1(this, "client-service", {
        metadata: {
          name: `${this.name}-client`,
          namespace: this.namespaceName,
          labels: this.objectLabels(),
          annotations: props.service?.annotations,
        },
        spec: { type: "ClusterIP", selector: this.selectorLabels, port: this.renderServicePorts(this.servicePorts) },
      });
    }
    this.pdb = this.createPdb(props.disruptionBudget, this.replicas);

    const storageClassName = (c: VolumeClaim) =>
      typeof c.storageClass === "string" ? c.storageClass : c.storageClass.storageClassName;
    const storageClassResources = claims.flatMap((c) =>
      c.storageClass instanceof Gp3StorageClass ? [c.storageClass.resource] : [],
    );
    const claimSpec = (c: VolumeClaim) => ({
      accessModes: ["ReadWriteOnce"],
      storageClassName: storageClassName(c),
      resources: { requests: { storage: c.size } },
    });
    // Volume size changes expand in place. The provider's volume_claim_template is ForceNew
    // (kubernetes/schema_stateful_set_spec.go of hashicorp/terraform-provider-kubernetes v2.38.0,
    // the provider @cdktf/provider-kubernetes 12.1 wraps; and Kubernetes refuses updates of
    // volumeClaimTemplates anyway), so a new size there would replace the StatefulSet: with
    // claimRetention "Delete" its volumes go with it, with "Retain" the new StatefulSet adopts
    // the old, unexpanded claims. Instead each replica's claim is a resource of its own, named as
    // the StatefulSet names them (<claim>-<statefulset>-<ordinal>) so the StatefulSet adopts it,
    // and the template's later changes are ignored. kubernetes_persistent_volume_claim_v1 updates
    // spec.resources.requests in place when it grows (its CustomizeDiff forces a new claim only
    // when it shrinks; resource_kubernetes_persistent_volume_claim_v1.go, same tag, read 2026-12).
    // With "Retain" a claim is never deleted by Terraform (prevent_destroy): a scale-down, a
    // smaller size or a destroy stops at plan instead of deleting data.
    for (let ordinal = 0; ordinal < this.replicas; ordinal++) {
      for (const c of claims) {
        this.claims[`${c.name}-${ordinal}`] = new PersistentVolumeClaimV1(this, `claim-${c.name}-${ordinal}`, {
          metadata: {
            name: `${c.name}-${this.name}-${ordinal}`,
            namespace: this.namespaceName,
            labels: this.objectLabels(),
          },
          spec: claimSpec(c),
          // WaitForFirstConsumer: a claim binds only once the StatefulSet's pod uses it.
          waitUntilBound: false,
          lifecycle: claimRetention === "Retain" ? { preventDestroy: true } : undefined,
          dependsOn: storageClassResources,
        });
      }
    }
    let placementChecked = false;
    addSynthCheck(this, () => {
      if (placementChecked) return;
      placementChecked = true;
      this.checkZonalPlacement(props);
    });

    this.statefulSet = new (statefulSetV1())(this, "stateful-set", {
      metadata: { name: this.name, namespace: this.namespaceName, labels: this.objectLabels() },
      spec: {
        serviceName: this.name,
        replicas: String(this.replicas),
        revisionHistoryLimit: 10,
        podManagementPolicy: "OrderedReady",
        selector: { matchLabels: this.selectorLabels },
        updateStrategy: [{ type: "RollingUpdate" }],
        persistentVolumeClaimRetentionPolicy: [{ whenDeleted: claimRetention, whenScaled: claimRetention }],
        template: this.podTemplate({
          mounts: claims.map((c) => ({ name: c.name, mountPath: c.mountPath })),
          // The claims are writable by the non-root user: podSecurityContext.fsGroup overrides.
          fsGroup: props.podSecurityContext?.runAsUser ?? props.securityContext?.runAsUser,
        }),
        // What a replica added later by hand (kubectl scale) gets; the claims above are the ones in use.
        volumeClaimTemplate: claims.map((c) => ({
          metadata: { name: c.name, labels: this.objectLabels() },
          spec: claimSpec(c),
        })),
      },
      lifecycle: { ignoreChanges: ["spec[0].volume_claim_template"] },
      dependsOn: [
        this.serviceAccount,
        this.service,
        ...(this.configMap ? [this.configMap] : []),
        ...this.podDependencies,
        ...storageClassResources,
        ...Object.values(this.claims),
      ],
    });

    if (props.verticalPodAutoscaler !== undefined) {
      this.verticalPodAutoscaler = addWorkloadVpa(this, props.verticalPodAutoscaler, {
        where,
        namespace: this.namespace,
        target: { kind: "StatefulSet", name: this.name },
        hpaMetrics: [],
        // A rolling update replaces one replica at a time: no surge.
        maxPods: this.replicas,
        containers: [
          { name: this.containerName, resources: props.resources },
          ...(props.containers ?? []).map((c) => ({ name: c.name, resources: c.resources })),
        ],
      });
    }
  }

  /**
   * EBS volumes live in one Availability Zone. When a node is lost, the replica bound to a volume
   * can only run in that AZ, and the Cluster Autoscaler brings a node back only from a group it
   * knows can place one there: a group spanning several AZs is modelled by one template node in
   * one AZ, so the pod can stay Pending. AWS's Cluster Autoscaler guide: "If you're using
   * Persistent Volumes, your deployment needs to run in the same AZ as where the EBS volume is
   * ... use a single AZ ASG for this use case, or an ASG-per-AZ while enabling
   * --balance-similar-node-groups" (kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/
   * README.md, "Common Notes and Gotchas", read 2026-12). Refused at synth when the pods can land
   * on an autoscaled group spanning AZs that no single-AZ autoscaled group covers. Auto Mode
   * (Karpenter) provisions nodes in the volume's AZ; node groups not declared here (an adopted
   * cluster's) are unknown and not checked.
   */
  private checkZonalPlacement(props: StatefulServiceProps): void {
    const cluster = this.namespace.cluster;
    const ebs = this.settings.ebsVolumes?.() ?? [];
    if (cluster.computeMode === "auto" || ebs.length === 0) return;
    if (this.namespace.fargateProfileFor(this.podLabels)) return; // refused by the Fargate check
    // The pods tolerate no taints: only groups without NoSchedule / NoExecute taints take them.
    const eligible = nodeGroupsOf(cluster).filter((g) =>
      g.taints.every((t) => tolerationOf(t).effect === "PreferNoSchedule"),
    );
    const zonesOf = (g: (typeof eligible)[number]) => [...new Set(g.subnets.map((s) => s.availabilityZone))];
    const known = eligible.filter((g) => !zonesOf(g).some((az) => isToken(az)));
    const autoscaled = known.filter((g) => g.scaling.mode === "autoscaled");
    const covered = new Set(autoscaled.filter((g) => zonesOf(g).length === 1).map((g) => zonesOf(g)[0]));
    const unsafe = autoscaled.find((g) => zonesOf(g).length > 1 && zonesOf(g).some((az) => !covered.has(az)));
    if (!unsafe) return;
    const zones = zonesOf(unsafe);
    fail(
      this.where,
      "volumeClaims",
      props.volumeClaims.filter((c) => ebs.includes(c.name)).map((c) => c.name),
      `are EBS volumes (bound to one Availability Zone), and the pods can run on ManagedNodeGroup '${unsafe.node.id}', which is autoscaled across ${zones.join(", ")}: after a node loss the Cluster Autoscaler may not bring a node back in the volume's AZ and the replica stays Pending`,
      `give the cluster one autoscaled node group per AZ (availabilityZones: ["${zones[0]}"], one group each for ${zones.join(", ")}; the Cluster Autoscaler keeps them balanced), or keep a fixed-size group for these pods`,
    );
  }
}
