/**
 * `npm run bench`: every performance figure of the project in one invocation, printed as
 * Markdown tables, saved as JSON (bench/results/, git-ignored) and drawn as an SVG chart.
 * A script, not a timed test: run it on a quiet machine, and say when it wasn't.
 *
 * Sections (BENCH_ONLY=synth,scale,stock,test picks some; default all):
 * - synth  the default app, every environment: `cdktf synth`, and the app run directly with
 *          cdktf.json's app command; plus the type-check.
 * - scale  generated apps of BENCH_SIZES web services (default 10,100,500) on the dev cluster
 *          (scripts/bench/scale-app.ts), against the AWS CDK peer at the same sizes with its
 *          template validator on and off, run in turn (ours, peer on, peer off, ...) so the
 *          ratios are pair by pair.
 * - stock  the stock `cdktf init --template=typescript` setup (ts-node, ts-jest) for the same
 *          default app: `cdktf synth` and the unit tests, in turn with ours.
 * - test   `npm test` and the offline Terraform tier alone.
 *
 * Environment: BENCH_RUNS (timed runs of each synth, default 5, after one warm-up),
 * BENCH_TEST_RUNS (of each test command, default 1, after BENCH_TEST_WARMUPS=1 warm-up),
 * BENCH_SIZES, BENCH_ONLY, BENCH_CHART (SVG path, default docs/bench-synth.svg),
 * BENCH_RESULTS_DIR (default bench/results), BENCH_TIME_BIN (GNU time), and
 * BENCH_PEER_DIR / BENCH_SCRATCH_DIR (see scripts/bench/scratch.ts).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { environments } from "../../config/environments";
import { renderChart, Series } from "./chart";
import { Command, fmt, interleaved, measure, median, Stats, TIME_BIN } from "./measure";
import { preparePeer, prepareStock, ROOT } from "./scratch";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TEST_RUNS = Number(process.env.BENCH_TEST_RUNS ?? 1);
const TEST_WARMUPS = Number(process.env.BENCH_TEST_WARMUPS ?? 1);
const SIZES = (process.env.BENCH_SIZES ?? "10,100,500").split(",").map(Number);
const ONLY = new Set((process.env.BENCH_ONLY ?? "synth,scale,stock,test").split(",").map((s) => s.trim()));
const ALL_ENVS = Object.keys(environments).join(",");
const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);
const ENV: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1" };
// The tests pin the app's default environments themselves: no PLATFORM_ENVS of the caller's.
const TEST_ENV: NodeJS.ProcessEnv = { ...ENV, PLATFORM_ENVS: undefined };
// What the peer's own run.sh sets: no version check, no telemetry, quiet npm.
const PEER_ENV: NodeJS.ProcessEnv = {
  ...ENV,
  npm_config_loglevel: "error",
  CDK_DISABLE_VERSION_CHECK: "1",
  CDK_DISABLE_CLI_TELEMETRY: "true",
};

interface Row {
  section: string;
  what: string;
  stats?: Stats;
  resources?: number;
  /** Median wall per 100 resources, s. */
  per100?: number;
  /** Median of the pair-by-pair ratios ours / other. */
  ratio?: number;
  ratioOf?: string;
  note?: string;
}
const rows: Row[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);

function add(row: Row): Row {
  rows.push(row);
  const st = row.stats;
  log(
    `[${row.section}] ${row.what}: ${st ? `${fmt.s(st.median)} (${fmt.range(st)}), cpu ${fmt.s(st.cpu)}, ${fmt.mb(st.rssMb)}` : ""}` +
      `${row.resources !== undefined ? `, ${row.resources} resources` : ""}` +
      `${row.ratio !== undefined ? `, ratio ${fmt.ratio(row.ratio)} ${row.ratioOf}` : ""}${row.note ? ` (${row.note})` : ""}`,
  );
  return row;
}

