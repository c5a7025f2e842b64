import { readdirSync, readFileSync, statSync } from "fs";
import { dirname, join } from "path";

/**
 * The attribute paths of a `kubernetes_*` resource as the pinned @cdktf/provider-kubernetes declares them, read
 * from its generated `...ToTerraform` functions (`{ tf_name: mapper(struct.tfName) }`). Test-only: it lets a
 * test list what test/kubernetes-schema.ts does not map, and see new attributes when the provider is upgraded.
 */
export function providerAttributePaths(terraformType: string): string[] {
  const dir = dirname(
    require.resolve(`@cdktf/provider-kubernetes/lib/${terraformType.replace(/^kubernetes_/, "").replace(/_/g, "-")}`),
  );
  const source = jsFiles(dir)
    .map((file) => readFileSync(file, "utf8"))
    .join("\n");
  const bodies = new Map<string, string>();
  for (const match of source.matchAll(
    // The body may not run into the next function: a computed-only struct's mapper returns no object literal.
    /function (\w+)ToTerraform\(struct\) \{(?:(?!\nfunction )[\s\S])*?return \{((?:(?!\nfunction )[\s\S])*?)\n {4}\};\n\}/g,
  )) {
    bodies.set(match[1], match[2]);
  }
  const root = /synthesizeAttributes\(\) \{\s*return \{([\s\S]*?)\n {8}\};/.exec(source);
  if (!root) throw new Error(`${terraformType}: no synthesizeAttributes in ${dir}`);
  const paths: string[] = [];
  const walk = (body: string, prefix: string, seen: ReadonlySet<string>) => {
    for (const line of body.split("\n")) {
      const attribute = /^\s*(\w+): (.*?),?$/.exec(line);
      if (!attribute) continue;
      const [, key, mapper] = attribute;
      const path = prefix ? `${prefix}.${key}` : key;
      paths.push(path);
      // A nested block's mapper is a struct function of this package; a value's is one of cdktf's.
      const nested = /(?:^|[^.\w])(?:\w+_1\.)?(\w+)ToTerraform(?:\)|, true|\()/.exec(mapper.replace(/cdktf\.\w+/g, ""));
      const name = nested?.[1];
      if (name && bodies.has(name) && !seen.has(name)) walk(bodies.get(name)!, path, new Set([...seen, name]));
    }
  };
  walk(root[1], "", new Set());
  return paths;
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsFiles(path);
    return path.endsWith(".js") ? [path] : [];
  });
}
