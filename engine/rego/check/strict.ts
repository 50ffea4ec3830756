// OPA's compiler strict mode (`opa check --strict`, v1/ast/compile.go with WithStrict(true)) as an
// analysis of parsed modules. Each check returns RegoErrors with OPA's codes, messages and
// locations:
//
//   unused imports         rego_compile_error  "import data.foo unused"            (import)
//   duplicate imports      rego_compile_error  "import must not shadow import data.foo"
//   unused assignments     rego_compile_error  "assigned var x unused"             (the `x := …` expression)
//   unused function args   rego_compile_error  "unused argument x. (hint: use _ (wildcard variable) instead)" (rule)
//   input/data shadowing   rego_compile_error  "rules must not shadow input (use a different rule name)",
//                                              "variables must not shadow data (use a different variable name)",
//                                              "args must not shadow input (use a different variable name)"
//   deprecated built-ins   rego_type_error     "deprecated built-in function calls in expression: any"
//
// `future.keywords…` and `rego.v1` imports are never reported. Function arguments count as used
// when any branch of an `else` chain uses them (OPA ≥ 0.51).

import type { Body, Expr, Import, Module, Rule, Term, VarTerm } from '../ast.ts';
import type { Builtin } from '../builtins/registry.ts';
import { RegoError } from '../errors.ts';

const VAR_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ROOTS = new Set(['input', 'data']);

function termText(t: Term): string {
  switch (t.type) {
    case 'var':
      return t.name;
    case 'string':
      return JSON.stringify(t.value);
    case 'number':
      return t.raw;
    case 'boolean':
      return String(t.value);
    case 'null':
      return 'null';
    case 'ref':
      return refText(t.head, t.path);
    default:
      return t.loc.text ?? t.type;
  }
}

function refText(head: Term, path: Term[]): string {
  let s = termText(head);
  for (const p of path) s += p.type === 'string' && VAR_RE.test(p.value) ? '.' + p.value : `[${termText(p)}]`;
  return s;
}

/** The import as OPA prints it: `data.foo.bar`, `input.x as y`. */
export function importText(imp: Import): string {
  const p = imp.path.type === 'ref' ? refText(imp.path.head, imp.path.path) : imp.path.name;
  return imp.alias ? `${p} as ${imp.alias}` : p;
}

/** The name an import binds (its alias, else the last part of its path). */
export function importName(imp: Import): string {
  if (imp.alias) return imp.alias;
  if (imp.path.type === 'var') return imp.path.name;
  const last = imp.path.path[imp.path.path.length - 1];
  if (!last) return termText(imp.path.head);
  return last.type === 'string' ? last.value : termText(last);
}

function isFutureOrRegoImport(imp: Import): boolean {
  const root = imp.path.type === 'ref' ? imp.path.head : imp.path;
  return root.type === 'var' && (root.name === 'future' || root.name === 'rego');
}

// ---------------------------------------------------------------------------------------------
// Generic walking

/** Vars bound by an assignment/declaration pattern (arrays, object values; not object keys). */
function patternVars(t: Term, out: VarTerm[]): void {
  switch (t.type) {
    case 'var':
      if (t.name !== '_') out.push(t);
      break;
    case 'array':
      for (const x of t.items) patternVars(x, out);
      break;
    case 'object':
      for (const [, v] of t.items) patternVars(v, out);
      break;
    case 'ref':
      // `input := 1` parses as a var; `input.x := …` is invalid anyway.
      if (t.path.length === 0) patternVars(t.head, out);
      break;
    default:
      break;
  }
}

function isAssign(e: Expr): e is Expr & { kind: 'term'; term: Term & { type: 'call' } } {
  return e.kind === 'term' && e.term.type === 'call' && e.term.op.type === 'var' && e.term.op.name === 'assign' && e.term.args.length === 2;
}

function opName(op: Term): string {
  return op.type === 'ref' ? refText(op.head, op.path) : op.type === 'var' ? op.name : '';
}

// ---------------------------------------------------------------------------------------------
// Local variables: unused assignments and arguments, input/data shadowing

interface Decl {
  name: string;
  kind: 'assigned' | 'declared' | 'arg';
  uses: number;
}