function scratchOut(prefix: string): { dir: string; before: () => void } {
  const dir = path.join(os.tmpdir(), `bench-${prefix}-${process.pid}`);
  return { dir, before: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The app command of cdktf.json, as argv (it is a plain command, no shell syntax). */
function appCommand(): string[] {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8")).app.split(/\s+/);
}

function countTerraform(outdir: string): number {
  let total = 0;
  for (const stack of fs.readdirSync(path.join(outdir, "stacks"))) {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
    for (const byName of Object.values<Record<string, unknown>>(json.resource ?? {}))
      total += Object.keys(byName).length;
  }
  return total;
}

function countCloudFormation(outdir: string): number {
  let total = 0;
  for (const file of fs.readdirSync(outdir).filter((f) => f.endsWith(".template.json"))) {
    total += Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, file), "utf8")).Resources ?? {}).length;
  }
  return total;
}

function section<T>(name: string, body: () => T): T | undefined {
  if (!ONLY.has(name)) return undefined;
  log(`bench: ${name} ...`);
  try {
    return body();
  } catch (err) {
    add({ section: name, what: "(section failed)", note: (err as Error).message.split("\n").slice(0, 6).join(" | ") });
    return undefined;
  }
}

function synthSection(): void {
  const env = { ...ENV, PLATFORM_ENVS: ALL_ENVS };
  const direct = scratchOut("direct");
  const d = measure(
    { argv: appCommand(), cwd: ROOT, env: { ...env, CDKTF_OUTDIR: direct.dir }, before: direct.before },
    RUNS,
  );
  const resources = countTerraform(direct.dir);
  direct.before();
  add({
    section: "synth",
    what: `default app (${ALL_ENVS}), directly: \`${appCommand().join(" ")}\``,
    stats: d,
    resources,
  });
  const cli = measure({ argv: [bin("cdktf"), "synth"], cwd: ROOT, env }, RUNS);
  add({ section: "synth", what: `default app (${ALL_ENVS}), \`cdktf synth\``, stats: cli, resources });
  // What `npm run synth` runs (npm's own start-up left out): the same CLI with the compile cache.
  const launched = measure({ argv: ["node", "scripts/cdktf.js", "synth"], cwd: ROOT, env }, RUNS);
  add({
    section: "synth",
    what: `default app (${ALL_ENVS}), \`node scripts/cdktf.js synth\` (\`npm run synth\`: the app run directly, no CLI)`,
    stats: launched,
    resources,
  });
  add({
    section: "synth",
    what: "type-check (`tsc --noEmit`, incremental)",
    stats: measure({ argv: [bin("tsc"), "--noEmit", "-p", "."], cwd: ROOT, env }, TEST_RUNS, TEST_WARMUPS),
  });
}

