// numbers.range, numbers.range_step, rand.intn (OPA v1/topdown/numbers.go).

import type { Value } from '../value.ts';
import { t, type Builtin } from './registry.ts';
import { bigIntOperand, builtinErr, fromBigInt, intOperand, str } from './util.ts';

const MAX_RANGE = 100_000_000;

function range(name: string, x: bigint, y: bigint, step: bigint): Value {
  const out: Value[] = [];
  const span = x <= y ? y - x : x - y;
  if (span / step > BigInt(MAX_RANGE)) throw builtinErr(name, 'timed out before generating all numbers in range');
  if (x <= y) for (let i = x; i <= y; i += step) out.push(fromBigInt(i));
  else for (let i = x; i >= y; i -= step) out.push(fromBigInt(i));
  return out;
}

export const builtins: Builtin[] = [
  {
    name: 'numbers.range',
    args: [t.number, t.number],
    result: t.arrayOf(t.number),
    description:
      'Returns an array of numbers in the given (inclusive) range. If `a==b`, then `range == [a]`; if `a > b`, then `range` is in descending order.',
    fn: ([a, b]) => {
      const x = bigIntOperand('numbers.range', a, 1);
      const y = bigIntOperand('numbers.range', b, 2);
      return range('numbers.range', x, y, 1n);
    },
  },
  {
    name: 'numbers.range_step',
    args: [t.number, t.number, t.number],
    result: t.arrayOf(t.number),
    description: 'Returns an array of numbers in the given (inclusive) range incremented by a positive step.',
    fn: ([a, b, s]) => {
      const name = 'numbers.range_step';
      const x = bigIntOperand(name, a, 1);
      const y = bigIntOperand(name, b, 2);
      const step = bigIntOperand(name, s, 3);
      if (step <= 0n) throw builtinErr(name, 'numbers.range_step: step must be a positive integer');
      return range(name, x, y, step);
    },
  },
  {
    name: 'rand.intn',
    args: [t.string, t.number],
    result: t.number,
    nondeterministic: true,
    description:
      'Returns a random integer between `0` and `n` (`n` exclusive). If `n` is `0`, then `y` is always `0`. For any given argument pair (`str`, `n`), the output will be consistent throughout a query evaluation.',
    fn: ([s, nn], ctx) => {
      const seed = str('rand.intn', s, 1);
      let n = intOperand('rand.intn', nn, 2);
      if (n === 0) return 0;
      if (n < 0) n = -n;
      const key = `rand.intn:${seed}-${n}`;
      const hit = ctx.cache.get(key);
      if (hit !== undefined) return hit as number;
      const r = Math.floor(Math.random() * n);
      ctx.cache.set(key, r);
      return r;
    },
  },
];
