// Regular-expression built-ins with Go regexp (RE2) semantics, via the re2js port of RE2
// (linear time; no backreferences or lookaround) (OPA v1/topdown/regex.go, regex_template.go).
// Compiled patterns are cached in ctx.interCache under "regex:<pattern>".

import { RE2JS } from 're2js';
import type { Value } from '../value.ts';
import { t, type BuiltinContext, type Builtin } from './registry.ts';
import { builtinErr, intOperand, runes, str } from './util.ts';

const S = t.string;
const INTER_CACHE_MAX = 1000;

interface GoRegexp {
  re: RE2JS;
  /** Go-style matcher (findAll, findAllSubmatchIndex, ...). */
  re2: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  names: Record<string, number>;
  ngroups: number;
}

/** Compiles `pattern` as Go's regexp.Compile does; throws the Go error text. */
function compileGo(pattern: string): GoRegexp {
  const re = RE2JS.compile(pattern);
  return { re, re2: re.re2(), names: re.namedGroups(), ngroups: re.groupCount() };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** OPA's getRegexp: compile with the cross-evaluation cache. */
export function getRegexp(name: string, ctx: BuiltinContext, pattern: string): GoRegexp {
  const key = 'regex:' + pattern;
  const hit = ctx.interCache.get(key);
  if (hit !== undefined) return hit as GoRegexp;
  let r: GoRegexp;
  try {
    r = compileGo(pattern);
  } catch (e) {
    throw builtinErr(name, errorText(e));
  }
  if (ctx.interCache.size >= INTER_CACHE_MAX) {
    const first = ctx.interCache.keys().next();
    if (!first.done) ctx.interCache.delete(first.value);
  }
  ctx.interCache.set(key, r);
  return r;
}

/** Go's regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, (c) => '\\' + c);
}

/** Go's Regexp.Expand for a string template ($1, ${1}, $name, ${name}, $$). */
function expand(r: GoRegexp, template: string, src: string, m: number[]): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf('$', i);
    if (d < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, d);
    const rest = template.slice(d + 1);
    if (rest.startsWith('$')) {
      out += '$';
      i = d + 2;
      continue;
    }
    let name: string | undefined;
    let consumed = 0;
    if (rest.startsWith('{')) {
      const close = rest.indexOf('}');
      if (close > 1 && /^[A-Za-z0-9_]+$/.test(rest.slice(1, close))) {
        name = rest.slice(1, close);
        consumed = close + 1;
      }
    } else {
      const mm = /^[A-Za-z0-9_]+/.exec(rest);
      if (mm) {
        name = mm[0];
        consumed = name.length;
      }
    }
    if (name === undefined) {
      // Malformed: the '$' is kept literally.
      out += '$';
      i = d + 1;
      continue;
    }
    i = d + 1 + consumed;
    let idx = -1;
    if (/^[0-9]+$/.test(name)) {
      const n = name.length > 9 ? Number.MAX_SAFE_INTEGER : parseInt(name, 10);
      if (n <= r.ngroups) idx = n;
    } else if (Object.prototype.hasOwnProperty.call(r.names, name)) {
      idx = r.names[name];
    }
    if (idx >= 0 && 2 * idx < m.length && m[2 * idx] >= 0) out += src.slice(m[2 * idx], m[2 * idx + 1]);
  }
  return out;
}

/** Go's Regexp.ReplaceAllString. */
export function goReplaceAll(r: GoRegexp, src: string, repl: string): string {
  const matches: number[][] = r.re2.findAllSubmatchIndex(src, -1) ?? [];
  if (matches.length === 0) return src;
  let out = '';
  let last = 0;
  for (const m of matches) {
    out += src.slice(last, m[0]) + expand(r, repl, src, m);
    last = m[1];
  }
  return out + src.slice(last);
}

