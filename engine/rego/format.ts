// Rego term text of values (OPA's ast.Value String()), as used by sprintf "%v", string
// interpolation, print() and error messages; and the `opa eval --format pretty` value form.

import { toJSONText } from './json.ts';
import { BigDecimal, numberToString } from './number.ts';
import { SetValue, type ObjectValue, type Value } from './value.ts';

const PLAIN_RE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const PRINTABLE_RE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\x20]$/u;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Go's strconv.Quote: double-quoted, Go escapes, non-printable runes as \x / \u / \U. */
export function goQuote(s: string): string {
  if (PLAIN_RE.test(s)) return '"' + s + '"';
  let out = '"';
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    switch (r) {
      case 0x22:
        out += '\\"';
        continue;
      case 0x5c:
        out += '\\\\';
        continue;
      case 0x07:
        out += '\\a';
        continue;
      case 0x08:
        out += '\\b';
        continue;
      case 0x0c:
        out += '\\f';
        continue;
      case 0x0a:
        out += '\\n';
        continue;
      case 0x0d:
        out += '\\r';
        continue;
      case 0x09:
        out += '\\t';
        continue;
      case 0x0b:
        out += '\\v';
        continue;
    }
    if (r >= 0xd800 && r <= 0xdfff) {
      out += '\ufffd'; // a lone surrogate: invalid UTF-8 becomes U+FFFD in Go strings
      continue;
    }
    if (r < 0x80) {
      out += r < 0x20 || r === 0x7f ? '\\x' + hex(r, 2) : ch;
      continue;
    }
    if (PRINTABLE_RE.test(ch)) out += ch;
    else if (r < 0x10000) out += '\\u' + hex(r, 4);
    else out += '\\U' + hex(r, 8);
  }
  return out + '"';
}

function scalarText(v: Value): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return goQuote(v);
    case 'number':
    case 'bigint':
      return numberToString(v);
  }
  if (v instanceof BigDecimal) return v.toString();
  return undefined;
}

/**
 * OPA's term text: `"str"`, `1.5`, `[1, 2]`, `{"a": 1}`, `set()`, `{1, 2}`; objects and sets in
 * sorted order. Iterative (deep nesting is fine).
 */
export function formatValue(v: Value): string {
  const s0 = scalarText(v);
  if (s0 !== undefined) return s0;
  interface Frame {
    items: Value[] | [Value, Value][];
    obj: boolean;
    close: string;
    i: number;
  }
  const parts: string[] = [];
  const stack: Frame[] = [];
  const open = (x: Value): void => {
    if (Array.isArray(x)) {
      parts.push('[');
      stack.push({ items: x as Value[], obj: false, close: ']', i: 0 });
    } else if (x instanceof SetValue) {
      if (x.size === 0) {
        parts.push('set()');
        return;
      }
      parts.push('{');
      stack.push({ items: x.values(), obj: false, close: '}', i: 0 });
    } else {
      parts.push('{');
      stack.push({ items: (x as ObjectValue).entries(), obj: true, close: '}', i: 0 });
    }
  };
  open(v);
  while (stack.length > 0) {
    const f = stack[stack.length - 1];
    if (f.i === f.items.length) {
      stack.pop();
      parts.push(f.close);
      continue;
    }
    if (f.i > 0) parts.push(', ');
    const item = f.items[f.i++];
    if (f.obj) {
      const [k, x] = item as [Value, Value];
      // Keys are pushed as a pseudo-frame: format the key fully first (keys are usually scalars).
      const ks = scalarText(k);
      parts.push((ks ?? formatValue(k)) + ': ');
      const vs = scalarText(x);
      if (vs !== undefined) parts.push(vs);
      else open(x);
    } else {
      const x = item as Value;
      const s = scalarText(x);
      if (s !== undefined) parts.push(s);
      else open(x);
    }
  }
  return parts.join('');
}

/** String interpolation `$"{x}"`: top-level strings as they are, anything else as term text. */
export function formatInterpolated(v: Value): string {
  return typeof v === 'string' ? v : formatValue(v);
}

/** `opa eval --format pretty` form of a value: JSON indented with two spaces (no HTML escaping). */
export function formatPretty(v: Value): string {
  return toJSONText(v, 2);
}

