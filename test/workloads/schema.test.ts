import { Testing } from "cdktf";
import {
  CronJob,
  Gp3StorageClass,
  Job,
  StatefulService,
  VariableSecret,
  WebService,
  Worker,
} from "../../constructs/workloads";
import { Peer } from "../../constructs/workloads/network-rules";
import { expectValidKubernetes } from "../kubernetes-schema";
import { FakeLoadBalancing, IMAGE, RESOURCES, setup } from "./fixtures";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-123456789012";

// Every workload construct with its optional features on, converted to the Kubernetes API
// objects it creates and validated against the OpenAPI schema: a field the API server would
// reject fails here, since no kubernetes provider can validate offline.
describe("workload constructs against the Kubernetes schema", () => {
  it("every object of every construct, options on, is a valid API object", () => {
    const s = setup({
      quota: { requestsCpu: "4", requestsMemory: "8Gi", limitsMemory: "8Gi", pods: 40, persistentVolumeClaims: 4 },
      limits: {
        defaultRequest: { cpu: "100m", memory: "128Mi" },
        defaultLimit: { memory: "256Mi" },
        max: { memory: "2Gi" },
      },
    });
    new FakeLoadBalancing(s.stack, "lb");
    const secret = new VariableSecret(s.stack, "db", { namespace: s.ns, keys: ["DATABASE_PASSWORD"] });
    const web = new WebService(s.stack, "web", {
      namespace: s.ns,
      image: IMAGE,
      resources: { ...RESOURCES, cpuLimit: "1" },
      ports: [{ name: "http", port: 8080 }],
      probes: {
        readiness: { http: { path: "/ready", port: "http" } },
        liveness: { http: { path: "/live", port: "http" } },
        startup: { tcp: { port: "http" }, failureThreshold: 30 },
      },
      config: { env: { MODE: "production" }, files: { "app.yaml": "a: 1\n" } },
      secrets: [secret],
      autoscaling: { minReplicas: 3, maxReplicas: 9, cpuUtilization: 60, memoryUtilization: 75 },
      ingress: {
        scheme: "internet-facing",
        certificateArn: CERT,
        host: "shop.example.com",
        healthCheckPath: "/ready",
        groupName: "shop",
      },
      awsAccess: { policyStatements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::shop/*"] }] },
    });
    new WebService(s.stack, "edge", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      ports: [{ name: "tcp", port: 9000 }],
      loadBalancer: { scheme: "internal" },
    });
    const worker = new Worker(s.stack, "worker", { namespace: s.ns, image: IMAGE, resources: RESOURCES });
    new CronJob(s.stack, "nightly", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      schedule: "30 2 * * MON-FRI",
      timeZone: "Europe/Dublin",
    });
    new Job(s.stack, "migrate", { namespace: s.ns, image: IMAGE, resources: RESOURCES, command: ["migrate"] });
    const storageClass = new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster });
    new StatefulService(s.stack, "postgres", {
      namespace: s.ns,
      name: "postgres",
      image: IMAGE,
      resources: RESOURCES,
      ports: [{ name: "pg", port: 5432 }],
      volumeClaims: [{ name: "data", mountPath: "/var/lib/postgresql/data", size: "20Gi", storageClass }],
    });
    s.ns.allowIngress({
      name: "web-to-worker",
      pods: worker,
      peers: [Peer.workload(web), Peer.namespace("monitoring")],
      ports: [{ port: 8080 }],
    });
    s.ns.allowEgress({
      name: "to-partner",
      pods: worker,
      peers: [Peer.cidr("198.51.100.0/24")],
      ports: [{ port: 443 }],
    });

    const { objects } = expectValidKubernetes(Testing.synth(s.stack, true));
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of [
      "Namespace",
      "ResourceQuota",
      "LimitRange",
      "NetworkPolicy",
      "Secret",
      "ConfigMap",
      "ServiceAccount",
      "Deployment",
      "Service",
      "HorizontalPodAutoscaler",
      "PodDisruptionBudget",
      "Ingress",
      "CronJob",
      "Job",
      "StorageClass",
      "StatefulSet",
    ]) {
      expect(kinds).toContain(kind);
    }
  });
});
