import { describe, expect, it } from 'vitest';
import type { Value } from '../value.ts';
import { builtins } from './glob.ts';
import { builtinCaller } from './testutil.ts';

const { call } = builtinCaller(builtins);
const g = (p: string, d: Value, s: string): Value | undefined => call('glob.match', p, d, s);

describe('glob.match', () => {
  it('matches OPA conformance cases', () => {
    const cases: [string, Value, string, boolean][] = [
      ['*.github.com', ['.'], 'api.github.com', true],
      ['api.**.com', ['.'], 'api.github.com', true],
      ['api.**.com', ['.'], 'api.cdn.github.com', true],
      ['*:github:com', [':'], 'api:github:com', true],
      ['*.github.com', ['.'], 'api.not-github.com', false],
      ['[abc]at', [], 'cat', true],
      ['[abc]at', [], 'fat', false],
      ['[!abc]at', [], 'fat', true],
      ['[!abc]at', [], 'cat', false],
      ['[a-c]at', [], 'bat', true],
      ['[a-c]at', [], 'fat', false],
      ['[!a-c]at', [], 'bat', false],
      ['[!a-c]at', [], 'fat', true],
      ['?at', [], 'fat', true],
      ['?at', [], 'at', false],
      ['?at', ['f'], 'bat', true],
      ['?at', ['f'], 'fat', false],
      ['{cat,bat,[fr]at}', [], 'cat', true],
      ['{cat,bat,[fr]at}', [], 'bat', true],
      ['{cat,bat,[fr]at}', [], 'fat', true],
      ['{cat,bat,[fr]at}', [], 'rat', true],
      ['{cat,bat,[fr]at}', [], 'at', false],
      ['*', ['.'], 'foo', true],
      ['*', [], 'foo', true],
      ['*', ['.'], 'foo.bar', false],
      ['*', [], 'foo.bar', false],
      ['*', null, 'foo.bar', true],
      ['foo*', null, 'foo.bar', true],
      ['?', null, '', false],
      ['[!0-9]', null, '', false],
      ['a/*/b', null, 'a/b', false],
      ['a/*/b', null, 'a/x/b', true],
      ['a/**/b', null, 'a/b', false],
      ['a/**/b', null, 'a//b', true],
      ['**/x', null, 'x', false],
      ['{**/,}x', null, 'x', true],
      ['***', ['.'], '', true],
      ['*?*', ['.', '/'], 'api.github.com', false],
      ['*?*', ['.', '/'], 'abc', true],
      ['*', ['.', '/'], 'a/b', false],
      ['\\*', null, '*', true],
      ['\\*', null, 'a', false],
      ['a.b(c)+', null, 'a.b(c)+', true],
      ['{a,{b,c}d}', null, 'cd', true],
    ];
    for (const [p, d, s, want] of cases) expect(g(p, d, s), `${p} ${JSON.stringify(d)} ${s}`).toBe(want);
  });
  it('errors', () => {
    expect(() => g('{a', null, 'a')).toThrow('glob.match: unclosed `{`');
    expect(() => g('[a', null, 'a')).toThrow('glob.match');
    expect(() => g('a', 'x', 'a')).toThrow('glob.match: operand 2 must be one of {array, null} but got string');
    expect(() => g('a', ['ab'], 'a')).toThrow('glob.match: operand 2 must be array of runes but got array containing string');
  });
});

describe('glob.quote_meta', () => {
  it('escapes meta characters', () => {
    expect(call('glob.quote_meta', '*.github.com')).toBe('\\*.github.com');
    expect(call('glob.quote_meta', '{foo*}[?]\\')).toBe('\\{foo\\*\\}\\[\\?\\]\\\\');
  });
});
