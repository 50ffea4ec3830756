// graph.reachable and graph.reachable_paths, after OPA's v1/topdown/reachable.go.

import { ObjectValue, SetValue, type Value } from '../value.ts';
import { operandTypeError, t, type Builtin } from './registry.ts';
import { typeErr } from './util.ts';

/** Vertices of an array or a set (in order); nothing for any other value. */
function vertices(v: Value): readonly Value[] {
  if (Array.isArray(v)) return v as readonly Value[];
  if (v instanceof SetValue) return v.values();
  return [];
}

function operands(name: string, g: Value, initial: Value): [ObjectValue, Value[]] {
  if (!(g instanceof ObjectValue)) throw operandTypeError(name, 1, g, 'object');
  if (!Array.isArray(initial) && !(initial instanceof SetValue)) throw typeErr(name, 2, initial, '{array, set}');
  return [g, [...vertices(initial)]];
}

function reachable(g: ObjectValue, queue: Value[]): SetValue {
  const reached = new SetValue();
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    const edges = g.get(node);
    if (edges === undefined) continue;
    for (const n of vertices(edges)) if (!reached.has(n)) queue.push(n);
    reached.add(node);
  }
  return reached;
}

function pathBuilder(g: ObjectValue, root: Value, path: Value[], out: SetValue, reached: SetValue): void {
  const edges = g.get(root);
  if (edges === undefined) {
    out.add(path);
    return;
  }
  path = [...path, root];
  const ns = vertices(edges);
  if (ns.length === 0) {
    out.add(path);
    return;
  }
  // The reached set is shared by the whole walk from one start edge (as OPA's results show:
  // a vertex seen on an earlier sibling branch ends the path).
  reached.add(root);
  for (const n of ns) {
    if (reached.has(n)) out.add(path);
    else pathBuilder(g, n, path, out, reached);
  }
}

function reachablePaths(g: ObjectValue, queue: Value[]): SetValue {
  const out = new SetValue();
  for (const node of queue) {
    const edges = g.get(node);
    if (edges === undefined) continue;
    const ns = vertices(edges);
    if (ns.length >= 1) for (const n of ns) pathBuilder(g, n, [node], out, SetValue.from([node]));
    else out.add([node]);
  }
  return out;
}

const edgesType = t.anyOf(t.setOf(t.any), t.arrayOf(t.any));

export const builtins: Builtin[] = [
  {
    name: 'graph.reachable',
    args: [t.objectOf(t.any, edgesType), edgesType],
    result: t.setOf(t.any),
    description: 'Computes the set of reachable nodes in the graph from a set of starting nodes.',
    fn: ([g, initial]) => reachable(...operands('graph.reachable', g, initial)),
  },
  {
    name: 'graph.reachable_paths',
    args: [t.objectOf(t.any, edgesType), edgesType],
    result: t.setOf(t.arrayOf(t.any)),
    description: 'Computes the set of reachable paths in the graph from a set of starting nodes.',
    fn: ([g, initial]) => reachablePaths(...operands('graph.reachable_paths', g, initial)),
  },
];
