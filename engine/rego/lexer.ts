// Rego lexer: turns a source string into a flat token stream (struct-of-arrays, no whitespace
// tokens). Mirrors OPA's scanner (v1/ast/internal/scanner): the same token kinds, number and
// string rules, error messages, and template-string scanning. Whitespace and comments are not
// tokens; instead each token records whether whitespace (and whether a newline) preceded it,
// which is all the parser needs (ref adjacency, `\n`-separated body expressions).

import type { Comment, Location } from './ast.ts';

export enum T {
  EOF = 0,
  ILLEGAL,
  IDENT,
  NUMBER,
  STRING, // "..."
  RAWSTRING, // `...`
  TPART, // $"...{   or  }...{
  TEND, // $"..."   or  }..."
  RTPART, // $`...{
  RTEND, // $`...`
  LBRACK,
  RBRACK,
  LBRACE,
  RBRACE,
  LPAREN,
  RPAREN,
  COMMA,
  COLON,
  ADD,
  SUB,
  MUL,
  QUO,
  REM,
  AND,
  OR,
  UNIFY,
  EQUAL,
  ASSIGN,
  NEQ,
  GT,
  LT,
  GTE,
  LTE,
  DOT,
  SEMI,
  // keywords (all of Rego v1's)
  PACKAGE,
  IMPORT,
  AS,
  DEFAULT,
  ELSE,
  NOT,
  SOME,
  WITH,
  NULL,
  TRUE,
  FALSE,
  IN,
  EVERY,
  CONTAINS,
  IF,
}

export const FIRST_KEYWORD = T.PACKAGE;

const TOKEN_NAMES: Record<number, string> = {
  [T.EOF]: 'eof',
  [T.ILLEGAL]: 'illegal',
  [T.IDENT]: 'ident',
  [T.NUMBER]: 'number',
  [T.STRING]: 'string',
  [T.RAWSTRING]: 'string',
  [T.TPART]: 'template-string-part',
  [T.TEND]: 'template-string-end',
  [T.RTPART]: 'raw-template-string-part',
  [T.RTEND]: 'raw-template-string-end',
  [T.LBRACK]: '[',
  [T.RBRACK]: ']',
  [T.LBRACE]: '{',
  [T.RBRACE]: '}',
  [T.LPAREN]: '(',
  [T.RPAREN]: ')',
  [T.COMMA]: ',',
  [T.COLON]: ':',
  [T.ADD]: 'plus',
  [T.SUB]: 'minus',
  [T.MUL]: 'mul',
  [T.QUO]: 'div',
  [T.REM]: 'rem',
  [T.AND]: 'and',
  [T.OR]: 'or',
  [T.UNIFY]: 'eq',
  [T.EQUAL]: 'equal',
  [T.ASSIGN]: 'assign',
  [T.NEQ]: 'neq',
  [T.GT]: 'gt',
  [T.LT]: 'lt',
  [T.GTE]: 'gte',
  [T.LTE]: 'lte',
  [T.DOT]: '.',
  [T.SEMI]: ';',
  [T.PACKAGE]: 'package',
  [T.IMPORT]: 'import',
  [T.AS]: 'as',
  [T.DEFAULT]: 'default',
  [T.ELSE]: 'else',
  [T.NOT]: 'not',
  [T.SOME]: 'some',
  [T.WITH]: 'with',
  [T.NULL]: 'null',
  [T.TRUE]: 'true',
  [T.FALSE]: 'false',
  [T.IN]: 'in',
  [T.EVERY]: 'every',
  [T.CONTAINS]: 'contains',
  [T.IF]: 'if',
};

export function tokenName(t: number): string {
  return TOKEN_NAMES[t] ?? 'unknown';
}

export function isKeywordToken(t: number): boolean {
  return t >= FIRST_KEYWORD;
}

export const KEYWORDS: ReadonlyMap<string, T> = new Map<string, T>([
  ['package', T.PACKAGE],
  ['import', T.IMPORT],
  ['as', T.AS],
  ['default', T.DEFAULT],
  ['else', T.ELSE],
  ['not', T.NOT],
  ['some', T.SOME],
  ['with', T.WITH],
  ['null', T.NULL],
  ['true', T.TRUE],
  ['false', T.FALSE],
  ['in', T.IN],
  ['every', T.EVERY],
  ['contains', T.CONTAINS],
  ['if', T.IF],
]);

