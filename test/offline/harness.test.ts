import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
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
// `terraform plan` still rejects what validate would, that a configuration built twice in one
// run is planned once, but a different one is planned again, and that plans attached to the
// worker's running provider validate each configuration on its own.
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
      const second = planStack(repositoryStack("harness-b"), tools);
      expect(second).toEqual(first);
      // Not planned again: the very same plan (its timings object), with this stack's own dropped resources.
      expect(second.seconds).toBe(first.seconds);
      // One argument more is another configuration: planned, and refused by the schema.
      expect(() => planStack(repositoryStack("harness-c", ["not_an_argument", true]), tools)).toThrow(
        /No argument or block type is named "not_an_argument"/,
      );
    },
    OFFLINE_TIMEOUT_MS,
  );

  it(
    "plans attach to one provider kept running for this worker, and the next plan still validates afresh",
    () => {
      // The configuration of harness-a: planned here only when this test runs alone.
      planStack(repositoryStack("harness-d"), tools);
      const record = path.join(os.tmpdir(), `offline-terraform-provider-${process.pid}.json`);
      if (process.env.OFFLINE_TERRAFORM_REATTACH === "off") {
        expect(fs.existsSync(record)).toBe(false);
        return;
      }
      const { reattach } = JSON.parse(fs.readFileSync(record, "utf8")) as { reattach: string };
      const pid = Object.values<{ Pid: number }>(JSON.parse(reattach))[0].Pid;
      expect(() => process.kill(pid, 0)).not.toThrow();
      // The same running provider rejects a bad value after planning a good configuration.
      expect(() => planStack(repositoryStack("harness-e", ["image_tag_mutability", "NEVER"]), tools)).toThrow(
        /image_tag_mutability[\s\S]*NEVER/,
      );
      expect(JSON.parse(fs.readFileSync(record, "utf8"))).toEqual({ dir: expect.any(String), reattach });
    },
    OFFLINE_TIMEOUT_MS,
  );
});
