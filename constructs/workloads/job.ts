import { Construct } from "constructs";
import type { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { jobV1 } from "../private/pod-controllers";
import { checkInteger } from "../private/validation";
import { JOB_DEFAULTS, JobRunOptions } from "./job-options";
import { resolveJobRun } from "./job-run";
import { INamespace } from "./namespace";
import { Workload } from "./workload";

export interface JobOptions extends JobRunOptions {
  /** Successful pods needed. @default 1 */
  readonly completions?: number;
  /** Pods running at once. @default 1 */
  readonly parallelism?: number;
  /**
   * Make `cdktf deploy` wait until the Job finishes (e.g. a migration before the app). A
   * failing Job then fails the deploy.
   * @default false
   */
  readonly waitForCompletion?: boolean;
}

export interface JobProps extends JobOptions {
  readonly namespace: INamespace;
}

/** A one-off Job with the secure pod template of every workload; may run on Fargate. */
export class Job extends Workload {
  public readonly job: JobV1;

  constructor(scope: Construct, id: string, props: JobProps) {
    super(scope, id, props, {
      kind: "Job",
      component: "job",
      defaultReadiness: false,
      restartPolicy: props.restartPolicy ?? JOB_DEFAULTS.restartPolicy,
    });
    const run = resolveJobRun(this.where, props, undefined);
    const completions = props.completions ?? 1;
    const parallelism = props.parallelism ?? 1;
    checkInteger(this.where, "completions", completions, 1, 10000);
    checkInteger(this.where, "parallelism", parallelism, 1, 10000);
    this.job = new (jobV1())(this, "job", {
      metadata: { name: this.name, namespace: this.namespaceName, labels: this.objectLabels() },
      spec: {
        backoffLimit: run.backoffLimit,
        activeDeadlineSeconds: run.activeDeadlineSeconds,
        ttlSecondsAfterFinished:
          run.ttlSecondsAfterFinished !== undefined ? String(run.ttlSecondsAfterFinished) : undefined,
        completions,
        parallelism,
        template: this.podTemplate({ topologySpread: false }),
      },
      waitForCompletion: props.waitForCompletion ?? false,
      dependsOn: [this.serviceAccount, ...(this.configMap ? [this.configMap] : []), ...this.podDependencies],
    });
  }
}
