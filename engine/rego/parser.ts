// Rego v1 parser. A recursive-descent parser that follows OPA's (v1/ast/parser.go,
// parser_ext.go, rego_v1.go) structure closely, so that the accepted language, the resulting
// AST and the error messages match OPA 1.x:
//   - statements are tried as package, import, rule, then query body (constants such as
//     `p := 1`, `f(1) := 2`, `a.b.c := 1` are parsed as bodies and converted to rules);
//   - operator precedence (lowest first): `:=`/`=`, `in`, relations (== != < <= > >=), `|`,
//     `&`, `+ -`, `* / %`; all left-associative;
//   - comprehensions win over `|` calls (`[x | y]`, `{x | y}`) via backtracking, with the
//     same bounded memo of parsed terms OPA uses to keep backtracking linear;
//   - Rego v1 checks (`if`/`contains` required, ...) are applied after parsing, as OPA does.
// Nesting is limited (MAX_NESTING) so deep inputs give a parse error, not a stack overflow.

import type {
  Annotation,
  Body,
  CallTerm,
  Comment,
  Expr,
  Import,
  Location,
  Module,
  Package,
  Query,
  RefTerm,
  Rule,
  RuleHead,
  Term,
  TermExpr,
  VarTerm,
  With,
} from './ast.ts';
import { RegoError, RegoErrorList, MAX_ERRORS } from './errors.ts';
import { lex, locationAt, T, tokenName, isKeywordToken, KEYWORDS, WS_BEFORE, NL_BEFORE, type Tokens } from './lexer.ts';
import { parseMetadataBlocks, VALID_SCOPES } from './annotations.ts';

/** Maximum nesting of composite terms / `every` bodies. */
export const MAX_NESTING = 1000;
const DEPTH_MESSAGE = 'max parsing recursion depth exceeded';

interface RuleMeta {
  hasIf: boolean;
  usesContains: boolean;
  generatedBody: boolean;
  generatedValue: boolean;
}

type Stmt =
  | { kind: 'package'; pkg: Package; loc: Location }
  | { kind: 'import'; imp: Import; loc: Location }
  | { kind: 'rule'; rule: Rule; loc: Location }
  | { kind: 'body'; body: Body; loc: Location };

interface CacheEntry {
  idx: number;
  term: Term | null;
  post: number;
  errs: RegoError[] | null;
}

interface SavedState {
  i: number;
  nerr: number;
}

class DepthExceeded extends Error {}

const BINOP_LEVEL = new Uint8Array(64);
const BINOP_NAME: string[] = [];
for (const [t, lvl, name] of [
  [T.EQUAL, 1, 'equal'],
  [T.NEQ, 1, 'neq'],
  [T.LT, 1, 'lt'],
  [T.GT, 1, 'gt'],
  [T.LTE, 1, 'lte'],
  [T.GTE, 1, 'gte'],
  [T.OR, 2, 'or'],
  [T.AND, 3, 'and'],
  [T.ADD, 4, 'plus'],
  [T.SUB, 4, 'minus'],
  [T.MUL, 5, 'mul'],
  [T.QUO, 5, 'div'],
  [T.REM, 5, 'rem'],
] as [T, number, string][]) {
  BINOP_LEVEL[t] = lvl;
  BINOP_NAME[t] = name;
}

const MEMBER_2 = 'internal.member_2';
const MEMBER_3 = 'internal.member_3';

// ---------------------------------------------------------------------------------------------
// Helpers on terms

export function valueName(t: Term): string {
  switch (t.type) {
    case 'arraycomp':
      return 'arraycomprehension';
    case 'setcomp':
      return 'setcomprehension';
    case 'objectcomp':
      return 'objectcomprehension';
    case 'template':
      return 'templatestring';
    default:
      return t.type;
  }
}

const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** OPA-like string form of a term (used in error messages). */
export function termToString(t: Term): string {
  switch (t.type) {
    case 'null':
      return 'null';
    case 'boolean':
      return String(t.value);
    case 'number':
      return t.raw;
    case 'string':
      return JSON.stringify(t.value);
    case 'var':
      return t.name;
    case 'ref': {
      let s = termToString(t.head);
      for (const p of t.path) {
        if (p.type === 'string' && IDENT_RE.test(p.value) && !KEYWORDS.has(p.value)) s += '.' + p.value;
        else s += '[' + termToString(p) + ']';
      }
      return s;
    }
    case 'array':
      return '[' + t.items.map(termToString).join(', ') + ']';
    case 'set':
      return t.items.length === 0 ? 'set()' : '{' + t.items.map(termToString).join(', ') + '}';
    case 'object':
      return '{' + t.items.map(([k, v]) => termToString(k) + ': ' + termToString(v)).join(', ') + '}';
    case 'call':
      return termToString(t.op) + '(' + t.args.map(termToString).join(', ') + ')';
    case 'arraycomp':
      return '[' + termToString(t.term) + ' | ' + bodyText(t.body) + ']';
    case 'setcomp':
      return '{' + termToString(t.term) + ' | ' + bodyText(t.body) + '}';
    case 'objectcomp':
      return '{' + termToString(t.key) + ': ' + termToString(t.value) + ' | ' + bodyText(t.body) + '}';
    case 'template':
      return t.loc.text ?? '$"..."';
  }
}

function bodyText(b: Body): string {
  return b.map((e) => e.loc.text ?? '').join('; ');
}

function refTermsToString(ref: Term[]): string {
  if (ref.length === 0) return '';
  const [head, ...path] = ref;
  return termToString({ type: 'ref', head, path, loc: head.loc });
}

function isGround(t: Term): boolean {
  switch (t.type) {
    case 'null':
    case 'boolean':
    case 'number':
    case 'string':
      return true;
    case 'var':
      return false;
    case 'ref':
      return t.path.every(isGround);
    case 'array':
    case 'set':
      return t.items.every(isGround);
    case 'object':
      return t.items.every(([k, v]) => isGround(k) && isGround(v));
    case 'call':
      return t.args.every(isGround);
    default:
      return false;
  }
}

