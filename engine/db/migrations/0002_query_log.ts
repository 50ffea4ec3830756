// Migration 0002: the query log, the record an auditor trusts.
//
// - query_log is partitioned by RANGE on `at` (the query instant), one partition per Asia/Taipei
//   calendar month, named query_log_pYYYYMM. Partitions are created on demand by
//   bligate_query_log_partition(at), which appendQueryLog / bulkLoadQueryLog call before
//   inserting (engine/db/querylog.ts). There is no default partition: a row outside every
//   partition is an error, never silently parked.
// - Append-only: a trigger refuses UPDATE, DELETE (row triggers, cloned onto every partition)
//   and TRUNCATE (statement triggers, on the parent and on each partition). Where the database
//   allows roles, the role `bligate_app` gets only SELECT/INSERT on it (see 0002's grants and
//   docs in engine/db/README.md); PGlite runs as a single superuser, so there only the trigger
//   protects the log.
// - Hash-chained: seq is gapless and assigned in order under a lock on the single row of
//   query_log_head; row_hash = SHA-256(canonical content incl. prev_hash), computed in TS
//   (engine/db/chain.ts defines the canonical form precisely).
// - PRIMARY KEY (seq, at): a partitioned table's unique keys must contain the partition key;
//   seq's uniqueness and gaplessness come from the chain head, and verify-log checks them.
import { sql, type Kysely } from 'kysely';

