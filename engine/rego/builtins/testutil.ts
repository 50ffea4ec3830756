// Test helper for built-in modules: look up a built-in by name and call it with a fresh context.

import type { Builtin, BuiltinContext } from './registry.ts';
import type { Value } from '../value.ts';

export function makeCtx(): BuiltinContext {
  return { strict: true, nowNs: 0n, cache: new Map(), interCache: new Map() };
}

export function caller(builtins: Builtin[]) {
  const byName = new Map(builtins.map((b) => [b.name, b]));
  return (name: string, ...args: Value[]): Value | undefined => {
    const b = byName.get(name);
    if (!b) throw new Error(`no built-in ${name}`);
    if (b.args.length !== args.length) throw new Error(`${name}: arity ${b.args.length}, got ${args.length}`);
    return b.fn(args, makeCtx());
  };
}
