import type { Architecture } from "./placement";
import { PolicyStatement, ServiceAccountRoleMechanism } from "../eks/service-account-role";
import { IVariableSecret } from "./secret";
import type { Reason, Volume } from "./volume";

/** A port a container listens on. */
export interface ContainerPort {
  /**
   * Port name (an IANA service name: 1-15 lower-case letters, digits, hyphens). Name it when a
   * probe or a Service refers to it by name; unnamed ports are referred to by number.
   * @default - unnamed
   */
  readonly name?: string;
  /** The port number inside the pod, 1-65535. */
  readonly port: number;
  /** @default "TCP" */
  readonly protocol?: "TCP" | "UDP";
  /**
   * Bind the port on the node as well. Refused in restricted and baseline namespaces and
   * on Fargate; almost never what you want (a Service reaches the pod without it).
   * @default - none
   */
  readonly hostPort?: number;
}

/** An HTTP GET check: success is a status from 200 to 399. */
export interface HttpCheck {
  /** Absolute path, e.g. "/healthz". */
  readonly path: string;
  /** A declared port of the container, by name or number. */
  readonly port: string | number;
  /** @default "HTTP" */
  readonly scheme?: "HTTP" | "HTTPS";
  /** Request headers (e.g. a cookie the app expects). @default - none */
  readonly headers?: Record<string, string>;
}

/** A gRPC health check (grpc.health.v1.Health/Check), Kubernetes 1.27+. */
export interface GrpcCheck {
  /** A declared port of the container, by number (the API takes no port name here). */
  readonly port: number;
  /** The service name sent in the HealthCheckRequest. @default - "" (the server's overall health) */
  readonly service?: string;
}

/**
 * A health check. Exactly one of `http`, `tcp`, `grpc` or `exec`. A port (http, tcp, grpc)
 * must be one of the container's declared ports: a probe on an undeclared port is refused.
 */
export interface Probe {
  readonly http?: HttpCheck;
  readonly tcp?: { readonly port: string | number };
  readonly grpc?: GrpcCheck;
  readonly exec?: { readonly command: string[] };
  /** @default 10 */
  readonly periodSeconds?: number;
  /**
   * Consecutive failures before the probe counts as failed.
   * @default - readiness and startup: 3; liveness: 6 (a restart is costlier than leaving the
   *   endpoints, so liveness waits a minute of failures at the default period)
   */
  readonly failureThreshold?: number;
  /** Consecutive successes to count as passing again: readiness only (the API requires 1 elsewhere). @default 1 */
  readonly successThreshold?: number;
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 1 */
  readonly timeoutSeconds?: number;
}

/**
 * The three probes. Readiness takes pods out of Service endpoints; liveness restarts them;
 * startup holds the other two off during a slow start. Give liveness a cheaper check than
 * readiness (the process answers, not its dependencies): identical probes turn a slow
 * dependency into restarts, and the policy rule K8S23 reports them.
 */
export interface Probes {
  /**
   * `false`: no readiness probe, stated (pods that serve no traffic).
   * @default - the main container of a WebService, StatefulService or DaemonSet: a TCP check on
   *   its first TCP port (none when it has only UDP ports); other containers and kinds: none
   */
  readonly readiness?: Probe | false;
  /** @default - none (a wrong liveness probe restarts healthy pods; add one that checks the process itself) */
  readonly liveness?: Probe;
  /** @default - none */
  readonly startup?: Probe;
}

/**
 * Requests and limits, required on every container: the scheduler bin-packs by requests, and
 * a namespace ResourceQuota refuses pods without them.
 *
 * Our choice for CPU: a request, no limit by default. A CPU limit throttles the container
 * (CFS quota) even when the node has idle CPU, which shows up as latency; the request
 * already guarantees its share. Memory is incompressible, so the memory limit defaults to the
 * request: a leaking pod is OOM-killed alone instead of pushing the node into memory pressure.
 * Ephemeral storage (container logs, node-disk emptyDirs; the root filesystem is read-only) gets
 * a request and an equal limit by default, so a pod filling the node's disk is evicted alone.
 */
export interface Resources {
  /** CPU request, e.g. "250m" or "1". */
  readonly cpu: string;
  /** Memory request, e.g. "256Mi". */
  readonly memory: string;
  /** @default - the memory request */
  readonly memoryLimit?: string;
  /** @default - none (see above) */
  readonly cpuLimit?: string;
  /**
   * Ephemeral-storage request.
   * @default - "256Mi" plus the sizeLimit of every node-disk emptyDir the container mounts first
   */
  readonly ephemeralStorage?: string;
  /** @default - the ephemeral-storage request */
  readonly ephemeralStorageLimit?: string;
}

/**
 * Non-secret configuration in a ConfigMap. A checksum of it is put on the pod template, so a
 * change rolls the pods (Kubernetes doesn't restart pods when a ConfigMap changes).
 */
