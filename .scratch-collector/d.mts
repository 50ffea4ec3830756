import { openDatabase } from '../engine/db/connect.ts';
import { seedDemo } from '../engine/demo/seed.ts';
import { evaluateInstitution } from '../engine/state/evaluate.ts';
import { loadPolicyPack } from '../engine/state/policy.ts';
import { DEMO_AS_OF } from '../engine/demo/generate.ts';
import { writeFileSync } from 'node:fs';
const dir = process.argv[2] ?? '/tmp/pgl-demo';
const h = await openDatabase({ dataDir: dir, migrate: true });
if (process.argv[3] === 'seed') {
  console.time('seed');
  const r = await seedDemo(h);
  console.timeEnd('seed');
  console.log(r.rows, r.queries);
}
const pack = loadPolicyPack('policies');
const out: any[] = [];
for (const inst of ['bank-001', 'jcic', 'fsc']) {
  const res = await evaluateInstitution(h.db as any, { asOf: new Date(DEMO_AS_OF), institutionId: inst, pack });
  console.log(inst, res.stats, res.findings.length);
  out.push(...res.findings);
}
writeFileSync('.scratch-collector/findings.json', JSON.stringify(out, null, 1));
await h.close();
