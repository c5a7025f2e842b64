import { Testing } from "cdktf";
import {
  DaemonSet,
  EnvValue,
  Gp3StorageClass,
  Namespace,
  StatefulService,
  VariableSecret,
  Volume,
  WebService,
  Worker,
} from "../../constructs/workloads";
import { PolicyChecks } from "../../constructs/policy";
import { expectValidKubernetes } from "../kubernetes-schema";
import { FakeLoadBalancing, IMAGE, RESOURCES, setup, synthWith } from "./fixtures";

const first = (json: any, type: string) => Object.values(json.resource[type])[0] as any;
const all = (json: any, type: string) => Object.values(json.resource[type] ?? {}) as any[];
const podOf = (json: any) => first(json, "kubernetes_deployment_v1").spec.template.spec;
const EXPORTER = "public.ecr.aws/bitnami/redis-exporter:1.67.0";

// The workload model against what published apps use (Online Boutique v0.10.0, Sock Shop):
// several containers, gRPC probes, Service ports that differ from container ports, pod-level ids,
// node-disk scratch space, capabilities per Pod Security level.
describe("workload model", () => {
  test("a metrics sidecar: two named containers, each with its own ports, probes, resources; the main keeps the workload's name", () => {
    const s = setup();
    new WebService(s.stack, "cache", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      ports: [{ name: "redis", port: 6379 }],
      containers: [
        {
          name: "exporter",
          image: EXPORTER,
          resources: { cpu: "10m", memory: "32Mi" },
          ports: [{ name: "metrics", port: 9121 }],
          probes: { readiness: { http: { path: "/health", port: "metrics" } } },
        },
      ],
    });
    const pod = podOf(synthWith(s.stack));
    expect(pod.container.map((c: any) => c.name)).toEqual(["cache", "exporter"]);
    const exporter = pod.container[1];
    expect(exporter.port).toEqual([{ name: "metrics", container_port: 9121, protocol: "TCP" }]);
    expect(exporter.readiness_probe.http_get).toEqual({ path: "/health", port: "metrics" });
    expect(exporter.security_context).toMatchObject({
      run_as_non_root: true,
      read_only_root_filesystem: true,
      allow_privilege_escalation: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(exporter.volume_mount).toEqual([{ name: "tmp", mount_path: "/tmp" }]);
    // The Service keeps the main container's ports only (the exporter's stays in the pod).
    expect(first(synthWith(s.stack), "kubernetes_service_v1").spec.port).toEqual([
      { name: "redis", port: 6379, target_port: "redis", protocol: "TCP" },
    ]);
  });

  test("containerName renames the main container only (a template change: pods roll, nothing is replaced)", () => {
    const s = setup();
    new Worker(s.stack, "cart", { namespace: s.ns, image: IMAGE, resources: RESOURCES, containerName: "server" });
    const json = synthWith(s.stack);
    expect(podOf(json).container[0].name).toBe("server");
    expect(Object.keys(json.resource.kubernetes_deployment_v1)[0]).toMatch(/^cart_deployment_/);
  });

  test("an init container runs first, with the secure context and resources of any container", () => {
    const s = setup();
    new Worker(s.stack, "loadgenerator", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      initContainers: [
        {
          name: "frontend-check",
          image: "public.ecr.aws/docker/library/busybox:1.37.0",
          command: ["sh", "-c", "until wget -q -O /dev/null http://frontend:80; do sleep 2; done"],
          resources: { cpu: "10m", memory: "16Mi" },
        },
      ],
    });
    const init = podOf(synthWith(s.stack)).init_container;
    expect(init).toHaveLength(1);
    expect(init[0]).toMatchObject({
      name: "frontend-check",
      image_pull_policy: "Always",
      resources: { requests: { cpu: "10m", memory: "16Mi", "ephemeral-storage": "256Mi" } },
      security_context: { run_as_non_root: true, allow_privilege_escalation: false },
    });
  });

  test("throws when an init container is a native sidecar (the pinned provider has no init_container restart_policy)", () => {
    const s = setup();
    expect(
      () =>
        new Worker(s.stack, "w", {
          namespace: s.ns,
          image: IMAGE,
          resources: RESOURCES,
          initContainers: [{ name: "proxy", image: IMAGE, resources: RESOURCES, restartPolicy: "Always" }],
        }),
    ).toThrow(
      "Worker 'w': initContainers[0].restartPolicy \"Always\" makes a native sidecar, which the pinned hashicorp/kubernetes provider (2.38) can't express: its init_container has no restart_policy; run the sidecar as a plain container in containers: [...] (it starts with the main container and runs as long as the pod)",
    );
  });

  test("throws when two containers share a name or a port", () => {
    const s = setup();
    const base = { namespace: s.ns, image: IMAGE, resources: RESOURCES, ports: [{ name: "http", port: 8080 }] };
    expect(
      () => new Worker(s.stack, "a", { ...base, containers: [{ name: "a", image: IMAGE, resources: RESOURCES }] }),
    ).toThrow(
      "Worker 'a': containers [\"a\"] are container names used more than once in the pod (the main container is named after the workload unless containerName is set); give every container its own name",
    );
    expect(
      () =>
        new Worker(s.stack, "b", {
          ...base,
          containers: [{ name: "side", image: IMAGE, resources: RESOURCES, ports: [{ port: 8080 }] }],
        }),
    ).toThrow("Worker 'b': ports [\"8080/TCP\"] are declared more than once in the pod; declare each port once");
  });

  test("probes: gRPC with service, HTTP with scheme and headers, readiness: false, liveness defaults to 6 failures", () => {
    const s = setup();
    new WebService(s.stack, "currency", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      ports: [{ name: "grpc", port: 7000 }],
      probes: { readiness: { grpc: { port: 7000 } }, liveness: { grpc: { port: 7000, service: "liveness" } } },
    });
    new WebService(s.stack, "frontend", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      ports: [{ port: 8080 }],
      probes: {
        readiness: {
          http: {
            path: "/_healthz",
            port: 8080,
            scheme: "HTTP",
            headers: { Cookie: "shop_session-id=x-readiness-probe" },
          },
        },
      },
    });
    new WebService(s.stack, "quiet", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      ports: [{ name: "http", port: 8080 }],
      probes: { readiness: false },
    });
    const json = synthWith(s.stack);
    const deps = json.resource.kubernetes_deployment_v1;
    const c = (name: string) =>
      (Object.entries(deps).find(([k]) => k.startsWith(name))![1] as any).spec.template.spec.container[0];
    expect(c("currency").readiness_probe).toEqual({ grpc: [{ port: 7000 }] });
    expect(c("currency").liveness_probe).toEqual({ grpc: [{ port: 7000, service: "liveness" }], failure_threshold: 6 });
    expect(c("frontend").readiness_probe.http_get).toEqual({
      path: "/_healthz",
      port: "8080",
      scheme: "HTTP",
      http_header: [{ name: "Cookie", value: "shop_session-id=x-readiness-probe" }],
    });
    expect(c("quiet").readiness_probe).toBeUndefined();
  });

  test("a UDP-only service gets no TCP readiness probe; throws when a probe targets the UDP port", () => {
    const s = setup();
    new WebService(s.stack, "dns", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      ports: [{ name: "dns", port: 5353, protocol: "UDP" }],
    });
    expect(podOf(synthWith(s.stack)).container[0].readiness_probe).toBeUndefined();
    expect(
      () =>
        new WebService(s.stack, "dns2", {
          namespace: s.ns,
          image: IMAGE,
          resources: RESOURCES,
          ports: [{ name: "dns", port: 5354, protocol: "UDP" }],
          probes: { readiness: { tcp: { port: "dns" } } },
        }),
    ).toThrow(
      "WebService 'dns2': probes.readiness.port \"dns\" is a UDP port; probes connect over TCP; probe a TCP port, or use exec",
    );
  });

  test("throws when successThreshold is not 1 on liveness, and when a gRPC probe names its port", () => {
    const s = setup();
    const base = { namespace: s.ns, image: IMAGE, resources: RESOURCES, ports: [{ name: "grpc", port: 7000 }] };
    expect(
      () => new Worker(s.stack, "a", { ...base, probes: { liveness: { tcp: { port: 7000 }, successThreshold: 2 } } }),
    ).toThrow(
      "Worker 'a': probes.liveness.successThreshold 2 must be 1 for a liveness probe (the API server refuses anything else); remove it; successThreshold applies to readiness only",
    );
    expect(
      () => new Worker(s.stack, "b", { ...base, probes: { readiness: { grpc: { port: "grpc" as any } } } }),
    ).toThrow(
      "Worker 'b': probes.readiness.grpc.port \"grpc\" is not a port number (gRPC probes take no port name); give the number of a declared port",
    );
  });

  test("Service port 80 -> container port 8080; the NetworkPolicy for the load balancer allows the container port", () => {
    const s = setup();
    new FakeLoadBalancing(s.stack, "lb");
    const frontend = new WebService(s.stack, "frontend", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      ports: [{ port: 8080 }],
      service: { ports: [{ name: "http", port: 80, targetPort: 8080 }] },
    });
    frontend.addService("external", {
      name: "frontend-external",
      loadBalancer: { scheme: "internet-facing" },
      ports: [{ name: "http", port: 80, targetPort: 8080 }],
    });
    expect(frontend.servicePort).toBe(80);
    expect(frontend.containerPort).toBe(8080);
    const json = synthWith(s.stack);
    const services = all(json, "kubernetes_service_v1");
    expect(services.map((x) => [x.metadata.name, x.spec.type, x.spec.port]).sort()).toEqual([
      ["frontend", "ClusterIP", [{ name: "http", port: 80, target_port: "8080", protocol: "TCP" }]],
      ["frontend-external", "LoadBalancer", [{ name: "http", port: 80, target_port: "8080", protocol: "TCP" }]],
    ]);
    expect(Object.keys(json.resource.kubernetes_service_v1).sort()).toEqual([
      expect.stringMatching(/^frontend_service-external_/),
      expect.stringMatching(/^frontend_service_/),
    ]);
    const policy = all(json, "kubernetes_network_policy_v1").find(
      (p) => p.metadata.name === "frontend-external-from-vpc",
    );
    expect(policy.spec.ingress[0].ports).toEqual([{ port: "8080", protocol: "TCP" }]);
  });

  test("several Service ports, one by port name, a headless second Service, annotations, NodePort", () => {
    const s = setup();
    const rabbit = new WebService(s.stack, "rabbitmq", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      ports: [
        { name: "amqp", port: 5672 },
        { name: "management", port: 15672 },
      ],
      containers: [
        { name: "exporter", image: EXPORTER, resources: RESOURCES, ports: [{ name: "exporter", port: 9090 }] },
      ],
      service: {
        ports: [
          { name: "rabbitmq", port: 5672, targetPort: "amqp" },
          { name: "exporter", port: 9090, targetPort: "exporter" },
        ],
        annotations: { "prometheus.io/scrape": "true" },
      },
    });
    rabbit.addService("peers", { name: "rabbitmq-peers", type: "Headless" });
    new WebService(s.stack, "front-end", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      ports: [{ port: 8079 }],
      service: { type: "NodePort", ports: [{ port: 80, targetPort: 8079, nodePort: 30001 }] },
    });
    const services = all(synthWith(s.stack), "kubernetes_service_v1");
    const svc = (n: string) => services.find((x) => x.metadata.name === n);
    expect(svc("rabbitmq").metadata.annotations).toEqual({ "prometheus.io/scrape": "true" });
    expect(svc("rabbitmq").spec.port.map((p: any) => [p.port, p.target_port])).toEqual([
      [5672, "amqp"],
      [9090, "exporter"],
    ]);
    expect(svc("rabbitmq-peers").spec).toMatchObject({ cluster_ip: "None", type: "ClusterIP" });
    expect(svc("front-end").spec).toMatchObject({
      type: "NodePort",
      port: [{ port: 80, target_port: "8079", node_port: 30001, protocol: "TCP" }],
    });
  });

  test("throws on a Service port that targets no container port, an LB annotation, a nodePort without NodePort", () => {
    const s = setup();
    const base = { namespace: s.ns, image: IMAGE, resources: RESOURCES, ports: [{ name: "http", port: 8080 }] };
    expect(
      () => new WebService(s.stack, "a", { ...base, service: { ports: [{ port: 80, targetPort: 9090 }] } }),
    ).toThrow(
      "WebService 'a': service.ports[0].targetPort 9090 is not a declared container port of the pod; use one of \"http\" (8080)",
    );
    expect(
      () =>
        new WebService(s.stack, "b", {
          ...base,
          service: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" } },
        }),
    ).toThrow(
      "WebService 'b': service.annotations \"service.beta.kubernetes.io/aws-load-balancer-scheme\" is a load balancer setting the typed loadBalancer options own (a free-form value could flip the scheme to internet-facing unseen); use loadBalancer: { scheme } instead",
    );
    expect(
      () =>
        new WebService(s.stack, "c", {
          ...base,
          service: { ports: [{ port: 80, targetPort: "http", nodePort: 30001 }] },
        }),
    ).toThrow(
      "WebService 'c': service.ports[0].nodePort 30001 is set on a Service that is not of type NodePort; set type: \"NodePort\", or remove it",
    );
    expect(() => new WebService(s.stack, "d", { ...base, ports: [{ port: 8080 }, { port: 8081 }] })).toThrow(
      "WebService 'd': ports [8080,8081] has several ports, and Kubernetes requires each port of such a Service to be named; name the container ports, or give each Service port a name",
    );
  });

  test("StatefulService: a ClusterIP client Service beside the headless one", () => {
    const s = setup();
    const storageClass = new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster });
    const db = new StatefulService(s.stack, "db", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      ports: [{ name: "pg", port: 5432 }],
      volumeClaims: [{ name: "data", mountPath: "/data", size: "10Gi", storageClass }],
      clientService: true,
    });
    expect(db.clientService).toBeDefined();
    const services = all(synthWith(s.stack), "kubernetes_service_v1");
    expect(services.map((x) => [x.metadata.name, x.spec.cluster_ip ?? x.spec.type]).sort()).toEqual([
      ["db", "None"],
      ["db-client", "ClusterIP"],
    ]);
  });

  test("pod fields: ids, fsGroup policy, supplemental groups, annotations, labels outside the selector", () => {
    const s = setup();
    new Worker(s.stack, "w", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      podSecurityContext: {
        runAsUser: 1000,
        runAsGroup: 1000,
        fsGroup: 1000,
        fsGroupChangePolicy: "OnRootMismatch",
        supplementalGroups: [2000],
      },
      podAnnotations: { "sidecar.istio.io/rewriteAppHTTPProbers": "true" },
      podLabels: { app: "w" },
      nodeSelector: { "kubernetes.io/os": "linux" },
    });
    const dep = first(synthWith(s.stack), "kubernetes_deployment_v1");
    expect(dep.spec.template.spec.security_context).toEqual({
      run_as_non_root: true,
      run_as_user: "1000",
      run_as_group: "1000",
      fs_group: "1000",
      fs_group_change_policy: "OnRootMismatch",
      supplemental_groups: [2000],
      seccomp_profile: { type: "RuntimeDefault" },
    });
    expect(dep.spec.template.metadata.annotations).toEqual({ "sidecar.istio.io/rewriteAppHTTPProbers": "true" });
    expect(dep.spec.template.metadata.labels).toMatchObject({ app: "w" });
    // The selector never includes extra labels: adding or changing one rolls pods, it doesn't replace the Deployment.
    expect(dep.spec.selector.match_labels).toEqual({
      "app.kubernetes.io/name": "w",
      "app.kubernetes.io/component": "worker",
    });
    expect(dep.spec.template.spec.node_selector).toEqual({ "kubernetes.io/os": "linux" });
  });

  test("throws when podLabels hold a selector key or podAnnotations our checksum prefix", () => {
    const s = setup();
    const base = { namespace: s.ns, image: IMAGE, resources: RESOURCES };
    expect(() => new Worker(s.stack, "a", { ...base, podLabels: { "app.kubernetes.io/name": "x" } })).toThrow(
      "Worker 'a': podLabels \"app.kubernetes.io/name\" is a selector label the workload sets itself (changing a selector replaces the controller); use another key; the selector is app.kubernetes.io/name and app.kubernetes.io/component",
    );
    expect(() => new Worker(s.stack, "b", { ...base, podAnnotations: { "checksum/config": "x" } })).toThrow(
      "Worker 'b': podAnnotations \"checksum/config\" is under checksum/, which the workload uses to roll pods on config changes; use another key",
    );
  });

  test("redis with an emptyDir on node disk: sizeLimit, writable mount, ephemeral-storage raised by the size", () => {
    const s = setup();
    const data = Volume.emptyDir("redis-data", { sizeLimit: "1Gi" });
    new WebService(s.stack, "redis-cart", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      containerName: "redis",
      ports: [{ port: 6379 }],
      mounts: [{ volume: data, path: "/data" }],
    });
    const pod = podOf(synthWith(s.stack));
    expect(pod.volume).toContainEqual({ name: "redis-data", empty_dir: { size_limit: "1Gi" } });
    expect(pod.container[0].volume_mount).toContainEqual({ name: "redis-data", mount_path: "/data", read_only: false });
    expect(pod.container[0].resources.requests["ephemeral-storage"]).toBe("1280Mi");
    expect(pod.container[0].resources.limits["ephemeral-storage"]).toBe("1280Mi");
    expect(pod.container[0].readiness_probe).toEqual({ tcp_socket: [{ port: "6379" }] });
  });

  test("throws when explicit ephemeral limits can't hold the node-disk emptyDirs, or an emptyDir has no sizeLimit", () => {
    const s = setup();
    const base = { namespace: s.ns, image: IMAGE };
    expect(
      () =>
        new Worker(s.stack, "a", {
          ...base,
          resources: { ...RESOURCES, ephemeralStorage: "100Mi" },
          mounts: [{ volume: Volume.emptyDir("scratch", { sizeLimit: "1Gi" }), path: "/scratch" }],
        }),
    ).toThrow(
      "Worker 'a': resources.ephemeralStorageLimit [\"100Mi\"] add up to less than the node-disk emptyDir sizeLimits (1024Mi), so the kubelet would evict the pod before a volume is full; raise the limits, or leave ephemeralStorage unset (the default adds the sizeLimits)",
    );
    expect(
      () =>
        new Worker(s.stack, "b", {
          ...base,
          resources: RESOURCES,
          mounts: [{ volume: Volume.emptyDir("scratch", {} as any), path: "/scratch" }],
        }),
    ).toThrow(
      "Worker 'b': mounts[0].volume.sizeLimit undefined is missing; give a size, e.g. \"1Gi\": past it the kubelet evicts the pod, not the node",
    );
  });

  test("ConfigMap, Secret and projected volumes read-only with mode 0440; env from Secret keys, fields; envFrom", () => {
    const s = setup();
    const secret = new VariableSecret(s.stack, "db", { namespace: s.ns, keys: ["PASSWORD"] });
    new Worker(s.stack, "w", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      env: {
        DB_PASSWORD: EnvValue.fromSecret(secret, "PASSWORD"),
        POD_NAME: EnvValue.fromField("metadata.name"),
        MODE: "prod",
      },
      envFrom: [{ configMap: "shared-settings", prefix: "SHARED_" }],
      mounts: [
        { volume: Volume.fromConfigMap("settings", "shared-settings"), path: "/etc/settings" },
        { volume: Volume.fromSecret("tls", "shop-tls", { items: { "tls.crt": "cert.pem" } }), path: "/etc/tls" },
        {
          volume: Volume.projected("vault-token", [{ serviceAccountToken: { path: "token", audience: "vault" } }]),
          path: "/var/run/vault",
        },
      ],
    });
    const json = synthWith(s.stack);
    const pod = podOf(json);
    const c = pod.container[0];
    expect(c.env).toEqual([
      { name: "DB_PASSWORD", value_from: { secret_key_ref: { name: "db", key: "PASSWORD" } } },
      { name: "POD_NAME", value_from: { field_ref: { field_path: "metadata.name" } } },
      { name: "MODE", value: "prod" },
    ]);
    expect(c.env_from).toEqual([{ prefix: "SHARED_", config_map_ref: { name: "shared-settings" } }]);
    expect(pod.volume.slice(1)).toEqual([
      { name: "settings", config_map: { name: "shared-settings", default_mode: "0440" } },
      {
        name: "tls",
        secret: { secret_name: "shop-tls", items: [{ key: "tls.crt", path: "cert.pem" }], default_mode: "0440" },
      },
      {
        name: "vault-token",
        projected: [
          {
            default_mode: "0440",
            sources: [{ service_account_token: { path: "token", audience: "vault", expiration_seconds: 3600 } }],
          },
        ],
      },
    ]);
    expect(c.volume_mount.slice(1).map((m: any) => m.read_only)).toEqual([true, true, true]);
    // No service-account token automount: the projected one, for its audience, is all the pod gets.
    expect(pod.automount_service_account_token).toBe(false);
  });

  test("a container binding :80 as non-root with NET_BIND_SERVICE, in a restricted namespace", () => {
    const s = setup();
    new WebService(s.stack, "catalogue", {
      namespace: s.ns,
      image: IMAGE,
      resources: RESOURCES,
      args: ["-port=80"],
      ports: [{ name: "http", port: 80 }],
      securityContext: { runAsUser: 10001, runAsGroup: 10001, capabilities: { add: ["NET_BIND_SERVICE"] } },
    });
    expect(podOf(synthWith(s.stack)).container[0].security_context).toEqual({
      run_as_non_root: true,
      run_as_user: "10001",
      run_as_group: "10001",
      allow_privilege_escalation: false,
      read_only_root_filesystem: true,
      capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
      seccomp_profile: { type: "RuntimeDefault" },
    });
  });

  test("capabilities beyond NET_BIND_SERVICE and root need a baseline namespace and a reason, which suppresses the policy rule", () => {
    const s = setup();
    const add = { add: ["CHOWN", "SETUID", "SETGID"], reason: "the mongo entrypoint drops to its own user" };
    expect(
      () =>
        new Worker(s.stack, "a", {
          namespace: s.ns,
          image: IMAGE,
          resources: RESOURCES,
          securityContext: { capabilities: add },
        }),
    ).toThrow(
      'Worker \'a\': securityContext.capabilities.add "CHOWN" is refused by the "restricted" Pod Security level of namespace "shop": the pods would never be admitted; remove it, or run the workload in a namespace with podSecurity: { level: "baseline", reason: "..." }',
    );
    const ns = new Namespace(s.stack, "data", {
      cluster: s.cluster,
      podSecurity: { level: "baseline", reason: "vendor images start as root" },
    });
    expect(
      () =>
        new Worker(s.stack, "b", {
          namespace: ns,
          image: IMAGE,
          resources: RESOURCES,
          securityContext: { capabilities: { add: ["CHOWN"] } },
        }),
    ).toThrow(
      "Worker 'b': securityContext.capabilities.reason \"\" is empty, but CHOWN is added beyond NET_BIND_SERVICE; say why the container needs them",
    );
    new Worker(s.stack, "mongo", {
      namespace: ns,
      image: IMAGE,
      resources: RESOURCES,
      securityContext: {
        capabilities: add,
        runAsRoot: { reason: "the image starts as root" },
        writableRootFilesystem: { reason: "writes /data/db" },
      },
    });
    const json = synthWith(s.stack);
    const c = podOf(json).container[0];
    expect(c.security_context).toMatchObject({
      run_as_non_root: false,
      read_only_root_filesystem: false,
      capabilities: { drop: ["ALL"], add: ["CHOWN", "SETUID", "SETGID"] },
    });
    const result = PolicyChecks.evaluate(s.stack);
    const suppressed = result.suppressed.filter((f) => f.address.includes("mongo")).map((f) => [f.ruleId, f.reason]);
    expect(suppressed).toEqual(
      expect.arrayContaining([
        ["K8S5", "the image starts as root"],
        ["K8S6", "writes /data/db"],
        ["K8S9", "the mongo entrypoint drops to its own user"],
      ]),
    );
  });

  test("privileged renders allowPrivilegeEscalation true: the API server rejects false with privileged or SYS_ADMIN", () => {
    const s = setup();
    const ns = new Namespace(s.stack, "agents", {
      cluster: s.cluster,
      podSecurity: { level: "privileged", reason: "node agents" },
    });
    new Worker(s.stack, "priv", {
      namespace: ns,
      image: IMAGE,
      resources: RESOURCES,
      securityContext: { privileged: true },
    });
    new Worker(s.stack, "admin", {
      namespace: ns,
      image: IMAGE,
      resources: RESOURCES,
      securityContext: { capabilities: { add: ["SYS_ADMIN"], reason: "mounts FUSE filesystems" } },
    });
    const json = synthWith(s.stack);
    // ValidateSecurityContext (kubernetes/kubernetes pkg/apis/core/validation/validation.go):
    // allowPrivilegeEscalation false is invalid with privileged true or CAP_SYS_ADMIN added.
    for (const dep of all(json, "kubernetes_deployment_v1")) {
      for (const c of dep.spec.template.spec.container) {
        const sc = c.security_context;
        const escalates = sc.privileged === true || (sc.capabilities.add ?? []).includes("SYS_ADMIN");
        expect(escalates).toBe(true);
        expect(sc.allow_privilege_escalation).toBe(true);
      }
    }
  });

  test("DaemonSet: one pod per node, tolerates every taint when asked, rolls one node at a time, reads host logs with a reason", () => {
    const s = setup();
    const ns = new Namespace(s.stack, "logging", {
      cluster: s.cluster,
      podSecurity: { level: "privileged", reason: "log shipper reads /var/log" },
    });
    new DaemonSet(s.stack, "fluent-bit", {
      namespace: ns,
      image: IMAGE,
      resources: RESOURCES,
      ports: [{ name: "metrics", port: 2020 }],
      runOnAllNodes: true,
      mounts: [
        {
          volume: Volume.hostPath("varlog", "/var/log", { reason: "ships the node's container logs" }),
          path: "/var/log",
        },
      ],
    });
    const json = synthWith(s.stack);
    const ds = first(json, "kubernetes_daemon_set_v1");
    expect(ds.spec.strategy).toEqual({ type: "RollingUpdate", rolling_update: { max_unavailable: "1" } });
    expect(ds.spec.template.spec.toleration).toEqual([{ operator: "Exists" }]);
    expect(ds.spec.template.spec.topology_spread_constraint).toBeUndefined();
    expect(ds.spec.template.spec.volume).toContainEqual({ name: "varlog", host_path: { path: "/var/log" } });
    expect(ds.spec.template.spec.container[0].volume_mount).toContainEqual({
      name: "varlog",
      mount_path: "/var/log",
      read_only: true,
    });
    expect(json.resource.kubernetes_horizontal_pod_autoscaler_v2).toBeUndefined();
    expect(json.resource.kubernetes_pod_disruption_budget_v1).toBeUndefined();
    const k8s12 = PolicyChecks.evaluate(s.stack).suppressed.filter((f) => f.ruleId === "K8S12");
    expect(k8s12.map((f) => f.reason)).toEqual(["ships the node's container logs"]);
  });

  test("throws when a hostPath is mounted outside a privileged namespace (baseline forbids hostPath volumes too)", () => {
    const s = setup();
    const ns = new Namespace(s.stack, "b", { cluster: s.cluster, podSecurity: { level: "baseline", reason: "x" } });
    expect(
      () =>
        new DaemonSet(s.stack, "agent", {
          namespace: ns,
          image: IMAGE,
          resources: RESOURCES,
          mounts: [{ volume: Volume.hostPath("varlog", "/var/log", { reason: "logs" }), path: "/var/log" }],
        }),
    ).toThrow(
      'DaemonSet \'agent\': volume "varlog".hostPath "/var/log" is refused by the "baseline" Pod Security level of namespace "b": the pods would never be admitted; remove it, or run the workload in a namespace with podSecurity: { level: "privileged", reason: "..." }',
    );
  });

  test("every new field renders a valid Kubernetes API object", () => {
    const s = setup();
    new FakeLoadBalancing(s.stack, "lb");
    const secret = new VariableSecret(s.stack, "db", { namespace: s.ns, keys: ["PASSWORD"] });
    const web = new WebService(s.stack, "frontend", {
      namespace: s.ns,
      image: IMAGE,
      resources: { ...RESOURCES, ephemeralStorage: "512Mi", ephemeralStorageLimit: "1Gi" },
      containerName: "server",
      ports: [{ port: 8080 }, { name: "grpc", port: 9555 }],
      service: {
        ports: [
          { name: "http", port: 80, targetPort: 8080 },
          { name: "grpc", port: 9555, targetPort: "grpc", appProtocol: "kubernetes.io/h2c" },
        ],
        annotations: { "prometheus.io/scrape": "true" },
      },
      probes: {
        readiness: {
          http: { path: "/_healthz", port: 8080, scheme: "HTTP", headers: { Cookie: "x=y" } },
          successThreshold: 2,
        },
        liveness: { grpc: { port: 9555, service: "live" } },
      },
      env: {
        P: EnvValue.fromSecret(secret, "PASSWORD"),
        M: EnvValue.fromResource("limits.memory"),
        C: EnvValue.fromConfigMap("cm", "k"),
      },
      envFrom: [{ secret: secret }, { configMap: "cm" }],
      securityContext: { runAsUser: 10001, runAsGroup: 10001, capabilities: { add: ["NET_BIND_SERVICE"] } },
      podSecurityContext: {
        runAsUser: 10001,
        runAsGroup: 10001,
        fsGroup: 10001,
        fsGroupChangePolicy: "OnRootMismatch",
        supplementalGroups: [10002],
      },
      podAnnotations: { a: "b" },
      podLabels: { app: "frontend" },
      nodeSelector: { "kubernetes.io/os": "linux" },
      mounts: [
        { volume: Volume.emptyDir("cache", { sizeLimit: "256Mi", medium: "Memory" }), path: "/cache" },
        {
          volume: Volume.projected("p", [
            { configMap: { name: "cm", items: { k: "k.txt" } } },
            { secret: { secret: secret, items: { PASSWORD: "pw" } } },
          ]),
          path: "/p",
        },
      ],
      containers: [
        { name: "exporter", image: EXPORTER, resources: RESOURCES, ports: [{ name: "metrics", port: 9121 }] },
      ],
      initContainers: [{ name: "wait", image: IMAGE, resources: RESOURCES, command: ["true"] }],
    });
    web.addService("external", {
      name: "frontend-external",
      loadBalancer: {},
      ports: [{ name: "http", port: 80, targetPort: 8080 }],
    });
    web.addService("nodes", {
      name: "frontend-nodes",
      type: "NodePort",
      ports: [{ name: "http", port: 80, targetPort: 8080, nodePort: 30080 }],
    });
    const ns = new Namespace(s.stack, "logging", {
      cluster: s.cluster,
      podSecurity: { level: "privileged", reason: "agents" },
    });
    new DaemonSet(s.stack, "agent", {
      namespace: ns,
      image: IMAGE,
      resources: RESOURCES,
      runOnAllNodes: true,
      mounts: [
        { volume: Volume.hostPath("varlog", "/var/log", { reason: "logs", type: "Directory" }), path: "/var/log" },
      ],
      securityContext: { privileged: true },
    });
    const storageClass = new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster });
    new StatefulService(s.stack, "postgres", {
      namespace: s.ns,
      name: "db",
      image: IMAGE,
      resources: RESOURCES,
      ports: [{ name: "pg", port: 5432 }],
      volumeClaims: [{ name: "data", mountPath: "/data", size: "10Gi", storageClass }],
      clientService: true,
    });
    const { objects } = expectValidKubernetes(Testing.synth(s.stack, true));
    expect(objects.filter((o) => o.kind === "DaemonSet")).toHaveLength(1);
    expect(
      objects
        .filter((o) => o.kind === "Service")
        .map((o) => (o.object as any).metadata.name)
        .sort(),
    ).toEqual(["db", "db-client", "frontend", "frontend-external", "frontend-nodes"]);
  });
});
