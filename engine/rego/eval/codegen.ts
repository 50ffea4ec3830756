// Code generation: IR bodies → closures.
//
// A body compiles to a chain of Steps `(ctx, frame) => stop`. Each step binds variables in frame
// slots and calls its continuation once per solution; returning true stops the enumeration
// (used by `not`, `every`, early exit of constant rules). Whether a variable is bound at a given
// point is known at compile time (the body was reordered for safety), so binding is a plain slot
// write and backtracking needs no trail.

import type { Location } from '../ast.ts';
import type { Builtin } from '../builtins/registry.ts';
import { RegoError } from '../errors.ts';
import { formatInterpolated } from '../format.ts';
import type { IRBody, IRCallTarget, IRExpr, IRTerm, IRUnit, IRWith } from '../compile/ir.ts';
import type { SlotAllocator } from '../compile/resolve.ts';
import type { RuleNode } from '../compile/ruletree.ts';
import { compare, equal, isNumber, ObjectValue, SetValue, type Value } from '../value.ts';
import { Ctx } from './ctx.ts';

export type Frame = unknown[];
export type Step = (c: Ctx, f: Frame) => boolean;
export type ValueFn = (c: Ctx, f: Frame) => Value | undefined;
type Matcher = (c: Ctx, f: Frame, v: Value) => boolean;
type Bound = Set<number>;

/** The runtime services the generated code calls (implemented by the policy runtime). */
export interface Runtime {
  /** Compile built-in calls and comparisons as code of their own per call site (see specializedRun). */
  readonly specialize?: boolean;
  /** Value of the document at a rule-tree node (memoised per context). */
  nodeValue(c: Ctx, node: RuleNode): Value | undefined;
  /** Value of data at a path of concrete keys (virtual and base documents, with overrides). */
  dataValue(c: Ctx, keys: Value[]): Value | undefined;
  /** Calls a user function. */
  callFunction(c: Ctx, path: string[], args: Value[]): Value | undefined;
  /** Calls a user function whose rule-tree node is known. */
  callFunctionNode(c: Ctx, node: RuleNode, args: Value[]): Value | undefined;
  /** Calls a function by a computed data path (dynamic dispatch). */
  callDynamic(c: Ctx, path: Value[], args: Value[], loc: Location): Value | undefined;
  /** The rule-tree node at a path, if any. */
  nodeAt(path: string[]): RuleNode | undefined;
  /** True when rules live at or below the node. */
  hasRulesBelow(node: RuleNode): boolean;
  /** Resolves a compile-time data path to its rule node and the rest of the path. */
  staticNode(path: string[]): { node: RuleNode; rest: string[] } | undefined;
  builtins: Map<string, Builtin>;
  /** Metadata built-ins for the rule being compiled. */
  metadata?: { rule: Value; chain: Value };
}

/** Rows of source reached during evaluation (for `rego test --coverage`). */
export class Coverage {
  readonly files = new Map<string, { covered: Set<number>; all: Set<number> }>();
  file(name: string): { covered: Set<number>; all: Set<number> } {
    let f = this.files.get(name);
    if (!f) this.files.set(name, (f = { covered: new Set(), all: new Set() }));
    return f;
  }
  /** Wraps a step so that reaching it marks `loc`'s row covered. */
  mark(loc: Location, k: Step): Step {
    const f = this.file(loc.file);
    const row = loc.row;
    f.all.add(row);
    const covered = f.covered;
    return (c, fr) => {
      covered.add(row);
      return k(c, fr);
    };
  }
}

export const STOP: Step = () => true;
export const CONTINUE: Step = () => false;

export class CodeGen {
  /** Rule-tree nodes the compiled code may evaluate (for recursion detection). */
  readonly deps = new Set<RuleNode>();

  constructor(
    readonly rt: Runtime,
    readonly slots: SlotAllocator,
    readonly cov?: Coverage,
  ) {}

  private depBelow(path: string[]): void {
    const hit = this.rt.staticNode(path);
    if (hit) {
      this.deps.add(hit.node);
      return;
    }
    const n = this.rt.nodeAt(path);
    if (n) this.deps.add(n);
  }

  tmp(name = '__tmp'): number {
    return this.slots.alloc(name);
  }

  // ---- bodies -------------------------------------------------------------------------------

  /** Compiles a body; `bound` is updated to the variables bound after it. */
  body(body: IRBody, bound: Bound, next: Step): Step {
    const befores: Bound[] = [];
    for (const u of body) {
      befores.push(new Set(bound));
      this.simulateUnit(u, bound);
    }
    if (this.rt.specialize && !this.cov && body.every((u) => u.exprs.length > 0)) return this.fusedBody(body, befores, next);
    let k = next;
    for (let i = body.length - 1; i >= 0; i--) k = this.unit(body[i], befores[i], k);
    return k;
  }

  /**
   * Specialised bodies (CompileOptions.specialize): runs of expressions that have at most one
   * solution (no iteration) become one function that tests them in order and then continues,
   * instead of a chain of continuations. Each test is the expression compiled with STOP as its
   * continuation: it returns true exactly when the expression holds, its bindings made.
   */
  private fusedBody(body: IRBody, befores: Bound[], next: Step): Step {
    const items: { e: IRExpr; bound: Bound; valueSlot?: number }[] = [];
    body.forEach((u, i) => {
      const b = new Set(befores[i]);
      u.exprs.forEach((e, j) => {
        items.push({ e, bound: new Set(b), valueSlot: j === u.exprs.length - 1 ? u.valueSlot : undefined });
        simulateExpr(e, b);
      });
    });
    let k = next;
    let tests: { e: IRExpr; bound: Bound; valueSlot?: number }[] = [];
    const flush = () => {
      if (tests.length) k = this.fuseTests(tests.reverse(), k);
      tests = [];
    };
    for (let i = items.length - 1; i >= 0; i--) {
      const { e, bound, valueSlot } = items[i];
      if (this.singleSolution(e, bound)) {
        tests.push(items[i]);
      } else {
        flush();
        k = this.expr(e, bound, k, valueSlot);
      }
    }
    flush();
    return k;
  }

  /**
   * One step testing single-solution expressions in order, then `k`, as one function of straight
   * code: an expression the emitter knows (a comparison, a built-in call, `x := value`, a term,
   * `not`) is written out in place, with its operands' references as property loads and the
   * built-in's implementation called directly; any other is its own step compiled with STOP as its
   * continuation (true exactly when the expression holds, its bindings made). Same semantics as
   * the chain of steps: an operand that is undefined fails the expression.
   */
  private fuseTests(tests: { e: IRExpr; bound: Bound; valueSlot?: number }[], k: Step): Step {
    const em = new InlineEmitter();
    for (const t of tests) {
      if (!this.inlineTest(em, t.e, t.bound, t.valueSlot)) {
        const step = em.name('t', this.expr(t.e, t.bound, STOP, t.valueSlot));
        em.line(`if (!${step}(c, f)) return false;`);
      }
    }
    em.line(`return ${em.name('k', k)}(c, f);`);
    return siteStep(em.names, em.lines.join('\n'));
  }

