import { Construct } from "constructs";
import type { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { jobV1 } from "../private/pod-controllers";
import { warn } from "../private/context";
import { checkInteger, isToken } from "../private/validation";
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
    if (run.ttlSecondsAfterFinished !== undefined) {
      // The kubernetes provider's job resource (resource_kubernetes_job_v1.go, Read) clears a Job
      // it can't find from the state, so after the TTL controller deletes the finished Job the
      // next plan creates it again and it runs again (hashicorp/terraform-provider-kubernetes
      // issue #2531, open). Kubernetes and Terraform accept it, and a Job meant to run on every
      // deploy (a smoke test) is a real use: a warning, not an error.
      const after = isToken(run.ttlSecondsAfterFinished) ? "its TTL" : `${run.ttlSecondsAfterFinished} s`;
      warn(
        this,
        this.where,
        `ttlSecondsAfterFinished deletes the finished Job after ${after}; Terraform then finds it gone, and the next deploy creates the Job again and runs it again; remove ttlSecondsAfterFinished to run it once per change (the finished Job stays, with its pods' logs), or keep it knowingly for a Job meant to run on every deploy (a CronJob deletes its runs safely)`,
      );
    }
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
