// `npm run examples`: assembles the example documents from the areas' fragments.
//
//   examples/parts/state/<area>.<role>.json   {compliant, violating, expected}
//   examples/parts/config/<area>.json         {compliant, violating, expected}
// →
//   examples/state/<role>/compliant.json, violating.json, violating.expected.json
//   examples/config/compliant.yaml, violating.yaml   (only configuration files: `bligate check
//   examples/config/` checks the folder), examples/parts/config.violating.expected.json
//
// Fragments merge onto a base document per role: objects merge key by key, arrays concatenate.
// `--check` fails when the assembled files differ from the committed ones.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

export const AS_OF = '2026-11-27T10:00:00+08:00';

/** The documented findings of examples/config/violating.yaml. */
export const CONFIG_EXPECTED = 'examples/parts/config.violating.expected.json';

export const ROLES: Record<string, { id: string; name: string; role: string; batch_server?: boolean }> = {
  user_unit: { id: 'bank-001', name: '示範銀行 Demo Bank', role: 'user_unit', batch_server: true },
  management_agency: { id: 'jcic', name: '財團法人金融聯合徵信中心 JCIC', role: 'management_agency' },
  supervisor: { id: 'fsc', name: '金融監督管理委員會 FSC', role: 'supervisor' },
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface Expected {
  requirement: string;
  status: string;
  subject: Record<string, Json>;
}

interface Fragment {
  compliant?: Record<string, Json>;
  violating?: Record<string, Json>;
  expected?: Expected[];
}

export function merge(a: Json, b: Json, where: string): Json {
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: { [k: string]: Json } = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? merge(out[k], v, `${where}.${k}`) : v;
    return out;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  throw new Error(`examples: conflicting values at ${where}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}

function readFragment(file: string): Fragment {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Fragment;
  } catch (e) {
    throw new Error(`examples: ${file}: ${(e as Error).message}`);
  }
}

export function sortExpected(list: Expected[]): Expected[] {
  const key = (e: Expected) => `${e.requirement}|${e.status}|${JSON.stringify(sortKeys(e.subject))}`;
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

export interface Built {
  files: Map<string, string>;
}

export function buildExamples(root: string): Built {
  const files = new Map<string, string>();
  const stateParts = path.join(root, 'examples', 'parts', 'state');
  const byRole = new Map<string, string[]>();
  if (existsSync(stateParts)) {
    for (const f of readdirSync(stateParts).sort()) {
      const m = /^([a-z_]+)\.([a-z_]+)\.json$/.exec(f);
      if (!m) continue;
      if (!ROLES[m[2]]) throw new Error(`examples: ${f}: unknown role "${m[2]}"`);
      byRole.set(m[2], [...(byRole.get(m[2]) ?? []), path.join(stateParts, f)]);
    }
  }
  for (const [role, parts] of byRole) {
    const base: Record<string, Json> = { as_of: AS_OF, institution: { ...ROLES[role] } as Json };
    let compliant: Json = base;
    let violating: Json = base;
    let expected: Expected[] = [];
    for (const p of parts) {
      const fr = readFragment(p);
      compliant = merge(compliant, fr.compliant ?? {}, path.basename(p));
      violating = merge(violating, fr.violating ?? {}, path.basename(p));
      expected = expected.concat(fr.expected ?? []);
    }
    const dir = `examples/state/${role}`;
    files.set(`${dir}/compliant.json`, JSON.stringify(compliant, null, 2) + '\n');
    files.set(`${dir}/violating.json`, JSON.stringify(violating, null, 2) + '\n');
    files.set(`${dir}/violating.expected.json`, JSON.stringify(sortExpected(expected), null, 2) + '\n');
  }
  const configParts = path.join(root, 'examples', 'parts', 'config');
  if (existsSync(configParts)) {
    const base: Record<string, Json> = { institution: { ...ROLES.user_unit } as Json };
    let compliant: Json = base;
    let violating: Json = base;
    let expected: Expected[] = [];
    for (const f of readdirSync(configParts).sort()) {
      if (!f.endsWith('.json')) continue;
      const fr = readFragment(path.join(configParts, f));
      compliant = merge(compliant, fr.compliant ?? {}, f);
      violating = merge(violating, fr.violating ?? {}, f);
      expected = expected.concat(fr.expected ?? []);
    }
    const header = (what: string) =>
      `# ${what} query-system configuration of a batch/server user unit (generated by npm run examples\n# from examples/parts/config; edit the parts). Checked by: bligate check examples/config/\n`;
    files.set('examples/config/compliant.yaml', header('A compliant') + stringify(compliant, { lineWidth: 0 }));
    files.set('examples/config/violating.yaml', header('A violating') + stringify(violating, { lineWidth: 0 }));
    files.set(CONFIG_EXPECTED, JSON.stringify(sortExpected(expected), null, 2) + '\n');
  }
  return { files };
}

function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const check = process.argv.includes('--check');
  const { files } = buildExamples(root);
  const stale: string[] = [];
  for (const [rel, text] of files) {
    const p = path.join(root, rel);
    if (check) {
      if (!existsSync(p) || readFileSync(p, 'utf8') !== text) stale.push(rel);
      continue;
    }
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  if (check) {
    for (const s of stale) console.error(`examples: ${s} is stale: run npm run examples and commit it`);
    process.exit(stale.length ? 1 : 0);
  }
  console.log(`examples: wrote ${files.size} files`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
}
