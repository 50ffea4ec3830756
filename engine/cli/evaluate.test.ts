// `bligate evaluate`: formats, exit codes, usage and database errors.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connect.ts';
import { run } from './evaluate.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) }, out: () => out.join(''), err: () => err.join('') };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'bligate-eval-'));
const dataDir = path.join(dir, 'db');
const AS_OF = ['--as-of', '2026-11-27T10:00:00+08:00'];

beforeAll(async () => {
  const h = await openDatabase({ dataDir, migrate: true });
  // A supervisor with no records: nothing to flag. A user unit with a query for marketing.
  await sql`INSERT INTO institutions (id, name, role) VALUES ('fsc', 'FSC', 'supervisor'), ('u1', 'Unit One', 'user_unit')`.execute(h.db);
  const { appendQueryLog } = await import('../db/querylog.ts');
  await appendQueryLog(h.db, [
    { id: 'q1', institution_id: 'u1', at: '2026-11-02T10:00:00+08:00', account_id: 'a1', staff_id: 's1', ip: '10.0.0.1', op_code: 'J10', conditions: { national_id: 'P1' }, case_no: 'C1', reason: 'loan', purpose: 'marketing' },
  ]);
  await h.close();
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bligate evaluate', () => {
  it('exits 0 when there is no violation', async () => {
    const c = capture();
    expect(await run(['--data-dir', dataDir, ...AS_OF, '-i', 'fsc'], c.io)).toBe(0);
    expect(c.out()).toMatch(/No findings\./);
    expect(c.out()).toMatch(/fsc {2}FSC \(監督機關 \/ supervisor\)/);
  });

  it('exits 1 with violations, text grouped by requirement, bilingual', async () => {
    const c = capture();
    expect(await run(['--data-dir', dataDir, ...AS_OF], c.io)).toBe(1);
    const text = c.out();
    expect(text).toMatch(/^bligate evaluate — as of 2026-11-27T10:00:00\+08:00/);
    expect(text).toMatch(/PURPOSE-01 {2}查詢目的限授信業務 \/ Query purpose is credit business {2}\[二\(三\), 三, 四\(二\)4\] high/);
    expect(text).toMatch(/✗ violation {2}u1 · record q1/);
    expect(text).toMatch(/evidence: \{.*"purpose":"marketing"/);
    expect(text).toMatch(/\d+ violations?, \d+ due soon, across \d+ requirements?\./);
    // Grouped: each requirement heads one group, in ID order.
    const heads = text.split('\n').filter((l) => /^[A-Z]+-\d{2} {2}/.test(l)).map((l) => l.split(' ')[0]);
    expect(heads).toEqual([...new Set(heads)].sort());
  });

  it('prints the findings array with --format json', async () => {
    const c = capture();
    expect(await run(['--data-dir', dataDir, ...AS_OF, '--format', 'json', '-i', 'u1'], c.io)).toBe(1);
    const findings = JSON.parse(c.out()) as { requirement: string; subject: { institution: string; record?: string } }[];
    expect(Array.isArray(findings)).toBe(true);
    expect(findings.some((f) => f.requirement === 'PURPOSE-01' && f.subject.record === 'q1')).toBe(true);
    expect(findings.every((f) => f.subject.institution === 'u1')).toBe(true);
  });

  it('shows progress on stderr only when asked (or on a terminal) and the run is longer than a second', async () => {
    const c = capture();
    await run(['--data-dir', dataDir, ...AS_OF, '--format', 'json'], c.io);
    expect(c.err()).toBe('');
  });

  it('exits 2 on usage errors, with one line', async () => {
    for (const args of [['--format', 'xml'], ['--as-of', 'yesterday'], ['--bogus'], ['extra']]) {
      const c = capture();
      expect(await run(['--data-dir', dataDir, ...args], c.io)).toBe(2);
      expect(c.err().trim().split('\n')[0]).toMatch(/^bligate: evaluate: /);
      expect(c.out()).toBe('');
    }
    const c = capture();
    expect(await run(['--data-dir', dataDir, ...AS_OF, '-i', 'nobody'], c.io)).toBe(2);
    expect(c.err()).toMatch(/institution "nobody" is not in the database/);
  });

  it('exits 2 with one line when the database is unreachable', async () => {
    const c = capture();
    expect(await run(['--db', 'postgres://bligate@127.0.0.1:1/none', ...AS_OF], c.io)).toBe(2);
    expect(c.err().trim().split('\n')).toHaveLength(1);
    expect(c.err()).toMatch(/^bligate: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/none/);
  });

  it('does not seed with --no-seed: an empty embedded database is an error', async () => {
    const c = capture();
    expect(await run(['--data-dir', path.join(dir, 'empty'), '--no-seed'], c.io)).toBe(2);
    expect(c.err()).toMatch(/holds no institution/);
  });

  it('prints its usage with --help', async () => {
    const c = capture();
    expect(await run(['--help'], c.io)).toBe(0);
    expect(c.out()).toMatch(/bligate evaluate \[flags\]/);
  });
});
