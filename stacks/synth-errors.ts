import { ValidationError } from "../constructs/core/errors";

/** Where the default app was when an error was thrown: the environment and the stack being built. */
export interface SynthErrorContext {
  readonly environment: string;
  readonly stack: string;
}

/**
 * An error of the default app, with where it happened: the environment, the stack and, when the bad
 * value came from config/environments.ts, its path there (`prod.network.cidr`).
 */
export class AppSynthError extends Error {
  constructor(
    public readonly original: unknown,
    public readonly context: SynthErrorContext,
  ) {
    super(original instanceof Error ? original.message : String(original));
    this.name = "AppSynthError";
  }

  /** The config path of the bad value, when it is known. */
  public get configPath(): string | undefined {
    return this.original instanceof ValidationError ? configPathOf(this.context.environment, this.original) : undefined;
  }
}

/** `Kind 'id'`, as describe() writes it, split; undefined for anything else. */
function parseWhere(where: string | undefined): { kind: string; id: string } | undefined {
  const m = /^(\w+) '(.*)'$/.exec(where ?? "");
  return m ? { kind: m[1], id: m[2] } : undefined;
}

/**
 * The path in config/environments.ts that a construct's field comes from. PlatformStack passes each
 * config block to one construct (`network` to the Network, `cluster` to the EksCluster,
 * `nodeGroups.<id>` to the node group `node-group-<id>`, ...), and the config types are the
 * constructs' options, so a field keeps its name. Undefined for constructs no config block feeds.
 */
export function configPathOf(environment: string, error: ValidationError): string | undefined {
  const at = parseWhere(error.where);
  if (!at) return undefined;
  // A field may be described further ("instanceTypes entry"): its first word is the config key.
  const key = error.field?.split(/\s/)[0];
  const field = key ? (key.startsWith("[") ? key : `.${key}`) : "";
  const quoted = (s: string) => (/^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`);
  switch (at.kind) {
    case "PlatformStack":
      return `${environment}${field}`;
    case "Network":
      return `${environment}.network${field}`;
    case "VpcFlowLogs":
      return `${environment}.network.flowLogs${field}`;
    case "VpcEndpoints":
      return `${environment}.network.vpcEndpoints${field}`;
    case "EksCluster":
      return `${environment}.cluster${field}`;
    case "ManagedNodeGroup":
      return at.id.startsWith("node-group-")
        ? `${environment}.nodeGroups${quoted(at.id.slice("node-group-".length))}${field}`
        : undefined;
    case "FargateProfile":
      return at.id.startsWith("fargate-")
        ? `${environment}.fargateProfiles${quoted(at.id.slice("fargate-".length))}${field}`
        : undefined;
    case "Registry":
      // registry.repository(name) refuses a name the config doesn't list: it is added under repositories.
      return error.field === "repository" ? `${environment}.registry.repositories` : `${environment}.registry${field}`;
    case "Repository":
      return `${environment}.registry.repositories${quoted(at.id)}${field}`;
    case "RegistrySettings":
      return `${environment}.registrySettings${field}`;
    default:
      return undefined;
  }
}

/**
 * One block for one error: the message, then the stack and environment, and the config path. Bad
 * input (a ValidationError, cdktf's validation) prints no stack trace: the message names the construct,
 * the field, the value and the fix. Anything else is a defect, and keeps its trace.
 */
export function formatSynthError(error: unknown): string {
  const cause = error instanceof AppSynthError ? error.original : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  const lines = [`Error: ${message}`];
  if (error instanceof AppSynthError) {
    lines.push(`  stack:  ${error.context.stack} (environment "${error.context.environment}")`);
    const config = error.configPath;
    if (config) lines.push(`  config: ${config} in config/environments.ts`);
  }
  const expected = cause instanceof ValidationError || /^Validation failed with the following errors/.test(message);
  if (!expected && cause instanceof Error && cause.stack) {
    lines.push("", cause.stack.split("\n").slice(1).join("\n"));
  }
  return lines.join("\n");
}
