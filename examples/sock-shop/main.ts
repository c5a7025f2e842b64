/**
 * Sock Shop (microservices-demo/microservices-demo, deploy/kubernetes/complete-demo.yaml) ported
 * to the workload constructs: 14 Deployments (8 services, 5 data stores, a message queue with a
 * metrics exporter beside it), six services binding port 80 as uid 10001 with NET_BIND_SERVICE,
 * the front-end's Service 80 -> 8079 on a NodePort, and a NetworkPolicy edge for every call the
 * app makes (the namespace denies everything else).
 *
 * Upstream: test/examples/fixtures/sock-shop/ (the manifest, vendored verbatim). Every
 * difference from it, with its reason: test/examples/sock-shop.test.ts. Most of the app's
 * addresses are compiled into its images: the call graph below cites where each one is set.
 *
 * Synthesize: `npx tsx examples/sock-shop/main.ts` (writes cdktf.out/stacks/sock-shop).
 * The cluster is adopted by documentation placeholders: put your own before deploying.
 */
import { App } from "cdktf";
import { Construct } from "constructs";
import {
  ContainerSecurityOptions,
  EnvValue,
  IEksCluster,
  Namespace,
  Resources,
  WebService,
  WebServiceOptions,
} from "eks-platform/constructs";
import { AdoptCluster, WorkloadsStack } from "eks-platform/constructs/stacks";
import { ADOPT_PLACEHOLDER_CLUSTER, allowCall } from "../online-boutique/main";

const REGION = "eu-west-1";

export interface SockShopProps {
  /** @default ADOPT_PLACEHOLDER_CLUSTER (the Online Boutique example's placeholder cluster) */
  readonly cluster?: IEksCluster | AdoptCluster;
  /** @default "eu-west-1" */
  readonly region?: string;
}

/** Every upstream pod asks for a Linux node (upstream writes the deprecated beta.kubernetes.io/os label). */
const LINUX = { "kubernetes.io/os": "linux" };
const ONE_REPLICA = { autoscaling: false, replicas: 1 } as const;
/** The Java services' flags, as upstream sets them. */
const JAVA_OPTS = "-Xms64m -Xmx128m -XX:+UseG1GC -Djava.security.egd=file:/dev/urandom -Dspring.zipkin.enabled=false";
/** The app services: uid 10001, and port 80 through the one capability "restricted" allows. */
const BIND_80: ContainerSecurityOptions = { runAsUser: 10001, capabilities: { add: ["NET_BIND_SERVICE"] } };
/** The data stores start as root and step down to their own user (gosu / su-exec), as upstream. */
const STEP_DOWN_REASON =
  "the image's entrypoint starts as root, chowns its data directory and steps down to its own user (gosu/su-exec); upstream grants the same capabilities";
const stepDown = (extra: "DAC_OVERRIDE"[] = []): ContainerSecurityOptions => ({
  runAsRoot: { reason: STEP_DOWN_REASON },
  capabilities: { add: ["CHOWN", "SETGID", "SETUID", ...extra], reason: STEP_DOWN_REASON },
});
/** Requests for the containers upstream leaves without any (required here: the scheduler packs by them). */
const DATA_STORE: Resources = { cpu: "100m", memory: "256Mi", memoryLimit: "512Mi" };
const SCRAPE = { "prometheus.io/scrape": "true" };

/** The workloads of one Sock Shop, in a default-deny namespace. */
export class SockShop extends Construct {
  public readonly namespace: Namespace;
  /** Every workload, by upstream name. */
  public readonly workloads: Record<string, WebService> = {};
  public readonly frontEnd: WebService;