class Scope {
  readonly vars = new Map<string, Decl>();
  constructor(readonly parent?: Scope) {}
  lookup(name: string): Decl | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const d = s.vars.get(name);
      if (d) return d;
    }
    return undefined;
  }
}

class LocalsChecker {
  constructor(
    readonly errors: RegoError[],
    /** Shadowing of input/data: an error for Rego v1 modules even without strict mode. */
    readonly v1: RegoError[],
  ) {}

  use(name: string, scope: Scope): void {
    const d = scope.lookup(name);
    if (d) d.uses++;
  }

  term(t: Term, scope: Scope): void {
    switch (t.type) {
      case 'var':
        if (t.name !== '_') this.use(t.name, scope);
        break;
      case 'ref':
        this.term(t.head, scope);
        for (const p of t.path) this.term(p, scope);
        break;
      case 'array':
      case 'set':
        for (const x of t.items) this.term(x, scope);
        break;
      case 'object':
        for (const [k, v] of t.items) {
          this.term(k, scope);
          this.term(v, scope);
        }
        break;
      case 'call':
        for (const a of t.args) this.term(a, scope);
        break;
      case 'template':
        for (const p of t.parts) if (typeof p !== 'string') this.term(p, scope);
        for (const ws of t.partWiths ?? []) for (const w of ws ?? []) this.term(w.value, scope);
        break;
      case 'arraycomp':
      case 'setcomp': {
        const inner = new Scope(scope);
        const used = new Set<string>();
        collectVarNames(t.term, used);
        this.body(t.body, inner, used);
        this.term(t.term, inner);
        break;
      }
      case 'objectcomp': {
        const inner = new Scope(scope);
        const used = new Set<string>();
        collectVarNames(t.key, used);
        collectVarNames(t.value, used);
        this.body(t.body, inner, used);
        this.term(t.key, inner);
        this.term(t.value, inner);
        break;
      }
      default:
        break;
    }
  }

  declare(v: VarTerm, kind: Decl['kind'], scope: Scope): void {
    if (!scope.vars.has(v.name)) scope.vars.set(v.name, { name: v.name, kind, uses: 0 });
  }

  /** Walks a body in its own scope; reports its unused assignments. */
  body(body: Body, scope: Scope, used: Set<string>): void {
    const assignedAt = new Map<string, Expr>();
    for (const e of body) {
      for (const w of e.with) this.term(w.value, scope);
      switch (e.kind) {
        case 'term':
          if (isAssign(e)) {
            const [lhs, rhs] = e.term.args;
            this.term(rhs, scope);
            const vs: VarTerm[] = [];
            patternVars(lhs, vs);
            for (const v of vs) {
              if (ROOTS.has(v.name)) {
                this.v1.push(new RegoError('rego_compile_error', `variables must not shadow ${v.name} (use a different variable name)`, e.loc));
                continue;
              }
              if (!scope.vars.has(v.name)) {
                this.declare(v, 'assigned', scope);
                assignedAt.set(v.name, e);
              }
            }
            // Non-var parts of the pattern (object keys, refs) are uses.
            if (lhs.type === 'object') for (const [k] of lhs.items) this.term(k, scope);
          } else this.term(e.term, scope);
          break;
        case 'some':
          for (const v of e.vars) if (v.name !== '_') this.declare(v, 'declared', scope);
          break;
        case 'somein': {
          this.term(e.domain, scope);
          const vs: VarTerm[] = [];
          if (e.key) patternVars(e.key, vs);
          patternVars(e.value, vs);
          for (const v of vs) this.declare(v, 'declared', scope);
          break;
        }
        case 'every': {
          this.term(e.domain, scope);
          const inner = new Scope(scope);
          const vs: VarTerm[] = [];
          if (e.key) patternVars(e.key, vs);
          patternVars(e.value, vs);
          for (const v of vs) this.declare(v, 'declared', inner);
          this.body(e.body, inner, new Set());
          break;
        }
      }
    }
    for (const [name, d] of scope.vars) {
      if (d.kind !== 'assigned' || d.uses > 0 || used.has(name)) continue;
      const at = assignedAt.get(name);
      if (at) this.errors.push(new RegoError('rego_compile_error', `assigned var ${name} unused`, at.loc));
    }
  }

