import { TerraformVariable } from "cdktf";
import { parseQuantity } from "../../constructs/private/quantity";
import { Gp3StorageClass, StatefulService, WebService, Worker } from "../../constructs/workloads";
import { Namespace, NamespaceOptions } from "../../constructs/workloads/namespace";
import { FakeLoadBalancing, IMAGE, RESOURCES, setup, synthWith } from "./fixtures";

// Issue 17, classes 2 (quantities), 3 (LimitRange and quota) and 10 (gp3 parameters): the rule,
// the exact message (construct, field, value, problem, fix), the valid edge accepted, and tokens.

const base = { image: IMAGE, resources: RESOURCES, ports: [{ name: "http", port: 8080 }] };
const web = (nsOptions: NamespaceOptions, resources: object = RESOURCES) => {
  const s = setup(nsOptions);
  new WebService(s.stack, "web", { namespace: s.ns, ...base, resources: resources as typeof RESOURCES });
  return s;
};

describe("class 2: quantities", () => {
  test.each([
    ["129e6", 129e6],
    ["1.5Gi", 1.5 * 2 ** 30],
    ["250m", 0.25],
    ["1E3", 1000],
    ["1E", 1e18],
    [".5", 0.5],
    ["+1", 1],
    ["1.", 1],
    ["1.5e-3", 0.0015],
    ["-2", -2],
    ["2k", 2000],
    ["500u", 0.0005],
  ])("parses %j as Kubernetes does", (text, expected) => {
    expect(parseQuantity(text)).toBeCloseTo(expected, 12);
  });

  test.each(["1K", "1KiB", "1e", ".", "", "1 Gi", "Gi", "0x10", "1.5.2"])("%j is not a quantity", (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  test.each([
    [{ cpu: "1E0", memory: "129e6" }],
    [{ cpu: ".5", memory: "1.5Gi" }],
    [{ cpu: "+1", memory: "+512Mi" }],
    [{ cpu: "250m", memory: "1048576" }],
    [{ cpu: "1500000u", memory: "2G" }],
  ])("a container accepts %j", (resources) => {
    const s = setup();
    expect(() => new Worker(s.stack, "w", { namespace: s.ns, ...base, resources })).not.toThrow();
  });

  test("a memory request with the m suffix is millibytes, refused with the fix", () => {
    const s = setup();
    expect(
      () => new Worker(s.stack, "w", { namespace: s.ns, ...base, resources: { cpu: "1", memory: "512m" } }),
    ).toThrow(
      'Worker \'w\': resources.memory "512m" counts fractions of a byte ("m" is milli, a thousandth, not mega); use "512Mi" (or "512M" for decimal units)',
    );
  });

  test("a memory limit, an ephemeral-storage size and a quota follow the same rule", () => {
    const s = setup();
    expect(
      () => new Worker(s.stack, "a", { namespace: s.ns, ...base, resources: { ...RESOURCES, memoryLimit: "1.5m" } }),
    ).toThrow(
      'Worker \'a\': resources.memoryLimit "1.5m" counts fractions of a byte ("m" is milli, a thousandth, not mega); use "1.5Mi" (or "1.5M" for decimal units)',
    );
    expect(
      () =>
        new Worker(s.stack, "b", { namespace: s.ns, ...base, resources: { ...RESOURCES, ephemeralStorage: "100" } }),
    ).toThrow(
      'Worker \'b\': resources.ephemeralStorage "100" is 100 bytes (a number without a unit counts bytes); add the unit, e.g. "100Mi"',
    );
    expect(() => setup({ quota: { requestsMemory: "8" } })).toThrow(
      'Namespace \'shop\': quota.requestsMemory "8" is 8 bytes (a number without a unit counts bytes); add the unit, e.g. "8Mi"',
    );
  });

  test("a bare memory number below 1 MiB is bytes, refused; from 1 MiB on it is taken as meant; a token is accepted", () => {
    const s = setup();
    expect(
      () => new Worker(s.stack, "w", { namespace: s.ns, ...base, resources: { cpu: "1", memory: "256" } }),
    ).toThrow(
      'Worker \'w\': resources.memory "256" is 256 bytes (a number without a unit counts bytes); add the unit, e.g. "256Mi"',
    );
    expect(
      () => new Worker(s.stack, "x", { namespace: s.ns, ...base, resources: { cpu: "1", memory: "1048575" } }),
    ).toThrow("is 1048575 bytes");
    expect(
      () => new Worker(s.stack, "edge", { namespace: s.ns, ...base, resources: { cpu: "1", memory: "1048576" } }),
    ).not.toThrow();
    const memory = new TerraformVariable(s.stack, "memory", { type: "string" }).stringValue;
    expect(
      () => new Worker(s.stack, "tok", { namespace: s.ns, ...base, resources: { cpu: "1", memory } }),
    ).not.toThrow();
  });

  test("a negative CPU request is refused", () => {
    const s = setup();
    expect(
      () => new Worker(s.stack, "w", { namespace: s.ns, ...base, resources: { cpu: "-1", memory: "1Gi" } }),
    ).toThrow("Worker 'w': resources.cpu \"-1\" is negative; give an amount of zero or more");
  });

  describe("volume sizes", () => {
    const db = (size: string, iops?: number) => {
      const s = setup();
      const sc = new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster, iops });
      return () =>
        new StatefulService(s.stack, "db", {
          namespace: s.ns,
          ...base,
          volumeClaims: [{ name: "data", mountPath: "/data", size, storageClass: sc }],
        });
    };

    test("a bare claim size below 1 GiB is bytes, refused with the fix; 1 GiB in bytes is accepted", () => {
      expect(db("20")).toThrow(
        'StatefulService \'db\': volumeClaims[0].size "20" is 20 bytes (a number without a unit counts bytes); add the unit, e.g. "20Gi"',
      );
      expect(db("1073741824")).not.toThrow();
    });

    test("a claim size with the m suffix is refused", () => {
      expect(db("10m")).toThrow(
        'StatefulService \'db\': volumeClaims[0].size "10m" counts fractions of a byte ("m" is milli, a thousandth, not mega); use "10Gi" (or "10G" for decimal units)',
      );
    });

    test("a gp3 claim is at most 64 TiB; 64Ti is accepted", () => {
      expect(db("65Ti")).toThrow(
        'StatefulService \'db\': volumeClaims[0].size "65Ti" is larger than a gp3 volume can be (64 TiB), so EC2 would refuse the volume of StorageClass "gp3-encrypted" (Gp3StorageClass \'gp3\'); use at most "64Ti", or spread the data over more claims',
      );
      expect(db("64Ti")).not.toThrow();
    });

    test("a claim size only known at apply is not compared", () => {
      const s = setup();
      const sc = new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster, iops: 80000 });
      const size = new TerraformVariable(s.stack, "size", { type: "string" }).stringValue;
      expect(
        () =>
          new StatefulService(s.stack, "db", {
            namespace: s.ns,
            ...base,
            volumeClaims: [{ name: "data", mountPath: "/data", size, storageClass: sc }],
          }),
      ).not.toThrow();
    });

    test("the claim must be large enough for the class's IOPS (500 per GiB); the edge is accepted", () => {
      expect(db("10Gi", 16000)).toThrow(
        'StatefulService \'db\': volumeClaims[0].size "10Gi" is too small for the 16000 IOPS of StorageClass "gp3-encrypted" (Gp3StorageClass \'gp3\'): gp3 allows 500 IOPS per GiB, 5000 for 10 GiB, so the EBS CSI driver would lower the volume\'s IOPS to 5000; use at least "32Gi", or a class with at most 5000 IOPS',
      );
      expect(db("4Gi", 4000)).toThrow(
        'StatefulService \'db\': volumeClaims[0].size "4Gi" is too small for the 4000 IOPS of StorageClass "gp3-encrypted" (Gp3StorageClass \'gp3\'): gp3 allows 500 IOPS per GiB, 2000 for 4 GiB, so EC2 would refuse the volume; use at least "8Gi", or a class with at most 3000 IOPS',
      );
      expect(db("32Gi", 16000)).not.toThrow();
      expect(db("160Gi", 80000)).not.toThrow();
      expect(db("1Gi", 3000)).not.toThrow();
    });
  });
});

