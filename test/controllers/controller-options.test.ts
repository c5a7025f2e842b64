import { TerraformVariable } from "cdktf";
import { ClusterAutoscaler } from "../../constructs/controllers/cluster-autoscaler";
import { ClusterControllers } from "../../constructs/controllers/cluster-controllers";
import { parseGoDuration } from "../../constructs/private/go-duration";
import { controllerStack, resourceOf, synthJson, valuesOf } from "./fixtures";

// Issue 17, class 15: controller options that would be ignored or incomplete are refused, and Go
// duration syntax is accepted wherever a controller takes a duration.

const NODE_ROLE = "arn:aws:iam::123456789012:role/nodes";

describe("Go durations (time.ParseDuration)", () => {
  test.each([
    ["10m", 600],
    ["1h30m", 5400],
    ["1.5h", 5400],
    ["300ms", 0.3],
    ["10m0s", 600],
    [".5s", 0.5],
    ["5.s", 5],
    ["0", 0],
    ["+2m", 120],
    ["-1m", -60],
    ["1h2m3s4ms5us6ns", 3723.004005006],
    ["2\u00b5s", 0.000002],
    ["2\u03bcs", 0.000002],
  ])("%j is %d s", (text, seconds) => {
    expect(parseGoDuration(text)).toBeCloseTo(seconds, 9);
  });

  test.each(["", " 10m", "10m ", "10", "10 m", "1d", "1H", "m", ".s", "1.2.3s", "1e3s", "--1s", "10M", "9999999999h"])(
    "%j is not a duration",
    (text) => {
      expect(parseGoDuration(text)).toBeUndefined();
    },
  );
});

describe("ClusterAutoscaler durations", () => {
  test("accepts Go durations for the scale-down delays and renders them as given", () => {
    const { stack, cluster } = controllerStack();
    new ClusterAutoscaler(stack, "ca", {
      cluster,
      region: "eu-west-1",
      scaleDown: { unneededTime: "1h30m", delayAfterAdd: "1.5h" },
    });
    const args = valuesOf(resourceOf(synthJson(stack), "helm_release", "ca")).extraArgs;
    expect(args["scale-down-unneeded-time"]).toBe("1h30m");
    expect(args["scale-down-delay-after-add"]).toBe("1.5h");
  });

  test.each([
    [
      "unneededTime",
      " 10m0s",
      "is not a Go duration",
      'use numbers with the units h, m, s, ms, us or ns, without spaces, e.g. "10m", "1h30m", "1.5h" or "300ms"',
    ],
    [
      "delayAfterAdd",
      "1d",
      "is not a Go duration",
      'use numbers with the units h, m, s, ms, us or ns, without spaces, e.g. "10m", "1h30m", "1.5h" or "300ms"',
    ],
    ["delayAfterAdd", "-5m", "is negative", 'use a length of time, e.g. "10m"'],
  ])("throws when scaleDown.%s is %j", (field, value, problem, fix) => {
    const { stack, cluster } = controllerStack();
    expect(
      () => new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1", scaleDown: { [field]: value } }),
    ).toThrow(`ClusterAutoscaler 'ca': scaleDown.${field} "${value}" ${problem}; ${fix}`);
  });

  test("accepts a duration only known at apply", () => {
    const { stack, cluster } = controllerStack();
    const unneededTime = new TerraformVariable(stack, "unneeded", { type: "string" }).stringValue;
    expect(
      () => new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1", scaleDown: { unneededTime } }),
    ).not.toThrow();
  });
});

