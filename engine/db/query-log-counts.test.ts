// The query log's per-day counters (migration 0004: query_log_daily_counts, kept by a statement
// trigger with a transition table) on real PostgreSQL and on PGlite: appends, bulk loads (COPY
// on PostgreSQL), rolled-back and failed inserts, the backfill of an existing log, the
// application role, and the state collector's query_months / query_weeks built from the
// counters, compared with the GROUP BY over the whole log that they replace (the oracle below).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/setup/db.ts';
import { collectSmall, type AnyDB } from '../state/collect.ts';
import type { QueryLogInput } from './chain.ts';
import { openDatabase, type OpenDatabase } from './connect.ts';
import { migrateToLatest, migrator } from './migrate.ts';
import { appendQueryLog, bulkLoadQueryLog, ensureQueryLogPartition } from './querylog.ts';
import type { Database } from './types.ts';

type DB = Kysely<Database>;
interface Day {
  institution_id: string;
  day: string;
  records: number;
}

/** The counters as stored. */
async function counters(db: DB): Promise<Day[]> {
  return db.selectFrom('query_log_daily_counts').select(['institution_id', 'day', 'records']).orderBy('institution_id').orderBy('day').execute();
}

/** What the counters must hold: the log grouped by institution and Taipei day. */
async function dailyOracle(db: DB): Promise<Day[]> {
  const r = await sql<Day>`
    SELECT institution_id, (at AT TIME ZONE 'Asia/Taipei')::date AS day, count(*) AS records
      FROM query_log GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  return r.rows;
}

/** The collector's former SQL (a GROUP BY of the whole log), kept as the oracle. */
async function oldAggregates(db: DB, inst: string, asOf: Date) {
  const T = sql`${asOf.toISOString()}::timestamptz`;
  const months = await sql<{ month: string; records: number }>`
    SELECT to_char(at AT TIME ZONE 'Asia/Taipei', 'YYYY-MM') AS month, count(*)::int AS records
      FROM query_log WHERE institution_id = ${inst} AND at <= ${T} GROUP BY 1 ORDER BY 1`.execute(db);
  const weeks = await sql<{ week: string; records: number }>`
    SELECT to_char(at AT TIME ZONE 'Asia/Taipei', 'IYYY-"W"IW') AS week, count(*)::int AS records
      FROM query_log WHERE institution_id = ${inst} AND at <= ${T} GROUP BY 1 ORDER BY 1`.execute(db);
  return {
    query_months: months.rows.map((r) => ({ month: r.month, records: Number(r.records) })),
    query_weeks: weeks.rows.map((r) => ({ week: r.week, records: Number(r.records) })),
  };
}

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let serial = 0;
const row = (inst: string, at: string | Date, extra: Partial<QueryLogInput> = {}): QueryLogInput => ({
  id: `r-${++serial}`,
  institution_id: inst,
  at,
  account_id: 'a1',
  fields: ['name'],
  ...extra,
});

/** n rows at random instants (whole microseconds) between two instants, two institutions. */
function randomRows(n: number, from: string, to: string, seed: number): QueryLogInput[] {
  const rnd = prng(seed);
  const a = Date.parse(from);
  const span = Date.parse(to) - a;
  return Array.from({ length: n }, () => {
    const ms = a + Math.floor(rnd() * span);
    const us = String(Math.floor(rnd() * 1000)).padStart(3, '0');
    const at = new Date(ms).toISOString().replace('Z', `${us}Z`);
    return row(rnd() < 0.8 ? 'u1' : 'u2', at);
  });
}

/** Rows at the Taipei calendar's edges: midnights, year ends, an ISO week across two years. */
const EDGE_INSTANTS = [
  '2025-12-31T23:30:00+08:00', // Taipei December, ISO 2026-W01
  '2025-12-31T23:59:59.999999+08:00',
  '2026-01-01T00:00:00+08:00',
  '2026-01-01T00:00:00.000001+08:00',
  '2026-02-28T16:30:00Z', // 1 March 00:30 in Taipei
  '2026-06-15T00:00:00+08:00',
  '2026-06-15T08:00:00+08:00',
  '2026-06-15T12:34:56.789+08:00',
  '2026-06-15T12:34:56.790+08:00',
  '2026-06-15T23:59:59+08:00',
  '2026-06-15T23:59:59.5+08:00',
  '2026-06-16T00:00:00+08:00',
  '2026-12-28T09:00:00+08:00', // Monday of 2026-W53
  '2026-12-31T23:59:59+08:00',
  '2027-01-01T00:00:00+08:00', // still 2026-W53
  '2027-01-02T12:00:00+08:00',
  '2027-01-03T23:59:59+08:00', // Sunday: last day of 2026-W53
  '2027-01-04T00:00:00+08:00', // 2027-W01
  '1974-03-31T23:59:59+08:00', // Taipei's daylight saving time began at midnight on 1 April 1974
  '1974-04-01T01:00:00+09:00', // … the first instant of that day
];

const AS_OF = [
  '2024-01-01T00:00:00+08:00', // before every row of the 2020s
  '2025-06-01T00:00:00+08:00',
  '2025-12-31T23:59:59+08:00',
  '2025-12-31T23:59:59.999+08:00',
  '2026-01-01T00:00:00+08:00',
  '2026-01-01T00:00:00.001+08:00',
  '2026-03-01T00:29:59+08:00',
  '2026-06-15T00:00:00+08:00',
  '2026-06-15T12:34:56.789+08:00', // a row exactly at the instant
  '2026-06-15T23:59:59+08:00',
  '2026-06-15T23:59:59.999+08:00',
  '2026-06-16T00:00:00+08:00',
  '2026-09-09T09:09:09.009+08:00',
  '2027-01-01T00:00:00+08:00',
  '2027-01-02T12:00:00+08:00', // in the middle of an ISO week spanning 2026 and 2027
  '2027-01-03T23:59:59+08:00',
  '2027-01-04T00:00:00+08:00',
  '1974-04-01T01:30:00+09:00',
  '2030-01-01T00:00:00+08:00', // after every row
];

function suite(name: string, open: () => Promise<OpenDatabase>, cleanup: () => Promise<void>) {
  describe(`query-log day counters on ${name}`, () => {
    let h: OpenDatabase;
    beforeAll(async () => {
      h = await open();
      await h.db.insertInto('institutions').values([
        { id: 'u1', name: 'Unit One', role: 'user_unit' },
        { id: 'u2', name: 'Unit Two', role: 'user_unit' },
      ]).execute();
    }, 120_000);
    afterAll(async () => {
      await h?.close();
      await cleanup();
    });

    it('counts single-row appends by Taipei day', async () => {
      await appendQueryLog(h.db, [row('u1', '2026-06-15T23:59:59.999999+08:00')]);
      expect(await counters(h.db)).toEqual([{ institution_id: 'u1', day: '2026-06-15', records: 1 }]);
      await appendQueryLog(h.db, [row('u1', '2026-06-15T16:00:00Z')]); // 16 June 00:00 in Taipei
      await appendQueryLog(h.db, [row('u1', '2026-06-15T00:00:00+08:00')]);
      await appendQueryLog(h.db, [row('u2', '2026-06-15T12:00:00+08:00')]);
      expect(await counters(h.db)).toEqual([
        { institution_id: 'u1', day: '2026-06-15', records: 2 },
        { institution_id: 'u1', day: '2026-06-16', records: 1 },
        { institution_id: 'u2', day: '2026-06-15', records: 1 },
      ]);
      // several rows, days and institutions in one statement
      await appendQueryLog(h.db, [row('u1', '2026-06-15T01:00:00+08:00'), row('u2', '2026-06-15T02:00:00+08:00'), row('u2', '2026-07-01T00:00:00+08:00'), row('u1', '2026-06-15T03:00:00+08:00')]);
      expect(await counters(h.db)).toEqual([
        { institution_id: 'u1', day: '2026-06-15', records: 4 },
        { institution_id: 'u1', day: '2026-06-16', records: 1 },
        { institution_id: 'u2', day: '2026-06-15', records: 2 },
        { institution_id: 'u2', day: '2026-07-01', records: 1 },
      ]);
      expect(await counters(h.db)).toEqual(await dailyOracle(h.db));
    });

    it(`counts bulk loads (${name === 'PostgreSQL' ? 'COPY' : 'multi-row INSERT'})`, async () => {
      const before = (await counters(h.db)).reduce((s, d) => s + d.records, 0);
      const r = await bulkLoadQueryLog(h, randomRows(4000, '2025-01-01T00:00:00+08:00', '2027-02-01T00:00:00+08:00', 1), { batchSize: 700 });
      expect(r.rows).toBe(4000);
      const after = await counters(h.db);
      expect(after.reduce((s, d) => s + d.records, 0)).toBe(before + 4000);
      expect(after).toEqual(await dailyOracle(h.db));
    });

    it('a rolled-back or failed insert leaves the counts as they were', async () => {
      const before = await counters(h.db);
      // the caller's transaction rolls back after the append
      await expect(
        h.db.transaction().execute(async (trx: Transaction<Database>) => {
          await appendQueryLog(trx, [row('u1', '2026-06-15T10:00:00+08:00'), row('u1', '2031-01-01T10:00:00+08:00')]);
          expect((await counters(trx)).find((d) => d.day === '2031-01-01')).toEqual({ institution_id: 'u1', day: '2031-01-01', records: 1 });
          throw new Error('caller aborts');
        }),
      ).rejects.toThrow('caller aborts');
      expect(await counters(h.db)).toEqual(before);
      // a statement that fails in the database: its second row repeats a key of the log
      await expect(
        sql`INSERT INTO query_log (seq, id, institution_id, at, prev_hash, row_hash)
              SELECT 1000000, 'x', 'u1', at, prev_hash, row_hash FROM query_log WHERE seq = 1
              UNION ALL SELECT seq, id, institution_id, at, prev_hash, row_hash FROM query_log WHERE seq = 1`.execute(h.db),
      ).rejects.toThrow(/duplicate key/);
      expect(await counters(h.db)).toEqual(before);
      // a bulk load whose second batch the database refuses (a NUL character): the first batch stays
      const rows = randomRows(10, '2032-01-01T00:00:00+08:00', '2032-01-02T00:00:00+08:00', 2);
      rows[7] = { ...rows[7]!, reason: 'bad\u0000' };
      await expect(bulkLoadQueryLog(h, rows, { batchSize: 5 })).rejects.toThrow(/0x00|null character|invalid byte sequence/i);
      const now = await counters(h.db);
      expect(now.filter((d) => d.day.startsWith('2032')).reduce((s, d) => s + d.records, 0)).toBe(5);
      expect(now).toEqual(await dailyOracle(h.db));
    });

    it('query_months and query_weeks from the counters equal the GROUP BY over the whole log, at any instant', async () => {
      await appendQueryLog(h.db, EDGE_INSTANTS.map((at) => row('u1', at)));
      await appendQueryLog(h.db, EDGE_INSTANTS.slice(0, 6).map((at) => row('u2', at)));
      expect(await counters(h.db)).toEqual(await dailyOracle(h.db));
      const instants = [...AS_OF, ...EDGE_INSTANTS.filter((at) => !/\.\d{4}/.test(at))].map((s) => new Date(s));
      for (const asOf of instants) {
        for (const inst of ['u1', 'u2']) {
          const doc = await collectSmall(h.db as AnyDB, { asOf, institutionId: inst });
          const old = await oldAggregates(h.db, inst, asOf);
          expect({ query_months: doc.query_months, query_weeks: doc.query_weeks }, `${inst} as of ${asOf.toISOString()}`).toEqual(old);
        }
      }
      // the instants do cut where they should
      const mid = await collectSmall(h.db as AnyDB, { asOf: new Date('2027-01-02T12:00:00+08:00'), institutionId: 'u1' });
      const w53 = (mid.query_weeks as { week: string; records: number }[]).find((w) => w.week === '2026-W53');
      expect(w53!.records).toBeGreaterThanOrEqual(4); // 28 and 31 December, 1 and 2 January (edge rows)
      const empty = await collectSmall(h.db as AnyDB, { asOf: new Date('1970-01-01T00:00:00Z'), institutionId: 'u1' });
      expect(empty.query_months).toEqual([]);
      expect(empty.query_weeks).toEqual([]);
    });
  });
}

let pgMain: TestDatabase | undefined;
suite(
  'PostgreSQL',
  async () => {
    pgMain = await createTestDatabase('bligate_counts');
    return openDatabase({ url: pgMain.url, migrate: true });
  },
  async () => {
    await pgMain?.drop();
  },
);

let dir = '';
suite(
  'PGlite',
  async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bligate-counts-'));
    return openDatabase({ dataDir: dir, migrate: true });
  },
  async () => {
    rmSync(dir, { recursive: true, force: true });
  },
);

describe('query-log day counters: the trigger, the application role and concurrency (PostgreSQL)', () => {
  let t: TestDatabase;
  let h: OpenDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('bligate_counts');
    h = await openDatabase({ url: t.url, migrate: true, poolSize: 6 });
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('is a statement trigger with a transition table, its function SECURITY DEFINER with a pinned search_path', async () => {
    const trg = await sql<{ def: string }>`
      SELECT pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = 'query_log'::regclass AND tgname = 'query_log_count_days'`.execute(h.db);
    expect(trg.rows[0]!.def).toMatch(/AFTER INSERT ON public\.query_log REFERENCING NEW TABLE AS \w+ FOR EACH STATEMENT EXECUTE FUNCTION bligate_query_log_count\(\)/);
    const fn = await sql<{ prosecdef: boolean; proconfig: string[] }>`
      SELECT prosecdef, proconfig FROM pg_proc WHERE proname = 'bligate_query_log_count'`.execute(h.db);
    expect(fn.rows[0]!.prosecdef).toBe(true);
    expect(fn.rows[0]!.proconfig.some((c) => c.startsWith('search_path='))).toBe(true);
  });

  it('bligate_app keeps the counts by appending and by COPY, may read them and may not write them', async () => {
    const priv = await sql<{ p: string; ok: boolean }>`
      SELECT p, has_table_privilege('bligate_app', 'query_log_daily_counts', p) AS ok
        FROM unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p`.execute(h.db);
    expect(Object.fromEntries(priv.rows.map((r) => [r.p, r.ok]))).toEqual({ SELECT: true, INSERT: false, UPDATE: false, DELETE: false, TRUNCATE: false });

    const pool = new pg.Pool({ connectionString: t.url, max: 2 });
    pool.on('connect', (c) => void c.query('set role bligate_app'));
    const app = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    try {
      expect((await sql<{ u: string }>`select current_user as u`.execute(app)).rows[0]!.u).toBe('bligate_app');
      await appendQueryLog(app, [row('u1', '2026-03-01T09:00:00+08:00'), row('u1', '2026-03-01T10:00:00+08:00')]);
      const r = await bulkLoadQueryLog({ db: app, kind: 'postgres', pool }, randomRows(1500, '2026-02-01T00:00:00+08:00', '2026-05-01T00:00:00+08:00', 3), { batchSize: 400 });
      expect(r.rows).toBe(1500);
      // (this pool has pg's default parsers: sum as int)
      const seen = await sql<{ n: number }>`SELECT sum(records)::int AS n FROM query_log_daily_counts`.execute(app);
      expect(seen.rows[0]!.n).toBe(1502);
      expect(await counters(h.db)).toEqual(await dailyOracle(h.db));
      for (const stmt of [
        sql`INSERT INTO query_log_daily_counts VALUES ('u1', '2026-01-01', 1)`,
        sql`UPDATE query_log_daily_counts SET records = records + 1`,
        sql`DELETE FROM query_log_daily_counts`,
        sql`TRUNCATE query_log_daily_counts`,
      ]) {
        await expect(stmt.execute(app)).rejects.toThrow(/permission denied/);
      }
    } finally {
      await app.destroy();
    }
  });

  it('a COPY rolled back, or refused midway, adds nothing', async () => {
    const before = await counters(h.db);
    const head = await h.db.selectFrom('query_log').select(['seq', 'at', 'prev_hash', 'row_hash']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    const line = (seq: number) => `${seq},"c-${seq}","u1",2026-04-02T00:00:00+08:00,,,,,,,,,,,"[]",,,,${head.prev_hash},${head.row_hash}\n`;
    await ensureQueryLogPartition(h.db, '2026-04-02T00:00:00+08:00');
    const client = await h.pool!.connect();
    try {
      await client.query('BEGIN');
      await pipeline(Readable.from([line(900_001) + line(900_002)]), client.query(copyFrom('COPY query_log (seq, id, institution_id, at, account_id, staff_id, ip, op_code, conditions, case_no, reason, purpose, consent_id, request_id, fields, destination_country, printed_other_case, modified_data, prev_hash, row_hash) FROM STDIN WITH (FORMAT csv)')));
      const inside = await client.query<{ records: string }>(`SELECT records FROM query_log_daily_counts WHERE institution_id = 'u1' AND day = '2026-04-02'`);
      expect(Number(inside.rows[0]!.records)).toBe((before.find((d) => d.institution_id === 'u1' && d.day === '2026-04-02')?.records ?? 0) + 2);
      await client.query('ROLLBACK');
      // refused midway: seq 0 breaks a CHECK on the third line
      await expect(
        pipeline(Readable.from([line(900_003) + line(900_004) + line(0)]), client.query(copyFrom('COPY query_log (seq, id, institution_id, at, account_id, staff_id, ip, op_code, conditions, case_no, reason, purpose, consent_id, request_id, fields, destination_country, printed_other_case, modified_data, prev_hash, row_hash) FROM STDIN WITH (FORMAT csv)'))),
      ).rejects.toThrow(/check constraint/);
    } finally {
      client.release();
    }
    expect(await counters(h.db)).toEqual(before);
  });

  it('stays exact under concurrent appenders', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, k) => appendQueryLog(h.db, randomRows(25, '2026-04-01T00:00:00+08:00', '2026-04-03T00:00:00+08:00', 100 + k))));
    expect(await counters(h.db)).toEqual(await dailyOracle(h.db));
  });
});

/** Migrates to 0003, writes rows, then migrates to the latest: the counters start from the log. */
async function backfillScenario(h: OpenDatabase): Promise<void> {
  const { error } = await migrator(h.db).migrateTo('0003_schema_additions');
  expect(error).toBeUndefined();
  expect((await sql<{ t: string | null }>`SELECT to_regclass('query_log_daily_counts')::text AS t`.execute(h.db)).rows[0]!.t).toBeNull();
  await appendQueryLog(h.db, EDGE_INSTANTS.map((at) => row('u1', at)));
  await bulkLoadQueryLog(h, randomRows(2000, '2025-06-01T00:00:00+08:00', '2026-09-01T00:00:00+08:00', 4), { batchSize: 600 });
  expect(await migrateToLatest(h.db)).toEqual(['0004_query_log_counts']);
  const backfilled = await counters(h.db);
  expect(backfilled.reduce((s, d) => s + d.records, 0)).toBe(EDGE_INSTANTS.length + 2000);
  expect(backfilled).toEqual(await dailyOracle(h.db));
  // … and the trigger carries on from there
  await appendQueryLog(h.db, [row('u1', '2026-06-15T12:00:00+08:00'), row('u3', '2026-06-15T12:00:00+08:00')]);
  expect(await counters(h.db)).toEqual(await dailyOracle(h.db));
}

describe('query-log day counters: backfill of an existing log', () => {
  it('on PostgreSQL', async () => {
    const t = await createTestDatabase('bligate_counts');
    const h = await openDatabase({ url: t.url });
    try {
      await backfillScenario(h);
    } finally {
      await h.close();
      await t.drop();
    }
  });

  it('on PGlite', async () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'bligate-counts-backfill-'));
    const h = await openDatabase({ dataDir: d });
    try {
      await backfillScenario(h);
    } finally {
      await h.close();
      rmSync(d, { recursive: true, force: true });
    }
  }, 120_000);
});
