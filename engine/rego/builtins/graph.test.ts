import { describe, expect, it } from 'vitest';
import { ObjectValue, SetValue, type Value } from '../value.ts';
import { builtins } from './graph.ts';
import { caller } from './testutil.ts';

const call = caller(builtins);
const graph = (o: Record<string, string[]>): ObjectValue => ObjectValue.fromRecord(Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v])));
const vals = (v: Value | undefined): Value[] => (v as SetValue).values();

describe('graph.reachable', () => {
  it('walks arrays and sets; unknown vertices are ignored', () => {
    const g = graph({ a: ['b'], b: ['c', 'zz'], c: [] });
    expect(vals(call('graph.reachable', g, ['a']))).toEqual(['a', 'b', 'c']);
    expect(vals(call('graph.reachable', g, SetValue.from(['c', 'nope'])))).toEqual(['c']);
  });
  it('type errors', () => {
    expect(() => call('graph.reachable', 1, [])).toThrow('graph.reachable: operand 1 must be object but got number');
    expect(() => call('graph.reachable', graph({}), 'a')).toThrow('graph.reachable: operand 2 must be {array, set} but got string');
  });
});

describe('graph.reachable_paths', () => {
  it('shares the reached set across sibling branches of one start edge', () => {
    const g = graph({ one: ['two'], two: ['three', 'four'], three: ['four'], four: [] });
    expect(vals(call('graph.reachable_paths', g, ['one']))).toEqual([
      ['one', 'two', 'four'],
      ['one', 'two', 'three', 'four'],
    ]);
  });
  it('a vertex with no edges is a path of itself', () => {
    expect(vals(call('graph.reachable_paths', graph({ a: [] }), ['a']))).toEqual([['a']]);
  });
});
