import { App, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import {
  EnvValue,
  Gp3StorageClass,
  Namespace,
  Peer,
  StatefulService,
  VariableSecret,
  Volume,
  Worker,
} from "../../constructs/workloads";
import { WorkloadsStack } from "../../stacks/workloads-stack";
import { existingCluster } from "../reuse/fixtures";
import { IMAGE, RESOURCES, setup, synthWith, testCluster, workloadStack } from "./fixtures";

// Issue 17, classes 4 (pod spec composition), 5 (nothing created twice) and 6 (one cluster and
// region per workloads stack), and the relaxed environment variable names. Each rule: the exact
// message, the valid edge accepted, and a value only known at apply accepted.

const base = { image: IMAGE, resources: RESOURCES };
const variable = (stack: TerraformStack, id: string) =>
  new TerraformVariable(stack, id, { type: "string" }).stringValue;

/** A setup whose cluster runs `version`. */
function onVersion(version: string) {
  const stack = workloadStack();
  const cluster = testCluster(stack);
  Object.defineProperty(cluster, "kubernetesVersion", { value: version });
  const ns = new Namespace(stack, "shop", { cluster });
  return { stack, cluster, ns };
}

describe("class 4: the generated ConfigMap", () => {
  test("a key longer than 253 characters is refused; 253 is accepted", () => {
    const s = setup();
    const long = "k".repeat(254);
    expect(() => new Worker(s.stack, "w", { namespace: s.ns, ...base, config: { files: { [long]: "x" } } })).toThrow(
      `Worker 'w': config.files key "${long}" is 254 characters, longer than the 253 a ConfigMap key may have; use at most 253 characters`,
    );
    expect(
      () => new Worker(s.stack, "ok", { namespace: s.ns, ...base, config: { files: { ["k".repeat(253)]: "x" } } }),
    ).not.toThrow();
  });

  test("a config.env key is a ConfigMap key too", () => {
    const s = setup();
    expect(() => new Worker(s.stack, "w", { namespace: s.ns, ...base, config: { env: { "MY VAR": "1" } } })).toThrow(
      `Worker 'w': config.env key "MY VAR" is not a key a ConfigMap accepts; use letters, digits, '-', '_' and '.'`,
    );
  });

  test("values over 1 MiB in all are refused; exactly 1 MiB is accepted (keys are not counted), and values known at apply are not counted", () => {
    const s = setup();
    expect(
      () =>
        new Worker(s.stack, "w", { namespace: s.ns, ...base, config: { files: { big: "x".repeat(1024 * 1024 + 1) } } }),
    ).toThrow(
      `Worker 'w': config "<1048577 bytes of values>" exceeds the 1048576 bytes (1 MiB) a ConfigMap's values may hold, so the API server refuses it; keep large files out of config: bake them into the image, or mount them from a volume`,
    );
    // Bytes, as the API server counts them: "é" is two.
    expect(
      () => new Worker(s.stack, "multi", { namespace: s.ns, ...base, config: { files: { a: "é".repeat(524289) } } }),
    ).toThrow('config "<1048578 bytes of values>" exceeds');
    expect(
      () =>
        new Worker(s.stack, "edge", {
          namespace: s.ns,
          ...base,
          config: { files: { "a-long-file-name": "x".repeat(1048576) } },
        }),
    ).not.toThrow();
    const token = variable(s.stack, "blob");
    expect(
      () =>
        new Worker(s.stack, "tok", {
          namespace: s.ns,
          ...base,
          config: { files: { a: token, b: "x".repeat(1048000) } },
        }),
    ).not.toThrow();
  });
});

describe("class 4: mount paths", () => {
  const claimed = (s: ReturnType<typeof setup>, mountPath: string, files = true) => {
    const sc = new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster });
    return new StatefulService(s.stack, "db", {
      namespace: s.ns,
      ...base,
      ports: [{ name: "db", port: 5432 }],
      config: files ? { files: { "app.conf": "x" } } : undefined,
      volumeClaims: [{ name: "data", mountPath, size: "10Gi", storageClass: sc }],
    });
  };

  test("throws when a claim is mounted at the config mount path", () => {
    expect(() => claimed(setup(), "/etc/config")).toThrow(
      `StatefulService 'db': volumeClaims[0].mountPath "/etc/config" is also the mount path of config.mountPath; a container mounts one volume per path (the API server refuses the pod); mount each volume at its own path`,
    );
  });

  test("throws when a claim is mounted inside the read-only config mount", () => {
    expect(() => claimed(setup(), "/etc/config/data/")).toThrow(
      `StatefulService 'db': volumeClaims[0].mountPath "/etc/config/data/" is inside config.mountPath "/etc/config", where a ConfigMap volume is mounted read-only: the container runtime can't create the mount point there, so the container never starts; mount it outside that directory`,
    );
  });

  test("a sibling path, and the config inside a claim, are accepted; so is a path known at apply", () => {
    expect(() => claimed(setup(), "/etc/config-data")).not.toThrow();
    const s = setup();
    const sc = new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster });
    expect(
      () =>
        new StatefulService(s.stack, "db", {
          namespace: s.ns,
          ...base,
          ports: [{ name: "db", port: 5432 }],
          config: { files: { "app.conf": "x" }, mountPath: "/data/config" },
          volumeClaims: [{ name: "data", mountPath: "/data", size: "10Gi", storageClass: sc }],
        }),
    ).not.toThrow();
    const t = setup();
    expect(() => claimed(t, variable(t.stack, "path"))).not.toThrow();
  });

  test("throws when a mount takes a writable path's place", () => {
    const s = setup();
    expect(
      () =>
        new Worker(s.stack, "w", {
          namespace: s.ns,
          ...base,
          writablePaths: ["/var/cache/app"],
          mounts: [{ volume: Volume.emptyDir("cache", { sizeLimit: "1Gi" }), path: "/var/cache/app" }],
        }),
    ).toThrow(
      `Worker 'w': mounts[0].path "/var/cache/app" is also the mount path of writablePaths[0]; a container mounts one volume per path (the API server refuses the pod); mount each volume at its own path`,
    );
  });

  test("throws for a mount inside a Secret volume, unless the Secret's items make that directory", () => {
    const s = setup();
    const tls = (items?: Record<string, string>) => Volume.fromSecret("tls", "tls", { items });
    const scratch = Volume.emptyDir("scratch", { sizeLimit: "1Gi" });
    expect(
      () =>
        new Worker(s.stack, "w", {
          namespace: s.ns,
          ...base,
          mounts: [
            { volume: tls(), path: "/etc/tls" },
            { volume: scratch, path: "/etc/tls/scratch" },
          ],
        }),
    ).toThrow(
      `Worker 'w': mounts[1].path "/etc/tls/scratch" is inside mounts[0].path "/etc/tls", where a Secret volume is mounted read-only: the container runtime can't create the mount point there, so the container never starts; mount it outside that directory`,
    );
    expect(
      () =>
        new Worker(s.stack, "ok", {
          namespace: s.ns,
          ...base,
          mounts: [
            { volume: tls({ "tls.crt": "scratch/tls.crt" }), path: "/etc/tls" },
            { volume: scratch, path: "/etc/tls/scratch" },
          ],
        }),
    ).not.toThrow();
  });

  test("each container is checked on its own: two containers may mount at one path", () => {
    const s = setup();
    const v = Volume.emptyDir("shared", { sizeLimit: "1Gi" });
    expect(
      () =>
        new Worker(s.stack, "w", {
          namespace: s.ns,
          ...base,
          mounts: [{ volume: v, path: "/shared" }],
          containers: [{ name: "side", ...base, mounts: [{ volume: v, path: "/shared" }] }],
        }),
    ).not.toThrow();
  });
});

