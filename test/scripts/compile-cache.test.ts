import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// scripts/compile-cache.js replaces how Node 20 compiles CommonJS modules (the app's, through
// scripts/register-ts.js, and the cdktf CLI's, through scripts/cdktf.js). What a module sees
// must not change, cold or from the cache.
const HOOK = path.join(__dirname, "..", "..", "scripts", "compile-cache.js");

describe("the compile cache", () => {
  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "compile-cache-"));
    const app = path.join(scratch, "app");
    fs.mkdirSync(path.join(app, "lib"), { recursive: true });
    fs.writeFileSync(
      path.join(app, "lib", "dep.js"),
      "#!/usr/bin/env node\nexports.where = () => ({ file: __filename, dir: __dirname, self: module.id === require.resolve('./dep') });\n",
    );
    fs.writeFileSync(path.join(app, "lib", "esm.mjs"), "export const kind = 'esm';\n");
    fs.writeFileSync(
      path.join(app, "main.js"),
      [
        "const dep = require('./lib/dep');",
        "const esm = require('./lib/esm.mjs');",
        "const fails = () => { throw new Error('boom'); };",
        "let stack = ''; try { fails(); } catch (e) { stack = e.stack.split('\\n')[1].trim(); }",
        "console.log(JSON.stringify({",
        "  where: dep.where(), esm: esm.kind, main: require.main === module, thisIsExports: this === module.exports,",
        "  cached: Object.keys(require.cache).filter((k) => k.includes('compile-cache-')).length,",
        "  resolved: require.resolve('./lib/dep'), paths: Array.isArray(require.resolve.paths('x')), stack,",
        "}));",
      ].join("\n"),
    );
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  const run = (env: Record<string, string>) => {
    const result = spawnSync(process.execPath, ["--require", HOOK, path.join(scratch, "app", "main.js")], {
      encoding: "utf8",
      env: { ...process.env, COMPILE_CACHE_DIR: path.join(scratch, "cache"), ...env },
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };

  it("gives modules what Node's own loader gives, cold and cached, and writes the cache at exit", () => {
    const plain = run({ COMPILE_CACHE: "off" });
    expect(fs.existsSync(path.join(scratch, "cache"))).toBe(false);
    const cold = run({});
    const entries = fs.readdirSync(path.join(scratch, "cache"));
    // main.js and lib/dep.js; the ES module is Node's own.
    expect(entries).toHaveLength(2);
    const cached = run({});
    expect(fs.readdirSync(path.join(scratch, "cache"))).toEqual(entries);
    expect(cold).toEqual(plain);
    expect(cached).toEqual(plain);
    expect(plain).toMatchObject({
      where: { file: path.join(scratch, "app", "lib", "dep.js"), dir: path.join(scratch, "app", "lib"), self: true },
      esm: "esm",
      main: true,
      thisIsExports: true,
      paths: true,
    });
    // Stack frames keep the file and line (the throw is on main.js line 3).
    expect(cached.stack).toMatch(/main\.js:3:/);
  });

  it("npm run synth's launcher runs the cdktf CLI with it, keeping the caller's NODE_OPTIONS, arguments and exit code", () => {
    const probe = path.join(scratch, "probe.js");
    const seen = path.join(scratch, "seen.txt");
    fs.writeFileSync(
      probe,
      `require("fs").appendFileSync(${JSON.stringify(seen)}, process.argv.slice(2).join(" ") + "|" + process.env.NODE_OPTIONS + "\\n");`,
    );
    const launch = (args: string[]) =>
      spawnSync(process.execPath, [path.join(__dirname, "..", "..", "scripts", "cdktf.js"), ...args], {
        encoding: "utf8",
        env: { ...process.env, CHECKPOINT_DISABLE: "1", NODE_OPTIONS: `--require ${probe}` },
      });
    const version = launch(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout.split("\n")[0]).toBe("0.21.0");
    // The launcher itself sees the caller's options; the CLI it starts sees them and the cache.
    expect(fs.readFileSync(seen, "utf8").split("\n").filter(Boolean)).toEqual([
      `--version|--require ${probe}`,
      `--version|--require ${probe} --require ${JSON.stringify(HOOK)} --max-old-space-size=4096`,
    ]);
    expect(launch(["no-such-command"]).status).not.toBe(0);
  });

  it("a changed file is compiled again, not served the old code", () => {
    const dep = path.join(scratch, "app", "lib", "dep.js");
    const before = fs.readFileSync(dep, "utf8");
    try {
      fs.writeFileSync(dep, before.replace("self:", "changed: true, self:"));
      expect(run({}).where).toMatchObject({ changed: true, self: true });
    } finally {
      fs.writeFileSync(dep, before);
    }
  });
});
