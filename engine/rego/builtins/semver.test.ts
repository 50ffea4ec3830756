import { describe, expect, it } from 'vitest';
import type { Value } from '../value.ts';
import { builtins } from './semver.ts';
import { builtinCaller } from './testutil.ts';

const { call } = builtinCaller(builtins);

describe('semver.compare', () => {
  it('orders versions', () => {
    expect(call('semver.compare', '1.0.0', '2.0.0')).toBe(-1);
    expect(call('semver.compare', '2.0.0', '1.0.0')).toBe(1);
    expect(call('semver.compare', '1.0.0', '1.0.0')).toBe(0);
    expect(call('semver.compare', '1.2.3-0', '1.2.3-1')).toBe(-1);
    expect(call('semver.compare', '1.2.3+01', '1.2.3+2')).toBe(0);
    expect(call('semver.compare', '1.0.0-alpha', '1.0.0')).toBe(-1);
    const order = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];
    for (let i = 0; i + 1 < order.length; i++) {
      expect(call('semver.compare', order[i], order[i + 1])).toBe(-1);
      expect(call('semver.compare', order[i + 1], order[i])).toBe(1);
    }
    expect(call('semver.compare', 'v1.0.0', '1.0.0')).toBe(0);
  });
  it('rejects invalid versions', () => {
    expect(() => call('semver.compare', '1', '1.0.0')).toThrow('semver.compare: operand 1: string "1" is not a valid SemVer');
    expect(() => call('semver.compare', '1.0.0', '1')).toThrow('semver.compare: operand 2: string "1" is not a valid SemVer');
    expect(() => call('semver.compare', '1.02.3', '1.2.3')).toThrow('operand 1: string "1.02.3" is not a valid SemVer');
    expect(() => call('semver.compare', '1.2.3', '1.2.3-01')).toThrow('operand 2: string "1.2.3-01" is not a valid SemVer');
    expect(() => call('semver.compare', '1.2.3-', '1.2.3')).toThrow('operand 1: string "1.2.3-" is not a valid SemVer');
    try {
      call('semver.compare', '1', '1.0.0');
    } catch (e) {
      expect((e as { code: string }).code).toBe('eval_builtin_error');
    }
  });
});

describe('semver.is_valid', () => {
  it('is strict SemVer 2.0.0', () => {
    const valid = ['1.0.0', '0.0.0', '1.2.3-0', '1.2.3-0a', '1.2.3+01', '1.2.3-alpha.1+build.5'];
    const invalid = ['1', '01.2.3', '1.02.3', '1.2.03', '1.2.3-01', '1.2.3-alpha.01', '1.2.3-', '1.2.3+', '1.2.3.4', ''];
    for (const v of valid) expect(call('semver.is_valid', v), v).toBe(true);
    for (const v of invalid) expect(call('semver.is_valid', v), v).toBe(false);
    expect(call('semver.is_valid', 1)).toBe(false);
  });
});
