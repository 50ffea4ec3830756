// Validation of configuration documents against engine/schema/config.schema.json (JSON Schema
// draft 2020-12, ajv). Each error names the JSON pointer and, through the source, line and column.

import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT, SCHEMA_DIR } from '../paths.ts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;
import type { ConfigSource, Position } from './source.ts';

const schemaDir = SCHEMA_DIR;

export interface SchemaIssue {
  file: string;
  pointer: string;
  pos: Position;
  message: string;
}

const cache = new Map<string, ValidateFunction>();

/** The validator bin/build.mjs generated for a schema, while it is newer than the schema. */
function prebuilt(name: string): ValidateFunction | undefined {
  const file = path.join(ROOT, 'dist', `${name}-validator.cjs`);
  try {
    if (statSync(file).mtimeMs <= statSync(path.join(schemaDir, `${name}.schema.json`)).mtimeMs) return undefined;
    const mod = createRequire(import.meta.url)(file) as ValidateFunction | { default: ValidateFunction };
    return typeof mod === 'function' ? mod : mod.default;
  } catch {
    return undefined;
  }
}

/** A compiled validator for one of the schemas in engine/schema (cached per process). */
export function schemaValidator(name: 'config' | 'state' | 'broker'): ValidateFunction {
  let v = cache.get(name);
  if (!v && name === 'config') {
    v = prebuilt(name);
    if (v) cache.set(name, v);
  }
  if (!v) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const schema = JSON.parse(readFileSync(path.join(schemaDir, `${name}.schema.json`), 'utf8')) as object;
    v = ajv.compile(schema);
    cache.set(name, v);
  }
  return v;
}

function pointerPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown key "${String(p.additionalProperty)}"`;
    case 'required':
      return `missing required key "${String(p.missingProperty)}"`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
    case 'type':
      return `must be ${String(p.type)}`;
    default:
      return e.message ?? e.keyword;
  }
}

/** Schema errors of a configuration document (empty when valid). */
export function validateConfig(src: ConfigSource): SchemaIssue[] {
  const v = schemaValidator('config');
  if (v(src.value)) return [];
  const seen = new Set<string>();
  const out: SchemaIssue[] = [];
  for (const e of v.errors ?? []) {
    let pointer = e.instancePath;
    if (e.keyword === 'additionalProperties') pointer += '/' + String((e.params as { additionalProperty: string }).additionalProperty).replace(/~/g, '~0').replace(/\//g, '~1');
    const message = describe(e);
    const key = pointer + '|' + message;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ file: src.file, pointer: pointer || '/', pos: src.locate(pointerPath(pointer)), message });
  }
  return out;
}
