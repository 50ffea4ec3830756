// strings.render_template, after OPA's v1/topdown/template.go: a Go text/template subset.
//
// Supported: text and {{actions}} with trim markers and comments; pipelines with `|`; fields
// (.a.b), variables ($x, $x.a), `.`, literals (strings, raw strings, numbers, true/false/nil);
// variable declaration and assignment; if/else if/else, range (with $i, $v := and else), with,
// break/continue; functions and, or, not, len, index, print, printf, println, eq, ne, lt, le,
// gt, ge, html, js, urlquery, slice. A missing map key renders "<undefined>" (as OPA's cases
// show); values print as Go's fmt prints them (numbers as their JSON text).

import { toJSONText } from '../json.ts';
import { isNumber, ObjectValue, SetValue, type Value } from '../value.ts';
import { compareNumbers, type RegoNumber } from '../number.ts';
import { builtinError, operandTypeError, t, type Builtin } from './registry.ts';

class TemplateError extends Error {}

const UNDEFINED = Symbol('undefined');
type TV = Value | typeof UNDEFINED;

// ---- lexing / parsing ----

type Node =
  | { k: 'text'; s: string }
  | { k: 'action'; pipe: Pipe }
  | { k: 'if' | 'with'; pipe: Pipe; body: Node[]; els: Node[] | undefined }
  | { k: 'range'; pipe: Pipe; body: Node[]; els: Node[] | undefined }
  | { k: 'break' | 'continue' };

interface Pipe {
  decl: string[];
  assign: boolean;
  cmds: Operand[][];
}

type Operand =
  | { k: 'field'; base: Operand | undefined; names: string[] } // base undefined → dot
  | { k: 'var'; name: string; names: string[] }
  | { k: 'dot' }
  | { k: 'lit'; v: TV }
  | { k: 'fn'; name: string }
  | { k: 'pipe'; pipe: Pipe; names: string[] };

interface Action {
  /** Raw text inside the delimiters (trimmed). */
  body: string;
}

function tokenize(src: string): (string | Action)[] {
  const out: (string | Action)[] = [];
  let i = 0;
  let text = '';
  while (i < src.length) {
    const j = src.indexOf('{{', i);
    if (j < 0) {
      text += src.slice(i);
      break;
    }
    text += src.slice(i, j);
    let p = j + 2;
    if (src.startsWith('- ', p) || src.startsWith('-\t', p) || src.startsWith('-\n', p) || src.startsWith('-\r', p)) {
      text = text.replace(/[ \t\r\n]+$/, '');
      p += 1;
    }
    // find the closing delimiter, skipping quoted strings and comments
    let q = p;
    let end = -1;
    while (q < src.length) {
      const c = src[q];
      if (src.startsWith('/*', q)) {
        const e = src.indexOf('*/', q + 2);
        if (e < 0) throw new TemplateError('template: template:1: unclosed comment');
        q = e + 2;
        continue;
      }
      if (c === '"' || c === '`' || c === "'") {
        q++;
        while (q < src.length && src[q] !== c) q += src[q] === '\\' && c !== '`' ? 2 : 1;
        q++;
        continue;
      }
      if (src.startsWith('}}', q)) {
        end = q;
        break;
      }
      q++;
    }
    if (end < 0) throw new TemplateError('template: template:1: unclosed action');
    let body = src.slice(p, end);
    let next = end + 2;
    let trimRight = false;
    if (/[ \t\r\n]-$/.test(body)) {
      body = body.slice(0, -1);
      trimRight = true;
    }
    if (text) out.push(text);
    text = '';
    const b = body.trim();
    if (!(b.startsWith('/*') && b.endsWith('*/'))) out.push({ body: b });
    if (trimRight) while (next < src.length && ' \t\r\n'.includes(src[next])) next++;
    i = next;
  }
  if (text) out.push(text);
  return out;
}

