import { describe, expect, it } from 'vitest';
import { fromJS, toJS } from '../json.ts';
import type { Value } from '../value.ts';
import { builtins } from './jsonschema.ts';
import { caller } from './testutil.ts';

const call = caller(builtins);
// Scalar documents must be given as JSON text (OPA accepts only strings, objects and arrays).
const match = (doc: unknown, schema: unknown): unknown =>
  toJS(call('json.match_schema', doc !== null && typeof doc === 'object' ? fromJS(doc) : JSON.stringify(doc), fromJS(schema)) as Value);

describe('json.match_schema', () => {
  it('reports required, additional properties and nested paths', () => {
    const schema = {
      type: 'object',
      required: ['a'],
      additionalProperties: false,
      properties: { b: { type: 'array', items: { type: 'string', minLength: 2 } } },
    };
    expect(match({ b: ['xy', 'z'], c: 1 }, schema)).toEqual([
      false,
      [
        { desc: 'a is required', error: '(root): a is required', field: '(root)', type: 'required' },
        { desc: 'Additional property c is not allowed', error: '(root): Additional property c is not allowed', field: '(root)', type: 'additional_property_not_allowed' },
        { desc: 'String length must be greater than or equal to 2', error: 'b.1: String length must be greater than or equal to 2', field: 'b.1', type: 'string_gte' },
      ],
    ]);
  });

  it('handles enums, numbers, combinators and local refs', () => {
    expect(match(3, { enum: [1, 'x'] })).toEqual([false, [{ desc: '(root) must be one of the following: 1, "x"', error: '(root): (root) must be one of the following: 1, "x"', field: '(root)', type: 'enum' }]]);
    expect((match(5, { maximum: 4 }) as unknown[])[0]).toBe(false);
    expect((match(2.5, { type: 'integer' }) as unknown[])[1]).toEqual([
      { desc: 'Invalid type. Expected: integer, given: number', error: '(root): Invalid type. Expected: integer, given: number', field: '(root)', type: 'invalid_type' },
    ]);
    expect(match(1, { anyOf: [{ type: 'string' }, { type: 'integer' }] })).toEqual([true, []]);
    expect(match({ x: 'a' }, { definitions: { s: { type: 'string' } }, properties: { x: { $ref: '#/definitions/s' } } })).toEqual([true, []]);
  });

  it('errors on a bad schema, bad JSON and scalar operands', () => {
    expect(() => call('json.match_schema', 1, '{}')).toThrow('json.match_schema: wrong type, expected string or object');
    expect(() => call('json.match_schema', '{}', '{"type": "foo"}')).toThrow('has a primitive type that is NOT VALID');
    expect(() => call('json.match_schema', '{', '{}')).toThrow('json.match_schema: invalid JSON string');
  });
});

describe('json.verify_schema', () => {
  it('returns the error text instead of failing', () => {
    expect(call('json.verify_schema', '{')).toEqual([false, 'jsonschema: invalid JSON string']);
    expect(call('json.verify_schema', 1)).toEqual([false, 'jsonschema: wrong type, expected string or object']);
    expect(call('json.verify_schema', '{"type": "object"}')).toEqual([true, null]);
  });
});
