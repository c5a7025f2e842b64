/**
 * The provider classes of the pod controllers a workload construct creates, other than the
 * Deployment, loaded when a construct first needs one rather than when the library is imported.
 *
 * Each of @cdktf/provider-kubernetes's pod-template resources is about 5 MB of generated code
 * (its pod spec's structs), and loading one takes about a tenth of a second even from V8's code
 * cache. `import { WebService } from "eks-platform/constructs"` loads every area's index, so an
 * app with only web services loaded the CronJob, Job, StatefulSet and DaemonSet classes too:
 * about 20 MB and a third of a second of a consumer app's synth (node --cpu-prof, see
 * docs/performance.md). The types are imported as types (erased at compile time); the classes are
 * required here, by the same deep path, on first use, and cached by Node's module cache.
 */
import type * as CronJobV1Module from "@cdktf/provider-kubernetes/lib/cron-job-v1";
import type * as DaemonSetV1Module from "@cdktf/provider-kubernetes/lib/daemon-set-v1";
import type * as JobV1Module from "@cdktf/provider-kubernetes/lib/job-v1";
import type * as StatefulSetV1Module from "@cdktf/provider-kubernetes/lib/stateful-set-v1";

/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, on purpose (above) */
export const cronJobV1 = (): typeof CronJobV1Module.CronJobV1 =>
  (require("@cdktf/provider-kubernetes/lib/cron-job-v1") as typeof CronJobV1Module).CronJobV1;
export const daemonSetV1 = (): typeof DaemonSetV1Module.DaemonSetV1 =>
  (require("@cdktf/provider-kubernetes/lib/daemon-set-v1") as typeof DaemonSetV1Module).DaemonSetV1;
export const jobV1 = (): typeof JobV1Module.JobV1 =>
  (require("@cdktf/provider-kubernetes/lib/job-v1") as typeof JobV1Module).JobV1;
export const statefulSetV1 = (): typeof StatefulSetV1Module.StatefulSetV1 =>
  (require("@cdktf/provider-kubernetes/lib/stateful-set-v1") as typeof StatefulSetV1Module).StatefulSetV1;
/* eslint-enable @typescript-eslint/no-require-imports */
