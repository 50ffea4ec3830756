import { readFileSync } from 'node:fs';
import { generateDemo } from '../engine/demo/generate.ts';
import { canonical } from '../engine/state/evaluate.ts';
const got = JSON.parse(readFileSync('.scratch-collector/findings.json', 'utf8'));
const exp = generateDemo().injected; // subjects of record-level ones differ with size; compare by requirement+subject where possible
const key = (f: any) => `${f.requirement}|${f.status}|${canonical(f.subject)}`;
const ek = new Set(exp.map(key));
const gk = new Set(got.map(key));
console.log('UNEXPECTED:');
for (const f of got) if (!ek.has(key(f))) console.log('  ', key(f), '::', f.message.en.slice(0, 150));
console.log('MISSING:');
for (const f of exp) if (!gk.has(key(f))) console.log('  ', key(f));
