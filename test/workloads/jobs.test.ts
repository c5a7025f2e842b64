import { CronJob, Job, Namespace } from "../../constructs/workloads";
import { cronProblem } from "../../constructs/private/cron";
import { FargateProfile } from "../../constructs/eks/fargate-profile";
import { warningsOf } from "../fixtures";
import { IMAGE, RESOURCES, setup, synthWith, testCluster, workloadStack } from "./fixtures";

const base = { image: IMAGE, resources: RESOURCES };

describe("cron schedules", () => {
  it.each([
    "*/15 * * * *",
    "0 2 * * MON-FRI",
    "30 2 1,15 JAN,JUL *",
    "0 0 * * 0",
    "0-30/5 8-18 * * 1-5",
    "0 0 ? * sun",
    "@hourly",
    "@daily",
    "@midnight",
    "@weekly",
    "@monthly",
    "@yearly",
    "@annually",
    // Over-strict before (issue 17): robfig/cron v3 takes these, so the API server does.
    "@every 5m",
    "@every 1h30m",
    "1,,2 * * * *",
    "? * * * *",
  ])("accepts %s", (schedule) => {
    expect(cronProblem(schedule)).toBeUndefined();
  });

  it.each([
    ["0 0 * *", "has 4 field(s), not 5 (minute hour day-of-month month day-of-week)"],
    ["60 * * * *", 'has an invalid minute field "60": "60" is not 0-59'],
    ["0 0 32 * *", 'has an invalid day of month field "32": "32" is not 1-31'],
    ["0 0 * 13 *", 'has an invalid month field "13": "13" is not 1-12 or JAN-DEC'],
    ["0 0 * * MON-XYZ", 'has an invalid day of week field "MON-XYZ": "XYZ" is not 0-6 or SUN-SAT'],
    ["0 0 * * 7", 'has an invalid day of week field "7": "7" is not 0-6 or SUN-SAT (Sunday is 0 or SUN)'],
    ["5-1 * * * *", 'has an invalid minute field "5-1": range "5-1" runs backwards'],
    ["*/0 * * * *", 'has an invalid minute field "*/0": step "0" is not a positive number'],
    [
      "@fortnightly",
      "uses an unknown macro (Kubernetes knows @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly and @every <duration>)",
    ],
    ["CRON_TZ=UTC 0 0 * * *", "sets a time zone inside the schedule, which Kubernetes refuses"],
  ])("refuses %s", (schedule, problem) => {
    expect(cronProblem(schedule)).toBe(problem);
  });
});

describe("CronJob defaults", () => {
  const { stack } = setup();
  new CronJob(stack, "report", { namespace: stack.node.findChild("shop") as Namespace, ...base, schedule: "@daily" });
  const json = synthWith(stack);
  const cron = Object.values(json.resource.kubernetes_cron_job_v1)[0] as any;

  test("forbids overlapping runs, skips runs that can't start within 5 minutes, keeps 3 + 3 runs", () => {
    expect(cron.spec).toMatchObject({
      schedule: "@daily",
      concurrency_policy: "Forbid",
      starting_deadline_seconds: 300,
      successful_jobs_history_limit: 3,
      failed_jobs_history_limit: 3,
      suspend: false,
    });
    expect(cron.spec.timezone).toBeUndefined();
  });

  test("each run: 3 retries, stopped after an hour, deleted a day after it finished, pods never restarted in place", () => {
    expect(cron.spec.job_template.spec).toMatchObject({
      backoff_limit: 3,
      active_deadline_seconds: 3600,
      ttl_seconds_after_finished: "86400",
    });
    const pod = cron.spec.job_template.spec.template.spec;
    expect(pod.restart_policy).toBe("Never");
    expect(pod.automount_service_account_token).toBe(false);
    expect(pod.container[0].security_context.read_only_root_filesystem).toBe(true);
    expect(pod.topology_spread_constraint).toBeUndefined();
  });

  test("snapshot", () => {
    expect(json.resource.kubernetes_cron_job_v1).toMatchSnapshot();
  });
});