/** Go's Regexp.Split(s, -1). */
export function goRegexSplit(r: GoRegexp, s: string, pattern: string): string[] {
  if (pattern.length > 0 && s.length === 0) return [''];
  const matches: number[][] = r.re2.findAllIndex(s, -1) ?? [];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    end = m[0];
    if (m[1] !== 0) out.push(s.slice(beg, end));
    beg = m[1];
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

// ---- regex.template_match ----

function goQuote(s: string): string {
  return JSON.stringify(s);
}

function compileTemplate(tpl: string, ds: string, de: string): GoRegexp {
  // delimiterIndices, by UTF-8 byte in OPA; delimiters are single bytes (ASCII) here.
  let level = 0;
  let idx = 0;
  const idxs: number[] = [];
  for (let i = 0; i < tpl.length; i++) {
    const c = tpl[i];
    if (c === ds) {
      if (++level === 1) idx = i;
    } else if (c === de) {
      if (--level === 0) idxs.push(idx, i + 1);
      else if (level < 0) throw new Error(`unbalanced braces in ${goQuote(tpl)}`);
    }
  }
  if (level !== 0) throw new Error(`unbalanced braces in ${goQuote(tpl)}`);
  let pattern = '^';
  let end = 0;
  for (let i = 0; i < idxs.length; i += 2) {
    const raw = tpl.slice(end, idxs[i]);
    end = idxs[i + 1];
    const patt = tpl.slice(idxs[i] + 1, end - 1);
    pattern += `${quoteMeta(raw)}(${patt})`;
    compileGo(`^${patt}$`);
  }
  pattern += quoteMeta(tpl.slice(end)) + '$';
  return compileGo(pattern);
}

// ---- regex.globs_match (github.com/yashtewari/glob-intersection semantics) ----

type GlobToken = { kind: 'char'; r: string } | { kind: 'dot' } | { kind: 'set'; runes: Set<string> };
interface GlobItem {
  tok: GlobToken;
  flag: '' | '+' | '*';
}

/** glob-intersection's error text: errors.Wrap(ErrInvalidInput, "input:I, pos:N, MSG"). */
function globError(input: string, pos: number, msg: string): Error {
  return new Error(`input:${input}, pos:${pos}, ${msg}: the input provided is invalid`);
}

function tokenizeGlob(input: string): GlobItem[] {
  const rs = runes(input);
  const out: GlobItem[] = [];
  let i = 0;
  const next = (): { r: string; esc: boolean } => {
    if (rs[i] === '\\') {
      if (i === rs.length - 1) throw globError(input, i, 'input ends with a \\ (escape) character');
      i += 2;
      return { r: rs[i - 1], esc: true };
    }
    i++;
    return { r: rs[i - 1], esc: false };
  };
  while (i < rs.length) {
    const { r, esc } = next();
    if (!esc && (r === '+' || r === '*')) {
      const prev = out[out.length - 1];
      if (prev === undefined || prev.flag !== '') throw globError(input, i, `flag '${r}' must be preceded by a non-flag`);
      prev.flag = r;
      continue;
    }
    if (!esc && r === '.') {
      out.push({ tok: { kind: 'dot' }, flag: '' });
      continue;
    }
    if (!esc && r === ']') throw globError(input, i, "set-close ']' with no preceding '['");
    if (!esc && r === '[') {
      const set = new Set<string>();
      let prev: string | undefined;
      let complete = false;
      while (i < rs.length) {
        const c = next();
        if (!c.esc && c.r === ']') {
          complete = true;
          break;
        }
        if (!c.esc && c.r === '-') {
          if (prev === undefined) throw globError(input, i, "range character '-' must be preceded by a Unicode character");
          if (i >= rs.length - 1) throw globError(input, i, "range character '-' must be followed by a Unicode character");
          const hi = next();
          if (!hi.esc && (hi.r === ']' || hi.r === '-'))
            throw globError(input, i, "range character '-' cannot be followed by a special symbol");
          const lo = prev.codePointAt(0)!;
          const up = hi.r.codePointAt(0)!;
          if (up < lo) throw globError(input, i, `range is out of order: '${hi.r}' comes before '${prev}' in Unicode`);
          for (let x = lo; x <= up; x++) set.add(String.fromCodePoint(x));
          prev = undefined;
          continue;
        }
        set.add(c.r);
        prev = c.r;
      }
      if (!complete) throw globError(input, i, 'found [ without matching ]');
      out.push({ tok: { kind: 'set', runes: set }, flag: '' });
      continue;
    }
    out.push({ tok: { kind: 'char', r }, flag: '' });
  }
  return out;
}

function tokensMatch(a: GlobToken, b: GlobToken): boolean {
  if (a.kind === 'dot' || b.kind === 'dot') return true;
  if (a.kind === 'char' && b.kind === 'char') return a.r === b.r;
  if (a.kind === 'char' && b.kind === 'set') return b.runes.has(a.r);
  if (a.kind === 'set' && b.kind === 'char') return a.runes.has(b.r);
  const [x, y] = (a as { runes: Set<string> }).runes.size <= (b as { runes: Set<string> }).runes.size ? [a, b] : [b, a];
  for (const r of (x as { runes: Set<string> }).runes) if ((y as { runes: Set<string> }).runes.has(r)) return true;
  return false;
}

/** Whether two globs' languages intersect (product automaton search). */
export function globsIntersect(g1: GlobItem[], g2: GlobItem[]): boolean {
  // Expand '+' into the token followed by the token with '*'.
  const norm = (g: GlobItem[]): GlobItem[] =>
    g.flatMap((x) => (x.flag === '+' ? [{ tok: x.tok, flag: '' as const }, { tok: x.tok, flag: '*' as const }] : [x]));
  const a = norm(g1);
  const b = norm(g2);
  const seen = new Set<number>();
  const stack: [number, number][] = [[0, 0]];
  const W = b.length + 1;
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    const k = i * W + j;
    if (seen.has(k)) continue;
    seen.add(k);
    if (i === a.length && j === b.length) return true;
    if (i < a.length && a[i].flag === '*') stack.push([i + 1, j]);
    if (j < b.length && b[j].flag === '*') stack.push([i, j + 1]);
    if (i < a.length && j < b.length && tokensMatch(a[i].tok, b[j].tok)) {
      stack.push([a[i].flag === '*' ? i : i + 1, b[j].flag === '*' ? j : j + 1]);
    }
  }
  return false;
}

