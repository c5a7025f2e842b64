import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";
import { PlatformConfig } from "../config/environments";
import { PolicyChecks } from "../constructs/policy";
import { imageReference } from "../constructs/registry";
import { Namespace, WebService } from "../constructs/workloads";
import { buildApp, BuildOptions } from "../main";
import { PlatformStack, repositoriesOf } from "../stacks/platform-stack";
import { WorkloadsStack } from "../stacks/workloads-stack";
import { expectValidKubernetes } from "./kubernetes-schema";

// What holds for the default app however its user changes it: the invariants its tests assert. The
// default app (config/environments.ts, stacks/sample-system.ts, main.ts) is the user's to change, so
// its tests never pin how many of anything it has; its counts and exact shapes are in the reviewed
// snapshots (test/default-app-snapshots.test.ts, test/platform-stack.test.ts,
// test/workloads-stack.test.ts), which `npm run test:update-snapshots` records after a change.
// test/default-app-invariants.test.ts runs every check here against the default app and against a copy
// of it with a team's own repository, namespace and web service added the README's way.

/** One resource of a synthesized stack. */
export interface SynthesizedResource {
  readonly type: string;
  readonly name: string;
  /** `<type>.<name>`, as Terraform addresses it. */
  readonly address: string;
  readonly body: any;
}

/** An app synthesized into its own directory, read back as Terraform JSON. */
export interface SynthesizedApp {
  readonly app: App;
  readonly outdir: string;
  /** The app's stack ids, in the app's order. */
  readonly stackIds: string[];
  /** The `cdk.tf.json` path of a stack. */
  file(stackId: string): string;
  json(stackId: string): any;
  resources(stackId: string): SynthesizedResource[];
  /** Removes the output directory. */
  dispose(): void;
}

/** Synthesizes `app` (built on `new App({ outdir })` by `build`) into a fresh temporary directory. */
export function synthesizeApp(build: (app: App) => App, synth: (app: App) => void = (a) => a.synth()): SynthesizedApp {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "default-app-"));
  const app = build(new App({ outdir }));
  synth(app);
  const cache = new Map<string, any>();
  const file = (id: string) => path.join(outdir, "stacks", id, "cdk.tf.json");
  const json = (id: string) => {
    if (!cache.has(id)) cache.set(id, JSON.parse(fs.readFileSync(file(id), "utf8")));
    return cache.get(id);
  };
  return {
    app,
    outdir,
    stackIds: app.node.children.filter((c) => c instanceof TerraformStack).map((c) => c.node.id),
    file,
    json,
    resources: (id) => resourcesOf(json(id)),
    dispose: () => fs.rmSync(outdir, { recursive: true, force: true }),
  };
}

/** Every resource of a Terraform JSON document. */
export function resourcesOf(json: any): SynthesizedResource[] {
  return Object.entries((json.resource ?? {}) as Record<string, Record<string, any>>).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => ({ type, name, address: `${type}.${name}`, body })),
  );
}

/** How many resources of each type a Terraform JSON document has (those `filter` keeps). */
export function countByType(json: any, filter: (type: string) => boolean = () => true): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of resourcesOf(json)) if (filter(r.type)) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
}

/**
 * The policy checks ran over every stack of the app, found no error and no warning, and every
 * suppression says why. The checks must have run (the app synthesized).
 */
export function expectPolicyClean(app: App): void {
  const checks = PolicyChecks.of(app);
  expect(checks).toBeDefined();
  const stacks = app.node.children.filter((c) => c instanceof TerraformStack).map((c) => c.node.id);
  expect(checks!.results.map((r) => r.stack).sort()).toEqual([...stacks].sort());
  for (const result of checks!.results) {
    expect([result.stack, result.findings.map((f) => f.message)]).toEqual([result.stack, []]);
    for (const s of result.suppressed)
      expect([s.ruleId, s.suppressedAt, s.reason.length > 20]).toEqual([s.ruleId, s.suppressedAt, true]);
  }
}

/**
 * Every Kubernetes object of a stack is valid against the Kubernetes schema; only Helm releases are
 * skipped. A stack with no kubernetes_* resource at all (an environment without the sample: only the
 * controllers' releases) has nothing to validate.
 */
export function expectKubernetesValid(file: string): void {
  const types = Object.keys((JSON.parse(fs.readFileSync(file, "utf8")) as { resource?: object }).resource ?? {});
  if (!types.some((t) => t.startsWith("kubernetes_"))) return;
  const { objects, skipped } = expectValidKubernetes(file);
  expect(objects.length).toBeGreaterThan(0);
  expect(skipped.filter((s) => !s.startsWith("helm_release."))).toEqual([]);
}

