/**
 * `npm run bench`: every performance figure of the project in one invocation, printed as
 * Markdown tables, saved as JSON (bench/results/, git-ignored) and drawn as an SVG chart.
 * A script, not a timed test: run it on a quiet machine, and say when it wasn't.
 *
 * Sections (BENCH_ONLY=synth,dev,consumer,scale,stock,test,cleantest picks some; default all):
 * - synth  the default app, every environment: `cdktf synth`, and the app run directly with
 *          cdktf.json's app command; `npm run synth` in turn with the bare `cdktf synth`;
 *          plus the type-check.
 * - dev    the default app's dev environment run directly, in turn with the AWS CDK peer's own
 *          direct synth (`tsx bin/app.ts`, its default: no extra services, validator on).
 * - consumer  a consumer's 500-service app written as docs/consumer-app.md says, in a consumer
 *          project set up as it says (scripts/bench/scratch.ts prepareConsumer), run the way its
 *          cdktf.json runs it; in turn with its floor (the same objects written with the provider
 *          classes, run the same way), the AWS CDK peer at 500 services, the same app at 1000
 *          services, and the app compiled by the project's tsc (`node dist/main.js`).
 * - scale  generated apps of BENCH_SIZES web services (default 10,100,500) on the dev cluster
 *          (scripts/bench/scale-app.ts), against the AWS CDK peer at the same sizes with its
 *          template validator on and off, run in turn (ours, peer on, peer off, ...) so the
 *          ratios are pair by pair.
 * - stock  the stock `cdktf init --template=typescript` setup (ts-node, ts-jest) for the same
 *          default app: `cdktf synth` and the unit tests, in turn with ours.
 * - test   `npm test` and the offline Terraform tier alone.
 * - cleantest  jest's whole run on a clean clone of HEAD (every cache cold: jest's cache
 *          directory, .cache/ with the register-ts and compile caches, the offline Terraform
 *          caches and the build info), then warm in the same clone; and which stacks the offline
 *          tier planned (OFFLINE_PLAN_REPORT), against every stack of the default app.
 *
 * Environment: BENCH_RUNS (timed runs of each synth, default 5, after one warm-up),
 * BENCH_TEST_RUNS (of each test command, default 1, after BENCH_TEST_WARMUPS=1 warm-up),
 * BENCH_SIZES, BENCH_CONSUMER_SERVICES (the consumer app's size, default 500; its growth row
 * doubles it), BENCH_ONLY, BENCH_CHART (SVG path, default docs/bench-synth.svg),
 * BENCH_RESULTS_DIR (default bench/results), BENCH_TIME_BIN (GNU time), and
 * BENCH_PEER_DIR / BENCH_SCRATCH_DIR (see scripts/bench/scratch.ts).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { environments } from "../../config/environments";
import { renderChart, Series } from "./chart";
import { Command, fmt, interleaved, measure, median, pairRatio, Stats, TIME_BIN } from "./measure";
import { prepareConsumer, preparePeer, prepareStock, ROOT } from "./scratch";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TEST_RUNS = Number(process.env.BENCH_TEST_RUNS ?? 1);
const TEST_WARMUPS = Number(process.env.BENCH_TEST_WARMUPS ?? 1);
const SIZES = (process.env.BENCH_SIZES ?? "10,100,500").split(",").map(Number);
const ONLY = new Set(
  (process.env.BENCH_ONLY ?? "synth,dev,consumer,scale,stock,test,cleantest").split(",").map((s) => s.trim()),
);
/** Services of the consumer app (issue 23: 500) and of its linear-growth pair (twice as many). */
const CONSUMER_SERVICES = Number(process.env.BENCH_CONSUMER_SERVICES ?? 500);
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
  /** The same of CPU time (user + system), less moved by a shared machine's load. */
  cpuRatio?: number;
  ratioOf?: string;
  note?: string;
  /** The cleantest section's check of the planned stacks. */
  planned?: { expected: number; missing: string[] };
}
const rows: Row[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);

