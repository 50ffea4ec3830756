// The query log on real PostgreSQL: append + chain, concurrency, monthly partitions, the
// append-only trigger, the application role, bulk loading, and `bligate verify-log` against
// tampered rows (tampering as the superuser, with the trigger disabled).
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/setup/db.ts';
import { run as verifyLog } from '../cli/verifylog.ts';
import { chainRows, GENESIS_HASH, rowHash, type QueryLogInput } from './chain.ts';
import { openDatabase, type OpenDatabase } from './connect.ts';
import { appendQueryLog, bulkLoadQueryLog, ensureQueryLogPartition } from './querylog.ts';
import type { Database } from './types.ts';
import { verifyQueryLog } from './verify.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) }, out, err };
}

function rowsFor(n: number, start: number, prefix = 'q'): QueryLogInput[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${start + i}`,
    institution_id: 'bank-001',
    at: new Date(start * 1000 + Date.UTC(2026, 0, 10) + i * 1000),
    account_id: `acc-${i % 3}`,
    staff_id: `s-${i % 3}`,
    consent_id: i % 2 === 0 ? `c-${i}` : null,
    conditions: { idno: `A${100000000 + i}` },
    fields: ['insured_salary'],
    purpose: 'credit',
  }));
}

async function partitionsOf(db: Kysely<Database>): Promise<Array<{ name: string; bound: string }>> {
  const r = await sql<{ name: string; bound: string }>`
    select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
      from pg_inherits i join pg_class c on c.oid = i.inhrelid
     where i.inhparent = 'query_log'::regclass order by 1`.execute(db);
  return r.rows;
}

describe('query log on PostgreSQL', () => {
  let t: TestDatabase;
  let h: OpenDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    h = await openDatabase({ url: t.url, migrate: true });
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('appends with gapless seq and a verifiable chain', async () => {
    const a = await appendQueryLog(h.db, rowsFor(5, 0));
    expect(a).toMatchObject({ firstSeq: 1, lastSeq: 5 });
    const b = await appendQueryLog(h.db, rowsFor(3, 100));
    expect(b).toMatchObject({ firstSeq: 6, lastSeq: 8 });
    const rows = await h.db.selectFrom('query_log').select(['seq', 'id', 'prev_hash', 'row_hash']).orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.row_hash);
    // the stored hashes are the ones chain.ts computes from the input
    const expected = chainRows(0, GENESIS_HASH, [...rowsFor(5, 0), ...rowsFor(3, 100)]);
    expect(rows.map((r) => r.row_hash)).toEqual(expected.map((r) => r.row_hash));
    const head = await h.db.selectFrom('query_log_head').selectAll().executeTakeFirstOrThrow();
    expect(head.last_seq).toBe(8);
    expect(head.last_hash).toBe(rows[7]!.row_hash);
    const report = await verifyQueryLog(h.db, { batchSize: 3 });
    expect(report).toMatchObject({ ok: true, rows: 8, firstSeq: 1, lastSeq: 8 });
    expect(await appendQueryLog(h.db, [])).toMatchObject({ firstSeq: 9, lastSeq: 8 });
  });

  it('a failed append leaves neither rows nor a moved head', async () => {
    const bad = [...rowsFor(2, 200), { id: 'bad', institution_id: 'bank-001', at: 'not an instant' }];
    await expect(appendQueryLog(h.db, bad)).rejects.toThrow(/RFC 3339/);
    // a database-side failure, after rows were inserted: an over-long hash cannot be built, so use a CHECK
    await expect(
      h.db.transaction().execute(async (trx) => {
        await appendQueryLog(trx, rowsFor(2, 300));
        throw new Error('caller aborts');
      }),
    ).rejects.toThrow('caller aborts');
    const head = await h.db.selectFrom('query_log_head').selectAll().executeTakeFirstOrThrow();
    expect(head.last_seq).toBe(8);
    expect((await verifyQueryLog(h.db)).ok).toBe(true);
  });

  it('keeps seq gapless under concurrent appenders', async () => {
    const before = (await h.db.selectFrom('query_log_head').select('last_seq').executeTakeFirstOrThrow()).last_seq;
    const results = await Promise.all(Array.from({ length: 12 }, (_, k) => appendQueryLog(h.db, rowsFor(7, 1000 + k * 10, `c${k}`))));
    const ranges = results.map((r) => [r.firstSeq, r.lastSeq] as const).sort((x, y) => x[0] - y[0]);
    let next = before + 1;
    for (const [f, l] of ranges) {
      expect(f).toBe(next);
      expect(l - f).toBe(6);
      next = l + 1;
    }
    const seqs = await sql<{ s: number; n: number }>`select max(seq) as s, count(*) as n from query_log`.execute(h.db);
    expect(seqs.rows[0]).toEqual({ s: before + 84, n: before + 84 });
    expect((await verifyQueryLog(h.db)).ok).toBe(true);
  });

  it('creates a partition per Taipei month, as needed, and routes rows by their Taipei month', async () => {
    await appendQueryLog(h.db, [
      { id: 'm1', institution_id: 'bank-001', at: '2026-01-31T23:59:59.999999+08:00' },
      { id: 'm2', institution_id: 'bank-001', at: '2026-02-01T00:00:00+08:00' },
      { id: 'm3', institution_id: 'bank-001', at: '2026-03-15T12:00:00Z' },
      { id: 'm4', institution_id: 'bank-001', at: '2025-12-31T16:00:00Z' }, // 2026-01-01 00:00 Taipei
    ]);
    const parts = await partitionsOf(h.db);
    expect(parts.map((p) => p.name)).toEqual(['query_log_p202601', 'query_log_p202602', 'query_log_p202603']);
    expect(parts[0]!.bound).toBe("FOR VALUES FROM ('2025-12-31 16:00:00+00') TO ('2026-01-31 16:00:00+00')");
    const where = await sql<{ id: string; part: string }>`
      select id, tableoid::regclass::text as part from query_log where id in ('m1', 'm2', 'm3', 'm4') order by id`.execute(h.db);
    expect(where.rows).toEqual([
      { id: 'm1', part: 'query_log_p202601' },
      { id: 'm2', part: 'query_log_p202602' },
      { id: 'm3', part: 'query_log_p202603' },
      { id: 'm4', part: 'query_log_p202601' },
    ]);
    // idempotent, and usable directly
    expect(await ensureQueryLogPartition(h.db, '2026-02-10T00:00:00+08:00')).toBe('query_log_p202602');
    // partitions carry the indexes the evaluation uses
    const idx = await sql<{ indexdef: string }>`select indexdef from pg_indexes where tablename = 'query_log_p202602' order by 1`.execute(h.db);
    const defs = idx.rows.map((r) => r.indexdef).join('\n');
    for (const col of ['(at)', '(account_id, at)', '(staff_id, at)', '(consent_id)', '(seq, at)', '(institution_id, seq)']) expect(defs).toContain(col);
    // the planner prunes to one month
    const plan = await sql<{ 'QUERY PLAN': string }>`
      explain select count(*) from query_log where at >= '2026-02-01T00:00:00+08:00' and at < '2026-03-01T00:00:00+08:00'`.execute(h.db);
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('query_log_p202602');
    expect(text).not.toContain('query_log_p202601');
    expect((await verifyQueryLog(h.db)).ok).toBe(true);
  });

  it('refuses UPDATE, DELETE and TRUNCATE, on the log and on its partitions', async () => {
    for (const stmt of [
      sql`update query_log set reason = 'x' where seq = 1`,
      sql`delete from query_log where seq = 1`,
      sql`truncate query_log`,
      sql`update query_log_p202601 set reason = 'x'`,
      sql`delete from query_log_p202601`,
      sql`truncate query_log_p202601`,
    ]) {
      await expect(stmt.execute(h.db)).rejects.toThrow(/query_log is append-only: (UPDATE|DELETE|TRUNCATE) refused/);
    }
    expect((await verifyQueryLog(h.db)).ok).toBe(true);
  });

  it('the application role bligate_app may only SELECT and INSERT the log', async () => {
    const priv = await sql<{ p: string; ok: boolean }>`
      select p, has_table_privilege('bligate_app', 'query_log', p) as ok
        from unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) as p`.execute(h.db);
    expect(Object.fromEntries(priv.rows.map((r) => [r.p, r.ok]))).toEqual({
      SELECT: true, INSERT: true, UPDATE: false, DELETE: false, TRUNCATE: false, REFERENCES: false, TRIGGER: false,
    });
    const part = await sql<{ ok: boolean }>`select has_table_privilege('bligate_app', 'query_log_p202601', 'UPDATE') or has_table_privilege('bligate_app', 'query_log_p202601', 'DELETE') as ok`.execute(h.db);
    expect(part.rows[0]!.ok).toBe(false);

    // A pool whose sessions run as bligate_app.
    const pool = new pg.Pool({ connectionString: t.url, max: 2 });
    pool.on('connect', (c) => void c.query('set role bligate_app'));
    const app = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    try {
      const who = await sql<{ u: string }>`select current_user as u`.execute(app);
      expect(who.rows[0]!.u).toBe('bligate_app');
      for (const stmt of [
        sql`update query_log set reason = 'x' where seq = 1`,
        sql`delete from query_log where seq = 1`,
        sql`truncate query_log`,
        sql`update query_log_p202601 set reason = 'x'`,
        sql`delete from query_log_p202601`,
      ]) {
        await expect(stmt.execute(app)).rejects.toThrow(/permission denied/);
      }
      // ... but appends through the chain, creating a new month's partition on the way.
      const r = await appendQueryLog(app, [{ id: 'app-1', institution_id: 'bank-001', at: '2026-07-04T09:00:00+08:00' }]);
      expect(r.lastSeq).toBeGreaterThan(1);
      expect((await partitionsOf(h.db)).map((p) => p.name)).toContain('query_log_p202607');
      const owner = await sql<{ o: string }>`select pg_get_userbyid(relowner) as o from pg_class where relname = 'query_log_p202607'`.execute(h.db);
      expect(owner.rows[0]!.o).not.toBe('bligate_app');
      // and it cannot create tables of its own
      await expect(sql`create table evil (x int)`.execute(app)).rejects.toThrow(/permission denied/);
    } finally {
      await app.destroy();
    }
    expect((await verifyQueryLog(h.db)).ok).toBe(true);
  });

  it('bulk loads with COPY across months, continuing the chain', async () => {
    const head = (await h.db.selectFrom('query_log_head').select('last_seq').executeTakeFirstOrThrow()).last_seq;
    function* gen() {
      for (let i = 0; i < 5000; i++) {
        yield {
          id: `bulk-${i}`,
          institution_id: 'bank-001',
          at: new Date(Date.UTC(2024, 0, 1) + i * 3 * 3_600_000),
          account_id: `acc-${i % 11}`,
          ip: '10.0.0.1',
          reason: i % 7 === 0 ? 'with "quotes", commas\nand a newline' : null,
          conditions: i % 5 === 0 ? { k: 'v,"x"' } : null,
          fields: ['a', 'b'],
          printed_other_case: i % 2 === 0,
        };
      }
    }
    const batches: number[] = [];
    const r = await bulkLoadQueryLog(h, gen(), { batchSize: 1200, onBatch: (n) => batches.push(n) });
    expect(r.rows).toBe(5000);
    expect(r.lastSeq).toBe(head + 5000);
    expect(batches).toEqual([1200, 2400, 3600, 4800, 5000]);
    const q = await h.db.selectFrom('query_log').select(['reason', 'conditions', 'fields', 'printed_other_case']).where('id', '=', 'bulk-0').executeTakeFirstOrThrow();
    expect(q).toEqual({ reason: 'with "quotes", commas\nand a newline', conditions: { k: 'v,"x"' }, fields: ['a', 'b'], printed_other_case: true });
    expect((await partitionsOf(h.db)).length).toBeGreaterThan(20);
    const report = await verifyQueryLog(h.db, { batchSize: 700 });
    expect(report.ok).toBe(true);
    expect(report.rows).toBe(r.lastSeq);
  });
});

describe('bulk loading next to other writers', () => {
  let t: TestDatabase;
  let h: OpenDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    h = await openDatabase({ url: t.url, migrate: true, poolSize: 6 });
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('re-chains a prepared batch when another writer moved the head, and stays verifiable', async () => {
    async function* slow() {
      for (let i = 0; i < 3000; i++) {
        if (i % 250 === 0) await new Promise((r) => setTimeout(r, 5));
        yield { id: `bulk-${i}`, institution_id: 'bank-001', at: new Date(Date.UTC(2026, 4, 1) + i * 60_000) };
      }
    }
    const appends = (async () => {
      for (let k = 0; k < 15; k++) {
        await appendQueryLog(h.db, rowsFor(3, 10_000 + k * 10, `side${k}`));
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    const [r] = await Promise.all([bulkLoadQueryLog(h, slow(), { batchSize: 200 }), appends]);
    expect(r.rows).toBe(3000);
    const n = await sql<{ n: number; m: number }>`select count(*) as n, max(seq) as m from query_log`.execute(h.db);
    expect(n.rows[0]).toEqual({ n: 3045, m: 3045 });
    const report = await verifyQueryLog(h.db, { batchSize: 500 });
    expect(report.ok).toBe(true);
    // bulk rows kept their order among themselves
    const ids = await sql<{ id: string }>`select id from query_log where id like 'bulk-%' order by seq`.execute(h.db);
    expect(ids.rows.map((x) => x.id)).toEqual(Array.from({ length: 3000 }, (_, i) => `bulk-${i}`));
    // ... and the other writer's rows landed between bulk batches (the re-chain path ran)
    const between = await sql<{ n: number }>`
      select count(*) as n from query_log
       where id like 'side%'
         and seq > (select min(seq) from query_log where id like 'bulk-%')
         and seq < (select max(seq) from query_log where id like 'bulk-%')`.execute(h.db);
    expect(between.rows[0]!.n).toBeGreaterThan(0);
  });

  it('reports rows inserted around the append path (duplicate seq, rows past the head)', async () => {
    const last = (await h.db.selectFrom('query_log_head').select(['last_seq', 'last_hash']).executeTakeFirstOrThrow());
    const [extra] = chainRows(last.last_seq, last.last_hash, [{ id: 'sneaky', institution_id: 'bank-001', at: '2026-05-02T00:00:00Z' }]);
    const [dup] = chainRows(9, GENESIS_HASH, [{ id: 'dup', institution_id: 'bank-001', at: '2026-05-03T00:00:00Z' }]);
    // INSERT is what the application role may do: these bypass appendQueryLog.
    for (const r of [extra!, { ...dup!, seq: 10 }]) {
      await h.db
        .insertInto('query_log')
        .values({ ...r, conditions: null, fields: JSON.stringify(r.fields) })
        .execute();
    }
    const report = await verifyQueryLog(h.db);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.kind, p.seq])).toEqual([
      ['duplicate', 10],
      ['head', last.last_seq + 1],
    ]);
  });
});

describe('bligate verify-log against tampered rows', () => {
  let t: TestDatabase;
  let h: OpenDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    h = await openDatabase({ url: t.url, migrate: true });
    await appendQueryLog(h.db, rowsFor(60, 0));
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  const tamper = async (...stmts: ReturnType<typeof sql>[]) => {
    await sql`alter table query_log disable trigger user`.execute(h.db);
    try {
      for (const s of stmts) await s.execute(h.db);
    } finally {
      await sql`alter table query_log enable trigger user`.execute(h.db);
    }
  };

  it('exits 0 on an intact log', async () => {
    const c = capture();
    expect(await verifyLog(['--db', t.url, '--batch', '7'], c.io)).toBe(0);
    expect(c.out.join('')).toMatch(/^verify-log: intact: 60 rows \(seq 1\.\.60\) in PostgreSQL 127\.0\.0\.1:\d+\/bligate_t_\w+\n$/);
    expect(c.err).toEqual([]);
  });

  it('reports a changed, a missing and reordered rows by seq; exit 1', async () => {
    await tamper(
      sql`update query_log set purpose = 'marketing' where seq = 5`, // changed
      sql`delete from query_log where seq in (20, 21)`, // missing
      // reordered: swap rows 30 and 31 (same month partition)
      sql`update query_log set seq = 999999 where seq = 31`,
      sql`update query_log set seq = 31 where seq = 30`,
      sql`update query_log set seq = 30 where seq = 999999`,
    );
    const c = capture();
    expect(await verifyLog(['--db', t.url, '--batch', '8'], c.io)).toBe(1);
    const out = c.out.join('');
    expect(out).toMatch(/^changed +seq 5: content does not match its hash/m);
    expect(out).toMatch(/^missing +seq 20\.\.21: 2 rows missing$/m);
    expect(out).toMatch(/^reordered +seq 30: belongs at seq 31/m);
    expect(out).toMatch(/^reordered +seq 31: belongs at seq 30/m);
    expect(out).toMatch(/NOT INTACT: 4 problems \(1 changed, 1 missing, 2 reordered\) in 58 rows \(seq 1\.\.60\)/);
    expect(out.split('\n').filter((l) => /^(changed|missing|reordered|broken|duplicate|head) /.test(l))).toHaveLength(4);

    const j = capture();
    expect(await verifyLog(['--db', t.url, '--format', 'json'], j.io)).toBe(1);
    const report = JSON.parse(j.out.join(''));
    expect(report.ok).toBe(false);
    expect(report.problems.map((p: { kind: string; seq: number }) => [p.kind, p.seq])).toEqual([
      ['changed', 5],
      ['missing', 20],
      ['reordered', 31],
      ['reordered', 30],
    ]);
  });

  it('reports a row rewritten together with its hash, and rows cut off the end', async () => {
    // Rewrite row 40 and recompute its own hash: it verifies alone, but row 41 no longer links.
    const r40 = await h.db.selectFrom('query_log').selectAll().where('seq', '=', 40).executeTakeFirstOrThrow();
    const forged = chainRows(39, r40.prev_hash, [{ ...rowsFor(60, 0)[39]!, purpose: 'forged' }])[0]!;
    expect(forged.row_hash).not.toBe(r40.row_hash);
    await tamper(
      sql`update query_log set purpose = 'forged', row_hash = ${forged.row_hash} where seq = 40`,
      sql`delete from query_log where seq in (59, 60)`,
    );
    const report = await verifyQueryLog(h.db);
    const kinds = report.problems.map((p) => [p.kind, p.seq, p.seqTo]);
    expect(kinds).toContainEqual(['broken', 41, undefined]);
    expect(kinds).toContainEqual(['missing', 59, 60]);
    expect(report.problems.find((p) => p.kind === 'broken')!.detail).toMatch(/seq 40 was rewritten together with its hash/);
    expect(rowHash(r40.prev_hash, { ...forged })).toBe(forged.row_hash);
  });
});

describe('unreachable database', () => {
  it('openDatabase: one clear line naming host and port', async () => {
    const srv = await import('node:net').then((net) => {
      const s = net.createServer();
      return new Promise<number>((res) => s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => res(port));
      }));
    });
    const err = await openDatabase({ url: `postgres://bligate:secret@127.0.0.1:${srv}/bligate` }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('DatabaseConnectionError');
    expect((err as Error).message).toBe(`cannot connect to PostgreSQL at 127.0.0.1:${srv}/bligate: connection refused (is PostgreSQL running there?)`);
    expect((err as Error).message).not.toContain('secret');

    const c = capture();
    expect(await verifyLog(['--db', `postgres://bligate:secret@127.0.0.1:${srv}/bligate`], c.io)).toBe(2);
    expect(c.out).toEqual([]);
    const text = c.err.join('');
    expect(text).toBe(`bligate: cannot connect to PostgreSQL at 127.0.0.1:${srv}/bligate: connection refused (is PostgreSQL running there?)\n`);
    expect(text.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('a database that does not exist, and a URL that is not one', async () => {
    const u = new URL((await import('../../test/setup/db.ts')).testDatabaseUrl());
    u.pathname = '/no_such_database_here';
    const c = capture();
    expect(await verifyLog(['--db', u.toString()], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/^bligate: cannot connect to PostgreSQL at 127\.0\.0\.1:\d+\/no_such_database_here: database "no_such_database_here" does not exist\n$/);
    const d = capture();
    expect(await verifyLog(['--db', 'mysql://x@y/z'], d.io)).toBe(2);
    expect(d.err.join('')).toMatch(/^bligate: not a PostgreSQL URL/);
  });
});
