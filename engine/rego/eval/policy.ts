// The compiled policy: rule tree with compiled rule bodies, and the runtime services that
// generated code calls (virtual document evaluation, functions, data lookups with overrides).

import type { Location, Rule, Term } from '../ast.ts';
import type { Builtin } from '../builtins/registry.ts';
import { RegoError, RegoErrorList } from '../errors.ts';
import { Scope, Resolver, SlotAllocator, moduleEnv, type ResolveEnv } from '../compile/resolve.ts';
import type { IRBody, IRExpr, IRTerm } from '../compile/ir.ts';
import { reorderBody, termVars } from '../compile/safety.ts';
import { fmtPath, packagePath, type RuleDef, type RuleNode, type RuleTree } from '../compile/ruletree.ts';
import { equal, keyOf, ObjectValue, SetValue, type Key, type Value } from '../value.ts';
import { CodeGen, Coverage, child, type Frame, type Runtime, type Step, type ValueFn } from './codegen.ts';
import { Ctx, PENDING, UNDEF } from './ctx.ts';
import { ruleMetadata } from './metadata.ts';

/** Collects a rule body's outputs. */
interface Sink {
  kind: 'complete' | 'set' | 'object' | 'function';
  value: Value | undefined;
  set?: SetValue;
  obj?: ObjectValue;
  loc: Location;
}

interface CompiledChainLink {
  run: (c: Ctx, f: Frame) => boolean;
  frameSize: () => number;
  /** For functions: matches arguments into the frame. */
  bindArgs?: (c: Ctx, f: Frame, args: Value[]) => boolean;
  /**
   * A frame kept for reuse by function calls: a function is never re-entered while it runs
   * (Rego has no recursion), so one frame serves every call; `busy` guards the exception.
   */
  frame?: Frame;
  busy?: boolean;
}

interface CompiledDef {
  def: RuleDef;
  chain: CompiledChainLink[];
  /** For functions: the key of each parameter that is a constant scalar (else undefined). */
  constArgs?: (Key | undefined)[];
}

/**
 * Function indexing: definitions grouped by the value of one parameter that every definition
 * gives as a constant or a variable (`problem("late", x) if …`, `problem("missing", x) if …`).
 * A call evaluates only the definitions whose constant matches (plus those with a variable).
 */
interface FunctionIndex {
  pos: number;
  byKey: Map<Key, CompiledDef[]>;
  /** Definitions with a variable (or non-scalar) at `pos`: candidates for any value. */
  rest: CompiledDef[];
}

export class Policy implements Runtime {
  readonly builtins: Map<string, Builtin>;
  readonly tree: RuleTree;
  private readonly defs = new Map<number, CompiledDef[]>();
  private readonly defaults = new Map<number, Value>();
  metadata?: { rule: Value; chain: Value };
  /** Set when compiled with coverage tracking. */
  cov?: Coverage;
  /** CompileOptions.specialize. */
  specialize = false;

  readonly modules: readonly import('../ast.ts').Module[];

  constructor(tree: RuleTree, builtins: Map<string, Builtin>, modules: readonly import('../ast.ts').Module[]) {
    this.tree = tree;
    this.modules = modules;
    this.builtins = builtins;
  }

  // ---- compilation --------------------------------------------------------------------------

  /** Compiles every rule now (errors collected), or — lazily — each node on first use. */
  compileRules(errors: RegoError[], lazy = false): void {
    if (lazy) {
      this.lazy = true;
      return;
    }
    for (const node of this.tree.nodes) this.compileNode(node, errors);
  }

  private lazy = false;

  private compileNode(node: RuleNode, errors: RegoError[]): void {
    const compiled: CompiledDef[] = [];
    for (const def of node.rules) {
      try {
        compiled.push(this.compileDef(def, errors));
      } catch (e) {
        if (e instanceof RegoError) errors.push(e);
        else throw e;
      }
    }
    this.defs.set(node.id, compiled);
    for (const d of node.defaults) {
      try {
        const v = this.defaultValue(d);
        this.defaults.set(node.id, v);
        if (this.cov && d.rule.loc.file) this.cov.file(d.rule.loc.file).all.add(d.rule.loc.row);
      } catch (e) {
        if (e instanceof RegoError) errors.push(e);
        else throw e;
      }
    }
  }

