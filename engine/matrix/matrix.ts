// Traceability: requirement → clause → rules → tests → modes, from the policies' METADATA.
//
// Requirements come from ../shared/plan/requirements.md (tables whose first column is an ID such
// as PWD-01). Rules are the policy rules whose METADATA (rule or document scope) has
// custom.requirement. Tests are `test_*` rules under rules-tests/ whose name starts with the
// requirement's slug (`test_pwd_01_…` for PWD-01) or whose METADATA lists it in
// custom.requirements.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Annotation, Module, Rule } from '../rego/ast.ts';
import { parseModule } from '../rego/parser.ts';

export interface Requirement {
  id: string;
  clause: string;
  applies: string;
  text: string;
  section: string;
}

export interface RuleRef {
  path: string;
  file: string;
  row: number;
  clause: string;
  title: string;
  modes: string[];
  automated: boolean;
  severity: string;
}

export interface TestRef {
  name: string;
  file: string;
  row: number;
}

export interface MatrixRow {
  req: Requirement;
  rules: RuleRef[];
  tests: TestRef[];
}

export function parseRequirements(markdown: string): Requirement[] {
  const out: Requirement[] = [];
  let section = '';
  for (const line of markdown.split('\n')) {
    const h = /^###\s+(.*)$/.exec(line);
    if (h) section = h[1].trim();
    const m = /^\|\s*([A-Z]+-\d{2})\s*\|\s*([^|]*)\|\s*([^|]*)\|\s*(.*)\|\s*$/.exec(line);
    if (m) out.push({ id: m[1], clause: m[2].trim(), applies: m[3].trim(), text: m[4].trim(), section });
  }
  return out;
}

export function regoFiles(dir: string, out: string[] = []): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) regoFiles(p, out);
    else if (p.endsWith('.rego')) out.push(p);
  }
  return out;
}

function ruleName(m: Module, r: Rule): string {
  const pkg = m.package.path.map((t) => (t.type === 'string' ? t.value : '')).join('.');
  const head = r.head.ref
    .map((t, i) => (i === 0 && t.type === 'var' ? t.name : t.type === 'string' ? t.value : '[…]'))
    .join('.');
  return `data.${pkg}.${head}`;
}

function customOf(a: Annotation | undefined): Record<string, unknown> {
  return (a?.custom ?? {}) as Record<string, unknown>;
}

export function slug(id: string): string {
  return id.toLowerCase().replace(/-/g, '_');
}

export function buildMatrix(root: string, requirementsMd: string): { rows: MatrixRow[]; unknown: RuleRef[] } {
  const reqs = parseRequirements(requirementsMd);
  const rules = new Map<string, RuleRef[]>();
  const unknown: RuleRef[] = [];
  const known = new Set(reqs.map((r) => r.id));
  for (const file of regoFiles(path.join(root, 'policies'))) {
    const rel = path.relative(root, file);
    const m = parseModule(readFileSync(file, 'utf8'), rel);
    // Document-scope annotations apply to every rule of the same name.
    const docAnn = new Map<string, Annotation>();
    for (const r of m.rules) for (const a of r.annotations) if (a.scope === 'document') docAnn.set(ruleName(m, r), a);
    const seen = new Set<string>();
    for (const r of m.rules) {
      const name = ruleName(m, r);
      if (seen.has(name)) continue;
      const a = r.annotations.find((x) => x.scope === 'rule' && customOf(x).requirement) ?? docAnn.get(name);
      const c = customOf(a);
      if (typeof c.requirement !== 'string') continue;
      seen.add(name);
      const ref: RuleRef = {
        path: name,
        file: rel,
        row: r.loc.row,
        clause: String(c.clause ?? ''),
        title: a?.title ?? '',
        modes: Array.isArray(c.modes) ? c.modes.map(String) : [],
        automated: c.automated !== false,
        severity: String(c.severity ?? ''),
      };
      if (!known.has(c.requirement)) unknown.push(ref);
      const list = rules.get(c.requirement) ?? [];
      list.push(ref);
      rules.set(c.requirement, list);
    }
  }
  const tests = new Map<string, TestRef[]>();
  for (const file of regoFiles(path.join(root, 'rules-tests'))) {
    const rel = path.relative(root, file);
    const m = parseModule(readFileSync(file, 'utf8'), rel);
    const seen = new Set<string>();
    for (const r of m.rules) {
      const head = r.head.ref[0];
      if (head.type !== 'var' || !head.name.startsWith('test_') || seen.has(head.name)) continue;
      seen.add(head.name);
      const listed = customOf(r.annotations.find((a) => customOf(a).requirements)).requirements;
      for (const req of reqs) {
        const byName = head.name.startsWith(`test_${slug(req.id)}_`) || head.name === `test_${slug(req.id)}`;
        const byMeta = Array.isArray(listed) && listed.includes(req.id);
        if (!byName && !byMeta) continue;
        const list = tests.get(req.id) ?? [];
        list.push({ name: head.name, file: rel, row: r.loc.row });
        tests.set(req.id, list);
      }
    }
  }
  const rows = reqs.map((req) => ({ req, rules: rules.get(req.id) ?? [], tests: tests.get(req.id) ?? [] }));
  return { rows, unknown };
}

const esc = (s: string) => s.replace(/\|/g, '\\|');

export function renderMatrix(rows: MatrixRow[]): string {
  const lines: string[] = [];
  lines.push('# Requirements traceability matrix');
  lines.push('');
  lines.push('Generated by `npm run matrix` from `../shared/plan/requirements.md`, the `# METADATA` of');
  lines.push('`policies/` and the tests in `rules-tests/`. Do not edit by hand: CI fails when it is stale.');
  lines.push('');
  const withRules = rows.filter((r) => r.rules.length).length;
  const withTests = rows.filter((r) => r.tests.length).length;
  lines.push(`${rows.length} requirements · ${withRules} with rules · ${withTests} with tests`);
  lines.push('');
  lines.push('| ID | clause | applies | modes | automated | rules | tests |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const { req, rules, tests } of rows) {
    const modes = [...new Set(rules.flatMap((r) => r.modes))].sort().join(', ') || '—';
    const automated = rules.length === 0 ? '—' : rules.some((r) => r.automated) ? 'yes' : 'attestation';
    const ruleCell = rules.map((r) => `\`${r.path}\` (${r.file}:${r.row})`).join('<br>') || '**none**';
    const testCell = tests.length ? `${tests.length}: ${tests.map((t) => `\`${t.name}\``).join(', ')}` : '**none**';
    lines.push(`| ${req.id} | ${esc(req.clause)} | ${esc(req.applies)} | ${modes} | ${automated} | ${ruleCell} | ${testCell} |`);
  }
  lines.push('');
  lines.push('## Requirements');
  lines.push('');
  for (const { req, rules } of rows) {
    const title = rules[0]?.title ? ` — ${rules[0].title}` : '';
    lines.push(`- **${req.id}** (${req.clause}; ${req.section})${title}: ${req.text}`);
  }
  lines.push('');
  return lines.join('\n');
}

/** Problems CI fails on: requirements without rules or tests, rules naming unknown IDs. */
export function matrixProblems(rows: MatrixRow[], unknown: RuleRef[]): string[] {
  const out: string[] = [];
  for (const { req, rules, tests } of rows) {
    if (!rules.length) out.push(`${req.id}: no rule carries it in its METADATA (custom.requirement)`);
    if (!tests.length) out.push(`${req.id}: no test (name tests test_${slug(req.id)}_…)`);
  }
  for (const r of unknown) out.push(`${r.file}:${r.row}: ${r.path} names an unknown requirement`);
  return out;
}
