import { TerraformVariable } from "cdktf";
import { DaemonSet, Gp3StorageClass, StatefulService, WebService } from "../../constructs/workloads";
import { Namespace } from "../../constructs/workloads/namespace";
import { FakeCluster, testNetwork } from "../fixtures";
import { FakeLoadBalancing, IMAGE, RESOURCES, setup, synthWith, workloadStack } from "./fixtures";

// Issue 17, classes 8 (Ingress and load balancers) and 14 (no broken defaults): the rule, the
// exact message (construct, field, value, problem, fix), the valid edge accepted, and tokens.

const base = { image: IMAGE, resources: RESOURCES, ports: [{ name: "http", port: 8080 }] };
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666";
const variable = (s: { stack: any }, id: string) => new TerraformVariable(s.stack, id, { type: "string" }).stringValue;
const ingressOf = (json: any, id = "web") =>
  Object.entries<any>(json.resource.kubernetes_ingress_v1).find(([k]) => k.startsWith(id))![1];

describe("class 8: Ingress hosts are DNS names (networking validation.go)", () => {
  test.each([
    [
      "10.0.0.1",
      "is an IP address; the API server accepts only DNS names as Ingress hosts",
      "give the DNS name clients use (a record pointing at the load balancer), or leave host unset to route every host",
    ],
    ["Shop.Example.com", "has upper-case letters (a DNS-1123 subdomain is lower case)", 'use "shop.example.com"'],
    [
      "shop.*.example.com",
      "has a wildcard that is not the whole first label",
      'use one leading "*." for a wildcard host, e.g. "*.example.com"',
    ],
    [
      "*.*.example.com",
      "has a wildcard that is not the whole first label",
      'use one leading "*." for a wildcard host, e.g. "*.example.com"',
    ],
    [
      "shop_1.example.com",
      "is not a DNS-1123 subdomain",
      'use lower-case letters, digits, "-" and ".", each label starting and ending with a letter or digit, at most 253 characters (e.g. "shop.example.com", or "*.example.com")',
    ],
    [
      "shop.example.com.",
      "is not a DNS-1123 subdomain",
      'use lower-case letters, digits, "-" and ".", each label starting and ending with a letter or digit, at most 253 characters (e.g. "shop.example.com", or "*.example.com")',
    ],
  ])("host %j is refused", (host, problem, fix) => {
    const s = setup();
    expect(() => new WebService(s.stack, "web", { namespace: s.ns, ...base, ingress: { host } })).toThrow(
      `WebService 'web': ingress.host "${host}" ${problem}; ${fix}`,
    );
  });

  test("one leading wildcard label, a plain subdomain and a token are accepted", () => {
    const s = setup();
    new FakeLoadBalancing(s.stack, "lb");
    new WebService(s.stack, "web", { namespace: s.ns, ...base, ingress: { host: "*.example.com" } });
    new WebService(s.stack, "api", { namespace: s.ns, ...base, ingress: { host: "api.example.com" } });
    new WebService(s.stack, "tok", { namespace: s.ns, ...base, ingress: { host: variable(s, "host") } });
    expect(ingressOf(synthWith(s.stack)).spec.rule[0].host).toBe("*.example.com");
  });
});

