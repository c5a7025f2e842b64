import { createHash } from "crypto";
import { Aspects, Fn, ITerraformDependable, Token } from "cdktf";
import { DependOnNamespace } from "./dependencies";
import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import {
  DeploymentV1SpecTemplate,
  DeploymentV1SpecTemplateSpecContainer,
  DeploymentV1SpecTemplateSpecContainerEnv,
  DeploymentV1SpecTemplateSpecContainerEnvFrom,
  DeploymentV1SpecTemplateSpecContainerReadinessProbe,
  DeploymentV1SpecTemplateSpecContainerVolumeMount,
  DeploymentV1SpecTemplateSpecVolume,
} from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceAccountRole } from "../eks/service-account-role";
import type { ContainerOptions, ContainerPort, Probe } from "../workloads/container";
import { INamespace, Namespace } from "../workloads/namespace";
import { ISelectablePods, Peer } from "../workloads/network-rules";
import { ipFamiliesOf, POD_IDENTITY_AGENT } from "../eks/ip-family";
import { checkImage } from "./image";
import { checkDnsLabel, checkLabels, IANA_SVC_NAME } from "./kubernetes-names";
import { checkPositiveQuantity, checkQuantity, parseQuantity } from "./quantity";
import { checkInteger, duplicatesOf, fail, isToken, show } from "./validation";

/** The label keys that select a workload's pods. */
export const NAME_LABEL = "app.kubernetes.io/name";
export const COMPONENT_LABEL = "app.kubernetes.io/component";

/** Workload names per namespace, to refuse a second workload of the same name. */
const workloadNames = new WeakMap<INamespace, Map<string, string>>();

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

export interface PodWorkloadProps extends ContainerOptions {
  readonly namespace: INamespace;
  readonly name?: string;
}

/** Options only the concrete workload knows. */
export interface PodWorkloadSettings {
  /** "WebService", "Worker", ... for messages. */
  readonly kind: string;
  /** The app.kubernetes.io/component label value. */
  readonly component: string;
  /** Default readiness probe: TCP on the first port (services), or none. */
  readonly defaultReadiness: boolean;
  /** EBS-backed volumes this workload mounts (for the Fargate check): their names. */
  readonly ebsVolumes?: () => string[];
  /** Pod restart policy (jobs: "Never" / "OnFailure"). @default - Kubernetes' default (Always) */
  readonly restartPolicy?: string;
}

/**
 * What WebService, Worker, StatefulService, CronJob and Job share: validation of the container
 * options, the secure pod template, the ServiceAccount (with an IAM role when the workload has
 * AWS access), the config ConfigMap with its checksum, and the Fargate and Pod Security checks.
 */
