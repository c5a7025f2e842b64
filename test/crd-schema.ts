/**
 * Validation of custom resources against a vendored CRD's openAPIV3Schema, for the objects the
 * constructs render through local charts (kubernetes-models has no models for them, and
 * @kubernetes-models/autoscaler needs Node 22). Two small parts, no dependency:
 * - `parseYaml`: the YAML a controller-gen CRD uses (block maps and lists, `|-` and folded plain
 *   multi-line scalars, quoted scalars, `{}` / `[]`, full-line comments); anything else throws,
 *   so a CRD in another style fails loudly instead of parsing wrongly;
 * - `validateAgainstSchema`: type, required, enum, pattern, minimum/maximum, int-or-string,
 *   additionalProperties, and, stricter than the API server (which prunes unknown fields
 *   silently), an unknown field is an error: a misspelt field must not pass by vanishing.
 */

type Yaml = string | number | boolean | null | Yaml[] | { [k: string]: Yaml };

interface Line {
  indent: number;
  text: string;
  no: number;
}

export function parseYaml(source: string): Yaml {
  const lines: Line[] = [];
  source.split("\n").forEach((raw, i) => {
    if (/^\s*(#.*)?$/.test(raw)) return;
    lines.push({ indent: raw.length - raw.trimStart().length, text: raw.trim(), no: i + 1 });
  });
  let pos = 0;
  const bad = (l: Line, why: string): never => {
    throw new Error(`parseYaml: line ${l.no} "${l.text}": ${why}`);
  };

  function scalar(text: string): Yaml {
    if (text === "{}") return {};
    if (text === "[]") return [];
    if (/^'.*'$/.test(text)) return text.slice(1, -1).replace(/''/g, "'");
    if (/^".*"$/.test(text)) return JSON.parse(text) as string;
    if (/^-?\d+$/.test(text)) return Number(text);
    if (text === "true" || text === "false") return text === "true";
    if (text === "null" || text === "~") return null;
    if (/^[[{]/.test(text)) throw new Error(`parseYaml: flow collections are not supported: ${text}`);
    return text;
  }

  /** A mapping key: plain, or quoted. */
  function keyOf(text: string): string {
    return /^['"]/.test(text) ? (scalar(text) as string) : text;
  }

  /** The value after `key:` on line `l` (indent of the key), consuming continuation lines. */
  function valueAfter(l: Line, rest: string): Yaml {
    if (rest === "|-" || rest === "|") {
      const body: string[] = [];
      while (pos < lines.length && lines[pos].indent > l.indent) body.push(lines[pos++].text);
      return body.join("\n");
    }
    if (rest !== "") {
      // A plain or quoted scalar, possibly folded over more-indented lines.
      const parts = [rest];
      while (pos < lines.length && lines[pos].indent > l.indent) parts.push(lines[pos++].text);
      return parts.length === 1 ? scalar(rest) : scalar(parts.join(" "));
    }
    if (pos >= lines.length) return null;
    const next = lines[pos];
    if (next.indent > l.indent) return node(next.indent);
    if (next.indent === l.indent && next.text.startsWith("- ")) return node(next.indent);
    return null;
  }

  function mapping(indent: number, first?: { key: string; rest: string; line: Line }): { [k: string]: Yaml } {
    const out: { [k: string]: Yaml } = {};
    const entry = (key: string, rest: string, line: Line) => {
      if (key in out) bad(line, "duplicate key");
      out[key] = valueAfter({ ...line, indent }, rest);
    };
    if (first) entry(first.key, first.rest, first.line);
    while (pos < lines.length && lines[pos].indent === indent && !lines[pos].text.startsWith("- ")) {
      const l = lines[pos++];
      const m = /^("[^"]*"|'[^']*'|[^:]+?):(?:\s+(.*))?$/.exec(l.text);
      if (!m) bad(l, "expected `key: value`");
      entry(keyOf(m![1]), (m![2] ?? "").trim(), l);
    }
    if (pos < lines.length && lines[pos].indent > indent) bad(lines[pos], "unexpected indentation");
    return out;
  }

  function sequence(indent: number): Yaml[] {
    const out: Yaml[] = [];
    while (pos < lines.length && lines[pos].indent === indent && lines[pos].text.startsWith("- ")) {
      const l = lines[pos++];
      const item = l.text.slice(2).trim();
      const kv = /^("[^"]*"|'[^']*'|[^'"\s][^:]*?):(?:\s+(.*))?$/.exec(item);
      // "- key: value" opens a mapping whose keys sit at indent + 2; anything else is a scalar.
      if (kv) out.push(mapping(indent + 2, { key: keyOf(kv[1]), rest: (kv[2] ?? "").trim(), line: l }));
      else out.push(valueAfter({ ...l, indent }, item));
    }
    return out;
  }

  function node(indent: number): Yaml {
    return lines[pos].text.startsWith("- ") ? sequence(indent) : mapping(indent);
  }

  const doc = node(lines[0].indent);
  if (pos < lines.length) bad(lines[pos], "not consumed");
  return doc;
}

/** The subset of an OpenAPI v3 schema (structural, as CRDs have) the validator understands. */
export interface Schema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  anyOf?: Schema[];
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  [other: string]: unknown;
}

/** Problems of `value` against `schema`, as "<path>: <problem>"; empty when it is valid. */
export function validateAgainstSchema(value: unknown, schema: Schema, at = "$"): string[] {
  const problems: string[] = [];
  if (schema["x-kubernetes-int-or-string"]) {
    if (typeof value === "number") {
      if (!Number.isInteger(value)) problems.push(`${at}: ${value} is not an integer`);
    } else if (typeof value === "string") {
      if (schema.pattern && !new RegExp(schema.pattern).test(value))
        problems.push(`${at}: "${value}" doesn't match ${schema.pattern}`);
    } else problems.push(`${at}: ${JSON.stringify(value)} is neither an integer nor a string`);
    return problems;
  }
  switch (schema.type) {
    case "object": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return [`${at}: is not an object`];
      const obj = value as Record<string, unknown>;
      for (const r of schema.required ?? []) if (!(r in obj)) problems.push(`${at}: "${r}" is required`);
      for (const [k, v] of Object.entries(obj)) {
        const sub =
          schema.properties?.[k] ??
          (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
        // An object schema without properties (metadata) is free-form here: the API server checks it.
        const freeForm = schema.properties === undefined && schema.additionalProperties === undefined;
        if (sub) problems.push(...validateAgainstSchema(v, sub, `${at}.${k}`));
        else if (!freeForm && !schema["x-kubernetes-preserve-unknown-fields"])
          problems.push(`${at}: unknown field "${k}"`);
      }
      break;
    }
    case "array":
      if (!Array.isArray(value)) return [`${at}: is not an array`];
      value.forEach((v, i) => schema.items && problems.push(...validateAgainstSchema(v, schema.items, `${at}[${i}]`)));
      break;
    case "string":
      if (typeof value !== "string") return [`${at}: ${JSON.stringify(value)} is not a string`];
      if (schema.pattern && !new RegExp(schema.pattern).test(value))
        problems.push(`${at}: "${value}" doesn't match ${schema.pattern}`);
      break;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value))
        return [`${at}: ${JSON.stringify(value)} is not an integer`];
      break;
    case "number":
      if (typeof value !== "number") return [`${at}: ${JSON.stringify(value)} is not a number`];
      break;
    case "boolean":
      if (typeof value !== "boolean") return [`${at}: ${JSON.stringify(value)} is not a boolean`];
      break;
    default:
      throw new Error(`validateAgainstSchema: ${at}: schema type ${String(schema.type)} is not supported`);
  }
  if (schema.enum && !schema.enum.includes(value))
    problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum)
      problems.push(`${at}: ${value} is below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      problems.push(`${at}: ${value} is above ${schema.maximum}`);
  }
  return problems;
}

/** The openAPIV3Schema of `version` in a parsed CustomResourceDefinition. */
export function crdSchema(crd: Yaml, version: string): Schema {
  const versions = (crd as any)?.spec?.versions as any[] | undefined;
  const v = versions?.find((x) => x.name === version);
  if (!v?.schema?.openAPIV3Schema) throw new Error(`crdSchema: no openAPIV3Schema for version ${version}`);
  return v.schema.openAPIV3Schema as Schema;
}
