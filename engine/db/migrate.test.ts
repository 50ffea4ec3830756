// Migrations on real PostgreSQL (the cluster of test/setup/postgres.ts), and a migration that
// fails midway leaving the schema as it was.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/setup/db.ts';
import { openDatabase, type OpenDatabase } from './connect.ts';
import { migrateToLatest, MigrationError } from './migrate.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const FAILING = path.join(here, 'testdata', 'failing-migrations');
const STEP1 = path.join(here, 'testdata', 'migrations-step1');

/** Every table the state document needs (engine/schema/state.schema.json) plus issue 5's list. */
const TABLES = [
  'institutions', 'staff', 'staff_roles', 'staff_designations', 'accounts', 'password_history', 'authorisation_changes',
  'admin_handovers', 'access_reviews', 'consents', 'query_requests', 'query_approvals', 'query_log', 'query_log_head',
  'query_log_deletions', 'weekly_sheets', 'monthly_samples', 'sample_records', 'jcic_temp_records', 'jcic_derived_files',
  'deletions', 'deletion_evidence', 'user_unit_data', 'batch_transfers', 'data_access_log_settings', 'chip_cards',
  'chip_card_custodians', 'chip_card_pin_changes', 'linkage_staff_changes', 'audits', 'user_units', 'incidents',
  'notifications', 'certifications', 'trainings', 'attestations', 'query_record_results', 'evaluation_checkpoints',
  'query_log_daily_counts',
];

async function tables(h: OpenDatabase): Promise<string[]> {
  const r = await sql<{ relname: string }>`
    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`.execute(h.db);
  return r.rows.map((x) => x.relname);
}

/** A fingerprint of the schema: columns and indexes of the public schema. */
async function schemaFingerprint(h: OpenDatabase): Promise<string> {
  const cols = await sql<{ x: string }>`
    select table_name || '.' || column_name || ':' || data_type as x from information_schema.columns
     where table_schema = 'public' and table_name not like 'kysely%' order by 1`.execute(h.db);
  const idx = await sql<{ x: string }>`select indexname as x from pg_indexes where schemaname = 'public' and tablename not like 'kysely%' order by 1`.execute(h.db);
  return JSON.stringify([cols.rows.map((r) => r.x), idx.rows.map((r) => r.x)]);
}

