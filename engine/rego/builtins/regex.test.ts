import { describe, expect, it } from 'vitest';
import { builtins } from './regex.ts';
import { caller } from './testutil.ts';

const call = caller(builtins);

describe('regex', () => {
  it('match / is_valid', () => {
    expect(call('regex.match', '^a+$', 'aaa')).toBe(true);
    expect(call('regex.match', 'b', 'abc')).toBe(true);
    expect(call('regex.match', '^b', 'abc')).toBe(false);
    expect(call('regex.is_valid', '(?=x)')).toBe(false);
    expect(call('regex.is_valid', '(a)\\1')).toBe(false);
    expect(call('regex.is_valid', '[a-z]+')).toBe(true);
    expect(call('regex.is_valid', 1)).toBe(false);
    expect(() => call('regex.match', '[', 'x')).toThrow('regex.match: error parsing regexp: missing closing ]: `[`');
  });
  it('no catastrophic backtracking', () => {
    const s = 'a'.repeat(5000) + 'b';
    expect(call('regex.match', '^(a+)+$', s)).toBe(false);
  });
  it('find_n and submatches', () => {
    expect(call('regex.find_n', 'a.', 'paranormal', -1)).toEqual(['ar', 'an', 'al']);
    expect(call('regex.find_n', 'a.', 'paranormal', 2)).toEqual(['ar', 'an']);
    expect(call('regex.find_n', 'a.', 'paranormal', 0)).toEqual([]);
    expect(call('regex.find_n', '^a.', 'abacadaeaf', -1)).toEqual(['ab']);
    expect(call('regex.find_all_string_submatch_n', '([a-z]+)(x)?', 'ab12cd', -1)).toEqual([
      ['ab', 'ab', ''],
      ['cd', 'cd', ''],
    ]);
  });
  it('split', () => {
    expect(call('regex.split', ',', 'a,b,,')).toEqual(['a', 'b', '', '']);
    expect(call('regex.split', 'x*', 'abc')).toEqual(['a', 'b', 'c']);
    expect(call('regex.split', ',', '')).toEqual(['']);
  });
  it('replace', () => {
    expect(call('regex.replace', '-wy-wxxy-', 'w(x*)y', '0')).toBe('-0-0-');
    expect(call('regex.replace', 'foo', '(foo)', '$1$1')).toBe('foofoo');
    expect(call('regex.replace', 'foo', '^[a-z]', 'F')).toBe('Foo');
    expect(call('regex.replace', 'foo barx', '[a-z]{2}', '_')).toBe('_o __');
    expect(call('regex.replace', 'abc', '(?P<x>b)', '[${x}$1x$$]')).toBe('a[bb]c'.replace('bb]', 'b$]'));
    expect(call('regex.replace', 'baaac', 'a*', '-')).toBe('-b-c-');
  });
  it('template_match', () => {
    expect(call('regex.template_match', 'urn:foo:{.*}', 'urn:foo:bar:baz', '{', '}')).toBe(true);
    expect(call('regex.template_match', 'urn:foo.bar:{[0-9]{2}}', 'urn:foo.bar:12', '{', '}')).toBe(true);
    expect(call('regex.template_match', 'urn:foo.bar:{[0-9]{2}}', 'urn:fooxbar:12', '{', '}')).toBe(false);
    expect(() => call('regex.template_match', 'a{b', 'x', '{', '}')).toThrow('unbalanced braces');
  });
  it('globs_match', () => {
    expect(call('regex.globs_match', 'a.a.', '.b.b')).toBe(true);
    expect(call('regex.globs_match', '[a-z]*', '[0-9]+')).toBe(false);
    expect(call('regex.globs_match', 'a.*', '.*b')).toBe(true);
    expect(() => call('regex.globs_match', '[a', 'a')).toThrow('regex.globs_match');
  });
});

describe('regex conformance spot checks', () => {
  it('cases', () => {
    expect(call('regex.match', '^[a-z]+\\[[0-9]+\\]$', 'foo[1]')).toBe(true);
    expect(call('regex.match', '^$', '')).toBe(true);
    expect(call('regex.match', '', '')).toBe(true);
    expect(call('regex.match', '', 'x')).toBe(true);
    expect(() => call('regex.match', '$^[[[', 'something')).toThrow();
    expect(call('regex.is_valid', '++')).toBe(false);
    expect(call('regex.is_valid', '.+')).toBe(true);
    expect(call('regex.template_match', 'urn:foo:<.*>', 'urn:foo:bar:baz', '<', '>')).toBe(true);
  });
});