describe("class 4: env precedence", () => {
  test("throws when env sets a key a VariableSecret of secrets gives", () => {
    const s = setup();
    const db = new VariableSecret(s.stack, "db", { namespace: s.ns, keys: ["DB_HOST"] });
    expect(
      () => new Worker(s.stack, "w", { namespace: s.ns, ...base, env: { DB_HOST: "db.internal" }, secrets: [db] }),
    ).toThrow(
      `Worker 'w': env key "DB_HOST" is also a key of secrets[0] (VariableSecret 'db'), and env takes precedence over envFrom: the Secret's value would never be used; set the variable in one place: remove it here, or remove the key from the Secret`,
    );
  });

  test("throws when config.env sets a key of an envFrom VariableSecret", () => {
    const s = setup();
    const db = new VariableSecret(s.stack, "db", { namespace: s.ns, keys: ["DB_HOST"] });
    expect(
      () =>
        new Worker(s.stack, "w", {
          namespace: s.ns,
          ...base,
          config: { env: { DB_HOST: "db.internal" } },
          envFrom: [{ secret: db }],
        }),
    ).toThrow(
      `Worker 'w': config.env key "DB_HOST" is also a key of envFrom[0].secret (VariableSecret 'db'), and env takes precedence over envFrom`,
    );
  });

  test("throws when two VariableSecrets give one key; a prefix tells them apart", () => {
    const s = setup();
    const a = new VariableSecret(s.stack, "a", { namespace: s.ns, keys: ["API_TOKEN"] });
    const b = new VariableSecret(s.stack, "b", { namespace: s.ns, keys: ["API_TOKEN"] });
    expect(() => new Worker(s.stack, "w", { namespace: s.ns, ...base, secrets: [a, b] })).toThrow(
      `Worker 'w': secrets[1] "API_TOKEN" is also given by secrets[0] (VariableSecret 'a'): the later envFrom source silently overwrites the earlier one; keep the key in one Secret, or give one of the envFrom entries a prefix`,
    );
    expect(
      () =>
        new Worker(s.stack, "ok", {
          namespace: s.ns,
          ...base,
          secrets: [a],
          envFrom: [{ secret: b, prefix: "B_" }],
        }),
    ).not.toThrow();
    const prefix = variable(s.stack, "prefix");
    expect(
      () => new Worker(s.stack, "tok", { namespace: s.ns, ...base, secrets: [a], envFrom: [{ secret: b, prefix }] }),
    ).not.toThrow();
  });

  test("an extra container's env and envFrom are checked too", () => {
    const s = setup();
    const db = new VariableSecret(s.stack, "db", { namespace: s.ns, keys: ["DB_HOST"] });
    expect(
      () =>
        new Worker(s.stack, "w", {
          namespace: s.ns,
          ...base,
          containers: [{ name: "side", ...base, env: { DB_HOST: "x" }, envFrom: [{ secret: db }] }],
        }),
    ).toThrow(`Worker 'w': containers[0].env key "DB_HOST" is also a key of containers[0].envFrom[0].secret`);
  });
});

