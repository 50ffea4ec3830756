// `bligate verify-log` argument handling (the database cases: engine/db/querylog.test.ts and
// engine/db/pglite.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseVerifyLogArgs, run } from './verifylog.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) }, out, err };
}

describe('verify-log arguments', () => {
  it('takes the URL from --db, else DATABASE_URL, else the embedded database', () => {
    expect(parseVerifyLogArgs(['--db', 'postgres://a@b/c'], {})).toMatchObject({ url: 'postgres://a@b/c' });
    expect(parseVerifyLogArgs([], { DATABASE_URL: 'postgres://x@y/z' })).toMatchObject({ url: 'postgres://x@y/z' });
    expect(parseVerifyLogArgs(['--db=postgres://a@b/c'], { DATABASE_URL: 'postgres://x@y/z' })).toMatchObject({ url: 'postgres://a@b/c' });
    expect(parseVerifyLogArgs([], {})).toMatchObject({ url: undefined, dataDir: path.join('.bligate', 'db'), format: 'text', batch: 5000 });
    expect(parseVerifyLogArgs(['--data-dir', '/x', '-f', 'json', '--batch', '10'], {})).toMatchObject({ dataDir: '/x', format: 'json', batch: 10 });
  });

  it('usage errors exit 2 with one line and a hint; --help exits 0', async () => {
    for (const argv of [['--format', 'xml'], ['--batch', '0'], ['--nope'], ['extra'], ['--db']]) {
      const c = capture();
      expect(await run(argv, c.io, {}), argv.join(' ')).toBe(2);
      const lines = c.err.join('').trimEnd().split('\n');
      expect(lines[0]).toMatch(/^bligate: verify-log: /);
      expect(lines[1]).toBe("Run 'bligate verify-log --help' for usage.");
      expect(c.out).toEqual([]);
    }
    const h = capture();
    expect(await run(['--help'], h.io, {})).toBe(0);
    expect(h.out.join('')).toContain('Usage:\n  bligate verify-log [flags]');
  });

  it('an embedded data directory that holds no database is a usage error, not a new database', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bligate-vl-'));
    try {
      const c = capture();
      expect(await run(['--data-dir', path.join(dir, 'none')], c.io, {})).toBe(2);
      expect(c.err.join('')).toBe(`bligate: verify-log: no embedded database in ${path.join(dir, 'none')} (give --db URL or --data-dir DIR)\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
