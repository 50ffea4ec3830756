// Seeds the demo data set (generate.ts) into a migrated database: the small tables with
// multi-row INSERTs, the query log through the db layer's bulk path (hash chain included), then
// the rows that point into the log by sequence number (sample records, log deletions).

import { sql } from 'kysely';
import type { OpenDatabase } from '../db/connect.ts';
import { bulkLoadQueryLog } from '../db/querylog.ts';
import type { AnyDB } from '../state/collect.ts';
import { generateDemo, type DemoData, type GenerateOptions } from './generate.ts';

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

/** Seeds the demo into an empty, migrated database. */
export async function seedDemo(handle: Pick<OpenDatabase, 'db' | 'kind' | 'pool'>, opts: GenerateOptions & { progress?: (done: number, total: number) => void } = {}): Promise<SeedResult> {
  const db = handle.db as AnyDB;
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

  let loaded = 0;
  await bulkLoadQueryLog(handle, data.queryLog, {
    onBatch: (n) => {
      tick(n - loaded);
      loaded = n;
    },
  });

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
