// Migration 0003: follows the state schema's additions and the collector's requests
// (docs/schema-requests/collector.md).
// - institutions.active_since (date): when the institution started taking part in the plan.
// - user_units.left_on (date): when the unit's linkage ended.
// - user_units keyed by (institution_id, id): JCIC and the FSC both oversee the same banks, so a
//   unit's id is unique per overseeing institution only.
// - query_log (institution_id, seq): the collector's incremental page query
//   (WHERE institution_id = $1 AND seq > $2 AND at <= $3 ORDER BY seq).
import { sql, type Kysely } from 'kysely';

export const statements: string[] = [
  `ALTER TABLE institutions ADD COLUMN active_since date`,
  `ALTER TABLE user_units ADD COLUMN left_on date`,
  `ALTER TABLE user_units DROP CONSTRAINT user_units_pkey`,
  `ALTER TABLE user_units ADD PRIMARY KEY (institution_id, id)`,
  `CREATE INDEX query_log_institution_seq_idx ON query_log (institution_id, seq)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of [
    'DROP INDEX IF EXISTS query_log_institution_seq_idx',
    'ALTER TABLE user_units DROP CONSTRAINT user_units_pkey',
    'ALTER TABLE user_units ADD PRIMARY KEY (id)',
    'ALTER TABLE user_units DROP COLUMN left_on',
    'ALTER TABLE institutions DROP COLUMN active_since',
  ]) {
    await sql.raw(s).execute(db);
  }
}
