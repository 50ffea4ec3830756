// OPA's rego package rewrites a query before evaluating it so that the value of each expression
// is reported even when it is `false` (rego.go, rewriteQueryToCaptureValue): `opa eval 'false'`
// and `opa eval 'data.x.allow'` (allow = false) print the value false instead of being
// undefined. Here the same rewrite is done on the parsed query:
//
// - a plain term expression `t` becomes `t = __localqN__`;
// - a call that lacks its output argument (`1 > 2`, `count(x)`, `f(1)` for a user function of
//   arity 1) gets `__localqN__` as output;
// - assignments, unifications, negations, `some` and `every` are left alone;
// - when the query has several expressions or iterates (a ref with a variable in it, or a
//   relation built-in such as walk), each captured variable is also appended as a generated
//   expression, so that a false value still fails the query.
//
// Expression values of captured expressions are the captured values; other expressions are
// `true`; generated expressions and capture variables are not reported.

import type { CallTerm, Expr, Module, Query, RefTerm, Term, TermExpr, VarTerm } from '../rego/ast.ts';

export interface Capture {
  query: Query;
  /** Per original expression: the capture variable, if any. */
  captures: (string | undefined)[];
  /** Number of original expressions (generated ones follow them). */
  original: number;
}

/** `count`, `time.now_ns`, `data.lib.f`, `lt` for a call's operator; undefined if not static. */
export function operatorName(op: RefTerm | VarTerm): string | undefined {
  if (op.type === 'var') return op.name;
  if (op.head.type !== 'var') return undefined;
  const parts = [op.head.name];
  for (const p of op.path) {
    if (p.type !== 'string') return undefined;
    parts.push(p.value);
  }
  return parts.join('.');
}

/** Arity of user functions: `data.pkg.f` → number of arguments. */
export function userFunctionArities(modules: readonly Module[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of modules) {
    const pkg = m.package.path.map((t) => (t.type === 'string' ? t.value : '?'));
    for (const r of m.rules) {
      if (!r.head.args) continue;
      const ref = r.head.ref.map((t) => (t.type === 'var' ? t.name : t.type === 'string' ? t.value : '?'));
      out.set(['data', ...pkg, ...ref].join('.'), r.head.args.length);
    }
  }
  return out;
}

const RELATIONS = new Set(['walk']);

/** OPA's iteration(): a ref with a variable operand, or a relation built-in (outside comprehensions). */
export function iterates(body: readonly Expr[]): boolean {
  let found = false;
  const term = (t: Term): void => {
    if (found) return;
    switch (t.type) {
      case 'ref':
        term(t.head);
        for (const p of t.path) {
          if (p.type === 'var') found = true;
          else term(p);
        }
        return;
      case 'call': {
        const name = operatorName(t.op);
        if (name !== undefined && RELATIONS.has(name)) found = true;
        if (t.op.type === 'ref') term(t.op);
        t.args.forEach(term);
        return;
      }
      case 'array':
      case 'set':
        t.items.forEach(term);
        return;
      case 'object':
        for (const [k, v] of t.items) {
          term(k);
          term(v);
        }
        return;
      case 'template':
        for (const p of t.parts) if (typeof p !== 'string') term(p);
        return;
      default:
        return; // scalars, vars, comprehensions
    }
  };
  for (const e of body) {
    if (found) break;
    for (const w of e.with) term(w.value);
    switch (e.kind) {
      case 'term':
        term(e.term);
        break;
      case 'somein':
        if (e.key) term(e.key);
        term(e.value);
        term(e.domain);
        break;
      case 'every':
        term(e.domain);
        break;
      default:
        break;
    }
  }
  return found;
}

/** Rewrites a parsed query to capture expression values. */
export function captureQuery(q: Query, arity: (name: string) => number | undefined): Capture {
  const captures: (string | undefined)[] = [];
  const body: Expr[] = [];
  const checks: Expr[] = [];
  const used = new Set<string>();
  const collect = (x: unknown): void => {
    if (x && typeof x === 'object') {
      if ((x as VarTerm).type === 'var' && typeof (x as VarTerm).name === 'string') used.add((x as VarTerm).name);
      for (const v of Object.values(x)) if (v && typeof v === 'object' && v !== (x as { loc?: unknown }).loc) collect(v);
    }
  };
  collect(q.body);
  let n = 0;
  const fresh = (): string => {
    let name: string;
    do name = `__localq${n++}__`;
    while (used.has(name));
    return name;
  };
  const checkCapture = q.body.length > 1 || iterates(q.body);

  for (const e of q.body) {
    let capture: string | undefined;
    let out: Expr = e;
    if (e.kind === 'term' && !e.negated) {
      const t = e.term;
      if (t.type === 'call') {
        const name = operatorName(t.op);
        if (name !== 'eq' && name !== 'assign' && name !== 'print' && name !== undefined && arity(name) === t.args.length) {
          capture = fresh();
          const v: VarTerm = { type: 'var', name: capture, loc: t.loc };
          const call: CallTerm = { ...t, args: [...t.args, v] };
          out = { ...e, term: call } as TermExpr;
        }
      } else {
        capture = fresh();
        const v: VarTerm = { type: 'var', name: capture, loc: t.loc };
        const eq: CallTerm = { type: 'call', op: { type: 'var', name: 'eq', loc: t.loc }, args: [t, v], loc: t.loc };
        out = { ...e, term: eq } as TermExpr;
      }
    }
    body.push(out);
    captures.push(capture);
    if (capture !== undefined && checkCapture) {
      const check: TermExpr = { kind: 'term', negated: false, with: [], loc: e.loc, term: { type: 'var', name: capture, loc: e.loc } };
      checks.push(check);
    }
  }
  return { query: { ...q, body: [...body, ...checks] }, captures, original: q.body.length };
}

/** Arity lookup from the built-ins' declarations and the modules' functions. */
export function arityLookup(builtins: ReadonlyMap<string, { args: unknown[] }>, modules: readonly Module[]): (name: string) => number | undefined {
  const user = userFunctionArities(modules);
  return (name) => {
    const u = user.get(name);
    if (u !== undefined) return u;
    return builtins.get(name)?.args.length;
  };
}