  /** The default value of a node (marking the default rule covered when tracking coverage). */
  private useDefault(node: RuleNode): Value | undefined {
    const v = this.defaults.get(node.id);
    if (v !== undefined && this.cov) {
      const d = node.defaults[0];
      if (d?.rule.loc.file) this.cov.file(d.rule.loc.file).covered.add(d.rule.loc.row);
    }
    return v;
  }

  /** The compiled definitions of a node (compiled on first use in lazy mode). */
  private defsOf(node: RuleNode): CompiledDef[] {
    let d = this.defs.get(node.id);
    if (d === undefined) {
      if (!this.lazy) return [];
      const errors: RegoError[] = [];
      this.compileNode(node, errors);
      if (errors.length) {
        this.defs.delete(node.id);
        throw new RegoErrorList(errors);
      }
      d = this.defs.get(node.id)!;
    }
    return d;
  }

  private defaultValue(def: RuleDef): Value {
    const r = def.rule;
    const env = this.env(def, new SlotAllocator(), []);
    const res = new Resolver(env);
    const out: IRExpr[] = [];
    const t = r.head.value ? res.term(r.head.value, new Scope(undefined), out) : ({ k: 'const', v: true } as IRTerm);
    if (t.k !== 'const' || out.length) throw new RegoError('rego_type_error', `default rule ${fmtPath(def.node.path)} value must be ground`, r.loc);
    return t.v;
  }

  private readonly envCache = new Map<import('../ast.ts').Module, Omit<ResolveEnv, 'slots'>>();

  private env(def: RuleDef, slots: SlotAllocator, errors: RegoError[]): ResolveEnv {
    let base = this.envCache.get(def.module);
    if (!base) {
      base = moduleEnv(def.module, packagePath(def.module), this.tree, this.builtins, errors);
      this.envCache.set(def.module, base);
    }
    return { ...base, genCounter: { n: 0 }, errors, slots };
  }

  private compileDef(def: RuleDef, errors: RegoError[]): CompiledDef {
    const chain: CompiledChainLink[] = [];
    let argScope: Scope | undefined;
    let argTerms: IRTerm[] | undefined;
    const slots = new SlotAllocator();
    slots.alloc('__sink');
    const env = this.env(def, slots, errors);
    const res = new Resolver(env);
    const evalArgs: { param: IRTerm; term: Term }[] = [];
    if (def.rule.head.args) {
      argScope = new Scope(undefined);
      for (const a of def.rule.head.args) res.declarePattern(argScope, a);
      const pre: IRExpr[] = [];
      argTerms = def.rule.head.args.map((a) => {
        // Arguments that must be evaluated (templates, refs, comprehensions, calls) are compared
        // at the end of the body, where the body's variables are bound (OPA rewrites them so).
        if (a.type === 'template' || a.type === 'ref' || a.type === 'call' || a.type.endsWith('comp')) {
          const param = res.genVar();
          evalArgs.push({ param, term: a });
          return param;
        }
        return res.term(a, argScope!, pre);
      });
      if (pre.length) throw new RegoError('rego_compile_error', 'function arguments must not contain calls', def.rule.loc);
    }
    const md = ruleMetadata(def, this.modules);
    for (let r: Rule | undefined = def.rule; r; r = r.else) {
      chain.push(this.compileLink(def, r, res, slots, argScope, argTerms, errors, md, evalArgs));
    }
    const constArgs = argTerms?.map((a) => (a.k === 'const' && (a.v === null || typeof a.v !== 'object') ? keyOf(a.v) : undefined));
    return { def, chain, constArgs };
  }

