import { fail, isToken } from "./validation";

// Go's duration syntax, as controllers written in Go read their duration flags and fields
// (pflag's DurationVar and metav1.Duration both call time.ParseDuration). Ported from
// time.ParseDuration in golang/go src/time/format.go (read 2026-12-08; the grammar has been
// stable since Go 1): an optional sign, then one or more <decimal number><unit> with units
// ns, us (or µs U+00B5 / μs U+03BC), ms, s, m, h, and the bare "0". "1h30m", "300ms", "1.5h",
// "10m0s" and ".5s" are durations; "10", "10 m", " 10m", "1d" and "1H" are not.

const UNIT_NANOSECONDS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  "\u00b5s": 1e3, // µ (micro sign)
  "\u03bcs": 1e3, // μ (Greek small letter mu)
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go's largest Duration (int64 nanoseconds), about 292 years. */
const MAX_NANOSECONDS = 2 ** 63 - 1;

/**
 * Parses a Go duration as time.ParseDuration does; returns its length in seconds, or undefined
 * when Go would refuse it.
 */
export function parseGoDuration(s: string): number | undefined {
  let rest = s;
  let negative = false;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    negative = rest[0] === "-";
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") return undefined;
  let total = 0;
  while (rest !== "") {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
    const [matched, whole, fraction] = number;
    // Go needs a digit before or after the point (".s" and "-.s" are refused).
    if (whole === "" && (fraction === undefined || fraction === "")) return undefined;
    rest = rest.slice(matched.length);
    const unit = /^[^\d.]+/.exec(rest)?.[0];
    if (unit === undefined) return undefined; // Go: "missing unit in duration"
    const scale = UNIT_NANOSECONDS[unit];
    if (scale === undefined) return undefined; // Go: "unknown unit"
    rest = rest.slice(unit.length);
    total += Number(`${whole || "0"}.${fraction || "0"}`) * scale;
    if (total > MAX_NANOSECONDS + 1) return undefined; // Go: overflow
  }
  if (!negative && total > MAX_NANOSECONDS) return undefined;
  return (negative ? -total : total) / 1e9;
}

/**
 * Checks a duration a Go program reads with time.ParseDuration, and refuses a negative one (Go
 * parses it; no delay or timeout means it). A value only known at apply passes.
 */
export function checkGoDuration(where: string, field: string, value: string): void {
  if (isToken(value)) return;
  const seconds = typeof value === "string" ? parseGoDuration(value) : undefined;
  if (seconds === undefined) {
    fail(
      where,
      field,
      value,
      "is not a Go duration",
      'use numbers with the units h, m, s, ms, us or ns, without spaces, e.g. "10m", "1h30m", "1.5h" or "300ms"',
    );
  }
  if (seconds < 0) fail(where, field, value, "is negative", 'use a length of time, e.g. "10m"');
}
