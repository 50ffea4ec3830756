import { chainRows, GENESIS_HASH, normaliseRow, canonicalContent } from './engine/db/chain.ts';
import { createHash } from 'node:crypto';
const rows = Array.from({ length: 100000 }, (_, i) => ({ id: 'b' + i, institution_id: 'i1', at: new Date(Date.UTC(2025, 0, 1) + i * 60000), account_id: 'a' + (i % 7), fields: ['x'], conditions: { idno: 'A123456789', from: '2026-01-01' } }));
for (let k = 0; k < 3; k++) {
let t = performance.now();
const n = rows.map(normaliseRow);
console.log('norm', performance.now() - t);
t = performance.now();
const s = n.map((r) => canonicalContent(GENESIS_HASH, r));
console.log('content', performance.now() - t);
t = performance.now();
for (const x of s) createHash('sha256').update(x, 'utf8').digest('hex');
console.log('hash', performance.now() - t);
t = performance.now();
chainRows(0, GENESIS_HASH, rows);
console.log('chain', performance.now() - t);
}