function refIsGround(ref: Term[]): boolean {
  for (let k = 1; k < ref.length; k++) if (!isGround(ref[k])) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------

class Parser {
  readonly toks: Tokens;
  readonly src: string;
  readonly file: string;
  readonly type: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly flags: Uint8Array;
  i = 0;
  errors: RegoError[] = [];
  depth = 0;
  identOverride = -1;
  cache: CacheEntry[] = [];
  meta = new Map<Rule, RuleMeta>();
  /** `not { body }` is allowed (after `import future.keywords.not` or `import rego.v2`). */
  notBody = false;

  constructor(src: string, file: string) {
    this.src = src;
    this.file = file;
    this.toks = lex(src, file);
    this.type = this.toks.type;
    this.start = this.toks.start;
    this.end = this.toks.end;
    this.flags = this.toks.flags;
    this.reportScanError();
  }

  // --- token helpers ------------------------------------------------------------------------

  cur(): number {
    return this.type[this.i];
  }

  advance(): void {
    if (this.i < this.toks.count - 1) {
      this.i++;
      this.reportScanError();
    }
  }

  private reportScanError(): void {
    if (this.type[this.i] === T.ILLEGAL) {
      const msg = this.toks.errors.get(this.i);
      if (msg !== undefined) this.error(this.loc(), msg);
    }
  }

  loc(k: number = this.i): Location {
    return { file: this.file, row: this.toks.row[k], col: this.toks.col[k], offset: this.start[k] };
  }

  locText(k: number): Location {
    const l = this.loc(k);
    l.text = this.src.slice(this.start[k], this.end[k]);
    return l;
  }

  lastEnd(): number {
    return this.i > 0 ? this.end[this.i - 1] : 0;
  }

  textFrom(off: number): string {
    const e = this.lastEnd();
    return e > off ? this.src.slice(off, e) : '';
  }

  lit(k: number = this.i): string {
    return this.src.slice(this.start[k], this.end[k]);
  }

  adjacent(k: number = this.i): boolean {
    return (this.flags[k] & WS_BEFORE) === 0;
  }

  /** A keyword directly followed by `.` or `[` is an identifier (OPA: keywords in refs). */
  kwRefAhead(k: number = this.i): boolean {
    if (!isKeywordToken(this.type[k]) || k + 1 >= this.toks.count) return false;
    const n = this.type[k + 1];
    return (n === T.DOT || n === T.LBRACK) && (this.flags[k + 1] & WS_BEFORE) === 0;
  }

  isIdentAt(k: number = this.i): boolean {
    return this.type[k] === T.IDENT || (this.identOverride === k && isKeywordToken(this.type[k]));
  }

  save(): SavedState {
    return { i: this.i, nerr: this.errors.length };
  }

  restore(s: SavedState): void {
    this.i = s.i;
    if (this.errors.length > s.nerr) this.errors.length = s.nerr;
  }

  // --- errors -------------------------------------------------------------------------------

  error(loc: Location, msg: string): void {
    this.errors.push(new RegoError('rego_parse_error', msg, loc));
  }

  illegal(note = ''): void {
    const t = this.cur();
    if (t === T.ILLEGAL) {
      this.error(this.loc(), 'illegal token');
      return;
    }
    const kind = isKeywordToken(t) ? 'keyword' : 'token';
    this.error(this.loc(), note ? `unexpected ${tokenName(t)} ${kind}: ${note}` : `unexpected ${tokenName(t)} ${kind}`);
  }

  enterNesting(): boolean {
    if (++this.depth > MAX_NESTING) {
      this.depth--;
      this.error(this.loc(), DEPTH_MESSAGE);
      return false;
    }
    return true;
  }

  // --- statements ---------------------------------------------------------------------------

  parseStatements(skipRules: boolean): Stmt[] {
    const stmts: Stmt[] = [];
    while (this.cur() !== T.EOF) {
      this.cache = [];
      const s = this.save();

      if (this.cur() === T.PACKAGE) {
        const pkg = this.parsePackage();
        if (pkg) {
          stmts.push({ kind: 'package', pkg, loc: pkg.loc });
          continue;
        } else if (this.errors.length > 0) break;
        this.restore(s);
      }

      if (this.cur() === T.IMPORT) {
        const imp = this.parseImport();
        if (imp) {
          stmts.push({ kind: 'import', imp, loc: imp.loc });
          continue;
        } else if (this.errors.length > 0) break;
        this.restore(s);
      }

      if (!skipRules) {
        const rules = this.parseRules();
        if (rules) {
          for (const r of rules) stmts.push({ kind: 'rule', rule: r, loc: r.loc });
          continue;
        } else if (this.errors.length > 0) break;
        this.restore(s);
      }

      const body = this.parseQueryBody(true, T.EOF);
      if (body) {
        stmts.push({ kind: 'body', body, loc: body[0].loc });
        continue;
      }
      break;
    }
    if (this.cur() !== T.EOF && this.errors.length === 0) this.illegal();
    return stmts;
  }

  parsePackage(): Package | null {
    if (this.cur() !== T.PACKAGE) return null;
    const pkgLoc = this.loc();
    const startOff = this.start[this.i];
    this.advance();
    if ((this.cur() === T.DOT || this.cur() === T.LBRACK) && this.adjacent()) return null;
    if (this.cur() === T.IDENT || isKeywordToken(this.cur())) this.identOverride = this.i;
    else {
      this.illegal();
      return null;
    }
    const term = this.parseTerm();
    let path: Term[] | null = null;
    if (term) {
      if (term.type === 'var') {
        path = [{ type: 'string', value: term.name, loc: term.loc }];
      } else if (term.type === 'ref') {
        if (term.head.type !== 'var') {
          this.error(term.head.loc, `unexpected ${valueName(term.head)} token: expecting var`);
          return null;
        }
        path = [{ type: 'string', value: term.head.name, loc: term.head.loc }];
        for (const p of term.path) {
          if (p.type !== 'string') {
            this.error(p.loc, `unexpected ${valueName(p)} token: expecting string`);
            return null;
          }
          path.push(p);
        }
      } else {
        this.illegal();
        return null;
      }
    }
    if (!path) {
      if (this.errors.length === 0) this.error(this.loc(), 'expected path');
      return null;
    }
    pkgLoc.text = this.textFrom(startOff);
    return { path, loc: pkgLoc };
  }

  parseImport(): Import | null {
    if (this.cur() !== T.IMPORT) return null;
    const impLoc = this.loc();
    const startOff = this.start[this.i];
    this.advance();
    if ((this.cur() === T.DOT || this.cur() === T.LBRACK) && this.adjacent()) return null;
    if (this.cur() === T.IDENT || isKeywordToken(this.cur())) this.identOverride = this.i;
    else {
      this.illegal();
      return null;
    }
    const term = this.parseTerm();
    let path: RefTerm | null = null;
    if (term) {
      if (term.type === 'var') path = { type: 'ref', head: term, path: [], loc: term.loc };
      else if (term.type === 'ref') {
        for (const p of term.path) {
          if (p.type !== 'string') {
            this.error(p.loc, `unexpected ${valueName(p)} token: expecting string`);
            return null;
          }
        }
        path = term;
      }
    }
    if (!path) {
      this.error(this.loc(), 'expected path');
      return null;
    }
    const root = path.head.type === 'var' ? path.head.name : termToString(path.head);
    if (!['data', 'input', 'future', 'rego'].includes(root) || path.head.type !== 'var') {
      this.error(
        path.loc,
        `unexpected import path, must begin with one of: {data, future, input, rego}, got: ${root} (hint: if this is unexpected, try updating OPA)`,
      );
      return null;
    }
    const imp: Import = { path, loc: impLoc };
    if (this.cur() === T.AS) {
      this.advance();
      if (this.cur() !== T.IDENT) {
        this.illegal('expected var');
        return null;
      }
      const alias = this.parseTerm();
      if (!alias || alias.type !== 'var') {
        this.illegal('expected var');
        return null;
      }
      imp.alias = alias.name;
    } else {
      const last = path.path.length === 0 ? path.head : path.path[path.path.length - 1];
      const name = last.type === 'var' ? last.name : last.type === 'string' ? last.value : '';
      if ((path.path.length === 0 || root !== 'future') && KEYWORDS.has(name)) {
        this.error(
          last.loc,
          `unexpected import path, must not end with a keyword, got: ${name} (hint: import a different path or use an alias)`,
        );
      }
    }
    impLoc.text = this.textFrom(startOff);

    const elems = path.path.map((p) => (p.type === 'string' ? p.value : ''));
    if (root === 'rego') {
      if (elems.length !== 1 || (elems[0] !== 'v1' && elems[0] !== 'v2')) {
        this.error(path.loc, `invalid import \`${termToString(path)}\`, must be \`rego.v1\``);
      }
      if (elems[0] === 'v2') this.notBody = true;
    } else if (root === 'future') {
      if (elems.length === 0 || elems[0] !== 'keywords') {
        this.error(path.loc, 'invalid import, must be `future.keywords`');
      } else if (imp.alias !== undefined) {
        this.error(path.loc, '`future` imports cannot be aliased');
      } else if (elems.length === 2 && !['contains', 'every', 'if', 'in', 'not'].includes(elems[1])) {
        this.error(path.loc, 'unexpected keyword, must be one of [contains every if in]');
      }
      if (elems.length === 2 && elems[1] === 'not') this.notBody = true;
    }
    return imp;
  }

  // --- rules --------------------------------------------------------------------------------

  trueExpr(loc: Location): TermExpr {
    const l = { ...loc };
    return { kind: 'term', term: { type: 'boolean', value: true, loc: l }, negated: false, with: [], loc: l };
  }

  parseRules(): Rule[] | null {
    const ruleLoc = this.loc();
    const startOff = this.start[this.i];
    if (this.kwRefAhead()) this.identOverride = this.i;
    let isDefault = false;
    if (this.cur() === T.DEFAULT && this.identOverride !== this.i) {
      this.advance();
      isDefault = true;
      if (this.kwRefAhead()) this.identOverride = this.i;
    }
    if (!this.isIdentAt()) return null;

    const hr = this.parseHead(isDefault);
    if (!hr) return null;
    const head = hr.head;
    const meta: RuleMeta = { hasIf: false, usesContains: hr.usesContains, generatedBody: false, generatedValue: hr.generatedValue };
    const rule: Rule = { default: isDefault, head, body: [], annotations: [], loc: ruleLoc };
    this.meta.set(rule, meta);

    if (isDefault) {
      if (!this.validateDefaultRuleValue(rule)) return null;
      if (head.args && head.args.length > 0 && !this.validateDefaultRuleArgs(rule)) return null;
      rule.body = [this.trueExpr(ruleLoc)];
      ruleLoc.text = this.textFrom(startOff);
      return [rule];
    }

    const hasIf = this.cur() === T.IF;
    meta.hasIf = hasIf;
    if (hasIf && !hr.usesContains && head.ref.length === 2) {
      if (head.value === undefined) {
        head.value = { type: 'boolean', value: true, loc: { ...head.loc } };
        meta.generatedValue = true;
      }
    }
    if (!hasIf && !hr.usesContains && head.args === undefined && head.ref.length === 2) {
      // v0-style `p[x] { ... }` (rejected below by the Rego v1 checks when it has no value)
      if (head.value === undefined) {
        head.key = head.ref[1];
        head.ref = [head.ref[0]];
      }
    }

    let parsedBody = false;
    if (hasIf) {
      this.advance();
      const s = this.save();
      const expr = this.parseLiteral();
      if (expr && !(expr.kind === 'term' && expr.term.type === 'set')) {
        rule.body = [expr];
        parsedBody = true;
      } else {
        this.restore(s);
      }
    }
    if (!parsedBody) {
      if (hasIf || this.cur() === T.LBRACE) {
        this.advance();
        const body = this.parseBody(T.RBRACE);
        if (!body) return null;
        this.advance();
        rule.body = body;
      } else if (hr.usesContains) {
        rule.body = [this.trueExpr(ruleLoc)];
        meta.generatedBody = true;
        rule.loc = { ...head.loc };
        return [rule];
      } else {
        return null;
      }
    }

    if (this.cur() === T.ELSE && !this.kwRefAhead()) {
      if (head.ref.length > 1 && !refIsGround(head.ref)) {
        this.error(this.loc(), 'else keyword cannot be used on rules with variables in head');
        return null;
      }
      if (head.key !== undefined) {
        this.error(this.loc(), 'else keyword cannot be used on multi-value rules');
        return null;
      }
      const els = this.parseElse(head);
      if (!els) return null;
      rule.else = els;
    }

    ruleLoc.text = this.textFrom(startOff);
    const rules = [rule];

    while (this.cur() === T.LBRACE) {
      if (rule.else) {
        this.error(this.loc(), 'expected else keyword');
        return null;
      }
      const l = this.loc();
      const off = this.start[this.i];
      this.advance();
      const body = this.parseBody(T.RBRACE);
      if (!body) return null;
      this.advance();
      l.text = this.textFrom(off);
      const next: Rule = { default: false, head: { ...head, loc: { ...l } }, body, annotations: [], loc: l };
      this.meta.set(next, { ...meta, generatedBody: false });
      rules.push(next);
    }
    return rules;
  }

  parseElse(head: RuleHead): Rule | null {
    let first: Rule | null = null;
    let prev: Rule | null = null;
    const rules: { rule: Rule; off: number }[] = [];
    while (this.cur() === T.ELSE) {
      const l = this.loc();
      const off = this.start[this.i];
      const h: RuleHead = { ref: head.ref, assign: false, contains: false, loc: { ...l } };
      if (head.args) h.args = head.args;
      const rule: Rule = { default: false, head: h, body: [], annotations: [], loc: l };
      const meta: RuleMeta = { hasIf: false, usesContains: false, generatedBody: false, generatedValue: false };
      this.meta.set(rule, meta);
      rules.push({ rule, off });
      if (prev) prev.else = rule;
      else first = rule;
      prev = rule;

      this.advance();
      switch (this.cur()) {
        case T.LBRACE:
        case T.IF:
          h.value = { type: 'boolean', value: true, loc: { ...l } };
          meta.generatedValue = true;
          break;
        case T.ASSIGN:
        case T.UNIFY: {
          h.assign = this.cur() === T.ASSIGN;
          this.advance();
          const v = this.parseTermInfixCall(true);
          if (!v) return null;
          h.value = v;
          h.loc.text = this.textFrom(off);
          break;
        }
        default:
          this.illegal('expected else value term or rule body');
          return null;
      }
      const hasIf = this.cur() === T.IF;
      const hasLBrace = this.cur() === T.LBRACE;
      if (!hasIf && !hasLBrace) {
        rule.body = [this.trueExpr(l)];
        meta.generatedBody = true;
        break;
      }
      if (hasIf) {
        meta.hasIf = true;
        this.advance();
      }
      if (this.cur() === T.LBRACE) {
        this.advance();
        const body = this.parseBody(T.RBRACE);
        if (!body) return null;
        this.advance();
        rule.body = body;
      } else if (this.cur() !== T.EOF) {
        const expr = this.parseLiteral();
        if (!expr) return null;
        rule.body = [expr];
      } else {
        this.illegal('rule body expected');
        return null;
      }
      if (this.cur() === T.ELSE && this.kwRefAhead()) break;
    }
    for (const r of rules) r.rule.loc.text = this.textFrom(r.off);
    return first;
  }

  parseHead(isDefault: boolean): { head: RuleHead; usesContains: boolean; generatedValue: boolean } | null {
    const headLoc = this.loc();
    const startOff = this.start[this.i];
    const v: VarTerm = { type: 'var', name: this.lit(), loc: this.locText(this.i) };
    this.advance();

    if (BINOP_LEVEL[this.cur()] > 0 && this.adjacent()) this.illegal();

    let term: Term | null = v;
    if (this.cur() === T.LPAREN || this.cur() === T.DOT || this.cur() === T.LBRACK) {
      term = this.parseRef(v, true);
    }
    if (!term) {
      this.illegal('expected rule head name');
      return null;
    }

    let ref: Term[];
    let args: Term[] | undefined;
    switch (term.type) {
      case 'var':
        ref = [term];
        break;
      case 'ref':
        if (term.head.type !== 'var') return null;
        ref = [term.head, ...term.path];
        break;
      case 'call': {
        const op = term.op;
        if (op.type === 'var') ref = [op];
        else {
          if (op.head.type !== 'var') {
            this.illegal(`rule head ref ${termToString(op)} invalid`);
            return null;
          }
          ref = [op.head, ...op.path];
        }
        args = term.args;
        break;
      }
      default:
        return null;
    }

    const head: RuleHead = { ref, assign: false, contains: false, loc: headLoc };
    if (args) head.args = args;
    const name = refTermsToString(ref);
    let generatedValue = false;

    switch (this.cur()) {
      case T.CONTAINS: {
        if (args) {
          this.illegal(
            `the contains keyword can only be used with multi-value rule definitions (e.g., ${name} contains <VALUE> { ... })`,
          );
        }
        this.advance();
        const key = this.parseTermInfixCall(true);
        if (!key) {
          this.illegal(`expected rule key term (e.g., ${name} contains <VALUE> { ... })`);
          return null;
        }
        head.key = key;
        head.contains = true;
        headLoc.text = this.textFrom(startOff);
        return { head, usesContains: true, generatedValue: false };
      }
      case T.UNIFY: {
        this.advance();
        const value = this.parseTermInfixCall(true);
        if (!value) {
          this.illegal(`expected rule value term (e.g., ${name}[<nil>] = <VALUE> { ... })`);
          return null;
        }
        head.value = value;
        break;
      }
      case T.ASSIGN: {
        this.advance();
        head.assign = true;
        const value = this.parseTermInfixCall(true);
        if (!value) {
          if (args && args.length > 0) this.illegal(`expected function value term (e.g., ${name}(...) := <VALUE> { ... })`);
          else if (isDefault) this.illegal(`expected default rule value term (e.g., default ${name} := <VALUE>)`);
          else this.illegal(`expected rule value term (e.g., ${name} := <VALUE> { ... })`);
          return null;
        }
        head.value = value;
        break;
      }
    }

    if (head.value === undefined && head.key === undefined) {
      if (ref.length !== 2 || (args !== undefined && args.length > 0)) {
        generatedValue = true;
        head.value = { type: 'boolean', value: true, loc: { ...headLoc } };
      }
    }
    headLoc.text = this.textFrom(startOff);
    if (head.value && generatedValue) head.value.loc = { ...headLoc };
    return { head, usesContains: false, generatedValue };
  }

  validateDefaultRuleValue(rule: Rule): boolean {
    const v = rule.head.value;
    if (!v) {
      this.error(rule.loc, 'illegal default rule (must have a value)');
      return false;
    }
    let valid = true;
    const visit = (t: Term): void => {
      switch (t.type) {
        case 'arraycomp':
        case 'setcomp':
        case 'objectcomp':
          return;
        case 'ref':
        case 'var':
        case 'call':
          this.error(rule.loc, `illegal default rule (value cannot contain ${t.type})`);
          valid = false;
          return;
        case 'array':
        case 'set':
          t.items.forEach(visit);
          return;
        case 'object':
          for (const [k, x] of t.items) {
            visit(k);
            visit(x);
          }
          return;
        case 'template':
          for (const p of t.parts) if (typeof p !== 'string') visit(p);
          return;
        default:
          return;
      }
    };
    visit(v);
    return valid;
  }

  validateDefaultRuleArgs(rule: Rule): boolean {
    let valid = true;
    const seen = new Set<string>();
    for (const a of rule.head.args ?? []) {
      if (a.type !== 'var') {
        this.error(rule.loc, `illegal default rule (arguments cannot contain ${valueName(a)})`);
        valid = false;
        continue;
      }
      if (a.name === '_') continue;
      if (seen.has(a.name)) {
        this.error(rule.loc, `illegal default rule (arguments cannot be repeated ${a.name})`);
        valid = false;
      }
      seen.add(a.name);
    }
    return valid;
  }

  // --- bodies and expressions -----------------------------------------------------------------

  parseBody(end: T): Body | null {
    if (!this.enterNesting()) return null;
    const b = this.parseQueryBody(false, end);
    this.depth--;
    return b;
  }

  parseQueryBody(requireSemi: boolean, end: T): Body | null {
    if (this.cur() === end) {
      this.error(this.loc(), 'found empty body');
      return null;
    }
    const body: Body = [];
    for (;;) {
      const expr = this.parseLiteral();
      if (!expr) return null;
      body.push(expr);
      if (this.cur() === T.SEMI) {
        this.advance();
        continue;
      }
      if (this.cur() === end || requireSemi) return body;
      if ((this.flags[this.i] & NL_BEFORE) === 0) {
        if (this.errors.length === 0) this.illegal(`expected \\n or ; or ${tokenName(end)}`);
        return null;
      }
    }
  }

  parseLiteral(): Expr | null {
    const l = this.loc();
    const startOff = this.start[this.i];
    let expr: Expr | null;
    if (this.kwRefAhead()) {
      this.identOverride = this.i;
      expr = this.parseLiteralExpr(false);
    } else {
      let negated = false;
      if (this.cur() === T.NOT) {
        this.advance();
        negated = true;
      }
      if (this.cur() === T.SOME) {
        if (negated) {
          this.illegal("illegal negation of 'some'");
          return null;
        }
        expr = this.parseSome();
      } else if (this.cur() === T.EVERY) {
        if (negated) {
          this.illegal("illegal negation of 'every'");
          return null;
        }
        expr = this.parseEvery();
      } else if (negated && this.notBody && this.cur() === T.LBRACE) {
        // Experimental `not { body }` (future.keywords.not / rego.v2): negation of a whole body.
        this.advance();
        const body = this.parseBody(T.RBRACE);
        if (!body) return null;
        this.advance();
        expr = { kind: 'notbody', body, negated: true, with: [], loc: l };
      } else {
        expr = this.parseLiteralExpr(negated);
      }
    }
    if (expr) {
      l.text = this.textFrom(startOff);
      expr.loc = l;
    }
    return expr;
  }

  parseLiteralExpr(negated: boolean): Expr | null {
    const startOff = this.start[this.i];
    const lhs = this.parseTermInfixCall(true);
    if (!lhs) return null;
    let term: Term = lhs;
    if (this.cur() === T.ASSIGN || this.cur() === T.UNIFY) {
      const opName = this.cur() === T.ASSIGN ? 'assign' : 'eq';
      const opLoc = this.locText(this.i);
      this.advance();
      const rhs = this.parseTermInfixCall(true);
      if (!rhs) return null;
      term = {
        type: 'call',
        op: { type: 'var', name: opName, loc: opLoc },
        args: [lhs, rhs],
        loc: { ...lhs.loc, text: this.textFrom(startOff) },
      };
    }
    const expr: TermExpr = { kind: 'term', term, negated, with: [], loc: lhs.loc };
    if (this.cur() === T.WITH) {
      const w = this.parseWith();
      if (!w) return null;
      expr.with = w;
    }
    return expr;
  }

  parseWith(): With[] | null {
    const withs: With[] = [];
    for (;;) {
      const l = this.loc();
      const off = this.start[this.i];
      this.advance();
      if (this.cur() !== T.IDENT) {
        this.illegal('expected ident');
        return null;
      }
      const target = this.parseTerm();
      if (!target) return null;
      if (target.type !== 'ref' && target.type !== 'var') this.illegal('expected with target path');
      if (this.cur() !== T.AS) {
        this.illegal('expected as keyword');
        return null;
      }
      this.advance();
      const value = this.parseTermInfixCall(true);
      if (!value) return null;
      l.text = this.textFrom(off);
      withs.push({ target: target as RefTerm | VarTerm, value, loc: l });
      if (this.cur() !== T.WITH) break;
    }
    return withs;
  }

  parseSome(): Expr | null {
    const l = this.loc();
    const s = this.save();
    this.advance();
    const term = this.parseTermInfixCall(true);
    if (term && term.type === 'call') {
      const op = term.op.type === 'var' ? term.op.name : '';
      if (op !== MEMBER_2 && op !== MEMBER_3) {
        this.illegal('expected `x in xs` or `x, y in xs` expression');
        return null;
      }
      const three = op === MEMBER_3;
      const expr: Expr = {
        kind: 'somein',
        key: three ? term.args[0] : null,
        value: three ? term.args[1] : term.args[0],
        domain: three ? term.args[2] : term.args[1],
        negated: false,
        with: [],
        loc: l,
      };
      if (this.cur() === T.WITH) {
        const w = this.parseWith();
        if (!w) return null;
        expr.with = w;
      }
      return expr;
    }
    this.restore(s);
    const vars: VarTerm[] = [];
    for (;;) {
      this.advance();
      if (this.cur() !== T.IDENT) {
        this.illegal('expected var');
        return null;
      }
      vars.push({ type: 'var', name: this.lit(), loc: this.locText(this.i) });
      this.advance();
      if (this.cur() !== T.COMMA) break;
    }
    return { kind: 'some', vars, negated: false, with: [], loc: l };
  }

  parseEvery(): Expr | null {
    const l = this.loc();
    this.advance();
    const term = this.parseTermInfixCall(true);
    if (!term) return null;
    if (term.type !== 'call') {
      this.illegal('expected `x[, y] in xs { ... }` expression');
      return null;
    }
    const op = term.op.type === 'var' ? term.op.name : '';
    let key: Term | null = null;
    let value: Term;
    let domain: Term;
    if (op === MEMBER_2) {
      value = term.args[0];
      domain = term.args[1];
    } else if (op === MEMBER_3) {
      key = term.args[0];
      value = term.args[1];
      domain = term.args[2];
      if (key.type !== 'var') {
        this.illegal('expected key to be a variable');
        return null;
      }
    } else {
      this.illegal('expected `x[, y] in xs { ... }` expression');
      return null;
    }
    if (value.type !== 'var') {
      this.illegal('expected value to be a variable');
      return null;
    }
    if (this.cur() === T.LBRACE) {
      this.advance();
      const body = this.parseBody(T.RBRACE);
      if (!body) return null;
      this.advance();
      const expr: Expr = { kind: 'every', key, value, domain, body, negated: false, with: [], loc: l };
      if (this.cur() === T.WITH) {
        const w = this.parseWith();
        if (!w) return null;
        expr.with = w;
      }
      return expr;
    }
    this.illegal('missing body');
    return null;
  }

  // --- terms ----------------------------------------------------------------------------------

  mkCall(opName: string, opLoc: Location, args: Term[], loc: Location, startOff: number): CallTerm {
    return {
      type: 'call',
      op: { type: 'var', name: opName, loc: opLoc },
      args,
      loc: { file: loc.file, row: loc.row, col: loc.col, offset: loc.offset, text: this.textFrom(startOff) },
    };
  }

  /** Infix call incl. `in` / `k, v in xs` (keyVal). */
  parseTermInfixCall(keyVal: boolean): Term | null {
    const startOff = this.start[this.i];
    let lhs = this.parseTerm();
    if (!lhs) return null;
    lhs = this.climb(lhs, 1, startOff);
    for (;;) {
      if (keyVal && this.cur() === T.COMMA) {
        const s = this.save();
        this.advance();
        const mhs = this.parseBinary(1);
        if (mhs && this.cur() === T.IN && !this.kwRefAhead()) {
          const opLoc = this.locText(this.i);
          this.advance();
          const rhs = this.parseBinary(1);
          if (rhs) {
            lhs = this.mkCall(MEMBER_3, opLoc, [lhs, mhs, rhs], lhs.loc, startOff);
            if (this.cur() === T.IN) continue;
            return lhs;
          }
        }
        this.restore(s);
      }
      if (this.cur() === T.IN && !this.kwRefAhead()) {
        const opLoc = this.locText(this.i);
        this.advance();
        const rhs = this.parseBinary(1);
        if (rhs) {
          lhs = this.mkCall(MEMBER_2, opLoc, [lhs, rhs], lhs.loc, startOff);
          if (this.cur() === T.IN) continue;
        }
      }
      return lhs;
    }
  }

  parseBinary(minLevel: number): Term | null {
    const startOff = this.start[this.i];
    const lhs = this.parseTerm();
    if (!lhs) return null;
    return this.climb(lhs, minLevel, startOff);
  }

  climb(lhs: Term, minLevel: number, startOff: number): Term {
    for (;;) {
      const lvl = BINOP_LEVEL[this.cur()];
      if (lvl === 0 || lvl < minLevel) return lhs;
      const opName = BINOP_NAME[this.cur()];
      const opLoc = this.locText(this.i);
      this.advance();
      const rhsStart = this.start[this.i];
      let rhs = this.parseTerm();
      if (!rhs) return lhs;
      while (BINOP_LEVEL[this.cur()] > lvl) rhs = this.climb(rhs, lvl + 1, rhsStart);
      lhs = this.mkCall(opName, opLoc, [lhs, rhs], lhs.loc, startOff);
    }
  }

  parseTerm(): Term | null {
    const idx = this.i;
    // memo lookup (OPA's parsedTermCache: entries ordered by decreasing offset from the top)
    const cache = this.cache;
    for (let k = cache.length - 1; k >= 0 && cache[k].idx >= idx; k--) {
      const e = cache[k];
      if (e.idx === idx) {
        this.i = e.post;
        if (e.errs) for (const er of e.errs) this.errors.push(er);
        return e.term;
      }
    }
    const nerr0 = this.errors.length;
    let term = this.parsePrimary();
    if (term) term = this.parseTermFinish(term);
    // push, dropping entries for terms starting at or after this one
    while (cache.length > 0 && cache[cache.length - 1].idx >= idx) cache.pop();
    cache.push({ idx, term, post: this.i, errs: this.errors.length > nerr0 ? this.errors.slice(nerr0) : null });
    return term;
  }

  parsePrimary(): Term | null {
    const t = this.cur();
    if (this.identOverride === this.i && isKeywordToken(t)) {
      const v: VarTerm = { type: 'var', name: this.lit(), loc: this.locText(this.i) };
      this.advance();
      return v;
    }
    switch (t) {
      case T.NULL: {
        const term: Term = { type: 'null', loc: this.locText(this.i) };
        this.advance();
        return term;
      }
      case T.TRUE:
      case T.FALSE: {
        const term: Term = { type: 'boolean', value: t === T.TRUE, loc: this.locText(this.i) };
        this.advance();
        return term;
      }
      case T.SUB:
      case T.DOT:
      case T.NUMBER:
        return this.parseNumber();
      case T.STRING:
      case T.RAWSTRING:
        return this.parseString();
      case T.TPART:
      case T.TEND:
      case T.RTPART:
      case T.RTEND:
        if (!this.enterNesting()) return null;
        {
          const r = this.parseTemplate();
          this.depth--;
          return r;
        }
      case T.IDENT:
      case T.CONTAINS: {
        const v: VarTerm = { type: 'var', name: this.lit(), loc: this.locText(this.i) };
        this.advance();
        return v;
      }
      case T.LBRACK: {
        if (!this.enterNesting()) return null;
        const r = this.parseArray();
        this.depth--;
        return r;
      }
      case T.LBRACE: {
        if (!this.enterNesting()) return null;
        const r = this.parseSetOrObject();
        this.depth--;
        return r;
      }
      case T.LPAREN: {
        if (!this.enterNesting()) return null;
        const startOff = this.start[this.i];
        this.advance();
        const r = this.parseTermInfixCall(true);
        this.depth--;
        if (!r) return null;
        if (this.cur() !== T.RPAREN) {
          this.error(this.loc(), 'non-terminated expression');
          return null;
        }
        const out = { ...r, loc: { ...r.loc, text: this.src.slice(startOff, this.end[this.i]) } } as Term;
        this.advance();
        return out;
      }
      default:
        this.illegal();
        return null;
    }
  }

  parseTermFinish(head: Term): Term | null {
    const t = this.cur();
    if ((t === T.LPAREN || t === T.DOT || t === T.LBRACK) && this.adjacent()) return this.parseRef(head, false);
    return head;
  }

  parseRef(head: Term, firstAnyWs: boolean): Term | null {
    switch (head.type) {
      case 'var':
      case 'array':
      case 'object':
      case 'set':
      case 'arraycomp':
      case 'setcomp':
      case 'objectcomp':
      case 'call':
        break;
      default:
        this.error(head.loc, `illegal ref (head cannot be ${valueName(head)})`);
    }
    const startOff = head.loc.offset;
    let path: Term[] = [];
    let first = firstAnyWs;
    for (;;) {
      const t = this.cur();
      if (!first && !this.adjacent()) break;
      first = false;
      if (t === T.DOT) {
        const dotEnd = this.end[this.i];
        this.advance();
        if (!this.adjacent()) {
          this.error(locationAt(this.toks, dotEnd), 'unexpected whitespace token: expected ident');
          return null;
        }
        if (this.cur() !== T.IDENT && !isKeywordToken(this.cur())) {
          this.illegal('expected ident');
          return null;
        }
        path.push({ type: 'string', value: this.lit(), loc: this.locText(this.i) });
        this.advance();
      } else if (t === T.LPAREN) {
        const opLoc: Location = { ...head.loc, text: this.src.slice(startOff, this.start[this.i]) };
        const op: RefTerm = { type: 'ref', head, path, loc: opLoc };
        if (!this.enterNesting()) return null;
        const call = this.parseCall(op, startOff);
        this.depth--;
        if (!call) return null;
        const n = this.cur();
        if ((n === T.DOT || n === T.LBRACK) && this.adjacent()) {
          head = call;
          path = [];
          continue;
        }
        return call;
      } else if (t === T.LBRACK) {
        if (!this.enterNesting()) return null;
        this.advance();
        const term = this.parseTermInfixCall(true);
        this.depth--;
        if (!term) return null;
        if (this.cur() !== T.RBRACK) {
          this.illegal('expected [');
          return null;
        }
        path.push(term);
        this.advance();
      } else break;
    }
    if (path.length === 0) return head;
    return { type: 'ref', head, path, loc: { ...head.loc, text: this.textFrom(startOff) } };
  }

  parseCall(op: RefTerm, startOff: number): Term | null {
    this.advance(); // (
    if (this.cur() === T.RPAREN) {
      const loc: Location = { ...op.loc, text: this.src.slice(startOff, this.end[this.i]) };
      this.advance();
      if (op.path.length === 0 && op.head.type === 'var' && op.head.name === 'set') return { type: 'set', items: [], loc };
      return { type: 'call', op, args: [], loc };
    }
    const args = this.parseTermList(T.RPAREN, []);
    if (!args) return null;
    const loc: Location = { ...op.loc, text: this.src.slice(startOff, this.end[this.i]) };
    this.advance();
    return { type: 'call', op, args, loc };
  }

  parseTermList(end: T, r: Term[]): Term[] | null {
    if (this.cur() === end) return r;
    for (;;) {
      const term = this.parseTermInfixCall(false);
      if (!term) return null;
      r.push(term);
      if (this.cur() === end) return r;
      if (this.cur() === T.COMMA) {
        this.advance();
        if (this.cur() === end) return r;
        continue;
      }
      this.illegal(`expected "," or "${tokenName(end)}"`);
      return null;
    }
  }

  parseTermPairList(end: T, r: [Term, Term][]): [Term, Term][] | null {
    if (this.cur() === end) return r;
    for (;;) {
      const key = this.parseTermInfixCall(false);
      if (!key) return null;
      if (this.cur() !== T.COLON) {
        this.illegal('expected ":"');
        return null;
      }
      this.advance();
      const val = this.parseTermInfixCall(false);
      if (!val) return null;
      r.push([key, val]);
      if (this.cur() === end) return r;
      if (this.cur() === T.COMMA) {
        this.advance();
        if (this.cur() === end) return r;
        continue;
      }
      this.illegal(`expected "," or "${tokenName(end)}"`);
      return null;
    }
  }

  closeLoc(l: Location, startOff: number): Location {
    // current token is the closing bracket; include it
    l.text = this.src.slice(startOff, this.end[this.i]);
    return l;
  }

  parseArray(): Term | null {
    const l = this.loc();
    const startOff = this.start[this.i];
    this.advance();
    if (this.cur() === T.RBRACK) {
      const loc = this.closeLoc(l, startOff);
      this.advance();
      return { type: 'array', items: [], loc };
    }
    let potentialComprehension = true;
    if (this.cur() === T.COMMA) {
      potentialComprehension = false;
      this.advance();
    }
    const s = this.save();
    const head = this.parseTerm();
    if (!head) return null;
    switch (this.cur()) {
      case T.RBRACK: {
        const loc = this.closeLoc(l, startOff);
        this.advance();
        return { type: 'array', items: [head], loc };
      }
      case T.COMMA: {
        this.advance();
        const items = this.parseTermList(T.RBRACK, [head]);
        if (!items) return null;
        const loc = this.closeLoc(l, startOff);
        this.advance();
        return { type: 'array', items, loc };
      }
      case T.OR:
        if (potentialComprehension) {
          this.advance();
          const body = this.parseBody(T.RBRACK);
          if (body) {
            const loc = this.closeLoc(l, startOff);
            this.advance();
            return { type: 'arraycomp', term: head, body, loc };
          }
          if (this.cur() !== T.COMMA) return null;
        }
        break;
    }
    this.restore(s);
    const items = this.parseTermList(T.RBRACK, []);
    if (!items) return null;
    const loc = this.closeLoc(l, startOff);
    this.advance();
    return { type: 'array', items, loc };
  }

  parseSetOrObject(): Term | null {
    const l = this.loc();
    const startOff = this.start[this.i];
    this.advance();
    if (this.cur() === T.RBRACE) {
      const loc = this.closeLoc(l, startOff);
      this.advance();
      return { type: 'object', items: [], loc };
    }
    let potentialComprehension = true;
    if (this.cur() === T.COMMA) {
      potentialComprehension = false;
      this.advance();
    }
    const s = this.save();
    let head = this.parseTerm();
    if (!head) return null;
    switch (this.cur()) {
      case T.OR:
        if (potentialComprehension) return this.parseSet(s, head, true, l, startOff);
        break;
      case T.RBRACE:
      case T.COMMA:
        return this.parseSet(s, head, potentialComprehension, l, startOff);
      case T.COLON:
        return this.parseObject(head, potentialComprehension, l, startOff);
    }
    this.restore(s);
    head = this.parseTermInfixCall(false);
    if (!head) return null;
    switch (this.cur()) {
      case T.RBRACE:
      case T.COMMA:
        return this.parseSet(s, head, false, l, startOff);
      case T.COLON:
        return this.parseObject(head, potentialComprehension, l, startOff);
    }
    this.illegal('non-terminated set');
    return null;
  }

  parseSet(s: SavedState, head: Term, potentialComprehension: boolean, l: Location, startOff: number): Term | null {
    switch (this.cur()) {
      case T.RBRACE: {
        const loc = this.closeLoc(l, startOff);
        this.advance();
        return { type: 'set', items: [head], loc };
      }
      case T.COMMA: {
        this.advance();
        const items = this.parseTermList(T.RBRACE, [head]);
        if (!items) return null;
        const loc = this.closeLoc(l, startOff);
        this.advance();
        return { type: 'set', items, loc };
      }
      case T.OR: {
        if (potentialComprehension) {
          this.advance();
          const body = this.parseBody(T.RBRACE);
          if (body) {
            const loc = this.closeLoc(l, startOff);
            this.advance();
            return { type: 'setcomp', term: head, body, loc };
          }
          if (this.cur() !== T.COMMA) return null;
        }
        this.restore(s);
        const items = this.parseTermList(T.RBRACE, []);
        if (!items) return null;
        const loc = this.closeLoc(l, startOff);
        this.advance();
        return { type: 'set', items, loc };
      }
    }
    return null;
  }

  parseObject(k: Term, potentialComprehension: boolean, l: Location, startOff: number): Term | null {
    this.advance(); // :
    const s = this.save();
    const v = this.parseTerm();
    if (!v) return null;
    let potentialRelation = true;
    if (potentialComprehension) {
      const t = this.cur();
      if (t === T.RBRACE || t === T.COMMA || t === T.OR) {
        if (t !== T.OR) potentialRelation = false;
        const term = this.parseObjectFinish(k, v, true, l, startOff);
        if (term) return term;
      }
    }
    this.restore(s);
    if (potentialRelation) {
      const v2 = this.parseTermInfixCall(false);
      if (!v2) return null;
      if (this.cur() === T.RBRACE || this.cur() === T.COMMA) return this.parseObjectFinish(k, v2, false, l, startOff);
    }
    this.illegal('non-terminated object');
    return null;
  }

  parseObjectFinish(key: Term, val: Term, potentialComprehension: boolean, l: Location, startOff: number): Term | null {
    switch (this.cur()) {
      case T.RBRACE: {
        const loc = this.closeLoc(l, startOff);
        this.advance();
        return { type: 'object', items: [[key, val]], loc };
      }
      case T.OR:
        if (potentialComprehension) {
          this.advance();
          const body = this.parseBody(T.RBRACE);
          if (body) {
            const loc = this.closeLoc(l, startOff);
            this.advance();
            return { type: 'objectcomp', key, value: val, body, loc };
          }
        } else {
          this.illegal('non-terminated object');
        }
        return null;
      case T.COMMA: {
        this.advance();
        const items = this.parseTermPairList(T.RBRACE, [[key, val]]);
        if (!items) return null;
        const loc = this.closeLoc(l, startOff);
        this.advance();
        return { type: 'object', items, loc };
      }
    }
    return null;
  }

  parseNumber(): Term | null {
    const l = this.loc();
    const startOff = this.start[this.i];
    let prefix = '';
    if (this.cur() === T.SUB) {
      prefix = '-';
      this.advance();
      if (this.cur() !== T.NUMBER && this.cur() !== T.DOT) {
        this.illegal('expected number');
        return null;
      }
    }
    if (this.cur() === T.DOT) {
      prefix += '.';
      this.advance();
      if (this.cur() !== T.NUMBER) {
        this.illegal('expected number');
        return null;
      }
    }
    const lit = this.lit();
    if (!prefix.endsWith('.') && lit.length > 1 && lit[0] === '0') {
      const isDecimal = lit[1] === '.';
      const isScientific = lit.length > 2 && (lit[1] === 'e' || lit[1] === 'E');
      if (!isDecimal && !isScientific) {
        this.illegal('expected number without leading zero');
        return null;
      }
    }
    const raw = prefix + lit;
    if (numberTooBig(raw)) {
      this.error(this.loc(), 'number too big');
      return null;
    }
    l.text = this.src.slice(startOff, this.end[this.i]);
    this.advance();
    return { type: 'number', raw, loc: l };
  }

  parseString(): Term | null {
    const lit = this.lit();
    const loc = this.locText(this.i);
    let value: string;
    if (this.cur() === T.STRING) {
      const inner = lit.slice(1, -1);
      if (!inner.includes('\\')) value = inner;
      else {
        try {
          value = JSON.parse(lit) as string;
        } catch {
          this.error(loc, `illegal string literal: ${lit}`);
          return null;
        }
      }
    } else {
      value = lit.slice(1, -1);
    }
    this.advance();
    return { type: 'string', value, loc };
  }

  parseTemplate(): Term | null {
    const l = this.loc();
    const startOff = this.start[this.i];
    const raw = this.cur() === T.RTPART || this.cur() === T.RTEND;
    const parts: (string | Term)[] = [];
    let partWiths: (With[] | null)[] | null = null;
    let firstPart = true;
    for (;;) {
      const t = this.cur();
      const contentStart = this.start[this.i] + (firstPart ? 2 : 0);
      const content = this.src.slice(contentStart, this.end[this.i] - 1);
      firstPart = false;
      let s: string;
      if (raw) s = content.includes('\\{') ? content.replaceAll('\\{', '{') : content;
      else if (!content.includes('\\')) s = content;
      else {
        let out = '';
        for (let k = 0; k < content.length; k++) {
          const c = content[k];
          if (c === '\\' && k + 1 < content.length) {
            const d = content[k + 1];
            out += d === '{' ? '{' : c + d;
            k++;
          } else out += c;
        }
        try {
          s = out.includes('\\') ? (JSON.parse('"' + out + '"') as string) : out;
        } catch {
          this.error(this.loc(), `illegal template-string part: ${this.lit()}`);
          return null;
        }
      }
      if (s.length > 0) parts.push(s);
      if (t === T.TEND || t === T.RTEND) {
        l.text = this.src.slice(startOff, this.end[this.i]);
        this.advance();
        break;
      }
      this.advance();
      const expr = this.parseLiteral();
      if (!expr) {
        this.error(this.loc(), 'invalid template-string expression');
        return null;
      }
      if (expr.negated) {
        this.error(expr.loc, "unexpected negation ('not') in template-string expression");
        return null;
      }
      if (expr.kind === 'every') {
        this.error(expr.loc, "unexpected 'every' in template-string expression");
        return null;
      }
      if (expr.kind === 'some' || expr.kind === 'somein') {
        this.error(expr.loc, "unexpected 'some' in template-string expression");
        return null;
      }
      if (expr.kind === 'notbody') {
        this.error(expr.loc, "unexpected negation ('not') in template-string expression");
        return null;
      }
      const term = expr.term;
      if (term.type === 'call' && term.op.type === 'var' && (term.op.name === 'eq' || term.op.name === 'assign') && term.args.length === 2) {
        this.error(
          expr.loc,
          term.op.name === 'eq'
            ? "unexpected unification ('=') in template-string expression"
            : "unexpected assignment (':=') in template-string expression",
        );
        return null;
      }
      parts.push(term);
      if (expr.with.length > 0) {
        partWiths ??= [];
        while (partWiths.length < parts.length - 1) partWiths.push(null);
        partWiths.push(expr.with);
      }
      if (this.cur() !== T.RBRACE) {
        this.error(this.loc(), 'expected } to end template string expression');
        return null;
      }
      this.advance();
      const n = this.cur();
      const ok = raw ? n === T.RTPART || n === T.RTEND : n === T.TPART || n === T.TEND;
      if (!ok) {
        if (n === T.ILLEGAL) this.illegal();
        else this.error(this.loc(), 'expected template-string part');
        return null;
      }
    }
    const out: Term = { type: 'template', parts, loc: l };
    if (partWiths) {
      while (partWiths.length < parts.length) partWiths.push(null);
      out.partWiths = partWiths;
    }
    return out;
  }
}

function numberTooBig(raw: string): boolean {
  let s = raw;
  if (s[0] === '-') s = s.slice(1);
  let mant = s;
  let exp = 0;
  const e = s.search(/[eE]/);
  if (e !== -1) {
    mant = s.slice(0, e);
    const es = s.slice(e + 1);
    const digits = es.replace(/^[+-]/, '').replace(/^0+/, '');
    if (digits.length > 12) exp = es[0] === '-' ? -1e15 : 1e15;
    else exp = parseInt(es, 10) || 0;
  }
  const dot = mant.indexOf('.');
  const intPart = dot === -1 ? mant : mant.slice(0, dot);
  const frac = dot === -1 ? '' : mant.slice(dot + 1);
  let pos: number | null = null;
  for (let k = 0; k < intPart.length; k++) {
    if (intPart[k] !== '0') {
      pos = intPart.length - k - 1;
      break;
    }
  }
  if (pos === null) {
    for (let k = 0; k < frac.length; k++) {
      if (frac[k] !== '0') {
        pos = -(k + 1);
        break;
      }
    }
  }
  if (pos === null) return false; // zero
  const e10 = pos + exp;
  const e2 = e10 * 3.321928094887362;
  return e2 > 1e5 - 1 || e2 < -1e5 - 1;
}

// ---------------------------------------------------------------------------------------------
// Module assembly

function fail(errors: RegoError[]): never {
  // de-duplicate identical errors (backtracking may re-report), keep OPA's cap
  const seen = new Set<string>();
  const out: RegoError[] = [];
  for (const e of errors) {
    const k = `${e.location?.row}:${e.location?.col}:${e.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e);
    if (out.length >= MAX_ERRORS) break;
  }
  throw new RegoErrorList(out);
}

function runGuarded<X>(p: Parser, f: () => X): X {
  try {
    return f();
  } catch (e) {
    if (e instanceof RegoErrorList) throw e;
    if (e instanceof RangeError || e instanceof DepthExceeded) {
      p.errors.push(new RegoError('rego_parse_error', DEPTH_MESSAGE, p.loc(Math.min(p.i, p.toks.count - 1))));
      fail(p.errors);
    }
    throw e;
  }
}

function parseErr(msg: string, loc: Location): RegoError {
  return new RegoError('rego_parse_error', msg, loc);
}

/** OPA's ParseRuleFromBody: module-level bodies such as `p := 1`, `a.b.c := 1`, `f(x) = 2`. */
function ruleFromBody(body: Body, meta: Map<Rule, RuleMeta>, opts: ParseOptions): Rule | string {
  if (body.length !== 1) return 'multiple expressions cannot be used for rule head';
  const expr = body[0];
  if (expr.with.length > 0) return 'expressions using with keyword cannot be used for rule head';
  if (expr.negated) return 'negated expressions cannot be used for rule head';
  if (expr.kind === 'some' || expr.kind === 'somein') return "'some' declarations cannot be used for rule head";
  if (expr.kind !== 'term') return 'expression cannot be used for rule head';
  const term = expr.term;
  const trueBody = (loc: Location): Body => {
    const l = { ...loc };
    return [{ kind: 'term', term: { type: 'boolean', value: true, loc: l }, negated: false, with: [], loc: l }];
  };
  const mk = (head: RuleHead, loc: Location, m: Partial<RuleMeta>, bodyLoc: Location): Rule => {
    const rule: Rule = { default: false, head, body: trueBody(bodyLoc), annotations: [], loc: { ...loc } };
    meta.set(rule, { hasIf: false, usesContains: false, generatedBody: true, generatedValue: false, ...m });
    return rule;
  };

  if (term.type !== 'call') {
    if (term.type === 'ref') {
      if (term.head.type !== 'var') return `invalid rule head: ${termToString(term)}`;
      const ref = [term.head, ...term.path];
      if (ref.length > 2) {
        const head: RuleHead = {
          ref,
          value: { type: 'boolean', value: true, loc: { ...term.loc } },
          assign: false,
          contains: false,
          loc: { ...term.loc },
        };
        return mk(head, term.loc, { generatedValue: true }, term.loc);
      }
      // partial set `p[x]` (v0 style; rejected by the v1 checks)
      const head: RuleHead = { ref: [ref[0]], key: ref[1], assign: false, contains: false, loc: { ...term.loc } };
      return mk(head, term.loc, {}, term.loc);
    }
    return `${valueName(term)} cannot be used for rule name`;
  }

  const opName = term.op.type === 'var' ? term.op.name : '';
  if ((opName === 'eq' || opName === 'assign') && term.args.length === 2) {
    const [lhs, rhs] = term.args;
    const assign = opName === 'assign';
    const exprLoc = expr.loc;
    // function: f(x) = y
    if (lhs.type === 'call') {
      const op = lhs.op;
      let ref: Term[];
      if (op.type === 'var') ref = [op];
      else {
        if (op.head.type !== 'var') return `invalid rule head: ${termToString(op)}`;
        ref = [op.head, ...op.path];
      }
      const head: RuleHead = { ref, args: lhs.args, value: rhs, assign, contains: false, loc: { ...exprLoc } };
      return mk(head, exprLoc, {}, rhs.loc);
    }
    if (lhs.type === 'ref') {
      if (lhs.head.type !== 'var') return `invalid rule head: ${termToString(lhs)}`;
      const head: RuleHead = { ref: [lhs.head, ...lhs.path], value: rhs, assign, contains: false, loc: { ...exprLoc } };
      return mk(head, exprLoc, {}, rhs.loc);
    }
    if (lhs.type === 'var') {
      const head: RuleHead = { ref: [lhs], value: rhs, assign, contains: false, loc: { ...exprLoc } };
      return mk(head, exprLoc, {}, rhs.loc);
    }
    return `${valueName(lhs)} cannot be used for rule name`;
  }

  if (term.op.type === 'var' || opts.isBuiltin?.(termToString(term.op))) return 'rule name conflicts with built-in function';
  if (term.args.length === 0) return 'rule argument list must take at least one argument';
  const op = term.op;
  if (op.head.type !== 'var') return `invalid rule head: ${termToString(op)}`;
  const head: RuleHead = {
    ref: [op.head, ...op.path],
    args: term.args,
    value: { type: 'boolean', value: true, loc: { ...op.loc } },
    assign: false,
    contains: false,
    loc: { ...op.loc },
  };
  return mk(head, op.loc, {}, op.loc);
}

function checkRegoV1(rule: Rule, m: RuleMeta | undefined): RegoError[] {
  const errs: RegoError[] = [];
  const meta = m ?? { hasIf: true, usesContains: false, generatedBody: false, generatedValue: false };
  const t = rule.head.args && rule.head.args.length > 0 ? 'function' : 'rule';
  const r0 = rule.head.ref[0];
  if (rule.head.ref.length <= 2 && r0 && r0.type === 'var' && KEYWORDS.has(r0.name)) {
    errs.push(parseErr(`${r0.name} keyword cannot be used for rule name`, rule.loc));
  }
  if (meta.generatedBody && meta.generatedValue) {
    errs.push(parseErr(`${t} must have value assignment and/or body declaration`, rule.loc));
  }
  if (!meta.generatedBody && !meta.hasIf && !rule.default) {
    errs.push(parseErr(`\`if\` keyword is required before ${t} body`, rule.loc));
  }
  if (rule.head.key !== undefined && rule.head.value === undefined && !meta.usesContains) {
    errs.push(parseErr('`contains` keyword is required for partial set rules', rule.loc));
  }
  return errs;
}