  /** Writes the expression's test into `em` (false: the emitter does not know it; nothing written). */
  private inlineTest(em: InlineEmitter, e: IRExpr, bound: Bound, valueSlot?: number): boolean {
    const setValue = (v: string) => (valueSlot === undefined ? '' : `f[${valueSlot}] = ${v};`);
    switch (e.k) {
      case 'term': {
        const v = this.inlineValue(em, e.t, bound);
        em.line(`if (${v} === false) return false;${setValue(v)}`);
        return true;
      }
      case 'not': {
        const inner = em.name('not', this.body(e.body, new Set(bound), STOP));
        em.line(`if (${inner}(c, f)) return false;${setValue('true')}`);
        return true;
      }
      case 'unify': {
        const ab = isBound(e.a, bound);
        const bb = isBound(e.b, bound);
        if (ab && bb) {
          const a = this.inlineValue(em, e.a, bound);
          const b = this.inlineValue(em, e.b, bound);
          em.line(`if (!${em.name('equal', equal)}(${a}, ${b})) return false;${setValue('true')}`);
          return true;
        }
        const pat = ab ? e.b : e.a;
        if ((ab || bb) && pat.k === 'var') {
          const v = this.inlineValue(em, ab ? e.a : e.b, bound);
          em.line(`f[${pat.slot}] = ${v};${setValue('true')}`);
          return true;
        }
        return false;
      }
      case 'call': {
        if (e.fn.k !== 'builtin') return false;
        const name = e.fn.name;
        if (name === 'rego.metadata.rule' || name === 'rego.metadata.chain') return false;
        const builtin = this.rt.builtins.get(name);
        if (builtin === undefined || builtin.relation === true) return false;
        const n = e.args.length;
        const inline = e.out === null && n === 2 ? INLINE_COMPARE[name] : undefined;
        if (e.out !== null && !(e.out.k === 'var' && !bound.has(e.out.slot))) return false;
        const invoke = em.name('invoke', this.invoker(e.fn, bound, e.loc));
        const args = e.args.map((a) => this.inlineValue(em, a, bound));
        const r = em.local();
        if (inline !== undefined) {
          // Comparisons never fail on operand types: evaluated in place (unless mocked).
          em.line(`const ${r} = ${compareExpr(args[0], args[1], { name: JSON.stringify(name), invoke, cmp: em.name('cmp', inline) })};`);
          em.line(`if (${r} === undefined || ${r} === false) return false;${setValue(r)}`);
          return true;
        }
        // The built-in's JS runs to completion without evaluating Rego: the site's argument
        // array is reused.
        em.line(`let ${r};`);
        em.line(
          builtinCallSource(r, args, {
            name: JSON.stringify(name),
            buf: em.name('buf', new Array(n)),
            impl: em.name('impl', builtin.fn),
            loc: em.name('loc', e.loc),
            invoke,
            failed: em.name('failed', builtinFailed),
          }),
        );
        if (e.out === null) em.line(`if (${r} === undefined || ${r} === false) return false;${setValue(r)}`);
        else em.line(`if (${r} === undefined) return false; f[${e.out.slot}] = ${r};${setValue('true')}`);
        return true;
      }
      default:
        return false;
    }
  }

  /**
   * Writes the computation of a bound term's value into `em` (returning false from the step when
   * it is undefined) and returns the local holding it. A constant is a captured name; a reference
   * with constant string keys from a variable or input is a chain of property loads (see
   * specializedRef); any other term is its value function's call.
   */
  private inlineValue(em: InlineEmitter, t: IRTerm, bound: Bound): string {
    if (t.k === 'const') return em.name('K', t.v);
    const x = em.local();
    if (t.k === 'var') {
      em.line(`const ${x} = f[${t.slot}]; if (${x} === undefined) return false;`);
      return x;
    }
    if (t.k === 'ref' && t.path.length > 0 && t.path.every((p) => p.k === 'const' && typeof p.v === 'string') && (t.root.k === 'input' || (t.root.k === 'term' && t.root.t.k === 'var'))) {
      const ov = em.name('ObjectValue', ObjectValue);
      const ch = em.name('child', child);
      em.line(`let ${x} = ${t.root.k === 'input' ? 'c.input' : `f[${(t.root.t as { slot: number }).slot}]`};`);
      for (const l of keyLoadsSource(x, t.path.map((p) => (p as { v: string }).v), 'return false;', ov, ch)) em.line(l);
      em.line(`if (${x} === undefined) return false;`);
      return x;
    }
    const vf = em.name('V', this.value(t, bound));
    em.line(`const ${x} = ${vf}(c, f); if (${x} === undefined) return false;`);
    return x;
  }

  /** True when the expression has at most one solution and calls its continuation outside any context change. */
  private singleSolution(e: IRExpr, bound: Bound): boolean {
    switch (e.k) {
      case 'unify':
        return !hasIterRef(e.a, bound) && !hasIterRef(e.b, bound);
      case 'term':
        return !hasIterRef(e.t, bound);
      case 'call':
        if (e.fn.k === 'builtin' && this.rt.builtins.get(e.fn.name)?.relation === true) return false;
        if (e.fn.k === 'dynamic' && hasIterRef(e.fn.ref, bound)) return false;
        return !e.args.some((a) => hasIterRef(a, bound));
      case 'not':
        return true;
      case 'every':
        return !hasIterRef(e.domain, bound);
      case 'somein':
      case 'with':
        return false;
    }
  }

  private simulateUnit(u: IRUnit, bound: Bound): void {
    for (const e of u.exprs) simulateExpr(e, bound);
  }

  unit(u: IRUnit, bound: Bound, next: Step): Step {
    const befores: Bound[] = [];
    const b = new Set(bound);
    for (const e of u.exprs) {
      befores.push(new Set(b));
      simulateExpr(e, b);
    }
    let k = next;
    if (u.valueSlot !== undefined && u.exprs.length === 0) {
      const vs = u.valueSlot;
      const k0 = k;
      k = (c, f) => {
        f[vs] = true;
        return k0(c, f);
      };
    }
    for (let i = u.exprs.length - 1; i >= 0; i--) {
      const last = i === u.exprs.length - 1;
      k = this.expr(u.exprs[i], befores[i], k, last ? u.valueSlot : undefined);
    }
    if (this.cov && u.loc.file) k = this.cov.mark(u.loc, k);
    return k;
  }

  // ---- expressions --------------------------------------------------------------------------

  expr(e: IRExpr, bound: Bound, next: Step, valueSlot?: number): Step {
    switch (e.k) {
      case 'unify':
        return this.withIterRefs([e.a, e.b], bound, next, ([a, b], bnd, k) => {
          const k2 = valueSlot === undefined ? k : setTrue(valueSlot, k);
          return this.unify(a, b, bnd, k2);
        });
      case 'term':
        return this.withIterRefs([e.t], bound, next, ([t], bnd, k) => {
          const vf = this.value(t, bnd);
          if (this.rt.specialize) {
            return siteStep({ vf, k }, `const v = vf(c, f);
              if (v === undefined || v === false) return false;
              ${valueSlot !== undefined ? `f[${valueSlot}] = v;` : ''}
              return k(c, f);`);
          }
          return (c, f) => {
            const v = vf(c, f);
            if (v === undefined || v === false) return false;
            if (valueSlot !== undefined) f[valueSlot] = v;
            return k(c, f);
          };
        });
      case 'call':
        return this.call(e, bound, next, valueSlot);
      case 'somein':
        return this.someIn(e, bound, valueSlot === undefined ? next : setTrue(valueSlot, next));
      case 'every':
        return this.every(e, bound, valueSlot === undefined ? next : setTrue(valueSlot, next));
      case 'not': {
        const inner = this.body(e.body, new Set(bound), STOP);
        const k = valueSlot === undefined ? next : setTrue(valueSlot, next);
        if (this.rt.specialize) return siteStep({ inner, k }, 'return inner(c, f) ? false : k(c, f);');
        return (c, f) => (inner(c, f) ? false : k(c, f));
      }
      case 'with':
        return this.with(e, bound, next, valueSlot);
    }
  }