describe("CronJob and Job", () => {
  test("in a Fargate namespace of a cluster with nodes too, AWS access defaults to IRSA, without a warning", () => {
    const stack = workloadStack();
    const cluster = testCluster(stack);
    cluster.nodeRoleArns.push("arn:aws:iam::123456789012:role/nodes");
    new FargateProfile(stack, "fargate-batch", { cluster, selectors: [{ namespace: "batch" }] });
    const ns = new Namespace(stack, "batch", { cluster, networkPolicy: { defaultDeny: false } });
    const job = new Job(stack, "export", {
      namespace: ns,
      ...base,
      awsAccess: { policyStatements: [{ actions: ["s3:PutObject"], resources: ["arn:aws:s3:::exports/*"] }] },
    });
    synthWith(stack);
    expect(job.awsRole?.mechanism).toBe("irsa");
    expect(warningsOf(stack)).toEqual([]);
  });

  test("a CronJob runs in a Fargate profile's namespace, with IRSA for AWS access (no Pod Identity agent on Fargate)", () => {
    const stack = workloadStack();
    const cluster = testCluster(stack);
    new FargateProfile(stack, "fargate-batch", { cluster, selectors: [{ namespace: "batch" }] });
    const ns = new Namespace(stack, "batch", { cluster });
    const job = new CronJob(stack, "report", {
      namespace: ns,
      ...base,
      schedule: "30 2 * * MON-FRI",
      timeZone: "Europe/Paris",
      awsAccess: { policyStatements: [{ actions: ["s3:PutObject"], resources: ["arn:aws:s3:::reports/*"] }] },
    });
    const json = synthWith(stack);
    expect(job.awsRole?.mechanism).toBe("irsa");
    const cron = Object.values(json.resource.kubernetes_cron_job_v1)[0] as any;
    expect(cron.spec.timezone).toBe("Europe/Paris");
    expect(cron.metadata.namespace).toBe("batch");
  });

  test("a Job keeps its object after finishing (no TTL) and doesn't block the deploy", () => {
    const { stack, ns } = setup();
    new Job(stack, "migrate", { namespace: ns, ...base, command: ["migrate", "up"] });
    const job = Object.values(synthWith(stack).resource.kubernetes_job_v1)[0] as any;
    expect(job.wait_for_completion).toBe(false);
    expect(job.spec).toMatchObject({ backoff_limit: 3, active_deadline_seconds: 3600, completions: 1, parallelism: 1 });
    expect(job.spec.ttl_seconds_after_finished).toBeUndefined();
    expect(job.spec.template.spec.restart_policy).toBe("Never");
    expect(synthWith(stack).resource.kubernetes_job_v1).toMatchSnapshot();
  });

  test.each([
    [
      { timeZone: "Mars/Olympus" },
      'CronJob \'report\': timeZone "Mars/Olympus" is not an IANA time zone name; use a name from the tz database, e.g. "Europe/Paris" or "UTC"',
    ],
    [
      { timeZone: "+02:00" },
      'CronJob \'report\': timeZone "+02:00" is not an IANA time zone name; use a name from the tz database, e.g. "Europe/Paris" or "UTC"',
    ],
    [
      { concurrencyPolicy: "Skip" },
      "CronJob 'report': concurrencyPolicy \"Skip\" is not a concurrency policy; use one of Forbid, Allow, Replace",
    ],
    [{ backoffLimit: -1 }, "CronJob 'report': backoffLimit -1 is out of range; use a whole number from 0 to 100"],
    [
      { activeDeadlineSeconds: 0 },
      "CronJob 'report': activeDeadlineSeconds 0 is out of range; use a whole number from 1 to 604800",
    ],
    [
      { successfulJobsHistoryLimit: 1000 },
      "CronJob 'report': successfulJobsHistoryLimit 1000 is out of range; use a whole number from 0 to 100",
    ],
    [
      { restartPolicy: "Always" },
      'CronJob \'report\': restartPolicy "Always" is not a restart policy for jobs; use "Never" or "OnFailure"',
    ],
  ])("throws when a CronJob has %j", (options, message) => {
    const { stack, ns } = setup();
    expect(
      () => new CronJob(stack, "report", { namespace: ns, ...base, schedule: "@daily", ...(options as any) }),
    ).toThrow(message);
  });
});