describe("class 3: LimitRange and quota", () => {
  test.each([
    [
      { defaultRequest: { cpu: "2" }, defaultLimit: { cpu: "1" } },
      'Namespace \'shop\': limits.defaultRequest.cpu "2" is above limits.defaultLimit.cpu ("1"), so the API server refuses the LimitRange; lower defaultRequest.cpu to at most "1", or raise defaultLimit.cpu',
    ],
    [
      { min: { memory: "1Gi" }, max: { memory: "512Mi" } },
      'Namespace \'shop\': limits.min.memory "1Gi" is above limits.max.memory ("512Mi"), so the API server refuses the LimitRange; lower min.memory or raise max.memory',
    ],
    [
      { defaultLimit: { memory: "2Gi" }, max: { memory: "1Gi" } },
      'Namespace \'shop\': limits.defaultLimit.memory "2Gi" is above limits.max.memory ("1Gi"), so the API server refuses the LimitRange; lower defaultLimit.memory to at most "1Gi"',
    ],
    [
      { defaultRequest: { cpu: "100m" }, min: { cpu: "200m" } },
      'Namespace \'shop\': limits.defaultRequest.cpu "100m" is below limits.min.cpu ("200m"), so the API server refuses the LimitRange; raise defaultRequest.cpu to at least "200m"',
    ],
  ])("a LimitRange out of order is refused: %j", (limits, message) => {
    expect(() => setup({ limits })).toThrow(message);
  });

  test("a LimitRange in order, at its edges, is accepted; a token is not compared", () => {
    expect(() =>
      setup({
        limits: {
          min: { cpu: "1" },
          defaultRequest: { cpu: "1", memory: "1Gi" },
          defaultLimit: { cpu: "1", memory: "1024Mi" },
          max: { cpu: "1000m", memory: "1Gi" },
        },
      }),
    ).not.toThrow();
    const s = setup();
    const cpu = new TerraformVariable(s.stack, "cpu", { type: "string" }).stringValue;
    expect(
      () =>
        new Namespace(s.stack, "tokens", {
          cluster: s.cluster,
          limits: { defaultRequest: { cpu }, defaultLimit: { cpu: "1" } },
        }),
    ).not.toThrow();
  });

  test("a limits.cpu quota with a container without a CPU limit, and no LimitRange default, makes every pod forbidden", () => {
    expect(() => synthWith(web({ quota: { limitsCpu: "4" } }).stack)).toThrow(
      'WebService \'web\': resources.cpuLimit undefined is unset, but namespace "shop" has a quota on limits.cpu ("4") and no LimitRange gives a default CPU limit, so the API server refuses every pod of the workload (with that quota every container needs a CPU limit); set resources.cpuLimit, or give the namespace limits: { defaultLimit: { cpu: "..." } }',
    );
  });

  test("a limits.cpu quota is satisfied by a CPU limit, a LimitRange default or max", () => {
    expect(() => synthWith(web({ quota: { limitsCpu: "4" } }, { ...RESOURCES, cpuLimit: "1" }).stack)).not.toThrow();
    expect(() =>
      synthWith(web({ quota: { limitsCpu: "4" }, limits: { defaultLimit: { cpu: "500m" } } }).stack),
    ).not.toThrow();
    expect(() => synthWith(web({ quota: { limitsCpu: "4" }, limits: { max: { cpu: "2" } } }).stack)).not.toThrow();
  });

  test("a quota smaller than one pod is refused; the init container counts by the effective pod rule", () => {
    const s = setup({ quota: { requestsMemory: "512Mi" } });
    new Worker(s.stack, "w", {
      namespace: s.ns,
      ...base,
      initContainers: [{ name: "migrate", image: IMAGE, resources: { cpu: "100m", memory: "1Gi" } }],
    });
    expect(() => synthWith(s.stack)).toThrow(
      'Worker \'w\': pod requests.memory "1Gi" (one pod\'s: its containers\' sum, or its largest init container\'s) is above namespace "shop"\'s quota (quota.requestsMemory "512Mi"), so no pod of the workload can ever be admitted; raise quota.requestsMemory to at least "1Gi", or lower the workload\'s memory requests',
    );
  });

  test("a quota exactly one pod is accepted, and a quota only known at apply is not compared", () => {
    expect(() => synthWith(web({ quota: { requestsCpu: "100m", limitsMemory: "128Mi" } }).stack)).not.toThrow();
    const s = setup();
    const small = new TerraformVariable(s.stack, "mem", { type: "string" }).stringValue;
    const ns = new Namespace(s.stack, "tokens", { cluster: s.cluster, quota: { requestsMemory: small } });
    new WebService(s.stack, "web", { namespace: ns, ...base });
    expect(() => synthWith(s.stack)).not.toThrow();
  });

  test("quota.pods 0 makes every pod forbidden", () => {
    expect(() => synthWith(web({ quota: { pods: 0 } }).stack)).toThrow(
      "WebService 'web': namespace \"shop\" has quota.pods 0, so no pod of the workload can be created; raise the namespace's quota.pods, or run the workload in another namespace",
    );
  });

  test("a LimitRange max below a workload's limit is refused; at the max it is accepted", () => {
    expect(() => synthWith(web({ limits: { max: { memory: "100Mi" } } }).stack)).toThrow(
      'WebService \'web\': resources.memory "128Mi" is above the most memory namespace "shop"\'s LimitRange allows a container (limits.max.memory "100Mi") (the memory limit defaults to the request), so the API server refuses every pod of the workload; lower it to at most "100Mi", or raise the LimitRange\'s max.memory',
    );
    expect(() => synthWith(web({ limits: { max: { cpu: "1" } } }, { ...RESOURCES, cpuLimit: "2" }).stack)).toThrow(
      'WebService \'web\': resources.cpuLimit "2" is above the most CPU namespace "shop"\'s LimitRange allows a container (limits.max.cpu "1"), so the API server refuses every pod of the workload; lower it to at most "1", or raise the LimitRange\'s max.cpu',
    );
    expect(() => synthWith(web({ limits: { max: { memory: "128Mi" } } }).stack)).not.toThrow();
  });

  test("a LimitRange min above a workload's request is refused", () => {
    expect(() => synthWith(web({ limits: { min: { cpu: "200m" } } }).stack)).toThrow(
      'WebService \'web\': resources.cpu "100m" is below the least CPU namespace "shop"\'s LimitRange allows a container (limits.min.cpu "200m"), so the API server refuses every pod of the workload; raise it to at least "200m", or lower the LimitRange\'s min.cpu',
    );
  });

  test("a LimitRange default CPU limit below a request without a limit is refused", () => {
    expect(() => synthWith(web({ limits: { defaultLimit: { cpu: "50m" } } }).stack)).toThrow(
      'WebService \'web\': resources.cpu "100m" is above the CPU limit namespace "shop"\'s LimitRange gives containers without one (limits.defaultLimit.cpu "50m"), so the API server refuses every pod of the workload (a request above its limit); set resources.cpuLimit to at least the request, or lower the request',
    );
  });

  test("a zero load balancer quota with an NLB Service is refused; one is accepted", () => {
    const nlb = (servicesLoadBalancers: number) => {
      const s = setup({ quota: { servicesLoadBalancers } });
      new FakeLoadBalancing(s.stack, "lb");
      new WebService(s.stack, "web", { namespace: s.ns, ...base, loadBalancer: {} });
      return s.stack;
    };
    expect(() => synthWith(nlb(0))).toThrow(
      "Namespace 'shop': quota.servicesLoadBalancers 0 is below the 1 LoadBalancer Service(s) this stack creates in the namespace (\"web\"), so the API server refuses 1 of them at apply; raise quota.servicesLoadBalancers to at least 1, or expose fewer workloads through an NLB",
    );
    expect(() => synthWith(nlb(1))).not.toThrow();
  });

  test("a node port quota counts every port of NodePort Services", () => {
    const s = setup({ quota: { servicesNodePorts: 0 } });
    new WebService(s.stack, "web", { namespace: s.ns, ...base, service: { type: "NodePort" } });
    expect(() => synthWith(s.stack)).toThrow(
      "Namespace 'shop': quota.servicesNodePorts 0 is below the 1 node port(s) (every port of a NodePort or LoadBalancer Service) this stack creates in the namespace (\"web\"), so the API server refuses 1 of them at apply; raise quota.servicesNodePorts to at least 1",
    );
  });

  test("a storage quota below the claims is refused; exactly the claims is accepted", () => {
    const db = (requestsStorage: string) => {
      const s = setup({ quota: { requestsStorage } });
      const sc = new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster });
      new StatefulService(s.stack, "db", {
        namespace: s.ns,
        ...base,
        replicas: 2,
        volumeClaims: [{ name: "data", mountPath: "/data", size: "10Gi", storageClass: sc }],
      });
      return s.stack;
    };
    expect(() => synthWith(db("15Gi"))).toThrow(
      'Namespace \'shop\': quota.requestsStorage "15Gi" is below the 20Gi the 2 PersistentVolumeClaim(s) this stack creates in the namespace request ("data-db-0", "data-db-1"), so the API server refuses the claims past it at apply; raise quota.requestsStorage to at least "20Gi", or make the claims smaller',
    );
    expect(() => synthWith(db("20Gi"))).not.toThrow();
  });
});

