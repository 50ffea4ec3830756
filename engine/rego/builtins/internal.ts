// Built-ins the language itself relies on: membership (`in`), print, trace.

import { RegoError } from '../errors.ts';
import { formatValue } from '../format.ts';
import { equal, ObjectValue, SetValue, type Value } from '../value.ts';
import { operandTypeError, t, type Builtin } from './registry.ts';
import { validateHTTPRequest } from './aws.ts';

function member(x: Value, coll: Value): boolean {
  if (Array.isArray(coll)) {
    for (const v of coll) if (equal(v, x)) return true;
    return false;
  }
  if (coll instanceof SetValue) return coll.has(x);
  if (coll instanceof ObjectValue) {
    for (const v of coll.map.values()) if (equal(v, x)) return true;
    return false;
  }
  return false;
}

function memberWithKey(k: Value, x: Value, coll: Value): boolean {
  if (Array.isArray(coll)) {
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= coll.length) return false;
    return equal(coll[k], x);
  }
  if (coll instanceof SetValue) return coll.has(x) && equal(k, x);
  if (coll instanceof ObjectValue) {
    const v = coll.get(k);
    return v !== undefined && equal(v, x);
  }
  return false;
}

/** Where `print` writes (stderr by default; `bligate rego test` captures it per test). */
export const printSink: { write: (line: string) => void } = {
  write: (line) => process.stderr.write(line + '\n'),
};

export const builtins: Builtin[] = [
  {
    name: 'internal.member_2',
    infix: 'in',
    args: [t.any, t.any],
    result: t.boolean,
    fn: ([x, coll]) => member(x, coll),
  },
  {
    name: 'internal.member_3',
    infix: 'in',
    args: [t.any, t.any, t.any],
    result: t.boolean,
    fn: ([k, x, coll]) => memberWithKey(k, x, coll),
  },
  {
    name: 'print',
    args: [],
    result: t.null,
    variadic: true,
    description: 'Prints its operands to stderr (variadic).',
    fn: (args) => {
      printSink.write(args.map((a) => (typeof a === 'string' ? a : formatValue(a))).join(' '));
      return true;
    },
  },
  {
    name: 'opa.runtime',
    args: [],
    result: t.objectOf(t.string, t.any),
    nondeterministic: true,
    description: 'Runtime information; bligate has no OPA runtime configuration, so this is an empty object.',
    fn: () => new ObjectValue(),
  },
  {
    name: 'http.send',
    args: [t.objectOf(t.string, t.any)],
    result: t.objectOf(t.any, t.any),
    nondeterministic: true,
    description: 'Not available: policies must not reach the network (mock it with `with` in tests).',
    fn: ([req]) => {
      if (!(req instanceof ObjectValue)) throw operandTypeError('http.send', 1, req, 'object');
      validateHTTPRequest('http.send', req);
      throw new RegoError('eval_builtin_error', 'http.send: network access is disabled in bligate');
    },
  },
  {
    name: 'rego.metadata.rule',
    args: [],
    result: t.any,
    description: "The METADATA annotations of the rule being evaluated (resolved at compile time).",
    fn: (_args, ctx) => ctx.metadata?.rule() ?? new ObjectValue(),
  },
  {
    name: 'rego.metadata.chain',
    args: [],
    result: t.arrayOf(t.any),
    description: 'The METADATA annotations on the path from the rule to its package (resolved at compile time).',
    fn: (_args, ctx) => ctx.metadata?.chain() ?? [],
  },
  {
    name: 'trace',
    args: [t.string],
    result: t.boolean,
    fn: () => true,
  },
];
