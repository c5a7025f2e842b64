/**
 * Online Boutique (GoogleCloudPlatform/microservices-demo, release v0.10.0) ported to the
 * workload constructs: 11 services and a load generator, gRPC probes, an init container, a
 * Service port mapped to another container port (email 5000 -> 8080, frontend 80 -> 8080), a
 * second, public Service on the frontend's pods, and a NetworkPolicy edge for every call the
 * app makes (the namespace denies everything else).
 *
 * Upstream: test/examples/fixtures/online-boutique/ (the release manifest, vendored verbatim).
 * Every difference from it, with its reason: test/examples/online-boutique.test.ts.
 *
 * Synthesize: `npx tsx examples/online-boutique/main.ts` (writes cdktf.out/stacks/online-boutique).
 * The cluster below is adopted by documentation placeholders: put your own cluster's
 * attributes (or pass `platform.cluster`) before deploying.
 */
import { App } from "cdktf";
import { Construct } from "constructs";
import {
  DeploymentWorkload,
  EksCluster,
  IEksCluster,
  Namespace,
  Network,
  Peer,
  Probe,
  Resources,
  Volume,
  WebService,
  Worker,
} from "eks-platform/constructs";
import { AdoptCluster, WorkloadsStack } from "eks-platform/constructs/stacks";

const REGION = "eu-west-1";
const RELEASE = "v0.10.0";
const REGISTRY = "gcr.io/google-samples/microservices-demo";

/** A cluster that already exists, adopted by its attributes (placeholders). */
export const ADOPT_PLACEHOLDER_CLUSTER: AdoptCluster = (stack) =>
  EksCluster.fromClusterAttributes(stack, "cluster", {
    clusterName: "shop",
    clusterEndpoint: "https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
    clusterCertificateAuthorityData: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==",
    oidcProviderArn:
      "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF",
    clusterSecurityGroupId: "sg-0123456789abcdef0",
    kubernetesVersion: "1.33",
    endpointPublicAccess: true,
    podIdentityAvailable: true,
    // Its vpc-cni enforces NetworkPolicies: the namespace below is default-deny.
    networkPolicyEnforcement: "vpc-cni",
    network: Network.fromNetworkAttributes(stack, "network", {
      vpcId: "vpc-0a1b2c3d4e5f60718",
      vpcCidr: "10.50.0.0/16",
      availabilityZones: [`${REGION}a`, `${REGION}b`],
      subnets: {
        private: [
          { id: "subnet-0aaaaaaaaaaaaaaa1", availabilityZone: `${REGION}a` },
          { id: "subnet-0bbbbbbbbbbbbbbb2", availabilityZone: `${REGION}b` },
        ],
        public: [
          { id: "subnet-0ddddddddddddddd4", availabilityZone: `${REGION}a` },
          { id: "subnet-0eeeeeeeeeeeeeee5", availabilityZone: `${REGION}b` },
        ],
      },
    }),
  });

export interface OnlineBoutiqueProps {
  /** @default ADOPT_PLACEHOLDER_CLUSTER */
  readonly cluster?: IEksCluster | AdoptCluster;
  /** @default "eu-west-1" */
  readonly region?: string;
  /** @default "online-boutique" */
  readonly namespace?: string;
}

/** What every upstream pod sets: uid/gid 1000, and the group owns the volumes. */
const POD_SECURITY = { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 };
/** Upstream runs one replica of each and no autoscaler; so does the port. */
const ONE_REPLICA = { autoscaling: false, replicas: 1 } as const;

interface GrpcServiceSpec {
  readonly port: number;
  /** The Service port, when it differs from the container port (emailservice: 5000 -> 8080). */
  readonly servicePort?: number;
  /** Upstream names the currencyservice container port "grpc"; the others are unnamed. */
  readonly portName?: string;
  readonly env: Record<string, string>;
  readonly resources: Resources;
  /** Probe timing, the same for readiness and liveness unless `liveness` says otherwise. */
  readonly timing?: Omit<Probe, "grpc">;
  readonly liveness?: Omit<Probe, "grpc">;
  /** Upstream's 5 s grace period (9 of 12 pods). */
  readonly fastShutdown?: boolean;
}

