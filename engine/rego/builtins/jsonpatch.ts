// JSON document built-ins: json.filter, json.remove, json.patch (OPA v1/topdown/json.go and
// internal/edittree semantics: RFC 6902 patches, extended to sets, where an element is its own path).

import { ObjectValue, SetValue, equal, keyOf, type Key, type Value } from '../value.ts';
import { t, type Builtin } from './registry.ts';
import { arr, obj, operandErr, typeErr } from './util.ts';
import { filterValue } from './objects.ts';

const anyObject = t.objectOf(t.any, t.any);
const pathsType = t.anyOf(
  t.arrayOf(t.anyOf(t.string, t.arrayOf(t.any))),
  t.setOf(t.anyOf(t.string, t.arrayOf(t.any))),
);

class PatchError extends Error {}

/** OPA's parsePath: "/a/b~1c" (leading slashes trimmed) or an array of segments. */
function parsePath(name: string, p: Value): Value[] {
  if (typeof p === 'string') {
    if (p === '') return [];
    return p
      .replace(/^\/+/, '')
      .split('/')
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  }
  if (Array.isArray(p)) return [...(p as readonly Value[])];
  throw operandErr(
    name,
    2,
    `must be one of {set, array} containing string paths or array of path segments but got ${p === null ? 'null' : typeOfName(p)}`,
  );
}

function typeOfName(v: Value): string {
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  if (v instanceof ObjectValue) return 'object';
  if (v instanceof SetValue) return 'set';
  if (Array.isArray(v)) return 'array';
  return 'number';
}

function getJSONPaths(name: string, v: Value): Value[][] {
  if (Array.isArray(v)) return (v as readonly Value[]).map((p) => parsePath(name, p));
  if (v instanceof SetValue) return v.values().map((p) => parsePath(name, p));
  throw typeErr(name, 2, v, 'set', 'array');
}

interface MNode {
  entries: Map<Key, { k: Value; v: MNode | null }>;
}

/** OPA's pathsToObject: a tree of objects whose null leaves mark the selected paths. */
function pathsToObject(paths: Value[][]): ObjectValue {
  const root: MNode = { entries: new Map() };
  for (const path of paths) {
    if (path.length === 0) continue;
    let node = root;
    let done = false;
    for (let i = 0; i < path.length - 1 && !done; i++) {
      const k = path[i];
      const mk = keyOf(k);
      const child = node.entries.get(mk);
      if (child === undefined) {
        const n: MNode = { entries: new Map() };
        node.entries.set(mk, { k, v: n });
        node = n;
      } else if (child.v === null) {
        done = true;
      } else {
        node = child.v;
      }
    }
    if (!done) {
      const k = path[path.length - 1];
      node.entries.set(keyOf(k), { k, v: null });
    }
  }
  const toValue = (n: MNode): ObjectValue => {
    const o = new ObjectValue();
    for (const { k, v } of n.entries.values()) o.set(k, v === null ? null : toValue(v));
    return o;
  };
  return toValue(root);
}

/** OPA's jsonRemove: `a` without the parts marked by null leaves of `b`. */
function jsonRemove(a: Value, b: Value | undefined): Value | undefined {
  if (b === undefined) return a;
  if (b === null) return undefined;
  if (!(b instanceof ObjectValue)) return a;
  if (a instanceof ObjectValue) {
    const out = new ObjectValue();
    for (const [k, v] of a.entries()) {
      const d = jsonRemove(v, b.get(k));
      if (d !== undefined) out.set(k, d);
    }
    return out;
  }
  if (a instanceof SetValue) {
    const out = new SetValue();
    for (const v of a.values()) {
      const d = jsonRemove(v, b.get(v));
      if (d !== undefined) out.add(d);
    }
    return out;
  }
  if (Array.isArray(a)) {
    const out: Value[] = [];
    for (let i = 0; i < a.length; i++) {
      const d = jsonRemove(a[i], b.get(String(i)));
      if (d !== undefined) out.push(d);
    }
    return out;
  }
  return a;
}

// ---- edit operations (immutable) ----

function arrayIndex(key: Value, length: number, forInsert: boolean): number {
  let i: number;
  if (typeof key === 'string') {
    if (key === '-' && forInsert) return length;
    if (!/^(0|[1-9][0-9]*)$/.test(key)) throw new PatchError(`invalid array index ${key}`);
    i = Number(key);
  } else if (typeof key === 'number' && Number.isInteger(key)) {
    i = key;
  } else {
    throw new PatchError('invalid array index');
  }
  if (i < 0 || (forInsert ? i > length : i >= length)) throw new PatchError('index out of range');
  return i;
}

function child(v: Value, key: Value): Value {
  if (v instanceof ObjectValue) {
    const c = v.get(key);
    if (c === undefined) throw new PatchError('path does not exist');
    return c;
  }
  if (Array.isArray(v)) return (v as readonly Value[])[arrayIndex(key, v.length, false)];
  if (v instanceof SetValue) {
    const c = v.map.get(keyOf(key));
    if (c === undefined) throw new PatchError('path does not exist');
    return c;
  }
  throw new PatchError('path does not exist');
}

function replaceChild(v: Value, key: Value, old: Value, nv: Value): Value {
  if (v instanceof ObjectValue) {
    const o = ObjectValue.from(v.entries());
    o.set(key, nv);
    return o;
  }
  if (Array.isArray(v)) {
    const a = [...(v as readonly Value[])];
    a[arrayIndex(key, a.length, false)] = nv;
    return a;
  }
  const s = new SetValue();
  const ok = keyOf(old);
  for (const [k, e] of (v as SetValue).map) if (k !== ok) s.add(e);
  s.add(nv);
  return s;
}

