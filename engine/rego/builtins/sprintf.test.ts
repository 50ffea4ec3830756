import { describe, expect, it } from 'vitest';
import { builtins } from './sprintf.ts';
import { caller } from './testutil.ts';
import { ObjectValue, SetValue } from '../value.ts';
import { parseNumber } from '../number.ts';

const call = caller(builtins);
const f = (fmt: string, ...args: any[]) => call('sprintf', fmt, args);

describe('sprintf', () => {
  it('basics', () => {
    expect(f('x')).toBe('x');
    expect(f('%v %s %d', 'a', 'b', 3)).toBe('a b 3');
    expect(f('%s', 123456789123456789123n)).toBe('123456789123456789123');
    expect(f('%v', 18446744073709551618n)).toBe('18446744073709551618');
    expect(f('%d%%', 5)).toBe('5%');
  });
  it('composites use Rego text', () => {
    expect(f('%v', [1, 'a'])).toBe('[1, "a"]');
    expect(f('%v', ObjectValue.fromRecord({ a: 1 }))).toBe('{"a": 1}');
    expect(f('%v', SetValue.from([]))).toBe('set()');
    expect(f('%v %v', true, null)).toBe('true null');
    expect(f('%t', true)).toBe('%!t(string=true)');
  });
  it('floats', () => {
    expect(f('%v', 1.5)).toBe('1.5');
    expect(f('%.2f', 3.14159)).toBe('3.14');
    expect(f('%f', 2.5)).toBe('2.500000');
    expect(f('%.0f', 2.5)).toBe('2');
    expect(f('%.0f', 3.5)).toBe('4');
    expect(f('%.2f', 0.125)).toBe('0.12');
    expect(f('%e', 123456.789)).toBe('1.234568e+05');
    expect(f('%g', 0.00001234)).toBe('1.234e-05');
    expect(f('%v', 1234567.5)).toBe('1.2345675e+06');
    expect(f('%.3g', 1234.5678)).toBe('1.23e+03');
    expect(f('%8.3f|%-8.2f|', 3.14159, 2.5)).toBe('   3.142|2.50    |');
    expect(f('%f', 5)).toBe('%!f(int=5)');
    expect(f('%v', parseNumber('0.1000000000000000000001'))).toBe('0.1');
  });
  it('integers', () => {
    expect(f('%x %X %o %b', 255, 255, 8, 5)).toBe('ff FF 10 101');
    expect(f('%#x %#o', 255, 8)).toBe('0xff 010');
    expect(f('%05d|%-5d|%+d', 42, 42, 42)).toBe('00042|42   |+42');
    expect(f('%5d', -42)).toBe('  -42');
    expect(f('%05d', -42)).toBe('-0042');
    expect(f('%.3d', 7)).toBe('007');
    expect(f('%c', 65)).toBe('A');
    expect(f('%q', 65)).toBe("'A'");
    expect(f('%U', 0x1f600)).toBe('U+1F600');
    expect(f('%x', -255)).toBe('-ff');
  });
  it('strings', () => {
    expect(f('%q', 'a"b\n')).toBe('"a\\"b\\n"');
    expect(f('%5s|%-5s|%.2s', 'ab', 'ab', 'abc')).toBe('   ab|ab   |ab');
    expect(f('%x', 'hi')).toBe('6869');
    expect(f('% x', 'hi')).toBe('68 69');
    expect(f('%d', 'abc')).toBe('%!d(string=abc)');
  });
  it('errors as Go prints them', () => {
    expect(f('%d %d', 1)).toBe('1 %!d(MISSING)');
    expect(f('%d', 1, 'x')).toBe('1%!(EXTRA string=x)');
    expect(f('%', 1)).toBe('%!(NOVERB)%!(EXTRA int=1)');
    expect(f('%z', 1)).toBe('%!z(int=1)');
    expect(f('%s', 1)).toBe('%!s(int=1)');
    expect(f('%d', 1.5)).toBe('%!d(float64=1.5)');
    expect(() => call('sprintf', '%v', 'x')).toThrow('sprintf: operand 2 must be array but got string');
  });
});
