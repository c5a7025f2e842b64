import { TerraformStack, TerraformVariable } from "cdktf";
import { CronJob, Gp3StorageClass, Peer, StatefulService, WebService, Worker } from "../../constructs/workloads";
import { FakeLoadBalancing, IMAGE, RESOURCES, setup, synthWith } from "./fixtures";

// Issue 17: workload input held to the Kubernetes API server's own rules. Each class: the rule,
// the exact message (construct, field, value, problem, fix), the valid edge accepted, and tokens.

const base = { image: IMAGE, resources: RESOURCES, ports: [{ name: "http", port: 8080 }] };
const claim = (sc: Gp3StorageClass) => ({ name: "data", mountPath: "/data", size: "10Gi", storageClass: sc });

describe("class 1: names per object kind", () => {
  test("a WebService name is its Service's name, a DNS-1035 label: it starts with a letter", () => {
    const s = setup();
    expect(() => new WebService(s.stack, "web", { namespace: s.ns, ...base, name: "1web" })).toThrow(
      "WebService 'web': name \"1web\" is not a valid WebService name (its Service's name) (a DNS-1035 label); use 1 to 63 lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit",
    );
  });

  test("a Worker has no Service: a name starting with a digit stays valid", () => {
    const s = setup();
    expect(() => new Worker(s.stack, "w", { namespace: s.ns, ...base, name: "1worker" })).not.toThrow();
  });

  test("a StatefulService name is its headless Service's name", () => {
    const s = setup();
    const sc = new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster });
    expect(
      () => new StatefulService(s.stack, "db", { namespace: s.ns, ...base, name: "0db", volumeClaims: [claim(sc)] }),
    ).toThrow(
      "StatefulService 'db': name \"0db\" is not a valid StatefulService name (its Service's name) (a DNS-1035 label); use 1 to 63 lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit",
    );
  });

  test("an added Service's name is a DNS-1035 label; a token is accepted", () => {
    const s = setup();
    const web = new WebService(s.stack, "web", { namespace: s.ns, ...base });
    expect(() => web.addService("admin", { name: "9admin" })).toThrow(
      'WebService \'web\': addService("admin").name "9admin" is not a valid Service name (a DNS-1035 label); use 1 to 63 lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit',
    );
    const name = new TerraformVariable(s.stack, "svc", { type: "string" }).stringValue;
    expect(() => web.addService("other", { name })).not.toThrow();
  });

  test("a CronJob name is at most 52 characters; 52 is accepted, and a token", () => {
    const s = setup();
    const long = "r".repeat(53);
    expect(
      () => new CronJob(s.stack, "report", { namespace: s.ns, ...base, name: long, schedule: "0 3 * * *" }),
    ).toThrow(
      `CronJob 'report': name "${long}" is 53 characters, longer than the 52 a CronJob name may have (its controller appends a suffix to it in a 63-character name); use at most 52 characters`,
    );
    expect(
      () => new CronJob(s.stack, "ok", { namespace: s.ns, ...base, name: "r".repeat(52), schedule: "0 3 * * *" }),
    ).not.toThrow();
    const name = new TerraformVariable(s.stack, "job", { type: "string" }).stringValue;
    expect(() => new CronJob(s.stack, "tok", { namespace: s.ns, ...base, name, schedule: "0 3 * * *" })).not.toThrow();
  });

  test("a StatefulService name is at most 52 characters (the pods' revision label)", () => {
    const s = setup();
    const sc = new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster });
    const long = "d".repeat(53);
    expect(
      () => new StatefulService(s.stack, "db", { namespace: s.ns, ...base, name: long, volumeClaims: [claim(sc)] }),
    ).toThrow(
      `StatefulService 'db': name "${long}" is 53 characters, longer than the 52 a StatefulSet name may have (its controller appends a suffix to it in a 63-character name); use at most 52 characters`,
    );
  });

  test("a Worker name may use all 63 characters of a label", () => {
    const s = setup();
    expect(() => new Worker(s.stack, "w", { namespace: s.ns, ...base, name: "w".repeat(63) })).not.toThrow();
  });

  test.each([
    ["web--api", "has a double hyphen"],
    ["a-very-long-name", "is 16 characters"],
    ["8080", "has no letter"],
    ["-http", "starts with a hyphen"],
  ])("container port name %j is refused (%s)", (name) => {
    const s = setup();
    expect(() => new Worker(s.stack, "w", { namespace: s.ns, ...base, ports: [{ name, port: 8080 }] })).toThrow(
      `Worker 'w': ports[0].name ${JSON.stringify(name)} is not a valid port name (an IANA service name); use 1 to 15 lower-case letters, digits and single hyphens, with at least one letter and a letter or digit at both ends, e.g. "http"`,
    );
  });

  test("a 15-character port name and a token port name are accepted", () => {
    const s = setup();
    const name = new TerraformVariable(s.stack, "port", { type: "string" }).stringValue;
    expect(
      () => new Worker(s.stack, "a", { namespace: s.ns, ...base, ports: [{ name: "a-b-c-d-e-f-g-h", port: 8080 }] }),
    ).not.toThrow();
    expect(() => new Worker(s.stack, "b", { namespace: s.ns, ...base, ports: [{ name, port: 8080 }] })).not.toThrow();
  });

  test("a NetworkPolicy port name is an IANA service name", () => {
    const s = setup();
    expect(() => s.ns.allowIngress({ name: "from-vpc", peers: [Peer.vpc()], ports: [{ port: "web--admin" }] })).toThrow(
      `Namespace 'shop': networkPolicy.ingress rule "from-vpc".ports[0].port "web--admin" is not a valid port name (an IANA service name); use 1 to 15 lower-case letters, digits and single hyphens, with at least one letter and a letter or digit at both ends, e.g. "http"`,
    );
  });

  test("the derived NetworkPolicy of a 63-character exposed WebService is a valid NetworkPolicy name (a subdomain)", () => {
    const s = setup();
    const name = "w".repeat(63);
    new WebService(s.stack, "web", {
      namespace: s.ns,
      ...base,
      name,
      loadBalancer: { scheme: "internal" },
    });
    new FakeLoadBalancing(s.stack, "lb");
    const synth = synthWith(s.stack);
    const policies = Object.values(synth.resource.kubernetes_network_policy_v1 ?? {}) as any[];
    expect(policies.map((p) => p.metadata.name)).toContain(`${name}-from-vpc`);
  });
});

