// The Rego abstract syntax tree produced by the parser and consumed by the compiler.
//
// Shapes follow OPA's `ast` package closely (Module, Package, Import, Rule, Head, Body, Expr,
// Term) so that error messages, metadata and formatting can be made to match OPA's. Every node
// carries a Location (file, 1-based row and column, 0-based byte-free character offset).

export interface Location {
  file: string;
  row: number; // 1-based line
  col: number; // 1-based column (in characters)
  offset: number; // 0-based character offset in the source
  /** The source text the node spans (may be omitted for synthesised nodes). */
  text?: string;
}

// ---------------------------------------------------------------------------------------------
// Terms

export type Term =
  | NullTerm
  | BooleanTerm
  | NumberTerm
  | StringTerm
  | VarTerm
  | RefTerm
  | ArrayTerm
  | ObjectTerm
  | SetTerm
  | ArrayComprehension
  | SetComprehension
  | ObjectComprehension
  | CallTerm
  | TemplateStringTerm;

export interface NullTerm {
  type: 'null';
  loc: Location;
}
export interface BooleanTerm {
  type: 'boolean';
  value: boolean;
  loc: Location;
}
/** Number literal; `raw` is the literal text exactly as written (e.g. "1", "-2.5e3", "18446744073709551616"). */
export interface NumberTerm {
  type: 'number';
  raw: string;
  loc: Location;
}
/** String literal (double-quoted with escapes resolved, or raw back-quoted). */
export interface StringTerm {
  type: 'string';
  value: string;
  loc: Location;
}
/**
 * Variable. The wildcard `_` is kept as name "_" by the parser; the compiler renames each
 * occurrence to a fresh generated variable (OPA: `$0`, `$1`, ...).
 */
export interface VarTerm {
  type: 'var';
  name: string;
  loc: Location;
}
/**
 * Reference: `head.path[0][path[1]]...`. `head` is a VarTerm for `data.x`, `input.x`, `x[y]`, or
 * a composite/call term for e.g. `[1,2][0]`, `f(x).y`, `{"a":1}.a`. Dotted names become string
 * terms in `path` (`a.b` → head var a, path ["b"]); bracket terms are kept as written.
 */
export interface RefTerm {
  type: 'ref';
  head: Term;
  path: Term[];
  loc: Location;
}
export interface ArrayTerm {
  type: 'array';
  items: Term[];
  loc: Location;
}
export interface ObjectTerm {
  type: 'object';
  items: [Term, Term][];
  loc: Location;
}
export interface SetTerm {
  type: 'set';
  items: Term[];
  loc: Location;
}
export interface ArrayComprehension {
  type: 'arraycomp';
  term: Term;
  body: Body;
  loc: Location;
}
export interface SetComprehension {
  type: 'setcomp';
  term: Term;
  body: Body;
  loc: Location;
}
export interface ObjectComprehension {
  type: 'objectcomp';
  key: Term;
  value: Term;
  body: Body;
  loc: Location;
}
/**
 * Function or operator call. `op` is the function name as a ref (e.g. `count`, `time.now_ns`,
 * `data.lib.f`, `lib.f`), or for operators the built-in name as a single var:
 *   `=` eq, `:=` assign, `==` equal, `!=` neq, `<` lt, `<=` lte, `>` gt, `>=` gte,
 *   `+` plus, `-` minus, `*` mul, `/` div, `%` rem, `&` and, `|` or,
 *   `x in xs` internal.member_2(x, xs), `k, v in xs` internal.member_3(k, v, xs).
 * Unary minus on a number literal yields a negative NumberTerm; on any other term it yields
 * minus(0, term) as OPA does.
 */
export interface CallTerm {
  type: 'call';
  op: RefTerm | VarTerm;
  args: Term[];
  loc: Location;
}
/**
 * String interpolation `$"text {expr} text"` (and raw `$\`...\``). `parts` alternate literal
 * strings and embedded terms, in source order; literal escapes (including `\{`) are resolved.
 */
export interface TemplateStringTerm {
  type: 'template';
  parts: (string | Term)[];
  /**
   * (Parser addition) `with` modifiers of embedded expressions, e.g. `$"{a with input as 1}"`:
   * aligned with `parts` (null where none); present only when some embedded expression has them.
   */
  partWiths?: (With[] | null)[];
  loc: Location;
}

