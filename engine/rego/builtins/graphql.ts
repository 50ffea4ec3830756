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

// ============================================================================================
// Schema loading (gqlparser/validator/schema.go)

const PRELUDE = `
"The \`Int\` scalar type represents non-fractional signed whole numeric values."
scalar Int
"The \`Float\` scalar type represents signed double-precision fractional values."
scalar Float
"The \`String\` scalar type represents textual data, represented as UTF-8 character sequences."
scalar String
"The \`Boolean\` scalar type represents \`true\` or \`false\`."
scalar Boolean
"The \`ID\` scalar type represents a unique identifier."
scalar ID
directive @include(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @skip(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @deprecated(reason: String = "No longer supported") on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE
directive @specifiedBy(url: String!) on SCALAR
type __Schema {
  description: String
  types: [__Type!]!
  queryType: __Type!
  mutationType: __Type
  subscriptionType: __Type
  directives: [__Directive!]!
}
type __Type {
  kind: __TypeKind!
  name: String
  description: String
  fields(includeDeprecated: Boolean = false): [__Field!]
  interfaces: [__Type!]
  possibleTypes: [__Type!]
  enumValues(includeDeprecated: Boolean = false): [__EnumValue!]
  inputFields: [__InputValue!]
  ofType: __Type
  specifiedByURL: String
}
type __Field {
  name: String!
  description: String
  args: [__InputValue!]!
  type: __Type!
  isDeprecated: Boolean!
  deprecationReason: String
}
type __InputValue {
  name: String!
  description: String
  type: __Type!
  defaultValue: String
}
type __EnumValue {
  name: String!
  description: String
  isDeprecated: Boolean!
  deprecationReason: String
}
enum __TypeKind { SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL }
type __Directive {
  name: String!
  description: String
  locations: [__DirectiveLocation!]!
  args: [__InputValue!]!
  isRepeatable: Boolean!
}
enum __DirectiveLocation {
  QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD INLINE_FRAGMENT VARIABLE_DEFINITION SCHEMA SCALAR
  OBJECT FIELD_DEFINITION ARGUMENT_DEFINITION INTERFACE UNION ENUM ENUM_VALUE INPUT_OBJECT INPUT_FIELD_DEFINITION
}
`;

class SchemaError extends Error {
  constructor(
    message: string,
    readonly pos: Pos | null,
  ) {
    super(message);
  }
}

const posErr = (pos: Pos | null, message: string): SchemaError => new SchemaError(message, pos);

function validateName(pos: Pos | null, name: string): void {
  if (name.startsWith('__')) throw posErr(pos, `Name "${name}" must not begin with "__", which is reserved by GraphQL introspection.`);
}

const kindList = (...kinds: string[]): string => kinds.join(', ');

/** ValidateSchemaDocument on the prelude merged with `user`. */
let preludeDoc: SchemaDocument | null = null;

function loadSchema(user: SchemaDocument): Schema {
  // The parsed prelude is shared: loading never mutates a document (definitions are copied below).
  const prelude = (preludeDoc ??= parseSchema(PRELUDE, true));
  const ast: SchemaDocument = {
    schema: [...prelude.schema, ...user.schema],
    schemaExtension: [...prelude.schemaExtension, ...user.schemaExtension],
    directives: [...prelude.directives, ...user.directives],
    // Definitions are copied: validation merges extensions into them.
    definitions: [...prelude.definitions, ...user.definitions].map((d) => ({ ...d })),
    extensions: [...prelude.extensions, ...user.extensions],
  };
  const schema: Schema = { query: null, mutation: null, subscription: null, types: new Map(), directives: new Map(), possibleTypes: new Map() };
  const addPossible = (name: string, def: Definition | undefined): void => {
    const l = schema.possibleTypes.get(name);
    if (l) l.push(def);
    else schema.possibleTypes.set(name, [def]);
  };
  for (const def of ast.definitions) {
    if (schema.types.has(def.name)) throw posErr(def.pos, `Cannot redeclare type ${def.name}.`);
    schema.types.set(def.name, def);
  }
  const defs = [...ast.definitions];
  for (const ext of ast.extensions) {
    let def = schema.types.get(ext.name);
    if (def === undefined) {
      def = { kind: ext.kind, description: '', name: ext.name, directives: [], interfaces: [], fields: [], types: [], enumValues: [], pos: ext.pos, builtIn: false };
      schema.types.set(ext.name, def);
      defs.push(def);
    }
    if (def.kind !== ext.kind) throw posErr(ext.pos, `Cannot extend type ${ext.name} because the base type is a ${def.kind}, not ${ext.kind}.`);
    def.directives = [...def.directives, ...ext.directives];
    def.interfaces = [...def.interfaces, ...ext.interfaces];
    def.fields = [...def.fields, ...ext.fields];
    def.types = [...def.types, ...ext.types];
    def.enumValues = [...def.enumValues, ...ext.enumValues];
  }
  for (const def of defs) {
    switch (def.kind) {
      case 'UNION':
        for (const ty of def.types) addPossible(def.name, schema.types.get(ty));
        break;
      case 'INPUT_OBJECT':
      case 'OBJECT':
        for (const intf of def.interfaces) addPossible(intf, def);
        addPossible(def.name, def);
        break;
      case 'INTERFACE':
        for (const intf of def.interfaces) addPossible(intf, def);
        break;
    }
  }
  for (const dir of ast.directives) {
    if (schema.directives.has(dir.name)) {
      if (!['include', 'skip', 'deprecated', 'specifiedBy'].includes(dir.name)) throw posErr(dir.pos, `Cannot redeclare directive ${dir.name}.`);
    }
    schema.directives.set(dir.name, dir);
  }
  if (ast.schema.length > 1) throw posErr(ast.schema[1].pos, 'Cannot have multiple schema entry points, consider schema extensions instead.');
  const setRoots = (ops: OperationTypeDefinition[]): void => {
    for (const ep of ops) {
      const def = schema.types.get(ep.type);
      if (def === undefined) throw posErr(ep.pos, `Schema root ${ep.operation} refers to a type ${ep.type} that does not exist.`);
      if (ep.operation === 'query') schema.query = def;
      else if (ep.operation === 'mutation') schema.mutation = def;
      else if (ep.operation === 'subscription') schema.subscription = def;
    }
  };
  if (ast.schema.length === 1) setRoots(ast.schema[0].operationTypes);
  for (const ext of ast.schemaExtension) setRoots(ext.operationTypes);

  for (const name of [...schema.types.keys()].sort(goCompare)) validateDefinition(schema, schema.types.get(name)!);
  for (const name of [...schema.directives.keys()].sort(goCompare)) {
    const dir = schema.directives.get(name)!;
    validateName(dir.pos, dir.name);
    validateArgs(schema, dir.arguments, dir);
  }
  if (ast.schema.length === 0) {
    schema.query ??= schema.types.get('Query') ?? null;
    schema.mutation ??= schema.types.get('Mutation') ?? null;
    schema.subscription ??= schema.types.get('Subscription') ?? null;
  }
  if (schema.query !== null) {
    const nn = (n: string, nonNull: boolean): GType => ({ namedType: n, elem: null, nonNull, pos: null });
    schema.query.fields = [
      ...schema.query.fields,
      { description: '', name: '__schema', arguments: [], defaultValue: null, type: nn('__Schema', true), directives: [], pos: null },
      {
        description: '',
        name: '__type',
        arguments: [{ description: '', name: 'name', defaultValue: null, type: nn('String', true), directives: [], pos: null }],
        defaultValue: null,
        type: nn('__Type', false),
        directives: [],
        pos: null,
      },
    ];
  }
  return schema;
}

