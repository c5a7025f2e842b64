import { createHash } from "crypto";
import { Annotations, Aspects, Fn, ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import {
  DeploymentV1SpecTemplate,
  DeploymentV1SpecTemplateSpecContainer,
  DeploymentV1SpecTemplateSpecContainerEnv,
  DeploymentV1SpecTemplateSpecContainerEnvFrom,
  DeploymentV1SpecTemplateSpecContainerReadinessProbe,
  DeploymentV1SpecTemplateSpecContainerVolumeMount,
  DeploymentV1SpecTemplateSpecToleration,
  DeploymentV1SpecTemplateSpecVolume,
} from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceAccountRole, checkPolicyStatements } from "../eks/service-account-role";
import { suppressRule } from "../private/suppressions";
import { DependOnNamespace } from "../private/dependencies";
import { ipFamiliesOf, POD_IDENTITY_AGENT } from "../eks/ip-family";
import { checkImage } from "../private/image";
import {
  checkDnsLabel,
  checkGeneratedPrefixName,
  checkLabels,
  checkPortName,
  checkServiceName,
} from "../private/kubernetes-names";
import { checkPositiveQuantity, checkQuantity, parseQuantity } from "../private/quantity";
import { addSynthCheck, checkInteger, describe, duplicatesOf, fail, isToken, show } from "../private/validation";
import { NameRegistry } from "../private/name-registry";
import {
  AwsAccess,
  ConfigOptions,
  ContainerOptions,
  ContainerPort,
  ContainerSpec,
  EnvValue,
  InitContainerSpec,
  Probe,
  Probes,
} from "./container";
import { INamespace, Namespace } from "./namespace";
import { checkWorkloadInNamespace } from "./namespace-resources";
import { ISelectablePods, Peer } from "./network-rules";
import { IVariableSecret } from "./secret";
import { Volume } from "./volume";
import { ApiAccess, checkApiAccess, WorkloadApiAccess } from "./api-access";
import {
  checkConfigMapKey,
  checkConfigMapSize,
  checkEnvName,
  checkSameStack,
  looksSecret,
  SECRET_LITERAL_FIX,
} from "./pod-spec-rules";
import { checkPlacement, checkSchedulable, PlacementOptions, renderPlacement } from "./placement";

/** The label keys that select a workload's pods. */
const NAME_LABEL = "app.kubernetes.io/name";
const COMPONENT_LABEL = "app.kubernetes.io/component";

/** Workload names per namespace, to refuse a second workload of the same name. */
const workloadNames = new NameRegistry<INamespace>();

/** Capabilities the "baseline" Pod Security level allows (pod-security-standards, "Capabilities"). */
const BASELINE_CAPABILITIES = [
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
];

/** Defaults of every container (pinned by the defaults tests). */
export const CONTAINER_DEFAULTS = {
  /** Logs and the writable layer; node-disk emptyDirs add their sizeLimit. */
  ephemeralStorage: "256Mi",
  tmpSizeLimit: "64Mi",
  livenessFailureThreshold: 6,
} as const;

/** Pod-level security settings. runAsNonRoot and seccomp RuntimeDefault are always set. */
export interface PodSecurityOptions {
  /** @default - the image's USER (per container) */
  readonly runAsUser?: number;
  /** @default - the image's group */
  readonly runAsGroup?: number;
  /**
   * Group that owns mounted volumes (so a non-root process can write them).
   * @default - StatefulService: runAsUser (pod's, else the main container's); others: none
   */
  readonly fsGroup?: number;
  /** "OnRootMismatch" skips the recursive chown of large volumes when the root already matches. @default - Kubernetes' ("Always") */
  readonly fsGroupChangePolicy?: "OnRootMismatch" | "Always";
  /** @default - none */
  readonly supplementalGroups?: number[];
}

/**
 * The pod's settings, apart from its main container. The flat container fields of
 * WorkloadOptions describe the main container; `containers` and `initContainers` add more.
 */
export interface PodOptions {
  /** Name of the main container (`kubectl logs -c`). @default - the workload name */
  readonly containerName?: string;
  /**
   * More containers beside the main one (e.g. a metrics exporter), each with its own name,
   * image, ports, probes, resources and security. They start with the main container and run
   * as long as the pod.
   * @default - none
   */
  readonly containers?: ContainerSpec[];
  /** Containers that run to completion, in order, before the others start. @default - none */
  readonly initContainers?: InitContainerSpec[];
  /** The main container's ConfigMap (env and files). @default - none */
  readonly config?: ConfigOptions;
  /**
   * Secrets whose keys become environment variables of the main container (shorthand for
   * `envFrom: [{ secret }]`).
   * @default - none
   */
  readonly secrets?: IVariableSecret[];
  /**
   * IAM permissions for the pods (an IAM role through Pod Identity or IRSA). Their webhook
   * injects its own projected AWS token, so this mounts no Kubernetes API token.
   * @default - none: no role
   */
  readonly awsAccess?: AwsAccess;
  /**
   * Kubernetes API permissions (Roles/ClusterRoles bound to the service account). Only then is
   * the service-account token mounted.
   * @default - none: no RBAC, no token
   */
  readonly apiAccess?: ApiAccess;
  /**
   * Size of the in-memory /tmp of every container (counts toward the memory limit).
   * @default "64Mi"
   */
  readonly tmpSizeLimit?: string;
  /**
   * More writable in-memory directories of the main container (the root filesystem is
   * read-only), e.g. a cache dir. For node disk use `mounts` with `Volume.emptyDir`.
   * @default - only /tmp
   */
  readonly writablePaths?: string[];
  /**
   * Use the node's network namespace. Refused in restricted and baseline namespaces and on Fargate.
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * Extra pod labels. Not part of the selector (a selector change replaces the controller), so
   * they can change freely; the selector keys app.kubernetes.io/name and app.kubernetes.io/component
   * are refused here.
   * @default - none
   */
  readonly podLabels?: Record<string, string>;
  /** Pod annotations (changing one rolls the pods). Keys under checksum/ are ours. @default - none */
  readonly podAnnotations?: Record<string, string>;
  /** @default - runAsNonRoot and seccomp RuntimeDefault only */
  readonly podSecurityContext?: PodSecurityOptions;
  /**
   * Free-form node labels the pods require. Prefer `placement` for the architecture, capacity
   * type and node role (it knows each compute's labels and is checked against the cluster).
   * @default - none (any node the pod tolerates)
   */
  readonly nodeSelector?: Record<string, string>;
  /** Architecture, capacity type, node role, tolerations, priority class, affinity. @default - anywhere the pods tolerate */
  readonly placement?: PlacementOptions;
  /** @default 30 */
  readonly terminationGracePeriodSeconds?: number;
}

/** Everything a workload of any kind takes: its main container and its pod. */
export interface WorkloadOptions extends ContainerOptions, PodOptions {
  /** Name of the workload's objects (controller, Service, ServiceAccount, ...). @default - the construct id */
  readonly name?: string;
}

export interface WorkloadProps extends WorkloadOptions {
  readonly namespace: INamespace;
}

/** A port of a Service, mapped to a port of the pods. */
export interface ServicePort {
  /** The port clients dial (`<service>:<port>`). */
  readonly port: number;
  /**
   * The pod port it forwards to: a declared container port, by name or number.
   * @default - the container port of the same number
   */
  readonly targetPort?: string | number;
  /** Required when the Service has several ports. @default - the target port's name */
  readonly name?: string;
  /** @default - the target port's protocol */
  readonly protocol?: "TCP" | "UDP";
  /** NodePort Services: the port on every node, 30000-32767. @default - allocated by Kubernetes */
  readonly nodePort?: number;
  /** The application protocol, e.g. "http", "kubernetes.io/h2c" (gRPC). @default - none */
  readonly appProtocol?: string;
}

/** A Service's ports and annotations. */
export interface ServiceOptions {
  /** @default - one per port of the main container, same number, forwarding to it */
  readonly ports?: ServicePort[];
  /**
   * Service annotations (e.g. prometheus.io/scrape). The load balancer's
   * service.beta.kubernetes.io/aws-load-balancer-* keys are typed options and refused here.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/** A Service port as rendered, with the pod port behind it (what NetworkPolicies must allow). */
export interface ResolvedServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort: string;
  readonly protocol: "TCP" | "UDP";
  readonly nodePort?: number;
  readonly appProtocol?: string;
  /** The container port number the traffic reaches. */
  readonly containerPort: number;
}