// ---------------------------------------------------------------------------------------------
// Expressions and bodies

export type Body = Expr[];

export interface With {
  target: RefTerm | VarTerm; // input..., data..., or a function/built-in name
  value: Term;
  loc: Location;
}

export type ExprKind = TermExpr | SomeDecl | SomeIn | Every | NotBody;

export interface ExprBase {
  negated: boolean; // `not`
  with: With[];
  loc: Location;
}
/** A plain term expression: a call (incl. `=`/`:=`/comparisons) or any other term. */
export interface TermExpr extends ExprBase {
  kind: 'term';
  term: Term;
}
/** `some x, y` */
export interface SomeDecl extends ExprBase {
  kind: 'some';
  vars: VarTerm[];
}
/** `some v in xs` / `some k, v in xs` (key null for the one-variable form). */
export interface SomeIn extends ExprBase {
  kind: 'somein';
  key: Term | null;
  value: Term;
  domain: Term;
}
/** `every v in xs { body }` / `every k, v in xs { body }` */
export interface Every extends ExprBase {
  kind: 'every';
  key: Term | null;
  value: Term;
  domain: Term;
  body: Body;
}
/** `not { body }` (experimental: `import future.keywords.not` or `import rego.v2`). */
export interface NotBody extends ExprBase {
  kind: 'notbody';
  body: Body;
}
export type Expr = TermExpr | SomeDecl | SomeIn | Every | NotBody;

// ---------------------------------------------------------------------------------------------
// Rules

export interface RuleHead {
  /**
   * The rule's reference: for `p` → [var p]; `a.b.c` → [var a, "b", "c"]; `a.b[x]` →
   * [var a, "b", var x]. Always starts with a VarTerm; dotted parts are StringTerms.
   */
  ref: Term[];
  /** Function arguments (present only for functions, even when empty: `f() := 1`). */
  args?: Term[];
  /** Multi-value (`contains`) rules: the element. */
  key?: Term;
  /** Value (for single-value rules; `true` BooleanTerm is synthesised when omitted). */
  value?: Term;
  /** `:=` (true) vs `=` (false) vs none (value synthesised). */
  assign: boolean;
  /** True for `p contains x` heads. */
  contains: boolean;
  loc: Location;
}

export interface Rule {
  default: boolean;
  head: RuleHead;
  /** Body; an omitted body is [true]. */
  body: Body;
  /** The next `else` in the chain, whose head has only a value (and the same ref/args). */
  else?: Rule;
  /** METADATA annotations attached to this rule (scope rule or document). */
  annotations: Annotation[];
  module?: Module;
  loc: Location;
}

export interface Import {
  /** The imported path as a ref (`data.foo.bar`, `input.x`, `future.keywords.in`, `rego.v1`). */
  path: RefTerm | VarTerm;
  alias?: string;
  loc: Location;
}

export interface Package {
  /** The package path without the leading `data` (e.g. `package a.b` → ["a", "b"] strings). */
  path: Term[];
  loc: Location;
}

export interface Comment {
  text: string; // without the leading '#'
  loc: Location;
}

export type AnnotationScope = 'rule' | 'document' | 'package' | 'subpackages' | 'import';

/** A parsed `# METADATA` block. Fields mirror OPA's ast.Annotations. */
export interface Annotation {
  scope: AnnotationScope;
  title?: string;
  description?: string;
  organizations?: string[];
  relatedResources?: { ref: string; description?: string }[];
  authors?: { name?: string; email?: string }[];
  schemas?: { path?: string; schema?: unknown; definition?: unknown }[];
  entrypoint?: boolean;
  custom?: Record<string, unknown>;
  /** The YAML mapping exactly as parsed (for rego.metadata.* output). */
  raw: Record<string, unknown>;
  loc: Location;
}

export interface Module {
  file: string;
  package: Package;
  imports: Import[];
  rules: Rule[];
  comments: Comment[];
  /** All METADATA blocks of the module (package/subpackages scoped ones included). */
  annotations: Annotation[];
  /** True when the module is Rego v1 (always, for now; v0 modules are rejected). */
  regoV1: boolean;
}

/** A parsed query (e.g. `data.x.p = y; count(y) > 1`). */
export interface Query {
  body: Body;
  file: string;
}
