// graphql.* built-ins, after OPA's v1/topdown/graphql.go.
//
// OPA parses and validates with its vendored copy of vektah/gqlparser (internal/gqlparser). This
// module ports the parts of it the built-ins use: the lexer and parser (with gqlparser's error
// messages and positions), the Go-struct shape of the AST as OPA renders it (pruned of positions,
// nulls and empty collections), the decoding of AST objects back into documents (including
// gqlparser's quirk of decoding every selection as a field), schema loading/validation
// (ValidateSchemaDocument, with gqlparser's prelude merged in) and the query validation rules.

import { fromJS, toJS } from '../json.ts';
import { ObjectValue, type Value } from '../value.ts';
import { builtinError, operandTypeError, t, type Builtin } from './registry.ts';

// ============================================================================================
// AST (mirrors gqlparser's ast package)

interface Pos {
  line: number;
  column: number;
}

const enum VK {
  Variable = 0,
  Int = 1,
  Float = 2,
  String = 3,
  Block = 4,
  Boolean = 5,
  Null = 6,
  Enum = 7,
  List = 8,
  Object = 9,
}

interface GType {
  namedType: string;
  elem: GType | null;
  nonNull: boolean;
  pos: Pos | null;
}

interface GValue {
  raw: string;
  children: ChildValue[];
  kind: number;
  pos: Pos | null;
  expectedTypeHasDefault: boolean;
  // set by validation
  expectedType?: GType | null;
  definition?: Definition | null;
  variableDefinition?: VariableDefinition | null;
}

interface ChildValue {
  name: string;
  value: GValue | null;
  pos: Pos | null;
}

interface Argument {
  name: string;
  value: GValue | null;
  pos: Pos | null;
}

interface Directive {
  name: string;
  arguments: Argument[];
  pos: Pos | null;
  location: string;
  definition?: DirectiveDefinition | null;
}

interface VariableDefinition {
  variable: string;
  type: GType | null;
  defaultValue: GValue | null;
  directives: Directive[];
  pos: Pos | null;
  used: boolean;
  definition?: Definition | null;
}

interface Field {
  sel: 'field';
  alias: string;
  name: string;
  arguments: Argument[];
  directives: Directive[];
  selectionSet: Selection[];
  pos: Pos | null;
  definition?: FieldDefinition | null;
  objectDefinition?: Definition | null;
}

interface FragmentSpread {
  sel: 'spread';
  name: string;
  directives: Directive[];
  pos: Pos | null;
  definition?: FragmentDefinition | null;
  objectDefinition?: Definition | null;
}

interface InlineFragment {
  sel: 'inline';
  typeCondition: string;
  directives: Directive[];
  selectionSet: Selection[];
  pos: Pos | null;
  objectDefinition?: Definition | null;
}

type Selection = Field | FragmentSpread | InlineFragment;

interface OperationDefinition {
  operation: string;
  name: string;
  variableDefinitions: VariableDefinition[];
  directives: Directive[];
  selectionSet: Selection[];
  pos: Pos | null;
}

interface FragmentDefinition {
  name: string;
  variableDefinition: VariableDefinition[];
  typeCondition: string;
  directives: Directive[];
  selectionSet: Selection[];
  pos: Pos | null;
  definition?: Definition | null;
}

interface QueryDocument {
  operations: OperationDefinition[];
  fragments: FragmentDefinition[];
}

interface ArgumentDefinition {
  description: string;
  name: string;
  defaultValue: GValue | null;
  type: GType | null;
  directives: Directive[];
  pos: Pos | null;
}

interface FieldDefinition extends ArgumentDefinition {
  arguments: ArgumentDefinition[];
}

interface EnumValueDefinition {
  description: string;
  name: string;
  directives: Directive[];
  pos: Pos | null;
}

interface Definition {
  kind: string;
  description: string;
  name: string;
  directives: Directive[];
  interfaces: string[];
  fields: FieldDefinition[];
  types: string[];
  enumValues: EnumValueDefinition[];
  pos: Pos | null;
  builtIn: boolean;
}

interface OperationTypeDefinition {
  operation: string;
  type: string;
  pos: Pos | null;
}

interface SchemaDefinition {
  description: string;
  directives: Directive[];
  operationTypes: OperationTypeDefinition[];
  pos: Pos | null;
}

interface DirectiveDefinition {
  description: string;
  name: string;
  arguments: ArgumentDefinition[];
  locations: string[];
  isRepeatable: boolean;
  pos: Pos | null;
}

interface SchemaDocument {
  schema: SchemaDefinition[];
  schemaExtension: SchemaDefinition[];
  directives: DirectiveDefinition[];
  definitions: Definition[];
  extensions: Definition[];
}

interface Schema {
  query: Definition | null;
  mutation: Definition | null;
  subscription: Definition | null;
  types: Map<string, Definition>;
  directives: Map<string, DirectiveDefinition>;
  possibleTypes: Map<string, (Definition | undefined)[]>;
}

const typeName = (ty: GType | null): string => {
  if (ty === null) return '';
  if (ty.namedType !== '') return ty.namedType;
  return typeName(ty.elem);
};

const typeString = (ty: GType | null): string => {
  if (ty === null) return '<nil>';
  const nn = ty.nonNull ? '!' : '';
  if (ty.elem !== null) return `[${typeString(ty.elem)}]${nn}`;
  return ty.namedType + nn;
};

function isCompatible(ty: GType, other: GType): boolean {
  if (ty.namedType !== other.namedType) return false;
  if (ty.elem !== null && other.elem === null) return false;
  if (ty.elem !== null && !isCompatible(ty.elem, other.elem!)) return false;
  if (other.nonNull) return ty.nonNull;
  return true;
}

const forName = <T extends { name: string }>(list: T[], name: string): T | undefined => list.find((x) => x.name === name);

const isLeaf = (d: Definition): boolean => d.kind === 'ENUM' || d.kind === 'SCALAR';
const isAbstract = (d: Definition): boolean => d.kind === 'INTERFACE' || d.kind === 'UNION';
const isComposite = (d: Definition): boolean => d.kind === 'OBJECT' || d.kind === 'INTERFACE' || d.kind === 'UNION';
const isInput = (d: Definition): boolean => d.kind === 'SCALAR' || d.kind === 'ENUM' || d.kind === 'INPUT_OBJECT';

// Go's strconv.Quote (printable characters kept, others escaped).
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if ((c >= 0x80 && c < 0xa0) || c === 0xad || c === 0xfeff) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function valueString(v: GValue | null): string {
  if (v === null) return '<nil>';
  switch (v.kind) {
    case VK.Variable:
      return '$' + v.raw;
    case VK.String:
    case VK.Block:
      return goQuote(v.raw);
    case VK.List:
      return '[' + v.children.map((c) => valueString(c.value)).join(',') + ']';
    case VK.Object:
      return '{' + v.children.map((c) => c.name + ':' + valueString(c.value)).join(',') + '}';
    default:
      return v.raw;
  }
}

