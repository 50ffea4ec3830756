import { compileModules, parseModule } from './engine/rego/index.ts';
const mb = Number(process.argv[2] ?? 5);
const parts: string[] = ['package big\n\nimport rego.v1\n\n'];
let size = parts[0].length; let i = 0;
while (size < mb * 1024 * 1024) {
  const rule = `# rule ${i}\nr${i} contains msg if {\n\tsome x in input.items\n\tx.kind == "k${i}"\n\tcount(x.tags) > ${i % 7}\n\tmsg := sprintf("item %v matched rule ${i}", [x.id])\n}\n\nv${i} := {"id": ${i}, "name": "value-${i}", "list": [${i}, ${i + 1}, ${i + 2}], "nested": {"a": {"b": ${i}}}}\n\n`;
  parts.push(rule); size += rule.length; i++;
}
const src = parts.join('');
const mem = () => (process.memoryUsage().heapUsed / 1e6).toFixed(0) + 'MB';
let t0 = performance.now();
const m = parseModule(src, 'big.rego');
console.log('rules', m.rules.length, 'parse ms', (performance.now() - t0).toFixed(0), mem());
t0 = performance.now();
const p = compileModules([m]);
console.log('compile ms', (performance.now() - t0).toFixed(0), mem());
t0 = performance.now();
const r = p.prepare('data.big.v1').eval({});
console.log('eval ms', (performance.now() - t0).toFixed(0), mem(), JSON.stringify(r[0]?.expressions[0]?.value !== undefined));
