import { describe, expect, it } from 'vitest';
import { builtins as objects } from './objects.ts';
import { builtins as jsonpatch } from './jsonpatch.ts';
import { builtins as walk } from './walk.ts';
import { caller } from './testutil.ts';
import { ObjectValue, SetValue, equal, type Value } from '../value.ts';

const call = caller([...objects, ...jsonpatch, ...walk]);
const O = (rec: Record<string, Value>) => ObjectValue.fromRecord(rec);
const S = (...xs: Value[]) => SetValue.from(xs);
const eq = (a: Value | undefined, b: Value) => expect(a !== undefined && equal(a, b)).toBe(true);

describe('objects', () => {
  it('get', () => {
    expect(call('object.get', O({ a: 1 }), 'a', 0)).toBe(1);
    expect(call('object.get', O({ a: 1 }), 'b', 0)).toBe(0);
    expect(call('object.get', O({ a: [O({ b: true })] }), ['a', 0, 'b'], false)).toBe(true);
    eq(call('object.get', O({ a: 1 }), [], 0), O({ a: 1 }));
    expect(() => call('object.get', 'x', 'a', 0)).toThrow('object.get: operand 1 must be object but got string');
  });
  it('union / union_n', () => {
    eq(call('object.union', O({ a: 1, c: O({ d: 3 }) }), O({ a: 7, c: O({ e: 5 }) })), O({ a: 7, c: O({ d: 3, e: 5 }) }));
    eq(call('object.union_n', [O({ a: O({ b: 2 }) }), O({ a: 4 }), O({ a: O({ c: 3 }) })]), O({ a: O({ c: 3 }) }));
    eq(call('object.union_n', [O({ a: 1 }), O({ b: 2 }), O({ a: 3 })]), O({ a: 3, b: 2 }));
  });
  it('remove / filter / keys', () => {
    eq(call('object.remove', O({ a: 1, b: 2 }), ['a']), O({ b: 2 }));
    eq(call('object.filter', O({ a: 1, b: 2 }), S('a')), O({ a: 1 }));
    eq(call('object.keys', O({ a: 1, b: 2 })), S('a', 'b'));
    expect(() => call('object.remove', O({}), 'a')).toThrow(
      'object.remove: operand 2 must be one of {object, set, array} but got string',
    );
  });
  it('subset', () => {
    expect(call('object.subset', O({ a: 'b', c: O({ x: S(10, 15, 20, 25) }) }), O({ c: O({ x: S(10, 15) }) }))).toBe(true);
    expect(call('object.subset', [1, 2, 3, 4], [2, 3])).toBe(true);
    expect(call('object.subset', [1, 2, 3, 4], [2, 4])).toBe(false);
    expect(call('object.subset', [1, 2, 3], S(3, 1))).toBe(true);
    expect(() => call('object.subset', 1, 2)).toThrow('object.subset: both arguments object.subset must be of the same type or array and set');
  });
});

describe('json', () => {
  it('filter / remove', () => {
    eq(call('json.filter', O({ a: O({ b: 'x', c: 'y' }) }), ['a/b']), O({ a: O({ b: 'x' }) }));
    eq(call('json.remove', O({ a: O({ b: 'x', c: 'y' }) }), ['a/b']), O({ a: O({ c: 'y' }) }));
    eq(call('json.remove', O({ a: [1, 2, 3] }), [['a', 1]]), O({ a: [1, 2, 3] }));
    eq(call('json.remove', O({ a: [1, 2, 3] }), ['a/1']), O({ a: [1, 3] }));
    expect(() => call('json.remove', O({}), 'a')).toThrow('json.remove: operand 2 must be one of {set, array} but got string');
    expect(() => call('json.remove', O({}), [1])).toThrow(
      'json.remove: operand 2 must be one of {set, array} containing string paths or array of path segments but got number',
    );
  });
  it('patch', () => {
    const p = (op: Record<string, Value>) => O(op);
    eq(call('json.patch', O({ a: O({ foo: 1 }) }), [p({ op: 'add', path: '/a/bar', value: 2 })]), O({ a: O({ foo: 1, bar: 2 }) }));
    eq(call('json.patch', [1, 2], [p({ op: 'add', path: '/-', value: 3 })]), [1, 2, 3]);
    expect(call('json.patch', [1, 2], [p({ op: 'add', path: '/3', value: 3 })])).toBeUndefined();
    expect(call('json.patch', ['a'], [p({ op: 'test', path: '/00', value: 'a' })])).toBeUndefined();
    eq(call('json.patch', O({ foo: S('a', 'b') }), [p({ op: 'remove', path: 'foo/b' })]), O({ foo: S('a') }));
    eq(call('json.patch', S([1]), [p({ op: 'add', path: [[1], 1], value: 2 })]), S([1, 2]));
    eq(
      call('json.patch', O({ foo: S('a', 'b'), bar: S('c') }), [p({ op: 'move', from: 'foo/a', path: 'bar/a' })]),
      O({ foo: S('b'), bar: S('a', 'c') }),
    );
    expect(call('json.patch', O({ foo: S('a') }), [p({ op: 'add', path: 'foo/d', value: 'e' })])).toBeUndefined();
  });
});

describe('walk', () => {
  it('pre-order pairs', () => {
    const out = call('walk', O({ a: [1] })) as Value[];
    expect(out.length).toBe(3);
    eq(out[0], [[], O({ a: [1] })]);
    eq(out[1], [['a'], [1]]);
    eq(out[2], [['a', 0], 1]);
  });
});
