// Type built-ins: is_number, is_string, is_boolean, is_array, is_set, is_object, is_null, type_name
// (OPA v1/topdown/type.go, type_name.go).

import { ObjectValue, SetValue, isNumber, typeName, type Value } from '../value.ts';
import { t, type Builtin } from './registry.ts';

function is(name: string, test: (v: Value) => boolean, description: string): Builtin {
  return { name, args: [t.any], result: t.boolean, description, fn: ([x]) => test(x) };
}

export const builtins: Builtin[] = [
  is('is_number', (v) => isNumber(v), 'Returns `true` if the input value is a number.'),
  is('is_string', (v) => typeof v === 'string', 'Returns `true` if the input value is a string.'),
  is('is_boolean', (v) => typeof v === 'boolean', 'Returns `true` if the input value is a boolean.'),
  is('is_array', (v) => Array.isArray(v), 'Returns `true` if the input value is an array.'),
  is('is_set', (v) => v instanceof SetValue, 'Returns `true` if the input value is a set.'),
  is('is_object', (v) => v instanceof ObjectValue, 'Returns `true` if the input value is an object'),
  is('is_null', (v) => v === null, 'Returns `true` if the input value is null.'),
  {
    name: 'type_name',
    args: [t.any],
    result: t.string,
    description: 'Returns the type of its input value.',
    fn: ([x]) => typeName(x),
  },
];
