import { fail, isToken } from "./validation";

// Kubernetes CronJob schedules: the 5-field cron format (minute hour day-of-month month
// day-of-week) with ranges, steps, lists and month/day names, or a predefined macro.

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
  // 7 is Sunday too.
  { name: "day of week", min: 0, max: 7, names: DAYS },
];

/** Why a schedule doesn't parse, or undefined when it does. */
export function cronProblem(schedule: string): string | undefined {
  const text = schedule.trim();
  if (text.startsWith("@")) {
    return (CRON_MACROS as readonly string[]).includes(text)
      ? undefined
      : `uses an unknown macro (Kubernetes knows ${CRON_MACROS.join(", ")})`;
  }
  if (/^(CRON_)?TZ=/.test(text)) return "sets a time zone inside the schedule, which Kubernetes refuses";
  const parts = text.split(/\s+/);
  if (parts.length !== 5) return `has ${parts.length} field(s), not 5 (minute hour day-of-month month day-of-week)`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(parts[i], FIELDS[i]);
    if (problem) return `has an invalid ${FIELDS[i].name} field "${parts[i]}": ${problem}`;
  }
  return undefined;
}

function fieldProblem(field: string, spec: FieldSpec): string | undefined {
  for (const item of field.split(",")) {
    if (item === "") return "empty list entry";
    const [range, step, ...rest] = item.split("/");
    if (rest.length > 0) return "more than one '/'";
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `step "${step}" is not a positive number`;
    if (range === "*" || (range === "?" && (spec.name === "day of month" || spec.name === "day of week"))) continue;
    const bounds = range.split("-");
    if (bounds.length > 2) return `"${range}" is not a value or a range`;
    const values: number[] = [];
    for (const b of bounds) {
      const v = valueOf(b, spec);
      if (v === undefined) {
        return `"${b}" is not ${spec.min}-${spec.max}${spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : ""}`;
      }
      values.push(v);
    }
    if (values.length === 2 && values[0] > values[1]) return `range "${range}" runs backwards`;
  }
  return undefined;
}

function valueOf(text: string, spec: FieldSpec): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= spec.min && n <= spec.max ? n : undefined;
  }
  const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  return index >= 0 ? index + (spec.name === "month" ? 1 : 0) : undefined;
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
      'use 5 fields, e.g. "30 2 * * MON-FRI" (02:30 on weekdays), "*/15 * * * *", or a macro such as "@daily"; set the zone with timeZone',
    );
  }
}

/** IANA time zone names ("Europe/Paris", "UTC", "America/Argentina/Buenos_Aires"). */
const TZ_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

export function checkTimeZone(where: string, field: string, timeZone: string): void {
  if (isToken(timeZone)) return;
  let known = TZ_NAME.test(timeZone);
  if (known) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone });
    } catch {
      known = false;
    }
  }
  if (!known) {
    fail(
      where,
      field,
      timeZone,
      "is not an IANA time zone name",
      'use a name from the tz database, e.g. "Europe/Paris" or "UTC"',
    );
  }
}
