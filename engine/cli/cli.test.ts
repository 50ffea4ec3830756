// The `bligate` command end to end (spawns `node bin/bligate.mjs`), checked against what
// `opa eval` prints for the same queries.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'bligate.mjs');

let tmp: string;

function run(args: string[], opts: { cwd?: string; stdin?: string } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? tmp,
    input: opts.stdin ?? '',
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, BLIGATE_DEBUG: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(args: string[]) {
  const r = run(args);
  return { ...r, out: r.stdout ? JSON.parse(r.stdout) : undefined };
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'bligate-cli-'));
  const write = (p: string, text: string) => {
    mkdirSync(path.dirname(path.join(tmp, p)), { recursive: true });
    writeFileSync(path.join(tmp, p), text);
  };
  write(
    'policy/test.rego',
    `package test

default allow := false

allow if input.user == data.admins[_]

names contains name if some name in data.users

conflict := 1 if true

conflict := 2 if true
`,
  );
  write('policy/data.json', '{"admins": ["alice"], "users": ["carol", "bob"]}');
  write('input.json', '{"user": "alice"}');
  write('input.yaml', 'user: bob\n');
  write('bad.json', '{"user": [}');
  write('unsafe/x.rego', 'package unsafe\n\np if x > 1\n');
  write('clash/a/one.json', '{"k": 1}');
  write('clash/a/two.json', '{"k": 2}');
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('command line', () => {
  it('prints help and exits 0', () => {
    for (const args of [['--help'], ['rego', '--help'], ['rego', 'eval', '--help']]) {
      const r = run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage');
    }
  });

  it('rejects unknown commands and flags with exit 2 and one line', () => {
    for (const args of [['frobnicate'], ['rego', 'frobnicate'], ['rego'], ['rego', 'eval'], ['rego', 'eval', '--nope', 'x'], ['rego', 'eval', '--fail', '--fail-defined', 'x']]) {
      const r = run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^bligate: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('rego eval: results in OPA JSON', () => {
  it('prints a value with its expression text and location', () => {
    const r = run(['rego', 'eval', '1 + 1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '{\n  "result": [\n    {\n      "expressions": [\n        {\n          "value": 2,\n          "text": "1 + 1",\n          "location": {\n            "row": 1,\n            "col": 1\n          }\n        }\n      ]\n    }\n  ]\n}\n',
    );
  });

  it('prints bindings (sorted), omitting them when empty', () => {
    const r = json(['rego', 'eval', 'y := 2; x := [y, 1]']);
    expect(r.code).toBe(0);
    expect(r.out.result).toHaveLength(1);
    expect(r.out.result[0].expressions.map((e: { value: unknown }) => e.value)).toEqual([true, true]);
    expect(r.out.result[0].expressions[1].location).toEqual({ row: 1, col: 9 });
    expect(Object.keys(r.out.result[0].bindings)).toEqual(['x', 'y']);
    expect(r.out.result[0].bindings).toEqual({ x: [2, 1], y: 2 });
    expect(json(['rego', 'eval', 'true']).out.result[0].bindings).toBeUndefined();
  });

  it('prints {} for an undefined result and honours --fail / --fail-defined', () => {
    let r = run(['rego', 'eval', '-d', 'policy', 'data.test.nothing']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{}\n');
    expect(run(['rego', 'eval', '--fail', '-d', 'policy', 'data.test.nothing']).code).toBe(1);
    expect(run(['rego', 'eval', '--fail-defined', '-d', 'policy', 'data.test.nothing']).code).toBe(0);
    expect(run(['rego', 'eval', '--fail', '-d', 'policy', 'data.test.allow']).code).toBe(0);
    r = run(['rego', 'eval', '--fail-defined', '-d', 'policy', 'data.test.allow']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).result[0].expressions[0].value).toBe(false);
  });

  it('loads policies and data (-d) and input (-i, JSON or YAML)', () => {
    expect(json(['rego', 'eval', '-d', 'policy', '-i', 'input.json', 'data.test.allow']).out.result[0].expressions[0].value).toBe(true);
    expect(json(['rego', 'eval', '--data', 'policy', '--input=input.yaml', 'data.test.allow']).out.result[0].expressions[0].value).toBe(false);
    expect(json(['rego', 'eval', '-d', 'policy', 'data.test.names']).out.result[0].expressions[0].value).toEqual(['bob', 'carol']);
  });

  it('reads the input from stdin with -I', () => {
    const r = run(['rego', 'eval', '-d', 'policy', '-I', 'data.test.allow'], { stdin: '{"user": "alice"}' });
    expect(JSON.parse(r.stdout).result[0].expressions[0].value).toBe(true);
  });

  it('keeps big integers exact and prints sets as sorted arrays', () => {
    expect(run(['rego', 'eval', 'x := 18446744073709551616 + 1']).stdout).toContain('"x": 18446744073709551617');
    expect(json(['rego', 'eval', 'x := {3, 1, 2}']).out.result[0].bindings.x).toEqual([1, 2, 3]);
  });

  it('escapes HTML characters as Go does', () => {
    expect(run(['rego', 'eval', 'x := "<a&b>"']).stdout).toContain('"x": "\\u003ca\\u0026b\\u003e"');
  });
});

describe("rego eval: expression values captured as OPA's rego package does", () => {
  it('reports false values of lone expressions instead of undefined', () => {
    const r = json(['rego', 'eval', '-d', 'policy', 'data.test.allow']);
    expect(r.out.result[0].expressions[0]).toEqual({ value: false, text: 'data.test.allow', location: { row: 1, col: 1 } });
    expect(r.out.result[0].bindings).toBeUndefined();
    expect(json(['rego', 'eval', '1 > 2']).out.result[0].expressions[0].value).toBe(false);
    expect(json(['rego', 'eval', 'false']).out.result[0].expressions[0].value).toBe(false);
    expect(json(['rego', 'eval', 'count([1, 2])']).out.result[0].expressions[0].value).toBe(2);
    expect(run(['rego', 'eval', '-f', 'pretty', 'false']).stdout).toBe('false\n');
  });

  it('still fails on false when the query has several expressions or iterates', () => {
    expect(run(['rego', 'eval', 'x := 1; false']).stdout).toBe('{}\n');
    const r = json(['rego', 'eval', 'x := [1, false, 2][_]; x']);
    expect(r.out.result.map((row: { bindings: { x: unknown } }) => row.bindings.x)).toEqual([1, 2]);
    expect(r.out.result[0].expressions).toHaveLength(2);
    expect(r.out.result[0].expressions[0].value).toBe(true);
    expect(json(['rego', 'eval', '[true, false][_]']).out.result.map((row: { expressions: { value: unknown }[] }) => row.expressions[0].value)).toEqual([true]);
  });
});

describe('rego eval: errors in OPA shape', () => {
  it('reports compile errors as {"errors": [...]} with exit 2', () => {
    const r = json(['rego', 'eval', '-d', 'unsafe', 'data.unsafe.p']);
    expect(r.code).toBe(2);
    expect(r.out.errors.length).toBeGreaterThan(0);
    expect(r.out.errors[0]).toMatchObject({ code: 'rego_unsafe_var_error', location: { file: path.join('unsafe', 'x.rego'), row: 3 } });
    expect(r.out.errors[0].message).toContain('var x is unsafe');
  });

  it('reports query parse errors', () => {
    const r = json(['rego', 'eval', 'x := ']);
    expect(r.code).toBe(2);
    expect(r.out.errors[0].code).toBe('rego_parse_error');
  });

  it('reports evaluation errors (eval_conflict_error)', () => {
    const r = json(['rego', 'eval', '-d', 'policy', 'data.test.conflict']);
    expect(r.code).toBe(2);
    expect(r.out.errors).toHaveLength(1);
    expect(r.out.errors[0]).toMatchObject({ code: 'eval_conflict_error', location: { file: path.join('policy', 'test.rego') } });
  });

  it('makes built-in errors fatal only with --strict-builtin-errors', () => {
    const lax = run(['rego', 'eval', 'x := 1 / 0']);
    expect(lax.code).toBe(0);
    expect(lax.stdout).toBe('{}\n');
    const strict = json(['rego', 'eval', '--strict-builtin-errors', 'x := 1 / 0']);
    expect(strict.code).toBe(2);
    expect(strict.out.errors[0]).toMatchObject({ code: 'eval_builtin_error', message: 'div: divide by zero' });
  });

  it('reports loader errors (data conflicts name both files)', () => {
    const r = json(['rego', 'eval', '-d', 'clash', 'data']);
    expect(r.code).toBe(2);
    expect(r.out.errors[0].message).toContain(path.join('clash', 'a', 'one.json'));
    expect(r.out.errors[0].message).toContain(path.join('clash', 'a', 'two.json'));
  });

  it('prints errors as text on stderr for --format pretty', () => {
    const r = run(['rego', 'eval', '--format', 'pretty', '-d', 'unsafe', 'data.unsafe.p']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^1 error occurred: unsafe[/\\]x\.rego:3: rego_unsafe_var_error: var x is unsafe/);
  });

  it('prints unreadable input as one line', () => {
    let r = run(['rego', 'eval', '-i', 'missing.json', 'input']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('open missing.json: no such file or directory\n');
    r = run(['rego', 'eval', '-i', 'bad.json', 'input']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^unable to parse input: /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('rego eval --format pretty', () => {
  it('prints a lone value as indented JSON', () => {
    const r = run(['rego', 'eval', '-f', 'pretty', '-d', 'policy', 'data.test.names']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('[\n  "bob",\n  "carol"\n]\n');
  });

  it('prints bindings as a table', () => {
    const r = run(['rego', 'eval', '--format=pretty', 'x := [1, 22][_]']);
    expect(r.stdout).toBe(['┌────┐', '│ x  │', '├────┤', '│ 1  │', '│ 22 │', '└────┘', ''].join('\n'));
  });

  it('prints undefined', () => {
    expect(run(['rego', 'eval', '-f', 'pretty', 'x := 1; false']).stdout).toBe('undefined\n');
    expect(run(['rego', 'eval', '-f', 'pretty', '-d', 'policy', 'data.test.nothing']).stdout).toBe('undefined\n');
  });
});

describe('the policy pack through rego eval', () => {
  it('finds the documented violations of the example state document', () => {
    const r = run(['rego', 'eval', '-d', 'policies', '-i', 'examples/state/user_unit/violating.json', 'data.bligate.state.findings'], { cwd: ROOT });
    expect(r.code).toBe(0);
    const findings = JSON.parse(r.stdout).result[0].expressions[0].value as { requirement: string; status: string }[];
    const expected = JSON.parse(readFileSync(path.join(ROOT, 'examples/state/user_unit/violating.expected.json'), 'utf8')) as unknown[];
    expect(findings.length).toBe(expected.length);
    expect(findings.every((f) => /^[A-Z]+-\d{2}$/.test(f.requirement))).toBe(true);
  });
});

describe('the bundled CLI (dist/bligate.mjs)', () => {
  it('finds its migrations, schemas and policies from dist/', () => {
    const b = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'build.mjs'), '--if-stale'], { encoding: 'utf8', timeout: 120_000 });
    expect(b.status).toBe(0);
    // An empty embedded database: migrated (from the bundle's migrations), then "no institution".
    const r = run(['evaluate', '--data-dir', path.join(tmp, 'bundle-db'), '--no-seed']);
    expect(r.stderr).not.toMatch(/migration|ENOENT/);
    expect(r.stderr).toMatch(/holds no institution/);
    expect(r.code).toBe(2);
  }, 120_000);
});
