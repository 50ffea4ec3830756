// Encoding built-ins (json.*, base64*, hex.*, urlquery.*, yaml.*), after OPA's v1/topdown/encoding.go.

import { Document } from 'yaml';
import { goQuote, formatValue } from '../format.ts';
import { DataParseError, parseJSON, parseYAML, toJSONText } from '../json.ts';
import { BigDecimal } from '../number.ts';
import { compareStrings, ObjectValue, SetValue, type Value } from '../value.ts';
import { builtinError, operandTypeError, t, typeError, type Builtin } from './registry.ts';

function str(name: string, v: Value, pos: number): string {
  if (typeof v !== 'string') throw operandTypeError(name, pos, v, 'string');
  return v;
}

/** Bytes as a Rego string (OPA keeps raw bytes; invalid UTF-8 becomes U+FFFD here). */
function bytesToString(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
}

// ---- JSON ----

function marshal(v: Value): string {
  return toJSONText(v, undefined, { escapeHTML: true });
}

function marshalWithOptions(v: Value, opts: Value): string {
  const name = 'json.marshal_with_options';
  if (!(opts instanceof ObjectValue)) throw operandTypeError(name, 2, opts, 'object');
  let indent = '\t';
  let prefix = '';
  let implicitPretty = false;
  let explicitSet = false;
  let pretty = false;
  const entries = opts.entries();
  for (let idx = 0; idx < entries.length; idx++) {
    const [k, val] = entries[idx];
    if (typeof k !== 'string') {
      throw typeError(name, `operand 2 failed to stringify key ${formatValue(k)} at index ${idx}: operand ${idx} must be string but got ${typeNameOf(k)}`);
    }
    switch (k) {
      case 'prefix':
        if (typeof val !== 'string') throw typeError(name, `operand 2 key ${goQuote(k)} failed cast to string: operand ${idx} must be string but got ${typeNameOf(val)}`);
        prefix = val;
        implicitPretty = true;
        break;
      case 'indent':
        if (typeof val !== 'string') throw typeError(name, `operand 2 key ${goQuote(k)} failed cast to string: operand ${idx} must be string but got ${typeNameOf(val)}`);
        indent = val;
        implicitPretty = true;
        break;
      case 'pretty':
        explicitSet = true;
        if (typeof val !== 'boolean') throw typeError(name, `operand 2 key ${goQuote(k)} failed cast to bool`);
        pretty = val;
        break;
      default:
        throw typeError(name, `operand 2 object contained unknown key ${goQuote(k)}`);
    }
  }
  if (!explicitSet) pretty = implicitPretty;
  if (pretty) return prefix + toJSONText(v, indent, { prefix, escapeHTML: true });
  return marshal(v);
}

function typeNameOf(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof BigDecimal) return 'number';
  if (Array.isArray(v)) return 'array';
  if (v instanceof ObjectValue) return 'object';
  return 'set';
}

function parseErrorMessage(e: unknown): string {
  if (e instanceof DataParseError) return e.reason;
  return (e as Error).message;
}

// ---- base64 / hex ----

const STD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Go's base64.Encoding.DecodeString with padding (non-strict: \r and \n are ignored). */
/** Adds the padding an unpadded base64url text lacks (as OPA does); undefined when its length is impossible. */
export function padBase64URL(s: string): string | undefined {
  if (s.endsWith('=')) return s;
  switch (Buffer.byteLength(s, 'utf8') % 4) {
    case 0:
      return s;
    case 2:
      return s + '==';
    case 3:
      return s + '=';
    default:
      return undefined;
  }
}