const goCompare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function validateTypeRef(schema: Schema, ty: GType | null): void {
  if (ty === null || !schema.types.has(typeName(ty))) throw posErr(ty?.pos ?? null, `Undefined type ${typeName(ty)}.`);
}

function validateArgs(schema: Schema, args: ArgumentDefinition[], current: DirectiveDefinition | null): void {
  for (const arg of args) {
    validateName(arg.pos, arg.name);
    validateTypeRef(schema, arg.type);
    const def = schema.types.get(typeName(arg.type))!;
    if (!isInput(def)) throw posErr(arg.pos, `cannot use ${typeString(arg.type)} as argument ${arg.name} because ${def.kind} is not a valid input type`);
    validateDirectives(schema, arg.directives, 'ARGUMENT_DEFINITION', current);
  }
}

function validateDirectives(schema: Schema, dirs: Directive[], location: string, current: DirectiveDefinition | null): void {
  for (const dir of dirs) {
    validateName(dir.pos, dir.name);
    if (current !== null && dir.name === current.name) throw posErr(dir.pos, `Directive ${current.name} cannot refer to itself.`);
    const def = schema.directives.get(dir.name);
    if (def === undefined) throw posErr(dir.pos, `Undefined directive ${dir.name}.`);
    if (!def.locations.includes(location)) throw posErr(dir.pos, `Directive ${dir.name} is not applicable on ${location}.`);
  }
}

function validateDefinition(schema: Schema, def: Definition): void {
  for (const field of def.fields) {
    validateName(field.pos, field.name);
    validateTypeRef(schema, field.type);
    validateArgs(schema, field.arguments, null);
    validateDirectives(schema, field.directives, def.kind === 'INPUT_OBJECT' ? 'INPUT_FIELD_DEFINITION' : 'FIELD_DEFINITION', null);
  }
  for (const ty of def.types) {
    const td = schema.types.get(ty);
    if (td === undefined) throw posErr(def.pos, `Undefined type ${goQuote(ty)}.`);
    if (td.kind !== 'OBJECT') throw posErr(def.pos, `${def.kind} type ${goQuote(ty)} must be ${kindList('OBJECT')}.`);
  }
  for (const intf of def.interfaces) validateImplements(schema, def, intf);
  switch (def.kind) {
    case 'OBJECT':
    case 'INTERFACE':
      if (def.fields.length === 0) throw posErr(def.pos, `${def.kind} ${def.name}: must define one or more fields.`);
      for (const field of def.fields) {
        const ty = schema.types.get(typeName(field.type));
        if (ty && !['SCALAR', 'OBJECT', 'INTERFACE', 'UNION', 'ENUM'].includes(ty.kind)) {
          throw posErr(field.pos, `${def.kind} ${def.name}: field must be one of ${kindList('SCALAR', 'OBJECT', 'INTERFACE', 'UNION', 'ENUM')}.`);
        }
      }
      break;
    case 'ENUM':
      if (def.enumValues.length === 0) throw posErr(def.pos, `${def.kind} ${def.name}: must define one or more unique enum values.`);
      for (const v of def.enumValues) {
        if (v.name === 'true' || v.name === 'false' || v.name === 'null') throw posErr(def.pos, `${def.kind} ${def.name}: non-enum value ${v.name}.`);
      }
      break;
    case 'INPUT_OBJECT':
      if (def.fields.length === 0) throw posErr(def.pos, `${def.kind} ${def.name}: must define one or more input fields.`);
      for (const field of def.fields) {
        const ty = schema.types.get(typeName(field.type));
        if (ty && !['SCALAR', 'ENUM', 'INPUT_OBJECT'].includes(ty.kind)) {
          throw posErr(field.pos, `${ty.kind} ${field.name}: field must be one of ${kindList('SCALAR', 'ENUM', 'INPUT_OBJECT')}.`);
        }
      }
      break;
  }
  for (let i = 0; i < def.fields.length; i++) {
    for (const f2 of def.fields.slice(i + 1)) {
      if (def.fields[i].name === f2.name) throw posErr(f2.pos, `Field ${def.name}.${f2.name} can only be defined once.`);
    }
  }
  if (!def.builtIn) validateName(def.pos, def.name);
  validateDirectives(schema, def.directives, def.kind, null);
}

function validateImplements(schema: Schema, def: Definition, intfName: string): void {
  const intf = schema.types.get(intfName);
  if (intf === undefined) throw posErr(def.pos, `Undefined type ${goQuote(intfName)}.`);
  if (intf.kind !== 'INTERFACE') throw posErr(def.pos, `${goQuote(intfName)} is a non interface type ${intf.kind}.`);
  for (const req of intf.fields) {
    const found = forName(def.fields, req.name);
    if (found === undefined) throw posErr(def.pos, `For ${def.name} to implement ${intf.name} it must have a field called ${req.name}.`);
    if (!isCovariant(schema, req.type!, found.type!)) {
      throw posErr(found.pos, `For ${def.name} to implement ${intf.name} the field ${req.name} must have type ${typeString(req.type)}.`);
    }
    for (const reqArg of req.arguments) {
      const foundArg = forName(found.arguments, reqArg.name);
      if (foundArg === undefined) {
        throw posErr(found.pos, `For ${def.name} to implement ${intf.name} the field ${req.name} must have the same arguments but it is missing ${reqArg.name}.`);
      }
      if (!isCompatible(reqArg.type!, foundArg.type!)) {
        throw posErr(foundArg.pos, `For ${def.name} to implement ${intf.name} the field ${req.name} must have the same arguments but ${reqArg.name} has the wrong type.`);
      }
    }
    for (const fa of found.arguments) {
      if (forName(req.arguments, fa.name) === undefined && fa.type?.nonNull && fa.defaultValue === null) {
        throw posErr(fa.pos, `For ${def.name} to implement ${intf.name} any additional arguments on ${found.name} must be optional or have a default value but ${fa.name} is required.`);
      }
    }
  }
  for (const transitive of intf.interfaces) {
    if (!def.interfaces.includes(transitive)) {
      if (transitive === def.name) throw posErr(def.pos, `Type ${def.name} cannot implement ${intfName} because it would create a circular reference.`);
      throw posErr(def.pos, `Type ${def.name} must implement ${transitive} because it is implemented by ${intfName}.`);
    }
  }
}

function isCovariant(schema: Schema, required: GType, actual: GType): boolean {
  if (required.nonNull && !actual.nonNull) return false;
  if (required.namedType !== '') {
    if (required.namedType === actual.namedType) return true;
    return (schema.possibleTypes.get(required.namedType) ?? []).some((pt) => pt?.name === actual.namedType);
  }
  if (required.elem !== null && actual.elem === null) return false;
  return isCovariant(schema, required.elem!, actual.elem!);
}

