import { isToken } from "./validation";

/**
 * Names that must be declared once per scope (workload names and Secrets per namespace,
 * StorageClasses per cluster, derived Terraform variables per stack): the first declarer of each
 * name, so a second one can be refused with both named. Names only known at apply are never
 * compared (or recorded). Scopes are held weakly: a test's stacks are freed with the test.
 */
export class NameRegistry<Scope extends object> {
  private readonly byScope = new WeakMap<Scope, Map<string, string>>();

  /**
   * Records that `declarer` (as `describe` names it) declares `name` in `scope`, and returns who
   * declared it before, or undefined when the name is new (or a token).
   */
  public claim(scope: Scope, name: string, declarer: string): string | undefined {
    if (isToken(name)) return undefined;
    let names = this.byScope.get(scope);
    if (!names) {
      names = new Map<string, string>();
      this.byScope.set(scope, names);
    }
    const owner = names.get(name);
    if (owner === undefined) names.set(name, declarer);
    return owner;
  }
}