function getAt(v: Value, path: Value[]): Value {
  let cur = v;
  for (const k of path) cur = child(cur, k);
  return cur;
}

function insertAt(v: Value, path: Value[], value: Value, i = 0): Value {
  if (i === path.length) return value;
  const key = path[i];
  if (i < path.length - 1) {
    const c = child(v, key);
    return replaceChild(v, key, c, insertAt(c, path, value, i + 1));
  }
  if (v instanceof ObjectValue) {
    const o = ObjectValue.from(v.entries());
    o.set(key, value);
    return o;
  }
  if (Array.isArray(v)) {
    const a = [...(v as readonly Value[])];
    a.splice(arrayIndex(key, a.length, true), 0, value);
    return a;
  }
  if (v instanceof SetValue) {
    if (!equal(key, value)) throw new PatchError('set key and value differ');
    const s = SetValue.from(v.values());
    s.add(value);
    return s;
  }
  throw new PatchError('cannot insert into a scalar');
}

function deleteAt(v: Value, path: Value[], i = 0): Value {
  if (path.length === 0) throw new PatchError('cannot delete the root');
  const key = path[i];
  if (i < path.length - 1) {
    const c = child(v, key);
    return replaceChild(v, key, c, deleteAt(c, path, i + 1));
  }
  if (v instanceof ObjectValue) {
    const mk = keyOf(key);
    if (!v.map.has(mk)) throw new PatchError('path does not exist');
    const o = new ObjectValue();
    for (const [k, e] of v.entries()) if (keyOf(k) !== mk) o.set(k, e);
    return o;
  }
  if (Array.isArray(v)) {
    const a = [...(v as readonly Value[])];
    a.splice(arrayIndex(key, a.length, false), 1);
    return a;
  }
  if (v instanceof SetValue) {
    const mk = keyOf(key);
    if (!v.map.has(mk)) throw new PatchError('path does not exist');
    const s = new SetValue();
    for (const [k, e] of v.map) if (k !== mk) s.add(e);
    return s;
  }
  throw new PatchError('cannot delete from a scalar');
}

const VALID_OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

function applyPatches(source: Value, ops: readonly Value[]): Value {
  let doc = source;
  for (const o of ops) {
    if (!(o instanceof ObjectValue)) throw new PatchError('must be an array of JSON-Patch objects');
    const attr = (a: string): Value => {
      const v = o.get(a);
      if (v === undefined) throw new PatchError(`missing '${a}' attribute`);
      return v;
    };
    const op = attr('op');
    if (typeof op !== 'string') throw new PatchError("attribute 'op' must be a string");
    if (!VALID_OPS.has(op)) throw new PatchError(`unrecognized op '${op}'`);
    const pathTerm = attr('path');
    const from = op === 'move' || op === 'copy' ? attr('from') : undefined;
    const value = op === 'add' || op === 'replace' || op === 'test' ? attr('value') : undefined;
    const path = parsePatchPath(pathTerm);
    switch (op) {
      case 'add':
        doc = insertAt(doc, path, value as Value);
        break;
      case 'remove':
        doc = deleteAt(doc, path);
        break;
      case 'replace':
        // Replacing the root (path "") replaces the whole document.
        doc = path.length === 0 ? (value as Value) : insertAt(deleteAt(doc, path), path, value as Value);
        break;
      case 'move': {
        const f = parsePatchPath(from as Value);
        const chunk = getAt(doc, f);
        doc = insertAt(deleteAt(doc, f), path, chunk);
        break;
      }
      case 'copy': {
        const f = parsePatchPath(from as Value);
        doc = insertAt(doc, path, getAt(doc, f));
        break;
      }
      case 'test':
        if (!equal(getAt(doc, path), value as Value)) throw new PatchError('test failed');
        break;
    }
  }
  return doc;
}

function parsePatchPath(p: Value): Value[] {
  try {
    return parsePath('json.patch', p);
  } catch {
    throw new PatchError('invalid path');
  }
}

export const builtins: Builtin[] = [
  {
    name: 'json.filter',
    args: [anyObject, pathsType],
    result: t.any,
    description: 'Filters the object.',
    fn: ([o, p]) => {
      const x = obj('json.filter', o, 1);
      const paths = getJSONPaths('json.filter', p);
      return filterValue(x, pathsToObject(paths));
    },
  },
  {
    name: 'json.remove',
    args: [anyObject, pathsType],
    result: t.any,
    description: 'Removes paths from an object.',
    fn: ([o, p]) => {
      obj('json.remove', o, 1);
      const paths = getJSONPaths('json.remove', p);
      return jsonRemove(o, pathsToObject(paths));
    },
  },
  {
    name: 'json.patch',
    args: [
      t.any,
      t.arrayOf({
        type: 'object',
        static: [
          { key: 'op', value: t.string },
          { key: 'path', value: t.any },
        ],
        dynamic: { key: t.any, value: t.any },
      }),
    ],
    result: t.any,
    description: 'Patches an object according to RFC6902.',
    fn: ([target, patches]) => {
      const ops = arr('json.patch', patches, 2);
      try {
        return applyPatches(target, ops);
      } catch (e) {
        if (e instanceof PatchError) return undefined;
        throw e;
      }
    },
  },
];
