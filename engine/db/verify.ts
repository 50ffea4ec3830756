// Verifying the query log's hash chain (bligate verify-log).
//
// The log is read in (seq, at) order in keyset-paginated batches (never the whole table in
// memory); each row's hash is recomputed from its stored content and stored prev_hash
// (engine/db/chain.ts), and its link to the row before it is checked. Reported, each with seq:
//
//   changed    the row's content no longer hashes to its row_hash
//   missing    a gap in seq (rows deleted), or rows missing at the end (the chain head says more)
//   reordered  an intact row stands at the wrong seq: following the prev_hash links it belongs
//              elsewhere (e.g. two rows whose seq were swapped)
//   duplicate  a second row with a seq already seen
//   broken     a row links to a hash no row has, with no gap to explain it (the row before it was
//              rewritten together with its hash, or rows were removed and the rest renumbered)
//   head       the chain head (query_log_head) disagrees with the last row
//
// Reordering is found with a window of recent rows (hash → chain position), so rows moved by
// more than WINDOW positions are reported as broken/missing instead.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { GENESIS_HASH, rowHash, type CanonicalRow } from './chain.ts';
import type { Database, JsonValue } from './types.ts';

export type ProblemKind = 'changed' | 'missing' | 'reordered' | 'duplicate' | 'broken' | 'head';

export interface Problem {
  kind: ProblemKind;
  seq: number;
  /** Last seq of a range (missing rows). */
  seqTo?: number;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  rows: number;
  firstSeq: number | null;
  lastSeq: number | null;
  head: { last_seq: number; last_hash: string } | null;
  counts: Record<ProblemKind, number>;
  /** The first `maxProblems` problems, in seq order of discovery. */
  problems: Problem[];
  truncated: boolean;
}

export interface VerifyOptions {
  batchSize?: number;
  maxProblems?: number;
  window?: number;
  onProblem?(p: Problem): void;
  onProgress?(rows: number, lastSeq: number): void;
}

interface StoredRow {
  seq: number;
  id: string;
  institution_id: string;
  at_c: string;
  account_id: string | null;
  staff_id: string | null;
  ip: string | null;
  op_code: string | null;
  conditions: { [k: string]: JsonValue } | null;
  case_no: string | null;
  reason: string | null;
  purpose: string | null;
  consent_id: string | null;
  request_id: string | null;
  fields: string[] | null;
  destination_country: string | null;
  printed_other_case: boolean | null;
  modified_data: boolean | null;
  prev_hash: string;
  row_hash: string;
}

function canonicalOf(r: StoredRow): CanonicalRow {
  return {
    id: r.id,
    institution_id: r.institution_id,
    at: r.at_c,
    account_id: r.account_id,
    staff_id: r.staff_id,
    ip: r.ip,
    op_code: r.op_code,
    conditions: r.conditions,
    case_no: r.case_no,
    reason: r.reason,
    purpose: r.purpose,
    consent_id: r.consent_id,
    request_id: r.request_id,
    fields: r.fields ?? [],
    destination_country: r.destination_country,
    printed_other_case: r.printed_other_case,
    modified_data: r.modified_data,
  };
}

const short = (h: string) => h.slice(0, 12);

function fetchPage(db: Kysely<Database>, after: { seq: number; at: string } | null, batchSize: number): Promise<StoredRow[]> {
  const cond: RawBuilder<unknown> = after === null ? sql`true` : sql`(seq, at) > (${after.seq}, ${after.at}::timestamptz)`;
  return sql<StoredRow>`
      select seq, id, institution_id,
             to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_c,
             account_id, staff_id, ip, op_code, conditions, case_no, reason, purpose, consent_id,
             request_id, fields, destination_country, printed_other_case, modified_data,
             prev_hash, row_hash
        from query_log
       where ${cond}
       order by seq, at
       limit ${batchSize}`
    .execute(db)
    .then((r) => r.rows);
}