  constructor(scope: WorkloadsStack, id: string) {
    super(scope, id);
    this.namespace = new Namespace(this, "namespace", {
      cluster: scope.cluster,
      name: "sock-shop",
      podSecurity: {
        level: "baseline",
        reason: "the data stores (mongo, mysql, redis, rabbitmq) start as root and step down to their own user",
      },
    });
    const namespace = this.namespace;
    const add = (name: string, props: Omit<WebServiceOptions, "name">): WebService => {
      const w = new WebService(this, name, {
        namespace,
        nodeSelector: LINUX,
        podLabels: { name },
        ...ONE_REPLICA,
        ...props,
      });
      this.workloads[name] = w;
      return w;
    };
    const http = (path: string, port: number, initialDelaySeconds: number) => ({
      http: { path, port },
      initialDelaySeconds,
      periodSeconds: 3,
    });
    const javaService = (name: string, image: string, resources: Resources, env: Record<string, string> = {}) =>
      add(name, {
        image,
        env: { ...env, JAVA_OPTS },
        resources,
        ports: [{ port: 80 }],
        securityContext: BIND_80,
        service: { annotations: SCRAPE },
      });
    const mongo = (name: string, image: string) =>
      add(name, {
        image,
        ports: [{ name: "mongo", port: 27017 }],
        securityContext: stepDown(),
        resources: DATA_STORE,
      });

    const carts = javaService("carts", "weaveworksdemos/carts:0.4.8", {
      cpu: "100m",
      memory: "200Mi",
      cpuLimit: "300m",
      memoryLimit: "500Mi",
    });
    // `mongo` is untagged upstream (the newest major, which the services' 2017 drivers predate): pinned.
    const cartsDb = mongo("carts-db", "mongo:3.4");
    const catalogue = add("catalogue", {
      image: "weaveworksdemos/catalogue:0.3.5",
      command: ["/app"],
      args: ["-port=80"],
      ports: [{ port: 80 }],
      probes: { readiness: http("/health", 80, 180), liveness: http("/health", 80, 300) },
      resources: { cpu: "100m", memory: "100Mi", cpuLimit: "200m", memoryLimit: "200Mi" },
      securityContext: BIND_80,
      service: { annotations: SCRAPE },
    });
    const catalogueDb = add("catalogue-db", {
      image: "weaveworksdemos/catalogue-db:0.3.0",
      // Upstream's literal; a real deployment takes it from a Secret (EnvValue.fromSecret).
      env: {
        MYSQL_ROOT_PASSWORD: EnvValue.notSecret("fake_password", "the sock-shop demo's published placeholder"),
        MYSQL_DATABASE: "socksdb",
      },
      ports: [{ name: "mysql", port: 3306 }],
      resources: DATA_STORE,
      // Upstream sets no securityContext here: the mysql entrypoint needs root, the runtime's
      // default capabilities and a writable root filesystem (it writes /var/run/mysqld).
      securityContext: {
        runAsRoot: { reason: STEP_DOWN_REASON },
        capabilities: { add: ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"], reason: STEP_DOWN_REASON },
        writableRootFilesystem: {
          reason: "mysql writes /var/run/mysqld and its data directory; upstream sets no securityContext",
        },
      },
    });
    const frontEnd = add("front-end", {
      image: "weaveworksdemos/front-end:0.3.12",
      env: { SESSION_REDIS: "true" },
      ports: [{ port: 8079 }],
      probes: { readiness: http("/", 8079, 30), liveness: http("/", 8079, 300) },
      resources: { cpu: "100m", memory: "300Mi", cpuLimit: "300m", memoryLimit: "1000Mi" },
      securityContext: { runAsUser: 10001 },
      // Service 80 -> 8079, published on every node's port 30001 (the NetworkPolicy opens 8079 to the VPC).
      service: { type: "NodePort", annotations: SCRAPE, ports: [{ port: 80, targetPort: 8079, nodePort: 30001 }] },
    });
    this.frontEnd = frontEnd;
    const orders = javaService("orders", "weaveworksdemos/orders:0.4.7", {
      cpu: "100m",
      memory: "300Mi",
      cpuLimit: "500m",
      memoryLimit: "500Mi",
    });
    const ordersDb = mongo("orders-db", "mongo:3.4");
    const payment = add("payment", {
      image: "weaveworksdemos/payment:0.4.3",
      ports: [{ port: 80 }],
      probes: { readiness: http("/health", 80, 180), liveness: http("/health", 80, 300) },
      resources: { cpu: "99m", memory: "100Mi", cpuLimit: "200m", memoryLimit: "200Mi" },
      securityContext: BIND_80,
      service: { annotations: SCRAPE },
    });
    // Upstream gives queue-master no securityContext (root's default capabilities): the port
    // runs it like the other Java services.
    const queueMaster = javaService("queue-master", "weaveworksdemos/queue-master:0.3.1", {
      cpu: "100m",
      memory: "300Mi",
      cpuLimit: "300m",
      memoryLimit: "500Mi",
    });
    const rabbitmq = add("rabbitmq", {
      image: "rabbitmq:3.6.8-management",
      ports: [
        { name: "management", port: 15672 },
        { name: "rabbitmq", port: 5672 },
      ],
      // Ready when the broker port answers (the default would probe the first port, management).
      probes: { readiness: { tcp: { port: "rabbitmq" } } },
      resources: DATA_STORE,
      securityContext: stepDown(["DAC_OVERRIDE"]),
      podAnnotations: { "prometheus.io/scrape": "false" },
      // The metrics exporter beside the broker: it reads the management API on localhost:15672.
      containers: [
        {
          name: "rabbitmq-exporter",
          // Untagged upstream: pinned to the prometheus-community chart's default (9090 is its port before 1.0).
          image: "kbudde/rabbitmq-exporter:v0.29.0",
          ports: [{ name: "exporter", port: 9090 }],
          resources: { cpu: "10m", memory: "32Mi" },
          securityContext: { runAsUser: 65534 },
        },
      ],
      // The broker and the exporter; the management port stays inside the pod.
      service: {
        annotations: { ...SCRAPE, "prometheus.io/port": "9090" },
        ports: [
          { name: "rabbitmq", port: 5672, targetPort: 5672 },
          { name: "exporter", port: 9090, targetPort: "exporter", protocol: "TCP" },
        ],
      },
    });
    const sessionDb = add("session-db", {
      image: "redis:alpine",
      ports: [{ name: "redis", port: 6379 }],
      resources: DATA_STORE,
      securityContext: stepDown(),
      // Upstream's key, typo included (prometheus.io/scrape was meant).
      podAnnotations: { "prometheus.io.scrape": "false" },
    });
    const shipping = javaService(
      "shipping",
      "weaveworksdemos/shipping:0.4.8",
      { cpu: "100m", memory: "300Mi", cpuLimit: "300m", memoryLimit: "500Mi" },
      { ZIPKIN: "zipkin.jaeger.svc.cluster.local" },
    );
    const user = add("user", {
      image: "weaveworksdemos/user:0.4.7",
      env: { mongo: "user-db:27017" },
      ports: [{ port: 80 }],
      probes: { readiness: http("/health", 80, 180), liveness: http("/health", 80, 300) },
      resources: { cpu: "100m", memory: "100Mi", cpuLimit: "300m", memoryLimit: "200Mi" },
      securityContext: BIND_80,
      service: { annotations: SCRAPE },
    });
    const userDb = mongo("user-db", "weaveworksdemos/user-db:0.3.0");

    // The call graph. Sources of each address: test/examples/sock-shop.test.ts (CALL_GRAPH).
    const calls: [WebService, WebService[]][] = [
      [frontEnd, [catalogue, carts, orders, user, sessionDb]],
      [orders, [ordersDb, payment, shipping, user, carts]],
      [carts, [cartsDb]],
      [catalogue, [catalogueDb]],
      [user, [userDb]],
      [shipping, [rabbitmq]],
      [queueMaster, [rabbitmq]],
    ];
    for (const [caller, callees] of calls) {
      for (const callee of callees) allowCall(namespace, caller, callee);
    }
  }
}

/** A workloads stack on a cluster, with Sock Shop in it. */
export class SockShopStack extends WorkloadsStack {
  public readonly shop: SockShop;

  constructor(scope: Construct, id: string, props: SockShopProps = {}) {
    super(scope, id, { cluster: props.cluster ?? ADOPT_PLACEHOLDER_CLUSTER, region: props.region ?? REGION });
    this.shop = new SockShop(this, "sock-shop");
  }
}

if (require.main === module) {
  const app = new App();
  new SockShopStack(app, "sock-shop");
  app.synth();
}
