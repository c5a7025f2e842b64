import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { buildApp } from "../../main";
import { CLUSTER_AUTOSCALER_CHART, ClusterAutoscaler } from "../../constructs/controllers/cluster-autoscaler";
import {
  CLUSTER_AUTOSCALER_RBAC_NEEDS,
  CLUSTER_AUTOSCALER_VERSIONS,
} from "../../constructs/controllers/cluster-autoscaler-versions";
import { ALB_CONTROLLER_CHART } from "../../constructs/controllers/aws-load-balancer-controller";
import { INGRESS_CLASS_PARAMS_CHART_DIR } from "../../constructs/controllers/auto-mode-load-balancing";
import { VPA_CHART, VerticalPodAutoscalerController } from "../../constructs/controllers/vertical-pod-autoscaler";
import { VPA_OBJECT_CHART_DIR } from "../../constructs/workloads/vertical-pod-autoscaler";
import { DEFAULT_KUBERNETES_VERSION } from "../../constructs/eks/cluster";
import { READINESS_GATE_LABEL } from "../../constructs/workloads/load-balancer-drain";
import {
  chartFile,
  grants,
  topLevelScalars,
  unconditionalRules,
  unknownValuePaths,
  valuesKeys,
  webhooks,
} from "./chart-files";
import { controllerStack, resourceOf, synthJson, valuesOf } from "./fixtures";

// The checks of "make this class of defect checkable here" (issue 16): the values we set, the
// version table, the ClusterRole and the webhooks, against the chart files vendored in
// test/controllers/charts (see its README and each SOURCE.md).

const minorOf = (v: string) => /^v?(\d+\.\d+)\./.exec(v)?.[1];
const caDir = (chartVersion: string) => `cluster-autoscaler-${chartVersion}`;
const minorAtMost = (a: string, b: string) => Number(a.split(".")[1]) <= Number(b.split(".")[1]);

/** Chart versions whose files couldn't be read at the release here (SOURCE.md says why): listed, so a new pin can't skip vendoring unnoticed. */
const UNVERIFIED = {
  values: [
    "cluster-autoscaler-9.44.0",
    "cluster-autoscaler-9.46.6",
    "cluster-autoscaler-9.51.0",
    "cluster-autoscaler-9.52.1",
    "aws-load-balancer-controller-1.14.1",
  ],
  clusterRole: ["cluster-autoscaler-9.44.0", "cluster-autoscaler-9.46.6", "cluster-autoscaler-9.51.0"],
};

/**
 * Values the chart passes through as a free-form map though its values.yaml lists defaults in it:
 * cluster-autoscaler renders each `extraArgs` key as a `--<key>=<value>` flag (values.yaml: "Additional
 * container arguments").
 */
const PASS_THROUGH = { "cluster-autoscaler": ["extraArgs"] };

/**
 * The load balancer controller chart's defaults for the values its webhook template reads. Its
 * values.yaml at 1.14.1 isn't vendored (SOURCE.md), so they are stated here: the Service mutator is
 * on by default (`enableServiceMutatorWebhook: true` in every stored values.yaml of the chart) and
 * every templated failurePolicy defaults to Fail, operations to CREATE (issue 16's reading of 1.14.1).
 */
const LBC_CHART_DEFAULTS = {
  enableServiceMutatorWebhook: true,
  serviceMutatorWebhookConfig: { failurePolicy: "Fail", operations: ["CREATE"] },
  podMutatorWebhookConfig: { failurePolicy: "Fail" },
  webhookConfig: { disableIngressValidation: false },
};

function merge(base: Record<string, any>, over: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...base };
  for (const [k, v] of Object.entries(over))
    out[k] = v && typeof v === "object" && !Array.isArray(v) && typeof base[k] === "object" ? merge(base[k], v) : v;
  return out;
}

