// Rego numbers, with Open Policy Agent's semantics.
//
// Representation (see value.ts). One mathematical value has exactly one representation, so that
// JS equality / Map keys agree with Rego equality:
//   - JS `number`  — every integer within ±(2^53-1), and every non-integer whose written decimal
//                    is the shortest text of a double (0.1, 3.14, 1e-7, ...). A double's value is
//                    taken to be that shortest decimal text (what Go's strconv prints, and what OPA
//                    holds as the number's text).
//   - JS `bigint`  — integers beyond ±(2^53-1) (exact, any size).
//   - BigDecimal   — non-integers a double cannot carry as written ("0.1000000000000000000001",
//                    "1e-400", "3.14159265358979323846264338327950288"); exact mantissa × 10^exp,
//                    plus the text it was written with (OPA keeps and prints a number's text).
//
// Arithmetic follows OPA's topdown/arithmetic.go: integers are exact (big.Int); any other operand
// makes the operation run on big.Float with 64-bit mantissas (round to nearest even), and the
// result is the shortest decimal that identifies that 64-bit float (big.Float.Text('g'/'f', -1)).

import { builtinError } from './builtins/registry.ts';

export type RegoNumber = number | bigint | BigDecimal;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_SAFE_N = BigInt(MAX_SAFE);
const MIN_SAFE_N = -MAX_SAFE_N;
/** Integers with more digits than this stay BigDecimal (keeps absurd exponents from exploding). */
const MAX_INT_DIGITS = 100_000;
/**
 * Integers beyond the float64 range stay BigDecimal with their text (as OPA keeps a json.Number's
 * text: `sprintf("%v", [2e308])` prints "2e308"); every double is within it, so a value has one
 * representation whatever path made it.
 */
const MAX_DOUBLE_N = BigInt(Number.MAX_VALUE);

// ---------------------------------------------------------------------------------------------
// Decimal helpers: value = m × 10^e, m normalised (no trailing decimal zeros unless m = 0).

interface Dec {
  m: bigint;
  e: number;
}

const POW10_CACHE: bigint[] = [];
function pow10(n: number): bigint {
  if (n < 64) {
    let p = POW10_CACHE[n];
    if (p === undefined) POW10_CACHE[n] = p = 10n ** BigInt(n);
    return p;
  }
  return 10n ** BigInt(n);
}

function absBig(x: bigint): bigint {
  return x < 0n ? -x : x;
}

function digitCount(x: bigint): number {
  return absBig(x).toString().length;
}

const NUM_RE = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Parses number text to a normalised decimal (sign of zero reported separately). */
function parseDec(raw: string): { d: Dec; negZero: boolean } | undefined {
  const mt = NUM_RE.exec(raw);
  if (mt === null) return undefined;
  const neg = mt[1] !== undefined;
  const int = mt[2];
  const frac = mt[3] ?? '';
  let exp = mt[4] !== undefined ? Number(mt[4]) : 0;
  if (!Number.isFinite(exp) || Math.abs(exp) > 1e15) return undefined;
  let digits = (int + frac).replace(/^0+/, '');
  exp -= frac.length;
  if (digits === '') return { d: { m: 0n, e: 0 }, negZero: neg };
  let k = digits.length;
  while (digits.charCodeAt(k - 1) === 48) k--;
  exp += digits.length - k;
  digits = digits.slice(0, k);
  const m = BigInt(digits);
  return { d: { m: neg ? -m : m, e: exp }, negZero: false };
}

