import { WorkloadOptions } from "./workload";

/** What a Job and each run of a CronJob share. */
export interface JobRunOptions extends WorkloadOptions {
  /** Retries before the run counts as failed. @default 3 */
  readonly backoffLimit?: number;
  /** A run still going after this long is stopped (a stuck run doesn't bill forever). @default 3600 */
  readonly activeDeadlineSeconds?: number;
  /**
   * Finished runs (and their pods and logs) are deleted after this long. On a Job it gets a
   * warning at synth: Terraform re-creates (and so re-runs) a Job the TTL controller deleted.
   * @default - CronJob: 86400 (one day). Job: none, because Terraform would re-create (and so
   *   re-run) a Job the TTL controller deleted
   */
  readonly ttlSecondsAfterFinished?: number;
  /** "Never" keeps each failed pod for its logs; "OnFailure" restarts in place. @default "Never" */
  readonly restartPolicy?: "Never" | "OnFailure";
}

/** Defaults of Job and CronJob (pinned by the defaults tests). */
export const JOB_DEFAULTS = {
  backoffLimit: 3,
  activeDeadlineSeconds: 3600,
  ttlSecondsAfterFinished: 86400,
  restartPolicy: "Never",
  concurrencyPolicy: "Forbid",
  startingDeadlineSeconds: 300,
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 3,
} as const;
