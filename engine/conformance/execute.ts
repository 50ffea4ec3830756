// Runs one conformance case against the engine (OPA's runner, v1/topdown/exported_test.go):
// modules are named test-0.rego, test-1.rego, ...; data is the base document; input_term wins
// over input; strict_error turns on strict built-in errors.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Builtin } from '../rego/builtins/registry.ts';
import type { Value } from '../rego/value.ts';
import { ObjectValue, SetValue } from '../rego/value.ts';
import { checkOutcome, JNum, jsonTextOf, type Comparison, type ErrorLike, type JForm, type Row, type TestCase } from './compare.ts';

type Engine = typeof import('../rego/index.ts');
type JsonMod = typeof import('../rego/json.ts');

let engine: Engine | undefined;
let json: JsonMod | undefined;
let extraBuiltins: Builtin[] | undefined;

/**
 * Loads the engine and the runner's helper built-ins (test.sleep) once.
 * BLIGATE_CONFORMANCE_ENGINE may name another module with the engine's API (used by the
 * runner's own tests).
 */
export async function loadEngine(): Promise<void> {
  const override = process.env.BLIGATE_CONFORMANCE_ENGINE;
  engine ??= override ? ((await import(pathToFileURL(path.resolve(override)).href)) as Engine) : await import('../rego/index.ts');
  json ??= await import('../rego/json.ts');
  if (extraBuiltins === undefined) {
    extraBuiltins = [];
    try {
      const time = (await import('../rego/builtins/time.ts')) as { testHelpers?: unknown };
      extraBuiltins = asBuiltins(time.testHelpers);
    } catch {
      // time.ts (or its testHelpers) not there yet: cases using test.sleep fail on their own.
    }
  }
}

function asBuiltins(x: unknown): Builtin[] {
  if (!x) return [];
  if (Array.isArray(x)) return x as Builtin[];
  if (typeof x === 'object' && typeof (x as Builtin).fn === 'function' && typeof (x as Builtin).name === 'string') return [x as Builtin];
  if (typeof x === 'object') return Object.values(x as Record<string, unknown>).flatMap(asBuiltins);
  return [];
}

/** An engine value in JSON form, as OPA's `ast.JSON` gives it. */
export function valueToJForm(v: Value): JForm {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return new JNum(String(v));
  if (Array.isArray(v)) return v.map(valueToJForm);
  if (v instanceof SetValue) return v.values().map(valueToJForm);
  if (v instanceof ObjectValue) {
    const out: { [k: string]: JForm } = Object.create(null);
    for (const [k, val] of v.entries()) {
      const key = typeof k === 'string' ? k : jsonKeyText(valueToJForm(k));
      out[key] = valueToJForm(val);
    }
    return out;
  }
  return new JNum(String(v)); // BigDecimal
}

/** Go's json.Marshal of a non-string key, as ast.JSON does (compact, keys sorted). */
function jsonKeyText(j: JForm): string {
  if (j === null || typeof j === 'boolean') return String(j);
  if (typeof j === 'string') return JSON.stringify(j);
  if (j instanceof JNum) return j.text;
  if (Array.isArray(j)) return '[' + j.map(jsonKeyText).join(',') + ']';
  const keys = Object.keys(j).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + jsonKeyText(j[k])).join(',') + '}';
}

function errorLike(e: unknown): ErrorLike {
  if (e && typeof e === 'object') {
    const err = e as { code?: unknown; message?: unknown; toString(): string; errors?: unknown };
    const code = typeof err.code === 'string' ? err.code : undefined;
    const message = typeof err.message === 'string' ? err.message : String(e);
    const name = (e as { name?: string }).name;
    const text = name === 'RegoError' ? err.toString() : message;
    return { code, message, text };
  }
  return { message: String(e) };
}

function isRegoErrorName(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name;
  return name === 'RegoError' || name === 'RegoErrorList';
}

function describe(e: unknown): string {
  if (isRegoErrorName(e)) return errorLike(e).text ?? String(e);
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

export interface CaseOutcome extends Comparison {
  /** Set when the engine threw something that is not a Rego error (a bug). */
  crashed?: boolean;
}

/** Evaluates one case and compares the outcome with its expectations. */
export async function runCase(tc: TestCase): Promise<CaseOutcome> {
  await loadEngine();
  const { parseModule, compileModules, valueFromTermSource } = engine!;
  let pq: ReturnType<ReturnType<typeof compileModules>['prepare']>;
  let data: Value | undefined;
  let input: Value | undefined;
  try {
    // OPA's runner compiles with Must*: any parse/compile error fails the case.
    const modules = tc.modules.map((src, i) => parseModule(src, `test-${i}.rego`));
    const compiled = compileModules(modules, { builtins: extraBuiltins });
    pq = compiled.prepare(tc.query);
    data = tc.data === undefined || tc.data === null ? undefined : json!.parseJSON(jsonTextOf(tc.data));
    if (tc.input_term !== undefined && tc.input_term !== null) input = valueFromTermSource(String(tc.input_term));
    else if (tc.input !== undefined && tc.input !== null) input = json!.parseJSON(jsonTextOf(tc.input));
  } catch (e) {
    const crashed = !isRegoErrorName(e);
    return { ok: false, crashed, reason: `${crashed ? 'exception' : 'compile error'}: ${describe(e)}` };
  }
  let outcome: { rows: Row[] } | { error: ErrorLike };
  try {
    const results = pq.eval({ data, input, strictBuiltinErrors: tc.strict_error === true });
    outcome = {
      rows: results.map((r) => {
        const row: Row = {};
        for (const [k, v] of r.bindings) row[k] = valueToJForm(v);
        return row;
      }),
    };
  } catch (e) {
    if (!isRegoErrorName(e)) return { ok: false, crashed: true, reason: `exception: ${describe(e)}` };
    outcome = { error: errorLike(e) };
  }
  return checkOutcome(tc, outcome);
}