describe("class 4: secret-looking literal env values", () => {
  const fix =
    'put the value in a VariableSecret (its value comes from a sensitive Terraform variable) and use EnvValue.fromSecret(secret, "<KEY>") or secrets: [secret]; if it is not a credential, say so with EnvValue.notSecret(value, "<why>")';

  test.each(["DB_PASSWORD", "GITHUB_TOKEN", "JWT_SECRET", "STRIPE_API_KEY", "SSH_PRIVATE_KEY", "api-key"])(
    "throws for a literal %s, without printing the value",
    (name) => {
      const s = setup();
      expect(() => new Worker(s.stack, "w", { namespace: s.ns, ...base, env: { [name]: "hunter2" } })).toThrow(
        `Worker 'w': env.${name} "<a literal value>" looks like a credential, and a literal is written in clear to cdk.tf.json, the plan, Terraform state and the pod spec; ${fix}`,
      );
    },
  );

  test("throws for a secret-looking config.env value (a ConfigMap holds it in clear)", () => {
    const s = setup();
    expect(
      () => new Worker(s.stack, "w", { namespace: s.ns, ...base, config: { env: { SMTP_PASSWORD: "hunter2" } } }),
    ).toThrow(
      `Worker 'w': config.env.SMTP_PASSWORD "<a literal value>" looks like a credential, and a ConfigMap holds it in clear (so do cdk.tf.json, the plan and Terraform state); put the value in a VariableSecret and list it in secrets: [secret] (its value comes from a sensitive Terraform variable); if it is not a credential, set it in env with EnvValue.notSecret(value, "<why>")`,
    );
  });

  test("names of where a secret is, empty values, file paths and values known at apply are accepted", () => {
    const s = setup();
    const env = {
      DB_PASSWORD_FILE: "/run/secrets/db",
      JWT_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:jwt",
      TOKEN_TTL: "3600",
      PWD: "/app",
      EMPTY_PASSWORD: "",
      TLS_PRIVATE_KEY: "/etc/tls/key.pem",
      API_KEY: variable(s.stack, "key"),
    };
    expect(() => new Worker(s.stack, "w", { namespace: s.ns, ...base, env })).not.toThrow();
  });

  test("EnvValue.notSecret renders the literal and needs a reason", () => {
    const s = setup();
    new Worker(s.stack, "w", {
      namespace: s.ns,
      ...base,
      env: { DEMO_PASSWORD: EnvValue.notSecret("demo", "the public demo's documented login") },
    });
    const deployment = Object.values<any>(synthWith(s.stack).resource.kubernetes_deployment_v1)[0];
    expect(deployment.spec.template.spec.container[0].env).toEqual([{ name: "DEMO_PASSWORD", value: "demo" }]);
    expect(
      () =>
        new Worker(s.stack, "x", { namespace: s.ns, ...base, env: { DEMO_PASSWORD: EnvValue.notSecret("demo", " ") } }),
    ).toThrow(
      `Worker 'x': env.DEMO_PASSWORD "EnvValue.notSecret" has an empty reason; say why the value is not a credential (reviewers read it)`,
    );
  });
});

