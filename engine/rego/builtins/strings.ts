// String built-ins (OPA v1/topdown/strings.go). Strings are indexed by Unicode code points
// (Go runes), never by UTF-16 units.

import { SetValue, type Value } from '../value.ts';
import { t, type Builtin } from './registry.ts';
import {
  builtinErr,
  elemErr,
  intOperand,
  isASCII,
  num,
  obj,
  operandErr,
  runes,
  str,
  truncBigInt,
  typeErr,
} from './util.ts';

const S = t.string;
const strArray = t.arrayOf(t.string);
const strSet = t.setOf(t.string);

// ---- Unicode helpers matching Go's strings package ----

/** Go's unicode.IsSpace. */
function isGoSpace(cp: number): boolean {
  switch (cp) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
  }
  return cp >= 0x2000 && cp <= 0x200a;
}

/** Go's strings.TrimSpace. */
/** ASCII white space per Go's unicode.IsSpace: \t \n \v \f \r and space. */
function isASCIISpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

export function goTrimSpace(s: string): string {
  // Every code point Go's unicode.IsSpace accepts is in the BMP and not a surrogate, so UTF-16
  // code units can be tested directly (no rune split, no allocation when nothing is trimmed).
  let i = 0;
  let j = s.length;
  while (i < j && isGoSpace(s.charCodeAt(i))) i++;
  while (j > i && isGoSpace(s.charCodeAt(j - 1))) j--;
  return i === 0 && j === s.length ? s : s.slice(i, j);
}

/** Go's strings.ToLower (simple, per-rune case mapping). */
export function goLower(s: string): string {
  if (isASCII(s)) return s.toLowerCase();
  let out = '';
  for (const c of s) {
    const l = c.toLowerCase();
    if (l.length === c.length || Array.from(l).length === 1) out += l;
    else if (c === '\u0130') out += 'i';
    else out += c;
  }
  return out;
}

/** Go's strings.ToUpper (simple, per-rune case mapping). */
export function goUpper(s: string): string {
  if (isASCII(s)) return s.toUpperCase();
  let out = '';
  for (const c of s) {
    const u = c.toUpperCase();
    if (Array.from(u).length === 1) {
      out += u;
      continue;
    }
    const cp = c.codePointAt(0)!;
    if ((cp >= 0x1f80 && cp <= 0x1f87) || (cp >= 0x1f90 && cp <= 0x1f97) || (cp >= 0x1fa0 && cp <= 0x1fa7)) {
      out += String.fromCodePoint(cp + 8);
    } else if (cp === 0x1fb3 || cp === 0x1fc3 || cp === 0x1ff3) {
      out += String.fromCodePoint(cp + 9);
    } else {
      out += c;
    }
  }
  return out;
}

/** Go's strings.Split (sep "" explodes into runes). */
export function goSplit(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const r = runes(s);
    if (n < 0 || n > r.length) n = r.length;
    const out = r.slice(0, n - 1);
    if (n > 0) out.push(r.slice(n - 1).join(''));
    return out;
  }
  if (n < 0) return s.split(sep);
  const out: string[] = [];
  let i = 0;
  while (out.length < n - 1) {
    const j = s.indexOf(sep, i);
    if (j < 0) break;
    out.push(s.slice(i, j));
    i = j + sep.length;
  }
  out.push(s.slice(i));
  return out;
}

/** Go's strings.Count. */
function goCount(s: string, sub: string): number {
  if (sub === '') return runes(s).length + 1;
  let n = 0;
  let i = 0;
  for (;;) {
    const j = s.indexOf(sub, i);
    if (j < 0) return n;
    n++;
    i = j + sub.length;
  }
}

function trimLeftSet(r: string[], cut: Set<string>): number {
  let i = 0;
  while (i < r.length && cut.has(r[i])) i++;
  return i;
}
function trimRightSet(r: string[], cut: Set<string>, from: number): number {
  let j = r.length;
  while (j > from && cut.has(r[j - 1])) j--;
  return j;
}

function goTrim(s: string, cutset: string, left: boolean, right: boolean): string {
  if (s === '' || cutset === '') return s;
  const cut = new Set(runes(cutset));
  const r = runes(s);
  const i = left ? trimLeftSet(r, cut) : 0;
  const j = right ? trimRightSet(r, cut, i) : r.length;
  return i === 0 && j === r.length ? s : r.slice(i, j).join('');
}

/** Go's strings.NewReplacer(oldnew...).Replace(s) (generic algorithm: leftmost position, first pair wins). */
export function goReplacer(s: string, pairs: [string, string][]): string {
  if (pairs.length === 1) {
    const [o, n] = pairs[0];
    if (o !== '') return s.split(o).join(n);
  }
  // First occurrence of a key wins (earlier pairs have priority).
  let out = '';
  let last = 0;
  let prevMatchEmpty = false;
  for (let i = 0; i <= s.length; ) {
    let found = -1;
    for (let p = 0; p < pairs.length; p++) {
      const k = pairs[p][0];
      if (k === '' && prevMatchEmpty) continue;
      if (s.startsWith(k, i)) {
        found = p;
        break;
      }
    }
    prevMatchEmpty = found >= 0 && pairs[found][0] === '';
    if (found >= 0) {
      out += s.slice(last, i) + pairs[found][1];
      i += pairs[found][0].length;
      last = i;
      continue;
    }
    if (i === s.length) break;
    const cp = s.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
  }
  if (last !== s.length) out += s.slice(last);
  return out;
}

