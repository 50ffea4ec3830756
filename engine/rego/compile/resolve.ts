// Name resolution and flattening: AST bodies → IR bodies.
//
// - Locals are renamed uniquely within their unit (rule, function or query) and get frame slots.
//   A variable belongs to the innermost body (rule body, comprehension, every, template part)
//   that mentions it outside nested closures, or that declares it (`some`, `:=`, args);
//   closures capture variables of enclosing bodies, as in OPA.
// - Globals (rules of the package, imports, `input`, `data`) become refs rooted at data/input.
// - Calls nested in terms are hoisted into their own expressions (OPA's rewriteExprTerms).

import type { Body, Expr, Location, Module, Term, VarTerm, With } from '../ast.ts';
import type { Builtin } from '../builtins/registry.ts';
import { RegoError } from '../errors.ts';
import { parseNumber } from '../number.ts';
import { ObjectValue, SetValue, type Value } from '../value.ts';
import type { IRBody, IRCallTarget, IRExpr, IRTerm, IRUnit, IRWith } from './ir.ts';
import type { RuleTree } from './ruletree.ts';
import { fmtPath } from './ruletree.ts';

type IRVar = Extract<IRTerm, { k: 'var' }>;

/** Frame slot allocation for one unit of evaluation. */
export class SlotAllocator {
  readonly names: string[] = [];
  alloc(name: string): number {
    this.names.push(name);
    return this.names.length - 1;
  }
  get size(): number {
    return this.names.length;
  }
}

export class Scope {
  readonly vars = new Map<string, IRVar>();
  /** Index of the expression declaring a var (`:=`, `some`); visible to closures from there on. */
  readonly declAt = new Map<string, number>();
  /** Index of the expression being resolved in this scope's body. */
  pos = 0;
  constructor(readonly parent: Scope | undefined) {}
  lookup(name: string): IRVar | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v) {
        // A closure written before a declaration does not see the declared variable (OPA).
        const at = s.declAt.get(name);
        if (s !== this && at !== undefined && at > s.pos) continue;
        return v;
      }
    }
    return undefined;
  }
  /** Lookup as seen from a closure nested in this scope's current expression. */
  lookupFromChild(name: string): IRVar | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v) {
        const at = s.declAt.get(name);
        if (at !== undefined && at > s.pos) continue;
        return v;
      }
    }
    return undefined;
  }
}

export type GlobalRef = { root: 'data' | 'input'; path: string[] };

export interface ResolveEnv {
  tree: RuleTree;
  builtins: Map<string, Builtin>;
  /** Package path of the module being resolved ([] for queries). */
  pkg: string[];
  /** Import aliases → global refs. */
  imports: Map<string, GlobalRef>;
  /** Top-level rule names of the package. */
  ruleNames: Set<string>;
  slots: SlotAllocator;
  errors: RegoError[];
  genCounter: { n: number };
}

export function moduleEnv(m: Module, pkg: string[], tree: RuleTree, builtins: Map<string, Builtin>, errors: RegoError[]): Omit<ResolveEnv, 'slots'> {
  const imports = new Map<string, GlobalRef>();
  for (const imp of m.imports) {
    const parts = refParts(imp.path);
    if (!parts) continue;
    const [head, ...rest] = parts;
    if (head === 'future' || head === 'rego') continue;
    if (head !== 'data' && head !== 'input') {
      errors.push(new RegoError('rego_parse_error', `invalid path ${parts.join('.')}: path must begin with input or data`, imp.loc));
      continue;
    }
    const alias = imp.alias ?? (rest.length ? rest[rest.length - 1] : head);
    if (alias === head && rest.length === 0) continue; // `import input` / `import data`
    imports.set(alias, { root: head, path: rest });
  }
  const ruleNames = new Set<string>();
  const pnode = tree.node(pkg, false);
  if (pnode) for (const [k, c] of pnode.children) if (tree.hasRulesBelow(c)) ruleNames.add(k);
  return { tree, builtins, pkg, imports, ruleNames, errors, genCounter: { n: 0 } };
}

