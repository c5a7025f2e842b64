import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// scripts/cdktf.js: `npm run synth` runs the app directly, and diff/deploy/destroy synthesize once,
// directly, then hand the output to the CLI with --skip-synth. The output must be the CLI's own.
const root = path.join(__dirname, "..", "..");
const LAUNCHER = path.join(root, "scripts", "cdktf.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const launcher = require(LAUNCHER) as {
  main(argv: string[], cwd?: string, env?: NodeJS.ProcessEnv, cli?: string): Promise<[number | null, string | null]>;
  nodeOptions(current: string | undefined, additions: string[]): string;
};

/** Every file under `dir`, relative, with its content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

describe("npm run synth", () => {
  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-launcher-"));
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("writes the cdktf.out that `cdktf synth` writes, file for file", () => {
    const env = { ...process.env, CHECKPOINT_DISABLE: "1", PLATFORM_ENVS: "dev" };
    const viaCli = path.join(scratch, "cli");
    const direct = path.join(scratch, "direct");
    const cli = spawnSync(
      process.execPath,
      [require.resolve("cdktf-cli/bundle/bin/cdktf"), "synth", "--output", viaCli],
      {
        cwd: root,
        encoding: "utf8",
        env,
      },
    );
    expect(cli.status).toBe(0);
    // A stack folder the app no longer writes is removed, as the CLI removes it.
    fs.mkdirSync(path.join(direct, "stacks", "platform-gone"), { recursive: true });
    const ours = spawnSync(process.execPath, [LAUNCHER, "synth", "--output", direct], {
      cwd: root,
      encoding: "utf8",
      env,
    });
    expect(ours.stderr).toBe("");
    expect(ours.status).toBe(0);
    expect(ours.stdout).toContain("Generated Terraform code for the stacks: platform-dev, workloads-dev");
    const expected = tree(viaCli);
    expect(Object.keys(expected)).toContain(path.join("stacks", "workloads-dev", "cdk.tf.json"));
    expect(tree(direct)).toEqual(expected);
  }, 60_000);
});

describe("the launcher's hand-over to the CLI", () => {
  let project: string;
  let seen: string;
  let fakeCli: string;
  beforeEach(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-launcher-project-"));
    seen = path.join(project, "seen.jsonl");
    // The app: records the environment it got and writes a manifest with one stack and one warning.
    fs.writeFileSync(
      path.join(project, "app.js"),
      [
        "const fs = require('fs'), path = require('path');",
        "const out = process.env.CDKTF_OUTDIR;",
        `fs.appendFileSync(${JSON.stringify(seen)}, JSON.stringify({ who: 'app', env: { CDKTF_OUTDIR: out, CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS, CDKTF_CONTEXT_JSON: process.env.CDKTF_CONTEXT_JSON, SYNTH_HCL_OUTPUT: process.env.SYNTH_HCL_OUTPUT, TF_VAR_x: process.env.TF_VAR_x, NODE_OPTIONS: process.env.NODE_OPTIONS } }) + '\\n');`,
        "if (process.env.FAIL_APP) process.exit(4);",
        "fs.mkdirSync(path.join(out, 'stacks', 's1'), { recursive: true });",
        "fs.writeFileSync(path.join(out, 'stacks', 's1', 'cdk.tf.json'), '{}');",
        "const level = process.env.ERROR_ANNOTATION ? '@cdktf/error' : '@cdktf/warn';",
        "fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: { s1: { name: 's1', annotations: [{ constructPath: 's1', level, message: 'heads up' }], synthesizedStackPath: 'stacks/s1/cdk.tf.json', workingDirectory: 'stacks/s1', dependencies: [] } } }));",
      ].join("\n"),
    );
    fs.writeFileSync(path.join(project, "cdktf.json"), JSON.stringify({ language: "typescript", app: "node app.js" }));
    // The CLI: records its arguments and NODE_OPTIONS, exits 3.
    fakeCli = path.join(project, "cli.js");
    fs.writeFileSync(
      fakeCli,
      `require('fs').appendFileSync(${JSON.stringify(seen)}, JSON.stringify({ who: 'cli', argv: process.argv.slice(2), NODE_OPTIONS: process.env.NODE_OPTIONS }) + '\\n'); process.exit(3);`,
    );
  });
  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

  const calls = () =>
    fs
      .readFileSync(seen, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, any>);
  const quiet = async <T>(f: () => Promise<T>): Promise<T> => {
    const log = jest.spyOn(console, "log").mockImplementation(() => {});
    const error = jest.spyOn(console, "error").mockImplementation(() => {});
    try {
      return await f();
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  };
  const env = { PATH: process.env.PATH, TF_VAR_x: "1", NODE_OPTIONS: "--no-warnings" };

  it.each([["diff"], ["deploy"], ["destroy"]])(
    "%s synthesizes once, directly, then runs the CLI with --skip-synth and the caller's arguments; the CLI's exit code is ours",
    async (command) => {
      const result = await quiet(() =>
        launcher.main([command, "workloads-dev", "--auto-approve"], project, env, fakeCli),
      );
      expect(result).toEqual([3, null]);
      const [app, cli] = calls();
      // The environment `cdktf synth` gives the app (cdktf-cli 0.21 synth-stack.ts), TF_VAR_* left out.
      expect(app).toEqual({
        who: "app",
        env: {
          CDKTF_OUTDIR: "cdktf.out",
          CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true",
          CDKTF_CONTEXT_JSON: JSON.stringify({ cdktfRelativeModules: [] }),
          SYNTH_HCL_OUTPUT: "false",
          NODE_OPTIONS: "--no-warnings --max-old-space-size=4096",
        },
      });
      expect(cli.argv).toEqual([command, "workloads-dev", "--auto-approve", "--skip-synth"]);
      expect(calls()).toHaveLength(2);
    },
  );

  it("a failed synth stops before the CLI, with the app's exit code", async () => {
    const result = await quiet(() => launcher.main(["deploy"], project, { ...env, FAIL_APP: "1" }, fakeCli));
    expect(result).toEqual([4, null]);
    expect(calls().map((c) => c.who)).toEqual(["app"]);
  });

  it("an error annotation fails the synth after printing it; a warning is printed and passes", async () => {
    const errors: string[] = [];
    const logs: string[] = [];
    const error = jest.spyOn(console, "error").mockImplementation((m: string) => void errors.push(m));
    const log = jest.spyOn(console, "log").mockImplementation((m: string) => void logs.push(m));
    try {
      expect(await launcher.main(["synth"], project, env, fakeCli)).toEqual([0, null]);
      expect(logs).toEqual(["WARN [s1]: heads up", "Generated Terraform code for the stacks: s1"]);
      expect(await launcher.main(["deploy"], project, { ...env, ERROR_ANNOTATION: "1" }, fakeCli)).toEqual([1, null]);
      expect(errors).toEqual(["ERROR [s1]: heads up", "ERROR: synthesis found error annotations (above)."]);
    } finally {
      error.mockRestore();
      log.mockRestore();
    }
    expect(calls().map((c) => c.who)).toEqual(["app", "app"]);
  });

  it("--skip-synth from the caller skips our synth too; other commands go to the CLI as they are", async () => {
    expect(await quiet(() => launcher.main(["deploy", "--skip-synth"], project, env, fakeCli))).toEqual([3, null]);
    expect(await quiet(() => launcher.main(["list"], project, env, fakeCli))).toEqual([3, null]);
    expect(calls().map((c) => [c.who, c.argv])).toEqual([
      ["cli", ["deploy", "--skip-synth"]],
      ["cli", ["list"]],
    ]);
  });

  it("the CLI gets the compile cache and the heap size it would set itself, so it prints no memory warning", async () => {
    await quiet(() => launcher.main(["list"], project, env, fakeCli));
    const hook = `--require ${JSON.stringify(path.join(root, "scripts", "compile-cache.js"))}`;
    expect(calls()[0].NODE_OPTIONS).toBe(`--no-warnings ${hook} --max-old-space-size=4096`);
    // The CLI warns when NODE_OPTIONS is set without a heap size (cdktf-cli 0.21, synth-stack.ts).
    expect(launcher.nodeOptions("--max-old-space-size=8192", [hook])).toBe(`--max-old-space-size=8192 ${hook}`);
  });
});

describe("the real CLI through the launcher", () => {
  it("`cdktf list` prints no NODE_OPTIONS memory warning", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-launcher-list-"));
    const result = spawnSync(process.execPath, [LAUNCHER, "list", "--output", out], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1", PLATFORM_ENVS: "dev", CDKTF_OUTDIR: undefined },
    });
    expect(result.status).toBe(0);
    expect(result.stdout + result.stderr).not.toContain("NODE_OPTIONS");
    expect(result.stdout).toContain("platform-dev");
    fs.rmSync(out, { recursive: true, force: true });
  }, 60_000);
});