// ============================================================================================
// Lexer (gqlparser/lexer)

const enum TK {
  Invalid,
  EOF,
  Bang,
  Dollar,
  Amp,
  ParenL,
  ParenR,
  Spread,
  Colon,
  Equals,
  At,
  BracketL,
  BracketR,
  BraceL,
  BraceR,
  Pipe,
  Name,
  Int,
  Float,
  String,
  BlockString,
  Comment,
}

const TK_STRING = [
  '<Invalid>',
  '<EOF>',
  '!',
  '$',
  '&',
  '(',
  ')',
  '...',
  ':',
  '=',
  '@',
  '[',
  ']',
  '{',
  '}',
  '|',
  'Name',
  'Int',
  'Float',
  'String',
  'BlockString',
  'Comment',
];

interface Token {
  kind: TK;
  value: string;
  line: number;
  column: number;
}

const tokenString = (tok: Token): string => (tok.value !== '' ? `${TK_STRING[tok.kind]} ${goQuote(tok.value)}` : TK_STRING[tok.kind]);

interface GqlError {
  message: string;
  line?: number;
  column?: number;
}

const PUNCT: Record<string, TK> = {
  '!': TK.Bang,
  $: TK.Dollar,
  '&': TK.Amp,
  '(': TK.ParenL,
  ')': TK.ParenR,
  ':': TK.Colon,
  '=': TK.Equals,
  '@': TK.At,
  '[': TK.BracketL,
  ']': TK.BracketR,
  '{': TK.BraceL,
  '}': TK.BraceR,
  '|': TK.Pipe,
};

const isNameStart = (c: string): boolean => c === '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isNameChar = (c: string): boolean => isNameStart(c) || (c >= '0' && c <= '9');
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

function leadingWhitespace(s: string): number {
  for (let i = 0; i < s.length; i++) if (s[i] !== ' ' && s[i] !== '\t') return i;
  return Number.MAX_SAFE_INTEGER;
}

function blockStringValue(raw: string): string {
  const lines = raw.split('\n');
  let common = Number.MAX_SAFE_INTEGER;
  for (let i = 1; i < lines.length; i++) {
    const indent = leadingWhitespace(lines[i]);
    if (indent < lines[i].length && indent < common) {
      common = indent;
      if (common === 0) break;
    }
  }
  if (common !== Number.MAX_SAFE_INTEGER) {
    for (let i = 1; i < lines.length; i++) lines[i] = lines[i].length < common ? '' : lines[i].slice(common);
  }
  let start = 0;
  let end = lines.length;
  while (start < end && leadingWhitespace(lines[start]) === Number.MAX_SAFE_INTEGER) start++;
  while (start < end && leadingWhitespace(lines[end - 1]) === Number.MAX_SAFE_INTEGER) end--;
  return lines.slice(start, end).join('\n');
}

class Lexer {
  private start = 0;
  private startRunes = 0;
  private end = 0;
  private endRunes = 0;
  private line = 1;
  private lineStartRunes = 0;

  constructor(private readonly input: string) {}

  private tok(kind: TK, value: string): [Token, GqlError | null] {
    return [{ kind, value, line: this.line, column: this.startRunes - this.lineStartRunes + 1 }, null];
  }

  private err(message: string): [Token, GqlError | null] {
    const column = this.endRunes - this.lineStartRunes + 1;
    return [{ kind: TK.Invalid, value: '', line: this.line, column }, { message, line: this.line, column }];
  }

  /** Width (UTF-16 units) of the character at `i`. */
  private width(i: number): number {
    const c = this.input.charCodeAt(i);
    return c >= 0xd800 && c <= 0xdbff && i + 1 < this.input.length ? 2 : 1;
  }

  read(): [Token, GqlError | null] {
    const s = this.input;
    for (;;) {
      this.ws();
      this.start = this.end;
      this.startRunes = this.endRunes;
      if (this.end >= s.length) return this.tok(TK.EOF, '');
      const r = s[this.start];
      this.end++;
      this.endRunes++;
      if (PUNCT[r] !== undefined) return this.tok(PUNCT[r], '');
      if (r === '.' && s.startsWith('...', this.start)) {
        this.end += 2;
        this.endRunes += 2;
        return this.tok(TK.Spread, '');
      }
      if (r === '#') {
        this.readComment();
        continue;
      }
      if (isNameStart(r)) return this.readName();
      if (r === '-' || isDigit(r)) return this.readNumber();
      if (r === '"') {
        if (s.startsWith('"""', this.start)) return this.readBlockString();
        return this.readString();
      }
      this.end--;
      this.endRunes--;
      const code = s.codePointAt(this.start)!;
      if (code < 0x20 && code !== 9 && code !== 10 && code !== 13) {
        return this.err(`Cannot contain the invalid character "\\u${String(code).padStart(4, '0')}"`);
      }
      if (r === "'") return this.err('Unexpected single quote character (\'), did you mean to use a double quote (")?');
      return this.err(`Cannot parse the unexpected character "${String.fromCodePoint(code)}".`);
    }
  }

  private ws(): void {
    const s = this.input;
    while (this.end < s.length) {
      const c = s[this.end];
      if (c === '\t' || c === ' ' || c === ',' || c === '\ufeff') {
        this.end++;
        this.endRunes++;
      } else if (c === '\n') {
        this.end++;
        this.endRunes++;
        this.line++;
        this.lineStartRunes = this.endRunes;
      } else if (c === '\r') {
        this.end++;
        this.endRunes++;
        this.line++;
        this.lineStartRunes = this.endRunes;
        if (this.end < s.length && s[this.end] === '\n') {
          this.end++;
          this.endRunes++;
        }
      } else return;
    }
  }

  private readComment(): void {
    const s = this.input;
    while (this.end < s.length) {
      const c = s.codePointAt(this.end)!;
      if (c > 0x1f || c === 9) {
        this.end += this.width(this.end);
        this.endRunes++;
      } else break;
    }
  }

  private readName(): [Token, GqlError | null] {
    const s = this.input;
    while (this.end < s.length && isNameChar(s[this.end])) {
      this.end++;
      this.endRunes++;
    }
    return this.tok(TK.Name, s.slice(this.start, this.end));
  }

  private acceptByte(...bytes: string[]): boolean {
    if (this.end >= this.input.length) return false;
    if (bytes.includes(this.input[this.end])) {
      this.end++;
      this.endRunes++;
      return true;
    }
    return false;
  }

  private acceptDigits(): number {
    let n = 0;
    while (this.end < this.input.length && isDigit(this.input[this.end])) {
      this.end++;
      this.endRunes++;
      n++;
    }
    return n;
  }

  private describeNext(): string {
    return this.end < this.input.length ? `"${this.input[this.end]}"` : '<EOF>';
  }

