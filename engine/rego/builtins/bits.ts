// Bitwise built-ins on exact integers of any size (OPA v1/topdown/bits.go; Go big.Int
// two's-complement semantics, as JS bigint).

import { t, type Builtin } from './registry.ts';
import { bigIntOperand, fromBigInt, operandErr } from './util.ts';

const MAX_SHIFT = 1n << 24n;

function bin(name: string, description: string, f: (a: bigint, b: bigint) => bigint): Builtin {
  return {
    name,
    args: [t.number, t.number],
    result: t.number,
    description,
    fn: ([a, b]) => fromBigInt(f(bigIntOperand(name, a, 1), bigIntOperand(name, b, 2))),
  };
}

function shift(name: string, s: bigint): bigint {
  if (s < 0n) throw operandErr(name, 2, 'must be an unsigned integer number but got a negative integer');
  return s;
}

export const builtins: Builtin[] = [
  bin('bits.or', 'Returns the bitwise "OR" of two integers.', (a, b) => a | b),
  bin('bits.and', 'Returns the bitwise "AND" of two integers.', (a, b) => a & b),
  bin('bits.xor', 'Returns the bitwise "XOR" (exclusive-or) of two integers.', (a, b) => a ^ b),
  {
    name: 'bits.negate',
    args: [t.number],
    result: t.number,
    description: 'Returns the bitwise negation (flip) of an integer.',
    fn: ([a]) => fromBigInt(~bigIntOperand('bits.negate', a, 1)),
  },
  bin('bits.lsh', 'Returns a new integer with its bits shifted `s` bits to the left.', (a, b) => {
    const s = shift('bits.lsh', b);
    if (s > MAX_SHIFT && a !== 0n) throw operandErr('bits.lsh', 2, 'is too large a shift');
    return a << s;
  }),
  bin('bits.rsh', 'Returns a new integer with its bits shifted `s` bits to the right.', (a, b) => {
    const s = shift('bits.rsh', b);
    if (s > MAX_SHIFT) return a < 0n ? -1n : 0n;
    return a >> s;
  }),
];
