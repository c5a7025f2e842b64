/**
 * Scratch projects of `npm run bench`, built outside the repository's dependencies:
 * - the AWS CDK peer (read-only in its shared folder): copied, then `npm ci` once;
 * - the stock `cdktf init --template=typescript` setup for our default app: ts-node runs the
 *   app and ts-jest (type-checking) runs the unit tests. ts-node and ts-jest are installed in
 *   the scratch directory only; everything else links to this repository's node_modules.
 *
 * Environment:
 * - BENCH_SCRATCH_DIR: where they are built (default .cache/bench in the repository, git-ignored).
 * - BENCH_PEER_DIR: the peer's source (default: the first `shared/peers/awscdk-eks` found
 *   beside the repository or one of its parent folders).
 */
import { spawnSync } from "node:child_process";
import * as ts from "typescript";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const SCRATCH = path.resolve(process.env.BENCH_SCRATCH_DIR ?? path.join(ROOT, ".cache", "bench"));

/** Versions the stock template installs today (`cdktf init` takes the latest of each). */
const STOCK_TOOLS = ["ts-node@10.9.2", "ts-jest@29.4.15"];

export type Prepared = { dir: string; problem?: undefined } | { dir?: undefined; problem: string };

function npm(args: string[], cwd: string): void {
  const r = spawnSync("npm", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, npm_config_loglevel: "error", npm_config_fund: "false", npm_config_audit: "false" },
  });
  if (r.status !== 0) throw new Error(`npm ${args.join(" ")} failed in ${cwd}:\n${r.stderr}`);
}

function copyTree(from: string, to: string, skip: (name: string) => boolean): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst, skip);
    else fs.copyFileSync(src, dst);
  }
}

export function findPeer(): { dir?: string; problem?: string } {
  const configured = process.env.BENCH_PEER_DIR;
  if (configured) {
    return fs.existsSync(path.join(configured, "package.json"))
      ? { dir: path.resolve(configured) }
      : { problem: `BENCH_PEER_DIR=${configured} has no package.json` };
  }
  for (let dir = path.dirname(ROOT); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "shared", "peers", "awscdk-eks");
    if (fs.existsSync(path.join(candidate, "package.json"))) return { dir: candidate };
    if (path.dirname(dir) === dir) break;
  }
  return { problem: "no shared/peers/awscdk-eks beside the repository or its parents (set BENCH_PEER_DIR)" };
}

/** Copies the peer to the scratch directory and installs it (`npm ci`, once per package-lock). */
export function preparePeer(): Prepared {
  const found = findPeer();
  if (!found.dir) return { problem: found.problem! };
  const dir = path.join(SCRATCH, "peer");
  const skip = (n: string) => ["node_modules", "dist", "bench-out"].includes(n) || n.startsWith("cdk.out");
  copyTree(found.dir, dir, skip);
  const lock = createHash("sha256")
    .update(fs.readFileSync(path.join(dir, "package-lock.json")))
    .digest("hex");
  const marker = path.join(dir, "node_modules", ".bench-installed");
  if (!fs.existsSync(marker) || fs.readFileSync(marker, "utf8") !== lock) {
    process.stderr.write(`bench: npm ci in ${dir} (once)\n`);
    npm(["ci"], dir);
    fs.writeFileSync(marker, lock);
  }
  return { dir };
}

/**
 * The stock TypeScript template with our default app and unit tests in it: the template's
 * cdktf.json (`npx ts-node main.ts`) and jest config (preset ts-jest), our tsconfig without
 * `isolatedModules` (with it, ts-jest would only transpile, like our swc transform, and skip
 * the type-checking a stock project gets).
 */
