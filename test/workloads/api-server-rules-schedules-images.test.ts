import { TerraformVariable } from "cdktf";
import { CronJob, Job, Peer, WebService, Worker } from "../../constructs/workloads";
import { warningsOf } from "../fixtures";
import { IMAGE, RESOURCES, setup, synthWith } from "./fixtures";

// Issue 17, classes 7 (schedules), 11 (images), 12 (IAM), 13 (NetworkPolicy), and the over-strict
// "@every schedules": each rule with the exact message, the valid edge accepted, and tokens.

const base = { image: IMAGE, resources: RESOURCES };
const web = { ...base, ports: [{ name: "http", port: 8080 }] };
const SCHEDULE_FIX =
  'use 5 fields, e.g. "30 2 * * MON-FRI" (02:30 on weekdays), "*/15 * * * *", or a macro such as "@daily" or "@every 1h30m"; set the zone with timeZone';

describe("class 7: schedules, parsed as the API server parses them (robfig/cron v3 ParseStandard)", () => {
  const cron = (schedule: string, extra: object = {}) => {
    const s = setup();
    new CronJob(s.stack, "report", { namespace: s.ns, ...base, schedule, ...extra });
    return s;
  };

  test.each(["@every 1h30m", "@every 90s", "@every 1.5h", "? 3 * * *", "0 3 * * sun", "0 0 29 2 *"])(
    "accepts %j",
    (schedule) => {
      const s = cron(schedule);
      const json = synthWith(s.stack);
      expect((Object.values(json.resource.kubernetes_cron_job_v1)[0] as any).spec.schedule).toBe(schedule);
      expect(warningsOf(s.stack)).toEqual([]);
    },
  );

  test.each([
    ["0 3 * * 7", 'has an invalid day of week field "7": "7" is not 0-6 or SUN-SAT (Sunday is 0 or SUN)'],
    ["@every 5 minutes", 'has an invalid @every duration "5 minutes" (a Go duration)'],
    ["@every 500ms", 'has an @every duration "500ms" under one second, which the parser turns into every second'],
    [" @daily", "has 1 field(s), not 5 (minute hour day-of-month month day-of-week)"],
    ["TZ=Europe/Paris 0 3 * * *", "sets a time zone inside the schedule, which Kubernetes refuses"],
    [
      "@fortnightly",
      "uses an unknown macro (Kubernetes knows @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly and @every <duration>)",
    ],
  ])("refuses %j", (schedule, problem) => {
    expect(() => cron(schedule)).toThrow(`CronJob 'report': schedule "${schedule}" ${problem}; ${SCHEDULE_FIX}`);
  });

  test("a schedule that can never fire (30 February) synthesizes with a warning", () => {
    const s = cron("0 0 30 2 *");
    synthWith(s.stack);
    expect(warningsOf(s.stack)).toEqual([
      `CronJob 'report': schedule "0 0 30 2 *" can never fire: no month it names (FEB) has day 30; pick days that exist in the named months (February has 28 or 29 days; April, June, September and November 30)`,
    ]);
  });

  test("31 April with a day of week fires on that weekday (either day field suffices): no warning", () => {
    const s = cron("0 0 31 4 MON");
    synthWith(s.stack);
    expect(warningsOf(s.stack)).toEqual([]);
  });

  test("a schedule from a variable is neither parsed nor warned about", () => {
    const s = setup();
    const schedule = new TerraformVariable(s.stack, "schedule", { type: "string" }).stringValue;
    new CronJob(s.stack, "report", { namespace: s.ns, ...base, schedule });
    synthWith(s.stack);
    expect(warningsOf(s.stack)).toEqual([]);
  });

  test.each([
    ["america/new_york", "America/New_York"],
    ["utc", "UTC"],
    ["europe/paris", "Europe/Paris"],
  ])("time zone %j is refused with the tz database spelling", (timeZone, right) => {
    expect(() => cron("0 3 * * *", { timeZone })).toThrow(
      `CronJob 'report': timeZone "${timeZone}" is not an IANA time zone name as spelled (names are case-sensitive: the API server looks them up in the tz database); use "${right}"`,
    );
  });

  test('time zone "Local" is refused: Kubernetes wants an explicit zone', () => {
    expect(() => cron("0 3 * * *", { timeZone: "Local" })).toThrow(
      `CronJob 'report': timeZone "Local" is the controller's own zone, which Kubernetes refuses (it wants an explicit zone); name the zone, e.g. "UTC"; without timeZone the schedule runs in the controller's zone (UTC on EKS)`,
    );
  });

  test.each(["America/New_York", "US/Eastern", "Etc/GMT+5", "America/Argentina/Buenos_Aires", "UTC"])(
    "time zone %j is accepted",
    (timeZone) => {
      expect(() => cron("0 3 * * *", { timeZone })).not.toThrow();
    },
  );

  test("a time zone from a variable is accepted", () => {
    const s = setup();
    const timeZone = new TerraformVariable(s.stack, "tz", { type: "string" }).stringValue;
    expect(
      () => new CronJob(s.stack, "report", { namespace: s.ns, ...base, schedule: "0 3 * * *", timeZone }),
    ).not.toThrow();
  });

  test("a Job with ttlSecondsAfterFinished is explained: the next deploy runs it again", () => {
    const s = setup();
    new Job(s.stack, "migrate", { namespace: s.ns, ...base, ttlSecondsAfterFinished: 600 });
    const job = Object.values(synthWith(s.stack).resource.kubernetes_job_v1)[0] as any;
    expect(job.spec.ttl_seconds_after_finished).toBe("600");
    expect(warningsOf(s.stack)).toEqual([
      "Job 'migrate': ttlSecondsAfterFinished deletes the finished Job after 600 s; Terraform then finds it gone, and the next deploy creates the Job again and runs it again; remove ttlSecondsAfterFinished to run it once per change (the finished Job stays, with its pods' logs), or keep it knowingly for a Job meant to run on every deploy (a CronJob deletes its runs safely)",
    ]);
  });

  test("a Job without a TTL and a CronJob with one get no warning", () => {
    const s = setup();
    new Job(s.stack, "migrate", { namespace: s.ns, ...base });
    new CronJob(s.stack, "report", { namespace: s.ns, ...base, schedule: "@daily", ttlSecondsAfterFinished: 600 });
    synthWith(s.stack);
    expect(warningsOf(s.stack)).toEqual([]);
  });
});