/** Dotted name parts of a var/ref whose path is all strings, else undefined. */
export function refParts(t: Term): string[] | undefined {
  if (t.type === 'var') return [t.name];
  if (t.type !== 'ref' || t.head.type !== 'var') return undefined;
  const out = [t.head.name];
  for (const p of t.path) {
    if (p.type !== 'string') return undefined;
    out.push(p.value);
  }
  return out;
}

const constTerm = (v: Value): IRTerm => ({ k: 'const', v });

export class Resolver {
  constructor(readonly env: ResolveEnv) {}

  fail(msg: string, loc: Location, code: 'rego_compile_error' | 'rego_type_error' | 'rego_unsafe_var_error' = 'rego_compile_error'): never {
    throw new RegoError(code, msg, loc);
  }

  newVar(scope: Scope, name: string, gen: boolean): IRVar {
    const v: IRVar = { k: 'var', name, slot: this.env.slots.alloc(name), gen };
    if (!gen) scope.vars.set(name, v);
    return v;
  }

  genVar(): IRVar {
    const name = `__local${this.env.genCounter.n++}__`;
    return { k: 'var', name, slot: this.env.slots.alloc(name), gen: true };
  }

  isGlobalName(name: string): boolean {
    return name === 'input' || name === 'data' || this.env.imports.has(name) || this.env.ruleNames.has(name);
  }

  globalRef(name: string): GlobalRef | undefined {
    if (name === 'input') return { root: 'input', path: [] };
    if (name === 'data') return { root: 'data', path: [] };
    const imp = this.env.imports.get(name);
    if (imp) return imp;
    if (this.env.ruleNames.has(name)) return { root: 'data', path: [...this.env.pkg, name] };
    return undefined;
  }

  // ---- scopes -------------------------------------------------------------------------------

  /**
   * Opens the scope of a body: declares its `some`/`:=`/some-in variables and its free variables
   * that no enclosing scope knows and that are not globals.
   */
  openBodyScope(body: Body, parent: Scope | undefined, extraTerms: Term[] = []): Scope {
    const scope = new Scope(parent);
    body.forEach((e, i) => {
      const before = new Set(scope.vars.keys());
      if (e.kind === 'some') for (const v of e.vars) this.declare(scope, v);
      else if (e.kind === 'somein') {
        if (e.key) this.declarePattern(scope, e.key);
        this.declarePattern(scope, e.value);
      } else if (e.kind === 'term' && e.term.type === 'call' && opName(e.term) === 'assign') {
        this.declarePattern(scope, e.term.args[0]);
      }
      for (const n of scope.vars.keys()) if (!before.has(n)) scope.declAt.set(n, i);
    });
    const free = new Set<string>();
    for (const e of body) collectExprVars(e, free);
    for (const t of extraTerms) collectTermVars(t, free);
    for (const n of free) {
      if (n === '_' || scope.vars.has(n)) continue;
      if (parent?.lookupFromChild(n)) continue;
      if (this.isGlobalName(n)) continue;
      this.newVar(scope, n, false);
    }
    return scope;
  }

  declare(scope: Scope, v: VarTerm): void {
    if (v.name === '_') return;
    if (!scope.vars.has(v.name)) this.newVar(scope, v.name, false);
  }

  declarePattern(scope: Scope, t: Term): void {
    if (t.type === 'var') this.declare(scope, t);
    else if (t.type === 'array') t.items.forEach((x) => this.declarePattern(scope, x));
    else if (t.type === 'object') t.items.forEach(([, x]) => this.declarePattern(scope, x));
  }

  // ---- bodies -------------------------------------------------------------------------------

  body(body: Body, scope: Scope): IRBody {
    return body.map((e, i) => {
      scope.pos = i;
      return this.expr(e, scope, i);
    });
  }

