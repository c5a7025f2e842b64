import * as fs from "node:fs";
import * as path from "node:path";
import { Fn, Testing } from "cdktf";
import { Construct } from "constructs";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import {
  ExistingVerticalPodAutoscaler,
  VerticalPodAutoscalerController,
} from "../../constructs/controllers/vertical-pod-autoscaler";
import { Namespace } from "../../constructs/workloads/namespace";
import {
  releaseNameFor,
  VerticalPodAutoscaler,
  VerticalPodAutoscalerProps,
  VPA_OBJECT_CHART_DIR,
} from "../../constructs/workloads/vertical-pod-autoscaler";
import { chartFile } from "../controllers/chart-files";
import { crdSchema, parseYaml, Schema, validateAgainstSchema } from "../crd-schema";
import { setup, synthWith, testCluster, workloadStack } from "./fixtures";

// VerticalPodAutoscaler objects: rendered through the local chart, validated against the CRD of
// the pinned VPA chart (test/controllers/charts/vertical-pod-autoscaler-0.13.0, see SOURCE.md).

const CRD = parseYaml(
  chartFile("vertical-pod-autoscaler-0.13.0", "crds/vpa-v1-crd-verticalpodautoscalers-spec-excerpt.yaml")!,
);
const SCHEMA: Schema = crdSchema(CRD, "v1");
const TEMPLATE = fs.readFileSync(path.join(VPA_OBJECT_CHART_DIR, "templates", "verticalpodautoscaler.yaml"), "utf8");

/** What the chart's one template renders from a release: the values are the object's parts, as they are. */
function rendered(release: any): any {
  expect(TEMPLATE).toBe(
    [
      "apiVersion: autoscaling.k8s.io/v1",
      "kind: VerticalPodAutoscaler",
      "metadata:",
      '  name: {{ required "name is required" .Values.name }}',
      "  namespace: {{ .Release.Namespace }}",
      "  labels:",
      "    {{- toYaml .Values.labels | nindent 4 }}",
      "spec:",
      "  {{- toYaml .Values.spec | nindent 2 }}",
      "",
    ].join("\n"),
  );
  const values = JSON.parse(release.values[0]);
  expect(Object.keys(values).sort()).toEqual(["labels", "name", "spec"]);
  return {
    apiVersion: "autoscaling.k8s.io/v1",
    kind: "VerticalPodAutoscaler",
    metadata: { name: values.name, namespace: release.namespace, labels: values.labels },
    spec: values.spec,
  };
}

/** A workloads stack with a namespace "shop" and (by default) the VPA controller. */
function vpaSetup(
  o: {
    /** "install", "none", or the version of an existing VPA. */
    controller?: string;
    kubernetesVersion?: string;
  } = {},
) {
  const { stack, cluster, ns } = setup();
  new HelmProvider(stack, "helm", {});
  if (o.kubernetesVersion) Object.defineProperty(cluster, "kubernetesVersion", { value: o.kubernetesVersion });
  const controller = o.controller ?? "install";
  if (controller === "install") new VerticalPodAutoscalerController(stack, "vpa-controller", { cluster });
  else if (controller !== "none")
    new ExistingVerticalPodAutoscaler(stack, "vpa-controller", { vpaVersion: controller });
  return { stack, cluster, ns };
}

function releases(json: any): [string, any][] {
  return Object.entries<any>(json.resource.helm_release).filter(([, r]) => r.chart !== "vertical-pod-autoscaler");
}

const api = { kind: "Deployment" as const, name: "api" };