describe("class 11: image references (distribution/reference grammar)", () => {
  const worker = (image: string) => {
    const s = setup();
    new Worker(s.stack, "w", { namespace: s.ns, ...base, image });
    return s;
  };

  test("an upper-case repository path is refused, with the lower-case reference", () => {
    expect(() => worker("public.ecr.aws/MyOrg/Api:1.2.3")).toThrow(
      `Worker 'w': image "public.ecr.aws/MyOrg/Api:1.2.3" has upper-case letters in its repository path "MyOrg/Api" (repository names are lower case; the pull fails with "invalid reference format"); use "public.ecr.aws/myorg/api:1.2.3"`,
    );
  });

  test("a URL is not an image", () => {
    expect(() => worker("https://registry.example.com/shop/api:1.2.3")).toThrow(
      `Worker 'w': image "https://registry.example.com/shop/api:1.2.3" is a URL (https://), not an image reference; drop the scheme: "registry.example.com/shop/api:1.2.3" (registry host, repository path, then :tag or @digest)`,
    );
  });

  test.each(["shop/api.-x:1.2.3", "shop//api:1.2.3", "shop/_api:1.2.3", "shop/api___v2:1.2.3"])(
    "%j breaks the path grammar",
    (image) => {
      expect(() => worker(image)).toThrow(
        `Worker 'w': image "${image}" is not a valid image reference; use [registry[:port]/]path[:tag][@digest], e.g. "public.ecr.aws/nginx/nginx:1.27.3": path components of lower-case letters and digits, separated by '.', '_', '__' or '-'`,
      );
    },
  );

  test.each([
    "Registry.Example.com:5000/team/app__v2:1.2.3",
    "localhost:5000/app--next:v1",
    "[fd00::1]:5000/app:1.0",
    `app:${"t".repeat(128)}`,
    `app@sha512:${"a".repeat(128)}`,
    `app:1.2.3@sha256:${"b".repeat(64)}`,
  ])("accepts %j", (image) => {
    expect(() => worker(image)).not.toThrow();
  });

  test("an image built from another stack's repository URL is checked around the token only", () => {
    const s = setup();
    const repo = new TerraformVariable(s.stack, "repo", { type: "string" }).stringValue;
    const tag = new TerraformVariable(s.stack, "tag", { type: "string" }).stringValue;
    expect(() => new Worker(s.stack, "a", { namespace: s.ns, ...base, image: `${repo}:1.2.3` })).not.toThrow();
    expect(() => new Worker(s.stack, "b", { namespace: s.ns, ...base, image: `${repo}/api:${tag}` })).not.toThrow();
    expect(() => new Worker(s.stack, "c", { namespace: s.ns, ...base, image: `${repo}/Api:1.2.3` })).toThrow(
      /Worker 'c': image ".*\/Api:1.2.3" has upper-case letters in its repository path/,
    );
  });
});

