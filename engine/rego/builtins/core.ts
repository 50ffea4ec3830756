// Operators: comparisons (equal, neq, lt, lte, gt, gte), arithmetic (plus, minus, mul, div, rem,
// abs, round, ceil, floor), set operators and (&), or (|), and minus on sets
// (OPA v1/topdown/comparison.go, arithmetic.go, binary.go).
// internal.member_2 / internal.member_3 are handled by the evaluator.

import { SetValue, compare, equal, isNumber } from '../value.ts';
import * as N from '../number.ts';
import { t, type Builtin } from './registry.ts';
import { num, set, typeErr } from './util.ts';
import { setDiff, setIntersect, setUnion } from './sets.ts';

const anySet = t.setOf(t.any);

function cmp(name: string, infix: string, description: string, f: (c: number) => boolean): Builtin {
  return {
    name,
    infix,
    args: [t.any, t.any],
    result: t.boolean,
    description,
    fn: ([a, b]) => f(compare(a, b)),
  };
}

function arith(name: string, infix: string, description: string, op: (a: N.RegoNumber, b: N.RegoNumber) => N.RegoNumber): Builtin {
  return {
    name,
    infix,
    args: [t.number, t.number],
    result: t.number,
    description,
    fn: ([a, b]) => op(num(name, a, 1), num(name, b, 2)),
  };
}

function unary(name: string, description: string, op: (a: N.RegoNumber) => N.RegoNumber): Builtin {
  return {
    name,
    args: [t.number],
    result: t.number,
    description,
    fn: ([a]) => op(num(name, a, 1)),
  };
}

export const builtins: Builtin[] = [
  {
    name: 'equal',
    infix: '==',
    args: [t.any, t.any],
    result: t.boolean,
    description: '',
    fn: ([a, b]) => equal(a, b),
  },
  {
    name: 'neq',
    infix: '!=',
    args: [t.any, t.any],
    result: t.boolean,
    description: '',
    fn: ([a, b]) => !equal(a, b),
  },
  cmp('lt', '<', '', (c) => c < 0),
  cmp('lte', '<=', '', (c) => c <= 0),
  cmp('gt', '>', '', (c) => c > 0),
  cmp('gte', '>=', '', (c) => c >= 0),
  arith('plus', '+', 'Plus adds two numbers together.', N.add),
  {
    name: 'minus',
    infix: '-',
    args: [t.anyOf(t.number, anySet), t.anyOf(t.number, anySet)],
    result: t.anyOf(t.number, anySet),
    description: 'Minus subtracts the second number from the first number or computes the difference between two sets.',
    fn: ([a, b]) => {
      const n1 = isNumber(a);
      const n2 = isNumber(b);
      if (n1 && n2) return N.sub(a as N.RegoNumber, b as N.RegoNumber);
      const s1 = a instanceof SetValue;
      if (s1 && b instanceof SetValue) return setDiff(a, b);
      if (!n1 && !s1) throw typeErr('minus', 1, a, 'number', 'set');
      if (n2) throw typeErr('minus', 2, b, 'set');
      throw typeErr('minus', 2, b, 'number');
    },
  },
  arith('mul', '*', 'Multiplies two numbers.', N.mul),
  arith('div', '/', 'Divides the first number by the second number.', N.div),
  arith('rem', '%', 'Returns the remainder for of `x` divided by `y`, for `y != 0`.', N.rem),
  unary('abs', 'Returns the number without its sign.', N.abs),
  unary('round', 'Rounds the number to the nearest integer.', N.round),
  unary('ceil', 'Rounds the number _up_ to the nearest integer.', N.ceil),
  unary('floor', 'Rounds the number _down_ to the nearest integer.', N.floor),
  {
    name: 'and',
    infix: '&',
    args: [anySet, anySet],
    result: anySet,
    description: 'Returns the intersection of two sets.',
    fn: ([a, b]) => setIntersect(set('and', a, 1), set('and', b, 2)),
  },
  {
    name: 'or',
    infix: '|',
    args: [anySet, anySet],
    result: anySet,
    description: 'Returns the union of two sets.',
    fn: ([a, b]) => setUnion(set('or', a, 1), set('or', b, 2)),
  },
];