  private readNumber(): [Token, GqlError | null] {
    let float = false;
    this.end--;
    this.endRunes--;
    this.acceptByte('-');
    if (this.acceptByte('0')) {
      const n = this.acceptDigits();
      if (n !== 0) {
        this.end -= n;
        this.endRunes -= n;
        return this.err(`Invalid number, unexpected digit after 0: ${this.describeNext()}.`);
      }
    } else if (this.acceptDigits() === 0) {
      return this.err(`Invalid number, expected digit but got: ${this.describeNext()}.`);
    }
    if (this.acceptByte('.')) {
      float = true;
      if (this.acceptDigits() === 0) return this.err(`Invalid number, expected digit but got: ${this.describeNext()}.`);
    }
    if (this.acceptByte('e', 'E')) {
      float = true;
      this.acceptByte('-', '+');
      if (this.acceptDigits() === 0) return this.err(`Invalid number, expected digit but got: ${this.describeNext()}.`);
    }
    return this.tok(float ? TK.Float : TK.Int, this.input.slice(this.start, this.end));
  }

  private readString(): [Token, GqlError | null] {
    const s = this.input;
    let buf: string | null = null;
    this.start++;
    this.startRunes++;
    while (this.end < s.length) {
      const r = s[this.end];
      if (r === '\n' || r === '\r') break;
      const code = r.charCodeAt(0);
      if (code < 0x20 && r !== '\t') return this.err(`Invalid character within String: "\\u${String(code).padStart(4, '0')}".`);
      if (r === '"') {
        const res = this.tok(TK.String, buf ?? s.slice(this.start, this.end));
        this.end++;
        this.endRunes++;
        return res;
      }
      if (r === '\\') {
        if (this.end + 1 >= s.length) {
          this.end++;
          this.endRunes++;
          return this.err('Invalid character escape sequence.');
        }
        if (buf === null) buf = s.slice(this.start, this.end);
        const esc = s[this.end + 1];
        if (esc === 'u') {
          if (this.end + 6 >= s.length) {
            this.end++;
            this.endRunes++;
            return this.err(`Invalid character escape sequence: \\${s.slice(this.end)}.`);
          }
          const hex = s.slice(this.end + 2, this.end + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.end++;
            this.endRunes++;
            return this.err(`Invalid character escape sequence: \\${s.slice(this.end, this.end + 5)}.`);
          }
          buf += String.fromCharCode(parseInt(hex, 16));
          this.end += 6;
          this.endRunes += 6;
        } else {
          const map: Record<string, string> = { '"': '"', '/': '/', '\\': '\\', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (map[esc] === undefined) {
            this.end++;
            this.endRunes++;
            return this.err(`Invalid character escape sequence: \\${esc}.`);
          }
          buf += map[esc];
          this.end += 2;
          this.endRunes += 2;
        }
        continue;
      }
      const w = this.width(this.end);
      if (buf !== null) buf += s.slice(this.end, this.end + w);
      this.end += w;
      this.endRunes++;
    }
    return this.err('Unterminated string.');
  }

  private readBlockString(): [Token, GqlError | null] {
    const s = this.input;
    let buf = '';
    this.start += 3;
    this.startRunes += 3;
    this.end += 2;
    this.endRunes += 2;
    while (this.end < s.length) {
      const r = s[this.end];
      if (r === '"' && s.startsWith('"""', this.end)) {
        const res = this.tok(TK.BlockString, blockStringValue(buf));
        this.end += 3;
        this.endRunes += 3;
        return res;
      }
      const code = r.charCodeAt(0);
      if (code < 0x20 && r !== '\t' && r !== '\n' && r !== '\r') {
        return this.err(`Invalid character within String: "\\u${String(code).padStart(4, '0')}".`);
      }
      if (r === '\\' && s.startsWith('\\"""', this.end)) {
        buf += '"""';
        this.end += 4;
        this.endRunes += 4;
      } else if (r === '\r') {
        if (this.end + 1 < s.length && s[this.end + 1] === '\n') {
          this.end++;
          this.endRunes++;
        }
        buf += '\n';
        this.end++;
        this.endRunes++;
        this.line++;
        this.lineStartRunes = this.endRunes;
      } else {
        const w = this.width(this.end);
        buf += s.slice(this.end, this.end + w);
        this.end += w;
        this.endRunes++;
        if (r === '\n') {
          this.line++;
          this.lineStartRunes = this.endRunes;
        }
      }
    }
    return this.err('Unterminated string.');
  }
}

// ============================================================================================
// Parser (gqlparser/parser)

const DIRECTIVE_LOCATIONS = new Set([
  'QUERY',
  'MUTATION',
  'SUBSCRIPTION',
  'FIELD',
  'FRAGMENT_DEFINITION',
  'FRAGMENT_SPREAD',
  'INLINE_FRAGMENT',
  'VARIABLE_DEFINITION',
  'SCHEMA',
  'SCALAR',
  'OBJECT',
  'FIELD_DEFINITION',
  'ARGUMENT_DEFINITION',
  'INTERFACE',
  'UNION',
  'ENUM',
  'ENUM_VALUE',
  'INPUT_OBJECT',
  'INPUT_FIELD_DEFINITION',
]);

class Parser {
  private readonly lexer: Lexer;
  err: GqlError | null = null;
  private peeked = false;
  private peekToken: Token = { kind: TK.Invalid, value: '', line: 0, column: 0 };
  private peekError: GqlError | null = null;
  private prev: Token = { kind: TK.Invalid, value: '', line: 0, column: 0 };

  constructor(input: string) {
    this.lexer = new Lexer(input);
  }

  private peekPos(): Pos | null {
    if (this.err) return null;
    const p = this.peek();
    return { line: p.line, column: p.column };
  }

  private peek(): Token {
    if (this.err) return this.prev;
    if (!this.peeked) {
      [this.peekToken, this.peekError] = this.lexer.read();
      this.peeked = true;
    }
    return this.peekToken;
  }

  private error(tok: Token, message: string): void {
    if (this.err) return;
    this.err = { message, line: tok.line, column: tok.column };
  }

  private next(): Token {
    if (this.err) return this.prev;
    if (this.peeked) {
      this.peeked = false;
      this.prev = this.peekToken;
      this.err = this.peekError;
    } else {
      [this.prev, this.err] = this.lexer.read();
    }
    return this.prev;
  }

  private expectKeyword(value: string): Token {
    const tok = this.peek();
    if (tok.kind === TK.Name && tok.value === value) return this.next();
    this.error(tok, `Expected ${goQuote(value)}, found ${tokenString(tok)}`);
    return tok;
  }

  private expect(kind: TK): Token {
    const tok = this.peek();
    if (tok.kind === kind) return this.next();
    this.error(tok, `Expected ${TK_STRING[kind]}, found ${TK_STRING[tok.kind]}`);
    return tok;
  }

