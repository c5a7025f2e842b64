import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// The library as another repository gets it: `npm pack` of this package, unpacked into a
// scratch app's node_modules, type-checked against the packed .d.ts and synthesized with the
// packed JS. The peers (cdktf, constructs, providers) are linked from this repository's
// node_modules, as the consumer's own install would provide them.
const ROOT = path.resolve(__dirname, "..");
const BIN = (name: string) => path.join(ROOT, "node_modules", ".bin", name);
const PACK_TIMEOUT_MS = 3 * 60 * 1000;

/** The consumer app: the examples/ app that reuses the constructs its own way (a second cluster in an existing VPC). */
const CONSUMER_APP = path.join(ROOT, "examples", "second-cluster", "main.ts");

/**
 * `tsc -p tsconfig.build.json`, incremental: TypeScript's build info (in .cache, git-ignored)
 * records each source's content, so a warm run re-emits only what changed (about 1 s instead of
 * 5). Build info can't see outputs deleted or overwritten behind its back, so any source whose
 * .js or .d.ts in dist/ is missing or older than itself forces a clean build.
 */
function buildLibrary(): void {
  const buildInfo = path.join(ROOT, ".cache", "tsconfig.build.tsbuildinfo");
  const tsc = () =>
    execFileSync(BIN("tsc"), ["-p", "tsconfig.build.json", "--incremental", "--tsBuildInfoFile", buildInfo], {
      cwd: ROOT,
      stdio: "pipe",
    });
  tsc();
  if (staleOutputs().length > 0) {
    fs.rmSync(buildInfo, { force: true });
    tsc();
  }
  expect(staleOutputs()).toEqual([]);
}

/** Sources under constructs/ whose compiled .js or .d.ts in dist/ is missing or older than the source. */
function staleOutputs(): string[] {
  const stale: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        const source = fs.statSync(file).mtimeMs;
        const base = path.join(ROOT, "dist", path.relative(ROOT, file)).replace(/\.ts$/, "");
        for (const out of [`${base}.js`, `${base}.d.ts`])
          if (!fs.existsSync(out) || fs.statSync(out).mtimeMs < source) stale.push(out);
      }
    }
  };
  walk(path.join(ROOT, "constructs"));
  return stale;
}

describe("the packed package", () => {
  let scratch: string;

  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pack-consumer-"));
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it(
    "installs into another app, type-checks against its .d.ts and synthesizes with its JS",
    () => {
      buildLibrary();
      const packed = JSON.parse(
        execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch], {
          cwd: ROOT,
          encoding: "utf8",
        }),
      ) as { filename: string; files: { path: string }[] }[];
      const files = packed[0].files.map((f) => f.path);
      // Only the compiled library and its docs: no tests, app, config or sources.
      expect(files).toEqual(expect.arrayContaining(["dist/constructs/index.js", "dist/constructs/index.d.ts"]));
      expect(files.filter((f) => !/^(dist\/constructs\/|README\.md$|CHANGELOG\.md$|package\.json$)/.test(f))).toEqual(
        [],
      );
      expect(files.some((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toBe(false);

      const modules = path.join(scratch, "node_modules");
      const target = path.join(modules, "eks-platform");
      fs.mkdirSync(target, { recursive: true });
      execFileSync("tar", ["-xzf", path.join(scratch, packed[0].filename), "-C", target, "--strip-components=1"]);
      for (const peer of ["cdktf", "constructs", "@cdktf"]) {
        fs.symlinkSync(path.join(ROOT, "node_modules", peer), path.join(modules, peer));
      }
      fs.symlinkSync(path.join(ROOT, "node_modules", "@types"), path.join(modules, "@types"));

      // The stock `cdktf init --template=typescript` compiler settings: CommonJS, node resolution
      // (which ignores package exports, hence typesVersions), strict.
      fs.copyFileSync(CONSUMER_APP, path.join(scratch, "main.ts"));
      fs.writeFileSync(
        path.join(scratch, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            target: "ES2018",
            module: "CommonJS",
            strict: true,
            skipLibCheck: true,
            types: ["node"],
            outDir: "out",
          },
          include: ["main.ts"],
        }),
      );
      execFileSync(BIN("tsc"), ["-p", "."], { cwd: scratch, stdio: "pipe" });

      const outdir = path.join(scratch, "cdktf.out");
      execFileSync(process.execPath, ["out/main.js"], {
        cwd: scratch,
        env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
        stdio: "pipe",
      });
      const synthesized = JSON.parse(
        fs.readFileSync(path.join(outdir, "stacks", "second-cluster", "cdk.tf.json"), "utf8"),
      ) as { resource: Record<string, Record<string, Record<string, unknown>>> };
      expect(Object.values(synthesized.resource.aws_eks_cluster)).toEqual([
        expect.objectContaining({ name: "analytics" }),
      ]);
      expect(synthesized.resource.aws_vpc).toBeUndefined();
      expect(Object.keys(synthesized.resource.aws_eks_node_group)).toHaveLength(1);
      expect(Object.values(synthesized.resource.aws_ecr_repository)).toEqual([
        expect.objectContaining({ name: "analytics/jobs" }),
      ]);
      // The grant given before the node group holds its role (resolved at synth, in the packed JS too).
      expect(JSON.stringify(synthesized.resource.aws_ecr_repository_policy)).toContain("cluster_general_node-role");
    },
    PACK_TIMEOUT_MS,
  );
});
