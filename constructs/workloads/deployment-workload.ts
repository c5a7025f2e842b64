import { Construct } from "constructs";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { checkInteger, fail, isToken } from "../private/validation";
import type { DeploymentWorkloadOptions } from "./deployment-options";
import type { INamespace } from "./namespace";
import { Workload, WorkloadSettings } from "./workload";

/** Defaults of every Deployment-based workload (pinned by the defaults tests). */
export const DEPLOYMENT_DEFAULTS = {
  minReplicas: 2,
  maxReplicas: 10,
  cpuUtilization: 70,
  memoryUtilization: 80,
  replicas: 2,
  maxSurge: "25%",
  maxUnavailable: "0",
  revisionHistoryLimit: 10,
} as const;

/** A Deployment with its ServiceAccount, HPA and PDB: the public base of WebService and Worker. */
export abstract class DeploymentWorkload extends Workload {
  public readonly deployment: DeploymentV1;
  public readonly hpa?: HorizontalPodAutoscalerV2;
  public readonly pdb?: PodDisruptionBudgetV1;
  /** The fixed replica count, or with autoscaling the autoscaler's minimum (the count at creation). */
  public readonly replicas: number;
  /** The autoscaler's maximum (= replicas without autoscaling). */
  public readonly maxReplicas: number;
  public readonly autoscaled: boolean;

  constructor(
    scope: Construct,
    id: string,
    props: DeploymentWorkloadOptions & { namespace: INamespace },
    settings: WorkloadSettings,
  ) {
    super(scope, id, props, settings);
    const where = this.where;
    const d = DEPLOYMENT_DEFAULTS;
    if (props.autoscaling !== false && props.replicas !== undefined) {
      fail(
        where,
        "replicas",
        props.replicas,
        "is set while the HorizontalPodAutoscaler owns the replica count",
        "set autoscaling.minReplicas/maxReplicas instead, or autoscaling: false for a fixed count",
      );
    }
    this.autoscaled = props.autoscaling !== false;
    if (props.autoscaling !== false) {
      const a = props.autoscaling ?? {};
      this.replicas = a.minReplicas ?? d.minReplicas;
      this.maxReplicas = a.maxReplicas ?? Math.max(d.maxReplicas, this.replicas);
      checkInteger(where, "autoscaling.minReplicas", this.replicas, 1, 1000);
      checkInteger(where, "autoscaling.maxReplicas", this.maxReplicas, 1, 1000);
      if (this.replicas > this.maxReplicas) {
        fail(
          where,
          "autoscaling.minReplicas",
          this.replicas,
          `exceeds maxReplicas (${this.maxReplicas})`,
          "raise maxReplicas or lower minReplicas",
        );
      }
      const cpu =
        a.cpuUtilization === undefined ? d.cpuUtilization : a.cpuUtilization === false ? undefined : a.cpuUtilization;
      const memory =
        a.memoryUtilization === undefined
          ? d.memoryUtilization
          : a.memoryUtilization === false
            ? undefined
            : a.memoryUtilization;
      for (const [field, v] of [
        ["cpuUtilization", cpu],
        ["memoryUtilization", memory],
      ] as const) {
        if (v !== undefined && !isToken(v) && (!Number.isInteger(v) || v < 1 || v > 100)) {
          fail(
            where,
            `autoscaling.${field}`,
            v,
            "is not a utilization target",
            "use a whole percentage of the requests from 1 to 100",
          );
        }
      }
      if (cpu === undefined && memory === undefined) {
        fail(
          where,
          "autoscaling",
          a,
          "has no target (cpuUtilization and memoryUtilization both false)",
          "keep at least one target, or set autoscaling: false",
        );
      }
      this.hpa = this.createHpa("Deployment", this.name, {
        minReplicas: this.replicas,
        maxReplicas: this.maxReplicas,
        cpuUtilization: cpu,
        memoryUtilization: memory,
      });
    } else {
      this.replicas = props.replicas ?? d.replicas;
      this.maxReplicas = this.replicas;
      checkInteger(where, "replicas", this.replicas, 0, 1000);
    }

    const rollout = props.rollout ?? {};
    const maxSurge = String(rollout.maxSurge ?? d.maxSurge);
    const maxUnavailable = String(rollout.maxUnavailable ?? d.maxUnavailable);
    for (const [field, v] of [
      ["maxSurge", maxSurge],
      ["maxUnavailable", maxUnavailable],
    ] as const) {
      if (!isToken(v) && !/^(\d+|(100|[1-9]?[0-9])%)$/.test(v)) {
        fail(where, `rollout.${field}`, v, "is not a count or a percentage", 'give a number or "NN%", e.g. "25%"');
      }
    }
    if (/^0%?$/.test(maxSurge) && /^0%?$/.test(maxUnavailable)) {
      fail(
        where,
        "rollout",
        { maxSurge, maxUnavailable },
        "can never make progress (both zero)",
        'allow a surge, e.g. maxSurge: "25%"',
      );
    }
    const revisionHistoryLimit = rollout.revisionHistoryLimit ?? d.revisionHistoryLimit;
    checkInteger(where, "rollout.revisionHistoryLimit", revisionHistoryLimit, 1, 100);

    this.pdb = this.createPdb(props.disruptionBudget, this.replicas);

    this.deployment = new DeploymentV1(this, "deployment", {
      metadata: { name: this.name, namespace: this.namespaceName, labels: this.objectLabels() },
      spec: {
        // With an HPA, the replica count is the HPA's: Terraform sets the minimum at creation
        // and then ignores it (lifecycle below), so an apply never scales a busy service down.
        replicas: String(this.replicas),
        revisionHistoryLimit,
        selector: { matchLabels: this.selectorLabels },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge, maxUnavailable } },
        template: this.podTemplate(),
      },
      dependsOn: [this.serviceAccount, ...(this.configMap ? [this.configMap] : []), ...this.podDependencies],
      lifecycle: this.autoscaled ? { ignoreChanges: ["spec[0].replicas"] } : undefined,
    });
  }
}