describe("class 12: IAM statements of awsAccess", () => {
  const access = (resources: string[], actions = ["s3:GetObject"]) => {
    const s = setup();
    new Worker(s.stack, "w", { namespace: s.ns, ...base, awsAccess: { policyStatements: [{ actions, resources }] } });
    return s;
  };

  test("a resource that is not an ARN is refused", () => {
    expect(() => access(["my-bucket/*"])).toThrow(
      `Worker 'w': awsAccess.policyStatements[0].resources entry "my-bucket/*" is not an ARN or "*" (IAM matches resources by ARN only); use arn:<partition>:<service>:<region>:<account>:<resource>, e.g. "arn:aws:s3:::my-bucket/*" or "arn:aws:sqs:eu-west-1:123456789012:orders", or "*"`,
    );
  });

  test("an s3:// URL gets the bucket ARN as the fix", () => {
    expect(() => access(["s3://exports/*"])).toThrow(
      `Worker 'w': awsAccess.policyStatements[0].resources entry "s3://exports/*" is not an ARN or "*" (IAM matches resources by ARN only); use the bucket's ARN: "arn:aws:s3:::exports/*"`,
    );
  });

  test("ARNs of every partition, wildcards in any segment, '?' in actions, and tokens are accepted", () => {
    const s = setup();
    const arn = new TerraformVariable(s.stack, "queue", { type: "string" }).stringValue;
    expect(
      () =>
        new Worker(s.stack, "w", {
          namespace: s.ns,
          ...base,
          awsAccess: {
            policyStatements: [
              {
                actions: ["s3:Get?bject", "dynamodb:Query"],
                resources: [
                  "arn:aws:s3:::exports/*",
                  "arn:aws-cn:sqs:cn-north-1:123456789012:orders",
                  "arn:aws:dynamodb:*:*:table/orders",
                  arn,
                ],
              },
            ],
          },
        }),
    ).not.toThrow();
  });
});