// ============================================================================================
// Query validation (gqlparser/validator: walk.go and rules/*.go)

type AddErr = (message: string, pos: Pos | null | undefined) => void;

class Events {
  operation: ((w: Walker, op: OperationDefinition) => void)[] = [];
  field: ((w: Walker, f: Field) => void)[] = [];
  fragment: ((w: Walker, f: FragmentDefinition) => void)[] = [];
  inlineFragment: ((w: Walker, f: InlineFragment) => void)[] = [];
  fragmentSpread: ((w: Walker, f: FragmentSpread) => void)[] = [];
  directive: ((w: Walker, d: Directive) => void)[] = [];
  directiveList: ((w: Walker, d: Directive[]) => void)[] = [];
  value: ((w: Walker, v: GValue) => void)[] = [];
  variable: ((w: Walker, v: VariableDefinition) => void)[] = [];
}

class Walker {
  currentOperation: OperationDefinition | null = null;
  private validated = new Set<string>();

  constructor(
    readonly schema: Schema,
    readonly doc: QueryDocument,
    private readonly ev: Events,
  ) {}

  walk(): void {
    for (const op of this.doc.operations) {
      this.validated = new Set();
      this.walkOperation(op);
    }
    for (const fr of this.doc.fragments) {
      this.validated = new Set();
      this.walkFragment(fr);
    }
  }

  private walkOperation(op: OperationDefinition): void {
    this.currentOperation = op;
    const s = this.schema;
    for (const vd of op.variableDefinitions) {
      vd.definition = s.types.get(typeName(vd.type)) ?? null;
      for (const f of this.ev.variable) f(this, vd);
      if (vd.defaultValue) {
        vd.defaultValue.expectedType = vd.type;
        vd.defaultValue.definition = s.types.get(typeName(vd.type)) ?? null;
      }
    }
    let def: Definition | null = null;
    let loc = '';
    if (op.operation === 'query' || op.operation === '') {
      def = s.query;
      loc = 'QUERY';
    } else if (op.operation === 'mutation') {
      def = s.mutation;
      loc = 'MUTATION';
    } else if (op.operation === 'subscription') {
      def = s.subscription;
      loc = 'SUBSCRIPTION';
    }
    for (const vd of op.variableDefinitions) {
      if (vd.defaultValue) this.walkValue(vd.defaultValue);
      this.walkDirectives(vd.definition ?? null, vd.directives, 'VARIABLE_DEFINITION');
    }
    this.walkDirectives(def, op.directives, loc);
    this.walkSelectionSet(def, op.selectionSet);
    for (const f of this.ev.operation) f(this, op);
    this.currentOperation = null;
  }

  private walkFragment(fr: FragmentDefinition): void {
    const def = this.schema.types.get(fr.typeCondition) ?? null;
    fr.definition = def;
    this.walkDirectives(def, fr.directives, 'FRAGMENT_DEFINITION');
    this.walkSelectionSet(def, fr.selectionSet);
    for (const f of this.ev.fragment) f(this, fr);
  }

  private walkDirectives(_parent: Definition | null, dirs: Directive[], location: string): void {
    for (const dir of dirs) {
      const def = this.schema.directives.get(dir.name) ?? null;
      dir.definition = def;
      dir.location = location;
      for (const arg of dir.arguments) this.walkArgument(def ? (forName(def.arguments, arg.name) ?? null) : null, arg);
      for (const f of this.ev.directive) f(this, dir);
    }
    for (const f of this.ev.directiveList) f(this, dirs);
  }

  private walkValue(v: GValue): void {
    if (v.kind === VK.Variable && this.currentOperation) {
      v.variableDefinition = this.currentOperation.variableDefinitions.find((d) => d.variable === v.raw) ?? null;
      if (v.variableDefinition) v.variableDefinition.used = true;
    }
    if (v.kind === VK.Object) {
      for (const c of v.children) {
        if (c.value === null) continue;
        if (v.definition) {
          const fd = forName(v.definition.fields, c.name);
          if (fd) {
            c.value.expectedType = fd.type;
            c.value.definition = this.schema.types.get(typeName(fd.type)) ?? null;
          }
        }
        this.walkValue(c.value);
      }
    }
    if (v.kind === VK.List) {
      for (const c of v.children) {
        if (c.value === null) continue;
        if (v.expectedType && v.expectedType.elem) {
          c.value.expectedType = v.expectedType.elem;
          c.value.definition = v.definition;
        }
        this.walkValue(c.value);
      }
    }
    for (const f of this.ev.value) f(this, v);
  }

  private walkArgument(argDef: ArgumentDefinition | null, arg: Argument): void {
    if (arg.value === null) return;
    if (argDef) {
      arg.value.expectedType = argDef.type;
      arg.value.definition = this.schema.types.get(typeName(argDef.type)) ?? null;
    }
    this.walkValue(arg.value);
  }

  private walkSelectionSet(parent: Definition | null, sels: Selection[]): void {
    for (const s of sels) this.walkSelection(parent, s);
  }

  private walkSelection(parent: Definition | null, it: Selection): void {
    if (it.sel === 'field') {
      let def: FieldDefinition | null = null;
      if (it.name === '__typename') {
        def = { description: '', name: '__typename', arguments: [], defaultValue: null, type: { namedType: 'String', elem: null, nonNull: false, pos: null }, directives: [], pos: null };
      } else if (parent) def = forName(parent.fields, it.name) ?? null;
      it.definition = def;
      it.objectDefinition = parent;
      const next = def ? (this.schema.types.get(typeName(def.type)) ?? null) : null;
      for (const arg of it.arguments) this.walkArgument(def ? (forName(def.arguments, arg.name) ?? null) : null, arg);
      this.walkDirectives(next, it.directives, 'FIELD');
      this.walkSelectionSet(next, it.selectionSet);
      for (const f of this.ev.field) f(this, it);
    } else if (it.sel === 'inline') {
      it.objectDefinition = parent;
      const next = it.typeCondition !== '' ? (this.schema.types.get(it.typeCondition) ?? null) : parent;
      this.walkDirectives(next, it.directives, 'INLINE_FRAGMENT');
      this.walkSelectionSet(next, it.selectionSet);
      for (const f of this.ev.inlineFragment) f(this, it);
    } else {
      const def = forName(this.doc.fragments, it.name) ?? null;
      it.definition = def;
      it.objectDefinition = parent;
      const next = def ? (this.schema.types.get(def.typeCondition) ?? null) : null;
      this.walkDirectives(next, it.directives, 'FRAGMENT_SPREAD');
      if (def && !this.validated.has(def.name)) {
        this.validated.add(def.name);
        this.walkSelectionSet(next, def.selectionSet);
      }
      for (const f of this.ev.fragmentSpread) f(this, it);
    }
  }
}

// ---- messaging helpers (validator/messaging.go, suggestionList.go) ----

function orList(items: string[]): string {
  const xs = items.slice(0, 5);
  let out = '';
  xs.forEach((x, i) => {
    if (i !== 0) out += i === xs.length - 1 ? (xs.length > 2 ? ', or ' : ' or ') : ', ';
    out += x;
  });
  return out;
}

