// rego.metadata.rule() / rego.metadata.chain(): a rule's METADATA annotations as values.
// Computed once per rule at compile time (they depend only on where the call is written).

import type { Annotation } from '../ast.ts';
import { fromJS } from '../json.ts';
import type { RuleDef } from '../compile/ruletree.ts';
import { packagePath } from '../compile/ruletree.ts';
import { ObjectValue, type Value } from '../value.ts';

const annotationValues = new WeakMap<Annotation, Value>();

/** OPA's JSON form of an Annotations block (computed once per block). */
export function annotationValue(a: Annotation): Value {
  let v = annotationValues.get(a);
  if (v === undefined) annotationValues.set(a, (v = annotationValueOf(a)));
  return v;
}

function annotationValueOf(a: Annotation): Value {
  const out: Record<string, unknown> = {};
  const raw = a.raw ?? {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'authors' && Array.isArray(v)) out.authors = v.map(author);
    else if (k === 'related_resources' && Array.isArray(v)) out.related_resources = v.map((r) => (typeof r === 'string' ? { ref: r } : r));
    else out[k] = v;
  }
  out.scope = a.scope;
  return fromJS(out);
}

function author(x: unknown): unknown {
  if (typeof x !== 'string') return x;
  const m = /^(.*?)\s*<([^>]*)>\s*$/.exec(x);
  if (m) return m[1] ? { name: m[1], email: m[2] } : { email: m[2] };
  return { name: x.trim() };
}

export function ruleMetadata(def: RuleDef, allModules: readonly import('../ast.ts').Module[]): { rule: Value; chain: Value } {
  const own = def.rule.annotations.find((a) => a.scope === 'rule');
  const rule = own ? annotationValue(own) : new ObjectValue();
  const chain: Value[] = [];
  const path = def.node.path;
  const first: Record<string, Value> = { path: [...path] };
  if (own) first.annotations = annotationValue(own);
  chain.push(ObjectValue.fromRecord(first));
  // Document scope: any rule of the same node.
  for (const d of [...def.node.rules, ...def.node.defaults]) {
    const doc = d.rule.annotations.find((a) => a.scope === 'document');
    if (doc) {
      chain.push(ObjectValue.fromRecord({ path: [...path], annotations: annotationValue(doc) }));
      break;
    }
  }
  chain.push(...packageChain(def.module, allModules));
  return { rule, chain };
}

/** Per set of modules compiled together: module → its package chain entries. */
const packageChains = new WeakMap<readonly import('../ast.ts').Module[], WeakMap<import('../ast.ts').Module, Value[]>>();

/** The package and subpackages entries of a module's rules' chains (shared by its rules). */
function packageChain(module: import('../ast.ts').Module, allModules: readonly import('../ast.ts').Module[]): Value[] {
  let forSet = packageChains.get(allModules);
  if (!forSet) packageChains.set(allModules, (forSet = new WeakMap()));
  const cached = forSet.get(module);
  if (cached) return cached;
  const chain: Value[] = [];
  // Package and subpackages scopes, from the rule's package up to the root.
  const pkg = packagePath(module);
  const modules = allModules;
  for (let i = pkg.length; i >= 1; i--) {
    const p = pkg.slice(0, i);
    for (const m of modules) {
      const mp = packagePath(m);
      if (mp.length !== p.length || !mp.every((x, j) => x === p[j])) continue;
      for (const a of m.annotations) {
        if ((a.scope === 'package' && i === pkg.length) || a.scope === 'subpackages') {
          chain.push(ObjectValue.fromRecord({ path: [...p], annotations: annotationValue(a) }));
        }
      }
    }
  }
  forSet.set(module, chain);
  return chain;
}
