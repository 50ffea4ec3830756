import { compileModules, parseModule, parseQuery } from './engine/rego/index.ts';
const N = 10000;
const shapes: Record<string, [string, string]> = {
  brackets: ['['.repeat(N), ']'.repeat(N)],
  parentheses: ['('.repeat(N) + '1', ')'.repeat(N)],
  braces: ['{'.repeat(N) + '1', '}'.repeat(N)],
  objects: ['{"a":'.repeat(N) + '1', '}'.repeat(N)],
  mixed: ['[{('.repeat(N / 3) + '1', ')}]'.repeat(N / 3)],
};
const [name, stage, closed] = process.argv.slice(2);
const [o, c] = shapes[name];
const src = `package deep\n\np := ${o}${closed === 'open' ? '' : c}\n`;
const t0 = performance.now();
try {
  const m = parseModule(src, 'd.rego');
  console.log('parsed', (performance.now() - t0).toFixed(0));
  if (stage !== 'parse') { const p = compileModules([m]); console.log('compiled', (performance.now() - t0).toFixed(0)); p.prepare('data').eval({}); console.log('eval ok'); }
} catch (e) { console.log((e as Error).name, (e as Error).message.slice(0, 200)); }
console.log('ms', (performance.now() - t0).toFixed(0), 'heapMB', (process.memoryUsage().heapUsed / 1e6).toFixed(0));
