// Safety analysis and body reordering (OPA's reorderBodyForSafety).
//
// A unit may run once every variable it reads is bound. Units are taken in source order as soon
// as they are safe; the variables they bind (outputs) make later units safe. Closures
// (comprehensions, `every`, template parts) must see the variables they capture bound first.
// What cannot be ordered is reported as `rego_unsafe_var_error: var x is unsafe`.

import { RegoError } from '../errors.ts';
import type { IRBody, IRExpr, IRTerm, IRUnit, Own } from './ir.ts';

export type Bound = Set<number>;

interface VarInfo {
  name: string;
  gen: boolean;
}

/** Collects the variables of a term, not descending into closures (captured vars reported separately). */
export function termVars(t: IRTerm, out: Map<number, VarInfo>, captured?: Map<number, VarInfo>): void {
  switch (t.k) {
    case 'var':
      out.set(t.slot, t);
      return;
    case 'ref':
      if (t.root.k === 'term') termVars(t.root.t, out, captured);
      for (const p of t.path) termVars(p, out, captured);
      return;
    case 'array':
    case 'set':
      for (const x of t.items) termVars(x, out, captured);
      return;
    case 'object':
      for (const [k, v] of t.items) {
        termVars(k, out, captured);
        termVars(v, out, captured);
      }
      return;
    case 'comp':
    case 'template':
      if (captured) for (const [slot, v] of capturedOf(t)!) captured.set(slot, v);
      return;
    default:
      return;
  }
}

/** Variables a closure uses that it does not own (i.e. that it captures). */
export function closureVars(own: Own, body: IRBody, heads: (IRTerm | null)[], out: Map<number, VarInfo>): void {
  const all = new Map<number, VarInfo>();
  for (const u of body) for (const e of u.exprs) exprVarsDeep(e, all);
  for (const h of heads) if (h) termVarsDeep(h, all);
  for (const [slot, v] of all) if (slot < own[0] || slot >= own[1]) out.set(slot, v);
}

function termVarsDeep(t: IRTerm, out: Map<number, VarInfo>): void {
  const inner = new Map<number, VarInfo>();
  termVars(t, out, inner);
  for (const [k, v] of inner) out.set(k, v);
}

function exprVarsDeep(e: IRExpr, out: Map<number, VarInfo>): void {
  switch (e.k) {
    case 'unify':
      termVarsDeep(e.a, out);
      termVarsDeep(e.b, out);
      return;
    case 'call':
      for (const a of e.args) termVarsDeep(a, out);
      if (e.out) termVarsDeep(e.out, out);
      if (e.fn.k === 'dynamic') termVarsDeep(e.fn.ref, out);
      return;
    case 'term':
      termVarsDeep(e.t, out);
      return;
    case 'somein':
      if (e.key) termVarsDeep(e.key, out);
      termVarsDeep(e.value, out);
      termVarsDeep(e.domain, out);
      return;
    case 'every':
      if (e.key) termVarsDeep(e.key, out);
      termVarsDeep(e.value, out);
      termVarsDeep(e.domain, out);
      for (const u of e.body) for (const x of u.exprs) exprVarsDeep(x, out);
      return;
    case 'not':
      for (const u of e.body) for (const x of u.exprs) exprVarsDeep(x, out);
      return;
    case 'with':
      for (const m of e.mods) termVarsDeep(m.value, out);
      for (const u of e.body) for (const x of u.exprs) exprVarsDeep(x, out);
      return;
  }
}

/** Calls fn for every variable of a term, not descending into closures (no allocation). */
function forEachVar(t: IRTerm, fn: (v: Extract<IRTerm, { k: 'var' }>) => void): void {
  switch (t.k) {
    case 'var':
      fn(t);
      return;
    case 'ref':
      if (t.root.k === 'term') forEachVar(t.root.t, fn);
      for (const p of t.path) forEachVar(p, fn);
      return;
    case 'array':
    case 'set':
      for (const x of t.items) forEachVar(x, fn);
      return;
    case 'object':
      for (const [k, v] of t.items) {
        forEachVar(k, fn);
        forEachVar(v, fn);
      }
      return;
    default:
      return;
  }
}