  expr(e: Expr, scope: Scope, index: number): IRUnit {
    const pre: IRExpr[] = [];
    let core: IRExpr[] = [];
    switch (e.kind) {
      case 'some':
        break;
      case 'somein': {
        const out: IRExpr[] = [];
        const domain = this.term(e.domain, scope, out);
        const key = e.key ? this.term(e.key, scope, out) : null;
        const value = this.term(e.value, scope, out);
        core = [...out, { k: 'somein', key, value, domain, loc: e.loc }];
        break;
      }
      case 'every': {
        const out: IRExpr[] = [];
        const domain = this.term(e.domain, scope, out);
        const start = this.env.slots.size;
        const inner = new Scope(scope);
        if (e.key) this.declarePattern(inner, e.key);
        this.declarePattern(inner, e.value);
        const bodyScope = this.openBodyScope(e.body, inner);
        const key = e.key ? this.term(e.key, inner, out) : null;
        const value = this.term(e.value, inner, out);
        const ebody = this.body(e.body, bodyScope);
        core = [...out, { k: 'every', key, value, domain, body: ebody, own: [start, this.env.slots.size], loc: e.loc }];
        break;
      }
      case 'term':
        core = this.termExpr(e.term, scope, e.loc);
        break;
      case 'notbody': {
        const inner = this.openBodyScope(e.body, scope);
        core = [{ k: 'not', body: this.body(e.body, inner), loc: e.loc }];
        break;
      }
    }
    if (e.negated && e.kind !== 'notbody') core = [{ k: 'not', body: [{ exprs: core, loc: e.loc, index: 0 }], loc: e.loc }];
    if (e.with.length) {
      const mods = e.with.map((w) => this.withMod(w, scope, pre));
      core = [{ k: 'with', mods, body: [{ exprs: core, loc: e.loc, index: 0 }], loc: e.loc }];
    }
    return { exprs: [...pre, ...core], loc: e.loc, index, text: e.loc.text };
  }

  termExpr(t: Term, scope: Scope, loc: Location): IRExpr[] {
    const out: IRExpr[] = [];
    if (t.type === 'call') {
      const name = opName(t);
      if (name === 'eq' || name === 'assign') {
        if (t.args.length !== 2) this.fail(`${name === 'eq' ? '=' : ':='}: arity mismatch`, t.loc, 'rego_type_error');
        if (name === 'assign') checkAssignable(t.args[0], this);
        const a = this.term(t.args[0], scope, out);
        const b = this.term(t.args[1], scope, out);
        out.push({ k: 'unify', a, b, loc });
        return out;
      }
      const { fn, arity } = this.callTarget(t, scope, out);
      const args = t.args.map((x) => this.term(x, scope, out));
      if (arity !== undefined) {
        if (args.length === arity + 1) {
          const o = args.pop()!;
          out.push({ k: 'call', fn, args, out: o, loc, text: t.loc.text ?? '' });
          return out;
        }
        if (args.length !== arity) this.arityError(t, fn, arity, args.length);
      }
      out.push({ k: 'call', fn, args, out: null, loc, text: t.loc.text ?? '' });
      return out;
    }
    const v = this.term(t, scope, out);
    out.push({ k: 'term', t: v, loc });
    return out;
  }

  arityError(t: Term, fn: IRCallTarget, want: number, have: number): never {
    const name = fn.k === 'builtin' ? fn.name : fn.k === 'func' ? fmtPath(fn.path) : 'function';
    this.fail(`${name}: arity mismatch\n\thave: ${have} argument${have === 1 ? '' : 's'}\n\twant: ${want} argument${want === 1 ? '' : 's'}`, t.loc, 'rego_type_error');
  }

  /** Resolves a call's function: user function, built-in, or dynamic dispatch. */
  callTarget(t: Extract<Term, { type: 'call' }>, scope: Scope, out: IRExpr[]): { fn: IRCallTarget; arity?: number } {
    const op = t.op;
    const parts = refParts(op);
    const head = op.type === 'var' ? op.name : op.head.type === 'var' ? op.head.name : undefined;
    if (head !== undefined && !scope.lookup(head)) {
      const g = this.globalRef(head);
      if (g && g.root === 'data') {
        if (parts) {
          const path = [...g.path, ...parts.slice(1)];
          const node = this.env.tree.node(path, false);
          if (node && node.kind === 'function') return { fn: { k: 'func', path }, arity: node.arity };
          if (node && node.rules.length) this.fail(`${fmtPath(path)} is not a function`, t.loc, 'rego_type_error');
          if (head !== 'data' && !this.env.builtins.has(parts.join('.'))) {
            this.fail(`undefined function ${fmtPath(path)}`, t.loc, 'rego_type_error');
          }
          if (head === 'data') this.fail(`undefined function ${fmtPath(path)}`, t.loc, 'rego_type_error');
        } else if (op.type === 'ref') {
          // Dynamic dispatch: data.x[y](args)
          const ref = this.term(op, scope, out);
          return { fn: { k: 'dynamic', ref } };
        }
      }
      if (parts) {
        const name = parts.join('.');
        const b = this.env.builtins.get(name);
        if (b) return { fn: { k: 'builtin', name }, arity: b.variadic ? undefined : b.args.length };
        this.fail(`undefined function ${name}`, t.loc, 'rego_type_error');
      }
    }
    this.fail(`illegal call: ${op.loc.text ?? 'expression'} is not a function`, t.loc, 'rego_type_error');
  }

