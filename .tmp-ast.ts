import { parseModule } from './engine/rego/index.ts';
const m = parseModule(`package p
import rego.v1
f(x) := 1
p if { input := 1; y := 2 }
`, 'a.rego');
console.log(JSON.stringify(m.rules[1].body.map(e => (e as any).term), (k, v) => k === 'loc' ? undefined : v));
console.log(JSON.stringify(m.rules[0].head, (k, v) => k === 'loc' ? undefined : v), JSON.stringify(m.rules[0].loc), JSON.stringify(m.imports[0].loc));