const quotedOrList = (items: string[]): string => orList(items.map((x) => `"${x}"`));

function levenshtein(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length];
}

function suggestionList(input: string, options: string[]): string[] {
  const dist = new Map<string, number>();
  const threshold = Math.max(1, Math.floor(input.length * 0.4) + 1);
  const out: string[] = [];
  for (const o of options) {
    let d: number;
    if (o === input) d = 0;
    else if (o.toLowerCase() === input.toLowerCase()) d = 1;
    else d = levenshtein(input.toLowerCase(), o.toLowerCase());
    if (d <= threshold) {
      out.push(o);
      dist.set(o, d);
    }
  }
  return out.sort((a, b) => dist.get(a)! - dist.get(b)! || goCompare(a, b));
}

const suggestQuoted = (prefix: string, typed: string, options: string[]): string => {
  const s = suggestionList(typed, options);
  return s.length > 0 ? ` ${prefix} ${quotedOrList(s)}?` : '';
};
const suggestUnquoted = (prefix: string, typed: string, options: string[]): string => {
  const s = suggestionList(typed, options);
  return s.length > 0 ? ` ${prefix} ${orList(s)}?` : '';
};

/** Value.Value(nil) fails for out-of-range numbers (strconv errors). */
function valueHasError(v: GValue | null): boolean {
  if (v === null) return false;
  switch (v.kind) {
    case VK.Int:
      return !/^-?\d+$/.test(v.raw) || BigInt(v.raw) > 2n ** 63n - 1n || BigInt(v.raw) < -(2n ** 63n);
    case VK.Float:
      return !Number.isFinite(Number(v.raw));
    case VK.Boolean:
      return v.raw !== 'true' && v.raw !== 'false';
    case VK.Variable:
      return v.variableDefinition?.defaultValue ? valueHasError(v.variableDefinition.defaultValue) : false;
    case VK.List:
    case VK.Object:
      return v.children.some((c) => valueHasError(c.value));
    default:
      return false;
  }
}

function unexpectedTypeMessage(v: GValue): string {
  const ty = typeString(v.expectedType ?? null);
  const s = valueString(v);
  switch (ty) {
    case 'Int':
    case 'Int!': {
      const outOfRange = /^-?\d+$/.test(v.raw) && (BigInt(v.raw) > 2147483647n || BigInt(v.raw) < -2147483648n);
      return outOfRange ? `Int cannot represent non 32-bit signed integer value: ${s}` : `Int cannot represent non-integer value: ${s}`;
    }
    case 'String':
    case 'String!':
    case '[String]':
      return `String cannot represent a non string value: ${s}`;
    case 'Boolean':
    case 'Boolean!':
      return `Boolean cannot represent a non boolean value: ${s}`;
    case 'Float':
    case 'Float!':
      return `Float cannot represent non numeric value: ${s}`;
    case 'ID':
    case 'ID!':
      return `ID cannot represent a non-string and non-integer value: ${s}`;
    default:
      if (v.definition?.kind === 'ENUM') return `Enum "${ty}" cannot represent non-enum value: ${s}.`;
      return `Expected value of type "${ty}", found ${s}.`;
  }
}

const oneOf = (d: Definition, ...names: string[]): boolean => names.includes(d.name);

const possibleTypes = (s: Schema, d: Definition): Definition[] => (s.possibleTypes.get(d.name) ?? []).filter((x): x is Definition => x !== undefined);

type Rule = (ev: Events, add: AddErr) => void;