describe("over-strict: environment variable names follow the cluster's Kubernetes version", () => {
  test("from 1.32 any printable ASCII but '=' is accepted (RelaxedEnvironmentVariableValidation)", () => {
    const s = onVersion("1.32");
    expect(
      () =>
        new Worker(s.stack, "w", {
          namespace: s.ns,
          ...base,
          env: { "1ST": "a", "my var:x": "b", "..dots": "c" },
          envFrom: [{ configMap: "settings", prefix: "9_" }],
        }),
    ).not.toThrow();
    expect(() => new Worker(s.stack, "eq", { namespace: s.ns, ...base, env: { "A=B": "x" } })).toThrow(
      `Worker 'eq': env key "A=B" is not an environment variable name (Kubernetes accepts printable ASCII characters other than '='); remove the '=' and any character outside printable ASCII`,
    );
    expect(() => new Worker(s.stack, "tab", { namespace: s.ns, ...base, env: { "A\tB": "x" } })).toThrow(
      "is not an environment variable name (Kubernetes accepts printable ASCII characters other than '=')",
    );
  });

  test("before 1.32 the strict rule holds, and the message names the version and the way out", () => {
    const s = onVersion("1.31");
    expect(() => new Worker(s.stack, "w", { namespace: s.ns, ...base, env: { "1ST": "a" } })).toThrow(
      `Worker 'w': env key "1ST" is not an environment variable name Kubernetes 1.31 accepts (cluster "test"; names of any printable ASCII but '=' need 1.32+); use letters, digits, '_', '-' and '.', not starting with a digit or '..', or upgrade the cluster`,
    );
    expect(
      () => new Worker(s.stack, "p", { namespace: s.ns, ...base, envFrom: [{ configMap: "settings", prefix: "9_" }] }),
    ).toThrow(
      `Worker 'p': envFrom[0].prefix "9_" is not an environment variable prefix Kubernetes 1.31 accepts (cluster "test"; names of any printable ASCII but '=' need 1.32+)`,
    );
    expect(() => new Worker(s.stack, "ok", { namespace: s.ns, ...base, env: { "my.env-NAME_1": "a" } })).not.toThrow();
  });

  test("a Kubernetes version only known at apply takes the relaxed rule (never compared)", () => {
    const stack = workloadStack();
    const cluster = testCluster(stack);
    Object.defineProperty(cluster, "kubernetesVersion", { value: variable(stack, "version") });
    const ns = new Namespace(stack, "shop", { cluster });
    expect(() => new Worker(stack, "w", { namespace: ns, ...base, env: { "1ST": "a" } })).not.toThrow();
  });
});