export const builtins: Builtin[] = [
  {
    name: 'regex.is_valid',
    args: [S],
    result: t.boolean,
    description: 'Checks if a string is a valid regular expression.',
    fn: ([p]) => {
      if (typeof p !== 'string') return false;
      try {
        compileGo(p);
        return true;
      } catch {
        return false;
      }
    },
  },
  {
    name: 'regex.match',
    args: [S, S],
    result: t.boolean,
    description: 'Matches a string against a regular expression.',
    fn: ([p, v], ctx) => {
      const pattern = str('regex.match', p, 1);
      const value = str('regex.match', v, 2);
      return getRegexp('regex.match', ctx, pattern).re.test(value);
    },
  },
  {
    name: 're_match',
    args: [S, S],
    result: t.boolean,
    deprecated: true,
    fn: ([p, v], ctx) => {
      const pattern = str('re_match', p, 1);
      const value = str('re_match', v, 2);
      return getRegexp('re_match', ctx, pattern).re.test(value);
    },
  },
  {
    name: 'regex.split',
    args: [S, S],
    result: t.arrayOf(S),
    description: 'Splits the input string by the occurrences of the given pattern.',
    fn: ([p, v], ctx) => {
      const pattern = str('regex.split', p, 1);
      const value = str('regex.split', v, 2);
      return goRegexSplit(getRegexp('regex.split', ctx, pattern), value, pattern);
    },
  },
  {
    name: 'regex.find_n',
    args: [S, S, t.number],
    result: t.arrayOf(S),
    description: 'Returns the specified number of matches when matching the input against the pattern.',
    fn: ([p, v, n], ctx) => {
      const pattern = str('regex.find_n', p, 1);
      const value = str('regex.find_n', v, 2);
      const count = intOperand('regex.find_n', n, 3);
      const r = getRegexp('regex.find_n', ctx, pattern);
      if (count === 0) return [];
      return (r.re2.findAll(value, count) ?? []) as string[];
    },
  },
  {
    name: 'regex.find_all_string_submatch_n',
    args: [S, S, t.number],
    result: t.arrayOf(t.arrayOf(S)),
    description: 'Returns all successive matches of the expression.',
    fn: ([p, v, n], ctx) => {
      const pattern = str('regex.find_all_string_submatch_n', p, 1);
      const value = str('regex.find_all_string_submatch_n', v, 2);
      const count = intOperand('regex.find_all_string_submatch_n', n, 3);
      const r = getRegexp('regex.find_all_string_submatch_n', ctx, pattern);
      if (count === 0) return [];
      const ms: (string | null)[][] = r.re2.findAllSubmatch(value, count) ?? [];
      return ms.map((m) => m.map((x) => x ?? '')) as Value;
    },
  },
  {
    name: 'regex.replace',
    args: [S, S, S],
    result: S,
    description: 'Find and replaces the text using the regular expression pattern.',
    fn: ([s, p, v], ctx) => {
      const base = str('regex.replace', s, 1);
      const pattern = str('regex.replace', p, 2);
      const value = str('regex.replace', v, 3);
      return goReplaceAll(getRegexp('regex.replace', ctx, pattern), base, value);
    },
  },
  {
    name: 'regex.template_match',
    args: [S, S, S, S],
    result: t.boolean,
    description: 'Matches a string against a pattern, where there pattern may be glob-like',
    fn: ([p, m, s, e], ctx) => {
      const name = 'regex.template_match';
      const pattern = str(name, p, 1);
      const match = str(name, m, 2);
      const start = str(name, s, 3);
      const end = str(name, e, 4);
      const slen = new TextEncoder().encode(start).length;
      const elen = new TextEncoder().encode(end).length;
      if (slen !== 1) throw builtinErr(name, `start delimiter has to be exactly one character long but is ${slen} long`);
      if (elen !== 1) throw builtinErr(name, `end delimiter has to be exactly one character long but is ${slen} long`);
      const key = `regex.template:${start}${end}:${pattern}`;
      let r = ctx.interCache.get(key) as GoRegexp | undefined;
      if (r === undefined) {
        try {
          r = compileTemplate(pattern, start, end);
        } catch (err) {
          throw builtinErr(name, errorText(err));
        }
        ctx.interCache.set(key, r);
      }
      return r.re.test(match);
    },
  },
  {
    name: 'regex.globs_match',
    args: [S, S],
    result: t.boolean,
    description:
      'Checks if the intersection of two glob-style regular expressions matches a non-empty set of non-empty strings.',
    fn: ([a, b]) => {
      const g1 = str('regex.globs_match', a, 1);
      const g2 = str('regex.globs_match', b, 2);
      try {
        return globsIntersect(tokenizeGlob(g1), tokenizeGlob(g2));
      } catch (err) {
        throw builtinErr('regex.globs_match', errorText(err));
      }
    },
  },
];
