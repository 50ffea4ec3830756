// Writing the query log: the only code that assigns seq and hashes (engine/db/chain.ts).
//
// Concurrency: every append runs in a transaction that first locks the single row of
// query_log_head (SELECT … FOR UPDATE). Concurrent appenders therefore queue there; each reads
// the head after the previous one committed, so seq is gapless and in commit order, and a failed
// append rolls back its rows together with the head. Partitions for the rows' months are created
// (bligate_query_log_partition) inside the same transaction, before the insert.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql, type Kysely, type Transaction } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { chainRows, taipeiMonth, type ChainedRow, type QueryLogInput } from './chain.ts';
import type { OpenDatabase } from './connect.ts';
import type { Database } from './types.ts';

export interface AppendResult {
  /** seq of the first and last row appended (first > last when nothing was appended). */
  firstSeq: number;
  lastSeq: number;
  lastHash: string;
}

const INSERT_CHUNK = 1000;
const COLUMNS = [
  'seq', 'id', 'institution_id', 'at', 'account_id', 'staff_id', 'ip', 'op_code', 'conditions', 'case_no', 'reason',
  'purpose', 'consent_id', 'request_id', 'fields', 'destination_country', 'printed_other_case', 'modified_data',
  'prev_hash', 'row_hash',
] as const;

/** Creates the partitions holding these instants (canonical form), one call per month. */
async function ensurePartitionsFor(trx: Kysely<Database>, rows: readonly ChainedRow[], known?: Set<string>): Promise<void> {
  const months = new Map<string, string>();
  for (const r of rows) {
    const m = taipeiMonth(r.at);
    if (!months.has(m) && !known?.has(m)) months.set(m, r.at);
  }
  for (const [m, at] of months) {
    await sql`select bligate_query_log_partition(${at}::timestamptz)`.execute(trx);
    known?.add(m);
  }
}

/** Creates (if needed) the partition for the month of `at`; returns its name. */
export async function ensureQueryLogPartition(db: Kysely<Database>, at: Date | string): Promise<string> {
  const r = await sql<{ p: string }>`select bligate_query_log_partition(${at instanceof Date ? at.toISOString() : at}::timestamptz) as p`.execute(db);
  return r.rows[0]!.p;
}

async function lockHead(trx: Kysely<Database>): Promise<{ last_seq: number; last_hash: string }> {
  return trx.selectFrom('query_log_head').select(['last_seq', 'last_hash']).where('singleton', '=', true).forUpdate().executeTakeFirstOrThrow();
}

async function advanceHead(trx: Kysely<Database>, last: ChainedRow): Promise<void> {
  await trx
    .updateTable('query_log_head')
    .set({ last_seq: last.seq, last_hash: last.row_hash, updated_at: sql<Date>`now()` })
    .where('singleton', '=', true)
    .execute();
}

function toInsert(r: ChainedRow) {
  return {
    seq: r.seq,
    id: r.id,
    institution_id: r.institution_id,
    at: r.at,
    account_id: r.account_id,
    staff_id: r.staff_id,
    ip: r.ip,
    op_code: r.op_code,
    conditions: r.conditions === null ? null : JSON.stringify(r.conditions),
    case_no: r.case_no,
    reason: r.reason,
    purpose: r.purpose,
    consent_id: r.consent_id,
    request_id: r.request_id,
    fields: JSON.stringify(r.fields),
    destination_country: r.destination_country,
    printed_other_case: r.printed_other_case,
    modified_data: r.modified_data,
    prev_hash: r.prev_hash,
    row_hash: r.row_hash,
  };
}

async function appendIn(trx: Kysely<Database>, rows: readonly QueryLogInput[], known?: Set<string>): Promise<AppendResult> {
  const head = await lockHead(trx);
  if (rows.length === 0) return { firstSeq: head.last_seq + 1, lastSeq: head.last_seq, lastHash: head.last_hash };
  const chained = chainRows(head.last_seq, head.last_hash, rows);
  await ensurePartitionsFor(trx, chained, known);
  for (let i = 0; i < chained.length; i += INSERT_CHUNK) {
    await trx.insertInto('query_log').values(chained.slice(i, i + INSERT_CHUNK).map(toInsert)).execute();
  }
  const last = chained[chained.length - 1]!;
  await advanceHead(trx, last);
  return { firstSeq: chained[0]!.seq, lastSeq: last.seq, lastHash: last.row_hash };
}

