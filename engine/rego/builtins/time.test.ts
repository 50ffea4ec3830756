import { describe, expect, it } from 'vitest';
import type { Value } from '../value.ts';
import { builtins, testHelpers } from './time.ts';
import type { BuiltinContext } from './registry.ts';
import { builtinCaller, testCtx } from './testutil.ts';

const { call, err, byName } = builtinCaller([...builtins, ...testHelpers]);

describe('time.now_ns', () => {
  it('returns the evaluation instant', () => {
    expect(call('time.now_ns')).toBe(1700000000000000000n);
    const c: BuiltinContext = { ...testCtx(), nowNs: 5n };
    expect(byName.get('time.now_ns')!.fn([], c)).toBe(5);
  });
});

describe('time.parse_ns / parse_rfc3339_ns', () => {
  const L = '2006-01-02T15:04:05Z07:00';
  it('parses Go layouts', () => {
    expect(call('time.parse_ns', L, '2017-06-02T19:00:00-07:00')).toBe(1496455200000000000n);
    expect(call('time.parse_ns', "01/02 03:04:05PM '06 -0700", "06/02 07:00:00PM '17 -0700")).toBe(1496455200000000000n);
    expect(call('time.parse_ns', '02 Jan 06 15:04 -0700', '02 Jun 17 19:00 -0700')).toBe(1496455200000000000n);
    expect(call('time.parse_ns', 'RFC822Z', '02 Jun 17 19:00 -0700')).toBe(1496455200000000000n);
    expect(call('time.parse_ns', '2006-01-02', '2020-02-02')).toBe(1580601600000000000n);
    expect(call('time.parse_ns', 'RFC3339', '2026-12-31T23:59:59+08:00')).toBe(1798732799000000000n);
  });
  it('covers the int64 range exactly', () => {
    expect(call('time.parse_ns', L, '1677-09-21T00:12:43.145224192-00:00')).toBe(-9223372036854775808n);
    expect(call('time.parse_ns', L, '2262-04-11T23:47:16.854775807-00:00')).toBe(9223372036854775807n);
    expect(call('time.parse_rfc3339_ns', '1970-01-01T00:00:00-00:00')).toBe(0);
    expect(call('time.parse_rfc3339_ns', '2017-06-02T19:00:00-07:00')).toBe(1496455200000000000n);
    expect(call('time.parse_rfc3339_ns', '2017-06-02T19:00:00.5Z')).toBe(1496430000500000000n);
    for (const v of ['1677-09-21T00:12:43.145224191-00:00', '2262-04-11T23:47:16.854775808-00:00']) {
      expect(err('time.parse_ns', L, v)).toEqual({ code: 'eval_builtin_error', message: 'time.parse_ns: time outside of valid range' });
      expect(err('time.parse_rfc3339_ns', v).message).toBe('time.parse_rfc3339_ns: time outside of valid range');
    }
  });
  it("reports Go's parse errors", () => {
    expect(err('time.parse_ns', '2006-01-02', 'x2020-02-30')).toEqual({
      code: 'eval_builtin_error',
      message: 'time.parse_ns: parsing time "x2020-02-30" as "2006-01-02": cannot parse "x2020-02-30" as "2006"',
    });
    expect(err('time.parse_ns', '2006-01-02', '2021-02-29').message).toBe('time.parse_ns: parsing time "2021-02-29": day out of range');
    expect(err('time.parse_rfc3339_ns', '2021-02-01T10:00:00Zjunk').message).toContain('extra text: "junk"');
    expect(err('time.parse_ns', 1, 'x')).toEqual({ code: 'eval_type_error', message: 'time.parse_ns: operand 1 must be string but got number' });
  });
});

