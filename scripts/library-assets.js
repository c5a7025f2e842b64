/**
 * The library's runtime assets: every file under constructs/ that isn't TypeScript (today the
 * local Helm chart of AutoModeLoadBalancing, read through `__dirname` at synth). tsc emits only
 * .js and .d.ts, so `npm run build` copies these next to the compiled code in dist/constructs/,
 * where `__dirname` points in the packed package. Copying every non-.ts file, rather than a
 * list, means a new asset can't be forgotten; test/package.test.ts checks that each one is in
 * the `npm pack` output.
 *
 * CLI: `node scripts/library-assets.js` (run by `npm run build`) copies them.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const SOURCE = "constructs";
const TARGET = path.join("dist", "constructs");

/** Paths (relative to the project root, "/"-separated) of the non-TypeScript files under constructs/. */
function libraryAssets(root = ROOT) {
  const assets = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const file = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(file);
      else if (!entry.name.endsWith(".ts")) assets.push(file);
    }
  };
  walk(SOURCE);
  return assets.sort();
}

/** Where an asset lands in the build: constructs/x → dist/constructs/x. */
function builtPath(asset) {
  return `${TARGET.split(path.sep).join("/")}${asset.slice(SOURCE.length)}`;
}

/** Copies every asset into dist/constructs/ (overwriting); returns the copied paths. */
function copyLibraryAssets(root = ROOT) {
  const copied = [];
  for (const asset of libraryAssets(root)) {
    const to = path.join(root, builtPath(asset));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(root, asset), to);
    copied.push(builtPath(asset));
  }
  return copied;
}

module.exports = { libraryAssets, builtPath, copyLibraryAssets };

if (require.main === module) {
  const copied = copyLibraryAssets();
  process.stdout.write(`library assets: ${copied.length} copied to ${TARGET}\n`);
}
