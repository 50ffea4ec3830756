import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DataParseError, fromJS, jsonString, parseJSON, parseYAML, toJS, toJSONText } from './json.ts';
import { BigDecimal, compareNumbers } from './number.ts';
import { equal, ObjectValue, SetValue, type Value } from './value.ts';

const rt = (t: string): string => toJSONText(parseJSON(t));

describe('parseJSON', () => {
  it('parses ordinary documents (fast path)', () => {
    const v = parseJSON('{"a": [1, 2.5, "x", true, false, null], "b": {}}');
    expect(v).toBeInstanceOf(ObjectValue);
    const o = v as ObjectValue;
    expect(o.get('a')).toEqual([1, 2.5, 'x', true, false, null]);
    expect((o.get('b') as ObjectValue).size).toBe(0);
    expect(parseJSON('"s"')).toBe('s');
    expect(parseJSON(' 12 ')).toBe(12);
    expect(parseJSON('null')).toBe(null);
  });

  it('never loses a digit', () => {
    const t = '3.14159265358979323846264338327950288';
    expect(rt(t)).toBe(t);
    expect(rt(`[${t}]`)).toBe(`[${t}]`);
    expect(parseJSON(t)).toBeInstanceOf(BigDecimal);
    expect(rt('{"ts":1700000000000000000,"n":1800000000000000001}')).toBe('{"n":1800000000000000001,"ts":1700000000000000000}');
    expect(parseJSON('[18446744073709551616, -9223372036854775808]')).toEqual([2n ** 64n, -(2n ** 63n)]);
    expect(rt('[18446744073709551616,-9223372036854775808]')).toBe('[18446744073709551616,-9223372036854775808]');
    expect(parseJSON('9007199254740993')).toBe(9007199254740993n);
    expect(parseJSON('0.1000000000000000000001')).toBeInstanceOf(BigDecimal);
  });

  it('fast path gives the same values as the exact parser', () => {
    // 1e20 is short text but beyond 2^53: it must still be the exact integer.
    expect(parseJSON('[1e20, 1.5e300, 2E-5]')).toEqual([10n ** 20n, 15n * 10n ** 299n, 2e-5]);
    // Beyond the float64 range an integer keeps its text (OPA's json.Number), equal to 10^400.
    const big = (parseJSON('[1e400]') as Value[])[0];
    expect(big).toBeInstanceOf(BigDecimal);
    expect(compareNumbers(big as BigDecimal, 10n ** 400n)).toBe(0);
    expect(toJSONText(big)).toBe('1e400');
    expect((parseJSON('[1e-400]') as Value[])[0]).toBeInstanceOf(BigDecimal);
    expect(Object.is(parseJSON('-0'), -0)).toBe(true);
    // A long digit run inside a string only sends the document to the exact parser.
    expect(parseJSON('{"id": "12345678901234567890", "n": 1}')).toSatisfy((v: Value) =>
      equal(v, ObjectValue.from([['id', '12345678901234567890'], ['n', 1]])),
    );
  });

  it('handles escapes and unicode in both parsers', () => {
    const t = '["a\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00", 12345678901234567890]';
    const v = parseJSON(t) as Value[];
    expect(v[0]).toBe('a"b\\c/d\n\té😀');
    expect(parseJSON('["a\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00"]')).toEqual([v[0]]);
  });

  it('reports errors with line and column', () => {
    const cases: [string, number, number, RegExp][] = [
      ['{"a": [1, 2,\n  3 x]}', 2, 5, /invalid character 'x' after array element/],
      ['{"a": 1', 1, 8, /unexpected end of JSON input/],
      ['{"a" 1}', 1, 6, /after object key/],
      ['[1,]', 1, 4, /looking for beginning of value/],
      ['[01]', 1, 3, /numeric literal/],
      ['{"a":1} x', 1, 9, /after top-level value/],
      ['"abc', 1, 5, /unexpected end of JSON input/],
      ['["\\q"]', 1, 3, /escape/],
      ['', 1, 1, /unexpected end of JSON input/],
    ];
    for (const [t, line, col, re] of cases) {
      let err: unknown;
      try {
        parseJSON(t, 'in.json');
      } catch (e) {
        err = e;
      }
      expect(err, t).toBeInstanceOf(DataParseError);
      const e = err as DataParseError;
      expect([e.line, e.col], t).toEqual([line, col]);
      expect(e.message, t).toMatch(re);
      expect(e.message.startsWith(`in.json:${line}:${col}: `)).toBe(true);
      expect(e.file).toBe('in.json');
    }
  });

  it('handles 10,000 levels of nesting without stack overflow', () => {
    const n = 10_000;
    const arr = '['.repeat(n) + ']'.repeat(n);
    expect(rt(arr)).toBe(arr);
    const obj = '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    expect(rt(obj)).toBe(obj);
    // exact parser (a long number forces it)
    const obj2 = '{"a":'.repeat(n) + '12345678901234567890' + '}'.repeat(n);
    expect(rt(obj2)).toBe(obj2);
    expect(toJSONText(parseJSON(arr), 1).length).toBeGreaterThan(n);
  });

  it('round-trips random JSON', () => {
    fc.assert(
      fc.property(fc.json(), (t) => {
        const v = parseJSON(t);
        const back = toJSONText(v);
        expect(equal(parseJSON(back), v)).toBe(true);
        expect(JSON.parse(back)).toEqual(sortDeep(JSON.parse(t)));
      }),
    );
  });
});

