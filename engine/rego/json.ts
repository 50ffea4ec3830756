// JSON and YAML in and out of Rego values, as OPA does it.
//
//  - parseJSON: exact numbers (never loses a digit), fast path through JSON.parse for ordinary
//    documents, iterative (no stack overflow on deep nesting), errors with line and column.
//  - toJSONText: Go encoding/json output of OPA's ast.JSON(value): object keys sorted (as Go sorts
//    map keys, by bytes), non-string keys serialised as their JSON text, sets as sorted arrays,
//    numbers printed exactly.
//  - fromJS / toJS: plain JS ↔ Rego values.
//  - parseYAML: what OPA's loader does for .yaml (sigs.k8s.io/yaml → JSON): YAML 1.1 scalars.

import { parseDocument, type YAMLError } from 'yaml';
import { BigDecimal, normalizeNumber, numberToString, parseNumber, type RegoNumber } from './number.ts';
import { compareStrings, ObjectValue, SetValue, type Value } from './value.ts';

/** A JSON/YAML syntax or conversion error, with the position where it was found (1-based). */
export class DataParseError extends Error {
  readonly file: string | undefined;
  readonly line: number;
  readonly col: number;
  /** The message without the file/position prefix. */
  readonly reason: string;
  constructor(reason: string, line: number, col: number, file?: string, message?: string) {
    super(message ?? `${file ? file + ':' : ''}${line}:${col}: ${reason}`);
    this.name = 'DataParseError';
    this.file = file;
    this.line = line;
    this.col = col;
    this.reason = reason;
  }
}

// ---------------------------------------------------------------------------------------------
// parseJSON

/** A run of 16+ digits (with dots): a number literal may need more than a double. */
const LONG_NUMBER_RE = /\d[\d.]{15,}/;
/** A negative exponent of 3+ digits: JSON.parse may underflow it to 0. */
const TINY_NUMBER_RE = /[eE]-\d{3}/;

/** Parses JSON text to a Rego value. Throws DataParseError on bad input. */
export function parseJSON(text: string, file?: string): Value {
  if (!LONG_NUMBER_RE.test(text) && !TINY_NUMBER_RE.test(text)) {
    let raw: unknown;
    let ok = true;
    try {
      raw = JSON.parse(text);
    } catch {
      ok = false;
    }
    if (ok) {
      const v = convertParsed(raw);
      if (v !== FALLBACK) return v;
    }
  }
  return new JsonParser(text, file).parse();
}

const FALLBACK = Symbol('fallback');

function convertNumber(x: number): RegoNumber | typeof FALLBACK {
  if (Number.isSafeInteger(x)) return x;
  if (!Number.isFinite(x)) return FALLBACK;
  if (Number.isInteger(x)) return normalizeNumber(x); // ≤ 15 significant digits: String(x) is the literal's value
  const a = Math.abs(x);
  if (a < 1e-300) return FALLBACK; // subnormal range: the double may not carry the literal
  return x;
}

/**
 * Converts a JSON.parse result in place (it is fresh): arrays are reused, and objects are
 * adopted as prototype-less records wrapped in ObjectValue (no copy). Iterative.
 */
function convertParsed(root: unknown): Value | typeof FALLBACK {
  const stack: unknown[] = [];
  const conv = (x: unknown): Value | typeof FALLBACK => {
    switch (typeof x) {
      case 'string':
      case 'boolean':
        return x;
      case 'number':
        return convertNumber(x);
      case 'object':
        if (x === null) return null;
        if (Array.isArray(x)) {
          stack.push(x);
          return x as Value[];
        } else {
          Object.setPrototypeOf(x, null);
          stack.push(x, OBJECT_MARK);
          return ObjectValue.adopt(x as Record<string, Value>);
        }
    }
    throw new Error('unexpected JSON value');
  };
  const top = conv(root);
  if (top === FALLBACK) return FALLBACK;
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === OBJECT_MARK) {
      const src = stack.pop() as Record<string, unknown>;
      for (const k in src) {
        const x = src[k];
        if (typeof x === 'string' || typeof x === 'boolean' || x === null) continue;
        const v = conv(x);
        if (v === FALLBACK) return FALLBACK;
        src[k] = v;
      }
    } else {
      const arr = item as unknown[];
      for (let i = 0; i < arr.length; i++) {
        const x = arr[i];
        if (typeof x === 'string' || typeof x === 'boolean' || x === null) continue;
        const v = conv(x);
        if (v === FALLBACK) return FALLBACK;
        arr[i] = v;
      }
    }
  }
  return top;
}