function runeIndexOf(base: string, search: string, all: boolean): number[] {
  const out: number[] = [];
  if (!all && isASCII(base) && isASCII(search)) {
    out.push(base.indexOf(search));
    return out;
  }
  const b = runes(base);
  const sr = runes(search);
  outer: for (let i = 0; i + sr.length <= b.length; i++) {
    for (let j = 0; j < sr.length; j++) if (b[i + j] !== sr[j]) continue outer;
    out.push(i);
    if (!all) return out;
  }
  if (!all) out.push(-1);
  return out;
}

function stringSlice(name: string, v: Value, pos: number): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) || v instanceof SetValue) {
    const xs = v instanceof SetValue ? v.values() : (v as readonly Value[]);
    return xs.map((x) => {
      if (typeof x !== 'string') throw elemErr(name, pos, v, x, 'string');
      return x;
    });
  }
  throw typeErr(name, pos, v, 'string', 'set', 'array');
}

function anyStartsWithAny(strs: string[], prefixes: string[]): boolean {
  for (const s of strs) for (const p of prefixes) if (s.startsWith(p)) return true;
  return false;
}

function reverseRunes(s: string): string {
  return runes(s).reverse().join('');
}

function bin(name: string, description: string, f: (a: string, b: string) => Value, result = t.boolean): Builtin {
  return {
    name,
    args: [S, S],
    result,
    description,
    fn: ([a, b]) => f(str(name, a, 1), str(name, b, 2)),
  };
}

function trimmer(name: string, description: string, f: (a: string, b: string) => string): Builtin {
  return bin(name, description, f, S);
}