  private compileLink(
    def: RuleDef,
    r: Rule,
    res: Resolver,
    slots: SlotAllocator,
    argScope: Scope | undefined,
    argTerms: IRTerm[] | undefined,
    errors: RegoError[],
    md: { rule: Value; chain: Value },
    evalArgs: { param: IRTerm; term: Term }[],
  ): CompiledChainLink {
    const head = r.head;
    const extra = [
      ...(head.key ? [head.key] : []),
      ...(head.value ? [head.value] : []),
      ...(r === def.rule ? def.suffix : []),
      ...evalArgs.map((a) => a.term),
    ];
    const scope = res.openBodyScope(r.body, argScope, extra);
    const body: IRBody = res.body(r.body, scope);
    const tail: IRExpr[] = [];
    const keyT = head.key ? res.headTerm(head.key, scope, tail) : undefined;
    const valT = head.value ? res.headTerm(head.value, scope, tail) : ({ k: 'const', v: true } as IRTerm);
    const suffixT = def.suffix.map((s) => res.headTerm(s, scope, tail));
    for (const a of evalArgs) tail.push({ k: 'unify', a: a.param, b: res.term(a.term, scope, tail), loc: a.term.loc });
    if (tail.length) body.push({ exprs: tail, loc: head.loc, index: body.length });

    const bound = new Set<number>();
    if (argTerms) for (const a of argTerms) collectSlots(a, bound);
    const ordered = reorderBody(body, bound, errors);
    for (const t of [keyT, valT, ...suffixT]) {
      if (!t) continue;
      const vs = new Map<number, { name: string; gen: boolean }>();
      termVars(t, vs);
      for (const [slot, v] of vs) if (!bound.has(slot)) errors.push(new RegoError('rego_unsafe_var_error', `var ${v.name} is unsafe`, head.loc));
    }

    this.metadata = md;
    const gen = new CodeGen(this, slots, this.cov);
    const headBound = new Set(bound);
    const keyF = keyT ? gen.value(keyT, headBound) : undefined;
    const valF = gen.value(valT, headBound);
    const suffixF = suffixT.map((t) => gen.value(t, headBound));
    const earlyExit = valT.k === 'const' && (def.kind === 'complete' || def.kind === 'function');
    let terminal = this.terminal(def, keyF, valF, suffixF, earlyExit);
    if (this.cov && head.loc.file) terminal = this.cov.mark(head.loc, terminal);
    const argBound = new Set<number>();
    let bindArgs: CompiledChainLink['bindArgs'];
    if (argTerms) {
      const ms = argTerms.map((a) => gen.matcher(a, argBound));
      bindArgs = (c, f, args) => {
        for (let i = 0; i < ms.length; i++) if (!ms[i](c, f, args[i])) return false;
        return true;
      };
    }
    const run = gen.body(ordered, new Set(argBound), terminal);
    this.metadata = undefined;
    let ds = this.deps.get(def.node);
    if (!ds) this.deps.set(def.node, (ds = new Set()));
    for (const d of gen.deps) ds.add(d);
    return { run, frameSize: () => slots.size, bindArgs };
  }

  private terminal(def: RuleDef, keyF: ValueFn | undefined, valF: ValueFn, suffixF: ValueFn[], earlyExit: boolean): Step {
    const loc = def.rule.loc;
    switch (def.kind) {
      case 'set':
        return (c, f) => {
          const k = (keyF ?? valF)(c, f);
          if (k !== undefined) (f[0] as Sink).set!.add(k);
          return false;
        };
      case 'object': {
        const leafSet = def.rule.head.contains;
        return (c, f) => {
          const keys: Value[] = [];
          for (const sf of suffixF) {
            const k = sf(c, f);
            if (k === undefined) return false;
            keys.push(k);
          }
          const v = (leafSet ? keyF! : valF)(c, f);
          if (v === undefined) return false;
          if (leafSet) insertSetLeaf((f[0] as Sink).obj!, keys, v, loc);
          else insertPath((f[0] as Sink).obj!, keys, v, loc);
          return false;
        };
      }
      default:
        return (c, f) => {
          const v = valF(c, f);
          if (v === undefined) return false;
          const sink = f[0] as Sink;
          if (sink.value !== undefined && !equal(sink.value, v)) {
            throw new RegoError(
              'eval_conflict_error',
              def.kind === 'function' ? 'functions must not produce multiple outputs for same inputs' : 'complete rules must not produce multiple outputs',
              loc,
            );
          }
          sink.value = v;
          return earlyExit;
        };
    }
  }

  // ---- runtime services ---------------------------------------------------------------------

  hasRulesBelow(node: RuleNode): boolean {
    return this.tree.hasRulesBelow(node);
  }

  nodeAt(path: string[]): RuleNode | undefined {
    return this.tree.node(path, false);
  }