function sortDeep(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortDeep);
  if (x !== null && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x).sort()) out[k] = sortDeep((x as Record<string, unknown>)[k]);
    return out;
  }
  return x;
}

describe('toJSONText', () => {
  it('sorts keys and writes Go encoding/json text', () => {
    const v = parseJSON('{"b": 1, "a": [true, null, "x"], "A": {}}');
    expect(toJSONText(v)).toBe('{"A":{},"a":[true,null,"x"],"b":1}');
    expect(toJSONText(v, 2)).toBe('{\n  "A": {},\n  "a": [\n    true,\n    null,\n    "x"\n  ],\n  "b": 1\n}');
    expect(toJSONText(v, '\t', { prefix: '> ' })).toBe(
      '{\n> \t"A": {},\n> \t"a": [\n> \t\ttrue,\n> \t\tnull,\n> \t\t"x"\n> \t],\n> \t"b": 1\n> }',
    );
    expect(toJSONText([])).toBe('[]');
    expect(toJSONText([], 2)).toBe('[]');
    expect(toJSONText('x')).toBe('"x"');
  });

  it('writes sets as sorted arrays and non-string keys as their JSON text', () => {
    expect(toJSONText([ObjectValue.from([['foo', SetValue.from([3, 1, 2])]])])).toBe('[{"foo":[1,2,3]}]');
    expect(toJSONText(SetValue.from([]))).toBe('[]');
    const entries: [Value, Value][] = [
      [1, 'one'],
      [[1, 'a'], 'arr'],
      [true, 't'],
      [null, 'n'],
      [ObjectValue.from([['k', 1]]), 'obj'],
      [2.5, 'f'],
    ];
    const o = ObjectValue.from(entries);
    expect(toJSONText(o)).toBe('{"1":"one","2.5":"f","[1,\\"a\\"]":"arr","null":"n","true":"t","{\\"k\\":1}":"obj"}');
    // a string key and a number key with the same text: one entry
    expect(toJSONText(ObjectValue.from([[1, 'num'], ['1', 'str']]))).toBe('{"1":"str"}');
  });

  it('escapes strings as Go does', () => {
    expect(jsonString('a"b\\c\n\t\b\f\r\u0001\u001f')).toBe('"a\\"b\\\\c\\n\\t\\b\\f\\r\\u0001\\u001f"');
    expect(jsonString('<a&b>')).toBe('"<a&b>"');
    expect(jsonString('<a&b>', true)).toBe('"\\u003ca\\u0026b\\u003e"');
    expect(jsonString('\u2028\u2029')).toBe('"\\u2028\\u2029"');
    expect(jsonString('x\ud800y')).toBe('"x\ufffdy"');
    expect(jsonString('é😀')).toBe('"é😀"');
    expect(toJSONText(['<'], undefined, { escapeHTML: true })).toBe('["\\u003c"]');
  });

  it('prints numbers exactly', () => {
    expect(toJSONText([1, -0, 2.5, 1e-7, 1e21, 2n ** 64n, new BigDecimal(31415926535897932384626n, -22)])).toBe(
      '[1,-0,2.5,1e-7,1000000000000000000000,18446744073709551616,3.1415926535897932384626]',
    );
  });
});