  /**
   * Extracts references that iterate (unbound variables in their path) out of terms: each
   * becomes an enumeration step binding a temporary, and the term uses the temporary instead.
   */
  withIterRefs(terms: IRTerm[], bound: Bound, next: Step, build: (terms: IRTerm[], bound: Bound, next: Step) => Step): Step {
    // The common case: nothing iterates, the terms are used as they are.
    if (!terms.some((t) => hasIterRef(t, bound))) return build(terms, bound, next);
    const b = new Set(bound);
    const iters: { ref: Extract<IRTerm, { k: 'ref' }>; slot: number; bound: Bound }[] = [];
    const rewrite = (t: IRTerm): IRTerm => {
      switch (t.k) {
        case 'ref': {
          const root = t.root.k === 'term' ? { k: 'term' as const, t: rewrite(t.root.t) } : t.root;
          const path = t.path.map(rewrite);
          const r = { ...t, root, path };
          if (path.some((p) => !isBound(p, b))) {
            const before = new Set(b);
            for (const p of path) addVars(p, b);
            const slot = this.tmp();
            b.add(slot);
            iters.push({ ref: r, slot, bound: before });
            return { k: 'var', name: '__ref', slot, gen: true };
          }
          return r;
        }
        case 'array':
          return { k: 'array', items: t.items.map(rewrite) };
        case 'set':
          return { k: 'set', items: t.items.map(rewrite) };
        case 'object':
          return { k: 'object', items: t.items.map(([k, v]) => [rewrite(k), rewrite(v)] as [IRTerm, IRTerm]) };
        default:
          return t;
      }
    };
    const rewritten = terms.map(rewrite);
    let k = build(rewritten, b, next);
    for (let i = iters.length - 1; i >= 0; i--) k = this.iterRef(iters[i].ref, iters[i].bound, iters[i].slot, k);
    return k;
  }

  // ---- unification --------------------------------------------------------------------------

  unify(a: IRTerm, b: IRTerm, bound: Bound, next: Step): Step {
    const ab = isBound(a, bound);
    const bb = isBound(b, bound);
    if (ab && bb) {
      const va = this.value(a, bound);
      const vb = this.value(b, bound);
      if (this.rt.specialize) {
        return siteStep({ va, vb, equal, next }, `const x = va(c, f);
          if (x === undefined) return false;
          const y = vb(c, f);
          if (y === undefined || !equal(x, y)) return false;
          return next(c, f);`);
      }
      return (c, f) => {
        const x = va(c, f);
        if (x === undefined) return false;
        const y = vb(c, f);
        if (y === undefined || !equal(x, y)) return false;
        return next(c, f);
      };
    }
    if (ab || bb) {
      const [val, pat] = ab ? [a, b] : [b, a];
      const vf = this.value(val, bound);
      if (this.rt.specialize && pat.k === 'var') {
        // `x := value`: bind the fresh variable.
        return siteStep({ vf, next }, `const v = vf(c, f);
          if (v === undefined) return false;
          f[${pat.slot}] = v;
          return next(c, f);`);
      }
      const m = this.matcher(pat, new Set(bound));
      return (c, f) => {
        const v = vf(c, f);
        if (v === undefined || !m(c, f, v)) return false;
        return next(c, f);
      };
    }
    // Both sides have unbound variables: decompose structurally.
    if (a.k === 'array' && b.k === 'array') {
      if (a.items.length !== b.items.length) return () => false;
      const bnd = new Set(bound);
      const pairs = a.items.map((x, i) => [x, b.items[i]] as const);
      // Order pairs so that each is unifiable given what earlier ones bind.
      const ordered: (readonly [IRTerm, IRTerm])[] = [];
      const befores: Bound[] = [];
      const pending = [...pairs];
      while (pending.length) {
        const idx = pending.findIndex(([x, y]) => isBound(x, bnd) || isBound(y, bnd) || (x.k === 'array' && y.k === 'array') || (x.k === 'object' && y.k === 'object'));
        const [p] = pending.splice(idx < 0 ? 0 : idx, 1);
        befores.push(new Set(bnd));
        ordered.push(p);
        addVars(p[0], bnd);
        addVars(p[1], bnd);
      }
      let k = next;
      for (let i = ordered.length - 1; i >= 0; i--) k = this.unify(ordered[i][0], ordered[i][1], befores[i], k);
      return k;
    }
    if (a.k === 'object' && b.k === 'object') {
      if (a.items.length !== b.items.length) return () => false;
      // Keys must be ground; match pairs by key.
      const keysA = a.items.map(([k]) => k);
      const keysB = b.items.map(([k]) => k);
      if (![...keysA, ...keysB].every((k) => isBound(k, bound))) {
        throw new RegoError('rego_unsafe_var_error', 'object keys must be ground in unification', undefined);
      }
      const sameKey = (x: IRTerm, y: IRTerm): boolean =>
        (x.k === 'const' && y.k === 'const' && equal(x.v, y.v)) || (x.k === 'var' && y.k === 'var' && x.slot === y.slot);
      const pairs: [IRTerm, IRTerm][] = [];
      for (const [ka, va] of a.items) {
        const m = b.items.find(([kb]) => sameKey(ka, kb));
        if (!m) {
          if (keysA.every((k) => k.k === 'const') && keysB.every((k) => k.k === 'const')) return () => false;
          throw new RegoError('rego_unsafe_var_error', 'object keys must be ground in unification', undefined);
        }
        pairs.push([va, m[1]]);
      }
      return this.unify({ k: 'array', items: pairs.map((p) => p[0]) }, { k: 'array', items: pairs.map((p) => p[1]) }, bound, next);
    }
    if (a.k === 'var' || b.k === 'var') {
      // var = composite with unbound vars (e.g. `x = [y]` where y is bound later): unsafe.
      throw new RegoError('rego_unsafe_var_error', `var ${a.k === 'var' ? a.name : (b as { name: string }).name} is unsafe`);
    }
    return () => false;
  }

  /** A matcher binds the unbound variables of a pattern against a value (deterministic). */
  matcher(p: IRTerm, bound: Bound): Matcher {
    if (isBound(p, bound)) {
      const vf = this.value(p, bound);
      return (c, f, v) => {
        const w = vf(c, f);
        return w !== undefined && equal(v, w);
      };
    }
    switch (p.k) {
      case 'var': {
        const s = p.slot;
        bound.add(s);
        return (_c, f, v) => {
          f[s] = v;
          return true;
        };
      }
      case 'array': {
        const ms = p.items.map((x) => this.matcher(x, bound));
        const n = ms.length;
        return (c, f, v) => {
          if (!Array.isArray(v) || v.length !== n) return false;
          for (let i = 0; i < n; i++) if (!ms[i](c, f, v[i])) return false;
          return true;
        };
      }
      case 'object': {
        const entries = p.items.map(([k, x]) => {
          if (!isBound(k, bound)) throw new RegoError('rego_unsafe_var_error', 'object keys must be ground in unification');
          return [this.value(k, bound), this.matcher(x, bound)] as const;
        });
        const n = entries.length;
        return (c, f, v) => {
          if (!(v instanceof ObjectValue) || v.size !== n) return false;
          for (const [kf, m] of entries) {
            const k = kf(c, f);
            if (k === undefined) return false;
            const x = v.get(k);
            if (x === undefined || !m(c, f, x)) return false;
          }
          return true;
        };
      }
      default:
        // Sets and other non-ground terms cannot bind variables.
        return () => false;
    }
  }