function normDec(m: bigint, e: number): Dec {
  if (m === 0n) return { m: 0n, e: 0 };
  while (m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  return { m, e };
}

/** Decimal value of any Rego number. */
function toDec(n: RegoNumber): Dec {
  if (typeof n === 'number') {
    if (Number.isSafeInteger(n)) return normDec(BigInt(n), 0);
    return parseDec(String(n))!.d;
  }
  if (typeof n === 'bigint') return normDec(n, 0);
  return { m: n.mant, e: n.exp };
}

function decSign(d: Dec): number {
  return d.m > 0n ? 1 : d.m < 0n ? -1 : 0;
}

function cmpDec(a: Dec, b: Dec): -1 | 0 | 1 {
  const sa = decSign(a);
  const sb = decSign(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  // Same sign, nonzero: compare magnitudes by adjusted exponent first.
  const la = digitCount(a.m) + a.e;
  const lb = digitCount(b.m) + b.e;
  let c: number;
  if (la !== lb) c = la < lb ? -1 : 1;
  else {
    const e = Math.min(a.e, b.e);
    const x = absBig(a.m) * pow10(a.e - e);
    const y = absBig(b.m) * pow10(b.e - e);
    c = x < y ? -1 : x > y ? 1 : 0;
  }
  return (sa < 0 ? -c : c) as -1 | 0 | 1;
}

function decEq(a: Dec, b: Dec): boolean {
  return a.m === b.m && a.e === b.e;
}

/** Plain decimal text of a normalised decimal (for BigDecimals built without text). */
function decText(d: Dec): string {
  if (d.m === 0n) return '0';
  const neg = d.m < 0n;
  const s = absBig(d.m).toString();
  let out: string;
  if (d.e >= 0) {
    out = d.e <= 21 ? s + '0'.repeat(d.e) : `${s[0]}${s.length > 1 ? '.' + s.slice(1) : ''}e+${s.length - 1 + d.e}`;
  } else {
    const point = s.length + d.e; // digits before the point
    if (point > 0) out = s.slice(0, point) + '.' + s.slice(point);
    else if (point > -7) out = '0.' + '0'.repeat(-point) + s;
    else out = `${s[0]}${s.length > 1 ? '.' + s.slice(1) : ''}e${point - 1}`;
  }
  return neg ? '-' + out : out;
}

// ---------------------------------------------------------------------------------------------

/** An exact decimal number that a double cannot carry (see the file comment). */
export class BigDecimal {
  /** Value = mant × 10^exp; mant has no trailing zero digits. */
  readonly mant: bigint;
  readonly exp: number;
  private readonly raw: string | undefined;

  constructor(mant: bigint, exp: number, raw?: string) {
    const d = normDec(mant, exp);
    this.mant = d.m;
    this.exp = d.e;
    this.raw = raw;
  }

  /** Same text for equal values. */
  canonical(): string {
    return `${this.mant}e${this.exp}`;
  }

  /** JSON text: the text it was written with, or a plain decimal. */
  toString(): string {
    return this.raw ?? decText({ m: this.mant, e: this.exp });
  }

  toJSON(): string {
    return this.toString();
  }

  /** Nearest double (±Infinity or 0 when out of range). */
  toNumber(): number {
    return Number(`${this.mant}e${this.exp}`);
  }

  sign(): number {
    return this.mant > 0n ? 1 : this.mant < 0n ? -1 : 0;
  }

  isInteger(): boolean {
    return this.exp >= 0;
  }
}

/** The canonical representation of the decimal m × 10^e. */
function fromDec(m: bigint, e: number, raw?: string, negZero = false): RegoNumber {
  if (m === 0n) return negZero ? -0 : 0;
  const d = normDec(m, e);
  m = d.m;
  e = d.e;
  const nd = digitCount(m);
  if (e >= 0) {
    if (nd + e <= 15) return Number(m) * 10 ** e;
    if (nd + e > MAX_INT_DIGITS || nd + e > 309) return new BigDecimal(m, e, raw);
    const b = m * pow10(e);
    if (nd + e === 309 && (b > MAX_DOUBLE_N || b < -MAX_DOUBLE_N)) return new BigDecimal(m, e, raw);
    return b >= MIN_SAFE_N && b <= MAX_SAFE_N ? Number(b) : b;
  }
  const text = `${m}e${e}`;
  const x = Number(text);
  const adj = nd + e; // decimal exponent of the leading digit + 1
  if (nd <= 15 && adj > -300 && adj < 300) return x; // ≤ 15 significant digits: a double round-trips
  if (Number.isFinite(x) && x !== 0) {
    const back = parseDec(String(x))!.d;
    if (decEq(back, d)) return x;
  }
  return new BigDecimal(m, e, raw);
}

/** Parses a Rego/JSON number literal, exactly. Throws on text that is not a number. */
export function parseNumber(raw: string): RegoNumber {
  // Fast path: short plain integers.
  if (raw.length <= 15 && /^-?(0|[1-9]\d*)$/.test(raw)) {
    const x = Number(raw);
    return x === 0 && raw[0] === '-' ? -0 : x;
  }
  const p = parseDec(raw);
  if (p === undefined) throw new Error(`invalid number: ${JSON.stringify(raw)}`);
  return fromDec(p.d.m, p.d.e, raw, p.negZero);
}

/** Brings any number to its canonical representation (see the file comment). */
export function normalizeNumber(x: RegoNumber): RegoNumber {
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new Error(`not a finite number: ${x}`);
    if (Number.isSafeInteger(x) || !Number.isInteger(x)) return x;
    // An integral double beyond ±2^53: its value is its shortest decimal text ("1e+300").
    const d = parseDec(String(x))!.d;
    return fromDec(d.m, d.e);
  }
  if (typeof x === 'bigint') return x >= MIN_SAFE_N && x <= MAX_SAFE_N ? Number(x) : x;
  return fromDec(x.mant, x.exp, x.toString());
}

export function isNumberValue(x: unknown): x is RegoNumber {
  return typeof x === 'number' || typeof x === 'bigint' || x instanceof BigDecimal;
}

/** Exact order across all three kinds. */
export function compareNumbers(a: RegoNumber, b: RegoNumber): -1 | 0 | 1 {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'bigint' && Number.isSafeInteger(Math.floor(a))) {
    return cmpNumBig(a, b);
  }
  if (typeof a === 'bigint' && typeof b === 'number' && Number.isSafeInteger(Math.floor(b))) {
    return -cmpNumBig(b, a) as -1 | 0 | 1;
  }
  return cmpDec(toDec(a), toDec(b));
}

