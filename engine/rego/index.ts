// bligate's Rego engine: parse → compile → evaluate.
//
//   const policy = compileModules([parseModule(src, 'policy.rego')]);
//   const q = policy.prepare('data.password.violations');
//   const results = q.eval({ input });
//
// Compile once, evaluate many times: a PreparedQuery holds closures compiled from the rules and
// the query; each eval() allocates only its frames and memo.

import type { Module, Query } from './ast.ts';
import { defaultBuiltins } from './builtins/index.ts';
import type { Builtin } from './builtins/registry.ts';
import { MAX_ERRORS, RegoError, RegoErrorList } from './errors.ts';
import { parseModule, parseQuery } from './parser.ts';
import { Resolver, SlotAllocator, type ResolveEnv } from './compile/resolve.ts';
import { checkRecursion } from './compile/recursion.ts';
import { strictChecks } from './check/strict.ts';
import { reorderBody } from './compile/safety.ts';
import { buildRuleTree, type RuleTree } from './compile/ruletree.ts';
import { CodeGen, Coverage, type Frame } from './eval/codegen.ts';
import { Ctx } from './eval/ctx.ts';
import { Policy } from './eval/policy.ts';
import { ObjectValue, type Value } from './value.ts';

export { parseModule, parseQuery };
export { RegoError, RegoErrorList } from './errors.ts';
export type { Value } from './value.ts';
export { parseJSON, toJSONText, fromJS, toJS } from './json.ts';

export interface CompileOptions {
  /** Extra built-ins (e.g. the conformance runner's test.sleep), added to the standard library. */
  builtins?: Builtin[];
  /** Track which rows of the modules are evaluated (see CompiledPolicy.coverage). */
  coverage?: boolean;
  /**
   * Compile rule bodies on first use instead of up front. Start-up is faster for a policy pack
   * that is already known to compile (it was checked in CI); errors in rules that are never
   * evaluated go unreported, and recursion is caught at evaluation time.
   */
  lazy?: boolean;
  /**
   * Compile built-in calls and comparisons as code of their own per call site: faster long
   * evaluations (many records), slower compilation. Default: on when the environment sets
   * BLIGATE_SPECIALIZE=1 (so the conformance suite and the policy tests can run both ways).
   */
  specialize?: boolean;
}

export interface EvalOptions {
  input?: Value;
  /** The base document under `data` (default: empty object). */
  data?: Value;
  strictBuiltinErrors?: boolean;
  /** The evaluation's instant for time.now_ns() (default: now). */
  nowNs?: bigint;
  /** Cancel the evaluation (eval_cancel_error) after this many milliseconds. */
  timeoutMs?: number;
}

export interface QueryResult {
  expressions: { value: Value; text: string; location: { row: number; col: number } }[];
  /** User-visible variables, in order of first appearance. */
  bindings: Map<string, Value>;
}

export interface PreparedQuery {
  eval(opts?: EvalOptions): QueryResult[];
}

export interface CompiledPolicy {
  readonly modules: readonly Module[];
  readonly tree: RuleTree;
  prepare(query: string | Query): PreparedQuery;
  /** Rows hit vs rows never reached, per file, over every evaluation (needs `coverage: true`). */
  coverage(): Map<string, { covered: Set<number>; notCovered: Set<number> }>;
}

function throwIfErrors(errors: RegoError[]): void {
  if (errors.length) throw new RegoErrorList(errors.slice(0, MAX_ERRORS));
}

