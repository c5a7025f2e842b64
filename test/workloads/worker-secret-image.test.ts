import { Testing, TerraformVariable } from "cdktf";
import { checkImage } from "../../constructs/private/image";
import { Namespace, VariableSecret, Worker } from "../../constructs/workloads";
import { IMAGE, RESOURCES, setup, synthWith } from "./fixtures";

describe("Worker defaults", () => {
  const { stack, ns } = setup();
  const worker = new Worker(stack, "consumer", { namespace: ns, image: IMAGE, resources: RESOURCES });
  const json = synthWith(stack);

  test("a Deployment with HPA, PDB and ServiceAccount, and no Service, Ingress or probe", () => {
    expect(Object.keys(json.resource.kubernetes_deployment_v1)).toHaveLength(1);
    expect(json.resource.kubernetes_service_v1).toBeUndefined();
    expect(json.resource.kubernetes_ingress_v1).toBeUndefined();
    expect(Object.keys(json.resource.kubernetes_horizontal_pod_autoscaler_v2)).toHaveLength(1);
    expect(Object.keys(json.resource.kubernetes_pod_disruption_budget_v1)).toHaveLength(1);
    const container = (Object.values(json.resource.kubernetes_deployment_v1)[0] as any).spec.template.spec.container[0];
    expect(container.readiness_probe).toBeUndefined();
    expect(container.port).toBeUndefined();
    expect(worker.selectorLabels).toEqual({
      "app.kubernetes.io/name": "consumer",
      "app.kubernetes.io/component": "worker",
    });
  });

  test("snapshot", () => {
    expect(json.resource.kubernetes_deployment_v1).toMatchSnapshot();
  });
});

describe("VariableSecret", () => {
  test("values come from sensitive variables, never literals in cdk.tf.json", () => {
    const { stack, ns } = setup();
    new VariableSecret(stack, "db", { namespace: ns, keys: ["DB_PASSWORD", "API_TOKEN"] });
    const synth = Testing.synth(stack);
    const json = JSON.parse(synth);
    expect(json.variable).toEqual({
      shop_db_db_password: {
        type: "string",
        sensitive: true,
        nullable: false,
        description: "Secret shop/db key DB_PASSWORD",
      },
      shop_db_api_token: {
        type: "string",
        sensitive: true,
        nullable: false,
        description: "Secret shop/db key API_TOKEN",
      },
    });
    const secret = Object.values(json.resource.kubernetes_secret_v1)[0] as any;
    expect(secret.data).toEqual({ DB_PASSWORD: "${var.shop_db_db_password}", API_TOKEN: "${var.shop_db_api_token}" });
    expect(secret.metadata).toMatchObject({ name: "db", namespace: "shop" });
    expect(secret.type).toBe("Opaque");
  });

  test.each([
    [[], "VariableSecret 'db': keys [] is empty; list the keys, e.g. [\"DATABASE_PASSWORD\"]"],
    [["A", "A"], "VariableSecret 'db': keys [\"A\"] are listed more than once; list each key once"],
  ])("throws when keys are %j", (keys, message) => {
    const { stack, ns } = setup();
    expect(() => new VariableSecret(stack, "db", { namespace: ns, keys })).toThrow(message);
  });

  test("throws when a workload takes a Secret of another namespace", () => {
    const { stack, ns, cluster } = setup();
    const other = new Namespace(stack, "other", { cluster });
    const secret = new VariableSecret(stack, "db", { namespace: other, keys: ["X"] });
    expect(
      () => new Worker(stack, "w", { namespace: ns, image: IMAGE, resources: RESOURCES, secrets: [secret] }),
    ).toThrow(
      'Worker \'w\': secrets "db" is in namespace "other", but the pods run in "shop" (a pod can only read Secrets of its own namespace); create the VariableSecret in the workload\'s namespace',
    );
  });
});

describe("image references", () => {
  it.each([
    "nginx:1.27.3",
    "public.ecr.aws/nginx/nginx-unprivileged:1.27.4-alpine",
    "registry.example.com:5000/team/app:2024-01-01",
    `repo@sha256:${"a".repeat(64)}`,
    `123456789012.dkr.ecr.eu-west-1.amazonaws.com/apps/web:1.4.2`,
  ])("accepts %s", (image) => {
    expect(() => checkImage("Worker 'w'", "image", image, false)).not.toThrow();
  });

  test("accepts an untagged or latest image with allowLatest", () => {
    expect(() => checkImage("Worker 'w'", "image", "nginx", true)).not.toThrow();
    expect(() => checkImage("Worker 'w'", "image", "nginx:latest", true)).not.toThrow();
  });

  test("a registry port is not a tag", () => {
    expect(() => checkImage("Worker 'w'", "image", "registry.example.com:5000/app", false)).toThrow(
      /has no tag or digest/,
    );
  });

  test("accepts a reference whose repository or tag is a token", () => {
    const { stack } = setup();
    const v = new TerraformVariable(stack, "tag", { type: "string" });
    expect(() => checkImage("Worker 'w'", "image", `repo:${v.stringValue}`, false)).not.toThrow();
    expect(() => checkImage("Worker 'w'", "image", `${v.stringValue}:1.0.0`, false)).not.toThrow();
    expect(() => checkImage("Worker 'w'", "image", v.stringValue, false)).not.toThrow();
    expect(() => checkImage("Worker 'w'", "image", `${v.stringValue}:latest`, false)).toThrow(/floating tag/);
  });

  test.each([
    [
      "repo@sha256:abc",
      'Worker \'w\': image "repo@sha256:abc" has an invalid digest; use "sha256:" followed by 64 lowercase hex characters, as printed by `docker buildx imagetools inspect` or ECR',
    ],
    [
      "repo:-bad",
      'Worker \'w\': image "repo:-bad" has an invalid tag "-bad"; use 1 to 128 characters: letters, digits, _ . -, not starting with . or -',
    ],
  ])("throws when the image is %s", (image, message) => {
    expect(() => checkImage("Worker 'w'", "image", image, false)).toThrow(message);
  });
});
