import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { WorkloadsStack } from "../../stacks/workloads-stack";
import { Namespace } from "../../constructs/workloads/namespace";
import { ServiceAccountRole } from "../../constructs/eks/service-account-role";
import { WebService } from "../../constructs/workloads/web-service";
import { existingCluster } from "../reuse/fixtures";
import { synthJson } from "../fixtures";
import { resourceOf, valuesOf } from "./fixtures";

const NODE_ROLE = "arn:aws:iam::123456789012:role/legacy-nodes";

/** A workloads stack on a cluster adopted with its documented defaults (no Pod Identity agent known). */
function adopted(controllers: ConstructorParameters<typeof WorkloadsStack>[2]["controllers"] = {}) {
  const app = new App();
  const platform = new TerraformStack(app, "platform");
  new AwsProvider(platform, "aws", { region: "eu-west-1" });
  const cluster = existingCluster(platform, { nodeRoleArns: [NODE_ROLE], networkPolicyEnforcement: "vpc-cni" });
  const stack = new WorkloadsStack(app, "workloads", { cluster, region: "eu-west-1", controllers });
  return { stack, cluster };
}

describe("controllers on an adopted cluster", () => {
  it("use IRSA when Pod Identity isn't available: web identity trust, the role on the service account", () => {
    const { stack } = adopted();
    const json = synthJson(stack);
    expect(json.resource.aws_eks_pod_identity_association).toBeUndefined();
    for (const [part, path] of [
      ["aws-load-balancer-controller", ["serviceAccount", "annotations"]],
      ["cluster-autoscaler", ["rbac", "serviceAccount", "annotations"]],
    ] as const) {
      const role = resourceOf(json, "aws_iam_role", part);
      expect(role.assume_role_policy).toContain("sts:AssumeRoleWithWebIdentity");
      const values = valuesOf(resourceOf(json, "helm_release", part));
      const annotations = path.reduce((o: any, k) => o[k], values);
      expect(annotations).toEqual({
        "eks.amazonaws.com/role-arn": expect.stringMatching(/^\$\{aws_iam_role\.controllers_.*\.arn\}$/),
      });
    }
  });

  it("a cluster that runs its own load balancer controller: nothing installed, Ingresses and NLB Services use it", () => {
    const { stack } = adopted({ loadBalancerController: { existing: { ingressClassName: "alb-legacy" } } });
    const ns = new Namespace(stack, "web", { cluster: stack.cluster, networkPolicy: { defaultDeny: false } });
    new WebService(stack, "web-service", {
      namespace: ns,
      name: "web",
      image: "public.ecr.aws/nginx/nginx-unprivileged:1.27.4-alpine",
      ports: [{ name: "http", port: 8080 }],
      resources: { cpu: "100m", memory: "64Mi" },
      loadBalancer: {},
      ingress: {},
    });
    const json = synthJson(stack, true);
    const charts = Object.values<any>(json.resource.helm_release).map((r) => r.chart);
    expect(charts).toEqual(["cluster-autoscaler", "vertical-pod-autoscaler"]);
    expect(Object.values<any>(json.resource.kubernetes_ingress_v1)[0].spec.ingress_class_name).toBe("alb-legacy");
    const service = Object.values<any>(json.resource.kubernetes_service_v1)[0];
    expect(service.spec.load_balancer_class).toBe("service.k8s.aws/nlb");
    expect(stack.controllers.existingLoadBalancerController).toBeDefined();
  });

  it("throws for pod-identity naming the adopted cluster's attribute, not an add-on", () => {
    const { stack, cluster } = adopted();
    expect(
      () =>
        new ServiceAccountRole(stack, "app", {
          cluster,
          namespace: "app",
          serviceAccount: "app",
          mechanism: "pod-identity",
        }),
    ).toThrow(
      `ServiceAccountRole 'app': mechanism "pod-identity" needs the EKS Pod Identity agent, but adopted cluster "legacy" doesn't declare it (podIdentityAvailable is false, its default), so the pods would get no credentials; use mechanism "irsa" (or leave mechanism out), or set podIdentityAvailable: true in fromClusterAttributes once the cluster runs the eks-pod-identity-agent add-on`,
    );
  });

  it("throws for a default-deny namespace naming networkPolicyEnforcement", () => {
    const app = new App();
    const platform = new TerraformStack(app, "platform");
    new AwsProvider(platform, "aws", { region: "eu-west-1" });
    const cluster = existingCluster(platform, { nodeRoleArns: [NODE_ROLE] });
    const stack = new WorkloadsStack(app, "workloads", { cluster, region: "eu-west-1" });
    expect(() => new Namespace(stack, "web", { cluster })).toThrow(
      `needs NetworkPolicy enforcement, but adopted cluster "legacy" declares none (networkPolicyEnforcement is "none", its default), so the policy would be silently ignored; set networkPolicyEnforcement in fromClusterAttributes to what the cluster runs ("vpc-cni" when its vpc-cni network policy agent is on), or set networkPolicy: { defaultDeny: false } and add no rules`,
    );
  });
});
