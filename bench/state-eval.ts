// The evaluation half of the state benchmark, run in its own process so that its time and peak
// memory are the evaluation's alone: prints {ms, maxRssMB, stats, findings} as JSON.
//   node dist/state-eval.mjs DATABASE_URL INSTITUTION AS_OF [WORKERS [PAGE_SIZE]]

import { openDatabase } from '../engine/db/connect.ts';
import { evaluateInstitution } from '../engine/state/evaluate.ts';
import { loadPolicyPack } from '../engine/state/policy.ts';

const [url, institutionId, asOf, workersArg, pageArg] = process.argv.slice(2);
const workers = Number(workersArg ?? '1');
const handle = await openDatabase({ url });
try {
  const pack = loadPolicyPack();
  const t0 = performance.now();
  const r = await evaluateInstitution(handle.db, { asOf: new Date(asOf), institutionId, pack, workers, databaseUrl: url, pool: handle.pool, batchSize: pageArg ? Number(pageArg) : undefined });
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024, stats: r.stats, findings: r.findings.length }));
} finally {
  await handle.close();
}