  // ---- references ---------------------------------------------------------------------------

  /** Enumerates the values of a ref with unbound path vars, binding them and `slot`. */
  iterRef(ref: Extract<IRTerm, { k: 'ref' }>, bound: Bound, slot: number, next: Step): Step {
    const b = new Set(bound);
    type Op = { iter: false; key: ValueFn } | { iter: true; match: Matcher };
    const { start, path } = this.refStart(ref, b);
    const ops: Op[] = path.map((p) => {
      if (isBound(p, b)) return { iter: false, key: this.value(p, b) };
      return { iter: true, match: this.matcher(p, b) };
    });
    const n = ops.length;
    const walk = (c: Ctx, f: Frame, cur: Value, i: number): boolean => {
      for (; i < n; i++) {
        const op = ops[i];
        if (!op.iter) {
          const k = op.key(c, f);
          if (k === undefined) return false;
          const v = child(cur, k);
          if (v === undefined) return false;
          cur = v;
          continue;
        }
        const m = op.match;
        c.tick();
        if (Array.isArray(cur)) {
          for (let j = 0; j < cur.length; j++) if (m(c, f, j) && walk(c, f, cur[j], i + 1)) return true;
        } else if (cur instanceof ObjectValue) {
          for (const [k, v] of cur.entries()) if (m(c, f, k) && walk(c, f, v, i + 1)) return true;
        } else if (cur instanceof SetValue) {
          for (const v of cur.values()) if (m(c, f, v) && walk(c, f, v, i + 1)) return true;
        }
        return false;
      }
      f[slot] = cur;
      return next(c, f);
    };
    const tree = this.virtualStart(ref);
    if (tree) {
      // Iterating below a package-like node: walk the rule tree, evaluating only the rules the
      // rest of the path reaches (not every document under the node).
      const rt = this.rt;
      const restOps = ops.slice(tree.skip);
      const walkTree = (c: Ctx, f: Frame, node: RuleNode, base: Value | undefined, i: number): boolean => {
        if (node.rules.length || node.defaults.length) {
          const v = rt.nodeValue(c, node);
          return v === undefined ? false : walk(c, f, v, tree.skip + i);
        }
        if (i === restOps.length) {
          const v = rt.dataValue(c, node.path);
          return v === undefined ? false : walk(c, f, v, tree.skip + i);
        }
        const op = restOps[i];
        const step = (k: Value): boolean => {
          const childNode = typeof k === 'string' ? node.children.get(k) : undefined;
          const childBase = base === undefined ? undefined : child(base, k);
          if (childNode && rt.hasRulesBelow(childNode) && childNode.kind !== 'function') return walkTree(c, f, childNode, childBase, i + 1);
          return childBase === undefined ? false : walk(c, f, childBase, tree.skip + i + 1);
        };
        if (!op.iter) {
          const k = op.key(c, f);
          return k === undefined ? false : step(k);
        }
        const keys: Value[] = [];
        for (const [k, ch] of node.children) if (rt.hasRulesBelow(ch) && ch.kind !== 'function') keys.push(k);
        if (base instanceof ObjectValue) base.forEach((k) => {
          if (typeof k !== 'string' || !node.children.has(k) || !rt.hasRulesBelow(node.children.get(k)!)) keys.push(k);
        });
        keys.sort(compare);
        for (const k of keys) if (op.match(c, f, k) && step(k)) return true;
        return false;
      };
      return (c, f) => {
        if (c.dataOverrides !== null) {
          const v = start(c, f);
          return v === undefined ? false : walk(c, f, v, 0);
        }
        let base: Value | undefined = c.data;
        for (const k of tree.node.path) base = base === undefined ? undefined : child(base, k);
        return walkTree(c, f, tree.node, base, 0);
      };
    }
    return (c, f) => {
      const v = start(c, f);
      if (v === undefined) return false;
      return walk(c, f, v, 0);
    };
  }

  /**
   * For a data ref whose constant prefix ends at a node without rules of its own but with rules
   * below (a package, data itself), the node and how many path elements the prefix consumed
   * beyond the constant keys (always 0: the prefix ends where the walk starts).
   */
  private virtualStart(ref: Extract<IRTerm, { k: 'ref' }>): { node: RuleNode; skip: number } | undefined {
    if (ref.root.k !== 'data') return undefined;
    const keys: string[] = [];
    for (const p of ref.path) {
      if (p.k === 'const' && typeof p.v === 'string') keys.push(p.v);
      else break;
    }
    if (keys.length === ref.path.length) return undefined;
    const node = this.rt.nodeAt(keys);
    if (!node || node.rules.length || node.defaults.length || !this.rt.hasRulesBelow(node)) return undefined;
    if (this.rt.staticNode(keys) === undefined && keys.length > 0) return undefined;
    return { node, skip: 0 };
  }

  /**
   * The starting value of a ref and the path left to walk. Data refs resolve their constant
   * prefix against the rule tree at compile time.
   */
  refStart(ref: Extract<IRTerm, { k: 'ref' }>, bound: Bound): { start: ValueFn; path: IRTerm[] } {
    if (ref.root.k === 'input') return { start: (c) => c.input, path: ref.path };
    if (ref.root.k === 'term') return { start: this.value(ref.root.t, bound), path: ref.path };
    // data: take the longest constant-string prefix.
    let i = 0;
    const keys: string[] = [];
    while (i < ref.path.length) {
      const p = ref.path[i];
      if (p.k === 'const' && typeof p.v === 'string') keys.push(p.v);
      else break;
      i++;
    }
    const rt = this.rt;
    const hit = rt.staticNode(keys);
    if (hit) this.deps.add(hit.node);
    else this.depBelow(keys);
    if (hit) {
      // A rule node on the path: evaluate it, then walk the rest.
      const node = hit.node;
      const restConsts: IRTerm[] = hit.rest.map((s) => ({ k: 'const', v: s }));
      const start: ValueFn = (c) => (c.dataOverrides === null ? rt.nodeValue(c, node) : rt.dataValue(c, node.path));
      return { start, path: [...restConsts, ...ref.path.slice(i)] };
    }
    // No rule at or above the prefix: the rest of the path may still reach rules (data.pkg[x]).
    const consts = keys as Value[];
    if (rt.nodeAt(keys) === undefined) {
      // Pure base data (no rule can live below a path the rule tree does not have).
      const n = consts.length;
      const start: ValueFn = (c) => {
        if (c.dataOverrides !== null) return rt.dataValue(c, consts);
        let v: Value | undefined = c.data;
        for (let j = 0; j < n && v !== undefined; j++) v = child(v, consts[j]);
        return v;
      };
      return { start, path: ref.path.slice(i) };
    }
    const start: ValueFn = (c) => rt.dataValue(c, consts);
    return { start, path: ref.path.slice(i) };
  }

  // ---- values -------------------------------------------------------------------------------

