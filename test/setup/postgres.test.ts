// The test cluster's plumbing (the cluster itself is started by the globalSetup for every run).
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseUrl } from './db.ts';
import { findPostgresBinDir, INSTALL_HINT } from './postgres.ts';

describe('test PostgreSQL', () => {
  it('finds the server binaries and says how to install them otherwise', () => {
    const dir = findPostgresBinDir();
    expect(dir).not.toBeNull();
    expect(path.basename(dir!)).toBe('bin');
    expect(INSTALL_HINT).toContain('apt-get install -y postgresql');
  });

  it('gives each test file its own database', async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    try {
      expect(a.name).not.toBe(b.name);
      const c = new pg.Client({ connectionString: a.url });
      await c.connect();
      const r = await c.query<{ db: string; su: boolean }>("select current_database() as db, current_setting('is_superuser') = 'on' as su");
      await c.end();
      expect(r.rows[0]).toEqual({ db: a.name, su: true });
      expect(testDatabaseUrl()).toMatch(/^postgres:\/\//);
    } finally {
      await a.drop();
      await b.drop();
    }
  });
});
