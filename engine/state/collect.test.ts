// The state collector and the evaluation on real PostgreSQL and on PGlite: the document it
// builds (history tables rebuilt as of the instant, SQL aggregates in the Taipei calendar),
// schema-violating rows as findings, and incremental evaluation reusing per-record results.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/setup/db.ts';
import { openDatabase, type OpenDatabase } from '../db/connect.ts';
import { appendQueryLog } from '../db/querylog.ts';
import type { QueryLogInput } from '../db/chain.ts';
import { collectState, type AnyDB } from './collect.ts';
import { evaluateInstitution } from './evaluate.ts';
import { loadPolicyPack } from './policy.ts';
import { sanitizeDocument } from './validate.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const pack = loadPolicyPack(path.join(root, 'policies'));
const AS_OF = new Date('2026-11-27T10:00:00+08:00');

async function fixture(h: OpenDatabase): Promise<void> {
  const db = h.db as AnyDB;
  await sql`INSERT INTO institutions (id, name, role, batch_server) VALUES ('u1', 'Unit One', 'user_unit', true)`.execute(db);
  await sql`INSERT INTO staff (id, institution_id, name, title, id_number, left_on) VALUES
    ('s1', 'u1', 'Staff One', 'Officer', 'A100000001', NULL),
    ('s2', 'u1', 'Staff Two', 'Officer', 'A100000002', '2026-12-31')`.execute(db);
  await sql`INSERT INTO staff_roles (staff_id, role, granted_at, revoked_at) VALUES
    ('s1', 'query', '2025-01-01T00:00:00+08:00', NULL),
    ('s1', 'review', '2025-01-01T00:00:00+08:00', '2025-06-01T00:00:00+08:00'),
    ('s2', 'query', '2027-01-01T00:00:00+08:00', NULL)`.execute(db);
  await sql`INSERT INTO staff_designations (id, staff_id, approved_by, approved_at, duty_from) VALUES
    ('d1', 's1', 'head', '2025-01-01T00:00:00+08:00', '2025-01-01')`.execute(db);
  await sql`INSERT INTO accounts (id, institution_id, staff_id, kind, enabled, disabled_at, created_at) VALUES
    ('a1', 'u1', 's1', 'query', true, NULL, '2025-01-02T00:00:00+08:00'),
    ('a2', 'u1', 's2', 'query', false, '2027-01-05T00:00:00+08:00', '2025-01-02T00:00:00+08:00')`.execute(db);
  await sql`INSERT INTO password_history (account_id, set_at, password_hash, complexity_ok, length) VALUES
    ('a1', '2026-05-01T00:00:00+08:00', 'h1', true, 12),
    ('a1', '2026-07-01T00:00:00+08:00', 'h2', true, 12),
    ('a1', '2026-09-01T00:00:00+08:00', 'h1', true, 12),
    ('a1', '2026-12-01T00:00:00+08:00', 'h3', true, 12)`.execute(db);
  await sql`INSERT INTO consents (id, institution_id, subject_id, channel, consented_on, jcic_registered_at, jcic_approved_at) VALUES
    ('c1', 'u1', 'P1', 'written', '2026-01-05', '2026-01-05T09:00:00+08:00', '2026-01-05T09:30:00+08:00'),
    ('c-nodate', 'u1', 'P2', 'written', NULL, NULL, NULL)`.execute(db);
  await sql`INSERT INTO chip_cards (id, institution_id) VALUES ('card', 'u1')`.execute(db);
  await sql`INSERT INTO chip_card_custodians (id, card_id, custody, staff_id, from_at, to_at) VALUES
    ('k1', 'card', 'card', 's1', '2025-01-01T00:00:00+08:00', NULL),
    ('k2', 'card', 'pin', 's2', '2025-01-01T00:00:00+08:00', '2026-03-01T00:00:00+08:00'),
    ('k3', 'card', 'pin', 's3', '2026-03-01T00:00:00+08:00', NULL)`.execute(db);
  await sql`INSERT INTO incidents (id, institution_id, detected_at, kind, response_recorded) VALUES ('i1', 'u1', '2026-02-01T10:00:00+08:00', 'leak', true)`.execute(db);
  await sql`INSERT INTO notifications (id, incident_id, recipient, notified_at) VALUES
    ('n1', 'i1', 'jcic', '2026-02-01T10:20:00+08:00'), ('n2', 'i1', 'jcic', '2026-02-01T10:50:00+08:00')`.execute(db);
  await appendQueryLog(h.db, [
    // 2025-12-31T23:30 Taipei = 15:30 UTC: December in Taipei, ISO week 2026-W01.
    q(1, '2025-12-31T23:30:00+08:00'),
    q(2, '2026-01-01T00:10:00+08:00'),
    q(3, '2026-01-05T10:00:00+08:00', { purpose: 'marketing' }),
    q(4, '2027-01-05T10:00:00+08:00'), // after the as-of instant
  ]);
}