  /** A function computing a fully bound term's value (undefined when a ref is undefined). */
  value(t: IRTerm, bound: Bound): ValueFn {
    switch (t.k) {
      case 'const': {
        const v = t.v;
        return () => v;
      }
      case 'var': {
        const s = t.slot;
        return (_c, f) => f[s] as Value | undefined;
      }
      case 'ref': {
        const { start, path } = this.refStart(t, bound);
        if (this.rt.specialize && path.length > 0 && path.every((p) => p.k === 'const' && typeof p.v === 'string')) {
          const root = t.root.k === 'term' && t.root.t.k === 'var' ? t.root.t.slot : undefined;
          return specializedRef(start, root, path.map((p) => (p as { v: string }).v));
        }
        const keys = path.map((p) => this.value(p, bound));
        const n = keys.length;
        if (n === 0) return start;
        if (n === 1) {
          const k0 = keys[0];
          return (c, f) => {
            const v = start(c, f);
            if (v === undefined) return undefined;
            const k = k0(c, f);
            return k === undefined ? undefined : child(v, k);
          };
        }
        return (c, f) => {
          let v = start(c, f);
          for (let i = 0; i < n && v !== undefined; i++) {
            const k = keys[i](c, f);
            if (k === undefined) return undefined;
            v = child(v, k);
          }
          return v;
        };
      }
      case 'array': {
        const items = t.items.map((x) => this.value(x, bound));
        return (c, f) => {
          const out: Value[] = new Array(items.length);
          for (let i = 0; i < items.length; i++) {
            const v = items[i](c, f);
            if (v === undefined) return undefined;
            out[i] = v;
          }
          return out;
        };
      }
      case 'set': {
        const items = t.items.map((x) => this.value(x, bound));
        return (c, f) => {
          const s = new SetValue();
          for (const it of items) {
            const v = it(c, f);
            if (v === undefined) return undefined;
            s.add(v);
          }
          return s;
        };
      }
      case 'object': {
        const items = t.items.map(([k, v]) => [this.value(k, bound), this.value(v, bound)] as const);
        return (c, f) => {
          const o = new ObjectValue();
          for (const [kf, vf] of items) {
            const k = kf(c, f);
            if (k === undefined) return undefined;
            const v = vf(c, f);
            if (v === undefined) return undefined;
            o.set(k, v);
          }
          return o;
        };
      }
      case 'comp':
        return this.comprehension(t, bound);
      case 'template':
        return this.template(t, bound);
    }
  }

  comprehension(t: Extract<IRTerm, { k: 'comp' }>, bound: Bound): ValueFn {
    const acc = this.tmp('__comp');
    const inner = new Set(bound);
    let term: Step;
    const b2 = new Set(bound);
    // Compile the body first to learn what it binds, then the head.
    const headBound = new Set(b2);
    for (const u of t.body) for (const e of u.exprs) simulateExpr(e, headBound);
    if (t.kind === 'array') {
      const vf = this.value(t.value, headBound);
      term = (c, f) => {
        const v = vf(c, f);
        if (v !== undefined) (f[acc] as Value[]).push(v);
        return false;
      };
    } else if (t.kind === 'set') {
      const vf = this.value(t.value, headBound);
      term = (c, f) => {
        const v = vf(c, f);
        if (v !== undefined) (f[acc] as SetValue).add(v);
        return false;
      };
    } else {
      const kf = this.value(t.key!, headBound);
      const vf = this.value(t.value, headBound);
      const loc = t.loc;
      term = (c, f) => {
        const k = kf(c, f);
        const v = vf(c, f);
        if (k === undefined || v === undefined) return false;
        const o = f[acc] as ObjectValue;
        const old = o.get(k);
        if (old !== undefined && !equal(old, v)) throw new RegoError('eval_conflict_error', 'object keys must be unique', loc);
        o.set(k, v);
        return false;
      };
    }
    const body = this.body(t.body, inner, term);
    const kind = t.kind;
    return (c, f) => {
      const saved = f[acc];
      const coll = kind === 'array' ? [] : kind === 'set' ? new SetValue() : new ObjectValue();
      f[acc] = coll;
      body(c, f);
      f[acc] = saved;
      return coll;
    };
  }

  template(t: Extract<IRTerm, { k: 'template' }>, bound: Bound): ValueFn {
    const parts = t.parts.map((p) => {
      if (typeof p === 'string') return p;
      const acc = this.tmp('__tpl');
      const inner = new Set(bound);
      const headBound = new Set(bound);
      for (const u of p.body) for (const e of u.exprs) simulateExpr(e, headBound);
      const vf = this.value(p.out, headBound);
      const body = this.body(p.body, inner, (c, f) => {
        const v = vf(c, f);
        if (v !== undefined) (f[acc] as SetValue).add(v);
        return false;
      });
      const loc = t.loc;
      return (c: Ctx, f: Frame): string => {
        const s = new SetValue();
        f[acc] = s;
        body(c, f);
        if (s.size === 0) return '<undefined>';
        if (s.size > 1) throw new RegoError('eval_conflict_error', 'template-strings must not produce multiple outputs', loc);
        const v = s.values()[0];
        return formatInterpolated(v);
      };
    });
    return (c, f) => {
      let out = '';
      for (const p of parts) out += typeof p === 'string' ? p : p(c, f);
      return out;
    };
  }

  // ---- calls --------------------------------------------------------------------------------

