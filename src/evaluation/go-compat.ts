import type { AttributeValue } from '../model/target.js';

/**
 * Go's `strconv.FormatFloat(n, 'f', -1, 64)`, which the Go evaluator applies to numeric
 * attributes: the shortest round-trip digits, never in exponent notation.
 */
export function formatGoFloat(n: number): string {
  if (!Number.isFinite(n) || n === 0) {
    return formatGoSpecial(n);
  }
  const abs = Math.abs(n);
  // Inside this range JS already prints plain shortest decimals, like Go.
  if (abs >= 1e-6 && abs < 1e21) {
    return String(n);
  }
  const { digits, point } = shortestDigits(abs);
  return (n < 0 ? '-' : '') + fixedNotation(digits, point);
}

/**
 * Go's `fmt.Sprint` (`%v`), which the Go evaluator applies to array attributes: elements
 * space-separated in brackets, strings unquoted, nil as `<nil>`, maps as `map[k:v]` with
 * sorted keys, and floats in `%g` form (exponent from 1e+06 up and below 1e-04).
 */
export function formatGoValue(value: AttributeValue): string {
  if (value === null) {
    return '<nil>';
  }
  if (Array.isArray(value)) {
    return `[${value.map(formatGoValue).join(' ')}]`;
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number') {
    return formatGoFloatV(value);
  }
  if (typeof value === 'boolean') {
    return value ? 'true' : 'false';
  }
  const keys = Object.keys(value).sort(compareGoStrings);
  return `map[${keys.map((key) => `${key}:${formatGoValue(value[key] ?? null)}`).join(' ')}]`;
}

/**
 * Orders strings like Go's `<` does on UTF-8 bytes, i.e. by code point. JS compares UTF-16
 * code units, which puts supplementary characters (surrogate pairs) below U+E000–U+FFFF.
 */
export function compareGoStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      return codePointRank(x) - codePointRank(y);
    }
  }
  return a.length - b.length;
}

/** Moves surrogates above U+E000–U+FFFF so that code-unit order becomes code-point order. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) {
    return unit;
  }
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

function formatGoFloatV(n: number): string {
  if (!Number.isFinite(n) || n === 0) {
    return formatGoSpecial(n);
  }
  const { digits, point } = shortestDigits(Math.abs(n));
  const exponent = point - 1;
  // strconv's 'g' with the shortest precision switches to %e outside [1e-4, 1e6).
  const body =
    exponent < -4 || exponent >= 6
      ? exponentNotation(digits, exponent)
      : fixedNotation(digits, point);
  return (n < 0 ? '-' : '') + body;
}

function formatGoSpecial(n: number): string {
  if (Number.isNaN(n)) {
    return 'NaN';
  }
  if (n === 0) {
    return Object.is(n, -0) ? '-0' : '0';
  }
  return n > 0 ? '+Inf' : '-Inf';
}

/** Shortest round-trip decimal digits of a positive finite number and the decimal point's position. */
function shortestDigits(abs: number): { digits: string; point: number } {
  const text = abs.toExponential();
  const e = text.indexOf('e');
  return { digits: text.slice(0, e).replace('.', ''), point: Number(text.slice(e + 1)) + 1 };
}

function fixedNotation(digits: string, point: number): string {
  if (point <= 0) {
    return `0.${'0'.repeat(-point)}${digits}`;
  }
  if (point >= digits.length) {
    return digits + '0'.repeat(point - digits.length);
  }
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

function exponentNotation(digits: string, exponent: number): string {
  const mantissa = digits.length > 1 ? `${digits.slice(0, 1)}.${digits.slice(1)}` : digits;
  const sign = exponent < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}