  private skip(kind: TK): boolean {
    if (this.err) return false;
    if (this.peek().kind !== kind) return false;
    this.next();
    return true;
  }

  private unexpectedError(): void {
    this.unexpectedToken(this.peek());
  }

  private unexpectedToken(tok: Token): void {
    this.error(tok, `Unexpected ${tokenString(tok)}`);
  }

  private many(start: TK, end: TK, cb: () => void): void {
    if (!this.skip(start)) return;
    while (this.peek().kind !== end && !this.err) cb();
    this.next();
  }

  private some(start: TK, end: TK, cb: () => void): void {
    if (!this.skip(start)) return;
    let called = false;
    while (this.peek().kind !== end && !this.err) {
      called = true;
      cb();
    }
    if (!called) {
      this.error(this.peek(), `expected at least one definition, found ${TK_STRING[this.peek().kind]}`);
      return;
    }
    this.next();
  }

  // ---- queries ----

  parseQueryDocument(): QueryDocument {
    const doc: QueryDocument = { operations: [], fragments: [] };
    while (this.peek().kind !== TK.EOF) {
      if (this.err) return doc;
      const tok = this.peek();
      if (tok.kind === TK.Name) {
        if (tok.value === 'query' || tok.value === 'mutation' || tok.value === 'subscription') doc.operations.push(this.parseOperationDefinition());
        else if (tok.value === 'fragment') doc.fragments.push(this.parseFragmentDefinition());
        else this.unexpectedError();
      } else if (tok.kind === TK.BraceL) {
        doc.operations.push(this.parseOperationDefinition());
      } else this.unexpectedError();
    }
    return doc;
  }

  private parseOperationDefinition(): OperationDefinition {
    if (this.peek().kind === TK.BraceL) {
      const pos = this.peekPos();
      return { operation: 'query', name: '', variableDefinitions: [], directives: [], selectionSet: this.parseRequiredSelectionSet(), pos };
    }
    const pos = this.peekPos();
    const operation = this.parseOperationType();
    let name = '';
    if (this.peek().kind === TK.Name) name = this.next().value;
    const variableDefinitions = this.parseVariableDefinitions();
    const directives = this.parseDirectives(false);
    const selectionSet = this.parseRequiredSelectionSet();
    return { operation, name, variableDefinitions, directives, selectionSet, pos };
  }

  private parseOperationType(): string {
    const tok = this.next();
    if (tok.value === 'query' || tok.value === 'mutation' || tok.value === 'subscription') return tok.value;
    this.unexpectedToken(tok);
    return '';
  }

  private parseVariableDefinitions(): VariableDefinition[] {
    const defs: VariableDefinition[] = [];
    this.many(TK.ParenL, TK.ParenR, () => defs.push(this.parseVariableDefinition()));
    return defs;
  }

  private parseVariableDefinition(): VariableDefinition {
    const pos = this.peekPos();
    const variable = this.parseVariable();
    this.expect(TK.Colon);
    const type = this.parseTypeReference();
    let defaultValue: GValue | null = null;
    if (this.skip(TK.Equals)) defaultValue = this.parseValueLiteral(true);
    const directives = this.parseDirectives(false);
    return { variable, type, defaultValue, directives, pos, used: false };
  }

  private parseVariable(): string {
    this.expect(TK.Dollar);
    return this.parseName();
  }

  private parseOptionalSelectionSet(): Selection[] {
    const sels: Selection[] = [];
    this.some(TK.BraceL, TK.BraceR, () => sels.push(this.parseSelection()));
    return sels;
  }

  private parseRequiredSelectionSet(): Selection[] {
    if (this.peek().kind !== TK.BraceL) {
      this.error(this.peek(), `Expected {, found ${TK_STRING[this.peek().kind]}`);
      return [];
    }
    return this.parseOptionalSelectionSet();
  }

  private parseSelection(): Selection {
    if (this.peek().kind === TK.Spread) return this.parseFragment();
    return this.parseField();
  }

  private parseField(): Field {
    const pos = this.peekPos();
    const alias = this.parseName();
    const name = this.skip(TK.Colon) ? this.parseName() : alias;
    const args = this.parseArguments(false);
    const directives = this.parseDirectives(false);
    const selectionSet = this.peek().kind === TK.BraceL ? this.parseOptionalSelectionSet() : [];
    return { sel: 'field', alias, name, arguments: args, directives, selectionSet, pos };
  }

  private parseArguments(isConst: boolean): Argument[] {
    const args: Argument[] = [];
    this.many(TK.ParenL, TK.ParenR, () => {
      const pos = this.peekPos();
      const name = this.parseName();
      this.expect(TK.Colon);
      args.push({ name, value: this.parseValueLiteral(isConst), pos });
    });
    return args;
  }

  private parseFragment(): Selection {
    this.expect(TK.Spread);
    const peek = this.peek();
    if (peek.kind === TK.Name && peek.value !== 'on') {
      const pos = this.peekPos();
      const name = this.parseFragmentName();
      return { sel: 'spread', name, directives: this.parseDirectives(false), pos };
    }
    const pos = this.peekPos();
    let typeCondition = '';
    if (this.peek().value === 'on') {
      this.next();
      typeCondition = this.parseName();
    }
    const directives = this.parseDirectives(false);
    const selectionSet = this.parseRequiredSelectionSet();
    return { sel: 'inline', typeCondition, directives, selectionSet, pos };
  }

  private parseFragmentDefinition(): FragmentDefinition {
    const pos = this.peekPos();
    this.expectKeyword('fragment');
    const name = this.parseFragmentName();
    const variableDefinition = this.parseVariableDefinitions();
    this.expectKeyword('on');
    const typeCondition = this.parseName();
    const directives = this.parseDirectives(false);
    const selectionSet = this.parseRequiredSelectionSet();
    return { name, variableDefinition, typeCondition, directives, selectionSet, pos };
  }

  private parseFragmentName(): string {
    if (this.peek().value === 'on') {
      this.unexpectedError();
      return '';
    }
    return this.parseName();
  }

