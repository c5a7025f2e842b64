import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { buildApp } from "../../main";
import { ExistingVerticalPodAutoscaler } from "../../constructs/controllers/vertical-pod-autoscaler";
import { NamespaceOptions } from "../../constructs/workloads/namespace";
import { StatefulService } from "../../constructs/workloads/stateful-service";
import { WebService } from "../../constructs/workloads/web-service";
import { Worker, WorkerProps } from "../../constructs/workloads/worker";
import { chartFile } from "../controllers/chart-files";
import { crdSchema, parseYaml, Schema, validateAgainstSchema } from "../crd-schema";
import { IMAGE, RESOURCES, setup, synthWith } from "./fixtures";

// The workloads' `verticalPodAutoscaler` option (issue 20): the VPA object it creates, and what it
// refuses at synth because it would fight itself (HPA, LimitRange, quota).

const SCHEMA: Schema = crdSchema(
  parseYaml(chartFile("vertical-pod-autoscaler-0.13.0", "crds/vpa-v1-crd-verticalpodautoscalers-spec-excerpt.yaml")!),
  "v1",
);

function vpaSetup(nsOptions: NamespaceOptions = {}, kubernetesVersion?: string) {
  const s = setup(nsOptions);
  new HelmProvider(s.stack, "helm", {});
  new ExistingVerticalPodAutoscaler(s.stack, "vpa", { vpaVersion: "1.8.0" });
  if (kubernetesVersion) Object.defineProperty(s.cluster, "kubernetesVersion", { value: kubernetesVersion });
  return s;
}

/** The VPA object a release renders (the chart's template is the values, key for key; see vertical-pod-autoscaler.test.ts). */
function vpaObjects(json: any): any[] {
  return Object.values<any>(json.resource.helm_release ?? {}).map((r) => {
    const values = JSON.parse(r.values[0]);
    return {
      apiVersion: "autoscaling.k8s.io/v1",
      kind: "VerticalPodAutoscaler",
      metadata: { name: values.name, namespace: r.namespace, labels: values.labels },
      spec: values.spec,
    };
  });
}

const worker = (more: Partial<WorkerProps> = {}) => ({ image: IMAGE, resources: RESOURCES, ...more });

