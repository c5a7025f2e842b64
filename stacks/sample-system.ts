import { Construct } from "constructs";
import { RemovalPolicy } from "../constructs/core/removal-policy";
import { IEksCluster } from "../constructs/eks/types";
import { PolicyChecks } from "../constructs/policy/policy-checks";
import { imageReference } from "../constructs/registry/image-reference";
import { Registry } from "../constructs/registry/registry";
import type { RepositoryOptions } from "../constructs/registry/repository";
import { CronJob } from "../constructs/workloads/cron-job";
import { Namespace } from "../constructs/workloads/namespace";
import { Peer } from "../constructs/workloads/network-rules";
import { Architecture, PlacementOptions } from "../constructs/workloads/placement";
import { StatefulService } from "../constructs/workloads/stateful-service";
import { Gp3StorageClass } from "../constructs/workloads/storage-class";
import { WebService } from "../constructs/workloads/web-service";
import { Worker } from "../constructs/workloads/worker";

/** True when the worker's heartbeat file was touched in the last 2 minutes. */
const HEARTBEAT_CHECK = ["sh", "-c", 'test -n "$(find /tmp/heartbeat -mmin -2 2>/dev/null)"'];
/**
 * Liveness is looser than readiness: a heartbeat older than 10 minutes means the loop is stuck,
 * not that the API is slow (identical checks would restart workers whenever the API is down).
 */
const HEARTBEAT_STUCK_CHECK = ["sh", "-c", 'test -n "$(find /tmp/heartbeat -mmin -10 2>/dev/null)"'];

/**
 * Public images, pinned, that run as non-root with a read-only root filesystem, so a first
 * deploy comes up before the team has pushed anything:
 * - nginx-unprivileged listens on 8080 as uid 101 and writes only to /tmp;
 * - agnhost (the Kubernetes e2e test image) `serve-hostname` answers every HTTP path with the
 *   pod's hostname and does nothing else (test/images/agnhost/serve-hostname/serve_hostname.go in
 *   kubernetes/kubernetes, read 2026-12). Not `netexec`: its /shell?cmd= runs any command, /upload
 *   writes a file and chmods it executable, /exit and /shutdown stop the server, /dial and /redirect
 *   reach wherever they are told (addRoutes in test/images/agnhost/netexec/netexec.go): next to the
 *   API's AWS credentials that is remote code execution with them. Samples get copied; this one
 *   serves only what the worker (/healthz) and the report job (/hostname) read;
 * - busybox for the worker and the report job;
 * - redis runs as its own uid 999 when started non-root, writing only to /data.
 */
export const SAMPLE_IMAGES = {
  web: "public.ecr.aws/nginx/nginx-unprivileged:1.27.4-alpine",
  api: "registry.k8s.io/e2e-test-images/agnhost:2.52",
  worker: "public.ecr.aws/docker/library/busybox:1.37.0",
  report: "public.ecr.aws/docker/library/busybox:1.37.0",
  cache: "public.ecr.aws/docker/library/redis:7.4.2-alpine",
} as const;

/**
 * The repositories the sample's components can run the team's own images from: a web front end,
 * an API and a batch job. PlatformStack adds them to the registry of an environment with `sample: true`.
 */
export const SAMPLE_REPOSITORIES: Readonly<Record<string, RepositoryOptions>> = {
  "apps/web": {},
  "apps/api": {},
  "apps/report-job": {},
};

/**
 * The architectures the public sample images are published for (multi-arch manifest lists:
 * `docker buildx imagetools inspect <image>`), so they run on Graviton and x86 nodes alike.
 */
const SAMPLE_ARCHITECTURES: Architecture[] = ["amd64", "arm64"];

export interface SampleSystemOptions {
  /** The cluster the sample runs on. */
  readonly cluster: IEksCluster;
  /**
   * The platform's registry: with `tags`, a component runs the team's own image from its ECR
   * repository (apps/web, apps/api, apps/report-job) instead of the public sample image.
   * @default - public sample images only
   */
  readonly registry?: Registry;
  /** Tags (or `sha256:` digests) of the team's images by component. @default - none */
  readonly tags?: { readonly web?: string; readonly api?: string; readonly report?: string };
  /**
   * ACM certificate for the web Ingress: with it the ALB is internet-facing with TLS on 443
   * (HTTP redirected). Without it the ALB is internal (reachable from the VPC only), so nothing
   * is published in clear text.
   * @default - an internal, HTTP-only ALB
   */
  readonly certificateArn?: string;
  /**
   * Whether the cache's data outlives the sample: "retain" keeps the gp3 volumes (and their
   * claims) when the stack is destroyed; "destroy" deletes them with it (a disposable environment).
   * @default "retain"
   */
  readonly dataRemovalPolicy?: RemovalPolicy;
  /** The S3 objects the API may read. @default "arn:aws:s3:::<cluster>-sample-assets/*" */
  readonly assetsObjectsArn?: string;
  /**
   * Where the web, API, worker and cache pods run (the report job runs on Fargate). Checked
   * against the cluster's node groups at synth.
   * @default - anywhere the pods tolerate
   */
  readonly placement?: PlacementOptions;
}

