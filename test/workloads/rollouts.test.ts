import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, ITerraformDependable, Testing } from "cdktf";
import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { buildApp } from "../../main";
import { DRAIN_DEFAULTS, READINESS_GATE_LABEL } from "../../constructs/workloads/load-balancer-drain";
import { ILoadBalancing, registerLoadBalancing } from "../../constructs/workloads/load-balancing";
import { Namespace } from "../../constructs/workloads/namespace";
import { WebService, WebServiceProps } from "../../constructs/workloads/web-service";
import { Worker } from "../../constructs/workloads/worker";
import { expectValidKubernetes } from "../kubernetes-schema";
import { warningsOf } from "../fixtures";
import { IMAGE, RESOURCES, setup, synthWith } from "./fixtures";

// Rollouts that don't drop requests behind the load balancer (issue 20): readiness gates, drain
// settings, and the invariant that no rollout or drain leaves a load balancer without a healthy target.

/** A load balancer controller stand-in: with readiness gates (the AWS Load Balancer Controller) or without (Auto Mode). */
class TestLoadBalancing extends Construct implements ILoadBalancing {
  readonly albIngressClassName = "alb";
  readonly nlbLoadBalancerClass = "service.k8s.aws/nlb";
  readonly dependables: ITerraformDependable[];
  constructor(
    scope: Construct,
    id: string,
    readonly podReadinessGates: boolean,
  ) {
    super(scope, id);
    this.dependables = [
      new ConfigMapV1(this, "controller", { metadata: { name: "controller", namespace: "kube-system" } }),
    ];
    registerLoadBalancing(this);
  }
}

const web = (ns: Namespace, more: Partial<WebServiceProps> = {}): WebServiceProps => ({
  image: IMAGE,
  ports: [{ name: "http", port: 8080 }],
  resources: RESOURCES,
  ingress: {},
  ...more,
  namespace: ns,
});

const byType = (json: any, type: string): any[] => Object.values(json.resource[type] ?? {});
const deploymentOf = (json: any, name: string) =>
  byType(json, "kubernetes_deployment_v1").find((d) => d.metadata.name === name);
const namespaceOf = (json: any, name: string) =>
  byType(json, "kubernetes_namespace_v1").find((n) => n.metadata.name === name);