function scaleSection(): Series[] {
  const peer = preparePeer();
  if (!peer.dir) add({ section: "scale", what: "AWS CDK peer", note: `not run: ${peer.problem}` });
  const ours: [number, number][] = [];
  const peerOn: [number, number][] = [];
  const peerOff: [number, number][] = [];
  for (const n of SIZES) {
    const o = scratchOut(`scale-${n}`);
    const cmds: Command[] = [
      {
        argv: [...appCommand().slice(0, -1), "scripts/bench/scale-app.ts"],
        cwd: ROOT,
        env: { ...ENV, BENCH_SERVICES: String(n), CDKTF_OUTDIR: o.dir },
        before: o.before,
      },
    ];
    const p = scratchOut(`peer-${n}`);
    if (peer.dir) {
      const tsx = path.join(peer.dir, "node_modules", ".bin", "tsx");
      const peerEnv = { ...PEER_ENV, EXTRA_SERVICES: String(n), CDK_OUTDIR: p.dir };
      cmds.push(
        { argv: [tsx, "bin/app.ts"], cwd: peer.dir, env: peerEnv, before: p.before },
        { argv: [tsx, "bin/app.ts"], cwd: peer.dir, env: { ...peerEnv, CDK_VALIDATION: "false" }, before: p.before },
      );
    }
    const { stats, ratios } = interleaved(cmds, RUNS);
    // Counted from the last run of each (the peer's validator doesn't change its templates).
    const ourCount = countTerraform(o.dir);
    const peerCount = peer.dir ? countCloudFormation(p.dir) : undefined;
    o.before();
    p.before();
    add({
      section: "scale",
      what: `ours, ${n} web services (directly)`,
      stats: stats[0],
      resources: ourCount,
      per100: (stats[0].median / ourCount) * 100,
    });
    ours.push([ourCount, stats[0].median]);
    if (peer.dir && peerCount) {
      for (const [k, label, series] of [
        [1, "validator on", peerOn],
        [2, "validator off", peerOff],
      ] as const) {
        add({
          section: "scale",
          what: `AWS CDK peer, ${n} web services, ${label} (tsx)`,
          stats: stats[k],
          resources: peerCount,
          per100: (stats[k].median / peerCount) * 100,
          ratio: median(ratios[k]),
          ratioOf: `ours/peer (${label}), pair by pair`,
        });
        series.push([peerCount, stats[k].median]);
      }
    }
  }
  const series: Series[] = [{ label: "ours (cdktf, run directly)", color: "#1f6feb", points: ours }];
  if (peerOn.length) {
    series.push(
      { label: "AWS CDK peer, validator on (default)", color: "#d1242f", points: peerOn },
      { label: "AWS CDK peer, validator off", color: "#d1242f", dashed: true, points: peerOff },
    );
  }
  return series;
}

function stockSection(): void {
  const stock = prepareStock();
  if (!stock.dir) {
    add({ section: "stock", what: "stock cdktf template", note: `not run: ${stock.problem}` });
    return;
  }
  const env = { ...ENV, PLATFORM_ENVS: ALL_ENVS };
  const synth = interleaved(
    [
      { argv: [bin("cdktf"), "synth"], cwd: ROOT, env },
      { argv: [path.join(stock.dir, "node_modules", ".bin", "cdktf"), "synth"], cwd: stock.dir, env },
    ],
    RUNS,
  );
  add({ section: "stock", what: "ours, `cdktf synth` (default app)", stats: synth.stats[0] });
  add({
    section: "stock",
    what: "stock template, `cdktf synth` (`npx ts-node main.ts`)",
    stats: synth.stats[1],
    ratio: median(synth.ratios[1]),
    ratioOf: "ours/stock, pair by pair",
  });
  for (const [label, extra] of [
    ["warm cache", []],
    ["cold cache (`--no-cache`: every file transformed, as after an edit)", ["--no-cache"]],
  ] as const) {
    const loop = interleaved(
      [
        { argv: [bin("jest"), "--selectProjects", "unit", ...extra], cwd: ROOT, env: TEST_ENV },
        { argv: [path.join(stock.dir, "node_modules", ".bin", "jest"), ...extra], cwd: stock.dir, env: TEST_ENV },
      ],
      TEST_RUNS,
      // The warm pair always gets its warm-up: it fills the stock project's ts-jest cache.
      extra.length ? 0 : 1,
    );
    add({ section: "stock", what: `ours, unit tests (swc, 2 workers), ${label}`, stats: loop.stats[0] });
    add({
      section: "stock",
      what: `stock template, the same tests (ts-jest, type-checking), ${label}`,
      stats: loop.stats[1],
      ratio: median(loop.ratios[1]),
      ratioOf: "ours/stock, pair by pair",
    });
  }
}