const OBJECT_MARK = Symbol('object');

/** Exact, iterative JSON parser (used when the fast path cannot be exact, and for errors). */
class JsonParser {
  private pos = 0;
  constructor(
    private readonly s: string,
    private readonly file?: string,
  ) {}

  private fail(msg: string, at = this.pos): never {
    if (msg.startsWith('unexpected end of JSON input')) msg = 'unexpected end of JSON input';
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.s.length; i++) {
      if (this.s.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new DataParseError(msg, line, at - lineStart + 1, this.file);
  }

  private ws(): void {
    const s = this.s;
    let p = this.pos;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9) p++;
      else break;
    }
    this.pos = p;
  }

  private describe(): string {
    if (this.pos >= this.s.length) return 'unexpected end of JSON input';
    const ch = this.s[this.pos];
    const shown = ch === "'" ? "'\\''" : ch < ' ' ? JSON.stringify(ch).slice(1, -1) : ch;
    return `invalid character '${shown}'`;
  }

  parse(): Value {
    if (this.s.charCodeAt(0) === 0xfeff) this.pos = 1;
    type Frame = { arr: Value[] } | { obj: ObjectValue; key: string };
    const stack: Frame[] = [];
    // State machine: parse a value, then attach it to the enclosing frame.
    for (;;) {
      this.ws();
      let v: Value;
      const c = this.s.charCodeAt(this.pos);
      if (c === 123 /* { */) {
        this.pos++;
        this.ws();
        const obj = new ObjectValue();
        if (this.s.charCodeAt(this.pos) === 125) {
          this.pos++;
          v = obj;
        } else {
          const key = this.key();
          stack.push({ obj, key });
          continue;
        }
      } else if (c === 91 /* [ */) {
        this.pos++;
        this.ws();
        const arr: Value[] = [];
        if (this.s.charCodeAt(this.pos) === 93) {
          this.pos++;
          v = arr;
        } else {
          stack.push({ arr });
          continue;
        }
      } else if (c === 34 /* " */) {
        v = this.string();
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        v = this.number();
      } else if (this.s.startsWith('true', this.pos)) {
        this.pos += 4;
        v = true;
      } else if (this.s.startsWith('false', this.pos)) {
        this.pos += 5;
        v = false;
      } else if (this.s.startsWith('null', this.pos)) {
        this.pos += 4;
        v = null;
      } else {
        this.fail(`${this.describe()} looking for beginning of value`);
      }
      // Attach v; close finished containers.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) {
          this.ws();
          if (this.pos < this.s.length) this.fail(`${this.describe()} after top-level value`);
          return v;
        }
        this.ws();
        const ch = this.s.charCodeAt(this.pos);
        if ('arr' in top) {
          top.arr.push(v);
          if (ch === 44) {
            this.pos++;
            break;
          }
          if (ch === 93) {
            this.pos++;
            stack.pop();
            v = top.arr;
            continue;
          }
          this.fail(`${this.describe()} after array element`);
        } else {
          top.obj.map.set(top.key, v);
          if (ch === 44) {
            this.pos++;
            this.ws();
            top.key = this.key();
            break;
          }
          if (ch === 125) {
            this.pos++;
            stack.pop();
            v = top.obj;
            continue;
          }
          this.fail(`${this.describe()} after object key:value pair`);
        }
      }
    }
  }

  private key(): string {
    if (this.s.charCodeAt(this.pos) !== 34) this.fail(`${this.describe()} looking for beginning of object key string`);
    const k = this.string();
    this.ws();
    if (this.s.charCodeAt(this.pos) !== 58) this.fail(`${this.describe()} after object key`);
    this.pos++;
    return k;
  }

  private string(): string {
    const s = this.s;
    const start = ++this.pos;
    let p = start;
    // Fast scan for a plain string.
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 34) {
        this.pos = p + 1;
        return s.slice(start, p);
      }
      if (c === 92 || c < 32 || Number.isNaN(c)) break;
      p++;
    }
    let out = s.slice(start, p);
    for (;;) {
      const c = s.charCodeAt(p);
      if (Number.isNaN(c)) this.fail('unexpected end of JSON input', p);
      if (c === 34) {
        this.pos = p + 1;
        return out;
      }
      if (c < 32) this.fail('invalid character in string literal', p);
      if (c !== 92) {
        out += s[p++];
        continue;
      }
      const e = s[p + 1];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          p += 2;
          break;
        case 'b':
          out += '\b';
          p += 2;
          break;
        case 'f':
          out += '\f';
          p += 2;
          break;
        case 'n':
          out += '\n';
          p += 2;
          break;
        case 'r':
          out += '\r';
          p += 2;
          break;
        case 't':
          out += '\t';
          p += 2;
          break;
        case 'u': {
          const h = s.slice(p + 2, p + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail('invalid character in \\u hexadecimal character escape', p);
          out += String.fromCharCode(parseInt(h, 16));
          p += 6;
          break;
        }
        default:
          this.fail('invalid character in string escape code', p);
      }
    }
  }

  private number(): RegoNumber {
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.pos;
    const r = m.exec(this.s);
    if (r === null || r[0] === '-') this.fail(`${this.describe()} in numeric literal`);
    const text = r[0];
    const after = this.s.charCodeAt(this.pos + text.length);
    if (after === 46 || after === 101 || after === 69 || (after >= 48 && after <= 57)) {
      this.fail('invalid character in numeric literal', this.pos + text.length);
    }
    this.pos += text.length;
    return parseNumber(text);
  }
}