  rule(rule: Rule): void {
    const args = rule.head.args;
    const argDecls: Decl[] = [];
    const argScope = new Scope();
    if (args) {
      const vs: VarTerm[] = [];
      for (const a of args) patternVars(a, vs);
      for (const v of vs) {
        if (ROOTS.has(v.name)) {
          this.v1.push(new RegoError('rego_compile_error', `args must not shadow ${v.name} (use a different variable name)`, v.loc));
          continue;
        }
        this.declare(v, 'arg', argScope);
      }
      argDecls.push(...argScope.vars.values());
    }
    for (let r: Rule | undefined = rule; r; r = r.else) {
      // Each branch of an else chain is checked in its own scope; arguments are shared.
      const scope = new Scope(argScope);
      const used = new Set<string>();
      for (const t of r.head.ref.slice(1)) collectVarNames(t, used);
      if (r.head.key) collectVarNames(r.head.key, used);
      if (r.head.value) collectVarNames(r.head.value, used);
      this.body(r.body, scope, used);
      for (const t of r.head.ref.slice(1)) this.term(t, scope);
      if (r.head.key) this.term(r.head.key, scope);
      if (r.head.value) this.term(r.head.value, scope);
    }
    for (const d of argDecls) {
      if (d.uses === 0) this.errors.push(new RegoError('rego_compile_error', `unused argument ${d.name}. (hint: use _ (wildcard variable) instead)`, rule.loc));
    }
  }
}

function collectVarNames(t: Term, out: Set<string>): void {
  switch (t.type) {
    case 'var':
      out.add(t.name);
      break;
    case 'ref':
      collectVarNames(t.head, out);
      for (const p of t.path) collectVarNames(p, out);
      break;
    case 'array':
    case 'set':
      for (const x of t.items) collectVarNames(x, out);
      break;
    case 'object':
      for (const [k, v] of t.items) {
        collectVarNames(k, out);
        collectVarNames(v, out);
      }
      break;
    case 'call':
      for (const a of t.args) collectVarNames(a, out);
      break;
    case 'template':
      for (const p of t.parts) if (typeof p !== 'string') collectVarNames(p, out);
      break;
    case 'arraycomp':
    case 'setcomp':
      // OPA's VarVisitor walks into comprehensions: a local used only inside one is used.
      collectVarNames(t.term, out);
      for (const e of t.body) collectExprVarNames(e, out);
      break;
    case 'objectcomp':
      collectVarNames(t.key, out);
      collectVarNames(t.value, out);
      for (const e of t.body) collectExprVarNames(e, out);
      break;
    default:
      break;
  }
}

function collectExprVarNames(e: import('../ast.ts').Expr, out: Set<string>): void {
  switch (e.kind) {
    case 'term':
      collectVarNames(e.term, out);
      break;
    case 'some':
      for (const v of e.vars) collectVarNames(v, out);
      break;
    case 'somein':
      if (e.key) collectVarNames(e.key, out);
      collectVarNames(e.value, out);
      collectVarNames(e.domain, out);
      break;
    case 'every':
      if (e.key) collectVarNames(e.key, out);
      collectVarNames(e.value, out);
      collectVarNames(e.domain, out);
      for (const x of e.body) collectExprVarNames(x, out);
      break;
    case 'notbody':
      for (const x of e.body) collectExprVarNames(x, out);
      break;
  }
  for (const w of e.with) collectVarNames(w.value, out);
}

// ---------------------------------------------------------------------------------------------
// Imports

