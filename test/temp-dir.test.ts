import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { baseTempDir, removeStaleTempDirs } from "./temp-dir";

const root = path.join(__dirname, "..");

describe("the tests' temporary files", () => {
  it("go to a folder of this run (cdktf's Testing.app outdirs included)", () => {
    const run = os.tmpdir();
    expect(path.dirname(run)).toBe(baseTempDir());
    expect(path.basename(run)).toMatch(/^eks-platform-jest-\d+$/);
    expect(Testing.app().outdir.startsWith(run + path.sep)).toBe(true);
  });

  it("are removed when the run ends, and TMPDIR is put back", () => {
    const base = fs.mkdtempSync(path.join(baseTempDir(), "temp-dir-test-"));
    try {
      const script = [
        "const fs = require('fs'), os = require('os');",
        "require('./test/global-setup').default();",
        "const used = os.tmpdir();",
        "fs.mkdirSync(used + '/cdktf.outdir.x');",
        "fs.writeFileSync(used + '/offline-terraform-provider-1.json.out', 'x'.repeat(1e6));",
        "require('./test/global-teardown').default();",
        "console.log(used + ' ' + os.tmpdir());",
      ].join("\n");
      const run = spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", "-e", script], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, EKS_PLATFORM_TEST_BASE_TMPDIR: undefined, TMPDIR: base },
      });
      expect(run.stderr).toBe("");
      const [used, after] = run.stdout.trim().split(" ");
      expect(path.dirname(used)).toBe(base);
      expect(after).toBe(base);
      expect(fs.existsSync(used)).toBe(false);
      expect(fs.readdirSync(base)).toEqual([]);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it("of a run killed before its teardown are removed by the next; a running one's are kept", () => {
    const base = fs.mkdtempSync(path.join(baseTempDir(), "temp-dir-test-"));
    try {
      // A pid above the kernel's pid_max: no process has it.
      for (const pid of [4194305, process.pid])
        fs.mkdirSync(path.join(base, `eks-platform-jest-${pid}`, "x"), { recursive: true });
      fs.mkdirSync(path.join(base, "someone-else"));
      expect(removeStaleTempDirs(base)).toEqual(["eks-platform-jest-4194305"]);
      expect(fs.readdirSync(base).sort()).toEqual([`eks-platform-jest-${process.pid}`, "someone-else"]);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
