// sprintf with Go's fmt.Sprintf semantics, as OPA calls it (v1/topdown/strings.go builtinSprintf):
// each operand becomes a Go value first — an integer number an `int` (or a `*big.Int` beyond
// int64), another number a `float64`, a string a `string`, and anything else the *string* of its
// Rego text — and then fmt formats it, including fmt's error texts ("%!d(string=x)",
// "%!v(MISSING)", "%!(EXTRA int=1)").

import { isNumber, type Value } from '../value.ts';
import * as N from '../number.ts';
import { formatValue, goQuote } from '../format.ts';
import { t, type Builtin } from './registry.ts';
import { str, typeErr } from './util.ts';

type GoArg =
  | { k: 'int'; v: bigint }
  | { k: 'big'; v: bigint }
  | { k: 'float'; v: number }
  | { k: 'string'; v: string };

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

export function toGoArg(v: Value): GoArg {
  if (typeof v === 'string') return { k: 'string', v };
  if (isNumber(v)) {
    if (typeof v === 'number') {
      if (Number.isInteger(v)) return { k: 'int', v: BigInt(v) };
      return { k: 'float', v };
    }
    if (typeof v === 'bigint') return v >= INT64_MIN && v <= INT64_MAX ? { k: 'int', v } : { k: 'big', v };
    // BigDecimal: OPA goes by the number's text (json.Number): integer syntax → int, else float64,
    // and a float64 overflow prints the text as it is.
    if (/^-?\d+$/.test(v.toString()) && N.isInteger(v)) {
      const b = N.toBigInt(v);
      return b >= INT64_MIN && b <= INT64_MAX ? { k: 'int', v: b } : { k: 'big', v: b };
    }
    const f = N.toNumber(v);
    if (Number.isFinite(f)) return { k: 'float', v: f };
    return { k: 'string', v: v.toString() };
  }
  return { k: 'string', v: formatValue(v) };
}

function goTypeName(a: GoArg): string {
  switch (a.k) {
    case 'int':
      return 'int';
    case 'big':
      return '*big.Int';
    case 'float':
      return 'float64';
    case 'string':
      return 'string';
  }
}

interface Spec {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number; // -1 = none
  prec: number; // -1 = none
}

function runeLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** fmt's pad: width in runes; zero padding goes after a leading sign. */
function pad(s: string, f: Spec, allowZero = true): string {
  if (f.width < 0) return s;
  const n = runeLen(s);
  if (n >= f.width) return s;
  const fill = f.width - n;
  if (f.minus) return s + ' '.repeat(fill);
  if (f.zero && allowZero) {
    const sign = s[0] === '-' || s[0] === '+' || s[0] === ' ' ? s[0] : '';
    return sign + '0'.repeat(fill) + s.slice(sign.length);
  }
  return ' '.repeat(fill) + s;
}

// ---- integers ----

function fmtInteger(x: bigint, base: number, verb: string, f: Spec): string {
  const neg = x < 0n;
  let digits = (neg ? -x : x).toString(base);
  if (verb === 'X') digits = digits.toUpperCase();
  if (f.prec >= 0) {
    if (f.prec === 0 && x === 0n) digits = '';
    else if (digits.length < f.prec) digits = '0'.repeat(f.prec - digits.length) + digits;
  }
  let prefix = '';
  if (f.sharp) {
    if (base === 2) prefix = '0b';
    else if (base === 8 && digits[0] !== '0') prefix = '0';
    else if (base === 16) prefix = verb === 'X' ? '0X' : '0x';
  }
  if (verb === 'O') prefix = '0o';
  const sign = neg ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  const body = prefix + digits;
  // Zero padding only without a precision.
  if (f.zero && !f.minus && f.prec < 0 && f.width > 0) {
    const n = sign.length + body.length;
    if (n < f.width) return sign + prefix + '0'.repeat(f.width - n) + digits;
  }
  return pad(sign + body, f, false);
}

function fmtChar(x: bigint): string {
  const cp = x < 0n || x > 0x10ffffn || (x >= 0xd800n && x <= 0xdfffn) ? 0xfffd : Number(x);
  return String.fromCodePoint(cp);
}

function quoteRune(x: bigint): string {
  const c = fmtChar(x);
  if (c === "'") return "'\\''";
  if (c === '"') return `'"'`;
  const q = goQuote(c);
  return "'" + q.slice(1, -1) + "'";
}

