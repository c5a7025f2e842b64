/// <reference types="cdktf/lib/testing/adapters/jest" />
import { Testing } from "cdktf";
import { OnlineBoutiqueStack } from "../../examples/online-boutique/main";
import { PolicyChecks } from "../../constructs/policy/policy-checks";
import { expectValidKubernetes } from "../kubernetes-schema";
import {
  absent,
  allowedConnections,
  ApiObject,
  apiObjects,
  compareWithUpstream,
  edge,
  is,
  ListedDifference,
  loadUpstream,
  platformDifferences,
  upstreamTarget,
} from "./upstream";

const NAMESPACE = "online-boutique";
const VPC_CIDR = "10.50.0.0/16";
const upstream = loadUpstream("online-boutique", "kubernetes-manifests.yaml");

/**
 * Every way our objects differ from the release manifest, with the reason. The comparison
 * (test/examples/upstream.ts) fills in the API server's defaults on both sides first, so a
 * field written out on one side and defaulted on the other is not a difference.
 */
const DIFFERENCES: ListedDifference[] = [
  ...platformDifferences("app"),
  // Objects and metadata
  {
    objects: /^Namespace\/online-boutique$/,
    path: /^\(object\)$/,
    upstream: absent,
    reason:
      "a namespace of its own: restricted Pod Security enforced, default-deny NetworkPolicies (upstream applies into the current namespace)",
  },
  {
    objects: /./,
    path: /^metadata\.namespace$/,
    upstream: absent,
    ours: is(NAMESPACE),
    reason: "same: the objects live in that namespace",
  },
  {
    objects: /^ServiceAccount\/redis-cart$/,
    path: /^\(object\)$/,
    upstream: absent,
    reason: "every workload has its own ServiceAccount (upstream: redis-cart runs as `default`)",
  },
  {
    objects: /^Deployment\/redis-cart$/,
    path: /^spec\.template\.spec\.serviceAccountName$/,
    upstream: absent,
    ours: is("redis-cart"),
    reason: "same",
  },
  {
    objects: /^ServiceAccount\//,
    path: /^automountServiceAccountToken$/,
    upstream: absent,
    ours: is(false),
    reason: "hardening: no API token in pods that don't call the API",
  },
  {
    objects: /^Deployment\//,
    path: /^spec\.template\.spec\.(containers|initContainers)\[[a-z-]+\]\.securityContext\.privileged$/,
    upstream: is(false),
    ours: absent,
    reason: "false is the default: the constructs write privileged only when true",
  },
  {
    objects: /^Deployment\/redis-cart$/,
    path: /^spec\.template\.spec\.volumes\[redis-data\]\.emptyDir(\.sizeLimit)?$/,
    reason: "a node-disk emptyDir needs a size limit (past it the pod is evicted instead of filling the node)",
  },
  // Containers
  {
    objects: /^Deployment\/loadgenerator$/,
    path: /^spec\.template\.spec\.initContainers\[frontend-check\]\.image$/,
    upstream: is("busybox:latest"),
    ours: is("busybox:1.36.1"),
    reason: "pinned image (latest is refused unless allowLatest)",
  },
  {
    objects: /^Deployment\/loadgenerator$/,
    path: /^spec\.template\.spec\.initContainers\[frontend-check\]\.resources\.(requests\.(cpu|memory)|limits\.memory)$/,
    upstream: absent,
    reason: "every container has requests (the scheduler packs by them; a quota refuses pods without)",
  },
  // Services
  {
    objects: /^Service\/frontend-external$/,
    path: /^metadata\.annotations\["service\.beta\.kubernetes\.io\/aws-load-balancer-(scheme|nlb-target-type)"\]$/,
    upstream: absent,
    reason: "an NLB through the AWS Load Balancer Controller: internet-facing, pods as targets",
  },
  {
    objects: /^Service\/frontend-external$/,
    path: /^spec\.loadBalancerClass$/,
    upstream: absent,
    ours: is("service.k8s.aws/nlb"),
    reason: "same: the controller's class (not the in-tree cloud provider's CLB)",
  },
  // Drained rollouts behind the load balancer (the exposed frontend only).
  {
    objects: /^Service\/frontend-external$/,
    path: /^metadata\.annotations\["service\.beta\.kubernetes\.io\/aws-load-balancer-target-group-attributes"\]$/,
    upstream: absent,
    ours: is("deregistration_delay.timeout_seconds=30"),
    reason: "the target group drains a leaving pod in 30 s (ELB's default is 300 s, longer than any grace period)",
  },
  {
    objects: /^Deployment\/frontend$/,
    path: /^spec\.template\.spec\.containers\[server\]\.lifecycle\.preStop\.exec\.command$/,
    upstream: absent,
    ours: is(["sleep", "35"]),
    reason: "a terminating pod keeps serving until the load balancer has deregistered it (35 s ≥ the 30 s delay)",
  },
  {
    objects: /^Deployment\/frontend$/,
    path: /^spec\.template\.spec\.terminationGracePeriodSeconds$/,
    upstream: is(30),
    ours: is(45),
    reason: "the grace period covers the preStop wait and the shutdown after it",
  },
];

