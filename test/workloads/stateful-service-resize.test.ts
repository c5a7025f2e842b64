import { TerraformVariable } from "cdktf";
import { Gp3StorageClass, StatefulService, StatefulServiceOptions } from "../../constructs/workloads";
import { IMAGE, setup, synthWith } from "./fixtures";

/**
 * Attributes whose change makes the kubernetes provider replace the resource (ForceNew), for the
 * two resources a StatefulService's volumes live in, as hashicorp/terraform-provider-kubernetes
 * v2.38.0 (what @cdktf/provider-kubernetes 12.1 wraps) declares them: statefulSetSpecFields() in
 * kubernetes/schema_stateful_set_spec.go, persistentVolumeClaimSpecFields() in
 * kubernetes/schema_persistent_volume_claim.go and the CustomizeDiff of
 * kubernetes/resource_kubernetes_persistent_volume_claim_v1.go (spec.resources.requests.storage
 * is updated in place when it grows, replaced when it shrinks). Read 2026-12. Metadata name and
 * namespace are ForceNew on every namespaced resource.
 */
const FORCE_NEW: Record<string, string[]> = {
  kubernetes_stateful_set_v1: [
    "metadata.name",
    "metadata.namespace",
    "spec.pod_management_policy",
    "spec.revision_history_limit",
    "spec.selector",
    "spec.service_name",
    "spec.volume_claim_template",
  ],
  kubernetes_persistent_volume_claim_v1: [
    "metadata.name",
    "metadata.namespace",
    "spec.access_modes",
    "spec.storage_class_name",
    "spec.selector",
    "spec.volume_name",
    "spec.resources.limits",
  ],
};

function db(options: Partial<StatefulServiceOptions> & { size?: string } = {}) {
  const s = setup();
  const storageClass = new Gp3StorageClass(s.stack, "gp3", { cluster: s.cluster });
  const { size = "20Gi", ...rest } = options;
  const service = new StatefulService(s.stack, "db", {
    namespace: s.ns,
    image: IMAGE,
    resources: { cpu: "250m", memory: "512Mi" },
    ports: [{ name: "pg", port: 5432 }],
    securityContext: { runAsUser: 999 },
    volumeClaims: [{ name: "data", mountPath: "/var/lib/postgresql/data", size, storageClass }],
    ...rest,
  });
  return { ...s, service, json: synthWith(s.stack) };
}

/** The leaf paths (list indexes dropped) where two synthesized values differ. */
function changedPaths(a: unknown, b: unknown, path = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => {
      const next = Array.isArray(a) ? path : path ? `${path}.${k}` : k;
      return changedPaths((a as any)[k], (b as any)[k], next);
    });
  }
  return [path];
}

/** What Terraform would plan for each resource of `type` when the config goes from `before` to `after`. */
function planned(before: any, after: any, type: string): Record<string, string> {
  const was = before.resource[type] ?? {};
  const now = after.resource[type] ?? {};
  const actions: Record<string, string> = {};
  for (const address of new Set([...Object.keys(was), ...Object.keys(now)])) {
    if (!(address in was)) actions[address] = "create";
    else if (!(address in now)) actions[address] = "delete";
    else {
      const ignored: string[] = (now[address].lifecycle?.ignore_changes ?? []).map((p: string) =>
        p.replace(/\[\d+\]/g, ""),
      );
      const changed = [...new Set(changedPaths(was[address], now[address]))].filter(
        (p) => p !== "" && !ignored.some((i) => p === i || p.startsWith(`${i}.`)),
      );
      const forceNew = changed.filter((p) => FORCE_NEW[type].some((f) => p === f || p.startsWith(`${f}.`)));
      actions[address] =
        forceNew.length > 0
          ? `replace (${forceNew.join(", ")})`
          : changed.length > 0
            ? `update (${changed.join(", ")})`
            : "no-op";
    }
  }
  return actions;
}

describe("StatefulService: a volume size change on a running system", () => {
  const before = db({ size: "20Gi", replicas: 2 }).json;
  const after = db({ size: "40Gi", replicas: 2 }).json;

  test("expands each replica's claim in place and leaves the StatefulSet alone", () => {
    expect(Object.values(planned(before, after, "kubernetes_stateful_set_v1"))).toEqual(["no-op"]);
    expect(Object.values(planned(before, after, "kubernetes_persistent_volume_claim_v1"))).toEqual([
      "update (spec.resources.requests.storage)",
      "update (spec.resources.requests.storage)",
    ]);
  });

  test("the StatefulSet ignores its claim template, which the provider would replace it for", () => {
    const [sts] = Object.values(after.resource.kubernetes_stateful_set_v1) as any[];
    expect(sts.lifecycle).toEqual({ ignore_changes: ["spec[0].volume_claim_template"] });
    expect(FORCE_NEW.kubernetes_stateful_set_v1).toContain("spec.volume_claim_template");
  });
});

describe("StatefulService claims", () => {
  test("one claim per replica and volume, named as the StatefulSet names them, created first and not waited for", () => {
    const { json } = db({ replicas: 3 });
    const claims = Object.values(json.resource.kubernetes_persistent_volume_claim_v1) as any[];
    expect(claims.map((c) => c.metadata.name)).toEqual(["data-db-0", "data-db-1", "data-db-2"]);
    for (const c of claims) {
      expect(c.metadata.namespace).toBe("shop");
      expect(c.wait_until_bound).toBe(false);
      expect(c.spec).toEqual({
        access_modes: ["ReadWriteOnce"],
        storage_class_name: "gp3-encrypted",
        resources: { requests: { storage: "20Gi" } },
      });
    }
    const [sts] = Object.values(json.resource.kubernetes_stateful_set_v1) as any[];
    expect(sts.spec.volume_claim_template[0].metadata.name).toBe("data");
    for (const address of Object.keys(json.resource.kubernetes_persistent_volume_claim_v1)) {
      expect(sts.depends_on).toContain(`kubernetes_persistent_volume_claim_v1.${address}`);
    }
  });

  test('with claimRetention "Retain" (the default) Terraform never deletes a claim', () => {
    const { json } = db();
    for (const c of Object.values(json.resource.kubernetes_persistent_volume_claim_v1) as any[]) {
      expect(c.lifecycle).toEqual({ prevent_destroy: true });
    }
  });

  test('with claimRetention "Delete" claims go with a scale-down or a destroy', () => {
    const { json } = db({ claimRetention: "Delete" });
    for (const c of Object.values(json.resource.kubernetes_persistent_volume_claim_v1) as any[]) {
      expect(c.lifecycle).toBeUndefined();
    }
  });

  test("throws when replicas is only known at apply", () => {
    const s = setup();
    const replicas = new TerraformVariable(s.stack, "replicas", { type: "number" }).numberValue;
    expect(
      () =>
        new StatefulService(s.stack, "db", {
          namespace: s.ns,
          image: IMAGE,
          resources: { cpu: "250m", memory: "512Mi" },
          ports: [{ name: "pg", port: 5432 }],
          replicas,
          volumeClaims: [{ name: "data", mountPath: "/data", size: "1Gi", storageClass: "gp3" }],
        }),
    ).toThrow(
      // The message names the value as the user wrote it (a variable), not cdktf's number stand-in.
      `StatefulService 'db': replicas "<a value only known at apply time>" is only known at apply time, but each replica's volume claim is declared at synth; give the replica count as a number`,
    );
  });
});
