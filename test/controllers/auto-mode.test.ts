import * as fs from "node:fs";
import * as path from "node:path";
import {
  AutoModeLoadBalancing,
  INGRESS_CLASS_PARAMS_CHART_DIR,
} from "../../constructs/controllers/auto-mode-load-balancing";
import { AutoModeNetworkPolicy } from "../../constructs/controllers/auto-mode-network-policy";
import { loadBalancingOf } from "../../constructs/workloads/load-balancing";
import { controllerStack, resourceOf, synthJson, valuesOf } from "./fixtures";

describe("AutoModeLoadBalancing", () => {
  it("defaults: IngressClass alb for eks.amazonaws.com/alb, pointing at IngressClassParams alb from the local chart", () => {
    const { stack, cluster } = controllerStack({ computeMode: "auto" });
    const lb = new AutoModeLoadBalancing(stack, "lb", { cluster });
    const json = synthJson(stack);
    const ingressClass = resourceOf(json, "kubernetes_ingress_class_v1", "lb");
    expect(ingressClass.metadata).toEqual({ name: "alb" });
    expect(ingressClass.spec).toEqual({
      controller: "eks.amazonaws.com/alb",
      parameters: [{ api_group: "eks.amazonaws.com", kind: "IngressClassParams", name: "alb" }],
    });
    const params = resourceOf(json, "helm_release", "lb");
    expect(params.chart).toMatch(/^assets\/lb_chart_\w+\/[0-9A-F]+$/);
    expect(params.repository).toBeUndefined();
    expect(params.namespace).toBe("kube-system");
    expect(valuesOf(params)).toEqual({ name: "alb", spec: {} });
    expect(ingressClass.depends_on).toEqual([expect.stringMatching(/^helm_release\.lb_params_/)]);
    expect(lb.nlbLoadBalancerClass).toBe("eks.amazonaws.com/nlb");
    expect(loadBalancingOf(stack)).toBe(lb);
    expect(lb.dependables).toEqual([lb.ingressClass, lb.paramsRelease]);
  });

  it("can be the cluster's default IngressClass", () => {
    const { stack, cluster } = controllerStack({ computeMode: "auto" });
    new AutoModeLoadBalancing(stack, "lb", { cluster, defaultClass: true });
    const r = resourceOf(synthJson(stack), "kubernetes_ingress_class_v1", "lb");
    expect(r.metadata.annotations).toEqual({ "ingressclass.kubernetes.io/is-default-class": "true" });
  });

  it("the shipped chart renders one eks.amazonaws.com/v1 IngressClassParams named from the values", () => {
    const template = fs.readFileSync(
      path.join(INGRESS_CLASS_PARAMS_CHART_DIR, "templates", "ingressclassparams.yaml"),
      "utf8",
    );
    expect(template).toMatch(/^apiVersion: eks\.amazonaws\.com\/v1\nkind: IngressClassParams\n/);
    expect(template).toContain("name: {{ required");
    expect(fs.readFileSync(path.join(INGRESS_CLASS_PARAMS_CHART_DIR, "Chart.yaml"), "utf8")).toMatch(
      /^apiVersion: v2\n/,
    );
  });

  it("pins the params release to the shipped chart's version (policy rule HELM1; the helm provider reads the same)", () => {
    const { stack, cluster } = controllerStack({ computeMode: "auto" });
    new AutoModeLoadBalancing(stack, "lb", { cluster });
    const chartYaml = fs.readFileSync(path.join(INGRESS_CLASS_PARAMS_CHART_DIR, "Chart.yaml"), "utf8");
    expect(resourceOf(synthJson(stack), "helm_release", "lb").version).toBe(/^version: (\S+)$/m.exec(chartYaml)![1]);
  });

  it("sets the scheme of every ALB of the class when asked", () => {
    const { stack, cluster } = controllerStack({ computeMode: "auto" });
    new AutoModeLoadBalancing(stack, "lb", { cluster, scheme: "internet-facing", ingressClassName: "public-alb" });
    const json = synthJson(stack);
    expect(valuesOf(resourceOf(json, "helm_release", "lb"))).toEqual({
      name: "public-alb",
      spec: { scheme: "internet-facing" },
    });
    expect(resourceOf(json, "kubernetes_ingress_class_v1", "lb").spec.parameters[0].name).toBe("public-alb");
  });

  it("throws when the cluster is not in Auto Mode", () => {
    const { stack, cluster } = controllerStack();
    expect(() => new AutoModeLoadBalancing(stack, "lb", { cluster })).toThrow(
      `AutoModeLoadBalancing 'lb': cluster.computeMode "managed" has no built-in load balancing: cluster "test" is not in EKS Auto Mode, so Ingresses of this class would never get an ALB; use AwsLoadBalancerController (or ClusterControllers, which chooses by compute mode)`,
    );
  });

  it("throws when ingressClassName is not a DNS-1123 subdomain", () => {
    const { stack, cluster } = controllerStack({ computeMode: "auto" });
    expect(() => new AutoModeLoadBalancing(stack, "lb", { cluster, ingressClassName: "ALB_Public" })).toThrow(
      `AutoModeLoadBalancing 'lb': ingressClassName "ALB_Public" is not a DNS-1123 subdomain`,
    );
  });

  it("throws when scheme is unknown", () => {
    const { stack, cluster } = controllerStack({ computeMode: "auto" });
    expect(() => new AutoModeLoadBalancing(stack, "lb", { cluster, scheme: "public" as any })).toThrow(
      `AutoModeLoadBalancing 'lb': scheme "public" is not a load balancer scheme; use "internal" or "internet-facing"`,
    );
  });
});

describe("AutoModeNetworkPolicy", () => {
  it("creates kube-system/amazon-vpc-cni with enable-network-policy-controller true", () => {
    const { stack, cluster } = controllerStack({ computeMode: "auto", networkPolicyEnforcement: "auto-mode" });
    new AutoModeNetworkPolicy(stack, "np", { cluster });
    const cm = resourceOf(synthJson(stack), "kubernetes_config_map_v1", "np");
    expect(cm.metadata).toEqual({ name: "amazon-vpc-cni", namespace: "kube-system" });
    expect(cm.data).toEqual({ "enable-network-policy-controller": "true" });
  });

  it("throws when the cluster is not in Auto Mode", () => {
    const { stack, cluster } = controllerStack();
    expect(() => new AutoModeNetworkPolicy(stack, "np", { cluster })).toThrow(
      `AutoModeNetworkPolicy 'np': cluster.computeMode "managed" is not Auto Mode`,
    );
  });
});