const labelsMatch = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  selector !== undefined &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** The pod workloads of a stack (Deployments, StatefulSets, CronJobs), with their namespace and pod labels. */
function podWorkloads(resources: SynthesizedResource[]) {
  const kinds: Record<string, string> = {
    kubernetes_deployment_v1: "Deployment",
    kubernetes_stateful_set_v1: "StatefulSet",
    kubernetes_cron_job_v1: "CronJob",
  };
  return resources
    .filter((r) => kinds[r.type])
    .map((r) => {
      const podSpec =
        r.type === "kubernetes_cron_job_v1" ? r.body.spec.job_template.spec.template : r.body.spec.template;
      return {
        resource: r,
        kind: kinds[r.type],
        name: r.body.metadata.name as string,
        namespace: r.body.metadata.namespace as string,
        podLabels: podSpec.metadata.labels as Record<string, string>,
        serviceAccount: podSpec.spec.service_account_name as string | undefined,
      };
    });
}

/**
 * Every workload of a workloads stack is wired: in a namespace of the stack that denies by default,
 * with its own service account; every Service, PodDisruptionBudget and pod-selecting NetworkPolicy
 * selects pods of a workload in its namespace; every HPA scales a workload that exists; every Ingress
 * sends to a Service port that exists. A Service or policy that selects nothing is a silent outage.
 */
export function expectWorkloadsWired(json: any): void {
  const resources = resourcesOf(json);
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  const namespaces = new Set(ofType("kubernetes_namespace_v1").map((r) => r.body.metadata.name as string));
  const policies = ofType("kubernetes_network_policy_v1");
  const workloads = podWorkloads(resources);
  // An environment without workloads (no sample, nothing added yet: only the controllers) has nothing to wire.
  if (namespaces.size === 0 && workloads.length === 0) return;
  expect(workloads.length).toBeGreaterThan(0);
  for (const ns of namespaces) {
    const denyAll = policies.find(
      (p) =>
        p.body.metadata.namespace === ns &&
        Object.keys(p.body.spec.pod_selector ?? {}).length === 0 &&
        [...p.body.spec.policy_types].sort().join() === "Egress,Ingress" &&
        p.body.spec.ingress === undefined &&
        p.body.spec.egress === undefined,
    );
    expect([ns, denyAll?.body.metadata.name]).toEqual([ns, "default-deny"]);
  }
  const serviceAccounts = new Set(
    ofType("kubernetes_service_account_v1").map((r) => `${r.body.metadata.namespace}/${r.body.metadata.name}`),
  );
  for (const w of workloads) {
    const id = `${w.kind} ${w.namespace}/${w.name}`;
    expect([id, namespaces.has(w.namespace)]).toEqual([id, true]);
    expect([id, serviceAccounts.has(`${w.namespace}/${w.serviceAccount}`)]).toEqual([id, true]);
  }
  const selectsSome = (namespace: string, selector: Record<string, string> | undefined) =>
    workloads.some((w) => w.namespace === namespace && labelsMatch(selector, w.podLabels));
  for (const s of ofType("kubernetes_service_v1")) {
    const id = `Service ${s.body.metadata.namespace}/${s.body.metadata.name}`;
    expect([id, selectsSome(s.body.metadata.namespace, s.body.spec.selector)]).toEqual([id, true]);
  }
  for (const b of ofType("kubernetes_pod_disruption_budget_v1")) {
    const id = `PodDisruptionBudget ${b.body.metadata.namespace}/${b.body.metadata.name}`;
    const selector = b.body.spec.selector.match_labels;
    expect([id, selectsSome(b.body.metadata.namespace, selector)]).toEqual([id, true]);
  }
  for (const p of policies) {
    const selector = p.body.spec.pod_selector?.match_labels;
    if (selector === undefined) continue; // the namespace-wide defaults (deny, DNS)
    const id = `NetworkPolicy ${p.body.metadata.namespace}/${p.body.metadata.name}`;
    expect([id, selectsSome(p.body.metadata.namespace, selector)]).toEqual([id, true]);
  }
  for (const h of ofType("kubernetes_horizontal_pod_autoscaler_v2")) {
    const target = h.body.spec.scale_target_ref;
    const id = `HorizontalPodAutoscaler ${h.body.metadata.namespace}/${h.body.metadata.name}`;
    const found = workloads.some(
      (w) => w.namespace === h.body.metadata.namespace && w.kind === target.kind && w.name === target.name,
    );
    expect([id, found]).toEqual([id, true]);
  }
  const services = ofType("kubernetes_service_v1").map((s) => ({
    key: `${s.body.metadata.namespace}/${s.body.metadata.name}`,
    ports: (s.body.spec.port ?? []).map((p: any) => p.port as number),
  }));
  for (const i of ofType("kubernetes_ingress_v1")) {
    const backends = (i.body.spec.rule ?? []).flatMap((r: any) =>
      (r.http?.path ?? []).map((p: any) => p.backend.service),
    );
    if (i.body.spec.default_backend?.service) backends.push(i.body.spec.default_backend.service);
    expect(backends.length).toBeGreaterThan(0);
    for (const b of backends) {
      const id = `Ingress ${i.body.metadata.namespace}/${i.body.metadata.name} → ${b.name}:${b.port.number}`;
      const service = services.find((s) => s.key === `${i.body.metadata.namespace}/${b.name}`);
      expect([id, service?.ports.includes(b.port.number)]).toEqual([id, true]);
    }
  }
}

