/**
 * `npm run synth|diff|deploy|destroy`: the cdktf CLI, with scripts/compile-cache.js loaded into
 * it through NODE_OPTIONS. The CLI is a 20 MB bundle that Node 20 compiles from scratch on every
 * start; with the cache, `npm run synth` is about 0.4 s faster. Same CLI, same arguments, same
 * exit code: `npx cdktf ...` works as well, only without the cache in the CLI's own process (the
 * app, run by cdktf.json's command, has it either way).
 */
"use strict";
const { spawn } = require("node:child_process");
const path = require("node:path");

const cli = require.resolve("cdktf-cli/bundle/bin/cdktf");
// NODE_OPTIONS takes double-quoted values with backslash escapes, which JSON.stringify writes.
const hook = `--require ${JSON.stringify(path.join(__dirname, "compile-cache.js"))}`;
const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, hook].filter(Boolean).join(" ") },
});
// Ctrl-C reaches the CLI (and terraform) from the terminal itself, being in the same process
// group: passing it on as well would be a second interrupt, which makes terraform abandon a
// running apply at once instead of stopping cleanly. So it is only kept from killing this wrapper.
process.on("SIGINT", () => {});
// A signal sent to this process alone (kill, a CI runner stopping the job) is passed on.
for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
