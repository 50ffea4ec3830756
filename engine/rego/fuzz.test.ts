// Bad Rego never crashes or hangs the engine: mutated conformance modules, deep nesting and a
// very large module all end in a result or in a RegoError/RegoErrorList with a location.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { compileModules, parseModule, parseQuery } from './index.ts';
import { RegoError, RegoErrorList } from './errors.ts';

const CASES = '/work/shared/opa-conformance/cases';

function conformanceModules(): string[] {
  const out: string[] = [];
  let dirs: string[] = [];
  try {
    dirs = readdirSync(CASES).sort();
  } catch {
    return out;
  }
  for (const d of dirs) {
    let files: string[] = [];
    try {
      files = readdirSync(path.join(CASES, d)).filter((f) => f.endsWith('.yaml')).sort();
    } catch {
      continue;
    }
    for (const f of files) {
      try {
        const doc = YAML.parse(readFileSync(path.join(CASES, d, f), 'utf8')) as { cases?: { modules?: unknown }[] };
        for (const c of doc?.cases ?? []) {
          if (Array.isArray(c.modules)) for (const m of c.modules) if (typeof m === 'string') out.push(m);
        }
      } catch {
        // a YAML file we cannot read is not the engine's problem
      }
    }
  }
  return [...new Set(out)];
}

const MODULES = conformanceModules();
const FALLBACK = ['package p\n\nimport rego.v1\n\nallow if {\n\tsome x in input.xs\n\tx > 1\n}\n\ndeny contains msg if {\n\tnot allow\n\tmsg := sprintf("%v", [input])\n}\n'];
const SOURCES = MODULES.length ? MODULES : FALLBACK;

const TOKENS = ['{', '}', '[', ']', '(', ')', 'if', ':=', '=', '==', 'not', 'some', 'every', 'in', 'contains', 'else', 'with', 'as', 'default', 'import', 'package', '"', '`', '#', '\n', ' ', '.', ',', ';', '|', '$"', '\\', '0', '-', '1e309', '_', 'x', 'input', 'data'];

type Mutation =
  | { k: 'delete'; at: number; len: number }
  | { k: 'dup'; at: number; len: number }
  | { k: 'swap'; a: number; b: number; len: number }
  | { k: 'insertChar'; at: number; ch: string }
  | { k: 'insertToken'; at: number; tok: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ k: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ k: fc.constant('dup' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ k: fc.constant('swap' as const), a: fc.nat(), b: fc.nat(), len: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ k: fc.constant('insertChar' as const), at: fc.nat(), ch: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }) }),
  fc.record({ k: fc.constant('insertToken' as const), at: fc.nat(), tok: fc.constantFrom(...TOKENS) }),
);

function mutate(src: string, muts: Mutation[]): string {
  let s = src;
  for (const m of muts) {
    const n = s.length + 1;
    switch (m.k) {
      case 'delete': {
        const at = m.at % n;
        s = s.slice(0, at) + s.slice(at + m.len);
        break;
      }
      case 'dup': {
        const at = m.at % n;
        s = s.slice(0, at) + s.slice(at, at + m.len) + s.slice(at);
        break;
      }
      case 'swap': {
        let a = m.a % n;
        let b = m.b % n;
        if (a > b) [a, b] = [b, a];
        if (a + m.len > b) break;
        s = s.slice(0, a) + s.slice(b, b + m.len) + s.slice(a + m.len, b) + s.slice(a, a + m.len) + s.slice(b + m.len);
        break;
      }
      case 'insertChar': {
        const at = m.at % n;
        s = s.slice(0, at) + m.ch + s.slice(at);
        break;
      }
      case 'insertToken': {
        const at = m.at % n;
        s = s.slice(0, at) + m.tok + s.slice(at);
        break;
      }
    }
  }
  return s;
}

function hasLocation(e: RegoError): boolean {
  const l = e.location;
  return !!l && typeof l.row === 'number' && typeof l.col === 'number' && l.row >= 0 && l.col >= 0 && typeof l.file === 'string';
}

/** Asserts the thrown value is an engine error; returns a description for failures. */
function checkError(e: unknown, stage: string, requireLocation: boolean): void {
  if (e instanceof RegoErrorList) {
    expect(e.errors.length, `${stage}: empty RegoErrorList`).toBeGreaterThan(0);
    if (requireLocation) for (const x of e.errors) expect(hasLocation(x), `${stage}: error without location: ${x.toString()}`).toBe(true);
    return;
  }
  if (e instanceof RegoError) {
    if (requireLocation) expect(hasLocation(e), `${stage}: error without location: ${e.toString()}`).toBe(true);
    return;
  }
  throw new Error(`${stage}: unexpected ${(e as Error)?.name ?? typeof e}: ${(e as Error)?.message ?? String(e)}\n${(e as Error)?.stack ?? ''}`);
}

/** parse → compile → prepare(`data`) → eval; every stage either succeeds or throws an engine error. */
function runPipeline(src: string, file = 'fuzz.rego'): 'ok' | 'error' {
  let mod;
  try {
    mod = parseModule(src, file);
  } catch (e) {
    checkError(e, 'parse', true);
    return 'error';
  }
  let policy;
  try {
    policy = compileModules([mod]);
  } catch (e) {
    checkError(e, 'compile', true);
    return 'error';
  }
  try {
    policy.prepare('data').eval({ input: null });
  } catch (e) {
    // Evaluation errors (conflicts, built-in errors) need not carry a location.
    checkError(e, 'eval', false);
    return 'error';
  }
  return 'ok';
}