/**
 * The registry of a platform stack is wired: every repository has its lifecycle policy and a
 * repository policy granting pull to every node role and Fargate pod execution role of the stack,
 * and the `repository_urls` output lists exactly the repositories the config asks for.
 */
export function expectRegistryWired(json: any, config: PlatformConfig): void {
  const resources = resourcesOf(json);
  const repositories = resources.filter((r) => r.type === "aws_ecr_repository");
  const names = Object.keys(repositoriesOf(config)).sort();
  expect(repositories.map((r) => r.body.name).sort()).toEqual(names);
  expect(Object.keys(json.output.repository_urls.value).sort()).toEqual(names);
  const pullers = resources
    .filter((r) => r.type === "aws_iam_role")
    .filter((r) => /node-group.*node-role|fargate.*pod-execution-role/.test(r.name))
    .map((r) => `aws_iam_role.${r.name}.arn`);
  expect(pullers.length).toBeGreaterThan(0);
  const forRepository = (type: string, repo: SynthesizedResource) =>
    resources.filter((r) => r.type === type && r.body.repository === `\${aws_ecr_repository.${repo.name}.name}`);
  for (const repo of repositories) {
    expect([repo.body.name, forRepository("aws_ecr_lifecycle_policy", repo).length]).toEqual([repo.body.name, 1]);
    const [policy] = forRepository("aws_ecr_repository_policy", repo);
    expect([repo.body.name, policy !== undefined]).toEqual([repo.body.name, true]);
    for (const role of pullers)
      expect([repo.body.name, policy.body.policy]).toEqual([repo.body.name, expect.stringContaining(role)]);
  }
}

/**
 * What the README's "Adding a workload" adds, by name: names no user picks, so the check also runs
 * on an app its user has already extended (scripts/walk.js --tests adds "shop" first).
 */
export const TEAM_WORKLOAD = {
  repository: "apps/invariants-check",
  namespace: "invariants-check",
  name: "invariants-check",
} as const;

/** The environments' configuration with the team's repository added (config/environments.ts's `registry`). */
export function withTeamRepository(config: PlatformConfig): PlatformConfig {
  return {
    ...config,
    registry: {
      ...config.registry,
      repositories: { ...config.registry.repositories, [TEAM_WORKLOAD.repository]: {} },
    },
  };
}

/**
 * The default app as a user extends it the README's way ("Adding a workload"): a repository in the
 * config, and in every workloads stack, next to the sample, a Namespace and a WebService running that
 * repository's image. The same code a user would write in main.ts, run on the built app instead, so
 * the real files stay as they are (scripts/walk.js makes the edit itself, in a copy of the repository).
 */
export function buildExtendedApp(app: App, names?: string[], options: BuildOptions = {}): App {
  const configure = options.configure;
  buildApp(app, names, {
    ...options,
    configure: (c) => withTeamRepository(configure ? configure(c) : c),
  });
  const stacks = app.node.children;
  for (const workloads of stacks.filter((c): c is WorkloadsStack => c instanceof WorkloadsStack)) {
    const env = workloads.node.id.replace(/^workloads-/, "");
    const platform = stacks.find(
      (c): c is PlatformStack => c instanceof PlatformStack && c.node.id === `platform-${env}`,
    )!;
    const namespace = new Namespace(workloads, TEAM_WORKLOAD.namespace, { cluster: workloads.cluster });
    new WebService(workloads, `${TEAM_WORKLOAD.name}-web`, {
      namespace,
      name: TEAM_WORKLOAD.name,
      image: imageReference(platform.registry.repository(TEAM_WORKLOAD.repository).repositoryUrl, { tag: "1.0.0" }),
      ports: [{ name: "http", port: 8080 }],
      resources: { cpu: "100m", memory: "128Mi" },
      securityContext: { runAsUser: 10001, runAsGroup: 10001 },
      probes: {
        readiness: { http: { path: "/ready", port: "http" } },
        liveness: { http: { path: "/healthz", port: "http" } },
      },
    });
  }
  return app;
}
