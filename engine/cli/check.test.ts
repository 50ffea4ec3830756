// `bligate check`: exit codes, locations, every output format (SARIF validated against the
// SARIF 2.1.0 schema), waivers, parameter overrides and extra policies.

import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import AjvDraft04 from 'ajv-draft-04';
import { XMLParser } from 'fast-xml-parser';
import { run } from './check.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fx = (f: string) => path.join('test', 'fixtures', 'check', f);

async function check(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const prev = process.cwd();
  process.chdir(root);
  try {
    const code = await run(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
    return { code, stdout, stderr };
  } finally {
    process.chdir(prev);
  }
}

interface JsonFinding {
  file: string;
  line: number;
  column: number;
  requirement: string;
  status: string;
  waived: boolean;
  subject: Record<string, unknown>;
  waiver?: { reason: string };
  message: { zh_TW: string; en: string };
}

describe('bligate check', () => {
  it('reports a weak minimum length at the exact YAML line and column, and exits 1', async () => {
    const r = await check('--format', 'json', fx('weak.yaml'));
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { findings: JsonFinding[]; summary: { violations: number } };
    const f = out.findings.find((x) => x.requirement === 'PWD-01' && x.subject.key === 'password.min_length')!;
    expect(f).toBeDefined();
    expect([f.line, f.column]).toEqual([8, 3]);
    expect(f.message.zh_TW).toMatch(/6/);
    expect(f.message.en).toMatch(/6/);
    expect(out.summary.violations).toBeGreaterThan(0);
  });

  it('exits 2 with file:line:col for schema errors and unreadable YAML, and still reports the good files', async () => {
    const r = await check('--format', 'json', fx('invalid.yaml'), fx('broken.yaml'), fx('weak.yaml'), fx('missing.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid\.yaml:6:3: \/password\/min_length: must be integer/);
    expect(r.stderr).toMatch(/invalid\.yaml:7:3: \/password\/colour: unknown key "colour"/);
    expect(r.stderr).toMatch(/broken\.yaml:\d+:\d+: /);
    expect(r.stderr).toMatch(/missing\.yaml:1:1: no such file or directory/);
    expect(JSON.parse(r.stdout).files).toEqual([fx('weak.yaml')]);
  });

  it('exits 2 on usage errors', async () => {
    expect((await check()).code).toBe(2);
    expect((await check('--format', 'xml', fx('weak.yaml'))).code).toBe(2);
    expect((await check('--output', 'nonsense', fx('weak.yaml'))).code).toBe(2);
    expect((await check('--fail-on', 'sometimes', fx('weak.yaml'))).code).toBe(2);
  });

  it('writes valid SARIF 2.1.0 with one rule per requirement, bilingual text and exact locations', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bligate-sarif-'));
    const out = path.join(dir, 'out.sarif');
    const r = await check('--format', 'text', '--output', `sarif=${out}`, '--waivers', fx('waivers.yaml'), '--as-of', '2026-11-27', fx('weak.yaml'));
    expect(r.code).toBe(1);
    const log = JSON.parse(readFileSync(out, 'utf8'));
    const schema = JSON.parse(readFileSync(path.join(root, 'test', 'fixtures', 'sarif-2.1.0-rtm.5.schema.json'), 'utf8'));
    const ajv = new (AjvDraft04 as unknown as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } })({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const run0 = log.runs[0];
    const ids = run0.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    const rule = run0.tool.driver.rules.find((x: { id: string }) => x.id === 'PWD-01');
    expect(rule.properties.clause).toBe('五(一)4');
    expect(rule.shortDescription.text).toMatch(/[\u4e00-\u9fff]/);
    const res = run0.results.find((x: { ruleId: string; properties: { subject: { key?: string } } }) => x.ruleId === 'PWD-01' && x.properties.subject.key === 'password.min_length');
    expect(res.locations[0].physicalLocation.region).toEqual({ startLine: 8, startColumn: 3 });
    expect(res.suppressions[0].justification).toMatch(/Legacy terminal/);
    expect(run0.tool.driver.rules[res.ruleIndex].id).toBe('PWD-01');
    // The expired waiver is reported as a notification, and does not waive anything.
    expect(run0.invocations[0].toolExecutionNotifications[0].message.text).toMatch(/expired/);
  });

  it('marks waived findings, keeps them in the report and does not fail on them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bligate-waive-'));
    const cfg = path.join(dir, 'weak.yaml');
    // Only the min_length problem: everything else made compliant.
    writeFileSync(cfg, readFileSync(path.join(root, 'examples', 'config', 'compliant.yaml'), 'utf8').replace(/min_length: \d+/, 'min_length: 6'));
    const waivers = path.join(dir, 'waivers.yaml');
    writeFileSync(waivers, readFileSync(path.join(root, fx('waivers.yaml')), 'utf8'));
    const r = await check('--format', 'json', '--waivers', waivers, '--as-of', '2026-11-27', cfg);
    const out = JSON.parse(r.stdout) as { findings: JsonFinding[]; expired_waivers: { requirement: string }[] };
    expect(out.findings.length).toBe(1);
    expect(out.findings[0].waived).toBe(true);
    expect(out.findings[0].waiver!.reason).toMatch(/Legacy terminal/);
    expect(out.expired_waivers.map((w) => w.requirement)).toEqual(['LOG-01']);
    expect(r.code).toBe(0);
    // After the waiver's expiry the finding fails the run again.
    const later = await check('--format', 'json', '--waivers', waivers, '--as-of', '2100-01-01', cfg);
    expect(later.code).toBe(1);
  });

  it('rejects waivers without an expiry or an approver as invalid input (exit 2)', async () => {
    const a = await check('--waivers', fx('waivers-noexpiry.yaml'), fx('weak.yaml'));
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/waivers-noexpiry\.yaml:2:5: waiver 1: "expires" is required/);
    const b = await check('--waivers', fx('waivers-noapprover.yaml'), fx('weak.yaml'));
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/waivers-noapprover\.yaml:\d+:\d+: waiver 1: "approved_by" is required/);
  });

  it('writes JUnit with one test case per requirement per file', async () => {
    const r = await check('--format', 'junit', fx('weak.yaml'));
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(r.stdout);
    const suite = doc.testsuites.testsuite;
    expect(suite.name).toBe(fx('weak.yaml'));
    const cases = Array.isArray(suite.testcase) ? suite.testcase : [suite.testcase];
    const names = cases.map((c: { name: string }) => c.name.split(' ')[0]);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('PWD-01');
    const pwd = cases.find((c: { name: string }) => c.name.startsWith('PWD-01 '));
    expect(pwd.failure).toBeDefined();
    expect(Number(suite.failures)).toBe(cases.filter((c: { failure?: unknown }) => c.failure !== undefined).length);
    expect(Number(suite.tests)).toBe(cases.length);
  });

  it('writes GitHub workflow annotations', async () => {
    const r = await check('--format', 'github', fx('weak.yaml'));
    expect(r.stdout).toMatch(/^::error file=test\/fixtures\/check\/weak\.yaml,line=8,col=3,title=PWD-01 [^:]*::/m);
  });

  it('prints a plain table when not on a terminal', async () => {
    const r = await check(fx('weak.yaml'));
    expect(r.stdout).toMatch(/^LOCATION\s+REQUIREMENT\s+STATUS/m);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(r.stdout).toMatch(/1 file checked/);
  });

  it('applies stricter --data overrides and reports weaker ones', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bligate-data-'));
    const weaker = path.join(dir, 'weaker.yaml');
    writeFileSync(weaker, 'password.min_length: 6\n');
    const r = await check('--format', 'json', '--data', weaker, path.join(root, 'examples', 'config', 'compliant.yaml'));
    const out = JSON.parse(r.stdout) as { findings: JsonFinding[] };
    expect(out.findings.map((f) => [f.requirement, f.subject.parameter])).toContainEqual(['PWD-01', 'password.min_length']);
    expect(r.code).toBe(1);
  });

  it('reports findings of an institution\'s own --policy beside the pack', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bligate-policy-'));
    mkdirSync(path.join(dir, 'own'));
    writeFileSync(
      path.join(dir, 'own', 'own.rego'),
      `# METADATA
# title: Own rule
package bligate.areas.own

import data.bligate.lib

# METADATA
# scope: document
# title: Branch code required
# custom:
#   requirement: RULES-01
#   clause: 七(一)
#   severity: low
#   title_zh: 分行代碼
#   modes: [config]
config_findings contains lib.finding(rego.metadata.chain(), "violation", {"key": "institution.id"}, {}, "自訂規則", "own rule") if {
	not startswith(input.institution.id, "branch-")
}
`,
    );
    const r = await check('--format', 'json', '--policy', path.join(dir, 'own'), path.join(root, 'examples', 'config', 'compliant.yaml'));
    const out = JSON.parse(r.stdout) as { findings: JsonFinding[] };
    expect(out.findings.map((f) => f.message.en)).toEqual(['own rule']);
    expect(r.code).toBe(1);
  });

  it('passes the compliant example and fails the violating one', async () => {
    expect((await check(path.join(root, 'examples', 'config', 'compliant.yaml'))).code).toBe(0);
    expect((await check(path.join(root, 'examples', 'config', 'violating.yaml'))).code).toBe(1);
  });
});