describe("class 8: Ingress paths (API server and load balancer controller v2.14.1)", () => {
  test.each([
    [
      "/api//v1",
      'contains "//", which the API server refuses in a Prefix path',
      'remove the empty segment (one "/" between segments)',
    ],
    ["/api/./v1", 'contains "/./", which the API server refuses in a Prefix path', "give the path without it"],
    ["/api/../admin", 'contains "/../", which the API server refuses in a Prefix path', "give the path without it"],
    ["/a%2Fb", 'contains "%2F", which the API server refuses in a Prefix path', "give the path without it"],
    ["/api/..", 'ends with "/..", which the API server refuses in a Prefix path', "give the path without it"],
    [
      "/api/*",
      "has a wildcard (* or ?), which the load balancer controller refuses in a Prefix path",
      'give the prefix itself: "/api" routes /api and everything below it',
    ],
    ["api", "is not an absolute path", 'start it with "/"'],
  ])("path %j is refused", (path, problem, fix) => {
    const s = setup();
    expect(() => new WebService(s.stack, "web", { namespace: s.ns, ...base, ingress: { path } })).toThrow(
      `WebService 'web': ingress.path "${path}" ${problem}; ${fix}`,
    );
  });

  test("an ALB path pattern is at most 128 characters: a 126-character prefix is accepted, 127 refused", () => {
    const s = setup();
    const ok = `/${"a".repeat(125)}`;
    expect(() => new WebService(s.stack, "ok", { namespace: s.ns, ...base, ingress: { path: ok } })).not.toThrow();
    const long = `/${"a".repeat(126)}`;
    expect(() => new WebService(s.stack, "web", { namespace: s.ns, ...base, ingress: { path: long } })).toThrow(
      `WebService 'web': ingress.path "${long}" becomes the ALB path pattern "/aaaaaaaaaaaaaaaaaaa...", 129 characters, over the 128 an ALB rule accepts; use a prefix of at most 126 characters`,
    );
  });

  test("a trailing slash and a token are accepted", () => {
    const s = setup();
    expect(() => new WebService(s.stack, "a", { namespace: s.ns, ...base, ingress: { path: "/api/" } })).not.toThrow();
    expect(
      () => new WebService(s.stack, "b", { namespace: s.ns, ...base, ingress: { path: variable(s, "path") } }),
    ).not.toThrow();
  });
});