function cmpNumBig(a: number, b: bigint): -1 | 0 | 1 {
  const f = Math.floor(a);
  const fb = BigInt(f);
  if (fb < b) return -1;
  if (fb > b) return 1;
  return f === a ? 0 : 1;
}

export function numbersEqual(a: RegoNumber, b: RegoNumber): boolean {
  return compareNumbers(a, b) === 0;
}

/** The JSON text OPA prints for a number. */
export function numberToString(n: RegoNumber): string {
  if (typeof n === 'number') {
    if (Object.is(n, -0)) return '-0';
    if (Number.isInteger(n) && !Number.isSafeInteger(n)) return numberToString(normalizeNumber(n));
    return String(n);
  }
  return n.toString();
}

// ---------------------------------------------------------------------------------------------
// Integer helpers

export function isInteger(n: RegoNumber): boolean {
  if (typeof n === 'number') return Number.isInteger(n);
  if (typeof n === 'bigint') return true;
  return n.exp >= 0;
}

/** The exact integer value (n must be an integer). */
export function toBigInt(n: RegoNumber): bigint {
  if (typeof n === 'number') {
    if (Number.isSafeInteger(n)) return BigInt(n);
    const d = toDec(n);
    if (d.e < 0) throw new RangeError(`not an integer: ${n}`);
    return d.m * pow10(d.e);
  }
  if (typeof n === 'bigint') return n;
  if (n.exp < 0) throw new RangeError(`not an integer: ${n}`);
  return n.mant * pow10(n.exp);
}

/** The value as a JS safe integer, or undefined if it is not an integer within ±(2^53-1). */
export function toSafeInteger(n: RegoNumber): number | undefined {
  if (typeof n === 'number') return Number.isSafeInteger(n) ? (n === 0 ? 0 : n) : undefined;
  if (typeof n === 'bigint') return n >= MIN_SAFE_N && n <= MAX_SAFE_N ? Number(n) : undefined;
  return undefined;
}

/** Nearest double of any number. */
export function toNumber(n: RegoNumber): number {
  if (typeof n === 'number') return n;
  if (typeof n === 'bigint') return Number(n);
  return n.toNumber();
}