describe("verticalPodAutoscaler on workloads", () => {
  it("{} on a Worker: a recommendations-only VPA targeting its Deployment, schema-valid", () => {
    const { stack, ns } = vpaSetup();
    const w = new Worker(stack, "queue", { namespace: ns, ...worker(), verticalPodAutoscaler: {} });
    const json = synthWith(stack);
    const [object] = vpaObjects(json);
    expect(object.metadata).toMatchObject({ name: "queue", namespace: "shop" });
    expect(object.spec.targetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "queue" });
    expect(object.spec.updatePolicy).toEqual({ updateMode: "Off" });
    expect(validateAgainstSchema(object, SCHEMA)).toEqual([]);
    expect(w.verticalPodAutoscaler?.settings.updateMode).toBe("Off");
  });

  it("an updating mode on memory only, with the HPA on cpu only", () => {
    const { stack, ns } = vpaSetup();
    new WebService(stack, "api", {
      namespace: ns,
      ...worker(),
      ports: [{ port: 8080 }],
      autoscaling: { memoryUtilization: false },
      verticalPodAutoscaler: {
        updateMode: "InPlaceOrRecreate",
        controlledResources: ["memory"],
        maxAllowed: { memory: "1Gi" },
      },
    });
    const [object] = vpaObjects(synthWith(stack));
    expect(object.spec.updatePolicy).toEqual({ updateMode: "InPlaceOrRecreate" });
    expect(object.spec.resourcePolicy.containerPolicies[0]).toMatchObject({
      controlledResources: ["memory"],
      maxAllowed: { memory: "1Gi" },
    });
    expect(validateAgainstSchema(object, SCHEMA)).toEqual([]);
  });

  it("a StatefulService's VPA targets its StatefulSet", () => {
    const { stack, ns } = vpaSetup();
    new StatefulService(stack, "db", {
      namespace: ns,
      ...worker(),
      ports: [{ name: "db", port: 5432 }],
      volumeClaims: [{ name: "data", mountPath: "/data", size: "1Gi", storageClass: "gp3" }],
      verticalPodAutoscaler: { updateMode: "Recreate", maxAllowed: { cpu: "1", memory: "1Gi" } },
    });
    const [object] = vpaObjects(synthWith(stack));
    expect(object.spec.targetRef).toEqual({ apiVersion: "apps/v1", kind: "StatefulSet", name: "db" });
    expect(validateAgainstSchema(object, SCHEMA)).toEqual([]);
  });

  it("throws when an updating mode sizes a resource the HPA scales on (the default HPA: cpu and memory)", () => {
    const { stack, ns } = vpaSetup();
    expect(
      () =>
        new Worker(stack, "queue", { namespace: ns, ...worker(), verticalPodAutoscaler: { updateMode: "Recreate" } }),
    ).toThrow(
      [
        'Worker \'queue\': verticalPodAutoscaler.controlledResources ["cpu","memory"] with updateMode "Recreate" updates cpu, which the workload\'s HorizontalPodAutoscaler scales on: each undoes the other (VPA raises the cpu request, utilization falls, the HPA removes pods); use updateMode "Off" (recommendations only), or controlledResources ["memory"] with the HPA on cpu only',
        'Worker \'queue\': verticalPodAutoscaler.controlledResources ["cpu","memory"] with updateMode "Recreate" updates memory, which the workload\'s HorizontalPodAutoscaler scales on: each undoes the other (VPA raises the memory request, utilization falls, the HPA removes pods); use updateMode "Off" (recommendations only), or drop memory from the HPA and keep it in controlledResources',
      ].join("\n"),
    );
  });

  it("throws when maxAllowed is above the namespace LimitRange's max", () => {
    const { stack, ns } = vpaSetup({ limits: { max: { memory: "512Mi" } } });
    expect(
      () =>
        new Worker(stack, "queue", {
          namespace: ns,
          ...worker(),
          autoscaling: false,
          verticalPodAutoscaler: {
            updateMode: "Initial",
            controlledResources: ["memory"],
            maxAllowed: { memory: "1Gi" },
          },
        }),
    ).toThrow(
      'Worker \'queue\': verticalPodAutoscaler.maxAllowed.memory "1Gi" is above the namespace LimitRange\'s max.memory ("512Mi"): VPA would set it and the pod would be refused; lower maxAllowed.memory to at most "512Mi"',
    );
  });

  it("throws when minAllowed is below the namespace LimitRange's min (a new LimitRange field)", () => {
    const { stack, ns } = vpaSetup({ limits: { min: { cpu: "50m" } } });
    expect(
      () =>
        new Worker(stack, "queue", {
          namespace: ns,
          ...worker(),
          autoscaling: false,
          verticalPodAutoscaler: { updateMode: "Initial", controlledResources: ["cpu"], minAllowed: { cpu: "10m" } },
        }),
    ).toThrow(
      'Worker \'queue\': verticalPodAutoscaler.minAllowed.cpu "10m" is below the namespace LimitRange\'s min.cpu ("50m"): VPA would set it and the pod would be refused; raise minAllowed.cpu to at least "50m"',
    );
    const json = synthWith(stack);
    expect(Object.values<any>(json.resource.kubernetes_limit_range_v1)[0].spec.limit[0].min).toEqual({ cpu: "50m" });
  });

  it("throws when the namespace quota could refuse the resized pods", () => {
    const { stack, ns } = vpaSetup({ quota: { requestsMemory: "1Gi" } });
    expect(
      () =>
        new Worker(stack, "queue", {
          namespace: ns,
          ...worker(),
          autoscaling: false,
          replicas: 2,
          verticalPodAutoscaler: {
            updateMode: "Recreate",
            controlledResources: ["memory"],
            maxAllowed: { memory: "512Mi" },
          },
        }),
    ).toThrow(
      // 2 replicas + a surge of 1 (25 % rounded up) at 512Mi each.
      'Worker \'queue\': verticalPodAutoscaler.maxAllowed.memory "512Mi" lets 3 pod(s) reach "1536Mi" of requests.memory, above the namespace quota ("1Gi"): a pod evicted for an update could not be recreated; lower maxAllowed.memory, lower the most pods at once, or raise the quota',
    );
  });

  it("throws when InPlaceOrRecreate needs a newer cluster, naming the workload's field", () => {
    const { stack, ns } = vpaSetup({}, "1.32");
    expect(
      () =>
        new Worker(stack, "queue", {
          namespace: ns,
          ...worker(),
          autoscaling: false,
          verticalPodAutoscaler: { updateMode: "InPlaceOrRecreate" },
        }),
    ).toThrow(
      'Worker \'queue\': verticalPodAutoscaler.updateMode "InPlaceOrRecreate" needs in-place pod resize, which Kubernetes 1.32 (cluster "test") doesn\'t enable: InPlacePodVerticalScaling is on by default from 1.33; use "Recreate" (pods are evicted and recreated with the recommendation) or "Off", or upgrade the cluster to 1.33 or later',
    );
  });
});

describe("the default app's VPA objects", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "workload-vpa-"));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  // The sample on both environments (prod runs it when it sets `sample: true`).
  buildApp(new App({ outdir }), ["dev", "prod"], { configure: (c) => ({ ...c, sample: true }) }).synth();

  it.each(["workloads-dev", "workloads-prod"])(
    "%s: recommendations only, on the worker and the cache, schema-valid",
    (id) => {
      const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
      const releases = Object.fromEntries(
        Object.entries<any>(json.resource.helm_release).filter(([, r]) =>
          r.chart.includes("vertical-pod-autoscaler_chart"),
        ),
      );
      const objects = vpaObjects({ resource: { helm_release: releases } });
      expect(
        objects.map((o) => [
          o.metadata.namespace,
          o.spec.targetRef.kind,
          o.spec.targetRef.name,
          o.spec.updatePolicy.updateMode,
        ]),
      ).toEqual([
        ["data", "StatefulSet", "cache", "Off"],
        ["worker", "Deployment", "worker", "Off"],
      ]);
      for (const o of objects) expect(validateAgainstSchema(o, SCHEMA)).toEqual([]);
    },
  );
});
