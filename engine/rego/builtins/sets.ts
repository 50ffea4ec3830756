// Set built-ins: intersection, union, set_diff (deprecated) (OPA v1/topdown/sets.go).
// The infix `&`, `|` and `-` operators live in core.ts.

import { SetValue, type Value } from '../value.ts';
import { t, type Builtin } from './registry.ts';
import { set } from './util.ts';

const anySet = t.setOf(t.any);

export function setIntersect(a: SetValue, b: SetValue): SetValue {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  const out = new SetValue();
  for (const [k, v] of small.map) if (big.map.has(k)) out.add(v);
  return out;
}

export function setUnion(a: SetValue, b: SetValue): SetValue {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  const out = new SetValue();
  for (const v of a.map.values()) out.add(v);
  for (const v of b.map.values()) out.add(v);
  return out;
}

export function setDiff(a: SetValue, b: SetValue): SetValue {
  const out = new SetValue();
  for (const [k, v] of a.map) if (!b.map.has(k)) out.add(v);
  return out;
}

export const builtins: Builtin[] = [
  {
    name: 'intersection',
    args: [t.setOf(anySet)],
    result: anySet,
    description: 'Returns the intersection of the given input sets.',
    fn: ([xs]) => {
      const input = set('intersection', xs, 1);
      if (input.size === 0) return new SetValue();
      let result: SetValue | undefined;
      for (const x of input.values()) {
        const s = set('intersection', x, 1);
        result = result === undefined ? s : setIntersect(result, s);
      }
      return result as Value;
    },
  },
  {
    name: 'union',
    args: [t.setOf(anySet)],
    result: anySet,
    description: 'Returns the union of the given input sets.',
    fn: ([xs]) => {
      const input = set('union', xs, 1);
      const out = new SetValue();
      for (const x of input.values()) {
        const s = set('union', x, 1);
        for (const v of s.map.values()) out.add(v);
      }
      return out;
    },
  },
  {
    name: 'set_diff',
    args: [anySet, anySet],
    result: anySet,
    deprecated: true,
    fn: ([a, b]) => setDiff(set('set_diff', a, 1), set('set_diff', b, 2)),
  },
];
