import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  abs,
  add,
  BigDecimal,
  ceil,
  compareNumbers,
  div,
  floatResultText,
  floor,
  isInteger,
  mul,
  neg,
  normalizeNumber,
  numberToString,
  parseNumber,
  rem,
  round,
  sub,
  toBigInt,
  toSafeInteger,
  type RegoNumber,
} from './number.ts';
import { RegoError } from './errors.ts';

const p = parseNumber;
const s = (n: RegoNumber): string => numberToString(n);

describe('parseNumber / representation', () => {
  it('keeps safe integers as plain numbers', () => {
    expect(p('0')).toBe(0);
    expect(p('42')).toBe(42);
    expect(p('-7')).toBe(-7);
    expect(p('9007199254740991')).toBe(9007199254740991);
    expect(p('-9007199254740991')).toBe(-9007199254740991);
    expect(p('1e3')).toBe(1000);
    expect(p('4.0')).toBe(4);
    expect(p('1.5e1')).toBe(15);
    expect(p('10.00')).toBe(10);
  });

  it('uses bigint beyond ±(2^53-1), exactly', () => {
    expect(p('9007199254740992')).toBe(9007199254740992n);
    expect(p('9007199254740993')).toBe(9007199254740993n);
    expect(p('1700000000000000000')).toBe(1700000000000000000n);
    expect(p('18446744073709551616')).toBe(2n ** 64n);
    expect(p('-9223372036854775808')).toBe(-(2n ** 63n));
    expect(p('1e30')).toBe(10n ** 30n);
    expect(p('1.8e18')).toBe(1800000000000000000n);
  });

  it('keeps doubles for decimals a double carries as written', () => {
    expect(p('0.1')).toBe(0.1);
    expect(p('3.14')).toBe(3.14);
    expect(p('-2.5')).toBe(-2.5);
    expect(p('1e-7')).toBe(1e-7);
    expect(p('0.30000000000000004')).toBe(0.30000000000000004);
  });

  it('uses BigDecimal for decimals a double cannot carry, keeping every digit', () => {
    for (const t of [
      '3.14159265358979323846264338327950288',
      '0.1000000000000000000001',
      '1e-400',
      '-123456789012345678.5',
      '0.30000000000000000001',
    ]) {
      const n = p(t);
      expect(n).toBeInstanceOf(BigDecimal);
      expect(s(n)).toBe(t);
    }
  });

  it('keeps -0', () => {
    expect(Object.is(p('-0'), -0)).toBe(true);
    expect(s(p('-0'))).toBe('-0');
    expect(compareNumbers(p('-0'), 0)).toBe(0);
  });

  it('rejects text that is not a number', () => {
    expect(() => p('abc')).toThrow();
    expect(() => p('1.')).toThrow();
    expect(() => p('')).toThrow();
  });

  it('is canonical: equal values have one representation', () => {
    expect(p('1.50')).toBe(p('1.5'));
    expect(p('100e-2')).toBe(1);
    expect(p('18446744073709551616.000')).toBe(2n ** 64n);
    const a = p('0.10000000000000000000010') as BigDecimal;
    const b = p('1.000000000000000000001e-1') as BigDecimal;
    expect(a.canonical()).toBe(b.canonical());
  });

  it('round-trips random integers through text', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }), (b) => {
        const n = p(b.toString());
        expect(s(n)).toBe(b.toString());
        expect(typeof n === 'number').toBe(b >= -(2n ** 53n - 1n) && b <= 2n ** 53n - 1n);
      }),
    );
  });

  it('round-trips random doubles through text', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        const n = p(String(d));
        expect(compareNumbers(n, normalizeNumber(d))).toBe(0);
      }),
    );
  });
});

describe('normalizeNumber', () => {
  it('brings values to canonical form', () => {
    expect(normalizeNumber(5n)).toBe(5);
    expect(normalizeNumber(2n ** 60n)).toBe(2n ** 60n);
    expect(normalizeNumber(1e21)).toBe(10n ** 21n);
    expect(normalizeNumber(1e300)).toBe(10n ** 300n); // the double's shortest decimal text
    expect(normalizeNumber(new BigDecimal(15n, -1))).toBe(1.5);
    expect(normalizeNumber(new BigDecimal(1n, 20))).toBe(10n ** 20n);
    expect(normalizeNumber(new BigDecimal(12n, 0))).toBe(12);
    expect(normalizeNumber(0.1)).toBe(0.1);
    expect(() => normalizeNumber(NaN)).toThrow();
  });
});

