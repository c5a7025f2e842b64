import { execFileSync, execSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// The library as another repository gets it: `npm pack` of this package, installed with its peer
// dependencies by `npm install` into a copy of examples/consumer-app (its package.json, tsconfig.json
// and cdktf.json, as docs/consumer-app.md tells a user to set them up), type-checked by that app's own
// TypeScript against the packed .d.ts, and synthesized by the app command of its cdktf.json. The
// app covers a managed cluster, an Auto Mode cluster (ClusterControllers reads the packed
// IngressClassParams chart) and a workloads stack on an adopted cluster.
//
// The install reads the npm cache first (`--prefer-offline`): the peers are the versions this
// repository's `npm ci` has just put there, so a warm run takes about 12 s and needs no network.
const ROOT = path.resolve(__dirname, "..");
const BIN = (name: string) => path.join(ROOT, "node_modules", ".bin", name);
const PACK_TIMEOUT_MS = 5 * 60 * 1000;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const assets = require("../scripts/library-assets.js") as {
  libraryAssets(): string[];
  builtPath(asset: string): string;
  copyLibraryAssets(): string[];
};

/** The consumer starting point the docs give, copied as is. */
const CONSUMER_APP = path.join(ROOT, "examples", "consumer-app");
const CONSUMER_FILES = ["package.json", "tsconfig.json", "cdktf.json", "main.ts"];

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
  // What `npm run build` does after tsc: the non-TS files the library reads at runtime.
  assets.copyLibraryAssets();
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

/**
 * The environment of a command run as a user would run it: without the npm_* variables `npm test`
 * exports (npm_config_local_prefix and the like would point npm at this repository).
 */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, CHECKPOINT_DISABLE: "1", ...extra };
}

type Json = { resource?: Record<string, Record<string, any>>; provider?: Record<string, any[]> };

