/** The harness's public data shapes: its tools, plan options, plan summaries and Terraform states. */

export interface OfflineTools {
  readonly terraform: string;
  /** Undefined: install providers from the registry (needs network). */
  readonly pluginDir?: string;
}

export interface PlanSummary {
  /** Resources and data sources removed from the plan by `awsOnly`, by type. */
  readonly dropped: Record<string, number>;
  /** Resource changes by action ("create", "update", "delete", "no-op", ...; a replacement is "delete+create"). */
  readonly actions: Record<string, number>;
  /** Resources to create, by Terraform resource type. */
  readonly createByType: Record<string, number>;
  /** Total resources to create. */
  readonly toCreate: number;
  /** Seconds taken by init and plan (validate is part of plan: always 0). */
  readonly seconds: { init: number; validate: number; plan: number };
  /** Every managed resource's planned change (no-ops included), in plan order. */
  readonly changes: ResourceChange[];
}

/** One resource's planned change, as `terraform show -json` reports it. */
export interface ResourceChange {
  /** e.g. "aws_eks_cluster.eks_cluster_55B0C966" */
  readonly address: string;
  readonly type: string;
  /** e.g. ["update"], ["delete", "create"] (a replacement), ["no-op"] */
  readonly actions: string[];
  /** Attribute paths that force the replacement, when it is one, e.g. ["bootstrap_self_managed_addons"]. */
  readonly replacePaths: string[];
}

/** A Terraform state file (format version 4), as `terraform plan` reads it from a local backend. */
export interface TerraformState {
  readonly version: 4;
  readonly terraform_version: string;
  readonly serial: number;
  readonly lineage: string;
  readonly outputs: Record<string, unknown>;
  readonly resources: StateResource[];
}

export interface StateResource {
  readonly mode: "managed";
  readonly type: string;
  readonly name: string;
  readonly provider: string;
  readonly instances: { schema_version: number; attributes: Record<string, unknown>; index_key?: unknown }[];
}

export interface PlanOfflineOptions {
  /**
   * Plan against this state instead of an empty one (a day-2 change): it is written as the
   * scratch local backend's state, and `plan -refresh=false` takes it as what exists.
   * @default - no state: everything is created
   */
  readonly state?: TerraformState;
  /**
   * Plan only the stack's AWS side: the kubernetes and helm providers, every kubernetes_* and
   * helm_* resource and data source, and outputs and depends_on entries naming them are removed
   * from the scratch copy first (no provider binaries for them exist offline, and they would
   * need a live API server). Throws when an AWS resource refers to a removed one.
   * @default false
   */
  readonly awsOnly?: boolean;
  /**
   * Outputs each terraform_remote_state data source returns, by data source name. The remote
   * state of another stack doesn't exist offline, so these become its `defaults` (over an
   * empty local state in the scratch directory).
   * @default - a plausible mock per referenced output, derived from its name
   */
  readonly remoteStateOutputs?: Record<string, Record<string, unknown>>;
  /**
   * Set the stack's `allow_documentation_placeholders` variable (stacks/placeholders.ts), so a
   * config that still holds the documentation account's example principals plans offline.
   * `false` plans as a real deploy would, and fails on them.
   * @default true
   */
  readonly allowDocumentationPlaceholders?: boolean;
}
