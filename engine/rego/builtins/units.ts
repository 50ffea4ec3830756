// units.parse and units.parse_bytes, after OPA's v1/topdown/parse_units.go and parse_bytes.go.
//
// Arithmetic is exact (bigint rationals); units.parse yields an integer when the result is whole and
// otherwise the value rounded to 10 decimal places (big.Rat.FloatString(10)); units.parse_bytes
// truncates toward zero.

import { parseNumber } from '../number.ts';
import type { Value } from '../value.ts';
import { builtinError, operandTypeError, t, type Builtin } from './registry.ts';

const MAX_EXPONENT_DIGITS = 6;

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

class ExponentTooLarge extends Error {}

/** OPA's extractNumAndUnit. */
function extractNumAndUnit(s: string): [string, string] {
  let first = -1;
  for (let idx = 0; idx < s.length; idx++) {
    const r = s[idx];
    const isNum = isDigit(r) || r === '.';
    if (!isNum && r !== 'e' && r !== 'E' && r !== '+' && r !== '-') {
      first = idx;
      break;
    }
    if (r === 'e' || r === 'E') {
      const nx = s[idx + 1];
      if (idx === s.length - 1 || (!isDigit(nx) && nx !== '+' && nx !== '-')) {
        first = idx;
        break;
      }
      if (idx + 1 < s.length && (nx === '+' || nx === '-')) idx++;
      let end = idx + 1;
      while (end < s.length && isDigit(s[end])) end++;
      if (end - (idx + 1) > MAX_EXPONENT_DIGITS) throw new ExponentTooLarge();
    }
  }
  if (first === -1) return [s, ''];
  if (first === 0) return ['', s];
  return [s.slice(0, first), s.slice(first)];
}

interface Rat {
  n: bigint;
  d: bigint; // > 0
}

const NUM_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses a decimal floating-point literal (as big.Rat/big.Float SetString would accept here). */
function parseRat(s: string): Rat | undefined {
  const m = NUM_RE.exec(s);
  if (!m) return undefined;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return undefined;
  let n = BigInt((int + frac).replace(/^0+(?=\d)/, '') || '0');
  if (m[1] === '-') n = -n;
  const exp = (m[4] ? parseInt(m[4], 10) : 0) - frac.length;
  if (exp >= 0) return { n: n * 10n ** BigInt(exp), d: 1n };
  return { n, d: 10n ** BigInt(-exp) };
}

/** The exact rational value of a float64. */
function ratOfDouble(x: number): Rat {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  const neg = hi >>> 31 === 1;
  const n = neg ? -mant : mant;
  return e >= 0 ? { n: n << BigInt(e), d: 1n } : { n, d: 1n << BigInt(-e) };
}

const MILLI = ratOfDouble(0.001); // OPA multiplies by float64(0.001), not by 1/1000

function mulInt(r: Rat, k: bigint): Rat {
  return { n: r.n * k, d: r.d };
}

const K = 1000n;
const KI = 1024n;

/** big.Rat.FloatString(10): rounded to 10 decimals, halves away from zero. */
function floatString10(r: Rat): string {
  const neg = r.n < 0n;
  const a = neg ? -r.n : r.n;
  const scale = 10n ** 10n;
  let q = (a * scale) / r.d;
  const rem = (a * scale) % r.d;
  if (rem * 2n >= r.d) q += 1n;
  const ip = q / scale;
  const fp = (q % scale).toString().padStart(10, '0');
  return `${neg ? '-' : ''}${ip}.${fp}`;
}

function strArg(name: string, v: Value): string {
  if (typeof v !== 'string') throw operandTypeError(name, 1, v, 'string');
  return v;
}

