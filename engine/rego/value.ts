// Rego values at run time, with OPA's equality and total ordering.
//
// Representation (chosen for speed: most values are plain JS values):
//   null, boolean, string         → themselves
//   number                        → JS number when exact (every integer within ±2^53, every
//                                   finite double), a JS bigint for integers beyond ±2^53 (never
//                                   for safe integers), or a BigDecimal for decimals that a double
//                                   cannot carry exactly as written (see number.ts)
//   array                         → a readonly JS array of values
//   object                        → ObjectValue (keys are any value)
//   set                           → SetValue
// Values are immutable once built; the `add`/`set` builders are used only while constructing.
//
// OPA's sort order across types: null < boolean < number < string < array < object < set.

import { BigDecimal, compareNumbers } from './number.ts';

export type Value = null | boolean | number | bigint | BigDecimal | string | readonly Value[] | ObjectValue | SetValue;

/** A value usable as a JS Map key with Rego equality semantics. */
export type Key = null | boolean | number | bigint | string;

const COMPOSITE_KEY_PREFIX = '\u0000\u0001k';

export function isNumber(v: Value): v is number | bigint | BigDecimal {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof BigDecimal;
}
export function isArray(v: Value): v is readonly Value[] {
  return Array.isArray(v);
}

export function typeName(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
  }
  if (Array.isArray(v)) return 'array';
  if (v instanceof ObjectValue) return 'object';
  if (v instanceof SetValue) return 'set';
  return 'number'; // BigDecimal
}

/** Map key for a value: primitives are their own key; composites get a canonical string. */
export function keyOf(v: Value): Key {
  if (v === null) return null;
  const t = typeof v;
  if (t === 'string' || t === 'number' || t === 'boolean' || t === 'bigint') return v as Key;
  return COMPOSITE_KEY_PREFIX + canonical(v);
}

/** A canonical text for any value (equal values ⇔ equal texts). */
function canonical(v: Value): string {
  if (v === null) return 'n';
  switch (typeof v) {
    case 'boolean':
      return v ? 't' : 'f';
    case 'number':
      return 'N' + String(v);
    case 'bigint':
      return 'N' + v.toString();
    case 'string':
      return JSON.stringify(v);
  }
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (v instanceof ObjectValue) {
    const parts: string[] = [];
    for (const [k, val] of v.entries()) parts.push(canonical(k) + ':' + canonical(val));
    return '{' + parts.join(',') + '}';
  }
  if (v instanceof SetValue) return 's{' + v.values().map(canonical).join(',') + '}';
  return 'N' + (v as BigDecimal).canonical();
}

function typeRank(v: Value): number {
  if (v === null) return 0;
  switch (typeof v) {
    case 'boolean':
      return 1;
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 3;
  }
  if (Array.isArray(v)) return 4;
  if (v instanceof ObjectValue) return 5;
  if (v instanceof SetValue) return 6;
  return 2;
}

/** Compare strings as Go does (by UTF-8 bytes, i.e. by code point). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (U+D800–U+DFFF) encode code points above U+FFFF, which sort after U+E000–U+FFFF.
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) {
        if (xs) return y >= 0xe000 ? 1 : x < y ? -1 : 1;
        return x >= 0xe000 ? -1 : x < y ? -1 : 1;
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** OPA's total order. */
export function compare(a: Value, b: Value): number {
  if (a === b) return 0;
  const ta = typeof a;
  if (ta === 'string' && typeof b === 'string') return compareStrings(a as string, b);
  if (ta === 'number' && typeof b === 'number') return (a as number) < b ? -1 : (a as number) > b ? 1 : 0;
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return a === b ? 0 : a ? 1 : -1;
    case 2:
      return compareNumbers(a as number | bigint | BigDecimal, b as number | bigint | BigDecimal);
    case 3:
      return compareStrings(a as string, b as string);
    case 4: {
      const x = a as readonly Value[];
      const y = b as readonly Value[];
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compare(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length < 0 ? -1 : x.length > y.length ? 1 : 0;
    }
    case 5: {
      const x = (a as ObjectValue).entries();
      const y = (b as ObjectValue).entries();
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        let c = compare(x[i][0], y[i][0]);
        if (c !== 0) return c;
        c = compare(x[i][1], y[i][1]);
        if (c !== 0) return c;
      }
      return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
    }
    default: {
      const x = (a as SetValue).values();
      const y = (b as SetValue).values();
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compare(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
    }
  }
}

