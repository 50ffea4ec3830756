// The demo: `bligate evaluate` on the seeded demo reports exactly the documented list of
// injected violations (engine/demo/expected.json, docs/demo-violations.md), no more, no less —
// on PGlite (the embedded default) and on PostgreSQL.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/setup/db.ts';
import { run as evaluate } from '../cli/evaluate.ts';
import { run as demo } from '../cli/demo.ts';
import { canonical } from '../state/evaluate.ts';
import type { Finding } from '../state/types.ts';
import { expectedJSON, violationsMarkdown } from './docs.ts';
import { generateDemo } from './generate.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const expected = JSON.parse(readFileSync(path.join(here, 'expected.json'), 'utf8')) as { requirement: string; status: string; subject: unknown }[];
const key = (f: { requirement: string; status: string; subject: unknown }) => `${f.requirement}|${f.status}|${canonical(f.subject)}`;

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) }, out, err };
}

describe('the demo data set', () => {
  it('documents its injected violations (expected.json and docs/demo-violations.md are up to date)', () => {
    const data = generateDemo();
    expect(readFileSync(path.join(here, 'expected.json'), 'utf8')).toBe(expectedJSON(data.injected));
    expect(readFileSync(path.join(here, '..', '..', 'docs', 'demo-violations.md'), 'utf8')).toBe(violationsMarkdown(data.injected, data.queryLog.length));
    expect(data.queryLog.length).toBeGreaterThan(190_000);
    expect(new Set(data.tables.get('staff')!.filter((s) => s.institution_id === 'bank-001').map((s) => s.id)).size).toBe(40);
  });

  it('is the same on every run (seeded PRNG)', () => {
    const a = generateDemo({ queries: 3000 });
    const b = generateDemo({ queries: 3000 });
    expect(a.queryLog.map((r) => r.id + r.at.toISOString())).toEqual(b.queryLog.map((r) => r.id + r.at.toISOString()));
    expect(a.injected).toEqual(b.injected);
  });
});

async function seedAndEvaluate(dbArgs: string[]): Promise<Finding[]> {
  const s = capture();
  expect(await demo(dbArgs, s.io), s.err.join('')).toBe(0);
  expect(s.out.join('')).toMatch(/Seeded the demo/);
  const e = capture();
  const code = await evaluate([...dbArgs, '--format', 'json'], e.io);
  expect(code, e.err.join('')).toBe(1);
  return JSON.parse(e.out.join('')) as Finding[];
}

function expectExactly(findings: Finding[]) {
  const got = findings.map(key).sort();
  const want = expected.map(key).sort();
  const missing = want.filter((k) => !got.includes(k));
  const extra = got.filter((k) => !want.includes(k));
  expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  // Same multiplicity too (two findings of one requirement on one subject are listed twice).
  expect(got).toEqual(want);
}

describe('bligate evaluate on the demo', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bligate-demo-'));
  let pg: TestDatabase | undefined;
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await pg?.drop();
  });

  it('reports exactly the injected violations on PGlite', async () => {
    expectExactly(await seedAndEvaluate(['--data-dir', path.join(dir, 'db')]));
    // Again, from the cached per-record results: the same list.
    const e = capture();
    expect(await evaluate(['--data-dir', path.join(dir, 'db'), '--format', 'json'], e.io)).toBe(1);
    expectExactly(JSON.parse(e.out.join('')));
    // A second `bligate demo` refuses a non-empty database.
    const s = capture();
    expect(await demo(['--data-dir', path.join(dir, 'db')], s.io)).toBe(2);
    expect(s.err.join('')).toMatch(/not empty; use --reset/);
  }, 600_000);

  it('reports exactly the injected violations on PostgreSQL', async () => {
    pg = await createTestDatabase('bligate_demo');
    expectExactly(await seedAndEvaluate(['--db', pg.url]));
  }, 600_000);
});