describe("VerticalPodAutoscaler", () => {
  it("defaults: recommendations only (Off), cpu and memory, every default stated, after the VPA release", () => {
    const { stack, ns } = vpaSetup();
    const vpa = new VerticalPodAutoscaler(stack, "api-vpa", { namespace: ns, target: api });
    const json = synthWith(stack);
    const [[, release]] = releases(json);
    expect(release).toMatchObject({ name: "vpa-api", namespace: "shop", atomic: true });
    // Pinned (policy rule HELM1) to the shipped chart's own version, which the helm provider also reads.
    const chartYaml = fs.readFileSync(path.join(VPA_OBJECT_CHART_DIR, "Chart.yaml"), "utf8");
    expect(release.version).toBe(/^version: (\S+)$/m.exec(chartYaml)![1]);
    expect(release.chart).toMatch(/^assets\/api-vpa_chart_\w+\/[0-9A-F]+$/);
    expect(release.depends_on).toEqual([
      expect.stringMatching(/^kubernetes_namespace_v1\.shop_namespace_/),
      expect.stringMatching(/^helm_release\.vpa-controller_release_/),
    ]);
    const object = rendered(release);
    expect(object).toEqual({
      apiVersion: "autoscaling.k8s.io/v1",
      kind: "VerticalPodAutoscaler",
      metadata: { name: "api", namespace: "shop", labels: { "app.kubernetes.io/managed-by": "cdktf" } },
      spec: {
        targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
        updatePolicy: { updateMode: "Off" },
        resourcePolicy: {
          containerPolicies: [
            {
              containerName: "*",
              mode: "Auto",
              controlledResources: ["cpu", "memory"],
              controlledValues: "RequestsAndLimits",
            },
          ],
        },
      },
    });
    expect(vpa.object).toEqual(object);
    expect(validateAgainstSchema(object, SCHEMA)).toEqual([]);
  });

  it("every option renders a schema-valid object; containers inherit what they don't set", () => {
    const { stack, ns } = vpaSetup();
    new VerticalPodAutoscaler(stack, "db", {
      namespace: ns,
      target: { kind: "StatefulSet", name: "db" },
      name: "db-sizing",
      labels: { team: "data" },
      updateMode: "InPlaceOrRecreate",
      controlledResources: ["memory"],
      controlledValues: "RequestsOnly",
      minAllowed: { memory: "256Mi" },
      maxAllowed: { memory: "4Gi" },
      minReplicas: 1,
      containers: {
        postgres: { maxAllowed: { memory: "8Gi" } },
        exporter: { mode: "Off" },
        proxy: {
          controlledResources: ["cpu", "memory"],
          minAllowed: { cpu: "50m" },
          maxAllowed: { cpu: "1", memory: "1Gi" },
        },
      },
    });
    const [[, release]] = releases(synthWith(stack));
    const object = rendered(release);
    expect(release.name).toBe("vpa-db-sizing");
    expect(object.metadata.labels).toEqual({ "app.kubernetes.io/managed-by": "cdktf", team: "data" });
    expect(object.spec.updatePolicy).toEqual({ updateMode: "InPlaceOrRecreate", minReplicas: 1 });
    expect(object.spec.targetRef).toEqual({ apiVersion: "apps/v1", kind: "StatefulSet", name: "db" });
    const memoryOnly = { controlledResources: ["memory"], controlledValues: "RequestsOnly" };
    expect(object.spec.resourcePolicy.containerPolicies).toEqual([
      {
        containerName: "*",
        mode: "Auto",
        ...memoryOnly,
        minAllowed: { memory: "256Mi" },
        maxAllowed: { memory: "4Gi" },
      },
      {
        containerName: "postgres",
        mode: "Auto",
        ...memoryOnly,
        minAllowed: { memory: "256Mi" },
        maxAllowed: { memory: "8Gi" },
      },
      {
        containerName: "exporter",
        mode: "Off",
        ...memoryOnly,
        minAllowed: { memory: "256Mi" },
        maxAllowed: { memory: "4Gi" },
      },
      {
        containerName: "proxy",
        mode: "Auto",
        controlledResources: ["cpu", "memory"],
        controlledValues: "RequestsOnly",
        minAllowed: { cpu: "50m" },
        maxAllowed: { cpu: "1", memory: "1Gi" },
      },
    ]);
    expect(validateAgainstSchema(object, SCHEMA)).toEqual([]);
  });

  it("the schema check fails what the API server would refuse or drop", () => {
    const { stack, ns } = vpaSetup();
    const object = structuredClone(
      new VerticalPodAutoscaler(stack, "api", { namespace: ns, target: api }).object,
    ) as any;
    object.spec.updatePolicy.updateMode = "Always";
    object.spec.updatePolicy.minReplica = 1;
    object.spec.resourcePolicy.containerPolicies[0].maxAllowed = { cpu: "2 cores" };
    delete object.spec.targetRef.name;
    expect(validateAgainstSchema(object, SCHEMA)).toEqual([
      '$.spec.targetRef: "name" is required',
      '$.spec.updatePolicy.updateMode: "Always" is not one of ["Off","Initial","Recreate","InPlaceOrRecreate","InPlace","Auto"]',
      '$.spec.updatePolicy: unknown field "minReplica"',
      '$.spec.resourcePolicy.containerPolicies[0].maxAllowed.cpu: "2 cores" doesn\'t match ^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
    ]);
  });

  it("Jobs and CronJobs: batch/v1 targets, Initial allowed", () => {
    const { stack, ns } = vpaSetup();
    new VerticalPodAutoscaler(stack, "report", {
      namespace: ns,
      target: { kind: "CronJob", name: "report" },
      updateMode: "Initial",
    });
    const [[, release]] = releases(synthWith(stack));
    const object = rendered(release);
    expect(object.spec.targetRef).toEqual({ apiVersion: "batch/v1", kind: "CronJob", name: "report" });
    expect(validateAgainstSchema(object, SCHEMA)).toEqual([]);
  });

  it("accepts values known only at apply (cluster version, target name, bounds)", () => {
    const stack = workloadStack();
    new HelmProvider(stack, "helm", {});
    const cluster = testCluster(stack);
    Object.defineProperty(cluster, "kubernetesVersion", { value: Fn.lower("1.33") });
    new VerticalPodAutoscalerController(stack, "vpa-controller", { cluster });
    const ns = new Namespace(stack, "shop", { cluster });
    new VerticalPodAutoscaler(stack, "api", {
      namespace: ns,
      target: { kind: "Deployment", name: Fn.lower("API") },
      updateMode: "InPlaceOrRecreate",
      maxAllowed: { cpu: Fn.lower("2"), memory: "1Gi" },
      minAllowed: { cpu: "100m" },
    });
    const [[, release]] = releases(synthWith(stack));
    // Terraform interpolates the references inside the values document at apply.
    expect(release.name).toBe('vpa-${lower("API")}');
    expect(release.values[0]).toContain('"name": "${lower("API")}"');
    expect(release.values[0]).toContain('"cpu": "${lower("2")}"');
  });

  it("release names past Helm's 53 characters are shortened with a hash of the name", () => {
    const long = "a".repeat(60);
    expect(releaseNameFor(long)).toBe(`vpa-${"a".repeat(40)}-${releaseNameFor(long).slice(-8)}`);
    expect(releaseNameFor(long)).toHaveLength(53);
    expect(releaseNameFor(long)).not.toBe(releaseNameFor(`${"a".repeat(59)}b`));
    expect(releaseNameFor("x".repeat(49))).toBe(`vpa-${"x".repeat(49)}`);
  });

  it("with the cluster's own VPA: no dependency on a release", () => {
    const { stack, ns } = vpaSetup({ controller: "1.6.0" });
    new VerticalPodAutoscaler(stack, "api", { namespace: ns, target: api, updateMode: "InPlaceOrRecreate" });
    const [[, release]] = releases(synthWith(stack));
    expect(release.depends_on).toEqual([expect.stringMatching(/^kubernetes_namespace_v1\.shop_namespace_/)]);
  });
});