export function base64Decode(s: string, alphabet: string): Uint8Array {
  const bytes = Buffer.from(s, 'utf8');
  const out: number[] = [];
  let quantum: number[] = [];
  let pad = 0;
  let i = 0;
  const corrupt = (at: number): Error => new Error(`illegal base64 data at input byte ${at}`);
  for (; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 10 || c === 13) continue;
    if (pad > 0) {
      if (c !== 61) throw corrupt(i);
      pad++;
      if (quantum.length + pad > 4) throw corrupt(i);
      continue;
    }
    if (c === 61) {
      if (quantum.length < 2) throw corrupt(i);
      pad = 1;
      continue;
    }
    const v = alphabet.indexOf(String.fromCharCode(c));
    if (v < 0 || c > 127) throw corrupt(i);
    quantum.push(v);
    if (quantum.length === 4) {
      out.push((quantum[0] << 2) | (quantum[1] >> 4), ((quantum[1] & 15) << 4) | (quantum[2] >> 2), ((quantum[2] & 3) << 6) | quantum[3]);
      quantum = [];
    }
  }
  if (pad > 0) {
    if (quantum.length + pad !== 4) throw corrupt(bytes.length);
  } else if (quantum.length !== 0) {
    throw corrupt(bytes.length - quantum.length);
  }
  if (quantum.length >= 2) out.push((quantum[0] << 2) | (quantum[1] >> 4));
  if (quantum.length >= 3) out.push(((quantum[1] & 15) << 4) | (quantum[2] >> 2));
  return Uint8Array.from(out);
}

function hexDecode(s: string): Uint8Array {
  const src = Buffer.from(s, 'utf8');
  const val = (c: number): number => {
    if (c >= 48 && c <= 57) return c - 48;
    if (c >= 97 && c <= 102) return c - 87;
    if (c >= 65 && c <= 70) return c - 55;
    return -1;
  };
  const invalid = (c: number): Error => {
    const ch = String.fromCharCode(c);
    const printable = c >= 0x20 && c !== 0x7f && !(c >= 0x80 && c < 0xa0);
    return new Error(`encoding/hex: invalid byte: U+${c.toString(16).toUpperCase().padStart(4, '0')}${printable ? ` '${ch}'` : ''}`);
  };
  const out = new Uint8Array(src.length >> 1);
  let j = 1;
  for (; j < src.length; j += 2) {
    const a = val(src[j - 1]);
    const b = val(src[j]);
    if (a < 0) throw invalid(src[j - 1]);
    if (b < 0) throw invalid(src[j]);
    out[j >> 1] = (a << 4) | b;
  }
  if (src.length % 2 === 1) {
    if (val(src[j - 1]) < 0) throw invalid(src[j - 1]);
    throw new Error('encoding/hex: odd length hex string');
  }
  return out;
}

// ---- URL query ----

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (b < 128 && UNRESERVED.test(c)) out += c;
    else if (b === 32) out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** Go's url.QueryUnescape. */
export function queryUnescape(s: string): string {
  const src = Buffer.from(s, 'utf8');
  const out: number[] = [];
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === 37) {
      if (i + 2 >= src.length || !isHex(src[i + 1]) || !isHex(src[i + 2])) {
        let rest = src.subarray(i);
        if (rest.length > 3) rest = rest.subarray(0, 3);
        throw new Error(`invalid URL escape ${goQuote(rest.toString('utf8'))}`);
      }
      out.push(parseInt(String.fromCharCode(src[i + 1], src[i + 2]), 16));
      i += 2;
    } else if (c === 43) out.push(32);
    else out.push(c);
  }
  return bytesToString(Uint8Array.from(out));
}

function encodeObject(v: Value): string {
  const name = 'urlquery.encode_object';
  if (!(v instanceof ObjectValue)) throw operandTypeError(name, 1, v, 'object');
  const err = (): Error => typeError(name, 'operand 1 values must be string, array[string], or set[string]');
  const params = new Map<string, string[]>();
  for (const [k, val] of v.entries()) {
    const key = typeof k === 'string' ? k : toJSONText(k, undefined, { escapeHTML: true });
    if (typeof val === 'string') params.set(key, [val]);
    else if (Array.isArray(val) || val instanceof SetValue) {
      const items = Array.isArray(val) ? (val as Value[]) : val.values();
      const list = params.get(key) ?? [];
      for (const e of items) {
        if (typeof e !== 'string') throw err();
        list.push(e);
      }
      params.set(key, list);
    } else throw err();
  }
  const keys = Array.from(params.keys()).sort(compareStrings);
  const parts: string[] = [];
  for (const k of keys) {
    const ke = queryEscape(k);
    for (const x of params.get(k)!) parts.push(ke + '=' + queryEscape(x));
  }
  return parts.join('&');
}