/** Canonical number from a bigint. */
export function fromBigInt(b: bigint): RegoNumber {
  return b >= MIN_SAFE_N && b <= MAX_SAFE_N ? Number(b) : b;
}

function fromInt(b: bigint): RegoNumber {
  if (b >= MIN_SAFE_N && b <= MAX_SAFE_N) return Number(b);
  return b;
}

// ---------------------------------------------------------------------------------------------
// Binary floating point with Go's math/big.Float semantics (round to nearest even).

interface BF {
  neg: boolean;
  /** Magnitude = mant × 2^exp (mant = 0n for zero). */
  mant: bigint;
  exp: number;
  prec: number;
}

function bitLen(x: bigint): number {
  if (x === 0n) return 0;
  // toString(16) is fast; refine by the top hex digit.
  const h = x.toString(16);
  const top = parseInt(h[0], 16);
  return (h.length - 1) * 4 + (32 - Math.clz32(top));
}

/** Rounds mant × 2^exp (with a sticky bit for discarded nonzero bits below) to prec bits. */
function roundBits(neg: boolean, mant: bigint, exp: number, prec: number, sticky = false): BF {
  if (mant === 0n) return { neg, mant: 0n, exp: 0, prec };
  const bl = bitLen(mant);
  if (bl <= prec) {
    // exact unless sticky, which callers avoid by providing > prec bits
    return { neg, mant, exp, prec };
  }
  const shift = bl - prec;
  const sb = BigInt(shift);
  let keep = mant >> sb;
  const rem = mant - (keep << sb);
  const half = 1n << (sb - 1n);
  let up: boolean;
  if (rem > half) up = true;
  else if (rem < half) up = false;
  else up = sticky || (keep & 1n) === 1n;
  let e = exp + shift;
  if (up) {
    keep += 1n;
    if (bitLen(keep) > prec) {
      keep >>= 1n;
      e += 1;
    }
  }
  return { neg, mant: keep, exp: e, prec };
}

const BF_PREC = 64;

/** Decimal → big.Float at 64 bits, correctly rounded (as SetString does). */
function decToBF(d: Dec, negZero = false): BF {
  if (d.m === 0n) return { neg: negZero, mant: 0n, exp: 0, prec: BF_PREC };
  const neg = d.m < 0n;
  const m = absBig(d.m);
  if (d.e >= 0) return roundBits(neg, m * pow10(d.e), 0, BF_PREC);
  const D = pow10(-d.e);
  const s = Math.max(0, BF_PREC + 3 + bitLen(D) - bitLen(m));
  const num = m << BigInt(s);
  const q = num / D;
  const r = num - q * D;
  return roundBits(neg, q, -s, BF_PREC, r !== 0n);
}

function numToBF(n: RegoNumber): BF {
  if (typeof n === 'number' && Object.is(n, -0)) return { neg: true, mant: 0n, exp: 0, prec: BF_PREC };
  return decToBF(toDec(n));
}

function bfAdd(x: BF, y: BF, subtract = false): BF {
  const yneg = subtract ? !y.neg : y.neg;
  const prec = Math.max(x.prec, y.prec);
  if (x.mant === 0n && y.mant === 0n) return { neg: x.neg && yneg, mant: 0n, exp: 0, prec };
  if (x.mant === 0n) return roundBits(yneg, y.mant, y.exp, prec);
  if (y.mant === 0n) return roundBits(x.neg, x.mant, x.exp, prec);
  const e = Math.min(x.exp, y.exp);
  const a = (x.neg ? -1n : 1n) * (x.mant << BigInt(x.exp - e));
  const b = (yneg ? -1n : 1n) * (y.mant << BigInt(y.exp - e));
  const s = a + b;
  if (s === 0n) return { neg: false, mant: 0n, exp: 0, prec };
  return roundBits(s < 0n, absBig(s), e, prec);
}