const RULES: Rule[] = [
  // FieldsOnCorrectType
  (ev, add) => {
    ev.field.push((w, field) => {
      if (!field.objectDefinition || field.definition) return;
      const parent = field.objectDefinition;
      let msg = `Cannot query field "${field.name}" on type "${parent.name}".`;
      let suggestedTypes: string[] | null = null;
      if (isAbstract(parent)) {
        const objs: string[] = [];
        const intfs: string[] = [];
        const usage = new Map<string, number>();
        for (const pt of possibleTypes(w.schema, parent)) {
          if (!forName(pt.fields, field.name)) continue;
          objs.push(pt.name);
          for (const pi of pt.interfaces) {
            const id = w.schema.types.get(pi);
            if (id && forName(id.fields, field.name)) {
              if (!usage.get(pi)) intfs.push(pi);
              usage.set(pi, (usage.get(pi) ?? 0) + 1);
            }
          }
        }
        suggestedTypes = [...intfs, ...objs].sort((a, b) => (usage.get(b) ?? 0) - (usage.get(a) ?? 0) || goCompare(a, b));
      }
      if (suggestedTypes !== null) {
        msg += ' Did you mean to use an inline fragment on ' + quotedOrList(suggestedTypes) + '?';
      } else if (parent.kind === 'OBJECT' || parent.kind === 'INTERFACE') {
        const names = suggestionList(
          field.name,
          parent.fields.map((f) => f.name),
        );
        if (names.length > 0) msg += ' Did you mean ' + quotedOrList(names) + '?';
      }
      add(msg, field.pos);
    });
  },
  // FragmentsOnCompositeTypes
  (ev, add) => {
    ev.inlineFragment.push((w, f) => {
      const ft = w.schema.types.get(f.typeCondition);
      if (!ft || isComposite(ft)) return;
      add(`Fragment cannot condition on non composite type "${f.typeCondition}".`, f.pos);
    });
    ev.fragment.push((_w, f) => {
      if (!f.definition || f.typeCondition === '' || isComposite(f.definition)) return;
      add(`Fragment "${f.name}" cannot condition on non composite type "${f.typeCondition}".`, f.pos);
    });
  },
  // KnownArgumentNames
  (ev, add) => {
    ev.field.push((_w, field) => {
      if (!field.definition || !field.objectDefinition) return;
      for (const arg of field.arguments) {
        if (forName(field.definition.arguments, arg.name)) continue;
        add(
          `Unknown argument "${arg.name}" on field "${field.objectDefinition.name}.${field.name}".` +
            suggestQuoted(
              'Did you mean',
              arg.name,
              field.definition.arguments.map((a) => a.name),
            ),
          field.pos,
        );
      }
    });
    ev.directive.push((_w, dir) => {
      if (!dir.definition) return;
      for (const arg of dir.arguments) {
        if (forName(dir.definition.arguments, arg.name)) continue;
        add(
          `Unknown argument "${arg.name}" on directive "@${dir.name}".` +
            suggestQuoted(
              'Did you mean',
              arg.name,
              dir.definition.arguments.map((a) => a.name),
            ),
          dir.pos,
        );
      }
    });
  },
  // KnownDirectives
  (ev, add) => {
    const seen = new Set<string>();
    ev.directive.push((_w, dir) => {
      if (!dir.definition) {
        add(`Unknown directive "@${dir.name}".`, dir.pos);
        return;
      }
      if (dir.definition.locations.includes(dir.location)) return;
      const key = `${dir.name}:${dir.pos?.line}:${dir.pos?.column}`;
      if (!seen.has(key)) {
        add(`Directive "@${dir.name}" may not be used on ${dir.location}.`, dir.pos);
        seen.add(key);
      }
    });
  },
  // KnownFragmentNames
  (ev, add) => {
    ev.fragmentSpread.push((_w, fs) => {
      if (!fs.definition) add(`Unknown fragment "${fs.name}".`, fs.pos);
    });
  },
  // KnownRootType
  (ev, add) => {
    ev.operation.push((w, op) => {
      const def = op.operation === 'mutation' ? w.schema.mutation : op.operation === 'subscription' ? w.schema.subscription : w.schema.query;
      if (!def) add(`Schema does not support operation type "${op.operation}"`, op.pos);
    });
  },
  // KnownTypeNames
  (ev, add) => {
    ev.variable.push((w, v) => {
      const n = typeName(v.type);
      if (!w.schema.types.has(n)) add(`Unknown type "${n}".`, v.pos);
    });
    ev.inlineFragment.push((w, f) => {
      if (f.typeCondition === '' || w.schema.types.has(f.typeCondition)) return;
      add(`Unknown type "${f.typeCondition}".`, f.pos);
    });
    ev.fragment.push((w, f) => {
      if (w.schema.types.has(f.typeCondition)) return;
      add(`Unknown type "${f.typeCondition}".` + suggestQuoted('Did you mean', f.typeCondition, [...w.schema.types.keys()]), f.pos);
    });
  },
  // LoneAnonymousOperation
  (ev, add) => {
    ev.operation.push((w, op) => {
      if (op.name === '' && w.doc.operations.length > 1) add('This anonymous operation must be the only defined operation.', op.pos);
    });
  },
  // NoFragmentCycles
  (ev, add) => {
    const visited = new Set<string>();
    ev.fragment.push((w, fragment) => {
      const spreadPath: FragmentSpread[] = [];
      const indexByName = new Map<string, number>();
      const recursive = (fr: FragmentDefinition): void => {
        if (visited.has(fr.name)) return;
        visited.add(fr.name);
        const spreads = fragmentSpreads(fr.selectionSet);
        if (spreads.length === 0) return;
        indexByName.set(fr.name, spreadPath.length);
        for (const sn of spreads) {
          const cycleIndex = indexByName.get(sn.name);
          spreadPath.push(sn);
          if (cycleIndex === undefined) {
            const sf = forName(w.doc.fragments, sn.name);
            if (sf) recursive(sf);
          } else {
            const names = spreadPath.slice(cycleIndex, spreadPath.length - 1).map((fs) => `"${fs.name}"`);
            const via = names.length !== 0 ? ` via ${names.join(', ')}` : '';
            add(`Cannot spread fragment "${sn.name}" within itself${via}.`, sn.pos);
          }
          spreadPath.pop();
        }
        indexByName.delete(fr.name);
      };
      recursive(fragment);
    });
  },
  // NoUndefinedVariables
  (ev, add) => {
    ev.value.push((w, v) => {
      if (!w.currentOperation || v.kind !== VK.Variable || v.variableDefinition) return;
      if (w.currentOperation.name !== '') add(`Variable "${valueString(v)}" is not defined by operation "${w.currentOperation.name}".`, v.pos);
      else add(`Variable "${valueString(v)}" is not defined.`, v.pos);
    });
  },
  // NoUnusedFragments
  (ev, add) => {
    let inFragment = false;
    const used = new Set<string>();
    ev.fragmentSpread.push((_w, fs) => {
      if (!inFragment) used.add(fs.name);
    });
    ev.fragment.push((_w, f) => {
      inFragment = true;
      if (!used.has(f.name)) add(`Fragment "${f.name}" is never used.`, f.pos);
    });
  },
  // NoUnusedVariables
  (ev, add) => {
    ev.operation.push((_w, op) => {
      for (const vd of op.variableDefinitions) {
        if (vd.used) continue;
        if (op.name !== '') add(`Variable "$${vd.variable}" is never used in operation "${op.name}".`, vd.pos);
        else add(`Variable "$${vd.variable}" is never used.`, vd.pos);
      }
    });
  },
  // OverlappingFieldsCanBeMerged
  (ev, add) => {
    const m = new OverlapManager();
    const report = (w: Walker, sels: Selection[]): void => {
      m.walker = w;
      for (const c of m.findConflictsWithinSelectionSet(sels)) add(`Fields "${c.responseName}" conflict because ${conflictString(c)}. Use different aliases on the fields to fetch both if this was intentional.`, c.pos);
    };
    ev.operation.push((w, op) => report(w, op.selectionSet));
    ev.field.push((w, f) => {
      if (w.currentOperation) report(w, f.selectionSet);
    });
    ev.inlineFragment.push((w, f) => report(w, f.selectionSet));
    ev.fragment.push((w, f) => report(w, f.selectionSet));
  },
  // PossibleFragmentSpreads
  (ev, add) => {
    const validate = (w: Walker, parent: Definition | null | undefined, fragmentName: string, emit: () => void): void => {
      if (!parent) return;
      let parentDefs: Definition[];
      if (parent.kind === 'OBJECT') parentDefs = [parent];
      else if (parent.kind === 'INTERFACE' || parent.kind === 'UNION') parentDefs = possibleTypes(w.schema, parent);
      else return;
      const fdt = w.schema.types.get(fragmentName);
      if (!fdt || !isComposite(fdt)) return;
      for (const fd of possibleTypes(w.schema, fdt)) for (const pd of parentDefs) if (pd.name === fd.name) return;
      emit();
    };
    ev.inlineFragment.push((w, f) =>
      validate(w, f.objectDefinition, f.typeCondition, () =>
        add(`Fragment cannot be spread here as objects of type "${f.objectDefinition!.name}" can never be of type "${f.typeCondition}".`, f.pos),
      ),
    );
    ev.fragmentSpread.push((w, fs) => {
      if (!fs.definition) return;
      const tc = fs.definition.typeCondition;
      validate(w, fs.objectDefinition, tc, () =>
        add(`Fragment "${fs.name}" cannot be spread here as objects of type "${fs.objectDefinition!.name}" can never be of type "${tc}".`, fs.pos),
      );
    });
  },
  // ProvidedRequiredArguments
  (ev, add) => {
    ev.field.push((_w, field) => {
      if (!field.definition) return;
      for (const ad of field.definition.arguments) {
        if (!ad.type?.nonNull || ad.defaultValue !== null) continue;
        if (field.arguments.some((a) => a.name === ad.name)) continue;
        add(`Field "${field.name}" argument "${ad.name}" of type "${typeString(ad.type)}" is required, but it was not provided.`, field.pos);
      }
    });
    ev.directive.push((_w, dir) => {
      if (!dir.definition) return;
      for (const ad of dir.definition.arguments) {
        if (!ad.type?.nonNull || ad.defaultValue !== null) continue;
        if (dir.arguments.some((a) => a.name === ad.name)) continue;
        add(`Directive "@${dir.definition.name}" argument "${ad.name}" of type "${typeString(ad.type)}" is required, but it was not provided.`, dir.pos);
      }
    });
  },
  // ScalarLeafs
  (ev, add) => {
    ev.field.push((w, field) => {
      if (!field.definition) return;
      const ft = w.schema.types.get(typeName(field.definition.type));
      if (!ft) return;
      if (isLeaf(ft) && field.selectionSet.length > 0) add(`Field "${field.name}" must not have a selection since type "${ft.name}" has no subfields.`, field.pos);
      if (!isLeaf(ft) && field.selectionSet.length === 0) {
        add(`Field "${field.name}" of type "${typeString(field.definition.type)}" must have a selection of subfields. Did you mean "${field.name} { ... }"?`, field.pos);
      }
    });
  },
  // SingleFieldSubscriptions
  (ev, add) => {
    ev.operation.push((w, op) => {
      if (!w.schema.subscription || op.operation !== 'subscription') return;
      const fields: { name: string; pos: Pos | null }[] = [];
      const inFrag = new Set<string>();
      const walk = (sels: Selection[]): void => {
        for (const s of sels) {
          if (s.sel === 'field') fields.push({ name: s.name, pos: s.pos });
          else if (s.sel === 'inline') walk(s.selectionSet);
          else {
            if (!s.definition) return;
            if (!inFrag.has(s.definition.name)) {
              inFrag.add(s.definition.name);
              walk(s.definition.selectionSet);
            }
          }
        }
      };
      walk(op.selectionSet);
      const seen = new Set<string>();
      const uniq = fields.filter((f) => {
        const fresh = !seen.has(f.name);
        seen.add(f.name);
        return fresh;
      });
      const name = op.name !== '' ? `Subscription ${goQuote(op.name)}` : 'Anonymous Subscription';
      if (uniq.length > 1) add(`${name} must select only one top level field.`, uniq[1].pos);
      for (const f of uniq) if (f.name.startsWith('__')) add(`${name} must not select an introspection top level field.`, f.pos);
    });
  },
  // UniqueArgumentNames
  (ev, add) => {
    const check = (args: Argument[]): void => {
      const known = new Map<string, number>();
      for (const a of args) {
        if (known.get(a.name) === 1) add(`There can be only one argument named "${a.name}".`, a.pos);
        known.set(a.name, (known.get(a.name) ?? 0) + 1);
      }
    };
    ev.field.push((_w, f) => check(f.arguments));
    ev.directive.push((_w, d) => check(d.arguments));
  },
  // UniqueDirectivesPerLocation
  (ev, add) => {
    ev.directiveList.push((_w, dirs) => {
      const seen = new Set<string>();
      for (const d of dirs) {
        if (d.name !== 'repeatable' && seen.has(d.name)) add(`The directive "@${d.name}" can only be used once at this location.`, d.pos);
        seen.add(d.name);
      }
    });
  },
  // UniqueFragmentNames
  (ev, add) => {
    const seen = new Set<string>();
    ev.fragment.push((_w, f) => {
      if (seen.has(f.name)) add(`There can be only one fragment named "${f.name}".`, f.pos);
      seen.add(f.name);
    });
  },
  // UniqueInputFieldNames
  (ev, add) => {
    ev.value.push((_w, v) => {
      if (v.kind !== VK.Object) return;
      const seen = new Set<string>();
      for (const c of v.children) {
        if (seen.has(c.name)) add(`There can be only one input field named "${c.name}".`, c.pos);
        seen.add(c.name);
      }
    });
  },
  // UniqueOperationNames
  (ev, add) => {
    const seen = new Set<string>();
    ev.operation.push((_w, op) => {
      if (seen.has(op.name)) add(`There can be only one operation named "${op.name}".`, op.pos);
      seen.add(op.name);
    });
  },
  // UniqueVariableNames
  (ev, add) => {
    ev.operation.push((_w, op) => {
      const seen = new Map<string, number>();
      for (const d of op.variableDefinitions) {
        if (seen.get(d.variable) === 1) add(`There can be only one variable named "$${d.variable}".`, d.pos);
        seen.set(d.variable, (seen.get(d.variable) ?? 0) + 1);
      }
    });
  },
  // ValuesOfCorrectType
  (ev, add) => {
    ev.value.push((_w, v) => {
      const def = v.definition;
      const et = v.expectedType;
      if (!def || !et) return;
      if (v.kind === VK.Null && et.nonNull) add(`Expected value of type "${typeString(et)}", found ${valueString(v)}.`, v.pos);
      if (def.kind === 'SCALAR' && !oneOf(def, 'Int', 'Float', 'String', 'Boolean', 'ID')) return;
      const enums = def.kind === 'ENUM' ? def.enumValues.map((e) => e.name) : [];
      if (valueHasError(v)) add(unexpectedTypeMessage(v), v.pos);
      const rawStr = v.kind === VK.Variable ? '<nil>' : v.raw;
      switch (v.kind) {
        case VK.Null:
        case VK.Variable:
          return;
        case VK.List:
          if (et.elem === null) add(unexpectedTypeMessage(v), v.pos);
          return;
        case VK.Int:
          if (!oneOf(def, 'Int', 'Float', 'ID')) add(unexpectedTypeMessage(v), v.pos);
          return;
        case VK.Float:
          if (!oneOf(def, 'Float')) add(unexpectedTypeMessage(v), v.pos);
          return;
        case VK.String:
        case VK.Block:
          if (def.kind === 'ENUM') {
            add(`Enum "${typeString(et)}" cannot represent non-enum value: ${valueString(v)}.` + suggestQuoted('Did you mean the enum value', rawStr, enums), v.pos);
          } else if (!oneOf(def, 'String', 'ID')) add(unexpectedTypeMessage(v), v.pos);
          return;
        case VK.Enum:
          if (def.kind !== 'ENUM') add(unexpectedTypeMessage(v) + suggestUnquoted('Did you mean the enum value', rawStr, enums), v.pos);
          else if (!forName(def.enumValues, v.raw)) {
            add(`Value "${valueString(v)}" does not exist in "${typeString(et)}" enum.` + suggestQuoted('Did you mean the enum value', rawStr, enums), v.pos);
          }
          return;
        case VK.Boolean:
          if (!oneOf(def, 'Boolean')) add(unexpectedTypeMessage(v), v.pos);
          return;
        case VK.Object:
          for (const f of def.fields) {
            if (f.type?.nonNull && !v.children.some((c) => c.name === f.name) && f.defaultValue === null) {
              add(`Field "${def.name}.${f.name}" of required type "${typeString(f.type)}" was not provided.`, v.pos);
            }
          }
          for (const c of v.children) {
            if (!forName(def.fields, c.name)) {
              add(
                `Field "${c.name}" is not defined by type "${def.name}".` +
                  suggestQuoted(
                    'Did you mean',
                    c.name,
                    def.fields.map((f) => f.name),
                  ),
                c.pos,
              );
            }
          }
          return;
      }
    });
  },
  // VariablesAreInputTypes
  (ev, add) => {
    ev.operation.push((_w, op) => {
      for (const d of op.variableDefinitions) {
        if (!d.definition) continue;
        if (!isInput(d.definition)) add(`Variable "$${d.variable}" cannot be non-input type "${typeString(d.type)}".`, d.pos);
      }
    });
  },
  // VariablesInAllowedPosition
  (ev, add) => {
    ev.value.push((w, v) => {
      if (v.kind !== VK.Variable || !v.expectedType || !v.variableDefinition || !w.currentOperation) return;
      const tmp: GType = { ...v.expectedType };
      const dv = v.variableDefinition.defaultValue;
      if (dv && dv.kind !== VK.Null && v.expectedType.nonNull) tmp.nonNull = false;
      const vt = v.variableDefinition.type;
      if (vt && !isCompatible(vt, tmp)) {
        add(`Variable "${valueString(v)}" of type "${typeString(vt)}" used in position expecting type "${typeString(v.expectedType)}".`, v.pos);
      }
    });
  },
];

