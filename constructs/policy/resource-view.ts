import { TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";

/**
 * One Terraform resource of a stack as the policy rules, the cost estimate and the
 * diagram read it: its Terraform address, its construct path, and its configuration in
 * the shape Terraform sees (snake_case keys, references as "${...}" expressions).
 */
export interface ResourceView {
  /** Terraform resource type, e.g. "aws_eks_cluster". */
  readonly type: string;
  /** Terraform address, e.g. "aws_eks_cluster.cluster_A4C38409". */
  readonly address: string;
  /** Construct path, e.g. "platform-dev/cluster/cluster". */
  readonly path: string;
  /** The construct that synthesizes the resource (suppressions are looked up from it). */
  readonly construct: IConstruct;
  /** Resolved configuration (what cdk.tf.json holds for this resource). */
  readonly config: Record<string, any>;
}

/**
 * The resources of a stack's synthesized Terraform JSON (what `stack.toTerraform()` returns,
 * "//" metadata included), each with the construct that made it. Reading the JSON the synth
 * produces anyway keeps the checks to one resolve of the stack: no second resolve, no file
 * round trip.
 */
export function resourceViews(stack: TerraformStack, json: any = stack.toTerraform()): ResourceView[] {
  const byPath = new Map<string, IConstruct>();
  for (const c of stack.node.findAll()) if (c instanceof TerraformResource) byPath.set(c.node.path, c);
  const views: ResourceView[] = [];
  for (const [type, byId] of Object.entries((json?.resource ?? {}) as Record<string, Record<string, any>>)) {
    for (const [id, config] of Object.entries(byId)) {
      const path: string = config?.["//"]?.metadata?.path ?? `${stack.node.path}/${id}`;
      views.push({ type, address: `${type}.${id}`, path, construct: byPath.get(path) ?? stack, config });
    }
  }
  return views;
}

/** True when a resolved value is only known at apply (it holds a Terraform expression). */
export function isUnknown(value: unknown): boolean {
  if (typeof value === "string") return value.includes("${");
  if (Array.isArray(value)) return value.some(isUnknown);
  return false;
}

/** A nested block: cdktf writes single blocks as objects and list blocks as arrays. */
export function block(value: unknown): Record<string, any> | undefined {
  if (Array.isArray(value)) return value[0];
  if (value && typeof value === "object") return value as Record<string, any>;
  return undefined;
}

/** A list block (or a single block) as an array. */
export function blocks(value: unknown): Record<string, any>[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object") return [value as Record<string, any>];
  return [];
}

/** Follows a path of nested blocks: dig(config, "spec", "template", "spec"). */
export function dig(value: unknown, ...keys: string[]): any {
  let cur: any = value;
  for (const key of keys) {
    cur = block(cur)?.[key];
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Booleans arrive as true or "true" (cdktf writes some provider booleans as strings). */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}
export function isFalse(value: unknown): boolean {
  return value === false || value === "false";
}

/** The Terraform address inside a reference "${aws_x.y.attr}", when it is one. */
export function referencedAddress(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)[.[]/.exec(value);
  return m?.[1];
}

/**
 * Parses a policy document: plain JSON, or cdktf's `${jsonencode({...})}` (what
 * Fn.jsonencode over an object with references synthesizes). Inside jsonencode, bare
 * expressions (references, function calls) become the string "${<expression>}", so rules
 * treat them as unknown. Returns undefined when the text is neither.
 */
export function parsePolicy(text: unknown): any {
  if (typeof text !== "string") return typeof text === "object" ? text : undefined;
  const trimmed = text.trim();
  try {
    if (!trimmed.startsWith("${")) return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  const m = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(trimmed);
  if (!m) return undefined;
  try {
    return JSON.parse(hclToJson(m[1]));
  } catch {
    return undefined;
  }
}

/** Rewrites an HCL object/tuple literal to JSON: `=` to `:`, bare expressions quoted. */
function hclToJson(src: string): string {
  let out = "";
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '"') {
      // a string literal: copy with its escapes
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === "\\" ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else if (ch === "=") {
      out += ":";
      i++;
    } else if ("{}[],: \n\t\r".includes(ch)) {
      out += ch;
      i++;
    } else {
      // a bare expression up to the next delimiter at depth 0 (calls may nest parentheses)
      let j = i;
      let depth = 0;
      while (j < src.length) {
        const c = src[j];
        if (c === '"') {
          j++;
          while (j < src.length && src[j] !== '"') j += src[j] === "\\" ? 2 : 1;
        } else if (c === "(" || c === "[") depth++;
        else if ((c === ")" || c === "]") && depth > 0) depth--;
        else if (depth === 0 && ",}]\n".includes(c)) break;
        j++;
      }
      const expr = src.slice(i, j).trim();
      out += /^(true|false|null|-?\d+(\.\d+)?)$/.test(expr) ? expr : JSON.stringify("${" + expr + "}");
      i = j;
    }
  }
  return out;
}