describe("class 10: gp3 parameters", () => {
  const gp3 = (options: object) => {
    const s = setup();
    return () => new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster, ...options });
  };

  test("IOPS up to 80,000 and throughput up to 2,000 MiB/s are accepted (AWS raised the caps)", () => {
    expect(gp3({ iops: 80000, throughput: 2000 })).not.toThrow();
    expect(gp3({ iops: 8000, throughput: 2000 })).not.toThrow();
  });

  test("IOPS above 80,000 and throughput above 2,000 are refused", () => {
    expect(gp3({ iops: 80001 })).toThrow(
      "Gp3StorageClass 'gp3': iops 80001 is out of range; use a whole number from 3000 to 80000",
    );
    expect(gp3({ iops: 80000, throughput: 2001 })).toThrow(
      "Gp3StorageClass 'gp3': throughput 2001 is out of range; use a whole number from 125 to 2000",
    );
  });

  test("throughput above 0.25 MiB/s per IOPS is refused; the edge is accepted", () => {
    expect(gp3({ throughput: 1000 })).toThrow(
      "Gp3StorageClass 'gp3': throughput 1000 is more than gp3 allows for 3000 IOPS (the baseline, iops being unset): at most 0.25 MiB/s per IOPS, 750 MiB/s, so EC2 would refuse every volume of the class; raise iops to at least 4000, or lower throughput to 750",
    );
    expect(gp3({ iops: 6000, throughput: 1600 })).toThrow(
      "Gp3StorageClass 'gp3': throughput 1600 is more than gp3 allows for 6000 IOPS: at most 0.25 MiB/s per IOPS, 1500 MiB/s, so EC2 would refuse every volume of the class; raise iops to at least 6400, or lower throughput to 1500",
    );
    expect(gp3({ throughput: 750 })).not.toThrow();
  });

  test("IOPS and throughput only known at apply are not compared", () => {
    const s = setup();
    const iops = new TerraformVariable(s.stack, "iops", { type: "number" }).numberValue;
    const throughput = new TerraformVariable(s.stack, "tp", { type: "number" }).numberValue;
    expect(() => new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster, iops, throughput })).not.toThrow();
  });

  test("the KMS key is in the cluster's region", () => {
    expect(gp3({ kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/abc" })).toThrow(
      "Gp3StorageClass 'gp3': kmsKeyArn \"arn:aws:kms:us-east-1:123456789012:key/abc\" is in us-east-1, but EBS volumes can only use a key of their own region, and the cluster is in eu-west-1; use a key in eu-west-1",
    );
  });
});
