/**
 * A V8 code cache for CommonJS modules, so a synth doesn't compile the same megabytes of
 * JavaScript every time: cdktf, the provider classes, and the cdktf CLI's own bundle (when
 * NODE_OPTIONS carries it, as `npm run synth|diff|deploy|destroy` do). Node 22 has this built in
 * (module.enableCompileCache), and it is used there; Node 20, the version this project runs on,
 * does not, so this does what it does: each module's compiled code, with the functions that ran,
 * is saved at exit and handed back to V8 the next time the same file with the same content loads.
 *
 * What it changes: nothing a module can observe except timing. Modules get the same `exports`,
 * `require` (resolve, cache, main, extensions), `module`, `__filename` and `__dirname` as from
 * Node's loader; ES modules and anything loaded with a non-CommonJS format go to Node's own
 * compile untouched. Stack traces keep file, line and column, except columns on a module's first
 * line, which count the CommonJS wrapper (about 60 characters) as Node 20's loader doesn't.
 * V8 checks every cache entry against its own version and flags and rejects one that doesn't
 * fit; the module is then compiled as usual and the entry rewritten.
 *
 * Measured (README "Performance"): `npm run synth` 0.5 s faster, of which about 0.4 s is the
 * CLI; the app run directly about 0.1 s faster.
 *
 * Environment: COMPILE_CACHE_DIR (default .cache/compile-cache/<node version> in the project,
 * git-ignored); COMPILE_CACHE=off turns it off.
 */
"use strict";
const Module = require("node:module");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const HOOKED = Symbol.for("eks-platform.compile-cache");

function install() {
  if (process.env.COMPILE_CACHE === "off" || globalThis[HOOKED]) return;
  globalThis[HOOKED] = true;
  const dir = process.env.COMPILE_CACHE_DIR || path.join(__dirname, "..", ".cache", "compile-cache", process.version);
  if (typeof Module.enableCompileCache === "function") {
    Module.enableCompileCache(dir);
    return;
  }
  const compile = Module.prototype._compile;
  const fresh = [];

  Module.prototype._compile = function cachedCompile(content, filename, format) {
    if (format !== undefined && format !== "commonjs") return compile.apply(this, arguments);
    const key = crypto.createHash("sha256").update(filename).update("\0").update(content).digest("hex");
    const file = path.join(dir, `${key.slice(0, 40)}.bin`);
    let cachedData;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      // not cached yet
    }
    // Node strips a shebang line before compiling; keep the line count by commenting it out.
    const source = content.startsWith("#!") ? `//${content}` : content;
    let script;
    try {
      script = new vm.Script(Module.wrap(source), {
        filename,
        cachedData,
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
    } catch {
      // Whatever V8 refuses here (syntax Node's loader handles its own way), Node's loader gets.
      return compile.apply(this, arguments);
    }
    if (cachedData === undefined || script.cachedDataRejected) fresh.push({ file, script });
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };

  // At exit, so the entries hold the functions that ran too (V8 compiles most of them lazily).
  process.once("exit", () => {
    if (fresh.length === 0) return;
    try {
      fs.mkdirSync(dir, { recursive: true });
      for (const { file, script } of fresh) {
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, file); // a parallel process never reads half an entry
      }
    } catch {
      // A read-only checkout still runs; it just compiles every time.
    }
  });
}

/** The `require` Node's loader gives a module (lib/internal/modules/helpers.js makeRequireFunction). */
function requireFor(mod) {
  const require = function require(id) {
    return mod.require(id);
  };
  require.resolve = function resolve(request, options) {
    return Module._resolveFilename(request, mod, false, options);
  };
  require.resolve.paths = function paths(request) {
    return Module._resolveLookupPaths(request, mod);
  };
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

install();