/** Pages of the log in (seq, at) order; the next page is fetched while the caller checks this one. */
async function* readLog(db: Kysely<Database>, batchSize: number): AsyncGenerator<StoredRow[]> {
  let next: Promise<StoredRow[]> | null = fetchPage(db, null, batchSize);
  while (next !== null) {
    const rows: StoredRow[] = await next;
    if (rows.length === 0) return;
    for (const r of rows) r.seq = Number(r.seq);
    const last: StoredRow = rows[rows.length - 1]!;
    next = rows.length < batchSize ? null : fetchPage(db, { seq: last.seq, at: last.at_c }, batchSize);
    next?.catch(() => undefined); // surfaces at its await
    yield rows;
  }
}

/**
 * A map that forgets its oldest keys beyond `limit` (a ring of keys; deleting from the front of
 * a Map and asking for its first key again is slow in V8, since deleted entries are skipped).
 */
class Window<V> {
  readonly #map = new Map<string, V>();
  readonly #ring: (string | undefined)[];
  #next = 0;
  constructor(limit: number) {
    this.#ring = new Array(Math.max(1, limit));
  }
  get(k: string): V | undefined {
    return this.#map.get(k);
  }
  delete(k: string): void {
    this.#map.delete(k); // its ring slot stays; evicting a missing key is harmless
  }
  set(k: string, v: V): void {
    if (!this.#map.has(k)) {
      const old = this.#ring[this.#next];
      if (old !== undefined && old !== k) this.#map.delete(old);
      this.#ring[this.#next] = k;
      this.#next = (this.#next + 1) % this.#ring.length;
    }
    this.#map.set(k, v);
  }
  values(): IterableIterator<V> {
    return this.#map.values();
  }
}

interface Pending {
  seq: number;
  hash: string;
  prevSeq: number | null;
  afterGap: boolean;
}