function fragmentSpreads(node: Selection[]): FragmentSpread[] {
  const spreads: FragmentSpread[] = [];
  const toVisit: Selection[][] = [node];
  while (toVisit.length > 0) {
    const set = toVisit.pop()!;
    for (const s of set) {
      if (s.sel === 'spread') spreads.push(s);
      else toVisit.push(s.selectionSet);
    }
  }
  return spreads;
}

// ---- OverlappingFieldsCanBeMerged ----

interface Conflict {
  message: string;
  responseName: string;
  sub: Conflict[];
  pos: Pos | null;
}

function conflictString(c: Conflict): string {
  if (c.sub.length === 0) return c.message;
  return c.sub.map((s) => `subfields "${s.responseName}" conflict because ${conflictString(s)}`).join(' and ');
}

class FieldsMap {
  seq: string[] = [];
  data = new Map<string, Field[]>();
  push(name: string, f: Field): void {
    const l = this.data.get(name);
    if (l) l.push(f);
    else {
      this.seq.push(name);
      this.data.set(name, [f]);
    }
  }
  sameAs(o: FieldsMap): boolean {
    if (this.seq.length !== o.seq.length) return false;
    return this.seq.every((n, i) => {
      const a = this.data.get(n)!;
      const b = o.data.get(o.seq[i]);
      return n === o.seq[i] && b !== undefined && a.length === b.length && a.every((f, j) => f === b[j]);
    });
  }
}

