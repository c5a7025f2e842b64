// Every TypeScript block of README.md, CONTRIBUTING.md and docs/**.md type-checks, so a snippet
// can't rot (see test/docs/code-blocks.ts for the ts-check comment that declares what a snippet
// uses). What the examples synthesize is asserted by test/readme-examples.test.ts and
// test/workloads/docs-examples.test.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import { codeBlocks, CodeBlock, docFiles, typeCheck } from "./code-blocks";

const ROOT = path.resolve(__dirname, "..", "..");
const SCRATCH = path.join(ROOT, ".cache", "doc-snippets");

const blocks: CodeBlock[] = docFiles().flatMap((file) =>
  codeBlocks(file, fs.readFileSync(path.join(ROOT, file), "utf8")),
);

describe("the docs' TypeScript blocks", () => {
  it("finds the blocks of the guides (the README keeps shell commands; its guides the code)", () => {
    expect(blocks.filter((b) => b.file.startsWith("docs/")).length).toBeGreaterThanOrEqual(10);
    for (const guide of ["docs/workloads.md", "docs/platform.md", "docs/reuse.md"])
      expect(blocks.filter((b) => b.file === guide).length).toBeGreaterThan(0);
  });

  it("every block type-checks, with what its ts-check comment declares", () => {
    expect(typeCheck(blocks, path.join(SCRATCH, "docs"))).toEqual([]);
  }, 120_000);

  it("a block that uses an undeclared name fails, at its markdown line", () => {
    const markdown = [
      "# Doc",
      "",
      "<!-- ts-check",
      'import { Testing } from "cdktf";',
      "const stack = Testing.app();",
      "-->",
      "```ts",
      "stack.node.id;",
      'remote.getString("cluster_endpoint");',
      "```",
    ].join("\n");
    const parsed = codeBlocks("docs/broken.md", markdown);
    expect(parsed).toEqual([
      {
        file: "docs/broken.md",
        line: 8,
        code: 'stack.node.id;\nremote.getString("cluster_endpoint");',
        prelude: 'import { Testing } from "cdktf";\nconst stack = Testing.app();',
        dir: ".",
      },
    ]);
    expect(typeCheck(parsed, path.join(SCRATCH, "self-test"))).toEqual([
      "docs/broken.md:9: Cannot find name 'remote'.",
    ]);
  }, 120_000);
});

describe("the docs' commands", () => {
  it("every test file a `npx jest <file>` of the docs names exists", () => {
    const named = docFiles().flatMap((file) =>
      [...fs.readFileSync(path.join(ROOT, file), "utf8").matchAll(/npx jest ((?:test|examples)\/[\w./-]+\.ts)/g)].map(
        (m) => ({ file, test: m[1] }),
      ),
    );
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((n) => !fs.existsSync(path.join(ROOT, n.test)))).toEqual([]);
  });
});
