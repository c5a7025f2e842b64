/**
 * `npm run bench`: times the fast loop and prints a Markdown table for the README.
 *
 *   synth (cdktf CLI)  `cdktf synth` of the default app, the user's main job
 *   synth (app only)   `tsx main.ts` with CDKTF_OUTDIR, what the CLI spends most of its time in
 *   typecheck          `tsc --noEmit`
 *   unit tests         `jest --selectProjects unit`
 *   offline tier       `jest --selectProjects offline` (terraform validate + plan)
 *
 * Each command runs BENCH_RUNS times (default 5; 1 for the test tiers unless
 * BENCH_TEST_RUNS is set) after one warm-up; the table shows the median wall time
 * and the largest peak RSS of any single process, read from GNU time
 * (`/usr/bin/time -v`, Debian package `time`; BENCH_TIME_BIN to override).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const TIME_BIN = process.env.BENCH_TIME_BIN ?? "/usr/bin/time";
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TEST_RUNS = Number(process.env.BENCH_TEST_RUNS ?? 1);

interface Sample {
  wall: number;
  rssMb: number;
}

function once(cmd: string[], env: NodeJS.ProcessEnv): Sample {
  const out = path.join(os.tmpdir(), `bench-${process.pid}.txt`);
  const r = spawnSync(TIME_BIN, ["-v", "-o", out, ...cmd], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`${cmd.join(" ")} failed (exit ${r.status}):\n${r.stderr}`);
  const text = fs.readFileSync(out, "utf8");
  fs.rmSync(out, { force: true });
  const elapsed = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(text)!;
  const wall = Number(elapsed[1] ?? 0) * 3600 + Number(elapsed[2]) * 60 + Number(elapsed[3]);
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)![1]);
  return { wall, rssMb: rssKb / 1024 };
}

function measure(label: string, cmd: string[], runs: number, env: NodeJS.ProcessEnv = process.env): string {
  once(cmd, env); // warm-up: disk cache, swc cache
  const samples = Array.from({ length: runs }, () => once(cmd, env));
  const walls = samples.map((s) => s.wall).sort((a, b) => a - b);
  const median = walls[Math.floor(walls.length / 2)];
  const peak = Math.max(...samples.map((s) => s.rssMb));
  const row = `| ${label} | ${median.toFixed(2)} s | ${walls[0].toFixed(2)}–${walls[walls.length - 1].toFixed(2)} s | ${peak.toFixed(0)} MB | ${runs} |`;
  console.error(row);
  return row;
}

function main(): void {
  if (!fs.existsSync(TIME_BIN)) {
    console.error(`bench: ${TIME_BIN} not found; install GNU time (apt-get install time) or set BENCH_TIME_BIN`);
    process.exit(2);
  }
  const bin = (name: string) => path.join("node_modules", ".bin", name);
  const env = { ...process.env, CHECKPOINT_DISABLE: "1" };
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-synth-"));
  const rows = [
    measure("synth, default app (`cdktf synth`)", [bin("cdktf"), "synth"], RUNS, env),
    measure("synth, app only (`tsx main.ts`)", [bin("tsx"), "main.ts"], RUNS, { ...env, CDKTF_OUTDIR: outdir }),
    measure("typecheck (`tsc --noEmit`)", [bin("tsc"), "--noEmit", "-p", "."], TEST_RUNS, env),
    measure("unit tests (`jest --selectProjects unit`)", [bin("jest"), "--selectProjects", "unit"], TEST_RUNS, env),
    measure(
      "offline tier (`jest --selectProjects offline`)",
      [bin("jest"), "--selectProjects", "offline"],
      TEST_RUNS,
      env,
    ),
  ];
  fs.rmSync(outdir, { recursive: true, force: true });
  console.log(`\n${os.cpus().length} cores, node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}\n`);
  console.log("| what | median wall | min–max | peak RSS (largest process) | runs |");
  console.log("|---|---|---|---|---|");
  console.log(rows.join("\n"));
}

main();