  withMod(w: With, scope: Scope, pre: IRExpr[]): IRWith {
    const parts = refParts(w.target);
    if (!parts) this.fail('with keyword target must reference existing input, data, or a function', w.loc, 'rego_type_error');
    const head = parts[0];
    let fnValue: IRCallTarget | undefined;
    const vparts = refParts(w.value);
    if (vparts && !(w.value.type === 'var' && scope.lookup(w.value.name))) {
      const vhead = vparts[0];
      const g = this.globalRef(vhead);
      if (g && g.root === 'data') {
        const path = [...g.path, ...vparts.slice(1)];
        const node = this.env.tree.node(path, false);
        if (node && node.kind === 'function') fnValue = { k: 'func', path };
      } else if (!g && this.env.builtins.has(vparts.join('.'))) {
        fnValue = { k: 'builtin', name: vparts.join('.') };
      }
    }
    const value: IRTerm = fnValue ? { k: 'const', v: null } : this.term(w.value, scope, pre);
    if (head === 'input' && !scope.lookup('input')) return { target: { k: 'input', path: parts.slice(1) }, value, loc: w.loc };
    const g = scope.lookup(head) ? undefined : this.globalRef(head);
    if (g && g.root === 'data') {
      const path = [...g.path, ...parts.slice(1)];
      const node = this.env.tree.node(path, false);
      if (node && node.kind === 'function') return { target: { k: 'func', name: fmtPath(path), path }, value, fnValue, loc: w.loc };
      return { target: { k: 'data', path }, value, loc: w.loc };
    }
    if (g && g.root === 'input') return { target: { k: 'input', path: [...g.path, ...parts.slice(1)] }, value, loc: w.loc };
    const name = parts.join('.');
    if (this.env.builtins.has(name)) return { target: { k: 'func', name }, value, fnValue, loc: w.loc };
    this.fail(`with keyword target must reference existing input, data, or a function`, w.loc, 'rego_type_error');
  }

  // ---- terms --------------------------------------------------------------------------------