describe("the packed package", () => {
  let scratch: string;
  let packedFiles: string[];
  let stacks: Record<string, Json>;
  let outdir: string;

  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pack-consumer-"));
    buildLibrary();
    const packed = JSON.parse(
      execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch], {
        cwd: ROOT,
        encoding: "utf8",
        env: userEnv(),
      }),
    ) as { filename: string; files: { path: string }[] }[];
    packedFiles = packed[0].files.map((f) => f.path);

    for (const file of CONSUMER_FILES) fs.copyFileSync(path.join(CONSUMER_APP, file), path.join(scratch, file));
    // As a user does: the tarball, then the peers and the compiler the example's package.json lists.
    execFileSync(
      "npm",
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", `./${packed[0].filename}`],
      { cwd: scratch, stdio: "pipe", env: userEnv() },
    );
    // The app's own type-check step (its `typecheck` script: tsc against the packed .d.ts)...
    execSync("npm run --silent typecheck", { cwd: scratch, stdio: "pipe", env: userEnv() });
    // ...and `cdktf synth`, which runs cdktf.json's app in the app's folder with CDKTF_OUTDIR set.
    const app = (JSON.parse(fs.readFileSync(path.join(scratch, "cdktf.json"), "utf8")) as { app: string }).app;
    outdir = path.join(scratch, "cdktf.out");
    execSync(app, { cwd: scratch, stdio: "pipe", env: userEnv({ CDKTF_OUTDIR: outdir }) });
    stacks = {};
    for (const id of fs.readdirSync(path.join(outdir, "stacks")))
      stacks[id] = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8")) as Json;
  }, PACK_TIMEOUT_MS);
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  const resources = (stack: string, type: string): any[] => Object.values(stacks[stack].resource?.[type] ?? {});

  it("holds the compiled library, its runtime assets and its docs, and nothing else", () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        "dist/constructs/index.js",
        "dist/constructs/index.d.ts",
        "dist/constructs/stacks/index.js",
      ]),
    );
    // Every non-TS file under constructs/ (the charts read through __dirname) is packed next to its JS.
    const wanted = assets.libraryAssets().map((a) => assets.builtPath(a));
    expect(wanted).toContain("dist/constructs/controllers/charts/ingress-class-params/Chart.yaml");
    expect(wanted.filter((f) => !packedFiles.includes(f))).toEqual([]);
    expect(
      packedFiles.filter((f) => !/^(dist\/constructs\/|README\.md$|CHANGELOG\.md$|package\.json$)/.test(f)),
    ).toEqual([]);
    expect(packedFiles.some((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toBe(false);
  });

  it("installs with its peers into the documented consumer app, which synthesizes every stack", () => {
    expect(Object.keys(stacks).sort()).toEqual([
      "platform-auto",
      "platform-managed",
      "workloads-adopted",
      "workloads-auto",
      "workloads-managed",
    ]);
    const installed = JSON.parse(fs.readFileSync(path.join(scratch, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(installed.dependencies["eks-platform"]).toMatch(/^file:eks-platform-.*\.tgz$/);
  });

  it("runs the app's TypeScript through eks-platform/register: transpiled once, then read from its cache", () => {
    const cache = path.join(scratch, "node_modules", ".cache", "eks-platform-register");
    // The synth above compiled main.ts, the one TypeScript file of the app.
    expect(fs.readdirSync(cache).filter((f) => f.endsWith(".js"))).toHaveLength(1);
    // A second synth with TypeScript out of reach still runs: the cache serves main.ts, the
    // compiler isn't loaded (what makes a synth without edits as fast as the compiled JavaScript).
    const again = path.join(scratch, "cdktf.out-again");
    const noTypeScript = path.join(scratch, "no-typescript.js");
    fs.writeFileSync(
      noTypeScript,
      'const M = require("module"); const r = M._resolveFilename; M._resolveFilename = function (req, ...a) { if (req === "typescript") throw new Error("typescript was loaded"); return r.call(this, req, ...a); };\n',
    );
    execFileSync("node", ["--require", noTypeScript, "--require", "eks-platform/register", "main.ts"], {
      cwd: scratch,
      stdio: "pipe",
      env: userEnv({ CDKTF_OUTDIR: again }),
    });
    expect(fs.readdirSync(path.join(again, "stacks")).sort()).toEqual(Object.keys(stacks).sort());
    fs.rmSync(again, { recursive: true, force: true });
  });

  it("a managed cluster: node group, and the load balancer controller, autoscaler and VPA in its workloads stack", () => {
    expect(resources("platform-managed", "aws_eks_cluster")).toEqual([
      expect.objectContaining({ name: "shop-managed" }),
    ]);
    expect(resources("platform-managed", "aws_eks_node_group")).toHaveLength(1);
    expect(
      resources("workloads-managed", "helm_release")
        .map((r) => r.chart)
        .sort(),
      // The Vertical Pod Autoscaler is on by default wherever it has nodes (ClusterControllers).
    ).toEqual(["aws-load-balancer-controller", "cluster-autoscaler", "vertical-pod-autoscaler"]);
  });

  it("an Auto Mode cluster: ClusterControllers installs the packed IngressClassParams chart as an asset", () => {
    const [cluster] = resources("platform-auto", "aws_eks_cluster");
    expect(cluster.compute_config.enabled).toBe(true);
    expect(resources("platform-auto", "aws_eks_node_group")).toEqual([]);
    const [params] = resources("workloads-auto", "helm_release");
    expect(params.chart).toMatch(/^assets\/controllers_auto-mode-load-balancing_chart_[0-9A-F]+\/[0-9A-F]+$/);
    // The chart cdktf copied out of the installed package is the repository's, file for file.
    const chart = path.join(outdir, "stacks", "workloads-auto", params.chart as string);
    const source = path.join(ROOT, "constructs", "controllers", "charts", "ingress-class-params");
    for (const asset of assets
      .libraryAssets()
      .filter((a) => a.startsWith("constructs/controllers/charts/ingress-class-params/"))) {
      const rel = path.relative(source, path.join(ROOT, asset));
      expect(fs.readFileSync(path.join(chart, rel), "utf8")).toBe(fs.readFileSync(path.join(ROOT, asset), "utf8"));
    }
    expect(resources("workloads-auto", "kubernetes_ingress_class_v1")).toEqual([
      expect.objectContaining({ spec: expect.objectContaining({ controller: "eks.amazonaws.com/alb" }) }),
    ]);
  });

  it("a workloads stack on an adopted cluster: exec authentication, controllers and workloads, no cluster or VPC", () => {
    const json = stacks["workloads-adopted"];
    for (const type of ["aws_eks_cluster", "aws_vpc", "aws_subnet"])
      expect(resources("workloads-adopted", type)).toEqual([]);
    expect(json.provider?.kubernetes[0].exec).toEqual([
      {
        api_version: "client.authentication.k8s.io/v1beta1",
        command: "aws",
        args: ["eks", "get-token", "--cluster-name", "legacy", "--region", "eu-west-1", "--output", "json"],
      },
    ]);
    expect(json.provider?.kubernetes[0].host).toBe(
      "https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
    );
    expect(resources("workloads-adopted", "helm_release").map((r) => r.chart)).toEqual([
      "aws-load-balancer-controller",
    ]);
    expect(resources("workloads-adopted", "kubernetes_deployment_v1")).toHaveLength(1);
  });
});
