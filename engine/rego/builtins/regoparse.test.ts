import { describe, expect, it } from 'vitest';
import { toJS } from '../json.ts';
import type { Value } from '../value.ts';
import { builtins } from './regoparse.ts';
import { caller } from './testutil.ts';

const call = caller(builtins);

describe('rego.parse_module', () => {
  it("gives OPA's AST JSON", () => {
    const m = toJS(call('rego.parse_module', 'x.rego', 'package a.b\n\nimport data.c\n\np contains x if { some x in [1]; not q }\n') as Value) as Record<string, any>;
    expect(m.package).toEqual({ path: [{ type: 'var', value: 'data' }, { type: 'string', value: 'a' }, { type: 'string', value: 'b' }] });
    expect(m.imports).toEqual([{ path: { type: 'ref', value: [{ type: 'var', value: 'data' }, { type: 'string', value: 'c' }] } }]);
    const rule = m.rules[0];
    expect(rule.head).toEqual({ name: 'p', key: { type: 'var', value: 'x' }, ref: [{ type: 'var', value: 'p' }] });
    expect(rule.body[0].terms.symbols[0].type).toBe('call');
    expect(rule.body[1]).toEqual({ negated: true, index: 1, terms: { type: 'var', value: 'q' } });
  });
  it('reports parse errors', () => {
    expect(() => call('rego.parse_module', 'x.rego', 'package foo.')).toThrow('rego_parse_error');
  });
});
