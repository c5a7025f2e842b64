import {
  AwsLoadBalancerController,
  ALB_CONTROLLER_CHART,
} from "../../constructs/controllers/aws-load-balancer-controller";
import { ALB_CONTROLLER_IAM_POLICY } from "../../constructs/controllers/alb-controller-iam-policy";
import { INLINE_POLICY_MAX_CHARS } from "../../constructs/eks/service-account-role";
import { loadBalancingOf } from "../../constructs/workloads/load-balancing";
import { controllerStack, resourceOf, synthJson, valuesOf } from "./fixtures";

const SYSTEM = {
  nodeSelector: { "platform.example.com/pool": "system" },
  tolerations: [{ key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" as const }],
};

describe("AwsLoadBalancerController", () => {
  it("defaults: pinned chart, cluster name, region, VPC id, its own service account, 2 replicas with a PDB", () => {
    const { stack, cluster } = controllerStack();
    const lbc = new AwsLoadBalancerController(stack, "lbc", { cluster, region: "eu-west-1" });
    const json = synthJson(stack);
    const release = resourceOf(json, "helm_release", "lbc");
    expect(release).toMatchObject({
      name: "aws-load-balancer-controller",
      namespace: "kube-system",
      repository: "https://aws.github.io/eks-charts",
      chart: "aws-load-balancer-controller",
      version: "1.14.1",
      atomic: true,
    });
    expect(ALB_CONTROLLER_CHART).toMatchObject({ version: "1.14.1", appVersion: "v2.14.1" });
    expect(valuesOf(release)).toEqual({
      clusterName: "test",
      region: "eu-west-1",
      vpcId: expect.stringMatching(/^\$\{aws_vpc\.network_vpc_\w+\.id\}$/),
      serviceAccount: { create: true, name: "aws-load-balancer-controller" },
      // Our Services always set loadBalancerClass: the Service mutator (failurePolicy Fail) is off.
      enableServiceMutatorWebhook: false,
      // The readiness gate webhook refuses pods while it can't answer, rather than admit them ungated.
      podMutatorWebhookConfig: { failurePolicy: "Fail" },
      replicaCount: 2,
      podDisruptionBudget: { maxUnavailable: 1 },
      priorityClassName: "system-cluster-critical",
      nodeSelector: {},
      tolerations: [],
    });
    expect(lbc.albIngressClassName).toBe("alb");
    expect(lbc.nlbLoadBalancerClass).toBe("service.k8s.aws/nlb");
    expect(lbc.podReadinessGates).toBe(true);
  });

  it("binds the published IAM policy to kube-system/aws-load-balancer-controller through Pod Identity", () => {
    const { stack, cluster } = controllerStack();
    new AwsLoadBalancerController(stack, "lbc", { cluster, region: "eu-west-1" });
    const json = synthJson(stack);
    expect(resourceOf(json, "aws_eks_pod_identity_association", "lbc")).toMatchObject({
      cluster_name: "test",
      namespace: "kube-system",
      service_account: "aws-load-balancer-controller",
    });
    const policy = resourceOf(json, "aws_iam_role_policy", "lbc");
    expect(JSON.parse(policy.policy)).toEqual(ALB_CONTROLLER_IAM_POLICY);
    expect(JSON.parse(resourceOf(json, "aws_iam_role", "lbc").assume_role_policy).Statement[0]).toEqual({
      Effect: "Allow",
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
      // Pod Identity's session tags: this cluster, namespace and service account only.
      Condition: {
        StringEquals: {
          "aws:RequestTag/eks-cluster-arn": "arn:aws:eks:eu-west-1:123456789012:cluster/test",
          "aws:RequestTag/kubernetes-namespace": "kube-system",
          "aws:RequestTag/kubernetes-service-account": "aws-load-balancer-controller",
        },
      },
    });
  });

  it("the release waits for the role's policy and association (and outlives them on destroy)", () => {
    const { stack, cluster } = controllerStack();
    new AwsLoadBalancerController(stack, "lbc", { cluster, region: "eu-west-1" });
    const deps: string[] = resourceOf(synthJson(stack), "helm_release", "lbc").depends_on;
    expect(deps.some((d) => d.startsWith("aws_iam_role_policy.lbc_role_policy"))).toBe(true);
    expect(deps.some((d) => d.startsWith("aws_eks_pod_identity_association.lbc_role_pod-identity"))).toBe(true);
  });

  it('the published policy names its actions (no "*"), uses only the commercial partition and fits an inline policy', () => {
    const actions = ALB_CONTROLLER_IAM_POLICY.Statement.flatMap((s) =>
      typeof s.Action === "string" ? [s.Action] : s.Action,
    );
    expect(actions.length).toBeGreaterThan(60);
    expect(actions.filter((a) => a.includes("*"))).toEqual([]);
    expect(JSON.stringify(ALB_CONTROLLER_IAM_POLICY)).not.toMatch(/arn:aws-/);
    expect(JSON.stringify(ALB_CONTROLLER_IAM_POLICY).length).toBeLessThan(INLINE_POLICY_MAX_CHARS);
  });

  it("runs on the cluster's system nodes, read at synth", () => {
    const { stack, cluster } = controllerStack();
    new AwsLoadBalancerController(stack, "lbc", { cluster, region: "eu-west-1" });
    Object.assign(cluster, { systemNodePlacement: SYSTEM }); // e.g. a system node group added afterwards
    const values = valuesOf(resourceOf(synthJson(stack), "helm_release", "lbc"));
    expect(values.nodeSelector).toEqual({ "platform.example.com/pool": "system" });
    expect(values.tolerations).toEqual([
      { key: "CriticalAddonsOnly", operator: "Equal", value: "true", effect: "NoSchedule" },
    ]);
  });

  it("is the stack's load balancing, and Ingresses depend on its release", () => {
    const { stack, cluster } = controllerStack();
    const lbc = new AwsLoadBalancerController(stack, "lbc", { cluster, region: "eu-west-1" });
    expect(loadBalancingOf(stack)).toBe(lbc);
    expect(lbc.dependables).toEqual([lbc.release]);
  });

  it("takes chartVersion, replicas and extra values", () => {
    const { stack, cluster } = controllerStack();
    new AwsLoadBalancerController(stack, "lbc", {
      cluster,
      region: "eu-west-1",
      chartVersion: "1.14.0",
      replicas: 3,
      values: { enableServiceMutatorWebhook: false },
    });
    const release = resourceOf(synthJson(stack), "helm_release", "lbc");
    expect(release.version).toBe("1.14.0");
    expect(valuesOf(release)).toMatchObject({ replicaCount: 3, enableServiceMutatorWebhook: false });
  });

  it("with the Service mutator turned back on, every Service and chart of the stack waits for the release", () => {
    const { stack, cluster } = controllerStack({ nodeRoleArns: ["arn:aws:iam::123456789012:role/nodes"] });
    const { ServiceV1 } = jest.requireActual("@cdktf/provider-kubernetes/lib/service-v1");
    const { ClusterAutoscaler } = jest.requireActual("../../constructs/controllers/cluster-autoscaler");
    const lbc = new AwsLoadBalancerController(stack, "lbc", {
      cluster,
      region: "eu-west-1",
      values: { enableServiceMutatorWebhook: true },
    });
    new ServiceV1(stack, "svc", { metadata: { name: "s" }, spec: { port: [{ port: 80 }] } });
    new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1" });
    const json = synthJson(stack);
    expect(lbc.serviceWebhook).toBe(true);
    expect(valuesOf(resourceOf(json, "helm_release", "lbc")).enableServiceMutatorWebhook).toBe(true);
    const entry =
      "helm_release.lbc_release_" +
      Object.keys(json.resource.helm_release)
        .find((k) => k.startsWith("lbc_"))!
        .slice("lbc_release_".length);
    expect(json.resource.kubernetes_service_v1.svc.depends_on).toEqual([entry]);
    expect(resourceOf(json, "helm_release", "ca").depends_on).toContain(entry);
    expect(resourceOf(json, "helm_release", "lbc").depends_on).not.toContain(entry);
  });

  it("without it, Services don't wait for the release", () => {
    const { stack, cluster } = controllerStack();
    const { ServiceV1 } = jest.requireActual("@cdktf/provider-kubernetes/lib/service-v1");
    new AwsLoadBalancerController(stack, "lbc", { cluster, region: "eu-west-1" });
    new ServiceV1(stack, "svc", { metadata: { name: "s" }, spec: { port: [{ port: 80 }] } });
    expect(synthJson(stack).resource.kubernetes_service_v1.svc.depends_on).toBeUndefined();
  });

  it("throws when chartVersion is a range", () => {
    const { stack, cluster } = controllerStack();
    expect(
      () => new AwsLoadBalancerController(stack, "lbc", { cluster, region: "eu-west-1", chartVersion: "~1.14" }),
    ).toThrow(
      `AwsLoadBalancerController 'lbc': chartVersion "~1.14" is not an exact chart version; pin one release as MAJOR.MINOR.PATCH, e.g. "1.14.1" (no ranges, no "v" prefix, no "latest")`,
    );
  });

  it("throws when replicas is 0", () => {
    const { stack, cluster } = controllerStack();
    expect(() => new AwsLoadBalancerController(stack, "lbc", { cluster, region: "eu-west-1", replicas: 0 })).toThrow(
      "AwsLoadBalancerController 'lbc': replicas 0 is out of range; use a whole number from 1 to 10",
    );
  });

  it("throws when the cluster is in Auto Mode", () => {
    const { stack, cluster } = controllerStack({ computeMode: "auto" });
    expect(() => new AwsLoadBalancerController(stack, "lbc", { cluster, region: "eu-west-1" })).toThrow(
      `AwsLoadBalancerController 'lbc': cluster.computeMode "auto" means EKS Auto Mode runs load balancing itself; a second controller on cluster "test" would fight it over the same Ingresses; use AutoModeLoadBalancing (or ClusterControllers, which chooses by compute mode)`,
    );
  });

  it("throws when the cluster is outside the commercial partition and no policy is given", () => {
    const { stack, cluster } = controllerStack({ partition: "aws-cn" });
    expect(() => new AwsLoadBalancerController(stack, "lbc", { cluster, region: "cn-north-1" })).toThrow(
      `AwsLoadBalancerController 'lbc': policyDocument undefined defaults to the commercial-partition policy, but cluster "test" is in partition "aws-cn"; pass the controller's policy for that partition (iam_policy_cn.json or iam_policy_us-gov.json of the same release)`,
    );
  });

  it("throws when a second load balancing is added to the stack", () => {
    const { stack, cluster } = controllerStack();
    new AwsLoadBalancerController(stack, "lbc", { cluster, region: "eu-west-1" });
    expect(() => new AwsLoadBalancerController(stack, "lbc2", { cluster, region: "eu-west-1" })).toThrow(
      `Stack 'workloads': load balancing "workloads/lbc2" is a second controller: the stack already has workloads/lbc; a cluster gets one: keep one of them (on a cluster that runs its own, use ExistingLoadBalancerController)`,
    );
  });
});
