/**
 * Lazy creation stacks for cdktf tokens: an opt-in of the app, exported by the library.
 *
 * cdktf records where every token was created (`creationStack`) so that a token that fails to
 * resolve can say so: "Object creation stack: at ...". It captures the whole stack with no depth
 * limit and formats it into strings at once, for every token, though the strings are read only
 * when an error is reported. The provider classes create a token per nested block when a
 * resource is constructed (a Deployment alone makes dozens), so at 500 web services about a third
 * of synth's CPU went to formatting stack traces nobody read (measured with `node --cpu-prof`,
 * see docs/performance.md).
 *
 * `useLazyCreationStacks()` keeps the capture (same frames, same depth) and defers the formatting
 * to the first read: the error messages are the same, word for word. It replaces the function
 * of cdktf's private stack-trace module, the one every token constructor calls; cdktf calls it
 * through the module's exports object, so the replacement takes effect for tokens created
 * afterwards. If a cdktf upgrade moves that module, this throws at start-up, naming the path,
 * rather than silently measuring something else.
 *
 * Why an opt-in, called by the app (the first line of main.ts, docs/consumer-app.md), and not
 * something the library does by itself:
 * - Importing the library changes nothing in the process (test/scripts/creation-stacks.test.ts
 *   checks it). The replacement reaches into a private module of cdktf, the app's own
 *   dependency (a peer of this package): whether that is done, and the start-up error if the
 *   app's cdktf has moved the module, are the app's to choose and to see in its own code.
 * - The effect is whole-app by nature: the tokens an app creates with the provider classes
 *   directly, or in its own constructs, cost the same as the library's. Installing it only
 *   while a library construct runs (on entry, restored on exit) would need a wrapper around every
 *   public constructor and every method that adds constructs, would leave the app's own tokens
 *   eager, and would still swap cdktf's function process-wide for that time.
 * One line, `useLazyCreationStacks();` before the app is built, gets the whole effect.
 */
import * as path from "node:path";
import { ValidationError } from "../private/validation";

type CaptureStackTrace = (below?: (...args: never[]) => unknown) => string[];

interface StackTraceModule {
  captureStackTrace: CaptureStackTrace;
}

/** Where cdktf 0.21 keeps captureStackTrace (not part of its public exports, hence the path). */
const STACK_TRACE_MODULE = path.join("lib", "tokens", "private", "stack-trace.js");

let installed: CaptureStackTrace | undefined;

/**
 * An array whose lines are formatted on first use. It is a real array behind a proxy, so
 * `Array.isArray`, `length`, `join`, indexing and iteration all behave as cdktf expects.
 */
function lazyLines(holder: { stack?: string }): string[] {
  const lines: string[] = [];
  let formatted = false;
  const format = () => {
    if (formatted) return;
    formatted = true;
    // Same shape as cdktf's own: the first line ("Error" or the message) dropped, "at " stripped.
    const stack = holder.stack;
    if (stack) for (const line of stack.split("\n").slice(1)) lines.push(line.replace(/^\s*at\s+/, ""));
  };
  return new Proxy(lines, {
    get: (target, key, receiver) => (format(), Reflect.get(target, key, receiver) as unknown),
    has: (target, key) => (format(), Reflect.has(target, key)),
    ownKeys: (target) => (format(), Reflect.ownKeys(target)),
    getOwnPropertyDescriptor: (target, key) => (format(), Reflect.getOwnPropertyDescriptor(target, key)),
  });
}

function cdktfStackTraceModule(): StackTraceModule {
  const cdktfRoot = path.dirname(require.resolve("cdktf/package.json"));
  const file = path.join(cdktfRoot, STACK_TRACE_MODULE);
  let mod: Partial<StackTraceModule>;
  try {
    // The module instance cdktf itself loaded: the same resolved file through the same module
    // system, so the same cache entry (jest's module registry included, where createRequire
    // would reach past it to Node's own).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(file) as Partial<StackTraceModule>;
  } catch (e) {
    // The library's one error shape (a ValidationError naming what and where): here the app's
    // cdktf is what doesn't fit.
    throw new ValidationError(
      `useLazyCreationStacks: cdktf has no ${STACK_TRACE_MODULE} (${(e as Error).message}); this cdktf version is not the 0.21 line it was written for`,
      { where: "useLazyCreationStacks", field: "cdktf" },
    );
  }
  if (typeof mod.captureStackTrace !== "function")
    throw new ValidationError(
      `useLazyCreationStacks: ${STACK_TRACE_MODULE} of cdktf exports no captureStackTrace function; this cdktf version is not the 0.21 line it was written for`,
      { where: "useLazyCreationStacks", field: "cdktf" },
    );
  return mod as StackTraceModule;
}

/**
 * Defers the formatting of cdktf's token creation stacks to when an error reads them: about a
 * third less synth CPU for an app with hundreds of Kubernetes objects. Call it once at the top
 * of an app, before constructs are created; calling it again does nothing. Error messages are
 * unchanged, word for word. Importing the library does not call it.
 */
export function useLazyCreationStacks(): void {
  if (installed) return;
  const mod = cdktfStackTraceModule();
  const lazy: CaptureStackTrace = function captureStackTrace(below) {
    const holder: { stack?: string } = {};
    const previousLimit = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
      Error.captureStackTrace(holder, below ?? lazy);
    } finally {
      Error.stackTraceLimit = previousLimit;
    }
    return lazyLines(holder);
  };
  mod.captureStackTrace = lazy;
  installed = lazy;
}

/** True once useLazyCreationStacks() has replaced cdktf's capture in this process. */
export function lazyCreationStacksInstalled(): boolean {
  return installed !== undefined && cdktfStackTraceModule().captureStackTrace === installed;
}
