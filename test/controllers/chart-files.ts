import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Readers for the vendored chart files (test/controllers/charts): no YAML library and no Helm,
 * just enough of each file's shape for the checks, so a chart bump that changes that shape fails
 * loudly here rather than passing by accident.
 */
export const CHARTS_DIR = path.join(__dirname, "charts");

export function chartFile(chartDir: string, file: string): string | undefined {
  const p = path.join(CHARTS_DIR, chartDir, file);
  return fs.existsSync(p) ? fs.readFileSync(p, "utf8") : undefined;
}

/** `key: value` of a flat YAML file (Chart.yaml's top level). */
export function topLevelScalars(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z][\w-]*):\s*(\S.*)?$/.exec(line);
    if (m && m[2] !== undefined) out[m[1]] = m[2].trim();
  }
  return out;
}

/**
 * The dotted paths of every mapping key in a values.yaml (comments and list items skipped), and
 * the paths whose value is an empty map `{}` (free-form maps: any key below them is accepted).
 */
export function valuesKeys(text: string): { keys: Set<string>; openMaps: Set<string> } {
  const keys = new Set<string>();
  const openMaps = new Set<string>();
  const stack: { indent: number; key: string }[] = [];
  for (const raw of text.split("\n")) {
    if (/^\s*(#|$)/.test(raw) || /^\s*- /.test(raw)) continue;
    const m = /^(\s*)([A-Za-z0-9_.-]+|"[^"]+"):(\s|$)(.*)$/.exec(raw);
    if (!m) continue;
    const indent = m[1].length;
    while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop();
    const key = m[2].replace(/^"|"$/g, "");
    const full = [...stack.map((s) => s.key), key].join(".");
    keys.add(full);
    const value = m[4].replace(/\s+#.*$/, "").trim();
    if (value === "{}") openMaps.add(full);
    stack.push({ indent, key });
  }
  return { keys, openMaps };
}

/** The leaf paths of an object of values we set ("a.b.c"); a map under an open map stops there. */
export function leafPaths(values: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(values).flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0)
      return [p, ...leafPaths(v as Record<string, unknown>, p)];
    return [p];
  });
}

/** A path is known when it is a key, or lies below a free-form map (`{}`) or a key the chart passes through. */
export function unknownValuePaths(
  values: Record<string, unknown>,
  known: { keys: Set<string>; openMaps: Set<string> },
): string[] {
  return leafPaths(values).filter((p) => {
    if (known.keys.has(p)) return false;
    const parts = p.split(".");
    for (let i = 1; i < parts.length; i++) {
      if (known.openMaps.has(parts.slice(0, i).join("."))) return false;
    }
    return true;
  });
}

export interface RbacRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
}

/**
 * The rules a ClusterRole template grants unconditionally: the outer `if rbac.create` is taken
 * as true (we create RBAC), every inner `{{ if }}...{{ end }}` block is dropped (conditional on a
 * cloud provider or an option we don't set), other template lines are ignored.
 */
export function unconditionalRules(template: string): RbacRule[] {
  const lines = template.split("\n");
  const kept: string[] = [];
  let depth = 0;
  let outer = true;
  for (const line of lines) {
    const ifs = (line.match(/\{\{-?\s*(if|with|range)\b/g) ?? []).length;
    const ends = (line.match(/\{\{-?\s*end\s*-?\}\}/g) ?? []).length;
    if (outer && ifs > 0 && depth === 0) {
      outer = false; // the whole-file `if rbac.create` guard
      continue;
    }
    depth += ifs - ends;
    if (ifs > 0 || ends > 0 || line.includes("{{")) continue;
    if (depth === 0) kept.push(line);
  }
  const body = kept.slice(kept.findIndex((l) => /^rules:/.test(l)) + 1);
  const rules: RbacRule[] = [];
  let current: RbacRule | undefined;
  let field: keyof RbacRule | undefined;
  for (const line of body) {
    const start = /^\s{2}- (apiGroups|resources|verbs|resourceNames):\s*$/.exec(line);
    const key = /^\s{4}(apiGroups|resources|verbs|resourceNames):\s*$/.exec(line);
    const item = /^\s*- "?([^"]*)"?\s*$/.exec(line);
    if (start) {
      current = { apiGroups: [], resources: [], verbs: [], resourceNames: [] };
      rules.push(current);
      field = start[1] as keyof RbacRule;
    } else if (key) {
      field = key[1] as keyof RbacRule;
    } else if (item && current && field) {
      current[field].push(item[1]);
    }
  }
  return rules;
}

/** True when some rule grants every verb on every resource (no resourceNames restriction). */
export function grants(rules: RbacRule[], apiGroup: string, resource: string, verbs: readonly string[]): boolean {
  return verbs.every((verb) =>
    rules.some(
      (r) =>
        r.resourceNames.length === 0 &&
        r.apiGroups.includes(apiGroup) &&
        r.resources.includes(resource) &&
        r.verbs.includes(verb),
    ),
  );
}