export interface ConfigOptions {
  /**
   * Environment variables from the ConfigMap.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Files (name -> content) mounted read-only under `mountPath`.
   * @default - none
   */
  readonly files?: Record<string, string>;
  /** @default "/etc/config" */
  readonly mountPath?: string;
}

/** An IAM role for the workload's service account (an aws_iam_role in the workload's stack). */
export interface AwsAccess {
  /** Inline permissions. "*" actions are refused. */
  readonly policyStatements: PolicyStatement[];
  /** @default - none */
  readonly managedPolicyArns?: string[];
  /**
   * @default - "irsa" in a namespace a Fargate profile selects (Fargate runs no Pod Identity
   *   agent); elsewhere "pod-identity" where the cluster runs the agent (see ServiceAccountRole)
   */
  readonly mechanism?: ServiceAccountRoleMechanism;
}

export type { Reason } from "./volume";

/**
 * Linux capabilities (without the CAP_ prefix). The named ones are those the "baseline" Pod
 * Security level allows (https://kubernetes.io/docs/concepts/security/pod-security-standards/,
 * "Capabilities"); "restricted" allows only NET_BIND_SERVICE; "privileged" any.
 */
export type Capability =
  | "NET_BIND_SERVICE"
  | "AUDIT_WRITE"
  | "CHOWN"
  | "DAC_OVERRIDE"
  | "FOWNER"
  | "FSETID"
  | "KILL"
  | "MKNOD"
  | "SETFCAP"
  | "SETGID"
  | "SETPCAP"
  | "SETUID"
  | "SYS_CHROOT"
  | (string & {});

/**
 * A container's security settings on top of the fixed secure base (non-root, read-only root
 * filesystem, no privilege escalation, every capability dropped, seccomp RuntimeDefault). Each
 * weakening is checked against the namespace's Pod Security level at synth and carries a reason,
 * which becomes the suppression of the matching policy rule.
 */
export interface ContainerSecurityOptions {
  /**
   * Numeric user id. Needed when the image's USER is a name (Kubernetes can't prove a name is
   * non-root and refuses to start it). 0 only with runAsRoot.
   * @default - the pod's runAsUser, else the image's USER (which must be numeric and not 0)
   */
  readonly runAsUser?: number;
  /** @default - the pod's runAsGroup, else the image's group */
  readonly runAsGroup?: number;
  /**
   * Capabilities to add back (ALL stay dropped). NET_BIND_SERVICE (bind ports below 1024 as
   * non-root) is allowed everywhere; anything else needs a baseline or privileged namespace and
   * a reason.
   * @default - none
   */
  readonly capabilities?: { readonly add: Capability[]; readonly reason?: string };
  /**
   * Let the container run as root (runAsNonRoot false). Refused in restricted namespaces.
   * @default - runAsNonRoot: true
   */
  readonly runAsRoot?: Reason;
  /**
   * A writable root filesystem. Any level (Pod Security doesn't check it); prefer a `writablePaths`
   * entry or an emptyDir mount where the app writes.
   * @default - read-only
   */
  readonly writableRootFilesystem?: Reason;
  /**
   * Run privileged (renders allowPrivilegeEscalation: true, which the API server requires with
   * privileged). Refused outside privileged namespaces and on Fargate.
   * @default false
   */
  readonly privileged?: boolean;
}

/** Where an environment variable's value comes from, other than a literal. */
export class EnvValue {
  /** A key of a Secret in the pod's namespace (a VariableSecret, or the name of an existing Secret). */
  public static fromSecret(secret: IVariableSecret | string, key: string, options: { optional?: boolean } = {}) {
    return new EnvValue({ kind: "secret", secret, key, optional: options.optional });
  }
  /** A key of an existing ConfigMap in the pod's namespace. */
  public static fromConfigMap(configMapName: string, key: string, options: { optional?: boolean } = {}) {
    return new EnvValue({ kind: "configMap", name: configMapName, key, optional: options.optional });
  }
  /** A field of the pod (downward API), e.g. "metadata.name", "status.podIP", "spec.nodeName". */
  public static fromField(fieldPath: string) {
    return new EnvValue({ kind: "field", fieldPath });
  }
  /**
   * A literal value whose name looks like a credential's (DB_PASSWORD, API_TOKEN, ...) but that
   * is not one, with the reason: a plain string under such a name is refused, since literals are
   * written to cdk.tf.json, the plan and the pod spec in clear (use a VariableSecret for a real
   * credential). The reason stays in the code for review.
   */
  public static notSecret(value: string, reason: string) {
    return new EnvValue({ kind: "literal", value, reason });
  }
  /** A resource of a container (downward API), e.g. "limits.memory". @param containerName @default - this container */
  public static fromResource(resource: string, options: { containerName?: string; divisor?: string } = {}) {
    return new EnvValue({ kind: "resource", resource, ...options });
  }
  private constructor(
    /** @internal */
    public readonly source:
      | { kind: "secret"; secret: IVariableSecret | string; key: string; optional?: boolean }
      | { kind: "configMap"; name: string; key: string; optional?: boolean }
      | { kind: "field"; fieldPath: string }
      | { kind: "resource"; resource: string; containerName?: string; divisor?: string }
      | { kind: "literal"; value: string; reason: string },
  ) {}
}

