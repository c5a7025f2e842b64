import { TerraformVariable } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { checkDnsSubdomain } from "../private/kubernetes-names";
import { describe, duplicatesOf, fail, isToken } from "../private/validation";
import { INamespace } from "./namespace";

/** A Secret workloads can take (`secrets: [secret]`): its keys become environment variables. */
export interface IVariableSecret extends IConstruct {
  readonly secretName: string;
  readonly namespace: string;
  readonly keys: string[];
}

export interface VariableSecretOptions {
  /** The keys, each an environment-variable name (e.g. "DATABASE_PASSWORD"). */
  readonly keys: string[];
  /** @default - the construct id */
  readonly name?: string;
}

export interface VariableSecretProps extends VariableSecretOptions {
  readonly namespace: INamespace;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A Kubernetes Secret whose values come from sensitive Terraform variables, one per key,
 * named `<namespace>_<secret>_<key>` (lower-case, `_` for `-`). Set them outside the code:
 * `TF_VAR_shop_db_password=... cdktf deploy`, or a `*.auto.tfvars` file kept out of git. The
 * values never appear in the code or in cdk.tf.json, and plans print them as (sensitive).
 *
 * Terraform state does hold them (every resource attribute is stored in state): keep the
 * state in an encrypted backend with restricted access (e.g. S3 with SSE-KMS), never in git.
 */
export class VariableSecret extends Construct implements IVariableSecret {
  public readonly secretName: string;
  public readonly namespace: string;
  public readonly keys: string[];
  /** The variables, by key. */
  public readonly variables: Record<string, TerraformVariable> = {};
  public readonly resource: SecretV1;

  constructor(scope: Construct, id: string, props: VariableSecretProps) {
    super(scope, id);
    const where = describe("VariableSecret", id);
    this.secretName = props.name ?? id;
    checkDnsSubdomain(where, "name", this.secretName, "Secret name");
    if (!props.keys || props.keys.length === 0) {
      fail(where, "keys", props.keys ?? [], "is empty", 'list the keys, e.g. ["DATABASE_PASSWORD"]');
    }
    for (const key of props.keys) {
      if (!isToken(key) && !ENV_NAME.test(key)) {
        fail(
          where,
          "keys entry",
          key,
          "is not an environment variable name",
          "use letters, digits and underscores, not starting with a digit",
        );
      }
    }
    const dups = duplicatesOf(props.keys);
    if (dups.length > 0) fail(where, "keys", dups, "are listed more than once", "list each key once");
    this.keys = [...props.keys];
    this.namespace = props.namespace.name;

    const data: Record<string, string> = {};
    for (const key of this.keys) {
      const variableName = `${props.namespace.name}_${this.secretName}_${key}`
        .toLowerCase()
        .replace(/[^a-z0-9_]/g, "_");
      const variable = new TerraformVariable(this, key, {
        type: "string",
        sensitive: true,
        nullable: false,
        description: `Secret ${props.namespace.name}/${this.secretName} key ${key}`,
      });
      variable.overrideLogicalId(variableName);
      this.variables[key] = variable;
      data[key] = variable.stringValue;
    }
    this.resource = new SecretV1(this, "secret", {
      metadata: { name: this.secretName, namespace: props.namespace.name, labels: props.namespace.commonLabels },
      type: "Opaque",
      data,
      dependsOn: props.namespace.dependable ? [props.namespace.dependable] : undefined,
    });
  }
}
