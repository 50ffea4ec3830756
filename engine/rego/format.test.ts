import { describe, expect, it } from 'vitest';
import { formatInterpolated, formatPretty, formatValue, goQuote } from './format.ts';
import { parseJSON } from './json.ts';
import { parseNumber } from './number.ts';
import { ObjectValue, SetValue, type Value } from './value.ts';

describe('goQuote (strconv.Quote)', () => {
  it('escapes like Go', () => {
    expect(goQuote('plain')).toBe('"plain"');
    expect(goQuote('')).toBe('""');
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote('\u0007\b\f\n\r\t\u000b')).toBe('"\\a\\b\\f\\n\\r\\t\\v"');
    expect(goQuote('\u0000\u001b\u007f')).toBe('"\\x00\\x1b\\x7f"');
    expect(goQuote('é中😀')).toBe('"é中😀"');
    expect(goQuote('\u00a0\u200b\u00ad')).toBe('"\\u00a0\\u200b\\u00ad"');
    expect(goQuote('\u{e0001}')).toBe('"\\U000e0001"');
    expect(goQuote('<&>')).toBe('"<&>"');
    expect(goQuote('x\ud800')).toBe('"x\ufffd"');
  });
});

describe('formatValue (ast.Value String())', () => {
  it('formats scalars', () => {
    expect(formatValue(null)).toBe('null');
    expect(formatValue(true)).toBe('true');
    expect(formatValue(42)).toBe('42');
    expect(formatValue(13.37)).toBe('13.37');
    expect(formatValue('foo')).toBe('"foo"');
    expect(formatValue(parseNumber('123456789123456789123'))).toBe('123456789123456789123');
    expect(formatValue(parseNumber('3.14159265358979323846264338327950288'))).toBe('3.14159265358979323846264338327950288');
  });

  it('formats collections as the conformance cases expect', () => {
    // string-interpolation/template expressions with collection values
    const parts: Value[] = [
      [],
      [42, 13.37, true, 'foo', null],
      SetValue.from([]),
      SetValue.from([42]),
      new ObjectValue(),
      ObjectValue.from([['a', 'b']]),
    ];
    expect(parts.map(formatInterpolated).join(', ')).toBe('[], [42, 13.37, true, "foo", null], set(), {42}, {}, {"a": "b"}');
    expect(formatInterpolated(['a', 'b', 'c'])).toBe('["a", "b", "c"]');
    expect(formatInterpolated(SetValue.from(['a']))).toBe('{"a"}');
    expect(formatInterpolated(ObjectValue.from([['a', 'a']]))).toBe('{"a": "a"}');
    expect(formatInterpolated('foo')).toBe('foo');
    expect(formatInterpolated(42)).toBe('42');
    expect(formatInterpolated(null)).toBe('null');
  });

  it('sorts objects and sets, any key kinds', () => {
    expect(formatValue(parseJSON('{"b": [true, null], "a": 1}'))).toBe('{"a": 1, "b": [true, null]}');
    expect(formatValue(SetValue.from([3, 'x', 1, [1], null]))).toBe('{null, 1, 3, "x", [1]}');
    expect(formatValue(ObjectValue.from([[[1, 2], SetValue.from([])], [1, 'x'], ['k', new ObjectValue()]]))).toBe(
      '{1: "x", "k": {}, [1, 2]: set()}',
    );
    expect(formatValue(SetValue.from([SetValue.from([2, 1]), ObjectValue.from([['z', 1]])]))).toBe('{{"z": 1}, {1, 2}}');
  });

  it('handles deep nesting', () => {
    const n = 10_000;
    const v = parseJSON('['.repeat(n) + '"x"' + ']'.repeat(n));
    expect(formatValue(v)).toBe('['.repeat(n) + '"x"' + ']'.repeat(n));
  });
});

describe('formatPretty', () => {
  it('prints JSON indented with two spaces', () => {
    expect(formatPretty(parseJSON('{"b": [1, {"c": "<x>"}], "a": {}}'))).toBe(
      '{\n  "a": {},\n  "b": [\n    1,\n    {\n      "c": "<x>"\n    }\n  ]\n}',
    );
    expect(formatPretty('x')).toBe('"x"');
    expect(formatPretty(SetValue.from([2, 1]))).toBe('[\n  1,\n  2\n]');
  });
});
