// Conversions: to_number; deprecated cast_array, cast_set, cast_string, cast_boolean, cast_null,
// cast_object (OPA v1/topdown/casts.go).

import { ObjectValue, SetValue, type Value } from '../value.ts';
import * as N from '../number.ts';
import { t, type Builtin } from './registry.ts';
import { builtinErr, typeErr } from './util.ts';

/** Go's strconv.ParseFloat decimal syntax (hex floats and underscores are not accepted here). */
const GO_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function goQuote(s: string): string {
  return JSON.stringify(s);
}

export function toNumber(v: Value): Value {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (N.isNumberValue(v)) return v;
  if (typeof v === 'string') {
    const lower = v.replace(/^[+-]+/, '').toLowerCase();
    if (lower === 'inf' || lower === 'infinity' || lower === 'nan') throw typeErr('to_number', 1, v, 'valid number string');
    if (!GO_FLOAT.test(v)) {
      throw builtinErr('to_number', `strconv.ParseFloat: parsing ${goQuote(v)}: invalid syntax`);
    }
    if (!Number.isFinite(Number(v))) {
      throw builtinErr('to_number', `strconv.ParseFloat: parsing ${goQuote(v)}: value out of range`);
    }
    let text = v.startsWith('+') ? v.slice(1) : v;
    text = text.replace(/^(-?)\./, '$10.').replace(/\.(?=[eE]|$)/, '');
    return N.parseNumber(text);
  }
  throw typeErr('to_number', 1, v, 'null', 'boolean', 'number', 'string');
}

function cast(name: string, result: Builtin['result'], f: (v: Value) => Value): Builtin {
  return { name, args: [t.any], result, deprecated: true, fn: ([v]) => f(v) };
}

export const builtins: Builtin[] = [
  {
    name: 'to_number',
    args: [t.anyOf(t.number, t.string, t.boolean, t.null)],
    result: t.number,
    description:
      'Converts a string, bool, or number value to a number: Strings are converted to numbers using `strconv.Atoi`, Boolean `false` is converted to 0 and `true` is converted to 1.',
    fn: ([v]) => toNumber(v),
  },
  cast('cast_array', t.arrayOf(t.any), (v) => {
    if (Array.isArray(v)) return v;
    if (v instanceof SetValue) return v.values().slice();
    throw typeErr('cast_array', 1, v, 'array', 'set');
  }),
  cast('cast_set', t.setOf(t.any), (v) => {
    if (Array.isArray(v)) return SetValue.from(v);
    if (v instanceof SetValue) return v;
    throw typeErr('cast_set', 1, v, 'array', 'set');
  }),
  cast('cast_string', t.string, (v) => {
    if (typeof v === 'string') return v;
    throw typeErr('cast_string', 1, v, 'string');
  }),
  cast('cast_boolean', t.boolean, (v) => {
    if (typeof v === 'boolean') return v;
    throw typeErr('cast_boolean', 1, v, 'boolean');
  }),
  cast('cast_null', t.null, (v) => {
    if (v === null) return v;
    throw typeErr('cast_null', 1, v, 'null');
  }),
  cast('cast_object', t.objectOf(t.any, t.any), (v) => {
    if (v instanceof ObjectValue) return v;
    throw typeErr('cast_object', 1, v, 'object');
  }),
];
