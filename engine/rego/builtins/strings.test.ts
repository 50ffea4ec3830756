import { describe, expect, it } from 'vitest';
import { builtins } from './strings.ts';
import { caller } from './testutil.ts';
import { SetValue, ObjectValue } from '../value.ts';

const call = caller(builtins);

describe('strings', () => {
  it('concat', () => {
    expect(call('concat', ', ', ['a', 'b'])).toBe('a, b');
    expect(call('concat', '/', SetValue.from(['b', 'a']))).toBe('a/b');
    expect(call('concat', '/', [])).toBe('');
    expect(() => call('concat', '/', ['a', 1])).toThrow('concat: operand 2 must be array of strings but got array containing number');
    expect(() => call('concat', '/', 'x')).toThrow('concat: operand 2 must be one of {set, array} but got string');
  });
  it('indexof by runes', () => {
    expect(call('indexof', 'a😀bc', 'b')).toBe(2);
    expect(call('indexof', 'abc', 'x')).toBe(-1);
    expect(call('indexof_n', 'a😀a😀', '😀')).toEqual([1, 3]);
    expect(() => call('indexof', 'abc', '')).toThrow('indexof: empty search character');
  });
  it('substring', () => {
    expect(call('substring', 'abcdef', 1, 3)).toBe('bcd');
    expect(call('substring', 'abcdef', 1, -1)).toBe('bcdef');
    expect(call('substring', 'abc', 5, 1)).toBe('');
    expect(call('substring', '😀😁😂', 1, 1)).toBe('😁');
    expect(() => call('substring', 'abc', -1, 1)).toThrow('negative offset');
    expect(() => call('substring', 'abc', 1.5, 1)).toThrow(
      'substring: operand 2 must be integer number but got floating-point number',
    );
  });
  it('case', () => {
    expect(call('upper', 'abc ß')).toBe('ABC ß');
    expect(call('lower', 'ΑΣ İ')).toBe('ασ i');
  });
  it('split', () => {
    expect(call('split', 'a,b,,c', ',')).toEqual(['a', 'b', '', 'c']);
    expect(call('split', 'abc', '')).toEqual(['a', 'b', 'c']);
    expect(call('split', '', '')).toEqual([]);
    expect(call('split', '', ',')).toEqual(['']);
    expect(call('strings.split_n', 'a.b.c.d', '.', 2)).toEqual(['a', 'b.c.d']);
    expect(call('strings.split_n', 'a;b;c;d', ';', -2)).toEqual(['c', 'd']);
    expect(call('strings.split_n', 'abc', '', 2)).toEqual(['a', 'bc']);
    expect(call('strings.split_n', 'a.b.c', '.', 0)).toEqual([]);
  });
  it('replace', () => {
    expect(call('replace', 'aaa', 'a', 'b')).toBe('bbb');
    expect(call('replace', 'ab', '', 'X')).toBe('XaXbX');
    expect(call('replace', 'a$b', '$', '$$')).toBe('a$$b');
    const pats = ObjectValue.fromRecord({ a: '1', ab: '2' });
    expect(call('strings.replace_n', pats, 'abab')).toBe('1b1b');
    expect(() => call('strings.replace_n', ObjectValue.from([[1, 'x']]), 'a')).toThrow(
      'strings.replace_n: operand 1 non-string key found in pattern object',
    );
  });
  it('trim family', () => {
    expect(call('trim', '  xx  ', ' ')).toBe('xx');
    expect(call('trim_left', 'aabca', 'a')).toBe('bca');
    expect(call('trim_right', 'aabcaa', 'a')).toBe('aabc');
    expect(call('trim_prefix', 'foobar', 'foo')).toBe('bar');
    expect(call('trim_suffix', 'foobar', 'bar')).toBe('foo');
    expect(call('trim_space', '\u0085\t x \n\u00a0')).toBe('x');
    expect(call('trim_space', '\ufeffx')).toBe('\ufeffx');
  });
  it('misc', () => {
    expect(call('strings.reverse', '1😀𝛾')).toBe('𝛾😀1');
    expect(call('strings.count', 'cheese', 'e')).toBe(3);
    expect(call('strings.count', 'five', '')).toBe(5);
    expect(call('contains', 'abc', 'b')).toBe(true);
    expect(call('startswith', 'abc', 'ab')).toBe(true);
    expect(call('endswith', 'abc', 'bc')).toBe(true);
    expect(call('format_int', 255, 16)).toBe('ff');
    expect(call('format_int', -5.9, 2)).toBe('-101');
    expect(call('format_int', 18446744073709551617n, 10)).toBe('18446744073709551617');
    expect(() => call('format_int', 1, 3)).toThrow('format_int: operand 2 must be one of {2, 8, 10, 16}');
  });
  it('any prefix/suffix match', () => {
    expect(call('strings.any_prefix_match', ['foo', 'bar'], 'ba')).toBe(true);
    expect(call('strings.any_suffix_match', 'foobar', SetValue.from(['x', 'bar']))).toBe(true);
    expect(() => call('strings.any_prefix_match', 1, 'a')).toThrow(
      'strings.any_prefix_match: operand 1 must be one of {string, set, array} but got number',
    );
    expect(() => call('strings.any_suffix_match', 'a', [1])).toThrow(
      'strings.any_suffix_match: operand 2 must be array of strings but got array containing number',
    );
  });
});