/** The needs of CLUSTER_AUTOSCALER_RBAC_NEEDS a ClusterRole template doesn't grant for an autoscaler minor. */
function missingRbac(template: string, minor: string): string[] {
  const rules = unconditionalRules(template);
  return CLUSTER_AUTOSCALER_RBAC_NEEDS.filter((n) => minorAtMost(n.sinceMinor, minor)).flatMap((n) =>
    n.resources.filter((r) => !grants(rules, n.apiGroup, r, n.verbs)).map((r) => `${n.apiGroup || "core"}/${r}`),
  );
}

describe("the Cluster Autoscaler version table", () => {
  it("pins chart and image of the same Kubernetes minor, per the vendored Chart.yaml", () => {
    for (const row of CLUSTER_AUTOSCALER_VERSIONS) {
      expect([row.kubernetesVersion, minorOf(row.imageTag), minorOf(row.chartAppVersion + ".")]).toEqual([
        row.kubernetesVersion,
        row.kubernetesVersion,
        row.kubernetesVersion,
      ]);
      const chart = chartFile(caDir(row.chartVersion), "Chart.yaml");
      expect(chart).toBeDefined();
      expect(topLevelScalars(chart!)).toMatchObject({
        name: "cluster-autoscaler",
        version: row.chartVersion,
        appVersion: row.chartAppVersion,
      });
    }
  });

  it("has one row per minor, one for the default Kubernetes version, and CLUSTER_AUTOSCALER_CHART is that row", () => {
    const minors = CLUSTER_AUTOSCALER_VERSIONS.map((v) => v.kubernetesVersion);
    expect(new Set(minors).size).toBe(minors.length);
    const row = CLUSTER_AUTOSCALER_VERSIONS.find((v) => v.kubernetesVersion === DEFAULT_KUBERNETES_VERSION)!;
    expect({ version: CLUSTER_AUTOSCALER_CHART.version, appVersion: CLUSTER_AUTOSCALER_CHART.appVersion }).toEqual({
      version: row.chartVersion,
      appVersion: row.chartAppVersion,
    });
  });

  it("each pinned chart's ClusterRole grants what that autoscaler needs", () => {
    const checked = CLUSTER_AUTOSCALER_VERSIONS.filter((row) => {
      const template = chartFile(caDir(row.chartVersion), "templates/clusterrole.yaml");
      if (template === undefined) return false;
      expect({
        pair: `${row.chartVersion} + ${row.imageTag}`,
        missing: missingRbac(template, row.kubernetesVersion),
      }).toEqual({
        pair: `${row.chartVersion} + ${row.imageTag}`,
        missing: [],
      });
      return true;
    });
    const unchecked = CLUSTER_AUTOSCALER_VERSIONS.map((r) => caDir(r.chartVersion)).filter(
      (d) => !checked.some((r) => caDir(r.chartVersion) === d),
    );
    expect(unchecked).toEqual(UNVERIFIED.clusterRole);
  });

  it("chart 9.52.1 with autoscaler 1.35 (the pairing before 0.2.0) lacks the resource.k8s.io rules", () => {
    const template = chartFile(caDir("9.52.1"), "templates/clusterrole.yaml")!;
    expect(missingRbac(template, "1.35")).toEqual([
      "resource.k8s.io/resourceslices",
      "resource.k8s.io/deviceclasses",
      "resource.k8s.io/resourceclaims",
    ]);
    expect(missingRbac(template, "1.34")).toEqual([]);
  });
});

