import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { dev } from "../../config/environments";
import { PlatformStack } from "../../stacks/platform-stack";

const root = path.join(__dirname, "..", "..");

/** Resources without cdktf's `//` metadata comment, which a test app leaves out. */
function withoutMetadata(resources: Record<string, Record<string, any>>): unknown {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [type, byName] of Object.entries(resources)) {
    out[type] = {};
    for (const [name, { "//": _metadata, ...body }] of Object.entries(byName)) out[type][name] = body;
  }
  return out;
}

// `cdktf synth` runs cdktf.json's `app` (plain node with scripts/register-ts.js, not tsx): it
// must write the same stack as the library builds in process, from a cold compile cache and a warm one.
describe("the cdktf.json app command", () => {
  it("synthesizes the dev platform stack the library builds, cold and cached", () => {
    const { app } = JSON.parse(fs.readFileSync(path.join(root, "cdktf.json"), "utf8"));
    expect(app).toBe("node --require ./scripts/register-ts.js main.ts");
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "app-command-"));
    try {
      const expected = JSON.parse(Testing.synth(new PlatformStack(Testing.app(), "platform-dev", dev))).resource;
      for (const run of ["cold", "cached"]) {
        const outdir = path.join(scratch, run);
        const result = spawnSync("sh", ["-c", app], {
          cwd: root,
          encoding: "utf8",
          env: {
            ...process.env,
            PLATFORM_ENVS: "dev",
            CDKTF_OUTDIR: outdir,
            TS_REGISTER_CACHE_DIR: path.join(scratch, "cache"),
          },
        });
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        const written = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "platform-dev", "cdk.tf.json"), "utf8"));
        expect(withoutMetadata(written.resource)).toEqual(expected);
        expect(fs.readdirSync(path.join(scratch, "cache")).length).toBeGreaterThan(10);
      }
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