describe('fuzz: mutated conformance modules', () => {
  it(`found modules to mutate (${SOURCES.length})`, () => {
    expect(SOURCES.length).toBeGreaterThan(0);
  });

  it('every outcome is a result or a located RegoError (300 runs)', () => {
    let ok = 0;
    let errors = 0;
    let slowest = 0;
    fc.assert(
      fc.property(fc.nat({ max: SOURCES.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 6 }), (i, muts) => {
        const src = mutate(SOURCES[i], muts);
        const t0 = performance.now();
        const r = runPipeline(src);
        const dt = performance.now() - t0;
        slowest = Math.max(slowest, dt);
        // A hang shows up as a run far beyond any sane parse+compile time.
        expect(dt, `took ${dt.toFixed(0)} ms on:\n${src}`).toBeLessThan(5_000);
        if (r === 'ok') ok++;
        else errors++;
      }),
      { numRuns: 300, seed: Number(process.env.FUZZ_SEED ?? 20250601), endOnFailure: true },
    );
    expect(ok + errors).toBe(300);
  });

  it('unmutated modules also parse or fail cleanly', () => {
    for (const src of SOURCES.slice(0, 200)) runPipeline(src);
  });
});

describe('deep nesting', () => {
  const N = 10_000;
  const shapes: [string, string, string][] = [
    ['brackets', '['.repeat(N), ']'.repeat(N)],
    ['parentheses', '('.repeat(N) + '1', ')'.repeat(N)],
    ['braces', '{'.repeat(N) + '1', '}'.repeat(N)],
    ['objects', '{"a":'.repeat(N) + '1', '}'.repeat(N)],
    ['mixed', '[{('.repeat(N / 3) + '1', ')}]'.repeat(N / 3)],
  ];

  for (const [name, open, close] of shapes) {
    it(`${N} levels of ${name} in a module`, () => {
      const src = `package deep\n\np := ${open}${close}\n`;
      const r = runPipeline(src, 'deep.rego');
      expect(['ok', 'error']).toContain(r);
    });

    it(`${N} levels of ${name} in a query`, () => {
      const q = `x := ${open}${close}`;
      try {
        const query = parseQuery(q, 'query');
        compileModules([]).prepare(query).eval({});
      } catch (e) {
        checkError(e, 'query', false);
      }
    });

    it(`${N} unclosed levels of ${name}`, () => {
      const r = runPipeline(`package deep\n\np := ${open}\n`, 'deep.rego');
      expect(r).toBe('error');
    });
  }
});

describe('large module', () => {
  // Run in a child process with a bounded heap and a deadline, so that a blow-up shows as a clear
  // test failure (and not as an out-of-memory crash of the test worker).
  it('a 5 MB generated module gives a result or a clear error in reasonable time', () => {
    const index = new URL('./index.ts', import.meta.url).href;
    const code = `
      const { compileModules, parseModule } = await import(${JSON.stringify(index)});
      const parts = ['package big\\n\\nimport rego.v1\\n\\n'];
      let size = parts[0].length, i = 0;
      while (size < 5 * 1024 * 1024) {
        const rule = '# rule ' + i + '\\nr' + i + ' contains msg if {\\n\\tsome x in input.items\\n\\tx.kind == "k' + i + '"\\n\\tcount(x.tags) > ' + (i % 7) +
          '\\n\\tmsg := sprintf("item %v matched rule ' + i + '", [x.id])\\n}\\n\\nv' + i + ' := {"id": ' + i + ', "name": "value-' + i + '", "list": [' + i + ', ' + (i + 1) + '], "nested": {"a": {"b": ' + i + '}}}\\n\\n';
        parts.push(rule); size += rule.length; i++;
      }
      const src = parts.join('');
      const t0 = performance.now();
      let outcome;
      try {
        const m = parseModule(src, 'big.rego');
        const t1 = performance.now();
        const p = compileModules([m]);
        const t2 = performance.now();
        const rows = p.prepare('data.big.v7').eval({});
        outcome = 'result (parse ' + (t1 - t0).toFixed(0) + ' ms, compile ' + (t2 - t1).toFixed(0) + ' ms, rows ' + rows.length + ')';
      } catch (e) {
        if (e?.name !== 'RegoError' && e?.name !== 'RegoErrorList') throw e;
        outcome = 'error: ' + String(e.message).split('\\n')[0];
      }
      console.log(JSON.stringify({ bytes: src.length, rules: 2 * i, outcome, ms: Math.round(performance.now() - t0), heapMB: Math.round(process.memoryUsage().heapUsed / 1e6) }));
    `;
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--max-old-space-size=2048', '--import', 'tsx', '--input-type=module', '-e', code], {
      encoding: 'utf8',
      timeout: 90_000,
      cwd: path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..'),
    });
    const ms = performance.now() - t0;
    const tail = (r.stderr ?? '').split('\n').filter((l) => l && !l.startsWith('    at')).slice(-5).join('\n');
    expect(r.error?.message ?? '', `child failed after ${ms.toFixed(0)} ms`).toBe('');
    expect(r.status, `child exited ${r.status} / ${r.signal} after ${ms.toFixed(0)} ms:\n${tail}`).toBe(0);
    const line = (r.stdout ?? '').trim().split('\n').pop()!;
    console.log(`5 MB module: ${line}`);
    const rep = JSON.parse(line) as { ms: number };
    expect(rep.ms).toBeLessThan(30_000);
  }, 120_000);
});
