// glob.match and glob.quote_meta, after OPA's v1/topdown/glob.go (gobwas/glob semantics).
//
// Syntax: `*` any run of non-delimiter characters, `**` any run of characters, `?` one
// non-delimiter character, `[abc]`/`[a-z]` (negated with `[!...]`) one character, `{a,b}`
// alternatives, `\c` a literal c. A pattern is compiled once into an anchored RegExp.

import { typeName, type Value } from '../value.ts';
import { builtinError, operandTypeError, t, typeError, type Builtin, type BuiltinContext } from './registry.ts';

class GlobSyntaxError extends Error {}

function escapeRe(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

function escapeClassChar(c: string): string {
  return /[\\\]\[^-]/.test(c) ? '\\' + c : c;
}

/** Translates a glob into an anchored regular expression source. */
export function globToRegExpSource(pattern: string, delimiters: readonly string[]): string {
  const chars = Array.from(pattern);
  let i = 0;
  const notDelim = delimiters.length === 0 ? '[^]' : '[^' + delimiters.map(escapeClassChar).join('') + ']';
  // Each open `{` saves the source built so far and collects its alternatives.
  const stack: { prefix: string; alts: string[] }[] = [];
  let cur = '';

  const fetchText = (breakers: string): string => {
    let data = '';
    let escaped = false;
    for (;;) {
      if (i >= chars.length) {
        if (escaped) throw new GlobSyntaxError('trailing backslash');
        break;
      }
      const r = chars[i];
      if (!escaped) {
        if (r === '\\') {
          escaped = true;
          i++;
          continue;
        }
        if (breakers.includes(r)) break;
      }
      escaped = false;
      data += r;
      i++;
    }
    return data;
  };

  while (i < chars.length) {
    const r = chars[i];
    const inTerms = stack.length > 0;
    if (r === '{') {
      i++;
      stack.push({ prefix: cur, alts: [] });
      cur = '';
      continue;
    }
    if (r === ',' && inTerms) {
      i++;
      stack[stack.length - 1].alts.push(cur);
      cur = '';
      continue;
    }
    if (r === '}' && inTerms) {
      i++;
      const frame = stack.pop()!;
      frame.alts.push(cur);
      cur = frame.prefix + '(?:' + frame.alts.join('|') + ')';
      continue;
    }
    if (r === '[') {
      i++;
      let not = false;
      let lo: string | undefined;
      let hi: string | undefined;
      let list: string | undefined;
      let wantHi = false;
      let wantClose = false;
      let seenNot = false;
      for (;;) {
        if (i >= chars.length) throw new GlobSyntaxError('unexpected end of input');
        const c = chars[i];
        if (wantClose) {
          if (c !== ']') throw new GlobSyntaxError('expected close range character');
          i++;
          break;
        }
        if (wantHi) {
          hi = c;
          i++;
          if (hi.codePointAt(0)! < lo!.codePointAt(0)!) throw new GlobSyntaxError('range hi character is less than lo');
          wantClose = true;
          continue;
        }
        if (!seenNot && c === '!') {
          not = true;
          seenNot = true;
          i++;
          continue;
        }
        if (i + 1 < chars.length && chars[i + 1] === '-') {
          lo = c;
          i += 2;
          wantHi = true;
          continue;
        }
        const text = fetchText(']');
        if (text !== '') list = text;
        wantClose = true;
      }
      const isRange = lo !== undefined && hi !== undefined;
      const isChars = list !== undefined;
      if (isRange === isChars) throw new GlobSyntaxError('could not parse range');
      const body = isRange
        ? escapeClassChar(lo!) + '-' + escapeClassChar(hi!)
        : Array.from(list!).map(escapeClassChar).join('');
      cur += (not ? '[^' : '[') + body + ']';
      continue;
    }
    if (r === '?') {
      i++;
      cur += notDelim;
      continue;
    }
    if (r === '*') {
      i++;
      if (i < chars.length && chars[i] === '*') {
        i++;
        cur += '[^]*';
      } else {
        cur += notDelim + '*';
      }
      continue;
    }
    const text = fetchText(inTerms ? '?*[{},' : '?*[{');
    cur += escapeRe(text);
  }
  if (stack.length > 0) throw new GlobSyntaxError('unclosed `{`');
  return '^' + cur + '$';
}

function compileGlob(ctx: BuiltinContext, pattern: string, delimiters: readonly string[]): RegExp {
  const key = 'glob.match:' + pattern + '-' + delimiters.join('');
  const hit = ctx.interCache.get(key);
  if (hit instanceof RegExp) return hit;
  let re: RegExp;
  try {
    re = new RegExp(globToRegExpSource(pattern, delimiters), 'su');
  } catch (e) {
    if (e instanceof GlobSyntaxError) throw builtinError('glob.match', e.message);
    throw builtinError('glob.match', String((e as Error).message));
  }
  if (ctx.interCache.size < 10_000) ctx.interCache.set(key, re);
  return re;
}

const SPECIALS = new Set(['*', '?', '\\', '[', ']', '{', '}']);

export function quoteMeta(s: string): string {
  let out = '';
  for (const c of s) out += SPECIALS.has(c) ? '\\' + c : c;
  return out;
}

export const builtins: Builtin[] = [
  {
    name: 'glob.match',
    args: [t.string, t.anyOf(t.null, t.arrayOf(t.string)), t.string],
    result: t.boolean,
    description:
      'Parses and matches strings against the glob notation. Not to be confused with `regex.globs_match`.',
    fn: ([p, d, m], ctx) => {
      const name = 'glob.match';
      if (typeof p !== 'string') throw operandTypeError(name, 1, p, 'string');
      let delimiters: string[];
      if (d === null) delimiters = [];
      else if (Array.isArray(d)) {
        delimiters = [];
        for (const e of d as Value[]) {
          if (typeof e !== 'string') throw typeError(name, `operand 2 must be array of strings but got array containing ${typeName(e)}`);
          const rs = Array.from(e);
          if (rs.length !== 1) throw typeError(name, `operand 2 must be array of runes but got array containing string`);
          delimiters.push(rs[0]);
        }
        if (delimiters.length === 0) delimiters = ['.'];
      } else throw operandTypeError(name, 2, d, 'array', 'null');
      if (typeof m !== 'string') throw operandTypeError(name, 3, m, 'string');
      return compileGlob(ctx, p, delimiters).test(m);
    },
  },
  {
    name: 'glob.quote_meta',
    args: [t.string],
    result: t.string,
    description: 'Returns a string which represents a version of the pattern where all asterisks have been escaped.',
    fn: ([p]) => {
      if (typeof p !== 'string') throw operandTypeError('glob.quote_meta', 1, p, 'string');
      return quoteMeta(p);
    },
  },
];