  call(e: Extract<IRExpr, { k: 'call' }>, bound: Bound, next: Step, valueSlot?: number): Step {
    const terms = e.fn.k === 'dynamic' ? [e.fn.ref, ...e.args] : e.args;
    return this.withIterRefs(terms, bound, next, (ts, bnd, k) => {
      const argTerms = e.fn.k === 'dynamic' ? ts.slice(1) : ts;
      const argFns = argTerms.map((a) => this.value(a, bnd));
      let invoke = this.invoker(e.fn.k === 'dynamic' ? { k: 'dynamic', ref: ts[0] } : e.fn, bnd, e.loc);
      const n = argFns.length;
      const relation = e.fn.k === 'builtin' && this.rt.builtins.get(e.fn.name)?.relation === true;
      const inline = e.fn.k === 'builtin' && e.out === null && n === 2 ? INLINE_COMPARE[e.fn.name] : undefined;
      if (inline !== undefined) {
        // Comparisons never fail on operand types: evaluate them in place (unless mocked).
        // Compiled per call site (see specializedRun): its operands and comparison are known targets.
        const [fa, fb] = argFns;
        const name = (e.fn as { name: string }).name;
        const src = `return function compare(c, f) {
          const a = fa(c, f);
          if (a === undefined) return false;
          const b = fb(c, f);
          if (b === undefined) return false;
          const r = ${compareExpr('a', 'b', { name: 'name', invoke: 'invoke', cmp: 'inline' })};
          if (r === undefined || r === false) return false;
          ${valueSlot !== undefined ? `f[${valueSlot}] = r;` : ''}
          return k(c, f);
        };`;
        const generic: Step = (c, f) => {
          const a = fa(c, f);
          if (a === undefined) return false;
          const b = fb(c, f);
          if (b === undefined) return false;
          const r = c.fnMocks !== null && c.fnMocks.has(name) ? invoke(c, f, [a, b]) : inline(a, b);
          if (r === undefined || r === false) return false;
          if (valueSlot !== undefined) f[valueSlot] = r;
          return k(c, f);
        };
        if (!this.rt.specialize) return generic;
        return new Function('fa', 'fb', 'name', 'invoke', 'inline', 'k', src)(fa, fb, name, invoke, inline, k) as Step;
      }
      const fnName = e.fn.k === 'builtin' ? e.fn.name : undefined;
      const builtin = fnName !== undefined && !relation && fnName !== 'rego.metadata.rule' && fnName !== 'rego.metadata.chain' ? this.rt.builtins.get(fnName) : undefined;
      if (builtin !== undefined && fnName !== undefined) {
        // A built-in: its JS runs to completion without evaluating Rego, so the call site's
        // argument array can always be reused; mocks (`with`) go through the invoker.
        const impl = builtin.fn;
        const loc = e.loc;
        const buf: Value[] = new Array(n);
        const invokeMock = invoke;
        const run = this.rt.specialize
          ? specializedRun(n, argFns, buf, fnName, impl, loc, invokeMock)
          : (c: Ctx, f: Frame): Value | undefined => {
              for (let i = 0; i < n; i++) {
                const v = argFns[i](c, f);
                if (v === undefined) return undefined;
                buf[i] = v;
              }
              if (c.fnMocks !== null && c.fnMocks.has(fnName)) return invokeMock(c, f, buf.slice());
              return callBuiltin(c, impl, buf, loc);
            };
        if (e.out === null) {
          if (this.rt.specialize) {
            return siteStep({ run, k }, `const r = run(c, f);
              if (r === undefined || r === false) return false;
              ${valueSlot !== undefined ? `f[${valueSlot}] = r;` : ''}
              return k(c, f);`);
          }
          return (c, f) => {
            const r = run(c, f);
            if (r === undefined || r === false) return false;
            if (valueSlot !== undefined) f[valueSlot] = r;
            return k(c, f);
          };
        }
        const kb = valueSlot === undefined ? k : setTrue(valueSlot, k);
        if (this.rt.specialize && e.out.k === 'var' && !bnd.has(e.out.slot)) {
          // The usual output: a fresh variable (hoisted calls, `x := f(…)`).
          return siteStep({ run, kb }, `const r = run(c, f);
            if (r === undefined) return false;
            f[${e.out.slot}] = r;
            return kb(c, f);`);
        }
        const mb = this.matcher(e.out, new Set(bnd));
        return (c, f) => {
          const r = run(c, f);
          if (r === undefined || !mb(c, f, r)) return false;
          return kb(c, f);
        };
      }
      // One argument array per call site, reused: built-ins never keep it, and a call site is
      // never re-entered while its call is running (Rego has no recursion).
      const argBuf: Value[] = new Array(n);
      let busy = false;
      const evalArgs = (c: Ctx, f: Frame): Value[] | undefined => {
        const args: Value[] = busy ? new Array(n) : argBuf;
        for (let i = 0; i < n; i++) {
          const v = argFns[i](c, f);
          if (v === undefined) return undefined;
          args[i] = v;
        }
        return args;
      };
      const invoke0 = invoke;
      invoke = (c, f, args) => {
        if (args !== argBuf) return invoke0(c, f, args);
        busy = true;
        try {
          return invoke0(c, f, args);
        } finally {
          busy = false;
        }
      };
      if (e.out === null) {
        return (c, f) => {
          const args = evalArgs(c, f);
          if (args === undefined) return false;
          const r = invoke(c, f, args);
          if (r === undefined || r === false) return false;
          if (valueSlot !== undefined) f[valueSlot] = r;
          return k(c, f);
        };
      }
      const m = this.matcher(e.out, new Set(bnd));
      const k2 = valueSlot === undefined ? k : setTrue(valueSlot, k);
      if (relation) {
        return (c, f) => {
          const args = evalArgs(c, f);
          if (args === undefined) return false;
          const r = invoke(c, f, args) as Value[] | undefined;
          if (r === undefined) return false;
          for (const v of r) if (m(c, f, v) && k2(c, f)) return true;
          return false;
        };
      }
      return (c, f) => {
        const args = evalArgs(c, f);
        if (args === undefined) return false;
        const r = invoke(c, f, args);
        if (r === undefined || !m(c, f, r)) return false;
        return k2(c, f);
      };
    });
  }

  /** Returns a function invoking the call target (respecting `with` mocks). */
  invoker(fn: IRCallTarget, bound: Bound, loc: Location): (c: Ctx, f: Frame, args: Value[]) => Value | undefined {
    const rt = this.rt;
    if (fn.k === 'dynamic') {
      const rf = fn.ref;
      // The ref must be a data ref; compute its concrete path.
      if (rf.k !== 'ref' || rf.root.k !== 'data') throw new RegoError('rego_type_error', 'illegal call', loc);
      const keyFns = rf.path.map((p) => this.value(p, bound));
      const prefix: string[] = [];
      for (const p of rf.path) {
        if (p.k === 'const' && typeof p.v === 'string') prefix.push(p.v);
        else break;
      }
      this.depBelow(prefix);
      return (c, f, args) => {
        const path: Value[] = [];
        for (const kf of keyFns) {
          const k = kf(c, f);
          if (k === undefined) return undefined;
          path.push(k);
        }
        return rt.callDynamic(c, path, args, loc);
      };
    }
    if (fn.k === 'func') {
      const path = fn.path;
      this.depBelow(path);
      const key = fmtKey(path);
      const node = rt.nodeAt(path);
      if (!node) throw new RegoError('rego_type_error', `undefined function ${key}`, loc);
      return (c, _f, args) => {
        if (c.fnMocks !== null) {
          const mock = c.fnMocks.get(key);
          if (mock) return callMock(rt, c, mock, args, loc);
        }
        return rt.callFunctionNode(c, node, args);
      };
    }
    const name = fn.name;
    if (name === 'rego.metadata.rule' || name === 'rego.metadata.chain') {
      const md = rt.metadata;
      const v = md ? (name === 'rego.metadata.rule' ? md.rule : md.chain) : name === 'rego.metadata.rule' ? ObjectValue.from([]) : [];
      return (c, _f, args) => {
        if (c.fnMocks !== null) {
          const mock = c.fnMocks.get(name);
          if (mock) return callMock(rt, c, mock, args, loc);
        }
        return v;
      };
    }
    const b = rt.builtins.get(name);
    if (!b) throw new RegoError('rego_type_error', `undefined function ${name}`, loc);
    const impl = b.fn;
    return (c, _f, args) => {
      if (c.fnMocks !== null) {
        const mock = c.fnMocks.get(name);
        if (mock) return callMock(rt, c, mock, args, loc);
      }
      return callBuiltin(c, impl, args, loc);
    };
  }

  // ---- some / every / with ------------------------------------------------------------------

  someIn(e: Extract<IRExpr, { k: 'somein' }>, bound: Bound, next: Step): Step {
    return this.withIterRefs([e.domain], bound, next, ([d], bnd, k) => {
      const df = this.value(d, bnd);
      const b2 = new Set(bnd);
      const km = e.key ? this.matcher(e.key, b2) : null;
      const fresh = e.value.k === 'var' && !b2.has(e.value.slot) ? e.value.slot : undefined;
      const vm = this.matcher(e.value, b2);
      if (this.rt.specialize) {
        // Per site; a fresh value variable (`some r in records`) is bound by a slot write.
        const bindValue = (x: string) => (fresh === undefined ? `vm(c, f, ${x})` : `((f[${fresh}] = ${x}), true)`);
        return siteStep({ df, km, vm, k, ObjectValue, SetValue }, `const dom = df(c, f);
          if (dom === undefined) return false;
          c.tick();
          if (Array.isArray(dom)) {
            for (let i = 0; i < dom.length; i++) {
              c.tick();
              ${km ? 'if (!km(c, f, i)) continue;' : ''}
              if (${bindValue('dom[i]')} && k(c, f)) return true;
            }
          } else if (dom instanceof ObjectValue) {
            for (const [key, v] of dom.entries()) {
              ${km ? 'if (!km(c, f, key)) continue;' : ''}
              if (${bindValue('v')} && k(c, f)) return true;
            }
          } else if (dom instanceof SetValue) {
            for (const v of dom.values()) {
              ${km ? 'if (!km(c, f, v)) continue;' : ''}
              if (${bindValue('v')} && k(c, f)) return true;
            }
          }
          return false;`);
      }
      return (c, f) => {
        const dom = df(c, f);
        if (dom === undefined) return false;
        c.tick();
        if (Array.isArray(dom)) {
          for (let i = 0; i < dom.length; i++) {
            c.tick();
            if (km && !km(c, f, i)) continue;
            if (vm(c, f, dom[i]) && k(c, f)) return true;
          }
        } else if (dom instanceof ObjectValue) {
          for (const [key, v] of dom.entries()) {
            if (km && !km(c, f, key)) continue;
            if (vm(c, f, v) && k(c, f)) return true;
          }
        } else if (dom instanceof SetValue) {
          for (const v of dom.values()) {
            if (km && !km(c, f, v)) continue;
            if (vm(c, f, v) && k(c, f)) return true;
          }
        }
        return false;
      };
    });
  }

