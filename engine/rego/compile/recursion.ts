// Recursion detection over the rule dependency graph (OPA: rego_recursion_error).

import { RegoError } from '../errors.ts';
import type { RuleNode } from './ruletree.ts';
import { fmtPath } from './ruletree.ts';

export interface DependencySource {
  readonly deps: Map<RuleNode, Set<RuleNode>>;
}

/** Expands a dependency on a node without rules to every rule node below it. */
function ruleNodesBelow(n: RuleNode, out: RuleNode[]): void {
  if (n.rules.length || n.defaults.length) {
    out.push(n);
    return;
  }
  for (const c of n.children.values()) ruleNodesBelow(c, out);
}

export function checkRecursion(src: DependencySource, errors: RegoError[]): void {
  const edges = new Map<RuleNode, RuleNode[]>();
  for (const [from, tos] of src.deps) {
    const list: RuleNode[] = [];
    for (const t of tos) ruleNodesBelow(t, list);
    edges.set(from, list);
  }
  const state = new Map<RuleNode, 1 | 2>();
  const stack: RuleNode[] = [];
  const reported = new Set<RuleNode>();
  const visit = (n: RuleNode): void => {
    state.set(n, 1);
    stack.push(n);
    for (const m of edges.get(n) ?? []) {
      const s = state.get(m);
      if (s === 1) {
        if (!reported.has(m)) {
          reported.add(m);
          const cycle = stack.slice(stack.indexOf(m)).concat(m).map((x) => fmtPath(x.path));
          const rule = m.rules[0] ?? m.defaults[0];
          errors.push(new RegoError('rego_recursion_error', `rule ${fmtPath(m.path)} is recursive: ${cycle.join(' -> ')}`, rule?.rule.loc));
        }
      } else if (s === undefined) visit(m);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of edges.keys()) if (!state.has(n)) visit(n);
}