/** Does the module refer to `name` (as a free var or ref head) outside scopes that shadow it? */
function moduleUsesName(m: Module, name: string): boolean {
  let found = false;
  const shadowedIn = (body: Body): boolean => {
    for (const e of body) {
      if (isAssign(e)) {
        const vs: VarTerm[] = [];
        patternVars(e.term.args[0], vs);
        if (vs.some((v) => v.name === name)) return true;
      } else if (e.kind === 'some' && e.vars.some((v) => v.name === name)) return true;
      else if (e.kind === 'somein') {
        const vs: VarTerm[] = [];
        if (e.key) patternVars(e.key, vs);
        patternVars(e.value, vs);
        if (vs.some((v) => v.name === name)) return true;
      }
    }
    return false;
  };
  const term = (t: Term, shadow: boolean): void => {
    if (found) return;
    switch (t.type) {
      case 'var':
        if (!shadow && t.name === name) found = true;
        break;
      case 'ref':
        term(t.head, shadow);
        for (const p of t.path) term(p, shadow);
        break;
      case 'array':
      case 'set':
        for (const x of t.items) term(x, shadow);
        break;
      case 'object':
        for (const [k, v] of t.items) {
          term(k, shadow);
          term(v, shadow);
        }
        break;
      case 'call':
        term(t.op, shadow);
        for (const a of t.args) term(a, shadow);
        break;
      case 'template':
        for (const p of t.parts) if (typeof p !== 'string') term(p, shadow);
        for (const ws of t.partWiths ?? []) for (const w of ws ?? []) {
          term(w.target, shadow);
          term(w.value, shadow);
        }
        break;
      case 'arraycomp':
      case 'setcomp': {
        const s = shadow || shadowedIn(t.body);
        term(t.term, s);
        body(t.body, s);
        break;
      }
      case 'objectcomp': {
        const s = shadow || shadowedIn(t.body);
        term(t.key, s);
        term(t.value, s);
        body(t.body, s);
        break;
      }
      default:
        break;
    }
  };
  const body = (b: Body, shadow: boolean): void => {
    for (const e of b) {
      for (const w of e.with) {
        term(w.target, shadow);
        term(w.value, shadow);
      }
      switch (e.kind) {
        case 'term':
          if (isAssign(e)) term(e.term.args[1], shadow);
          else term(e.term, shadow);
          break;
        case 'somein':
          term(e.domain, shadow);
          break;
        case 'every': {
          term(e.domain, shadow);
          const vs: VarTerm[] = [];
          if (e.key) patternVars(e.key, vs);
          patternVars(e.value, vs);
          body(e.body, shadow || vs.some((v) => v.name === name));
          break;
        }
        default:
          break;
      }
    }
  };
  for (const rule of m.rules) {
    const argNames = new Set<string>();
    for (const a of rule.head.args ?? []) collectVarNames(a, argNames);
    for (let r: Rule | undefined = rule; r && !found; r = r.else) {
      const shadow = argNames.has(name) || shadowedIn(r.body);
      for (const t of r.head.ref.slice(1)) term(t, shadow);
      if (r.head.key) term(r.head.key, shadow);
      if (r.head.value) term(r.head.value, shadow);
      body(r.body, shadow);
    }
    if (found) return true;
  }
  return found;
}

function checkDuplicateImports(m: Module, errors: RegoError[]): void {
  const seen = new Map<string, Import>();
  for (const imp of m.imports) {
    if (isFutureOrRegoImport(imp)) continue;
    const name = importName(imp);
    const prev = seen.get(name);
    if (prev) {
      errors.push(new RegoError('rego_compile_error', `import must not shadow import ${importText(prev)}`, imp.loc));
      continue;
    }
    seen.set(name, imp);
  }
}

function checkUnusedImports(m: Module, errors: RegoError[]): void {
  for (const imp of m.imports) {
    if (isFutureOrRegoImport(imp)) continue;
    if (!moduleUsesName(m, importName(imp))) errors.push(new RegoError('rego_compile_error', `import ${importText(imp)} unused`, imp.loc));
  }
}

// ---------------------------------------------------------------------------------------------
// Rule names and deprecated built-ins

function checkRuleNames(m: Module, errors: RegoError[]): void {
  for (const r of m.rules) {
    const head = r.head.ref[0];
    if (head?.type === 'var' && ROOTS.has(head.name)) {
      errors.push(new RegoError('rego_compile_error', `rules must not shadow ${head.name} (use a different rule name)`, r.loc));
    }
  }
}