/** True when every variable of a term (closures aside) is bound. */
function allBound(t: IRTerm, s: Bound): boolean {
  switch (t.k) {
    case 'var':
      return s.has(t.slot);
    case 'ref':
      if (t.root.k === 'term' && !allBound(t.root.t, s)) return false;
      for (const p of t.path) if (!allBound(p, s)) return false;
      return true;
    case 'array':
    case 'set':
      for (const x of t.items) if (!allBound(x, s)) return false;
      return true;
    case 'object':
      for (const [k, v] of t.items) if (!allBound(k, s) || !allBound(v, s)) return false;
      return true;
    default:
      return true;
  }
}

/** Variables a closure term captures (computed once per closure: its contents are fixed). */
const capturedCache = new WeakMap<object, Map<number, VarInfo>>();

function capturedOf(t: IRTerm): Map<number, VarInfo> | undefined {
  switch (t.k) {
    case 'comp':
    case 'template': {
      let m = capturedCache.get(t);
      if (!m) {
        m = new Map();
        if (t.k === 'comp') closureVars(t.own, t.body, [t.key, t.value], m);
        else for (const p of t.parts) if (typeof p !== 'string') closureVars(p.own, p.body, [p.out], m);
        capturedCache.set(t, m);
      }
      return m;
    }
    default:
      return undefined;
  }
}

/** Calls fn for the captured variables of every closure in a term. */
function forEachCaptured(t: IRTerm, fn: (slot: number, v: VarInfo) => void): void {
  switch (t.k) {
    case 'comp':
    case 'template':
      for (const [slot, v] of capturedOf(t)!) fn(slot, v);
      return;
    case 'ref':
      if (t.root.k === 'term') forEachCaptured(t.root.t, fn);
      for (const p of t.path) forEachCaptured(p, fn);
      return;
    case 'array':
    case 'set':
      for (const x of t.items) forEachCaptured(x, fn);
      return;
    case 'object':
      for (const [k, v] of t.items) {
        forEachCaptured(k, fn);
        forEachCaptured(v, fn);
      }
      return;
    default:
      return;
  }
}

/** Adds the output variables of refs whose heads are bound (iteration over unbound path vars). */
function refOutputs(t: IRTerm, s: Bound): void {
  switch (t.k) {
    case 'ref': {
      if (t.root.k === 'term') {
        refOutputs(t.root.t, s);
        if (!allBound(t.root.t, s)) return;
      }
      for (const p of t.path) {
        refOutputs(p, s);
        forEachVar(p, (v) => s.add(v.slot));
      }
      return;
    }
    case 'array':
    case 'set':
      for (const x of t.items) refOutputs(x, s);
      return;
    case 'object':
      for (const [k, v] of t.items) {
        refOutputs(k, s);
        refOutputs(v, s);
      }
      return;
    default:
      return;
  }
}

function isBoundTerm(t: IRTerm, s: Bound): boolean {
  return allBound(t, s);
}

/** Pattern variables (vars directly in arrays / object values), as OPA's Unify treats them. */
function patternVars(t: IRTerm, s: Bound): void {
  if (t.k === 'var') s.add(t.slot);
  else if (t.k === 'array') t.items.forEach((x) => patternVars(x, s));
  else if (t.k === 'object') t.items.forEach(([, v]) => patternVars(v, s));
}

/** OPA's Unify: the variables that unifying a with b binds, given s. */
function unifyBind(a: IRTerm, b: IRTerm, s: Bound): void {
  let changed = true;
  while (changed) {
    const before = s.size;
    unifyStep(a, b, s);
    changed = s.size !== before;
  }
}

function unifyStep(a: IRTerm, b: IRTerm, s: Bound): void {
  if (a.k === 'var' && !s.has(a.slot)) {
    if (isBoundTerm(b, s)) s.add(a.slot);
    return;
  }
  if (b.k === 'var' && !s.has(b.slot)) {
    if (isBoundTerm(a, s)) s.add(b.slot);
    return;
  }
  if (a.k === 'array' && b.k === 'array') {
    if (a.items.length === b.items.length) for (let i = 0; i < a.items.length; i++) unifyStep(a.items[i], b.items[i], s);
    return;
  }
  if (a.k === 'object' && b.k === 'object') {
    for (const [ka, va] of a.items) {
      for (const [kb, vb] of b.items) {
        const same = (ka.k === 'const' && kb.k === 'const' && sameConst(ka, kb)) || (ka.k === 'var' && kb.k === 'var' && ka.slot === kb.slot && s.has(ka.slot));
        if (same) unifyStep(va, vb, s);
      }
    }
    return;
  }
  if (isBoundTerm(a, s)) patternVars(b, s);
  else if (isBoundTerm(b, s)) patternVars(a, s);
}