  /** Nodes each node's rules depend on (direct). */
  readonly deps = new Map<RuleNode, Set<RuleNode>>();

  staticNode(path: string[]): { node: RuleNode; rest: string[] } | undefined {
    const hit = this.tree.ruleNodeOnPath(path);
    if (hit) return { node: hit.node, rest: path.slice(hit.depth) };
    const n = this.tree.node(path, false);
    if (n && n !== this.tree.root && this.tree.hasRulesBelow(n)) return { node: n, rest: [] };
    return undefined;
  }

  nodeValue(c: Ctx, node: RuleNode): Value | undefined {
    const m = c.memo[node.id];
    if (m !== undefined) {
      if (m === UNDEF) return undefined;
      if (m === PENDING) throw new RegoError('rego_recursion_error', `rule ${fmtPath(node.path)} is recursive`);
      return m as Value;
    }
    c.memo[node.id] = PENDING;
    let v: Value | undefined;
    try {
      v = this.computeNode(c, node);
    } catch (e) {
      c.memo[node.id] = undefined;
      throw e;
    }
    c.memo[node.id] = v === undefined ? UNDEF : v;
    return v;
  }

  private computeNode(c: Ctx, node: RuleNode): Value | undefined {
    const defs = this.defsOf(node);
    switch (node.kind) {
      case 'complete': {
        let result: Value | undefined;
        for (const d of defs) {
          const v = this.runChain(c, d, 'complete', undefined);
          if (v === undefined) continue;
          if (result !== undefined && !equal(result, v)) {
            throw new RegoError('eval_conflict_error', 'complete rules must not produce multiple outputs', d.def.rule.loc);
          }
          result = v;
        }
        if (result === undefined) result = this.useDefault(node);
        return result;
      }
      case 'set': {
        const set = new SetValue();
        structural.add(set);
        for (const d of defs) this.runBody(c, d, { kind: 'set', value: undefined, set, loc: d.def.rule.loc });
        return set;
      }
      case 'object': {
        const obj = new ObjectValue();
        structural.add(obj);
        for (const d of defs) this.runBody(c, d, { kind: 'object', value: undefined, obj, loc: d.def.rule.loc });
        const loc = node.rules[0]?.rule.loc;
        for (const [k, ch] of node.children) {
          if (!this.tree.hasRulesBelow(ch) || ch.kind === 'function') continue;
          const v = this.nodeValue(c, ch);
          if (v === undefined) continue;
          mergeAt(obj, k, v, loc);
        }
        return obj;
      }
      case 'function':
        return undefined;
      default:
        return this.interiorValue(c, node, lookupPath(c.data, node.path));
    }
  }

  /** A node without rules of its own: base data merged with the documents of its children. */
  private interiorValue(c: Ctx, node: RuleNode, base: Value | undefined): Value | undefined {
    const out = base instanceof ObjectValue ? ObjectValue.from(base.entries()) : new ObjectValue();
    structural.add(out);
    for (const [k, ch] of node.children) {
      if (!this.tree.hasRulesBelow(ch)) continue;
      if (ch.kind === 'function') continue;
      const v = this.nodeValue(c, ch);
      if (v === undefined) continue;
      out.set(k, v);
    }
    return out;
  }

  /** Runs a complete rule's / function's else-chain and returns its value. */
  private runChain(c: Ctx, d: CompiledDef, kind: Sink['kind'], args: Value[] | undefined): Value | undefined {
    for (const link of d.chain) {
      let f: Frame;
      let sink: Sink;
      const pooled = !link.busy;
      if (pooled) {
        f = link.frame ??= new Array(link.frameSize());
        sink = f[0] as Sink;
        if (sink === undefined) f[0] = sink = { kind, value: undefined, loc: d.def.rule.loc };
        else sink.value = undefined;
        link.busy = true;
      } else {
        f = new Array(link.frameSize());
        f[0] = sink = { kind, value: undefined, loc: d.def.rule.loc };
      }
      try {
        if (link.bindArgs && !link.bindArgs(c, f, args!)) return undefined;
        link.run(c, f);
      } finally {
        if (pooled) link.busy = false;
      }
      const v = sink.value;
      if (v !== undefined) {
        sink.value = undefined;
        return v;
      }
    }
    return undefined;
  }

