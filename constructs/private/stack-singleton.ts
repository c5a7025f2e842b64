import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { describe, fail } from "./validation";

/**
 * A thing a stack has at most one of (its load balancing, its VPA), found by any construct of the
 * stack at synth, so the order constructs are written in doesn't matter. A second one is refused.
 */
export class StackSingleton<T extends IConstruct> {
  private readonly byStack = new WeakMap<TerraformStack, T>();

  /**
   * @param what the field the refusal names ("load balancing")
   * @param problem how a second one is described ("is a second controller")
   * @param fix what to do instead
   */
  constructor(
    private readonly what: string,
    private readonly problem: string,
    private readonly fix: string,
  ) {}

  /** Makes `item` its stack's one; a different second one is refused. */
  public register(item: T): void {
    const stack = TerraformStack.of(item);
    const existing = this.byStack.get(stack);
    if (existing !== undefined && existing !== item) {
      fail(
        describe("Stack", stack.node.id),
        this.what,
        item.node.path,
        `${this.problem}: the stack already has ${existing.node.path}`,
        this.fix,
      );
    }
    this.byStack.set(stack, item);
  }

  /** The one registered in `scope`'s stack, or undefined when there is none (yet). */
  public of(scope: IConstruct): T | undefined {
    return this.byStack.get(TerraformStack.of(scope));
  }
}