/** What only the concrete kind knows (passed by subclasses). */
export interface WorkloadSettings {
  /** "WebService", "Worker", ... for messages. */
  readonly kind: string;
  /** The app.kubernetes.io/component label value. */
  readonly component: string;
  /** Default readiness probe of the main container: TCP on its first TCP port. */
  readonly defaultReadiness: boolean;
  /** EBS-backed volumes this workload mounts (for the Fargate check): their names. */
  readonly ebsVolumes?: () => string[];
  /** Pod restart policy (jobs: "Never" / "OnFailure"). @default - Kubernetes' default (Always) */
  readonly restartPolicy?: string;
  /** Volume names the kind adds itself (claims), so user volumes can't take them. @default - none */
  readonly reservedVolumes?: string[];
  /**
   * Mounts the kind adds to the main container (claims), with the field that sets each path, so
   * no other mount of the container takes or shadows their path. @default - none
   */
  readonly mainMounts?: readonly { readonly field: string; readonly path: string }[];
  /** A node agent (DaemonSet): Fargate can't run it. @default false */
  readonly daemon?: boolean;
  /** The workload's Service takes its name, so the name is a DNS-1035 label. @default false */
  readonly namesService?: boolean;
  /**
   * The controller kind that extends the name into a 63-character one (CronJob, StatefulSet),
   * bounding it to 52 characters. @default - no such controller
   */
  readonly suffixedBy?: "CronJob" | "StatefulSet";
}

/** One container as validated: its spec, where its fields are reported, its role. */
interface ResolvedContainer {
  readonly spec: ContainerSpec & { restartPolicy?: string };
  /** Field prefix in messages: "" for the main container, "containers[0]." for others. */
  readonly field: string;
  readonly role: "main" | "extra" | "init";
}

/**
 * The public base of every workload (WebService, Worker, StatefulService, DaemonSet, Job,
 * CronJob): validation of the containers, the secure pod template, the ServiceAccount (with an
 * IAM role when the workload has AWS access), the config ConfigMap with its checksum, and the
 * Fargate and Pod Security checks. A prop is followed from here to the controller's template in
 * `podTemplate()`.
 */
export abstract class Workload extends Construct implements ISelectablePods {
  /** The workload's name (controller, Service, ServiceAccount, ... are named after it). */
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
  /** The Role/ClusterRole bindings of `apiAccess`, when declared. */
  public readonly apiAccess?: WorkloadApiAccess;
  /** The ConfigMap of `config`, when there is one. */
  public readonly configMap?: ConfigMapV1;
  /** Its name (`<name>-config`). */
  public readonly configMapName?: string;
  /** The main container's name. */
  public readonly containerName: string;
  /** The main container's ports as declared. */
  public readonly ports: ContainerPort[];
  /** Every port of the pod (main container first, then `containers`). */
  public readonly podPorts: ContainerPort[];
  protected readonly where: string;
  protected readonly props: WorkloadProps;
  protected readonly settings: WorkloadSettings;
  /** What the pod controller should depend on (the role's permissions, the association). */
  protected readonly podDependencies: ITerraformDependable[] = [];
  private readonly resolved: ResolvedContainer[];
  private readonly volumes: Volume[] = [];

  constructor(scope: Construct, id: string, props: WorkloadProps, settings: WorkloadSettings) {
    super(scope, id);
    const where = describe(settings.kind, id);
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
    // The workload's objects depend on the namespace's (depends_on), which can only name a
    // resource of the workload's own stack; and a stack's objects go to that stack's cluster.
    checkSameStack(this, where, "namespace", props.namespace, "Namespace");
    this.namespace = props.namespace;
    this.namespaceName = props.namespace.name;
    this.name = props.name ?? id;
    checkDnsLabel(where, "name", this.name, `${settings.kind} name`);
    if (settings.namesService) checkServiceName(where, "name", this.name, `${settings.kind} name (its Service's name)`);
    if (settings.suffixedBy) checkGeneratedPrefixName(where, "name", this.name, settings.suffixedBy);
    // The ServiceAccount, ConfigMap, HPA and PDB are named after the workload: two workloads of
    // one name in a namespace would fight over them at apply.
    const owner = workloadNames.claim(props.namespace, this.name, where);
    if (owner !== undefined) {
      fail(
        where,
        "name",
        this.name,
        `is already used in namespace ${show(props.namespace.name)} by ${owner}`,
        "give every workload of a namespace its own name",
      );
    }
    this.containerName = props.containerName ?? this.name;
    if (props.containerName !== undefined) checkDnsLabel(where, "containerName", props.containerName, "container name");

    this.selectorLabels = { [NAME_LABEL]: this.name, [COMPONENT_LABEL]: settings.component };
    this.checkPodMetadata();
    this.podLabels = { ...(props.podLabels ?? {}), ...this.selectorLabels };

    const main: ContainerSpec = {
      name: this.containerName,
      image: props.image,
      allowLatest: props.allowLatest,
      imagePullPolicy: props.imagePullPolicy,
      command: props.command,
      args: props.args,
      ports: props.ports,
      resources: props.resources,
      probes: props.probes,
      env: props.env,
      envFrom: props.envFrom,
      mounts: props.mounts,
      securityContext: props.securityContext,
      imageArchitectures: props.imageArchitectures,
    };
    this.resolved = [
      { spec: main, field: "", role: "main" },
      ...(props.containers ?? []).map((spec, i) => ({ spec, field: `containers[${i}].`, role: "extra" as const })),
      ...(props.initContainers ?? []).map((spec, i) => ({
        spec: spec,
        field: `initContainers[${i}].`,
        role: "init" as const,
      })),
    ];
    this.checkContainerNames();
    for (const c of this.resolved) this.checkContainer(c);
    this.ports = props.ports ?? [];
    this.podPorts = this.resolved.filter((c) => c.role !== "init").flatMap((c) => c.spec.ports ?? []);
    this.checkPodPorts();
    this.collectVolumes();
    this.checkPodSecurityContext();
    this.checkPodSecurity();
    if (props.terminationGracePeriodSeconds !== undefined) {
      checkInteger(where, "terminationGracePeriodSeconds", props.terminationGracePeriodSeconds, 0, 86400);
    }
    if (props.tmpSizeLimit !== undefined) checkPositiveQuantity(where, "tmpSizeLimit", props.tmpSizeLimit, "bytes");
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
    for (const secret of props.secrets ?? []) this.checkSecretNamespace("secrets", secret);

    checkPlacement(where, props.placement, props.nodeSelector);

    // ---- service account: the API token is mounted only with apiAccess. AWS access needs none:
    // the Pod Identity / IRSA webhook (aws/amazon-eks-pod-identity-webhook, pkg/handler/handler.go)
    // injects its own projected, audience-scoped token volume and never reads
    // automountServiceAccountToken.
    this.serviceAccountName = this.name;
    if (props.apiAccess) checkApiAccess(where, props.apiAccess);
    const aws = props.awsAccess;
    if (aws) {
      checkPolicyStatements(where, "awsAccess.policyStatements", aws.policyStatements ?? []);
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
      automountServiceAccountToken: props.apiAccess !== undefined,
    });
    if (props.apiAccess) {
      this.apiAccess = new WorkloadApiAccess(this, "api-access", {
        where,
        access: props.apiAccess,
        namespace: this.namespaceName,
        serviceAccountName: this.serviceAccountName,
        workloadName: this.name,
        labels: this.objectLabels(),
      });
      if (props.apiAccess.wildcards) suppressRule(this.apiAccess, "K8S27", props.apiAccess.wildcards.reason);
    }

    // ---- config
    if (props.config && (props.config.env || props.config.files)) {
      const data: Record<string, string> = {};
      for (const [k, v] of Object.entries(props.config.env ?? {})) {
        // A key of the ConfigMap and the name of a variable: both rules hold.
        checkConfigMapKey(where, "config.env key", k);
        checkEnvName(where, "config.env key", k, props.namespace.cluster, "an environment variable name");
        if (typeof v === "string" && looksSecret(k, v)) {
          fail(
            where,
            `config.env.${k}`,
            "<a literal value>",
            "looks like a credential, and a ConfigMap holds it in clear (so do cdk.tf.json, the plan and Terraform state)",
            'put the value in a VariableSecret and list it in secrets: [secret] (its value comes from a sensitive Terraform variable); if it is not a credential, set it in env with EnvValue.notSecret(value, "<why>")',
          );
        }
        data[k] = v;
      }
      for (const [k, v] of Object.entries(props.config.files ?? {})) {
        checkConfigMapKey(where, "config.files key", k);
        if (data[k] !== undefined) fail(where, "config.files key", k, "is also a config.env key", "rename one of them");
        data[k] = v;
      }
      checkConfigMapSize(where, "config", data);
      const mountPath = props.config.mountPath ?? "/etc/config";
      if (!isToken(mountPath) && !mountPath.startsWith("/"))
        fail(where, "config.mountPath", mountPath, "is not an absolute path", 'give e.g. "/etc/config"');
      this.configMapName = `${this.name}-config`;
      this.configMap = new ConfigMapV1(this, "config", {
        metadata: { name: this.configMapName, namespace: this.namespaceName, labels: this.objectLabels() },
        data,
      });
    }
    const dupEnv = duplicatesOf([...Object.keys(props.env ?? {}), ...Object.keys(props.config?.env ?? {})]);
    if (dupEnv.length > 0) fail(where, "env", dupEnv, "are set in both env and config.env", "set each variable once");
    this.checkEnvPrecedence();
    this.checkMountPaths();

