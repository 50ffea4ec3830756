// Operand helpers shared by the built-in modules (built-ins A), with OPA's exact error texts
// (v1/topdown/builtins/builtins.go). Unlike registry.operandTypeError, the expected types are
// listed in the order given, as OPA does ("must be one of {string, set, array}").

import { RegoError } from '../errors.ts';
import { ObjectValue, SetValue, typeName, isNumber, type Value } from '../value.ts';
import type { BuiltinContext } from './registry.ts';

export type Num = N.RegoNumber;

/** eval_type_error "NAME: operand POS must be WANT but got GOT" (order of `want` kept). */
export function typeErr(name: string, pos: number, got: Value, ...want: string[]): RegoError {
  const w = want.length === 1 ? want[0] : `one of {${want.join(', ')}}`;
  return new RegoError('eval_type_error', `${name}: operand ${pos} must be ${w} but got ${typeName(got)}`);
}

/** eval_type_error "NAME: operand POS must be array of strings but got array containing number". */
export function elemErr(name: string, pos: number, composite: Value, got: Value, ...want: string[]): RegoError {
  const tpe = typeName(composite);
  const msg =
    want.length === 1
      ? `must be ${tpe} of ${want[0]}s but got ${tpe} containing ${typeName(got)}`
      : `must be ${tpe} of (any of) {${want.join(', ')}} but got ${tpe} containing ${typeName(got)}`;
  return new RegoError('eval_type_error', `${name}: operand ${pos} ${msg}`);
}

/** eval_type_error "NAME: operand POS MSG" (OPA's NewOperandErr). */
export function operandErr(name: string, pos: number, msg: string): RegoError {
  return new RegoError('eval_type_error', `${name}: operand ${pos} ${msg}`);
}

/** eval_type_error "NAME: MSG" (a bare builtins.ErrOperand). */
export function plainTypeErr(name: string, msg: string): RegoError {
  return new RegoError('eval_type_error', `${name}: ${msg}`);
}

/** eval_builtin_error "NAME: MSG" (any other Go error returned by a built-in). */
export function builtinErr(name: string, msg: string): RegoError {
  return new RegoError('eval_builtin_error', `${name}: ${msg}`);
}

export function str(name: string, v: Value, pos: number): string {
  if (typeof v !== 'string') throw typeErr(name, pos, v, 'string');
  return v;
}

export function num(name: string, v: Value, pos: number): Num {
  if (!isNumber(v)) throw typeErr(name, pos, v, 'number');
  return v;
}

export function arr(name: string, v: Value, pos: number): readonly Value[] {
  if (!Array.isArray(v)) throw typeErr(name, pos, v, 'array');
  return v as readonly Value[];
}

export function obj(name: string, v: Value, pos: number): ObjectValue {
  if (!(v instanceof ObjectValue)) throw typeErr(name, pos, v, 'object');
  return v;
}

export function set(name: string, v: Value, pos: number): SetValue {
  if (!(v instanceof SetValue)) throw typeErr(name, pos, v, 'set');
  return v;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** An exact integer value as a bigint, or undefined when the number is not an integer. */
export function toBigInt(n: Num): bigint | undefined {
  if (typeof n === 'bigint') return n;
  if (typeof n === 'number' && Number.isSafeInteger(n)) return BigInt(n);
  return N.isInteger(n) ? N.toBigInt(n) : undefined;
}

/** A bigint as a runtime number (JS number when safe, else bigint). */
export function fromBigInt(b: bigint): number | bigint {
  return b <= MAX_SAFE && b >= -MAX_SAFE ? Number(b) : b;
}

/** OPA's IntOperand: an integer that fits a Go int (int64). */
export function intOperand(name: string, v: Value, pos: number): number {
  if (!isNumber(v)) throw typeErr(name, pos, v, 'number');
  const b = toBigInt(v);
  if (b === undefined || b < INT64_MIN || b > INT64_MAX) {
    throw operandErr(name, pos, 'must be integer number but got floating-point number');
  }
  // Values beyond 2^53 are clamped by JS numbers; they only serve as bounds/indexes here.
  return Number(b);
}

/** OPA's BigIntOperand: any integer. */
export function bigIntOperand(name: string, v: Value, pos: number): bigint {
  if (!isNumber(v)) throw typeErr(name, pos, v, 'integer');
  const b = toBigInt(v);
  if (b === undefined) throw operandErr(name, pos, 'must be integer number but got floating-point number');
  return b;
}

/** Iterates an array's or set's elements (in OPA's order). */
export function elements(v: readonly Value[] | SetValue): readonly Value[] {
  return v instanceof SetValue ? v.values() : v;
}

/** Code points of a string (OPA indexes strings by runes). */
export function runes(s: string): string[] {
  return Array.from(s);
}

/** The number of code points (Go runes) of a string, without allocating. */
export function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

export function isASCII(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Gets/creates a cached value in the per-evaluation cache. */
export function cached<T>(ctx: BuiltinContext, map: 'cache' | 'interCache', key: string, make: () => T): T {
  const m = ctx[map];
  const hit = m.get(key);
  if (hit !== undefined) return hit as T;
  const v = make();
  m.set(key, v);
  return v;
}

// ---- BigDecimal bridge (number.ts belongs to the values helper) ----
import * as N from '../number.ts';


/** Parses an integral decimal text ("12", "-1.000", "1e30", "1.5e1") into a bigint. */
export function bigIntFromText(s: string): bigint | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m) return undefined;
  let digits = (m[2] || '') + (m[3] || '');
  let exp = (m[4] ? parseInt(m[4], 10) : 0) - (m[3] ? m[3].length : 0);
  if (digits === '') return undefined;
  if (exp >= 0) {
    if (exp > 100000) return undefined;
    digits += '0'.repeat(exp);
  } else {
    const cut = digits.length + exp;
    const frac = cut > 0 ? digits.slice(cut) : digits;
    if (/[^0]/.test(frac)) return undefined;
    digits = cut > 0 ? digits.slice(0, cut) : '0';
  }
  const b = BigInt(digits);
  return m[1] === '-' ? -b : b;
}

/** The integer part of a number (truncated toward zero), exactly. */
export function truncBigInt(n: Num): bigint {
  if (typeof n === 'number') return BigInt(Math.trunc(n));
  if (typeof n === 'bigint') return n;
  const s = N.numberToString(n);
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m) return BigInt(Math.trunc(Number(s)));
  const int = m[2] || '';
  const frac = m[3] || '';
  const exp = m[4] ? parseInt(m[4], 10) : 0;
  const digits = int + frac;
  const point = int.length + exp; // digits before the decimal point
  let whole: string;
  if (point <= 0) whole = '0';
  else if (point >= digits.length) whole = digits + '0'.repeat(point - digits.length);
  else whole = digits.slice(0, point);
  const b = BigInt(whole === '' ? '0' : whole);
  return m[1] === '-' ? -b : b;
}
