// A worker thread that evaluates batches of query-log records through the per-record areas
// (see record-pool.ts). It compiles the policy pack once, keeps the batch documents' shared part
// (staff, accounts, parameters…) as Rego values, and answers each batch with its findings.

import { parentPort } from 'node:worker_threads';
import { fromJS } from '../rego/json.ts';
import { ObjectValue, type Value } from '../rego/value.ts';
import { loadPolicyPack, type PolicyPack } from './policy.ts';
import type { Row } from './types.ts';

interface Init {
  type: 'init';
  dir: string;
  base: Record<string, unknown>;
  areas: string[];
}
interface Batch {
  type: 'batch';
  id: number;
  records: Row[];
  consents: Row[] | null;
}

let pack: PolicyPack | undefined;
let base: [string, Value][] = [];
let areas: string[] = [];

const port = parentPort!;
port.on('message', (m: Init | Batch) => {
  try {
    if (m.type === 'init') {
      pack = loadPolicyPack(m.dir);
      base = Object.entries(m.base).map(([k, v]) => [k, fromJS(v)]);
      areas = m.areas;
      port.postMessage({ type: 'ready' });
      return;
    }
    const input = new ObjectValue();
    for (const [k, v] of base) input.set(k, v);
    if (m.consents) input.set('consents', fromJS(m.consents));
    input.set('query_records', fromJS(m.records));
    port.postMessage({ type: 'result', id: m.id, findings: pack!.findings(input, areas) });
  } catch (e) {
    port.postMessage({ type: 'error', id: (m as Batch).id ?? -1, message: e instanceof Error ? e.message : String(e) });
  }
});
