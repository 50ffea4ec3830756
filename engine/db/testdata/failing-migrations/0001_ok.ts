// Test-only migration folder (engine/db/migrate.test.ts): 0001 succeeds, 0002 fails midway.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE probe_one (id integer PRIMARY KEY)`.execute(db);
  await sql`INSERT INTO probe_one VALUES (1)`.execute(db);
}
