import { IAspect, ITerraformDependable, TerraformModule, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { fail } from "./validation";

/** depends_on entries ("<type>.<name>", "module.<name>") of dependables, as cdktf renders its own dependsOn. */
export function dependsOnOf(dependables: ITerraformDependable[]): string[] {
  return dependables.map((d) => {
    if (d instanceof TerraformResource) return `${d.terraformResourceType}.${d.friendlyUniqueId}`;
    if (d instanceof TerraformModule) return `module.${d.friendlyUniqueId}`;
    return fail(
      "depends_on",
      "dependable",
      String(d.fqn),
      "is neither a resource nor a module",
      "depend on a TerraformResource or a TerraformModule",
    );
  });
}

/**
 * Makes every kubernetes_* resource below a construct depend on the namespace it lives in:
 * objects name their namespace by a literal, so without this Terraform could create a
 * Deployment before its Namespace (and fail), or delete the Namespace first on destroy.
 */
export class DependOnNamespace implements IAspect {
  constructor(private readonly namespace: ITerraformDependable | undefined) {}

  public visit(node: IConstruct): void {
    if (this.namespace === undefined || (node as unknown) === this.namespace) return;
    if (!(node instanceof TerraformResource) || !node.terraformResourceType.startsWith("kubernetes_")) return;
    // depends_on can't name a resource of another stack (Terraform state): skip it there.
    if (!sameStack(node, this.namespace)) return;
    const [entry] = dependsOnOf([this.namespace]);
    const current = node.dependsOn ?? [];
    if (!current.includes(entry)) node.dependsOn = [...current, entry];
  }
}

/**
 * Makes `resources` depend on what `produce` returns when the stack is synthesized, so a
 * dependency declared after the dependent construct (e.g. the load balancer controller) still counts.
 */
export class DependOnLater implements IAspect {
  constructor(
    private readonly resources: TerraformResource[],
    private readonly produce: () => ITerraformDependable[],
  ) {}

  public visit(node: IConstruct): void {
    if (!this.resources.includes(node as TerraformResource)) return;
    const resource = node as TerraformResource;
    const current = resource.dependsOn ?? [];
    const sameStackDeps = this.produce().filter((d) => sameStack(resource, d));
    const missing = dependsOnOf(sameStackDeps).filter((entry) => !current.includes(entry));
    if (missing.length > 0) resource.dependsOn = [...current, ...missing];
  }
}

function sameStack(node: IConstruct, dependable: ITerraformDependable): boolean {
  if (!(dependable instanceof TerraformResource || dependable instanceof TerraformModule)) return true;
  return TerraformStack.of(node) === TerraformStack.of(dependable);
}
