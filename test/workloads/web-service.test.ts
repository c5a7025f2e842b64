import { TerraformVariable, Testing } from "cdktf";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { VariableSecret, WebService, WebServiceOptions } from "../../constructs/workloads";
import { warningsOf } from "../fixtures";
import { FakeLoadBalancing, IMAGE, RESOURCES, setup, synthWith } from "./fixtures";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-123456789012";

function web(options: Partial<WebServiceOptions> = {}, lb = true) {
  const s = setup();
  const service = new WebService(s.stack, "web", {
    namespace: s.ns,
    image: IMAGE,
    resources: RESOURCES,
    ports: [{ name: "http", port: 8080 }],
    ...options,
  });
  if (lb) new FakeLoadBalancing(s.stack, "lb");
  return { ...s, service };
}

const deploymentOf = (json: any) => Object.values(json.resource.kubernetes_deployment_v1)[0] as any;

describe("WebService defaults", () => {
  const { stack, service } = web();
  const synth = Testing.synth(stack, true);
  const json = JSON.parse(synth);
  const deployment = deploymentOf(json);
  const pod = deployment.spec.template.spec;
  const container = pod.container[0];

  test("secure container: non-root, read-only root fs, no escalation, no capabilities, RuntimeDefault seccomp", () => {
    expect(container.security_context).toEqual({
      run_as_non_root: true,
      allow_privilege_escalation: false,
      read_only_root_filesystem: true,
      capabilities: { drop: ["ALL"] },
      seccomp_profile: { type: "RuntimeDefault" },
    });
    expect(pod.security_context).toEqual({ run_as_non_root: true, seccomp_profile: { type: "RuntimeDefault" } });
    expect(pod.host_network).toBeUndefined();
  });

  test("a writable in-memory /tmp and nothing else writable", () => {
    expect(pod.volume).toEqual([{ name: "tmp", empty_dir: { medium: "Memory", size_limit: "64Mi" } }]);
    expect(container.volume_mount).toEqual([{ name: "tmp", mount_path: "/tmp" }]);
  });

  test("no service-account token without AWS access", () => {
    expect(pod.automount_service_account_token).toBe(false);
    expect(synth).toHaveResourceWithProperties(ServiceAccountV1, { automount_service_account_token: false });
    expect(Object.keys(json.resource.aws_iam_role ?? {}).filter((k) => k.startsWith("web_"))).toEqual([]);
  });

  test("requests as given, memory limit = request, no CPU limit, 256Mi ephemeral storage requested and limited", () => {
    expect(container.resources).toEqual({
      requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "256Mi" },
      limits: { memory: "128Mi", "ephemeral-storage": "256Mi" },
    });
  });

  test("image pull policy Always for a tag-pinned image; the container is named after the workload", () => {
    expect(container.image_pull_policy).toBe("Always");
    expect(container.name).toBe("web");
  });

  test("rolling update that never drops capacity, 10 revisions kept for rollback", () => {
    expect(deployment.spec.strategy).toEqual({
      type: "RollingUpdate",
      rolling_update: { max_surge: "25%", max_unavailable: "0" },
    });
    expect(deployment.spec.revision_history_limit).toBe(10);
  });

  test("HPA (autoscaling/v2) 2-10 replicas on 70 % CPU and 80 % memory; Terraform leaves the replica count to it", () => {
    expect(synth).toHaveResourceWithProperties(HorizontalPodAutoscalerV2, {
      spec: {
        min_replicas: 2,
        max_replicas: 10,
        scale_target_ref: { api_version: "apps/v1", kind: "Deployment", name: "web" },
        metric: [
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", average_utilization: 70 } } },
          { type: "Resource", resource: { name: "memory", target: { type: "Utilization", average_utilization: 80 } } },
        ],
      },
    });
    expect(deployment.spec.replicas).toBe("2");
    expect(deployment.lifecycle).toEqual({ ignore_changes: ["spec[0].replicas"] });
  });

  test("PDB with maxUnavailable 1", () => {
    expect(synth).toHaveResourceWithProperties(PodDisruptionBudgetV1, {
      spec: { max_unavailable: "1", selector: { match_labels: service.selectorLabels } },
    });
  });

  test("spread across zones and nodes, preferred", () => {
    expect(pod.topology_spread_constraint.map((t: any) => [t.topology_key, t.when_unsatisfiable, t.max_skew])).toEqual([
      ["topology.kubernetes.io/zone", "ScheduleAnyway", 1],
      ["kubernetes.io/hostname", "ScheduleAnyway", 1],
    ]);
  });

  test("ClusterIP Service on every port, readiness TCP on the first port", () => {
    expect(synth).toHaveResource(ServiceV1);
    expect((Object.values(json.resource.kubernetes_service_v1)[0] as any).spec).toEqual({
      type: "ClusterIP",
      selector: service.selectorLabels,
      port: [{ name: "http", port: 8080, target_port: "http", protocol: "TCP" }],
    });
    expect(container.readiness_probe).toEqual({ tcp_socket: [{ port: "http" }] });
    expect(container.liveness_probe).toBeUndefined();
    expect(json.resource.kubernetes_ingress_v1).toBeUndefined();
  });

  test("typed attributes out", () => {
    expect(service.serviceDnsName).toBe("web.shop.svc.cluster.local");
    expect(service.servicePort).toBe(8080);
    expect(service.serviceAccountName).toBe("web");
    expect(service.namespaceName).toBe("shop");
  });

  test("snapshot", () => {
    expect({
      deployment: json.resource.kubernetes_deployment_v1,
      service: json.resource.kubernetes_service_v1,
      hpa: json.resource.kubernetes_horizontal_pod_autoscaler_v2,
      pdb: json.resource.kubernetes_pod_disruption_budget_v1,
      serviceAccount: json.resource.kubernetes_service_account_v1,
    }).toMatchSnapshot();
  });
});

