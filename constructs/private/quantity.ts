import { fail, isToken } from "./validation";

// Kubernetes resource quantities, read as the API server reads them. The grammar is
// resource.Quantity's (kubernetes/apimachinery pkg/api/resource/quantity.go, the serialization
// format in the Quantity doc comment, commit 357557a670d84c30ef3b5355f02c11d8aba5a941, read 2026-12;
// unchanged in every Kubernetes version EKS runs):
//
//   <quantity>        ::= <signedNumber><suffix>
//   <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
//   <signedNumber>    ::= <number> | ("+" | "-") <number>
//   <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
//   <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
//   <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
//   <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>
//
// The exponent is a whole number (parseQuantityString reads an optional sign and digits after the
// suffix letters): "129e6", "1E3", "1.5e-3". "E" alone is exa (10^18), "E3" an exponent.

const QUANTITY = /^([+-]?)([0-9]+\.?[0-9]*|\.[0-9]+)(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;
const FACTORS: Record<string, number> = {
  "": 1,
  n: 1e-9,
  u: 1e-6,
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

/** A quantity taken apart: its value in base units, and the SI suffix it was written with ("" for none or an exponent). */
interface ParsedQuantity {
  readonly value: number;
  readonly suffix: string;
  /** True when written without a unit: digits only, or digits with a decimal exponent ("1e3"). */
  readonly unitless: boolean;
}

function parse(text: string): ParsedQuantity | undefined {
  if (typeof text !== "string") return undefined;
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const [, sign, number, exponent, suffix] = m;
  const magnitude = exponent !== undefined ? Number(`${number}${exponent}`) : Number(number) * FACTORS[suffix ?? ""];
  return { value: sign === "-" ? -magnitude : magnitude, suffix: suffix ?? "", unitless: suffix === undefined };
}

/** The value of a quantity in base units (cores, bytes), or undefined when it isn't one. */
export function parseQuantity(text: string): number | undefined {
  return parse(text)?.value;
}

/**
 * What a quantity measures, for the checks beyond the grammar:
 * - "cores": CPU; any form is meant ("250m", "0.5", "1").
 * - "bytes": memory, ephemeral-storage and emptyDir sizes. A sub-byte suffix ("512m": m is
 *   milli, a thousandth) or a number without a unit below 1 MiB ("256": 256 bytes) can't be
 *   meant: no container runs in less than a mebibyte (a process's own mappings alone take more),
 *   and nobody sizes memory in bytes by hand. From 1 MiB up a unitless number is taken as a
 *   byte count written on purpose (e.g. "134217728" from a script).
 * - "volume": storage sizes (claims, the storage quota). Same, with 1 GiB as the line: EBS
 *   allocates volumes in whole GiB, at least 1 GiB, so a byte count below that forgot its "Gi".
 */
export type QuantityKind = "cores" | "bytes" | "volume";

const SUB_BYTE: Record<string, string> = { m: "milli, a thousandth", u: "micro, a millionth", n: "nano, a billionth" };
const UNITLESS_FLOOR: Record<Exclude<QuantityKind, "cores">, { bytes: number; unit: string }> = {
  bytes: { bytes: 2 ** 20, unit: "Mi" },
  volume: { bytes: 2 ** 30, unit: "Gi" },
};

export function checkQuantity(where: string, field: string, value: string, kind: QuantityKind = "cores"): void {
  if (isToken(value)) return;
  const q = parse(value);
  if (q === undefined) {
    fail(
      where,
      field,
      value,
      "is not a Kubernetes quantity",
      'use a number with an optional suffix, e.g. "250m" or "1" for CPU, "512Mi" or "2Gi" for memory and storage',
    );
  }
  if (q.value < 0) fail(where, field, value, "is negative", "give an amount of zero or more");
  if (kind === "cores") return;
  const unit = UNITLESS_FLOOR[kind].unit;
  const plain = value.replace(/^\+/, "");
  const digits = plain.slice(0, plain.length - q.suffix.length);
  if (SUB_BYTE[q.suffix] !== undefined && q.value !== 0) {
    fail(
      where,
      field,
      value,
      `counts fractions of a byte ("${q.suffix}" is ${SUB_BYTE[q.suffix]}, not mega)`,
      `use "${digits}${unit}" (or "${digits}${unit[0]}" for decimal units)`,
    );
  }
  const floor = UNITLESS_FLOOR[kind];
  if (q.unitless && q.value > 0 && q.value < floor.bytes) {
    fail(
      where,
      field,
      value,
      `is ${q.value} bytes (a number without a unit counts bytes)`,
      /^[0-9.]+$/.test(value) ? `add the unit, e.g. "${value}${unit}"` : `add the unit, e.g. "256${unit}"`,
    );
  }
}

/** Checks a quantity is positive (a zero request or size is a mistake). */
export function checkPositiveQuantity(where: string, field: string, value: string, kind: QuantityKind = "cores"): void {
  checkQuantity(where, field, value, kind);
  if (!isToken(value) && parseQuantity(value) === 0) {
    fail(where, field, value, "is zero", "give a positive amount");
  }
}

/** An amount for a message: cores as a plain number ("1.5"), bytes in Mi ("1536Mi") or, from 1 GiB on whole GiB, Gi. */
export function formatQuantity(kind: QuantityKind, n: number): string {
  if (kind === "cores") return String(Math.round(n * 1000) / 1000);
  if (n >= 2 ** 30 && n % 2 ** 30 === 0) return `${n / 2 ** 30}Gi`;
  return `${Math.ceil(n / 2 ** 20)}Mi`;
}