function fmtUnicode(x: bigint, f: Spec): string {
  let hex = (x < 0n ? -x : x).toString(16).toUpperCase();
  const p = f.prec >= 0 ? Math.max(f.prec, 4) : 4;
  if (hex.length < p) hex = '0'.repeat(p - hex.length) + hex;
  let s = 'U+' + hex;
  if (f.sharp && x >= 0n && x <= 0x10ffffn) s += " '" + fmtChar(x) + "'";
  return pad(s, f, false);
}

// ---- floats ----

/** Exact decimal expansion of a finite double: digits (no leading zeros) and the decimal point position. */
function exactDecimal(x: number): { digits: string; dp: number } {
  x = Math.abs(x);
  if (x === 0) return { digits: '0', dp: 1 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (expBits === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  let digits: string;
  let dp: number;
  if (e >= 0) {
    digits = (mant << BigInt(e)).toString();
    dp = digits.length;
  } else {
    const k = -e;
    digits = (mant * 5n ** BigInt(k)).toString();
    dp = digits.length - k;
  }
  const stripped = digits.replace(/0+$/, '');
  return { digits: stripped === '' ? '0' : stripped, dp };
}

/** Rounds decimal digits to n significant digits, half to even (on the exact value). */
function roundDigits(d: { digits: string; dp: number }, n: number): { digits: string; dp: number } {
  if (n < 0) return { digits: '', dp: d.dp };
  if (d.digits.length <= n) return d;
  const keep = d.digits.slice(0, n);
  const next = d.digits.charCodeAt(n) - 48;
  const rest = d.digits.slice(n + 1);
  let up = false;
  if (next > 5) up = true;
  else if (next === 5) {
    if (/[1-9]/.test(rest)) up = true;
    else up = n > 0 ? (keep.charCodeAt(n - 1) - 48) % 2 === 1 : false;
  }
  if (!up) return { digits: trimZeros(keep), dp: d.dp };
  // increment
  const arr = keep.split('').map((c) => c.charCodeAt(0) - 48);
  let i = arr.length - 1;
  while (i >= 0) {
    if (arr[i] < 9) {
      arr[i]++;
      break;
    }
    arr[i] = 0;
    i--;
  }
  if (i < 0) return { digits: trimZeros('1' + arr.join('')), dp: d.dp + 1 };
  return { digits: trimZeros(arr.join('')), dp: d.dp };
}

function trimZeros(s: string): string {
  const t = s.replace(/0+$/, '');
  return t === '' ? '0' : t;
}

/** Shortest round-trip digits of a double (same as Go's shortest formatting). */
function shortestDecimal(x: number): { digits: string; dp: number } {
  x = Math.abs(x);
  if (x === 0) return { digits: '0', dp: 1 };
  const s = x.toExponential(); // d.ddde±x
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s)!;
  const digits = (m[1] + (m[2] ?? '')).replace(/0+$/, '') || '0';
  return { digits, dp: parseInt(m[3], 10) + 1 };
}

function digitAt(d: { digits: string }, i: number): string {
  return i >= 0 && i < d.digits.length ? d.digits[i] : '0';
}

function fmtE(d: { digits: string; dp: number }, prec: number, upper: boolean, sharp: boolean): string {
  // prec = digits after the point
  let s = digitAt(d, 0);
  if (prec > 0 || sharp) s += '.';
  for (let i = 1; i <= prec; i++) s += digitAt(d, i);
  const exp = d.digits === '0' ? 0 : d.dp - 1;
  const ae = Math.abs(exp);
  s += (upper ? 'E' : 'e') + (exp < 0 ? '-' : '+') + (ae < 10 ? '0' : '') + ae;
  return s;
}

function fmtF(d: { digits: string; dp: number }, prec: number, sharp: boolean): string {
  let s = '';
  if (d.dp > 0) for (let i = 0; i < d.dp; i++) s += digitAt(d, i);
  else s = '0';
  if (prec > 0 || sharp) s += '.';
  for (let i = 0; i < prec; i++) s += digitAt(d, d.dp + i);
  return s;
}

/** strconv.FormatFloat(x, verb, prec, 64) for e, E, f, F, g, G (sign excluded). */
function formatFloatAbs(x: number, verb: string, prec: number, sharp: boolean): string {
  const shortest = prec < 0;
  let d: { digits: string; dp: number };
  switch (verb) {
    case 'e':
    case 'E': {
      if (shortest) {
        d = shortestDecimal(x);
        return fmtE(d, d.digits.length - 1, verb === 'E', sharp);
      }
      d = roundDigits(exactDecimal(x), prec + 1);
      return fmtE(d, prec, verb === 'E', sharp);
    }
    case 'f':
    case 'F': {
      if (shortest) {
        d = shortestDecimal(x);
        return fmtF(d, Math.max(d.digits.length - d.dp, 0), sharp);
      }
      const ex = exactDecimal(x);
      d = roundDigits(ex, ex.dp + prec);
      if (d.digits === '') d = { digits: '0', dp: 1 };
      return fmtF(d, prec, sharp);
    }
    default: {
      // g, G (strconv's rules; '#' is not specially handled)
      let eprec: number;
      if (shortest) {
        d = shortestDecimal(x);
        prec = d.digits.length;
        eprec = 6;
      } else {
        if (prec === 0) prec = 1;
        d = roundDigits(exactDecimal(x), prec);
        eprec = prec;
        if (eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length;
      }
      const exp = d.dp - 1;
      const upper = verb === 'G';
      if (exp < -4 || exp >= eprec) {
        if (prec > d.digits.length) prec = d.digits.length;
        return fmtE(d, prec - 1, upper, sharp);
      }
      if (prec > d.dp) prec = d.digits.length;
      return fmtF(d, Math.max(prec - d.dp, 0), sharp);
    }
  }
}

function fmtFloat(x: number, verb: string, f: Spec): string {
  let prec = f.prec;
  if (verb === 'v') verb = 'g';
  else if (prec < 0 && (verb === 'e' || verb === 'E' || verb === 'f' || verb === 'F')) prec = 6;
  const neg = x < 0 || Object.is(x, -0);
  const body = formatFloatAbs(x, verb, prec, f.sharp);
  const sign = neg ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  if (f.zero && !f.minus && f.width > 0) {
    const n = sign.length + body.length;
    if (n < f.width) return sign + '0'.repeat(f.width - n) + body;
  }
  return pad(sign + body, f, false);
}

// ---- strings ----

function truncate(s: string, f: Spec): string {
  if (f.prec < 0) return s;
  const r = Array.from(s);
  return r.length > f.prec ? r.slice(0, f.prec).join('') : s;
}

function fmtHexString(s: string, upper: boolean, f: Spec): string {
  let bytes = Array.from(new TextEncoder().encode(s));
  if (f.prec >= 0 && bytes.length > f.prec) bytes = bytes.slice(0, f.prec);
  const hx = (b: number) => {
    const h = b.toString(16).padStart(2, '0');
    return upper ? h.toUpperCase() : h;
  };
  const pre = upper ? '0X' : '0x';
  let out = '';
  if (bytes.length === 0) return pad('', f);
  for (let i = 0; i < bytes.length; i++) {
    if (f.space && i > 0) out += ' ';
    if (f.sharp && (f.space || i === 0)) out += pre;
    out += hx(bytes[i]);
  }
  return pad(out, f);
}

function backquotable(s: string): boolean {
  for (const c of s) {
    const r = c.codePointAt(0)!;
    if (c === '`' || r === 0xfeff || (r < 0x20 && r !== 0x09) || r === 0x7f) return false;
  }
  return true;
}

function quoteASCII(s: string): string {
  const q = goQuote(s);
  let out = '';
  for (const c of q) {
    const r = c.codePointAt(0)!;
    if (r < 0x80) out += c;
    else if (r < 0x10000) out += '\\u' + r.toString(16).padStart(4, '0');
    else out += '\\U' + r.toString(16).padStart(8, '0');
  }
  return out;
}

function fmtString(s: string, verb: string, f: Spec): string | undefined {
  switch (verb) {
    case 'v':
    case 's':
      return pad(truncate(s, f), f);
    case 'q': {
      const x = truncate(s, f);
      if (f.sharp && backquotable(x)) return pad('`' + x + '`', f);
      return pad(f.plus ? quoteASCII(x) : goQuote(x), f);
    }
    case 'x':
      return fmtHexString(s, false, f);
    case 'X':
      return fmtHexString(s, true, f);
  }
  return undefined;
}

// ---- the printer ----

function printArg(a: GoArg, verb: string, f: Spec): string {
  if (verb === 'T') return pad(goTypeName(a), f);
  switch (a.k) {
    case 'int':
      switch (verb) {
        case 'v':
        case 'd':
          return fmtInteger(a.v, 10, verb, f);
        case 'b':
          return fmtInteger(a.v, 2, verb, f);
        case 'o':
        case 'O':
          return fmtInteger(a.v, 8, verb, f);
        case 'x':
        case 'X':
          return fmtInteger(a.v, 16, verb, f);
        case 'c':
          return pad(fmtChar(a.v), f);
        case 'q':
          return pad(quoteRune(a.v), f);
        case 'U':
          return fmtUnicode(a.v, f);
      }
      return badVerb(a, verb, f);
    case 'big':
      switch (verb) {
        case 'b':
          return fmtInteger(a.v, 2, verb, f);
        case 'o':
        case 'O':
          return fmtInteger(a.v, 8, verb, f);
        case 'd':
        case 's':
        case 'v':
          return fmtInteger(a.v, 10, verb, f);
        case 'x':
        case 'X':
          return fmtInteger(a.v, 16, verb, f);
      }
      return `%!${verb}(big.Int=${a.v.toString()})`;
    case 'float':
      switch (verb) {
        case 'v':
        case 'e':
        case 'E':
        case 'f':
        case 'F':
        case 'g':
        case 'G':
          return fmtFloat(a.v, verb, f);
        case 'x':
        case 'X':
        case 'b':
          return fmtFloat(a.v, 'g', f);
      }
      return badVerb(a, verb, f);
    case 'string': {
      const r = fmtString(a.v, verb, f);
      return r === undefined ? badVerb(a, verb, f) : r;
    }
  }
}

function badVerb(a: GoArg, verb: string, f: Spec): string {
  return `%!${verb}(${goTypeName(a)}=${printArg(a, 'v', f)})`;
}

const NO_FLAGS: Spec = { plus: false, minus: false, sharp: false, space: false, zero: false, width: -1, prec: -1 };

/** Go's fmt.Sprintf over converted operands. */
export function goSprintf(format: string, args: GoArg[]): string {
  let out = '';
  let argNum = 0;
  const n = format.length;
  let i = 0;
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const f: Spec = { ...NO_FLAGS };
    // flags
    flags: for (; i < n; i++) {
      switch (format[i]) {
        case '#':
          f.sharp = true;
          break;
        case '0':
          f.zero = true;
          break;
        case '+':
          f.plus = true;
          break;
        case '-':
          f.minus = true;
          break;
        case ' ':
          f.space = true;
          break;
        default:
          break flags;
      }
    }
    // width
    if (format[i] === '*') {
      i++;
      const a = args[argNum];
      if (a !== undefined && a.k === 'int') {
        argNum++;
        let w = Number(a.v);
        if (w < 0) {
          f.minus = true;
          w = -w;
        }
        f.width = w;
      } else {
        if (a !== undefined) argNum++;
        out += '%!(BADWIDTH)';
      }
    } else {
      let w = '';
      while (i < n && format[i] >= '0' && format[i] <= '9') w += format[i++];
      if (w !== '') f.width = parseInt(w, 10);
    }
    // precision
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        i++;
        const a = args[argNum];
        if (a !== undefined && a.k === 'int' && a.v >= 0n) {
          argNum++;
          f.prec = Number(a.v);
        } else {
          if (a !== undefined) argNum++;
          out += '%!(BADPREC)';
        }
      } else {
        let p = '';
        while (i < n && format[i] >= '0' && format[i] <= '9') p += format[i++];
        f.prec = p === '' ? 0 : parseInt(p, 10);
      }
    }
    if (f.minus) f.zero = false;
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    const a = args[argNum];
    if (a === undefined) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    argNum++;
    out += printArg(a, verb, f);
  }
  if (argNum < args.length) {
    out += '%!(EXTRA ';
    for (let j = argNum; j < args.length; j++) {
      if (j > argNum) out += ', ';
      out += goTypeName(args[j]) + '=' + printArg(args[j], 'v', NO_FLAGS);
    }
    out += ')';
  }
  return out;
}

export const builtins: Builtin[] = [
  {
    name: 'sprintf',
    args: [t.string, t.arrayOf(t.any)],
    result: t.string,
    description: 'Returns the given string, formatted.',
    fn: ([fmt, values]) => {
      const format = str('sprintf', fmt, 1);
      if (!Array.isArray(values)) throw typeErr('sprintf', 2, values, 'array');
      return goSprintf(format, (values as readonly Value[]).map(toGoArg));
    },
  },
];