describe("VerticalPodAutoscaler: bad input", () => {
  const make = (props: Partial<VerticalPodAutoscalerProps>, o: Parameters<typeof vpaSetup>[0] = {}) => {
    const { stack, ns } = vpaSetup(o);
    new VerticalPodAutoscaler(stack, "api", { namespace: ns, target: api, ...props });
    return stack;
  };

  it("throws when InPlaceOrRecreate is asked of a cluster before 1.33", () => {
    expect(() => make({ updateMode: "InPlaceOrRecreate" }, { kubernetesVersion: "1.32" })).toThrow(
      'VerticalPodAutoscaler \'api\': updateMode "InPlaceOrRecreate" needs in-place pod resize, which Kubernetes 1.32 (cluster "test") doesn\'t enable: InPlacePodVerticalScaling is on by default from 1.33; use "Recreate" (pods are evicted and recreated with the recommendation) or "Off", or upgrade the cluster to 1.33 or later',
    );
    expect(() => make({ updateMode: "InPlaceOrRecreate" }, { kubernetesVersion: "1.33" })).not.toThrow();
  });

  it("throws on an update mode VPA deprecated or that isn't one", () => {
    expect(() => make({ updateMode: "Auto" as never })).toThrow(
      "VerticalPodAutoscaler 'api': updateMode \"Auto\" is not a VPA update mode; use one of Off, Initial, Recreate, InPlaceOrRecreate",
    );
    expect(() => make({ updateMode: "off" as never })).toThrow(
      'VerticalPodAutoscaler \'api\': updateMode "off" is not a VPA update mode (values are case-sensitive); use "Off"',
    );
  });

  it("throws when a Job's pods would be evicted", () => {
    expect(() => make({ target: { kind: "Job", name: "migrate" }, updateMode: "Recreate" })).toThrow(
      'VerticalPodAutoscaler \'api\': updateMode "Recreate" would evict or resize running Job pods: a run is interrupted (its pod restarts from the beginning) to change its requests; use "Initial" (each new run starts with the recommendation) or "Off"',
    );
  });

  it("throws when minAllowed is above maxAllowed (also per container)", () => {
    expect(() => make({ minAllowed: { cpu: "2" }, maxAllowed: { cpu: "1500m" } })).toThrow(
      'VerticalPodAutoscaler \'api\': minAllowed.cpu "2" is above maxAllowed.cpu ("1500m"); lower minAllowed.cpu or raise maxAllowed.cpu',
    );
    expect(() =>
      make({ minAllowed: { memory: "1Gi" }, containers: { app: { maxAllowed: { memory: "512Mi" } } } }),
    ).toThrow(
      'VerticalPodAutoscaler \'api\': containers["app"].minAllowed.memory "1Gi" is above containers["app"].maxAllowed.memory ("512Mi"); lower minAllowed.memory or raise maxAllowed.memory',
    );
  });

  it("throws on a quantity that isn't one, or zero", () => {
    expect(() => make({ maxAllowed: { memory: "1GB" } })).toThrow(
      'VerticalPodAutoscaler \'api\': maxAllowed.memory "1GB" is not a Kubernetes quantity; use a number with an optional suffix, e.g. "250m" or "1" for CPU, "512Mi" or "2Gi" for memory and storage',
    );
    expect(() => make({ minAllowed: { cpu: "0" } })).toThrow(
      "VerticalPodAutoscaler 'api': minAllowed.cpu \"0\" is zero; give a positive amount",
    );
  });

  it("throws on a bound of a resource VPA doesn't control", () => {
    expect(() => make({ controlledResources: ["memory"], maxAllowed: { cpu: "1" } })).toThrow(
      'VerticalPodAutoscaler \'api\': maxAllowed.cpu "1" bounds a resource VPA doesn\'t control here (controlledResources ["memory"]), so it would do nothing; add "cpu" to controlledResources, or remove the bound',
    );
  });

  it("throws on controlledResources that control nothing, repeat, or aren't resources", () => {
    expect(() => make({ controlledResources: [] })).toThrow(
      'VerticalPodAutoscaler \'api\': controlledResources [] controls nothing; list "cpu" and/or "memory", or set the container\'s mode to "Off"',
    );
    expect(() => make({ controlledResources: ["cpu", "cpu"] })).toThrow(
      'VerticalPodAutoscaler \'api\': controlledResources ["cpu","cpu"] lists a resource twice; list each resource once',
    );
    expect(() => make({ controlledResources: ["gpu" as never] })).toThrow(
      "VerticalPodAutoscaler 'api': controlledResources[0] \"gpu\" is not a resource VPA sizes; use one of cpu, memory",
    );
  });

  it("throws on a container key that is VPA's default policy or not a container name", () => {
    expect(() => make({ containers: { "*": {} } })).toThrow(
      "VerticalPodAutoscaler 'api': containers key \"*\" is VPA's default policy, which this construct writes from the top-level settings; set controlledResources, minAllowed and maxAllowed at the top level",
    );
    expect(() => make({ containers: { App: {} } })).toThrow(
      "VerticalPodAutoscaler 'api': containers key \"App\" is not a valid container name (a DNS-1123 label); use 1 to 63 lower-case letters, digits and hyphens, starting and ending with a letter or digit",
    );
  });

  it("throws on minReplicas below 1 and on a bad name", () => {
    expect(() => make({ minReplicas: 0 })).toThrow(/^VerticalPodAutoscaler 'api': minReplicas 0 /);
    expect(() => make({ name: "API" })).toThrow(
      "VerticalPodAutoscaler 'api': name \"API\" is not a valid VerticalPodAutoscaler name (a DNS-1123 subdomain); use up to 253 lower-case letters, digits, hyphens and dots, starting and ending with a letter or digit",
    );
  });

  it("throws when a namespace gets two of one name", () => {
    const { stack, ns } = vpaSetup();
    new VerticalPodAutoscaler(stack, "a", { namespace: ns, target: api });
    expect(
      () => new VerticalPodAutoscaler(stack, "b", { namespace: ns, target: { kind: "Deployment", name: "api" } }),
    ).toThrow(
      'VerticalPodAutoscaler \'b\': name "api" is already a VerticalPodAutoscaler in namespace "shop" (one object, and one Helm release, per name); give each VerticalPodAutoscaler of a namespace its own name',
    );
  });

  it("fails synth when the stack has no VPA (the CRD would not exist at apply)", () => {
    const stack = make({}, { controller: "none" });
    expect(() => Testing.synth(stack, true)).toThrow(
      "VerticalPodAutoscaler 'api': target Deployment \"api\" needs the Vertical Pod Autoscaler, but this stack installs none, so the VerticalPodAutoscaler CRD would not exist at apply (\"no matches for kind VerticalPodAutoscaler\"); install it with ClusterControllers' verticalPodAutoscaler (or declare the cluster's own with { existing: { vpaVersion } }), or remove the VerticalPodAutoscaler",
    );
  });

  it("fails synth when the cluster's own VPA is too old for InPlaceOrRecreate", () => {
    const stack = make({ updateMode: "InPlaceOrRecreate" }, { controller: "1.4.1" });
    expect(() => Testing.synth(stack, true)).toThrow(
      'VerticalPodAutoscaler \'api\': updateMode "InPlaceOrRecreate" needs VPA 1.5.0 or later, but the cluster\'s VPA is 1.4.1 (the mode is behind an alpha feature gate before 1.5.0); use "Recreate", or upgrade VPA',
    );
  });

  it("fails synth for an updating mode in a namespace the webhook skips; Off is fine there", () => {
    const mk = (updateMode: "Off" | "Initial") => {
      const stack = workloadStack();
      new HelmProvider(stack, "helm", {});
      const cluster = testCluster(stack);
      new VerticalPodAutoscalerController(stack, "vpa-controller", { cluster });
      // Namespace refuses kube-system (Kubernetes creates it): a hand-written INamespace stands in.
      const ns = Object.assign(new Construct(stack, "sys"), {
        name: "kube-system",
        cluster,
        podSecurityLevel: "privileged" as const,
        commonLabels: {},
        fargateProfileFor: () => undefined,
      });
      new VerticalPodAutoscaler(stack, "dns", {
        namespace: ns,
        target: { kind: "Deployment", name: "coredns" },
        updateMode,
      });
      return stack;
    };
    expect(() => Testing.synth(mk("Initial"), true)).toThrow(
      'VerticalPodAutoscaler \'dns\': updateMode "Initial" applies recommendations through the VPA admission webhook, which skips namespace "kube-system" (kube-system excluded), so pods would keep their declared requests; use updateMode "Off" there, or move the workload to another namespace',
    );
    expect(() => Testing.synth(mk("Off"), true)).not.toThrow();
  });
});

describe("the vendored CRD as read", () => {
  it("has the v1 fields the construct renders, with their enums", () => {
    const spec = SCHEMA.properties!.spec;
    expect(spec.required).toEqual(["targetRef"]);
    expect(spec.properties!.updatePolicy.properties!.updateMode.enum).toEqual([
      "Off",
      "Initial",
      "Recreate",
      "InPlaceOrRecreate",
      "InPlace",
      "Auto",
    ]);
    const policy = spec.properties!.resourcePolicy.properties!.containerPolicies.items!;
    expect(policy.properties!.controlledValues.enum).toEqual(["RequestsAndLimits", "RequestsOnly"]);
    expect(policy.properties!.mode.enum).toEqual(["Auto", "Off"]);
  });
});
