// A worker thread of a state evaluation (see record-pool.ts): it compiles the policy pack once,
// opens its own connection to the database, and for each job — a range of sequence numbers —
// reads the log's pages in that range and evaluates them (record-eval.ts). Only findings travel
// back to the main thread, with page counts for progress.

import { parentPort } from 'node:worker_threads';
import { isDatabaseFault, openDatabase, type OpenDatabase } from '../db/connect.ts';
import { loadPolicyPack } from './policy.ts';
import { evaluateLog, recordContext, type RecordContext } from './record-eval.ts';
import type { WorkerInit, WorkerJob, WorkerReply } from './record-pool.ts';
import type { Finding } from './types.ts';

let ctx: RecordContext | undefined;
let db: OpenDatabase | undefined;
let init: WorkerInit | undefined;

const port = parentPort!;
const reply = (m: WorkerReply) => port.postMessage(m);

async function run(job: WorkerJob): Promise<void> {
  const found: [number, Finding[]][] = [];
  let rows = 0;
  let lastSeq = job.afterSeq;
  const pages = { institutionId: init!.institutionId, asOf: new Date(init!.asOf), afterSeq: job.afterSeq, toSeq: job.toSeq, limit: init!.pageSize, pool: db!.pool };
  await evaluateLog(db!.db, ctx!, pages, (page, bySeq) => {
    for (const [seq, fs] of bySeq) found.push([seq, fs]);
    rows += page.rows;
    lastSeq = page.lastSeq;
    reply({ type: 'progress', id: job.id, rows: page.rows });
  });
  reply({ type: 'result', id: job.id, found, rows, lastSeq });
}

port.on('message', (m: { type: 'init'; init: WorkerInit } | { type: 'job'; job: WorkerJob } | { type: 'close' }) => {
  void (async () => {
    if (m.type === 'init') {
      try {
        init = m.init;
        const pack = loadPolicyPack(init.dir, { lazy: true });
        ctx = recordContext(pack, init.areas, init.shared);
        db = await openDatabase({ url: init.databaseUrl, poolSize: 2 });
        reply({ type: 'ready' });
      } catch (e) {
        reply({ type: 'error', id: -1, message: e instanceof Error ? e.message : String(e) });
      }
      return;
    }
    if (m.type === 'close') {
      await db?.close().catch(() => undefined);
      reply({ type: 'closed' });
      return;
    }
    try {
      await run(m.job);
    } catch (e) {
      reply({ type: 'error', id: m.job.id, message: e instanceof Error ? e.message : String(e), database: isDatabaseFault(e) });
    }
  })();
});