// ---------------------------------------------------------------------------------------------
// toJSONText

export interface JSONTextOptions {
  /** Go json.MarshalIndent's prefix (not written before the first line, as in Go). */
  prefix?: string;
  /** Escape <, >, & as \u003c, \u003e, \u0026 (Go's json.Marshal default; `opa eval` output does not). */
  escapeHTML?: boolean;
}

const NEEDS_FIX_RE = /[\u2028\u2029\ud800-\udfff]/;
const HTML_RE = /[<>&]/;
const LONE_SURROGATE_RE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A string as Go's encoding/json writes it. */
const PLAIN_JSON_RE = /^[^"\\\x00-\x1f\u2028\u2029\ud800-\udfff<>&]*$/;

export function jsonString(s: string, escapeHTML = false): string {
  if (PLAIN_JSON_RE.test(s)) return '"' + s + '"';
  if (NEEDS_FIX_RE.test(s)) {
    // Go writes U+FFFD for invalid UTF-8 (a lone surrogate here) and escapes U+2028/U+2029.
    s = s.replace(LONE_SURROGATE_RE, '\ufffd');
  }
  let out = JSON.stringify(s);
  if (out.includes('\u2028') || out.includes('\u2029')) out = out.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  if (escapeHTML && HTML_RE.test(out)) {
    out = out.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  }
  return out;
}

/** The string form OPA gives an object key when converting to JSON. */
function jsonKey(k: Value): string {
  if (typeof k === 'string') return k;
  return toJSONText(k, undefined, { escapeHTML: true });
}

const HIGH_RE = /[\ud800-\uffff]/;

/** [key text, value] pairs of an object in Go's JSON order (later duplicates win, as in a Go map). */
function jsonEntries(o: ObjectValue): [string, Value][] {
  const keys: string[] = [];
  let allStrings = true;
  for (const k of o.map.keys()) {
    if (typeof k !== 'string' || o.keyValue(k) !== k) {
      allStrings = false;
      break;
    }
    keys.push(k);
  }
  if (allStrings) {
    sortKeys(keys);
    const out: [string, Value][] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = [keys[i], o.map.get(keys[i])!];
    return out;
  }
  const m = new Map<string, Value>();
  for (const [k, v] of o.entries()) m.set(jsonKey(k), v);
  const out = Array.from(m.entries());
  out.sort((a, b) => compareStrings(a[0], b[0]));
  return out;
}

/** Sorts strings by UTF-8 bytes (= code points), as Go sorts map keys. */
function sortKeys(keys: string[]): void {
  let high = false;
  for (const k of keys) {
    if (HIGH_RE.test(k)) {
      high = true;
      break;
    }
  }
  if (high) keys.sort(compareStrings);
  else keys.sort();
}

function scalarJSON(v: Value, escapeHTML: boolean): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return jsonString(v, escapeHTML);
    case 'number':
    case 'bigint':
      return numberToString(v);
  }
  if (v instanceof BigDecimal) return v.toString();
  return undefined;
}

