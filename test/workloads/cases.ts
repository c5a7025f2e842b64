import { TerraformStack } from "cdktf";
import { FargateProfile } from "../../constructs/eks/fargate-profile";
import {
  CronJob,
  Gp3StorageClass,
  Job,
  Namespace,
  StatefulService,
  VariableSecret,
  WebService,
  WebServiceOptions,
  Worker,
} from "../../constructs/workloads";
import { FakeLoadBalancing, IMAGE, RESOURCES, setup, synthWith, testCluster, workloadStack } from "./fixtures";

const base = { image: IMAGE, resources: RESOURCES, ports: [{ name: "http", port: 8080 }] };

export const webWith = (options: Partial<WebServiceOptions>) => () => {
  const s = setup();
  new WebService(s.stack, "web", { namespace: s.ns, ...base, ...options });
  new FakeLoadBalancing(s.stack, "lb");
  synthWith(s.stack);
};

/** A stack with a Fargate profile selecting namespace "batch" (privileged PSA, so only the Fargate check speaks). */
export function fargateSetup(): { stack: TerraformStack; ns: Namespace } {
  const stack = workloadStack();
  const cluster = testCluster(stack);
  new FargateProfile(stack, "fargate-batch", { cluster, selectors: [{ namespace: "batch" }] });
  const ns = new Namespace(stack, "batch", { cluster, podSecurity: { level: "privileged", reason: "node agent" } });
  return { stack, ns };
}

export const cases: Record<string, () => void> = {
  "two workloads of a namespace share a name": () => {
    const s = setup();
    new WebService(s.stack, "web", { namespace: s.ns, ...base });
    new Worker(s.stack, "web-worker", { namespace: s.ns, ...base, name: "web" });
  },
  "a namespace is declared twice": () => {
    const s = setup();
    new Namespace(s.stack, "shop-again", { cluster: s.cluster, name: "shop" });
  },
  "a WebService name is not a DNS-1123 label": webWith({ name: "Web_1" }),
  "a Namespace name is not a DNS-1123 label": () =>
    new Namespace(workloadStack(), "x", { cluster: testCluster(workloadStack()), name: "Shop" }),
  "a port is out of range": webWith({ ports: [{ name: "http", port: 70000 }] }),
  "a port number is declared twice": webWith({
    ports: [
      { name: "http", port: 8080 },
      { name: "alt", port: 8080 },
    ],
  }),
  "a port name is declared twice": webWith({
    ports: [
      { name: "http", port: 8080 },
      { name: "http", port: 8081 },
    ],
  }),
  "a probe uses an undeclared port": webWith({ probes: { liveness: { http: { path: "/healthz", port: "admin" } } } }),
  "autoscaling minReplicas exceeds maxReplicas": webWith({ autoscaling: { minReplicas: 5, maxReplicas: 3 } }),
  "a utilization target is above 100 %": webWith({ autoscaling: { cpuUtilization: 150 } }),
  "a utilization target is 0 %": webWith({ autoscaling: { memoryUtilization: 0 } }),
  "the memory request is above the limit": webWith({ resources: { cpu: "100m", memory: "1Gi", memoryLimit: "512Mi" } }),
  "the CPU request is above the limit": webWith({ resources: { cpu: "2", memory: "1Gi", cpuLimit: "500m" } }),
  "resources are missing": webWith({ resources: undefined }),
  "the PDB's minAvailable reaches the replicas": webWith({ disruptionBudget: { minAvailable: 2 } }),
  "an Ingress targets a port the Service doesn't have": webWith({ ingress: { servicePort: 443 } }),
  "an Ingress asks for TLS without a certificate": webWith({ ingress: { tls: true } }),
  "the image is latest": webWith({ image: "nginx:latest" }),
  "the image is untagged": webWith({ image: "public.ecr.aws/nginx/nginx-unprivileged" }),
  "the namespace isn't declared": webWith({ namespace: "shop" } as any),
  "a cron schedule doesn't parse": () => {
    const s = setup();
    new CronJob(s.stack, "report", { namespace: s.ns, ...base, schedule: "0 25 * * *" });
  },
  "a StatefulService claim has no size": () => {
    const s = setup();
    const sc = new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster });
    new StatefulService(s.stack, "db", {
      namespace: s.ns,
      ...base,
      volumeClaims: [{ name: "data", mountPath: "/data", storageClass: sc } as any],
    });
  },
  "a Fargate workload is privileged": () => {
    const f = fargateSetup();
    new Worker(f.stack, "agent", { namespace: f.ns, ...base, securityContext: { privileged: true } });
    synthWith(f.stack);
  },
  "a Fargate workload uses the host network": () => {
    const f = fargateSetup();
    new Job(f.stack, "agent", { namespace: f.ns, ...base, hostNetwork: true });
    synthWith(f.stack);
  },
  "a Fargate workload binds a host port": () => {
    const f = fargateSetup();
    new Worker(f.stack, "agent", { namespace: f.ns, ...base, ports: [{ name: "http", port: 8080, hostPort: 8080 }] });
    synthWith(f.stack);
  },
  "a Fargate workload mounts an EBS volume": () => {
    const f = fargateSetup();
    const sc = new Gp3StorageClass(f.stack, "gp3", { cluster: f.ns.cluster });
    new StatefulService(f.stack, "db", {
      namespace: f.ns,
      ...base,
      volumeClaims: [{ name: "data", mountPath: "/data", size: "10Gi", storageClass: sc }],
    });
    synthWith(f.stack);
  },
  "a namespace has policies but the cluster doesn't enforce them": () => {
    const stack = workloadStack();
    new Namespace(stack, "shop", { cluster: testCluster(stack, { enforcement: "none" }) });
  },
  "a namespace weakens Pod Security without a reason": () => {
    const stack = workloadStack();
    new Namespace(stack, "shop", { cluster: testCluster(stack), podSecurity: { level: "baseline" } as any });
  },
  "a restricted namespace gets a privileged workload": webWith({ securityContext: { privileged: true } }),
  "an exposed workload has no load balancer controller": () => {
    const s = setup();
    new WebService(s.stack, "web", { namespace: s.ns, ...base, ingress: {} });
    synthWith(s.stack);
  },
  "a secret key is not an environment variable name": () => {
    const s = setup();
    new VariableSecret(s.stack, "db", { namespace: s.ns, keys: ["db-password"] });
  },
};
