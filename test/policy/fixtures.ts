import { TerraformStack } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { DeploymentV1, DeploymentV1Config } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { PolicyChecks, PolicyOptions } from "../../constructs/policy";
import { testStack } from "../fixtures";

/** The rule ids the checks report (unsuppressed) for a stack. */
export function ruleIds(stack: TerraformStack, options: PolicyOptions = {}): string[] {
  return [...new Set(PolicyChecks.evaluate(stack, options).findings.map((f) => f.ruleId))].sort();
}

/** A container that passes every container rule. */
export function goodContainer(overrides: Record<string, any> = {}): any {
  return {
    name: "web",
    image: "public.ecr.aws/nginx/nginx:1.27.3",
    imagePullPolicy: "Always",
    port: [{ containerPort: 8080 }],
    resources: {
      requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "256Mi" },
      limits: { memory: "256Mi", "ephemeral-storage": "256Mi" },
    },
    readinessProbe: { httpGet: { path: "/ready", port: "8080" } },
    livenessProbe: { httpGet: { path: "/live", port: "8080" } },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: "10001",
      runAsGroup: "10001",
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    },
    ...overrides,
  };
}

export interface WorkloadFixture {
  /** Replaces fields of the pod spec. */
  readonly pod?: Record<string, any>;
  /** Replaces fields of the first container. */
  readonly container?: Record<string, any>;
  /** Replaces fields of the deployment spec (e.g. replicas). */
  readonly spec?: Record<string, any>;
  readonly namespace?: string;
  readonly namespaceLabels?: Record<string, string>;
  readonly networkPolicy?: boolean;
  readonly pdb?: boolean;
  readonly hpa?: false | { minReplicas: number };
  readonly lifecycle?: DeploymentV1Config["lifecycle"];
}

/**
 * A namespace and a web Deployment that pass every Kubernetes rule (namespace with Pod
 * Security labels, default-deny NetworkPolicy, PDB, HPA min 2, zone spread, hardened
 * container), with the given parts replaced to make one rule fail.
 */
export function workloadStack(f: WorkloadFixture = {}): TerraformStack {
  const stack = testStack();
  new KubernetesProvider(stack, "kubernetes", {});
  const ns = f.namespace ?? "shop";
  if (ns !== "default") {
    new NamespaceV1(stack, "ns", {
      metadata: { name: ns, labels: f.namespaceLabels ?? { "pod-security.kubernetes.io/enforce": "restricted" } },
    });
  }
  if (f.networkPolicy !== false) {
    new NetworkPolicyV1(stack, "default-deny", {
      metadata: { name: "default-deny", namespace: ns },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    });
  }
  const labels = { app: "web" };
  new DeploymentV1(stack, "web", {
    metadata: { name: "web", namespace: ns },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          topologySpreadConstraint: [
            {
              topologyKey: "topology.kubernetes.io/zone",
              maxSkew: 1,
              whenUnsatisfiable: "ScheduleAnyway",
              labelSelector: [{ matchLabels: labels }],
            },
          ],
          container: [goodContainer(f.container)],
          ...f.pod,
        },
      },
      ...f.spec,
    },
    lifecycle: f.lifecycle,
  });
  if (f.pdb !== false) {
    new PodDisruptionBudgetV1(stack, "web-pdb", {
      metadata: { name: "web", namespace: ns },
      spec: { maxUnavailable: "1", selector: { matchLabels: labels } },
    });
  }
  if (f.hpa !== false) {
    new HorizontalPodAutoscalerV2(stack, "web-hpa", {
      metadata: { name: "web", namespace: ns },
      spec: {
        minReplicas: (f.hpa ?? { minReplicas: 2 }).minReplicas,
        maxReplicas: 10,
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      },
    });
  }
  new ServiceV1(stack, "web-svc", {
    metadata: { name: "web", namespace: ns },
    spec: { selector: labels, port: [{ port: 80, targetPort: "8080" }] },
  });
  return stack;
}
