import { fail, isToken } from "./validation";

// Kubernetes resource quantities ("250m", "1.5", "512Mi", "10Gi").

const QUANTITY = /^([0-9]+(\.[0-9]+)?|\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const FACTORS: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a quantity in base units (cores, bytes), or undefined when it isn't one. */
export function parseQuantity(text: string): number | undefined {
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * FACTORS[m[3] ?? ""];
}

export function checkQuantity(where: string, field: string, value: string): void {
  if (isToken(value)) return;
  if (typeof value !== "string" || parseQuantity(value) === undefined) {
    fail(
      where,
      field,
      value,
      "is not a Kubernetes quantity",
      'use a number with an optional suffix, e.g. "250m" or "1" for CPU, "512Mi" or "2Gi" for memory and storage',
    );
  }
}

/** Checks a quantity is positive (a zero request or size is a mistake). */
export function checkPositiveQuantity(where: string, field: string, value: string): void {
  checkQuantity(where, field, value);
  if (!isToken(value) && parseQuantity(value) === 0) {
    fail(where, field, value, "is zero", "give a positive amount");
  }
}
