// `# METADATA` comment blocks → Annotation objects (OPA: v1/ast/parser.go metadataParser and
// v1/ast/annotations.go). Attachment to rules/packages is done by the parser (parser.ts).

import { parseDocument, isMap, isScalar } from 'yaml';
import type { Annotation, AnnotationScope, Comment, Location } from './ast.ts';

export interface MetadataError {
  message: string;
  loc: Location;
}

interface Block {
  loc: Location; // the METADATA comment
  comments: Comment[];
  buf: string;
}

/** Groups comments into METADATA blocks, as OPA does. */
function collectBlocks(comments: Comment[]): Block[] {
  const blocks: Block[] = [];
  let curr: Block | null = null;
  for (let i = 0; i < comments.length; i++) {
    const c = comments[i];
    if (curr) {
      const prev = comments[i - 1];
      if (c.loc.row === prev.loc.row + 1 && c.loc.col === 1) {
        curr.comments.push(c);
        curr.buf += (c.text.startsWith(' ') ? c.text.slice(1) : c.text) + '\n';
        continue;
      }
      curr = null;
    }
    if (c.text.trim().startsWith('METADATA')) {
      curr = { loc: { ...c.loc }, comments: [], buf: '' };
      blocks.push(curr);
    }
  }
  return blocks;
}

function goValueString(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return '[' + v.map(goValueString).join(' ') + ']';
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort();
    return 'map[' + keys.map((k) => `${k}:${goValueString((v as Record<string, unknown>)[k])}`).join(' ') + ']';
  }
  return String(v);
}

function yamlTag(v: unknown): string {
  if (v === null) return '!!null';
  if (typeof v === 'string') return '!!str';
  if (typeof v === 'number') return Number.isInteger(v) ? '!!int' : '!!float';
  if (typeof v === 'boolean') return '!!bool';
  if (Array.isArray(v)) return '!!seq';
  return '!!map';
}

class UnmarshalError extends Error {}

function asString(v: unknown, what: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new UnmarshalError(`cannot unmarshal ${yamlTag(v)} into ${what}`);
}

function parseAuthorString(s: string): { name?: string; email?: string } {
  const parts = s.split(/\s+/).filter((p) => p.length > 0);
  if (parts.length === 0) throw new Error('author is an empty string');
  let count = parts.length;
  const trailing = parts[count - 1];
  let email = '';
  if (trailing.length >= 2 && trailing.startsWith('<') && trailing.endsWith('>')) {
    email = trailing.slice(1, -1);
    count--;
  }
  const name = parts.slice(0, count).join(' ');
  const out: { name?: string; email?: string } = {};
  if (name) out.name = name;
  if (email) out.email = email;
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses all METADATA blocks among the comments. `isSchemaPath(s)` decides whether a schema
 * key is a valid document reference (the parser passes a ref parser).
 */
export function parseMetadataBlocks(
  comments: Comment[],
  src: string,
  isDocumentRef: (s: string) => boolean,
): { annotations: Annotation[]; errors: MetadataError[] } {
  const annotations: Annotation[] = [];
  const errors: MetadataError[] = [];
  for (const b of collectBlocks(comments)) {
    try {
      annotations.push(parseBlock(b, isDocumentRef));
    } catch (e) {
      if (e instanceof BlockError) errors.push({ message: e.message, loc: e.loc ?? b.loc });
      else errors.push({ message: e instanceof Error ? e.message : String(e), loc: b.loc });
    }
  }
  void src;
  return { annotations, errors };
}

class BlockError extends Error {
  constructor(
    message: string,
    readonly loc?: Location,
  ) {
    super(message);
  }
}

function parseBlock(b: Block, isDocumentRef: (s: string) => boolean): Annotation {
  if (b.buf.trim().length === 0) throw new BlockError('expected METADATA block, found whitespace');
  const simple = simpleYamlMap(b.buf);
  if (simple !== undefined) return buildAnnotation(b, simple, isDocumentRef);

  const doc = parseDocument(b.buf, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line = err.linePos?.[0]?.line;
    let loc: Location | undefined;
    if (line !== undefined && b.comments.length > 0) {
      // OPA maps the YAML line to the comment at that index (the block's lines start after METADATA).
      const c = line >= b.comments.length ? b.comments[b.comments.length - 1] : b.comments[line];
      loc = c.loc;
    } else if (b.comments.length > 0) loc = b.comments[0].loc;
    let msg = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    msg = line !== undefined ? `yaml: line ${line}: ${msg}` : `yaml: ${msg}`;
    throw new BlockError(msg, loc);
  }
  const contents = doc.contents;
  let raw: Record<string, unknown>;
  if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === undefined))) {
    raw = {};
  } else if (isMap(contents)) {
    const js = doc.toJS({ maxAliasCount: 100 }) as unknown;
    raw = isPlainObject(js) ? js : {};
  } else {
    const js = doc.toJS({ maxAliasCount: 100 }) as unknown;
    throw new BlockError(
      `yaml: unmarshal errors:\n  line 1: cannot unmarshal ${yamlTag(js)} \`${goValueString(js)}\` into ast.rawAnnotation`,
      b.comments[0]?.loc,
    );
  }

  return buildAnnotation(b, raw, isDocumentRef);
}