function checkDeprecated(m: Module, deprecated: Set<string>, errors: RegoError[]): void {
  if (deprecated.size === 0) return;
  // Functions defined in this package (or imported by name) shadow built-ins of the same name.
  const local = new Set<string>();
  for (const r of m.rules) {
    const ref = r.head.ref;
    local.add(ref.map((t, i) => (i === 0 && t.type === 'var' ? t.name : t.type === 'string' ? t.value : '?')).join('.'));
  }
  for (const imp of m.imports) local.add(importName(imp));
  const call = (t: Term & { type: 'call' }, at: RegoError['location'] | undefined) => {
    const name = opName(t.op);
    if (deprecated.has(name) && !local.has(name) && !local.has(name.split('.')[0])) {
      errors.push(new RegoError('rego_type_error', `deprecated built-in function calls in expression: ${name}`, at ?? t.op.loc));
    }
  };
  const term = (t: Term): void => {
    switch (t.type) {
      case 'call':
        call(t, undefined);
        for (const a of t.args) term(a);
        break;
      case 'ref':
        term(t.head);
        for (const p of t.path) term(p);
        break;
      case 'array':
      case 'set':
        for (const x of t.items) term(x);
        break;
      case 'object':
        for (const [k, v] of t.items) {
          term(k);
          term(v);
        }
        break;
      case 'arraycomp':
      case 'setcomp':
        term(t.term);
        body(t.body);
        break;
      case 'objectcomp':
        term(t.key);
        term(t.value);
        body(t.body);
        break;
      case 'template':
        for (const p of t.parts) if (typeof p !== 'string') term(p);
        break;
      default:
        break;
    }
  };
  const body = (b: Body): void => {
    for (const e of b) {
      for (const w of e.with) term(w.value);
      switch (e.kind) {
        case 'term':
          if (e.term.type === 'call') {
            // An expression that is itself a call reports at the expression (OPA's Expr.Loc()).
            call(e.term, e.loc);
            for (const a of e.term.args) term(a);
          } else term(e.term);
          break;
        case 'somein':
          term(e.domain);
          break;
        case 'every':
          term(e.domain);
          body(e.body);
          break;
        default:
          break;
      }
    }
  };
  for (const rule of m.rules) {
    for (let r: Rule | undefined = rule; r; r = r.else) {
      for (const t of r.head.ref.slice(1)) term(t);
      if (r.head.key) term(r.head.key);
      if (r.head.value) term(r.head.value);
      body(r.body);
    }
  }
}

// ---------------------------------------------------------------------------------------------

export interface StrictOptions {
  /** Built-ins (name → declaration); those with `deprecated: true` are reported. */
  builtins?: Map<string, Builtin> | Iterable<Builtin>;
  /** Only the checks OPA applies to every v1 module (what the compiler needs). */
  v1Only?: boolean;
}

export interface StrictResult {
  /**
   * Checks OPA applies to every Rego v1 module, strict or not (duplicate imports, rules,
   * variables or arguments named input/data).
   */
  v1: RegoError[];
  /** Strict-mode errors OPA reports in its early compile stages (unused imports, locals, args). */
  early: RegoError[];
  /** Errors OPA reports after type checking (deprecated built-ins). */
  late: RegoError[];
}

/** Strict-mode findings, split by the compile stage in which OPA reports them. */
export function strictChecks(modules: readonly Module[], opts: StrictOptions = {}): StrictResult {
  const deprecated = new Set<string>();
  const list = opts.builtins instanceof Map ? opts.builtins.values() : (opts.builtins ?? []);
  for (const b of list) if (b.deprecated) deprecated.add(b.name);
  const v1: RegoError[] = [];
  const early: RegoError[] = [];
  const late: RegoError[] = [];
  for (const m of modules) {
    checkDuplicateImports(m, v1);
    if (!opts.v1Only) checkUnusedImports(m, early);
    checkRuleNames(m, v1);
    const locals = new LocalsChecker(early, v1);
    for (const r of m.rules) locals.rule(r);
    if (!opts.v1Only) checkDeprecated(m, deprecated, late);
  }
  return { v1: sortErrors(v1), early: sortErrors(early), late: sortErrors(late) };
}

/** All strict-mode findings (v1 checks included), sorted by location. */
export function checkStrict(modules: readonly Module[], opts: StrictOptions = {}): RegoError[] {
  const { v1, early, late } = strictChecks(modules, opts);
  return sortErrors([...v1, ...early, ...late]);
}

export function sortErrors(errs: RegoError[]): RegoError[] {
  const key = (e: RegoError) => e.location ?? { file: '', row: 0, col: 0 };
  return [...errs].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x.file !== y.file) return x.file < y.file ? -1 : 1;
    if (x.row !== y.row) return x.row - y.row;
    if (x.col !== y.col) return x.col - y.col;
    return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
  });
}