describe('compareNumbers', () => {
  it('orders across kinds exactly', () => {
    expect(compareNumbers(9007199254740993n, 9007199254740992)).toBe(1);
    expect(compareNumbers(9007199254740992, 9007199254740993n)).toBe(-1);
    expect(compareNumbers(p('28857836529306024611913'), p('28857836529306024611912'))).toBe(1);
    expect(compareNumbers(p('0.1000000000000000000001'), 0.1)).toBe(1);
    expect(compareNumbers(p('0.0999999999999999999999'), 0.1)).toBe(-1);
    expect(compareNumbers(p('1e-400'), 0)).toBe(1);
    expect(compareNumbers(p('-1e-400'), 0)).toBe(-1);
    expect(compareNumbers(2.5, 3n ** 40n)).toBe(-1);
    expect(compareNumbers(-(3n ** 40n), -2.5)).toBe(-1);
    expect(compareNumbers(p('12157665459056928801.5'), 3n ** 40n)).toBe(1);
    expect(compareNumbers(1.5, 1.5)).toBe(0);
    expect(compareNumbers(p('1e400'), p('1e399'))).toBe(1);
  });

  it('agrees with exact decimal order on random pairs', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 25 }), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 25 }), (m1, e1, m2, e2) => {
        const a = p(new BigDecimal(m1, -e1).toString());
        const b = p(new BigDecimal(m2, -e2).toString());
        const e = Math.max(e1, e2);
        const x = m1 * 10n ** BigInt(e - e1);
        const y = m2 * 10n ** BigInt(e - e2);
        expect(compareNumbers(a, b)).toBe(x < y ? -1 : x > y ? 1 : 0);
      }),
    );
  });
});

