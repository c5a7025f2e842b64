import { checkInteger, fail, isToken } from "../private/validation";

// Rollouts that don't drop requests behind the AWS load balancers (issue 20). Sources, read
// 2026-12-07 (details in the research notes of issue 20):
// - kubernetes-sigs/aws-load-balancer-controller docs/deploy/pod_readiness_gate.md (v2.x): the
//   namespace label `elbv2.k8s.aws/pod-readiness-gate-inject: enabled` makes the controller's pod
//   webhook add a readiness gate that turns True only once the pod's target is Healthy in the
//   target group ("target-type: ip" only), so a rolling update never leaves only initial or
//   draining targets;
// - aws/aws-eks-best-practices, load-balancing ("Ensure Pods are Deregistered from Load Balancers
//   before Termination"): the ELB's deregistration delay defaults to 300 s; a target that closes
//   its connections before the delay ends gives clients 5xx; a preStop hook keeps the pod serving
//   while it is deregistered, and terminationGracePeriodSeconds must hold the preStop plus the
//   app's own shutdown (Kubernetes starts the grace countdown before preStop and sends SIGTERM
//   after it).
// - The pinned kubernetes provider (hashicorp/kubernetes 2.38, provider-kubernetes 12.x) has no
//   `lifecycle.pre_stop.sleep` (Kubernetes' PodLifecycleSleepAction): only exec, http_get and
//   tcp_socket. So the wait is `exec ["sleep", "<n>"]`, which needs a sleep binary in the image,
//   or an HTTP endpoint of the app that answers after the wait.

/** The namespace label that turns on the load balancer controller's pod readiness gates. */
export const READINESS_GATE_LABEL = "elbv2.k8s.aws/pod-readiness-gate-inject";

/** Defaults of the drain settings of an exposed WebService (pinned by the defaults tests). */
export const DRAIN_DEFAULTS = {
  /** Well below ELB's own 300 s, which exceeds Kubernetes' default grace period of 30 s. */
  deregistrationDelaySeconds: 30,
  /** The delay plus a few seconds for the controller to deregister the target. */
  preStopSeconds: 35,
  shutdownSeconds: 10,
  /**
   * Without readiness gates (EKS Auto Mode): how long a new pod must stay ready before the
   * rollout counts it available and removes an old one. Registration plus the controller's
   * default health check (interval 15 s × healthy threshold 2) with margin (derived).
   */
  minReadySecondsWithoutGates: 60,
} as const;

/**
 * How the pod waits in preStop:
 * - `"exec-sleep"`: runs `sleep <preStopSeconds>` in the main container (needs a `sleep` binary on
 *   its PATH: busybox, alpine, debian and ubuntu based images have one; distroless and scratch
 *   images don't);
 * - `{ httpGet }`: calls an endpoint of the app that answers after preStopSeconds (for images
 *   without a shell; the app implements the wait).
 */
export type PreStopWait =
  "exec-sleep" | { readonly httpGet: { readonly path: string; readonly port: number | string } };

/** How an exposed WebService's pods leave the load balancer. */
export interface LoadBalancerDrainOptions {
  /**
   * The target group's deregistration delay: how long the load balancer lets in-flight requests
   * of a deregistering target finish. Set on the Ingress or NLB Service
   * (target-group-attributes deregistration_delay.timeout_seconds).
   * @default 30
   */
  readonly deregistrationDelaySeconds?: number;
  /** How long the pod keeps serving after it is told to stop: at least the deregistration delay. @default 35 */
  readonly preStopSeconds?: number;
  /** @default "exec-sleep" */
  readonly preStop?: PreStopWait;
  /**
   * How long the app needs after SIGTERM to finish. The grace period defaults to
   * preStopSeconds + shutdownSeconds.
   * @default 10
   */
  readonly shutdownSeconds?: number;
}

/** The drain settings with every default resolved. */
export interface ResolvedDrain {
  readonly deregistrationDelaySeconds: number;
  readonly preStopSeconds: number;
  readonly preStop: PreStopWait;
  readonly terminationGracePeriodSeconds: number;
}

/** Image names known to ship without a shell or coreutils (no `sleep` to exec). */
const NO_SLEEP_IMAGE = /(^|\/)(distroless\/|chainguard\/static\b|scratch(:|$))/;

/**
 * Resolves and checks the drain settings: deregistration delay ≤ preStop < grace period, and
 * the grace period holds the preStop plus the shutdown.
 */
