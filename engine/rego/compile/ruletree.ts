// The rule tree: every rule placed at the data path of its ground head prefix, as OPA's
// compiler's RuleTree. A node's document is made of its rules, its children and base data.

import type { Module, Rule, Term } from '../ast.ts';
import { RegoError } from '../errors.ts';

export type RuleKind = 'complete' | 'set' | 'object' | 'function';

export interface RuleDef {
  /** The first rule of the else-chain (the one written first). */
  rule: Rule;
  module: Module;
  node: RuleNode;
  kind: RuleKind;
  /** Head ref terms after the ground prefix (partial object keys, general ref heads). */
  suffix: Term[];
  /** Index of the rule in its module (for stable ordering). */
  index: number;
}

export interface RuleNode {
  id: number;
  path: string[];
  children: Map<string, RuleNode>;
  rules: RuleDef[];
  defaults: RuleDef[];
  /** Kind of the rules at this node (undefined when none). */
  kind?: RuleKind;
  /** Function arity (when kind is 'function'). */
  arity?: number;
  /** Package node (a package declares it). */
  isPackage: boolean;
}

export class RuleTree {
  readonly root: RuleNode;
  readonly nodes: RuleNode[] = [];
  private nextId = 0;

  constructor() {
    this.root = this.newNode([]);
  }

  private newNode(path: string[]): RuleNode {
    const n: RuleNode = { id: this.nextId++, path, children: new Map(), rules: [], defaults: [], isPackage: false };
    this.nodes.push(n);
    return n;
  }

  node(path: readonly string[], create: boolean): RuleNode | undefined {
    let n = this.root;
    for (const p of path) {
      let c = n.children.get(p);
      if (!c) {
        if (!create) return undefined;
        c = this.newNode([...n.path, p]);
        n.children.set(p, c);
      }
      n = c;
    }
    return n;
  }

  /** Deepest node on `path` that has rules (the virtual document that covers it), if any. */
  ruleNodeOnPath(path: readonly string[]): { node: RuleNode; depth: number } | undefined {
    let n = this.root;
    for (let i = 0; i < path.length; i++) {
      const c = n.children.get(path[i]);
      if (!c) return undefined;
      n = c;
      if (n.rules.length > 0 || n.defaults.length > 0) return { node: n, depth: i + 1 };
    }
    return undefined;
  }

  private readonly below = new Map<RuleNode, boolean>();

  /** True when any rule lives at or below this node (cached: the tree is fixed once built). */
  hasRulesBelow(n: RuleNode): boolean {
    let r = this.below.get(n);
    if (r === undefined) {
      r = n.rules.length > 0 || n.defaults.length > 0;
      if (!r) for (const c of n.children.values()) if (this.hasRulesBelow(c)) r = true;
      this.below.set(n, r);
    }
    return r;
  }
}

export function packagePath(m: Module): string[] {
  return m.package.path.map((t) => {
    if (t.type === 'string') return t.value;
    if (t.type === 'var') return t.name;
    throw new RegoError('rego_parse_error', 'package path must contain only strings', t.loc);
  });
}

/** Splits a rule head ref into its ground (string) prefix and the rest. */
export function splitHeadRef(ref: Term[]): { ground: string[]; suffix: Term[] } {
  const ground: string[] = [];
  let i = 0;
  for (; i < ref.length; i++) {
    const t = ref[i];
    if (i === 0 && t.type === 'var') ground.push(t.name);
    else if (t.type === 'string') ground.push(t.value);
    else break;
  }
  return { ground, suffix: ref.slice(i) };
}

export function ruleKind(r: Rule, suffix: Term[]): RuleKind {
  if (r.head.args) return 'function';
  if (r.head.contains) return suffix.length ? 'object' : 'set';
  if (suffix.length > 0) return 'object';
  return 'complete';
}

export function buildRuleTree(modules: Module[], errors: RegoError[]): RuleTree {
  const tree = new RuleTree();
  for (const m of modules) {
    let pkg: string[];
    try {
      pkg = packagePath(m);
    } catch (e) {
      errors.push(e as RegoError);
      continue;
    }
    tree.node(pkg, true)!.isPackage = true;
    m.rules.forEach((rule, index) => {
      const { ground, suffix } = splitHeadRef(rule.head.ref);
      // A partial set's ref is entirely its document path; a trailing var with `contains` is a key.
      const kind = ruleKind(rule, suffix);
      const node = tree.node([...pkg, ...ground], true)!;
      const def: RuleDef = { rule, module: m, node, kind, suffix, index };
      if (rule.default) {
        node.defaults.push(def);
        if (node.defaults.length > 1) {
          errors.push(new RegoError('rego_type_error', `multiple default rules ${fmtPath(node.path)} found`, rule.loc));
        }
      } else {
        node.rules.push(def);
      }
      const k: RuleKind = kind === 'object' && rule.default ? 'complete' : kind;
      if (node.kind === undefined) {
        node.kind = k;
        if (k === 'function') node.arity = rule.head.args!.length;
      } else if (node.kind !== k && !(rule.default && node.kind !== 'set')) {
        errors.push(new RegoError('rego_type_error', `conflicting rules ${fmtPath(node.path)} found`, rule.loc));
      } else if (k === 'function' && node.arity !== rule.head.args!.length) {
        errors.push(new RegoError('rego_type_error', `conflicting rules ${fmtPath(node.path)} found`, rule.loc));
      }
    });
  }
  // A node with a complete/set/function document cannot also have rules below it.
  for (const n of tree.nodes) {
    if ((n.kind === 'complete' || n.kind === 'set' || n.kind === 'function') && n.children.size > 0) {
      for (const c of n.children.values()) {
        if (tree.hasRulesBelow(c)) {
          const r = n.rules[0] ?? n.defaults[0];
          errors.push(new RegoError('rego_type_error', `rule ${fmtPath(n.path)} conflicts with [${fmtPath(c.path)}]`, r.rule.loc));
          break;
        }
      }
    }
  }
  return tree;
}

export function fmtPath(path: readonly string[]): string {
  let s = 'data';
  for (const p of path) s += /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? '.' + p : `[${JSON.stringify(p)}]`;
  return s;
}