describe("example: Online Boutique (release v0.10.0)", () => {
  const stack = new OnlineBoutiqueStack(Testing.app(), "online-boutique");
  // Every object is valid against the Kubernetes OpenAPI schema (throws otherwise).
  const converted = expectValidKubernetes(stack);
  const ours = apiObjects(converted.objects);
  const find = (kind: string, name: string) => ours.find((o) => o.kind === kind && o.metadata.name === name)!;

  it("converts every object without a stand-in (no Terraform reference in the Kubernetes objects)", () => {
    expect(converted.references).toEqual([]);
    expect(converted.skipped).toEqual([
      expect.stringMatching(/^helm_release\.controllers_aws-load-balancer-controller/),
    ]);
  });

  it("has what the issue asks of the two ports: gRPC probes, an init container, a Service port mapped to another container port", () => {
    const deployments = ours.filter((o) => o.kind === "Deployment");
    expect(deployments).toHaveLength(12);
    const grpc = deployments.filter((d) => d.spec.template.spec.containers[0].readinessProbe?.grpc);
    expect(grpc.map((d) => d.metadata.name).sort()).toEqual([
      "adservice",
      "cartservice",
      "checkoutservice",
      "currencyservice",
      "emailservice",
      "paymentservice",
      "productcatalogservice",
      "recommendationservice",
      "shippingservice",
    ]);
    expect(find("Deployment", "loadgenerator").spec.template.spec.initContainers.map((c: ApiObject) => c.name)).toEqual(
      ["frontend-check"],
    );
    expect(find("Service", "emailservice").spec.ports).toEqual([
      { name: "grpc", port: 5000, targetPort: 8080, protocol: "TCP" },
    ]);
    expect(find("Service", "frontend-external").spec).toMatchObject({
      type: "LoadBalancer",
      ports: [{ port: 80, targetPort: 8080 }],
    });
    // The init container's shell script reaches the pod as written (Terraform's $${ escape undone).
    expect(find("Deployment", "loadgenerator").spec.template.spec.initContainers[0].command[2]).toContain(
      "http://${FRONTEND_ADDR}",
    );
  });

  it("matches the release manifest object by object, field by field, except the listed differences", () => {
    const result = compareWithUpstream(
      upstream,
      ours,
      ["Deployment", "Service", "ServiceAccount", "Namespace"],
      DIFFERENCES,
    );
    expect(result.unlisted).toEqual([]);
    expect(result.unused).toEqual([]);
    // Every upstream object has its counterpart (23 = 12 Deployments + 11 ServiceAccounts; the
    // 12 Services are compared too).
    expect(result.compared).toHaveLength(35);
  });

  it("passes the policy checks without an error; the warnings are upstream's choices, kept", () => {
    const findings = PolicyChecks.evaluate(stack).findings;
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    // K8S4 probes missing (upstream has none there), K8S16 one replica (upstream's count),
    // K8S23 liveness = readiness check (upstream's probes), K8S24 uid/gid below 10000 (the images' users).
    expect([...new Set(findings.map((f) => f.ruleId))].sort()).toEqual(["K8S16", "K8S23", "K8S24", "K8S4"]);
  });

  describe("NetworkPolicies: exactly the app's call graph, DNS and the load balancer", () => {
    const allowed = allowedConnections(ours, NAMESPACE);

    // The call graph, derived from the manifest's own address settings: every *_ADDR variable of
    // every container (init containers too), resolved through the manifest's Services to the pod
    // port a NetworkPolicy sees.
    const declared = upstream
      .filter((o) => o.kind === "Deployment")
      .flatMap((d) =>
        [...d.spec.template.spec.containers, ...(d.spec.template.spec.initContainers ?? [])].flatMap((c: ApiObject) =>
          (c.env ?? [])
            .filter((e: ApiObject) => /_ADDR$/.test(e.name))
            .map((e: ApiObject) => ({
              caller: d.metadata.name as string,
              setting: e.name as string,
              address: e.value as string,
            })),
        ),
      );
    const resolved = declared.map((d) => ({ ...d, target: upstreamTarget(upstream, d.address) }));

    it("derives 16 edges from the *_ADDR settings; the one address without a Service opens nothing", () => {
      expect(resolved.filter((r) => !r.target).map((r) => `${r.caller} ${r.setting}=${r.address}`)).toEqual([
        // The release ships no shoppingassistantservice (an optional demo, called only with ENABLE_ASSISTANT).
        "frontend SHOPPING_ASSISTANT_SERVICE_ADDR=shoppingassistantservice:80",
      ]);
      expect(new Set(callGraph()).size).toBe(16);
    });

    const callGraph = () =>
      [
        ...new Set(resolved.filter((r) => r.target).map((r) => edge(r.caller, r.target!.workload, r.target!.port))),
      ].sort();

    it("allows every edge of the call graph (egress on the caller and ingress on the callee), and no other pod-to-pod connection", () => {
      expect(allowed.internal).toEqual(callGraph());
      expect(allowed.oneSided).toEqual([]);
      // No pod is left out of the default deny.
      expect(allowed.open).toEqual([]);
    });

    it("allows, out of the namespace, only DNS to kube-dns (UDP and TCP 53) from every pod", () => {
      const pods = ours.filter((o) => o.kind === "Deployment").map((o) => o.metadata.name as string);
      expect(allowed.egressOut).toEqual(
        pods.flatMap((p) => [edge(p, "kube-dns", 53), edge(p, "kube-dns", 53, "UDP")]).sort(),
      );
    });

    it("allows, into the namespace, only the load balancer (from the VPC) to the frontend's container port 8080", () => {
      expect(allowed.ingressIn).toEqual([edge(`cidr:${VPC_CIDR}`, "frontend", 8080)]);
    });
  });
});