function bfMul(x: BF, y: BF): BF {
  const prec = Math.max(x.prec, y.prec);
  const neg = x.neg !== y.neg;
  if (x.mant === 0n || y.mant === 0n) return { neg, mant: 0n, exp: 0, prec };
  return roundBits(neg, x.mant * y.mant, x.exp + y.exp, prec);
}

function bfQuo(x: BF, y: BF): BF {
  const prec = Math.max(x.prec, y.prec);
  const neg = x.neg !== y.neg;
  if (x.mant === 0n) return { neg, mant: 0n, exp: 0, prec };
  const s = Math.max(0, prec + 3 + bitLen(y.mant) - bitLen(x.mant));
  const num = x.mant << BigInt(s);
  const q = num / y.mant;
  const r = num - q * y.mant;
  return roundBits(neg, q, x.exp - y.exp - s, prec, r !== 0n);
}

function bfIsInt(x: BF): boolean {
  if (x.mant === 0n || x.exp >= 0) return true;
  const k = BigInt(-x.exp);
  return (x.mant & ((1n << k) - 1n)) === 0n;
}

/** big.Float.Int: truncation toward zero. */
function bfTrunc(x: BF): bigint {
  if (x.mant === 0n) return 0n;
  const v = x.exp >= 0 ? x.mant << BigInt(x.exp) : x.mant >> BigInt(-x.exp);
  return x.neg ? -v : v;
}

/** new(big.Float).SetInt(i): precision max(64, bitlen), exact. */
function bfFromInt(i: bigint): BF {
  const m = absBig(i);
  return { neg: i < 0n, mant: m, exp: 0, prec: Math.max(BF_PREC, bitLen(m)) };
}

// Go's math/big decimal: value = 0.digits × 10^exp; digits without trailing zeros.
interface GoDec {
  d: string;
  exp: number;
}

function goDecInit(mant: bigint, shift: number): GoDec {
  if (mant === 0n) return { d: '', exp: 0 };
  let s: string;
  let exp: number;
  if (shift >= 0) {
    s = (mant << BigInt(shift)).toString();
    exp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-shift)).toString();
    exp = s.length + shift;
  }
  let n = s.length;
  while (n > 0 && s.charCodeAt(n - 1) === 48) n--;
  return { d: s.slice(0, n), exp };
}

function goAt(x: GoDec, i: number): string {
  return i >= 0 && i < x.d.length ? x.d[i] : '0';
}

function goTrim(x: GoDec): void {
  let i = x.d.length;
  while (i > 0 && x.d.charCodeAt(i - 1) === 48) i--;
  x.d = x.d.slice(0, i);
  if (i === 0) x.exp = 0;
}

function goRoundUp(x: GoDec, n: number): void {
  if (n < 0 || n >= x.d.length) return;
  while (n > 0 && x.d[n - 1] >= '9') n--;
  if (n === 0) {
    x.d = '1';
    x.exp++;
    return;
  }
  x.d = x.d.slice(0, n - 1) + String.fromCharCode(x.d.charCodeAt(n - 1) + 1);
}

function goRoundDown(x: GoDec, n: number): void {
  if (n < 0 || n >= x.d.length) return;
  x.d = x.d.slice(0, n);
  goTrim(x);
}

function goRound(x: GoDec, n: number): void {
  if (n < 0 || n >= x.d.length) return;
  let up: boolean;
  if (x.d[n] === '5' && n + 1 === x.d.length) up = n > 0 && ((x.d.charCodeAt(n - 1) - 48) & 1) !== 0;
  else up = x.d[n] >= '5';
  if (up) goRoundUp(x, n);
  else goRoundDown(x, n);
}