  term(t: Term, scope: Scope, out: IRExpr[]): IRTerm {
    switch (t.type) {
      case 'null':
        return constTerm(null);
      case 'boolean':
        return constTerm(t.value);
      case 'number':
        return constTerm(parseNumber(t.raw));
      case 'string':
        return constTerm(t.value);
      case 'var':
        return this.varTerm(t, scope);
      case 'ref':
        return this.refTerm(t, scope, out);
      case 'array': {
        const items = t.items.map((x) => this.term(x, scope, out));
        if (items.every((x) => x.k === 'const')) return constTerm(items.map((x) => (x as { v: Value }).v));
        return { k: 'array', items };
      }
      case 'set': {
        const items = t.items.map((x) => this.term(x, scope, out));
        if (items.every((x) => x.k === 'const')) return constTerm(SetValue.from(items.map((x) => (x as { v: Value }).v)));
        return { k: 'set', items };
      }
      case 'object': {
        const items = t.items.map(([k, v]) => [this.term(k, scope, out), this.term(v, scope, out)] as [IRTerm, IRTerm]);
        if (items.every(([k, v]) => k.k === 'const' && v.k === 'const')) {
          return constTerm(ObjectValue.from(items.map(([k, v]) => [(k as { v: Value }).v, (v as { v: Value }).v] as [Value, Value])));
        }
        return { k: 'object', items };
      }
      case 'arraycomp':
      case 'setcomp': {
        const start = this.env.slots.size;
        const cscope = this.openBodyScope(t.body, scope, [t.term]);
        const body = this.body(t.body, cscope);
        const tail: IRExpr[] = [];
        const value = this.headTerm(t.term, cscope, tail);
        if (tail.length) body.push({ exprs: tail, loc: t.loc, index: body.length });
        return { k: 'comp', kind: t.type === 'arraycomp' ? 'array' : 'set', key: null, value, body, own: [start, this.env.slots.size], loc: t.loc };
      }
      case 'objectcomp': {
        const start = this.env.slots.size;
        const cscope = this.openBodyScope(t.body, scope, [t.key, t.value]);
        const body = this.body(t.body, cscope);
        const tail: IRExpr[] = [];
        const key = this.headTerm(t.key, cscope, tail);
        const value = this.headTerm(t.value, cscope, tail);
        if (tail.length) body.push({ exprs: tail, loc: t.loc, index: body.length });
        return { k: 'comp', kind: 'object', key, value, body, own: [start, this.env.slots.size], loc: t.loc };
      }
      case 'call': {
        const name = opName(t);
        if (name === 'eq' || name === 'assign') this.fail(`${name === 'eq' ? '=' : ':='} cannot be used inside a term`, t.loc, 'rego_type_error');
        const { fn, arity } = this.callTarget(t, scope, out);
        const args = t.args.map((x) => this.term(x, scope, out));
        if (arity !== undefined && args.length !== arity) this.arityError(t, fn, arity, args.length);
        const v = this.genVar();
        out.push({ k: 'call', fn, args, out: v, loc: t.loc, text: t.loc.text ?? '' });
        return v;
      }
      case 'template': {
        const parts: (string | { body: IRBody; out: IRTerm; own: [number, number] })[] = [];
        for (let pi = 0; pi < t.parts.length; pi++) {
          const p = t.parts[pi];
          if (typeof p === 'string') {
            parts.push(p);
            continue;
          }
          const start = this.env.slots.size;
          const withs = t.partWiths?.[pi];
          const asExpr: Expr =
            withs && withs.length ? { kind: 'term', term: p, negated: false, with: withs, loc: p.loc } : (p as unknown as Expr);
          if ((asExpr as { kind?: string }).kind !== undefined) {
            // An expression part (e.g. `{x with input as y}`).
            const ex = asExpr;
            const pscope = this.openBodyScope([ex], scope);
            const unit = this.expr(ex, pscope, 0);
            const last = unit.exprs[unit.exprs.length - 1];
            const outVar = this.genVar();
            this.bindLastValue(unit, last, outVar);
            parts.push({ body: [unit], out: outVar, own: [start, this.env.slots.size] });
            continue;
          }
          const term = p as Term;
          const pscope = this.openBodyScope([], scope, [term]);
          const pre: IRExpr[] = [];
          const v = this.term(term, pscope, pre);
          const body: IRBody = pre.length ? [{ exprs: pre, loc: term.loc, index: 0 }] : [];
          parts.push({ body, out: v, own: [start, this.env.slots.size] });
        }
        return { k: 'template', parts, loc: t.loc };
      }
    }
  }

  /**
   * A head term (rule or comprehension head): terms that need evaluation (refs, comprehensions,
   * calls) are bound to a generated variable at the end of the body, as OPA's compiler does.
   */
  headTerm(t: Term, scope: Scope, tail: IRExpr[]): IRTerm {
    const v = this.term(t, scope, tail);
    if (!needsEval(v)) return v;
    const g = this.genVar();
    tail.push({ k: 'unify', a: g, b: v, loc: t.loc });
    return g;
  }

  /** Rewrites a unit so that the value of its last expression ends up in `outVar`. */
  bindLastValue(unit: IRUnit, last: IRExpr | undefined, outVar: IRVar): void {
    if (!last) {
      unit.exprs.push({ k: 'unify', a: outVar, b: constTerm(true), loc: unit.loc });
      return;
    }
    if (last.k === 'with') {
      const inner = last.body[last.body.length - 1];
      this.bindLastValue(inner, inner.exprs[inner.exprs.length - 1], outVar);
      return;
    }
    if (last.k === 'term') {
      unit.exprs[unit.exprs.length - 1] = { k: 'unify', a: outVar, b: last.t, loc: last.loc };
    } else if (last.k === 'call' && last.out === null) {
      last.out = outVar;
      unit.exprs.push({ k: 'term', t: outVar, loc: last.loc });
    } else {
      unit.exprs.push({ k: 'unify', a: outVar, b: constTerm(true), loc: unit.loc });
    }
  }

