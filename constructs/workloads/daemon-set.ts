import { Construct } from "constructs";
import type { DaemonSetV1 } from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import { daemonSetV1 } from "../private/pod-controllers";
import { checkInteger, fail, isToken } from "../private/validation";
import { INamespace } from "./namespace";
import { Workload, WorkloadOptions } from "./workload";

/** Defaults of DaemonSet (pinned by the defaults tests). */
export const DAEMON_SET_DEFAULTS = {
  maxUnavailable: "1",
  revisionHistoryLimit: 10,
} as const;

export interface DaemonSetOptions extends WorkloadOptions {
  /**
   * Tolerate every taint, so the agent runs on every node, tainted ones (GPU, dedicated pools)
   * included. Off by default: a tainted pool is somebody's decision to keep pods away.
   * @default false (only nodes without NoSchedule / NoExecute taints)
   */
  readonly runOnAllNodes?: boolean;
  /**
   * Nodes whose agent may be down at once during a rollout (count or percentage). A DaemonSet
   * can't surge on a node without a second copy of the agent, so it rolls by taking nodes out.
   * @default 1
   */
  readonly maxUnavailable?: number | string;
  /** Old revisions kept for `kubectl rollout undo`. @default 10 */
  readonly revisionHistoryLimit?: number;
}

export interface DaemonSetProps extends DaemonSetOptions {
  readonly namespace: INamespace;
}

/**
 * One pod per node (log and metrics shippers, node agents) with the secure pod template of
 * every workload. No HPA, no PDB (one pod per node is the point) and no topology spread. Host
 * paths (Volume.hostPath) need a "privileged" namespace and a reason. Fargate runs no DaemonSets.
 */
export class DaemonSet extends Workload {
  public readonly daemonSet: DaemonSetV1;

  constructor(scope: Construct, id: string, props: DaemonSetProps) {
    super(scope, id, props, { kind: "DaemonSet", component: "daemon-set", defaultReadiness: true, daemon: true });
    const where = this.where;
    const maxUnavailable = String(props.maxUnavailable ?? DAEMON_SET_DEFAULTS.maxUnavailable);
    if (!isToken(maxUnavailable) && !/^([1-9]\d*|([1-9]\d?|100)%)$/.test(maxUnavailable)) {
      fail(
        where,
        "maxUnavailable",
        props.maxUnavailable,
        "is not a positive count or percentage (0 would never roll out)",
        'give e.g. 1 or "10%"',
      );
    }
    const revisionHistoryLimit = props.revisionHistoryLimit ?? DAEMON_SET_DEFAULTS.revisionHistoryLimit;
    checkInteger(where, "revisionHistoryLimit", revisionHistoryLimit, 1, 100);
    this.daemonSet = new (daemonSetV1())(this, "daemon-set", {
      metadata: { name: this.name, namespace: this.namespaceName, labels: this.objectLabels() },
      spec: {
        selector: { matchLabels: this.selectorLabels },
        revisionHistoryLimit,
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable } },
        template: this.podTemplate({
          topologySpread: false,
          // operator Exists with no key tolerates every taint.
          tolerations: props.runOnAllNodes === true ? [{ operator: "Exists" }] : undefined,
        }),
      },
      dependsOn: [this.serviceAccount, ...(this.configMap ? [this.configMap] : []), ...this.podDependencies],
    });
  }
}