function lexAction(s: string): string[] {
  const toks: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (' \t\r\n'.includes(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
      toks.push(s.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = s.indexOf('`', i + 1);
      toks.push(s.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (c === '(' || c === ')' || c === '|' || c === ',') {
      // `)` may be followed by a field chain: `(pipe).a`
      if (c === ')') {
        let j = i + 1;
        while (j < s.length && /[.\w]/.test(s[j])) j++;
        toks.push(s.slice(i, j));
        i = j;
        continue;
      }
      toks.push(c);
      i++;
      continue;
    }
    if (s.startsWith(':=', i)) {
      toks.push(':=');
      i += 2;
      continue;
    }
    if (c === '=') {
      toks.push('=');
      i++;
      continue;
    }
    let j = i;
    while (j < s.length && !' \t\r\n()|,'.includes(s[j]) && !s.startsWith(':=', j) && !(s[j] === '=' )) j++;
    toks.push(s.slice(i, j));
    i = j;
  }
  return toks;
}

function parseOperand(tok: string): Operand {
  if (tok === '.') return { k: 'dot' };
  if (tok.startsWith('.')) return { k: 'field', base: undefined, names: tok.slice(1).split('.') };
  if (tok.startsWith('$')) {
    const [name, ...names] = tok.split('.');
    return { k: 'var', name, names };
  }
  if (tok.startsWith('"')) return { k: 'lit', v: JSON.parse(tok) as string };
  if (tok.startsWith('`')) return { k: 'lit', v: tok.slice(1, -1) };
  if (tok.startsWith("'")) {
    const ch = JSON.parse('"' + tok.slice(1, -1).replace(/"/g, '\\"') + '"') as string;
    return { k: 'lit', v: ch.codePointAt(0) ?? 0 };
  }
  if (tok === 'true') return { k: 'lit', v: true };
  if (tok === 'false') return { k: 'lit', v: false };
  if (tok === 'nil') return { k: 'lit', v: null };
  if (/^[-+]?(\d|\.\d)/.test(tok)) {
    const n = Number(tok);
    if (Number.isNaN(n)) throw new TemplateError(`template: template:1: bad number syntax: "${tok}"`);
    return { k: 'lit', v: n };
  }
  if (/^[A-Za-z_]\w*$/.test(tok)) {
    if (!(tok in FUNCS)) throw new TemplateError(`template: template:1: function "${tok}" not defined`);
    return { k: 'fn', name: tok };
  }
  throw new TemplateError(`template: template:1: unexpected "${tok}" in command`);
}

function parsePipe(toks: string[]): Pipe {
  let pos = 0;
  const pipe: Pipe = { decl: [], assign: false, cmds: [] };
  // declarations: $a := / $a, $b := / $a =
  const declEnd = toks.findIndex((x) => x === ':=' || x === '=');
  if (declEnd > 0 && toks.slice(0, declEnd).every((x) => x.startsWith('$') || x === ',')) {
    pipe.decl = toks.slice(0, declEnd).filter((x) => x !== ',');
    pipe.assign = toks[declEnd] === '=';
    pos = declEnd + 1;
  }
  const parseCmds = (): Operand[][] => {
    const cmds: Operand[][] = [[]];
    while (pos < toks.length) {
      const tok = toks[pos];
      if (tok.startsWith(')')) break;
      pos++;
      if (tok === '|') {
        cmds.push([]);
        continue;
      }
      if (tok === '(') {
        const inner: Pipe = { decl: [], assign: false, cmds: parseCmds() };
        const close = toks[pos++];
        if (close === undefined || !close.startsWith(')')) throw new TemplateError('template: template:1: unclosed left paren');
        const names = close.length > 1 ? close.slice(2).split('.') : [];
        cmds[cmds.length - 1].push({ k: 'pipe', pipe: inner, names });
        continue;
      }
      cmds[cmds.length - 1].push(parseOperand(tok));
    }
    if (cmds.some((c) => c.length === 0)) throw new TemplateError('template: template:1: missing value for command');
    return cmds;
  };
  pipe.cmds = parseCmds();
  if (pos < toks.length) throw new TemplateError(`template: template:1: unexpected "${toks[pos]}" in operand`);
  return pipe;
}

function parse(src: string): Node[] {
  const items = tokenize(src);
  let pos = 0;
  const parseList = (stops: string[]): [Node[], string] => {
    const out: Node[] = [];
    while (pos < items.length) {
      const it = items[pos++];
      if (typeof it === 'string') {
        out.push({ k: 'text', s: it });
        continue;
      }
      const toks = lexAction(it.body);
      const kw = toks[0];
      if (kw !== undefined && stops.includes(kw)) return [out, it.body];
      switch (kw) {
        case 'if':
        case 'with':
        case 'range': {
          out.push(parseControl(kw, toks.slice(1)));
          break;
        }
        case 'break':
        case 'continue':
          out.push({ k: kw });
          break;
        case 'end':
        case 'else':
          throw new TemplateError(`template: template:1: unexpected {{${kw}}}`);
        case 'define':
        case 'template':
        case 'block':
          throw new TemplateError(`template: template:1: {{${kw}}} is not supported`);
        default:
          out.push({ k: 'action', pipe: parsePipe(toks) });
      }
    }
    if (stops.length) throw new TemplateError('template: template:1: unexpected EOF');
    return [out, ''];
  };
  const parseControl = (kw: 'if' | 'with' | 'range', toks: string[]): Node => {
    const pipe = parsePipe(toks);
    const [body, stop] = parseList(['end', 'else']);
    let els: Node[] | undefined;
    if (stop.startsWith('else')) {
      const rest = lexAction(stop).slice(1);
      if (rest.length > 0 && (rest[0] === 'if' || rest[0] === 'with')) {
        // {{else if ...}}: nested control whose {{end}} closes both
        els = [parseControl(rest[0], rest.slice(1))];
      } else {
        const [e] = parseList(['end']);
        els = e;
      }
    }
    return { k: kw, pipe, body, els };
  };
  return parseList([])[0];
}

// ---- evaluation ----

function truthy(v: TV): boolean {
  if (v === UNDEFINED || v === null || v === false) return false;
  if (typeof v === 'string') return v !== '';
  if (isNumber(v)) return compareNumbers(v as RegoNumber, 0) !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof ObjectValue || v instanceof SetValue) return v.size > 0;
  return true;
}

function printValue(v: TV, top = true): string {
  if (v === UNDEFINED) return '<undefined>';
  if (v === null) return top ? '<no value>' : '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (isNumber(v)) return toJSONText(v);
  if (Array.isArray(v)) return '[' + (v as Value[]).map((x) => printValue(x, false)).join(' ') + ']';
  if (v instanceof SetValue) return '[' + v.values().map((x) => printValue(x, false)).join(' ') + ']';
  const o = v as ObjectValue;
  return 'map[' + o.entries().map(([k, x]) => `${printValue(k, false)}:${printValue(x, false)}`).join(' ') + ']';
}

function field(v: TV, name: string): TV {
  if (v instanceof ObjectValue) {
    const x = v.get(name);
    return x === undefined ? UNDEFINED : x;
  }
  if (v === UNDEFINED || v === null) return UNDEFINED;
  throw new TemplateError(`template: template:1: can't evaluate field ${name} in type ${goType(v)}`);
}

function goType(v: TV): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (isNumber(v as Value)) return 'json.Number';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

class Break {}
class Continue {}

type Fn = (args: TV[]) => TV;

function cmp(name: string, a: TV, b: TV): number {
  if (isNumber(a as Value) && isNumber(b as Value)) return compareNumbers(a as RegoNumber, b as RegoNumber);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean' && (name === 'eq' || name === 'ne')) return a === b ? 0 : 1;
  throw new TemplateError(`template: template:1: error calling ${name}: incompatible types for comparison`);
}

function goFmt(format: string, args: TV[]): string {
  let i = 0;
  return format.replace(/%([-+# 0]*\d*(?:\.\d+)?)([vsdqftxX%])/g, (_m, _flags: string, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    if (a === undefined) return `%!${verb}(MISSING)`;
    switch (verb) {
      case 'q':
        return JSON.stringify(typeof a === 'string' ? a : printValue(a));
      case 'x':
        return typeof a === 'string' ? Buffer.from(a).toString('hex') : isNumber(a as Value) ? Number(a).toString(16) : printValue(a);
      case 'X':
        return typeof a === 'string' ? Buffer.from(a).toString('hex').toUpperCase() : isNumber(a as Value) ? Number(a).toString(16).toUpperCase() : printValue(a);
      case 'f':
        return isNumber(a as Value) ? Number(a).toFixed(6) : printValue(a);
      default:
        return printValue(a, false);
    }
  });
}

const FUNCS: Record<string, Fn> = {
  and: (a) => {
    for (const x of a) if (!truthy(x)) return x;
    return a[a.length - 1];
  },
  or: (a) => {
    for (const x of a) if (truthy(x)) return x;
    return a[a.length - 1];
  },
  not: (a) => !truthy(a[0]),
  len: ([x]) => {
    if (typeof x === 'string') return Buffer.byteLength(x, 'utf8');
    if (Array.isArray(x)) return x.length;
    if (x instanceof ObjectValue || x instanceof SetValue) return x.size;
    throw new TemplateError(`template: template:1: error calling len: len of type ${goType(x)}`);
  },
  index: ([x, ...idx]) => {
    let cur = x;
    for (const i of idx) {
      if (Array.isArray(cur) && isNumber(i as Value)) {
        const n = Number(i);
        if (n < 0 || n >= cur.length) throw new TemplateError(`template: template:1: error calling index: index out of range: ${n}`);
        cur = cur[n];
      } else if (cur instanceof ObjectValue) {
        const v = cur.get(i as Value);
        cur = v === undefined ? UNDEFINED : v;
      } else throw new TemplateError(`template: template:1: error calling index: cannot index slice/array with type ${goType(i)}`);
    }
    return cur;
  },
  slice: ([x, ...idx]) => {
    const a = idx.map((i) => Number(i));
    if (typeof x === 'string') return x.slice(a[0] ?? 0, a[1] ?? x.length);
    if (Array.isArray(x)) return x.slice(a[0] ?? 0, a[1] ?? x.length);
    throw new TemplateError(`template: template:1: error calling slice: can't slice item of type ${goType(x)}`);
  },
  print: (a) => a.map((x, i) => (i > 0 && typeof x !== 'string' && typeof a[i - 1] !== 'string' ? ' ' : '') + printValue(x, false)).join(''),
  println: (a) => a.map((x) => printValue(x, false)).join(' ') + '\n',
  printf: ([f, ...rest]) => goFmt(typeof f === 'string' ? f : printValue(f), rest),
  eq: ([a, ...bs]) => bs.some((b) => cmp('eq', a, b) === 0),
  ne: ([a, b]) => cmp('ne', a, b) !== 0,
  lt: ([a, b]) => cmp('lt', a, b) < 0,
  le: ([a, b]) => cmp('le', a, b) <= 0,
  gt: ([a, b]) => cmp('gt', a, b) > 0,
  ge: ([a, b]) => cmp('ge', a, b) >= 0,
  html: (a) =>
    (FUNCS.print(a) as string)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&#34;')
      .replace(/'/g, '&#39;'),
  js: (a) =>
    (FUNCS.print(a) as string).replace(/[\\'"<>&=]/g, (c) =>
      c === '\\' ? '\\\\' : c === "'" ? "\\'" : c === '"' ? '\\"' : `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
    ),
  urlquery: (a) => encodeURIComponent(FUNCS.print(a) as string).replace(/%20/g, '+'),
};

class Scope {
  vars: Map<string, TV>[] = [new Map()];
  get(name: string): TV {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].has(name)) return this.vars[i].get(name)!;
    throw new TemplateError(`template: template:1: undefined variable: ${name}`);
  }
  set(name: string, v: TV): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].has(name)) {
        this.vars[i].set(name, v);
        return;
      }
    }
    throw new TemplateError(`template: template:1: undefined variable: ${name}`);
  }
  declare(name: string, v: TV): void {
    this.vars[this.vars.length - 1].set(name, v);
  }
}

function evalOperand(op: Operand, dot: TV, sc: Scope): TV {
  switch (op.k) {
    case 'dot':
      return dot;
    case 'lit':
      return op.v;
    case 'field':
      return op.names.reduce<TV>((v, n) => field(v, n), dot);
    case 'var':
      return op.names.reduce<TV>((v, n) => field(v, n), sc.get(op.name));
    case 'pipe':
      return op.names.reduce<TV>((v, n) => field(v, n), evalPipe(op.pipe, dot, sc, false));
    case 'fn':
      return FUNCS[op.name]([]);
  }
}

function evalPipe(p: Pipe, dot: TV, sc: Scope, declare = true): TV {
  let prev: TV | undefined;
  for (const cmd of p.cmds) {
    const [head, ...rest] = cmd;
    if (head.k === 'fn') {
      const args = rest.map((o) => evalOperand(o, dot, sc));
      if (prev !== undefined) args.push(prev);
      prev = FUNCS[head.name](args);
    } else {
      if (rest.length > 0 || prev !== undefined) throw new TemplateError(`template: template:1: can't give argument to non-function ${opText(head)}`);
      prev = evalOperand(head, dot, sc);
    }
  }
  const v = prev as TV;
  if (declare && p.decl.length === 1) {
    if (p.assign) sc.set(p.decl[0], v);
    else sc.declare(p.decl[0], v);
  }
  return v;
}

function opText(o: Operand): string {
  switch (o.k) {
    case 'dot':
      return '.';
    case 'field':
      return '.' + o.names.join('.');
    case 'var':
      return [o.name, ...o.names].join('.');
    default:
      return 'operand';
  }
}

function exec(nodes: Node[], dot: TV, sc: Scope, out: string[]): void {
  for (const n of nodes) {
    switch (n.k) {
      case 'text':
        out.push(n.s);
        break;
      case 'action': {
        const v = evalPipe(n.pipe, dot, sc);
        if (n.pipe.decl.length === 0) out.push(printValue(v));
        break;
      }
      case 'if':
      case 'with': {
        sc.vars.push(new Map());
        const v = evalPipe(n.pipe, dot, sc);
        try {
          if (truthy(v)) exec(n.body, n.k === 'with' ? v : dot, sc, out);
          else if (n.els) exec(n.els, dot, sc, out);
        } finally {
          sc.vars.pop();
        }
        break;
      }
      case 'range': {
        sc.vars.push(new Map());
        try {
          const p = n.pipe;
          const v = evalPipe({ ...p, decl: [] }, dot, sc);
          let items: [TV, TV][];
          if (Array.isArray(v)) items = (v as Value[]).map((x, i) => [i, x]);
          else if (v instanceof SetValue) items = v.values().map((x, i) => [i, x]);
          else if (v instanceof ObjectValue) items = v.entries();
          else if (isNumber(v as Value)) items = Array.from({ length: Math.max(0, Number(v)) }, (_x, i) => [i, i]);
          else if (v === null || v === UNDEFINED) items = [];
          else throw new TemplateError(`template: template:1: range can't iterate over ${printValue(v)}`);
          if (items.length === 0) {
            if (n.els) exec(n.els, dot, sc, out);
            break;
          }
          for (const [k, x] of items) {
            sc.vars.push(new Map());
            if (p.decl.length === 1) sc.declare(p.decl[0], x);
            else if (p.decl.length >= 2) {
              sc.declare(p.decl[0], k);
              sc.declare(p.decl[1], x);
            }
            try {
              exec(n.body, x, sc, out);
            } catch (e) {
              if (e instanceof Break) break;
              if (!(e instanceof Continue)) throw e;
            } finally {
              sc.vars.pop();
            }
          }
        } finally {
          sc.vars.pop();
        }
        break;
      }
      case 'break':
        throw new Break();
      case 'continue':
        throw new Continue();
    }
  }
}

export function renderTemplate(src: string, vars: ObjectValue): string {
  const nodes = parse(src);
  const sc = new Scope();
  sc.declare('$', vars);
  const out: string[] = [];
  exec(nodes, vars, sc, out);
  return out.join('');
}

export const builtins: Builtin[] = [
  {
    name: 'strings.render_template',
    args: [t.string, t.objectOf(t.string, t.any)],
    result: t.string,
    description: 'Renders a templated string with given template variables injected. For a given templated string and key/value mapping, values will be injected into the template where they are referenced by key. For examples of templating syntax, see https://pkg.go.dev/text/template',
    fn: ([tpl, vars]) => {
      const name = 'strings.render_template';
      if (typeof tpl !== 'string') throw operandTypeError(name, 1, tpl, 'string');
      if (!(vars instanceof ObjectValue)) throw operandTypeError(name, 2, vars, 'object');
      try {
        return renderTemplate(tpl, vars);
      } catch (e) {
        if (e instanceof TemplateError) throw builtinError(name, e.message);
        throw e;
      }
    },
  },
];
