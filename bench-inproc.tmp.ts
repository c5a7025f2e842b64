import { App } from "cdktf";
import { buildApp } from "./main";
const t = () => Number(process.hrtime.bigint()) / 1e6;
const on: number[] = [], off: number[] = [];
const envs = (process.env.ENVS ?? "dev").split(",");
for (let i = 0; i < 9; i++) {
  for (const policy of [false, {}] as const) {
    const t0 = t();
    buildApp(new App({ outdir: "/tmp/pol/ip" }), envs, { policy }).synth();
    (policy === false ? off : on).push(t() - t0);
  }
}
const med = (a: number[]) => { const s = a.slice(1).sort((x, y) => x - y); return s[Math.floor(s.length / 2)].toFixed(0); };
console.log(`${envs}: build+synth in-process, median of 8 after a warm-up: checks off ${med(off)} ms, on ${med(on)} ms`);