  every(e: Extract<IRExpr, { k: 'every' }>, bound: Bound, next: Step): Step {
    return this.withIterRefs([e.domain], bound, next, ([d], bnd, k) => {
      const df = this.value(d, bnd);
      const b2 = new Set(bnd);
      const km = e.key ? this.matcher(e.key, b2) : null;
      const vm = this.matcher(e.value, b2);
      const body = this.body(e.body, b2, STOP);
      const holds = (c: Ctx, f: Frame, key: Value, v: Value): boolean => {
        if (km && !km(c, f, key)) return false;
        if (!vm(c, f, v)) return false;
        return body(c, f);
      };
      return (c, f) => {
        const dom = df(c, f);
        if (dom === undefined) return false;
        if (Array.isArray(dom)) {
          for (let i = 0; i < dom.length; i++) if (!holds(c, f, i, dom[i])) return false;
        } else if (dom instanceof ObjectValue) {
          for (const [key, v] of dom.entries()) if (!holds(c, f, key, v)) return false;
        } else if (dom instanceof SetValue) {
          for (const v of dom.values()) if (!holds(c, f, v, v)) return false;
        } else {
          return false;
        }
        return k(c, f);
      };
    });
  }

  with(e: Extract<IRExpr, { k: 'with' }>, bound: Bound, next: Step, valueSlot?: number): Step {
    const saved = this.tmp('__with');
    const mods = e.mods.map((m) => ({ m, vf: m.fnValue ? null : this.value(m.value, bound) }));
    const restore: Step = (c2, f) => next(f[saved] as Ctx, f);
    // The inner unit's value (for queries) is captured by the inner expressions.
    const inner = this.body(e.body.map((u) => ({ ...u, valueSlot })), new Set(bound), restore);
    const rt = this.rt;
    return (c, f) => {
      const c2 = c.derive();
      for (const { m, vf } of mods) {
        const v = vf === null ? null : vf(c, f);
        if (v === undefined) return false;
        applyWith(rt, c2, m, v);
      }
      const prev = f[saved];
      f[saved] = c;
      const r = inner(c2, f);
      f[saved] = prev;
      return r;
    };
  }
}

// ---- helpers ----------------------------------------------------------------------------------

const INLINE_COMPARE: Record<string, (a: Value, b: Value) => boolean> = {
  equal: (a, b) => equal(a, b),
  neq: (a, b) => !equal(a, b),
  lt: (a, b) => fastCompare(a, b) < 0,
  lte: (a, b) => fastCompare(a, b) <= 0,
  gt: (a, b) => fastCompare(a, b) > 0,
  gte: (a, b) => fastCompare(a, b) >= 0,
};

function fastCompare(a: Value, b: Value): number {
  const ta = typeof a;
  if (ta === typeof b && (ta === 'number' || ta === 'bigint' || ta === 'string')) {
    if (ta === 'string') return compare(a, b);
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  }
  return compare(a, b);
}

function setTrue(slot: number, k: Step): Step {
  return (c, f) => {
    f[slot] = true;
    return k(c, f);
  };
}

export function fmtKey(path: readonly string[]): string {
  return 'data.' + path.join('.');
}

/** Applies one `with` modifier to a derived context. */
function applyWith(rt: Runtime, c: Ctx, m: IRWith, v: Value): void {
  const t = m.target;
  if (t.k === 'input') {
    c.input = t.path.length === 0 ? v : setIn(c.input, t.path, v);
    return;
  }
  if (t.k === 'data') {
    (c.dataOverrides ??= []).push({ path: t.path, value: v });
    return;
  }
  const key = t.path ? fmtKey(t.path) : t.name;
  (c.fnMocks ??= new Map()).set(key, m.fnValue ? { k: 'fn', target: m.fnValue } : { k: 'value', v });
}

/** Returns a copy of `doc` with `v` set at `path` (objects created as needed). */
export function setIn(doc: Value | undefined, path: readonly string[], v: Value): Value {
  if (path.length === 0) return v;
  const base = doc instanceof ObjectValue ? doc : new ObjectValue();
  const out = ObjectValue.from(base.entries());
  out.set(path[0], setIn(base.get(path[0]), path.slice(1), v));
  return out;
}

function callMock(rt: Runtime, c0: Ctx, mock: import('./ctx.ts').FnMock, args: Value[], loc: Location): Value | undefined {
  if (mock.k === 'value') return mock.v;
  // A replacement function runs without the mocks: calls inside it reach the originals.
  const c = c0.derive();
  c.fnMocks = null;
  const t = mock.target;
  if (t.k === 'func') return rt.callFunction(c, t.path, args);
  if (t.k === 'builtin') {
    const b = rt.builtins.get(t.name);
    if (!b) return undefined;
    return callBuiltin(c, b.fn, args, loc);
  }
  return undefined;
}

/** Calls a built-in; errors become undefined unless strict (conflicts and halts always propagate). */
export // Specialised call sites (CompileOptions.specialize): a built-in call site's runner — and a
// comparison's step — compiled as a function of its own (new Function), so that V8 keeps separate
// type feedback per call site: the built-in, the comparison and the operand closures become
// known, inlinable targets instead of megamorphic calls shared by every call site (a
// per-record policy: −25 % time). Same logic as the generic closures; it costs compile time
// (≈ ×3 for a large pack), so it is for long evaluations (the state evaluation), not one-shots.
function specializedRun(
  n: number,
  argFns: ((c: Ctx, f: Frame) => Value | undefined)[],
  buf: Value[],
  fnName: string,
  impl: unknown,
  loc: Location,
  invokeMock: (c: Ctx, f: Frame, args: Value[]) => Value | undefined,
): (c: Ctx, f: Frame) => Value | undefined {
  const lines: string[] = [];
  const args: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(`const v${i} = a${i}(c, f); if (v${i} === undefined) return undefined;`);
    args.push(`v${i}`);
  }
  const src = `return function run(c, f) {
    ${lines.join('\n    ')}
    let r;
    ${builtinCallSource('r', args, { name: 'name', buf: 'buf', impl: 'impl', loc: 'loc', invoke: 'invokeMock', failed: 'builtinFailed' })}
    return r;
  };`;
  const params = [...argFns.map((_, i) => `a${i}`), 'buf', 'name', 'impl', 'loc', 'invokeMock', 'builtinFailed'];
  return new Function(...params, src)(...argFns, buf, fnName, impl, loc, invokeMock, builtinFailed) as (c: Ctx, f: Frame) => Value | undefined;
}