/** A whole Secret or ConfigMap as environment variables. Give `secret` or `configMap`. */
export interface EnvFromSource {
  /** A VariableSecret, or the name of an existing Secret in the pod's namespace. @default - none */
  readonly secret?: IVariableSecret | string;
  /** The name of an existing ConfigMap in the pod's namespace. @default - none */
  readonly configMap?: string;
  /** Prefix for every variable name. @default - none */
  readonly prefix?: string;
}

/** A volume mounted into a container. */
export interface VolumeMount {
  readonly volume: Volume;
  /** Absolute path in the container. */
  readonly path: string;
  /** @default - true for ConfigMap, Secret and projected volumes; false for emptyDir and hostPath */
  readonly readOnly?: boolean;
  /** Mount one entry of the volume instead of its root. @default - the whole volume */
  readonly subPath?: string;
}

/** "Always" re-checks the registry on every start; "IfNotPresent" uses the node's copy. */
export type ImagePullPolicy = "Always" | "IfNotPresent";

/** What one container is: image, command, ports, probes, resources, environment, mounts, security. */
export interface ContainerOptions {
  /**
   * The image, pinned: `repo:tag` or `repo@sha256:...` (e.g. from `imageReference(...)`).
   * Untagged and `latest` are refused unless `allowLatest`.
   */
  readonly image: string;
  /**
   * Accept an untagged or `latest` image.
   * @default false
   */
  readonly allowLatest?: boolean;
  /**
   * @default - "IfNotPresent" for an image pinned by digest (immutable: the node's copy is the
   *   image), "Always" otherwise (a tag can be moved; what the peers' rules want)
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * The CPU architectures the image is built for (`docker buildx imagetools inspect <image>`
   * lists them). When given, the workload refuses at synth to run where nodes of another
   * architecture could take its pods (an "exec format error" crash).
   * @default - unknown: not checked (see docs/workloads.md, "Placement")
   */
  readonly imageArchitectures?: Architecture[];
  /** @default - the image's ENTRYPOINT */
  readonly command?: string[];
  /** @default - the image's CMD */
  readonly args?: string[];
  /** @default - none */
  readonly ports?: ContainerPort[];
  /** Requests and limits (required). */
  readonly resources: Resources;
  /** @default - see Probes */
  readonly probes?: Probes;
  /**
   * Environment variables: literals (not secret: they are in the Terraform JSON) or EnvValue
   * references to Secrets, ConfigMaps and pod fields. A literal under a credential's name
   * (…_PASSWORD, …_TOKEN, …_SECRET, …_API_KEY, …_PRIVATE_KEY) is refused: use EnvValue.fromSecret,
   * or EnvValue.notSecret(value, reason) when it is not one. A name also set by `config.env` or
   * by a key of a VariableSecret in `secrets`/`envFrom` is refused (env would hide the other).
   * Names follow the cluster's Kubernetes version: any printable ASCII but '=' from 1.32,
   * letters, digits, '_', '-' and '.' (not starting with a digit) before.
   * @default - none
   */
  readonly env?: Record<string, string | EnvValue>;
  /** Whole Secrets or ConfigMaps as environment variables. @default - none */
  readonly envFrom?: EnvFromSource[];
  /** Volumes to mount (the pod gets each volume once). @default - none */
  readonly mounts?: VolumeMount[];
  /** @default - the secure base, see ContainerSecurityOptions */
  readonly securityContext?: ContainerSecurityOptions;
}

/** A container other than the workload's main one: its own name is required. */
export interface ContainerSpec extends ContainerOptions {
  /** Container name, a DNS label unique in the pod (`kubectl logs -c <name>`). */
  readonly name: string;
}

/**
 * An init container: runs to completion before the main containers start. Probes are refused
 * (the API server rejects them on init containers).
 */
export interface InitContainerSpec extends Omit<ContainerSpec, "probes"> {
  /**
   * "Always" makes a native sidecar (Kubernetes 1.29+). Refused: the pinned provider
   * (hashicorp/kubernetes 2.38, @cdktf/provider-kubernetes 12.1) has no init_container
   * restart_policy. Run the sidecar as a plain container (`containers`) instead.
   * @default - none (a plain init container)
   */
  readonly restartPolicy?: "Always";
}
