import { PolicyStatement, ServiceAccountRoleMechanism } from "../eks/service-account-role";
import { IVariableSecret } from "./secret";

/** A port the container listens on. */
export interface ContainerPort {
  /** Port name (an IANA service name: 1-15 lower-case letters, digits, hyphens), referenced by probes and Services. */
  readonly name: string;
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

/**
 * A health check. Exactly one of `http`, `tcp` or `exec`. `port` (http, tcp) names one of
 * the container's declared ports, by name or number: a probe on an undeclared port is refused.
 */
export interface Probe {
  readonly http?: { readonly path: string; readonly port: string | number };
  readonly tcp?: { readonly port: string | number };
  readonly exec?: { readonly command: string[] };
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 1 */
  readonly timeoutSeconds?: number;
}

/** The three probes. Readiness takes pods out of Service endpoints; liveness restarts them; startup holds the other two off during a slow start. */
export interface Probes {
  /** @default - WebService and StatefulService: a TCP check on the first port; others: none */
  readonly readiness?: Probe;
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

/** The container and pod settings every workload shares. */
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
   * Literal environment variables (not secret: they are in the Terraform JSON).
   * @default - none
   */
  readonly env?: Record<string, string>;
  /** @default - none */
  readonly config?: ConfigOptions;
  /**
   * Secrets whose keys become environment variables.
   * @default - none
   */
  readonly secrets?: IVariableSecret[];
  /**
   * IAM permissions for the pods. Only then is the service-account token mounted.
   * @default - none: no role, no token
   */
  readonly awsAccess?: AwsAccess;
  /**
   * Numeric user id to run as. Needed when the image's USER is a name (Kubernetes can't
   * prove a name is non-root and refuses to start it).
   * @default - the image's USER (which must be numeric and not 0)
   */
  readonly runAsUser?: number;
  /**
   * Size of the in-memory /tmp (counts toward the memory limit).
   * @default "64Mi"
   */
  readonly tmpSizeLimit?: string;
  /**
   * More writable in-memory directories (the root filesystem is read-only), e.g. a cache dir.
   * @default - only /tmp
   */
  readonly writablePaths?: string[];
  /**
   * Run the container privileged. Refused in restricted and baseline namespaces and on Fargate.
   * @default false
   */
  readonly privileged?: boolean;
  /**
   * Use the node's network namespace. Refused in restricted and baseline namespaces and on Fargate.
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * Extra pod labels (the selector labels `app.kubernetes.io/name` and `app.kubernetes.io/instance` are always set).
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /** @default 30 */
  readonly terminationGracePeriodSeconds?: number;
}
