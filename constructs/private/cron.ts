import { fail, isToken, show } from "./validation";
import { parseGoDuration } from "./go-duration";

// Kubernetes CronJob schedules, parsed as the API server parses them. Sources, read 2025:
// - kubernetes/kubernetes pkg/apis/batch/validation/validation.go (release 1.31+, the copy that
//   imports github.com/robfig/cron/v3): validateScheduleFormat calls cron.ParseStandard and, on
//   create, refuses any schedule containing "TZ" ("cannot use TZ or CRON_TZ in schedule, use
//   timeZone field instead"); validateTimeZone refuses "Local" and names time.LoadLocation can't
//   load (case-sensitive: tzdata file names).
// - robfig/cron v3.0.1 (Kubernetes' go.mod pin) parser.go and spec.go: ParseStandard takes exactly
//   5 whitespace-separated fields (minute 0-59, hour 0-23, day of month 1-31, month 1-12 or
//   JAN-DEC, day of week 0-6 or SUN-SAT: 7 is refused), names case-insensitive, `*` or `?` in any
//   field, lists (empty entries skipped: strings.FieldsFunc), ranges, `N/step` meaning N-max/step,
//   or a descriptor matched exactly: @yearly @annually @monthly @weekly @daily @midnight @hourly,
//   or `@every <Go duration>` (time.ParseDuration; under a second runs every second).
//   Day matching (spec.go dayMatches): when day of month or day of week is `*`/`?`, both must
//   match; otherwise either.

export const CRON_MACROS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"] as const;

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names, in order from `min`. */
  readonly names?: string[];
}

const FIELDS: FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day of week", min: 0, max: 6, names: DAYS },
];

/** One parsed field: the values it matches, and whether it started with `*` or `?` (robfig's star bit). */
interface Field {
  readonly values: Set<number>;
  readonly star: boolean;
}

/** A schedule as robfig/cron reads it: a 5-field spec, or a descriptor (always fires). */
type Parsed = { readonly problem: string } | { readonly fields?: Field[] };

/** Why a schedule doesn't parse, or undefined when it does. */
export function cronProblem(schedule: string): string | undefined {
  const parsed = parseSchedule(schedule);
  return "problem" in parsed ? parsed.problem : undefined;
}

function parseSchedule(schedule: string): Parsed {
  if (schedule.length === 0) return { problem: "is empty" };
  if (schedule.includes("TZ")) return { problem: "sets a time zone inside the schedule, which Kubernetes refuses" };
  if (schedule.startsWith("@")) {
    if ((CRON_MACROS as readonly string[]).includes(schedule)) return {};
    if (schedule.startsWith("@every ")) {
      const text = schedule.slice("@every ".length);
      const seconds = parseGoDuration(text);
      if (seconds === undefined) return { problem: `has an invalid @every duration ${show(text)} (a Go duration)` };
      if (seconds < 1) {
        return {
          problem: `has an @every duration ${show(text)} under one second, which the parser turns into every second`,
        };
      }
      return {};
    }
    return { problem: `uses an unknown macro (Kubernetes knows ${CRON_MACROS.join(", ")} and @every <duration>)` };
  }
  const parts = schedule.split(/\s+/).filter((p) => p !== "");
  if (parts.length !== 5) {
    return { problem: `has ${parts.length} field(s), not 5 (minute hour day-of-month month day-of-week)` };
  }
  const fields: Field[] = [];
  for (let i = 0; i < 5; i++) {
    const field = parseField(parts[i], FIELDS[i]);
    if (typeof field === "string") return { problem: `has an invalid ${FIELDS[i].name} field "${parts[i]}": ${field}` };
    fields.push(field);
  }
  return { fields };
}

function parseField(text: string, spec: FieldSpec): Field | string {
  const values = new Set<number>();
  let star = false;
  for (const expr of text.split(",").filter((e) => e !== "")) {
    const rangeAndStep = expr.split("/");
    if (rangeAndStep.length > 2) return "more than one '/'";
    const lowAndHigh = rangeAndStep[0].split("-");
    let start: number;
    let end: number;
    if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
      [start, end, star] = [spec.min, spec.max, true];
    } else {
      if (lowAndHigh.length > 2) return `"${rangeAndStep[0]}" is not a value or a range`;
      const bounds = lowAndHigh.map((b) => valueOf(b, spec));
      const bad = bounds.findIndex((v) => v === undefined || v < spec.min || v > spec.max);
      if (bad >= 0) return outOfRange(lowAndHigh[bad], spec);
      start = bounds[0]!;
      end = bounds[bounds.length - 1]!;
    }
    let step = 1;
    if (rangeAndStep.length === 2) {
      const s = rangeAndStep[1];
      if (!/^\+?\d+$/.test(s) || Number(s) === 0) return `step "${s}" is not a positive number`;
      step = Number(s);
      if (lowAndHigh.length === 1) end = spec.max; // "N/step" means "N-max/step"
    }
    if (start > end) return `range "${rangeAndStep[0]}" runs backwards`;
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return { values, star };
}

