import { describe, expect, it } from 'vitest';
import {
  canonicalNumber,
  checkOutcome,
  compareJ,
  compareResults,
  JNum,
  jsonTextOf,
  normalizeNumberText,
  parseCaseFile,
  toJForm,
  type Row,
  type TestCase,
} from './compare.ts';

const n = (t: string | number) => new JNum(String(t));

describe('numbers', () => {
  it('normalises YAML number text to JSON number text', () => {
    expect(normalizeNumberText('.5')).toBe('0.5');
    expect(normalizeNumberText('+1_000')).toBe('1000');
    expect(normalizeNumberText('1.')).toBe('1');
    expect(normalizeNumberText('-2.50e+3')).toBe('-2.50e+3');
  });

  it('gives equal numbers the same canonical text', () => {
    expect(canonicalNumber('1')).toBe(canonicalNumber('1.0'));
    expect(canonicalNumber('1e2')).toBe(canonicalNumber('100'));
    expect(canonicalNumber('0.10')).toBe(canonicalNumber('1e-1'));
    expect(canonicalNumber('-0')).toBe(canonicalNumber('0.0'));
    expect(canonicalNumber('18446744073709551616')).not.toBe(canonicalNumber('18446744073709551617'));
  });

  it('orders numbers numerically', () => {
    expect(compareJ(n('2'), n('10'))).toBe(-1);
    expect(compareJ(n('-3'), n('-2.5'))).toBe(-1);
    expect(compareJ(n('1e3'), n('999.999'))).toBe(1);
    expect(compareJ(n('0'), n('-0.0'))).toBe(0);
  });
});

describe('case files', () => {
  const text = `---
cases:
  - note: t/one
    query: data.generated.p = x
    modules:
      - |
        package generated
        p := 1
    data:
      big: 123456789012345678901234567890
      dec: 3.14159265358979323846264338327950288
      "y": yes
      d: 2017-06-02
    want_result:
      - x: 1
  - note: t/two
    query: x = 1
    want_error_code: eval_type_error
    want_error: boom
    strict_error: true
`;

  it('reads cases with YAML 1.1 scalars, big integers and exact decimals', () => {
    const cases = parseCaseFile(text);
    expect(cases).toHaveLength(2);
    expect(cases[0].note).toBe('t/one');
    expect(cases[0].modules).toEqual(['package generated\np := 1\n']);
    expect(jsonTextOf(cases[0].data)).toBe('{"big":123456789012345678901234567890,"dec":3.14159265358979323846264338327950288,"y":true,"d":"2017-06-02"}');
    expect(cases[1].modules).toEqual([]);
    expect(cases[1].strict_error).toBe(true);
  });

  it('converts YAML values to JSON form', () => {
    const j = toJForm({ a: [1n, 'x', null, true], b: 2.5 });
    expect(compareJ(j, { a: [n(1), 'x', null, true], b: n('2.50') })).toBe(0);
  });
});

describe('result comparison (OPA runner rules)', () => {
  it('compares rows as a set: order and duplicates do not matter', () => {
    const got: Row[] = [{ x: n(2) }, { x: n(1) }, { x: n(1) }];
    expect(compareResults([{ x: 1n }, { x: 2n }], got).ok).toBe(true);
  });

  it('detects missing and extra rows', () => {
    const r = compareResults([{ x: 1n }, { x: 2n }], [{ x: n(1) }, { x: n(3) }]);
    expect(r.ok).toBe(false);
    expect(r.reason).toContain('want');
  });

  it('treats [] as undefined', () => {
    expect(compareResults([], []).ok).toBe(true);
    expect(compareResults([], [{ x: n(1) }]).ok).toBe(false);
  });

  it('compares numbers by value (1 == 1.0) and strings exactly', () => {
    expect(compareResults([{ x: 1n }], [{ x: n('1.0') }]).ok).toBe(true);
    expect(compareResults([{ x: '1' }], [{ x: n(1) }]).ok).toBe(false);
  });

  it('keeps array order unless sort_bindings is set', () => {
    const got: Row[] = [{ x: [n(3), n(1), n(2)] }];
    expect(compareResults([{ x: [1n, 2n, 3n] }], got).ok).toBe(false);
    expect(compareResults([{ x: [1n, 2n, 3n] }], got, { sortBindings: true }).ok).toBe(true);
  });

  it('sorts mixed values in OPA order with sort_bindings', () => {
    const got: Row[] = [{ x: [{ a: n(1) }, 'b', [n(1)], n(2), true, null] }];
    expect(compareResults([{ x: [null, true, 2n, 'b', [1n], { a: 1n }] }], got, { sortBindings: true }).ok).toBe(true);
  });

  it('compares objects regardless of key order', () => {
    expect(compareResults([{ x: { b: 1n, a: 2n } }], [{ x: { a: n(2), b: n(1) } }]).ok).toBe(true);
  });

  it('drops generated variables only with ignore_generated_vars', () => {
    const got: Row[] = [{ x: n(1), __local0__: n(1) }];
    expect(compareResults([{ x: 1n }], got).ok).toBe(false);
    expect(compareResults([{ x: 1n }], got, { ignoreGeneratedVars: true }).ok).toBe(true);
  });
});

describe('outcome checks', () => {
  const base: TestCase = { note: 't', query: 'x = 1', modules: [] };

  it('passes a matching result', () => {
    expect(checkOutcome({ ...base, want_result: [{ x: 1n }] }, { rows: [{ x: n(1) }] }).ok).toBe(true);
  });

  it('fails an unexpected error', () => {
    const r = checkOutcome({ ...base, want_result: [] }, { error: { code: 'eval_type_error', message: 'boom' } });
    expect(r.ok).toBe(false);
    expect(r.reason).toContain('unexpected error');
  });

  it('matches the error code and a substring of the message', () => {
    const tc = { ...base, want_error_code: 'eval_builtin_error', want_error: 'divide by zero' };
    expect(checkOutcome(tc, { error: { code: 'eval_builtin_error', message: 'div: divide by zero' } }).ok).toBe(true);
    expect(checkOutcome(tc, { error: { code: 'eval_type_error', message: 'div: divide by zero' } }).ok).toBe(false);
    expect(checkOutcome(tc, { error: { code: 'eval_builtin_error', message: 'something else' } }).ok).toBe(false);
  });

  it("matches want_error against OPA's full error text too", () => {
    const tc = { ...base, want_error: 'test-0.rego:4: eval_conflict_error' };
    const e = { code: 'eval_conflict_error', message: 'complete rules must not produce multiple outputs', text: 'test-0.rego:4: eval_conflict_error: complete rules must not produce multiple outputs' };
    expect(checkOutcome(tc, { error: e }).ok).toBe(true);
  });

  it('fails when an error was wanted but a result came', () => {
    expect(checkOutcome({ ...base, want_error_code: 'eval_conflict_error' }, { rows: [] }).ok).toBe(false);
  });

  it('fails a case without expectations', () => {
    expect(checkOutcome(base, { rows: [] }).ok).toBe(false);
  });
});