/** The workloads of one Online Boutique, in a default-deny namespace. */
export class OnlineBoutique extends Construct {
  public readonly namespace: Namespace;
  /** Every workload, by upstream name. */
  public readonly workloads: Record<string, DeploymentWorkload> = {};
  public readonly frontend: WebService;

  constructor(scope: WorkloadsStack, id: string, props: { namespace?: string } = {}) {
    super(scope, id);
    // Restricted Pod Security (the default) admits every upstream pod as written.
    this.namespace = new Namespace(this, "namespace", { cluster: scope.cluster, name: props.namespace ?? id });
    const namespace = this.namespace;

    const grpcService = (name: string, s: GrpcServiceSpec): WebService => {
      const service = new WebService(this, name, {
        namespace,
        image: `${REGISTRY}/${name}:${RELEASE}`,
        containerName: "server",
        ports: [{ name: s.portName, port: s.port }],
        service: { ports: [{ name: "grpc", port: s.servicePort ?? s.port, targetPort: s.port }] },
        probes: {
          readiness: { grpc: { port: s.port }, ...s.timing },
          liveness: { grpc: { port: s.port }, ...(s.liveness ?? s.timing) },
        },
        env: s.env,
        resources: s.resources,
        podSecurityContext: POD_SECURITY,
        podLabels: { app: name },
        terminationGracePeriodSeconds: s.fastShutdown ? 5 : undefined,
        ...ONE_REPLICA,
      });
      this.workloads[name] = service;
      return service;
    };
    const small: Resources = { cpu: "100m", memory: "64Mi", cpuLimit: "200m", memoryLimit: "128Mi" };

    const currency = grpcService("currencyservice", {
      port: 7000,
      portName: "grpc",
      env: { PORT: "7000", DISABLE_PROFILER: "1" },
      resources: small,
      fastShutdown: true,
    });
    const productCatalog = grpcService("productcatalogservice", {
      port: 3550,
      env: { PORT: "3550", DISABLE_PROFILER: "1" },
      resources: small,
      fastShutdown: true,
    });
    const shipping = grpcService("shippingservice", {
      port: 50051,
      env: { PORT: "50051", DISABLE_PROFILER: "1" },
      resources: small,
      timing: { periodSeconds: 5 },
      liveness: {},
    });
    const cart = grpcService("cartservice", {
      port: 7070,
      env: { REDIS_ADDR: "redis-cart:6379" },
      resources: { cpu: "200m", memory: "64Mi", cpuLimit: "300m", memoryLimit: "128Mi" },
      timing: { initialDelaySeconds: 15 },
      liveness: { initialDelaySeconds: 15, periodSeconds: 10 },
      fastShutdown: true,
    });
    const email = grpcService("emailservice", {
      port: 8080,
      servicePort: 5000,
      env: { PORT: "8080", DISABLE_PROFILER: "1" },
      resources: small,
      timing: { periodSeconds: 5 },
      fastShutdown: true,
    });
    const payment = grpcService("paymentservice", {
      port: 50051,
      env: { PORT: "50051", DISABLE_PROFILER: "1" },
      resources: small,
      fastShutdown: true,
    });
    const recommendation = grpcService("recommendationservice", {
      port: 8080,
      env: { PORT: "8080", PRODUCT_CATALOG_SERVICE_ADDR: "productcatalogservice:3550", DISABLE_PROFILER: "1" },
      resources: { cpu: "100m", memory: "220Mi", cpuLimit: "200m", memoryLimit: "450Mi" },
      timing: { periodSeconds: 5 },
      fastShutdown: true,
    });
    const ad = grpcService("adservice", {
      port: 9555,
      env: { PORT: "9555" },
      resources: { cpu: "200m", memory: "180Mi", cpuLimit: "300m", memoryLimit: "300Mi" },
      timing: { initialDelaySeconds: 20, periodSeconds: 15 },
      fastShutdown: true,
    });
    const checkout = grpcService("checkoutservice", {
      port: 5050,
      env: {
        PORT: "5050",
        PRODUCT_CATALOG_SERVICE_ADDR: "productcatalogservice:3550",
        SHIPPING_SERVICE_ADDR: "shippingservice:50051",
        PAYMENT_SERVICE_ADDR: "paymentservice:50051",
        EMAIL_SERVICE_ADDR: "emailservice:5000",
        CURRENCY_SERVICE_ADDR: "currencyservice:7000",
        CART_SERVICE_ADDR: "cartservice:7070",
      },
      resources: small,
    });

    // Redis with its data on the node's disk: an emptyDir needs a size limit here (upstream: none).
    const redis = new WebService(this, "redis-cart", {
      namespace,
      image: "redis:alpine",
      containerName: "redis",
      ports: [{ port: 6379 }],
      service: { ports: [{ name: "tcp-redis", port: 6379, targetPort: 6379 }] },
      probes: {
        readiness: { tcp: { port: 6379 }, periodSeconds: 5 },
        liveness: { tcp: { port: 6379 }, periodSeconds: 5 },
      },
      mounts: [{ volume: Volume.emptyDir("redis-data", { sizeLimit: "1Gi" }), path: "/data" }],
      resources: { cpu: "70m", memory: "200Mi", cpuLimit: "125m", memoryLimit: "256Mi" },
      podSecurityContext: POD_SECURITY,
      podLabels: { app: "redis-cart" },
      ...ONE_REPLICA,
    });
    this.workloads["redis-cart"] = redis;

    // The frontend: ClusterIP 80 -> 8080 for the load generator, and a public NLB on the same pods.
    const frontend = new WebService(this, "frontend", {
      namespace,
      image: `${REGISTRY}/frontend:${RELEASE}`,
      containerName: "server",
      ports: [{ port: 8080 }],
      service: { ports: [{ name: "http", port: 80, targetPort: 8080 }] },
      probes: {
        readiness: {
          http: { path: "/_healthz", port: 8080, headers: { Cookie: "shop_session-id=x-readiness-probe" } },
          initialDelaySeconds: 10,
        },
        liveness: {
          http: { path: "/_healthz", port: 8080, headers: { Cookie: "shop_session-id=x-liveness-probe" } },
          initialDelaySeconds: 10,
        },
      },
      env: {
        PORT: "8080",
        PRODUCT_CATALOG_SERVICE_ADDR: "productcatalogservice:3550",
        CURRENCY_SERVICE_ADDR: "currencyservice:7000",
        CART_SERVICE_ADDR: "cartservice:7070",
        RECOMMENDATION_SERVICE_ADDR: "recommendationservice:8080",
        SHIPPING_SERVICE_ADDR: "shippingservice:50051",
        CHECKOUT_SERVICE_ADDR: "checkoutservice:5050",
        AD_SERVICE_ADDR: "adservice:9555",
        // Declared upstream, but the release ships no shoppingassistantservice (an optional demo):
        // the frontend only calls it with ENABLE_ASSISTANT, so no NetworkPolicy opens it.
        SHOPPING_ASSISTANT_SERVICE_ADDR: "shoppingassistantservice:80",
        ENABLE_PROFILER: "0",
      },
      resources: small,
      podSecurityContext: POD_SECURITY,
      podLabels: { app: "frontend" },
      podAnnotations: { "sidecar.istio.io/rewriteAppHTTPProbers": "true" },
      ...ONE_REPLICA,
    });
    frontend.addService("external", {
      name: "frontend-external",
      loadBalancer: { scheme: "internet-facing" },
      ports: [{ name: "http", port: 80, targetPort: 8080 }],
    });
    this.frontend = frontend;
    this.workloads.frontend = frontend;

    // The load generator waits for the frontend (init container), then drives it. No Service, no readiness.
    const loadgenerator = new Worker(this, "loadgenerator", {
      namespace,
      image: `${REGISTRY}/loadgenerator:${RELEASE}`,
      containerName: "main",
      env: { FRONTEND_ADDR: "frontend:80", USERS: "10" },
      resources: { cpu: "300m", memory: "256Mi", cpuLimit: "500m", memoryLimit: "512Mi" },
      initContainers: [
        {
          name: "frontend-check",
          image: "busybox:1.36.1",
          command: ["/bin/sh", "-exc", terraformLiteral(FRONTEND_CHECK)],
          env: { FRONTEND_ADDR: "frontend:80" },
          resources: { cpu: "10m", memory: "16Mi" },
        },
      ],
      podSecurityContext: POD_SECURITY,
      podLabels: { app: "loadgenerator" },
      podAnnotations: { "sidecar.istio.io/rewriteAppHTTPProbers": "true" },
      terminationGracePeriodSeconds: 5,
      ...ONE_REPLICA,
    });
    this.workloads.loadgenerator = loadgenerator;

    // The call graph, from the *_ADDR settings above: one egress rule on the caller and one
    // ingress rule on the callee per edge, on the callee's container port (what a NetworkPolicy
    // sees after the Service's translation: emailservice 8080, frontend 8080).
    const calls: [DeploymentWorkload, WebService[]][] = [
      [frontend, [productCatalog, currency, cart, recommendation, shipping, checkout, ad]],
      [checkout, [productCatalog, shipping, payment, email, currency, cart]],
      [recommendation, [productCatalog]],
      [cart, [redis]],
      [loadgenerator, [frontend]],
    ];
    for (const [caller, callees] of calls) {
      for (const callee of callees) allowCall(namespace, caller, callee);
    }
  }
}

