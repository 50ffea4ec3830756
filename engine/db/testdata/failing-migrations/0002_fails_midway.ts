// Test-only: creates a table and alters another, then fails. Nothing of it (nor of 0001, run in
// the same call) may remain.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE probe_two (id integer PRIMARY KEY)`.execute(db);
  await sql`ALTER TABLE probe_one ADD COLUMN note text`.execute(db);
  await sql`CREATE INDEX probe_two_idx ON probe_two (id)`.execute(db);
  await sql`ALTER TABLE no_such_table ADD COLUMN x integer`.execute(db); // fails
}