/** Flags per token. */
export const WS_BEFORE = 1;
export const NL_BEFORE = 2;

export interface Tokens {
  src: string;
  file: string;
  count: number;
  type: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  flags: Uint8Array;
  row: Int32Array;
  col: Int32Array;
  /** Scanner error messages of ILLEGAL tokens, by token index. */
  errors: Map<number, string>;
  comments: Comment[];
  /** Offsets at which each line starts (lineStarts[0] = 0). */
  lineStarts: number[];
}

function isLetterCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isDecimalCode(c: number): boolean {
  return c >= 48 && c <= 57;
}
const UNICODE_DIGIT = /\p{Nd}/u;
function isDigitAt(src: string, i: number): number {
  // returns the width (0 if not a digit)
  const c = src.charCodeAt(i);
  if (c >= 48 && c <= 57) return 1;
  if (c < 128 || Number.isNaN(c)) return 0;
  const cp = src.codePointAt(i)!;
  const ch = String.fromCodePoint(cp);
  return UNICODE_DIGIT.test(ch) ? ch.length : 0;
}

export function lex(src: string, file: string): Tokens {
  const n = src.length;
  let cap = 64;
  let type = new Uint8Array(cap);
  let start = new Int32Array(cap);
  let end = new Int32Array(cap);
  let flags = new Uint8Array(cap);
  let count = 0;
  const errors = new Map<number, string>();
  const comments: Comment[] = [];

  // line starts
  const lineStarts: number[] = [0];
  for (let k = src.indexOf('\n'); k !== -1; k = src.indexOf('\n', k + 1)) lineStarts.push(k + 1);

  const grow = () => {
    cap *= 2;
    const t2 = new Uint8Array(cap);
    t2.set(type);
    type = t2;
    const s2 = new Int32Array(cap);
    s2.set(start);
    start = s2;
    const e2 = new Int32Array(cap);
    e2.set(end);
    end = e2;
    const f2 = new Uint8Array(cap);
    f2.set(flags);
    flags = f2;
  };

  let pendingFlags = 0;
  const push = (t: T, s: number, e: number, err?: string) => {
    if (count === cap) grow();
    type[count] = err !== undefined ? T.ILLEGAL : t;
    start[count] = s;
    end[count] = e;
    flags[count] = pendingFlags;
    if (err !== undefined) errors.set(count, err);
    pendingFlags = 0;
    count++;
  };

  // Template-string frames: for `$"...{`, the braces inside the expression are counted so that
  // the `}` closing the expression resumes the template string.
  const frames: { raw: boolean; depth: number }[] = [];

  let i = 0;
  if (n > 0 && src.charCodeAt(0) === 0xfeff) i = 1;

  // Scans a (raw or not) template string part starting at i (just after `$"`/`$\`` or `}`).
  const scanTemplatePart = (tokStart: number, raw: boolean): void => {
    let err: string | undefined;
    let p = i;
    let kind: T = raw ? T.RTPART : T.TPART;
    let terminated = false;
    for (;;) {
      if (p >= n) {
        err = 'non-terminated string';
        break;
      }
      const c = src.charCodeAt(p);
      if (!raw && c === 10) {
        err = 'non-terminated string';
        break;
      }
      p++;
      if (c === 0) err ??= 'illegal null character';
      if (raw) {
        if (c === 96) {
          kind = T.RTEND;
          terminated = true;
          break;
        }
        if (c === 123) {
          terminated = true;
          break;
        }
        if (c === 92 && src.charCodeAt(p) === 123) p++;
      } else {
        if (c === 34) {
          kind = T.TEND;
          terminated = true;
          break;
        }
        if (c === 123) {
          terminated = true;
          break;
        }
        if (c === 92) {
          const d = src.charCodeAt(p);
          switch (d) {
            case 92:
            case 34:
            case 47:
            case 98:
            case 102:
            case 110:
            case 114:
            case 116:
            case 123:
              p++;
              break;
            case 117:
              p = Math.min(n, p + 4);
              break;
            default:
              err ??= 'illegal escape sequence';
          }
        }
      }
    }
    i = p;
    push(kind, tokStart, p, err);
    if (err === undefined && terminated) {
      if (kind === T.TPART || kind === T.RTPART) frames.push({ raw, depth: 0 });
    }
  };

  while (i < n) {
    const c = src.charCodeAt(i);
    // whitespace
    if (c === 32 || c === 9 || c === 13) {
      pendingFlags |= WS_BEFORE;
      i++;
      continue;
    }
    if (c === 10) {
      pendingFlags |= WS_BEFORE | NL_BEFORE;
      i++;
      continue;
    }
    if (c === 35) {
      // comment
      let e = src.indexOf('\n', i);
      if (e === -1) e = n;
      let textEnd = e;
      if (textEnd > i && src.charCodeAt(textEnd - 1) === 13) textEnd--;
      const seg = src.slice(i, textEnd);
      const nul = seg.indexOf('\0');
      const bom = seg.indexOf('\ufeff');
      if (nul !== -1 || bom !== -1) {
        push(T.ILLEGAL, i, e, nul !== -1 ? 'illegal null character' : 'illegal byte-order mark');
        i = e;
        continue;
      }
      comments.push({ text: seg.slice(1), loc: { file, row: 0, col: 0, offset: i, text: seg } });
      pendingFlags |= WS_BEFORE;
      i = e;
      continue;
    }
    const s = i;
    if (isLetterCode(c)) {
      i++;
      for (;;) {
        const d = src.charCodeAt(i);
        if (isLetterCode(d) || isDecimalCode(d)) {
          i++;
          continue;
        }
        if (d >= 128) {
          const w = isDigitAt(src, i);
          if (w > 0) {
            i += w;
            continue;
          }
        }
        break;
      }
      const word = src.slice(s, i);
      push(KEYWORDS.get(word) ?? T.IDENT, s, i);
      continue;
    }
    if (isDecimalCode(c)) {
      let err: string | undefined;
      while (isDecimalCode(src.charCodeAt(i))) i++;
      if (src.charCodeAt(i) === 46) {
        i++;
        let found = false;
        while (isDecimalCode(src.charCodeAt(i))) {
          i++;
          found = true;
        }
        if (!found) err ??= 'expected fraction';
      }
      const e = src.charCodeAt(i);
      if (e === 101 || e === 69) {
        i++;
        const sg = src.charCodeAt(i);
        if (sg === 43 || sg === 45) i++;
        let found = false;
        while (isDecimalCode(src.charCodeAt(i))) {
          i++;
          found = true;
        }
        if (!found) err ??= 'expected exponent';
      }
      if (isLetterCode(src.charCodeAt(i))) {
        err ??= 'illegal number format';
        for (;;) {
          const d = src.charCodeAt(i);
          if (isLetterCode(d) || isDecimalCode(d)) i++;
          else if (d >= 128 && isDigitAt(src, i) > 0) i += isDigitAt(src, i);
          else break;
        }
      }
      push(T.NUMBER, s, i, err);
      continue;
    }
    i++;
    switch (c) {
      case 34: {
        // "string"
        let err: string | undefined;
        for (;;) {
          if (i >= n) {
            err ??= 'non-terminated string';
            break;
          }
          const d = src.charCodeAt(i);
          if (d === 10) {
            err ??= 'non-terminated string';
            break;
          }
          i++;
          if (d === 34) break;
          if (d === 0) err ??= 'illegal null character';
          if (d === 92) {
            const x = src.charCodeAt(i);
            switch (x) {
              case 92:
              case 34:
              case 47:
              case 98:
              case 102:
              case 110:
              case 114:
              case 116:
                i++;
                break;
              case 117:
                i = Math.min(n, i + 4);
                break;
              default:
                err ??= 'illegal escape sequence';
            }
          }
        }
        push(T.STRING, s, i, err);
        break;
      }
      case 96: {
        // `raw string`
        const e = src.indexOf('`', i);
        if (e === -1) {
          i = n;
          push(T.RAWSTRING, s, i, 'non-terminated string');
        } else {
          i = e + 1;
          const seg = src.slice(s, i);
          push(T.RAWSTRING, s, i, seg.includes('\0') ? 'illegal null character' : undefined);
        }
        break;
      }
      case 91:
        push(T.LBRACK, s, i);
        break;
      case 93:
        push(T.RBRACK, s, i);
        break;
      case 123:
        if (frames.length > 0) frames[frames.length - 1].depth++;
        push(T.LBRACE, s, i);
        break;
      case 125:
        push(T.RBRACE, s, i);
        if (frames.length > 0) {
          const top = frames[frames.length - 1];
          if (top.depth === 0) {
            frames.pop();
            scanTemplatePart(i, top.raw);
          } else top.depth--;
        }
        break;
      case 40:
        push(T.LPAREN, s, i);
        break;
      case 41:
        push(T.RPAREN, s, i);
        break;
      case 44:
        push(T.COMMA, s, i);
        break;
      case 58:
        if (src.charCodeAt(i) === 61) {
          i++;
          push(T.ASSIGN, s, i);
        } else push(T.COLON, s, i);
        break;
      case 43:
        push(T.ADD, s, i);
        break;
      case 45:
        push(T.SUB, s, i);
        break;
      case 42:
        push(T.MUL, s, i);
        break;
      case 47:
        push(T.QUO, s, i);
        break;
      case 37:
        push(T.REM, s, i);
        break;
      case 38:
        push(T.AND, s, i);
        break;
      case 124:
        push(T.OR, s, i);
        break;
      case 61:
        if (src.charCodeAt(i) === 61) {
          i++;
          push(T.EQUAL, s, i);
        } else push(T.UNIFY, s, i);
        break;
      case 62:
        if (src.charCodeAt(i) === 61) {
          i++;
          push(T.GTE, s, i);
        } else push(T.GT, s, i);
        break;
      case 60:
        if (src.charCodeAt(i) === 61) {
          i++;
          push(T.LTE, s, i);
        } else push(T.LT, s, i);
        break;
      case 33:
        if (src.charCodeAt(i) === 61) {
          i++;
          push(T.NEQ, s, i);
        } else push(T.ILLEGAL, s, i, 'illegal ! character');
        break;
      case 59:
        push(T.SEMI, s, i);
        break;
      case 46:
        push(T.DOT, s, i);
        break;
      case 36: {
        const d = src.charCodeAt(i);
        if (d === 96 || d === 34) {
          i++;
          scanTemplatePart(s, d === 96);
        } else push(T.ILLEGAL, s, i, 'illegal $ character');
        break;
      }
      case 0:
        push(T.ILLEGAL, s, i, 'illegal null character');
        break;
      case 0xfeff:
        push(T.ILLEGAL, s, i, 'illegal byte-order mark');
        break;
      default: {
        // unknown character (one code point): an illegal token without a scanner message
        if (c >= 0xd800 && c <= 0xdbff && i < n) {
          const d = src.charCodeAt(i);
          if (d >= 0xdc00 && d <= 0xdfff) i++;
        }
        push(T.ILLEGAL, s, i);
      }
    }
  }
  if (count === cap) grow();
  type[count] = T.EOF;
  start[count] = n;
  end[count] = n;
  flags[count] = pendingFlags;
  count++;

  // rows and columns
  const row = new Int32Array(count);
  const col = new Int32Array(count);
  let line = 0;
  for (let k = 0; k < count; k++) {
    const off = start[k];
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= off) line++;
    row[k] = line + 1;
    col[k] = off - lineStarts[line] + 1;
  }
  line = 0;
  for (const cm of comments) {
    const off = cm.loc.offset;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= off) line++;
    cm.loc.row = line + 1;
    cm.loc.col = off - lineStarts[line] + 1;
  }

  return {
    src,
    file,
    count,
    type: type.subarray(0, count),
    start: start.subarray(0, count),
    end: end.subarray(0, count),
    flags: flags.subarray(0, count),
    row,
    col,
    errors,
    comments,
    lineStarts,
  };
}

/** Location of an arbitrary offset (binary search over line starts). */
export function locationAt(toks: Tokens, offset: number): Location {
  const ls = toks.lineStarts;
  let lo = 0;
  let hi = ls.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ls[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { file: toks.file, row: lo + 1, col: offset - ls[lo] + 1, offset };
}
