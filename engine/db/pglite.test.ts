// The embedded mode: PGlite in a data directory, with the very same migrations.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as verifyLog } from '../cli/verifylog.ts';
import { DatabaseConnectionError, openDatabase, type OpenDatabase } from './connect.ts';
import { migrateToLatest, MigrationError } from './migrate.ts';
import { appendQueryLog, bulkLoadQueryLog } from './querylog.ts';
import { verifyQueryLog } from './verify.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) }, out, err };
}

describe('embedded database (PGlite)', () => {
  let dir: string;
  let h: OpenDatabase;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bligate-pglite-'));
    h = await openDatabase({ dataDir: path.join(dir, 'db'), migrate: true });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the same migrations', async () => {
    expect(h.kind).toBe('pglite');
    expect(h.location).toBe(path.join(dir, 'db'));
    const done = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(h.db);
    expect(done.rows.map((r) => r.name)).toEqual(['0001_core', '0002_query_log', '0003_schema_additions', '0004_query_log_counts']);
    const kind = await sql<{ relkind: string }>`select relkind from pg_class where relname = 'query_log'`.execute(h.db);
    expect(kind.rows[0]!.relkind).toBe('p');
    expect(await migrateToLatest(h.db)).toEqual([]);
  });

  it('parses values as the PostgreSQL driver does', async () => {
    await h.db.insertInto('institutions').values({ id: 'i1', name: '測試銀行', role: 'user_unit' }).execute();
    await h.db.insertInto('consents').values({ id: 'c1', institution_id: 'i1', subject_id: 'A1', channel: 'written', consented_on: '2026-02-28', jcic_approved_at: '2026-03-01T09:00:00+08:00' }).execute();
    const c = await h.db.selectFrom('consents').select(['consented_on', 'jcic_approved_at']).executeTakeFirstOrThrow();
    expect(c.consented_on).toBe('2026-02-28');
    expect(c.jcic_approved_at!.toISOString()).toBe('2026-03-01T01:00:00.000Z');
    const n = await h.db.selectFrom('consents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(n.n).toBe(1);
    const ins = await h.db.insertInto('consents').values({ id: 'c2', institution_id: 'i1', subject_id: 'A2', channel: 'written' }).executeTakeFirstOrThrow();
    expect(ins.numInsertedOrUpdatedRows).toBe(1n);
  });

  it('appends, partitions, refuses changes and verifies the chain', async () => {
    const r = await appendQueryLog(h.db, [
      { id: 'q1', institution_id: 'i1', at: '2026-01-31T23:59:00+08:00', fields: ['x'] },
      { id: 'q2', institution_id: 'i1', at: '2026-02-01T00:00:00+08:00', conditions: { a: 1 } },
    ]);
    expect(r).toMatchObject({ firstSeq: 1, lastSeq: 2 });
    const loaded = await bulkLoadQueryLog(h, (function* () {
      for (let i = 0; i < 300; i++) yield { id: `b${i}`, institution_id: 'i1', at: new Date(Date.UTC(2026, 2, 1) + i * 86_400_000) };
    })(), { batchSize: 128 });
    expect(loaded).toMatchObject({ rows: 300, lastSeq: 302 });
    await expect(sql`update query_log set reason = 'x'`.execute(h.db)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(sql`delete from query_log`.execute(h.db)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(sql`truncate query_log`.execute(h.db)).rejects.toThrow(/append-only: TRUNCATE refused/);
    const report = await verifyQueryLog(h.db, { batchSize: 50 });
    expect(report).toMatchObject({ ok: true, rows: 302 });
  });

  it('streams through a cursor, and transactions do not interleave with other queries', async () => {
    let seen = 0;
    for await (const row of h.db.selectFrom('query_log').select('seq').orderBy('seq').stream(40)) {
      seen++;
      expect(row.seq).toBe(seen);
    }
    expect(seen).toBe(302);
    // A query issued while a transaction is open waits for it (one PGlite connection).
    let inside = 0;
    const trx = h.db.transaction().execute(async (tx) => {
      await tx.insertInto('institutions').values({ id: 'i2', name: 'two', role: 'user_unit' }).execute();
      await new Promise((r) => setTimeout(r, 50));
      inside = (await tx.selectFrom('institutions').select('id').execute()).length;
      throw new Error('roll back');
    });
    const outside = h.db.selectFrom('institutions').select('id').execute();
    await expect(trx).rejects.toThrow('roll back');
    expect(inside).toBe(2);
    expect((await outside).length).toBe(1);
  });

  it('keeps its data across reopening, and verify-log reads it', async () => {
    await h.close();
    h = await openDatabase({ dataDir: path.join(dir, 'db') });
    const n = await sql<{ n: number }>`select count(*) as n from query_log`.execute(h.db);
    expect(n.rows[0]!.n).toBe(302);
    await h.close();
    const c = capture();
    expect(await verifyLog(['--data-dir', path.join(dir, 'db')], c.io, {})).toBe(0);
    expect(c.out.join('')).toBe(`verify-log: intact: 302 rows (seq 1..302) in embedded database ${path.join(dir, 'db')}\n`);
    h = await openDatabase({ dataDir: path.join(dir, 'db') });
  }, 120_000);

  it('a failing migration leaves the embedded schema as it was', async () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'bligate-pglite-fail-'));
    const f = await openDatabase({ dataDir: d });
    try {
      await expect(migrateToLatest(f.db, path.join(here, 'testdata', 'failing-migrations'))).rejects.toThrow(MigrationError);
      const t = await sql<{ n: number }>`select count(*) as n from pg_tables where tablename like 'probe_%'`.execute(f.db);
      expect(t.rows[0]!.n).toBe(0);
    } finally {
      await f.close();
      rmSync(d, { recursive: true, force: true });
    }
  }, 120_000);

  it('an unusable data directory gives one clear line', async () => {
    const file = path.join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const err = await openDatabase({ dataDir: file }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseConnectionError);
    expect((err as Error).message).toMatch(new RegExp(`^cannot open the embedded database in ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    expect((err as Error).message).not.toContain('\n');
  });
});
