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

/** A CSV field for COPY: NULL is an unquoted empty field, every string is quoted. */
const csvText = (v: string | null): string => (v === null ? '' : v.indexOf('"') === -1 ? '"' + v + '"' : '"' + v.replace(/"/g, '""') + '"');
const csvBool = (v: boolean | null): string => (v === null ? '' : v ? 't' : 'f');

/** One CSV line in COLUMNS order. */
function csvLine(r: ChainedRow): string {
  return (
    r.seq + ',' + csvText(r.id) + ',' + csvText(r.institution_id) + ',' + r.at + ',' + csvText(r.account_id) + ',' +
    csvText(r.staff_id) + ',' + csvText(r.ip) + ',' + csvText(r.op_code) + ',' +
    csvText(r.conditions === null ? null : JSON.stringify(r.conditions)) + ',' + csvText(r.case_no) + ',' +
    csvText(r.reason) + ',' + csvText(r.purpose) + ',' + csvText(r.consent_id) + ',' + csvText(r.request_id) + ',' +
    csvText(JSON.stringify(r.fields)) + ',' + csvText(r.destination_country) + ',' + csvBool(r.printed_other_case) + ',' +
    csvBool(r.modified_data) + ',' + r.prev_hash + ',' + r.row_hash + '\n'
  );
}

/** A batch prepared ahead of its transaction: chained after `after`, its CSV built. */
interface Prepared {
  after: { seq: number; hash: string };
  chained: ChainedRow[];
  csv: string | null;
}

function prepare(after: { seq: number; hash: string }, rows: readonly QueryLogInput[], withCsv: boolean): Prepared {
  const chained = chainRows(after.seq, after.hash, rows);
  let csv: string | null = null;
  if (withCsv) {
    const parts: string[] = new Array(chained.length);
    for (let i = 0; i < chained.length; i++) parts[i] = csvLine(chained[i]!);
    csv = parts.join('');
  }
  return { after, chained, csv };
}

async function copyCsv(client: pg.PoolClient, csv: string): Promise<void> {
  const stream = client.query(copyFrom(`COPY query_log (${COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
  // One write: the socket drains it in the background while the next batch is prepared.
  await pipeline(Readable.from([csv]), stream);
}

/**
 * Loads many rows (benchmarks, imports): batches of `batchSize`, each its own transaction holding
 * the chain head, the chain computed in TypeScript, rows sent by COPY (PostgreSQL) or multi-row
 * INSERT (PGlite). Rows are appended in the order given.
 *
 * On PostgreSQL the next batch is chained and encoded while the previous one is being copied,
 * optimistically after the head that batch will leave; if another writer moved the head in
 * between, the batch is chained again under the lock, so the result is the same as appending
 * one batch after the other.
 */
export async function bulkLoadQueryLog(
  handle: Pick<OpenDatabase, 'db' | 'kind' | 'pool'>,
  rows: Iterable<QueryLogInput> | AsyncIterable<QueryLogInput>,
  opts: BulkLoadOptions = {},
): Promise<{ rows: number; lastSeq: number; lastHash: string }> {
  const batchSize = opts.batchSize ?? 20_000;
  const useCopy = (opts.copy ?? true) && handle.kind === 'postgres' && handle.pool !== undefined;
  const known = new Set<string>();
  const readHead = async () => {
    const h = await handle.db.selectFrom('query_log_head').select(['last_seq', 'last_hash']).executeTakeFirstOrThrow();
    return { seq: h.last_seq, hash: h.last_hash };
  };
  let head = await readHead();
  let loaded = 0;

  const commitCopy = async (p: Prepared, inputs: readonly QueryLogInput[]): Promise<void> => {
    const client = await handle.pool!.connect();
    try {
      await client.query('BEGIN');
      const h = await client.query<{ last_seq: string | number; last_hash: string }>(
        'SELECT last_seq, last_hash FROM query_log_head WHERE singleton FOR UPDATE',
      );
      const now = { seq: Number(h.rows[0]!.last_seq), hash: h.rows[0]!.last_hash };
      if (now.seq !== p.after.seq || now.hash !== p.after.hash) p = prepare(now, inputs, true); // someone else appended
      const months = new Map<string, string>();
      for (const r of p.chained) {
        const m = taipeiMonth(r.at);
        if (!known.has(m) && !months.has(m)) months.set(m, r.at);
      }
      for (const at of months.values()) await client.query('SELECT bligate_query_log_partition($1::timestamptz)', [at]);
      await copyCsv(client, p.csv!);
      const last = p.chained[p.chained.length - 1]!;
      await client.query('UPDATE query_log_head SET last_seq = $1, last_hash = $2, updated_at = now() WHERE singleton', [last.seq, last.row_hash]);
      await client.query('COMMIT');
      for (const m of months.keys()) known.add(m);
      head = { seq: last.seq, hash: last.row_hash };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
    loaded += p.chained.length;
    opts.onBatch?.(loaded, head.seq);
  };

  let inFlight: Promise<void> | null = null;
  let predicted = head;
  const flush = async (batch: QueryLogInput[]) => {
    if (batch.length === 0) return;
    if (useCopy) {
      const p = prepare(predicted, batch, true); // overlaps with the COPY in flight
      const last = p.chained[p.chained.length - 1]!;
      predicted = { seq: last.seq, hash: last.row_hash };
      if (inFlight) await inFlight;
      inFlight = commitCopy(p, batch);
      // a failure surfaces at the next await of inFlight; keep it from being "unhandled" meanwhile
      inFlight.catch(() => undefined);
    } else {
      const r = await handle.db.transaction().execute((trx) => appendIn(trx, batch, known));
      head = { seq: r.lastSeq, hash: r.lastHash };
      loaded += batch.length;
      opts.onBatch?.(loaded, head.seq);
    }
  };

  let batch: QueryLogInput[] = [];
  for await (const r of rows as AsyncIterable<QueryLogInput>) {
    batch.push(r);
    if (batch.length >= batchSize) {
      await flush(batch);
      batch = [];
    }
  }
  await flush(batch);
  if (inFlight) await inFlight;
  return { rows: loaded, lastSeq: head.seq, lastHash: head.hash };
}
