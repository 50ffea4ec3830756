// Object built-ins: object.get, object.keys, object.remove, object.filter, object.union,
// object.union_n, object.subset (OPA v1/topdown/object.go, subset.go).

import { ObjectValue, SetValue, compare, equal, keyOf, type Key, type Value } from '../value.ts';
import { t, type Builtin } from './registry.ts';
import { arr, elemErr, obj, plainTypeErr, typeErr } from './util.ts';

const anyObject = t.objectOf(t.any, t.any);
const anyArray = t.arrayOf(t.any);
const anySet = t.setOf(t.any);

/** OPA's Value.Find: follows `path` through objects, arrays (integer indexes) and sets. */
export function findPath(v: Value, path: readonly Value[], i = 0): Value | undefined {
  let cur: Value = v;
  for (; i < path.length; i++) {
    const k = path[i];
    if (cur instanceof ObjectValue) {
      const next = cur.get(k);
      if (next === undefined) return undefined;
      cur = next;
    } else if (Array.isArray(cur)) {
      if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= cur.length) return undefined;
      cur = cur[k];
    } else if (cur instanceof SetValue) {
      if (!cur.has(k)) return undefined;
      cur = cur.map.get(keyOf(k)) as Value;
    } else {
      return undefined;
    }
  }
  return cur;
}

/** OPA's getObjectKeysParam: keys given as an array, set or object (its keys). */
function keysParam(name: string, v: Value): SetValue {
  if (Array.isArray(v)) return SetValue.from(v);
  if (v instanceof SetValue) return v;
  if (v instanceof ObjectValue) return SetValue.from(v.keys());
  throw typeErr(name, 2, v, 'object', 'set', 'array');
}

/** OPA's ast filterObject: keeps the parts of `o` selected by `filter` (null = keep all). */
export function filterValue(o: Value, filter: Value): Value {
  if (filter === null) return o;
  if (!(filter instanceof ObjectValue)) throw new Error(`invalid filter value, expected an object`);
  if (Array.isArray(o)) {
    const out: Value[] = [];
    for (let i = 0; i < o.length; i++) {
      const sub = filter.get(String(i));
      if (sub !== undefined) out.push(filterValue(o[i], sub));
    }
    return out;
  }
  if (o instanceof SetValue) {
    const out = new SetValue();
    for (const e of o.values()) {
      const sub = filter.get(e);
      if (sub !== undefined) out.add(filterValue(e, sub));
    }
    return out;
  }
  if (o instanceof ObjectValue) {
    const out = new ObjectValue();
    const [iter, other] = o.size < filter.size ? [filter, o] : [o, filter];
    for (const mk of iter.map.keys()) {
      if (!other.map.has(mk)) continue;
      const k = iter.keyValue(mk);
      out.set(k, filterValue(o.map.get(mk) as Value, filter.map.get(mk) as Value));
    }
    return out;
  }
  return o;
}

/** Recursive merge, right-hand side wins; nested objects are merged. */
export function mergeWithOverwrite(a: ObjectValue, b: ObjectValue): ObjectValue {
  const out = new ObjectValue();
  for (const [mk, v] of a.map) out.set(a.keyValue(mk), v);
  for (const [mk, v2] of b.map) {
    const k = b.keyValue(mk);
    const v1 = a.map.get(mk);
    if (v1 !== undefined && v1 instanceof ObjectValue && v2 instanceof ObjectValue) {
      out.set(k, mergeWithOverwrite(v1, v2));
    } else {
      out.set(k, v2);
    }
  }
  return out;
}

/** A mutable object used by object.union_n (mirrors OPA's in-place merge with frozen keys). */
class MObj {
  readonly entries = new Map<Key, [Value, Value | MObj]>();
  frozen = false;
  static copy(o: ObjectValue): MObj {
    const m = new MObj();
    for (const [mk, v] of o.map) m.entries.set(mk, [o.keyValue(mk), v instanceof ObjectValue ? MObj.copy(v) : v]);
    return m;
  }
  merge(other: ObjectValue): void {
    for (const [mk, v] of other.map) {
      const cur = this.entries.get(mk);
      if (cur === undefined) {
        this.entries.set(mk, [other.keyValue(mk), v instanceof ObjectValue ? MObj.copy(v) : v]);
        continue;
      }
      const existing = cur[1];
      if (existing instanceof MObj && v instanceof ObjectValue) {
        if (!existing.frozen) existing.merge(v);
      } else if (existing instanceof MObj) {
        existing.frozen = true;
      }
    }
  }
  toValue(): ObjectValue {
    const o = new ObjectValue();
    for (const [k, v] of this.entries.values()) o.set(k, v instanceof MObj ? v.toValue() : v);
    return o;
  }
}