function add(row: Row): Row {
  rows.push(row);
  const st = row.stats;
  log(
    `[${row.section}] ${row.what}: ${st ? `${fmt.s(st.median)} (${fmt.range(st)}), cpu ${fmt.s(st.cpu)}, ${fmt.mb(st.rssMb)}` : ""}` +
      `${row.resources !== undefined ? `, ${row.resources} resources` : ""}` +
      `${row.ratio !== undefined ? `, ratio ${fmt.ratio(row.ratio)} ${row.ratioOf}` : ""}` +
      `${row.cpuRatio !== undefined ? ` (CPU ${fmt.ratio(row.cpuRatio)})` : ""}${row.note ? ` (${row.note})` : ""}`,
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
  // What `npm run synth` runs (npm's own start-up left out), in turn with the bare CLI.
  const pair = interleaved(
    [
      { argv: ["node", "scripts/cdktf.js", "synth"], cwd: ROOT, env },
      { argv: [bin("cdktf"), "synth"], cwd: ROOT, env },
    ],
    RUNS,
  );
  add({
    section: "synth",
    what: `default app (${ALL_ENVS}), \`node scripts/cdktf.js synth\` (\`npm run synth\`: the app run directly, no CLI)`,
    stats: pair.stats[0],
    resources,
  });
  add({
    section: "synth",
    what: `default app (${ALL_ENVS}), \`cdktf synth\``,
    stats: pair.stats[1],
    resources,
    ratio: median(pair.ratios[1]),
    cpuRatio: pairRatio(pair.samples[0], pair.samples[1], "cpu"),
    ratioOf: "`npm run synth`/`cdktf synth`, pair by pair",
  });
  add({
    section: "synth",
    what: "type-check (`tsc --noEmit`, incremental)",
    stats: measure({ argv: [bin("tsc"), "--noEmit", "-p", "."], cwd: ROOT, env }, TEST_RUNS, TEST_WARMUPS),
  });
}

function peerCommand(peerDir: string, outdir: { dir: string; before: () => void }, extra: NodeJS.ProcessEnv): Command {
  return {
    argv: [path.join(peerDir, "node_modules", ".bin", "tsx"), "bin/app.ts"],
    cwd: peerDir,
    env: { ...PEER_ENV, CDK_OUTDIR: outdir.dir, ...extra },
    before: outdir.before,
  };
}

function devSection(): void {
  const peer = preparePeer();
  if (!peer.dir) throw new Error(`AWS CDK peer not run: ${peer.problem}`);
  const o = scratchOut("dev");
  const p = scratchOut("peer-dev");
  const { stats, ratios, samples } = interleaved(
    [
      { argv: appCommand(), cwd: ROOT, env: { ...ENV, PLATFORM_ENVS: "dev", CDKTF_OUTDIR: o.dir }, before: o.before },
      peerCommand(peer.dir, p, { EXTRA_SERVICES: "0" }),
    ],
    RUNS,
  );
  const resources = countTerraform(o.dir);
  const peerResources = countCloudFormation(p.dir);
  o.before();
  p.before();
  add({
    section: "dev",
    what: "default app, dev environment, directly (cdktf.json's app)",
    stats: stats[0],
    resources,
  });
  add({
    section: "dev",
    what: "AWS CDK peer, its direct synth (`tsx bin/app.ts`, validator on: its default)",
    stats: stats[1],
    resources: peerResources,
    ratio: median(ratios[1]),
    cpuRatio: pairRatio(samples[0], samples[1], "cpu"),
    ratioOf: "ours/peer, pair by pair",
  });
}

function consumerSection(): void {
  const consumer = prepareConsumer();
  const peer = preparePeer();
  if (!consumer.dir) throw new Error(consumer.problem);
  const n = CONSUMER_SERVICES;
  // examples/consumer-app/cdktf.json's app, as the CLI runs it (`node --require eks-platform/register
  // main.ts`), for main.ts and, the same way, for the floor.
  const documented = JSON.parse(fs.readFileSync(path.join(consumer.dir, "cdktf.json"), "utf8")).app as string;
  const runner = documented.split(/\s+/).slice(0, -1);
  const app = (file: string, services: number, o: { dir: string; before: () => void }): Command => ({
    argv: file.endsWith(".ts") ? [...runner, file] : ["node", file],
    cwd: consumer.dir,
    env: { ...ENV, BENCH_SERVICES: String(services), CDKTF_OUTDIR: o.dir },
    before: o.before,
  });
  const outs = ["consumer", "floor", "consumer-2x", "consumer-cmd", "peer-consumer"].map(scratchOut);
  const cmds: Command[] = [
    app("main.ts", n, outs[0]),
    app("floor.ts", n, outs[1]),
    app("main.ts", 2 * n, outs[2]),
    app("dist/main.js", n, outs[3]),
  ];
  if (peer.dir) cmds.push(peerCommand(peer.dir, outs[4], { EXTRA_SERVICES: String(n) }));
  const { stats, ratios, samples } = interleaved(cmds, RUNS);
  const counts = outs.slice(0, 4).map((o) => countTerraform(o.dir));
  const peerCount = peer.dir ? countCloudFormation(outs[4].dir) : undefined;
  for (const o of outs) o.before();
  add({
    section: "consumer",
    what: `consumer app, ${n} web services, as docs/consumer-app.md writes it and runs it (\`${documented}\`)`,
    stats: stats[0],
    resources: counts[0],
  });
  add({
    section: "consumer",
    what: `floor: the same app, each service's six objects written with the provider classes (the same runner, floor.ts)`,
    stats: stats[1],
    resources: counts[1],
    ratio: median(ratios[1]),
    cpuRatio: pairRatio(samples[0], samples[1], "cpu"),
    ratioOf: "consumer/floor, pair by pair",
  });
  add({
    section: "consumer",
    what: `consumer app, ${2 * n} web services`,
    stats: stats[2],
    resources: counts[2],
    // Pair by pair, the other way round: the larger app over the smaller.
    ratio: median(ratios[2].map((r) => 1 / r)),
    cpuRatio: pairRatio(samples[2], samples[0], "cpu"),
    ratioOf: `${2 * n}/${n} services, pair by pair`,
  });
  add({
    section: "consumer",
    what: `consumer app, ${n} web services, compiled by the project's tsc beforehand (\`node dist/main.js\`)`,
    stats: stats[3],
    resources: counts[3],
  });
  if (peer.dir)
    add({
      section: "consumer",
      what: `AWS CDK peer, ${n} web services (\`tsx bin/app.ts\`, validator on: its default)`,
      stats: stats[4],
      resources: peerCount,
      ratio: median(ratios[4]),
      cpuRatio: pairRatio(samples[0], samples[4], "cpu"),
      ratioOf: "consumer/peer, pair by pair",
      note: `node dist/main.js/peer, pair by pair: ${fmt.ratio(pairRatio(samples[3], samples[4]))}, CPU ${fmt.ratio(pairRatio(samples[3], samples[4], "cpu"))}`,
    });
  else add({ section: "consumer", what: "AWS CDK peer", note: `not run: ${peer.problem}` });
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

/**
 * jest's whole run (`npm test` without its type-check step) on a clean clone of HEAD, every
 * cache cold: the clone has no .cache/ (register-ts, compile cache, build info, the offline
 * Terraform caches, which live there unless OFFLINE_TERRAFORM_CACHE_DIR, TS_REGISTER_CACHE_DIR or
 * COMPILE_CACHE_DIR move them: unset here) and jest gets an empty --cacheDirectory (its default is
 * shared in the system's temporary folder). node_modules is linked, as after `npm ci`. Then the
 * same run again, warm. Uncommitted changes are not in the clone: commit before measuring.
 */
function cleanTestSection(): void {
  const clone = path.join(os.tmpdir(), `bench-clone-${process.pid}`);
  // Outside the clone, so jest's crawl of the project doesn't meet its own cache.
  const jestCache = path.join(os.tmpdir(), `bench-jest-cache-${process.pid}`);
  const report = path.join(os.tmpdir(), `bench-planned-${process.pid}.json`);
  const env: NodeJS.ProcessEnv = {
    ...TEST_ENV,
    OFFLINE_TERRAFORM_CACHE_DIR: undefined,
    TS_REGISTER_CACHE_DIR: undefined,
    COMPILE_CACHE_DIR: undefined,
    OFFLINE_PLAN_REPORT: report,
  };
  const fresh = () => {
    fs.rmSync(clone, { recursive: true, force: true });
    fs.rmSync(jestCache, { recursive: true, force: true });
    const r = spawnSync("git", ["clone", "--quiet", "--no-hardlinks", ROOT, clone], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`git clone failed: ${r.stderr}`);
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, "node_modules")), path.join(clone, "node_modules"));
  };
  const jest = { argv: [bin("jest"), "--cacheDirectory", jestCache], cwd: clone, env };
  add({
    section: "cleantest",
    what: "jest's whole run (unit, package, offline tier), clean clone, every cache cold",
    stats: measure({ ...jest, before: fresh }, TEST_RUNS, 0),
  });
  add({
    section: "cleantest",
    what: "jest's whole run, the same clone again, warm caches",
    stats: measure(jest, TEST_RUNS, 0),
  });
  // Which stacks the last run planned, against every stack of the default app.
  const planned = JSON.parse(fs.readFileSync(report, "utf8")) as { configurations: number; stacks: string[] };
  const expected = Object.keys(environments).flatMap((e) => [`platform-${e}`, `workloads-${e}`]);
  const missing = expected.filter((stack) => !planned.stacks.includes(stack));
  add({
    section: "cleantest",
    what: `offline tier: ${planned.stacks.length} stacks planned (${planned.configurations} distinct configurations); the default app's ${expected.join(", ")}: ${missing.length ? `**not planned: ${missing.join(", ")}**` : "all planned"}`,
    planned: { expected: expected.length, missing },
  });
  fs.rmSync(report, { force: true });
  fs.rmSync(clone, { recursive: true, force: true });
  fs.rmSync(jestCache, { recursive: true, force: true });
}

