import { ruleIds, workloadStack, WorkloadFixture } from "./fixtures";
import { PolicyChecks } from "../../constructs/policy";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";

/** The messages a rule reports for a stack. */
const findings = (stack: Parameters<typeof ruleIds>[0], id: string) =>
  PolicyChecks.evaluate(stack)
    .findings.filter((f) => f.ruleId === id)
    .map((f) => f.message);

const K8S = (ids: string[]) => ids.filter((id) => id.startsWith("K8S") || id.startsWith("HELM"));

describe("Kubernetes policy rules", () => {
  it("pass: the hardened fixture has no Kubernetes finding", () => {
    expect(K8S(ruleIds(workloadStack()))).toEqual([]);
  });

  // Each case breaks the fixture in one place; the rule must fire (and, for most, alone).
  const failing: [string, WorkloadFixture, object?][] = [
    ["K8S1", { container: { resources: { limits: { memory: "256Mi" } } } }],
    ["K8S2", { container: { resources: { requests: { cpu: "100m", memory: "128Mi" } } } }],
    ["K8S3", {}, { requireCpuLimits: true }],
    ["K8S4", { container: { livenessProbe: undefined } }],
    [
      "K8S5",
      {
        pod: { securityContext: { seccompProfile: { type: "RuntimeDefault" } } },
        container: {
          securityContext: {
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
          },
        },
      },
    ],
    [
      "K8S6",
      {
        container: {
          securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
        },
      },
    ],
    [
      "K8S7",
      {
        container: {
          securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        },
      },
    ],
    [
      "K8S8",
      {
        container: {
          securityContext: {
            runAsNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            privileged: true,
            capabilities: { drop: ["ALL"] },
          },
        },
      },
    ],
    [
      "K8S9",
      {
        container: {
          securityContext: {
            runAsNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["NET_RAW"] },
          },
        },
      },
    ],
    ["K8S10", { pod: { securityContext: { runAsNonRoot: true } } }],
    ["K8S11", { pod: { hostNetwork: true } }],
    ["K8S12", { pod: { volume: [{ name: "logs", hostPath: { path: "/var/log" } }] } }],
    ["K8S13", { container: { image: "nginx:latest" } }],
    ["K8S14", { namespace: "default" }],
    ["K8S15", { pod: { automountServiceAccountToken: true } }],
    ["K8S16", { hpa: { minReplicas: 1 } }],
    ["K8S17", { spec: { replicas: "3" } }],
    ["K8S18", { pdb: false }],
    ["K8S19", { networkPolicy: false }],
    ["K8S20", { pod: { topologySpreadConstraint: [] } }],
    ["K8S21", { namespaceLabels: { team: "shop" } }],
    [
      "K8S22",
      { container: { resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } } } },
    ],
    [
      "K8S23",
      {
        container: {
          readinessProbe: { httpGet: { path: "/healthz", port: "8080", scheme: "HTTP" } },
          livenessProbe: { httpGet: { path: "/healthz", port: "8080" }, failureThreshold: 6 },
        },
      },
    ],
    [
      "K8S24",
      {
        pod: { securityContext: { runAsNonRoot: true, runAsUser: "1000", seccompProfile: { type: "RuntimeDefault" } } },
        container: {
          securityContext: {
            runAsNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
          },
        },
      },
    ],
    ["K8S25", { container: { imagePullPolicy: "IfNotPresent" } }],
    ["K8S26", {}, { requireImageDigests: true }],
  ];
  // Rows padded to three columns: jest would pass `done` as a missing third argument.
  it.each(failing.map(([id, f, o]) => [id, f, o ?? {}] as const))(
    "fail: %s fires on its broken fixture",
    (id, fixture, options) => {
      expect(ruleIds(workloadStack(fixture), options)).toContain(id);
    },
  );

  it("K8S23 compares the check, not the timing; a TCP liveness beside HTTP readiness passes; gRPC compares port and service", () => {
    const probes = (readinessProbe: object, livenessProbe: object) =>
      ruleIds(workloadStack({ container: { readinessProbe, livenessProbe } }));
    expect(
      probes({ exec: { command: ["a"] }, periodSeconds: 5 }, { exec: { command: ["a"] }, periodSeconds: 60 }),
    ).toContain("K8S23");
    expect(probes({ httpGet: { path: "/healthz", port: "8080" } }, { tcpSocket: [{ port: "8080" }] })).not.toContain(
      "K8S23",
    );
    expect(probes({ grpc: [{ port: 9555 }] }, { grpc: [{ port: 9555 }] })).toContain("K8S23");
    expect(probes({ grpc: [{ port: 9555, service: "ready" }] }, { grpc: [{ port: 9555 }] })).not.toContain("K8S23");
  });

  it("K8S24 reads the pod's ids where the container sets none, and wants both at 10000 or more", () => {
    const container = {
      securityContext: {
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
      },
    };
    const pod = (ids: object) => ({
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" }, ...ids },
    });
    expect(ruleIds(workloadStack({ container, pod: pod({ runAsUser: "10000", runAsGroup: "10000" }) }))).not.toContain(
      "K8S24",
    );
    expect(ruleIds(workloadStack({ container, pod: pod({ runAsUser: "10000" }) }))).toContain("K8S24");
  });

  it("K8S25 accepts IfNotPresent for a digest and an unset policy on an untagged image (Kubernetes defaults to Always)", () => {
    const digest = "nginx@sha256:" + "a".repeat(64);
    expect(ruleIds(workloadStack({ container: { image: digest, imagePullPolicy: "IfNotPresent" } }))).not.toContain(
      "K8S25",
    );
    expect(ruleIds(workloadStack({ container: { image: "nginx:1.27.3", imagePullPolicy: undefined } }))).toContain(
      "K8S25",
    );
  });

  it("K8S26 is off by default and accepts a digest when on", () => {
    expect(ruleIds(workloadStack())).not.toContain("K8S26");
    const digest = "nginx@sha256:" + "a".repeat(64);
    expect(
      ruleIds(workloadStack({ container: { image: digest, imagePullPolicy: "IfNotPresent" } }), {
        requireImageDigests: true,
      }),
    ).not.toContain("K8S26");
  });

  it("K8S3 is off by default (CPU limits not required)", () => {
    expect(ruleIds(workloadStack())).not.toContain("K8S3");
  });

  it("K8S13 accepts a digest and a computed repository with a tag, and refuses an untagged image", () => {
    const digest = "nginx@sha256:" + "a".repeat(64);
    expect(ruleIds(workloadStack({ container: { image: digest } }))).not.toContain("K8S13");
    expect(
      ruleIds(workloadStack({ container: { image: "${aws_ecr_repository.x.repository_url}:1.4.2" } })),
    ).not.toContain("K8S13");
    expect(ruleIds(workloadStack({ container: { image: "nginx" } }))).toContain("K8S13");
  });

  it("K8S15 still fires when the service account has AWS access (IRSA and Pod Identity inject their own token)", () => {
    const stack = workloadStack({ pod: { automountServiceAccountToken: true, serviceAccountName: "api" } });
    new ServiceAccountV1(stack, "sa", {
      metadata: {
        name: "api",
        namespace: "shop",
        annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/api" },
      },
    });
    new EksPodIdentityAssociation(stack, "pia", {
      clusterName: "c",
      namespace: "shop",
      serviceAccount: "api",
      roleArn: "arn:aws:iam::123456789012:role/api",
    });
    expect(findings(stack, "K8S15")).toEqual([
      'K8S15 (warning) kubernetes_deployment_v1.web [test/web]: Deployment shop/web mounts its service-account token, but service account "api" is bound to no Role or ClusterRole here (AWS access needs no such token); set automountServiceAccountToken: false (apiAccess mounts it when the pods call the API), or suppress K8S15 with the reason',
    ]);
  });

  it("K8S15 passes when a RoleBinding or ClusterRoleBinding binds the service account", () => {
    for (const Binding of [RoleBindingV1, ClusterRoleBindingV1]) {
      const stack = workloadStack({ pod: { automountServiceAccountToken: true, serviceAccountName: "api" } });
      new Binding(stack, "binding", {
        metadata: { name: "api", namespace: "shop" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "api" },
        subject: [{ kind: "ServiceAccount", name: "api", namespace: "shop" }],
      });
      expect(ruleIds(stack)).not.toContain("K8S15");
    }
  });

  it("K8S27 flags a wildcard verb, resource or API group in a Role or ClusterRole, and passes explicit rules", () => {
    const stack = workloadStack();
    new RoleV1(stack, "explicit", {
      metadata: { name: "reader", namespace: "shop" },
      rule: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }],
    });
    expect(ruleIds(stack)).not.toContain("K8S27");
    new RoleV1(stack, "wild-verbs", {
      metadata: { name: "writer", namespace: "shop" },
      rule: [
        { apiGroups: [""], resources: ["configmaps"], verbs: ["get"] },
        { apiGroups: [""], resources: ["pods"], verbs: ["*"] },
      ],
    });
    new ClusterRoleV1(stack, "wild-all", {
      metadata: { name: "admin-ish" },
      rule: [{ apiGroups: ["*"], resources: ["*"], verbs: ["list"] }],
    });
    expect(findings(stack, "K8S27")).toEqual([
      'K8S27 (error) kubernetes_role_v1.wild-verbs [test/wild-verbs]: Role shop/writer rule 1 has "*" in verbs; list the exact verbs, resources and API groups the pods use',
      'K8S27 (error) kubernetes_cluster_role_v1.wild-all [test/wild-all]: ClusterRole admin-ish rule 0 has "*" in resources, apiGroups; list the exact verbs, resources and API groups the pods use',
    ]);
  });

  it("K8S16 passes with replicas >= 2 and no HPA, fails with 1 replica", () => {
    expect(ruleIds(workloadStack({ hpa: false, spec: { replicas: "2" } }))).not.toContain("K8S16");
    expect(ruleIds(workloadStack({ hpa: false, spec: { replicas: "1" } }))).toContain("K8S16");
  });

  it("K8S17 passes when Terraform ignores replicas, or with allowReplicasWithHpa", () => {
    const lifecycle = { ignoreChanges: ["spec[0].replicas"] };
    expect(ruleIds(workloadStack({ spec: { replicas: "3" }, lifecycle }))).not.toContain("K8S17");
    expect(ruleIds(workloadStack({ spec: { replicas: "3" } }), { allowReplicasWithHpa: true })).not.toContain("K8S17");
  });

  it("K8S19: a policy selecting other pods does not cover the workload", () => {
    const stack = workloadStack({ networkPolicy: false });
    new NetworkPolicyV1(stack, "db-only", {
      metadata: { name: "db", namespace: "shop" },
      spec: { podSelector: { matchLabels: { app: "db" } }, policyTypes: ["Ingress"] },
    });
    expect(ruleIds(stack)).toContain("K8S19");
  });

  it("unknown values (tokens) produce no finding: a namespace given by reference is followed", () => {
    const stack = workloadStack({ namespace: "shop" });
    const ns = stack.node.findChild("ns") as any;
    const base = stack.node.findChild("web") as any;
    // same deployment, namespace as a reference to the namespace resource
    new DeploymentV1(stack, "web2", {
      metadata: { name: "web2", namespace: ns.metadata.name },
      spec: { ...base.spec.internalValue, replicas: "2", selector: { matchLabels: { app: "web" } } },
    });
    expect(ruleIds(stack).filter((id) => id.startsWith("K8S"))).toEqual([]);
  });

  it("HELM1: a helm_release without a chart version fails, a pinned one passes", () => {
    const stack = workloadStack();
    new HelmProvider(stack, "helm", {});
    new Release(stack, "pinned", { name: "a", chart: "aws-load-balancer-controller", version: "1.13.0" });
    expect(ruleIds(stack)).not.toContain("HELM1");
    new Release(stack, "floating", { name: "b", chart: "cluster-autoscaler" });
    expect(ruleIds(stack)).toContain("HELM1");
  });
});