function objectSubset(sup: ObjectValue, sub: ObjectValue): boolean {
  for (const [mk, subV] of sub.map) {
    const supV = sup.map.get(mk);
    if (supV === undefined) return false;
    if (equal(subV, supV)) continue;
    if (supV instanceof ObjectValue && subV instanceof ObjectValue) {
      if (!objectSubset(supV, subV)) return false;
      continue;
    }
    if (supV instanceof SetValue && subV instanceof SetValue) {
      if (!setSubset(supV, subV)) return false;
      continue;
    }
    if (Array.isArray(supV) && Array.isArray(subV)) {
      if (!arraySubset(supV, subV)) return false;
      continue;
    }
    return false;
  }
  return true;
}

function setSubset(sup: SetValue, sub: SetValue): boolean {
  for (const k of sub.map.keys()) if (!sup.map.has(k)) return false;
  return true;
}

function arraySubset(sup: readonly Value[], sub: readonly Value[]): boolean {
  if (sub.length > sup.length) return false;
  let supCur = 0;
  let subCur = 0;
  for (;;) {
    if (subCur === sub.length) return true;
    if (supCur + subCur === sup.length) return false;
    if (compare(sup[supCur + subCur], sub[subCur]) === 0) subCur++;
    else {
      supCur++;
      subCur = 0;
    }
  }
}

function arraySetSubset(sup: readonly Value[], sub: SetValue): boolean {
  // As OPA: counts every array element found in the set (duplicates included), and an empty
  // array never contains anything (not even the empty set).
  let unmatched = sub.size;
  for (const e of sup) {
    if (sub.has(e)) unmatched--;
    if (unmatched === 0) return true;
  }
  return false;
}

export const builtins: Builtin[] = [
  {
    name: 'object.get',
    args: [anyObject, t.any, t.any],
    result: t.any,
    description: "Returns value of an object's key if present, otherwise a default.",
    fn: ([o, key, dflt]) => {
      const x = obj('object.get', o, 1);
      if (!Array.isArray(key)) {
        const v = x.get(key);
        return v === undefined ? dflt : v;
      }
      if (key.length === 0) return x;
      const v = findPath(x, key);
      return v === undefined ? dflt : v;
    },
  },
  {
    name: 'object.keys',
    args: [anyObject],
    result: anySet,
    description: "Returns a set of an object's keys.",
    fn: ([o]) => SetValue.from(obj('object.keys', o, 1).keys()),
  },
  {
    name: 'object.remove',
    args: [anyObject, t.anyOf(anyArray, anySet, anyObject)],
    result: t.any,
    description: 'Removes specified keys from an object.',
    fn: ([o, keys]) => {
      const x = obj('object.remove', o, 1);
      const rm = keysParam('object.remove', keys);
      const out = new ObjectValue();
      for (const [mk, v] of x.map) if (!rm.map.has(mk)) out.set(x.keyValue(mk), v);
      return out;
    },
  },
  {
    name: 'object.filter',
    args: [anyObject, t.anyOf(anyArray, anySet, anyObject)],
    result: t.any,
    description: 'Filters the object by keeping only specified keys.',
    fn: ([o, keys]) => {
      const x = obj('object.filter', o, 1);
      const ks = keysParam('object.filter', keys);
      const filter = new ObjectValue();
      for (const k of ks.map.values()) filter.set(k, null);
      return filterValue(x, filter);
    },
  },
  {
    name: 'object.union',
    args: [anyObject, anyObject],
    result: t.any,
    description: 'Creates a new object of the asymmetric union of two objects.',
    fn: ([a, b]) => {
      const x = obj('object.union', a, 1);
      const y = obj('object.union', b, 2);
      if (equal(x, y)) return x;
      return mergeWithOverwrite(x, y);
    },
  },
  {
    name: 'object.union_n',
    args: [t.arrayOf(anyObject)],
    result: t.any,
    description: 'Creates a new object that is the asymmetric union of all objects merged from left to right.',
    fn: ([a]) => {
      const xs = arr('object.union_n', a, 1);
      const result = new MObj();
      for (let i = xs.length - 1; i >= 0; i--) {
        const o = xs[i];
        if (!(o instanceof ObjectValue)) throw elemErr('object.union_n', 1, xs, o, 'object');
        result.merge(o);
      }
      return result.toValue();
    },
  },
  {
    name: 'object.subset',
    args: [t.anyOf(anyObject, anySet, anyArray), t.anyOf(anyObject, anySet, anyArray)],
    result: t.any,
    description: 'Determines if an object `sub` is a subset of another object `super`.',
    fn: ([sup, sub]) => {
      if (sup instanceof ObjectValue && sub instanceof ObjectValue) return objectSubset(sup, sub);
      if (sup instanceof SetValue && sub instanceof SetValue) return setSubset(sup, sub);
      if (Array.isArray(sup) && Array.isArray(sub)) return arraySubset(sup, sub);
      if (Array.isArray(sup) && sub instanceof SetValue) return arraySetSubset(sup, sub);
      throw plainTypeErr('object.subset', 'both arguments object.subset must be of the same type or array and set');
    },
  },
];
