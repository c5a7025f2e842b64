import { checkInteger, fail } from "../private/validation";
import type { JobRunOptions } from "./job-options";
import { JOB_DEFAULTS } from "./job-options";

// Not exported from the index: the run settings Job and CronJob share.

/** The validated run settings of a Job or a CronJob's job template. */
export function resolveJobRun(where: string, o: JobRunOptions, defaultTtl: number | undefined) {
  const backoffLimit = o.backoffLimit ?? JOB_DEFAULTS.backoffLimit;
  const activeDeadlineSeconds = o.activeDeadlineSeconds ?? JOB_DEFAULTS.activeDeadlineSeconds;
  const ttlSecondsAfterFinished = o.ttlSecondsAfterFinished ?? defaultTtl;
  const restartPolicy = o.restartPolicy ?? JOB_DEFAULTS.restartPolicy;
  checkInteger(where, "backoffLimit", backoffLimit, 0, 100);
  checkInteger(where, "activeDeadlineSeconds", activeDeadlineSeconds, 1, 7 * 86400);
  if (ttlSecondsAfterFinished !== undefined)
    checkInteger(where, "ttlSecondsAfterFinished", ttlSecondsAfterFinished, 0, 30 * 86400);
  if (restartPolicy !== "Never" && restartPolicy !== "OnFailure") {
    fail(where, "restartPolicy", restartPolicy, "is not a restart policy for jobs", 'use "Never" or "OnFailure"');
  }
  return { backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished, restartPolicy };
}
