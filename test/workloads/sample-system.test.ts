import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ExistingVerticalPodAutoscaler } from "../../constructs/controllers/vertical-pod-autoscaler";
import { dev } from "../../config/environments";
import { PlatformStack } from "../../stacks/platform-stack";
import { addSampleSystem, SAMPLE_IMAGES, SampleSystem } from "../../stacks/sample-system";
import { warningsOf } from "../fixtures";
import { FakeLoadBalancing } from "./fixtures";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-123456789012";

function build(options: { tags?: { web?: string }; withRegistry?: boolean; certificateArn?: string } = {}): {
  stack: TerraformStack;
  platform: PlatformStack;
  system: SampleSystem;
  json: any;
} {
  const app: App = Testing.app();
  const platform = new PlatformStack(app, "platform-dev", dev);
  const stack = new TerraformStack(app, "workloads-dev");
  new AwsProvider(stack, "aws", { region: dev.region });
  new KubernetesProvider(stack, "kubernetes", {});
  const system = addSampleSystem(stack, {
    cluster: platform.cluster,
    registry: options.withRegistry ? platform.registry : undefined,
    tags: options.tags,
    certificateArn: options.certificateArn,
  });
  new FakeLoadBalancing(stack, "load-balancing");
  // The sample's VPA objects (recommendations only) need a VPA in the stack.
  new HelmProvider(stack, "helm", {});
  new ExistingVerticalPodAutoscaler(stack, "vpa", { vpaVersion: "1.8.0" });
  const json = JSON.parse(Testing.synth(stack, true));
  return { stack, platform, system, json };
}

const byName = (json: any, type: string): Record<string, any> =>
  Object.fromEntries(
    Object.values(json.resource[type] ?? {}).map((r: any) => [`${r.metadata.namespace ?? ""}/${r.metadata.name}`, r]),
  );