/** Opens caller -> callee on the callee's container port: egress on one side, ingress on the other. */
export function allowCall(namespace: Namespace, caller: DeploymentWorkload, callee: WebService): void {
  const ports = [{ port: callee.containerPort }];
  namespace.allowEgress({
    name: `${caller.name}-to-${callee.name}`,
    pods: caller,
    peers: [Peer.workload(callee)],
    ports,
  });
  namespace.allowIngress({
    name: `${callee.name}-from-${caller.name}`,
    pods: callee,
    peers: [Peer.workload(caller)],
    ports,
  });
}

/**
 * Terraform reads every string of the synthesized JSON as a template, so the shell's `${VAR}`
 * would be taken for a Terraform interpolation (and fail `terraform validate`): `$${` is the
 * escape for a literal `${`. (cdktf's Fn.rawString also escapes newlines, for use inside an
 * expression, which would put literal backslashes into a plain attribute.)
 */
export function terraformLiteral(s: string): string {
  return s.replace(/\$\{/g, "$$${");
}

/** The init container's script, verbatim from the release manifest. */
const FRONTEND_CHECK = `MAX_RETRIES=12
RETRY_INTERVAL=10
for i in $(seq 1 $MAX_RETRIES); do
  echo "Attempt $i: Pinging frontend: \${FRONTEND_ADDR}..."
  STATUSCODE=$(wget --server-response http://\${FRONTEND_ADDR} 2>&1 | awk '/^  HTTP/{print $2}')
  if [ $STATUSCODE -eq 200 ]; then
      echo "Frontend is reachable."
      exit 0
  fi
  echo "Error: Could not reach frontend - Status code: \${STATUSCODE}"
  sleep $RETRY_INTERVAL
done
echo "Failed to reach frontend after $MAX_RETRIES attempts."
exit 1
`;

/** A workloads stack on a cluster, with Online Boutique in it. */
export class OnlineBoutiqueStack extends WorkloadsStack {
  public readonly shop: OnlineBoutique;

  constructor(scope: Construct, id: string, props: OnlineBoutiqueProps = {}) {
    super(scope, id, { cluster: props.cluster ?? ADOPT_PLACEHOLDER_CLUSTER, region: props.region ?? REGION });
    this.shop = new OnlineBoutique(this, props.namespace ?? "online-boutique");
  }
}

if (require.main === module) {
  const app = new App();
  new OnlineBoutiqueStack(app, "online-boutique");
  app.synth();
}