function testSection(): void {
  add({
    section: "test",
    what: "`npm test` (type-check, unit, offline Terraform tier)",
    stats: measure({ argv: ["npm", "test"], cwd: ROOT, env: TEST_ENV }, TEST_RUNS, TEST_WARMUPS),
  });
  add({
    section: "test",
    what: "offline Terraform tier alone (`jest --selectProjects offline`)",
    stats: measure(
      { argv: [bin("jest"), "--selectProjects", "offline"], cwd: ROOT, env: TEST_ENV },
      TEST_RUNS,
      TEST_WARMUPS,
    ),
  });
  add({
    section: "test",
    what: "unit tests alone (`jest --selectProjects unit`)",
    stats: measure(
      { argv: [bin("jest"), "--selectProjects", "unit"], cwd: ROOT, env: TEST_ENV },
      TEST_RUNS,
      TEST_WARMUPS,
    ),
  });
}

/** The budgets of issue 11, checked against this run's rows. */
function budgets(): { budget: string; measured: string; met: boolean }[] {
  const find = (section: string, start: string) => rows.find((r) => r.section === section && r.what.startsWith(start));
  const out: { budget: string; measured: string; met: boolean }[] = [];
  const check = (budget: string, row: Row | undefined, value: (r: Row) => number, limit: number, show: string) => {
    if (row?.stats || row?.ratio !== undefined) {
      const v = value(row);
      out.push({ budget, measured: show.replace("#", v.toFixed(2)), met: v <= limit });
    }
  };
  const direct = find("synth", "default app");
  check("direct synth, all environments ≤ 1.0 s", direct, (r) => r.stats!.median, 1.0, "# s");
  check("direct synth, all environments ≤ 250 MB", direct, (r) => r.stats!.rssMb, 250, "# MB");
  check(
    "`cdktf synth` ≤ 2.5 s",
    find("synth", `default app (${ALL_ENVS}), \`cdktf`),
    (r) => r.stats!.median,
    2.5,
    "# s",
  );
  check(
    "`npm run synth` (the app run directly, no CLI) ≤ 1.5 s",
    find("synth", `default app (${ALL_ENVS}), \`node scripts/cdktf.js`),
    (r) => r.stats!.median,
    1.5,
    "# s",
  );
  const big = Math.max(...SIZES);
  const ours500 = find("scale", `ours, ${big} web`);
  check(`${big} services, direct ≤ 4 s`, ours500, (r) => r.stats!.median, 4, "# s");
  check(`${big} services, direct ≤ 500 MB`, ours500, (r) => r.stats!.rssMb, 500, "# MB");
  check(
    `${big} services, ours/peer (validator on) ≤ 0.6`,
    find("scale", `AWS CDK peer, ${big} web services, validator on`),
    (r) => r.ratio!,
    0.6,
    "#×",
  );
  // Linear growth: the cost of one more resource (the slope between two sizes) must not rise
  // with size. Fixed costs (module loading) make the per-resource average fall anyway.
  const points = SIZES.map((n) => find("scale", `ours, ${n} web`))
    .filter((r): r is Row => !!r?.stats && r.resources !== undefined)
    .map((r) => [r.resources!, r.stats!.median] as const);
  if (points.length > 2) {
    const slope = (a: readonly [number, number], b: readonly [number, number]) => (b[1] - a[1]) / (b[0] - a[0]);
    const last = slope(points[points.length - 2], points[points.length - 1]);
    const before = slope(points[points.length - 3], points[points.length - 2]);
    out.push({
      budget: "time grows no worse than linearly (slope of the last size step ≤ 1.25× the step before)",
      measured: `${(last * 100).toFixed(2)} s vs ${(before * 100).toFixed(2)} s per 100 more resources`,
      met: last <= before * 1.25,
    });
  }
  check("`npm test` ≤ 90 s", find("test", "`npm test`"), (r) => r.stats!.median, 90, "# s");
  check(
    "synth ≥ 2× faster than stock (ours/stock ≤ 0.5)",
    find("stock", "stock template, `cdktf synth`"),
    (r) => r.ratio!,
    0.5,
    "#×",
  );
  check(
    "test loop ≥ 2× faster than stock, warm",
    find("stock", "stock template, the same tests (ts-jest, type-checking), warm"),
    (r) => r.ratio!,
    0.5,
    "#×",
  );
  check(
    "test loop ≥ 2× faster than stock, cold",
    find("stock", "stock template, the same tests (ts-jest, type-checking), cold"),
    (r) => r.ratio!,
    0.5,
    "#×",
  );
  return out;
}