function goRoundShortest(d: GoDec, x: BF): void {
  if (d.d.length === 0) return;
  let mant = x.mant;
  let exp = x.exp;
  const s = bitLen(mant) - (x.prec + 1);
  if (s < 0) mant <<= BigInt(-s);
  else if (s > 0) mant >>= BigInt(s);
  exp += s;
  const lower = goDecInit(mant - 1n, exp);
  const upper = goDecInit(mant + 1n, exp);
  const inclusive = (mant & 2n) === 0n;
  for (let i = 0; i < d.d.length; i++) {
    const m = d.d[i];
    const l = goAt(lower, i);
    const u = goAt(upper, i);
    const okdown = l !== m || (inclusive && i + 1 === lower.d.length);
    const okup =
      m !== u &&
      (inclusive ||
        m.charCodeAt(0) + 1 < u.charCodeAt(0) ||
        i + 1 < upper.d.length ||
        (i >= upper.d.length && m < '9'));
    if (okdown && okup) {
      goRound(d, i + 1);
      return;
    }
    if (okdown) {
      goRoundDown(d, i + 1);
      return;
    }
    if (okup) {
      goRoundUp(d, i + 1);
      return;
    }
  }
}

function goFmtE(prec: number, d: GoDec): string {
  let out = d.d.length > 0 ? d.d[0] : '0';
  if (prec > 0) {
    out += '.';
    let i = 1;
    const m = Math.min(d.d.length, prec + 1);
    if (i < m) {
      out += d.d.slice(i, m);
      i = m;
    }
    for (; i <= prec; i++) out += '0';
  }
  let exp = d.d.length > 0 ? d.exp - 1 : 0;
  let sign = '+';
  if (exp < 0) {
    sign = '-';
    exp = -exp;
  }
  return out + 'e' + sign + (exp < 10 ? '0' : '') + String(exp);
}

function goFmtF(prec: number, d: GoDec): string {
  let out: string;
  if (d.exp > 0) {
    const m = Math.min(d.d.length, d.exp);
    out = d.d.slice(0, m) + '0'.repeat(d.exp - m);
  } else out = '0';
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) out += goAt(d, d.exp + i);
  }
  return out;
}

/** big.Float.Text(format, -1). */
function bfText(x: BF, format: 'f' | 'g'): string {
  const sign = x.neg ? '-' : '';
  const d = goDecInit(x.mant, x.exp);
  goRoundShortest(d, x);
  if (format === 'f') return sign + goFmtF(Math.max(d.d.length - d.exp, 0), d);
  let prec = d.d.length;
  const exp = d.exp - 1;
  if (exp < -4 || exp >= 6) {
    if (prec > d.d.length) prec = d.d.length;
    return sign + goFmtE(prec - 1, d);
  }
  if (prec > d.exp) prec = d.d.length;
  return sign + goFmtF(Math.max(prec - d.exp, 0), d);
}

/** OPA's FloatToNumber: the text, then our canonical number. */
function bfToNumber(x: BF): RegoNumber {
  const text = bfText(x, bfIsInt(x) ? 'f' : 'g');
  return parseNumber(text);
}

/** The text OPA gives a big.Float result (exposed for tests and sprintf-like callers). */
export function floatResultText(n: RegoNumber): string {
  const x = numToBF(n);
  return bfText(x, bfIsInt(x) ? 'f' : 'g');
}

// ---------------------------------------------------------------------------------------------
// Arithmetic (OPA's plus, minus, mul, div, rem, abs, round, ceil, floor)

function intZero(r: number): number {
  return r === 0 ? 0 : r;
}

export function add(a: RegoNumber, b: RegoNumber): RegoNumber {
  if (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
    const r = a + b;
    if (Number.isSafeInteger(r)) return intZero(r);
    return fromInt(BigInt(a) + BigInt(b));
  }
  if (isInteger(a) && isInteger(b)) return fromInt(toBigInt(a) + toBigInt(b));
  return bfToNumber(bfAdd(numToBF(a), numToBF(b)));
}

export function sub(a: RegoNumber, b: RegoNumber): RegoNumber {
  if (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
    const r = a - b;
    if (Number.isSafeInteger(r)) return intZero(r);
    return fromInt(BigInt(a) - BigInt(b));
  }
  if (isInteger(a) && isInteger(b)) return fromInt(toBigInt(a) - toBigInt(b));
  return bfToNumber(bfAdd(numToBF(a), numToBF(b), true));
}