export async function verifyQueryLog(db: Kysely<Database>, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const batchSize = opts.batchSize ?? 5000;
  const maxProblems = opts.maxProblems ?? 1000;
  const windowSize = opts.window ?? 100_000;
  const counts: Record<ProblemKind, number> = { changed: 0, missing: 0, reordered: 0, duplicate: 0, broken: 0, head: 0 };
  const problems: Problem[] = [];
  const report = (p: Problem) => {
    counts[p.kind]++;
    if (problems.length < maxProblems) problems.push(p);
    opts.onProblem?.(p);
  };

  // hash → {seq where it is stored, its position in the chain}
  const recent = new Window<{ seq: number; pos: number }>(windowSize);
  // prev_hash wanted → rows waiting for it (their predecessor not seen yet)
  const pending = new Window<Pending[]>(windowSize);
  const reordered = new Set<number>();
  const reportReordered = (seq: number, pos: number, detail: string) => {
    if (reordered.has(seq)) return;
    reordered.add(seq);
    report({ kind: 'reordered', seq, detail: `belongs at seq ${pos}: ${detail}` });
  };

  let rows = 0;
  let firstSeq: number | null = null;
  let prev: { seq: number; hash: string; ok: boolean } | null = null;
  let expected = 1;

  // Chain positions settle when a waiting row's predecessor shows up (possibly cascading).
  const settle = (hash: string, pos: number, seqOfHash: number) => {
    const stack: Array<{ hash: string; pos: number; seq: number }> = [{ hash, pos, seq: seqOfHash }];
    while (stack.length > 0) {
      const cur = stack.pop()!;
      const waiting = pending.get(cur.hash);
      if (!waiting) continue;
      pending.delete(cur.hash);
      for (const w of waiting) {
        const wpos = cur.pos + 1;
        if (wpos !== w.seq) reportReordered(w.seq, wpos, `it is chained after the row stored at seq ${cur.seq}`);
        // its own position is now known, and so are those of rows waiting for it
        recent.set(w.hash, { seq: w.seq, pos: wpos });
        stack.push({ hash: w.hash, pos: wpos, seq: w.seq });
      }
    }
  };

  for await (const batch of readLog(db, batchSize)) {
    for (const r of batch) {
      rows++;
      if (firstSeq === null) firstSeq = r.seq;
      const computed = rowHash(r.prev_hash, canonicalOf(r));
      const ok = computed === r.row_hash;
      if (!ok) report({ kind: 'changed', seq: r.seq, detail: `content does not match its hash (stored ${short(r.row_hash)}…, recomputed ${short(computed)}…)` });

      let gap = false;
      if (prev !== null && r.seq === prev.seq) {
        report({ kind: 'duplicate', seq: r.seq, detail: `a second row with seq ${r.seq} (id ${JSON.stringify(r.id)})` });
        continue; // keep the first row as the chain's
      }
      if (r.seq > expected) {
        gap = true;
        report({
          kind: 'missing',
          seq: expected,
          ...(r.seq - 1 > expected ? { seqTo: r.seq - 1 } : {}),
          detail: r.seq - 1 > expected ? `${r.seq - expected} rows missing` : 'row missing',
        });
      }

      // Position of this row in the chain.
      let pos = r.seq;
      const expectedPrev = prev === null ? GENESIS_HASH : prev.hash;
      if (r.prev_hash !== expectedPrev && !gap && (prev === null || prev.ok)) {
        const found = r.prev_hash === GENESIS_HASH ? { seq: 0, pos: 0 } : recent.get(r.prev_hash);
        if (found) {
          pos = found.pos + 1;
          if (pos !== r.seq) reportReordered(r.seq, pos, `it is chained after the row stored at seq ${found.seq}`);
        } else {
          const list = pending.get(r.prev_hash) ?? [];
          list.push({ seq: r.seq, hash: r.row_hash, prevSeq: prev?.seq ?? null, afterGap: false });
          pending.set(r.prev_hash, list);
        }
      } else if (r.prev_hash !== expectedPrev && gap) {
        // Explained by the gap, unless the predecessor turns up later (then: reordered).
        const list = pending.get(r.prev_hash) ?? [];
        list.push({ seq: r.seq, hash: r.row_hash, prevSeq: prev?.seq ?? null, afterGap: true });
        pending.set(r.prev_hash, list);
      }
      recent.set(r.row_hash, { seq: r.seq, pos });
      settle(r.row_hash, pos, r.seq);

      prev = { seq: r.seq, hash: r.row_hash, ok };
      expected = r.seq + 1;
    }
    opts.onProgress?.(rows, prev?.seq ?? 0);
  }

  for (const list of pending.values()) {
    for (const w of list) {
      if (w.afterGap || reordered.has(w.seq)) continue;
      report({
        kind: 'broken',
        seq: w.seq,
        detail:
          w.prevSeq === null
            ? 'its previous-row hash matches no row (rows before it were removed)'
            : `its previous-row hash matches no row: seq ${w.prevSeq} was rewritten together with its hash, or rows between were removed and the rest renumbered`,
      });
    }
  }

  const head = (await db.selectFrom('query_log_head').select(['last_seq', 'last_hash']).executeTakeFirst()) ?? null;
  const lastSeq = prev?.seq ?? null;
  if (head) {
    const last = lastSeq ?? 0;
    if (head.last_seq > last) {
      report({
        kind: 'missing',
        seq: last + 1,
        ...(head.last_seq > last + 1 ? { seqTo: head.last_seq } : {}),
        detail: `the chain head records ${head.last_seq} rows; the log ends at ${last === 0 ? 'no row' : `seq ${last}`}`,
      });
    } else if (head.last_seq < last) {
      report({ kind: 'head', seq: head.last_seq + 1, ...(last > head.last_seq + 1 ? { seqTo: last } : {}), detail: `rows after the chain head (seq ${head.last_seq}) were added outside the append path` });
    } else if (prev !== null && head.last_hash !== prev.hash) {
      report({ kind: 'head', seq: last, detail: `the last row's hash ${short(prev.hash)}… differs from the chain head's ${short(head.last_hash)}…` });
    }
  } else {
    report({ kind: 'head', seq: 0, detail: 'query_log_head has no row' });
  }

  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return { ok: total === 0, rows, firstSeq, lastSeq, head, counts, problems, truncated: total > problems.length };
}