describe('time.parse_duration_ns', () => {
  it('parses Go durations', () => {
    expect(call('time.parse_duration_ns', '100ms')).toBe(100000000);
    expect(call('time.parse_duration_ns', '1h30m0.5s')).toBe(5400500000000);
    expect(call('time.parse_duration_ns', '-1.5µs')).toBe(-1500);
    expect(call('time.parse_duration_ns', '0')).toBe(0);
    expect(call('time.parse_duration_ns', '2562047h47m16.854775807s')).toBe(9223372036854775807n);
  });
  it('rejects bad durations', () => {
    expect(err('time.parse_duration_ns', '10').message).toBe('time.parse_duration_ns: time: missing unit in duration "10"');
    expect(err('time.parse_duration_ns', '10x').message).toBe('time.parse_duration_ns: time: unknown unit "x" in duration "10x"');
    expect(err('time.parse_duration_ns', '').message).toBe('time.parse_duration_ns: time: invalid duration ""');
  });
});

describe('time.date / clock / weekday', () => {
  it('works in UTC and IANA zones', () => {
    expect(call('time.date', 1517814000000000000n)).toEqual([2018, 2, 5]);
    expect(call('time.date', [1517814000000000000n, 'America/Los_Angeles'])).toEqual([2018, 2, 4]);
    expect(call('time.date', [1517832000000000000n, ''])).toEqual([2018, 2, 5]);
    expect(call('time.date', 1582977600000000000n)).toEqual([2020, 2, 29]);
    expect(call('time.clock', 1517832000000000000n)).toEqual([12, 0, 0]);
    expect(call('time.clock', [1517832000000000000n, 'America/New_York'])).toEqual([7, 0, 0]);
    expect(call('time.clock', 1582977600000000000n)).toEqual([12, 0, 0]);
    const days = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
    days.forEach((d, i) => expect(call('time.weekday', 1517832000000000000n + BigInt(i) * 86400000000000n)).toBe(d));
  });
  it('handles Asia/Taipei (UTC+8) around the new year', () => {
    expect(call('time.date', [1798732799000000000n, 'Asia/Taipei'])).toEqual([2026, 12, 31]);
    expect(call('time.date', [1798732800000000000n, 'Asia/Taipei'])).toEqual([2027, 1, 1]);
    expect(call('time.clock', [1798732800000000000n, 'Asia/Taipei'])).toEqual([0, 0, 0]);
    expect(call('time.weekday', [1798732800000000000n, 'Asia/Taipei'])).toBe('Friday');
    expect(call('time.weekday', 1798732800000000000n)).toBe('Thursday');
  });
  it('accepts negative and non-bigint instants', () => {
    expect(call('time.date', -1)).toEqual([1969, 12, 31]);
    expect(call('time.clock', -1)).toEqual([23, 59, 59]);
  });
  it('errors', () => {
    expect(err('time.date', 1582977600000000000000n)).toEqual({ code: 'eval_builtin_error', message: 'time.date: timestamp too big' });
    expect(err('time.clock', 1582977600000000000000n).message).toBe('time.clock: timestamp too big');
    expect(err('time.weekday', 1.5).message).toBe('time.weekday: timestamp too big');
    expect(err('time.date', [0, 'Nowhere/Land'])).toEqual({ code: 'eval_builtin_error', message: 'time.date: unknown time zone Nowhere/Land' });
    expect(err('time.date', [0, 'asia/taipei']).message).toBe('time.date: unknown time zone asia/taipei');
    expect(err('time.date', 'x')).toEqual({
      code: 'eval_type_error',
      message: 'time.date: operand 1 must be either number (ns) or [number (ns), string (tz)] but got string',
    });
    expect(err('time.date', []).code).toBe('eval_type_error');
    expect(err('time.date', ['x']).message).toBe('time.date: operand 1 must be number but got string');
    expect(err('time.date', [0, 1]).message).toBe('time.date: operand 1 must be string but got number');
  });
});