function main(): void {
  if (!fs.existsSync(TIME_BIN)) {
    console.error(`bench: ${TIME_BIN} not found; install GNU time (apt-get install time) or set BENCH_TIME_BIN`);
    process.exit(2);
  }
  const started = new Date();
  const loadBefore = os.loadavg();
  section("synth", synthSection);
  const series = section("scale", scaleSection);
  section("stock", stockSection);
  section("test", testSection);
  const loadAfter = os.loadavg();

  const machine = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.versions.node,
    loadAverage1mBefore: loadBefore[0],
    loadAverage1mAfter: loadAfter[0],
  };
  const checked = budgets();
  const date = started.toISOString();

  const lines: string[] = [];
  lines.push(
    `${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${date.slice(0, 16).replace("T", " ")} UTC; ` +
      `load average ${loadBefore[0].toFixed(1)} before, ${loadAfter[0].toFixed(1)} after (above ${machine.cores} the machine was shared).`,
    `Synth rows: median of ${RUNS} runs after a warm-up; test rows: ${TEST_RUNS} run(s) after ${TEST_WARMUPS} warm-up(s). ` +
      "Peak RSS: the largest single process (GNU time). CPU: user + system seconds of the whole process tree.",
    "",
  );
  for (const name of ["synth", "scale", "stock", "test"]) {
    const these = rows.filter((r) => r.section === name);
    if (!these.length) continue;
    lines.push(
      `**${name}**`,
      "",
      "| what | median wall | min–max | median CPU | peak RSS | resources | per 100 resources | ratio |",
    );
    lines.push("|---|---|---|---|---|---|---|---|");
    for (const r of these) {
      const st = r.stats;
      lines.push(
        `| ${r.what}${r.note ? ` — ${r.note}` : ""} | ${st ? fmt.s(st.median) : "—"} | ${st ? fmt.range(st) : "—"} | ${st ? fmt.s(st.cpu) : "—"} | ${st ? fmt.mb(st.rssMb) : "—"} | ` +
          `${r.resources ?? "—"} | ${r.per100 !== undefined ? fmt.s(r.per100) : "—"} | ${r.ratio !== undefined ? `${fmt.ratio(r.ratio)} ${r.ratioOf}` : "—"} |`,
      );
    }
    lines.push("");
  }
  if (checked.length) {
    lines.push("**budgets (issue 11)**", "", "| budget | measured | met |", "|---|---|---|");
    for (const b of checked) lines.push(`| ${b.budget} | ${b.measured} | ${b.met ? "yes" : "**no**"} |`);
    lines.push("");
  }
  console.log(lines.join("\n"));

  const resultsDir = path.resolve(ROOT, process.env.BENCH_RESULTS_DIR ?? path.join("bench", "results"));
  fs.mkdirSync(resultsDir, { recursive: true });
  const result = JSON.stringify({ date, machine, runs: RUNS, testRuns: TEST_RUNS, rows, budgets: checked }, null, 2);
  const file = path.join(resultsDir, `bench-${date.replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(file, result);
  fs.writeFileSync(path.join(resultsDir, "latest.json"), result);
  log(`bench: results in ${path.relative(ROOT, file)}`);
  if (series?.length) {
    const chart = path.resolve(ROOT, process.env.BENCH_CHART ?? path.join("docs", "bench-synth.svg"));
    fs.mkdirSync(path.dirname(chart), { recursive: true });
    const subtitle = `median of ${RUNS} runs, ${machine.cores} cores, Node ${machine.node}, ${date.slice(0, 10)}`;
    fs.writeFileSync(chart, renderChart("Synth time against app size: ours vs the AWS CDK peer", subtitle, series));
    log(`bench: chart in ${path.relative(ROOT, chart)}`);
  }
}

main();