export const builtins: Builtin[] = [
  {
    name: 'concat',
    args: [S, t.anyOf(strSet, strArray)],
    result: S,
    description: 'Joins a set or array of strings with a delimiter.',
    fn: ([d, c]) => {
      const delim = str('concat', d, 1);
      let xs: readonly Value[];
      if (Array.isArray(c)) xs = c as readonly Value[];
      else if (c instanceof SetValue) xs = c.values();
      else throw typeErr('concat', 2, c, 'set', 'array');
      const parts: string[] = new Array(xs.length);
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i];
        if (typeof x !== 'string') throw elemErr('concat', 2, c, x, 'string');
        parts[i] = x;
      }
      return parts.join(delim);
    },
  },
  {
    name: 'format_int',
    args: [t.number, t.number],
    result: S,
    description:
      'Returns the string representation of the number in the given base after rounding it down to an integer value.',
    fn: ([n, b]) => {
      const x = num('format_int', n, 1);
      const base = num('format_int', b, 2);
      let radix: number;
      if (base === 2) radix = 2;
      else if (base === 8) radix = 8;
      else if (base === 10) radix = 10;
      else if (base === 16) radix = 16;
      else throw operandErr('format_int', 2, 'must be one of {2, 8, 10, 16}');
      return truncBigInt(x).toString(radix);
    },
  },
  {
    name: 'indexof',
    args: [S, S],
    result: t.number,
    description: 'Returns the index of a substring contained inside a string.',
    fn: ([a, b]) => {
      const base = str('indexof', a, 1);
      const search = str('indexof', b, 2);
      if (search === '') throw builtinErr('indexof', 'empty search character');
      return runeIndexOf(base, search, false)[0];
    },
  },
  {
    name: 'indexof_n',
    args: [S, S],
    result: t.arrayOf(t.number),
    description: 'Returns a list of all the indexes of a substring contained inside a string.',
    fn: ([a, b]) => {
      const base = str('indexof_n', a, 1);
      const search = str('indexof_n', b, 2);
      if (search === '') throw builtinErr('indexof_n', 'empty search character');
      return runeIndexOf(base, search, true);
    },
  },
  {
    name: 'substring',
    args: [S, t.number, t.number],
    result: S,
    description:
      'Returns the  portion of a string for a given `offset` and a `length`.  If `length < 0`, `output` is the remainder of the string.',
    fn: ([v, o, l]) => {
      const base = str('substring', v, 1);
      const start = intOperand('substring', o, 2);
      const length = intOperand('substring', l, 3);
      if (start < 0) throw builtinErr('substring', 'negative offset');
      if (base === '') return '';
      if (isASCII(base)) {
        if (start >= base.length) return '';
        if (length < 0) return base.slice(start);
        return base.slice(start, Math.min(base.length, start + length));
      }
      const r = runes(base);
      if (start >= r.length) return '';
      if (length < 0) return r.slice(start).join('');
      return r.slice(start, Math.min(r.length, start + length)).join('');
    },
  },
  bin('contains', 'Returns `true` if the search string is included in the base string', (a, b) => a.includes(b)),
  bin('strings.count', 'Returns the number of non-overlapping instances of a substring in a string.', goCount, t.number),
  bin('startswith', 'Returns true if the search string begins with the base string.', (a, b) => a.startsWith(b)),
  bin('endswith', 'Returns true if the search string ends with the base string.', (a, b) => a.endsWith(b)),
  {
    name: 'lower',
    args: [S],
    result: S,
    description: 'Returns the input string but with all characters in lower-case.',
    fn: ([x]) => goLower(str('lower', x, 1)),
  },
  {
    name: 'upper',
    args: [S],
    result: S,
    description: 'Returns the input string but with all characters in upper-case.',
    fn: ([x]) => goUpper(str('upper', x, 1)),
  },
  {
    name: 'split',
    args: [S, S],
    result: strArray,
    description: 'Split returns an array containing elements of the input string split on a delimiter.',
    fn: ([x, d]) => {
      const text = str('split', x, 1);
      const delim = str('split', d, 2);
      if (!text.includes(delim)) return [text];
      return goSplit(text, delim);
    },
  },
  {
    name: 'strings.split_n',
    args: [S, S, t.number],
    result: strArray,
    description:
      'Splits a string on a delimiter into at most `n` parts: the first `n` for positive `n`, the last `abs(n)` for negative `n`, none for zero.',
    fn: ([x, d, nn]) => {
      const text = str('strings.split_n', x, 1);
      const delim = str('strings.split_n', d, 2);
      const n = intOperand('strings.split_n', nn, 3);
      if (n === 0) return [];
      if (n > 0) return goSplit(text, delim, n);
      const all = goSplit(text, delim);
      return all.length <= -n ? all : all.slice(all.length + n);
    },
  },
  {
    name: 'replace',
    args: [S, S, S],
    result: S,
    description: 'Replace replaces all instances of a sub-string.',
    fn: ([x, o, n]) => {
      const s = str('replace', x, 1);
      const old = str('replace', o, 2);
      const nw = str('replace', n, 3);
      return goReplacer(s, [[old, nw]]);
    },
  },
  {
    name: 'strings.replace_n',
    args: [t.objectOf(S, S), S],
    result: S,
    description: 'Replaces a string from a list of old, new string pairs.',
    fn: ([p, x]) => {
      const patterns = obj('strings.replace_n', p, 1);
      const entries = patterns.entries();
      const s = str('strings.replace_n', x, 2);
      const pairs: [string, string][] = [];
      for (const [k, v] of entries) {
        if (typeof k !== 'string') throw operandErr('strings.replace_n', 1, 'non-string key found in pattern object');
        if (typeof v !== 'string') throw operandErr('strings.replace_n', 1, 'non-string value found in pattern object');
        pairs.push([k, v]);
      }
      if (pairs.length === 0) return s;
      return goReplacer(s, pairs);
    },
  },
  trimmer('trim', 'Returns `value` with all leading or trailing instances of the `cutset` characters removed.', (s, c) =>
    goTrim(s, c, true, true),
  ),
  trimmer('trim_left', 'Returns `value` with all leading instances of the `cutset` characters removed.', (s, c) =>
    goTrim(s, c, true, false),
  ),
  trimmer(
    'trim_prefix',
    "Returns `value` without the prefix. If `value` doesn't start with `prefix`, it is returned unchanged.",
    (s, p) => (s.startsWith(p) ? s.slice(p.length) : s),
  ),
  trimmer('trim_right', 'Returns `value` with all trailing instances of the `cutset` characters removed.', (s, c) =>
    goTrim(s, c, false, true),
  ),
  trimmer(
    'trim_suffix',
    "Returns `value` without the suffix. If `value` doesn't end with `suffix`, it is returned unchanged.",
    (s, p) => (p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s),
  ),
  {
    name: 'trim_space',
    args: [S],
    result: S,
    description: 'Return the given string with all leading and trailing white space removed.',
    fn: ([x]) => goTrimSpace(str('trim_space', x, 1)),
  },
  {
    name: 'strings.reverse',
    args: [S],
    result: S,
    description: 'Reverses a given string.',
    fn: ([x]) => reverseRunes(str('strings.reverse', x, 1)),
  },
  {
    name: 'strings.any_prefix_match',
    args: [t.anyOf(S, strSet, strArray), t.anyOf(S, strSet, strArray)],
    result: t.boolean,
    description: 'Returns true if any of the search strings begins with any of the base strings.',
    fn: ([a, b]) => {
      const strs = stringSlice('strings.any_prefix_match', a, 1);
      const prefixes = stringSlice('strings.any_prefix_match', b, 2);
      return anyStartsWithAny(strs, prefixes);
    },
  },
  {
    name: 'strings.any_suffix_match',
    args: [t.anyOf(S, strSet, strArray), t.anyOf(S, strSet, strArray)],
    result: t.boolean,
    description: 'Returns true if any of the search strings ends with any of the base strings.',
    fn: ([a, b]) => {
      const strs = stringSlice('strings.any_suffix_match', a, 1);
      const suffixes = stringSlice('strings.any_suffix_match', b, 2);
      for (const s of strs) for (const p of suffixes) if (s.endsWith(p)) return true;
      return false;
    },
  },
];
