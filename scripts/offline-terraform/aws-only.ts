/** AWS-only filtering: a stack without its Kubernetes side (PlanOfflineOptions.awsOnly). */

/** Provider names whose resources and data sources `awsOnly` removes. */
export const NON_AWS_PROVIDERS = ["kubernetes", "helm"] as const;

const isRemoved = (type: string) => NON_AWS_PROVIDERS.some((p) => type.startsWith(`${p}_`));

/**
 * The stack without its Kubernetes side (see PlanOfflineOptions.awsOnly). Returns the new
 * configuration and what was removed, by type.
 */
export function awsPartOf(stack: any): { config: any; dropped: Record<string, number> } {
  const config = JSON.parse(JSON.stringify(stack));
  const dropped: Record<string, number> = {};
  const removed: string[] = [];
  for (const [block, prefix] of [
    ["resource", ""],
    ["data", "data."],
  ] as const) {
    for (const type of Object.keys(config[block] ?? {})) {
      if (!isRemoved(type)) continue;
      for (const name of Object.keys(config[block][type])) removed.push(`${prefix}${type}.${name}`);
      dropped[type] = (dropped[type] ?? 0) + Object.keys(config[block][type]).length;
      delete config[block][type];
    }
    if (config[block] && Object.keys(config[block]).length === 0) delete config[block];
  }
  for (const p of NON_AWS_PROVIDERS) {
    if (config.provider) delete config.provider[p];
    if (config.terraform?.required_providers) delete config.terraform.required_providers[p];
  }
  const refersToRemoved = (value: unknown) => {
    const text = JSON.stringify(value);
    return removed.find((address) => text.includes(`${address}.`) || text.includes(`"${address}"`));
  };
  for (const [name, output] of Object.entries(config.output ?? {})) {
    if (refersToRemoved(output)) delete config.output[name];
  }
  for (const block of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries<Record<string, any>>(config[block] ?? {})) {
      for (const [name, body] of Object.entries(byName)) {
        if (Array.isArray(body.depends_on)) {
          body.depends_on = body.depends_on.filter((d: string) => !removed.includes(d));
          if (body.depends_on.length === 0) delete body.depends_on;
        }
        const ref = refersToRemoved(body);
        if (ref) {
          throw new Error(
            `${type}.${name} refers to ${ref}, which an AWS-only plan removes; the AWS side of this stack can't be planned alone`,
          );
        }
      }
    }
  }
  return { config, dropped };
}
