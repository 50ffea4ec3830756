// State evaluation of one institution as of an instant:
//
//   1. collectSmall(): every collection but the query log (+ SQL aggregates) → all areas'
//      state_findings (the entry point data.bligate.state.findings).
//   2. The query log, read in pages (log-reader.ts: keyset pagination by seq): each page, with
//      the collections the per-record areas read (those whose rules mention input.query_records),
//      is evaluated through those areas only (record-eval.ts); a page's findings about its own
//      records (subject.record) are kept. Rows that do not fit the schema go through
//      data_quality. On PostgreSQL with `workers` > 1 the log's seq range is cut into jobs that
//      worker threads read and evaluate over their own connections (record-pool.ts).
//   3. Per-record results are cached in the database (query_record_results,
//      evaluation_checkpoints): the checkpoint says "every log row up to last_seq has been
//      evaluated under this policy bundle and this context"; only rows after it are evaluated.
//      The context digest covers the non-log part of the batch documents (staff, accounts,
//      consents, parameters…): when any of it changes, everything is evaluated again.
//
// Findings are merged (deduplicated by their JSON) and sorted by requirement, status, subject.

import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';
import { collectSmall, type AnyDB } from './collect.ts';
import { DEFAULT_PAGE_SIZE } from './log-reader.ts';
import { evaluateLog, recordContext } from './record-eval.ts';
import { RecordPool } from './record-pool.ts';
import type { PolicyPack } from './policy.ts';
import type { Finding } from './types.ts';

export interface Progress {
  phase: 'collect' | 'evaluate' | 'records' | 'done';
  institution: string;
  /** Log records done so far (phase 'records'). */
  done?: number;
  /** Log records to do, when known. */
  total?: number;
}

export interface EvaluateOptions {
  asOf: Date;
  institutionId: string;
  pack: PolicyPack;
  /** Log rows per page (default 5,000). */
  batchSize?: number;
  /** The PostgreSQL URL of `db`: needed by worker threads, which open their own connections. */
  databaseUrl?: string;
  /** The pg pool behind `db` (PostgreSQL): the main thread then reads the log with COPY (log-reader.ts). */
  pool?: pg.Pool;
  /** Reuse and store per-record results (default true). */
  cache?: boolean;
  /**
   * Worker threads for the log's pages (PostgreSQL only, with databaseUrl; default 1: the main
   * thread reads and evaluates). Each worker reads its own part of the log.
   */
  workers?: number;
  /** Fewer log rows than this to evaluate (by seq span) go through the main thread (default 300,000). */
  minParallelRows?: number;
  onProgress?: (p: Progress) => void;
}

export interface EvaluateStats {
  /** Log records up to the as-of instant. */
  records: number;
  /** Records evaluated in this run. */
  evaluated: number;
  /** Sequence number up to which cached results were reused (0: none). */
  reusedUpTo: number;
  batches: number;
  /** Worker threads that read and evaluated the log (0: the main thread did). */
  workers: number;
  ms: number;
}

export interface EvaluateResult {
  findings: Finding[];
  stats: EvaluateStats;
}

const MIN_PARALLEL_ROWS = 300_000;