describe("WebService behind a load balancer", () => {
  it("with the controller: readiness gate label, preStop sleep, grace period, deregistration delay, pods after the controller", () => {
    const { stack, cluster, ns } = setup();
    const other = new Namespace(stack, "jobs", { cluster });
    const svc = new WebService(stack, "web", web(ns));
    new Worker(stack, "same-ns", { namespace: ns, image: IMAGE, resources: RESOURCES });
    new Worker(stack, "other-ns", { namespace: other, image: IMAGE, resources: RESOURCES });
    // Declared after the workloads: read at synth.
    new TestLoadBalancing(stack, "lb", true);
    const json = synthWith(stack);

    expect(namespaceOf(json, "shop").metadata.labels[READINESS_GATE_LABEL]).toBe("enabled");
    expect(READINESS_GATE_LABEL in namespaceOf(json, "jobs").metadata.labels).toBe(false);
    const d = deploymentOf(json, "web");
    expect(d.spec.template.spec.termination_grace_period_seconds).toBe(45);
    expect(d.spec.template.spec.container[0].lifecycle).toEqual({
      pre_stop: [{ exec: { command: ["sleep", "35"] } }],
    });
    // The gate does minReadySeconds' job.
    expect(d.spec.min_ready_seconds).toBeUndefined();
    expect(d.spec.strategy.rolling_update).toEqual({ max_surge: "25%", max_unavailable: "0" });
    const ingress = byType(json, "kubernetes_ingress_v1")[0];
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/target-group-attributes"]).toBe(
      "deregistration_delay.timeout_seconds=30",
    );
    expect(svc.drain).toEqual({
      deregistrationDelaySeconds: 30,
      preStopSeconds: 35,
      preStop: "exec-sleep",
      terminationGracePeriodSeconds: 45,
    });
    // Every pod-creating object of the labelled namespace waits for the controller's pod webhook.
    const controller = expect.stringMatching(/^kubernetes_config_map_v1\.lb_controller_/);
    expect(d.depends_on).toContainEqual(controller);
    expect(deploymentOf(json, "same-ns").depends_on).toContainEqual(controller);
    expect(deploymentOf(json, "other-ns").depends_on).not.toContainEqual(controller);
    // Unexposed workloads keep Kubernetes' defaults.
    expect(deploymentOf(json, "same-ns").spec.template.spec.termination_grace_period_seconds).toBeUndefined();
    expect(deploymentOf(json, "same-ns").spec.template.spec.container[0].lifecycle).toBeUndefined();
    expect(expectValidKubernetes(json).objects.length).toBeGreaterThan(0);
  });

  it("without readiness gates (Auto Mode): no label, minReadySeconds instead", () => {
    const { stack, ns } = setup();
    new WebService(stack, "web", web(ns));
    new TestLoadBalancing(stack, "lb", false);
    const json = synthWith(stack);
    expect(READINESS_GATE_LABEL in namespaceOf(json, "shop").metadata.labels).toBe(false);
    const d = deploymentOf(json, "web");
    expect(DRAIN_DEFAULTS.minReadySecondsWithoutGates).toBe(60);
    expect(d.spec.min_ready_seconds).toBe(60);
    expect(d.spec.template.spec.termination_grace_period_seconds).toBe(45);
    // Nothing to wait for: no pod webhook.
    expect(d.depends_on).not.toContainEqual(expect.stringMatching(/lb_controller/));
  });

  it("an NLB added with addService gets the drain settings and its deregistration delay", () => {
    const { stack, ns } = setup();
    const svc = new WebService(
      stack,
      "web",
      web(ns, { ingress: undefined, drain: { deregistrationDelaySeconds: 60, preStopSeconds: 65 } }),
    );
    svc.addService("public", { name: "web-public", loadBalancer: { scheme: "internet-facing" } });
    new TestLoadBalancing(stack, "lb", true);
    const json = synthWith(stack);
    const nlb = byType(json, "kubernetes_service_v1").find((s) => s.metadata.name === "web-public");
    expect(nlb.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-target-group-attributes"]).toBe(
      "deregistration_delay.timeout_seconds=60",
    );
    const d = deploymentOf(json, "web");
    expect(d.spec.template.spec.termination_grace_period_seconds).toBe(75);
    expect(d.spec.template.spec.container[0].lifecycle.pre_stop[0].exec.command).toEqual(["sleep", "65"]);
    expect(namespaceOf(json, "shop").metadata.labels[READINESS_GATE_LABEL]).toBe("enabled");
  });

  it("an HTTP preStop for images without a shell", () => {
    const { stack, ns } = setup();
    new WebService(
      stack,
      "web",
      web(ns, {
        image: "gcr.io/distroless/static-debian12:nonroot",
        drain: { preStop: { httpGet: { path: "/drain", port: "http" } } },
      }),
    );
    new TestLoadBalancing(stack, "lb", true);
    const d = deploymentOf(synthWith(stack), "web");
    expect(d.spec.template.spec.container[0].lifecycle).toEqual({
      pre_stop: [{ http_get: { path: "/drain", port: "http" } }],
    });
  });

  it("a declared terminationGracePeriodSeconds is kept when it holds the drain", () => {
    const { stack, ns } = setup();
    new WebService(stack, "web", web(ns, { terminationGracePeriodSeconds: 120 }));
    new TestLoadBalancing(stack, "lb", true);
    expect(deploymentOf(synthWith(stack), "web").spec.template.spec.termination_grace_period_seconds).toBe(120);
  });

  it("throws when the preStop wait is shorter than the deregistration delay", () => {
    const { stack, ns } = setup();
    expect(() => new WebService(stack, "web", web(ns, { drain: { deregistrationDelaySeconds: 60 } }))).toThrow(
      "WebService 'web': drain.preStopSeconds 35 is shorter than the deregistration delay (60 s): the pod would close connections the load balancer is still draining, and clients get 5xx; use at least 60, or lower drain.deregistrationDelaySeconds",
    );
  });

  it("throws when the grace period can't hold the preStop wait and the shutdown", () => {
    const { stack, ns } = setup();
    expect(() => new WebService(stack, "web", web(ns, { terminationGracePeriodSeconds: 30 }))).toThrow(
      "WebService 'web': terminationGracePeriodSeconds 30 is shorter than drain.preStopSeconds (35) + drain.shutdownSeconds (10): the pod would be killed while it drains or shuts down; use at least 45, or leave it unset (then it is preStopSeconds + shutdownSeconds)",
    );
  });

  it("throws when the preStop runs sleep in an image without one", () => {
    const { stack, ns } = setup();
    expect(() => new WebService(stack, "web", web(ns, { image: "gcr.io/distroless/static-debian12:nonroot" }))).toThrow(
      'WebService \'web\': drain.preStop "exec-sleep" runs "sleep" in image "gcr.io/distroless/static-debian12:nonroot", which has no sleep binary (a distroless or scratch image), so the hook fails and the pod stops before it is deregistered; serve an endpoint that answers after the wait and use preStop: { httpGet: { path, port } }, or build the image with a sleep binary',
    );
  });

  it("throws when drain is set on a WebService no load balancer exposes", () => {
    const { stack, ns } = setup();
    new WebService(stack, "web", web(ns, { ingress: undefined, drain: {} }));
    new TestLoadBalancing(stack, "lb", true);
    expect(() => Testing.synth(stack, true)).toThrow(
      "WebService 'web': drain {} is set, but the WebService isn't exposed through a load balancer, so it would do nothing; expose it (loadBalancer, ingress, or addService with a loadBalancer), or remove drain",
    );
  });

  it("warns when a rollout or a drain can leave the load balancer without a healthy target", () => {
    const { stack, ns } = setup();
    new WebService(
      stack,
      "web",
      web(ns, { autoscaling: false, replicas: 1, rollout: { maxUnavailable: 1 }, disruptionBudget: false }),
    );
    new TestLoadBalancing(stack, "lb", true);
    Testing.synth(stack, true);
    expect(warningsOf(stack)).toEqual([
      "WebService 'web': rollout.maxUnavailable \"1\" lets a rollout stop serving pods before their replacements are healthy in the target group (with ip targets that can leave only initial or draining targets); use 0 (the default) and let maxSurge add the new pods first",
      "WebService 'web': replicas 1 is the only target: a node drain or eviction leaves the load balancer with none; run at least 2 replicas (autoscaling.minReplicas)",
      "WebService 'web': disruptionBudget false lets a node drain evict every pod at once, leaving the load balancer with no target; keep a PodDisruptionBudget (the default { maxUnavailable: 1 })",
    ]);
  });
});