describe("class 13: NetworkPolicy", () => {
  test("an except range outside its cidr is refused", () => {
    const s = setup();
    expect(() => s.ns.allowEgress({ name: "db", peers: [Peer.cidr("10.0.0.0/16", ["192.168.0.0/24"])] })).toThrow(
      `Namespace 'shop': networkPolicy.egress rule "db".peers[0].except[0] "192.168.0.0/24" is not inside cidr "10.0.0.0/16" with a longer prefix (Kubernetes requires an except range to be a strict subset of its cidr); give a range inside "10.0.0.0/16" with a prefix longer than /16, or widen cidr`,
    );
  });

  test("an except range equal to its cidr is refused (not a strict subset)", () => {
    const s = setup();
    expect(() => s.ns.allowEgress({ name: "db", peers: [Peer.cidr("fd00::/8", ["fd00::/8"])] })).toThrow(
      `Namespace 'shop': networkPolicy.egress rule "db".peers[0].except[0] "fd00::/8" is not inside cidr "fd00::/8" with a longer prefix (Kubernetes requires an except range to be a strict subset of its cidr); give a range inside "fd00::/8" with a prefix longer than /8, or widen cidr`,
    );
  });

  test("an except range of the other IP family is refused", () => {
    const s = setup();
    expect(() => s.ns.allowEgress({ name: "db", peers: [Peer.cidr("10.0.0.0/8", ["fd00::/16"])] })).toThrow(
      `Namespace 'shop': networkPolicy.egress rule "db".peers[0].except[0] "fd00::/16" is IPv6, but cidr "10.0.0.0/8" is IPv4: an except range lies inside its cidr; give except ranges of the cidr's family inside it, and the other family in a Peer.cidr of its own`,
    );
  });

  test("except ranges inside their cidr, and tokens, are accepted", () => {
    const s = setup();
    const range = new TerraformVariable(s.stack, "range", { type: "string" }).stringValue;
    expect(() =>
      s.ns.allowEgress({
        name: "db",
        peers: [
          Peer.cidr("10.0.0.0/8", ["10.1.0.0/16", "10.255.255.255/32", range]),
          Peer.cidr("fd00::/8", ["fd00:1::/32"]),
          Peer.cidr(range, ["10.1.0.0/16"]),
        ],
      }),
    ).not.toThrow();
  });

  test("a named port the rule's pods don't declare is refused", () => {
    const s = setup();
    const api = new WebService(s.stack, "api", { namespace: s.ns, ...web });
    expect(() =>
      s.ns.allowIngress({ name: "scrape", pods: api, peers: [Peer.sameNamespace()], ports: [{ port: "metrics" }] }),
    ).toThrow(
      `Namespace 'shop': networkPolicy.ingress rule "scrape".ports[0].port "metrics" is not a port name the rule's pods declare (WebService 'api' declares "http"): a named port no container declares matches nothing, so the rule allows nothing; name a declared container port, or give the port number`,
    );
    expect(() =>
      s.ns.allowIngress({ name: "web", pods: api, peers: [Peer.sameNamespace()], ports: [{ port: "http" }] }),
    ).not.toThrow();
  });

  test("an egress named port is looked up in the peer workloads", () => {
    const s = setup();
    const api = new WebService(s.stack, "api", { namespace: s.ns, ...web });
    expect(() => s.ns.allowEgress({ name: "to-api", peers: [Peer.workload(api)], ports: [{ port: "grpc" }] })).toThrow(
      `Namespace 'shop': networkPolicy.egress rule "to-api".ports[0].port "grpc" is not a port name the peer pods declare (WebService 'api' declares "http"): a named port no container declares matches nothing, so the rule allows nothing; name a declared container port, or give the port number`,
    );
    expect(() =>
      s.ns.allowEgress({ name: "to-api-http", peers: [Peer.workload(api)], ports: [{ port: "http" }] }),
    ).not.toThrow();
  });

  test("a namespace-wide rule's named port is checked at synth against the namespace's workloads (a warning)", () => {
    const s = setup();
    s.ns.allowIngress({ name: "scrape", peers: [Peer.sameNamespace()], ports: [{ port: "metrics" }] });
    new WebService(s.stack, "api", { namespace: s.ns, ...web }); // added after the rule
    synthWith(s.stack);
    expect(warningsOf(s.stack)).toEqual([
      `Namespace 'shop': networkPolicy.ingress rule "scrape".ports[0].port "metrics" is declared by no workload of this namespace (WebService 'api' declares "http"): unless other pods here declare it, the rule allows nothing; name a declared container port, or give the port number`,
    ]);
  });

  test("a named port from a variable is not compared", () => {
    const s = setup();
    const api = new WebService(s.stack, "api", { namespace: s.ns, ...web });
    const port = new TerraformVariable(s.stack, "port", { type: "string" }).stringValue;
    expect(() =>
      s.ns.allowIngress({ name: "p", pods: api, peers: [Peer.sameNamespace()], ports: [{ port }] }),
    ).not.toThrow();
  });
});
