import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { recordedState, recordingKey, RERECORD_COMMAND, TerraformState } from "../../scripts/offline-terraform";
import { serialize } from "../../scripts/offline-terraform/recorded-state";

// The recorded day-2 states of test/offline/states (a unit test: no terraform needed). A recording is used only
// for the configuration it was derived from; a stale one fails in CI with the command that re-records it.

const CONFIG = {
  "//": { metadata: { path: "day2" } },
  terraform: { backend: { local: { path: "terraform.day2.tfstate" } } },
  resource: { aws_ecr_repository: { repo: { name: "a", "//": { metadata: { path: "day2/repo" } } } } },
};
const files = (config: unknown) => ({ "cdk.tf.json": JSON.stringify(config) });

function state(name: string): TerraformState {
  return {
    version: 4,
    terraform_version: "1.11.4",
    serial: 2,
    lineage: "00000000-0000-4000-8000-000000000000",
    outputs: {},
    resources: [
      {
        mode: "managed",
        type: "aws_ecr_repository",
        name: "repo",
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [{ schema_version: 0, attributes: { name, id: "stand-in-1" } }],
      },
    ],
  };
}

describe("recordingKey", () => {
  const key = recordingKey(files(CONFIG), {}, "1.11.4");

  it("is the configuration as planned: cdktf's comments, the backend and key order don't count", () => {
    const reordered = {
      resource: { aws_ecr_repository: { repo: { name: "a" } } },
      terraform: { backend: { s3: { bucket: "elsewhere" } } },
    };
    expect(recordingKey(files(reordered), {}, "1.11.4")).toBe(key);
    expect(recordingKey(files(CONFIG), { allowDocumentationPlaceholders: true }, "1.11.4")).toBe(key);
  });

  it("changes with the configuration, the plan options and terraform's version", () => {
    const renamed = { ...CONFIG, resource: { aws_ecr_repository: { repo: { name: "b" } } } };
    const others = [
      recordingKey(files(renamed), {}, "1.11.4"),
      recordingKey(files(CONFIG), { awsOnly: true }, "1.11.4"),
      recordingKey(files(CONFIG), { allowDocumentationPlaceholders: false }, "1.11.4"),
      recordingKey(files(CONFIG), {}, "1.12.0"),
      recordingKey(files(CONFIG), {}, "1.11.4", 3),
    ];
    expect(new Set([key, ...others]).size).toBe(others.length + 1);
  });
});