  private parseValueLiteral(isConst: boolean): GValue | null {
    const tok = this.peek();
    const pos = { line: tok.line, column: tok.column };
    let kind: VK;
    switch (tok.kind) {
      case TK.BracketL:
      case TK.BraceL: {
        const p = this.peekPos();
        const children: ChildValue[] = [];
        if (tok.kind === TK.BracketL) {
          this.many(TK.BracketL, TK.BracketR, () => children.push({ name: '', value: this.parseValueLiteral(isConst), pos: null }));
          return mkValue(VK.List, '', children, p);
        }
        this.many(TK.BraceL, TK.BraceR, () => {
          const fp = this.peekPos();
          const name = this.parseName();
          this.expect(TK.Colon);
          children.push({ name, value: this.parseValueLiteral(isConst), pos: fp });
        });
        return mkValue(VK.Object, '', children, p);
      }
      case TK.Dollar:
        if (isConst) {
          this.unexpectedError();
          return null;
        }
        return mkValue(VK.Variable, this.parseVariable(), [], pos);
      case TK.Int:
        kind = VK.Int;
        break;
      case TK.Float:
        kind = VK.Float;
        break;
      case TK.String:
        kind = VK.String;
        break;
      case TK.BlockString:
        kind = VK.Block;
        break;
      case TK.Name:
        kind = tok.value === 'true' || tok.value === 'false' ? VK.Boolean : tok.value === 'null' ? VK.Null : VK.Enum;
        break;
      default:
        this.unexpectedError();
        return null;
    }
    this.next();
    return mkValue(kind, tok.value, [], pos);
  }

  private parseDirectives(isConst: boolean): Directive[] {
    const dirs: Directive[] = [];
    while (this.peek().kind === TK.At) {
      if (this.err) break;
      this.expect(TK.At);
      const pos = this.peekPos();
      const name = this.parseName();
      dirs.push({ name, arguments: this.parseArguments(isConst), pos, location: '' });
    }
    return dirs;
  }

  private parseTypeReference(): GType {
    const ty: GType = { namedType: '', elem: null, nonNull: false, pos: null };
    if (this.skip(TK.BracketL)) {
      ty.pos = this.peekPos();
      ty.elem = this.parseTypeReference();
      this.expect(TK.BracketR);
    } else {
      ty.pos = this.peekPos();
      ty.namedType = this.parseName();
    }
    if (this.skip(TK.Bang)) {
      ty.pos = this.peekPos();
      ty.nonNull = true;
    }
    return ty;
  }

  private parseName(): string {
    return this.expect(TK.Name).value;
  }

  // ---- schemas ----

  parseSchemaDocument(): SchemaDocument | null {
    const doc: SchemaDocument = { schema: [], schemaExtension: [], directives: [], definitions: [], extensions: [] };
    while (this.peek().kind !== TK.EOF) {
      if (this.err) return null;
      let description = '';
      if (this.peek().kind === TK.BlockString || this.peek().kind === TK.String) description = this.parseDescription();
      if (this.peek().kind !== TK.Name) {
        this.unexpectedError();
        break;
      }
      switch (this.peek().value) {
        case 'scalar':
        case 'type':
        case 'interface':
        case 'union':
        case 'enum':
        case 'input':
          doc.definitions.push(this.parseTypeSystemDefinition(description));
          break;
        case 'schema':
          doc.schema.push(this.parseSchemaDefinition(description, false));
          break;
        case 'directive':
          doc.directives.push(this.parseDirectiveDefinition(description));
          break;
        case 'extend':
          if (description !== '') this.unexpectedToken(this.prev);
          this.parseTypeSystemExtension(doc);
          break;
        default:
          this.unexpectedError();
          return null;
      }
    }
    return doc;
  }

  private parseDescription(): string {
    const tok = this.peek();
    if (tok.kind !== TK.BlockString && tok.kind !== TK.String) return '';
    return this.next().value;
  }

  private newDef(kind: string, description: string): Definition {
    return { kind, description, name: '', directives: [], interfaces: [], fields: [], types: [], enumValues: [], pos: null, builtIn: false };
  }

  private parseTypeSystemDefinition(description: string): Definition {
    const kw = this.peek().value;
    this.expectKeyword(kw);
    const kind = { scalar: 'SCALAR', type: 'OBJECT', interface: 'INTERFACE', union: 'UNION', enum: 'ENUM', input: 'INPUT_OBJECT' }[kw]!;
    const def = this.newDef(kind, description);
    def.pos = this.peekPos();
    def.name = this.parseName();
    if (kind === 'OBJECT' || kind === 'INTERFACE') def.interfaces = this.parseImplementsInterfaces();
    def.directives = this.parseDirectives(true);
    if (kind === 'OBJECT' || kind === 'INTERFACE') def.fields = this.parseFieldsDefinition();
    else if (kind === 'UNION') def.types = this.parseUnionMemberTypes();
    else if (kind === 'ENUM') def.enumValues = this.parseEnumValuesDefinition();
    else if (kind === 'INPUT_OBJECT') def.fields = this.parseInputFieldsDefinition();
    return def;
  }

  private parseSchemaDefinition(description: string, extension: boolean): SchemaDefinition {
    this.expectKeyword('schema');
    const def: SchemaDefinition = { description, directives: [], operationTypes: [], pos: this.peekPos() };
    def.directives = this.parseDirectives(true);
    this.some(TK.BraceL, TK.BraceR, () => {
      const pos = this.peekPos();
      const operation = this.parseOperationType();
      this.expect(TK.Colon);
      def.operationTypes.push({ operation, type: this.parseName(), pos });
    });
    if (extension && def.directives.length === 0 && def.operationTypes.length === 0) this.unexpectedError();
    return def;
  }

  private parseImplementsInterfaces(): string[] {
    const types: string[] = [];
    if (this.peek().value === 'implements') {
      this.next();
      this.skip(TK.Amp);
      types.push(this.parseName());
      while (this.skip(TK.Amp) && !this.err) types.push(this.parseName());
    }
    return types;
  }

  private parseFieldsDefinition(): FieldDefinition[] {
    const defs: FieldDefinition[] = [];
    this.some(TK.BraceL, TK.BraceR, () => {
      const pos = this.peekPos();
      const description = this.parseDescription();
      const name = this.parseName();
      const args = this.parseArgumentDefs();
      this.expect(TK.Colon);
      const type = this.parseTypeReference();
      const directives = this.parseDirectives(true);
      defs.push({ description, name, arguments: args, defaultValue: null, type, directives, pos });
    });
    return defs;
  }

  private parseArgumentDefs(): ArgumentDefinition[] {
    const args: ArgumentDefinition[] = [];
    this.some(TK.ParenL, TK.ParenR, () => args.push(this.parseInputValueDef()));
    return args;
  }

  private parseInputValueDef(): FieldDefinition {
    const pos = this.peekPos();
    const description = this.parseDescription();
    const name = this.parseName();
    this.expect(TK.Colon);
    const type = this.parseTypeReference();
    let defaultValue: GValue | null = null;
    if (this.skip(TK.Equals)) defaultValue = this.parseValueLiteral(true);
    const directives = this.parseDirectives(true);
    return { description, name, arguments: [], defaultValue, type, directives, pos };
  }

  private parseUnionMemberTypes(): string[] {
    const types: string[] = [];
    if (this.skip(TK.Equals)) {
      this.skip(TK.Pipe);
      types.push(this.parseName());
      while (this.skip(TK.Pipe) && !this.err) types.push(this.parseName());
    }
    return types;
  }