describe("class 9: PDB percentages that block every eviction", () => {
  const web = (disruptionBudget: { minAvailable?: string; maxUnavailable?: string }) => () => {
    const s = setup();
    // The default WebService scales 2-10 replicas (HPA): the budget is judged at 2.
    new WebService(s.stack, "web", { namespace: s.ns, ...base, disruptionBudget });
  };

  test.each([
    ["100%", 2],
    ["51%", 2],
  ])("minAvailable %j rounds up to all %d replicas and is refused", (minAvailable, needed) => {
    expect(web({ minAvailable })).toThrow(
      `WebService 'web': disruptionBudget.minAvailable "${minAvailable}" is ${needed} of the 2 replica(s) (the percentage rounds up), so it blocks every eviction and node drains hang; use at most 50%, or maxUnavailable: 1`,
    );
  });

  test('maxUnavailable "0%" is refused like 0', () => {
    expect(web({ maxUnavailable: "0%" })).toThrow(
      `WebService 'web': disruptionBudget.maxUnavailable "0%" blocks every eviction, so node drains hang; use 1 or more`,
    );
  });

  test('minAvailable "50%", maxUnavailable "1%" (rounds up to 1) and a token are accepted', () => {
    expect(web({ minAvailable: "50%" })).not.toThrow();
    expect(web({ maxUnavailable: "1%" })).not.toThrow();
    const s = setup();
    const minAvailable = new TerraformVariable(s.stack, "min", { type: "string" }).stringValue;
    expect(
      () => new WebService(s.stack, "web", { namespace: s.ns, ...base, disruptionBudget: { minAvailable } }),
    ).not.toThrow();
  });

  test("a single-replica StatefulService refuses every minAvailable percentage above 0%", () => {
    const s = setup();
    const sc = new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster });
    expect(
      () =>
        new StatefulService(s.stack, "db", {
          namespace: s.ns,
          ...base,
          replicas: 1,
          volumeClaims: [claim(sc)],
          disruptionBudget: { minAvailable: "10%" },
        }),
    ).toThrow(
      `StatefulService 'db': disruptionBudget.minAvailable "10%" is 1 of the 1 replica(s) (the percentage rounds up), so it blocks every eviction and node drains hang; use at most 0%, or maxUnavailable: 1`,
    );
  });
});