describe("class 5: nothing created twice", () => {
  test("throws for a second VariableSecret of one name in a namespace; another namespace may reuse it", () => {
    const s = setup();
    new VariableSecret(s.stack, "db", { namespace: s.ns, keys: ["PASSWORD"] });
    expect(() => new VariableSecret(s.stack, "db2", { namespace: s.ns, name: "db", keys: ["USER"] })).toThrow(
      `VariableSecret 'db2': name "db" is already the name of VariableSecret 'db' in namespace "shop"; declare the secret once and pass it to every workload that reads it, or give it another name`,
    );
    const other = new Namespace(s.stack, "billing", { cluster: s.cluster });
    expect(() => new VariableSecret(s.stack, "db3", { namespace: other, name: "db", keys: ["USER"] })).not.toThrow();
  });

  test("throws for a second StorageClass of one name on a cluster (cluster-scoped)", () => {
    const s = setup();
    new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster });
    expect(() => new Gp3StorageClass(s.stack, "gp3-again", { cluster: s.cluster })).toThrow(
      `Gp3StorageClass 'gp3-again': name "gp3-encrypted" is already the name of Gp3StorageClass 'gp3' on cluster "test" (StorageClasses are cluster-scoped); declare the class once and pass it to every workload, or give the second one another name`,
    );
    expect(() => new Gp3StorageClass(s.stack, "fast", { cluster: s.cluster, name: "gp3-fast" })).not.toThrow();
  });

  test("throws when two secrets derive one Terraform variable", () => {
    const s = setup();
    const shopA = new Namespace(s.stack, "shop-a", { cluster: s.cluster });
    new VariableSecret(s.stack, "a-x", { namespace: s.ns, keys: ["KEY"] });
    expect(() => new VariableSecret(s.stack, "x", { namespace: shopA, keys: ["KEY"] })).toThrow(
      `VariableSecret 'x': keys entry "KEY" derives Terraform variable "shop_a_x_key", which VariableSecret 'a-x' key "KEY" derives too (names are lower-cased, '-' and '.' become '_'); rename the secret or the key so the two differ after that mapping`,
    );
  });

  test("throws when two keys of one secret differ only in case", () => {
    const s = setup();
    expect(() => new VariableSecret(s.stack, "db", { namespace: s.ns, keys: ["DB_PASS", "db_pass"] })).toThrow(
      `VariableSecret 'db': keys entry "db_pass" derives Terraform variable "shop_db_db_pass", which VariableSecret 'db' key "DB_PASS" derives too`,
    );
  });

  test("a namespace starting with a digit derives a valid Terraform name (leading '_')", () => {
    const stack = workloadStack();
    const ns = new Namespace(stack, "1shop", { cluster: testCluster(stack) });
    new VariableSecret(stack, "db", { namespace: ns, keys: ["PASSWORD"] });
    const json = JSON.parse(Testing.synth(stack));
    // Terraform: "A name must start with a letter or underscore" (terraform validate, 1.11).
    expect(Object.keys(json.variable)).toEqual(["_1shop_db_password"]);
    expect(Object.keys(json.variable)[0]).toMatch(/^[A-Za-z_][A-Za-z0-9_-]*$/);
  });

  test("throws for a second WorkloadsStack on one cluster", () => {
    const app = new App();
    const platform = new TerraformStack(app, "platform");
    new AwsProvider(platform, "aws", { region: "eu-west-1" });
    const cluster = existingCluster(platform);
    new WorkloadsStack(app, "workloads", { cluster, region: "eu-west-1" });
    expect(() => new WorkloadsStack(app, "more-workloads", { cluster, region: "eu-west-1" })).toThrow(
      `WorkloadsStack 'more-workloads': cluster "legacy" already has WorkloadsStack 'workloads': a second stack would install the same Helm releases and pod identity associations again; add the workloads to WorkloadsStack 'workloads' (one workloads stack per cluster)`,
    );
  });

  test("throws for two adoptions of one cluster in two workloads stacks; two clusters get a stack each", () => {
    const app = new App();
    const adopt = (stack: TerraformStack, name = "legacy") =>
      existingCluster(stack, { clusterName: name, clusterArn: `arn:aws:eks:eu-west-1:123456789012:cluster/${name}` });
    new WorkloadsStack(app, "a", { cluster: (stack) => adopt(stack), region: "eu-west-1" });
    expect(() => new WorkloadsStack(app, "b", { cluster: (stack) => adopt(stack), region: "eu-west-1" })).toThrow(
      `WorkloadsStack 'b': cluster "legacy" already has WorkloadsStack 'a'`,
    );
    expect(
      () => new WorkloadsStack(app, "c", { cluster: (stack) => adopt(stack, "other"), region: "eu-west-1" }),
    ).not.toThrow();
  });
});