function buildAnnotation(b: Block, raw: Record<string, unknown>, isDocumentRef: (s: string) => boolean): Annotation {
  const a: Annotation = { scope: '' as AnnotationScope, raw, loc: { ...b.loc } };
  try {
    const scope = asString(raw.scope, 'string');
    if (scope !== undefined) a.scope = scope as AnnotationScope;
    const title = asString(raw.title, 'string');
    if (title !== undefined) a.title = title;
    const description = asString(raw.description, 'string');
    if (description !== undefined) a.description = description;
    if (raw.entrypoint !== undefined && raw.entrypoint !== null) {
      if (typeof raw.entrypoint !== 'boolean')
        throw new UnmarshalError(`cannot unmarshal ${yamlTag(raw.entrypoint)} \`${goValueString(raw.entrypoint)}\` into bool`);
      a.entrypoint = raw.entrypoint;
    }
    if (raw.organizations !== undefined && raw.organizations !== null) {
      if (!Array.isArray(raw.organizations)) throw new UnmarshalError(`cannot unmarshal ${yamlTag(raw.organizations)} into []string`);
      a.organizations = raw.organizations.map((o) => asString(o, 'string') ?? '');
    }
    if (raw.custom !== undefined && raw.custom !== null) {
      if (!isPlainObject(raw.custom)) throw new UnmarshalError(`cannot unmarshal ${yamlTag(raw.custom)} into map[string]interface {}`);
      a.custom = raw.custom;
    }
  } catch (e) {
    if (e instanceof UnmarshalError) throw new BlockError(`yaml: unmarshal errors:\n  line 1: ${e.message}`, b.comments[0]?.loc);
    throw e;
  }

  if (raw.related_resources !== undefined && raw.related_resources !== null) {
    if (!Array.isArray(raw.related_resources))
      throw new BlockError(`yaml: unmarshal errors:\n  line 1: cannot unmarshal ${yamlTag(raw.related_resources)} into []interface {}`);
    a.relatedResources = [];
    for (const v of raw.related_resources) {
      try {
        if (typeof v === 'string') {
          if (v.length === 0) throw new Error('ref URL may not be empty string');
          a.relatedResources.push({ ref: v });
        } else if (isPlainObject(v)) {
          const description = typeof v.description === 'string' ? v.description.trim() : '';
          const ref = typeof v.ref === 'string' ? v.ref.trim() : '';
          if (ref.length === 0) throw new Error("'ref' value required in object");
          a.relatedResources.push(description ? { ref, description } : { ref });
        } else throw new Error('invalid value type, must be string or map');
      } catch (e) {
        throw new BlockError(`invalid related-resource definition ${goValueString(v)}: ${(e as Error).message}`);
      }
    }
  }

  if (raw.schemas !== undefined && raw.schemas !== null) {
    if (!Array.isArray(raw.schemas))
      throw new BlockError(`yaml: unmarshal errors:\n  line 1: cannot unmarshal ${yamlTag(raw.schemas)} into []map[string]interface {}`);
    a.schemas = [];
    for (const pair of raw.schemas) {
      if (!isPlainObject(pair))
        throw new BlockError(`yaml: unmarshal errors:\n  line 1: cannot unmarshal ${yamlTag(pair)} into map[string]interface {}`);
      const keys = Object.keys(pair);
      const k = keys[0] ?? '';
      const v = keys.length > 0 ? pair[k] : null;
      if (!isDocumentRef(k)) throw new BlockError('invalid document reference');
      if (typeof v === 'string') {
        const t = v.trim();
        if (!(t === 'schema' || /^schema(\.|\[)/.test(t)) || !isDocumentRef(t)) throw new BlockError('invalid schema reference');
        a.schemas.push({ path: k, schema: v });
      } else if (isPlainObject(v)) {
        a.schemas.push({ path: k, definition: v });
      } else {
        throw new BlockError(`invalid schema declaration for path ${JSON.stringify(k)}`);
      }
    }
  }

  if (raw.authors !== undefined && raw.authors !== null) {
    if (!Array.isArray(raw.authors))
      throw new BlockError(`yaml: unmarshal errors:\n  line 1: cannot unmarshal ${yamlTag(raw.authors)} into []interface {}`);
    a.authors = [];
    for (const v of raw.authors) {
      try {
        if (typeof v === 'string') a.authors.push(parseAuthorString(v));
        else if (isPlainObject(v)) {
          const name = typeof v.name === 'string' ? v.name.trim() : '';
          const email = typeof v.email === 'string' ? v.email.trim() : '';
          if (!name && !email) throw new Error("'name' and/or 'email' values required in object");
          const out: { name?: string; email?: string } = {};
          if (name) out.name = name;
          if (email) out.email = email;
          a.authors.push(out);
        } else throw new Error('invalid value type, must be string or map');
      } catch (e) {
        throw new BlockError(`invalid author definition ${goValueString(v)}: ${(e as Error).message}`);
      }
    }
  }

  // Location text: the block re-created as OPA does.
  const lines = b.buf.split('\n');
  lines.pop();
  a.loc.text = ['# METADATA', ...lines.map((l) => '# ' + l)].join('\n');
  return a;
}

export const VALID_SCOPES = new Set(['rule', 'document', 'package', 'subpackages']);

// ---------------------------------------------------------------------------------------------
// A fast path for the YAML that METADATA blocks almost always hold: nested maps of plain keys,
// plain or quoted scalars, block scalars (| and |-), flow lists of plain scalars, and lists of
// scalars. Anything else returns undefined and goes to the full YAML parser, so results are the
// same as the `yaml` package's (YAML 1.2 core schema) — only faster to reach.

const KEY_RE = /^([A-Za-z_][A-Za-z0-9_.-]*):(?: (.*))?$/;
const INT_RE = /^[-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

function plainScalar(s: string): unknown {
  const v = s.trim();
  if (v === '' || v === '~' || v === 'null' || v === 'Null' || v === 'NULL') return null;
  if (v === 'true' || v === 'True' || v === 'TRUE') return true;
  if (v === 'false' || v === 'False' || v === 'FALSE') return false;
  if (INT_RE.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  if (FLOAT_RE.test(v)) return Number(v);
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(v) || v.includes(': ') || v.includes(' #') || v.endsWith(':') || v.startsWith('.')) return undefined;
  return v;
}

function scalar(s: string): unknown {
  const v = s.trim();
  if (v.startsWith('"')) {
    if (v.length < 2 || !v.endsWith('"') || v.slice(1, -1).includes('"') || v.includes('\\')) return undefined;
    return v.slice(1, -1);
  }
  if (v.startsWith("'")) {
    if (v.length < 2 || !v.endsWith("'") || v.slice(1, -1).includes("'")) return undefined;
    return v.slice(1, -1);
  }
  if (v.startsWith('[')) {
    if (!v.endsWith(']')) return undefined;
    const inner = v.slice(1, -1).trim();
    if (inner === '') return [];
    if (/[[\]{}"']/.test(inner)) return undefined;
    const items = inner.split(',').map((x) => plainScalar(x));
    return items.some((x) => x === undefined) ? undefined : items;
  }
  return plainScalar(v);
}

export function simpleYamlMap(text: string): Record<string, unknown> | undefined {
  const lines = text.split('\n');
  if (lines.some((l) => l.includes('\t') || /^\s*#/.test(l))) return undefined;
  let i = 0;
  const indentOf = (l: string) => l.length - l.trimStart().length;
  const skipBlank = () => {
    while (i < lines.length && lines[i].trim() === '') i++;
  };
  const parseMap = (indent: number): Record<string, unknown> | undefined => {
    const out: Record<string, unknown> = {};
    for (;;) {
      skipBlank();
      if (i >= lines.length) return out;
      const l = lines[i];
      const ind = indentOf(l);
      if (ind < indent) return out;
      if (ind > indent) return undefined;
      const m = KEY_RE.exec(l.slice(ind));
      if (!m) return undefined;
      const key = m[1];
      if (Object.prototype.hasOwnProperty.call(out, key) || key === '__proto__') return undefined;
      const rest = (m[2] ?? '').trim();
      i++;
      if (rest === '|' || rest === '|-') {
        const body: string[] = [];
        let bodyIndent = -1;
        while (i < lines.length) {
          const x = lines[i];
          if (x.trim() === '') {
            body.push('');
            i++;
            continue;
          }
          const xi = indentOf(x);
          if (xi <= indent) break;
          if (bodyIndent < 0) bodyIndent = xi;
          if (xi < bodyIndent) return undefined;
          body.push(x.slice(bodyIndent));
          i++;
        }
        while (body.length && body[body.length - 1] === '') body.pop();
        if (bodyIndent < 0) return undefined;
        out[key] = body.join('\n') + (rest === '|' ? '\n' : '');
        continue;
      }
      if (rest === '') {
        skipBlank();
        if (i >= lines.length || indentOf(lines[i]) <= indent) {
          out[key] = null;
          continue;
        }
        const childIndent = indentOf(lines[i]);
        if (lines[i].slice(childIndent).startsWith('- ') || lines[i].slice(childIndent) === '-') {
          const list: unknown[] = [];
          while (i < lines.length) {
            skipBlank();
            if (i >= lines.length) break;
            const x = lines[i];
            const xi = indentOf(x);
            if (xi < childIndent) break;
            if (xi > childIndent || !x.slice(xi).startsWith('- ')) return undefined;
            const item = x.slice(xi + 2);
            if (KEY_RE.test(item.trim())) return undefined; // a map in a list: full parser
            const v = scalar(item);
            if (v === undefined) return undefined;
            list.push(v);
            i++;
          }
          out[key] = list;
          continue;
        }
        const child = parseMap(childIndent);
        if (child === undefined) return undefined;
        out[key] = child;
        continue;
      }
      const v = scalar(rest);
      if (v === undefined) return undefined;
      out[key] = v;
    }
  };
  const out = parseMap(0);
  if (out === undefined) return undefined;
  skipBlank();
  return i >= lines.length ? out : undefined;
}