function groundPrefixKey(ref: Term[]): string {
  const parts: string[] = [];
  for (let k = 0; k < ref.length; k++) {
    const t = ref[k];
    if (k > 0 && !isGround(t)) break;
    parts.push(k === 0 && t.type === 'var' ? t.name : JSON.stringify(termToString(t)));
  }
  return parts.join('\u0000');
}

function isDocumentRef(s: string): boolean {
  try {
    const q = parseQuery(s, '');
    if (q.body.length !== 1) return false;
    const e = q.body[0];
    if (e.kind !== 'term' || e.negated || e.with.length > 0) return false;
    return e.term.type === 'ref' || e.term.type === 'var';
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Public API

export interface ParseOptions {
  /**
   * Tells whether a name is a built-in function. Used like OPA for module-level call statements
   * (`count(x)` alone is "rule name conflicts with built-in function"; `f(x)` alone defines f).
   * Operators are always built-ins.
   */
  isBuiltin?: (name: string) => boolean;
}

/** Parses a Rego v1 module; throws RegoErrorList (rego_parse_error) on errors. */
export function parseModule(source: string, file: string, opts: ParseOptions = {}): Module {
  const p = new Parser(source, file);
  const stmts = runGuarded(p, () => p.parseStatements(false));

  const comments: Comment[] = p.toks.comments;
  const meta = parseMetadataBlocks(comments, source, isDocumentRef);
  for (const e of meta.errors) p.errors.push(parseErr(e.message, e.loc));
  if (p.errors.length > 0) fail(p.errors);

  const errors: RegoError[] = [];
  if (stmts.length === 0) fail([new RegoError('rego_parse_error', 'empty module', { file, row: 0, col: 0 })]);

  let pkg: Package;
  const first = stmts[0];
  if (first.kind === 'package') pkg = first.pkg;
  else {
    errors.push(parseErr('package expected', first.loc));
    pkg = { path: [], loc: { ...first.loc } };
  }
  const mod: Module = {
    file,
    package: pkg,
    imports: [],
    rules: [],
    comments,
    annotations: meta.annotations,
    regoV1: true,
  };

  // statements (after conversion), for annotation attachment
  const nodes: { kind: 'package' | 'import' | 'rule'; loc: Location; rule?: Rule }[] = [];
  if (first.kind === 'package') nodes.push({ kind: 'package', loc: first.loc });
  for (let k = 1; k < stmts.length; k++) {
    const st = stmts[k];
    switch (st.kind) {
      case 'import':
        mod.imports.push(st.imp);
        nodes.push({ kind: 'import', loc: st.loc });
        break;
      case 'rule':
        mod.rules.push(st.rule);
        nodes.push({ kind: 'rule', loc: st.rule.loc, rule: st.rule });
        break;
      case 'body': {
        const r = ruleFromBody(st.body, p.meta, opts);
        if (typeof r === 'string') {
          errors.push(parseErr(r, st.body[0].loc));
          continue;
        }
        mod.rules.push(r);
        nodes.push({ kind: 'rule', loc: r.loc, rule: r });
        break;
      }
      case 'package':
        errors.push(parseErr('unexpected package', st.pkg.loc));
        break;
    }
  }
  if (first.kind !== 'package') {
    // OPA reports "package expected" and still converts the remaining statements; the first
    // statement itself is not converted.
  }

  for (const rule of mod.rules) {
    for (let r: Rule | undefined = rule; r; r = r.else) {
      errors.push(...checkRegoV1(r, p.meta.get(r)));
      r.module = mod;
    }
  }
  if (errors.length > 0) fail(errors);

  // annotations: attach to the following statement, default the scope, validate
  const annErrors: RegoError[] = [];
  const annNode = new Map<Annotation, (typeof nodes)[number] | undefined>();
  for (const a of mod.annotations) {
    const node = nodes.find((n) => n.loc.row > a.loc.row);
    annNode.set(a, node);
    if ((a.scope as string) === '') {
      if (node?.kind === 'rule') a.scope = a.entrypoint ? 'document' : 'rule';
      else if (node?.kind === 'package') a.scope = 'package';
      else if (node?.kind === 'import') a.scope = 'import';
    }
    const scope = a.scope as string;
    if (scope === 'rule' || scope === 'document') {
      if (node?.kind !== 'rule') {
        annErrors.push(
          parseErr(`annotation scope '${scope}' must be applied to rule${node ? ` (have ${node.kind})` : ''}`, a.loc),
        );
      }
    } else if (scope === 'package' || scope === 'subpackages') {
      if (node?.kind !== 'package') {
        annErrors.push(
          parseErr(`annotation scope '${scope}' must be applied to package${node ? ` (have ${node.kind})` : ''}`, a.loc),
        );
      }
    } else if (!VALID_SCOPES.has(scope)) {
      annErrors.push(
        parseErr(`invalid annotation scope '${scope}'. Use one of 'rule', 'document', 'package', or 'subpackages'`, a.loc),
      );
    }
    if (a.entrypoint && !(scope === 'document' || scope === 'package')) {
      annErrors.push(parseErr(`annotation entrypoint applied to non-document or package scope '${scope}'`, a.loc));
    }
  }
  if (annErrors.length > 0) fail(annErrors);

  // OPA's attachRuleAnnotations
  const targetKey = (a: Annotation): string | null => {
    const node = annNode.get(a);
    if (node?.kind === 'rule' && node.rule) return groundPrefixKey(node.rule.head.ref);
    return null;
  };
  let cpy = mod.annotations.slice();
  for (const rule of mod.rules) {
    const key = groundPrefixKey(rule.head.ref);
    let j = 0;
    let found = false;
    for (let k = 0; k < cpy.length; k++) {
      const a = cpy[k];
      if (targetKey(a) !== key) continue;
      if (a.scope === 'document') rule.annotations.push(a);
      else if (a.scope === 'rule' && rule.loc.row > a.loc.row) {
        j = k;
        found = true;
        rule.annotations.push(a);
      }
    }
    if (found && j < cpy.length) cpy = [...cpy.slice(0, j), ...cpy.slice(j + 1)];
  }

  return mod;
}

/** Parses a query (one or more expressions separated by `;` or newlines). */
export function parseQuery(source: string, file = ''): Query {
  const p = new Parser(source, file);
  const stmts = runGuarded(p, () => p.parseStatements(true));
  if (p.errors.length > 0) fail(p.errors);
  const body: Body = [];
  for (const st of stmts) {
    if (st.kind === 'body') body.push(...st.body);
    else fail([parseErr(`expected body but got ${st.kind}`, st.loc)]);
  }
  return { body, file };
}

/** Parses a body (same as a query, returning just the expressions). */
export function parseBody(source: string, file = ''): Body {
  return parseQuery(source, file).body;
}

/** Parses a single term (e.g. `data.x.y`, `{"a": [1, 2]}`). */
export function parseTerm(source: string, file = ''): Term {
  const body = parseBody(source, file);
  if (body.length !== 1 || body[0].kind !== 'term' || body[0].negated || body[0].with.length > 0) {
    fail([parseErr('expected exactly one term', body[0]?.loc ?? { file, row: 1, col: 1, offset: 0 })]);
  }
  return (body[0] as TermExpr).term;
}

/** Parses a reference such as `data.a.b[0]` (a bare var is returned as a ref with an empty path). */
export function parseRef(source: string, file = ''): RefTerm {
  const t = parseTerm(source, file);
  if (t.type === 'ref') return t;
  if (t.type === 'var') return { type: 'ref', head: t, path: [], loc: t.loc };
  fail([parseErr(`expected ref but got ${valueName(t)}`, t.loc)]);
}
