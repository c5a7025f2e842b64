import { Fn, Lazy, Token } from "cdktf";
import { Construct } from "constructs";
import {
  DeploymentV1,
  DeploymentV1SpecTemplate,
  DeploymentV1SpecTemplateSpecContainer,
  deploymentV1SpecTemplateSpecContainerLifecycleToTerraform,
} from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { checkInteger, fail, isToken } from "../private/validation";
import type { DeploymentWorkloadOptions } from "./deployment-options";
import { DRAIN_DEFAULTS, ResolvedDrain } from "./load-balancer-drain";
import { loadBalancingOf } from "./load-balancing";
import type { INamespace } from "./namespace";
import type { VerticalPodAutoscaler, VpaResource } from "./vertical-pod-autoscaler";
import { Workload, WorkloadSettings } from "./workload";
import { addWorkloadVpa } from "./workload-vpa";

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
  /** The rollout settings as rendered (count or percentage strings). */
  public readonly maxSurge: string;
  public readonly maxUnavailable: string;
  /** With verticalPodAutoscaler. */
  public readonly verticalPodAutoscaler?: VerticalPodAutoscaler;
  /**
   * How the pods leave a load balancer (preStop wait, grace period): set by WebService when it
   * is exposed through one, read when the stack is synthesized.
   */
  protected loadBalancerDrain?: ResolvedDrain;

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
      // A minReplicas only known at apply (a variable) raises the default maximum at apply, not here.
      this.maxReplicas =
        a.maxReplicas ??
        (isToken(this.replicas)
          ? Token.asNumber(Fn.max([d.maxReplicas, this.replicas]))
          : Math.max(d.maxReplicas, this.replicas));
      checkInteger(where, "autoscaling.minReplicas", this.replicas, 1, 1000);
      checkInteger(where, "autoscaling.maxReplicas", this.maxReplicas, 1, 1000);
      if (!isToken(this.replicas) && !isToken(this.maxReplicas) && this.replicas > this.maxReplicas) {
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

    let hpaMetrics: VpaResource[] = [];
    if (this.hpa) {
      const a = props.autoscaling || {};
      hpaMetrics = [
        ...(a.cpuUtilization === false ? [] : ["cpu" as const]),
        ...(a.memoryUtilization === false ? [] : ["memory" as const]),
      ];
    }

    const rollout = props.rollout ?? {};
    const maxSurge = String(rollout.maxSurge ?? d.maxSurge);
    const maxUnavailable = String(rollout.maxUnavailable ?? d.maxUnavailable);
    // The API server caps only maxUnavailable at 100 %; maxSurge may exceed it ("200%" triples the
    // pods for the rollout). kubernetes/kubernetes pkg/apis/apps/validation/validation.go,
    // ValidateRollingUpdateDeployment: IsNotMoreThan100Percent(maxUnavailable) only.
    if (!isToken(maxSurge) && !/^\d+%?$/.test(maxSurge)) {
      fail(where, "rollout.maxSurge", maxSurge, "is not a count or a percentage", 'give a number or "NN%", e.g. "25%"');
    }
    if (!isToken(maxUnavailable) && !/^(\d+|(100|[1-9]?[0-9])%)$/.test(maxUnavailable)) {
      fail(
        where,
        "rollout.maxUnavailable",
        maxUnavailable,
        "is not a count or a percentage up to 100%",
        'give a number or "NN%" up to "100%", e.g. "25%"',
      );
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
    this.maxSurge = maxSurge;
    this.maxUnavailable = maxUnavailable;
    const revisionHistoryLimit = rollout.revisionHistoryLimit ?? d.revisionHistoryLimit;
    // 0 is valid (ValidateNonnegativeField): no old ReplicaSet kept, so no `kubectl rollout undo`.
    checkInteger(where, "rollout.revisionHistoryLimit", revisionHistoryLimit, 0, 100);

    this.pdb = this.createPdb(props.disruptionBudget, this.replicas);

    if (props.verticalPodAutoscaler !== undefined) {
      const surge = /^(\d+)%$/.exec(maxSurge);
      const extra = surge ? Math.ceil((Number(surge[1]) / 100) * this.maxReplicas) : Number(maxSurge);
      this.verticalPodAutoscaler = addWorkloadVpa(this, props.verticalPodAutoscaler, {
        where,
        namespace: this.namespace,
        target: { kind: "Deployment", name: this.name },
        hpaMetrics,
        // Unknown at synth when the maximum is (a token): the VPA checks then skip the pod count.
        maxPods: isToken(this.maxReplicas) ? this.maxReplicas : this.maxReplicas + (Number.isNaN(extra) ? 0 : extra),
        containers: [
          { name: this.containerName, resources: props.resources },
          ...(props.containers ?? []).map((c) => ({ name: c.name, resources: c.resources })),
        ],
      });
    }

    // Drain settings are known when the stack is synthesized: WebService sets them when exposed,
    // and whether the load balancing injects readiness gates is read then.
    const base = this.podTemplate();
    const drain = () => this.loadBalancerDrain;
    const [main, ...others] = base.spec.container as DeploymentV1SpecTemplateSpecContainer[];
    const container: DeploymentV1SpecTemplateSpecContainer[] = [
      {
        ...main,
        lifecycle: Lazy.anyValue({
          produce: () => {
            const d = drain();
            if (d === undefined) return undefined;
            const preStop =
              d.preStop === "exec-sleep"
                ? { exec: { command: ["sleep", String(d.preStopSeconds)] } }
                : { httpGet: { path: d.preStop.httpGet.path, port: String(d.preStop.httpGet.port) } };
            // The provider's own mapping: the token resolves to the block as Terraform expects it.
            return deploymentV1SpecTemplateSpecContainerLifecycleToTerraform({ preStop: [preStop] }) as unknown;
          },
        }) as DeploymentV1SpecTemplateSpecContainer["lifecycle"],
      },
      ...others,
    ];
    const declaredGrace = props.terminationGracePeriodSeconds;
    const template: DeploymentV1SpecTemplate = {
      ...base,
      spec: {
        ...base.spec,
        container,
        terminationGracePeriodSeconds: Lazy.numberValue({
          produce: () => drain()?.terminationGracePeriodSeconds ?? declaredGrace,
        }),
      },
    };

    this.deployment = new DeploymentV1(this, "deployment", {
      metadata: { name: this.name, namespace: this.namespaceName, labels: this.objectLabels() },
      spec: {
        // With an HPA, the replica count is the HPA's: Terraform sets the minimum at creation
        // and then ignores it (lifecycle below), so an apply never scales a busy service down.
        replicas: String(this.replicas),
        revisionHistoryLimit,
        selector: { matchLabels: this.selectorLabels },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge, maxUnavailable } },
        // Without readiness gates (Auto Mode), a new pod counts as available only after it has
        // been ready long enough to be registered and healthy in the target group.
        minReadySeconds: Lazy.numberValue({
          produce: () =>
            drain() !== undefined && loadBalancingOf(this)?.podReadinessGates !== true
              ? DRAIN_DEFAULTS.minReadySecondsWithoutGates
              : undefined,
        }),
        template,
      },
      dependsOn: [this.serviceAccount, ...(this.configMap ? [this.configMap] : []), ...this.podDependencies],
      lifecycle: this.autoscaled ? { ignoreChanges: ["spec[0].replicas"] } : undefined,
    });
  }
}