/** strconv.Atoi (an optional "+", decimal digits) or a name, case-insensitive. */
function valueOf(text: string, spec: FieldSpec): number | undefined {
  const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index >= 0) return index + spec.min;
  return /^\+?\d+$/.test(text) ? Number(text) : undefined;
}

function outOfRange(text: string, spec: FieldSpec): string {
  const names = spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : "";
  const sunday = spec.name === "day of week" && /^\+?0*7$/.test(text) ? " (Sunday is 0 or SUN)" : "";
  return `"${text}" is not ${spec.min}-${spec.max}${names}${sunday}`;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Why a schedule that parses can never fire (robfig/cron's Next finds no time), or undefined:
 * e.g. "0 0 30 2 *" (30 February) or "0 0 31 4,6 *". February 29 fires in leap years.
 */
export function neverFiresReason(schedule: string): string | undefined {
  const parsed = parseSchedule(schedule);
  if ("problem" in parsed || parsed.fields === undefined) return undefined;
  const [minute, hour, dom, month, dow] = parsed.fields;
  const empty = [minute, hour, dom, month, dow].find((f) => f.values.size === 0);
  if (empty) return "a field lists no value";
  const dates = [...month.values].some((m) => [...dom.values].some((d) => d <= DAYS_IN_MONTH[m - 1]));
  // Either day field being * or ? means both must match (dayMatches); otherwise one suffices.
  if ((dom.star || dow.star) && !dates) {
    const days = [...dom.values].sort((a, b) => a - b).join(",");
    const months = [...month.values]
      .sort((a, b) => a - b)
      .map((m) => MONTHS[m - 1])
      .join(",");
    return `no month it names (${months}) has day ${days}`;
  }
  return undefined;
}

export function checkSchedule(where: string, field: string, schedule: string): void {
  if (isToken(schedule)) return;
  const problem = typeof schedule === "string" ? cronProblem(schedule) : "is not a string";
  if (problem) {
    fail(
      where,
      field,
      schedule,
      problem,
      'use 5 fields, e.g. "30 2 * * MON-FRI" (02:30 on weekdays), "*/15 * * * *", or a macro such as "@daily" or "@every 1h30m"; set the zone with timeZone',
    );
  }
}

/**
 * A time zone component as Kubernetes' validateTimeZone takes it (IANA naming rules, plus digits
 * and '+' for legacy names): 1 to 14 of letters, digits, '.', '-', '_', '+', not "." or "..",
 * not starting with '-'.
 */
const TZ_COMPONENT = /^(?!-)(?!\.\.?$)[A-Za-z.\-_0-9+]{1,14}$/;

/**
 * Checks an IANA time zone name as the API server does: `time.LoadLocation` reads the tz database
 * by file name, so names are case-sensitive ("america/new_york" is refused), and "Local" is refused.
 * Node's Intl accepts any case and resolves aliases; a name it resolves to another spelling of
 * the same letters is a case error, and the message gives the right spelling.
 */
export function checkTimeZone(where: string, field: string, timeZone: string): void {
  if (isToken(timeZone)) return;
  const fix = 'use a name from the tz database, e.g. "Europe/Paris" or "UTC"';
  if (typeof timeZone !== "string" || !timeZone.split("/").every((c) => TZ_COMPONENT.test(c))) {
    fail(where, field, timeZone, "is not an IANA time zone name", fix);
  }
  if (timeZone.toLowerCase() === "local") {
    fail(
      where,
      field,
      timeZone,
      "is the controller's own zone, which Kubernetes refuses (it wants an explicit zone)",
      'name the zone, e.g. "UTC"; without timeZone the schedule runs in the controller\'s zone (UTC on EKS)',
    );
  }
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
  } catch {
    return fail(where, field, timeZone, "is not an IANA time zone name", fix);
  }
  if (resolved === timeZone) return;
  const sameLetters = resolved.toLowerCase() === timeZone.toLowerCase();
  // An alias ("US/Eastern", "Asia/Kolkata") resolves to another name: every tz name component
  // starts with an upper-case letter, so a lower-case start is a case error there too.
  if (sameLetters || !timeZone.split("/").every((c) => /^[A-Z]/.test(c))) {
    fail(
      where,
      field,
      timeZone,
      "is not an IANA time zone name as spelled (names are case-sensitive: the API server looks them up in the tz database)",
      `use ${show(resolved)}`,
    );
  }
}