/** Nesting depth handled by plain recursion; deeper subtrees go to the iterative writer. */
const RECURSION_LIMIT = 400;

/** Appends small pieces; flattens every few KB so the result is not one huge rope. */
class TextSink {
  private buf = '';
  private readonly chunks: string[] = [];
  w(s: string): void {
    this.buf += s;
    if (this.buf.length > 16384) {
      this.buf.charCodeAt(0); // flattens the cons-string
      this.chunks.push(this.buf);
      this.buf = '';
    }
  }
  done(): string {
    if (this.chunks.length === 0) return this.buf;
    this.chunks.push(this.buf);
    return this.chunks.join('');
  }
}

/**
 * OPA's JSON text for a value: compact (Go json.Marshal) without `indent`, or indented as
 * json.MarshalIndent(v, prefix, indent) with it (a number means that many spaces).
 */
export function toJSONText(v: Value, indent?: number | string, opts: JSONTextOptions = {}): string {
  const escapeHTML = opts.escapeHTML ?? false;
  const ind = typeof indent === 'number' ? ' '.repeat(indent) : indent;
  const pretty = ind !== undefined;
  const prefix = opts.prefix ?? '';
  const s0 = scalarJSON(v, escapeHTML);
  if (s0 !== undefined) return s0;
  const nls: string[] = [];
  const nl = (depth: number): string => {
    if (!pretty) return '';
    let s = nls[depth];
    if (s === undefined) nls[depth] = s = '\n' + prefix + ind!.repeat(depth);
    return s;
  };
  const colon = pretty ? ': ' : ':';
  const out = new TextSink();

  const rec = (x: Value, depth: number): void => {
    const s = scalarJSON(x, escapeHTML);
    if (s !== undefined) {
      out.w(s);
      return;
    }
    if (depth > RECURSION_LIMIT) {
      iter(x, depth);
      return;
    }
    if (Array.isArray(x) || x instanceof SetValue) {
      const items = Array.isArray(x) ? (x as Value[]) : x.values();
      if (items.length === 0) {
        out.w('[]');
        return;
      }
      const inner = nl(depth + 1);
      out.w('[');
      for (let i = 0; i < items.length; i++) {
        out.w(i > 0 ? ',' + inner : inner);
        rec(items[i], depth + 1);
      }
      out.w(nl(depth) + ']');
      return;
    }
    const entries = jsonEntries(x as ObjectValue);
    if (entries.length === 0) {
      out.w('{}');
      return;
    }
    const inner = nl(depth + 1);
    out.w('{');
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      out.w((i > 0 ? ',' : '') + inner + jsonString(e[0], escapeHTML) + colon);
      rec(e[1], depth + 1);
    }
    out.w(nl(depth) + '}');
  };

  const iter = (root: Value, base: number): void => {
    interface Frame {
      items: Value[] | [string, Value][];
      obj: boolean;
      i: number;
    }
    const stack: Frame[] = [];
    const open = (x: Value): void => {
      if (Array.isArray(x) || x instanceof SetValue) {
        const items = Array.isArray(x) ? (x as Value[]) : x.values();
        if (items.length === 0) out.w('[]');
        else {
          out.w('[');
          stack.push({ items, obj: false, i: 0 });
        }
      } else {
        const items = jsonEntries(x as ObjectValue);
        if (items.length === 0) out.w('{}');
        else {
          out.w('{');
          stack.push({ items, obj: true, i: 0 });
        }
      }
    };
    open(root);
    while (stack.length > 0) {
      const f = stack[stack.length - 1];
      const depth = base + stack.length;
      if (f.i === f.items.length) {
        stack.pop();
        out.w(nl(depth - 1) + (f.obj ? '}' : ']'));
        continue;
      }
      const sep = f.i > 0 ? ',' : '';
      const item = f.items[f.i++];
      let val: Value;
      if (f.obj) {
        const [k, x] = item as [string, Value];
        out.w(sep + nl(depth) + jsonString(k, escapeHTML) + colon);
        val = x;
      } else {
        out.w(sep + nl(depth));
        val = item as Value;
      }
      const s = scalarJSON(val, escapeHTML);
      if (s !== undefined) out.w(s);
      else open(val);
    }
  };

  rec(v, 0);
  return out.done();
}

