// Seeds the demo data set (generate.ts) into a migrated database: the small tables with
// multi-row INSERTs, the query log through the db layer's bulk path (hash chain included), then
// the rows that point into the log by sequence number (sample records, log deletions).

import { sql } from 'kysely';
import type { AnyDB } from '../state/collect.ts';
import { generateDemo, type DemoData, type GenerateOptions, type QueryLogRow } from './generate.ts';

export interface SeedResult {
  data: DemoData;
  rows: number;
  queries: number;
}

/** True when the database holds no institution (a fresh, migrated database). */
export async function isEmpty(db: AnyDB): Promise<boolean> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM institutions`.execute(db);
  return Number(r.rows[0]?.n ?? 0) === 0;
}

function chunkSize(row: Record<string, unknown>): number {
  // Stay well under PostgreSQL's 65,535 bind parameters.
  return Math.max(1, Math.min(2000, Math.floor(30_000 / Math.max(1, Object.keys(row).length))));
}

function dbValue(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) return JSON.stringify(v);
  return v;
}

async function insertAll(db: AnyDB, table: string, rows: Record<string, unknown>[], progress?: (n: number) => void): Promise<void> {
  if (rows.length === 0) return;
  const size = chunkSize(rows[0]);
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, dbValue(v)])));
    await db.insertInto(table).values(chunk).execute();
    progress?.(chunk.length);
  }
}

const QUERYLOG_MODULE = '../db/querylog.ts';

// Until engine/db/querylog.ts exists: chained inserts with a provisional canonical form.
async function fallbackLoad(db: AnyDB, batches: AsyncIterable<Record<string, unknown>[]> | Iterable<Record<string, unknown>[]>): Promise<void> {
  const { createHash } = await import('node:crypto');
  const head = await sql<{ last_seq: number; last_hash: string }>`SELECT last_seq, last_hash FROM query_log_head FOR UPDATE`.execute(db);
  let seq = Number(head.rows[0].last_seq);
  let prev = head.rows[0].last_hash;
  const months = new Set<string>();
  for await (const batch of batches as AsyncIterable<Record<string, unknown>[]>) {
    for (const r of batch) {
      const m = new Date((r.at as Date).getTime() + 8 * 3600_000).toISOString().slice(0, 7);
      if (!months.has(m)) {
        months.add(m);
        await sql`SELECT bligate_query_log_partition(${(r.at as Date).toISOString()}::timestamptz)`.execute(db);
      }
    }
    const rows = batch.map((r) => {
      seq++;
      const row: Record<string, unknown> = { seq, ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, dbValue(v)])) };
      row.prev_hash = prev;
      row.row_hash = prev = createHash('sha256').update(prev).update(JSON.stringify(row)).digest('hex');
      return row;
    });
    for (let i = 0; i < rows.length; i += 1000) await db.insertInto('query_log').values(rows.slice(i, i + 1000)).execute();
  }
  await sql`UPDATE query_log_head SET last_seq = ${seq}, last_hash = ${prev}`.execute(db);
}

type BulkLoader = (db: AnyDB, rows: AsyncIterable<Record<string, unknown>[]> | Iterable<Record<string, unknown>[]>) => Promise<unknown>;

/** The db layer's bulk path for the log (engine/db/querylog.ts). */
async function bulkLoader(): Promise<BulkLoader> {
  let mod: Record<string, unknown> = {};
  try {
    mod = (await import(QUERYLOG_MODULE)) as Record<string, unknown>;
  } catch {
    // not there yet: fallback below
  }
  const f = (mod.bulkLoadQueryLog ?? mod.bulkAppendQueryLog) as ((db: AnyDB, rows: unknown, ...rest: unknown[]) => Promise<unknown>) | undefined;
  if (typeof f !== 'function') return fallbackLoad;
  return async (db, batches) => {
    const all: Record<string, unknown>[] = [];
    for await (const b of batches as AsyncIterable<Record<string, unknown>[]>) all.push(...b);
    await f(db, all);
  };
}

function* logBatches(rows: QueryLogRow[], size = 10_000): Generator<Record<string, unknown>[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size) as unknown as Record<string, unknown>[];
}

/** Seeds the demo into an empty, migrated database. */
export async function seedDemo(db: AnyDB, opts: GenerateOptions & { progress?: (done: number, total: number) => void } = {}): Promise<SeedResult> {
  const data = generateDemo(opts);
  let total = data.queryLog.length;
  for (const rows of data.tables.values()) total += rows.length;
  let done = 0;
  const tick = (n: number) => {
    done += n;
    opts.progress?.(done, total);
  };
  for (const [table, rows] of data.tables) {
    if (table === 'query_requests' || table === 'query_approvals') continue;
    await insertAll(db, table, rows, tick);
  }
  await insertAll(db, 'query_requests', data.tables.get('query_requests') ?? [], tick);
  await insertAll(db, 'query_approvals', data.tables.get('query_approvals') ?? [], tick);

  const load = await bulkLoader();
  await load(db, logBatches(data.queryLog));
  tick(data.queryLog.length);

  // Rows that point into the log: by sequence number, read back from the loaded log.
  for (const [sampleId, s] of data.samples) {
    await sql`INSERT INTO sample_records (sample_id, query_seq, query_id, query_at, staff_id, outcome, checked_at)
              SELECT ${sampleId}, q.seq, q.id, q.at, q.staff_id, 'ok', ${s.checkedAt.toISOString()}::timestamptz
                FROM query_log q
               WHERE q.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(s.ids)}::jsonb))`.execute(db);
  }
  for (const d of data.logDeletions) {
    await sql`INSERT INTO query_log_deletions (query_seq, query_id, query_at, deleted_at, deleted_by, reason)
              SELECT q.seq, q.id, q.at, ${d.deleted_at.toISOString()}::timestamptz, ${d.deleted_by}, ${d.reason}
                FROM query_log q WHERE q.id = ${d.query_id}`.execute(db);
  }
  return { data, rows: total, queries: data.queryLog.length };
}

/** Removes every bligate table and function (for `bligate demo --reset` on PostgreSQL). */
export async function dropEverything(db: AnyDB): Promise<void> {
  await sql`DROP SCHEMA public CASCADE`.execute(db);
  await sql`CREATE SCHEMA public`.execute(db);
}