export function resolveDrain(
  where: string,
  o: LoadBalancerDrainOptions,
  ctx: { image: string; terminationGracePeriodSeconds?: number },
): ResolvedDrain {
  const d = DRAIN_DEFAULTS;
  const delay = o.deregistrationDelaySeconds ?? d.deregistrationDelaySeconds;
  const preStopSeconds = o.preStopSeconds ?? d.preStopSeconds;
  const shutdown = o.shutdownSeconds ?? d.shutdownSeconds;
  // The ELB's range for deregistration_delay.timeout_seconds is 0-3600.
  checkInteger(where, "drain.deregistrationDelaySeconds", delay, 0, 3600);
  checkInteger(where, "drain.preStopSeconds", preStopSeconds, 1, 3600);
  checkInteger(where, "drain.shutdownSeconds", shutdown, 0, 3600);
  const grace = ctx.terminationGracePeriodSeconds ?? (isToken(preStopSeconds) ? undefined : preStopSeconds + shutdown);
  if (!isToken(delay) && !isToken(preStopSeconds) && preStopSeconds < delay) {
    fail(
      where,
      "drain.preStopSeconds",
      preStopSeconds,
      `is shorter than the deregistration delay (${delay} s): the pod would close connections the load balancer is still draining, and clients get 5xx`,
      `use at least ${delay}, or lower drain.deregistrationDelaySeconds`,
    );
  }
  if (grace !== undefined && !isToken(grace) && !isToken(preStopSeconds) && grace < preStopSeconds + shutdown) {
    fail(
      where,
      "terminationGracePeriodSeconds",
      grace,
      `is shorter than drain.preStopSeconds (${preStopSeconds}) + drain.shutdownSeconds (${shutdown}): the pod would be killed while it drains or shuts down`,
      `use at least ${preStopSeconds + shutdown}, or leave it unset (then it is preStopSeconds + shutdownSeconds)`,
    );
  }
  const preStop = o.preStop ?? "exec-sleep";
  if (preStop === "exec-sleep") {
    if (!isToken(ctx.image) && NO_SLEEP_IMAGE.test(ctx.image)) {
      fail(
        where,
        "drain.preStop",
        preStop,
        `runs "sleep" in image "${ctx.image}", which has no sleep binary (a distroless or scratch image), so the hook fails and the pod stops before it is deregistered`,
        "serve an endpoint that answers after the wait and use preStop: { httpGet: { path, port } }, or build the image with a sleep binary",
      );
    }
  } else if (typeof preStop !== "object" || preStop.httpGet === undefined) {
    fail(where, "drain.preStop", preStop, "is not a preStop wait", 'use "exec-sleep" or { httpGet: { path, port } }');
  } else if (!isToken(preStop.httpGet.path) && !preStop.httpGet.path.startsWith("/")) {
    fail(where, "drain.preStop.httpGet.path", preStop.httpGet.path, "is not an absolute path", 'start it with "/"');
  }
  return {
    deregistrationDelaySeconds: delay,
    preStopSeconds,
    preStop,
    terminationGracePeriodSeconds: grace ?? preStopSeconds + shutdown,
  };
}

/** The target group attribute annotation's value for a deregistration delay. */
export function deregistrationDelayAttribute(seconds: number): string {
  return `deregistration_delay.timeout_seconds=${seconds}`;
}

/** What decides whether a rollout or a drain can leave a load balancer without a healthy target. */
export interface RolloutFacts {
  /** The fewest replicas (the HPA's minimum, or the fixed count). */
  readonly replicas: number;
  readonly maxSurge: string;
  readonly maxUnavailable: string;
  /** The PDB as declared (false: none). */
  readonly disruptionBudget: { maxUnavailable?: number | string; minAvailable?: number | string } | false;
}

/**
 * Ways the rollout settings or the disruption budget can take the last healthy target out of the
 * load balancer (empty when none): each message is `<problem>; <fix>`.
 */
export function zeroTargetRisks(f: RolloutFacts): { field: string; value: unknown; problem: string; fix: string }[] {
  const risks: { field: string; value: unknown; problem: string; fix: string }[] = [];
  // A percentage of a replica count only known at apply (a variable) is unknown too: undefined.
  const count = (v: string, round: (n: number) => number): number | undefined => {
    const pct = /^(\d+)%$/.exec(v);
    if (pct && isToken(f.replicas)) return undefined;
    return pct ? round((Number(pct[1]) / 100) * f.replicas) : Number(v);
  };
  const unavailable = isToken(f.maxUnavailable) ? undefined : count(f.maxUnavailable, Math.floor);
  if (unavailable !== undefined && unavailable !== 0) {
    risks.push({
      field: "rollout.maxUnavailable",
      value: f.maxUnavailable,
      problem:
        "lets a rollout stop serving pods before their replacements are healthy in the target group (with ip targets that can leave only initial or draining targets)",
      fix: "use 0 (the default) and let maxSurge add the new pods first",
    });
  }
  const surge = isToken(f.maxSurge) ? undefined : count(f.maxSurge, Math.ceil);
  if (surge !== undefined && surge < 1) {
    risks.push({
      field: "rollout.maxSurge",
      value: f.maxSurge,
      problem: "adds no pod before removing one",
      fix: 'use at least 1 (e.g. "25%")',
    });
  }
  if (!isToken(f.replicas) && f.replicas < 2) {
    risks.push({
      field: "replicas",
      value: f.replicas,
      problem: "is the only target: a node drain or eviction leaves the load balancer with none",
      fix: "run at least 2 replicas (autoscaling.minReplicas)",
    });
  }
  if (f.disruptionBudget === false) {
    risks.push({
      field: "disruptionBudget",
      value: false,
      problem: "lets a node drain evict every pod at once, leaving the load balancer with no target",
      fix: "keep a PodDisruptionBudget (the default { maxUnavailable: 1 })",
    });
  }
  const pdbMax = f.disruptionBudget === false ? undefined : f.disruptionBudget.maxUnavailable;
  const evictable = pdbMax === undefined || isToken(pdbMax) ? undefined : count(String(pdbMax), Math.ceil);
  if (evictable !== undefined && !isToken(f.replicas) && evictable >= f.replicas) {
    risks.push({
      field: "disruptionBudget.maxUnavailable",
      value: pdbMax,
      problem: `lets a node drain evict all ${f.replicas} replica(s) at once, leaving the load balancer with no target`,
      fix: "use 1 (the default)",
    });
  }
  return risks;
}
