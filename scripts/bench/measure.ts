/**
 * Timing for `npm run bench`: wall time and peak RSS of a whole process tree, read from GNU
 * time (`/usr/bin/time -v`, Debian package `time`; BENCH_TIME_BIN to override). Peak RSS is
 * that of the largest single process, not a sum.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const TIME_BIN = process.env.BENCH_TIME_BIN ?? "/usr/bin/time";

export interface Command {
  /** argv; the first word is the program. */
  readonly argv: string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Runs before every run, untimed (e.g. empty the output directory). */
  readonly before?: () => void;
}

export interface Sample {
  readonly wall: number;
  /** User + system CPU seconds of the process tree: less moved than wall time by a busy machine. */
  readonly cpu: number;
  readonly rssMb: number;
}

export interface Stats {
  readonly runs: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Median CPU seconds (user + system). */
  readonly cpu: number;
  /** Largest peak RSS of any run, MB. */
  readonly rssMb: number;
}

/** Runs a command once under GNU time; throws with its output when it fails. */
export function once(cmd: Command): Sample {
  cmd.before?.();
  const out = path.join(os.tmpdir(), `bench-time-${process.pid}.txt`);
  const r = spawnSync(TIME_BIN, ["-v", "-o", out, ...cmd.argv], {
    cwd: cmd.cwd,
    env: cmd.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) {
    const tail = `${r.stdout}\n${r.stderr}`.trim().split("\n").slice(-30).join("\n");
    throw new Error(`${cmd.argv.join(" ")} failed (exit ${r.status}) in ${cmd.cwd ?? process.cwd()}:\n${tail}`);
  }
  const text = fs.readFileSync(out, "utf8");
  fs.rmSync(out, { force: true });
  const elapsed = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(text)!;
  const wall = Number(elapsed[1] ?? 0) * 3600 + Number(elapsed[2]) * 60 + Number(elapsed[3]);
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)![1]);
  const cpu =
    Number(/User time \(seconds\): ([\d.]+)/.exec(text)![1]) +
    Number(/System time \(seconds\): ([\d.]+)/.exec(text)![1]);
  return { wall, cpu, rssMb: rssKb / 1024 };
}

export function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function stats(samples: Sample[]): Stats {
  const walls = samples.map((s) => s.wall);
  return {
    runs: samples.length,
    median: median(walls),
    min: Math.min(...walls),
    max: Math.max(...walls),
    cpu: median(samples.map((s) => s.cpu)),
    rssMb: Math.max(...samples.map((s) => s.rssMb)),
  };
}

/** `warmups` untimed runs, then `runs` timed ones. */
export function measure(cmd: Command, runs: number, warmups = 1): Stats {
  for (let i = 0; i < warmups; i++) once(cmd);
  return stats(Array.from({ length: runs }, () => once(cmd)));
}

/**
 * Several commands in turn (A B C A B C ...), after one warm-up of each, so a drift in the
 * machine's speed touches all alike; ratios are then taken pair by pair against the first.
 */
export function interleaved(
  cmds: Command[],
  runs: number,
  warmups = 1,
): { stats: Stats[]; ratios: number[][]; samples: Sample[][] } {
  for (let i = 0; i < warmups; i++) for (const c of cmds) once(c);
  const samples: Sample[][] = cmds.map(() => []);
  for (let i = 0; i < runs; i++) cmds.forEach((c, k) => samples[k].push(once(c)));
  // ratios[k][i]: first command's run i over command k's run i.
  const ratios = samples.map((s) => s.map((x, i) => samples[0][i].wall / x.wall));
  return { stats: samples.map(stats), ratios, samples };
}

/**
 * Median of the pair-by-pair ratios a/b of two commands' samples of one interleaved run, of wall
 * time or of CPU time (user + system: less moved by other processes on a shared machine).
 */
export function pairRatio(a: Sample[], b: Sample[], of: "wall" | "cpu" = "wall"): number {
  return median(a.map((x, i) => x[of] / b[i][of]));
}

export const fmt = {
  s: (x: number) => `${x.toFixed(2)} s`,
  range: (st: Stats) => `${st.min.toFixed(2)}–${st.max.toFixed(2)} s`,
  mb: (x: number) => `${x.toFixed(0)} MB`,
  ratio: (x: number) => `${x.toFixed(2)}×`,
};