describe("the values we set exist in the pinned chart's values.yaml", () => {
  it("cluster-autoscaler: every key of every pinned version whose values.yaml is vendored", () => {
    const checked: string[] = [];
    for (const row of CLUSTER_AUTOSCALER_VERSIONS) {
      const text = chartFile(caDir(row.chartVersion), "values.yaml");
      if (text === undefined) continue;
      const { stack, cluster } = controllerStack({ kubernetesVersion: row.kubernetesVersion });
      new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1" });
      const values = valuesOf(resourceOf(synthJson(stack), "helm_release", "ca"));
      const known = valuesKeys(text);
      PASS_THROUGH["cluster-autoscaler"].forEach((k) => known.openMaps.add(k));
      expect({ chart: row.chartVersion, unknown: unknownValuePaths(values, known) }).toEqual({
        chart: row.chartVersion,
        unknown: [],
      });
      checked.push(caDir(row.chartVersion));
    }
    const all = [
      ...CLUSTER_AUTOSCALER_VERSIONS.map((r) => caDir(r.chartVersion)),
      `aws-load-balancer-controller-${ALB_CONTROLLER_CHART.version}`,
    ];
    expect(all.filter((d) => !checked.includes(d)).sort()).toEqual([...UNVERIFIED.values].sort());
  });

  it("the local ingress-class-params chart takes the keys AutoModeLoadBalancing sets", () => {
    const text = fs.readFileSync(path.join(INGRESS_CLASS_PARAMS_CHART_DIR, "values.yaml"), "utf8");
    const { stack, cluster } = controllerStack({ computeMode: "auto" });
    const { AutoModeLoadBalancing } = jest.requireActual("../../constructs/controllers/auto-mode-load-balancing");
    new AutoModeLoadBalancing(stack, "lb", { cluster, scheme: "internet-facing" });
    const values = valuesOf(resourceOf(synthJson(stack), "helm_release", "lb"));
    expect(unknownValuePaths(values, valuesKeys(text))).toEqual([]);
  });

  it("vertical-pod-autoscaler: every key we set is in the pinned chart's values.yaml", () => {
    const text = chartFile(`vertical-pod-autoscaler-${VPA_CHART.version}`, "values.yaml")!;
    const { stack, cluster } = controllerStack();
    new VerticalPodAutoscalerController(stack, "vpa", { cluster });
    const values = valuesOf(resourceOf(synthJson(stack), "helm_release", "vpa"));
    expect(unknownValuePaths(values, valuesKeys(text))).toEqual([]);
    // The check would see a key 0.13.0 doesn't have (newer templates read a top-level priorityClassName).
    expect(unknownValuePaths({ ...values, priorityClassName: "x" }, valuesKeys(text))).toEqual(["priorityClassName"]);
  });

  it("vertical-pod-autoscaler: the certificate hook Jobs read the placement keys we set", () => {
    for (const file of ["admission-controller-certgen.yaml", "admission-controller-certgen-patch.yaml"]) {
      const template = chartFile(`vertical-pod-autoscaler-${VPA_CHART.version}`, `templates/${file}`)!;
      expect({ file, hasSelector: template.includes("with .Values.admissionController.certGen.nodeSelector") }).toEqual(
        { file, hasSelector: true },
      );
      expect(template).toContain("with .Values.admissionController.certGen.tolerations");
    }
  });

  it("the local vertical-pod-autoscaler-object chart takes the keys VerticalPodAutoscaler sets", () => {
    const text = fs.readFileSync(path.join(VPA_OBJECT_CHART_DIR, "values.yaml"), "utf8");
    expect([...valuesKeys(text).keys].sort()).toEqual(["labels", "name", "spec"]);
    expect([...valuesKeys(text).openMaps].sort()).toEqual(["labels", "spec"]);
  });

  it("the check reports a typo and a key a chart doesn't have", () => {
    const text = chartFile(caDir(CLUSTER_AUTOSCALER_CHART.version), "values.yaml")!;
    expect(
      unknownValuePaths(
        {
          autoDiscovery: { clusterNmae: "x" },
          rbac: { serviceAccount: { name: "a" } },
          extraArgs: { v: 2 },
          podDisruptionBudgets: 1,
        },
        valuesKeys(text),
      ),
    ).toEqual(["autoDiscovery.clusterNmae", "podDisruptionBudgets"]);
  });
});