function sameConst(a: IRTerm, b: IRTerm): boolean {
  return a.k === 'const' && b.k === 'const' && (a.v === b.v || JSON.stringify(a.v) === JSON.stringify(b.v));
}

export interface UnitCheck {
  ok: boolean;
  /** Vars that block the unit (unbound inputs). */
  missing: Map<number, VarInfo>;
}

/** Simulates a unit's expressions on a copy of `bound`; on success, `bound` gains its outputs. */
export function checkUnit(u: IRUnit, bound: Bound): UnitCheck {
  const s = new Set(bound);
  const missing = new Map<number, VarInfo>();
  for (const e of u.exprs) checkExpr(e, s, missing);
  if (missing.size === 0) {
    for (const v of s) bound.add(v);
    return { ok: true, missing };
  }
  return { ok: false, missing };
}

function require(t: IRTerm, s: Bound, missing: Map<number, VarInfo>): void {
  forEachVar(t, (v) => {
    if (!s.has(v.slot)) missing.set(v.slot, v);
  });
  forEachCaptured(t, (slot, v) => {
    if (!s.has(slot)) missing.set(slot, v);
  });
}

function checkExpr(e: IRExpr, s: Bound, missing: Map<number, VarInfo>): void {
  switch (e.k) {
    case 'unify':
      refOutputs(e.a, s);
      refOutputs(e.b, s);
      unifyBind(e.a, e.b, s);
      require(e.a, s, missing);
      require(e.b, s, missing);
      return;
    case 'call':
      for (const a of e.args) refOutputs(a, s);
      if (e.fn.k === 'dynamic') {
        refOutputs(e.fn.ref, s);
        require(e.fn.ref, s, missing);
      }
      for (const a of e.args) require(a, s, missing);
      if (e.out) {
        refOutputs(e.out, s);
        patternVars(e.out, s);
        require(e.out, s, missing);
      }
      return;
    case 'term':
      refOutputs(e.t, s);
      require(e.t, s, missing);
      return;
    case 'somein':
      refOutputs(e.domain, s);
      require(e.domain, s, missing);
      if (e.key) patternVars(e.key, s);
      patternVars(e.value, s);
      if (e.key) require(e.key, s, missing);
      require(e.value, s, missing);
      return;
    case 'every': {
      refOutputs(e.domain, s);
      require(e.domain, s, missing);
      let cap = capturedCache.get(e);
      if (!cap) {
        cap = new Map<number, VarInfo>();
        closureVars(e.own, e.body, [], cap);
        capturedCache.set(e, cap);
      }
      for (const [slot, v] of cap) if (!s.has(slot)) missing.set(slot, v);
      return;
    }
    case 'not': {
      // Negated expressions must be safe: every variable they use must already be bound,
      // except the generated variables of calls hoisted out of the expression itself.
      const inner = new Set(s);
      const innerMissing = new Map<number, VarInfo>();
      for (const u of e.body) for (const x of u.exprs) checkExpr(x, inner, innerMissing);
      for (const [slot, v] of innerMissing) missing.set(slot, v);
      for (const slot of inner) {
        if (s.has(slot)) continue;
        const info = findVar(e.body, slot);
        if (info && !(info.gen && info.name !== '_')) missing.set(slot, info);
      }
      return;
    }
    case 'with':
      for (const m of e.mods) require(m.value, s, missing);
      for (const u of e.body) for (const x of u.exprs) checkExpr(x, s, missing);
      return;
  }
}

function findVar(body: IRBody, slot: number): VarInfo | undefined {
  const all = new Map<number, VarInfo>();
  for (const u of body) for (const e of u.exprs) exprVarsDeep(e, all);
  return all.get(slot);
}