describe('migrations on PostgreSQL', () => {
  let t: TestDatabase;
  let h: OpenDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    h = await openDatabase({ url: t.url });
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('creates every table, the partitioned query log and its head; a second run does nothing', async () => {
    expect(h.kind).toBe('postgres');
    const applied = await migrateToLatest(h.db);
    expect(applied).toEqual(['0001_core', '0002_query_log', '0003_schema_additions', '0004_query_log_counts']);
    const have = await tables(h);
    for (const t of TABLES) expect(have, t).toContain(t);
    const kind = await sql<{ relkind: string }>`select relkind from pg_class where relname = 'query_log'`.execute(h.db);
    expect(kind.rows[0]!.relkind).toBe('p');
    const key = await sql<{ k: string }>`select pg_get_partkeydef('query_log'::regclass) as k`.execute(h.db);
    expect(key.rows[0]!.k).toBe('RANGE (at)');
    const head = await h.db.selectFrom('query_log_head').selectAll().execute();
    expect(head).toHaveLength(1);
    expect(head[0]!.last_seq).toBe(0);
    expect(await migrateToLatest(h.db)).toEqual([]);
  });

  it('reads dates as YYYY-MM-DD, bigints as numbers, instants as Dates, jsonb parsed', async () => {
    await h.db.insertInto('institutions').values({ id: 'i1', name: '測試銀行', role: 'user_unit', parameters: JSON.stringify({ 'lockout.max_failed_attempts': 3 }) }).execute();
    await h.db
      .insertInto('consents')
      .values({ id: 'c1', institution_id: 'i1', subject_id: 'A123456789', channel: 'electronic', consented_on: '2026-01-31', jcic_registered_at: '2026-01-31T23:30:00+08:00' })
      .execute();
    // A consent without a date is storable: the collector reports it as an invalid row.
    await h.db.insertInto('consents').values({ id: 'c2', institution_id: 'i1', subject_id: 'B1', channel: 'written' }).execute();
    const c = await h.db.selectFrom('consents').selectAll().where('id', '=', 'c1').executeTakeFirstOrThrow();
    expect(c.consented_on).toBe('2026-01-31');
    expect(c.jcic_registered_at).toBeInstanceOf(Date);
    expect(c.jcic_registered_at!.toISOString()).toBe('2026-01-31T15:30:00.000Z');
    const inst = await h.db.selectFrom('institutions').select('parameters').executeTakeFirstOrThrow();
    expect(inst.parameters).toEqual({ 'lockout.max_failed_attempts': 3 });
    const n = await h.db.selectFrom('consents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(n.n).toBe(2);
    // 0003: active_since, user units keyed per overseeing institution
    await h.db.updateTable('institutions').set({ active_since: '2024-07-01' }).where('id', '=', 'i1').execute();
    await h.db.insertInto('institutions').values([{ id: 'jcic', name: 'JCIC', role: 'management_agency' }, { id: 'fsc', name: 'FSC', role: 'supervisor' }]).execute();
    await h.db.insertInto('user_units').values([
      { institution_id: 'jcic', id: 'i1', name: '測試銀行', left_on: '2026-06-30' },
      { institution_id: 'fsc', id: 'i1', name: '測試銀行' },
    ]).execute();
    const units = await h.db.selectFrom('user_units').select(['institution_id', 'left_on']).orderBy('institution_id').execute();
    expect(units).toEqual([{ institution_id: 'fsc', left_on: null }, { institution_id: 'jcic', left_on: '2026-06-30' }]);
    expect((await h.db.selectFrom('institutions').select('active_since').where('id', '=', 'i1').executeTakeFirstOrThrow()).active_since).toBe('2024-07-01');
    await expect(
      h.db.insertInto('consents').values({ id: 'c3', institution_id: 'i1', subject_id: 'x', channel: 'fax' as never }).execute(),
    ).rejects.toThrow(/check constraint/);
  });
});

describe('a migration that fails midway (PostgreSQL)', () => {
  let t: TestDatabase;
  let h: OpenDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    h = await openDatabase({ url: t.url });
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('leaves an empty schema empty (all pending migrations roll back together)', async () => {
    const before = await schemaFingerprint(h);
    const err = await migrateToLatest(h.db, FAILING).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as MigrationError).migration).toBe('0002_fails_midway');
    expect((err as Error).message).toMatch(/^migration 0002_fails_midway failed, schema left unchanged: relation "no_such_table" does not exist$/);
    const have = await tables(h);
    expect(have).not.toContain('probe_one');
    expect(have).not.toContain('probe_two');
    const done = await sql<{ name: string }>`select name from kysely_migration`.execute(h.db);
    expect(done.rows).toEqual([]);
    // only kysely's own bookkeeping tables (created before its transaction) may be new
    expect(await schemaFingerprint(h)).toBe(before);
  });

  it('leaves an applied migration as it was, data included', async () => {
    expect(await migrateToLatest(h.db, STEP1)).toEqual(['0001_ok']);
    const before = await schemaFingerprint(h);
    await expect(migrateToLatest(h.db, FAILING)).rejects.toThrow(MigrationError);
    expect(await schemaFingerprint(h)).toBe(before);
    const cols = await sql<{ c: string }>`select column_name as c from information_schema.columns where table_name = 'probe_one'`.execute(h.db);
    expect(cols.rows.map((r) => r.c)).toEqual(['id']); // the ALTER of 0002 was rolled back
    const rows = await sql<{ id: number }>`select id from probe_one`.execute(h.db);
    expect(rows.rows).toEqual([{ id: 1 }]);
    const done = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(h.db);
    expect(done.rows.map((r) => r.name)).toEqual(['0001_ok']);
  });
});

describe('migrations/index.ts', () => {
  it('lists every migration file of the folder, in order', async () => {
    const { readdirSync } = await import('node:fs');
    const { MIGRATIONS } = await import('./migrations/index.ts');
    const { MIGRATIONS_DIR } = await import('./migrate.ts');
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d+_[\w-]+\.ts$/.test(f) && !/\.test\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(Object.keys(MIGRATIONS)).toEqual(files);
  });
});