function parseUnits(raw: string): Value {
  const name = 'units.parse';
  const err = (msg: string): Error => builtinError(name, `${name}: ${msg}`);
  const s = raw.replaceAll('"', '');
  if (s.includes(' ')) throw err('spaces not allowed in resource strings');
  let num: string;
  let unit: string;
  try {
    [num, unit] = extractNumAndUnit(s);
  } catch {
    throw err('exponent too large');
  }
  if (num === '') throw err('no amount provided');
  if (unit.length > 1) unit = unit.slice(0, 1) + unit.slice(1).toLowerCase();
  let mul: Rat;
  switch (unit) {
    case 'm': mul = MILLI; break;
    case '': mul = { n: 1n, d: 1n }; break;
    case 'k': case 'K': mul = { n: K, d: 1n }; break;
    case 'ki': case 'Ki': mul = { n: KI, d: 1n }; break;
    case 'M': mul = { n: K ** 2n, d: 1n }; break;
    case 'mi': case 'Mi': mul = { n: KI ** 2n, d: 1n }; break;
    case 'g': case 'G': mul = { n: K ** 3n, d: 1n }; break;
    case 'gi': case 'Gi': mul = { n: KI ** 3n, d: 1n }; break;
    case 't': case 'T': mul = { n: K ** 4n, d: 1n }; break;
    case 'ti': case 'Ti': mul = { n: KI ** 4n, d: 1n }; break;
    case 'p': case 'P': mul = { n: K ** 5n, d: 1n }; break;
    case 'pi': case 'Pi': mul = { n: KI ** 5n, d: 1n }; break;
    case 'e': case 'E': mul = { n: K ** 6n, d: 1n }; break;
    case 'ei': case 'Ei': mul = { n: KI ** 6n, d: 1n }; break;
    default:
      throw err(`unit ${unit} not recognized`);
  }
  const x = parseRat(num);
  if (x === undefined) throw err('could not parse amount to a number');
  const n = x.n * mul.n;
  const d = x.d * mul.d;
  if (n % d === 0n) return parseNumber((n / d).toString());
  return parseNumber(floatString10({ n, d }));
}

const BYTE_UNITS: Record<string, bigint> = {
  '': 1n,
  kb: K, k: K, kib: KI, ki: KI,
  mb: K ** 2n, m: K ** 2n, mib: KI ** 2n, mi: KI ** 2n,
  gb: K ** 3n, g: K ** 3n, gib: KI ** 3n, gi: KI ** 3n,
  tb: K ** 4n, t: K ** 4n, tib: KI ** 4n, ti: KI ** 4n,
  pb: K ** 5n, p: K ** 5n, pib: KI ** 5n, pi: KI ** 5n,
  eb: K ** 6n, e: K ** 6n, eib: KI ** 6n, ei: KI ** 6n,
};

function parseBytes(raw: string): Value {
  const name = 'units.parse_bytes';
  const err = (msg: string): Error => builtinError(name, `${name}: ${msg}`);
  const s = raw.toLowerCase().replaceAll('"', '');
  if (s.includes(' ')) throw err('spaces not allowed in resource strings');
  let num: string;
  let unit: string;
  try {
    [num, unit] = extractNumAndUnit(s);
  } catch {
    throw err('exponent too large');
  }
  if (num === '') throw err('no byte amount provided');
  if (!Object.prototype.hasOwnProperty.call(BYTE_UNITS, unit)) throw err(`byte unit ${unit} not recognized`);
  const x = parseRat(num);
  if (x === undefined) throw err('could not parse byte amount to a number');
  const total = mulInt(x, BYTE_UNITS[unit]);
  return parseNumber((total.n / total.d).toString()); // truncation toward zero, as big.Float.Int
}

export const builtins: Builtin[] = [
  {
    name: 'units.parse',
    args: [t.string],
    result: t.number,
    description:
      'Converts strings like "10G", "5K", "4M", "1500m", and the like into a number. This number can be a non-integer, such as 1.5, 0.22, etc. Scientific notation is supported, allowing values such as "1e-3K" (1) or "2.5e6M" (2.5 million M).',
    fn: ([x]) => parseUnits(strArg('units.parse', x)),
  },
  {
    name: 'units.parse_bytes',
    args: [t.string],
    result: t.number,
    description:
      'Converts strings like "10GB", "5K", "4mb", or "1e6KB" into an integer number of bytes. Supports standard byte units (e.g., KB, KiB, etc.) where KB, MB, GB, and TB are treated as decimal units, and KiB, MiB, GiB, and TiB are treated as binary units. Scientific notation is supported, enabling values like "1.5e3MB" (1500MB) or "2e6GiB" (2 million GiB).',
    fn: ([x]) => parseBytes(strArg('units.parse_bytes', x)),
  },
];