/**
 * Reorders a body for safety. `bound` holds the variables bound on entry and, on return, those
 * bound after the body. Closure bodies are reordered recursively. Unsafe variables are pushed to
 * `errors`.
 */
export function reorderBody(body: IRBody, bound: Bound, errors: RegoError[]): IRBody {
  const out: IRBody = [];
  const pending = new Set(body);
  let progress = true;
  while (pending.size && progress) {
    progress = false;
    for (const u of body) {
      if (!pending.has(u)) continue;
      const before = new Set(bound);
      const r = checkUnit(u, bound);
      if (r.ok) {
        pending.delete(u);
        out.push(u);
        progress = true;
        reorderClosures(u, before, errors);
      }
    }
  }
  if (pending.size) {
    const reported = new Set<string>();
    for (const u of body) {
      if (!pending.has(u)) continue;
      const r = checkUnit(u, new Set(bound));
      for (const v of r.missing.values()) {
        const name = v.gen && v.name !== '_' ? v.name : v.name;
        if (reported.has(name)) continue;
        reported.add(name);
        errors.push(new RegoError('rego_unsafe_var_error', `var ${name} is unsafe`, u.loc));
      }
      if (r.missing.size === 0) errors.push(new RegoError('rego_unsafe_var_error', `expression is unsafe`, u.loc));
    }
    return body;
  }
  return out;
}

/** Reorders the bodies of closures inside a unit, given the variables bound before the unit. */
function reorderClosures(u: IRUnit, before: Bound, errors: RegoError[]): void {
  const s = new Set(before);
  for (const e of u.exprs) {
    closuresInExpr(e, s, errors);
    checkExpr(e, s, new Map());
  }
}

function closuresInExpr(e: IRExpr, s: Bound, errors: RegoError[]): void {
  const visit = (t: IRTerm | null): void => {
    if (t) closuresInTerm(t, s, errors);
  };
  switch (e.k) {
    case 'unify':
      visit(e.a);
      visit(e.b);
      return;
    case 'call':
      e.args.forEach(visit);
      visit(e.out);
      return;
    case 'term':
      visit(e.t);
      return;
    case 'somein':
      visit(e.domain);
      return;
    case 'every': {
      visit(e.domain);
      const inner = new Set(s);
      if (e.key) patternVars(e.key, inner);
      patternVars(e.value, inner);
      e.body = reorderBody(e.body, inner, errors);
      return;
    }
    case 'not': {
      const inner = new Set(s);
      for (const u of e.body) {
        const before = new Set(inner);
        checkUnit(u, inner);
        reorderClosures(u, before, errors);
      }
      return;
    }
    case 'with': {
      for (const m of e.mods) visit(m.value);
      const inner = new Set(s);
      for (const u of e.body) {
        const before = new Set(inner);
        checkUnit(u, inner);
        reorderClosures(u, before, errors);
      }
      return;
    }
  }
}

function closuresInTerm(t: IRTerm, s: Bound, errors: RegoError[]): void {
  switch (t.k) {
    case 'comp': {
      const inner = new Set(s);
      t.body = reorderBody(t.body, inner, errors);
      const heads = [t.key, t.value].filter((x): x is IRTerm => x !== null);
      for (const h of heads) {
        const vs = new Map<number, VarInfo>();
        termVars(h, vs);
        for (const [slot, v] of vs) {
          if (!inner.has(slot)) errors.push(new RegoError('rego_unsafe_var_error', `var ${v.name} is unsafe`, t.loc));
        }
      }
      return;
    }
    case 'template':
      for (const p of t.parts) {
        if (typeof p === 'string') continue;
        const inner = new Set(s);
        p.body = reorderBody(p.body, inner, errors);
      }
      return;
    case 'ref':
      if (t.root.k === 'term') closuresInTerm(t.root.t, s, errors);
      t.path.forEach((p) => closuresInTerm(p, s, errors));
      return;
    case 'array':
    case 'set':
      t.items.forEach((x) => closuresInTerm(x, s, errors));
      return;
    case 'object':
      t.items.forEach(([k, v]) => {
        closuresInTerm(k, s, errors);
        closuresInTerm(v, s, errors);
      });
      return;
    default:
      return;
  }
}
