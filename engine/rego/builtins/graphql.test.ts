import { describe, expect, it } from 'vitest';
import { builtins } from './graphql.ts';
import { caller } from './testutil.ts';
import { toJS } from '../json.ts';
import { ObjectValue, type Value } from '../value.ts';

const call = caller(builtins);
const js = (v: Value | undefined): unknown => (v === undefined ? undefined : toJS(v));
const errOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

const SCHEMA = `
  type Employee { id: String! salary: Int! }
  schema { query: Query }
  type Query { employeeByID(id: String): Employee }
`;

describe('graphql.parse_query', () => {
  it('renders gqlparser AST shapes, pruned', () => {
    expect(js(call('graphql.parse_query', '{hero {name}}'))).toEqual({
      Operations: [{ Name: '', Operation: 'query', SelectionSet: [{ Alias: 'hero', Name: 'hero', SelectionSet: [{ Alias: 'name', Name: 'name' }] }] }],
    });
    expect(js(call('graphql.parse_query', 'query ($a: [Int!]! = [1]) { f(x: $a, y: "s", z: ENUM) @skip(if: true) }'))).toEqual({
      Operations: [
        {
          Name: '',
          Operation: 'query',
          VariableDefinitions: [
            {
              Variable: 'a',
              Used: false,
              Type: { NamedType: '', NonNull: true, Elem: { NamedType: 'Int', NonNull: true } },
              DefaultValue: { Raw: '', Kind: 8, ExpectedTypeHasDefault: false, Children: [{ Name: '', Value: { Raw: '1', Kind: 1, ExpectedTypeHasDefault: false } }] },
            },
          ],
          SelectionSet: [
            {
              Alias: 'f',
              Name: 'f',
              Arguments: [
                { Name: 'x', Value: { Raw: 'a', Kind: 0, ExpectedTypeHasDefault: false } },
                { Name: 'y', Value: { Raw: 's', Kind: 3, ExpectedTypeHasDefault: false } },
                { Name: 'z', Value: { Raw: 'ENUM', Kind: 7, ExpectedTypeHasDefault: false } },
              ],
              Directives: [{ Name: 'skip', Location: '', Arguments: [{ Name: 'if', Value: { Raw: 'true', Kind: 5, ExpectedTypeHasDefault: false } }] }],
            },
          ],
        },
      ],
    });
    expect(js(call('graphql.parse_query', ''))).toEqual({});
  });

  it('reports gqlparser syntax errors with positions', () => {
    expect(errOf(() => call('graphql.parse_query', '{'))).toBe('graphql.parse_query: Expected Name, found <EOF> in GraphQL string at location 1:2');
    expect(errOf(() => call('graphql.parse_query', '\n { ...MissingOn }\n fragment MissingOn Type'))).toBe(
      'graphql.parse_query: Expected "on", found Name "Type" in GraphQL string at location 3:21',
    );
    expect(errOf(() => call('graphql.parse_query', 'query Foo($x: C = $v) { f }'))).toBe('graphql.parse_query: Unexpected $ in GraphQL string at location 1:19');
    expect(errOf(() => call('graphql.parse_query', "{ f(a: 'x') }"))).toMatch(/Unexpected <Invalid> in GraphQL string at location 1:8$/);
    expect(errOf(() => call('graphql.parse_query', 1 as unknown as Value))).toBe('graphql.parse_query: operand 1 must be string but got number');
  });

  it('dedents block strings', () => {
    const ast = js(call('graphql.parse_query', '{ f(s: """\n    a\n      b\n  """) }')) as { Operations: { SelectionSet: { Arguments: { Value: { Raw: string } }[] }[] }[] };
    expect(ast.Operations[0].SelectionSet[0].Arguments[0].Value.Raw).toBe('a\n  b');
  });
});

describe('graphql.parse_schema', () => {
  it('renders definitions, extensions and directives', () => {
    expect(js(call('graphql.parse_schema', '"D" type Hello implements & A & B @x { world(a: Int = 1): String }'))).toEqual({
      Definitions: [
        {
          BuiltIn: false,
          Description: 'D',
          Kind: 'OBJECT',
          Name: 'Hello',
          Interfaces: ['A', 'B'],
          Directives: [{ Name: 'x', Location: '' }],
          Fields: [
            {
              Description: '',
              Name: 'world',
              Type: { NamedType: 'String', NonNull: false },
              Arguments: [{ Description: '', Name: 'a', Type: { NamedType: 'Int', NonNull: false }, DefaultValue: { Raw: '1', Kind: 1, ExpectedTypeHasDefault: false } }],
            },
          ],
        },
      ],
    });
    expect(js(call('graphql.parse_schema', 'directive @foo repeatable on FIELD | QUERY'))).toEqual({
      Directives: [{ Description: '', IsRepeatable: true, Locations: ['FIELD', 'QUERY'], Name: 'foo' }],
    });
  });

  it('reports errors', () => {
    expect(errOf(() => call('graphql.parse_schema', 'type Hello {}'))).toBe(
      'graphql.parse_schema: expected at least one definition, found } in GraphQL string at location 1:13',
    );
    expect(errOf(() => call('graphql.parse_schema', 'extend schema'))).toBe('graphql.parse_schema: Unexpected <EOF> in GraphQL string at location 1:14');
  });
});

describe('validation', () => {
  it('graphql.is_valid / schema_is_valid', () => {
    expect(call('graphql.is_valid', '{ employeeByID(id: "a") { salary } }', SCHEMA)).toBe(true);
    expect(call('graphql.is_valid', '{ employeeByID(id: "a") { wage } }', SCHEMA)).toBe(false);
    expect(call('graphql.is_valid', '{ employeeByID(id: 1.5) { salary } }', SCHEMA)).toBe(false);
    expect(call('graphql.is_valid', 'query ($x: Int) { employeeByID(id: "a") { salary } }', SCHEMA)).toBe(false);
    expect(call('graphql.is_valid', '{ employeeByID(id: "a") { salary } }', 5)).toBe(false);
    expect(call('graphql.schema_is_valid', SCHEMA)).toBe(true);
    expect(call('graphql.schema_is_valid', 'type Hello implements World { f: String }')).toBe(false);
    expect(call('graphql.schema_is_valid', 'input I { f: [O] } type O { x: Int }')).toBe(false);
  });

  it('graphql.parse reports the first validation error', () => {
    expect(errOf(() => call('graphql.parse', '{ employeeByID(id: "a") { wage } }', SCHEMA))).toBe(
      'graphql.parse: Cannot query field "wage" on type "Employee" in GraphQL string at location 1:27',
    );
    expect(errOf(() => call('graphql.parse', '{ employeeByID(id: "a") { salary } }', 'type Query { x: Nope }'))).toBe(
      'graphql.parse: Error in gqlparser SchemaDocument to Schema conversion: input:1:17: Undefined type Nope.',
    );
  });

  it('accepts AST objects', () => {
    const schemaAst = call('graphql.parse_schema', SCHEMA)!;
    const queryAst = call('graphql.parse_query', '{ employeeByID(id: "a") { salary } }')!;
    const out = call('graphql.parse', queryAst, schemaAst) as Value[];
    expect(js(out[0])).toEqual(js(queryAst));
    expect(js(out[1])).toEqual(js(schemaAst));
    expect(call('graphql.schema_is_valid', schemaAst)).toBe(true);
    const [ok, q, s] = call('graphql.parse_and_verify', '{ nope }', schemaAst) as Value[];
    expect(ok).toBe(false);
    expect(q).toEqual(new ObjectValue());
    expect(s).toEqual(new ObjectValue());
  });
});
