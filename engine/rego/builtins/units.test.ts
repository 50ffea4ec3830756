import { describe, expect, it } from 'vitest';
import { numbersEqual, parseNumber, type RegoNumber } from '../number.ts';
import type { Value } from '../value.ts';
import { builtins } from './units.ts';
import type { Builtin, BuiltinContext } from './registry.ts';

const ctx = (): BuiltinContext => ({ strict: true, nowNs: 1700000000000000000n, cache: new Map(), interCache: new Map() });
const byName = new Map<string, Builtin>(builtins.map((b) => [b.name, b]));
const call = (name: string, ...args: Value[]): Value | undefined => byName.get(name)!.fn(args, ctx());
const eq = (name: string, input: string, want: string): void => {
  const got = call(name, input) as RegoNumber;
  expect(numbersEqual(got, parseNumber(want)), `${name}(${input}) = ${String(got)}, want ${want}`).toBe(true);
};
const err = (name: string, input: Value): { code: string; message: string } => {
  try {
    call(name, input);
  } catch (e) {
    const x = e as { code: string; message: string };
    return { code: x.code, message: x.message };
  }
  throw new Error('expected an error');
};

describe('units.parse', () => {
  it('parses decimal and binary units exactly', () => {
    const cases: [string, string][] = [
      ['500m', '0.5'], ['0.0005K', '0.5'], ['0.0000005M', '0.5'], ['1G', '1000000000'], ['100k', '100000'], ['100K', '100000'],
      ['100ki', '102400'], ['100Ki', '102400'], ['100M', '100000000'], ['100mi', '104857600'], ['100Mi', '104857600'],
      ['100g', '100000000000'], ['100gi', '107374182400'], ['100T', '100000000000000'], ['100Ti', '109951162777600'],
      ['100P', '100000000000000000'], ['100Pi', '112589990684262400'], ['10e', '10000000000000000000'], ['10E', '10000000000000000000'],
      ['10ei', '11529215046068469760'], ['10Ei', '11529215046068469760'], ['1e10', '10000000000'], ['3.2E4', '32000'],
      ['2.5e3K', '2500000'], ['1e3M', '1000000000'], ['4E2G', '400000000000'], ['5e1Gi', '53687091200'], ['1e-2', '0.01'],
      ['7.8E-1', '0.78'], ['6e3Mi', '6291456000'], ['42', '42'], ['-3.5E2m', '-0.35'], ['"10"', '10'], ['5E', '5000000000000000000'],
    ];
    for (const [i, w] of cases) eq('units.parse', i, w);
    // integers print without decimals (json.marshal(units.parse("1G")) == "1000000000")
    expect(call('units.parse', '1G')).toBe(1000000000);
  });
  it('errors', () => {
    expect(err('units.parse', '')).toEqual({ code: 'eval_builtin_error', message: 'units.parse: units.parse: no amount provided' });
    expect(err('units.parse', 'G').message).toContain('units.parse: no amount provided');
    expect(err('units.parse', '0.0.0').message).toContain('units.parse: could not parse amount to a number');
    expect(err('units.parse', '100 k').message).toContain('units.parse: spaces not allowed in resource strings');
    expect(err('units.parse', '10KB').message).toContain('units.parse: unit Kb not recognized');
    expect(err('units.parse', '1e1234567').message).toContain('units.parse: exponent too large');
    expect(err('units.parse', 1)).toEqual({ code: 'eval_type_error', message: 'units.parse: operand 1 must be string but got number' });
  });
});

describe('units.parse_bytes', () => {
  it('parses byte amounts', () => {
    const cases: [string, string][] = [
      ['"100TIB"', '109951162777600'], ['0', '0'], ['0.0', '0'], ['.0', '0'], ['12345', '12345'], ['10KB', '10000'], ['10KIB', '10240'],
      ['10kb', '10000'], ['10Kib', '10240'], ['200mb', '200000000'], ['300GiB', '322122547200'], ['1.1KB', '1100'], ['1.1KiB', '1126'],
      ['.5KB', '500'], ['100k', '100000'], ['100ki', '102400'], ['100m', '100000000'], ['100mib', '104857600'], ['100g', '100000000000'],
      ['100gib', '107374182400'], ['100t', '100000000000000'], ['100tib', '109951162777600'], ['100p', '100000000000000000'],
      ['100pib', '112589990684262400'], ['10e', '10000000000000000000'], ['10eib', '11529215046068469760'], ['1e3KB', '1000000'],
      ['3.2E2MiB', '335544320'], ['4.5e1GiB', '48318382080'], ['5e6', '5000000'], ['1e-2KB', '10'], ['6.4E1GB', '64000000000'],
      ['7.5e1TiB', '82463372083200'], ['5e2MiB', '524288000'], ['1024', '1024'], ['1KiB', '1024'], ['128Gi', '137438953472'],
    ];
    for (const [i, w] of cases) eq('units.parse_bytes', i, w);
    expect((call('units.parse_bytes', '4.1Mi') as number) > (call('units.parse_bytes', '4Mi') as number)).toBe(true);
  });
  it('errors', () => {
    const m = (s: string): string => err('units.parse_bytes', s).message;
    expect(err('units.parse_bytes', '')).toEqual({ code: 'eval_builtin_error', message: 'units.parse_bytes: units.parse_bytes: no byte amount provided' });
    expect(m('GB')).toContain('units.parse_bytes: no byte amount provided');
    expect(m('foo')).toContain('units.parse_bytes: no byte amount provided');
    expect(m('0.0.0')).toContain('units.parse_bytes: could not parse byte amount to a number');
    expect(m('.5.2')).toContain('units.parse_bytes: could not parse byte amount to a number');
    expect(m('100 kb')).toContain('units.parse_bytes: spaces not allowed in resource strings');
    expect(m(' 327MiB ')).toContain('units.parse_bytes: spaces not allowed in resource strings');
    expect(m('5x')).toContain('units.parse_bytes: byte unit x not recognized');
  });
});