describe("class 16: values known only at apply are never compared at synth", () => {
  const number = (stack: TerraformStack, id: string) =>
    new TerraformVariable(stack, id, { type: "number" }).numberValue;

  test("autoscaling bounds from variables synthesize, the default maximum raised at apply to the minimum", () => {
    const s = setup();
    new WebService(s.stack, "web", { namespace: s.ns, ...base, autoscaling: { minReplicas: number(s.stack, "min") } });
    new WebService(s.stack, "api", { namespace: s.ns, ...base, autoscaling: { maxReplicas: number(s.stack, "max") } });
    new WebService(s.stack, "both", {
      namespace: s.ns,
      ...base,
      autoscaling: { minReplicas: number(s.stack, "min2"), maxReplicas: number(s.stack, "max2") },
    });
    new FakeLoadBalancing(s.stack, "lb");
    const hpa = synthWith(s.stack).resource.kubernetes_horizontal_pod_autoscaler_v2;
    const specs = Object.values(hpa).map((h: any) => h.spec);
    expect(specs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ min_replicas: "${var.min}", max_replicas: "${max(10, var.min)}" }),
        expect.objectContaining({ min_replicas: 2, max_replicas: "${var.max}" }),
        expect.objectContaining({ min_replicas: "${var.min2}", max_replicas: "${var.max2}" }),
      ]),
    );
  });

  test("a fixed replica count from a variable with percentage rollout and budget settings synthesizes", () => {
    const s = setup();
    new WebService(s.stack, "web", {
      namespace: s.ns,
      ...base,
      autoscaling: false,
      replicas: number(s.stack, "replicas"),
      loadBalancer: { scheme: "internal" },
      rollout: { maxSurge: "50%" },
      disruptionBudget: { maxUnavailable: "50%" },
    });
    new FakeLoadBalancing(s.stack, "lb");
    const deployment = Object.values(synthWith(s.stack).resource.kubernetes_deployment_v1)[0] as any;
    expect(deployment.spec.replicas).toBe("${var.replicas}");
  });
});

describe("over-strict refusals lifted: what the API server accepts for a Deployment", () => {
  const worker = (rollout: {
    maxSurge?: string | number;
    maxUnavailable?: string | number;
    revisionHistoryLimit?: number;
  }) => {
    const s = setup();
    new Worker(s.stack, "w", { namespace: s.ns, ...base, rollout });
    return (Object.values(synthWith(s.stack).resource.kubernetes_deployment_v1)[0] as any).spec;
  };

  test('maxSurge above 100% ("200%") is accepted and rendered', () => {
    expect(worker({ maxSurge: "200%" }).strategy.rolling_update.max_surge).toBe("200%");
  });

  test("revisionHistoryLimit 0 is accepted and rendered", () => {
    expect(worker({ revisionHistoryLimit: 0 }).revision_history_limit).toBe(0);
  });

  test("maxUnavailable stays capped at 100%, revisionHistoryLimit at 0 and up, maxSurge a count or percentage", () => {
    expect(() => worker({ maxUnavailable: "150%" })).toThrow(
      `Worker 'w': rollout.maxUnavailable "150%" is not a count or a percentage up to 100%; give a number or "NN%" up to "100%", e.g. "25%"`,
    );
    expect(() => worker({ revisionHistoryLimit: -1 })).toThrow(
      `Worker 'w': rollout.revisionHistoryLimit -1 is out of range; use a whole number from 0 to 100`,
    );
    expect(() => worker({ maxSurge: "25 %" })).toThrow(
      `Worker 'w': rollout.maxSurge "25 %" is not a count or a percentage; give a number or "NN%", e.g. "25%"`,
    );
  });

  test("tokens are accepted for maxSurge and revisionHistoryLimit", () => {
    const s = setup();
    const maxSurge = new TerraformVariable(s.stack, "surge", { type: "string" }).stringValue;
    const revisionHistoryLimit = new TerraformVariable(s.stack, "history", { type: "number" }).numberValue;
    expect(
      () => new Worker(s.stack, "w", { namespace: s.ns, ...base, rollout: { maxSurge, revisionHistoryLimit } }),
    ).not.toThrow();
  });
});
