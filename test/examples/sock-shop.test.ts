/// <reference types="cdktf/lib/testing/adapters/jest" />
import { Testing } from "cdktf";
import { SockShopStack } from "../../examples/sock-shop/main";
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

const NAMESPACE = "sock-shop";
const VPC_CIDR = "10.50.0.0/16";
const upstream = loadUpstream("sock-shop", "complete-demo.yaml");
const C = String.raw`^spec\.template\.spec\.containers\[[a-z-]+\]`;
const DATA_STORES = /^Deployment\/(carts-db|orders-db|user-db|session-db|rabbitmq|catalogue-db)$/;
const NO_PROBES_UPSTREAM =
  /^Deployment\/(carts|orders|shipping|queue-master|carts-db|orders-db|user-db|session-db|rabbitmq|catalogue-db)$/;

/**
 * Every way our objects differ from complete-demo.yaml, with the reason (API defaults are filled
 * in on both sides first: see test/examples/upstream.ts).
 */
const DIFFERENCES: ListedDifference[] = [
  ...platformDifferences("name"),
  // Objects
  {
    objects: /^ServiceAccount\//,
    path: /^\(object\)$/,
    upstream: absent,
    reason: "every workload has its own ServiceAccount, without an API token (upstream: all run as `default`)",
  },
  { objects: /^Deployment\//, path: /^spec\.template\.spec\.serviceAccountName$/, upstream: absent, reason: "same" },
  {
    objects: /^Namespace\/sock-shop$/,
    path: /^metadata\.labels\["pod-security\.kubernetes\.io\/(enforce|audit|warn)(-version)?"\]$/,
    upstream: absent,
    reason: "Pod Security: baseline enforced (the data stores start as root), restricted audited and warned",
  },
  {
    objects: /^Namespace\/sock-shop$/,
    path: /^metadata\.annotations\["eks-platform\/pod-security-reason"\]$/,
    upstream: absent,
    reason: "the written reason for baseline",
  },
  // Pod
  {
    objects: /^Deployment\//,
    path: /^spec\.template\.spec\.nodeSelector\["(beta\.)?kubernetes\.io\/os"\]$/,
    reason: "kubernetes.io/os: the beta.kubernetes.io/os label is deprecated",
  },
  {
    objects: /^Deployment\//,
    path: /^spec\.template\.spec\.securityContext\.runAsNonRoot$/,
    upstream: absent,
    ours: is(true),
    reason: "hardening: non-root on the pod (the data stores' containers opt out with runAsRoot and a reason)",
  },
  {
    objects: /^Deployment\/(carts|carts-db|orders|orders-db|shipping|user-db)$/,
    path: /^spec\.template\.spec\.volumes\[tmp-volume\]\.(name|emptyDir\.medium)$/,
    ours: absent,
    reason: "upstream's in-memory /tmp is our built-in /tmp (named tmp, with a 64Mi size limit)",
  },
  {
    objects: /^Deployment\/(carts|carts-db|orders|orders-db|shipping|user-db)$/,
    path: new RegExp(String.raw`${C}\.volumeMounts\[\/tmp\]\.name$`),
    upstream: is("tmp-volume"),
    ours: is("tmp"),
    reason: "same",
  },
  // Containers: security
  {
    objects: /^Deployment\//,
    path: new RegExp(String.raw`${C}\.securityContext\.capabilities\.drop$`),
    ours: is(["ALL"]),
    reason:
      'drop "ALL": Pod Security compares case-sensitively, so upstream\'s "all" fails restricted (and three containers dropped nothing)',
  },
  {
    objects: /^Deployment\//,
    path: new RegExp(String.raw`${C}\.securityContext\.allowPrivilegeEscalation$`),
    upstream: absent,
    ours: is(false),
    reason: "hardening: no privilege escalation",
  },
  {
    objects: DATA_STORES,
    path: new RegExp(String.raw`${C}\.securityContext\.runAsNonRoot$`),
    upstream: absent,
    ours: is(false),
    reason: "the data stores start as root and step down (runAsRoot, with the reason): stated rather than left unset",
  },
  {
    objects: /^Deployment\/catalogue-db$/,
    path: new RegExp(String.raw`${C}\.securityContext\.(capabilities\.add|readOnlyRootFilesystem)$`),
    upstream: absent,
    reason:
      "upstream sets no securityContext (root with the runtime's capabilities, writable root): the port names the capabilities the mysql entrypoint uses and the writable root, each with a reason",
  },
  {
    objects: /^Deployment\/queue-master$/,
    path: new RegExp(String.raw`${C}\.securityContext\.(capabilities\.add|readOnlyRootFilesystem|runAsUser)$`),
    upstream: absent,
    reason:
      "upstream sets no securityContext: run like the other Java services (uid 10001, NET_BIND_SERVICE for :80, read-only root)",
  },
  {
    objects: /^Deployment\/rabbitmq$/,
    path: /^spec\.template\.spec\.containers\[rabbitmq-exporter\]\.securityContext\.(readOnlyRootFilesystem|runAsUser)$/,
    upstream: absent,
    reason: "upstream sets no securityContext on the exporter: hardened like the rest (a static binary, run as nobody)",
  },
  // Containers: images, resources, probes
  {
    objects: /^Deployment\/(carts-db|orders-db)$/,
    path: new RegExp(String.raw`${C}\.image$`),
    upstream: is("mongo"),
    ours: is("mongo:3.4"),
    reason: "pinned: untagged is refused, and the newest mongo drops the wire protocol of the services' 2017 drivers",
  },
  {
    objects: /^Deployment\/rabbitmq$/,
    path: /^spec\.template\.spec\.containers\[rabbitmq-exporter\]\.image$/,
    upstream: is("kbudde/rabbitmq-exporter"),
    ours: is("kbudde/rabbitmq-exporter:v0.29.0"),
    reason: "pinned (untagged is refused): a release that still serves on 9090",
  },
  {
    objects: DATA_STORES,
    path: new RegExp(String.raw`${C}\.resources\.(requests\.(cpu|memory)|limits\.memory)$`),
    upstream: absent,
    reason:
      "every container has requests (the scheduler packs by them; a quota refuses pods without) and a memory limit",
  },
  {
    objects: NO_PROBES_UPSTREAM,
    path: new RegExp(String.raw`^spec\.template\.spec\.containers\[[a-z-]+\]\.readinessProbe\.`),
    upstream: absent,
    reason:
      "added: a TCP readiness probe on the service port, where upstream has none (pods get traffic once they listen)",
  },
  // Services
  {
    objects: /^Service\/(carts-db|orders-db|user-db|catalogue-db|session-db)$/,
    path: /^spec\.ports\[\d+\]\.(name|targetPort)$/,
    reason: "the Service port is named after the container port it targets (the same port, by name)",
  },
];

/**
 * Sock Shop's call graph. The manifest sets almost none of the addresses: they are compiled into
 * the images. Each row cites where the address is set (read 2026-12-07 through stored upstream
 * sources; repository @ commit, file).
 */
const CALL_GRAPH: { caller: string; address: string; source: string }[] = [
  {
    caller: "front-end",
    address: "catalogue:80",
    source: "microservices-demo/front-end @e2597ce api/endpoints.js (http://catalogue)",
  },
  {
    caller: "front-end",
    address: "carts:80",
    source: "microservices-demo/front-end @e2597ce api/endpoints.js (http://carts/carts)",
  },
  {
    caller: "front-end",
    address: "orders:80",
    source: "microservices-demo/front-end @e2597ce api/endpoints.js (http://orders)",
  },
  {
    caller: "front-end",
    address: "user:80",
    source: "microservices-demo/front-end @e2597ce api/endpoints.js (http://user/...)",
  },
  {
    caller: "front-end",
    address: "session-db:6379",
    source:
      'microservices-demo/front-end @4180991 config.js (RedisStore host "session-db"), on with the manifest\'s SESSION_REDIS=true',
  },
  {
    caller: "orders",
    address: "orders-db:27017",
    source:
      "microservices-demo/orders @a426b99 src/main/resources/application.properties (mongodb://${db:orders-db}:27017/data)",
  },
  {
    caller: "orders",
    address: "payment:80",
    source:
      "microservices-demo/orders @8162b2f OrdersController.java (config.getPaymentUri(): http://payment/paymentAuth)",
  },
  {
    caller: "orders",
    address: "shipping:80",
    source:
      "microservices-demo/orders @8162b2f OrdersController.java (config.getShippingUri(): http://shipping/shipping)",
  },
  {
    caller: "orders",
    address: "user:80",
    source:
      "microservices-demo/orders @8162b2f OrdersController.java (follows the customer/address/card links: http://user/...)",
  },
  {
    caller: "orders",
    address: "carts:80",
    source: "microservices-demo/orders @8162b2f OrdersController.java (follows the items link: http://carts/...)",
  },
  {
    caller: "carts",
    address: "carts-db:27017",
    source: "microservices-demo/carts @4a0d078 application.properties (mongodb://${db:carts-db}:27017/data)",
  },
  {
    caller: "catalogue",
    address: "catalogue-db:3306",
    source:
      "microservices-demo/catalogue @a7a0cb0 cmd/cataloguesvc/main.go (default -DSN ...@tcp(catalogue-db:3306)/socksdb)",
  },
  {
    caller: "user",
    address: "user-db:27017",
    source:
      "microservices-demo/user @452ece1 docker/user/Dockerfile-release (ENV MONGO_HOST user-db), read by db/mongodb/mongodb.go @180a32b",
  },
  {
    caller: "shipping",
    address: "rabbitmq:5672",
    source: "microservices-demo/shipping @479c23e application.properties (spring.rabbitmq.host=rabbitmq)",
  },
  {
    caller: "queue-master",
    address: "rabbitmq:5672",
    source: "microservices-demo/queue-master @6aebbd6 application.properties (spring.rabbitmq.host=rabbitmq)",
  },
  // rabbitmq-exporter -> localhost:15672 (the management API) stays inside the rabbitmq pod: no NetworkPolicy involved.
];

describe("example: Sock Shop (complete-demo)", () => {
  const stack = new SockShopStack(Testing.app(), "sock-shop");
  // Every object is valid against the Kubernetes OpenAPI schema (throws otherwise).
  const converted = expectValidKubernetes(stack);
  const ours = apiObjects(converted.objects);
  const find = (kind: string, name: string) => ours.find((o) => o.kind === kind && o.metadata.name === name)!;
  const container = (name: string, c = name) =>
    find("Deployment", name).spec.template.spec.containers.find((x: ApiObject) => x.name === c);

  it("converts every object without a stand-in", () => {
    expect(converted.references).toEqual([]);
  });

  it("binds :80 as uid 10001 with NET_BIND_SERVICE only, runs a metrics sidecar, maps the front-end's Service 80 -> 8079", () => {
    const bind80 = ours
      .filter((o) => o.kind === "Deployment")
      .flatMap((d) => d.spec.template.spec.containers.map((c: ApiObject) => ({ d: d.metadata.name, c })))
      .filter(({ c }) => (c.ports ?? []).some((p: ApiObject) => p.containerPort < 1024));
    expect(bind80.map((b) => b.d).sort()).toEqual([
      "carts",
      "catalogue",
      "orders",
      "payment",
      "queue-master",
      "shipping",
      "user",
    ]);
    for (const { c } of bind80) {
      expect(c.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 10001,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
      });
    }
    expect(find("Deployment", "rabbitmq").spec.template.spec.containers.map((c: ApiObject) => c.name)).toEqual([
      "rabbitmq",
      "rabbitmq-exporter",
    ]);
    expect(container("rabbitmq", "rabbitmq-exporter").ports).toEqual([
      { name: "exporter", containerPort: 9090, protocol: "TCP" },
    ]);
    expect(find("Service", "front-end").spec).toMatchObject({
      type: "NodePort",
      ports: [{ port: 80, targetPort: 8079, nodePort: 30001 }],
    });
  });

  it("matches complete-demo.yaml object by object, field by field, except the listed differences", () => {
    const result = compareWithUpstream(
      upstream,
      ours,
      ["Deployment", "Service", "ServiceAccount", "Namespace"],
      DIFFERENCES,
    );
    expect(result.unlisted).toEqual([]);
    expect(result.unused).toEqual([]);
    // Every upstream object (1 Namespace, 14 Deployments, 14 Services) has its counterpart.
    expect(result.compared).toHaveLength(29);
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
    // Each address resolved through the manifest's Services to the pod port a NetworkPolicy sees.
    const callGraph = CALL_GRAPH.map((row) => {
      const target = upstreamTarget(upstream, row.address);
      if (!target) throw new Error(`${row.address} is not a Service of the manifest`);
      return edge(row.caller, target.workload, target.port);
    }).sort();

    it("allows every edge of the call graph (egress on the caller and ingress on the callee), and no other pod-to-pod connection", () => {
      expect(new Set(callGraph).size).toBe(15);
      expect(allowed.internal).toEqual(callGraph);
      expect(allowed.oneSided).toEqual([]);
      expect(allowed.open).toEqual([]);
    });

    it("allows, out of the namespace, only DNS to kube-dns (UDP and TCP 53) from every pod", () => {
      const pods = ours.filter((o) => o.kind === "Deployment").map((o) => o.metadata.name as string);
      expect(allowed.egressOut).toEqual(
        pods.flatMap((p) => [edge(p, "kube-dns", 53), edge(p, "kube-dns", 53, "UDP")]).sort(),
      );
    });

    it("allows, into the namespace, only the NodePort's traffic (from the VPC) to the front-end's container port 8079", () => {
      const nodePort = upstreamTarget(upstream, "front-end:80")!;
      expect(allowed.ingressIn).toEqual([edge(`cidr:${VPC_CIDR}`, nodePort.workload, nodePort.port)]);
    });
  });
});
