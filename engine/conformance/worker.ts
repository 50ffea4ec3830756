// Conformance worker: evaluates cases sent by the runner (run.ts) so that a case that hangs can
// be stopped by terminating its worker.

import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { parseCaseFile, type TestCase } from './compare.ts';
import { loadEngine, runCase } from './execute.ts';

export interface Job {
  id: number;
  file: string; // absolute path
  index: number;
}
export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'done'; id: number; ok: boolean; reason?: string; crashed?: boolean };

const port = parentPort!;
const cache = new Map<string, TestCase[]>();

function casesOf(file: string): TestCase[] {
  let cases = cache.get(file);
  if (!cases) {
    if (cache.size > 64) cache.clear();
    cases = parseCaseFile(readFileSync(file, 'utf8'));
    cache.set(file, cases);
  }
  return cases;
}

try {
  await loadEngine();
  port.postMessage({ kind: 'ready' } satisfies WorkerMessage);
} catch (e) {
  const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
  port.postMessage({ kind: 'unavailable', reason } satisfies WorkerMessage);
}

port.on('message', async (job: Job) => {
  let msg: WorkerMessage;
  try {
    const tc = casesOf(job.file)[job.index];
    const r = await runCase(tc);
    msg = { kind: 'done', id: job.id, ok: r.ok, reason: r.reason, crashed: r.crashed };
  } catch (e) {
    msg = { kind: 'done', id: job.id, ok: false, crashed: true, reason: `exception: ${e instanceof Error ? e.message : String(e)}` };
  }
  port.postMessage(msg);
});
