import * as fs from "node:fs";
import * as path from "node:path";

// Every refusal in the library has the one error shape (fail / ValidationError: the construct, the field,
// the value and the fix), so an app can tell bad input from a defect and print it as one block.
const ROOT = path.join(__dirname, "..", "..", "constructs");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

describe("the library's errors", () => {
  it("are never raw Errors: every throw in constructs/ goes through fail() or ValidationError", () => {
    const raw = sources(ROOT).flatMap((file) =>
      fs
        .readFileSync(file, "utf8")
        .split("\n")
        .map((line, i) => ({ line, at: `${path.relative(ROOT, file)}:${i + 1}` }))
        .filter(({ line }) => /throw new (Type|Range)?Error\(/.test(line) && !line.trim().startsWith("//"))
        .map(({ at }) => at),
    );
    expect(raw).toEqual([]);
  });
});
