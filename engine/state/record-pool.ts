// Worker threads for the per-record part of a state evaluation on PostgreSQL: the log's sequence
// range is cut into jobs; each worker (record-worker.ts) reads its job's pages over its own
// connection and evaluates them, so rows never pass through the main thread — only findings do.
// Each worker compiles the policy pack once (lazily: only the rules the record areas reach).

import { Worker } from 'node:worker_threads';
import { DatabaseFaultError } from '../db/connect.ts';
import type { Finding } from './types.ts';

export interface WorkerInit {
  dir: string;
  databaseUrl: string;
  institutionId: string;
  /** The as-of instant (ISO). */
  asOf: string;
  pageSize: number;
  areas: string[];
  /** The page documents' shared part (as_of, institution, staff, consents…) as plain JSON. */
  shared: Record<string, unknown>;
}

export interface WorkerJob {
  id: number;
  afterSeq: number;
  toSeq: number;
}

export interface JobResult {
  /** Findings by sequence number (records with findings only). */
  found: [number, Finding[]][];
  rows: number;
  lastSeq: number;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'closed' }
  | { type: 'progress'; id: number; rows: number }
  | ({ type: 'result'; id: number } & JobResult)
  | { type: 'error'; id: number; message: string; /** The database's fault (isDatabaseFault), not the code's. */ database?: boolean };

function workerFile(): URL {
  // From the bundle (dist/bligate.mjs) the worker is dist/record-worker.mjs; from the sources it
  // is this folder's .ts file, loaded through tsx by record-worker-boot.mjs.
  const here = import.meta.url;
  if (here.endsWith('.mjs')) return new URL('./record-worker.mjs', here);
  return new URL('./record-worker-boot.mjs', here);
}

interface Pending {
  resolve(r: JobResult): void;
  reject(e: Error): void;
  onRows?: (n: number) => void;
}

export class RecordPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, number>();
  private readonly pending = new Map<number, Pending>();
  private readonly queue: WorkerJob[] = [];
  private nextId = 0;
  private closed = false;

  private constructor(private readonly workers: Worker[]) {}

  static async start(size: number, init: WorkerInit): Promise<RecordPool> {
    const url = workerFile();
    // Memory: a worker's live data is one page (≈ 5 MB for 5,000 rows) and the compiled policy;
    // an old generation capped at 384 MB makes V8 collect instead of growing (measured: the
    // evaluating process stays under 1 GB with two workers: 620 MB on 10 M rows). A young
    // generation of 128 MB lets most of a page die young (1 M rows: 32 MB 13.1 s, 96 MB 11.0 s,
    // 128 MB 10.2 s with 10,000-row pages).
    const workers = Array.from({ length: size }, () => new Worker(url, { resourceLimits: { maxOldGenerationSizeMb: 384, maxYoungGenerationSizeMb: 128 } }));
    const pool = new RecordPool(workers);
    try {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              w.once('message', (m: WorkerReply) => {
                w.off('error', reject);
                if (m.type === 'ready') resolve();
                else reject(new Error(`state worker: ${m.type === 'error' ? m.message : 'failed to start'}`));
              });
              w.once('error', reject);
              w.postMessage({ type: 'init', init });
            }),
        ),
      );
    } catch (e) {
      await pool.close();
      throw e;
    }
    for (const w of workers) {
      w.on('message', (m: WorkerReply) => pool.message(w, m));
      w.on('error', (e) => pool.fail(e));
      pool.idle.push(w);
    }
    return pool;
  }

  /** Evaluates the log rows with afterSeq < seq ≤ toSeq (queued until a worker is free). */
  run(range: { afterSeq: number; toSeq: number }, onRows?: (n: number) => void): Promise<JobResult> {
    if (this.closed) return Promise.reject(new Error('state worker pool is closed'));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject, onRows });
      this.queue.push({ id, ...range });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(w, job.id);
      w.postMessage({ type: 'job', job });
    }
  }

  private message(w: Worker, m: WorkerReply): void {
    if (m.type === 'progress') {
      this.pending.get(m.id)?.onRows?.(m.rows);
      return;
    }
    if (m.type !== 'result' && m.type !== 'error') return;
    const p = this.pending.get(m.id);
    this.pending.delete(m.id);
    if (this.busy.get(w) === m.id) {
      this.busy.delete(w);
      this.idle.push(w);
    }
    if (m.type === 'result') p?.resolve({ found: m.found, rows: m.rows, lastSeq: m.lastSeq });
    else p?.reject(m.database ? new DatabaseFaultError(m.message) : new Error(`state worker: ${m.message}`));
    this.pump();
  }

  private fail(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.queue.length = 0;
    void this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Let each worker close its database connection, then stop it.
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            const t = setTimeout(resolve, 2000);
            w.once('message', () => {
              clearTimeout(t);
              resolve();
            });
            try {
              w.postMessage({ type: 'close' });
            } catch {
              clearTimeout(t);
              resolve();
            }
          }),
      ),
    );
    await Promise.all(this.workers.map((w) => w.terminate().catch(() => 0)));
  }
}