export function mul(a: RegoNumber, b: RegoNumber): RegoNumber {
  if (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
    const r = a * b;
    if (Number.isSafeInteger(r)) return intZero(r);
    return fromInt(BigInt(a) * BigInt(b));
  }
  if (isInteger(a) && isInteger(b)) return fromInt(toBigInt(a) * toBigInt(b));
  return bfToNumber(bfMul(numToBF(a), numToBF(b)));
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
function isSmallInt(n: RegoNumber): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX;
}

/** a / b. Throws eval_builtin_error "div: divide by zero". */
export function div(a: RegoNumber, b: RegoNumber): RegoNumber {
  if (isSmallInt(a) && isSmallInt(b)) {
    if (b === 0) throw builtinError('div', 'divide by zero');
    if (a !== 0 && a % b === 0) return intZero(a / b);
  }
  const y = numToBF(b);
  if (y.mant === 0n) throw builtinError('div', 'divide by zero');
  // Exact integer quotients of safe integers need no float detour (the 64-bit result is exact).
  if (
    typeof a === 'number' &&
    typeof b === 'number' &&
    Number.isSafeInteger(a) &&
    Number.isSafeInteger(b) &&
    a !== 0 &&
    a % b === 0
  ) {
    return intZero(a / b);
  }
  return bfToNumber(bfQuo(numToBF(a), y));
}

/** a % b on integers (sign of the dividend). Errors as OPA: "modulo by zero", "modulo on floating-point number". */
export function rem(a: RegoNumber, b: RegoNumber): RegoNumber {
  if (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
    if (b === 0) throw builtinError('rem', 'modulo by zero');
    return intZero(a % b);
  }
  if (isInteger(a) && isInteger(b)) {
    const y = toBigInt(b);
    if (y === 0n) throw builtinError('rem', 'modulo by zero');
    return fromInt(toBigInt(a) % y);
  }
  throw builtinError('rem', 'modulo on floating-point number');
}

/** Unary minus (0 - x, as Rego's `-x` on a non-literal is `minus(0, x)`). */
export function neg(a: RegoNumber): RegoNumber {
  return sub(0, a);
}

function unary(a: RegoNumber, small: (x: number) => number, float: (x: BF) => BF): RegoNumber {
  // OPA's small-int path covers the int32 window; every other safe integer gives the same
  // result through the 64-bit float path, so it is computed exactly here.
  if (typeof a === 'number' && Number.isSafeInteger(a)) return intZero(small(a));
  return bfToNumber(float(numToBF(a)));
}

const BF_HALF: BF = { neg: false, mant: 1n, exp: -1, prec: 53 };
const BF_ONE: BF = { neg: false, mant: 1n, exp: 0, prec: 53 };

export function abs(a: RegoNumber): RegoNumber {
  return unary(a, Math.abs, (x) => ({ ...x, neg: false }));
}

/** Half away from zero. */
export function round(a: RegoNumber): RegoNumber {
  return unary(
    a,
    (x) => x,
    (x) => bfFromInt(bfTrunc(x.neg ? bfAdd(x, BF_HALF, true) : bfAdd(x, BF_HALF))),
  );
}

/**
 * OPA's ceil: truncate; if the truncation is negative or exact, that; else truncation + 1.
 * (So, as in OPA, ceil(-0.5) is 1.)
 */
export function ceil(a: RegoNumber): RegoNumber {
  return unary(
    a,
    (x) => x,
    (x) => {
      const f = bfFromInt(bfTrunc(x));
      if (f.neg || bfCmp(x, f) === 0) return f;
      return bfAdd(f, BF_ONE);
    },
  );
}

/** OPA's floor: truncate; if non-negative or exact, that; else truncation - 1 (so floor(-0.5) is 0). */
export function floor(a: RegoNumber): RegoNumber {
  return unary(
    a,
    (x) => x,
    (x) => {
      const f = bfFromInt(bfTrunc(x));
      if (!f.neg || bfCmp(x, f) === 0) return f;
      return bfAdd(f, BF_ONE, true);
    },
  );
}

function bfCmp(x: BF, y: BF): number {
  const d = bfAdd(x, y, true);
  if (d.mant === 0n) return 0;
  return d.neg ? -1 : 1;
}
