// walk(x, [path, value]): a relation yielding every [path, value] pair of x, in OPA's pre-order
// (the node itself, then children: array indexes ascending, object keys and set elements in
// sorted order) (OPA v1/topdown/walk.go).

import { ObjectValue, SetValue, type Value } from '../value.ts';
import { t, type Builtin } from './registry.ts';

export function walkValue(input: Value, out: Value[], path: Value[] = []): void {
  out.push([path.slice(), input]);
  if (Array.isArray(input)) {
    for (let i = 0; i < input.length; i++) {
      path.push(i);
      walkValue(input[i], out, path);
      path.pop();
    }
  } else if (input instanceof ObjectValue) {
    for (const [k, v] of input.entries()) {
      path.push(k);
      walkValue(v, out, path);
      path.pop();
    }
  } else if (input instanceof SetValue) {
    for (const e of input.values()) {
      path.push(e);
      walkValue(e, out, path);
      path.pop();
    }
  }
}

export const builtins: Builtin[] = [
  {
    name: 'walk',
    args: [t.any],
    result: t.tuple(t.arrayOf(t.any), t.any),
    relation: true,
    description: 'Generates `[path, value]` tuples for all nested documents of `x` (recursively).',
    fn: ([x]) => {
      const out: Value[] = [];
      walkValue(x, out);
      return out;
    },
  },
];