function q(n: number, at: string, extra: Partial<QueryLogInput> = {}): QueryLogInput {
  return {
    id: `q${n}`, institution_id: 'u1', at, account_id: 'a1', staff_id: 's1', ip: '10.0.0.1', op_code: 'J10',
    conditions: { national_id: 'P1' }, case_no: `C${n}`, reason: 'loan', purpose: 'credit', consent_id: 'c1',
    fields: ['name', 'employer'], destination_country: 'TW', printed_other_case: false, modified_data: false, ...extra,
  };
}

function suite(name: string, open: () => Promise<OpenDatabase>, cleanup: () => Promise<void>) {
  describe(name, () => {
    let h: OpenDatabase;
    beforeAll(async () => {
      h = await open();
      await fixture(h);
    }, 120_000);
    afterAll(async () => {
      await h?.close();
      await cleanup();
    });

    it('builds the document as of the instant', async () => {
      const doc = await collectState(h.db as AnyDB, { asOf: AS_OF, institutionId: 'u1' });
      expect(doc.as_of).toBe('2026-11-27T10:00:00+08:00');
      expect(doc.institution).toEqual({ id: 'u1', name: 'Unit One', role: 'user_unit', batch_server: true });
      const staff = doc.staff as Record<string, unknown>[];
      expect(staff.find((s) => s.id === 's1')).toMatchObject({ roles: ['query'], designated: true, designation_approved_by: 'head', duty_from: '2025-01-01' });
      // s2's leaving date and query role are in the future: not yet known at the instant.
      expect(staff.find((s) => s.id === 's2')).toMatchObject({ roles: [], designated: false });
      expect(staff.find((s) => s.id === 's2')!.left_on).toBeNull();
      const accounts = doc.accounts as Record<string, unknown>[];
      // Current password: set 2026-09-01 (the December one is later), equal to the one of May.
      expect(accounts.find((a) => a.id === 'a1')).toMatchObject({
        password_set_at: '2026-09-01T00:00:00+08:00', password_reused_recent: true, enabled: true, can_login: true,
      });
      // Disabled only in 2027: enabled at the instant.
      expect(accounts.find((a) => a.id === 'a2')).toMatchObject({ enabled: true, disabled_at: null });
      expect(doc.chip_cards).toEqual([
        { id: 'card', card_custodian: 's1', pin_custodian: 's3', pin_changed_at: null, last_staff_change_at: '2026-03-01T00:00:00+08:00' },
      ]);
      expect(doc.incidents).toEqual([
        { id: 'i1', detected_at: '2026-02-01T10:00:00+08:00', kind: 'leak', notified_jcic_at: '2026-02-01T10:20:00+08:00', notified_bli_at: null, notified_fsc_at: null, response_recorded: true },
      ]);
      // Taipei calendar: the 23:30 query of 31 December counts for December and ISO week 2026-W01.
      expect(doc.query_months).toEqual([
        { month: '2025-12', records: 1 },
        { month: '2026-01', records: 2 },
      ]);
      expect(doc.query_weeks).toEqual([
        { week: '2026-W01', records: 2 },
        { week: '2026-W02', records: 1 },
      ]);
      expect((doc.query_records as { id: string }[]).map((r) => r.id)).toEqual(['q1', 'q2', 'q3']);
      expect((doc.query_records as Record<string, unknown>[])[0]).toMatchObject({ at: '2025-12-31T23:30:00+08:00', approval: null, fields: ['name', 'employer'] });
      // The consent without a date is not in the document: it is an invalid row.
      expect((doc.consents as { id: string }[]).map((c) => c.id)).toEqual(['c1']);
      expect(doc.invalid_rows).toEqual([{ table: 'consents', id: 'c-nodate', pointer: '/consented_on', message: "must have required property 'consented_on'" }]);
      // What the collector builds fits the schema.
      const again = sanitizeDocument(structuredClone(doc));
      expect(again.invalid_rows).toEqual(doc.invalid_rows);
    });

    it('reports a schema-violating row as a finding, never a crash', async () => {
      const r = await evaluateInstitution(h.db as AnyDB, { asOf: AS_OF, institutionId: 'u1', pack, cache: false });
      const f = r.findings.find((x) => x.subject.table === 'consents');
      expect(f).toMatchObject({ requirement: 'CONSENT-02', status: 'violation', subject: { institution: 'u1', table: 'consents', record: 'c-nodate', pointer: '/consented_on' } });
      expect(r.findings.some((x) => x.requirement === 'PURPOSE-01' && x.subject.record === 'q3')).toBe(true);
    });

    it('evaluates only new log rows when per-record results are cached', async () => {
      const full = await evaluateInstitution(h.db as AnyDB, { asOf: AS_OF, institutionId: 'u1', pack });
      expect(full.stats.evaluated).toBe(3);
      const again = await evaluateInstitution(h.db as AnyDB, { asOf: AS_OF, institutionId: 'u1', pack });
      expect(again.stats).toMatchObject({ evaluated: 0, reusedUpTo: 3 });
      expect(again.findings).toEqual(full.findings);
      // New rows (one violating), then an incremental evaluation.
      await appendQueryLog(h.db, [q(5, '2026-02-02T10:00:00+08:00', { destination_country: 'JP' }), q(6, '2026-02-03T10:00:00+08:00')]);
      const inc = await evaluateInstitution(h.db as AnyDB, { asOf: AS_OF, institutionId: 'u1', pack });
      expect(inc.stats.evaluated).toBe(2);
      expect(inc.stats.reusedUpTo).toBe(3);
      const fresh = await evaluateInstitution(h.db as AnyDB, { asOf: AS_OF, institutionId: 'u1', pack, cache: false });
      expect(inc.findings).toEqual(fresh.findings);
      expect(inc.findings.some((x) => x.requirement === 'XBORDER-01' && x.subject.record === 'q5')).toBe(true);
      // q4 (after the as-of instant) was skipped, so the checkpoint stops before it: a later
      // instant evaluates it.
      const later = await evaluateInstitution(h.db as AnyDB, { asOf: new Date('2027-02-01T00:00:00+08:00'), institutionId: 'u1', pack });
      expect(later.stats.records).toBe(6);
    });

    it('evaluates in batches as it does in one go', async () => {
      const one = await evaluateInstitution(h.db as AnyDB, { asOf: AS_OF, institutionId: 'u1', pack, cache: false });
      const small = await evaluateInstitution(h.db as AnyDB, { asOf: AS_OF, institutionId: 'u1', pack, cache: false, batchSize: 1 });
      expect(small.stats.batches).toBeGreaterThan(1);
      expect(small.findings).toEqual(one.findings);
    });

    it('evaluates batches in worker threads as it does on the main thread', async () => {
      const main = await evaluateInstitution(h.db as AnyDB, { asOf: AS_OF, institutionId: 'u1', pack, cache: false, batchSize: 2, workers: 1 });
      // Workers read the log over their own connections: PostgreSQL only (with its URL).
      const databaseUrl = h.kind === 'postgres' ? pgTest!.url : undefined;
      const par = await evaluateInstitution(h.db as AnyDB, { asOf: AS_OF, institutionId: 'u1', pack, cache: false, batchSize: 2, workers: 2, databaseUrl, minParallelRows: 0 });
      expect(par.stats.batches).toBeGreaterThan(1);
      expect(par.stats.workers).toBe(h.kind === 'postgres' ? 2 : 0);
      expect(par.stats.evaluated).toBe(main.stats.evaluated);
      expect(par.findings).toEqual(main.findings);
      // Cached: a parallel run stores per-record results that a later run reuses.
      const first = await evaluateInstitution(h.db as AnyDB, { asOf: AS_OF, institutionId: 'u1', pack, batchSize: 1, workers: 2, databaseUrl, minParallelRows: 0 });
      const second = await evaluateInstitution(h.db as AnyDB, { asOf: AS_OF, institutionId: 'u1', pack, batchSize: 1, workers: 2, databaseUrl, minParallelRows: 0 });
      expect(second.stats.evaluated).toBeLessThan(main.stats.evaluated); // rows after the checkpoint only
      expect(second.stats.reusedUpTo).toBeGreaterThan(0);
      expect(second.findings).toEqual(first.findings);
      expect(first.findings).toEqual(main.findings);
    }, 60_000);
  });
}

let pgTest: TestDatabase | undefined;
suite(
  'on PostgreSQL',
  async () => {
    pgTest = await createTestDatabase('bligate_collect');
    return openDatabase({ url: pgTest.url, migrate: true });
  },
  async () => {
    await pgTest?.drop();
  },
);

let dir = '';
suite(
  'on PGlite',
  async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bligate-collect-'));
    return openDatabase({ dataDir: dir, migrate: true });
  },
  async () => {
    rmSync(dir, { recursive: true, force: true });
  },
);