describe('fromJS / toJS', () => {
  it('converts plain JS data', () => {
    const v = fromJS({ a: [1, 2n ** 70n, 'x', null, true], b: new Map<unknown, unknown>([[1, 'x'], [[1, 2], 'y']]), c: new Set([2, 1]), d: undefined });
    expect(toJSONText(v)).toBe('{"a":[1,1180591620717411303424,"x",null,true],"b":{"1":"x","[1,2]":"y"},"c":[1,2]}');
    const o = v as ObjectValue;
    expect((o.get('b') as ObjectValue).get([1, 2])).toBe('y');
    expect(o.get('c')).toBeInstanceOf(SetValue);
    expect(fromJS(5n)).toBe(5);
    expect(() => fromJS(NaN)).toThrow();
    expect(() => fromJS(undefined)).toThrow();
    expect(() => fromJS(() => 1)).toThrow();
  });

  it('passes Rego values through and converts back', () => {
    const v = parseJSON('{"a": [1, {"b": 2.5}], "big": 18446744073709551616, "__proto__": 1}');
    expect(equal(fromJS(v), v)).toBe(true);
    const js = toJS(v) as Record<string, unknown>;
    expect(js.a).toEqual([1, { b: 2.5 }]);
    expect(js.big).toBe(18446744073709551616);
    expect(Object.keys(js)).toEqual(['__proto__', 'a', 'big']);
    expect((toJS(v, { bigNumbers: 'bigint' }) as Record<string, unknown>).big).toBe(2n ** 64n);
    expect(toJS(SetValue.from(['b', 'a']))).toEqual(['a', 'b']);
    expect(toJS(ObjectValue.from([[1, 'x']]))).toEqual({ '1': 'x' });
    expect(equal(fromJS(toJS(v, { bigNumbers: 'bigint' })), v)).toBe(true);
    // a double's value is its shortest decimal text (as OPA's float64 → number)
    expect(fromJS(2 ** 64)).toBe(18446744073709552000n);
  });
});

describe('parseYAML', () => {
  it('reads YAML 1.1 scalars as OPA (go-yaml v2 → JSON) does', () => {
    const v = parseYAML(
      [
        'bool_yes: yes',
        'bool_off: off',
        'octal: 0777',
        'date: 2024-01-01',
        'big: 1700000000000000001',
        'huge: 123456789012345678901234',
        'float: 1.5',
        '1: int key',
        'true: bool key',
        'list: [1, 2]',
        'nothing: ~',
        'str: "x"',
      ].join('\n'),
    );
    expect(toJSONText(v)).toBe(
      '{"1":"int key","big":1700000000000000001,"bool_off":false,"bool_yes":true,"date":"2024-01-01","float":1.5,"huge":123456789012345690000000,"list":[1,2],"nothing":null,"octal":511,"str":"x","true":"bool key"}',
    );
  });

  it('handles anchors, merge keys and empty documents', () => {
    expect(toJSONText(parseYAML('base: &b {x: 1}\nd:\n  <<: *b\n  z: 2\n'))).toBe('{"base":{"x":1},"d":{"x":1,"z":2}}');
    // go-yaml v2 (YAML 1.1) reads y / n / on / off as booleans, keys too
    expect(toJSONText(parseYAML('y: 1\nn: [on, off]\n'))).toBe('{"false":[true,false],"true":1}');
    expect(parseYAML('')).toBe(null);
    expect(parseYAML('# only a comment\n')).toBe(null);
  });

  it('reports errors with line and column', () => {
    let err: DataParseError | undefined;
    try {
      parseYAML('a: 1\nb: [1, 2\n', 'x.yaml');
    } catch (e) {
      err = e as DataParseError;
    }
    expect(err).toBeInstanceOf(DataParseError);
    expect(err!.message).toMatch(/^x\.yaml: yaml: line \d+: did not find expected ',' or '\]'/);
    expect(err!.line).toBeGreaterThanOrEqual(2);
    expect(() => parseYAML('[1,2,3')).toThrow("yaml: line 1: did not find expected ',' or ']'");
    expect(() => parseYAML('a: b: c')).toThrow(/yaml: line 1:/);
    expect(() => parseYAML('a: .inf')).toThrow(/unsupported value/);
  });
});