describe("WebService", () => {
  test("Ingress: ALB class, internal by default, target type ip, TLS 443 with redirect, health check, group", () => {
    const { stack } = web({
      ingress: { certificateArn: CERT, groupName: "shop", host: "shop.example.com" },
      probes: { readiness: { http: { path: "/ready", port: "http" } } },
    });
    const ingress = Object.values(synthWith(stack).resource.kubernetes_ingress_v1)[0];
    expect(ingress).toMatchObject({
      metadata: {
        annotations: {
          "alb.ingress.kubernetes.io/scheme": "internal",
          "alb.ingress.kubernetes.io/target-type": "ip",
          "alb.ingress.kubernetes.io/certificate-arn": CERT,
          "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]',
          "alb.ingress.kubernetes.io/ssl-redirect": "443",
          "alb.ingress.kubernetes.io/healthcheck-path": "/ready",
          "alb.ingress.kubernetes.io/group.name": "shop",
        },
      },
      spec: {
        ingress_class_name: "alb",
        rule: [
          {
            host: "shop.example.com",
            http: {
              path: [{ path: "/", path_type: "Prefix", backend: { service: { name: "web", port: { number: 8080 } } } }],
            },
          },
        ],
      },
    });
  });

  test("Ingress without a certificate is HTTP only", () => {
    const { stack } = web({ ingress: { scheme: "internet-facing" } });
    const ingress = Object.values(synthWith(stack).resource.kubernetes_ingress_v1)[0] as any;
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/listen-ports"]).toBe('[{"HTTP":80}]');
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"]).toBeUndefined();
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/scheme"]).toBe("internet-facing");
    expect(warningsOf(stack)).toEqual([
      "WebService 'web': ingress is internet-facing without TLS, so traffic crosses the internet in clear text; give certificateArn (an ACM certificate) to listen on 443 and redirect HTTP",
    ]);
  });

  test("throws when runAsUser is root", () => {
    expect(() => web({ securityContext: { runAsUser: 0 } })).toThrow(
      "WebService 'web': securityContext.runAsUser 0 is root, which runAsNonRoot (set unless runAsRoot is given) refuses; use the image's non-root uid, e.g. 65532, or runAsRoot: { reason } in a baseline namespace",
    );
  });

  test("LoadBalancer: an internal NLB with ip targets through the controller's load balancer class", () => {
    const { stack } = web({ loadBalancer: {} });
    const json = synthWith(stack);
    const svc = Object.values(json.resource.kubernetes_service_v1)[0] as any;
    expect(svc.spec.type).toBe("LoadBalancer");
    expect(svc.spec.load_balancer_class).toBe("service.k8s.aws/nlb");
    expect(svc.metadata.annotations).toEqual({
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      // The drain default: ELB's own 300 s would outlast the pods' grace period.
      "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes": "deregistration_delay.timeout_seconds=30",
    });
    expect(svc.depends_on).toEqual([
      expect.stringMatching(/^kubernetes_namespace_v1\.shop_namespace_/),
      expect.stringMatching(/^kubernetes_config_map_v1\.lb_controller_/),
    ]);
  });

  test("exposure opens the namespace's default deny to the VPC on the Service ports", () => {
    const { stack } = web({ loadBalancer: { scheme: "internet-facing" } });
    const policies = synthWith(stack).resource.kubernetes_network_policy_v1;
    const rule = Object.values(policies).find((p: any) => p.metadata.name === "web-from-vpc") as any;
    expect(rule.spec).toEqual({
      pod_selector: { match_labels: { "app.kubernetes.io/name": "web", "app.kubernetes.io/component": "web-service" } },
      policy_types: ["Ingress"],
      ingress: [{ from: [{ ip_block: { cidr: "10.0.0.0/16" } }], ports: [{ port: "8080", protocol: "TCP" }] }],
    });
  });

  test("a load balancer controller declared after the workload still becomes a dependency", () => {
    const { stack } = web({ ingress: {} }, false);
    new FakeLoadBalancing(stack, "late-controller");
    const ingress = Object.values(synthWith(stack).resource.kubernetes_ingress_v1)[0] as any;
    expect(ingress.depends_on).toEqual([
      expect.stringMatching(/^kubernetes_namespace_v1\.shop_namespace_/),
      expect.stringMatching(/^kubernetes_config_map_v1\.late-controller_/),
    ]);
  });

  test("AWS access: a Pod Identity role in the workload's stack, no API token (the webhook injects its own), pods wait for the permissions", () => {
    const { stack } = web({
      awsAccess: { policyStatements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::assets/*"] }] },
    });
    const json = synthWith(stack);
    expect(Object.values(json.resource.aws_eks_pod_identity_association)[0]).toMatchObject({
      namespace: "shop",
      service_account: "web",
    });
    const sa = Object.values(json.resource.kubernetes_service_account_v1)[0] as any;
    expect(sa.automount_service_account_token).toBe(false);
    expect(sa.metadata.annotations).toBeUndefined();
    const deployment = deploymentOf(json);
    expect(deployment.spec.template.spec.automount_service_account_token).toBe(false);
    expect(deployment.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_iam_role_policy\.web_aws-access_policy_/),
        expect.stringMatching(/^aws_eks_pod_identity_association\.web_aws-access_pod-identity_/),
      ]),
    );
    const names = Object.values(json.resource.kubernetes_network_policy_v1).map((p: any) => p.metadata.name);
    expect(names).toEqual(expect.arrayContaining(["web-to-aws-apis", "web-to-pod-identity"]));
  });

  test("AWS access through IRSA annotates the service account with the role", () => {
    const { stack } = web({
      awsAccess: {
        mechanism: "irsa",
        policyStatements: [{ actions: ["sqs:ReceiveMessage"], resources: ["arn:aws:sqs:eu-west-1:123456789012:q"] }],
      },
    });
    const json = synthWith(stack);
    const sa = Object.values(json.resource.kubernetes_service_account_v1)[0] as any;
    expect(sa.metadata.annotations["eks.amazonaws.com/role-arn"]).toMatch(
      /^\$\{aws_iam_role\.web_aws-access_role_.*\.arn\}$/,
    );
    expect(json.resource.aws_eks_pod_identity_association).toBeUndefined();
  });

  test("config: env and files from a ConfigMap, with a checksum that changes with the config", () => {
    const checksumOf = (value: string) => {
      const { stack } = web({ config: { env: { MODE: value }, files: { "app.yaml": "a: 1" } } });
      return deploymentOf(synthWith(stack)).spec.template;
    };
    const a = checksumOf("one");
    expect(a.metadata.annotations["checksum/config"]).toMatch(/^[a-f0-9]{64}$/);
    expect(checksumOf("two").metadata.annotations["checksum/config"]).not.toBe(
      a.metadata.annotations["checksum/config"],
    );
    expect(checksumOf("one").metadata.annotations["checksum/config"]).toBe(a.metadata.annotations["checksum/config"]);
    const container = a.spec.container[0];
    expect(container.env).toEqual([
      { name: "MODE", value_from: { config_map_key_ref: { name: "web-config", key: "MODE" } } },
    ]);
    expect(container.volume_mount).toContainEqual({ name: "config", mount_path: "/etc/config", read_only: true });
    expect(a.spec.volume).toContainEqual({
      name: "config",
      config_map: { name: "web-config", items: [{ key: "app.yaml", path: "app.yaml" }] },
    });
  });

  test("secrets become environment variables through envFrom", () => {
    const s = setup();
    const secret = new VariableSecret(s.stack, "db", { namespace: s.ns, keys: ["DB_PASSWORD"] });
    new WebService(s.stack, "web", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      ports: [{ name: "http", port: 8080 }],
      secrets: [secret],
    });
    const container = deploymentOf(synthWith(s.stack)).spec.template.spec.container[0];
    expect(container.env_from).toEqual([{ secret_ref: { name: "db" } }]);
  });

  test("autoscaling: false gives a fixed replica count that Terraform owns", () => {
    const { stack } = web({ autoscaling: false, replicas: 3 });
    const json = synthWith(stack);
    expect(json.resource.kubernetes_horizontal_pod_autoscaler_v2).toBeUndefined();
    expect(deploymentOf(json).spec.replicas).toBe("3");
    expect(deploymentOf(json).lifecycle).toBeUndefined();
  });

  test("CPU limit only when asked", () => {
    const { stack } = web({ resources: { cpu: "250m", memory: "256Mi", cpuLimit: "1", memoryLimit: "512Mi" } });
    expect(deploymentOf(synthWith(stack)).spec.template.spec.container[0].resources).toEqual({
      requests: { cpu: "250m", memory: "256Mi", "ephemeral-storage": "256Mi" },
      limits: { cpu: "1", memory: "512Mi", "ephemeral-storage": "256Mi" },
    });
  });

  test("tokens are accepted where literals would be", () => {
    const s = setup();
    const tag = new TerraformVariable(s.stack, "tag", { type: "string" });
    const cert = new TerraformVariable(s.stack, "cert", { type: "string" });
    new FakeLoadBalancing(s.stack, "lb");
    expect(
      () =>
        new WebService(s.stack, "web", {
          namespace: s.ns,
          image: `repo.example.com/web:${tag.stringValue}`,
          resources: { cpu: tag.stringValue, memory: "1Gi", memoryLimit: tag.stringValue },
          ports: [{ name: "http", port: 8080 }],
          ingress: { certificateArn: cert.stringValue, healthCheckPath: tag.stringValue },
        }),
    ).not.toThrow();
    expect(() => synthWith(s.stack)).not.toThrow();
  });

  test("every Kubernetes object of the workload depends on its namespace (created after it, deleted before it)", () => {
    const { stack } = web({ ingress: {}, config: { env: { A: "1" } } });
    const json = synthWith(stack);
    for (const type of [
      "kubernetes_deployment_v1",
      "kubernetes_service_v1",
      "kubernetes_service_account_v1",
      "kubernetes_config_map_v1",
      "kubernetes_horizontal_pod_autoscaler_v2",
      "kubernetes_pod_disruption_budget_v1",
      "kubernetes_ingress_v1",
    ]) {
      for (const [id, resource] of Object.entries(json.resource[type] as Record<string, any>)) {
        if (id.startsWith("lb_")) continue;
        expect([type, resource.depends_on]).toEqual([
          type,
          expect.arrayContaining(["kubernetes_namespace_v1.shop_namespace_09DF68E0"]),
        ]);
      }
    }
  });

  test("synthesizes the provider's resource types", () => {
    const { stack } = web({ ingress: {} });
    const synth = Testing.synth(stack, true);
    expect(synth).toHaveResource(DeploymentV1);
    expect(synth).toHaveResource(IngressV1);
  });
});