  varTerm(t: VarTerm, scope: Scope): IRTerm {
    if (t.name === '_') return { k: 'var', name: '_', slot: this.env.slots.alloc('_'), gen: true };
    const v = scope.lookup(t.name);
    if (v) return v;
    const g = this.globalRef(t.name);
    if (g) return { k: 'ref', root: { k: g.root }, path: g.path.map(constTerm), loc: t.loc };
    // Not declared anywhere (e.g. a head variable the body never mentions): a local of this scope.
    return this.newVar(scope, t.name, false);
  }

  refTerm(t: Extract<Term, { type: 'ref' }>, scope: Scope, out: IRExpr[]): IRTerm {
    const path = t.path.map((p) => this.term(p, scope, out));
    if (t.head.type === 'var') {
      const h = t.head;
      if (h.name !== '_') {
        const v = scope.lookup(h.name);
        if (!v) {
          const g = this.globalRef(h.name);
          if (g) return { k: 'ref', root: { k: g.root }, path: [...g.path.map(constTerm), ...path], loc: t.loc };
        }
      }
    }
    const root = this.term(t.head, scope, out);
    return { k: 'ref', root: { k: 'term', t: root }, path, loc: t.loc };
  }
}

/** True when a term contains refs, comprehensions or templates (it must be evaluated in a body). */
export function needsEval(t: IRTerm): boolean {
  switch (t.k) {
    case 'ref':
    case 'comp':
    case 'template':
      return true;
    case 'array':
    case 'set':
      return t.items.some(needsEval);
    case 'object':
      return t.items.some(([k, v]) => needsEval(k) || needsEval(v));
    default:
      return false;
  }
}

export function opName(t: Extract<Term, { type: 'call' }>): string | undefined {
  const p = refParts(t.op);
  return p ? p.join('.') : undefined;
}

function checkAssignable(t: Term, r: Resolver): void {
  if (t.type === 'var') return;
  if (t.type === 'array') return t.items.forEach((x) => checkAssignable(x, r));
  if (t.type === 'object') return t.items.forEach(([, x]) => checkAssignable(x, r));
  if (t.type === 'ref') r.fail(`cannot assign to ref`, t.loc);
  if (t.type === 'call') r.fail(`cannot assign to call`, t.loc);
  if (t.type === 'arraycomp' || t.type === 'setcomp' || t.type === 'objectcomp') r.fail(`cannot assign to ${t.type === 'arraycomp' ? 'arraycomprehension' : t.type === 'setcomp' ? 'setcomprehension' : 'objectcomprehension'}`, t.loc);
  if (t.type === 'set') r.fail('cannot assign to set', t.loc);
  // Scalars on the left of := are compared, as OPA does.
}

// ---- variable collection (not descending into closures) -------------------------------------

export function collectExprVars(e: Expr, out: Set<string>): void {
  switch (e.kind) {
    case 'some':
      return;
    case 'somein':
      if (e.key) collectTermVars(e.key, out);
      collectTermVars(e.value, out);
      collectTermVars(e.domain, out);
      break;
    case 'every':
      collectTermVars(e.domain, out);
      break;
    case 'term':
      collectTermVars(e.term, out);
      break;
  }
  // A with value that is a plain name may name a function (mock replacement), not a variable.
  for (const w of e.with) if (w.value.type !== 'var' && w.value.type !== 'ref') collectTermVars(w.value, out);
}

export function collectTermVars(t: Term, out: Set<string>): void {
  switch (t.type) {
    case 'var':
      out.add(t.name);
      return;
    case 'ref':
      collectTermVars(t.head, out);
      for (const p of t.path) collectTermVars(p, out);
      return;
    case 'array':
    case 'set':
      for (const x of t.items) collectTermVars(x, out);
      return;
    case 'object':
      for (const [k, v] of t.items) {
        collectTermVars(k, out);
        collectTermVars(v, out);
      }
      return;
    case 'call':
      for (const a of t.args) collectTermVars(a, out);
      if (t.op.type === 'ref') for (const p of t.op.path) collectTermVars(p, out);
      return;
    default:
      return;
  }
}