export function compileModules(modules: Module[], opts: CompileOptions = {}): CompiledPolicy {
  const builtins = defaultBuiltins();
  for (const b of opts.builtins ?? []) builtins.set(b.name, b);
  // Checks OPA applies to every v1 module (duplicate imports, input/data shadowing).
  const errors: RegoError[] = [...strictChecks(modules, { v1Only: true }).v1];
  const tree = buildRuleTree(modules, errors);
  throwIfErrors(errors);
  const policy = new Policy(tree, builtins, modules);
  if (opts.coverage) policy.cov = new Coverage();
  policy.specialize = opts.specialize ?? process.env.BLIGATE_SPECIALIZE === '1';
  policy.compileRules(errors, opts.lazy === true);
  throwIfErrors(errors);
  if (!opts.lazy) {
    checkRecursion(policy, errors);
    throwIfErrors(errors);
  }
  const interCache = new Map<string, unknown>();
  return {
    modules,
    tree,
    prepare: (query) => prepareQuery(policy, typeof query === 'string' ? parseQuery(query, '') : query, interCache),
    coverage: () => {
      const out = new Map<string, { covered: Set<number>; notCovered: Set<number> }>();
      for (const [file, f] of policy.cov?.files ?? []) {
        const notCovered = new Set([...f.all].filter((r) => !f.covered.has(r)));
        out.set(file, { covered: new Set(f.covered), notCovered });
      }
      return out;
    },
  };
}

function prepareQuery(policy: Policy, query: Query, interCache: Map<string, unknown>): PreparedQuery {
  const errors: RegoError[] = [];
  const slots = new SlotAllocator();
  const env: ResolveEnv = {
    tree: policy.tree,
    builtins: policy.builtins,
    pkg: [],
    imports: new Map(),
    ruleNames: new Set(),
    slots,
    errors,
    genCounter: { n: 0 },
  };
  const res = new Resolver(env);
  let units;
  let scope;
  try {
    scope = res.openBodyScope(query.body, undefined);
    units = res.body(query.body, scope);
  } catch (e) {
    if (e instanceof RegoError) throw new RegoErrorList([e]);
    throw e;
  }
  for (const u of units) u.valueSlot = slots.alloc('__value');
  const bound = new Set<number>();
  const ordered = reorderBody(units, bound, errors);
  throwIfErrors(errors);
  const vars = [...scope.vars.values()].filter((v) => !v.gen);
  const exprs = units.map((u) => ({ slot: u.valueSlot!, text: u.text ?? '', location: { row: u.loc.row, col: u.loc.col } }));
  const out: { rows: QueryResult[] } = { rows: [] };
  const gen = new CodeGen(policy, slots);
  let run;
  try {
    run = gen.body(ordered, new Set(), (_c, f) => {
      const bindings = new Map<string, Value>();
      for (const v of vars) {
        const x = f[v.slot] as Value | undefined;
        if (x !== undefined) bindings.set(v.name, x);
      }
      out.rows.push({
        expressions: exprs.map((e) => ({ value: (f[e.slot] as Value | undefined) ?? true, text: e.text, location: e.location })),
        bindings,
      });
      return false;
    });
  } catch (e) {
    if (e instanceof RegoError) throw new RegoErrorList([e]);
    throw e;
  }
  const nodes = policy.tree.nodes.length;
  return {
    eval(opts: EvalOptions = {}): QueryResult[] {
      const data = opts.data === undefined ? new ObjectValue() : opts.data;
      const c = new Ctx({
        input: opts.input,
        data: data instanceof ObjectValue ? data : new ObjectValue(),
        nodes,
        strict: opts.strictBuiltinErrors ?? false,
        nowNs: opts.nowNs ?? BigInt(Date.now()) * 1_000_000n,
        interCache,
      });
      if (opts.timeoutMs !== undefined) c.deadline = performance.now() + opts.timeoutMs;
      const f: Frame = new Array(slots.size);
      out.rows = [];
      try {
        run(c, f);
      } catch (e) {
        if (e instanceof RangeError && /call stack/i.test(e.message)) {
          throw new RegoError('eval_internal_error', 'evaluation exceeded the maximum recursion depth');
        }
        throw e;
      }
      const rows = out.rows;
      out.rows = [];
      return rows;
    },
  };
}

/** Evaluates a ground Rego term written as source (e.g. a conformance case's input_term). */
export function valueFromTermSource(src: string): Value {
  const policy = compileModules([]);
  const rows = policy.prepare(`__x__ = ${src}`).eval({});
  if (rows.length !== 1) throw new RegoErrorList([new RegoError('rego_compile_error', 'term is undefined')]);
  return rows[0].bindings.get('__x__')!;
}