/** Parses "N" or "P%" of `replicas` (percentages rounded as Kubernetes does: surge up, unavailable down). */
function count(v: string, replicas: number, round: (n: number) => number): number {
  const pct = /^(\d+)%$/.exec(v);
  return pct ? round((Number(pct[1]) / 100) * replicas) : Number(v);
}

describe("the default app's exposed workloads never leave a load balancer without a healthy target", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "rollouts-"));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  // The sample on both environments (prod runs it when it sets `sample: true`).
  buildApp(new App({ outdir }), ["dev", "prod"], { configure: (c) => ({ ...c, sample: true }) }).synth();
  const stackJson = (id: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));

  it.each(["workloads-dev", "workloads-prod"])("%s", (id) => {
    const json = stackJson(id);
    const services = byType(json, "kubernetes_service_v1");
    const ingresses = byType(json, "kubernetes_ingress_v1");
    // Exposed: a Deployment whose pods a LoadBalancer Service, or the Service of an Ingress, selects.
    const exposed = byType(json, "kubernetes_deployment_v1").filter((d) => {
      const ns = d.metadata.namespace;
      const selecting = services.filter(
        (s) =>
          s.metadata.namespace === ns &&
          Object.entries(s.spec.selector ?? {}).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
      );
      return selecting.some(
        (s) =>
          s.spec.type === "LoadBalancer" ||
          ingresses.some(
            (i) =>
              i.metadata.namespace === ns &&
              i.spec.rule.some((r: any) => r.http.path.some((p: any) => p.backend.service.name === s.metadata.name)),
          ),
      );
    });
    expect(exposed.map((d) => d.metadata.name)).toEqual(["web"]);
    const releaseId = Object.entries<any>(json.resource.helm_release).find(
      ([, r]) => r.chart === "aws-load-balancer-controller",
    )![0];
    for (const d of exposed) {
      const ns = d.metadata.namespace;
      const hpa = byType(json, "kubernetes_horizontal_pod_autoscaler_v2").find(
        (h) => h.spec.scale_target_ref.name === d.metadata.name && h.metadata.namespace === ns,
      );
      const replicas = hpa ? hpa.spec.min_replicas : Number(d.spec.replicas);
      const pdb = byType(json, "kubernetes_pod_disruption_budget_v1").find(
        (p) =>
          p.metadata.namespace === ns &&
          Object.entries(p.spec.selector.match_labels).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
      );
      const { max_surge, max_unavailable } = d.spec.strategy.rolling_update;
      const grace = d.spec.template.spec.termination_grace_period_seconds;
      const preStop = d.spec.template.spec.container[0].lifecycle.pre_stop[0].exec.command;
      const delay = Number(
        /deregistration_delay\.timeout_seconds=(\d+)/.exec(
          ingresses.find((i) => i.metadata.namespace === ns).metadata.annotations[
            "alb.ingress.kubernetes.io/target-group-attributes"
          ],
        )![1],
      );
      const facts = {
        // A rollout removes an old pod only after a new one is available...
        maxUnavailable: count(max_unavailable, replicas, Math.floor),
        maxSurgeAtLeastOne: count(max_surge, replicas, Math.ceil) >= 1,
        // ...and "available" means Healthy in the target group (the readiness gate)...
        gateLabel: namespaceOf(json, ns).metadata.labels[READINESS_GATE_LABEL],
        afterController: d.depends_on.includes(`helm_release.${releaseId}`),
        // ...a drain or an eviction always leaves a pod...
        replicasAtLeastTwo: replicas >= 2,
        pdbLeavesOne: pdb !== undefined && replicas - count(pdb.spec.max_unavailable, replicas, Math.ceil) >= 1,
        // ...and a terminating pod serves until the load balancer has drained it.
        preStopIsSleep: preStop[0] === "sleep",
        delayWithinPreStop: delay <= Number(preStop[1]),
        preStopWithinGrace: Number(preStop[1]) < grace,
      };
      expect(facts).toEqual({
        maxUnavailable: 0,
        maxSurgeAtLeastOne: true,
        gateLabel: "enabled",
        afterController: true,
        replicasAtLeastTwo: true,
        pdbLeavesOne: true,
        preStopIsSleep: true,
        delayWithinPreStop: true,
        preStopWithinGrace: true,
      });
    }
  });
});
