import { ValidationError } from "../../constructs/private/validation";
import { cases } from "./cases";

// Every bad input of issue 7 with its exact message: construct, field, value, problem and fix.
const expected: [string, string][] = [
  [
    "two workloads of a namespace share a name",
    "Worker 'web-worker': name \"web\" is already used in namespace \"shop\" by WebService 'web'; give every workload of a namespace its own name",
  ],
  [
    "a namespace is declared twice",
    "Namespace 'shop-again': name \"shop\" is already declared for cluster \"test\" by Namespace 'shop'; declare each namespace once and pass that construct around",
  ],
  [
    "a WebService name is not a DNS-1123 label",
    "WebService 'web': name \"Web_1\" is not a valid WebService name (a DNS-1123 label); use 1 to 63 lower-case letters, digits and hyphens, starting and ending with a letter or digit",
  ],
  [
    "a Namespace name is not a DNS-1123 label",
    "Namespace 'x': name \"Shop\" is not a valid Kubernetes namespace name; use 1 to 63 lower-case letters, digits and hyphens, starting and ending with a letter or digit",
  ],
  [
    "a port is out of range",
    "WebService 'web': ports[0].port 70000 is out of range; use a whole number from 1 to 65535",
  ],
  [
    "a port number is declared twice",
    "WebService 'web': ports [\"8080/TCP\"] are declared more than once in the pod; declare each port once",
  ],
  [
    "a port name is declared twice",
    "WebService 'web': ports [\"http\"] are port names declared more than once in the pod; give every port its own name",
  ],
  [
    "a probe uses an undeclared port",
    'WebService \'web\': probes.liveness.port "admin" is not a declared container port; use one of "http" (8080), or declare the port in ports',
  ],
  [
    "autoscaling minReplicas exceeds maxReplicas",
    "WebService 'web': autoscaling.minReplicas 5 exceeds maxReplicas (3); raise maxReplicas or lower minReplicas",
  ],
  [
    "a utilization target is above 100 %",
    "WebService 'web': autoscaling.cpuUtilization 150 is not a utilization target; use a whole percentage of the requests from 1 to 100",
  ],
  [
    "a utilization target is 0 %",
    "WebService 'web': autoscaling.memoryUtilization 0 is not a utilization target; use a whole percentage of the requests from 1 to 100",
  ],
  [
    "the memory request is above the limit",
    "WebService 'web': resources.memoryLimit \"512Mi\" is below the memory request (1Gi); Kubernetes refuses such a pod; raise the limit to at least 1Gi or lower the request",
  ],
  [
    "the CPU request is above the limit",
    "WebService 'web': resources.cpuLimit \"500m\" is below the CPU request (2); Kubernetes refuses such a pod; raise the limit to at least 2 or lower the request",
  ],
  [
    "resources are missing",
    'WebService \'web\': resources undefined is missing: the scheduler places pods by their requests, and a pod without a memory limit can take a node down; give at least { cpu: "250m", memory: "256Mi" } (the memory limit defaults to the request)',
  ],
  [
    "the PDB's minAvailable reaches the replicas",
    "WebService 'web': disruptionBudget.minAvailable 2 is at least the 2 replica(s), so it blocks every eviction and node drains hang; use at most 1, or maxUnavailable: 1",
  ],
  [
    "an Ingress targets a port the Service doesn't have",
    "WebService 'web': ingress.servicePort 443 is not a port of Service \"web\"; use one of 8080",
  ],
  [
    "an Ingress asks for TLS without a certificate",
    "WebService 'web': ingress.tls true needs a certificate, but certificateArn is not set; give certificateArn (an ACM certificate in the cluster's region), or tls: false",
  ],
  [
    "the image is latest",
    "WebService 'web': image \"nginx:latest\" is a floating tag, so what runs changes without a deploy and rollbacks are impossible; pin a digest or a version tag, or pass allowLatest: true to accept it knowingly",
  ],
  [
    "the image is untagged",
    'WebService \'web\': image "public.ecr.aws/nginx/nginx-unprivileged" has no tag or digest, so it means `latest`: what runs changes without a deploy and rollbacks are impossible; pin a digest ("repo@sha256:...") or a version tag ("repo:1.2.3"), or pass allowLatest: true to accept it knowingly',
  ],
  [
    "the namespace isn't declared",
    'WebService \'web\': namespace "shop" is not a declared Namespace; declare it with new Namespace(scope, "<name>", { cluster }) and pass that construct',
  ],
  [
    "a cron schedule doesn't parse",
    'CronJob \'report\': schedule "0 25 * * *" has an invalid hour field "25": "25" is not 0-23; use 5 fields, e.g. "30 2 * * MON-FRI" (02:30 on weekdays), "*/15 * * * *", or a macro such as "@daily" or "@every 1h30m"; set the zone with timeZone',
  ],
  [
    "a StatefulService claim has no size",
    'StatefulService \'db\': volumeClaims[0].size "" is missing for claim "data"; give the volume size, e.g. "20Gi"',
  ],
  [
    "a Fargate workload is privileged",
    "Worker 'agent': securityContext.privileged true can't run: FargateProfile 'fargate-batch' (selector \"batch\") runs the pods of namespace \"batch\" on Fargate, and Fargate runs no privileged containers; remove it, or run the workload in a namespace no Fargate profile selects",
  ],
  [
    "a Fargate workload uses the host network",
    "Job 'agent': hostNetwork true can't run: FargateProfile 'fargate-batch' (selector \"batch\") runs the pods of namespace \"batch\" on Fargate, and Fargate pods can't use the host network; remove it, or run the workload in a namespace no Fargate profile selects",
  ],
  [
    "a Fargate workload binds a host port",
    "Worker 'agent': ports \"http\".hostPort 8080 can't run: FargateProfile 'fargate-batch' (selector \"batch\") runs the pods of namespace \"batch\" on Fargate, and Fargate pods can't bind host ports; remove it, or run the workload in a namespace no Fargate profile selects",
  ],
  [
    "a Fargate workload mounts an EBS volume",
    "StatefulService 'db': volumeClaims [\"data\"] can't run: FargateProfile 'fargate-batch' (selector \"batch\") runs the pods of namespace \"batch\" on Fargate, and Fargate can't mount EBS volumes; remove it, or run the workload in a namespace no Fargate profile selects",
  ],
  [
    "a namespace has policies but the cluster doesn't enforce them",
    'Namespace \'shop\': networkPolicy.defaultDeny true needs NetworkPolicy enforcement, but cluster "test" has none (its vpc-cni network policy agent is off), so the policy would be silently ignored; turn the agent on (the vpc-cni default; or addons: { "vpc-cni": { configurationValues: { enableNetworkPolicy: "true" } } }), or set networkPolicy: { defaultDeny: false } and add no rules',
  ],
  [
    "a namespace weakens Pod Security without a reason",
    'Namespace \'shop\': podSecurity.reason "" is missing: level "baseline" weakens the restricted default; say why the pods need it, e.g. { level: "baseline", reason: "vendor image runs as root" }, or keep "restricted"',
  ],
  [
    "a restricted namespace gets a privileged workload",
    'WebService \'web\': securityContext.privileged true is refused by the "restricted" Pod Security level of namespace "shop": the pods would never be admitted; remove it, or run the workload in a namespace with podSecurity: { level: "privileged", reason: "..." }',
  ],
  [
    "an exposed workload has no load balancer controller",
    "WebService 'web': ingress {} needs a load balancer controller, but this stack registers none, so no load balancer would ever be created; add the AWS Load Balancer Controller (or Auto Mode load balancing) to the workloads stack, or remove the exposure",
  ],
  [
    "a secret key is not an environment variable name",
    "VariableSecret 'db': keys entry \"db-password\" is not an environment variable name; use letters, digits and underscores, not starting with a digit",
  ],
];

/** The cases checked at synth rather than in the constructor. */
const AT_SYNTH = new Set([
  "a Fargate workload is privileged",
  "a Fargate workload uses the host network",
  "a Fargate workload binds a host port",
  "a Fargate workload mounts an EBS volume",
  "an exposed workload has no load balancer controller",
]);

describe("workload validation", () => {
  test("covers every case", () => {
    expect(expected.map(([name]) => name).sort()).toEqual(Object.keys(cases).sort());
  });

  it.each(expected)("throws when %s", (name, message) => {
    let error: unknown;
    try {
      cases[name]();
    } catch (e) {
      error = e;
    }
    if (AT_SYNTH.has(name)) {
      // Checked at synth (it needs every construct of the stack): cdktf reports it with the
      // construct's path, which starts with the stack's name.
      const reported =
        /^Validation failed with the following errors:\n {2}\[([^\]]+)\] ([\s\S]*?)\n\nIf you wish to ignore/.exec(
          (error as Error).message,
        );
      expect(reported?.[1]).toMatch(/^workloads\//);
      expect(reported?.[2]).toBe(message);
    } else {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toBe(message);
    }
  });
});