export function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  const ta = typeof a;
  if (ta === 'string' || ta === 'boolean' || a === null || b === null) return false;
  if (ta === 'number' && typeof b === 'number') return false; // a !== b already (NaN never occurs)
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof ObjectValue) {
    if (!(b instanceof ObjectValue) || a.size !== b.size) return false;
    let same = true;
    a.forEach((k, v) => {
      if (!same) return;
      const w = b.get(k);
      if (w === undefined || !equal(v, w)) same = false;
    });
    return same;
  }
  if (a instanceof SetValue) {
    if (!(b instanceof SetValue) || a.size !== b.size) return false;
    for (const k of a.map.keys()) if (!b.map.has(k)) return false;
    return true;
  }
  if (isNumber(a) && isNumber(b)) return compareNumbers(a, b) === 0;
  return false;
}

/**
 * An object. String keys live in a prototype-less record (fast keyed access, compact memory:
 * JSON input is adopted as parsed); other keys (numbers, booleans, null, composites) in a Map
 * keyed by keyOf, holding [key, value].
 */
/**
 * The string-keyed part of an object: an ordinary object whose prototype is empty and has no
 * prototype itself, so no key reads anything inherited ("toString", "__proto__" are plain keys).
 * Unlike Object.create(null), which V8 keeps as a hash table, these get hidden classes: reading a
 * key is a cache hit, not a hash lookup (≈ 14 % of a per-record policy's time).
 */
const RecordProto = function RegoRecord(this: object) {} as unknown as { new (): Record<string, Value>; prototype: object };
RecordProto.prototype = Object.create(null) as object;

/** An empty record for ObjectValue.adopt. */
export function emptyRecord(): Record<string, Value> {
  return new RecordProto();
}

/**
 * The prototype of every record (see RecordProto), for constructors of records of a fixed shape
 * (`function R(a, b) { this.a = a; this.b = b; }` with `R.prototype = RECORD_PROTOTYPE`): their
 * keys are then in-object properties, set in one allocation, instead of a property array that
 * grows as keys are added to an empty record.
 */
export const RECORD_PROTOTYPE: object = RecordProto.prototype;

export class ObjectValue {
  // `s` is read by name in the code eval/codegen.ts generates (specializedRef): keep the name.
  private s: Record<string, Value>;
  private o: Map<Key, [Value, Value]> | undefined;
  /** Number of string keys; -1 until counted (adopted records). */
  private ns: number;
  private sorted: [Value, Value][] | undefined;
  private view: ObjectMapView | undefined;

  constructor() {
    this.s = new RecordProto();
    this.o = undefined;
    this.ns = 0;
  }

  static from(entries: Iterable<readonly [Value, Value]>): ObjectValue {
    const o = new ObjectValue();
    for (const [k, v] of entries) o.set(k, v);
    return o;
  }

  /** Builds from a plain JS record of string keys (values already Rego values); copies it. */
  static fromRecord(rec: Record<string, Value>): ObjectValue {
    const o = new ObjectValue();
    for (const k of Object.keys(rec)) o.set(k, rec[k]);
    return o;
  }

  /**
   * Takes ownership of a prototype-less record whose values are already Rego values (no copy).
   * The caller must not modify the record afterwards. `size`: its number of keys, when the caller
   * knows it (else counted when first asked for, with for…in, which allocates).
   */
  static adopt(rec: Record<string, Value>, size = -1): ObjectValue {
    const o = new ObjectValue();
    o.s = rec;
    o.ns = size;
    return o;
  }

  get size(): number {
    if (this.ns < 0) {
      let n = 0;
      for (const _ in this.s) n++;
      this.ns = n;
    }
    return this.ns + (this.o === undefined ? 0 : this.o.size);
  }

  get(k: Value): Value | undefined {
    if (typeof k === 'string') return this.s[k];
    if (this.o === undefined) return undefined;
    const e = this.o.get(keyOf(k));
    return e === undefined ? undefined : e[1];
  }

  /** Lookup by string key (the hot path of references). */
  getStr(k: string): Value | undefined {
    return this.s[k];
  }

  has(k: Value): boolean {
    return this.get(k) !== undefined;
  }

