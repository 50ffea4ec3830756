// Worker threads for the per-record part of a state evaluation: batches of the query log are
// evaluated in parallel (one worker per core) while the main thread fetches the next pages.
// Each worker compiles the policy pack once; a batch travels as plain rows (structured clone).

import { Worker } from 'node:worker_threads';
import type { Finding, Row } from './types.ts';

export interface PoolInit {
  dir: string;
  /** The batch documents' shared part (as_of, institution, staff, accounts…) as plain JSON. */
  base: Record<string, unknown>;
  areas: string[];
}

function workerFile(): { url: URL; execArgv: string[] } {
  // From the bundle (dist/bligate.mjs) the worker is dist/record-worker.mjs; from the sources it
  // this folder's .ts file, loaded through tsx by record-worker-boot.mjs.
  const here = import.meta.url;
  if (here.endsWith('.mjs')) return { url: new URL('./record-worker.mjs', here), execArgv: [] };
  return { url: new URL('./record-worker-boot.mjs', here), execArgv: [] };
}

interface Job {
  id: number;
  resolve(f: Finding[]): void;
  reject(e: Error): void;
}

export class RecordPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: { job: Job; records: Row[]; consents: Row[] | null }[] = [];
  private nextId = 0;
  private closed = false;

  private constructor(private readonly workers: Worker[]) {}

  static async start(size: number, init: PoolInit): Promise<RecordPool> {
    const { url, execArgv } = workerFile();
    const workers = Array.from({ length: size }, () => new Worker(url, { execArgv }));
    const pool = new RecordPool(workers);
    try {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              const onMessage = (m: { type: string; message?: string }) => {
                w.off('error', reject);
                if (m.type === 'ready') resolve();
                else reject(new Error(`state worker: ${m.message ?? 'failed to start'}`));
              };
              w.once('message', onMessage);
              w.once('error', reject);
              w.postMessage({ type: 'init', ...init });
            }),
        ),
      );
    } catch (e) {
      await pool.close();
      throw e;
    }
    for (const w of workers) {
      w.on('message', (m: { type: string; id: number; findings?: Finding[]; message?: string }) => pool.done(w, m));
      w.on('error', (e) => pool.fail(w, e));
      pool.idle.push(w);
    }
    return pool;
  }

  /** Evaluates one batch (queued until a worker is free). */
  run(records: Row[], consents: Row[] | null): Promise<Finding[]> {
    if (this.closed) return Promise.reject(new Error('state worker pool is closed'));
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, resolve, reject };
      this.queue.push({ job, records, consents });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop()!;
      const { job, records, consents } = this.queue.shift()!;
      this.busy.set(w, job);
      w.postMessage({ type: 'batch', id: job.id, records, consents });
    }
  }

  private done(w: Worker, m: { type: string; id: number; findings?: Finding[]; message?: string }): void {
    const job = this.busy.get(w);
    if (!job) return;
    this.busy.delete(w);
    this.idle.push(w);
    if (m.type === 'result') job.resolve(m.findings ?? []);
    else job.reject(new Error(`state worker: ${m.message ?? 'failed'}`));
    this.pump();
  }

  private fail(w: Worker, e: Error): void {
    const job = this.busy.get(w);
    this.busy.delete(w);
    job?.reject(e);
    for (const q of this.queue.splice(0)) q.job.reject(e);
    void this.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate().catch(() => 0)));
  }
}
