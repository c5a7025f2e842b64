import { Construct } from "constructs";
import type { CronJobV1 } from "@cdktf/provider-kubernetes/lib/cron-job-v1";
import { cronJobV1 } from "../private/pod-controllers";
import { checkSchedule, checkTimeZone, neverFiresReason } from "../private/cron";
import { warn } from "../private/context";
import { checkInteger, fail, isToken, show } from "../private/validation";
import { JOB_DEFAULTS, JobRunOptions } from "./job-options";
import { resolveJobRun } from "./job-run";
import { INamespace } from "./namespace";
import { Workload } from "./workload";

export type ConcurrencyPolicy = "Forbid" | "Allow" | "Replace";

export interface CronJobOptions extends JobRunOptions {
  /**
   * 5-field cron ("30 2 * * MON-FRI", "*\/15 * * * *": day of week 0-6 or SUN-SAT), a macro
   * ("@daily"), or "@every <Go duration>" ("@every 1h30m"), as Kubernetes parses it. A schedule
   * that can never fire ("0 0 30 2 *") gets a warning at synth.
   */
  readonly schedule: string;
  /**
   * IANA time zone of the schedule, case-sensitive as in the tz database ("America/New_York").
   * @default - the controller's (UTC on EKS)
   */
  readonly timeZone?: string;
  /** What to do when a run is due while the previous one still runs. @default "Forbid" (skip it) */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /** A run that couldn't start within this many seconds of its time is skipped. @default 300 */
  readonly startingDeadlineSeconds?: number;
  /** @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** @default 3 */
  readonly failedJobsHistoryLimit?: number;
  /** @default false */
  readonly suspend?: boolean;
}

export interface CronJobProps extends CronJobOptions {
  readonly namespace: INamespace;
}

const POLICIES: readonly ConcurrencyPolicy[] = ["Forbid", "Allow", "Replace"];

/**
 * A CronJob with the secure pod template of every workload. It may run in a Fargate profile's
 * namespace (one micro-VM per run, nothing idle in between); then AWS access uses IRSA, since
 * Fargate runs no Pod Identity agent.
 */
export class CronJob extends Workload {
  public readonly cronJob: CronJobV1;
  public readonly schedule: string;

  constructor(scope: Construct, id: string, props: CronJobProps) {
    super(scope, id, props, {
      kind: "CronJob",
      component: "cron-job",
      suffixedBy: "CronJob",
      defaultReadiness: false,
      restartPolicy: props.restartPolicy ?? JOB_DEFAULTS.restartPolicy,
    });
    const where = this.where;
    checkSchedule(where, "schedule", props.schedule);
    const never = isToken(props.schedule) ? undefined : neverFiresReason(props.schedule);
    if (never !== undefined) {
      // The API server accepts it (it parses), and the controller then never creates a Job.
      warn(
        this,
        where,
        `schedule ${show(props.schedule)} can never fire: ${never}; pick days that exist in the named months (February has 28 or 29 days; April, June, September and November 30)`,
      );
    }
    if (props.timeZone !== undefined) checkTimeZone(where, "timeZone", props.timeZone);
    const concurrencyPolicy = props.concurrencyPolicy ?? JOB_DEFAULTS.concurrencyPolicy;
    if (!POLICIES.includes(concurrencyPolicy)) {
      fail(
        where,
        "concurrencyPolicy",
        concurrencyPolicy,
        "is not a concurrency policy",
        `use one of ${POLICIES.join(", ")}`,
      );
    }
    const startingDeadlineSeconds = props.startingDeadlineSeconds ?? JOB_DEFAULTS.startingDeadlineSeconds;
    checkInteger(where, "startingDeadlineSeconds", startingDeadlineSeconds, 10, 86400);
    const successful = props.successfulJobsHistoryLimit ?? JOB_DEFAULTS.successfulJobsHistoryLimit;
    const failed = props.failedJobsHistoryLimit ?? JOB_DEFAULTS.failedJobsHistoryLimit;
    checkInteger(where, "successfulJobsHistoryLimit", successful, 0, 100);
    checkInteger(where, "failedJobsHistoryLimit", failed, 0, 100);
    const run = resolveJobRun(where, props, JOB_DEFAULTS.ttlSecondsAfterFinished);
    this.schedule = props.schedule;

    this.cronJob = new (cronJobV1())(this, "cron-job", {
      metadata: { name: this.name, namespace: this.namespaceName, labels: this.objectLabels() },
      spec: {
        schedule: props.schedule,
        timezone: props.timeZone,
        concurrencyPolicy,
        startingDeadlineSeconds,
        successfulJobsHistoryLimit: successful,
        failedJobsHistoryLimit: failed,
        suspend: props.suspend ?? false,
        jobTemplate: {
          metadata: { labels: this.objectLabels() },
          spec: {
            backoffLimit: run.backoffLimit,
            activeDeadlineSeconds: run.activeDeadlineSeconds,
            ttlSecondsAfterFinished: String(run.ttlSecondsAfterFinished),
            template: this.podTemplate({ topologySpread: false }),
          },
        },
      },
      dependsOn: [this.serviceAccount, ...(this.configMap ? [this.configMap] : []), ...this.podDependencies],
    });
  }
}