export interface Webhook {
  configuration: "Mutating" | "Validating";
  name: string;
  failurePolicy: string;
  /** "<group>/<resource>" with "" for the core group, e.g. "/services". */
  resources: string[];
  operations: string[];
  /** Label keys a namespace must have (operator In or Exists) for the webhook to apply. */
  namespaceLabelsRequired: string[];
  /** Label keys an object must have (operator In or Exists) for the webhook to apply. */
  objectLabelsRequired: string[];
}

/**
 * The webhooks a webhook template registers with `values` (chart defaults merged with ours):
 * `{{ if .Values.x }}` / `{{ if not $.Values.x }}` guards are evaluated, `failurePolicy` and
 * `operations` taken from values when templated (default Fail / CREATE: the charts' defaults).
 */
export function webhooks(template: string, values: Record<string, unknown>): Webhook[] {
  const get = (p: string): unknown =>
    p
      .split(".")
      .reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), values);
  const lines = template.split("\n");
  const kept: string[] = [];
  const active: boolean[] = [];
  for (const line of lines) {
    const guard = /\{\{-?\s*if\s+(not\s+)?\$?\.Values\.([\w.]+)\s*-?\}\}/.exec(line);
    if (guard) {
      const v = Boolean(get(guard[2]));
      active.push(guard[1] ? !v : v);
      continue;
    }
    if (/\{\{-?\s*(if|with|range)\b/.test(line)) {
      active.push(true); // other conditionals: keep their content (conservative)
      continue;
    }
    if (/\{\{-?\s*else\s*-?\}\}/.test(line)) {
      active[active.length - 1] = !active[active.length - 1];
      continue;
    }
    if (/\{\{-?\s*end\s*-?\}\}/.test(line)) {
      active.pop();
      continue;
    }
    if (active.every(Boolean)) kept.push(line);
  }
  const out: Webhook[] = [];
  let configuration: Webhook["configuration"] | undefined;
  let hook: Webhook | undefined;
  let section: "rules" | "namespaceSelector" | "objectSelector" | "other" = "other";
  let list: "resources" | "operations" | "apiGroups" | undefined;
  let groups: string[] = [];
  let pendingKey: string | undefined;
  for (const line of kept) {
    const kind = /^kind: (Mutating|Validating)WebhookConfiguration/.exec(line);
    if (kind) configuration = kind[1] as Webhook["configuration"];
    if (/^kind: (?!Mutating|Validating)/.test(line)) configuration = undefined;
    if (!configuration) continue;
    // Each webhook is a list item at column 0 (its first key varies: clientConfig, admissionReviewVersions).
    if (/^- \w+:/.test(line)) {
      hook = {
        configuration,
        name: "",
        failurePolicy: "Fail",
        resources: [],
        operations: [],
        namespaceLabelsRequired: [],
        objectLabelsRequired: [],
      };
      out.push(hook);
      section = "other";
      continue;
    }
    if (!hook) continue;
    const top = /^ {2}(\w+):\s*(.*)$/.exec(line);
    if (top) {
      list = undefined;
      section =
        top[1] === "rules"
          ? "rules"
          : top[1] === "namespaceSelector"
            ? "namespaceSelector"
            : top[1] === "objectSelector"
              ? "objectSelector"
              : "other";
      if (top[1] === "name") hook.name = top[2].trim();
      if (top[1] === "failurePolicy") {
        const t = /\.Values\.([\w.]+)/.exec(top[2]);
        const v = t ? get(t[1]) : top[2].trim();
        hook.failurePolicy = typeof v === "string" ? v : "Fail";
      }
      continue;
    }
    if (section === "rules") {
      const key = /^\s*-?\s*(apiGroups|resources|operations|apiVersions):\s*$/.exec(line);
      if (key) {
        if (/^\s*- apiGroups/.test(line)) groups = [];
        list = key[1] === "apiVersions" ? undefined : (key[1] as typeof list);
        if (/operations/.test(line) && /\.Values/.test(line)) list = "operations";
        continue;
      }
      const templatedOps = /toYaml \.Values\.([\w.]+)/.exec(line);
      if (templatedOps && list === "operations") {
        const ops = get(templatedOps[1]);
        hook.operations.push(...(Array.isArray(ops) ? ops.map(String) : ["CREATE"]));
        continue;
      }
      const item = /^\s*- "?([^"]*)"?\s*$/.exec(line);
      if (item && list === "apiGroups") groups.push(item[1]);
      if (item && list === "resources") hook.resources.push(...groups.map((g) => `${g}/${item[1]}`));
      if (item && list === "operations") hook.operations.push(item[1]);
      continue;
    }
    if (section === "namespaceSelector" || section === "objectSelector") {
      const k = /- key: (\S+)/.exec(line);
      if (k) {
        pendingKey = k[1];
        continue;
      }
      const op = /operator: (\w+)/.exec(line);
      if (op && pendingKey) {
        if (op[1] === "In" || op[1] === "Exists") {
          (section === "namespaceSelector" ? hook.namespaceLabelsRequired : hook.objectLabelsRequired).push(pendingKey);
        }
      }
    }
  }
  return out;
}
