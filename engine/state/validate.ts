// Row-by-row validation against engine/schema/state.schema.json. A row that does not fit (a
// consent without a date, a query-log row without an instant…) is taken out of its collection
// and reported in `invalid_rows`, which the data_quality area turns into findings: bad input is
// a finding, never a crash.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { SCHEMA_DIR } from '../paths.ts';
import type { InvalidRow, Row, StateDocument } from './types.ts';

// CommonJS default exports seen through ESM.
type AjvClass = typeof Ajv2020Module.default;
const Ajv2020 = ((Ajv2020Module as unknown as { default?: AjvClass }).default ?? Ajv2020Module) as unknown as AjvClass;
type AddFormats = typeof addFormatsModule.default;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

const schemaFile = path.join(SCHEMA_DIR, 'state.schema.json');

interface Validators {
  schema: { $id: string; properties: Record<string, { type?: string; items?: unknown }> };
  collections: Map<string, ValidateFunction>;
  objects: Map<string, ValidateFunction>;
  whole: ValidateFunction;
}

let cached: Validators | undefined;

function validators(): Validators {
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Validators['schema'];
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(schema);
  const collections = new Map<string, ValidateFunction>();
  const objects = new Map<string, ValidateFunction>();
  for (const [name, prop] of Object.entries(schema.properties)) {
    if (prop.type === 'array' && prop.items) collections.set(name, ajv.getSchema(`${schema.$id}#/properties/${name}/items`)!);
    else if (prop.type === 'object' && name !== 'institution') objects.set(name, ajv.getSchema(`${schema.$id}#/properties/${name}`)!);
  }
  cached = { schema, collections, objects, whole: ajv.getSchema(schema.$id)! };
  return cached;
}

/** The collections (array-valued properties) of the state document. */
export function stateCollections(): string[] {
  return [...validators().collections.keys()];
}

function describe(e: ErrorObject): { pointer: string; message: string } {
  let pointer = e.instancePath || '/';
  if (e.keyword === 'required') pointer = `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`;
  if (e.keyword === 'additionalProperties') pointer = `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`;
  return { pointer, message: e.message ?? e.keyword };
}

function rowId(row: unknown, fallback: string): string {
  const id = row && typeof row === 'object' ? (row as Row).id : undefined;
  return typeof id === 'string' && id.length > 0 ? id : typeof id === 'number' ? String(id) : fallback;
}

/** Errors of one row of a collection (empty when it fits). */
export function rowProblems(collection: string, row: unknown, fallbackId = '?'): InvalidRow[] {
  const v = validators().collections.get(collection) ?? validators().objects.get(collection);
  if (!v || v(row)) return [];
  const seen = new Set<string>();
  const out: InvalidRow[] = [];
  for (const e of v.errors ?? []) {
    const d = describe(e);
    if (seen.has(d.pointer)) continue; // one problem per field (anyOf/type noise)
    seen.add(d.pointer);
    out.push({ table: collection, id: rowId(row, fallbackId), ...d });
  }
  return out;
}

/**
 * Splits the rows of one collection into the valid ones and invalid_rows entries. Valid rows are
 * returned as they are (same objects).
 */
export function checkRows(collection: string, rows: unknown[]): { rows: Row[]; invalid: InvalidRow[] } {
  const ok: Row[] = [];
  const invalid: InvalidRow[] = [];
  for (let i = 0; i < rows.length; i++) {
    const problems = rowProblems(collection, rows[i], `#${i + 1}`);
    if (problems.length === 0) ok.push(rows[i] as Row);
    else invalid.push(...problems);
  }
  return { rows: ok, invalid };
}

/**
 * Validates a whole document in place: invalid rows leave their collections and are appended to
 * `invalid_rows`. Throws when the document's head (as_of, institution) is unusable.
 */
export function sanitizeDocument(doc: StateDocument): StateDocument {
  const { collections, objects } = validators();
  const invalid: InvalidRow[] = Array.isArray(doc.invalid_rows) ? (doc.invalid_rows as InvalidRow[]) : [];
  for (const [name] of collections) {
    if (name === 'invalid_rows' || !Array.isArray(doc[name])) continue;
    const r = checkRows(name, doc[name] as unknown[]);
    doc[name] = r.rows;
    invalid.push(...r.invalid);
  }
  for (const [name] of objects) {
    if (doc[name] === undefined) continue;
    const problems = rowProblems(name, doc[name], name);
    if (problems.length) {
      delete doc[name];
      invalid.push(...problems);
    }
  }
  if (invalid.length) doc.invalid_rows = invalid;
  const head = { as_of: doc.as_of, institution: doc.institution };
  if (!validators().whole(head)) {
    const e = validators().whole.errors![0];
    throw new Error(`state document: ${describe(e).pointer}: ${e.message}`);
  }
  return doc;
}

type PropSchema = { type?: string | string[]; $ref?: string; properties?: Record<string, PropSchema>; items?: PropSchema; required?: string[] };

let nullable: Map<string, Set<string>> | undefined;

/** Per collection: the properties whose schema allows null. */
function nullableProps(): Map<string, Set<string>> {
  if (nullable) return nullable;
  nullable = new Map();
  const schema = validators().schema as unknown as { properties: Record<string, PropSchema>; $defs: Record<string, PropSchema> };
  for (const [name, prop] of Object.entries(schema.properties)) {
    let item: PropSchema | undefined = prop.type === 'array' ? prop.items : prop;
    if (item?.$ref) item = schema.$defs[item.$ref.split('/').pop()!];
    const set = new Set<string>();
    for (const [k, p] of Object.entries(item?.properties ?? {})) {
      const t = p.type;
      if (t === 'null' || (Array.isArray(t) && t.includes('null'))) set.add(k);
    }
    nullable.set(name, set);
  }
  return nullable;
}

/**
 * A database row as the document writes it: NULL columns whose schema property does not allow
 * null are left out (so a NULL required column reads "must have required property …").
 */
export function normalizeRow(collection: string, row: Row): Row {
  const allowed = nullableProps().get(collection);
  for (const k of Object.keys(row)) {
    const v = row[k];
    if (v === undefined || (v === null && !allowed?.has(k))) delete row[k];
  }
  return row;
}
