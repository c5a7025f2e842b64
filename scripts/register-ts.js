/**
 * Runs the app's TypeScript in plain Node: `node --require ./scripts/register-ts.js main.ts`
 * (the `app` of cdktf.json). Each .ts file is compiled by @swc/core, with the same options as
 * jest's transform (types stripped, no type-checking: `npm run typecheck` does that once), and
 * the result is cached by content hash, so a synth with no edits doesn't even load the compiler.
 *
 * Why not tsx: tsx turns Node's source-map support on for the whole process, and cdktf captures a
 * full stack trace for every token it creates; with source maps on, each of those traces is mapped
 * through cdktf's inline source maps. That and tsx's resolver cost about 0.6 s and 40 MB a synth
 * of the dev app (see `npm run bench`). The inline maps written here are used only when you ask:
 * `NODE_OPTIONS=--enable-source-maps npm run synth` gives TypeScript lines in stack traces.
 *
 * Environment: TS_REGISTER_CACHE_DIR (default: .cache/register-ts in the project, git-ignored).
 */
"use strict";
// Compiled code of the modules (cdktf, the providers, this app) is cached too: scripts/compile-cache.js.
require("./compile-cache");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const SWC_OPTIONS = {
  swcrc: false,
  configFile: false,
  sourceMaps: "inline",
  jsc: { target: "es2022", parser: { syntax: "typescript" } },
  module: { type: "commonjs" },
};
const cacheDir = process.env.TS_REGISTER_CACHE_DIR || path.join(__dirname, "..", ".cache", "register-ts");
// The compiler's version and options are part of every key: an upgrade never reuses old output.
const salt = `${require("@swc/core/package.json").version}\0${JSON.stringify(SWC_OPTIONS)}\0`;
let swc;

function compile(source, filename) {
  const key = crypto.createHash("sha256").update(salt).update(filename).update("\0").update(source).digest("hex");
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    // not compiled yet
  }
  swc = swc || require("@swc/core");
  const { code } = swc.transformSync(source, { ...SWC_OPTIONS, filename });
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    // Written under a temporary name and renamed: a parallel synth never reads half a file.
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, cached);
  } catch {
    // A read-only checkout still synthesizes; it just compiles every time.
  }
  return code;
}

require.extensions[".ts"] = function registerTs(module, filename) {
  module._compile(compile(fs.readFileSync(filename, "utf8"), filename), filename);
};