const sha256 = (...parts: string[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
};

/** A stable text of a JSON value (keys sorted), for deduplication and digests. */
export function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

export function findingKey(f: Finding): string {
  return `${f.requirement}\u0001${f.status}\u0001${canonical(f.subject)}`;
}

/** Findings deduplicated (whole JSON) and sorted by requirement, status, subject. */
export function mergeFindings(lists: Iterable<Finding[]>): Finding[] {
  const seen = new Map<string, Finding>();
  for (const l of lists) for (const f of l) seen.set(canonical(f), f);
  return [...seen.values()].sort((a, b) => {
    const ka = findingKey(a);
    const kb = findingKey(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/** Evaluates the state of one institution as of an instant. */
export async function evaluateInstitution(db: AnyDB, opts: EvaluateOptions): Promise<EvaluateResult> {
  const started = performance.now();
  const { pack, institutionId: inst } = opts;
  const useCache = opts.cache !== false;
  const T = sql`${opts.asOf.toISOString()}::timestamptz`;
  opts.onProgress?.({ phase: 'collect', institution: inst });
  const small = await collectSmall(db, opts);
  opts.onProgress?.({ phase: 'evaluate', institution: inst });
  const lists: Finding[][] = [pack.findings(small)];
  const records = ((small.query_months as { records: number }[]) ?? []).reduce((n, m) => n + m.records, 0);

  // The page documents' shared part (converted to Rego values once per thread). The context
  // digest covers it; as_of is left out of the digest (per-record rules do not read it).
  const ctx: Record<string, unknown> = {};
  for (const c of pack.recordAreaInputs) if (small[c] !== undefined) ctx[c] = small[c];
  const contextDigest = sha256(canonical(ctx));
  const shared = { as_of: small.as_of, ...ctx };
  const areas = pack.recordAreas;

  // The checkpoint: reuse when bundle, institution, context and the log's row at last_seq agree.
  const policyDigest = sha256(pack.hash, inst);
  let after = 0;
  if (useCache) {
    const cp = (
      await sql<{ last_seq: number; last_hash: string; context_digest: string }>`
        SELECT last_seq, last_hash, context_digest FROM evaluation_checkpoints WHERE policy_digest = ${policyDigest}`.execute(db)
    ).rows[0];
    if (cp && cp.context_digest === contextDigest) {
      const row = (await sql<{ row_hash: string }>`SELECT row_hash FROM query_log WHERE seq = ${Number(cp.last_seq)}`.execute(db)).rows[0];
      if (row && row.row_hash === cp.last_hash) after = Number(cp.last_seq);
    }
    if (after === 0) {
      await sql`DELETE FROM query_record_results WHERE policy_digest = ${policyDigest}`.execute(db);
    } else {
      const cached = await sql<{ findings: Finding[] }>`
        SELECT r.findings FROM query_record_results r JOIN query_log q ON q.seq = r.query_seq
         WHERE r.policy_digest = ${policyDigest} AND r.query_seq <= ${after} AND q.at <= ${T}`.execute(db);
      for (const r of cached.rows) lists.push(typeof r.findings === 'string' ? JSON.parse(r.findings) : r.findings);
    }
  }
  const reusedUpTo = after;

  let evaluated = 0;
  let batches = 0;
  let lastSeq = after;
  const store: { seq: number; findings: Finding[] }[] = [];
  const flush = async () => {
    if (!useCache || store.length === 0) return;
    const items = store.splice(0); // jobs finishing meanwhile add to a fresh list
    for (let i = 0; i < items.length; i += 500) {
      const chunk = items.slice(i, i + 500);
      await db
        .insertInto('query_record_results')
        .values(chunk.map((s) => ({ policy_digest: policyDigest, query_seq: s.seq, context_digest: contextDigest, findings: JSON.stringify(s.findings) })))
        .onConflict((oc) => oc.columns(['policy_digest', 'query_seq']).doUpdateSet((eb) => ({ findings: eb.ref('excluded.findings'), context_digest: eb.ref('excluded.context_digest') })))
        .execute();
    }
  };
  const keep = (found: Iterable<[number, Finding[]]>) => {
    for (const [seq, fs] of found) {
      lists.push(fs);
      store.push({ seq, findings: fs });
    }
  };
  const progress = (rows: number) => {
    evaluated += rows;
    opts.onProgress?.({ phase: 'records', institution: inst, done: evaluated + (reusedUpTo ? records - evaluated : 0), total: records });
  };
  opts.onProgress?.({ phase: 'records', institution: inst, done: 0, total: records });
  const pageSize = opts.batchSize ?? DEFAULT_PAGE_SIZE;
  const workers = Math.max(1, opts.workers ?? 1);
  let threads = 0;

  // Parallel (PostgreSQL, given its URL): the seq range after the checkpoint, cut into jobs that
  // workers take in turn — when there is enough of it to pay for starting the workers (≈ 1 s):
  // an incremental run over 100,000 new rows is faster on the main thread.
  const databaseUrl = workers > 1 ? opts.databaseUrl : undefined;
  const max = databaseUrl
    ? (await sql<{ m: number | null }>`SELECT max(seq) AS m FROM query_log WHERE institution_id = ${inst} AND seq > ${after}`.execute(db)).rows[0]?.m
    : null;
  const span = max == null ? 0 : Number(max) - after;
  if (databaseUrl && span > 0 && span >= (opts.minParallelRows ?? MIN_PARALLEL_ROWS)) {
    const jobSize = Math.max(pageSize * 5, Math.ceil(span / (workers * 8)));
    threads = workers;
    const pool = await RecordPool.start(workers, { dir: pack.dir, databaseUrl, institutionId: inst, asOf: opts.asOf.toISOString(), pageSize, areas, shared });
    try {
      const jobs: Promise<void>[] = [];
      for (let from = after; from < after + span; from += jobSize) {
        const range = { afterSeq: from, toSeq: Math.min(from + jobSize, after + span) };
        jobs.push(
          pool.run(range, progress).then(async (r) => {
            batches += Math.max(1, Math.ceil(r.rows / pageSize));
            keep(r.found);
            if (r.rows > 0) lastSeq = Math.max(lastSeq, r.lastSeq);
            await flush();
          }),
        );
      }
      await Promise.all(jobs);
    } finally {
      await pool.close();
    }
  } else {
    const rctx = recordContext(pack, areas, shared);
    await evaluateLog(db, rctx, { institutionId: inst, asOf: opts.asOf, afterSeq: after, limit: pageSize, pool: opts.pool }, async (page, found) => {
      batches++;
      keep(found);
      lastSeq = page.lastSeq;
      await flush();
      progress(page.rows);
    });
  }

  if (useCache && lastSeq > 0) {
    // Rows after the checkpoint that are later than the as-of instant were not evaluated: the
    // checkpoint stops before the first of them.
    // (Through the at index: only the partitions from the as-of month on are read.)
    const skipped = (
      await sql<{ s: number | null }>`SELECT min(seq) AS s FROM query_log
        WHERE institution_id = ${inst} AND at > ${T} AND seq > ${after} AND seq <= ${lastSeq}`.execute(db)
    ).rows[0]?.s;
    const upTo = skipped == null ? lastSeq : Number(skipped) - 1;
    if (upTo > 0) {
      const h = (await sql<{ row_hash: string }>`SELECT row_hash FROM query_log WHERE seq = ${upTo}`.execute(db)).rows[0];
      if (h) {
        await sql`INSERT INTO evaluation_checkpoints (policy_digest, last_seq, last_hash, context_digest, state, updated_at)
                  VALUES (${policyDigest}, ${upTo}, ${h.row_hash}, ${contextDigest}, ${JSON.stringify({ institution: inst, bundle: pack.hash })}::jsonb, now())
                  ON CONFLICT (policy_digest) DO UPDATE SET last_seq = excluded.last_seq, last_hash = excluded.last_hash,
                    context_digest = excluded.context_digest, state = excluded.state, updated_at = now()`.execute(db);
      }
    }
  }
  opts.onProgress?.({ phase: 'done', institution: inst, done: records, total: records });
  return {
    findings: mergeFindings(lists),
    stats: { records, evaluated, reusedUpTo, batches, workers: threads, ms: Math.round(performance.now() - started) },
  };
}