function fieldsAndFragments(sels: Selection[]): [FieldsMap, FragmentSpread[]] {
  const m = new FieldsMap();
  const spreads: FragmentSpread[] = [];
  const walk = (ss: Selection[]): void => {
    for (const s of ss) {
      if (s.sel === 'field') m.push(s.alias !== '' ? s.alias : s.name, s);
      else if (s.sel === 'inline') walk(s.selectionSet);
      else spreads.push(s);
    }
  };
  walk(sels);
  return [m, spreads];
}

class OverlapManager {
  walker!: Walker;
  private pairs = new Map<string, Map<string, boolean>>();
  private compared = new Set<string>();

  private pairHas(a: string, b: string, excl: boolean): boolean {
    const r = this.pairs.get(a)?.get(b);
    if (r === undefined) return false;
    return excl ? true : !r;
  }

  private pairAdd(a: string, b: string, excl: boolean): void {
    for (const [x, y] of [
      [a, b],
      [b, a],
    ]) {
      let m = this.pairs.get(x);
      if (!m) this.pairs.set(x, (m = new Map()));
      m.set(y, excl);
    }
  }

  findConflictsWithinSelectionSet(sels: Selection[]): Conflict[] {
    if (sels.length === 0) return [];
    const [fields, spreads] = fieldsAndFragments(sels);
    const out: Conflict[] = [];
    this.collectWithin(out, fields);
    this.compared = new Set();
    spreads.forEach((a, i) => {
      this.collectFieldsAndFragment(out, false, fields, a);
      for (const b of spreads.slice(i + 1)) this.collectFragments(out, false, a, b);
    });
    return out;
  }

  private collectFieldsAndFragment(out: Conflict[], excl: boolean, fields: FieldsMap, fs: FragmentSpread): void {
    if (this.compared.has(fs.name)) return;
    this.compared.add(fs.name);
    if (!fs.definition) return;
    const [fieldsB, spreads] = fieldsAndFragments(fs.definition.selectionSet);
    if (fields.sameAs(fieldsB)) return;
    this.collectBetween(out, excl, fields, fieldsB);
    for (const s of spreads) {
      if (s.name === fs.name) continue;
      this.collectFieldsAndFragment(out, excl, fields, s);
    }
  }

  private collectFragments(out: Conflict[], excl: boolean, a0: FragmentSpread, b0: FragmentSpread): void {
    const check = (a: FragmentSpread, b: FragmentSpread): void => {
      if (a.name === b.name) return;
      if (this.pairHas(a.name, b.name, excl)) return;
      this.pairAdd(a.name, b.name, excl);
      if (!a.definition || !b.definition) return;
      const [fa, sa] = fieldsAndFragments(a.definition.selectionSet);
      const [fb, sb] = fieldsAndFragments(b.definition.selectionSet);
      this.collectBetween(out, excl, fa, fb);
      for (const s of sb) check(a, s);
      for (const s of sa) check(s, b);
    };
    check(a0, b0);
  }

  private subSelections(excl: boolean, a: Selection[], b: Selection[]): Conflict[] | null {
    const out: Conflict[] = [];
    const [fa, sa] = fieldsAndFragments(a);
    const [fb, sb] = fieldsAndFragments(b);
    this.collectBetween(out, excl, fa, fb);
    for (const s of sb) {
      this.compared = new Set();
      this.collectFieldsAndFragment(out, excl, fa, s);
    }
    for (const s of sa) {
      this.compared = new Set();
      this.collectFieldsAndFragment(out, excl, fb, s);
    }
    for (const x of sa) for (const y of sb) this.collectFragments(out, excl, x, y);
    return out.length === 0 ? null : out;
  }

  private collectWithin(out: Conflict[], fields: FieldsMap): void {
    for (const name of fields.seq) {
      const fs = fields.data.get(name)!;
      fs.forEach((a, i) => {
        for (const b of fs.slice(i + 1)) {
          const c = this.findConflict(false, a, b);
          if (c) out.push(c);
        }
      });
    }
  }

  private collectBetween(out: Conflict[], excl: boolean, fa: FieldsMap, fb: FieldsMap): void {
    for (const name of fa.seq) {
      const bs = fb.data.get(name);
      if (!bs) continue;
      for (const a of fa.data.get(name)!) {
        for (const b of bs) {
          const c = this.findConflict(excl, a, b);
          if (c) out.push(c);
        }
      }
    }
  }

  private findConflict(parentExcl: boolean, a: Field, b: Field): Conflict | null {
    const oa = a.objectDefinition;
    const ob = b.objectDefinition;
    if (!oa || !ob) return null;
    let excl = parentExcl;
    if (!excl) excl = oa.name !== ob.name && oa.kind === 'OBJECT' && ob.kind === 'OBJECT' && !!a.definition && !!b.definition;
    const responseName = a.alias !== '' ? a.alias : a.name;
    if (!excl) {
      if (a.name !== b.name) return { responseName, message: `"${a.name}" and "${b.name}" are different fields`, sub: [], pos: b.pos };
      if (!sameArguments(a.arguments, b.arguments)) return { responseName, message: 'they have differing arguments', sub: [], pos: b.pos };
    }
    if (a.definition && b.definition && this.typesConflict(a.definition.type!, b.definition.type!)) {
      return { responseName, message: `they return conflicting types "${typeString(a.definition.type)}" and "${typeString(b.definition.type)}"`, sub: [], pos: b.pos };
    }
    const sub = this.subSelections(excl, a.selectionSet, b.selectionSet);
    if (sub === null) return null;
    return { responseName, message: '', sub, pos: b.pos };
  }