/** The budgets of issue 23, checked against this run's rows: measured value, ratio, pass/fail. */
function budgets23(): { budget: string; measured: string; met: boolean }[] {
  const find = (section: string, start: string) => rows.find((r) => r.section === section && r.what.startsWith(start));
  const out: { budget: string; measured: string; met: boolean }[] = [];
  const add23 = (budget: string, measured: string, met: boolean) => out.push({ budget, measured, met });
  const cpu = (r: Row) => (r.cpuRatio !== undefined ? ` (CPU ${fmt.ratio(r.cpuRatio)})` : "");
  const peerDev = find("dev", "AWS CDK peer");
  const dev = find("dev", "default app");
  if (peerDev?.ratio !== undefined)
    add23(
      "default app, dev environment, direct synth ≤ 0.3× the AWS CDK peer's direct synth",
      `${fmt.s(dev!.stats!.median)} vs ${fmt.s(peerDev.stats!.median)}: ${fmt.ratio(peerDev.ratio)}${cpu(peerDev)}`,
      peerDev.ratio <= 0.3,
    );
  const launched = find("synth", `default app (${ALL_ENVS}), \`node scripts/cdktf.js`);
  const bare = find("synth", `default app (${ALL_ENVS}), \`cdktf synth`);
  if (launched?.stats) add23("`npm run synth` ≤ 1.5 s", fmt.s(launched.stats.median), launched.stats.median <= 1.5);
  if (bare?.ratio !== undefined)
    add23(
      "`npm run synth` ≤ 0.4× the bare `cdktf synth`",
      `${fmt.s(launched!.stats!.median)} vs ${fmt.s(bare.stats!.median)}: ${fmt.ratio(bare.ratio)}${cpu(bare)}`,
      bare.ratio <= 0.4,
    );
  const n = CONSUMER_SERVICES;
  const consumer = find("consumer", `consumer app, ${n} web services, as`);
  const peer = find("consumer", `AWS CDK peer, ${n}`);
  if (peer?.ratio !== undefined)
    add23(
      `consumer app, ${n} services (its cdktf.json app) ≤ 0.5× the AWS CDK peer`,
      `${fmt.s(consumer!.stats!.median)} vs ${fmt.s(peer.stats!.median)}: ${fmt.ratio(peer.ratio)}${cpu(peer)}; ${peer.note}`,
      peer.ratio <= 0.5,
    );
  const floor = find("consumer", "floor");
  if (floor?.ratio !== undefined)
    add23(
      `consumer app, ${n} services ≤ 1.15× the floor (provider classes)`,
      `${fmt.s(consumer!.stats!.median)} vs ${fmt.s(floor.stats!.median)}: ${fmt.ratio(floor.ratio)}${cpu(floor)}`,
      floor.ratio <= 1.15,
    );
  if (consumer?.stats)
    add23(`consumer app, ${n} services ≤ 400 MB`, fmt.mb(consumer.stats.rssMb), consumer.stats.rssMb <= 400);
  const twice = find("consumer", `consumer app, ${2 * n} web services`);
  if (twice?.ratio !== undefined)
    add23(
      `linear growth: ${2 * n} services ≤ 2.1× ${n}`,
      `${fmt.s(twice.stats!.median)} vs ${fmt.s(consumer!.stats!.median)}: ${fmt.ratio(twice.ratio)}${cpu(twice)}`,
      twice.ratio <= 2.1,
    );
  const cold = find("cleantest", "jest's whole run (unit");
  if (cold?.stats)
    add23("`npm test` on a clean clone, jest's whole run ≤ 100 s", fmt.s(cold.stats.median), cold.stats.median <= 100);
  const warm = find("cleantest", "jest's whole run, the same clone");
  if (warm?.stats) add23("`npm test` warm, jest's whole run ≤ 60 s", fmt.s(warm.stats.median), warm.stats.median <= 60);
  const planned = rows.find((r) => r.section === "cleantest" && r.planned);
  if (planned?.planned)
    add23(
      "every AWS stack still planned (the default app's, by the offline tier)",
      planned.planned.missing.length
        ? `not planned: ${planned.planned.missing.join(", ")}`
        : `${planned.planned.expected} of ${planned.planned.expected}`,
      planned.planned.missing.length === 0,
    );
  return out;
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
  section("dev", devSection);
  section("consumer", consumerSection);
  const series = section("scale", scaleSection);
  section("stock", stockSection);
  section("test", testSection);
  section("cleantest", cleanTestSection);
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
  const checked23 = budgets23();
  const date = started.toISOString();

  const lines: string[] = [];
  lines.push(
    `${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${date.slice(0, 16).replace("T", " ")} UTC; ` +
      `load average ${loadBefore[0].toFixed(1)} before, ${loadAfter[0].toFixed(1)} after (above ${machine.cores} the machine was shared).`,
    `Synth rows: median of ${RUNS} runs after a warm-up; test rows: ${TEST_RUNS} run(s) after ${TEST_WARMUPS} warm-up(s). ` +
      "Peak RSS: the largest single process (GNU time). CPU: user + system seconds of the whole process tree.",
    "",
  );
  for (const name of ["synth", "dev", "consumer", "scale", "stock", "test", "cleantest"]) {
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
          `${r.resources ?? "—"} | ${r.per100 !== undefined ? fmt.s(r.per100) : "—"} | ${r.ratio !== undefined ? `${fmt.ratio(r.ratio)} ${r.ratioOf}${r.cpuRatio !== undefined ? ` (CPU ${fmt.ratio(r.cpuRatio)})` : ""}` : "—"} |`,
      );
    }
    lines.push("");
  }
  if (checked.length) {
    lines.push("**budgets (issue 11)**", "", "| budget | measured | met |", "|---|---|---|");
    for (const b of checked) lines.push(`| ${b.budget} | ${b.measured} | ${b.met ? "yes" : "**no**"} |`);
    lines.push("");
  }
  if (checked23.length) {
    lines.push("**budgets (issue 23)**", "", "| budget | measured | met |", "|---|---|---|");
    for (const b of checked23) lines.push(`| ${b.budget} | ${b.measured} | ${b.met ? "yes" : "**no**"} |`);
    lines.push("");
  }
  console.log(lines.join("\n"));

  const resultsDir = path.resolve(ROOT, process.env.BENCH_RESULTS_DIR ?? path.join("bench", "results"));
  fs.mkdirSync(resultsDir, { recursive: true });
  const result = JSON.stringify(
    { date, machine, runs: RUNS, testRuns: TEST_RUNS, rows, budgets: checked, budgets23: checked23 },
    null,
    2,
  );
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