  private parseEnumValuesDefinition(): EnumValueDefinition[] {
    const values: EnumValueDefinition[] = [];
    this.some(TK.BraceL, TK.BraceR, () => {
      const pos = this.peekPos();
      const description = this.parseDescription();
      const name = this.parseName();
      values.push({ description, name, directives: this.parseDirectives(true), pos });
    });
    return values;
  }

  private parseInputFieldsDefinition(): FieldDefinition[] {
    const values: FieldDefinition[] = [];
    this.some(TK.BraceL, TK.BraceR, () => values.push(this.parseInputValueDef()));
    return values;
  }

  private parseTypeSystemExtension(doc: SchemaDocument): void {
    this.expectKeyword('extend');
    const kw = this.peek().value;
    if (kw === 'schema') {
      doc.schemaExtension.push(this.parseSchemaDefinition('', true));
      return;
    }
    const kind = ({ scalar: 'SCALAR', type: 'OBJECT', interface: 'INTERFACE', union: 'UNION', enum: 'ENUM', input: 'INPUT_OBJECT' } as Record<string, string>)[kw];
    if (kind === undefined) {
      this.unexpectedError();
      return;
    }
    this.expectKeyword(kw);
    const def = this.newDef(kind, '');
    def.pos = this.peekPos();
    def.name = this.parseName();
    if (kind === 'OBJECT') def.interfaces = this.parseImplementsInterfaces();
    def.directives = this.parseDirectives(kind !== 'INPUT_OBJECT');
    if (kind === 'OBJECT' || kind === 'INTERFACE') def.fields = this.parseFieldsDefinition();
    else if (kind === 'UNION') def.types = this.parseUnionMemberTypes();
    else if (kind === 'ENUM') def.enumValues = this.parseEnumValuesDefinition();
    else if (kind === 'INPUT_OBJECT') def.fields = this.parseInputFieldsDefinition();
    if (def.interfaces.length === 0 && def.directives.length === 0 && def.fields.length === 0 && def.types.length === 0 && def.enumValues.length === 0) {
      this.unexpectedError();
    }
    doc.extensions.push(def);
  }

  private parseDirectiveDefinition(description: string): DirectiveDefinition {
    this.expectKeyword('directive');
    this.expect(TK.At);
    const def: DirectiveDefinition = { description, name: '', arguments: [], locations: [], isRepeatable: false, pos: this.peekPos() };
    def.name = this.parseName();
    def.arguments = this.parseArgumentDefs();
    const peek = this.peek();
    if (peek.kind === TK.Name && peek.value === 'repeatable') {
      def.isRepeatable = true;
      this.skip(TK.Name);
    }
    this.expectKeyword('on');
    this.skip(TK.Pipe);
    def.locations.push(this.parseDirectiveLocation());
    while (this.skip(TK.Pipe) && !this.err) def.locations.push(this.parseDirectiveLocation());
    return def;
  }

