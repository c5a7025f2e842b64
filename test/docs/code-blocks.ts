import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

/**
 * The TypeScript code blocks of the docs (```ts or ```typescript), ready to type-check.
 *
 * A snippet is written as if it were a file at the repository root (like main.ts): relative
 * imports start there (`./constructs/workloads`), and `eks-platform/constructs` is the package
 * name, mapped to constructs/ as for examples/. What a snippet uses but doesn't show (the
 * `stack` it adds to, a `cluster` made in the previous snippet) is declared in an HTML comment
 * right before the block, which renders as nothing:
 *
 *     <!-- ts-check
 *     import { TerraformStack } from "cdktf";
 *     declare const stack: TerraformStack;
 *     -->
 *
 * `<!-- ts-check in test/` makes the snippet a file of that folder (its relative imports start there).
 */
export interface CodeBlock {
  /** The markdown file, relative to the repository root. */
  readonly file: string;
  /** 1-based line of the block's first code line in the markdown. */
  readonly line: number;
  readonly code: string;
  /** The declarations of the ts-check comment, or "" without one. */
  readonly prelude: string;
  /** The folder (relative to the root) the snippet is written from. */
  readonly dir: string;
}

const ROOT = path.resolve(__dirname, "..", "..");
const FENCE = /^```(ts|typescript)\s*$/;
const CHECK = /^<!--\s*ts-check(?:\s+in\s+(\S+))?\s*$/;

/** README.md, CONTRIBUTING.md and every docs/**.md that exists. */
export function docFiles(root = ROOT): string[] {
  const files = ["README.md", "CONTRIBUTING.md"].filter((f) => fs.existsSync(path.join(root, f)));
  const walk = (dir: string) => {
    if (!fs.existsSync(path.join(root, dir))) return;
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith(".md")) files.push(rel);
    }
  };
  walk("docs");
  return files;
}

/** Every TypeScript block of one markdown text, with the ts-check comment before it. */
export function codeBlocks(file: string, markdown: string): CodeBlock[] {
  const lines = markdown.split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE.test(lines[i])) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    // The comment ends on the line before the fence (blank lines between are allowed).
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === "") before--;
    let prelude = "";
    let dir = ".";
    if (before >= 0 && lines[before].trim() === "-->") {
      let open = before - 1;
      while (open >= 0 && !lines[open].startsWith("<!--")) open--;
      const match = open >= 0 ? CHECK.exec(lines[open].trim()) : null;
      if (match) {
        prelude = lines.slice(open + 1, before).join("\n");
        dir = match[1]?.replace(/\/$/, "") ?? ".";
      }
    }
    blocks.push({ file, line: start + 1, code: lines.slice(start, end).join("\n"), prelude, dir });
    i = end;
  }
  return blocks;
}

/** A snippet's relative imports, pointed at the absolute path they mean from its folder. */
function rewriteImports(code: string, dir: string, root: string): string {
  return code.replace(
    /(from\s+|import\s+|require\()(["'])(\.\.?\/[^"']*)\2/g,
    (_m, lead: string, q: string, spec: string) => {
      const target = path.join(root, dir, spec).split(path.sep).join("/");
      return `${lead}${q}${target}${q}`;
    },
  );
}

/**
 * Type-checks blocks with the project's compiler options (unused names allowed: a snippet shows
 * values it doesn't use). Each block is its own module in `scratch` (a folder inside the
 * project, so packages resolve from its node_modules). Returns one line per error,
 * `README.md:759: Cannot find name 'remote'.`, with the markdown line of the error.
 */
export function typeCheck(blocks: CodeBlock[], scratch: string, root = ROOT): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  )!;
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    incremental: false,
    tsBuildInfoFile: undefined,
    noUnusedLocals: false,
    noUnusedParameters: false,
    isolatedModules: false,
  };
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  const sources = new Map<string, { block: CodeBlock; offset: number }>();
  blocks.forEach((block, n) => {
    const name = path.join(scratch, `${path.basename(block.file, ".md")}-${block.line}-${n}.ts`);
    const prelude = rewriteImports(block.prelude, block.dir, root);
    const head = prelude === "" ? "" : `${prelude}\n`;
    fs.writeFileSync(name, `${head}${rewriteImports(block.code, block.dir, root)}\nexport {};\n`);
    sources.set(path.resolve(name), { block, offset: head === "" ? 0 : head.split("\n").length - 1 });
  });
  const program = ts.createProgram([...sources.keys()], options);
  const errors: string[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
    const source = diagnostic.file && sources.get(path.resolve(diagnostic.file.fileName));
    if (!source || diagnostic.start === undefined) {
      errors.push(`${diagnostic.file?.fileName ?? "(program)"}: ${message}`);
      continue;
    }
    const line = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start).line;
    const where =
      line < source.offset
        ? `${source.block.file}:${source.block.line} (ts-check comment)`
        : `${source.block.file}:${source.block.line + line - source.offset}`;
    errors.push(`${where}: ${message}`);
  }
  return errors;
}
