/**
 * `node --require eks-platform/register main.ts`: runs a consumer app's TypeScript on plain Node,
 * the `app` of its cdktf.json (docs/consumer-app.md).
 *
 * Why: an app command of `tsc && node dist/main.js` type-checks on every synth, and the type-check
 * parses the declarations of every provider class the library uses: about 3.4 s of CPU at any app
 * size, more than a 500-service synth itself (docs/performance.md, "A consumer's app"). Here each
 * `.ts` file of the app is only transpiled (types stripped, as `tsc` would emit it, with the app's
 * own TypeScript and its tsconfig.json's compiler options), and the output is cached by content,
 * so a synth with no edits doesn't even load the compiler. Type-checking is the app's own step
 * (`tsc --noEmit`, its `typecheck` script), as it is in this repository.
 *
 * Why not tsx or ts-node: one more dependency, and tsx turns Node's source maps on for the whole
 * process, which makes every stack trace cdktf captures for a token dearer (this repository's own
 * app measured 0.6 s more a synth with tsx). The inline maps written here are read only when asked:
 * `NODE_OPTIONS=--enable-source-maps` gives TypeScript lines in stack traces.
 *
 * Importing the library doesn't do this: it takes effect only through `--require`, in the app's
 * own process. Environment: EKS_PLATFORM_REGISTER_CACHE_DIR (default: node_modules/.cache/
 * eks-platform-register in the app's folder, where tools keep their caches).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

type TypeScript = typeof import("typescript");

const APP_DIR = process.cwd();
const CACHE_DIR =
  process.env.EKS_PLATFORM_REGISTER_CACHE_DIR || path.join(APP_DIR, "node_modules", ".cache", "eks-platform-register");
const TSCONFIG = path.join(APP_DIR, "tsconfig.json");

let typescript: TypeScript | undefined;
let compilerOptions: import("typescript").CompilerOptions | undefined;

/** The app's TypeScript (its devDependency), found from the app's folder. */
function loadTypeScript(): TypeScript {
  if (!typescript) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    typescript = require(require.resolve("typescript", { paths: [APP_DIR, __dirname] })) as TypeScript;
  }
  return typescript;
}

/**
 * The app's compiler options, as `tsc` would read them, with what running in place needs:
 * CommonJS output (Node's `require`), no declarations, inline source maps.
 */
function optionsOf(ts: TypeScript): import("typescript").CompilerOptions {
  if (!compilerOptions) {
    const read = fs.existsSync(TSCONFIG)
      ? ts.readConfigFile(TSCONFIG, (file) => ts.sys.readFile(file))
      : { config: {} };
    const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, APP_DIR);
    compilerOptions = {
      ...parsed.options,
      module: ts.ModuleKind.CommonJS,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
      inlineSourceMap: true,
      inlineSources: false,
      noEmit: false,
    };
  }
  return compilerOptions;
}

let salt: string | undefined;

/** The key of one compiled file: the compiler's version, the tsconfig, the file's path and source. */
function cacheKey(source: string, filename: string): string {
  if (salt === undefined) {
    let tsVersion = "none";
    try {
      const pkg = require.resolve("typescript/package.json", { paths: [APP_DIR, __dirname] });
      tsVersion = (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version: string }).version;
    } catch {
      // no TypeScript: transpiling will say so
    }
    salt = `${tsVersion}\0${fs.existsSync(TSCONFIG) ? fs.readFileSync(TSCONFIG, "utf8") : ""}\0`;
  }
  return crypto.createHash("sha256").update(salt).update(`${filename}\0`).update(source).digest("hex");
}

/** Transpiles one file, or reads it from the cache. */
export function compileTypeScript(source: string, filename: string): string {
  const cached = path.join(CACHE_DIR, `${cacheKey(source, filename)}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    // not compiled yet
  }
  const ts = loadTypeScript();
  const { outputText } = ts.transpileModule(source, { fileName: filename, compilerOptions: optionsOf(ts) });
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    // Written under a temporary name and renamed: a parallel synth never reads half a file.
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, outputText);
    fs.renameSync(tmp, cached);
  } catch {
    // A read-only folder still synthesizes; it just transpiles every time.
  }
  return outputText;
}

interface CompilableModule {
  _compile(code: string, filename: string): void;
}

// Node's CommonJS loader hook for an extension (deprecated in name only: it is what ts-node and
// every require hook use). Installed only when this module is loaded, i.e. by `--require`.
const extensions = (require as unknown as { extensions: Record<string, unknown> }).extensions;
extensions[".ts"] = (module: CompilableModule, filename: string) => {
  module._compile(compileTypeScript(fs.readFileSync(filename, "utf8"), filename), filename);
};
