// Aggregates: count, sum, product, max, min, sort, all, any (OPA v1/topdown/aggregates.go).

import { ObjectValue, SetValue, compare, type Value } from '../value.ts';
import * as N from '../number.ts';
import { t, type Builtin } from './registry.ts';
import { elemErr, runeCount, runes, typeErr, type Num } from './util.ts';

const anyArray = t.arrayOf(t.any);
const anySet = t.setOf(t.any);

function collection(name: string, v: Value): readonly Value[] {
  if (Array.isArray(v)) return v as readonly Value[];
  if (v instanceof SetValue) return v.values();
  throw typeErr(name, 1, v, 'set', 'array');
}

function accumulate(name: string, v: Value, init: Num, op: (a: Num, b: Num) => Num): Num {
  const xs = collection(name, v);
  let acc: Num = init;
  for (const x of xs) {
    if (!N.isNumberValue(x)) throw elemErr(name, 1, v, x, 'number');
  }
  for (const x of xs) acc = op(acc, x as Num);
  return acc;
}

function truthy(name: string, v: Value): readonly Value[] {
  if (Array.isArray(v)) return v as readonly Value[];
  if (v instanceof SetValue) return v.values();
  throw typeErr(name, 1, v, 'array', 'set');
}

export const builtins: Builtin[] = [
  {
    name: 'count',
    args: [t.anyOf(anySet, anyArray, t.objectOf(t.any, t.any), t.string)],
    result: t.number,
    description: 'Count takes a collection or string and returns the number of elements (or characters) in it.',
    fn: ([x]) => {
      if (Array.isArray(x)) return x.length;
      if (x instanceof ObjectValue || x instanceof SetValue) return x.size;
      if (typeof x === 'string') return runeCount(x);
      throw typeErr('count', 1, x, 'array', 'object', 'set', 'string');
    },
  },
  {
    name: 'sum',
    args: [t.anyOf(t.setOf(t.number), t.arrayOf(t.number))],
    result: t.number,
    description: 'Sums elements of an array or set of numbers.',
    fn: ([x]) => accumulate('sum', x, 0, N.add),
  },
  {
    name: 'product',
    args: [t.anyOf(t.setOf(t.number), t.arrayOf(t.number))],
    result: t.number,
    description: 'Multiplies elements of an array or set of numbers',
    fn: ([x]) => accumulate('product', x, 1, N.mul),
  },
  {
    name: 'max',
    args: [t.anyOf(anySet, anyArray)],
    result: t.any,
    description: 'Returns the maximum value in a collection.',
    fn: ([x]) => {
      const xs = collection('max', x);
      if (xs.length === 0) return undefined;
      let m = xs[0];
      for (const e of xs) if (compare(m, e) <= 0) m = e;
      return m;
    },
  },
  {
    name: 'min',
    args: [t.anyOf(anySet, anyArray)],
    result: t.any,
    description: 'Returns the minimum value in a collection.',
    fn: ([x]) => {
      const xs = collection('min', x);
      if (xs.length === 0) return undefined;
      let m = xs[0];
      for (const e of xs) if (compare(m, e) >= 0) m = e;
      return m;
    },
  },
  {
    name: 'sort',
    args: [t.anyOf(anyArray, anySet)],
    result: anyArray,
    description: 'Returns a sorted array.',
    fn: ([x]) => {
      if (Array.isArray(x)) return [...(x as readonly Value[])].sort(compare);
      if (x instanceof SetValue) return x.values().slice();
      throw typeErr('sort', 1, x, 'set', 'array');
    },
  },
  {
    name: 'all',
    args: [t.anyOf(anySet, anyArray)],
    result: t.boolean,
    deprecated: true,
    fn: ([x]) => truthy('all', x).every((e) => e === true),
  },
  {
    name: 'any',
    args: [t.anyOf(anySet, anyArray)],
    result: t.boolean,
    deprecated: true,
    fn: ([x]) => truthy('any', x).some((e) => e === true),
  },
];