  /** Builder: sets k → v (only while constructing). */
  set(k: Value, v: Value): this {
    if (typeof k === 'string') {
      if (this.ns >= 0 && this.s[k] === undefined) this.ns++;
      this.s[k] = v;
    } else {
      (this.o ??= new Map()).set(keyOf(k), [k, v]);
    }
    this.sorted = undefined;
    return this;
  }

  /** Visits every entry in no particular order (cheaper than entries()). */
  forEach(fn: (k: Value, v: Value) => void): void {
    const s = this.s;
    for (const k in s) fn(k, s[k]);
    if (this.o !== undefined) for (const [k, v] of this.o.values()) fn(k, v);
  }

  /** The key value for a map key (see `map`). */
  keyValue(key: Key): Value {
    if (typeof key === 'string' && this.o !== undefined) {
      const e = this.o.get(key);
      if (e !== undefined) return e[0];
    }
    return key;
  }

  /** Entries in OPA's key order (cached). */
  entries(): [Value, Value][] {
    if (this.sorted === undefined) {
      const out: [Value, Value][] = [];
      const s = this.s;
      const ks = Object.keys(s);
      ks.sort(compareStrings);
      if (this.o === undefined) {
        for (const k of ks) out.push([k, s[k]]);
      } else {
        for (const k of ks) out.push([k, s[k]]);
        for (const e of this.o.values()) out.push([e[0], e[1]]);
        out.sort((a, b) => compare(a[0], b[0]));
      }
      this.sorted = out;
    }
    return this.sorted;
  }

  keys(): Value[] {
    return this.entries().map((e) => e[0]);
  }

  /**
   * A Map-like view keyed by keyOf(key) (string keys are themselves), for code that works on
   * map keys. Writes through `set` are for construction only.
   */
  get map(): ObjectMapView {
    return (this.view ??= new ObjectMapView(this, () => this.s, () => this.o));
  }

  /** Used by the map view. */
  setByKey(mk: Key, v: Value): void {
    if (typeof mk === 'string' && !mk.startsWith(COMPOSITE_KEY_PREFIX)) this.set(mk, v);
    else this.set(this.keyValue(mk), v);
  }
}

/** Map-like access to an ObjectValue by map key. */
export class ObjectMapView {
  constructor(
    private readonly obj: ObjectValue,
    private readonly str: () => Record<string, Value>,
    private readonly other: () => Map<Key, [Value, Value]> | undefined,
  ) {}
  get size(): number {
    return this.obj.size;
  }
  get(mk: Key): Value | undefined {
    if (typeof mk === 'string') {
      const v = this.str()[mk];
      if (v !== undefined) return v;
    }
    return this.other()?.get(mk)?.[1];
  }
  has(mk: Key): boolean {
    return this.get(mk) !== undefined;
  }
  set(mk: Key, v: Value): this {
    this.obj.setByKey(mk, v);
    return this;
  }
  *entries(): IterableIterator<[Key, Value]> {
    const s = this.str();
    for (const k in s) yield [k, s[k]];
    const o = this.other();
    if (o) for (const [mk, e] of o) yield [mk, e[1]];
  }
  *keys(): IterableIterator<Key> {
    for (const [k] of this.entries()) yield k;
  }
  *values(): IterableIterator<Value> {
    for (const [, v] of this.entries()) yield v;
  }
  [Symbol.iterator](): IterableIterator<[Key, Value]> {
    return this.entries();
  }
}

export class SetValue {
  /** key → element value. */
  readonly map: Map<Key, Value>;
  private sorted: Value[] | undefined;

  constructor() {
    this.map = new Map();
  }

  static from(values: Iterable<Value>): SetValue {
    const s = new SetValue();
    for (const v of values) s.add(v);
    return s;
  }

  get size(): number {
    return this.map.size;
  }

  has(v: Value): boolean {
    return this.map.has(keyOf(v));
  }

  /** Builder: adds v (only while constructing). Returns false if already present. */
  add(v: Value): boolean {
    const k = keyOf(v);
    if (this.map.has(k)) return false;
    this.map.set(k, v);
    this.sorted = undefined;
    return true;
  }

  /** Elements in OPA's order (cached). */
  values(): Value[] {
    if (this.sorted === undefined) {
      const out = Array.from(this.map.values());
      out.sort(compare);
      this.sorted = out;
    }
    return this.sorted;
  }
}

export const EMPTY_OBJECT: ObjectValue = new ObjectValue();
export const EMPTY_SET: SetValue = new SetValue();