function decodeObject(s: string): ObjectValue {
  const m = new Map<string, string[]>();
  let firstErr: Error | undefined;
  for (let part of s.split('&')) {
    if (part === '') continue;
    if (part.includes(';')) {
      firstErr ??= new Error('invalid semicolon separator in query');
      continue;
    }
    let value = '';
    const eq = part.indexOf('=');
    if (eq >= 0) {
      value = part.slice(eq + 1);
      part = part.slice(0, eq);
    }
    let k: string;
    let v: string;
    try {
      k = queryUnescape(part);
      v = queryUnescape(value);
    } catch (e) {
      firstErr ??= e as Error;
      continue;
    }
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  }
  if (firstErr) throw firstErr;
  const out = new ObjectValue();
  for (const [k, v] of m) out.set(k, v);
  return out;
}

// ---- YAML ----

const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

/** Plain data for the YAML emitter, as sigs.k8s.io/yaml sees the JSON of a value. */
function toYAMLData(v: Value): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return v < INT64_MIN || v > UINT64_MAX ? Number(v) : v;
  if (v instanceof BigDecimal) return v.toNumber();
  if (Array.isArray(v)) return (v as Value[]).map(toYAMLData);
  if (v instanceof SetValue) return v.values().map(toYAMLData);
  const o = v as ObjectValue;
  const pairs: [string, unknown][] = [];
  for (const [k, x] of o.entries()) {
    pairs.push([typeof k === 'string' ? k : toJSONText(k, undefined, { escapeHTML: true }), toYAMLData(x)]);
  }
  pairs.sort((a, b) => compareStrings(a[0], b[0]));
  return new Map(pairs);
}

export function yamlMarshal(v: Value): string {
  const doc = new Document(toYAMLData(v), {
    version: '1.1',
    // Go maps are plain mappings (the 1.1 schema would otherwise tag a JS Map as !!omap).
    customTags: (tags) => tags.filter((tag) => (typeof tag === 'string' ? tag : tag.tag) !== 'tag:yaml.org,2002:omap'),
  });
  return doc.toString({ indentSeq: false, lineWidth: 80, minContentWidth: 0, nullStr: 'null', trueStr: 'true', falseStr: 'false' });
}

function yamlIsValid(s: string): boolean {
  try {
    parseYAML(s);
    return true;
  } catch {
    return false;
  }
}

// ---- built-ins ----

