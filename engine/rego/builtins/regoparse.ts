// rego.parse_module: a module's AST as OPA's JSON (ast.Module marshalled without locations),
// after OPA's v1/topdown/parse.go.

import type { Body, Expr, Import, Module, Rule, Term, With } from '../ast.ts';
import { RegoErrorList } from '../errors.ts';
import { fromJS } from '../json.ts';
import { parseNumber } from '../number.ts';
import { parseModule } from '../parser.ts';
import { builtinError, operandTypeError, t, type Builtin } from './registry.ts';

type J = unknown;

class Converter {
  private wildcard = 0;

  term(x: Term): J {
    switch (x.type) {
      case 'null':
        return { type: 'null', value: null };
      case 'boolean':
        return { type: 'boolean', value: x.value };
      case 'number':
        return { type: 'number', value: parseNumber(x.raw) };
      case 'string':
        return { type: 'string', value: x.value };
      case 'var':
        return { type: 'var', value: this.varName(x.name) };
      case 'ref':
        return { type: 'ref', value: [this.term(x.head), ...x.path.map((p) => this.term(p))] };
      case 'array':
        return { type: 'array', value: x.items.map((i) => this.term(i)) };
      case 'set':
        return { type: 'set', value: x.items.map((i) => this.term(i)) };
      case 'object':
        return { type: 'object', value: x.items.map(([k, v]) => [this.term(k), this.term(v)]) };
      case 'arraycomp':
        return { type: 'arraycomprehension', value: { term: this.term(x.term), body: this.body(x.body) } };
      case 'setcomp':
        return { type: 'setcomprehension', value: { term: this.term(x.term), body: this.body(x.body) } };
      case 'objectcomp':
        return { type: 'objectcomprehension', value: { key: this.term(x.key), value: this.term(x.value), body: this.body(x.body) } };
      case 'call':
        return { type: 'call', value: [this.op(x.op), ...x.args.map((a) => this.term(a))] };
      case 'template':
        return {
          type: 'templatestring',
          value: x.parts.map((p) => (typeof p === 'string' ? { type: 'string', value: p } : this.term(p))),
        };
    }
  }

  private varName(n: string): string {
    return n === '_' ? `$${this.wildcard++}` : n;
  }

  /** A call's operator as OPA writes it: always a ref (`eq` → ref [var eq]). */
  private op(o: Term): J {
    if (o.type === 'var') return { type: 'ref', value: [{ type: 'var', value: o.name }] };
    return this.term(o);
  }

  private withJSON(w: With): J {
    return { target: this.term(w.target), value: this.term(w.value) };
  }

  expr(e: Expr, index: number): J {
    const out: Record<string, J> = {};
    if (e.negated) out.negated = true;
    out.index = index;
    switch (e.kind) {
      case 'term':
        if (e.term.type === 'call') out.terms = [this.op(e.term.op), ...e.term.args.map((a) => this.term(a))];
        else out.terms = this.term(e.term);
        break;
      case 'some':
        out.terms = { symbols: e.vars.map((v) => this.term(v)) };
        break;
      case 'somein': {
        const args = e.key ? [e.key, e.value, e.domain] : [e.value, e.domain];
        const name = e.key ? 'member_3' : 'member_2';
        out.terms = {
          symbols: [
            {
              type: 'call',
              value: [{ type: 'ref', value: [{ type: 'var', value: 'internal' }, { type: 'string', value: name }] }, ...args.map((a) => this.term(a))],
            },
          ],
        };
        break;
      }
      case 'every': {
        const ev: Record<string, J> = {};
        if (e.key) ev.key = this.term(e.key);
        ev.value = this.term(e.value);
        ev.domain = this.term(e.domain);
        ev.body = this.body(e.body);
        out.terms = ev;
        break;
      }
      case 'notbody':
        out.terms = { body: this.body(e.body) };
        break;
    }
    if (e.with.length > 0) out.with = e.with.map((w) => this.withJSON(w));
    return out;
  }

  body(b: Body): J {
    return b.map((e, i) => this.expr(e, i));
  }

  rule(r: Rule): J {
    const h = r.head;
    const head: Record<string, J> = {};
    const ref = h.ref.map((x) => this.term(x));
    if (h.ref.length === 1 && h.ref[0].type === 'var') head.name = h.ref[0].name;
    if (h.args !== undefined && h.args.length > 0) head.args = h.args.map((a) => this.term(a));
    if (h.key !== undefined) head.key = this.term(h.key);
    if (h.value !== undefined) head.value = this.term(h.value);
    head.ref = ref;
    if (h.assign) head.assign = true;
    const out: Record<string, J> = {};
    if (r.default) out.default = true;
    out.head = head;
    out.body = this.body(r.body);
    if (r.else) out.else = this.rule(r.else);
    return out;
  }

  import(i: Import): J {
    const out: Record<string, J> = { path: this.term(i.path) };
    if (i.alias) out.alias = i.alias;
    return out;
  }

  module(m: Module): J {
    const out: Record<string, J> = {
      package: { path: [{ type: 'var', value: 'data' }, ...m.package.path.map((p) => this.term(p))] },
    };
    if (m.imports.length > 0) out.imports = m.imports.map((i) => this.import(i));
    if (m.annotations.length > 0) out.annotations = m.annotations.map((a) => ({ ...a.raw, scope: a.scope }));
    if (m.rules.length > 0) out.rules = m.rules.map((r) => this.rule(r));
    if (m.comments.length > 0) {
      out.comments = m.comments.map((c) => ({
        Text: Buffer.from(c.text, 'utf8').toString('base64'),
        Location: { file: c.loc.file, row: c.loc.row, col: c.loc.col },
      }));
    }
    return out;
  }
}

/** OPA's JSON AST (as a plain JS value) for a parsed module. */
export function moduleJSON(m: Module): J {
  return new Converter().module(m);
}

export const builtins: Builtin[] = [
  {
    name: 'rego.parse_module',
    args: [t.string, t.string],
    result: t.objectOf(t.string, t.any),
    description: 'Parses the input Rego string and returns an object representation of the AST.',
    fn: ([f, src]) => {
      const name = 'rego.parse_module';
      if (typeof f !== 'string') throw operandTypeError(name, 1, f, 'string');
      if (typeof src !== 'string') throw operandTypeError(name, 1, src, 'string');
      let m: Module;
      try {
        m = parseModule(src, f);
      } catch (e) {
        if (e instanceof RegoErrorList) throw builtinError(name, e.message);
        throw e;
      }
      return fromJS(moduleJSON(m));
    },
  },
];
