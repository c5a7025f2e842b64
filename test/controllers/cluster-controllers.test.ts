import { ClusterControllers } from "../../constructs/controllers/cluster-controllers";
import {
  ExistingVerticalPodAutoscaler,
  VerticalPodAutoscalerController,
} from "../../constructs/controllers/vertical-pod-autoscaler";
import { controllerStack, synthJson } from "./fixtures";

const NODE_ROLE = "arn:aws:iam::123456789012:role/nodes";
/** Resources the controllers created (the fixture's network has its own), by type. */
const typesOf = (json: any) =>
  Object.fromEntries(
    Object.entries<any>(json.resource)
      .map(([type, byId]): [string, number] => [
        type,
        Object.keys(byId).filter((id) => id.startsWith("controllers_")).length,
      ])
      .filter(([, n]) => n > 0),
  );

describe("ClusterControllers", () => {
  it("managed with node groups: the load balancer controller, the autoscaler and VPA", () => {
    const { stack, cluster } = controllerStack({ nodeRoleArns: [NODE_ROLE] });
    const c = new ClusterControllers(stack, "controllers", { cluster, region: "eu-west-1" });
    expect(c.loadBalancerController).toBeDefined();
    expect(c.clusterAutoscaler).toBeDefined();
    expect(c.loadBalancing).toBe(c.loadBalancerController);
    expect(c.autoModeLoadBalancing).toBeUndefined();
    expect(c.verticalPodAutoscaler).toBeInstanceOf(VerticalPodAutoscalerController);
    // No IAM for VPA: two roles, the load balancer controller's and the autoscaler's.
    expect(typesOf(synthJson(stack))).toEqual({
      helm_release: 3,
      aws_iam_role: 2,
      aws_iam_role_policy: 2,
      aws_eks_pod_identity_association: 2,
    });
  });

  it("managed with Fargate only: no autoscaler (nothing to scale)", () => {
    const { stack, cluster } = controllerStack();
    const c = new ClusterControllers(stack, "controllers", { cluster, region: "eu-west-1" });
    expect(c.loadBalancerController).toBeDefined();
    expect(c.clusterAutoscaler).toBeUndefined();
  });

  it("each managed controller can be left out", () => {
    const { stack, cluster } = controllerStack({ nodeRoleArns: [NODE_ROLE] });
    const c = new ClusterControllers(stack, "controllers", {
      cluster,
      region: "eu-west-1",
      loadBalancerController: false,
      clusterAutoscaler: false,
      verticalPodAutoscaler: false,
    });
    expect(c.loadBalancing).toBeUndefined();
    expect(c.verticalPodAutoscaler).toBeUndefined();
    expect(c.clusterAutoscaler).toBeUndefined();
    expect(synthJson(stack).resource.helm_release).toBeUndefined();
  });

  it("Auto Mode: neither controller; the IngressClass, its params, the network policy ConfigMap and VPA", () => {
    const { stack, cluster } = controllerStack({
      computeMode: "auto",
      networkPolicyEnforcement: "auto-mode",
      nodeRoleArns: [NODE_ROLE],
    });
    const c = new ClusterControllers(stack, "controllers", { cluster, region: "eu-west-1" });
    expect(c.loadBalancerController).toBeUndefined();
    expect(c.clusterAutoscaler).toBeUndefined();
    expect(c.loadBalancing).toBe(c.autoModeLoadBalancing);
    const json = synthJson(stack);
    // No IAM: Auto Mode's load balancing runs with the cluster role.
    expect(c.verticalPodAutoscaler).toBeInstanceOf(VerticalPodAutoscalerController);
    expect(Object.values<any>(json.resource.helm_release).map((r) => r.chart)).toEqual([
      expect.stringMatching(/^assets\/controllers_auto-mode-load-balancing_chart_/),
      "vertical-pod-autoscaler",
    ]);
    expect(typesOf(json)).toEqual({
      helm_release: 2,
      kubernetes_ingress_class_v1: 1,
      kubernetes_config_map_v1: 1,
    });
  });

  it("Auto Mode without Auto Mode policy enforcement: no ConfigMap", () => {
    const { stack, cluster } = controllerStack({ computeMode: "auto", networkPolicyEnforcement: "none" });
    const c = new ClusterControllers(stack, "controllers", { cluster, region: "eu-west-1" });
    expect(c.autoModeNetworkPolicy).toBeUndefined();
    expect(synthJson(stack).resource.kubernetes_config_map_v1).toBeUndefined();
  });
});

describe("ClusterControllers: the Vertical Pod Autoscaler", () => {
  it("managed with Fargate only: not installed by default (nowhere to run it), installed when asked", () => {
    const a = controllerStack();
    expect(
      new ClusterControllers(a.stack, "controllers", { cluster: a.cluster, region: "eu-west-1" }).verticalPodAutoscaler,
    ).toBeUndefined();
    const b = controllerStack();
    const c = new ClusterControllers(b.stack, "controllers", {
      cluster: b.cluster,
      region: "eu-west-1",
      verticalPodAutoscaler: {},
    });
    expect(c.verticalPodAutoscaler).toBeInstanceOf(VerticalPodAutoscalerController);
  });

  it("existing: nothing installed, the cluster's VPA serves VPA objects", () => {
    const { stack, cluster } = controllerStack({ nodeRoleArns: [NODE_ROLE] });
    const c = new ClusterControllers(stack, "controllers", {
      cluster,
      region: "eu-west-1",
      loadBalancerController: false,
      clusterAutoscaler: false,
      verticalPodAutoscaler: { existing: { vpaVersion: "1.6.0" } },
    });
    expect(c.verticalPodAutoscaler).toBeInstanceOf(ExistingVerticalPodAutoscaler);
    expect(c.verticalPodAutoscaler!.vpaVersion).toBe("1.6.0");
    expect(synthJson(stack).resource.helm_release).toBeUndefined();
  });
});
