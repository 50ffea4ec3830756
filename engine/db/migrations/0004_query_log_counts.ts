// Migration 0004: per-day counts of the query log, maintained on append.
//
// The state collector's query_months / query_weeks (per Taipei month and ISO week) used to
// GROUP BY the whole log on every evaluation: seconds at 10 M rows. Now:
// - query_log_daily_counts holds, per (institution, Asia/Taipei calendar day of `at`), the
//   number of log rows. It only grows: the log is append-only (0002), so no UPDATE/DELETE path
//   needs handling.
// - An AFTER INSERT … FOR EACH STATEMENT trigger on the partitioned query_log, with a transition
//   table of the inserted rows (all partitions' rows: the statement names the parent), upserts
//   the statement's per-(institution, day) counts. It fires for multi-row INSERT
//   (appendQueryLog) and for COPY (bulkLoadQueryLog), in the inserting transaction: a rolled-back
//   append rolls its counts back too. Keys are upserted in key order, so two writers that
//   bypass the chain head's lock still take the counter rows' locks in the same order.
// - The trigger function is SECURITY DEFINER (search_path pinned, as 0002's partition function)
//   so that bligate_app, which has only SELECT/INSERT on query_log and only SELECT on the
//   counts, still maintains them. It cannot write the counts directly.
// - Backfilled from the existing rows. The trigger is created first: CREATE TRIGGER takes a
//   SHARE ROW EXCLUSIVE lock on query_log until the migration commits, so every row is counted
//   exactly once — committed before the lock by the backfill, later by the trigger.
// - Not counted: rows written into a partition directly (statement triggers of the parent do
//   not fire; only the table's owner or a superuser may, bligate_app has no privilege on
//   partitions) or with triggers disabled. engine/db/README.md shows how to rebuild the counts.
// The collector (engine/state/collect.ts) sums whole days before the as-of instant's Taipei day
// from here and counts that day itself from query_log (at <= as-of).
import { sql, type Kysely } from 'kysely';

export const statements: string[] = [
  `CREATE TABLE query_log_daily_counts (
     institution_id  text NOT NULL,
     day             date NOT NULL,
     records         bigint NOT NULL CHECK (records > 0),
     PRIMARY KEY (institution_id, day)
   )`,

  `CREATE FUNCTION bligate_query_log_count() RETURNS trigger
     LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $fn$
   BEGIN
     INSERT INTO query_log_daily_counts AS c (institution_id, day, records)
       SELECT n.institution_id, (n.at AT TIME ZONE 'Asia/Taipei')::date, count(*)
         FROM query_log_new_rows n
        GROUP BY 1, 2
        ORDER BY 1, 2
     ON CONFLICT (institution_id, day) DO UPDATE SET records = c.records + excluded.records;
     RETURN NULL;
   END
   $fn$`,
  `REVOKE ALL ON FUNCTION bligate_query_log_count() FROM PUBLIC`,
  `CREATE TRIGGER query_log_count_days AFTER INSERT ON query_log
     REFERENCING NEW TABLE AS query_log_new_rows
     FOR EACH STATEMENT EXECUTE FUNCTION bligate_query_log_count()`,

  // Backfill (after the trigger: see the header).
  `INSERT INTO query_log_daily_counts (institution_id, day, records)
     SELECT institution_id, (at AT TIME ZONE 'Asia/Taipei')::date, count(*)
       FROM query_log
      GROUP BY 1, 2`,

  // Readable by the application, writable only through the trigger. Where 0002 could not create
  // the role (managed databases), there is nothing to grant.
  `REVOKE ALL ON query_log_daily_counts FROM PUBLIC`,
  `DO $do$
   BEGIN
     IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bligate_app') THEN
       GRANT SELECT ON query_log_daily_counts TO bligate_app;
     END IF;
   END
   $do$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of [
    'DROP TRIGGER IF EXISTS query_log_count_days ON query_log',
    'DROP FUNCTION IF EXISTS bligate_query_log_count()',
    'DROP TABLE IF EXISTS query_log_daily_counts',
  ]) {
    await sql.raw(s).execute(db);
  }
}