describe("recordedState", () => {
  let dir: string;
  let file: string;
  let derived: number;
  const derive = () => {
    derived++;
    return state("derived");
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "recorded-state-"));
    file = path.join(dir, "day2-x.json");
    derived = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const shown = () => path.relative(process.cwd(), file);

  it("returns the recording of this configuration without deriving it, in every mode", () => {
    fs.writeFileSync(file, serialize("k1", state("recorded")));
    for (const mode of ["check", "local", "update"] as const)
      expect(recordedState(file, "k1", derive, mode)).toEqual(state("recorded"));
    expect(derived).toBe(0);
    expect(fs.readFileSync(file, "utf8")).toBe(serialize("k1", state("recorded")));
  });

  it("fails a stale recording in CI with the command that re-records it, deriving nothing", () => {
    fs.writeFileSync(file, serialize("k1", state("recorded")));
    expect(() => recordedState(file, "k2", derive, "check")).toThrow(
      new Error(
        `The recorded day-2 state ${shown()} is stale: recorded from configuration k1, the test now builds k2. ` +
          `Re-record it with \`${RERECORD_COMMAND}\` and review its diff (what the "before" configuration now deploys).`,
      ),
    );
    expect(derived).toBe(0);
  });

  it("in CI, derives (not fails) a recording another terraform version made, and still fails a stale one of this version", () => {
    fs.writeFileSync(file, serialize("k1", state("recorded")));
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      expect(recordedState(file, "k2", derive, "check", "1.12.0")).toEqual(state("derived"));
      expect(warn).toHaveBeenCalledWith(
        `The recorded day-2 state ${shown()} was recorded with terraform 1.11.4, this is 1.12.0; derived it for this ` +
          `run. Re-record it with \`${RERECORD_COMMAND}\` to keep the runs fast.`,
      );
    } finally {
      warn.mockRestore();
    }
    expect(fs.readFileSync(file, "utf8")).toBe(serialize("k1", state("recorded")));
    expect(() => recordedState(file, "k2", derive, "check", "1.11.4")).toThrow(
      /is stale: recorded from configuration k1/,
    );
  });

  it("fails a missing recording in CI", () => {
    expect(() => recordedState(file, "k2", derive, "check")).toThrow(
      new Error(
        `The recorded day-2 state ${shown()} is missing (configuration k2). Re-record it with \`${RERECORD_COMMAND}\` ` +
          `and review its diff (what the "before" configuration now deploys).`,
      ),
    );
    expect(fs.existsSync(file)).toBe(false);
  });

  it("locally derives the state of a changed configuration, warns, and leaves the recording for review", () => {
    fs.writeFileSync(file, serialize("k1", state("recorded")));
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      expect(recordedState(file, "k2", derive, "local")).toEqual(state("derived"));
      expect(warn).toHaveBeenCalledWith(
        `The recorded day-2 state ${shown()} is stale: recorded from configuration k1, the test now builds k2; ` +
          `derived it for this run. Re-record it with \`${RERECORD_COMMAND}\` (CI fails on it).`,
      );
    } finally {
      warn.mockRestore();
    }
    expect(derived).toBe(1);
    expect(fs.readFileSync(file, "utf8")).toBe(serialize("k1", state("recorded")));
  });

  it("locally records a missing state, and re-records a stale one in update mode", () => {
    expect(recordedState(file, "k1", derive, "local")).toEqual(state("derived"));
    expect(fs.readFileSync(file, "utf8")).toBe(serialize("k1", state("derived")));
    expect(recordedState(file, "k2", () => state("re-derived"), "update")).toEqual(state("re-derived"));
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toMatchObject({ key: "k2", state: state("re-derived") });
    expect(derived).toBe(1);
  });

  it("writes the same state as the same bytes: keys sorted at every level, no timestamps", () => {
    // The same state with every object's keys in reverse order.
    const reversed = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reversed)
        : v && typeof v === "object"
          ? Object.fromEntries(
              Object.keys(v)
                .reverse()
                .map((k) => [k, reversed((v as Record<string, unknown>)[k])]),
            )
          : v;
    const text = serialize("k", state("x"));
    expect(JSON.stringify(reversed(state("x")))).not.toBe(JSON.stringify(state("x")));
    expect(serialize("k", reversed(state("x")) as TerraformState)).toBe(text);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(Object.keys(JSON.parse(text).state)).toEqual([
      "lineage",
      "outputs",
      "resources",
      "serial",
      "terraform_version",
      "version",
    ]);
  });
});

describe("test/offline/states", () => {
  // jest's "obsolete snapshot" for recordings: a file no day-2 test names any more is dead weight a
  // reviewer would still read. The names are the literal last argument of stateOf(...).
  it("holds exactly the recordings the offline tests plan against", () => {
    const offline = path.join(__dirname, "..", "offline");
    const used = new Set<string>();
    for (const file of fs.readdirSync(offline).filter((f) => f.endsWith(".test.ts"))) {
      const source = fs.readFileSync(path.join(offline, file), "utf8");
      for (const m of source.matchAll(/stateOf\([\s\S]*?,\s*tools,\s*"([^"]+)",?\s*\)/g)) used.add(m[1]);
    }
    const recorded = fs
      .readdirSync(path.join(offline, "states"))
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.slice(0, -".json".length));
    expect(used.size).toBeGreaterThan(0);
    expect(recorded.sort()).toEqual([...used].sort());
  });
});
