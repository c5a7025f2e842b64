import { Testing } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { dev, prod } from "../../config/environments";
import { PolicyChecks } from "../../constructs/policy";
import { estimateCost } from "../../constructs/report";
import { PRICES_AS_OF } from "../../constructs/report/prices";
import { resourceViews } from "../../constructs/policy/resource-view";
import { PlatformStack } from "../../stacks/platform-stack";
import { testStack } from "../fixtures";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { PersistentVolumeClaimV1 } from "@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1";
import { StatefulSetV1 } from "@cdktf/provider-kubernetes/lib/stateful-set-v1";

const estimate = (name: string, config: typeof dev) =>
  estimateCost(config.region, PolicyChecks.evaluate(new PlatformStack(Testing.app(), name, config)).resources);

describe("cost estimate", () => {
  it("dev: pinned against the price table by hand", () => {
    // eu-west-1, 730 h/month (prices.ts, 2026-11-26):
    //   EKS standard          1 × 0.10  × 730          =  73.00
    //   NAT gateway           1 × 0.048 × 730          =  35.04
    //   Elastic IP (IPv4)     1 × 0.005 × 730          =   3.65
    //   general, one group per AZ (2), m6i.large spot: 0.107 × (1 - 0.6) = 0.0428/h;
    //                         desired 1 × 0.0428 × 730 = 31.244 → 31.24 per group
    //   root volumes gp3      1 node × 50 GB × 0.088   =   4.40 per group
    //   KMS keys (secrets, control-plane logs, flow logs) 3 × 1.00 = 3.00
    //   total                                            185.97
    const e = estimate("platform-dev", dev);
    expect(e.pricesAsOf).toBe(PRICES_AS_OF);
    expect(e.lines.map((l) => [l.item, l.monthly])).toEqual([
      ["EKS control plane (standard support)", 73.0],
      ["NAT gateway", 35.04],
      ["Public IPv4 address (Elastic IP)", 3.65],
      ["node-group-general-eu-west-1a: m6i.large spot", 31.24],
      ["node-group-general-eu-west-1a: root volumes (gp3)", 4.4],
      ["node-group-general-eu-west-1b: m6i.large spot", 31.24],
      ["node-group-general-eu-west-1b: root volumes (gp3)", 4.4],
      ["KMS customer-managed key", 3.0],
    ]);
    expect(e.monthlyTotal).toBe(185.97);
  });

  it("prod: pinned against the price table by hand", () => {
    //   EKS standard          1 × 0.10  × 730               =  73.00
    //   NAT gateways          3 × 0.048 × 730               = 105.12
    //   Elastic IPs           3 × 0.005 × 730               =  10.95
    //   interface endpoints   6 services × 3 AZs × 0.011 × 730 = 144.54
    //   system m6i.large on-demand 3 × 0.107 × 730          = 234.33
    //   system root volumes   3 × 50 GB × 0.088             =  13.20
    //   apps, one group per AZ (3), m7g.large spot: 0.0892 × 0.4 = 0.03568 → 0.0357/h;
    //                         1 × 0.0357 × 730 = 26.061 → 26.06 per group
    //   apps root volumes     1 × 80 GB × 0.088 = 7.04 per group
    //   KMS keys              3 × 1.00 (secrets, control-plane logs, flow logs) = 3.00
    //   total                                                 683.44
    const e = estimate("platform-prod", prod);
    expect(e.lines.map((l) => l.monthly)).toEqual([
      73.0, 105.12, 10.95, 144.54, 234.33, 13.2, 26.06, 7.04, 26.06, 7.04, 26.06, 7.04, 3.0,
    ]);
    expect(e.monthlyTotal).toBe(683.44);
    expect(e.unpriced).toEqual([]);
  });

  it("states what it leaves out", () => {
    const e = estimate("platform-dev", dev);
    expect(e.notIncluded.join("; ")).toMatch(
      /data transfer.*NAT gateway data processing.*CloudWatch Logs ingestion.*LCUs/,
    );
  });

  it("refuses a region outside the price table, saying which are supported", () => {
    const e = estimateCost("ap-south-2", []);
    expect(e.supported).toBe(false);
    expect(e.monthlyTotal).toBe(0);
    expect(e.unpriced[0]).toBe(
      "region ap-south-2 is not in the price table (supported: us-east-1, us-west-2, eu-west-1, eu-central-1)",
    );
  });

  it("prices extended support, and PVCs and StatefulSet claim templates as gp3", () => {
    const stack = testStack();
    new KubernetesProvider(stack, "k8s", {});
    new EksCluster(stack, "eks", {
      name: "x",
      roleArn: "arn:aws:iam::123456789012:role/x",
      vpcConfig: { subnetIds: ["subnet-1"] },
      upgradePolicy: { supportType: "EXTENDED" },
    });
    new PersistentVolumeClaimV1(stack, "pvc", {
      metadata: { name: "data", namespace: "x" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } } },
    });
    new StatefulSetV1(stack, "db", {
      metadata: { name: "db", namespace: "x" },
      spec: {
        replicas: "3",
        serviceName: "db",
        selector: { matchLabels: { app: "db" } },
        template: {
          metadata: { labels: { app: "db" } },
          spec: { container: [{ name: "db", image: "postgres:17.2" }] },
        },
        volumeClaimTemplate: [
          {
            metadata: { name: "data" },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } },
          },
        ],
      },
    });
    const e = estimateCost("eu-central-1", resourceViews(stack));
    // extended support 0.60 × 730 = 438.00; PVCs 20 + 3 × 10 = 50 GB × 0.0952 = 4.76
    expect(e.lines.map((l) => [l.item, l.quantity, l.monthly])).toEqual([
      ["EKS control plane (extended support)", 1, 438.0],
      ["Persistent volumes (PVCs, priced as gp3)", 50, 4.76],
    ]);
  });

  it("prices a StatefulService's claims once: its own claim resources, not the StatefulSet's template again", () => {
    const stack = testStack();
    new KubernetesProvider(stack, "k8s", {});
    const sts = (replicas: string) => ({
      metadata: { name: "db", namespace: "x" },
      spec: {
        replicas,
        serviceName: "db",
        selector: { matchLabels: { app: "db" } },
        template: {
          metadata: { labels: { app: "db" } },
          spec: { container: [{ name: "db", image: "postgres:17.2" }] },
        },
        volumeClaimTemplate: [
          {
            metadata: { name: "data" },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } },
          },
        ],
      },
    });
    // Replicas 0 and 1 have claims of their own (data-db-<ordinal>); replica 2 gets the template's.
    for (const i of [0, 1]) {
      new PersistentVolumeClaimV1(stack, `claim-${i}`, {
        metadata: { name: `data-db-${i}`, namespace: "x" },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } },
      });
    }
    new StatefulSetV1(stack, "db", sts("3"));
    const e = estimateCost("eu-central-1", resourceViews(stack));
    expect(e.lines.map((l) => [l.item, l.quantity])).toEqual([["Persistent volumes (PVCs, priced as gp3)", 30]]);
  });

  it("prices a LoadBalancer Service as an NLB and ALB ingresses per group", () => {
    const stack = testStack();
    new KubernetesProvider(stack, "k8s", {});
    new ServiceV1(stack, "lb", {
      metadata: { name: "a", namespace: "x" },
      spec: { type: "LoadBalancer", port: [{ port: 80 }] },
    });
    for (const id of ["i1", "i2"])
      new IngressV1(stack, id, {
        metadata: { name: id, namespace: "x", annotations: { "alb.ingress.kubernetes.io/group.name": "shared" } },
        spec: { ingressClassName: "alb" },
      });
    const e = estimateCost("us-east-1", resourceViews(stack));
    // NLB 1 × 0.0225 × 730 = 16.425 → 16.43; ALB one group × 0.0225 × 730 = 16.43
    expect(e.lines.map((l) => [l.item, l.quantity, l.monthly])).toEqual([
      ["Network Load Balancer (Service type LoadBalancer)", 1, 16.43],
      ["Application Load Balancer (per ingress group)", 1, 16.43],
    ]);
  });
});