export const statements: string[] = [
  `CREATE TABLE query_log (
     seq                  bigint NOT NULL CHECK (seq > 0),
     id                   text NOT NULL,
     institution_id       text NOT NULL,
     at                   timestamptz NOT NULL,
     account_id           text,
     staff_id             text,
     ip                   text,
     op_code              text,
     conditions           jsonb,
     case_no              text,
     reason               text,
     purpose              text,
     consent_id           text,
     request_id           text,
     fields               jsonb NOT NULL DEFAULT '[]'::jsonb,
     destination_country  text,
     printed_other_case   boolean,
     modified_data        boolean,
     prev_hash            text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
     row_hash             text NOT NULL CHECK (row_hash ~ '^[0-9a-f]{64}$'),
     recorded_at          timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (seq, at)
   ) PARTITION BY RANGE (at)`,
  // Partitioned indexes: created on every partition, present and future.
  `CREATE INDEX query_log_seq_idx ON query_log (seq)`,
  `CREATE INDEX query_log_at_idx ON query_log (at)`,
  `CREATE INDEX query_log_account_idx ON query_log (account_id, at)`,
  `CREATE INDEX query_log_staff_idx ON query_log (staff_id, at)`,
  `CREATE INDEX query_log_consent_idx ON query_log (consent_id) WHERE consent_id IS NOT NULL`,
  `CREATE INDEX query_log_institution_idx ON query_log (institution_id, at)`,

  // The chain head: one row, locked FOR UPDATE by every append.
  `CREATE TABLE query_log_head (
     singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
     last_seq    bigint NOT NULL CHECK (last_seq >= 0),
     last_hash   text NOT NULL CHECK (last_hash ~ '^[0-9a-f]{64}$'),
     updated_at  timestamptz NOT NULL DEFAULT now()
   )`,
  `INSERT INTO query_log_head (singleton, last_seq, last_hash)
     VALUES (true, 0, '0000000000000000000000000000000000000000000000000000000000000000')`,

  `CREATE FUNCTION bligate_query_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $fn$
   BEGIN
     RAISE EXCEPTION 'query_log is append-only: % refused', TG_OP
       USING ERRCODE = 'insufficient_privilege',
             HINT = 'the query log is hash-chained; corrections are new rows';
   END
   $fn$`,
  `CREATE TRIGGER query_log_append_only BEFORE UPDATE OR DELETE ON query_log
     FOR EACH ROW EXECUTE FUNCTION bligate_query_log_refuse()`,
  `CREATE TRIGGER query_log_no_truncate BEFORE TRUNCATE ON query_log
     FOR EACH STATEMENT EXECUTE FUNCTION bligate_query_log_refuse()`,

  // Creates (if needed) the partition holding instant p_at and returns its name. SECURITY
  // DEFINER so that bligate_app, which may not CREATE, can still extend the log; search_path is
  // pinned to the migration's. Concurrent callers serialise on an advisory lock.
  `CREATE FUNCTION bligate_query_log_partition(p_at timestamptz) RETURNS text
     LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $fn$
   DECLARE
     local_month timestamp := date_trunc('month', p_at AT TIME ZONE 'Asia/Taipei');
     from_at timestamptz := local_month AT TIME ZONE 'Asia/Taipei';
     to_at timestamptz := (local_month + interval '1 month') AT TIME ZONE 'Asia/Taipei';
     part text := 'query_log_p' || to_char(local_month, 'YYYYMM');
   BEGIN
     IF p_at IS NULL THEN
       RAISE EXCEPTION 'bligate_query_log_partition: instant is null';
     END IF;
     IF to_regclass(quote_ident(part)) IS NOT NULL THEN
       RETURN part;
     END IF;
     PERFORM pg_advisory_xact_lock(hashtext('bligate.query_log.partition'));
     IF to_regclass(quote_ident(part)) IS NULL THEN
       EXECUTE format('CREATE TABLE %I PARTITION OF query_log FOR VALUES FROM (%L) TO (%L)', part, from_at, to_at);
       EXECUTE format('CREATE TRIGGER query_log_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION bligate_query_log_refuse()', part);
       EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', part);
     END IF;
     RETURN part;
   END
   $fn$`,
  `REVOKE ALL ON FUNCTION bligate_query_log_partition(timestamptz) FROM PUBLIC`,

  // The source system's deletion of a log record (the record's deleted_at in the state
  // document). The log row itself stays: the log is append-only.
  `CREATE TABLE query_log_deletions (
     query_seq   bigint PRIMARY KEY,
     query_id    text NOT NULL,
     query_at    timestamptz NOT NULL,
     deleted_at  timestamptz NOT NULL,
     deleted_by  text,
     reason      text
   )`,

  // Evaluation cache for the state collector (per-record results reused across runs). Not
  // evidence: it may be dropped and rebuilt at any time.
  `CREATE TABLE query_record_results (
     policy_digest   text NOT NULL,
     query_seq       bigint NOT NULL,
     context_digest  text NOT NULL DEFAULT '',
     findings        jsonb NOT NULL,
     computed_at     timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (policy_digest, query_seq)
   )`,
  `CREATE TABLE evaluation_checkpoints (
     policy_digest   text PRIMARY KEY,
     last_seq        bigint NOT NULL,
     last_hash       text NOT NULL,
     context_digest  text NOT NULL DEFAULT '',
     state           jsonb NOT NULL DEFAULT '{}'::jsonb,
     updated_at      timestamptz NOT NULL DEFAULT now()
   )`,

  // The application's role. Roles are cluster-wide: create it once (racing creators are fine),
  // and skip the grants where the migrating user may not create roles (managed databases).
  `DO $do$
   BEGIN
     IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bligate_app') THEN
       BEGIN
         CREATE ROLE bligate_app NOLOGIN;
       EXCEPTION
         WHEN duplicate_object OR unique_violation THEN NULL;
         WHEN insufficient_privilege THEN
           RAISE NOTICE 'bligate: cannot create role bligate_app; the query log is protected by its trigger only';
           RETURN;
       END;
     END IF;
     REVOKE ALL ON query_log FROM PUBLIC;
     REVOKE ALL ON query_log_head FROM PUBLIC;
     GRANT SELECT, INSERT ON query_log TO bligate_app;
     GRANT SELECT, UPDATE ON query_log_head TO bligate_app;
     GRANT SELECT, INSERT ON query_log_deletions TO bligate_app;
     GRANT SELECT, INSERT, UPDATE, DELETE ON query_record_results, evaluation_checkpoints TO bligate_app;
     GRANT EXECUTE ON FUNCTION bligate_query_log_partition(timestamptz) TO bligate_app;
     GRANT SELECT, INSERT, UPDATE, DELETE ON
       institutions, staff, staff_roles, staff_designations, accounts, password_history, authorisation_changes,
       admin_handovers, access_reviews, consents, query_requests, query_approvals, weekly_sheets, monthly_samples,
       sample_records, jcic_temp_records, jcic_derived_files, deletions, deletion_evidence, user_unit_data,
       batch_transfers, data_access_log_settings, chip_cards, chip_card_custodians, chip_card_pin_changes,
       linkage_staff_changes, audits, user_units, incidents, notifications, certifications, trainings, attestations
       TO bligate_app;
   END
   $do$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of [
    'DROP TABLE IF EXISTS evaluation_checkpoints',
    'DROP TABLE IF EXISTS query_record_results',
    'DROP TABLE IF EXISTS query_log_deletions',
    'DROP TABLE IF EXISTS query_log',
    'DROP TABLE IF EXISTS query_log_head',
    'DROP FUNCTION IF EXISTS bligate_query_log_partition(timestamptz)',
    'DROP FUNCTION IF EXISTS bligate_query_log_refuse()',
  ]) {
    await sql.raw(s).execute(db);
  }
}
