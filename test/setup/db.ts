// Per-test-file databases on the cluster of test/setup/postgres.ts.
//
//   const t = await createTestDatabase();      // CREATE DATABASE bligate_t_<random>
//   ... t.url (superuser URL to it) ...
//   await t.drop();                            // in afterAll
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The cluster's admin URL (the globalSetup's), or a clear error when it is missing. */
export function testDatabaseUrl(): string {
  let url: string | undefined = process.env.TEST_DATABASE_URL;
  if (!url) {
    try {
      url = inject('testDatabaseUrl');
    } catch {
      url = undefined;
    }
  }
  if (!url) throw new Error('no TEST_DATABASE_URL: run the tests through vitest (globalSetup test/setup/postgres.ts starts PostgreSQL)');
  return url;
}

function withDatabase(url: string, dbname: string): string {
  const u = new URL(url);
  u.pathname = `/${dbname}`;
  return u.toString();
}

export interface TestDatabase {
  /** URL of the new database (same role as TEST_DATABASE_URL: a superuser on the test cluster). */
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'bligate_t'): Promise<TestDatabase> {
  const admin = testDatabaseUrl();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  return {
    url: withDatabase(admin, name),
    name,
    async drop() {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      try {
        await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await d.end();
      }
    },
  };
}