  private runBody(c: Ctx, d: CompiledDef, sink: Sink): void {
    const link = d.chain[0];
    const f: Frame = new Array(link.frameSize());
    f[0] = sink;
    link.run(c, f);
  }

  dataValue(c: Ctx, keys: Value[]): Value | undefined {
    const ovs = c.dataOverrides;
    if (ovs !== null) {
      for (let i = ovs.length - 1; i >= 0; i--) {
        const ov = ovs[i];
        if (ov.path.length <= keys.length && ov.path.every((p, j) => p === keys[j])) return lookupPath(ov.value, keys.slice(ov.path.length));
      }
      let v = this.dataValueNoOverride(c, keys);
      for (const ov of ovs) {
        if (ov.path.length > keys.length && keys.every((k, j) => k === ov.path[j])) {
          v = setPath(v, ov.path.slice(keys.length), ov.value);
        }
      }
      return v;
    }
    return this.dataValueNoOverride(c, keys);
  }

  private dataValueNoOverride(c: Ctx, keys: Value[]): Value | undefined {
    let node: RuleNode | undefined = this.tree.root;
    let base: Value | undefined = c.data;
    for (let i = 0; i < keys.length; i++) {
      if (node && node !== this.tree.root && (node.rules.length || node.defaults.length)) {
        return lookupPath(this.nodeValue(c, node), keys.slice(i));
      }
      const k = keys[i];
      const next: RuleNode | undefined = node && typeof k === 'string' ? node.children.get(k) : undefined;
      base = base === undefined ? undefined : child(base, k);
      node = next;
      if (!node) return base === undefined ? undefined : lookupPath(base, keys.slice(i + 1));
    }
    if (!node) return base;
    if (node.rules.length || node.defaults.length) return this.nodeValue(c, node);
    if (!this.tree.hasRulesBelow(node)) return base;
    if (node === this.tree.root) return this.interiorValue(c, node, base);
    const m = c.memo[node.id];
    if (m !== undefined && m !== PENDING) return m === UNDEF ? undefined : (m as Value);
    const v = this.interiorValue(c, node, base);
    c.memo[node.id] = v === undefined ? UNDEF : v;
    return v;
  }

  callFunction(c: Ctx, path: string[], args: Value[]): Value | undefined {
    const node = this.tree.node(path, false);
    if (!node || node.kind !== 'function') return undefined;
    return this.callFunctionNode(c, node, args);
  }

  private readonly fnIndex = new Map<RuleNode, FunctionIndex | null>();

  /** The definitions a call can match (all of them when the function has no index). */
  private candidates(node: RuleNode, args: Value[]): CompiledDef[] {
    let idx = this.fnIndex.get(node);
    if (idx === undefined) {
      idx = buildFunctionIndex(this.defsOf(node));
      this.fnIndex.set(node, idx);
    }
    if (idx === null) return this.defsOf(node);
    const a = args[idx.pos];
    if (a !== null && typeof a === 'object') return this.defsOf(node);
    return idx.byKey.get(keyOf(a)) ?? idx.rest;
  }

  callFunctionNode(c: Ctx, node: RuleNode, args: Value[]): Value | undefined {
    const defs = this.candidates(node, args);
    let result: Value | undefined;
    for (const d of defs) {
      const v = this.runChain(c, d, 'function', args);
      if (v === undefined) continue;
      if (result !== undefined && !equal(result, v)) {
        throw new RegoError('eval_conflict_error', 'functions must not produce multiple outputs for same inputs', d.def.rule.loc);
      }
      result = v;
    }
    if (result === undefined) result = this.useDefault(node);
    return result;
  }

  callDynamic(c: Ctx, path: Value[], args: Value[], _loc: Location): Value | undefined {
    if (!path.every((p) => typeof p === 'string')) return undefined;
    return this.callFunction(c, path as string[], args);
  }
}

