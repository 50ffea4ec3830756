import { describe, expect, it } from 'vitest';
import { ObjectValue, SetValue } from '../rego/value.ts';
import { compactJSON, fromValue, GoNum, GoStruct, indentJSON, quote } from './gojson.ts';
import { displayWidth, renderTable } from './table.ts';

describe('Go JSON text', () => {
  it('escapes as encoding/json does', () => {
    expect(quote('a<b>&c')).toBe('"a\\u003cb\\u003e\\u0026c"');
    expect(quote('\u2028\n\t\u0001"\\')).toBe('"\\u2028\\n\\t\\u0001\\"\\\\"');
    expect(quote('台灣')).toBe('"台灣"');
    expect(quote('\ud800x')).toBe('"\ufffdx"');
  });

  it('indents like json.Encoder.SetIndent("", "  ")', () => {
    const x = new GoStruct([
      ['result', [new GoStruct([['value', []], ['o', new GoStruct([])], ['n', new GoNum('1.50')]])]],
    ]);
    expect(indentJSON(x)).toBe('{\n  "result": [\n    {\n      "value": [],\n      "o": {},\n      "n": 1.50\n    }\n  ]\n}\n');
  });

  it('converts Rego values as ast.JSON: sorted keys, sets as arrays, non-string keys as JSON', () => {
    const o = ObjectValue.from([
      ['b', 1],
      ['a', SetValue.from([3, 1, 2])],
      [1, 'one'],
      [[1, 'x'], null],
    ]);
    expect(compactJSON(fromValue(o))).toBe('{"1":"one","[1,\\"x\\"]":null,"a":[1,2,3],"b":1}');
    expect(compactJSON(fromValue(123456789012345678901234567890n))).toBe('123456789012345678901234567890');
  });
});

describe('pretty tables', () => {
  it('draws a box table with centred headers', () => {
    expect(renderTable(['x', 'name'], [['1', '"a"'], ['22', '"bb"']])).toBe(
      ['┌────┬──────┐', '│ x  │ name │', '├────┼──────┤', '│ 1  │ "a"  │', '│ 22 │ "bb" │', '└────┴──────┘', ''].join('\n'),
    );
  });

  it('counts wide characters twice', () => {
    expect(displayWidth('台灣ab')).toBe(6);
  });
});