export function prepareStock(): Prepared {
  const template = path.join(ROOT, "node_modules", "cdktf-cli", "bundle", "templates", "typescript");
  if (!fs.existsSync(template)) return { problem: `no cdktf typescript template in ${template}` };
  const dir = path.join(SCRATCH, "stock");
  const tools = path.join(dir, "tools");
  fs.mkdirSync(tools, { recursive: true });
  if (!fs.existsSync(path.join(tools, "node_modules", "ts-jest"))) {
    process.stderr.write(`bench: installing ${STOCK_TOOLS.join(", ")} in ${tools} (once)\n`);
    fs.writeFileSync(path.join(tools, "package.json"), JSON.stringify({ name: "stock-tools", private: true }));
    // Their peers (typescript, jest, @types/node) resolve to this repository's versions below.
    npm(["install", "--legacy-peer-deps", ...STOCK_TOOLS], tools);
  }

  // node_modules: every package of ours, linked, plus the stock tools.
  const modules = path.join(dir, "node_modules");
  fs.rmSync(modules, { recursive: true, force: true });
  fs.mkdirSync(path.join(modules, ".bin"), { recursive: true });
  const ours = fs.realpathSync(path.join(ROOT, "node_modules"));
  for (const name of fs.readdirSync(ours)) {
    if (name.startsWith(".")) continue;
    fs.symlinkSync(path.join(ours, name), path.join(modules, name));
  }
  for (const name of ["ts-node", "ts-jest"]) {
    fs.rmSync(path.join(modules, name), { recursive: true, force: true });
    fs.symlinkSync(path.join(tools, "node_modules", name), path.join(modules, name));
  }
  for (const bin of ["cdktf", "jest", "tsc"]) {
    fs.symlinkSync(fs.realpathSync(path.join(ours, ".bin", bin)), path.join(modules, ".bin", bin));
  }
  fs.symlinkSync(path.join(tools, "node_modules", "ts-node", "dist", "bin.js"), path.join(modules, ".bin", "ts-node"));

  // The app and its tests, fresh from the working tree.
  // package.json and the build config too: a test packs the package the way a consumer gets it.
  for (const name of ["main.ts", "README.md", "CHANGELOG.md", "package.json", "tsconfig.build.json"])
    fs.copyFileSync(path.join(ROOT, name), path.join(dir, name));
  for (const name of ["config", "constructs", "stacks", "test", "examples", "scripts"]) {
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    copyTree(path.join(ROOT, name), path.join(dir, name), () => false);
  }
  // tsconfig.json may hold comments: read it the way tsc does.
  const tsconfig = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), (file) => fs.readFileSync(file, "utf8"))
    .config as { compilerOptions: Record<string, unknown> };
  for (const option of ["isolatedModules", "incremental", "tsBuildInfoFile"]) delete tsconfig.compilerOptions[option];
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));

  const cdktfJson = JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8"));
  // The template's cdktf.json is a template ({{projectId}}...): only its app command is taken.
  const stockApp = /"app":\s*"([^"]+)"/.exec(fs.readFileSync(path.join(template, "cdktf.json"), "utf8"))![1];
  fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ ...cdktfJson, app: stockApp }, null, 2));
  // The template's jest config, pointed at our tests (the offline tier and our own app command left out).
  const jestConfig = {
    clearMocks: true,
    coverageProvider: "v8",
    moduleFileExtensions: ["ts", "js", "json", "node"],
    preset: "ts-jest",
    setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
    testEnvironment: "node",
    testMatch: ["**/__tests__/**/*.ts", "**/?(*.)+(spec|test).ts"],
    testPathIgnorePatterns: ["/node_modules/", ".d.ts", ".js", "<rootDir>/test/offline/", "app-command"],
    // What any setup needs for these tests, whatever compiles the TypeScript: the ESM-only
    // kubernetes-models (compiled to CommonJS) and the examples' package name.
    transform: {
      "^.+\\.tsx?$": "ts-jest",
      "^.+\\.js$": ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }],
    },
    resolver: "<rootDir>/test/esm-resolver.js",
    transformIgnorePatterns: ["/node_modules/(?!(kubernetes-models|@kubernetes-models|is-cidr|cidr-regex)/)"],
    moduleNameMapper: {
      "^eks-platform/constructs$": "<rootDir>/constructs/index.ts",
      "^eks-platform/constructs/(.*)$": "<rootDir>/constructs/$1/index.ts",
    },
  };
  fs.writeFileSync(path.join(dir, "jest.config.js"), `module.exports = ${JSON.stringify(jestConfig, null, 2)};\n`);
  return { dir };
}

/**
 * A consumer project set up as docs/consumer-app.md tells another repository to: the files of
 * examples/consumer-app (package.json, tsconfig.json, cdktf.json), the library as its package
 * (`npm run build`'s dist/, linked as node_modules/eks-platform, so it resolves through the
 * package's `exports` as an installed tarball does), the peers at this repository's versions,
 * and as apps the consumer scale app (main.ts) and its floor (floor.ts) from
 * scripts/bench/consumer/, compiled by the project's own tsc as its cdktf.json app does.
 */
export function prepareConsumer(): Prepared {
  const dir = path.join(SCRATCH, "consumer");
  const run = (argv: string[], cwd: string) => {
    const r = spawnSync(argv[0], argv.slice(1), { cwd, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${argv.join(" ")} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  };
  // The library build (incremental, as test/package.test.ts runs it) and its assets.
  run(
    [
      path.join(ROOT, "node_modules", ".bin", "tsc"),
      "-p",
      "tsconfig.build.json",
      "--incremental",
      "--tsBuildInfoFile",
      path.join(ROOT, ".cache", "tsconfig.build.tsbuildinfo"),
    ],
    ROOT,
  );
  run(["node", path.join(ROOT, "scripts", "library-assets.js")], ROOT);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "node_modules", ".bin"), { recursive: true });
  for (const name of ["package.json", "tsconfig.json", "cdktf.json"])
    fs.copyFileSync(path.join(ROOT, "examples", "consumer-app", name), path.join(dir, name));
  fs.copyFileSync(path.join(ROOT, "scripts", "bench", "consumer", "scale.ts"), path.join(dir, "main.ts"));
  for (const name of ["floor.ts", "cluster-stack.ts"])
    fs.copyFileSync(path.join(ROOT, "scripts", "bench", "consumer", name), path.join(dir, name));
  // The example compiles main.ts only; the floor is compiled with it, the same way.
  const tsconfig = JSON.parse(fs.readFileSync(path.join(dir, "tsconfig.json"), "utf8"));
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({ ...tsconfig, include: ["main.ts", "floor.ts", "cluster-stack.ts"] }),
  );
  const ours = fs.realpathSync(path.join(ROOT, "node_modules"));
  for (const name of fs.readdirSync(ours)) {
    if (name.startsWith(".")) continue;
    fs.symlinkSync(path.join(ours, name), path.join(dir, "node_modules", name));
  }
  fs.symlinkSync(ROOT, path.join(dir, "node_modules", "eks-platform"));
  fs.symlinkSync(fs.realpathSync(path.join(ours, ".bin", "tsc")), path.join(dir, "node_modules", ".bin", "tsc"));
  run([path.join(dir, "node_modules", ".bin", "tsc")], dir);
  return { dir };
}