describe("class 6: one cluster and one region per workloads stack", () => {
  function workloads() {
    const app = new App();
    const platform = new TerraformStack(app, "platform");
    new AwsProvider(platform, "aws", { region: "eu-west-1" });
    const cluster = existingCluster(platform, { networkPolicyEnforcement: "vpc-cni" });
    const stack = new WorkloadsStack(app, "workloads", { cluster, region: "eu-west-1" });
    return { app, platform, cluster, stack };
  }

  test("throws when the stack's region differs from its cluster's", () => {
    const app = new App();
    const platform = new TerraformStack(app, "platform");
    new AwsProvider(platform, "aws", { region: "eu-west-1" });
    const cluster = existingCluster(platform);
    expect(() => new WorkloadsStack(app, "workloads", { cluster, region: "us-east-1" })).toThrow(
      `WorkloadsStack 'workloads': region "us-east-1" differs from the region of cluster "legacy" (eu-west-1): the AWS provider and aws eks get-token would look for the cluster in us-east-1; use region: "eu-west-1"`,
    );
  });

  test("a region only known at apply is not compared", () => {
    const app = new App();
    const platform = new TerraformStack(app, "platform");
    new AwsProvider(platform, "aws", { region: "eu-west-1" });
    const cluster = existingCluster(platform);
    const region = new TerraformVariable(platform, "region", { type: "string" }).stringValue;
    expect(() => new WorkloadsStack(app, "workloads", { cluster, region })).not.toThrow();
  });

  test("throws for a Namespace or a StorageClass of another cluster in the stack", () => {
    const { stack } = workloads();
    const elsewhere = new TerraformStack(stack.node.scope as App, "elsewhere");
    new AwsProvider(elsewhere, "aws", { region: "eu-west-1" });
    const other = existingCluster(elsewhere, {
      clusterName: "other",
      clusterArn: "arn:aws:eks:eu-west-1:123456789012:cluster/other",
    });
    expect(() => new Namespace(stack, "shop", { cluster: other })).toThrow(
      `Namespace 'shop': cluster "other" is not the cluster of WorkloadsStack 'workloads' ("legacy"), whose providers create this construct's objects; pass the stack's cluster (stack.cluster), or declare the construct in the workloads stack of its cluster`,
    );
    expect(() => new Gp3StorageClass(stack, "gp3", { cluster: other })).toThrow(
      `Gp3StorageClass 'gp3': cluster "other" is not the cluster of WorkloadsStack 'workloads' ("legacy")`,
    );
    expect(() => new Namespace(stack, "ok", { cluster: stack.cluster })).not.toThrow();
  });

  test("throws for a NetworkPolicy peer that is a workload of another cluster", () => {
    const s = setup();
    const elsewhere = workloadStack("elsewhere");
    const otherCluster = testCluster(elsewhere);
    Object.defineProperty(otherCluster, "name", { value: "other" });
    const remote = new Worker(elsewhere, "remote", {
      namespace: new Namespace(elsewhere, "shop", { cluster: otherCluster }),
      ...base,
    });
    expect(() => s.ns.allowIngress({ name: "from-remote", peers: [Peer.workload(remote)] })).toThrow(
      `Namespace 'shop': networkPolicy.ingress rule "from-remote".peers[0] "elsewhere/remote" is a workload of cluster "other", not of this namespace's cluster "test": a NetworkPolicy selects pods of its own cluster only; allow the other cluster's traffic by address (Peer.cidr or Peer.vpc), or name a workload of this cluster`,
    );
    const local = new Worker(s.stack, "local", { namespace: s.ns, ...base });
    expect(() => s.ns.allowIngress({ name: "from-local", peers: [Peer.workload(local)] })).not.toThrow();
  });

  test("throws for a StatefulService claim of another stack's StorageClass (no depends_on across stacks)", () => {
    const s = setup();
    const elsewhere = new TerraformStack(s.stack.node.scope as App, "elsewhere");
    new KubernetesProvider(elsewhere, "kubernetes", {});
    const sc = new Gp3StorageClass(elsewhere, "gp3", { cluster: testCluster(elsewhere) });
    expect(
      () =>
        new StatefulService(s.stack, "db", {
          namespace: s.ns,
          ...base,
          ports: [{ name: "db", port: 5432 }],
          volumeClaims: [{ name: "data", mountPath: "/data", size: "10Gi", storageClass: sc }],
        }),
    ).toThrow(
      `StatefulService 'db': volumeClaims[0].storageClass "elsewhere/gp3" is a StorageClass of stack "elsewhere", but this construct is in stack "workloads": the two would be applied by different stacks in no set order, and depends_on can't name another stack's resources (terraform validate refuses it); declare the StorageClass in stack "workloads", next to what uses it`,
    );
  });

  test("throws for a VariableSecret in another stack than its Namespace", () => {
    const s = setup();
    const elsewhere = new TerraformStack(s.stack.node.scope as App, "elsewhere");
    new KubernetesProvider(elsewhere, "kubernetes", {});
    expect(() => new VariableSecret(elsewhere, "db", { namespace: s.ns, keys: ["PASSWORD"] })).toThrow(
      `VariableSecret 'db': namespace "workloads/shop" is a Namespace of stack "workloads", but this construct is in stack "elsewhere"`,
    );
  });

  test("a workloads stack's own constructs synthesize with no depends_on outside the stack", () => {
    const { stack } = workloads();
    const ns = new Namespace(stack, "shop", { cluster: stack.cluster });
    const secret = new VariableSecret(stack, "db-credentials", { namespace: ns, keys: ["PASSWORD"] });
    const sc = new Gp3StorageClass(stack, "gp3", { cluster: stack.cluster });
    new StatefulService(stack, "db", {
      namespace: ns,
      ...base,
      ports: [{ name: "db", port: 5432 }],
      secrets: [secret],
      volumeClaims: [{ name: "data", mountPath: "/data", size: "10Gi", storageClass: sc }],
    });
    const json = JSON.parse(Testing.synth(stack));
    const declared = new Set(
      Object.entries<Record<string, unknown>>(json.resource).flatMap(([type, byName]) =>
        Object.keys(byName).map((name) => `${type}.${name}`),
      ),
    );
    const dependsOn = Object.values<Record<string, any>>(json.resource).flatMap((byName) =>
      Object.values<any>(byName).flatMap((r) => r.depends_on ?? []),
    );
    expect(dependsOn.length).toBeGreaterThan(0);
    for (const entry of dependsOn) expect(declared).toContain(entry);
  });
});
