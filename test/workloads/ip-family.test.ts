import { AutoModeLoadBalancing } from "../../constructs/controllers/auto-mode-load-balancing";
import { IpFamily } from "../../constructs/eks/ip-family";
import { Namespace, Peer, WebService } from "../../constructs/workloads";
import { controllerStack, resourceOf, synthJson, valuesOf } from "../controllers/fixtures";
import { FakeLoadBalancing, IMAGE, RESOURCES, synthWith, testCluster, workloadStack } from "./fixtures";

/** A default-deny namespace with an exposed WebService that has AWS access through Pod Identity. */
function system(cluster: { ipFamily?: IpFamily; ipv6Network?: boolean }) {
  const stack = workloadStack();
  const c = testCluster(stack, cluster);
  const ns = new Namespace(stack, "shop", { cluster: c });
  const web = new WebService(stack, "web", {
    namespace: ns,
    image: IMAGE,
    resources: RESOURCES,
    ports: [{ name: "http", port: 8080 }],
    ingress: { groupName: "shop" },
    loadBalancer: {},
    awsAccess: { policyStatements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::assets/*"] }] },
  });
  new FakeLoadBalancing(stack, "lb");
  const json = synthWith(stack);
  const policies = Object.fromEntries(
    Object.values(json.resource.kubernetes_network_policy_v1).map((p: any) => [p.metadata.name, p.spec]),
  );
  const cidrsOf = (name: string): string[] =>
    [
      ...(policies[name].ingress ?? []).flatMap((r: any) => r.from),
      ...(policies[name].egress ?? []).flatMap((r: any) => r.to),
    ].map((peer: any) => peer.ip_block.cidr);
  const ingress = Object.values(json.resource.kubernetes_ingress_v1)[0] as any;
  const service = Object.values(json.resource.kubernetes_service_v1)[0] as any;
  return { web, cidrsOf, ingress, service };
}

describe("IPv6 clusters", () => {
  const { web, cidrsOf, ingress, service } = system({ ipFamily: "ipv6", ipv6Network: true });

  test("NetworkPolicy CIDRs are IPv6: EKS ignores IPv4 rules there", () => {
    expect(cidrsOf("web-to-aws-apis")).toEqual(["::/0"]);
    expect(cidrsOf("web-to-pod-identity")).toEqual(["fd00:ec2::23/128"]);
    expect(cidrsOf("web-from-vpc")).toEqual([
      expect.stringMatching(/^\$\{aws_vpc\.network_vpc_\w+\.ipv6_cidr_block\}$/),
    ]);
  });

  test("the ALB Ingress and the NLB are dual-stack: the controller refuses IPv6 targets otherwise", () => {
    expect(web.ipAddressType).toBe("dualstack");
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/ip-address-type"]).toBe("dualstack");
    expect(service.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-ip-address-type"]).toBe(
      "dualstack",
    );
  });
});

describe("IPv4 clusters", () => {
  const { web, cidrsOf, ingress, service } = system({ ipFamily: "ipv4", ipv6Network: true });

  test("NetworkPolicy CIDRs are IPv4 only, even on a dual-stack network", () => {
    expect(cidrsOf("web-to-aws-apis")).toEqual(["0.0.0.0/0"]);
    expect(cidrsOf("web-to-pod-identity")).toEqual(["169.254.170.23/32"]);
    expect(cidrsOf("web-from-vpc")).toEqual(["10.0.0.0/16"]);
  });

  test("load balancers stay IPv4 (no annotation)", () => {
    expect(web.ipAddressType).toBe("ipv4");
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/ip-address-type"]).toBeUndefined();
    expect(
      service.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-ip-address-type"],
    ).toBeUndefined();
  });
});

describe("a cluster whose IP family is unknown at synth", () => {
  test("on a dual-stack network: rules for both families (the other one is ignored), dual-stack load balancers", () => {
    const { web, cidrsOf } = system({ ipv6Network: true });
    expect(cidrsOf("web-to-aws-apis")).toEqual(["0.0.0.0/0", "::/0"]);
    expect(cidrsOf("web-to-pod-identity")).toEqual(["169.254.170.23/32", "fd00:ec2::23/128"]);
    expect(cidrsOf("web-from-vpc")).toEqual(["10.0.0.0/16", expect.stringMatching(/ipv6_cidr_block/)]);
    expect(web.ipAddressType).toBe("dualstack");
  });

  test("on an IPv4-only network: the cluster can only be IPv4", () => {
    const { web, cidrsOf } = system({});
    expect(cidrsOf("web-to-aws-apis")).toEqual(["0.0.0.0/0"]);
    expect(cidrsOf("web-to-pod-identity")).toEqual(["169.254.170.23/32"]);
    expect(web.ipAddressType).toBe("ipv4");
  });
});

describe("Peer.cidr", () => {
  const ns = () =>
    new Namespace(workloadStack(), "shop", {
      cluster: testCluster(workloadStack(), { ipFamily: "ipv6", ipv6Network: true }),
    });

  test("accepts an IPv6 range", () => {
    expect(() => ns().allowEgress({ name: "db", peers: [Peer.cidr("2600:1f18:abcd::/56")] })).not.toThrow();
  });

  test("throws when an IPv6 range is malformed", () => {
    expect(() => ns().allowEgress({ name: "db", peers: [Peer.cidr("2600:1f18::abcd::/56")] })).toThrow(
      'Namespace \'shop\': networkPolicy.egress rule "db".peers[0].cidr "2600:1f18::abcd::/56" is not an IPv6 CIDR (address/n); use an IPv4 CIDR such as "10.0.0.0/16" or an IPv6 CIDR such as "fd00::/8"',
    );
  });

  test("throws when an IPv6 prefix is above 128", () => {
    expect(() => ns().allowEgress({ name: "db", peers: [Peer.cidr("fd00::/129")] })).toThrow(
      'Namespace \'shop\': networkPolicy.egress rule "db".peers[0].cidr "fd00::/129" has a prefix length above 128; use an IPv4 CIDR such as "10.0.0.0/16" or an IPv6 CIDR such as "fd00::/8"',
    );
  });
});

describe("Auto Mode load balancing on an IPv6 cluster", () => {
  test("the IngressClassParams makes every ALB of the class dual-stack", () => {
    const { stack, cluster } = controllerStack({ computeMode: "auto" });
    Object.defineProperty(cluster, "ipFamily", { value: "ipv6" });
    new AutoModeLoadBalancing(stack, "lb", { cluster, scheme: "internal" });
    expect(valuesOf(resourceOf(synthJson(stack), "helm_release", "lb"))).toEqual({
      name: "alb",
      spec: { scheme: "internal", ipAddressType: "dualstack" },
    });
  });
});