    // ---- reasons given for weaker settings are the policy findings' suppressions
    this.suppressWithReasons();

    Aspects.of(this).add(new DependOnNamespace(props.namespace.dependable));

    // ---- Fargate: checked at synth, as profiles may be declared after the workload
    let checked = false;
    addSynthCheck(this, () => {
      if (checked) return;
      checked = true;
      this.checkFargate();
      this.checkPlacementFits();
    });

    // ---- the namespace's LimitRange and quota: at synth, with every container resolved
    const bounds = props.namespace;
    if (bounds instanceof Namespace && (bounds.quotaOptions || bounds.limitRangeOptions)) {
      addSynthCheck(this, () =>
        checkWorkloadInNamespace(
          where,
          { name: bounds.name, quota: bounds.quotaOptions, limits: bounds.limitRangeOptions },
          this.resolved.map((c) => ({ field: c.field, role: c.role, resources: c.spec.resources })),
        ),
      );
    }
  }

  /** The port of the pod a Service or probe refers to (by name or number), if declared. */
  public portOf(ref: string | number): ContainerPort | undefined {
    return this.podPorts.find((p) => (typeof ref === "number" ? p.port === ref : p.name === ref));
  }

  /**
   * Validates a Service's ports against the pod's ports. Without `ports`, every port of the main
   * container is a Service port of the same number.
   */
  protected resolveServicePorts(
    field: string,
    ports: ServicePort[] | undefined,
    allowNodePort: boolean,
  ): ResolvedServicePort[] {
    const where = this.where;
    const given: ServicePort[] =
      ports ?? this.ports.map((p) => ({ port: p.port, targetPort: p.name ?? p.port, name: p.name }));
    if (given.length === 0) {
      fail(
        where,
        ports ? field : "ports",
        ports ?? this.props.ports ?? [],
        "is empty, so the Service would route nowhere",
        'declare the port the app listens on, e.g. [{ name: "http", port: 8080 }]',
      );
    }
    const out = given.map((sp, i) => {
      const f = ports ? `${field}[${i}]` : `ports[${i}]`;
      checkInteger(where, `${f}.port`, sp.port, 1, 65535);
      const target = sp.targetPort ?? sp.port;
      const pod = isToken(target) ? undefined : this.portOf(target);
      if (!isToken(target) && !pod) {
        fail(
          where,
          `${f}.targetPort`,
          target,
          "is not a declared container port of the pod",
          this.podPorts.length > 0
            ? `use one of ${this.podPorts.map((p) => (p.name ? `"${p.name}" (${p.port})` : String(p.port))).join(", ")}`
            : "declare the port in ports",
        );
      }
      const name = sp.name ?? pod?.name;
      if (name !== undefined) checkDnsLabel(where, `${f}.name`, name, "Service port name");
      const protocol = sp.protocol ?? pod?.protocol ?? "TCP";
      if (protocol !== "TCP" && protocol !== "UDP")
        fail(where, `${f}.protocol`, protocol, "is not supported", 'use "TCP" or "UDP"');
      if (pod && (pod.protocol ?? "TCP") !== protocol) {
        fail(
          where,
          `${f}.protocol`,
          protocol,
          `differs from the target port's (${pod.protocol ?? "TCP"})`,
          "use the container port's protocol",
        );
      }
      if (sp.nodePort !== undefined) {
        if (!allowNodePort)
          fail(
            where,
            `${f}.nodePort`,
            sp.nodePort,
            "is set on a Service that is not of type NodePort",
            'set type: "NodePort", or remove it',
          );
        checkInteger(where, `${f}.nodePort`, sp.nodePort, 30000, 32767);
      }
      return {
        name,
        port: sp.port,
        targetPort: String(target),
        protocol,
        nodePort: sp.nodePort,
        appProtocol: sp.appProtocol,
        containerPort: pod?.port ?? (typeof target === "number" ? target : sp.port),
      };
    });
    if (out.length > 1 && out.some((p) => p.name === undefined)) {
      fail(
        where,
        ports ? field : "ports",
        out.map((p) => p.name ?? p.port),
        "has several ports, and Kubernetes requires each port of such a Service to be named",
        "name the container ports, or give each Service port a name",
      );
    }
    const dups = duplicatesOf(out.map((p) => `${p.port}/${p.protocol}`));
    if (dups.length > 0)
      fail(where, ports ? field : "ports", dups, "are Service ports declared more than once", "declare each port once");
    const dupNames = duplicatesOf(out.flatMap((p) => (p.name ? [p.name] : [])));
    if (dupNames.length > 0)
      fail(
        where,
        ports ? field : "ports",
        dupNames,
        "are Service port names used more than once",
        "name each port once",
      );
    return out;
  }

  /** Service ports as the provider takes them. */
  protected renderServicePorts(ports: ResolvedServicePort[]) {
    return ports.map((p) => ({
      name: p.name,
      port: p.port,
      targetPort: p.targetPort,
      protocol: p.protocol,
      nodePort: p.nodePort,
      appProtocol: p.appProtocol,
    }));
  }

  /** Service annotations, refusing the keys the typed load balancer options own. */
  protected checkServiceAnnotations(field: string, annotations: Record<string, string> | undefined): void {
    for (const key of Object.keys(annotations ?? {})) {
      if (key.startsWith("service.beta.kubernetes.io/aws-load-balancer-")) {
        fail(
          this.where,
          field,
          key,
          "is a load balancer setting the typed loadBalancer options own (a free-form value could flip the scheme to internet-facing unseen)",
          "use loadBalancer: { scheme } instead",
        );
      }
    }
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
      /** Mounts of the main container (e.g. claims). */
      mounts?: DeploymentV1SpecTemplateSpecContainerVolumeMount[];
      fsGroup?: number;
      topologySpread?: boolean;
      tolerations?: DeploymentV1SpecTemplateSpecToleration[];
    } = {},
  ): DeploymentV1SpecTemplate {
    const p = this.props;
    const tmpSize = p.tmpSizeLimit ?? CONTAINER_DEFAULTS.tmpSizeLimit;
    const volumes: DeploymentV1SpecTemplateSpecVolume[] = [
      // The root filesystem is read-only; /tmp is in memory (counts toward the memory limit).
      { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: tmpSize } },
    ];
    const mainMounts: DeploymentV1SpecTemplateSpecContainerVolumeMount[] = [{ name: "tmp", mountPath: "/tmp" }];
    (p.writablePaths ?? []).forEach((path, i) => {
      volumes.push({ name: `writable-${i}`, emptyDir: { medium: "Memory", sizeLimit: tmpSize } });
      mainMounts.push({ name: `writable-${i}`, mountPath: path });
    });
    const mainEnv: DeploymentV1SpecTemplateSpecContainerEnv[] = [];
    const mainEnvFrom: DeploymentV1SpecTemplateSpecContainerEnvFrom[] = [];
    const annotations: Record<string, string> = { ...(p.podAnnotations ?? {}) };
    if (this.configMap) {
      for (const key of Object.keys(p.config?.env ?? {})) {
        mainEnv.push({ name: key, valueFrom: { configMapKeyRef: { name: this.configMapName!, key } } });
      }
      const files = Object.keys(p.config?.files ?? {});
      if (files.length > 0) {
        volumes.push({
          name: "config",
          configMap: { name: this.configMapName!, items: files.map((key) => ({ key, path: key })) },
        });
        mainMounts.push({ name: "config", mountPath: p.config?.mountPath ?? "/etc/config", readOnly: true });
      }
      // Kubernetes doesn't restart pods when a ConfigMap changes: a checksum on the template does.
      annotations["checksum/config"] = checksum({ env: p.config?.env ?? {}, files: p.config?.files ?? {} });
    }
    for (const secret of p.secrets ?? []) mainEnvFrom.push({ secretRef: { name: secret.secretName } });
    mainMounts.push(...(extra.mounts ?? []));
    volumes.push(...this.volumes.map(renderVolume));

    const render = (c: ResolvedContainer): DeploymentV1SpecTemplateSpecContainer => {
      const isMain = c.role === "main";
      const mounts = isMain ? [...mainMounts] : c.role === "extra" ? [{ name: "tmp", mountPath: "/tmp" }] : [];
      if (c.role === "init") mounts.push({ name: "tmp", mountPath: "/tmp" });
      for (const m of c.spec.mounts ?? []) {
        mounts.push({
          name: m.volume.name,
          mountPath: m.path,
          readOnly: m.readOnly ?? m.volume.source.kind !== "emptyDir",
          subPath: m.subPath,
        });
      }
      return this.renderContainer(c, {
        env: isMain ? mainEnv : [],
        envFrom: isMain ? mainEnvFrom : [],
        mounts,
      });
    };
    const containers = this.resolved.filter((c) => c.role !== "init").map(render);
    const inits = this.resolved.filter((c) => c.role === "init").map(render);
    const pod = p.podSecurityContext ?? {};
    const fsGroup = pod.fsGroup ?? extra.fsGroup;
    const spread = extra.topologySpread ?? true;
    const placement = renderPlacement(p.placement, this.namespace.cluster, this.selectorLabels);
    const nodeSelector = { ...(p.nodeSelector ?? {}), ...placement.nodeSelector };
    const tolerations = [...(extra.tolerations ?? []), ...placement.tolerations];
    return {
      metadata: {
        labels: this.podLabels,
        annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
      },
      spec: {
        serviceAccountName: this.serviceAccountName,
        automountServiceAccountToken: p.apiAccess !== undefined,
        enableServiceLinks: false,
        hostNetwork: p.hostNetwork === true ? true : undefined,
        restartPolicy: this.settings.restartPolicy,
        terminationGracePeriodSeconds: p.terminationGracePeriodSeconds,
        nodeSelector: Object.keys(nodeSelector).length > 0 ? nodeSelector : undefined,
        priorityClassName: placement.priorityClassName,
        affinity: placement.affinity,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: pod.runAsUser !== undefined ? String(pod.runAsUser) : undefined,
          runAsGroup: pod.runAsGroup !== undefined ? String(pod.runAsGroup) : undefined,
          fsGroup: fsGroup !== undefined ? String(fsGroup) : undefined,
          fsGroupChangePolicy: pod.fsGroupChangePolicy,
          supplementalGroups: pod.supplementalGroups,
          seccompProfile: { type: "RuntimeDefault" },
        },
        toleration: tolerations.length > 0 ? tolerations : undefined,
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
        initContainer: inits.length > 0 ? inits : undefined,
        container: containers,
        volume: volumes,
      },
    };
  }

  private renderContainer(
    c: ResolvedContainer,
    add: {
      env: DeploymentV1SpecTemplateSpecContainerEnv[];
      envFrom: DeploymentV1SpecTemplateSpecContainerEnvFrom[];
      mounts: DeploymentV1SpecTemplateSpecContainerVolumeMount[];
    },
  ): DeploymentV1SpecTemplateSpecContainer {
    const s = c.spec;
    const env: DeploymentV1SpecTemplateSpecContainerEnv[] = Object.entries(s.env ?? {}).map(([name, value]) =>
      value instanceof EnvValue
        ? value.source.kind === "literal"
          ? { name, value: value.source.value }
          : { name, valueFrom: renderEnvValue(value) }
        : { name, value },
    );
    env.push(...add.env);
    const envFrom = [
      ...(s.envFrom ?? []).map((e) => ({
        prefix: e.prefix,
        secretRef: e.secret !== undefined ? { name: secretNameOf(e.secret) } : undefined,
        configMapRef: e.configMap !== undefined ? { name: e.configMap } : undefined,
      })),
      ...add.envFrom,
    ];
    const probes = s.probes ?? {};
    let readiness: Probe | undefined = probes.readiness === false ? undefined : probes.readiness;
    if (probes.readiness === undefined && c.role === "main" && this.settings.defaultReadiness) {
      // TCP on the first TCP port: a UDP-only workload gets no probe (a TCP connect to a UDP port fails).
      const tcp = (s.ports ?? []).find((port) => (port.protocol ?? "TCP") === "TCP");
      if (tcp) readiness = { tcp: { port: tcp.name ?? tcp.port } };
    }
    const r = s.resources;
    const ephemeral = r.ephemeralStorage ?? this.defaultEphemeralStorage(c);
    const limits: Record<string, string> = {
      memory: r.memoryLimit ?? r.memory,
      "ephemeral-storage": r.ephemeralStorageLimit ?? ephemeral,
    };
    if (r.cpuLimit !== undefined) limits.cpu = r.cpuLimit;
    const sec = s.securityContext ?? {};
    const privileged = sec.privileged === true;
    const added = sec.capabilities?.add ?? [];
    // The API server rejects allowPrivilegeEscalation: false with privileged: true or with
    // CAP_SYS_ADMIN added (ValidateSecurityContext, kubernetes/kubernetes
    // pkg/apis/core/validation/validation.go); such a container escalates anyway.
    const escalation = privileged || added.some((a) => a === "SYS_ADMIN" || a === "CAP_SYS_ADMIN");
    return {
      name: s.name,
      image: s.image,
      imagePullPolicy: s.imagePullPolicy ?? defaultPullPolicy(s.image),
      command: s.command,
      args: s.args,
      port:
        (s.ports ?? []).length > 0
          ? s.ports!.map((port) => ({
              name: port.name,
              containerPort: port.port,
              protocol: port.protocol ?? "TCP",
              hostPort: port.hostPort,
            }))
          : undefined,
      env: env.length > 0 ? env : undefined,
      envFrom: envFrom.length > 0 ? envFrom : undefined,
      resources: {
        requests: { cpu: r.cpu, memory: r.memory, "ephemeral-storage": ephemeral },
        limits,
      },
      readinessProbe: readiness ? renderProbe(readiness) : undefined,
      livenessProbe: probes.liveness
        ? renderProbe({
            ...probes.liveness,
            failureThreshold: probes.liveness.failureThreshold ?? CONTAINER_DEFAULTS.livenessFailureThreshold,
          })
        : undefined,
      startupProbe: probes.startup ? renderProbe(probes.startup) : undefined,
      securityContext: {
        runAsNonRoot: sec.runAsRoot ? false : true,
        runAsUser: sec.runAsUser !== undefined ? String(sec.runAsUser) : undefined,
        runAsGroup: sec.runAsGroup !== undefined ? String(sec.runAsGroup) : undefined,
        allowPrivilegeEscalation: escalation,
        privileged: privileged ? true : undefined,
        readOnlyRootFilesystem: sec.writableRootFilesystem ? false : true,
        capabilities: { drop: ["ALL"], add: added.length > 0 ? [...added] : undefined },
        seccompProfile: { type: "RuntimeDefault" },
      },
      volumeMount: add.mounts,
    };
  }

  /** 256Mi, plus the sizeLimit of each node-disk emptyDir this container is the first to mount. */
  private defaultEphemeralStorage(c: ResolvedContainer): string {
    let bytes = parseQuantity(CONTAINER_DEFAULTS.ephemeralStorage)!;
    for (const m of c.spec.mounts ?? []) {
      const src = m.volume.source;
      if (src.kind !== "emptyDir" || src.medium === "Memory" || isToken(src.sizeLimit)) continue;
      const first = this.resolved.find((o) => (o.spec.mounts ?? []).some((om) => om.volume === m.volume));
      if (first === c) bytes += parseQuantity(src.sizeLimit)!;
    }
    return `${Math.ceil(bytes / 1048576)}Mi`;
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
    if (
      typeof b.minAvailable === "number" &&
      !isToken(b.minAvailable) &&
      !isToken(minReplicas) &&
      b.minAvailable >= minReplicas
    ) {
      fail(
        this.where,
        "disruptionBudget.minAvailable",
        b.minAvailable,
        `is at least the ${minReplicas} replica(s), so it blocks every eviction and node drains hang`,
        `use at most ${minReplicas - 1}, or maxUnavailable: 1`,
      );
    }
    // A percentage is scaled by the disruption controller rounding up, for minAvailable and
    // maxUnavailable alike (kubernetes/kubernetes pkg/controller/disruption/disruption.go,
    // getExpectedPodCount: intstr.GetScaledValueFromIntOrPercent(..., expectedCount, true)). So a
    // minAvailable percentage blocks every eviction at minReplicas when it rounds up to all of them.
    const pct = typeof b.minAvailable === "string" && !isToken(b.minAvailable) ? /^(\d+)%$/.exec(b.minAvailable) : null;
    if (pct && !isToken(minReplicas)) {
      const needed = Math.ceil((Number(pct[1]) * minReplicas) / 100);
      if (needed >= minReplicas) {
        fail(
          this.where,
          "disruptionBudget.minAvailable",
          b.minAvailable,
          `is ${needed} of the ${minReplicas} replica(s) (the percentage rounds up), so it blocks every eviction and node drains hang`,
          `use at most ${Math.floor((100 * (minReplicas - 1)) / minReplicas)}%, or maxUnavailable: 1`,
        );
      }
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

  private checkPodMetadata(): void {
    const p = this.props;
    checkLabels(this.where, "podLabels", p.podLabels);
    const selectorKey = Object.keys(p.podLabels ?? {}).find((k) => k in this.selectorLabels);
    if (selectorKey) {
      fail(
        this.where,
        "podLabels",
        selectorKey,
        "is a selector label the workload sets itself (changing a selector replaces the controller)",
        "use another key; the selector is app.kubernetes.io/name and app.kubernetes.io/component",
      );
    }
    for (const key of Object.keys(p.podAnnotations ?? {})) {
      if (key.startsWith("checksum/")) {
        fail(
          this.where,
          "podAnnotations",
          key,
          "is under checksum/, which the workload uses to roll pods on config changes",
          "use another key",
        );
      }
    }
    checkLabels(this.where, "nodeSelector", p.nodeSelector);
    const beta = Object.keys(p.nodeSelector ?? {}).find((k) => k.startsWith("beta.kubernetes.io/"));
    if (beta) {
      Annotations.of(this).addWarning(
        `${this.where}: nodeSelector ${show(beta)} is a deprecated label (removed from nodes since Kubernetes 1.18 kubelets stopped setting it by default on some distributions); use ${show(beta.replace("beta.", ""))}`,
      );
    }
  }

  private checkContainerNames(): void {
    const names = this.resolved.map((c) => c.spec.name);
    this.resolved.forEach((c) => {
      if (c.role !== "main") checkDnsLabel(this.where, `${c.field}name`, c.spec.name, "container name");
    });
    const dups = duplicatesOf(names.filter((n) => !isToken(n)));
    if (dups.length > 0) {
      fail(
        this.where,
        "containers",
        dups,
        "are container names used more than once in the pod (the main container is named after the workload unless containerName is set)",
        "give every container its own name",
      );
    }
  }

  private checkContainer(c: ResolvedContainer): void {
    const where = this.where;
    const f = c.field;
    const s = c.spec;
    checkImage(where, `${f}image`, s.image, s.allowLatest ?? false);
    if (s.imagePullPolicy !== undefined && s.imagePullPolicy !== "Always" && s.imagePullPolicy !== "IfNotPresent") {
      fail(where, `${f}imagePullPolicy`, s.imagePullPolicy, "is not supported", 'use "Always" or "IfNotPresent"');
    }
    if (c.role === "init") {
      const init = s as InitContainerSpec & { probes?: Probes };
      if (init.restartPolicy !== undefined) {
        fail(
          where,
          `${f}restartPolicy`,
          init.restartPolicy,
          "makes a native sidecar, which the pinned hashicorp/kubernetes provider (2.38) can't express: its init_container has no restart_policy",
          "run the sidecar as a plain container in containers: [...] (it starts with the main container and runs as long as the pod)",
        );
      }
      if (init.probes !== undefined) {
        fail(
          where,
          `${f}probes`,
          Object.keys(init.probes),
          "are set on an init container, which the API server refuses (it runs to completion, nothing to probe)",
          "remove them",
        );
      }
    }
    this.checkPorts(f, s.ports ?? []);
    this.checkResources(f, s.resources);
    this.checkProbes(f, s);
    for (const [k, v] of Object.entries(s.env ?? {})) {
      checkEnvName(where, `${f}env key`, k, this.namespace.cluster, "an environment variable name");
      if (typeof v === "string" && looksSecret(k, v)) {
        fail(
          where,
          `${f}env.${k}`,
          "<a literal value>",
          "looks like a credential, and a literal is written in clear to cdk.tf.json, the plan, Terraform state and the pod spec",
          SECRET_LITERAL_FIX,
        );
      }
      if (v instanceof EnvValue && v.source.kind === "literal") {
        if (typeof v.source.reason !== "string" || v.source.reason.trim() === "")
          fail(
            where,
            `${f}env.${k}`,
            "EnvValue.notSecret",
            "has an empty reason",
            "say why the value is not a credential (reviewers read it)",
          );
        if (typeof v.source.value !== "string")
          fail(where, `${f}env.${k}`, v.source.value, "is not a string", "give the literal value as a string");
      }
      if (v instanceof EnvValue && v.source.kind === "secret")
        this.checkSecretNamespace(`${f}env.${k}`, v.source.secret);
      if (typeof v !== "string" && !(v instanceof EnvValue)) {
        fail(
          where,
          `${f}env.${k}`,
          v,
          "is neither a string nor an EnvValue",
          "give a string or EnvValue.fromSecret(...)",
        );
      }
    }
    (s.envFrom ?? []).forEach((e, i) => {
      if ((e.secret === undefined) === (e.configMap === undefined)) {
        fail(
          where,
          `${f}envFrom[${i}]`,
          Object.keys(e),
          "needs exactly one of secret or configMap",
          "give one source per entry",
        );
      }
      if (e.secret !== undefined) this.checkSecretNamespace(`${f}envFrom[${i}].secret`, e.secret);
      if (e.prefix !== undefined && e.prefix !== "")
        checkEnvName(
          where,
          `${f}envFrom[${i}].prefix`,
          e.prefix,
          this.namespace.cluster,
          "an environment variable prefix",
        );
    });
    (s.mounts ?? []).forEach((m, i) => {
      if (!(m.volume instanceof Volume)) {
        fail(
          where,
          `${f}mounts[${i}].volume`,
          m.volume,
          "is not a Volume",
          "use Volume.emptyDir(...), Volume.fromSecret(...), ...",
        );
      }
      if (!isToken(m.path) && (!m.path?.startsWith("/") || m.path === "/")) {
        fail(
          where,
          `${f}mounts[${i}].path`,
          m.path ?? "",
          "is not an absolute directory other than /",
          'give e.g. "/data"',
        );
      }
      if (m.path === "/tmp") {
        fail(
          where,
          `${f}mounts[${i}].path`,
          m.path,
          "is the in-memory /tmp every container gets",
          "mount elsewhere, or size it with tmpSizeLimit",
        );
      }
    });
    const sec = s.securityContext ?? {};
    if (sec.runAsUser === 0 && !sec.runAsRoot) {
      fail(
        where,
        `${f}securityContext.runAsUser`,
        0,
        "is root, which runAsNonRoot (set unless runAsRoot is given) refuses",
        "use the image's non-root uid, e.g. 65532, or runAsRoot: { reason } in a baseline namespace",
      );
    }
    if (sec.runAsUser !== undefined) checkInteger(where, `${f}securityContext.runAsUser`, sec.runAsUser, 0, 2147483647);
    if (sec.runAsGroup !== undefined)
      checkInteger(where, `${f}securityContext.runAsGroup`, sec.runAsGroup, 0, 2147483647);
    for (const [field, r] of [
      ["runAsRoot", sec.runAsRoot],
      ["writableRootFilesystem", sec.writableRootFilesystem],
    ] as const) {
      if (r !== undefined && (typeof r.reason !== "string" || r.reason.trim() === "")) {
        fail(
          where,
          `${f}securityContext.${field}.reason`,
          r.reason ?? "",
          "is empty",
          "say why the container needs it (reviewers and the policy report read it)",
        );
      }
    }
    for (const cap of sec.capabilities?.add ?? []) {
      if (!isToken(cap) && !/^[A-Z_]+$/.test(cap)) {
        fail(
          where,
          `${f}securityContext.capabilities.add`,
          cap,
          "is not a capability name",
          'use the upper-case name without CAP_, e.g. "NET_BIND_SERVICE"',
        );
      }
    }
    const beyond = (sec.capabilities?.add ?? []).filter((a) => a !== "NET_BIND_SERVICE");
    if (beyond.length > 0 && !sec.capabilities?.reason?.trim()) {
      fail(
        where,
        `${f}securityContext.capabilities.reason`,
        sec.capabilities?.reason ?? "",
        `is empty, but ${beyond.join(", ")} ${beyond.length > 1 ? "are" : "is"} added beyond NET_BIND_SERVICE`,
        "say why the container needs them",
      );
    }
  }

  private checkSecretNamespace(field: string, secret: IVariableSecret | string): void {
    if (typeof secret === "string") {
      checkDnsLabel(this.where, field, secret, "Secret name");
      return;
    }
    if (!isToken(secret.namespace) && secret.namespace !== this.namespaceName) {
      fail(
        this.where,
        field,
        secret.secretName,
        `is in namespace ${show(secret.namespace)}, but the pods run in ${show(this.namespaceName)} (a pod can only read Secrets of its own namespace)`,
        "create the VariableSecret in the workload's namespace",
      );
    }
  }

  private checkPorts(f: string, ports: ContainerPort[]): void {
    const where = this.where;
    ports.forEach((p, i) => {
      if (p.name !== undefined) checkPortName(where, `${f}ports[${i}].name`, p.name);
      checkInteger(where, `${f}ports[${i}].port`, p.port, 1, 65535);
      if (p.hostPort !== undefined) checkInteger(where, `${f}ports[${i}].hostPort`, p.hostPort, 1, 65535);
      if (p.protocol !== undefined && p.protocol !== "TCP" && p.protocol !== "UDP") {
        fail(where, `${f}ports[${i}].protocol`, p.protocol, "is not supported", 'use "TCP" or "UDP"');
      }
    });
  }

  /** Port names and numbers are per pod: the containers share one network namespace. */
  private checkPodPorts(): void {
    const all = this.resolved.flatMap((c) => c.spec.ports ?? []);
    const dupNames = duplicatesOf(all.flatMap((p) => (p.name !== undefined && !isToken(p.name) ? [p.name] : [])));
    if (dupNames.length > 0)
      fail(
        this.where,
        "ports",
        dupNames,
        "are port names declared more than once in the pod",
        "give every port its own name",
      );
    const dupNumbers = duplicatesOf(all.map((p) => `${p.port}/${p.protocol ?? "TCP"}`));
    if (dupNumbers.length > 0)
      fail(this.where, "ports", dupNumbers, "are declared more than once in the pod", "declare each port once");
  }

  private checkResources(f: string, r: ContainerOptions["resources"]): void {
    const where = this.where;
    if (r === undefined || r === null) {
      fail(
        where,
        `${f}resources`,
        undefined,
        "is missing: the scheduler places pods by their requests, and a pod without a memory limit can take a node down",
        'give at least { cpu: "250m", memory: "256Mi" } (the memory limit defaults to the request)',
      );
    }
    if (r.cpu === undefined)
      fail(where, `${f}resources.cpu`, undefined, "is missing", 'give a CPU request, e.g. "250m"');
    if (r.memory === undefined)
      fail(where, `${f}resources.memory`, undefined, "is missing", 'give a memory request, e.g. "256Mi"');
    checkPositiveQuantity(where, `${f}resources.cpu`, r.cpu);
    checkPositiveQuantity(where, `${f}resources.memory`, r.memory, "bytes");
    if (r.memoryLimit !== undefined) checkQuantity(where, `${f}resources.memoryLimit`, r.memoryLimit, "bytes");
    if (r.cpuLimit !== undefined) checkQuantity(where, `${f}resources.cpuLimit`, r.cpuLimit);
    if (r.ephemeralStorage !== undefined)
      checkPositiveQuantity(where, `${f}resources.ephemeralStorage`, r.ephemeralStorage, "bytes");
    if (r.ephemeralStorageLimit !== undefined)
      checkPositiveQuantity(where, `${f}resources.ephemeralStorageLimit`, r.ephemeralStorageLimit, "bytes");
    const above = (request: string | undefined, limit: string | undefined, field: string, what: string) => {
      if (request === undefined || limit === undefined || isToken(request) || isToken(limit)) return;
      if (parseQuantity(request)! > parseQuantity(limit)!) {
        fail(
          where,
          `${f}${field}`,
          limit,
          `is below the ${what} request (${request}); Kubernetes refuses such a pod`,
          `raise the limit to at least ${request} or lower the request`,
        );
      }
    };
    above(r.cpu, r.cpuLimit, "resources.cpuLimit", "CPU");
    above(r.memory, r.memoryLimit, "resources.memoryLimit", "memory");
    above(r.ephemeralStorage, r.ephemeralStorageLimit, "resources.ephemeralStorageLimit", "ephemeral-storage");
  }

  private checkProbes(f: string, s: ContainerSpec): void {
    const probes = s.probes ?? {};
    const ports = s.ports ?? [];
    for (const [kind, probe] of Object.entries(probes) as [string, Probe | false | undefined][]) {
      if (probe === false && kind === "readiness") continue;
      if (!probe) {
        if (probe === false) fail(this.where, `${f}probes.${kind}`, false, "can't be false", "leave it unset for none");
        continue;
      }
      const field = `${f}probes.${kind}`;
      const handlers = [probe.http, probe.tcp, probe.grpc, probe.exec].filter((h) => h !== undefined);
      if (handlers.length !== 1) {
        fail(
          this.where,
          field,
          Object.keys(probe),
          "needs exactly one of http, tcp, grpc or exec",
          "give one check per probe",
        );
      }
      const port = probe.http?.port ?? probe.tcp?.port ?? probe.grpc?.port;
      if (port !== undefined && !isToken(port)) {
        const declared = ports.find((p) => (p.name !== undefined && p.name === port) || p.port === port);
        const show = (p: ContainerPort) => (p.name !== undefined ? `"${p.name}" (${p.port})` : `${p.port}`);
        if (!declared) {
          fail(
            this.where,
            `${field}.port`,
            port,
            "is not a declared container port",
            ports.length > 0
              ? `use one of ${ports.map(show).join(", ")}, or declare the port in ports`
              : 'declare the port in ports, e.g. [{ name: "http", port: 8080 }]',
          );
        }
        if ((declared.protocol ?? "TCP") !== "TCP") {
          fail(
            this.where,
            `${field}.port`,
            port,
            "is a UDP port; probes connect over TCP",
            "probe a TCP port, or use exec",
          );
        }
      }
      if (probe.grpc && typeof probe.grpc.port !== "number") {
        fail(
          this.where,
          `${field}.grpc.port`,
          probe.grpc.port,
          "is not a port number (gRPC probes take no port name)",
          "give the number of a declared port",
        );
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
      if (probe.http?.scheme !== undefined && probe.http.scheme !== "HTTP" && probe.http.scheme !== "HTTPS") {
        fail(this.where, `${field}.http.scheme`, probe.http.scheme, "is not a probe scheme", 'use "HTTP" or "HTTPS"');
      }
      for (const h of Object.keys(probe.http?.headers ?? {})) {
        if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(h)) {
          fail(
            this.where,
            `${field}.http.headers`,
            h,
            "is not an HTTP header name",
            "use a token (letters, digits, '-')",
          );
        }
      }
      if (probe.exec && (!probe.exec.command || probe.exec.command.length === 0)) {
        fail(this.where, `${field}.exec.command`, probe.exec.command ?? [], "is empty", "give the command to run");
      }
      for (const k of ["periodSeconds", "failureThreshold", "timeoutSeconds", "successThreshold"] as const) {
        if (probe[k] !== undefined) checkInteger(this.where, `${field}.${k}`, probe[k], 1, 3600);
      }
      if (probe.successThreshold !== undefined && probe.successThreshold !== 1 && kind !== "readiness") {
        fail(
          this.where,
          `${field}.successThreshold`,
          probe.successThreshold,
          `must be 1 for a ${kind} probe (the API server refuses anything else)`,
          "remove it; successThreshold applies to readiness only",
        );
      }
      if (probe.initialDelaySeconds !== undefined)
        checkInteger(this.where, `${field}.initialDelaySeconds`, probe.initialDelaySeconds, 0, 3600);
    }
  }

  /**
   * Kubernetes builds a container's environment from envFrom in order (a later source overwrites
   * an earlier one) and then env (which overwrites envFrom), without a word: a variable set twice
   * silently loses one value. The keys of VariableSecrets are known here, so such a pair is
   * refused; keys of Secrets and ConfigMaps given by name are not known and not compared.
   */
  private checkEnvPrecedence(): void {
    const p = this.props;
    for (const c of this.resolved) {
      const isMain = c.role === "main";
      const direct = [
        ...Object.keys(c.spec.env ?? {}).map((name) => ({ name, field: `${c.field}env key` })),
        ...(isMain ? Object.keys(p.config?.env ?? {}).map((name) => ({ name, field: "config.env key" })) : []),
      ];
      // envFrom in the order the container renders it: its own entries, then (main) `secrets`.
      const fromSecrets: { secret: IVariableSecret; prefix: string; field: string }[] = [
        ...(c.spec.envFrom ?? []).flatMap((e, i) =>
          e.secret !== undefined && typeof e.secret !== "string"
            ? [{ secret: e.secret, prefix: e.prefix ?? "", field: `${c.field}envFrom[${i}].secret` }]
            : [],
        ),
        ...(isMain ? (p.secrets ?? []).map((secret, i) => ({ secret, prefix: "", field: `secrets[${i}]` })) : []),
      ];
      const given = new Map<string, string>();
      for (const src of fromSecrets) {
        if (isToken(src.prefix)) continue;
        const what = `${src.field} (${describe("VariableSecret", src.secret.node.id)})`;
        for (const key of src.secret.keys ?? []) {
          if (isToken(key)) continue;
          const name = `${src.prefix}${key}`;
          const earlier = given.get(name);
          if (earlier !== undefined && earlier !== what) {
            fail(
              this.where,
              src.field,
              name,
              `is also given by ${earlier}: the later envFrom source silently overwrites the earlier one`,
              "keep the key in one Secret, or give one of the envFrom entries a prefix",
            );
          }
          given.set(name, what);
        }
      }
      for (const d of direct) {
        const secret = given.get(d.name);
        if (secret === undefined || isToken(d.name)) continue;
        fail(
          this.where,
          d.field,
          d.name,
          `is also a key of ${secret}, and env takes precedence over envFrom: the Secret's value would never be used`,
          "set the variable in one place: remove it here, or remove the key from the Secret",
        );
      }
    }
  }

  /**
   * A container mounts one volume per path (the API server refuses a pod with two mounts at one
   * path: ValidateVolumeMounts, "must be unique"), and nothing can be mounted inside a ConfigMap,
   * Secret or projected volume: they are mounted read-only, so the container runtime can't create
   * the mount point in them ("read-only file system") and the container never starts.
   */
  private checkMountPaths(): void {
    const p = this.props;
    const trim = (path: string) => (path.length > 1 ? path.replace(/\/+$/, "") : path);
    for (const c of this.resolved) {
      const isMain = c.role === "main";
      const mounts: { field: string; path: string; readOnlyDirs?: Set<string>; kind?: string }[] = [];
      if (isMain) {
        (p.writablePaths ?? []).forEach((path, i) => mounts.push({ field: `writablePaths[${i}]`, path }));
        if (this.configMap && Object.keys(p.config?.files ?? {}).length > 0)
          mounts.push({
            field: "config.mountPath",
            path: p.config?.mountPath ?? "/etc/config",
            readOnlyDirs: new Set(),
            kind: "ConfigMap",
          });
        for (const m of this.settings.mainMounts ?? []) mounts.push({ field: m.field, path: m.path });
      }
      (c.spec.mounts ?? []).forEach((m, i) => {
        const src = m.volume?.source;
        const readOnly =
          src?.kind === "configMap" || src?.kind === "secret" || src?.kind === "projected" ? src.kind : undefined;
        mounts.push({
          field: `${c.field}mounts[${i}].path`,
          path: m.path,
          readOnlyDirs: readOnly && m.subPath === undefined ? directoriesOf(m.volume) : undefined,
          kind: readOnly === "configMap" ? "ConfigMap" : readOnly === "secret" ? "Secret" : "projected",
        });
      });
      const literal = mounts.filter((m) => typeof m.path === "string" && !isToken(m.path));
      const seen = new Map<string, string>();
      for (const m of literal) {
        const path = trim(m.path);
        const earlier = seen.get(path);
        if (earlier !== undefined) {
          fail(
            this.where,
            m.field,
            m.path,
            `is also the mount path of ${earlier}; a container mounts one volume per path (the API server refuses the pod)`,
            "mount each volume at its own path",
          );
        }
        seen.set(path, m.field);
      }
      for (const parent of literal) {
        if (parent.readOnlyDirs === undefined) continue;
        const base = trim(parent.path);
        for (const m of literal) {
          const path = trim(m.path);
          if (m === parent || !path.startsWith(`${base === "/" ? "" : base}/`)) continue;
          const rel = path.slice(base.length + 1);
          if (parent.readOnlyDirs.has(rel)) continue;
          fail(
            this.where,
            m.field,
            m.path,
            `is inside ${parent.field} ${show(parent.path)}, where a ${parent.kind} volume is mounted read-only: the container runtime can't create the mount point there, so the container never starts`,
            "mount it outside that directory",
          );
        }
      }
    }
  }

  /** Every mounted Volume once by name; names must not clash with ours. */
  private collectVolumes(): void {
    const reserved = new Set([
      "tmp",
      "config",
      ...(this.props.writablePaths ?? []).map((_, i) => `writable-${i}`),
      ...(this.settings.reservedVolumes ?? []),
    ]);
    const byName = new Map<string, Volume>();
    let nodeDisk = 0;
    for (const c of this.resolved) {
      for (const [i, m] of (c.spec.mounts ?? []).entries()) {
        const v = m.volume;
        const field = `${c.field}mounts[${i}].volume`;
        checkDnsLabel(this.where, `${field}.name`, v.name, "volume name");
        if (reserved.has(v.name)) {
          fail(
            this.where,
            `${field}.name`,
            v.name,
            "is a volume name the workload uses itself",
            "name the volume otherwise",
          );
        }
        const known = byName.get(v.name);
        if (known && known !== v) {
          fail(
            this.where,
            `${field}.name`,
            v.name,
            "is the name of another volume of the pod",
            "give every volume its own name",
          );
        }
        if (known) continue;
        byName.set(v.name, v);
        this.checkVolume(field, v);
        if (v.source.kind === "emptyDir" && v.source.medium !== "Memory" && !isToken(v.source.sizeLimit))
          nodeDisk += parseQuantity(v.source.sizeLimit)!;
      }
    }
    this.volumes.push(...byName.values());
    // Explicit ephemeral limits must hold the node-disk emptyDirs, or the kubelet evicts the pod
    // before a volume reaches its own limit.
    const limits = this.resolved.map(
      (c) => c.spec.resources.ephemeralStorageLimit ?? c.spec.resources.ephemeralStorage,
    );
    if (nodeDisk > 0 && limits.every((l) => l !== undefined && !isToken(l))) {
      const total = limits.reduce((sum, l) => sum + parseQuantity(l!)!, 0);
      if (total < nodeDisk) {
        fail(
          this.where,
          "resources.ephemeralStorageLimit",
          limits,
          `add up to less than the node-disk emptyDir sizeLimits (${Math.ceil(nodeDisk / 1048576)}Mi), so the kubelet would evict the pod before a volume is full`,
          "raise the limits, or leave ephemeralStorage unset (the default adds the sizeLimits)",
        );
      }
    }
  }

  private checkVolume(field: string, v: Volume): void {
    const src = v.source;
    const where = this.where;
    const mode = (m: string) => {
      if (!/^0?[0-7]{3}$/.test(m))
        fail(where, `${field}.defaultMode`, m, "is not an octal file mode", 'give e.g. "0440"');
    };
    switch (src.kind) {
      case "emptyDir":
        if (src.sizeLimit === undefined)
          fail(
            where,
            `${field}.sizeLimit`,
            undefined,
            "is missing",
            'give a size, e.g. "1Gi": past it the kubelet evicts the pod, not the node',
          );
        checkPositiveQuantity(where, `${field}.sizeLimit`, src.sizeLimit, "bytes");
        if (src.medium !== undefined && src.medium !== "Memory")
          fail(
            where,
            `${field}.medium`,
            src.medium,
            "is not supported",
            'use "Memory", or leave it unset for node disk',
          );
        break;
      case "configMap":
        checkDnsLabel(where, `${field}.configMap`, src.name, "ConfigMap name");
        mode(src.defaultMode);
        break;
      case "secret":
        this.checkSecretNamespace(`${field}.secret`, src.secret);
        mode(src.defaultMode);
        break;
      case "projected":
        mode(src.defaultMode);
        if (src.sources.length === 0) fail(where, `${field}.sources`, [], "is empty", "give at least one source");
        src.sources.forEach((s, i) => {
          const set = [s.configMap, s.secret, s.serviceAccountToken].filter((x) => x !== undefined);
          if (set.length !== 1)
            fail(
              where,
              `${field}.sources[${i}]`,
              Object.keys(s),
              "needs exactly one of configMap, secret or serviceAccountToken",
              "give one per source",
            );
          if (s.secret) this.checkSecretNamespace(`${field}.sources[${i}].secret`, s.secret.secret);
          const exp = s.serviceAccountToken?.expirationSeconds;
          if (exp !== undefined)
            checkInteger(where, `${field}.sources[${i}].serviceAccountToken.expirationSeconds`, exp, 600, 4294967296);
        });
        break;
      case "hostPath":
        if (!src.reason?.trim())
          fail(where, `${field}.reason`, src.reason ?? "", "is empty", "say why the pod needs the node's files");
        if (!isToken(src.path) && !src.path.startsWith("/"))
          fail(where, `${field}.path`, src.path, "is not an absolute path", 'give e.g. "/var/log"');
        break;
    }
  }

  private checkPodSecurityContext(): void {
    const s = this.props.podSecurityContext ?? {};
    for (const k of ["runAsUser", "runAsGroup", "fsGroup"] as const) {
      if (s[k] !== undefined)
        checkInteger(this.where, `podSecurityContext.${k}`, s[k], k === "runAsUser" ? 1 : 0, 2147483647);
    }
    (s.supplementalGroups ?? []).forEach((g, i) =>
      checkInteger(this.where, `podSecurityContext.supplementalGroups[${i}]`, g, 0, 2147483647),
    );
    if (
      s.fsGroupChangePolicy !== undefined &&
      s.fsGroupChangePolicy !== "OnRootMismatch" &&
      s.fsGroupChangePolicy !== "Always"
    ) {
      fail(
        this.where,
        "podSecurityContext.fsGroupChangePolicy",
        s.fsGroupChangePolicy,
        "is not a change policy",
        'use "OnRootMismatch" or "Always"',
      );
    }
  }

  /** What the namespace's Pod Security level would refuse at admission is refused here. */
  private checkPodSecurity(): void {
    const p = this.props;
    const level = this.namespace.podSecurityLevel;
    const needs: [string, unknown, "baseline" | "privileged"][] = [];
    for (const c of this.resolved) {
      const sec = c.spec.securityContext ?? {};
      if (sec.privileged === true) needs.push([`${c.field}securityContext.privileged`, true, "privileged"]);
      if (sec.runAsRoot) needs.push([`${c.field}securityContext.runAsRoot`, sec.runAsRoot, "baseline"]);
      for (const cap of sec.capabilities?.add ?? []) {
        if (cap === "NET_BIND_SERVICE" || isToken(cap)) continue;
        needs.push([
          `${c.field}securityContext.capabilities.add`,
          cap,
          BASELINE_CAPABILITIES.includes(cap) ? "baseline" : "privileged",
        ]);
      }
      const hostPort = (c.spec.ports ?? []).find((port) => port.hostPort !== undefined);
      if (hostPort)
        needs.push([`${c.field}ports "${hostPort.name ?? hostPort.port}".hostPort`, hostPort.hostPort, "privileged"]);
    }
    if (p.hostNetwork === true) needs.push(["hostNetwork", true, "privileged"]);
    for (const v of this.volumes) {
      if (v.source.kind === "hostPath") needs.push([`volume "${v.name}".hostPath`, v.source.path, "privileged"]);
    }
    const rank = { restricted: 0, baseline: 1, privileged: 2 };
    const refused = needs.find(([, , min]) => rank[level] < rank[min]);
    if (!refused) return;
    const [field, value, min] = refused;
    fail(
      this.where,
      field,
      value,
      `is refused by the "${level}" Pod Security level of namespace ${show(this.namespaceName)}: the pods would never be admitted`,
      `remove it, or run the workload in a namespace with podSecurity: { level: "${min}", reason: "..." }`,
    );
  }

  private suppressWithReasons(): void {
    const reasons = (rule: string, list: string[]) => {
      const unique = [...new Set(list)];
      if (unique.length > 0) suppressRule(this, rule, unique.join("; "));
    };
    const secs = this.resolved.map((c) => c.spec.securityContext ?? {});
    reasons(
      "K8S5",
      secs.flatMap((s) => (s.runAsRoot ? [s.runAsRoot.reason] : [])),
    );
    reasons(
      "K8S6",
      secs.flatMap((s) => (s.writableRootFilesystem ? [s.writableRootFilesystem.reason] : [])),
    );
    reasons(
      "K8S9",
      secs.flatMap((s) =>
        (s.capabilities?.add ?? []).some((a) => a !== "NET_BIND_SERVICE") ? [s.capabilities!.reason!] : [],
      ),
    );
    reasons(
      "K8S12",
      this.volumes.flatMap((v) => (v.source.kind === "hostPath" ? [v.source.reason] : [])),
    );
  }

  /** Some node group, Fargate profile or node pool takes the pods, on an architecture their images have. */
  private checkPlacementFits(): void {
    const profile = this.namespace.fargateProfileFor(this.podLabels);
    checkSchedulable({
      where: this.where,
      cluster: this.namespace.cluster,
      placement: this.props.placement,
      rendered: renderPlacement(this.props.placement, this.namespace.cluster, this.selectorLabels),
      nodeSelector: this.props.nodeSelector ?? {},
      fargateProfile: profile,
      images: this.resolved.flatMap((c) =>
        c.spec.imageArchitectures
          ? [{ field: c.field, image: c.spec.image, architectures: c.spec.imageArchitectures }]
          : [],
      ),
      daemon: this.settings.daemon === true,
    });
  }

  private checkFargate(): void {
    const profile = this.namespace.fargateProfileFor(this.podLabels);
    if (!profile) return;
    const p = this.props;
    const problems: [string, unknown, string][] = [];
    if (this.settings.daemon)
      problems.push(["kind", this.settings.kind, "Fargate runs no DaemonSets (there are no nodes to run on)"]);
    for (const c of this.resolved) {
      if (c.spec.securityContext?.privileged === true)
        problems.push([`${c.field}securityContext.privileged`, true, "Fargate runs no privileged containers"]);
      const hostPort = (c.spec.ports ?? []).find((port) => port.hostPort !== undefined);
      if (hostPort)
        problems.push([
          `${c.field}ports "${hostPort.name ?? hostPort.port}".hostPort`,
          hostPort.hostPort,
          "Fargate pods can't bind host ports",
        ]);
    }
    if (p.hostNetwork === true) problems.push(["hostNetwork", true, "Fargate pods can't use the host network"]);
    const hostPath = this.volumes.find((v) => v.source.kind === "hostPath");
    if (hostPath)
      problems.push([`volume "${hostPath.name}".hostPath`, hostPath.name, "Fargate pods can't mount host paths"]);
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

/** The directories a ConfigMap, Secret or projected volume creates from its items' paths ("a/b/c" makes "a" and "a/b"). */
function directoriesOf(v: Volume): Set<string> {
  const src = v.source;
  const paths: string[] = [];
  const add = (items: Record<string, string> | undefined) => paths.push(...Object.values(items ?? {}));
  if (src.kind === "configMap" || src.kind === "secret") add(src.items);
  if (src.kind === "projected")
    for (const s of src.sources) {
      add(s.configMap?.items);
      add(s.secret?.items);
      if (s.serviceAccountToken) paths.push(s.serviceAccountToken.path);
    }
  const dirs = new Set<string>();
  for (const path of paths) {
    if (typeof path !== "string" || isToken(path)) continue;
    const parts = path.split("/").filter((x) => x !== "");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  }
  return dirs;
}

/** Tag-pinned (mutable) images are re-checked on every start; digest-pinned ones are immutable. */
function defaultPullPolicy(image: string): string {
  return /@sha256:[0-9a-f]{64}$/.test(image) ? "IfNotPresent" : "Always";
}

function secretNameOf(secret: IVariableSecret | string): string {
  return typeof secret === "string" ? secret : secret.secretName;
}

function renderEnvValue(v: EnvValue) {
  const s = v.source;
  switch (s.kind) {
    case "secret":
      return { secretKeyRef: { name: secretNameOf(s.secret), key: s.key, optional: s.optional } };
    case "configMap":
      return { configMapKeyRef: { name: s.name, key: s.key, optional: s.optional } };
    case "field":
      return { fieldRef: { fieldPath: s.fieldPath } };
    case "resource":
      return { resourceFieldRef: { resource: s.resource, containerName: s.containerName, divisor: s.divisor } };
    case "literal":
      return undefined;
  }
}

const items = (m: Record<string, string> | undefined) =>
  m ? Object.entries(m).map(([key, path]) => ({ key, path })) : undefined;

function renderVolume(v: Volume): DeploymentV1SpecTemplateSpecVolume {
  const s = v.source;
  switch (s.kind) {
    case "emptyDir":
      return { name: v.name, emptyDir: { medium: s.medium, sizeLimit: s.sizeLimit } };
    case "configMap":
      return { name: v.name, configMap: { name: s.name, items: items(s.items), defaultMode: s.defaultMode } };
    case "secret":
      return {
        name: v.name,
        secret: { secretName: secretNameOf(s.secret), items: items(s.items), defaultMode: s.defaultMode },
      };
    case "projected":
      return {
        name: v.name,
        projected: [
          {
            defaultMode: s.defaultMode,
            sources: s.sources.map((src) => ({
              configMap: src.configMap ? [{ name: src.configMap.name, items: items(src.configMap.items) }] : undefined,
              secret: src.secret
                ? [{ name: secretNameOf(src.secret.secret), items: items(src.secret.items) }]
                : undefined,
              serviceAccountToken: src.serviceAccountToken
                ? {
                    path: src.serviceAccountToken.path,
                    audience: src.serviceAccountToken.audience,
                    expirationSeconds: src.serviceAccountToken.expirationSeconds ?? 3600,
                  }
                : undefined,
            })),
          },
        ],
      };
    case "hostPath":
      return { name: v.name, hostPath: { path: s.path, type: s.type } };
  }
}

function renderProbe(p: Probe): DeploymentV1SpecTemplateSpecContainerReadinessProbe {
  const headers = Object.entries(p.http?.headers ?? {}).map(([name, value]) => ({ name, value }));
  return {
    httpGet: p.http
      ? {
          path: p.http.path,
          port: String(p.http.port),
          scheme: p.http.scheme,
          httpHeader: headers.length > 0 ? headers : undefined,
        }
      : undefined,
    tcpSocket: p.tcp ? [{ port: String(p.tcp.port) }] : undefined,
    grpc: p.grpc ? [{ port: p.grpc.port, service: p.grpc.service }] : undefined,
    exec: p.exec ? { command: p.exec.command } : undefined,
    periodSeconds: p.periodSeconds,
    failureThreshold: p.failureThreshold,
    successThreshold: p.successThreshold,
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