// ---------------------------------------------------------------------------------------------
// fromJS / toJS

/**
 * A Rego value from plain JS data: objects (string keys), arrays, Map (any keys), Set, numbers
 * (finite), bigint, strings, booleans, null; Rego values pass through. `undefined`, functions,
 * NaN/Infinity are rejected. Dates become RFC 3339 strings.
 */
export function fromJS(x: unknown): Value {
  const stack: [unknown, Value][] = [];
  const conv = (y: unknown): Value => {
    switch (typeof y) {
      case 'string':
      case 'boolean':
        return y;
      case 'number':
        if (!Number.isFinite(y)) throw new TypeError(`cannot convert ${y} to a Rego number`);
        return normalizeNumber(y);
      case 'bigint':
        return normalizeNumber(y);
      case 'object': {
        if (y === null) return null;
        if (y instanceof ObjectValue || y instanceof SetValue || y instanceof BigDecimal) return y;
        if (Array.isArray(y)) {
          const out: Value[] = new Array(y.length);
          stack.push([y, out]);
          return out;
        }
        if (y instanceof Date) return y.toISOString();
        if (y instanceof Set) {
          const out = new SetValue();
          stack.push([y, out]);
          return out;
        }
        const out = new ObjectValue();
        stack.push([y, out]);
        return out;
      }
    }
    throw new TypeError(`cannot convert ${typeof y} to a Rego value`);
  };
  const top = conv(x);
  while (stack.length > 0) {
    const [src, dst] = stack.pop()!;
    if (Array.isArray(src)) {
      const out = dst as Value[];
      for (let i = 0; i < src.length; i++) out[i] = conv(src[i]);
    } else if (src instanceof Set) {
      // Elements must be complete before they are hashed: convert them first (recursively via fromJS).
      for (const e of src) (dst as SetValue).add(isPlainScalar(e) ? conv(e) : fromJS(e));
    } else if (src instanceof Map) {
      for (const [k, v] of src) (dst as ObjectValue).set(isPlainScalar(k) ? conv(k) : fromJS(k), conv(v));
    } else {
      const o = dst as ObjectValue;
      const rec = src as Record<string, unknown>;
      for (const k of Object.keys(rec)) {
        if (rec[k] === undefined) continue;
        o.map.set(k, conv(rec[k]));
      }
    }
  }
  return top;
}

function isPlainScalar(x: unknown): boolean {
  return x === null || typeof x !== 'object';
}

export interface ToJSOptions {
  /** How to give numbers that a double cannot hold exactly: 'number' (nearest double, default) or 'bigint' (integers as bigint). */
  bigNumbers?: 'number' | 'bigint';
}

/** Plain JS data for a value (objects with OPA's JSON key text for non-string keys; sets as sorted arrays). */
export function toJS(v: Value, opts: ToJSOptions = {}): unknown {
  const conv = (x: Value): unknown => {
    if (x === null || typeof x === 'string' || typeof x === 'boolean') return x;
    if (typeof x === 'number') return x;
    if (typeof x === 'bigint') return opts.bigNumbers === 'bigint' ? x : Number(x);
    if (x instanceof BigDecimal) return x.toNumber();
    return undefined;
  };
  const stack: [Value, unknown][] = [];
  const step = (x: Value): unknown => {
    const s = conv(x);
    if (s !== undefined || x === null) return s;
    if (Array.isArray(x) || x instanceof SetValue) {
      const out: unknown[] = [];
      stack.push([x, out]);
      return out;
    }
    const out: Record<string, unknown> = {};
    stack.push([x, out]);
    return out;
  };
  const top = step(v);
  while (stack.length > 0) {
    const [src, dst] = stack.pop()!;
    if (Array.isArray(src)) for (const e of src) (dst as unknown[]).push(step(e));
    else if (src instanceof SetValue) for (const e of src.values()) (dst as unknown[]).push(step(e));
    else {
      const o = dst as Record<string, unknown>;
      for (const [k, x] of jsonEntries(src as ObjectValue)) {
        Object.defineProperty(o, k, { value: step(x), enumerable: true, writable: true, configurable: true });
      }
    }
  }
  return top;
}

