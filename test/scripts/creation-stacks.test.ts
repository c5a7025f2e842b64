import * as path from "node:path";
import type * as Cdktf from "cdktf";
import { App, Lazy, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { lazyCreationStacksInstalled, useLazyCreationStacks } from "../../constructs";

// The library exports the lazy capture; the app opts in (main.ts, examples/consumer-app/main.ts).
// test/setup.ts installs the lazy capture for every test file, as main.ts does for the app, so
// every snapshot of the suite (test/__snapshots__, the default app's included) is synthesized
// with it: they are byte for byte what they were with cdktf's eager capture. What is pinned
// here is the other half of "nothing changes": the error messages that read the stacks.

const cdktfStackTrace = () =>
  // jest's require: this file's module registry, the one its cdktf lives in.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(path.dirname(require.resolve("cdktf/package.json")), "lib/tokens/private/stack-trace.js")) as {
    captureStackTrace: (...args: unknown[]) => string[];
  };

/** Synthesizes an output whose value fails to resolve, with the given cdktf, and returns the error's message. */
function failingOutputMessage(cdktf: typeof Cdktf): string {
  const app = new cdktf.App({ outdir: Testing.app().outdir, skipValidation: true });
  const stack = new cdktf.TerraformStack(app, "stack");
  new cdktf.TerraformOutput(stack, "out", { value: failingToken(cdktf) });
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected the synth to fail");
}

// One call site for both captures, so their stacks agree frame for frame near the top.
function failingToken(cdktf: typeof Cdktf): string {
  return cdktf.Lazy.stringValue({
    produce: () => {
      throw new Error("no value yet");
    },
  });
}

describe("useLazyCreationStacks", () => {
  it("patches the cdktf it was written for (an upgrade fails here first: re-read lib/tokens/private/stack-trace.js)", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect((require("cdktf/package.json") as { version: string }).version).toBe("0.21.0");
    expect(typeof cdktfStackTrace().captureStackTrace).toBe("function");
  });

  it("importing the library changes nothing process-wide: cdktf's capture stays its own until the app opts in", () => {
    const globals = () => ({
      limit: Error.stackTraceLimit,
      prepare: Object.getOwnPropertyDescriptor(Error, "prepareStackTrace"),
    });
    const before = globals();
    // A fresh module registry: its own cdktf (eager) and its own copy of the whole library.
    jest.isolateModules(() => {
      const eager = cdktfStackTrace().captureStackTrace;
      expect(eager.toString()).not.toContain("lazyLines");
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const library = require("../../constructs") as typeof import("../../constructs");
      // Every area loaded, nothing replaced.
      expect(typeof library.WebService).toBe("function");
      expect(cdktfStackTrace().captureStackTrace).toBe(eager);
      expect(library.lazyCreationStacksInstalled()).toBe(false);
      // The opt-in is what replaces it.
      library.useLazyCreationStacks();
      expect(library.lazyCreationStacksInstalled()).toBe(true);
      expect(cdktfStackTrace().captureStackTrace).not.toBe(eager);
    });
    expect(globals()).toEqual(before);
  });

  it("is installed in this process, once (a second call changes nothing)", () => {
    expect(lazyCreationStacksInstalled()).toBe(true);
    const installed = cdktfStackTrace().captureStackTrace;
    useLazyCreationStacks();
    expect(cdktfStackTrace().captureStackTrace).toBe(installed);
    // cdktf's own, as this test file's cdktf (jest's module registry) calls it, is replaced.
    expect(installed.name).toBe("captureStackTrace");
    expect(installed.toString()).toContain("lazyLines(holder)");
  });

  it("a token that fails to resolve still names where it was created", () => {
    const app = new App({ outdir: Testing.app().outdir, skipValidation: true });
    const stack = new TerraformStack(app, "stack");
    new TerraformOutput(stack, "out", {
      value: Lazy.stringValue({
        produce: () => {
          throw new Error("no value yet");
        },
      }),
    });
    expect(() => app.synth()).toThrow(
      /Resolution error: no value yet\.\nObject creation stack:\n {2}at .*\n[\s\S]*creation-stacks\.test\.ts:\d+:\d+/,
    );
  });

  it("the creation stack reads as an array, as cdktf's own does", () => {
    const lines = cdktfStackTrace().captureStackTrace();
    expect(Array.isArray(lines)).toBe(true);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]).not.toMatch(/^\s*at /);
    expect(lines.join("\n")).toMatch(/creation-stacks\.test\.ts/);
    expect([...lines]).toEqual(lines.slice());
    expect(JSON.parse(JSON.stringify(lines))).toEqual(lines.slice());
  });

  it("the error message is the one cdktf's eager capture gives, frame for frame where the stacks are the same", () => {
    const lazy = failingOutputMessage(jest.requireActual<typeof Cdktf>("cdktf"));
    const lazyCapture = cdktfStackTrace().captureStackTrace;
    let eager = "";
    // A fresh module registry: a cdktf of its own, with its own, eager capture.
    jest.isolateModules(() => {
      expect(cdktfStackTrace().captureStackTrace).not.toBe(lazyCapture);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      eager = failingOutputMessage(require("cdktf") as typeof Cdktf);
    });
    // The frames from the token up to failingToken are the same in both (below that, the
    // callers differ: one runs inside isolateModules).
    const upTo = (message: string) => {
      const lines = message.split("\n");
      const end = lines.findIndex((l) => l.includes("failingToken"));
      expect(end).toBeGreaterThan(2);
      return lines.slice(0, end + 1);
    };
    expect(upTo(lazy)).toEqual(upTo(eager));
    expect(lazy).toMatch(/^Resolution error: no value yet\.\nObject creation stack:\n {2}at /);
  });
});
