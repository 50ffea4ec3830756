// The policy pack as the state evaluation uses it: compiled once, with a hash that names the
// bundle (every .rego/.json/.yaml file's path and content) so that cached per-record results are
// reused only under the very same policies.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadPaths } from '../loader/index.ts';
import { compileModules, type CompiledPolicy, type PreparedQuery } from '../rego/index.ts';
import { fromJS, toJS } from '../rego/json.ts';
import type { ObjectValue } from '../rego/value.ts';
import type { Finding, StateDocument } from './types.ts';

export interface PolicyPack {
  dir: string;
  compiled: CompiledPolicy;
  data: ObjectValue;
  /** SHA-256 over the bundle's files (relative path and content), hex. */
  hash: string;
  /** Areas whose rules read `input.query_records`: evaluated on every batch of the log. */
  recordAreas: string[];
  /** Top-level state-document collections the record areas read (besides query_records). */
  recordAreaInputs: string[];
  /** All areas (package bligate.areas.X) of the pack. */
  areas: string[];
  /** Evaluate data.bligate.areas[X].state_findings for the given areas (or the entry point). */
  findings(input: StateDocument | ObjectValue, areas?: string[]): Finding[];
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(rego|json|ya?ml)$/i.test(name) && !/_test\.rego$/.test(name)) out.push(p);
  }
  return out;
}

// The state document's top-level properties (kept in sync with engine/schema/state.schema.json
// by collect.ts's test).
const COLLECTIONS = [
  'institution', 'staff', 'accounts', 'authorisation_changes', 'admin_handovers', 'access_reviews', 'consents',
  'query_months', 'query_weeks', 'weekly_sheets', 'monthly_samples', 'jcic_temp_records', 'deletions',
  'user_unit_data', 'batch_transfers', 'data_access_logs', 'chip_cards', 'linkage_staff_changes', 'audits',
  'user_units', 'incidents', 'certifications', 'trainings', 'attestations', 'invalid_rows',
];

const cache = new Map<string, PolicyPack>();

/**
 * Loads and compiles the pack in `dir` (cached per directory, hash and mode). `lazy` compiles a
 * rule only when a query first reaches it (worker threads that run only the record areas).
 * Throws LoadErrors / RegoErrorList.
 */
export function loadPolicyPack(dir = 'policies', opts: { lazy?: boolean } = {}): PolicyPack {
  const files = walk(dir);
  const h = createHash('sha256');
  const texts = new Map<string, string>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    texts.set(f, text);
    h.update(path.relative(dir, f).split(path.sep).join('/')).update('\0').update(text).update('\0');
  }
  const hash = h.digest('hex');
  const key = `${path.resolve(dir)}\0${hash}\0${opts.lazy === true}`;
  const hit = cache.get(key);
  if (hit) return hit;

  const loaded = loadPaths([dir]);
  const modules = loaded.modules.filter((m) => !/_test\.rego$/.test(m.file));
  // Specialised: the state evaluation runs the record areas over millions of records.
  const compiled = compileModules(modules, { lazy: opts.lazy === true, specialize: true });
  const areas: string[] = [];
  const recordAreas: string[] = [];
  const inputs = new Set<string>();
  for (const m of modules) {
    const pkg = m.package.path.map((t) => String((t as { value: unknown }).value));
    if (pkg.length !== 3 || pkg[0] !== 'bligate' || pkg[1] !== 'areas') continue;
    areas.push(pkg[2]);
    const text = texts.get(m.file) ?? readFileSync(m.file, 'utf8');
    // data_quality names every collection (its table map) but reads only invalid_rows: the
    // evaluation runs it on each batch's invalid rows separately.
    if (pkg[2] !== 'data_quality' && /\bquery_records\b/.test(text)) {
      recordAreas.push(pkg[2]);
      for (const c of COLLECTIONS) if (new RegExp(`\\b${c}\\b`).test(text)) inputs.add(c);
    }
  }
  inputs.add('institution');
  // Aggregates change with every new log row: a per-record rule must not depend on them (the
  // batch documents leave them out, so that cached per-record results stay valid).
  for (const c of ['query_months', 'query_weeks', 'invalid_rows']) inputs.delete(c);

  const queries = new Map<string, PreparedQuery>();
  const prepared = (q: string) => {
    let p = queries.get(q);
    if (!p) queries.set(q, (p = compiled.prepare(q)));
    return p;
  };
  const pack: PolicyPack = {
    dir,
    compiled,
    data: loaded.data,
    hash,
    areas: [...new Set(areas)].sort(),
    recordAreas: [...new Set(recordAreas)].sort(),
    recordAreaInputs: [...inputs].sort(),
    findings(input, only) {
      const value = fromJS(input);
      const out: Finding[] = [];
      const queriesToRun = only ? only.map((a) => `x := data.bligate.areas[${JSON.stringify(a)}].state_findings`) : ['x := data.bligate.state.findings'];
      for (const q of queriesToRun) {
        for (const row of prepared(q).eval({ input: value, data: loaded.data, nowNs: 0n })) {
          const v = row.bindings.get('x');
          if (v !== undefined) out.push(...(toJS(v) as Finding[]));
        }
      }
      return out;
    },
  };
  cache.set(key, pack);
  return pack;
}