/** What the sample system creates, for tests and outputs. */
export interface SampleSystem {
  readonly namespaces: Record<"web" | "api" | "worker" | "batch" | "data", Namespace>;
  readonly web: WebService;
  readonly api: WebService;
  readonly worker: Worker;
  readonly report: CronJob;
  readonly cache: StatefulService;
  readonly storageClass: Gp3StorageClass;
}

/**
 * The sample system of the workloads stack: a web front end behind an ALB Ingress, an API with
 * AWS access through Pod Identity, a queue worker, a nightly report CronJob on the Fargate
 * `batch` namespace, and a Redis cache on a gp3 volume. Each runs in its own default-deny
 * namespace with exactly the connections it needs allowed.
 */
export function addSampleSystem(scope: Construct, options: SampleSystemOptions): SampleSystem {
  const { cluster, registry, tags = {} } = options;
  const placement = options.placement;
  /** The public images' architectures; a team's own image (a tag given) is unknown here. */
  const archsOf = (component: "web" | "api" | "report") =>
    registry !== undefined && tags[component] !== undefined ? undefined : SAMPLE_ARCHITECTURES;
  const image = (component: "web" | "api" | "report", repository: string): string => {
    const version = tags[component];
    if (registry === undefined || version === undefined) return SAMPLE_IMAGES[component];
    const url = registry.repository(repository).repositoryUrl;
    return imageReference(url, version.startsWith("sha256:") ? { digest: version } : { tag: version });
  };

  const namespaces = {
    web: new Namespace(scope, "web", { cluster }),
    api: new Namespace(scope, "api", { cluster }),
    worker: new Namespace(scope, "worker", { cluster }),
    batch: new Namespace(scope, "batch", {
      cluster,
      fargateNetworkPolicyException:
        "the report job runs on Fargate, which can't enforce NetworkPolicies; it only calls the API, whose own ingress policy admits it by label",
    }),
    data: new Namespace(scope, "data", {
      cluster,
      quota: { requestsStorage: "100Gi", persistentVolumeClaims: 5 },
    }),
  };

  const removalPolicy = options.dataRemovalPolicy ?? "retain";
  const storageClass = new Gp3StorageClass(scope, "gp3", { cluster, removalPolicy });

  const api = new WebService(scope, "api-service", {
    namespace: namespaces.api,
    name: "api",
    image: image("api", "apps/api"),
    imageArchitectures: archsOf("api"),
    placement,
    // HTTP only, on every path: /healthz for the probes and the worker, /hostname for the report.
    args: ["serve-hostname", "--http", "--port=8080"],
    securityContext: { runAsUser: 65532, runAsGroup: 65532 },
    ports: [{ name: "http", port: 8080 }],
    resources: { cpu: "100m", memory: "128Mi" },
    // Liveness only checks that the process accepts connections (readiness checks it answers).
    probes: {
      readiness: { http: { path: "/healthz", port: "http" } },
      liveness: { tcp: { port: "http" } },
    },
    autoscaling: { minReplicas: 2, maxReplicas: 6 },
    awsAccess: {
      mechanism: "pod-identity",
      policyStatements: [
        {
          actions: ["s3:GetObject"],
          resources: [options.assetsObjectsArn ?? `arn:aws:s3:::${cluster.name}-sample-assets/*`],
        },
      ],
    },
  });

  const web = new WebService(scope, "web-service", {
    namespace: namespaces.web,
    name: "web",
    image: image("web", "apps/web"),
    imageArchitectures: archsOf("web"),
    placement,
    ports: [{ name: "http", port: 8080 }],
    resources: { cpu: "100m", memory: "64Mi", memoryLimit: "128Mi" },
    probes: {
      readiness: { http: { path: "/", port: "http" } },
      liveness: { tcp: { port: "http" } },
    },
    config: { env: { API_URL: `http://${api.serviceDnsName}:${api.servicePort}` } },
    autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 70 },
    ingress: {
      scheme: options.certificateArn !== undefined ? "internet-facing" : "internal",
      certificateArn: options.certificateArn,
      healthCheckPath: "/",
      groupName: "sample",
    },
  });

  const worker = new Worker(scope, "queue-worker", {
    namespace: namespaces.worker,
    name: "worker",
    image: SAMPLE_IMAGES.worker,
    imageArchitectures: SAMPLE_ARCHITECTURES,
    placement,
    // Each pass that reaches the API touches a heartbeat file; the probes check it is fresh, so a
    // worker that can't do its work is taken out of the rollout (readiness) and restarted (liveness).
    command: [
      "sh",
      "-c",
      `while true; do wget -q -O /dev/null http://${api.serviceDnsName}:8080/healthz && touch /tmp/heartbeat; sleep 30; done`,
    ],
    securityContext: { runAsUser: 65532, runAsGroup: 65532 },
    resources: { cpu: "50m", memory: "32Mi" },
    probes: {
      readiness: { exec: { command: HEARTBEAT_CHECK }, initialDelaySeconds: 5, periodSeconds: 30 },
      liveness: { exec: { command: HEARTBEAT_STUCK_CHECK }, initialDelaySeconds: 120, periodSeconds: 60 },
    },
    autoscaling: { minReplicas: 2, maxReplicas: 4, memoryUtilization: false },
    // Recommendations only (kubectl describe vpa worker): the HPA scales on cpu, so an updating
    // mode could size memory only.
    verticalPodAutoscaler: { updateMode: "Off" },
  });

  const report = new CronJob(scope, "nightly-report", {
    namespace: namespaces.batch,
    name: "report",
    image: image("report", "apps/report-job"),
    imageArchitectures: archsOf("report"),
    // The report's settings are read through the Kubernetes API (the job's one API permission:
    // get on its own ConfigMap), then the API's hostname and the date. busybox's wget doesn't
    // verify the API server's certificate; a real job uses a client with the mounted ca.crt.
    command: [
      "sh",
      "-c",
      'wget -q -O - --header "Authorization: Bearer $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)" ' +
        `https://kubernetes.default.svc/api/v1/namespaces/batch/configmaps/report-config && wget -q -O - http://${api.serviceDnsName}:8080/hostname && date`,
    ],
    config: { env: { REPORT_TITLE: "nightly" } },
    apiAccess: { namespaced: [{ resources: ["configmaps"], verbs: ["get"], resourceNames: ["report-config"] }] },
    securityContext: { runAsUser: 65532, runAsGroup: 65532 },
    schedule: "30 2 * * *",
    timeZone: "Europe/Dublin",
    resources: { cpu: "250m", memory: "256Mi" },
  });

  const cache = new StatefulService(scope, "cache", {
    namespace: namespaces.data,
    name: "cache",
    image: SAMPLE_IMAGES.cache,
    imageArchitectures: SAMPLE_ARCHITECTURES,
    placement,
    command: ["redis-server", "--dir", "/data", "--appendonly", "yes"],
    securityContext: { runAsUser: 999 },
    ports: [{ name: "redis", port: 6379 }],
    resources: { cpu: "100m", memory: "256Mi" },
    // Ready when Redis answers (not while it loads its append-only file); alive while it accepts connections.
    probes: {
      readiness: { exec: { command: ["sh", "-c", "redis-cli ping | grep -q PONG"] } },
      liveness: { tcp: { port: "redis" }, initialDelaySeconds: 10 },
    },
    volumeClaims: [{ name: "data", mountPath: "/data", size: "10Gi", storageClass }],
    claimRetention: removalPolicy === "destroy" ? "Delete" : "Retain",
    // Recommendations only: an update would evict the only replica (a cold cache).
    verticalPodAutoscaler: { updateMode: "Off" },
  });
  PolicyChecks.suppress(
    web,
    "K8S24",
    "nginx-unprivileged runs as its built-in uid/gid 101, which owns its cache and pid directories; a uid of 10000 or more needs a rebuilt image",
  );
  PolicyChecks.suppress(
    cache,
    "K8S24",
    "the redis image runs as its built-in uid 999 (owner of its data directory, fsGroup of the volume); a uid of 10000 or more needs a rebuilt image",
  );
  PolicyChecks.suppress(
    cache,
    "K8S16",
    "the sample cache is one Redis without replication: a second replica would be a second, empty cache, not a standby",
  );

  // The connections the system needs; everything else is denied.
  namespaces.api.allowIngress({
    name: "from-clients",
    pods: api,
    peers: [Peer.workload(web), Peer.workload(worker), Peer.workload(report)],
    ports: [{ port: 8080 }],
  });
  namespaces.web.allowEgress({ name: "to-api", pods: web, peers: [Peer.workload(api)], ports: [{ port: 8080 }] });
  namespaces.worker.allowEgress({ name: "to-api", pods: worker, peers: [Peer.workload(api)], ports: [{ port: 8080 }] });
  namespaces.batch.allowEgress({ name: "to-api", pods: report, peers: [Peer.workload(api)], ports: [{ port: 8080 }] });
  // The Kubernetes API: kubernetes.default.svc forwards to the control plane's ENIs in the VPC.
  namespaces.batch.allowEgress({
    name: "to-kubernetes-api",
    pods: report,
    peers: [Peer.vpc()],
    ports: [{ port: 443 }],
  });
  namespaces.api.allowEgress({ name: "to-cache", pods: api, peers: [Peer.workload(cache)], ports: [{ port: 6379 }] });
  namespaces.data.allowIngress({ name: "from-api", pods: cache, peers: [Peer.workload(api)], ports: [{ port: 6379 }] });

  return { namespaces, web, api, worker, report, cache, storageClass };
}
