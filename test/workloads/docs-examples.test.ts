// The workloads examples of the README, as code: they must synthesize (test/docs/code-blocks.test.ts type-checks the blocks as written).
import { Testing } from "cdktf";
import { imageReference } from "../../constructs/registry";
import {
  CronJob,
  Gp3StorageClass,
  Namespace,
  Peer,
  StatefulService,
  VariableSecret,
  WebService,
  Worker,
} from "../../constructs/workloads";
import { FakeLoadBalancing, testCluster, workloadStack } from "./fixtures";

test("the workloads examples synthesize", () => {
  const stack = workloadStack();
  const cluster = testCluster(stack);
  new FakeLoadBalancing(stack, "load-balancing");
  const repositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/apps/web";

  const shop = new Namespace(stack, "shop", {
    cluster,
    quota: { requestsCpu: "8", requestsMemory: "16Gi", servicesLoadBalancers: 1 },
    limits: { defaultRequest: { cpu: "100m", memory: "128Mi" } },
  });
  const batch = new Namespace(stack, "batch", { cluster });

  const web = new WebService(stack, "web", {
    namespace: shop,
    image: imageReference(repositoryUrl, { tag: "1.4.2" }),
    ports: [{ name: "http", port: 8080 }],
    resources: { cpu: "250m", memory: "256Mi" },
    probes: { readiness: { http: { path: "/ready", port: "http" } } },
    config: { env: { LOG_LEVEL: "info" }, files: { "app.yaml": "greeting: hello" } },
    ingress: {
      scheme: "internet-facing",
      certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-123456789012",
      groupName: "shop",
    },
  });
  expect(web.serviceDnsName).toBe("web.shop.svc.cluster.local");
  expect(web.servicePort).toBe(8080);

  const api = new WebService(stack, "api", {
    namespace: shop,
    image: "registry.k8s.io/e2e-test-images/agnhost:2.52",
    ports: [{ name: "http", port: 8080 }],
    resources: { cpu: "250m", memory: "256Mi" },
    awsAccess: { policyStatements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::shop-assets/*"] }] },
  });
  shop.allowIngress({ name: "api-from-web", pods: api, peers: [Peer.workload(web)], ports: [{ port: 8080 }] });
  shop.allowEgress({ name: "web-to-api", pods: web, peers: [Peer.workload(api)], ports: [{ port: 8080 }] });

  new Worker(stack, "mailer", {
    namespace: shop,
    image: "public.ecr.aws/docker/library/busybox:1.37.0",
    resources: { cpu: "100m", memory: "128Mi" },
  });
  new CronJob(stack, "report", {
    namespace: batch,
    image: "public.ecr.aws/docker/library/busybox:1.37.0",
    resources: { cpu: "250m", memory: "256Mi" },
    schedule: "30 2 * * MON-FRI",
    timeZone: "Europe/Paris",
  });
  const gp3 = new Gp3StorageClass(stack, "gp3", { cluster });
  new StatefulService(stack, "db", {
    namespace: shop,
    image: "public.ecr.aws/docker/library/postgres:17.2-alpine",
    securityContext: { runAsUser: 999 },
    ports: [{ name: "pg", port: 5432 }],
    resources: { cpu: "500m", memory: "1Gi" },
    volumeClaims: [{ name: "data", mountPath: "/var/lib/postgresql/data", size: "50Gi", storageClass: gp3 }],
  });
  const db = new VariableSecret(stack, "db-credentials", { namespace: shop, keys: ["DB_PASSWORD"] });
  expect(db.variables.DB_PASSWORD.friendlyUniqueId).toBe("shop_db_credentials_db_password");

  const json = JSON.parse(Testing.synth(stack, true));
  expect(Object.keys(json.resource.kubernetes_deployment_v1)).toHaveLength(3);
  expect(Object.keys(json.resource.kubernetes_ingress_v1)).toHaveLength(1);
});