function buildFunctionIndex(defs: CompiledDef[]): FunctionIndex | null {
  if (defs.length < 3) return null;
  const arity = defs[0].constArgs?.length ?? 0;
  for (let pos = 0; pos < arity; pos++) {
    const withConst = defs.filter((d) => d.constArgs?.[pos] !== undefined);
    if (withConst.length < defs.length / 2) continue;
    const rest = defs.filter((d) => d.constArgs?.[pos] === undefined);
    const byKey = new Map<Key, CompiledDef[]>();
    // Keep the definitions' order within each bucket (results do not depend on it, errors might).
    for (const d of defs) {
      const k = d.constArgs?.[pos];
      if (k === undefined) {
        for (const list of byKey.values()) list.push(d);
        continue;
      }
      let list = byKey.get(k);
      if (!list) {
        list = defs.filter((x) => x.constArgs?.[pos] === undefined && defs.indexOf(x) < defs.indexOf(d));
        byKey.set(k, list);
      }
      list.push(d);
    }
    return { pos, byKey, rest };
  }
  return null;
}

function collectSlots(t: IRTerm, out: Set<number>): void {
  const m = new Map<number, unknown>();
  termVars(t, m as Map<number, { name: string; gen: boolean }>);
  for (const k of m.keys()) out.add(k);
}

export function lookupPath(v: Value | undefined, keys: readonly Value[]): Value | undefined {
  for (let i = 0; i < keys.length && v !== undefined; i++) v = child(v, keys[i]);
  return v;
}

function setPath(doc: Value | undefined, path: readonly string[], v: Value): Value {
  if (path.length === 0) return v;
  const base = doc instanceof ObjectValue ? doc : new ObjectValue();
  const out = ObjectValue.from(base.entries());
  out.set(path[0], setPath(base.get(path[0]), path.slice(1), v));
  return out;
}

/**
 * Objects and sets built from rule paths (as opposed to values a rule produced). Documents of
 * different rules merge only through structural objects; a rule's value is never merged into.
 */
const structural = new WeakSet<object>();

function conflict(loc: Location | undefined): never {
  throw new RegoError('eval_conflict_error', 'object keys must be unique', loc);
}

/** Walks (creating structural objects) to the parent of the last key. */
function descend(obj: ObjectValue, keys: Value[], loc: Location | undefined): ObjectValue {
  let cur = obj;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i];
    const x = cur.get(k);
    if (x === undefined) {
      const n = new ObjectValue();
      structural.add(n);
      cur.set(k, n);
      cur = n;
    } else if (x instanceof ObjectValue && structural.has(x)) {
      cur = x;
    } else {
      conflict(loc);
    }
  }
  return cur;
}

/** Inserts v at keys in a partial object under construction (conflicts are eval errors). */
function insertPath(obj: ObjectValue, keys: Value[], v: Value, loc: Location | undefined): void {
  mergeAt(descend(obj, keys, loc), keys[keys.length - 1], v, loc);
}

/** Adds v to the set at keys (multi-value rules with ref heads). */
function insertSetLeaf(obj: ObjectValue, keys: Value[], v: Value, loc: Location | undefined): void {
  const parent = descend(obj, keys, loc);
  const last = keys[keys.length - 1];
  let s = parent.get(last);
  if (s === undefined) {
    s = new SetValue();
    structural.add(s);
    parent.set(last, s);
  } else if (!(s instanceof SetValue) || !structural.has(s)) {
    conflict(loc);
  }
  (s as SetValue).add(v);
}

/** Sets key k of a structural object to v, merging structural documents. */
function mergeAt(parent: ObjectValue, k: Value, v: Value, loc: Location | undefined): void {
  const old = parent.get(k);
  if (old === undefined) {
    parent.set(k, v);
    return;
  }
  if (structural.has(old as object) && structural.has(v as object)) {
    if (old instanceof ObjectValue && v instanceof ObjectValue) {
      // Copy-on-merge: `old` may be shared (memoised), so merge into a fresh structural copy.
      const merged = ObjectValue.from(old.entries());
      structural.add(merged);
      for (const [kk, vv] of v.entries()) mergeAt(merged, kk, vv, loc);
      parent.set(k, merged);
      return;
    }
    if (old instanceof SetValue && v instanceof SetValue) {
      const merged = SetValue.from([...old.values(), ...v.values()]);
      structural.add(merged);
      parent.set(k, merged);
      return;
    }
  }
  if (!equal(old, v)) conflict(loc);
}
