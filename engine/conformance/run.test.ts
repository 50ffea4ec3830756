// The conformance runner end to end, with a stand-in engine (testdata/fake-engine.ts) whose
// queries hang, throw, overflow the stack or exit: each such case fails alone.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs, resolveDirs, UsageError } from './run.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const CASES = path.join(HERE, 'testdata', 'cases');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'bligate-conf-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function runner(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(HERE, 'run.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, BLIGATE_CONFORMANCE_ENGINE: path.join(HERE, 'testdata', 'fake-engine.ts'), BLIGATE_CONFORMANCE_CASES: CASES },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('conformance runner', () => {
  it('isolates hangs, exceptions, stack overflows and exits; prints folders and the summary', () => {
    const report = path.join(tmp, 'report.json');
    const r = runner(['--timeout', '1500', '--jobs', '2', '--report', report]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toEqual(['fake: 3/9', 'other: 1/1', '4 passed, 6 failed']);
    expect(r.code).toBe(1);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep).toMatchObject({ passed: 4, failed: 6, total: 10 });
    const byNote = Object.fromEntries(rep.cases.map((c: { note: string }) => [c.note, c]));
    expect(byNote['fake/passes']).toMatchObject({ status: 'passed', file: 'fake/test-fake.yaml', index: 0 });
    expect(byNote['fake/hangs'].reason).toMatch(/timeout/);
    expect(byNote['fake/throws'].reason).toMatch(/TypeError: boom/);
    expect(byNote['fake/stack overflow'].reason).toMatch(/RangeError/);
    expect(byNote['fake/worker exits'].reason).toMatch(/exited/);
    expect(byNote['fake/compile error'].reason).toMatch(/compile error/);
    expect(byNote['fake/expected error'].status).toBe('passed');
    expect(byNote['fake/undefined after trouble'].status).toBe('passed');
  }, 60_000);

  it('selects folders by name and cases by --filter, and prints reasons with -v', () => {
    const r = runner(['other', 'fake', '--filter', 'passes|wrong', '-v', '--report', path.join(tmp, 'r2.json')]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('other: 1/1');
    expect(lines).toContain('fake: 1/2');
    expect(r.stdout).toContain('FAIL fake/test-fake.yaml#1 fake/wrong result');
    expect(lines[lines.length - 1]).toBe('2 passed, 1 failed');
  }, 60_000);

  it('passes or fails against a baseline', () => {
    const base = path.join(tmp, 'baseline.json');
    writeFileSync(base, '{"passed": 2}');
    let r = runner(['--filter', 'passes|wrong', '--baseline', base, '--report', path.join(tmp, 'r3.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('2 passed, 1 failed');
    writeFileSync(base, '{"passed": 3}');
    r = runner(['--filter', 'passes|wrong', '--baseline', base, '--report', path.join(tmp, 'r4.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('below the baseline of 3');
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('2 passed, 1 failed');
  }, 60_000);

  it('rejects bad arguments', () => {
    expect(() => parseArgs(['--nope'])).toThrow(UsageError);
    expect(() => parseArgs(['--filter', '('])).toThrow(UsageError);
    expect(() => parseArgs(['--timeout', '0'])).toThrow(UsageError);
    expect(parseArgs(['-h'])).toBe('help');
    expect(() => resolveDirs(['no-such-topic'], CASES)).toThrow(UsageError);
    expect(resolveDirs([], CASES).map((d) => path.basename(d))).toEqual(['fake', 'other']);
    expect(runner(['no-such-topic']).code).toBe(2);
  });
});

describe('committed baseline', () => {
  it('is a {"passed": N} file', () => {
    const b = JSON.parse(readFileSync(path.join(HERE, 'baseline.json'), 'utf8'));
    expect(Number.isInteger(b.passed)).toBe(true);
  });
});
