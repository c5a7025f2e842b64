import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { testStack } from "../fixtures";
import { describeOffline, OFFLINE_TIMEOUT_MS, planStack } from "./harness";

function repositoryStack(id: string, override?: [string, unknown]) {
  const stack = testStack(id);
  const repository = new EcrRepository(stack, "repository", { name: "harness/check" });
  if (override) repository.addOverride(...override);
  return stack;
}

// The harness itself: the tier runs no separate `terraform validate`, so these pin that
// `terraform plan` still rejects what validate would, and that a configuration built
// twice in one run is planned once, but a different one is planned again.
describeOffline("Offline harness", (tools) => {
  it(
    "throws when the provider's own validation rejects a value (plan runs Terraform's validation)",
    () => {
      expect(() => planStack(repositoryStack("harness-enum", ["image_tag_mutability", "SOMETIMES"]), tools)).toThrow(
        /image_tag_mutability[\s\S]*SOMETIMES/,
      );
    },
    OFFLINE_TIMEOUT_MS,
  );

  it(
    "plans a configuration once per run, whatever the stack is called, and a changed one again",
    () => {
      const first = planStack(repositoryStack("harness-a"), tools);
      expect(first.createByType).toEqual({ aws_ecr_repository: 1 });
      expect(planStack(repositoryStack("harness-b"), tools)).toBe(first);
      // One argument more is another configuration: planned, and refused by the schema.
      expect(() => planStack(repositoryStack("harness-c", ["not_an_argument", true]), tools)).toThrow(
        /No argument or block type is named "not_an_argument"/,
      );
    },
    OFFLINE_TIMEOUT_MS,
  );
});