  private typesConflict(t1: GType, t2: GType): boolean {
    if (t1.elem !== null) return t2.elem !== null ? this.typesConflict(t1.elem, t2.elem) : true;
    if (t2.elem !== null) return true;
    if (t1.nonNull !== t2.nonNull) return true;
    const d1 = this.walker.schema.types.get(t1.namedType);
    const d2 = this.walker.schema.types.get(t2.namedType);
    if (d1 && d2 && isLeaf(d1) && isLeaf(d2)) return d1.name !== d2.name;
    return false;
  }
}

function sameArguments(a: Argument[], b: Argument[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x) => b.some((y) => x.name === y.name && sameValue(x.value, y.value)));
}

function sameValue(a: GValue | null, b: GValue | null): boolean {
  if (a === null || b === null) return a === b;
  return a.kind === b.kind && a.raw === b.raw;
}

function validateQuery(schema: Schema, doc: QueryDocument): GqlError[] {
  const errs: GqlError[] = [];
  const ev = new Events();
  for (const rule of RULES) {
    rule(ev, (message, pos) => errs.push(pos ? { message, line: pos.line, column: pos.column } : { message }));
  }
  new Walker(schema, doc, ev).walk();
  return errs;
}

// ============================================================================================
// The built-ins

type Doc<T> = { doc: T; value: Value };

function queryOperand(name: string, x: Value, pos: number, soft: boolean): Doc<QueryDocument> {
  if (typeof x === 'string') {
    const doc = parseQuery(x);
    return { doc, value: fromJS(prune(queryJ(doc))) };
  }
  if (x instanceof ObjectValue) {
    const doc = decodeQuery(toJS(x) as Obj);
    return { doc, value: fromJS(prune(queryJ(doc))) };
  }
  if (soft) throw new GraphQLError('wrong type');
  throw operandTypeError(name, pos, x, 'string', 'object');
}

function schemaOperand(name: string, x: Value, pos: number, soft: boolean): Doc<SchemaDocument> {
  if (typeof x === 'string') {
    const doc = parseSchema(x);
    return { doc, value: fromJS(prune(schemaJ(doc))) };
  }
  if (x instanceof ObjectValue) {
    const doc = decodeSchema(toJS(x) as Obj);
    return { doc, value: fromJS(prune(schemaJ(doc))) };
  }
  if (soft) throw new GraphQLError('wrong type');
  throw operandTypeError(name, pos, x, 'string', 'object');
}

function convertSchema(doc: SchemaDocument): Schema {
  try {
    return loadSchema(doc);
  } catch (e) {
    if (e instanceof SchemaError) {
      const loc = e.pos ? `input:${e.pos.line}:${e.pos.column}` : 'input';
      throw new GraphQLError(`Error in gqlparser SchemaDocument to Schema conversion: ${loc}: ${e.message}`);
    }
    throw e;
  }
}

function checkQuery(schema: Schema, doc: QueryDocument): void {
  const errs = validateQuery(schema, doc);
  if (errs.length > 0) throw new GraphQLError(formatError(errs, true));
}

/** Runs `f`, turning GraphQL failures into eval_builtin_error (or a fallback result when soft). */
function guard<T>(name: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof GraphQLError || e instanceof DecodeError) throw builtinError(name, e.message);
    throw e;
  }
}

function soft<T>(fallback: T, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof GraphQLError || e instanceof DecodeError) return fallback;
    throw e;
  }
}

const ANY_OBJ = t.objectOf(t.any, t.any);
const QS = t.anyOf(t.string, ANY_OBJ);

export const builtins: Builtin[] = [
  {
    name: 'graphql.parse',
    args: [QS, QS],
    result: t.tuple(ANY_OBJ, ANY_OBJ),
    description:
      'Returns AST objects for a given GraphQL query and schema after validating the query against the schema. Returns undefined if errors were encountered during parsing or validation. The query and/or schema can be either GraphQL strings or AST objects from the other GraphQL builtin functions.',
    fn: ([q, s]) => {
      const name = 'graphql.parse';
      return guard(name, () => {
        const query = queryOperand(name, q, 0, false);
        const schemaDoc = schemaOperand(name, s, 1, false);
        checkQuery(convertSchema(schemaDoc.doc), query.doc);
        return [query.value, schemaDoc.value];
      });
    },
  },
  {
    name: 'graphql.parse_and_verify',
    args: [QS, QS],
    result: t.tuple(t.boolean, ANY_OBJ, ANY_OBJ),
    description:
      'Returns a boolean indicating success or failure alongside the parsed ASTs for a given GraphQL query and schema after validating the query against the schema. The query and/or schema can be either GraphQL strings or AST objects from the other GraphQL builtin functions.',
    fn: ([q, s]) => {
      const name = 'graphql.parse_and_verify';
      const unverified: Value = [false, new ObjectValue(), new ObjectValue()];
      return soft(unverified, () => {
        const query = queryOperand(name, q, 0, true);
        const schemaDoc = schemaOperand(name, s, 1, true);
        checkQuery(convertSchema(schemaDoc.doc), query.doc);
        return [true, query.value, schemaDoc.value];
      });
    },
  },
  {
    name: 'graphql.parse_query',
    args: [t.string],
    result: ANY_OBJ,
    description: 'Returns an AST object for a GraphQL query.',
    fn: ([q]) => {
      const name = 'graphql.parse_query';
      if (typeof q !== 'string') throw operandTypeError(name, 1, q, 'string');
      return guard(name, () => fromJS(prune(queryJ(parseQuery(q)))));
    },
  },
  {
    name: 'graphql.parse_schema',
    args: [t.string],
    result: ANY_OBJ,
    description: 'Returns an AST object for a GraphQL schema.',
    fn: ([s]) => {
      const name = 'graphql.parse_schema';
      if (typeof s !== 'string') throw operandTypeError(name, 1, s, 'string');
      return guard(name, () => fromJS(prune(schemaJ(parseSchema(s)))));
    },
  },
  {
    name: 'graphql.is_valid',
    args: [QS, QS],
    result: t.boolean,
    description:
      'Checks that a GraphQL query is valid against a given schema. The query and/or schema can be either GraphQL strings or AST objects from the other GraphQL builtin functions.',
    fn: ([q, s]) =>
      soft(false, () => {
        const name = 'graphql.is_valid';
        const query = queryOperand(name, q, 0, true);
        const schemaDoc = schemaOperand(name, s, 1, true);
        checkQuery(convertSchema(schemaDoc.doc), query.doc);
        return true;
      }),
  },
  {
    name: 'graphql.schema_is_valid',
    args: [QS],
    result: t.boolean,
    description: 'Checks that the input is a valid GraphQL schema. The schema can be either a GraphQL string or an AST object from the other GraphQL builtin functions.',
    fn: ([s]) =>
      soft(false, () => {
        convertSchema(schemaOperand('graphql.schema_is_valid', s, 0, true).doc);
        return true;
      }),
  },
];