describe("sample system", () => {
  const { system, json, stack } = build({ certificateArn: CERT });

  test("puts every component in its own restricted, default-deny namespace", () => {
    const namespaces = Object.values(json.resource.kubernetes_namespace_v1).map((n: any) => n.metadata);
    expect(namespaces.map((m: any) => m.name).sort()).toEqual(["api", "batch", "data", "web", "worker"]);
    for (const m of namespaces) expect(m.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const policies = byName(json, "kubernetes_network_policy_v1");
    for (const ns of ["api", "batch", "data", "web", "worker"]) {
      expect(policies[`${ns}/default-deny`].spec.policy_types).toEqual(["Ingress", "Egress"]);
      expect(policies[`${ns}/allow-dns`]).toBeDefined();
    }
  });

  test("runs pinned public images by default", () => {
    const deployments = byName(json, "kubernetes_deployment_v1");
    expect(deployments["web/web"].spec.template.spec.container[0].image).toBe(SAMPLE_IMAGES.web);
    expect(deployments["api/api"].spec.template.spec.container[0].image).toBe(SAMPLE_IMAGES.api);
    expect(deployments["worker/worker"].spec.template.spec.container[0].image).toBe(SAMPLE_IMAGES.worker);
    for (const image of Object.values(SAMPLE_IMAGES)) expect(image).toMatch(/:[0-9][\w.-]*$/);
  });

  test("publishes the web service through an internet-facing ALB Ingress with HPA and PDB", () => {
    const ingress = byName(json, "kubernetes_ingress_v1")["web/web"];
    expect(ingress.spec.ingress_class_name).toBe("alb");
    expect(ingress.metadata.annotations).toMatchObject({
      "alb.ingress.kubernetes.io/scheme": "internet-facing",
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/group.name": "sample",
      "alb.ingress.kubernetes.io/certificate-arn": CERT,
    });
    expect(ingress.depends_on).toEqual([
      expect.stringMatching(/^kubernetes_namespace_v1\.web_namespace_/),
      expect.stringMatching(/^kubernetes_config_map_v1\.load-balancing_controller_/),
    ]);
    expect(byName(json, "kubernetes_horizontal_pod_autoscaler_v2")["web/web"].spec.min_replicas).toBe(2);
    expect(byName(json, "kubernetes_pod_disruption_budget_v1")["web/web"].spec.max_unavailable).toBe("1");
    expect(byName(json, "kubernetes_network_policy_v1")["web/web-from-vpc"].spec.ingress[0].from[0].ip_block.cidr).toBe(
      dev.network.cidr,
    );
  });

  test("the API serves HTTP only: agnhost serve-hostname, not netexec with its /shell, /upload and /exit", () => {
    const api = byName(json, "kubernetes_deployment_v1")["api/api"].spec.template.spec.container[0];
    expect(api.image).toBe("registry.k8s.io/e2e-test-images/agnhost:2.52");
    expect(api.args).toEqual(["serve-hostname", "--http", "--port=8080"]);
    expect(api.command).toBeUndefined();
    // serve-hostname listens on --port and answers every path, so the probes' /healthz is served.
    expect(api.port).toEqual([{ name: "http", container_port: 8080, protocol: "TCP" }]);
    expect(api.readiness_probe.http_get).toEqual({ path: "/healthz", port: "http" });
    expect(api.security_context).toMatchObject({ run_as_non_root: true, read_only_root_filesystem: true });
  });

  test("gives the API an IAM role through Pod Identity in the workloads stack, without the Kubernetes API token", () => {
    const association = Object.values(json.resource.aws_eks_pod_identity_association) as any[];
    expect(association).toHaveLength(1);
    expect(association[0]).toMatchObject({ namespace: "api", service_account: "api" });
    expect(system.api.awsRole?.mechanism).toBe("pod-identity");
    const sa = byName(json, "kubernetes_service_account_v1");
    expect(sa["api/api"].automount_service_account_token).toBe(false);
    expect(sa["web/web"].automount_service_account_token).toBe(false);
    const policies = byName(json, "kubernetes_network_policy_v1");
    expect(policies["api/api-to-pod-identity"].spec.egress[0].to[0].ip_block.cidr).toBe("169.254.170.23/32");
  });

  test("runs the report CronJob in the Fargate batch namespace, with a written exception for Fargate's unenforced policies", () => {
    const cron = byName(json, "kubernetes_cron_job_v1")["batch/report"];
    expect(cron.spec).toMatchObject({
      schedule: "30 2 * * *",
      timezone: "Europe/Dublin",
      concurrency_policy: "Forbid",
    });
    expect(system.namespaces.batch.node.id).toBe("batch");
    expect(warningsOf(stack).filter((w) => w.includes("Namespace 'batch'"))).toEqual([]);
  });

  test("keeps the cache on a retained, encrypted gp3 volume", () => {
    const sc = Object.values(json.resource.kubernetes_storage_class_v1)[0] as any;
    expect(sc).toMatchObject({
      storage_provisioner: "ebs.csi.aws.com",
      reclaim_policy: "Retain",
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
      parameters: { type: "gp3", encrypted: "true" },
    });
    const sts = byName(json, "kubernetes_stateful_set_v1")["data/cache"];
    expect(sts.spec.volume_claim_template[0].spec).toMatchObject({
      storage_class_name: "gp3-encrypted",
      resources: { requests: { storage: "10Gi" } },
    });
    expect(sts.spec.template.spec.security_context.fs_group).toBe("999");
  });

  test("allows exactly the connections between the components", () => {
    const policies = byName(json, "kubernetes_network_policy_v1");
    expect(Object.keys(policies).sort()).toMatchSnapshot();
    expect(policies["data/from-api"].spec.ingress[0].from[0]).toEqual({
      namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "api" } },
      pod_selector: { match_labels: { "app.kubernetes.io/component": "web-service", "app.kubernetes.io/name": "api" } },
    });
  });
});

test("sample system: a team points a component at its own ECR repository and tag", () => {
  const { json } = build({ withRegistry: true, tags: { web: "1.4.2" } });
  const web = byName(json, "kubernetes_deployment_v1")["web/web"];
  expect(web.spec.template.spec.container[0].image).toMatch(/^\$\{.*aws_ecr_repository.*repository_url.*\}:1\.4\.2$/);
});

test("sample system: without a certificate the web ALB stays internal, and nothing warns", () => {
  const { json, stack } = build();
  const ingress = byName(json, "kubernetes_ingress_v1")["web/web"];
  expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/scheme"]).toBe("internal");
  expect(warningsOf(stack)).toEqual([]);
});
