import { describe, expect, it } from 'vitest';
import { builtins as core } from './core.ts';
import { builtins as aggregates } from './aggregates.ts';
import { builtins as bits } from './bits.ts';
import { builtins as numbers } from './numbers.ts';
import { builtins as casts } from './casts.ts';
import { builtins as types } from './types.ts';
import { builtins as arrays } from './arrays.ts';
import { builtins as sets } from './sets.ts';
import { caller } from './testutil.ts';
import { ObjectValue, SetValue } from '../value.ts';
import { parseNumber } from '../number.ts';

const call = caller([...core, ...aggregates, ...bits, ...numbers, ...casts, ...types, ...arrays, ...sets]);
const S = (...xs: any[]) => SetValue.from(xs);

describe('core operators', () => {
  it('comparisons', () => {
    expect(call('lt', 1, 2)).toBe(true);
    expect(call('gt', 'a', 1)).toBe(true);
    expect(call('equal', 1, parseNumber('1.0'))).toBe(true);
    expect(call('neq', [1], [1])).toBe(false);
    expect(call('lte', null, false)).toBe(true);
  });
  it('arithmetic', () => {
    expect(call('plus', 2147483647, 1)).toBe(2147483648);
    expect(call('plus', 18446744073709551617n, 1)).toBe(18446744073709551618n);
    expect(call('minus', S(1, 2, 3), S(2))).toEqual(S(1, 3));
    expect(call('div', 1, 4)).toBe(0.25);
    expect(call('rem', -17, 5)).toBe(-2);
    expect(call('round', -2.5)).toBe(-3);
    expect(() => call('div', 1, 0)).toThrow('divide by zero');
    expect(() => call('rem', 1.5, 1)).toThrow('modulo on floating-point number');
    expect(() => call('plus', 'a', 1)).toThrow('plus: operand 1 must be number but got string');
    expect(() => call('minus', 1, S())).toThrow('minus: operand 2 must be number but got set');
    expect(() => call('minus', S(), 1)).toThrow('minus: operand 2 must be set but got number');
    expect(() => call('minus', 'a', 1)).toThrow('minus: operand 1 must be one of {number, set} but got string');
    expect(call('and', S(1, 2), S(2, 3))).toEqual(S(2));
    expect(call('or', S(1), S(2))).toEqual(S(1, 2));
  });
});

describe('aggregates', () => {
  it('count', () => {
    expect(call('count', 'a😀')).toBe(2);
    expect(call('count', ObjectValue.fromRecord({ a: 1 }))).toBe(1);
    expect(() => call('count', 1)).toThrow('count: operand 1 must be one of {array, object, set, string} but got number');
  });
  it('sum/product', () => {
    expect(call('sum', [1, 2, 3])).toBe(6);
    expect(call('sum', [1, 2.5])).toBe(3.5);
    expect(call('sum', [9223372036854775807n, 1])).toBe(9223372036854775808n);
    expect(call('product', S(2, 3, 4))).toBe(24);
    expect(() => call('sum', [1, 'a'])).toThrow('sum: operand 1 must be array of numbers but got array containing string');
    expect(() => call('sum', 1)).toThrow('sum: operand 1 must be one of {set, array} but got number');
  });
  it('max/min/sort', () => {
    expect(call('max', [1, 'a', null])).toBe('a');
    expect(call('min', S(3, 1))).toBe(1);
    expect(call('max', [])).toBeUndefined();
    expect(call('sort', [3, 1, 'a'])).toEqual([1, 3, 'a']);
    expect(call('all', [true, true])).toBe(true);
    expect(call('any', S())).toBe(false);
  });
});

describe('bits / numbers / casts / types / arrays / sets', () => {
  it('bits', () => {
    expect(call('bits.and', 5, 3)).toBe(1);
    expect(call('bits.or', 5, 3)).toBe(7);
    expect(call('bits.xor', 5, 3)).toBe(6);
    expect(call('bits.negate', 5)).toBe(-6);
    expect(call('bits.lsh', 1, 64)).toBe(18446744073709551616n);
    expect(call('bits.rsh', -8, 1)).toBe(-4);
    expect(() => call('bits.lsh', 1, -1)).toThrow('bits.lsh: operand 2 must be an unsigned integer number but got a negative integer');
    expect(() => call('bits.and', 1.5, 1)).toThrow('bits.and: operand 1 must be integer number but got floating-point number');
  });
  it('numbers.range', () => {
    expect(call('numbers.range', 2, -1)).toEqual([2, 1, 0, -1]);
    expect(call('numbers.range_step', 0, 10, 4)).toEqual([0, 4, 8]);
    expect(() => call('numbers.range_step', 0, 10, 0)).toThrow('step must be a positive integer');
    expect(() => call('numbers.range', 3.14, 4)).toThrow('numbers.range: operand 1 must be integer number but got floating-point number');
  });
  it('to_number', () => {
    expect(call('to_number', '-42.0')).toBe(-42);
    expect(call('to_number', true)).toBe(1);
    expect(call('to_number', null)).toBe(0);
    expect(call('to_number', '+5')).toBe(5);
    expect(call('to_number', '.5')).toBe(0.5);
    expect(() => call('to_number', 'broken')).toThrow('to_number: strconv.ParseFloat: parsing "broken": invalid syntax');
    expect(() => call('to_number', 'NaN')).toThrow('to_number: operand 1 must be valid number string but got string');
  });
  it('types', () => {
    expect(call('type_name', S())).toBe('set');
    expect(call('is_number', 1n)).toBe(true);
    expect(call('is_object', ObjectValue.fromRecord({}))).toBe(true);
  });
  it('arrays', () => {
    expect(call('array.slice', [1, 2, 3, 4], 1, 3)).toEqual([2, 3]);
    expect(call('array.slice', [1, 2], -5, 9)).toEqual([1, 2]);
    expect(call('array.slice', [1, 2], 2, 1)).toEqual([]);
    expect(call('array.reverse', [1, 2])).toEqual([2, 1]);
    expect(call('array.concat', [1], [2])).toEqual([1, 2]);
    expect(call('array.flatten', [[1], 2, [[3]]])).toEqual([1, 2, [3]]);
    expect(() => call('array.reverse', ObjectValue.fromRecord({}))).toThrow('array.reverse: operand 1 must be array but got object');
  });
  it('sets', () => {
    expect(call('intersection', S(S(1, 2), S(2, 3)))).toEqual(S(2));
    expect(call('union', S(S(1), S(2)))).toEqual(S(1, 2));
    expect(call('intersection', S())).toEqual(S());
  });
});
