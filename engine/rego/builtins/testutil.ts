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

/** The instant test contexts use for time.now_ns(). */
export const TEST_NOW_NS = 1700000000000000000n;

/** A fresh built-in context at TEST_NOW_NS. */
export function testCtx(): BuiltinContext {
  return { strict: true, nowNs: TEST_NOW_NS, cache: new Map(), interCache: new Map() };
}

/** call(name, ...args) and err(name, ...args) (the error's code and message) for a module's built-ins. */
export function builtinCaller(builtins: Builtin[]) {
  const byName = new Map<string, Builtin>(builtins.map((b) => [b.name, b]));
  const call = (name: string, ...args: Value[]): Value | undefined => byName.get(name)!.fn(args, testCtx());
  const err = (name: string, ...args: Value[]): { code: string; message: string } => {
    try {
      call(name, ...args);
    } catch (e) {
      const x = e as { code: string; message: string };
      return { code: x.code, message: x.message };
    }
    throw new Error('expected an error');
  };
  return { call, err, byName };
}