describe("class 8: the certificate is in the cluster's region", () => {
  test("throws when the ACM certificate is in another region", () => {
    const s = setup();
    const arn = CERT.replace("eu-west-1", "us-east-1");
    expect(
      () => new WebService(s.stack, "web", { namespace: s.ns, ...base, ingress: { certificateArn: arn } }),
    ).toThrow(
      `WebService 'web': ingress.certificateArn "${arn}" is in us-east-1, but the ALB is in cluster "test"'s region eu-west-1, and an ALB only takes ACM certificates of its own region; request or import the certificate in ACM in eu-west-1 and use its ARN`,
    );
  });

  test("a certificate of the cluster's region and a token are accepted", () => {
    const s = setup();
    new FakeLoadBalancing(s.stack, "lb");
    new WebService(s.stack, "web", { namespace: s.ns, ...base, ingress: { certificateArn: CERT } });
    new WebService(s.stack, "tok", { namespace: s.ns, ...base, ingress: { certificateArn: variable(s, "cert") } });
    expect(ingressOf(synthWith(s.stack)).metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"]).toBe(CERT);
  });
});

describe("class 8: one ALB group, one scheme, one TLS setting, no duplicate route", () => {
  test("throws when members of a group differ in scheme (the controller: conflicting scheme)", () => {
    const s = setup();
    new WebService(s.stack, "web", { namespace: s.ns, ...base, ingress: { groupName: "shop", path: "/web" } });
    expect(
      () =>
        new WebService(s.stack, "api", {
          namespace: s.ns,
          ...base,
          ingress: { groupName: "shop", path: "/api", scheme: "internet-facing", certificateArn: CERT },
        }),
    ).toThrow(
      `WebService 'api': ingress.scheme "internet-facing" differs from WebService 'web''s "internal" in ALB group "shop"; one ALB has one scheme, and the controller refuses the group ("conflicting scheme"); use "internal", or another groupName`,
    );
  });

  test("throws when a group mixes TLS and plain HTTP members (ssl-redirect is group-wide)", () => {
    const s = setup();
    new WebService(s.stack, "web", { namespace: s.ns, ...base, ingress: { groupName: "shop", certificateArn: CERT } });
    expect(
      () => new WebService(s.stack, "api", { namespace: s.ns, ...base, ingress: { groupName: "shop", path: "/api" } }),
    ).toThrow(
      `WebService 'api': ingress.tls false differs from WebService 'web' in ALB group "shop": the TLS member's ssl-redirect applies to the whole ALB, so the plain HTTP member's requests are redirected to 443, where it has no rule; give every member of the group a certificate (or none), or use another groupName`,
    );
  });

  test("throws when two members route the same host and path ('/api/' is '/api')", () => {
    const s = setup();
    const ingress = { groupName: "shop", host: "shop.example.com", path: "/api" };
    new WebService(s.stack, "web", { namespace: s.ns, ...base, ingress });
    expect(
      () => new WebService(s.stack, "api", { namespace: s.ns, ...base, ingress: { ...ingress, path: "/api/" } }),
    ).toThrow(
      `WebService 'api': ingress.path "/api/" is already routed for host "shop.example.com" by WebService 'web' in ALB group "shop"; the ALB sends it to one of them only; give each member of the group its own host or path`,
    );
  });

  test("members with their own paths, the same path in another group or stack, and a token group are accepted", () => {
    const s = setup();
    new FakeLoadBalancing(s.stack, "lb");
    new WebService(s.stack, "web", { namespace: s.ns, ...base, ingress: { groupName: "shop" } });
    new WebService(s.stack, "api", { namespace: s.ns, ...base, ingress: { groupName: "shop", path: "/api" } });
    new WebService(s.stack, "other", { namespace: s.ns, ...base, ingress: { groupName: "other" } });
    new WebService(s.stack, "tok", { namespace: s.ns, ...base, ingress: { groupName: variable(s, "group") } });
    new WebService(s.stack, "tok2", { namespace: s.ns, ...base, ingress: { groupName: variable(s, "group2") } });
    const t = setup();
    expect(
      () => new WebService(t.stack, "web", { namespace: t.ns, ...base, ingress: { groupName: "shop" } }),
    ).not.toThrow();
    expect(() => synthWith(s.stack)).not.toThrow();
  });
});

describe("class 8: the IngressClass's own scheme overrides the Ingress's", () => {
  class FixedSchemeLoadBalancing extends FakeLoadBalancing {
    readonly albScheme = "internet-facing" as const;
  }

  test("throws at synth when an Ingress asks for another scheme than its class gives every ALB", () => {
    const s = setup();
    new FixedSchemeLoadBalancing(s.stack, "lb");
    new WebService(s.stack, "web", { namespace: s.ns, ...base, ingress: {} });
    expect(() => synthWith(s.stack)).toThrow(
      `WebService 'web': ingress.scheme "internal" differs from the scheme "internet-facing" of IngressClass "alb", which overrides it: the ALB would be internet-facing; use "internet-facing", or leave the class's scheme unset (autoModeLoadBalancing.scheme) so each Ingress chooses`,
    );
  });

  test("the class's scheme is accepted", () => {
    const s = setup();
    new FixedSchemeLoadBalancing(s.stack, "lb");
    new WebService(s.stack, "web", {
      namespace: s.ns,
      ...base,
      ingress: { scheme: "internet-facing", certificateArn: CERT },
    });
    expect(() => synthWith(s.stack)).not.toThrow();
  });
});

describe("class 8: internet-facing exposure needs public subnets", () => {
  const privateOnly = () => {
    const stack = workloadStack();
    const network = testNetwork(stack, { publicSubnets: false, natGateways: "none" });
    const cluster = new FakeCluster(stack, "cluster", network);
    return { stack, ns: new Namespace(stack, "shop", { cluster }) };
  };
  const problem = `needs public subnets (tagged kubernetes.io/role/elb), and network "network" of cluster "test" has none, so the load balancer would never be created; use "internal", or give the network public subnets (publicSubnets: true)`;

  test("throws for an internet-facing Ingress, NLB and added NLB Service in a network without public subnets", () => {
    const s = privateOnly();
    expect(
      () =>
        new WebService(s.stack, "web", {
          namespace: s.ns,
          ...base,
          ingress: { scheme: "internet-facing", certificateArn: CERT },
        }),
    ).toThrow(`WebService 'web': ingress.scheme "internet-facing" ${problem}`);
    expect(
      () => new WebService(s.stack, "nlb", { namespace: s.ns, ...base, loadBalancer: { scheme: "internet-facing" } }),
    ).toThrow(`WebService 'nlb': loadBalancer.scheme "internet-facing" ${problem}`);
    const web = new WebService(s.stack, "svc", { namespace: s.ns, ...base });
    expect(() => web.addService("public", { name: "svc-public", loadBalancer: { scheme: "internet-facing" } })).toThrow(
      `WebService 'svc': addService("public").loadBalancer.scheme "internet-facing" ${problem}`,
    );
  });

  test("internal exposure there, internet-facing with public subnets, and an adopted network (unknown) are accepted", () => {
    const s = privateOnly();
    expect(() => new WebService(s.stack, "web", { namespace: s.ns, ...base, ingress: {} })).not.toThrow();
    const t = setup();
    expect(
      () => new WebService(t.stack, "web", { namespace: t.ns, ...base, loadBalancer: { scheme: "internet-facing" } }),
    ).not.toThrow();
    const u = setup();
    Object.defineProperty(u.cluster.network, "publicLoadBalancerSubnets", { value: undefined });
    expect(
      () => new WebService(u.stack, "web", { namespace: u.ns, ...base, loadBalancer: { scheme: "internet-facing" } }),
    ).not.toThrow();
  });
});

describe("class 8: only TCP backends behind an ALB", () => {
  const dns = { image: IMAGE, resources: RESOURCES };

  test("throws when the Ingress routes to a UDP-only Service port", () => {
    const s = setup();
    expect(
      () =>
        new WebService(s.stack, "dns", {
          namespace: s.ns,
          ...dns,
          ports: [{ name: "dns", port: 5353, protocol: "UDP" }],
          ingress: {},
        }),
    ).toThrow(
      `WebService 'dns': ingress.servicePort 5353 is a UDP port; an ALB forwards HTTP over TCP only; expose the UDP port through loadBalancer (an NLB) instead of ingress`,
    );
    expect(
      () =>
        new WebService(s.stack, "mixed", {
          namespace: s.ns,
          ...dns,
          ports: [
            { name: "dns", port: 5353, protocol: "UDP" },
            { name: "http", port: 8080 },
          ],
          ingress: {},
        }),
    ).toThrow(
      `WebService 'mixed': ingress.servicePort 5353 is a UDP port; an ALB forwards HTTP over TCP only; route to a TCP port (8080), or expose the UDP port through loadBalancer (an NLB)`,
    );
  });

  test("the TCP port of the same workload, and a UDP port behind an NLB, are accepted", () => {
    const s = setup();
    new FakeLoadBalancing(s.stack, "lb");
    const ports = [
      { name: "dns", port: 5353, protocol: "UDP" as const },
      { name: "http", port: 8080 },
    ];
    new WebService(s.stack, "web", { namespace: s.ns, ...dns, ports, ingress: { servicePort: 8080 } });
    new WebService(s.stack, "dns", {
      namespace: s.ns,
      ...dns,
      ports: [{ name: "dns", port: 5353, protocol: "UDP" }],
      loadBalancer: {},
    });
    expect(() => synthWith(s.stack)).not.toThrow();
  });
});

describe("class 8: the ALB health check goes where the readiness probe does", () => {
  test("throws when healthCheckPath differs from the HTTP readiness probe's path", () => {
    const s = setup();
    expect(
      () =>
        new WebService(s.stack, "web", {
          namespace: s.ns,
          ...base,
          probes: { readiness: { http: { path: "/ready", port: "http" } } },
          ingress: { healthCheckPath: "/healthz" },
        }),
    ).toThrow(
      `WebService 'web': ingress.healthCheckPath "/healthz" differs from the readiness probe's path "/ready": the load balancer and Kubernetes would disagree on which pods can serve; leave healthCheckPath unset (it follows the readiness probe), or use "/ready"`,
    );
  });

  test("the path and, when it differs from the traffic port, the port follow the readiness probe; the port is allowed from the VPC", () => {
    const s = setup();
    new FakeLoadBalancing(s.stack, "lb");
    new WebService(s.stack, "web", {
      namespace: s.ns,
      ...base,
      ports: [
        { name: "http", port: 8080 },
        { name: "admin", port: 9090 },
      ],
      service: { ports: [{ port: 80, targetPort: "http" }] },
      probes: { readiness: { http: { path: "/ready", port: "admin" } } },
      ingress: {},
    });
    new WebService(s.stack, "same", {
      namespace: s.ns,
      ...base,
      probes: { readiness: { http: { path: "/ready", port: 8080 } } },
      ingress: { healthCheckPath: "/ready", path: "/same" },
    });
    const json = synthWith(s.stack);
    const annotations = ingressOf(json).metadata.annotations;
    expect(annotations["alb.ingress.kubernetes.io/healthcheck-path"]).toBe("/ready");
    expect(annotations["alb.ingress.kubernetes.io/healthcheck-port"]).toBe("9090");
    const same = ingressOf(json, "same").metadata.annotations;
    expect(same["alb.ingress.kubernetes.io/healthcheck-path"]).toBe("/ready");
    expect(same["alb.ingress.kubernetes.io/healthcheck-port"]).toBeUndefined();
    const policy = Object.values<any>(json.resource.kubernetes_network_policy_v1).find(
      (p) => p.metadata.name === "web-health-from-vpc",
    );
    expect(policy.spec.ingress[0].ports).toEqual([{ port: "9090", protocol: "TCP" }]);
  });

  test("an explicit path beside a TCP readiness probe, and a token path, are accepted", () => {
    const s = setup();
    expect(
      () => new WebService(s.stack, "a", { namespace: s.ns, ...base, ingress: { healthCheckPath: "/healthz" } }),
    ).not.toThrow();
    expect(
      () =>
        new WebService(s.stack, "b", {
          namespace: s.ns,
          ...base,
          probes: { readiness: { http: { path: "/ready", port: "http" } } },
          ingress: { healthCheckPath: variable(s, "hc") },
        }),
    ).not.toThrow();
  });
});

describe("class 14: no TCP readiness probe on a UDP-only workload, for every kind with a default probe", () => {
  const udp = { image: IMAGE, resources: RESOURCES, ports: [{ name: "dns", port: 5353, protocol: "UDP" as const }] };
  const containerOf = (json: any, type: string) =>
    (Object.values<any>(json.resource[type])[0] as any).spec.template.spec.container[0];

  test.each([
    ["WebService", "kubernetes_deployment_v1"],
    ["StatefulService", "kubernetes_stateful_set_v1"],
    ["DaemonSet", "kubernetes_daemon_set_v1"],
  ])("%s: UDP only gets no readiness probe; with a TCP port too, the probe is on the TCP port", (kind, type) => {
    for (const [ports, expected] of [
      [udp.ports, undefined],
      [[...udp.ports, { name: "metrics", port: 9153 }], { tcp_socket: [{ port: "metrics" }] }],
    ] as const) {
      const s = setup();
      const props = { namespace: s.ns, ...udp, ports: [...ports] };
      if (kind === "WebService") new WebService(s.stack, "dns", props);
      if (kind === "DaemonSet") new DaemonSet(s.stack, "dns", props);
      if (kind === "StatefulService") {
        const sc = new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster });
        new StatefulService(s.stack, "dns", {
          ...props,
          volumeClaims: [{ name: "data", mountPath: "/data", size: "1Gi", storageClass: sc }],
        });
      }
      const probe = containerOf(synthWith(s.stack), type).readiness_probe;
      if (expected === undefined) expect(probe).toBeUndefined();
      else expect(probe).toMatchObject(expected);
    }
  });
});