export abstract class PodWorkload extends Construct implements ISelectablePods {
  /** The workload's name (Deployment, Service, ServiceAccount, ... are named after it). */
  public readonly name: string;
  /** The namespace the workload runs in. */
  public readonly namespace: INamespace;
  public readonly namespaceName: string;
  public readonly selectorLabels: Record<string, string>;
  /** Every label of the pods. */
  public readonly podLabels: Record<string, string>;
  public readonly serviceAccountName: string;
  public readonly serviceAccount: ServiceAccountV1;
  /** The IAM role of the pods, when they have AWS access. */
  public readonly awsRole?: ServiceAccountRole;
  /** The ConfigMap of `config`, when there is one. */
  public readonly configMap?: ConfigMapV1;
  /** Its name (`<name>-config`). */
  public readonly configMapName?: string;
  /** The container's ports as declared. */
  public readonly ports: ContainerPort[];
  protected readonly where: string;
  protected readonly props: PodWorkloadProps;
  protected readonly settings: PodWorkloadSettings;
  /** What the pod controller should depend on (the role's permissions, the association). */
  protected readonly podDependencies: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: PodWorkloadProps, settings: PodWorkloadSettings) {
    super(scope, id);
    const where = `${settings.kind} '${id}'`;
    this.where = where;
    this.props = props;
    this.settings = settings;
    const ns = props.namespace as unknown;
    if (ns === undefined || typeof ns === "string" || typeof (ns as INamespace).fargateProfileFor !== "function") {
      fail(
        where,
        "namespace",
        typeof ns === "string" ? ns : ns === undefined ? undefined : JSON.stringify(ns),
        "is not a declared Namespace",
        'declare it with new Namespace(scope, "<name>", { cluster }) and pass that construct',
      );
    }
    this.namespace = props.namespace;
    this.namespaceName = props.namespace.name;
    this.name = props.name ?? id;
    checkDnsLabel(where, "name", this.name, `${settings.kind} name`);
    // The ServiceAccount, ConfigMap, HPA and PDB are named after the workload: two workloads of
    // one name in a namespace would fight over them at apply.
    const taken = workloadNames.get(props.namespace) ?? new Map<string, string>();
    const owner = taken.get(this.name);
    if (owner !== undefined && !isToken(this.name)) {
      fail(
        where,
        "name",
        this.name,
        `is already used in namespace ${show(props.namespace.name)} by ${owner}`,
        "give every workload of a namespace its own name",
      );
    }
    taken.set(this.name, where);
    workloadNames.set(props.namespace, taken);
    checkImage(where, "image", props.image, props.allowLatest ?? false);
    checkLabels(where, "labels", props.labels);

    this.selectorLabels = { [NAME_LABEL]: this.name, [COMPONENT_LABEL]: settings.component };
    this.podLabels = { ...(props.labels ?? {}), ...this.selectorLabels };
    this.ports = this.checkPorts(props.ports ?? []);
    this.checkResources();
    this.checkProbes();
    this.checkPodSecurity();
    if (props.terminationGracePeriodSeconds !== undefined) {
      checkInteger(where, "terminationGracePeriodSeconds", props.terminationGracePeriodSeconds, 0, 86400);
    }
    if (props.tmpSizeLimit !== undefined) checkPositiveQuantity(where, "tmpSizeLimit", props.tmpSizeLimit);
    if (props.runAsUser === 0) {
      fail(
        where,
        "runAsUser",
        0,
        "is root, which runAsNonRoot (always set) refuses",
        "use the image's non-root uid, e.g. 65532",
      );
    }
    if (props.runAsUser !== undefined) checkInteger(where, "runAsUser", props.runAsUser, 1, 2147483647);
    (props.writablePaths ?? []).forEach((p, i) => {
      if (!isToken(p) && (!p.startsWith("/") || p === "/" || p === "/tmp")) {
        fail(
          where,
          `writablePaths[${i}]`,
          p,
          "is not an absolute directory other than / and /tmp",
          'give e.g. "/var/cache/app"',
        );
      }
    });
    for (const secret of props.secrets ?? []) {
      if (!isToken(secret.namespace) && secret.namespace !== this.namespaceName) {
        fail(
          where,
          "secrets",
          secret.secretName,
          `is in namespace ${show(secret.namespace)}, but the pods run in ${show(this.namespaceName)} (a pod can only read Secrets of its own namespace)`,
          "create the VariableSecret in the workload's namespace",
        );
      }
    }

    // ---- service account: no API token unless the pods need AWS credentials
    this.serviceAccountName = this.name;
    const aws = props.awsAccess;
    if (aws) {
      this.awsRole = new ServiceAccountRole(this, "aws-access", {
        cluster: props.namespace.cluster,
        namespace: this.namespaceName,
        serviceAccount: this.serviceAccountName,
        policyStatements: aws.policyStatements,
        managedPolicyArns: aws.managedPolicyArns,
        // Fargate runs no Pod Identity agent: pods of a namespace a Fargate profile selects get IRSA.
        mechanism: aws.mechanism ?? (props.namespace.fargateProfileFor(this.podLabels) ? "irsa" : undefined),
      });
      this.podDependencies.push(...this.awsRole.policies);
      if (this.awsRole.podIdentityAssociation) this.podDependencies.push(this.awsRole.podIdentityAssociation);
      this.allowAwsEgress(this.awsRole.mechanism);
    }
    this.serviceAccount = new ServiceAccountV1(this, "service-account", {
      metadata: {
        name: this.serviceAccountName,
        namespace: this.namespaceName,
        labels: this.objectLabels(),
        annotations:
          this.awsRole?.mechanism === "irsa" ? { "eks.amazonaws.com/role-arn": this.awsRole.roleArn } : undefined,
      },
      automountServiceAccountToken: aws !== undefined,
    });

    // ---- config
    if (props.config && (props.config.env || props.config.files)) {
      const data: Record<string, string> = {};
      for (const [k, v] of Object.entries(props.config.env ?? {})) {
        if (!ENV_NAME.test(k))
          fail(
            where,
            "config.env key",
            k,
            "is not an environment variable name",
            "use letters, digits, '_', '-' and '.', not starting with a digit",
          );
        data[k] = v;
      }
      for (const [k, v] of Object.entries(props.config.files ?? {})) {
        if (!CONFIG_KEY.test(k) || k === "." || k === "..") {
          fail(
            where,
            "config.files key",
            k,
            "is not a file name a ConfigMap accepts",
            "use letters, digits, '-', '_' and '.'",
          );
        }
        if (data[k] !== undefined) fail(where, "config.files key", k, "is also a config.env key", "rename one of them");
        data[k] = v;
      }
      const mountPath = props.config.mountPath ?? "/etc/config";
      if (!isToken(mountPath) && !mountPath.startsWith("/"))
        fail(where, "config.mountPath", mountPath, "is not an absolute path", 'give e.g. "/etc/config"');
      this.configMapName = `${this.name}-config`;
      this.configMap = new ConfigMapV1(this, "config", {
        metadata: { name: this.configMapName, namespace: this.namespaceName, labels: this.objectLabels() },
        data,
      });
    }
    const envKeys = [...Object.keys(props.env ?? {}), ...Object.keys(props.config?.env ?? {})];
    Object.keys(props.env ?? {}).forEach((k) => {
      if (!ENV_NAME.test(k))
        fail(
          where,
          "env key",
          k,
          "is not an environment variable name",
          "use letters, digits, '_', '-' and '.', not starting with a digit",
        );
    });
    const dupEnv = duplicatesOf(envKeys);
    if (dupEnv.length > 0) fail(where, "env", dupEnv, "are set in both env and config.env", "set each variable once");

    Aspects.of(this).add(new DependOnNamespace(props.namespace.dependable));

    // ---- Fargate: checked at synth, as profiles may be declared after the workload
    let checked = false;
    this.node.addValidation({
      validate: () => {
        if (checked) return [];
        checked = true;
        this.checkFargate();
        return [];
      },
    });
  }

  /**
   * In a default-deny namespace, pods with AWS access must reach the AWS APIs (HTTPS) and,
   * with Pod Identity, the agent on their node, or they get no credentials. Only rules of the
   * cluster's IP family are enforced, so the agent's address follows it (POD_IDENTITY_AGENT).
   */
  private allowAwsEgress(mechanism: string): void {
    const ns = this.namespace;
    if (!(ns instanceof Namespace) || !ns.defaultDeny) return;
    ns.allowEgress({
      name: `${this.name}-to-aws-apis`,
      pods: this,
      peers: [Peer.anywhere()],
      ports: [{ port: 443, protocol: "TCP" }],
    });
    if (mechanism === "pod-identity") {
      ns.allowEgress({
        name: `${this.name}-to-pod-identity`,
        pods: this,
        peers: ipFamiliesOf(ns.cluster).map((family) => Peer.cidr(POD_IDENTITY_AGENT[family])),
        ports: [{ port: 80, protocol: "TCP" }],
      });
    }
  }

  /** `<name>` labels for the objects (not only the pods). */
  protected objectLabels(): Record<string, string> {
    return { ...this.namespace.commonLabels, ...this.selectorLabels };
  }

  /** The pod template every controller uses. */
  protected podTemplate(
    extra: {
      volumes?: DeploymentV1SpecTemplateSpecVolume[];
      mounts?: DeploymentV1SpecTemplateSpecContainerVolumeMount[];
      fsGroup?: number;
      topologySpread?: boolean;
    } = {},
  ): DeploymentV1SpecTemplate {
    const p = this.props;
    const volumes: DeploymentV1SpecTemplateSpecVolume[] = [
      // The root filesystem is read-only; /tmp is in memory (counts toward the memory limit).
      { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: p.tmpSizeLimit ?? "64Mi" } },
    ];
    const mounts: DeploymentV1SpecTemplateSpecContainerVolumeMount[] = [{ name: "tmp", mountPath: "/tmp" }];
    (p.writablePaths ?? []).forEach((path, i) => {
      volumes.push({ name: `writable-${i}`, emptyDir: { medium: "Memory", sizeLimit: p.tmpSizeLimit ?? "64Mi" } });
      mounts.push({ name: `writable-${i}`, mountPath: path });
    });
    const env: DeploymentV1SpecTemplateSpecContainerEnv[] = Object.entries(p.env ?? {}).map(([name, value]) => ({
      name,
      value,
    }));
    const envFrom: DeploymentV1SpecTemplateSpecContainerEnvFrom[] = [];
    const annotations: Record<string, string> = {};
    if (this.configMap) {
      for (const key of Object.keys(p.config?.env ?? {})) {
        env.push({ name: key, valueFrom: { configMapKeyRef: { name: this.configMapName!, key } } });
      }
      const files = Object.keys(p.config?.files ?? {});
      if (files.length > 0) {
        volumes.push({
          name: "config",
          configMap: { name: this.configMapName!, items: files.map((key) => ({ key, path: key })) },
        });
        mounts.push({ name: "config", mountPath: p.config?.mountPath ?? "/etc/config", readOnly: true });
      }
      // Kubernetes doesn't restart pods when a ConfigMap changes: a checksum on the template does.
      annotations["checksum/config"] = checksum({ env: p.config?.env ?? {}, files: p.config?.files ?? {} });
    }
    for (const secret of p.secrets ?? []) envFrom.push({ secretRef: { name: secret.secretName } });
    volumes.push(...(extra.volumes ?? []));
    mounts.push(...(extra.mounts ?? []));

    const probes = p.probes ?? {};
    const readiness =
      probes.readiness ??
      (this.settings.defaultReadiness && this.ports.length > 0 ? { tcp: { port: this.ports[0].name } } : undefined);
    const limits: Record<string, string> = { memory: p.resources.memoryLimit ?? p.resources.memory };
    if (p.resources.cpuLimit !== undefined) limits.cpu = p.resources.cpuLimit;

    const container: DeploymentV1SpecTemplateSpecContainer = {
      name: this.name,
      image: p.image,
      command: p.command,
      args: p.args,
      port:
        this.ports.length > 0
          ? this.ports.map((port) => ({
              name: port.name,
              containerPort: port.port,
              protocol: port.protocol ?? "TCP",
              hostPort: port.hostPort,
            }))
          : undefined,
      env: env.length > 0 ? env : undefined,
      envFrom: envFrom.length > 0 ? envFrom : undefined,
      resources: { requests: { cpu: p.resources.cpu, memory: p.resources.memory }, limits },
      readinessProbe: readiness ? renderProbe(readiness) : undefined,
      livenessProbe: probes.liveness ? renderProbe(probes.liveness) : undefined,
      startupProbe: probes.startup ? renderProbe(probes.startup) : undefined,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: p.runAsUser !== undefined ? String(p.runAsUser) : undefined,
        allowPrivilegeEscalation: false,
        privileged: p.privileged === true ? true : undefined,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      },
      volumeMount: mounts,
    };
    const spread = extra.topologySpread ?? true;
    return {
      metadata: { labels: this.podLabels, annotations: Object.keys(annotations).length > 0 ? annotations : undefined },
      spec: {
        serviceAccountName: this.serviceAccountName,
        automountServiceAccountToken: p.awsAccess !== undefined,
        enableServiceLinks: false,
        hostNetwork: p.hostNetwork === true ? true : undefined,
        restartPolicy: this.settings.restartPolicy,
        terminationGracePeriodSeconds: p.terminationGracePeriodSeconds,
        securityContext: {
          runAsNonRoot: true,
          fsGroup: extra.fsGroup !== undefined ? String(extra.fsGroup) : undefined,
          seccompProfile: { type: "RuntimeDefault" },
        },
        // Spread across zones and nodes, preferred (ScheduleAnyway) so a zone outage or a
        // small dev cluster never leaves pods Pending.
        topologySpreadConstraint: spread
          ? ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({
              maxSkew: 1,
              topologyKey,
              whenUnsatisfiable: "ScheduleAnyway",
              labelSelector: [{ matchLabels: this.selectorLabels }],
            }))
          : undefined,
        container: [container],
        volume: volumes,
      },
    };
  }

  /** A PodDisruptionBudget: keeps voluntary evictions (node drains, upgrades) from taking too many pods at once. */
  protected createPdb(
    budget: { maxUnavailable?: number | string; minAvailable?: number | string } | false | undefined,
    minReplicas: number,
  ): PodDisruptionBudgetV1 | undefined {
    if (budget === false) return undefined;
    const b = budget ?? { maxUnavailable: 1 };
    if (b.maxUnavailable !== undefined && b.minAvailable !== undefined) {
      fail(this.where, "disruptionBudget", b, "sets both maxUnavailable and minAvailable", "give one of them");
    }
    if (typeof b.minAvailable === "number" && !isToken(b.minAvailable) && b.minAvailable >= minReplicas) {
      fail(
        this.where,
        "disruptionBudget.minAvailable",
        b.minAvailable,
        `is at least the ${minReplicas} replica(s), so it blocks every eviction and node drains hang`,
        `use at most ${minReplicas - 1}, or maxUnavailable: 1`,
      );
    }
    if (b.maxUnavailable === 0 || b.maxUnavailable === "0%") {
      fail(
        this.where,
        "disruptionBudget.maxUnavailable",
        b.maxUnavailable,
        "blocks every eviction, so node drains hang",
        "use 1 or more",
      );
    }
    for (const [field, v] of Object.entries(b)) {
      if (typeof v === "string" && !isToken(v) && !/^(100|[1-9]?[0-9])%$/.test(v)) {
        fail(this.where, `disruptionBudget.${field}`, v, "is not a count or a percentage", 'give a number or "NN%"');
      }
      if (typeof v === "number") checkInteger(this.where, `disruptionBudget.${field}`, v, 0, 10000);
    }
    return new PodDisruptionBudgetV1(this, "pdb", {
      metadata: { name: this.name, namespace: this.namespaceName, labels: this.objectLabels() },
      spec: {
        selector: { matchLabels: this.selectorLabels },
        maxUnavailable: b.maxUnavailable !== undefined ? String(b.maxUnavailable) : undefined,
        minAvailable: b.minAvailable !== undefined ? String(b.minAvailable) : undefined,
      },
    });
  }

  /** An autoscaling/v2 HPA on CPU and memory utilization of the requests. */
  protected createHpa(
    kind: string,
    targetName: string,
    a: { minReplicas: number; maxReplicas: number; cpuUtilization?: number; memoryUtilization?: number },
  ): HorizontalPodAutoscalerV2 {
    const metric = [
      ...(a.cpuUtilization !== undefined ? [["cpu", a.cpuUtilization] as const] : []),
      ...(a.memoryUtilization !== undefined ? [["memory", a.memoryUtilization] as const] : []),
    ].map(([name, averageUtilization]) => ({
      type: "Resource",
      resource: { name, target: { type: "Utilization", averageUtilization } },
    }));
    return new HorizontalPodAutoscalerV2(this, "hpa", {
      metadata: { name: this.name, namespace: this.namespaceName, labels: this.objectLabels() },
      spec: {
        minReplicas: a.minReplicas,
        maxReplicas: a.maxReplicas,
        scaleTargetRef: { apiVersion: "apps/v1", kind, name: targetName },
        metric,
      },
    });
  }

  private checkPorts(ports: ContainerPort[]): ContainerPort[] {
    const where = this.where;
    ports.forEach((p, i) => {
      if (!isToken(p.name) && !IANA_SVC_NAME.test(p.name)) {
        fail(
          where,
          `ports[${i}].name`,
          p.name,
          "is not a valid port name",
          'use 1 to 15 lower-case letters, digits and hyphens, with at least one letter, e.g. "http"',
        );
      }
      checkInteger(where, `ports[${i}].port`, p.port, 1, 65535);
      if (p.hostPort !== undefined) checkInteger(where, `ports[${i}].hostPort`, p.hostPort, 1, 65535);
      if (p.protocol !== undefined && p.protocol !== "TCP" && p.protocol !== "UDP") {
        fail(where, `ports[${i}].protocol`, p.protocol, "is not supported", 'use "TCP" or "UDP"');
      }
    });
    const dupNames = duplicatesOf(ports.map((p) => p.name).filter((n) => !isToken(n)));
    if (dupNames.length > 0)
      fail(where, "ports", dupNames, "are port names declared more than once", "give every port its own name");
    const dupNumbers = duplicatesOf(ports.map((p) => `${p.port}/${p.protocol ?? "TCP"}`));
    if (dupNumbers.length > 0)
      fail(where, "ports", dupNumbers, "are declared more than once", "declare each port once");
    return ports;
  }

  private checkResources(): void {
    const where = this.where;
    const r = this.props.resources;
    if (r === undefined || r === null) {
      fail(
        where,
        "resources",
        undefined,
        "is missing: the scheduler places pods by their requests, and a pod without a memory limit can take a node down",
        'give at least { cpu: "250m", memory: "256Mi" } (the memory limit defaults to the request)',
      );
    }
    if (r.cpu === undefined) fail(where, "resources.cpu", undefined, "is missing", 'give a CPU request, e.g. "250m"');
    if (r.memory === undefined)
      fail(where, "resources.memory", undefined, "is missing", 'give a memory request, e.g. "256Mi"');
    checkPositiveQuantity(where, "resources.cpu", r.cpu);
    checkPositiveQuantity(where, "resources.memory", r.memory);
    if (r.memoryLimit !== undefined) checkQuantity(where, "resources.memoryLimit", r.memoryLimit);
    if (r.cpuLimit !== undefined) checkQuantity(where, "resources.cpuLimit", r.cpuLimit);
    const above = (request: string, limit: string | undefined, field: string, what: string) => {
      if (limit === undefined || isToken(request) || isToken(limit)) return;
      if (parseQuantity(request)! > parseQuantity(limit)!) {
        fail(
          where,
          field,
          limit,
          `is below the ${what} request (${request}); Kubernetes refuses such a pod`,
          `raise the limit to at least ${request} or lower the request`,
        );
      }
    };
    above(r.cpu, r.cpuLimit, "resources.cpuLimit", "CPU");
    above(r.memory, r.memoryLimit, "resources.memoryLimit", "memory");
  }

  private checkProbes(): void {
    const probes = this.props.probes ?? {};
    for (const [kind, probe] of Object.entries(probes) as [string, Probe | undefined][]) {
      if (!probe) continue;
      const field = `probes.${kind}`;
      const handlers = [probe.http, probe.tcp, probe.exec].filter((h) => h !== undefined);
      if (handlers.length !== 1) {
        fail(
          this.where,
          field,
          Object.keys(probe),
          "needs exactly one of http, tcp or exec",
          "give one check per probe",
        );
      }
      const port = probe.http?.port ?? probe.tcp?.port;
      if (port !== undefined && !isToken(port)) {
        const declared = this.ports.some((p) => p.name === port || p.port === port);
        if (!declared) {
          fail(
            this.where,
            `${field}.port`,
            port,
            "is not a declared container port",
            this.ports.length > 0
              ? `use one of ${this.ports.map((p) => `"${p.name}" (${p.port})`).join(", ")}, or declare the port in ports`
              : 'declare the port in ports, e.g. [{ name: "http", port: 8080 }]',
          );
        }
      }
      if (probe.http && !isToken(probe.http.path) && !probe.http.path.startsWith("/")) {
        fail(
          this.where,
          `${field}.http.path`,
          probe.http.path,
          "is not an absolute path",
          'start it with "/", e.g. "/healthz"',
        );
      }
      if (probe.exec && (!probe.exec.command || probe.exec.command.length === 0)) {
        fail(this.where, `${field}.exec.command`, probe.exec.command ?? [], "is empty", "give the command to run");
      }
      for (const f of ["periodSeconds", "failureThreshold", "timeoutSeconds"] as const) {
        if (probe[f] !== undefined) checkInteger(this.where, `${field}.${f}`, probe[f], 1, 3600);
      }
      if (probe.initialDelaySeconds !== undefined)
        checkInteger(this.where, `${field}.initialDelaySeconds`, probe.initialDelaySeconds, 0, 3600);
    }
  }

  private checkPodSecurity(): void {
    const p = this.props;
    const level = this.namespace.podSecurityLevel;
    if (level === "privileged") return;
    const needs: [string, unknown][] = [];
    if (p.privileged === true) needs.push(["privileged", true]);
    if (p.hostNetwork === true) needs.push(["hostNetwork", true]);
    const hostPort = (p.ports ?? []).find((port) => port.hostPort !== undefined);
    if (hostPort) needs.push([`ports "${hostPort.name}".hostPort`, hostPort.hostPort]);
    if (needs.length > 0) {
      const [field, value] = needs[0];
      fail(
        this.where,
        field,
        value,
        `is refused by the "${level}" Pod Security level of namespace ${show(this.namespaceName)}: the pods would never be admitted`,
        'remove it, or run the workload in a namespace with podSecurity: { level: "privileged", reason: "..." }',
      );
    }
  }

  private checkFargate(): void {
    const profile = this.namespace.fargateProfileFor(this.podLabels);
    if (!profile) return;
    const p = this.props;
    const problems: [string, unknown, string][] = [];
    if (p.privileged === true) problems.push(["privileged", true, "Fargate runs no privileged containers"]);
    if (p.hostNetwork === true) problems.push(["hostNetwork", true, "Fargate pods can't use the host network"]);
    const hostPort = (p.ports ?? []).find((port) => port.hostPort !== undefined);
    if (hostPort)
      problems.push([`ports "${hostPort.name}".hostPort`, hostPort.hostPort, "Fargate pods can't bind host ports"]);
    const ebs = this.settings.ebsVolumes?.() ?? [];
    if (ebs.length > 0) problems.push(["volumeClaims", ebs, "Fargate can't mount EBS volumes"]);
    if (problems.length === 0) return;
    const [field, value, why] = problems[0];
    fail(
      this.where,
      field,
      value,
      `can't run: ${profile} runs the pods of namespace ${show(this.namespaceName)} on Fargate, and ${why}`,
      "remove it, or run the workload in a namespace no Fargate profile selects",
    );
  }
}

function renderProbe(p: Probe): DeploymentV1SpecTemplateSpecContainerReadinessProbe {
  return {
    httpGet: p.http ? { path: p.http.path, port: String(p.http.port) } : undefined,
    tcpSocket: p.tcp ? [{ port: String(p.tcp.port) }] : undefined,
    exec: p.exec ? { command: p.exec.command } : undefined,
    periodSeconds: p.periodSeconds,
    failureThreshold: p.failureThreshold,
    initialDelaySeconds: p.initialDelaySeconds,
    timeoutSeconds: p.timeoutSeconds,
  };
}

/**
 * sha256 of the config: computed here when every value is a literal (readable in the plan),
 * by Terraform when some come from references (so a changed reference still rolls the pods).
 */
function checksum(data: { env: Record<string, string>; files: Record<string, string> }): string {
  const text = JSON.stringify(data);
  if (Token.isUnresolved(text)) return Fn.sha256(Fn.jsonencode(data));
  return createHash("sha256").update(text).digest("hex");
}
