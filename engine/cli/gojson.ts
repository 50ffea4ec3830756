// JSON text exactly as OPA's Go code writes it (encoding/json): maps with sorted keys, structs
// with their fields in order, `<`, `>`, `&`, U+2028 and U+2029 escaped, numbers verbatim, and
// `json.Encoder.SetIndent("", "  ")` indentation. Rego values are converted as ast.JSON does
// (sets → arrays in set order, non-string object keys → their compact JSON text).

import { numberToString, type RegoNumber } from '../rego/number.ts';
import { compareStrings, ObjectValue, SetValue, type Value } from '../rego/value.ts';

/** A number written verbatim. */
export class GoNum {
  constructor(readonly text: string) {}
}
/** A Go struct: fields in declaration order. */
export class GoStruct {
  constructor(readonly fields: [string, GoJSON][]) {}
}
/** A Go map[string]…: keys sorted on output. */
export class GoMap {
  constructor(readonly entries: Map<string, GoJSON>) {}
}
export type GoJSON = null | boolean | string | number | GoNum | GoJSON[] | GoStruct | GoMap;

/** A Rego value as ast.JSON gives it. */
export function fromValue(v: Value): GoJSON {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(fromValue);
  if (v instanceof SetValue) return v.values().map(fromValue);
  if (v instanceof ObjectValue) {
    const m = new Map<string, GoJSON>();
    for (const [k, val] of v.entries()) m.set(typeof k === 'string' ? k : compactJSON(fromValue(k)), fromValue(val));
    return new GoMap(m);
  }
  return new GoNum(numberToString(v as RegoNumber));
}

const ESC: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** A JSON string literal as Go's encoder writes it (invalid UTF-16 becomes U+FFFD). */
export function quote(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      rep = ESC[s[i]] ?? '\\u' + c.toString(16).padStart(4, '0');
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      rep = '\ufffd';
    }
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

function sortedEntries(m: GoMap): [string, GoJSON][] {
  return [...m.entries].sort((a, b) => compareStrings(a[0], b[0]));
}

/** json.Marshal: compact. */
export function compactJSON(x: GoJSON): string {
  if (x === null) return 'null';
  if (typeof x === 'boolean') return x ? 'true' : 'false';
  if (typeof x === 'string') return quote(x);
  if (typeof x === 'number') return String(x);
  if (x instanceof GoNum) return x.text;
  if (Array.isArray(x)) return '[' + x.map(compactJSON).join(',') + ']';
  const fields = x instanceof GoStruct ? x.fields : sortedEntries(x);
  return '{' + fields.map(([k, v]) => quote(k) + ':' + compactJSON(v)).join(',') + '}';
}

/** json.Encoder with SetIndent(prefix "", indent): text plus a trailing newline. */
export function indentJSON(x: GoJSON, indent = '  '): string {
  const parts: string[] = [];
  const write = (v: GoJSON, depth: number): void => {
    if (v === null || typeof v !== 'object' || v instanceof GoNum) {
      parts.push(compactJSON(v));
      return;
    }
    const pad = '\n' + indent.repeat(depth + 1);
    const close = '\n' + indent.repeat(depth);
    if (Array.isArray(v)) {
      if (v.length === 0) return void parts.push('[]');
      parts.push('[');
      v.forEach((e, i) => {
        parts.push(i === 0 ? pad : ',' + pad);
        write(e, depth + 1);
      });
      parts.push(close + ']');
      return;
    }
    const fields = v instanceof GoStruct ? v.fields : sortedEntries(v);
    if (fields.length === 0) return void parts.push('{}');
    parts.push('{');
    fields.forEach(([k, e], i) => {
      parts.push((i === 0 ? pad : ',' + pad) + quote(k) + ': ');
      write(e, depth + 1);
    });
    parts.push(close + '}');
  };
  write(x, 0);
  return parts.join('') + '\n';
}