describe("admission webhooks with failurePolicy Fail", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "chart-checks-"));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  // The sample on both environments (prod runs it when it sets `sample: true`).
  buildApp(new App({ outdir }), ["dev", "prod"], { configure: (c) => ({ ...c, sample: true }) }).synth();
  const stackJson = (id: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));

  /** Every object the stack creates that a webhook could intercept, by "<group>/<resource>", with its namespace and depends_on. */
  function interceptable(json: any): { kind: string; namespace: string; id: string; dependsOn: string[] }[] {
    const out: { kind: string; namespace: string; id: string; dependsOn: string[] }[] = [];
    const add = (type: string, kind: string, ns: (r: any) => string) => {
      for (const [id, r] of Object.entries<any>(json.resource?.[type] ?? {}))
        out.push({ kind, namespace: ns(r), id: `${type}.${id}`, dependsOn: r.depends_on ?? [] });
    };
    const meta = (r: any) => r.metadata?.namespace ?? "default";
    add("kubernetes_service_v1", "/services", meta);
    add("kubernetes_ingress_v1", "networking.k8s.io/ingresses", meta);
    for (const t of [
      "kubernetes_deployment_v1",
      "kubernetes_stateful_set_v1",
      "kubernetes_cron_job_v1",
      "kubernetes_job_v1",
    ])
      add(t, "/pods", meta);
    // Charts: the autoscaler's Service (service.create, on by default) and its pods.
    for (const [id, r] of Object.entries<any>(json.resource?.helm_release ?? {})) {
      if (r.chart !== "cluster-autoscaler") continue;
      for (const kind of ["/services", "/pods"])
        out.push({ kind, namespace: r.namespace, id: `helm_release.${id}`, dependsOn: r.depends_on ?? [] });
    }
    return out;
  }

  it.each(["workloads-dev", "workloads-prod"])(
    "%s: every kind the load balancer controller's webhooks intercept is created after its release, or not intercepted",
    (id) => {
      const json = stackJson(id);
      const [releaseId, release] = Object.entries<any>(json.resource.helm_release).find(
        ([, r]) => r.chart === "aws-load-balancer-controller",
      )!;
      const ours = merge(LBC_CHART_DEFAULTS, JSON.parse(release.values[0]));
      const hooks = webhooks(
        chartFile(`aws-load-balancer-controller-${release.version}`, "templates/webhook.yaml")!,
        ours,
      );
      // The template as read: the Service mutator is gone with our values, the Ingress validator stays.
      expect(hooks.map((h) => h.name)).not.toContain("mservice.elbv2.k8s.aws");
      expect(hooks.map((h) => h.name)).toContain("vingress.elbv2.k8s.aws");
      const nsLabels: Record<string, Record<string, string>> = {};
      for (const r of Object.values<any>(json.resource.kubernetes_namespace_v1 ?? {}))
        nsLabels[r.metadata.name] = r.metadata.labels ?? {};
      // Object-label-gated webhooks need labels none of our objects carry.
      expect(JSON.stringify(json.resource)).not.toMatch(
        /elbv2\.k8s\.aws\/(alb-target-control-agent-inject|quic-server-id-inject)/,
      );
      // The pod mutator (readiness gates) intercepts every Pod CREATE in namespaces with the label,
      // with failurePolicy Fail (ours, stated): the Deployments there must wait for the release.
      expect(JSON.parse(release.values[0]).podMutatorWebhookConfig).toEqual({ failurePolicy: "Fail" });
      expect(hooks.find((h) => h.name === "mpod.elbv2.k8s.aws")).toMatchObject({
        failurePolicy: "Fail",
        resources: ["/pods"],
        operations: ["CREATE"],
        namespaceLabelsRequired: [READINESS_GATE_LABEL],
        objectLabelsRequired: [],
      });
      const entry = `helm_release.${releaseId}`;
      const violations: string[] = [];
      for (const hook of hooks.filter((h) => h.failurePolicy === "Fail" && h.operations.includes("CREATE"))) {
        if (hook.objectLabelsRequired.length > 0) continue;
        for (const o of interceptable(json)) {
          if (!hook.resources.includes(o.kind)) continue;
          const labels = nsLabels[o.namespace] ?? {};
          if (!hook.namespaceLabelsRequired.every((k) => k in labels)) continue;
          if (!o.dependsOn.includes(entry)) violations.push(`${hook.name} intercepts ${o.id}`);
        }
      }
      expect(violations).toEqual([]);
      // And the check sees an interception: the Ingress does wait for the release, and so do the
      // pods of the labelled namespace (the web front end behind the ALB).
      expect(
        interceptable(json)
          .filter((o) => o.kind === "networking.k8s.io/ingresses")
          .every((o) => o.dependsOn.includes(entry)),
      ).toBe(true);
      const gated = interceptable(json).filter(
        (o) => o.kind === "/pods" && nsLabels[o.namespace]?.[READINESS_GATE_LABEL] === "enabled",
      );
      expect(gated.map((o) => [o.namespace, o.dependsOn.includes(entry)])).toEqual([["web", true]]);
      // Pods of namespaces without the label don't wait for it (no needless ordering).
      expect(
        interceptable(json)
          .filter((o) => o.kind === "/pods" && !(READINESS_GATE_LABEL in (nsLabels[o.namespace] ?? {})))
          .filter((o) => o.dependsOn.includes(entry)),
      ).toEqual([]);
    },
  );

  it("with the chart's own default (Service mutator on), every Service CREATE is intercepted with failurePolicy Fail", () => {
    const json = stackJson("workloads-dev");
    const release = Object.values<any>(json.resource.helm_release).find(
      (r) => r.chart === "aws-load-balancer-controller",
    );
    const { enableServiceMutatorWebhook: _ours, ...rest } = JSON.parse(release.values[0]);
    const chartDefaults = merge(LBC_CHART_DEFAULTS, rest);
    const hooks = webhooks(
      chartFile(`aws-load-balancer-controller-${release.version}`, "templates/webhook.yaml")!,
      chartDefaults,
    );
    const mservice = hooks.find((h) => h.name === "mservice.elbv2.k8s.aws")!;
    expect(mservice).toMatchObject({ failurePolicy: "Fail", resources: ["/services"], namespaceLabelsRequired: [] });
    expect(mservice.operations).toEqual(["CREATE"]);
  });

  it.each(["workloads-dev", "workloads-prod"])(
    "%s: the VPA webhook (every Pod CREATE outside kube-system, VPA objects) has failurePolicy Ignore, so nothing waits for its release",
    (id) => {
      const json = stackJson(id);
      const release = Object.values<any>(json.resource.helm_release).find((r) => r.chart === "vertical-pod-autoscaler");
      expect(release).toBeDefined();
      const values = JSON.parse(release.values[0]);
      const template = chartFile(
        `vertical-pod-autoscaler-${release.version}`,
        "templates/admission-controller-webhook.yaml",
      )!;
      // Chart defaults the template's guard reads (values.yaml: admissionController.enabled, certGen.enabled).
      const hooks = webhooks(
        template,
        merge({ admissionController: { enabled: true, certGen: { enabled: true } } }, values),
      );
      expect(hooks.map((h) => [h.name, h.failurePolicy, h.resources, h.operations])).toEqual([
        [
          "vpa.k8s.io",
          "Ignore",
          ["/pods", "autoscaling.k8s.io/verticalpodautoscalers"],
          ["CREATE", "CREATE", "UPDATE"],
        ],
      ]);
      // With the chart's own failurePolicy default it would be Ignore too: ours is stated, not inherited.
      expect(values.admissionController.mutatingWebhookConfiguration.failurePolicy).toBe("Ignore");
    },
  );
});