  private parseDirectiveLocation(): string {
    const name = this.expect(TK.Name);
    if (DIRECTIVE_LOCATIONS.has(name.value)) return name.value;
    this.unexpectedToken(name);
    return '';
  }
}

function mkValue(kind: VK, raw: string, children: ChildValue[], pos: Pos | null): GValue {
  return { kind, raw, children, pos, expectedTypeHasDefault: false };
}

class GraphQLError extends Error {}

/** OPA's rendering of a gqlparser error: "MSG in GraphQL string at location L:C". */
function formatError(errs: GqlError[], trimDot: boolean): string {
  const text = errs.map((e) => (e.line !== undefined ? `input:${e.line}:${e.column}: ${e.message}` : `input: ${e.message}`)).join('\n') + (trimDot ? '\n' : '');
  const parts = splitN(text, ':', 4);
  if (parts.length < 4) {
    // gqlparser reported no location (AST objects carry no positions); OPA cannot split it.
    let msg = text.replace(/^input:\s*/, '');
    if (trimDot && msg.endsWith('.\n')) msg = msg.slice(0, -2);
    return `${msg.replace(/\n$/, '')} in GraphQL string`;
  }
  let msg = parts[3].replace(/^ +/, '');
  if (trimDot && msg.endsWith('.\n')) msg = msg.slice(0, -2);
  return `${msg} in GraphQL string at location ${parts[1]}:${parts[2]}`;
}

function splitN(s: string, sep: string, n: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

function parseQuery(src: string): QueryDocument {
  const p = new Parser(src);
  const doc = p.parseQueryDocument();
  if (p.err) throw new GraphQLError(formatError([p.err], false));
  return doc;
}

function parseSchema(src: string, builtIn = false): SchemaDocument {
  const p = new Parser(src);
  const doc = p.parseSchemaDocument();
  if (p.err || doc === null) throw new GraphQLError(formatError([p.err ?? { message: 'invalid schema' }], false));
  for (const d of doc.definitions) d.builtIn = builtIn;
  for (const d of doc.extensions) d.builtIn = builtIn;
  return doc;
}

// ============================================================================================
// AST → Rego value (Go's JSON encoding of the structs, then OPA's pruning)

type J = null | boolean | number | string | J[] | { [k: string]: J };

const list = <T>(xs: T[] | null, f: (x: T) => J): J => (xs === null || xs.length === 0 ? null : xs.map(f));

function typeJ(ty: GType | null): J {
  if (ty === null) return null;
  return { NamedType: ty.namedType, Elem: typeJ(ty.elem), NonNull: ty.nonNull };
}

function valueJ(v: GValue | null): J {
  if (v === null) return null;
  return {
    Raw: v.raw,
    Children: list(v.children, (c) => ({ Name: c.name, Value: valueJ(c.value) })),
    Kind: v.kind,
    ExpectedTypeHasDefault: v.expectedTypeHasDefault,
  };
}

const argsJ = (args: Argument[]): J => list(args, (a) => ({ Name: a.name, Value: valueJ(a.value) }));
const dirsJ = (dirs: Directive[]): J => list(dirs, (d) => ({ Name: d.name, Arguments: argsJ(d.arguments), Location: d.location }));
const varDefsJ = (defs: VariableDefinition[]): J =>
  list(defs, (d) => ({ Variable: d.variable, Type: typeJ(d.type), DefaultValue: valueJ(d.defaultValue), Directives: dirsJ(d.directives), Used: d.used }));

function selectionJ(s: Selection): J {
  switch (s.sel) {
    case 'field':
      return { Alias: s.alias, Name: s.name, Arguments: argsJ(s.arguments), Directives: dirsJ(s.directives), SelectionSet: list(s.selectionSet, selectionJ) };
    case 'spread':
      return { Name: s.name, Directives: dirsJ(s.directives) };
    default:
      return { TypeCondition: s.typeCondition, Directives: dirsJ(s.directives), SelectionSet: list(s.selectionSet, selectionJ) };
  }
}

function queryJ(doc: QueryDocument): J {
  return {
    Operations: list(doc.operations, (o) => ({
      Operation: o.operation,
      Name: o.name,
      VariableDefinitions: varDefsJ(o.variableDefinitions),
      Directives: dirsJ(o.directives),
      SelectionSet: list(o.selectionSet, selectionJ),
    })),
    Fragments: list(doc.fragments, (f) => ({
      Name: f.name,
      VariableDefinition: varDefsJ(f.variableDefinition),
      TypeCondition: f.typeCondition,
      Directives: dirsJ(f.directives),
      SelectionSet: list(f.selectionSet, selectionJ),
    })),
  };
}

const argDefJ = (a: ArgumentDefinition): J => ({
  Description: a.description,
  Name: a.name,
  DefaultValue: valueJ(a.defaultValue),
  Type: typeJ(a.type),
  Directives: dirsJ(a.directives),
});

function defJ(d: Definition): J {
  return {
    Kind: d.kind,
    Description: d.description,
    Name: d.name,
    Directives: dirsJ(d.directives),
    Interfaces: list(d.interfaces, (x) => x),
    Fields: list(d.fields, (f) => ({ ...(argDefJ(f) as object), Arguments: list(f.arguments, argDefJ) }) as J),
    Types: list(d.types, (x) => x),
    EnumValues: list(d.enumValues, (e) => ({ Description: e.description, Name: e.name, Directives: dirsJ(e.directives) })),
    BuiltIn: d.builtIn,
  };
}

function schemaJ(doc: SchemaDocument): J {
  const sd = (s: SchemaDefinition): J => ({
    Description: s.description,
    Directives: dirsJ(s.directives),
    OperationTypes: list(s.operationTypes, (o) => ({ Operation: o.operation, Type: o.type })),
  });
  return {
    Schema: list(doc.schema, sd),
    SchemaExtension: list(doc.schemaExtension, sd),
    Directives: list(doc.directives, (d) => ({
      Description: d.description,
      Name: d.name,
      Arguments: list(d.arguments, argDefJ),
      Locations: list(d.locations, (x) => x),
      IsRepeatable: d.isRepeatable,
    })),
    Definitions: list(doc.definitions, defJ),
    Extensions: list(doc.extensions, defJ),
  };
}

/** OPA's pruneIrrelevantGraphQLASTNodes: drop nulls and (after pruning) empty arrays/objects. */
function prune(x: J): J {
  if (Array.isArray(x)) {
    const out: J[] = [];
    for (const e of x) {
      if (e === null) continue;
      if (typeof e === 'object') {
        const p = prune(e);
        if ((Array.isArray(p) ? p.length : Object.keys(p as object).length) > 0) out.push(p);
      } else out.push(e);
    }
    return out;
  }
  if (x !== null && typeof x === 'object') {
    const out: { [k: string]: J } = {};
    for (const [k, e] of Object.entries(x)) {
      if (k === 'Position' || e === null) continue;
      if (typeof e === 'object') {
        const p = prune(e);
        if ((Array.isArray(p) ? p.length : Object.keys(p as object).length) > 0) out[k] = p;
      } else out[k] = e;
    }
    return out;
  }
  return x;
}

// ============================================================================================
// Rego object → document (Go's json.Unmarshal into gqlparser's structs)

type Obj = { [k: string]: unknown };

class DecodeError extends Error {}

const isObj = (x: unknown): x is Obj => x !== null && typeof x === 'object' && !Array.isArray(x);

/** A struct field by name: exact key first, then Go's case-insensitive match. */
function fld(o: Obj, name: string, exact = false): unknown {
  if (name in o) return o[name];
  if (exact) return undefined;
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

function dStr(x: unknown, what: string): string {
  if (x === undefined || x === null) return '';
  if (typeof x !== 'string') throw new DecodeError(`json: cannot unmarshal ${jsonKind(x)} into Go struct field ${what} of type string`);
  return x;
}

function dBool(x: unknown, what: string): boolean {
  if (x === undefined || x === null) return false;
  if (typeof x !== 'boolean') throw new DecodeError(`json: cannot unmarshal ${jsonKind(x)} into Go struct field ${what} of type bool`);
  return x;
}

function dInt(x: unknown, what: string): number {
  if (x === undefined || x === null) return 0;
  if (typeof x !== 'number' || !Number.isInteger(x)) throw new DecodeError(`json: cannot unmarshal ${jsonKind(x)} into Go struct field ${what} of type ast.ValueKind`);
  return x;
}

function jsonKind(x: unknown): string {
  if (typeof x === 'number') return 'number';
  if (typeof x === 'string') return 'string';
  if (typeof x === 'boolean') return 'bool';
  if (Array.isArray(x)) return 'array';
  return 'object';
}

function dList<T>(x: unknown, what: string, f: (o: Obj) => T): T[] {
  if (x === undefined || x === null) return [];
  if (!Array.isArray(x)) throw new DecodeError(`json: cannot unmarshal ${jsonKind(x)} into Go struct field ${what} of type []`);
  const out: T[] = [];
  for (const e of x) {
    if (e === null) continue;
    if (!isObj(e)) throw new DecodeError(`json: cannot unmarshal ${jsonKind(e)} into Go struct field ${what}`);
    out.push(f(e));
  }
  return out;
}

function dStrList(x: unknown, what: string): string[] {
  if (x === undefined || x === null) return [];
  if (!Array.isArray(x)) throw new DecodeError(`json: cannot unmarshal ${jsonKind(x)} into Go struct field ${what} of type []string`);
  return x.map((e) => dStr(e, what));
}

function dObj<T>(x: unknown, what: string, f: (o: Obj) => T): T | null {
  if (x === undefined || x === null) return null;
  if (!isObj(x)) throw new DecodeError(`json: cannot unmarshal ${jsonKind(x)} into Go struct field ${what}`);
  return f(x);
}

function dType(o: Obj): GType {
  return { namedType: dStr(fld(o, 'NamedType'), 'Type.NamedType'), elem: dObj(fld(o, 'Elem'), 'Type.Elem', dType), nonNull: dBool(fld(o, 'NonNull'), 'Type.NonNull'), pos: null };
}

function dValue(o: Obj): GValue {
  return {
    raw: dStr(fld(o, 'Raw'), 'Value.Raw'),
    children: dList(fld(o, 'Children'), 'Value.Children', (c) => ({ name: dStr(fld(c, 'Name'), 'ChildValue.Name'), value: dObj(fld(c, 'Value'), 'ChildValue.Value', dValue), pos: null })),
    kind: dInt(fld(o, 'Kind'), 'Value.Kind'),
    pos: null,
    expectedTypeHasDefault: dBool(fld(o, 'ExpectedTypeHasDefault'), 'Value.ExpectedTypeHasDefault'),
  };
}

const dArgs = (x: unknown, what: string): Argument[] =>
  dList(x, what, (a) => ({ name: dStr(fld(a, 'Name'), 'Argument.Name'), value: dObj(fld(a, 'Value'), 'Argument.Value', dValue), pos: null }));

const dDirs = (x: unknown, what: string): Directive[] =>
  dList(x, what, (d) => ({ name: dStr(fld(d, 'Name'), 'Directive.Name'), arguments: dArgs(fld(d, 'Arguments'), 'Directive.Arguments'), pos: null, location: dStr(fld(d, 'Location'), 'Directive.Location') }));

const dVarDefs = (x: unknown, what: string): VariableDefinition[] =>
  dList(x, what, (v) => ({
    variable: dStr(fld(v, 'Variable'), 'VariableDefinition.Variable'),
    type: dObj(fld(v, 'Type'), 'VariableDefinition.Type', dType),
    defaultValue: dObj(fld(v, 'DefaultValue'), 'VariableDefinition.DefaultValue', dValue),
    directives: dDirs(fld(v, 'Directives'), 'VariableDefinition.Directives'),
    pos: null,
    used: dBool(fld(v, 'Used'), 'VariableDefinition.Used'),
  }));

/** gqlparser's UnmarshalSelectionSet: every element decodes as a Field (its decoder accepts any object). */
function dSelections(x: unknown): Selection[] {
  if (x === undefined || x === null) return [];
  if (!Array.isArray(x)) throw new DecodeError(`json: cannot unmarshal ${jsonKind(x)} into Go value of type []json.RawMessage`);
  const out: Selection[] = [];
  for (const e of x) {
    if (!isObj(e)) continue;
    out.push({
      sel: 'field',
      alias: dStr(fld(e, 'Alias', true), 'Field.Alias'),
      name: dStr(fld(e, 'Name', true), 'Field.Name'),
      arguments: dArgs(fld(e, 'Arguments', true), 'Field.Arguments'),
      directives: dDirs(fld(e, 'Directives', true), 'Field.Directives'),
      selectionSet: dSelections(fld(e, 'SelectionSet', true)),
      pos: null,
    });
  }
  return out;
}

function decodeQuery(o: Obj): QueryDocument {
  return {
    operations: dList(fld(o, 'Operations'), 'QueryDocument.Operations', (op) => ({
      operation: dStr(fld(op, 'Operation', true), 'OperationDefinition.Operation'),
      name: dStr(fld(op, 'Name', true), 'OperationDefinition.Name'),
      variableDefinitions: dVarDefs(fld(op, 'VariableDefinitions', true), 'OperationDefinition.VariableDefinitions'),
      directives: dDirs(fld(op, 'Directives', true), 'OperationDefinition.Directives'),
      selectionSet: dSelections(fld(op, 'SelectionSet', true)),
      pos: null,
    })),
    fragments: dList(fld(o, 'Fragments'), 'QueryDocument.Fragments', (f) => ({
      name: dStr(fld(f, 'Name', true), 'FragmentDefinition.Name'),
      variableDefinition: dVarDefs(fld(f, 'VariableDefinition', true), 'FragmentDefinition.VariableDefinition'),
      typeCondition: dStr(fld(f, 'TypeCondition', true), 'FragmentDefinition.TypeCondition'),
      directives: dDirs(fld(f, 'Directives', true), 'FragmentDefinition.Directives'),
      selectionSet: dSelections(fld(f, 'SelectionSet', true)),
      pos: null,
    })),
  };
}

function dArgDef(a: Obj): FieldDefinition {
  return {
    description: dStr(fld(a, 'Description'), 'Description'),
    name: dStr(fld(a, 'Name'), 'Name'),
    arguments: dList(fld(a, 'Arguments'), 'FieldDefinition.Arguments', dArgDef),
    defaultValue: dObj(fld(a, 'DefaultValue'), 'DefaultValue', dValue),
    type: dObj(fld(a, 'Type'), 'Type', dType),
    directives: dDirs(fld(a, 'Directives'), 'Directives'),
    pos: null,
  };
}

function dDef(d: Obj): Definition {
  return {
    kind: dStr(fld(d, 'Kind'), 'Definition.Kind'),
    description: dStr(fld(d, 'Description'), 'Definition.Description'),
    name: dStr(fld(d, 'Name'), 'Definition.Name'),
    directives: dDirs(fld(d, 'Directives'), 'Definition.Directives'),
    interfaces: dStrList(fld(d, 'Interfaces'), 'Definition.Interfaces'),
    fields: dList(fld(d, 'Fields'), 'Definition.Fields', dArgDef),
    types: dStrList(fld(d, 'Types'), 'Definition.Types'),
    enumValues: dList(fld(d, 'EnumValues'), 'Definition.EnumValues', (e) => ({
      description: dStr(fld(e, 'Description'), 'EnumValueDefinition.Description'),
      name: dStr(fld(e, 'Name'), 'EnumValueDefinition.Name'),
      directives: dDirs(fld(e, 'Directives'), 'EnumValueDefinition.Directives'),
      pos: null,
    })),
    pos: null,
    builtIn: dBool(fld(d, 'BuiltIn'), 'Definition.BuiltIn'),
  };
}

function decodeSchema(o: Obj): SchemaDocument {
  const sd = (s: Obj): SchemaDefinition => ({
    description: dStr(fld(s, 'Description'), 'SchemaDefinition.Description'),
    directives: dDirs(fld(s, 'Directives'), 'SchemaDefinition.Directives'),
    operationTypes: dList(fld(s, 'OperationTypes'), 'SchemaDefinition.OperationTypes', (ot) => ({
      operation: dStr(fld(ot, 'Operation'), 'OperationTypeDefinition.Operation'),
      type: dStr(fld(ot, 'Type'), 'OperationTypeDefinition.Type'),
      pos: null,
    })),
    pos: null,
  });
  return {
    schema: dList(fld(o, 'Schema'), 'SchemaDocument.Schema', sd),
    schemaExtension: dList(fld(o, 'SchemaExtension'), 'SchemaDocument.SchemaExtension', sd),
    directives: dList(fld(o, 'Directives'), 'SchemaDocument.Directives', (d) => ({
      description: dStr(fld(d, 'Description'), 'DirectiveDefinition.Description'),
      name: dStr(fld(d, 'Name'), 'DirectiveDefinition.Name'),
      arguments: dList(fld(d, 'Arguments'), 'DirectiveDefinition.Arguments', dArgDef),
      locations: dStrList(fld(d, 'Locations'), 'DirectiveDefinition.Locations'),
      isRepeatable: dBool(fld(d, 'IsRepeatable'), 'DirectiveDefinition.IsRepeatable'),
      pos: null,
    })),
    definitions: dList(fld(o, 'Definitions'), 'SchemaDocument.Definitions', dDef),
    extensions: dList(fld(o, 'Extensions'), 'SchemaDocument.Extensions', dDef),
  };
}