describe("ClusterAutoscaler expander options", () => {
  test("throws for the priority expander without priorities", () => {
    const { stack, cluster } = controllerStack();
    expect(() => new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1", expander: "priority" })).toThrow(
      `ClusterAutoscaler 'ca': expander "priority" needs priorities, but expanderPriorities is not set, so the chart creates no cluster-autoscaler-priority-expander ConfigMap and the expander has nothing to rank node groups by; give expanderPriorities, e.g. { 10: [".*spot.*"], 1: [".*"] }, or use "least-waste"`,
    );
  });

  test("throws for priorities with another expander (ignored)", () => {
    const { stack, cluster } = controllerStack();
    expect(
      () => new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1", expanderPriorities: { 10: [".*"] } }),
    ).toThrow(
      `ClusterAutoscaler 'ca': expanderPriorities {"10":[".*"]} is only read by the "priority" expander, and expander is "least-waste", so it would be ignored; set expander: "priority", or remove expanderPriorities`,
    );
  });

  test("throws for an empty priority list, and for priorities given twice", () => {
    const { stack, cluster } = controllerStack();
    expect(
      () =>
        new ClusterAutoscaler(stack, "a", {
          cluster,
          region: "eu-west-1",
          expander: "priority",
          expanderPriorities: { 10: [] },
        }),
    ).toThrow(
      `ClusterAutoscaler 'a': expanderPriorities[10] [] lists no node group pattern; give at least one regular expression matching node group names, e.g. [".*spot.*"]`,
    );
    expect(
      () =>
        new ClusterAutoscaler(stack, "b", {
          cluster,
          region: "eu-west-1",
          expander: "priority",
          expanderPriorities: { 10: [".*"] },
          values: { expanderPriorities: { 5: [".*"] } },
        }),
    ).toThrow(
      `ClusterAutoscaler 'b': values.expanderPriorities {"5":[".*"]} is given twice (also as expanderPriorities); give the priorities once, as expanderPriorities`,
    );
  });

  test("throws for the price expander: the AWS provider has no pricing model", () => {
    const { stack, cluster } = controllerStack();
    expect(() => new ClusterAutoscaler(stack, "ca", { cluster, region: "eu-west-1", expander: "price" })).toThrow(
      `ClusterAutoscaler 'ca': expander "price" needs a pricing model, and the autoscaler's AWS provider has none (it doesn't start with this expander); use "least-waste" (the default), or "priority" with expanderPriorities to prefer cheaper node groups`,
    );
  });

  test("priorities through values, and priorities only known at apply, are accepted", () => {
    const { stack, cluster } = controllerStack();
    new ClusterAutoscaler(stack, "a", {
      cluster,
      region: "eu-west-1",
      expander: "priority",
      values: { expanderPriorities: "10:\n  - .*spot.*\n" },
    });
    const priorities = new TerraformVariable(stack, "p", { type: "map(list(string))" });
    expect(
      () =>
        new ClusterAutoscaler(stack, "b", {
          cluster,
          region: "eu-west-1",
          expander: "priority",
          expanderPriorities: priorities.value,
        }),
    ).not.toThrow();
  });
});

describe("ClusterControllers: options for a controller the cluster doesn't get", () => {
  test("throws for autoModeLoadBalancing on a managed cluster", () => {
    const { stack, cluster } = controllerStack({ nodeRoleArns: [NODE_ROLE] });
    expect(
      () =>
        new ClusterControllers(stack, "controllers", {
          cluster,
          region: "eu-west-1",
          autoModeLoadBalancing: { scheme: "internet-facing" },
        }),
    ).toThrow(
      `ClusterControllers 'controllers': autoModeLoadBalancing {"scheme":"internet-facing"} is ignored: cluster "test" is not in EKS Auto Mode (computeMode "managed"), so the AWS Load Balancer Controller serves its Ingresses; remove autoModeLoadBalancing; configure the controller with loadBalancerController`,
    );
  });

  test("throws for loadBalancerController and clusterAutoscaler options on an Auto Mode cluster", () => {
    const { stack, cluster } = controllerStack({ computeMode: "auto" });
    expect(
      () =>
        new ClusterControllers(stack, "a", { cluster, region: "eu-west-1", loadBalancerController: { replicas: 3 } }),
    ).toThrow(
      `ClusterControllers 'a': loadBalancerController {"replicas":3} is ignored: cluster "test" is in EKS Auto Mode, whose built-in load balancing serves its Ingresses and NLB Services; remove loadBalancerController; configure Auto Mode's IngressClass with autoModeLoadBalancing`,
    );
    expect(
      () => new ClusterControllers(stack, "b", { cluster, region: "eu-west-1", clusterAutoscaler: { replicas: 1 } }),
    ).toThrow(
      `ClusterControllers 'b': clusterAutoscaler {"replicas":1} is ignored: cluster "test" is in EKS Auto Mode, which scales its nodes itself; remove clusterAutoscaler (Auto Mode's node pools scale the cluster)`,
    );
  });

  test("throws for clusterAutoscaler options on a cluster with Fargate only", () => {
    const { stack, cluster } = controllerStack();
    expect(
      () => new ClusterControllers(stack, "controllers", { cluster, region: "eu-west-1", clusterAutoscaler: {} }),
    ).toThrow(
      `ClusterControllers 'controllers': clusterAutoscaler {} is ignored: cluster "test" has no node groups (Fargate scales per pod), so there is nothing for the autoscaler to scale; remove clusterAutoscaler, or add a node group to the cluster`,
    );
  });

  test("options that apply, and `false` for what the cluster doesn't get, are accepted", () => {
    const managed = controllerStack({ nodeRoleArns: [NODE_ROLE] });
    expect(
      () =>
        new ClusterControllers(managed.stack, "controllers", {
          cluster: managed.cluster,
          region: "eu-west-1",
          loadBalancerController: { replicas: 3 },
          clusterAutoscaler: { expander: "random" },
        }),
    ).not.toThrow();
    const auto = controllerStack({ computeMode: "auto" });
    expect(
      () =>
        new ClusterControllers(auto.stack, "controllers", {
          cluster: auto.cluster,
          region: "eu-west-1",
          autoModeLoadBalancing: { scheme: "internal" },
          clusterAutoscaler: false,
        }),
    ).not.toThrow();
    const fargate = controllerStack();
    expect(
      () =>
        new ClusterControllers(fargate.stack, "controllers", {
          cluster: fargate.cluster,
          region: "eu-west-1",
          clusterAutoscaler: false,
        }),
    ).not.toThrow();
  });
});