/**
 * Appends rows to the query log in one transaction (or in the caller's, when `db` is a
 * Transaction): locks the chain head, assigns seq, hashes, creates partitions, inserts, advances
 * the head. Safe under concurrency (appenders queue on the head's row lock).
 */
export async function appendQueryLog(db: Kysely<Database>, rows: readonly QueryLogInput[]): Promise<AppendResult> {
  if (db.isTransaction) return appendIn(db, rows);
  return db.transaction().execute((trx: Transaction<Database>) => appendIn(trx, rows));
}

// ---- bulk loading -----------------------------------------------------------------------------

export interface BulkLoadOptions {
  /** Rows per transaction (default 20,000). */
  batchSize?: number;
  /** Use COPY on PostgreSQL (default true); multi-row INSERT otherwise and on PGlite. */
  copy?: boolean;
  onBatch?(loaded: number, lastSeq: number): void;
}

function csvField(v: string | number | boolean | null): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  return `"${v.replace(/"/g, '""')}"`;
}

function csvLine(r: ChainedRow): string {
  const x = toInsert(r);
  return COLUMNS.map((c) => csvField(x[c] as string | number | boolean | null)).join(',') + '\n';
}

async function copyBatch(client: pg.PoolClient, chained: readonly ChainedRow[]): Promise<void> {
  const stream = client.query(copyFrom(`COPY query_log (${COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
  const CHUNK = 500;
  async function* lines() {
    for (let i = 0; i < chained.length; i += CHUNK) {
      let s = '';
      for (const r of chained.slice(i, i + CHUNK)) s += csvLine(r);
      yield s;
    }
  }
  await pipeline(Readable.from(lines()), stream);
}

/**
 * Loads many rows (benchmarks, imports): batches of `batchSize`, each its own transaction holding
 * the chain head, the chain computed in TypeScript, rows sent by COPY (PostgreSQL) or multi-row
 * INSERT (PGlite). Rows are appended in the order given.
 */
export async function bulkLoadQueryLog(
  handle: Pick<OpenDatabase, 'db' | 'kind' | 'pool'>,
  rows: Iterable<QueryLogInput> | AsyncIterable<QueryLogInput>,
  opts: BulkLoadOptions = {},
): Promise<{ rows: number; lastSeq: number; lastHash: string }> {
  const batchSize = opts.batchSize ?? 20_000;
  const useCopy = (opts.copy ?? true) && handle.kind === 'postgres' && handle.pool !== undefined;
  const known = new Set<string>();
  let loaded = 0;
  let lastSeq = 0;
  let lastHash = '';
  let batch: QueryLogInput[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    const b = batch;
    batch = [];
    if (useCopy) {
      const client = await handle.pool!.connect();
      try {
        await client.query('BEGIN');
        const h = await client.query<{ last_seq: string | number; last_hash: string }>(
          'SELECT last_seq, last_hash FROM query_log_head WHERE singleton FOR UPDATE',
        );
        const chained = chainRows(Number(h.rows[0]!.last_seq), h.rows[0]!.last_hash, b);
        const months = new Map<string, string>();
        for (const r of chained) {
          const m = taipeiMonth(r.at);
          if (!known.has(m) && !months.has(m)) months.set(m, r.at);
        }
        for (const at of months.values()) await client.query('SELECT bligate_query_log_partition($1::timestamptz)', [at]);
        await copyBatch(client, chained);
        const last = chained[chained.length - 1]!;
        await client.query('UPDATE query_log_head SET last_seq = $1, last_hash = $2, updated_at = now() WHERE singleton', [last.seq, last.row_hash]);
        await client.query('COMMIT');
        for (const m of months.keys()) known.add(m);
        lastSeq = last.seq;
        lastHash = last.row_hash;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    } else {
      const r = await handle.db.transaction().execute((trx) => appendIn(trx, b, known));
      lastSeq = r.lastSeq;
      lastHash = r.lastHash;
    }
    loaded += b.length;
    opts.onBatch?.(loaded, lastSeq);
  };

  for await (const r of rows as AsyncIterable<QueryLogInput>) {
    batch.push(r);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  if (loaded === 0) {
    const h = await handle.db.selectFrom('query_log_head').select(['last_seq', 'last_hash']).executeTakeFirstOrThrow();
    lastSeq = h.last_seq;
    lastHash = h.last_hash;
  }
  return { rows: loaded, lastSeq, lastHash };
}