// ---------------------------------------------------------------------------------------------
// parseYAML

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

function yamlError(e: YAMLError, file?: string): DataParseError {
  const line = e.linePos?.[0]?.line ?? 1;
  const col = e.linePos?.[0]?.col ?? 1;
  let reason = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (/^Flow sequence\b.*\]$/.test(reason)) reason = "did not find expected ',' or ']'";
  else if (/^Flow map\b.*\}$/.test(reason)) reason = "did not find expected ',' or '}'";
  const msg = `yaml: line ${line}: ${reason}`;
  return new DataParseError(msg, line, col, file, file ? `${file}: ${msg}` : msg);
}

/** YAML → Rego value as OPA's loader sees it (YAML 1.1 scalars, converted through JSON). */
export function parseYAML(text: string, file?: string): Value {
  const doc = parseDocument(text, {
    version: '1.1',
    intAsBigInt: true,
    merge: true,
    uniqueKeys: false,
    prettyErrors: true,
    // go-yaml keeps timestamps as strings when decoding into interface{}.
    customTags: (tags) => tags.filter((t) => (typeof t === 'string' ? t : t.tag) !== 'tag:yaml.org,2002:timestamp'),
  });
  if (doc.errors.length > 0) throw yamlError(doc.errors[0], file);
  let js: unknown;
  try {
    js = doc.toJS({ mapAsMap: true, maxAliasCount: 10_000 });
  } catch (e) {
    throw new DataParseError(`yaml: ${(e as Error).message}`, 1, 1, file);
  }
  if (js === undefined) return null;
  return yamlToValue(js, file);
}

function yamlScalar(x: unknown, file?: string): Value {
  if (typeof x === 'bigint') {
    // go-yaml decodes integers beyond int64/uint64 as float64.
    if (x < INT64_MIN || x > UINT64_MAX) return normalizeNumber(Number(x));
    return normalizeNumber(x);
  }
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) {
      throw new DataParseError(`json: unsupported value: ${x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN'}`, 1, 1, file);
    }
    return normalizeNumber(x);
  }
  if (x instanceof Uint8Array) return Buffer.from(x).toString('latin1');
  return x as Value;
}

function yamlKey(k: unknown, file?: string): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'boolean') return k ? 'true' : 'false';
  if (typeof k === 'bigint') return k.toString();
  if (typeof k === 'number') {
    if (Number.isNaN(k)) return '.nan';
    if (k === Infinity) return '.inf';
    if (k === -Infinity) return '-.inf';
    return String(k);
  }
  throw new DataParseError(`error converting YAML to JSON: unsupported map key: ${String(k)}`, 1, 1, file);
}

function yamlToValue(root: unknown, file?: string): Value {
  const stack: [unknown, Value][] = [];
  const step = (x: unknown): Value => {
    if (x === null || x === undefined) return null;
    if (typeof x !== 'object' || x instanceof Uint8Array) return yamlScalar(x, file);
    if (Array.isArray(x)) {
      const out: Value[] = [];
      stack.push([x, out]);
      return out;
    }
    const out = new ObjectValue();
    stack.push([x, out]);
    return out;
  };
  const top = step(root);
  while (stack.length > 0) {
    const [src, dst] = stack.pop()!;
    if (Array.isArray(src)) for (const e of src) (dst as Value[]).push(step(e));
    else if (src instanceof Map) for (const [k, v] of src) (dst as ObjectValue).map.set(yamlKey(k, file), step(v));
    else if (src instanceof Set) for (const k of src) (dst as ObjectValue).map.set(yamlKey(k, file), null);
    else {
      const rec = src as Record<string, unknown>;
      for (const k of Object.keys(rec)) (dst as ObjectValue).map.set(k, step(rec[k]));
    }
  }
  return top;
}