describe('arithmetic (OPA conformance cases)', () => {
  it('integers are exact at any size', () => {
    expect(s(add(p('18446744073709551617'), 1))).toBe('18446744073709551618');
    expect(s(sub(p('18446744073709551617'), 1))).toBe('18446744073709551616');
    expect(s(mul(p('18446744073709551617'), 2))).toBe('36893488147419103234');
    expect(s(add(p('123456789012345678901234567890'), 1))).toBe('123456789012345678901234567891');
    expect(s(sub(p('-18446744073709551617'), 1))).toBe('-18446744073709551618');
    expect(s(add(2147483647, 1))).toBe('2147483648');
    expect(s(sub(-2147483648, 1))).toBe('-2147483649');
    expect(s(mul(2147483647, 2147483647))).toBe('4611686014132420609');
    expect(s(mul(-2147483648, -2147483648))).toBe('4611686018427387904');
    expect(s(add(p('9223372036854775807'), 1))).toBe('9223372036854775808');
    expect(s(add(p('1e30'), 1))).toBe('1000000000000000000000000000001');
    expect(s(add(p('10.00'), 5))).toBe('15');
    expect(s(add(49649733057, 1))).toBe('49649733058');
    expect(s(add(p('1700000000000000000'), 1))).toBe('1700000000000000001');
    expect(s(mul(p('1e6'), 2))).toBe('2000000');
    expect(s(add(1234500000, 67890))).toBe('1234567890');
  });

  it('safe integer overflow moves to bigint and back', () => {
    expect(add(9007199254740991, 1)).toBe(9007199254740992n);
    expect(sub(9007199254740992n, 1)).toBe(9007199254740991);
    expect(mul(4294967296, 4294967296)).toBe(2n ** 64n);
  });

  it('non-integers go through 64-bit big.Float', () => {
    expect(s(add(1.5, 2.5))).toBe('4');
    expect(add(1.5, 2.5)).toBe(4);
    expect(s(add(1, 2.5))).toBe('3.5');
    expect(s(mul(2.5, 2))).toBe('5');
    expect(s(add(0.1, 0.2))).toBe('0.3');
    expect(s(div(p('1e109'), p('1e100')))).toBe('1000000000');
    expect(s(div(1, 3))).toBe('0.33333333333333333334');
    expect(s(div(2, 3))).toBe('0.6666666666666666667');
    expect(s(mul(1.1, 1.1))).toBe('1.21');
  });

  it('big.Float result text (Text g/f, shortest)', () => {
    expect(floatResultText(p('1000000.5'))).toBe('1.0000005e+06');
    expect(floatResultText(0.00001)).toBe('1e-05');
    expect(floatResultText(0.0001)).toBe('0.0001');
    expect(floatResultText(123456.5)).toBe('123456.5');
    expect(floatResultText(p('1e30'))).toBe('1000000000000000000000000000000');
    expect(floatResultText(-2.5)).toBe('-2.5');
    expect(floatResultText(0)).toBe('0');
    expect(floatResultText(-0)).toBe('-0');
  });

  it('division', () => {
    expect(s(div(6, 3))).toBe('2');
    expect(s(div(-6, 3))).toBe('-2');
    expect(s(div(1, 4))).toBe('0.25');
    expect(s(div(0, 5))).toBe('0');
    expect(s(div(0, -5))).toBe('-0'); // big.Float quotient keeps the sign of zero
    expect(s(div(10, 4))).toBe('2.5');
    expect(s(div(p('100000000000000000000'), 10))).toBe('10000000000000000000');
    expect(() => div(1, 0)).toThrow('div: divide by zero');
    expect(() => div(1, p('0.0'))).toThrow('div: divide by zero');
    expect(() => div(1.5, p('0e5'))).toThrow('div: divide by zero');
    try {
      div(1, 0);
    } catch (e) {
      expect(e).toBeInstanceOf(RegoError);
      expect((e as RegoError).code).toBe('eval_builtin_error');
    }
  });

  it('remainder', () => {
    expect(s(rem(7, 4))).toBe('3');
    expect(s(rem(-17, 5))).toBe('-2');
    expect(s(rem(17, -5))).toBe('2');
    expect(s(rem(p('4.0'), 3))).toBe('1');
    expect(Object.is(rem(-4, 2), 0)).toBe(true);
    expect(s(rem(10, p('18446744073709551616')))).toBe('10');
    expect(s(rem(5, p('55340232221128654848')))).toBe('5');
    expect(s(rem(7, p('340282366920938463463374607431768211456')))).toBe('7');
    expect(s(rem(100, p('-18446744073709551616')))).toBe('100');
    expect(s(rem(p('18446744073709551617'), p('18446744073709551616')))).toBe('1');
    expect(s(rem(10, p('18446744073709551617')))).toBe('10');
    expect(() => rem(7, 0)).toThrow('rem: modulo by zero');
    expect(() => rem(p('18446744073709551617'), 0)).toThrow('modulo by zero');
    expect(() => rem(1.1, 1)).toThrow('rem: modulo on floating-point number');
    expect(() => rem(1.5, 0)).toThrow('modulo on floating-point number');
  });

  it('abs, round, ceil, floor', () => {
    expect(s(abs(-5))).toBe('5');
    expect(s(abs(-10))).toBe('10');
    expect(s(abs(-2147483648))).toBe('2147483648');
    expect(s(abs(p('-9223372036854775808')))).toBe('9223372036854775808');
    expect(s(abs(-2.5))).toBe('2.5');
    expect(s(round(2.5))).toBe('3');
    expect(s(round(-2.5))).toBe('-3');
    expect(s(round(2.4))).toBe('2');
    expect(s(round(-5))).toBe('-5');
    expect(s(round(p('10.00')))).toBe('10');
    expect(s(round(-0.3))).toBe('0');
    expect(s(ceil(1.01))).toBe('2');
    expect(s(ceil(1.5))).toBe('2');
    expect(s(ceil(2222.2222222222))).toBe('2223');
    expect(s(ceil(1))).toBe('1');
    expect(s(ceil(-1.99999))).toBe('-1');
    expect(s(floor(1.01))).toBe('1');
    expect(s(floor(1.5))).toBe('1');
    expect(s(floor(99.99999))).toBe('99');
    expect(s(floor(1))).toBe('1');
    expect(s(floor(-1.001))).toBe('-2');
    // OPA's own quirks for -1 < x < 0 (truncation is +0):
    expect(s(ceil(-0.5))).toBe('1');
    expect(s(floor(-0.5))).toBe('0');
    // Beyond the int32 window OPA goes through a 64-bit float.
    expect(s(abs(p('-18446744073709551617')))).toBe('18446744073709551616');
  });

  it('neg, isInteger, toSafeInteger, toBigInt', () => {
    expect(neg(5)).toBe(-5);
    expect(neg(0)).toBe(0);
    expect(neg(-9007199254740992n)).toBe(9007199254740992n);
    expect(isInteger(p('1e30'))).toBe(true);
    expect(isInteger(1.5)).toBe(false);
    expect(isInteger(p('0.1000000000000000000001'))).toBe(false);
    expect(toSafeInteger(5)).toBe(5);
    expect(toSafeInteger(5.5)).toBeUndefined();
    expect(toSafeInteger(2n ** 60n)).toBeUndefined();
    expect(toBigInt(1e21)).toBe(10n ** 21n);
  });

  it('integer arithmetic matches bigint arithmetic', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }), fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }), (a, b) => {
        const x = p(a.toString());
        const y = p(b.toString());
        expect(s(add(x, y))).toBe((a + b).toString());
        expect(s(sub(x, y))).toBe((a - b).toString());
        expect(s(mul(x, y))).toBe((a * b).toString());
        if (b !== 0n) expect(s(rem(x, y))).toBe((a % b).toString());
      }),
    );
  });
});