export const builtins: Builtin[] = [
  {
    name: 'json.marshal',
    args: [t.any],
    result: t.string,
    description: 'Serializes the input term to JSON.',
    fn: ([x]) => marshal(x),
  },
  {
    name: 'json.marshal_with_options',
    args: [
      t.any,
      {
        type: 'object',
        static: [
          { key: 'indent', value: t.string },
          { key: 'prefix', value: t.string },
          { key: 'pretty', value: t.boolean },
        ],
        dynamic: { key: t.string, value: t.any },
      },
    ],
    result: t.string,
    description:
      'Serializes the input term JSON, with additional formatting options via the `opts` parameter. `opts` accepts keys `pretty` (enable multi-line/formatted JSON), `prefix` (string to prefix lines with, default empty string) and `indent` (string to indent with, default `\\t`).',
    fn: ([x, opts]) => marshalWithOptions(x, opts),
  },
  {
    name: 'json.unmarshal',
    args: [t.string],
    result: t.any,
    description: 'Deserializes the input string.',
    fn: ([x]) => {
      const name = 'json.unmarshal';
      const s = str(name, x, 1);
      try {
        return parseJSON(s);
      } catch (e) {
        throw builtinError(name, parseErrorMessage(e));
      }
    },
  },
  {
    name: 'json.is_valid',
    args: [t.string],
    result: t.boolean,
    description: 'Verifies the input string is a valid JSON document.',
    fn: ([x]) => {
      if (typeof x !== 'string') return false;
      try {
        parseJSON(x);
        return true;
      } catch {
        return false;
      }
    },
  },
  {
    name: 'base64.encode',
    args: [t.string],
    result: t.string,
    description: 'Serializes the input string into base64 encoding.',
    fn: ([x]) => Buffer.from(str('base64.encode', x, 1), 'utf8').toString('base64'),
  },
  {
    name: 'base64.decode',
    args: [t.string],
    result: t.string,
    description: 'Deserializes the base64 encoded input string.',
    fn: ([x]) => {
      const name = 'base64.decode';
      const s = str(name, x, 1);
      try {
        return bytesToString(base64Decode(s, STD_ALPHABET));
      } catch (e) {
        throw builtinError(name, (e as Error).message);
      }
    },
  },
  {
    name: 'base64.is_valid',
    args: [t.string],
    result: t.boolean,
    description: 'Verifies the input string is base64 encoded.',
    fn: ([x]) => {
      if (typeof x !== 'string') return false;
      try {
        base64Decode(x, STD_ALPHABET);
        return true;
      } catch {
        return false;
      }
    },
  },
  {
    name: 'base64url.encode',
    args: [t.string],
    result: t.string,
    description: 'Serializes the input string into base64url encoding.',
    fn: ([x]) => {
      const b = Buffer.from(str('base64url.encode', x, 1), 'utf8').toString('base64url');
      return b + '='.repeat((4 - (b.length % 4)) % 4);
    },
  },
  {
    name: 'base64url.encode_no_pad',
    args: [t.string],
    result: t.string,
    description: 'Serializes the input string into base64url encoding without padding.',
    fn: ([x]) => Buffer.from(str('base64url.encode_no_pad', x, 1), 'utf8').toString('base64url'),
  },
  {
    name: 'base64url.decode',
    args: [t.string],
    result: t.string,
    description: 'Deserializes the base64url encoded input string.',
    fn: ([x]) => {
      const name = 'base64url.decode';
      const raw = str(name, x, 1);
      const s = padBase64URL(raw);
      if (s === undefined) throw builtinError(name, `illegal base64url string: ${raw}`);
      try {
        return bytesToString(base64Decode(s, URL_ALPHABET));
      } catch (e) {
        throw builtinError(name, (e as Error).message);
      }
    },
  },
  {
    name: 'hex.encode',
    args: [t.string],
    result: t.string,
    description: 'Serializes the input string using hex-encoding.',
    fn: ([x]) => Buffer.from(str('hex.encode', x, 1), 'utf8').toString('hex'),
  },
  {
    name: 'hex.decode',
    args: [t.string],
    result: t.string,
    description: 'Deserializes the hex-encoded input string.',
    fn: ([x]) => {
      const name = 'hex.decode';
      const s = str(name, x, 1);
      try {
        return bytesToString(hexDecode(s));
      } catch (e) {
        throw builtinError(name, (e as Error).message);
      }
    },
  },
  {
    name: 'urlquery.encode',
    args: [t.string],
    result: t.string,
    description: 'Encodes the input string into a URL-encoded string.',
    fn: ([x]) => queryEscape(str('urlquery.encode', x, 1)),
  },
  {
    name: 'urlquery.decode',
    args: [t.string],
    result: t.string,
    description: 'Decodes a URL-encoded input string.',
    fn: ([x]) => {
      const name = 'urlquery.decode';
      const s = str(name, x, 1);
      try {
        return queryUnescape(s);
      } catch (e) {
        throw builtinError(name, (e as Error).message);
      }
    },
  },
  {
    name: 'urlquery.encode_object',
    args: [t.objectOf(t.string, t.anyOf(t.string, t.arrayOf(t.string), t.setOf(t.string)))],
    result: t.string,
    description: 'Encodes the given object into a URL encoded query string.',
    fn: ([x]) => encodeObject(x),
  },
  {
    name: 'urlquery.decode_object',
    args: [t.string],
    result: t.objectOf(t.string, t.arrayOf(t.string)),
    description: 'Decodes the given URL query string into an object.',
    fn: ([x]) => {
      const name = 'urlquery.decode_object';
      const s = str(name, x, 1);
      try {
        return decodeObject(s);
      } catch (e) {
        throw builtinError(name, (e as Error).message);
      }
    },
  },
  {
    name: 'yaml.marshal',
    args: [t.any],
    result: t.string,
    description: 'Serializes the input term to YAML.',
    fn: ([x]) => yamlMarshal(x),
  },
  {
    name: 'yaml.unmarshal',
    args: [t.string],
    result: t.any,
    description: 'Deserializes the input string.',
    fn: ([x]) => {
      const name = 'yaml.unmarshal';
      const s = str(name, x, 1);
      try {
        return parseYAML(s);
      } catch (e) {
        throw builtinError(name, (e as Error).message);
      }
    },
  },
  {
    name: 'yaml.is_valid',
    args: [t.string],
    result: t.boolean,
    description: 'Verifies the input string is a valid YAML document.',
    fn: ([x]) => typeof x === 'string' && yamlIsValid(x),
  },
];