/** The source of one generated step: its lines, and the values its code names. */
class InlineEmitter {
  readonly names: Record<string, unknown> = {};
  readonly lines: string[] = [];
  private n = 0;
  /** A fresh name bound to `value` in the generated function. */
  name(prefix: string, value: unknown): string {
    const id = `${prefix}${this.n++}`;
    this.names[id] = value;
    return id;
  }
  /** A fresh local variable's name. */
  local(): string {
    return `x${this.n++}`;
  }
  line(text: string): void {
    this.lines.push(text);
  }
}

/**
 * A step compiled as a function of its own (CompileOptions.specialize; see specializedRun): the
 * same logic as the generic closure beside it, with the closures it calls (`names`) as known
 * targets of this site alone.
 */
function siteStep(names: Record<string, unknown>, body: string): Step {
  const keys = Object.keys(names);
  return new Function(...keys, `return function step(c, f) {\n${body}\n};`)(...keys.map((k) => names[k])) as Step;
}

/**
 * Source of the loads of constant string keys from the local `v`, one line per key: a key of an
 * object is its record's named property, anything else goes through `child` (names in the
 * generated code: `ov`, `ch`); `fail` runs when a step starts from undefined.
 */
function keyLoadsSource(v: string, keys: string[], fail: string, ov: string, ch: string): string[] {
  return keys.map((k) => `if (${v} === undefined) ${fail} ${v} = ${v} instanceof ${ov} ? ${v}.s[${JSON.stringify(k)}] : ${ch}(${v}, ${JSON.stringify(k)});`);
}

/** Source of a comparison's value: the mock when `with` replaced the operator `name`, else `cmp`. */
function compareExpr(a: string, b: string, n: { name: string; invoke: string; cmp: string }): string {
  return `c.fnMocks !== null && c.fnMocks.has(${n.name}) ? ${n.invoke}(c, f, [${a}, ${b}]) : ${n.cmp}(${a}, ${b})`;
}

/**
 * Source setting `r` (declared by the caller) to a built-in call's result, its arguments already
 * computed: the mock when `with` replaced the built-in, else its implementation called with the
 * site's argument array `buf` (built-ins never keep it), errors through `failed` (builtinFailed).
 * The other fields name the generated code's values.
 */
function builtinCallSource(r: string, args: string[], n: { name: string; buf: string; impl: string; loc: string; invoke: string; failed: string }): string {
  return (
    `if (c.fnMocks !== null && c.fnMocks.has(${n.name})) ${r} = ${n.invoke}(c, f, [${args.join(', ')}]);\n` +
    `else { ${args.map((a, i) => `${n.buf}[${i}] = ${a}; `).join('')}try { c.location = ${n.loc}; ${r} = ${n.impl}(${n.buf}, c); } catch (err) { ${r} = ${n.failed}(c, err, ${n.loc}); } }`
  );
}

/**
 * Specialised reference with constant string keys (`r.approval.level_ok`): one function per site
 * (new Function), reading each key as a named property of the object's string-keyed record. The
 * records of a collection share their hidden class, so each read is a monomorphic property load
 * instead of the megamorphic keyed load of the generic `child` (a per-record policy reads a dozen
 * keys per record). Same results as the generic closure: non-objects go through `child`.
 */
function specializedRef(start: ValueFn, rootSlot: number | undefined, keys: string[]): ValueFn {
  const lines = keyLoadsSource('v', keys, 'return undefined;', 'ObjectValue', 'child');
  const src = `return function ref(c, f) {
    let v = ${rootSlot === undefined ? 'start(c, f)' : `f[${rootSlot}]`};
    ${lines.join('\n    ')}
    return v;
  };`;
  return new Function('start', 'ObjectValue', 'child', src)(start, ObjectValue, child) as ValueFn;
}

function builtinFailed(c: Ctx, err: unknown, loc: Location): Value | undefined {
  if (err instanceof RegoError) {
    if (err.code === 'eval_conflict_error' || c.strict) {
      throw err.location ? err : new RegoError(err.code, err.message, loc, err.details);
    }
    return undefined;
  }
  if (err instanceof RangeError) throw err;
  if (c.strict) throw new RegoError('eval_builtin_error', String((err as Error)?.message ?? err), loc);
  return undefined;
}

function callBuiltin(c: Ctx, impl: Builtin['fn'], args: Value[], loc: Location): Value | undefined {
  try {
    c.location = loc;
    return impl(args, c);
  } catch (err) {
    return builtinFailed(c, err, loc);
  }
}

/** One step down a document: array index, object key or set member. */
export function child(v: Value, k: Value): Value | undefined {
  if (v instanceof ObjectValue) return typeof k === 'string' ? v.getStr(k) : v.get(k);
  if (Array.isArray(v)) {
    if (typeof k === 'number') return Number.isInteger(k) && k >= 0 ? v[k] : undefined;
    if (isNumber(k)) return undefined;
    return undefined;
  }
  if (v instanceof SetValue) return v.has(k) ? k : undefined;
  return undefined;
}

/** True when a term holds a ref (outside closures) with a path variable not yet bound. */
function hasIterRef(t: IRTerm, b: Bound): boolean {
  switch (t.k) {
    case 'ref':
      if (t.root.k === 'term' && hasIterRef(t.root.t, b)) return true;
      for (const p of t.path) if (!isBound(p, b) || hasIterRef(p, b)) return true;
      return false;
    case 'array':
    case 'set':
      return t.items.some((x) => hasIterRef(x, b));
    case 'object':
      return t.items.some(([k, v]) => hasIterRef(k, b) || hasIterRef(v, b));
    default:
      return false;
  }
}

function isBound(t: IRTerm, b: Bound): boolean {
  switch (t.k) {
    case 'const':
      return true;
    case 'var':
      return b.has(t.slot);
    case 'ref':
      return (t.root.k !== 'term' || isBound(t.root.t, b)) && t.path.every((p) => isBound(p, b));
    case 'array':
    case 'set':
      return t.items.every((x) => isBound(x, b));
    case 'object':
      return t.items.every(([k, v]) => isBound(k, b) && isBound(v, b));
    case 'comp':
    case 'template':
      return true;
  }
}

function addVars(t: IRTerm, b: Bound): void {
  switch (t.k) {
    case 'var':
      b.add(t.slot);
      return;
    case 'ref':
      if (t.root.k === 'term') addVars(t.root.t, b);
      t.path.forEach((p) => addVars(p, b));
      return;
    case 'array':
    case 'set':
      t.items.forEach((x) => addVars(x, b));
      return;
    case 'object':
      t.items.forEach(([k, v]) => {
        addVars(k, b);
        addVars(v, b);
      });
      return;
    default:
      return;
  }
}

/** Updates `b` with the variables an expression binds (the body was ordered for safety). */
export function simulateExpr(e: IRExpr, b: Bound): void {
  switch (e.k) {
    case 'unify':
      addVars(e.a, b);
      addVars(e.b, b);
      return;
    case 'call':
      e.args.forEach((a) => addVars(a, b));
      if (e.out) addVars(e.out, b);
      return;
    case 'term':
      addVars(e.t, b);
      return;
    case 'somein':
      addVars(e.domain, b);
      if (e.key) addVars(e.key, b);
      addVars(e.value, b);
      return;
    case 'every':
      addVars(e.domain, b);
      return;
    case 'not':
      return;
    case 'with':
      for (const u of e.body) for (const x of u.exprs) simulateExpr(x, b);
      return;
  }
}