describe('time.format', () => {
  const ns = 1670006453141828752n;
  it('formats with zones, layouts and constants', () => {
    expect(call('time.format', ns)).toBe('2022-12-02T18:40:53.141828752Z');
    expect(call('time.format', [ns, 'Asia/Kolkata'])).toBe('2022-12-03T00:10:53.141828752+05:30');
    expect(call('time.format', [ns, 'Asia/Kolkata', 'Mon Jan 02 15:04:05 -0700 2006'])).toBe('Sat Dec 03 00:10:53 +0530 2022');
    expect(call('time.format', [ns, 'Asia/Kolkata', 'RFC1123Z'])).toBe('Sat, 03 Dec 2022 00:10:53 +0530');
    expect(call('time.format', [ns, 'Asia/Taipei', 'RFC1123'])).toBe('Sat, 03 Dec 2022 02:40:53 CST');
    expect(call('time.format', [ns, 'Asia/Taipei', '2006-01-02 15:04:05.000 Z07:00'])).toBe('2022-12-03 02:40:53.141 +08:00');
    expect(call('time.format', [ns, 'UTC', 'ANSIC'])).toBe('Fri Dec  2 18:40:53 2022');
    expect(call('time.format', [ns, 'UTC', 'Jan _2 3:4:5 pm .999 002'])).toBe('Dec  2 6:40:53 pm .141 336');
    expect(call('time.format', [1670006453000000000n, 'UTC', 'RFC3339Nano'])).toBe('2022-12-02T18:40:53Z');
  });
  it('errors on huge timestamps', () => {
    expect(err('time.format', 1.5829776e22)).toEqual({ code: 'eval_builtin_error', message: 'time.format: timestamp too big' });
  });
});

describe('time.add_date', () => {
  it("normalises as Go's AddDate", () => {
    expect(call('time.add_date', 1585852421593912000n, 3, 9, 12)).toBe(1705257221593912000n);
    expect(call('time.add_date', 1585852421593912000n, -1, -1, -1)).toBe(1551465221593912000n);
    // 2021-01-31 + 1 month → 2021-03-03
    const jan31 = call('time.parse_ns', '2006-01-02', '2021-01-31') as bigint;
    const r = call('time.add_date', jan31, 0, 1, 0) as bigint;
    expect(call('time.date', r)).toEqual([2021, 3, 3]);
    // In Asia/Taipei the wall clock is kept.
    const r2 = call('time.add_date', [1798732799000000000n, 'Asia/Taipei'], 0, 0, 1) as bigint;
    expect(r2).toBe(1798732799000000000n + 86400000000000n);
  });
  it('errors', () => {
    expect(err('time.add_date', 0, 2262, 1, 1)).toEqual({ code: 'eval_builtin_error', message: 'time.add_date: time outside of valid range' });
    expect(err('time.add_date', -9223372036854775808n, 0, 0, -1).message).toBe('time.add_date: time outside of valid range');
    expect(err('time.add_date', 0, 1.5, 0, 0)).toEqual({
      code: 'eval_type_error',
      message: 'time.add_date: operand 2 must be integer number but got floating-point number',
    });
  });
});

describe('time.diff', () => {
  const p = (s: string): Value => call('time.parse_ns', '2006-01-02', s)!;
  it("follows OPA's calendar difference", () => {
    const now = 1700000000000000000n;
    expect(call('time.diff', now + 61000000000n, now)).toEqual([0, 0, 0, 0, 1, 1]);
    expect(call('time.diff', [now + 60000000000n, 'UTC'], [now, 'Asia/Shanghai'])).toEqual([0, 0, 0, 0, 1, 0]);
    expect(call('time.diff', p('2020-02-02'), p('2020-03-01'))).toEqual([0, 0, 28, 0, 0, 0]);
    expect(call('time.diff', p('2021-02-02'), p('2021-03-01'))).toEqual([0, 0, 27, 0, 0, 0]);
    expect(call('time.diff', p('2004-02-29'), p('2005-03-01'))).toEqual([1, 0, 1, 0, 0, 0]);
    expect(call('time.diff', [1798732799000000000n, 'Asia/Taipei'], [1798732800000000000n, 'Asia/Taipei'])).toEqual([0, 0, 0, 0, 0, 1]);
  });
});

describe('test.sleep', () => {
  it('sleeps and returns null', () => {
    const t0 = Date.now();
    expect(call('test.sleep', '10ms')).toBe(null);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(9);
  });
});
