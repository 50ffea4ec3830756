// Migration 0001: the institution's records (everything but the query log).
//
// Conventions (read by the state collector; see engine/db/types.ts for the TypeScript view):
// - ids are text (the source systems' own identifiers); every entity carries institution_id.
// - instants are `timestamptz`; calendar dates (Asia/Taipei) are `date` (read back as
//   'YYYY-MM-DD' strings: engine/db/connect.ts installs that parser for both drivers).
// - Columns that the state schema requires but that real, imported records may lack (a consent
//   without a date, an audit without an instant...) are deliberately NULLable: such a row must
//   reach the collector so that it becomes an `invalid_rows` finding, never a crash. Closed
//   vocabularies (kinds, roles, channels) are CHECKed, since the source systems enforce them.
// - History is kept as rows (designations, password history, custodians, notifications,
//   evidence) so that the collector can rebuild the state as of any instant.
// - Every statement runs inside the Migrator's transaction: a failure leaves the schema as it was.
import { sql, type Kysely } from 'kysely';

export const statements: string[] = [
  `CREATE TABLE institutions (
     id            text PRIMARY KEY,
     name          text NOT NULL,
     role          text NOT NULL CHECK (role IN ('user_unit', 'management_agency', 'supervisor')),
     batch_server  boolean NOT NULL DEFAULT false,
     parameters    jsonb NOT NULL DEFAULT '{}'::jsonb,
     created_at    timestamptz NOT NULL DEFAULT now()
   )`,

  // Staff and their designations ------------------------------------------------------------
  `CREATE TABLE staff (
     id                   text PRIMARY KEY,
     institution_id       text NOT NULL REFERENCES institutions(id),
     name                 text NOT NULL,
     title                text,
     id_number            text,
     left_on              date,
     transferred_on       date,
     register_deleted_at  timestamptz,
     created_at           timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX staff_institution_idx ON staff (institution_id)`,
  `CREATE TABLE staff_roles (
     staff_id    text NOT NULL REFERENCES staff(id),
     role        text NOT NULL CHECK (role IN ('query', 'review', 'card_custody', 'pin_custody', 'admin',
                                              'jcic_linkage', 'sampling', 'deletion', 'batch')),
     granted_at  timestamptz,
     revoked_at  timestamptz,
     PRIMARY KEY (staff_id, role)
   )`,
  // A designation by the unit head (STAFF-01). The staff member is "designated" as of T when a
  // designation has approved_at <= T and is not revoked at T; duty_from/duty_to bound the duty.
  `CREATE TABLE staff_designations (
     id             text PRIMARY KEY,
     staff_id       text NOT NULL REFERENCES staff(id),
     designated_by  text,
     approved_by    text,
     approved_at    timestamptz,
     duty_from      date,
     duty_to        date,
     revoked_at     timestamptz,
     created_at     timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX staff_designations_staff_idx ON staff_designations (staff_id)`,

  // Accounts, passwords, authorisation --------------------------------------------------------
  `CREATE TABLE accounts (
     id                 text PRIMARY KEY,
     institution_id     text NOT NULL REFERENCES institutions(id),
     staff_id           text REFERENCES staff(id),
     kind               text NOT NULL CHECK (kind IN ('query', 'admin', 'batch', 'service')),
     shared             boolean NOT NULL DEFAULT false,
     enabled            boolean NOT NULL DEFAULT true,
     disabled_at        timestamptz,
     created_at         timestamptz,
     failed_attempts    integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
     locked             boolean NOT NULL DEFAULT false,
     locked_at          timestamptz,
     suspected_leak_at  timestamptz
   )`,
  `CREATE INDEX accounts_institution_idx ON accounts (institution_id)`,
  `CREATE INDEX accounts_staff_idx ON accounts (staff_id)`,
  // Password history: hashes only, never a password. The current password of an account as of T
  // is its latest row with set_at <= T (password_set_at, complexity_ok, length come from it);
  // "reused" means its password_hash equals one of the previous N rows' hashes. password_hash is
  // whatever the source system stores, as long as equal passwords of one account give equal
  // hashes (e.g. "scrypt$<per-account salt>$<hex>"); complexity_ok / length are recorded when
  // the password is set (the password itself is never seen again).
  `CREATE TABLE password_history (
     id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     account_id      text NOT NULL REFERENCES accounts(id),
     set_at          timestamptz NOT NULL,
     password_hash   text NOT NULL,
     hash_algorithm  text,
     complexity_ok   boolean,
     length          integer CHECK (length >= 0),
     set_by          text
   )`,
  `CREATE INDEX password_history_account_idx ON password_history (account_id, set_at DESC)`,
  `CREATE TABLE authorisation_changes (
     id           text PRIMARY KEY,
     account_id   text NOT NULL REFERENCES accounts(id),
     changed_at   timestamptz,
     change       text NOT NULL CHECK (change IN ('grant', 'revoke', 'modify', 'disable', 'enable')),
     permission   text,
     approved_by  text,
     deleted_at   timestamptz
   )`,
  `CREATE INDEX authorisation_changes_account_idx ON authorisation_changes (account_id, changed_at)`,
  `CREATE TABLE admin_handovers (
     id                       text PRIMARY KEY,
     institution_id           text NOT NULL REFERENCES institutions(id),
     from_staff               text NOT NULL,
     to_staff                 text NOT NULL,
     handover_on              date,
     old_account_id           text,
     old_account_disabled_at  timestamptz,
     new_account_id           text,
     system_cannot_change     boolean NOT NULL DEFAULT false,
     password_changed_at      timestamptz
   )`,
  `CREATE TABLE access_reviews (
     id              text PRIMARY KEY,
     institution_id  text NOT NULL REFERENCES institutions(id),
     performed_at    timestamptz,
     reviewer        text,
     scope           text,
     deleted_at      timestamptz
   )`,

  // Consents ---------------------------------------------------------------------------------
  `CREATE TABLE consents (
     id                  text PRIMARY KEY,
     institution_id      text NOT NULL REFERENCES institutions(id),
     subject_id          text NOT NULL,
     channel             text NOT NULL CHECK (channel IN ('written', 'electronic')),
     consented_on        date,
     source_ip           text,
     source_phone        text,
     text_version        text,
     identity_verified   boolean,
     jcic_registered_at  timestamptz,
     jcic_approved_at    timestamptz,
     credit_granted      boolean,
     credit_end_on       date,
     refused_on          date,
     deleted_at          timestamptz
   )`,
  `CREATE INDEX consents_institution_idx ON consents (institution_id)`,
  `CREATE INDEX consents_subject_idx ON consents (subject_id)`,

  // Query requests and their approvals (the query log itself: migration 0002) ------------------
  `CREATE TABLE query_requests (
     id              text PRIMARY KEY,
     institution_id  text NOT NULL REFERENCES institutions(id),
     requested_at    timestamptz NOT NULL,
     staff_id        text,
     account_id      text,
     case_no         text,
     reason          text,
     purpose         text,
     consent_id      text,
     fields          jsonb NOT NULL DEFAULT '[]'::jsonb
   )`,
  `CREATE INDEX query_requests_institution_idx ON query_requests (institution_id, requested_at)`,
  // An approval (or refusal) of a request; a log record's "approval" is its request's latest
  // approval with decision 'approved'. level_ok: the approver had the required level.
  `CREATE TABLE query_approvals (
     id           text PRIMARY KEY,
     request_id   text NOT NULL REFERENCES query_requests(id),
     decision     text NOT NULL DEFAULT 'approved' CHECK (decision IN ('approved', 'refused')),
     approved_by  text,
     approved_at  timestamptz,
     level_ok     boolean
   )`,
  `CREATE INDEX query_approvals_request_idx ON query_approvals (request_id)`,

  // Weekly sheets, monthly samples -----------------------------------------------------------
  `CREATE TABLE weekly_sheets (
     id              text PRIMARY KEY,
     institution_id  text NOT NULL REFERENCES institutions(id),
     week            text NOT NULL CHECK (week ~ '^[0-9]{4}-W[0-9]{2}$'),
     produced_at     timestamptz,
     signed_by       text,
     signed_at       timestamptz,
     approved_by     text,
     approved_at     timestamptz,
     deleted_at      timestamptz,
     records         integer CHECK (records >= 0)
   )`,
  `CREATE INDEX weekly_sheets_week_idx ON weekly_sheets (institution_id, week)`,
  // A month's sample. "sampled" and "reviewed_staff" in the state document are derived from
  // sample_records (count, and the distinct staff of the sampled log records).
  `CREATE TABLE monthly_samples (
     id                      text PRIMARY KEY,
     institution_id          text NOT NULL REFERENCES institutions(id),
     month                   text NOT NULL CHECK (month ~ '^[0-9]{4}-[0-9]{2}$'),
     reviewer                text,
     completed_at            timestamptz,
     deleted_at              timestamptz,
     system_records_checked  boolean
   )`,
  `CREATE INDEX monthly_samples_month_idx ON monthly_samples (institution_id, month)`,
  // One sampled query-log record and its outcome. (query_seq, query_at) locate the log row
  // (query_at is the partition key, so the lookup prunes to one partition).
  `CREATE TABLE sample_records (
     sample_id   text NOT NULL REFERENCES monthly_samples(id),
     query_seq   bigint NOT NULL,
     query_id    text NOT NULL,
     query_at    timestamptz NOT NULL,
     staff_id    text,
     outcome     text NOT NULL CHECK (outcome IN ('ok', 'irregular', 'unverifiable')),
     note        text,
     checked_at  timestamptz,
     PRIMARY KEY (sample_id, query_seq)
   )`,

  // JCIC temporary records and derived files -------------------------------------------------
  `CREATE TABLE jcic_temp_records (
     id              text PRIMARY KEY,
     institution_id  text NOT NULL REFERENCES institutions(id),
     obtained_at     timestamptz,
     deleted_at      timestamptz
   )`,
  `CREATE TABLE jcic_derived_files (
     id              text PRIMARY KEY,
     temp_record_id  text NOT NULL REFERENCES jcic_temp_records(id),
     path            text NOT NULL,
     deleted_at      timestamptz
   )`,
  `CREATE INDEX jcic_derived_files_record_idx ON jcic_derived_files (temp_record_id)`,

  // Deletions and their evidence ------------------------------------------------------------
  // performer_designated in the state document: the performer holds staff role 'deletion'.
  `CREATE TABLE deletions (
     id                    text PRIMARY KEY,
     institution_id        text NOT NULL REFERENCES institutions(id),
     target                text NOT NULL,
     deleted_at            timestamptz,
     method                text NOT NULL CHECK (method IN ('designated_person', 'scheduled_job', 'other')),
     performed_by          text,
     covers_derived_files  boolean
   )`,
  // evidence_ref / evidence_deleted_at in the state document: the deletion's earliest evidence.
  `CREATE TABLE deletion_evidence (
     id            text PRIMARY KEY,
     deletion_id   text NOT NULL REFERENCES deletions(id),
     evidence_ref  text NOT NULL,
     kind          text,
     recorded_at   timestamptz,
     deleted_at    timestamptz
   )`,
  `CREATE INDEX deletion_evidence_deletion_idx ON deletion_evidence (deletion_id)`,
  `CREATE TABLE user_unit_data (
     id                text PRIMARY KEY,
     institution_id    text NOT NULL REFERENCES institutions(id),
     case_no           text NOT NULL,
     use_completed_on  date,
     retention_needed  boolean NOT NULL DEFAULT false,
     deleted_at        timestamptz,
     procedure_ref     text
   )`,

  // Batch transfers, data access logs ------------------------------------------------------
  // handler_designated in the state document: the handler holds staff role 'batch'.
  `CREATE TABLE batch_transfers (
     id                 text PRIMARY KEY,
     institution_id     text NOT NULL REFERENCES institutions(id),
     transferred_at     timestamptz,
     handled_by         text,
     integrity_checked  boolean,
     access_controlled  boolean,
     use_until          timestamptz,
     last_used_at       timestamptz,
     left_premises      boolean
   )`,
  `CREATE TABLE data_access_log_settings (
     institution_id   text PRIMARY KEY REFERENCES institutions(id),
     enabled          boolean NOT NULL,
     oldest_entry_at  timestamptz,
     purged_before    timestamptz
   )`,

  // Chip cards and custodians ----------------------------------------------------------------
  `CREATE TABLE chip_cards (
     id              text PRIMARY KEY,
     institution_id  text NOT NULL REFERENCES institutions(id),
     label           text,
     issued_at       timestamptz
   )`,
  // Custody periods: card_custodian / pin_custodian as of T are the open periods at T;
  // last_staff_change_at is the latest from_at <= T.
  `CREATE TABLE chip_card_custodians (
     id          text PRIMARY KEY,
     card_id     text NOT NULL REFERENCES chip_cards(id),
     custody     text NOT NULL CHECK (custody IN ('card', 'pin')),
     staff_id    text NOT NULL,
     from_at     timestamptz NOT NULL,
     to_at       timestamptz
   )`,
  `CREATE INDEX chip_card_custodians_card_idx ON chip_card_custodians (card_id, from_at)`,
  `CREATE TABLE chip_card_pin_changes (
     id          text PRIMARY KEY,
     card_id     text NOT NULL REFERENCES chip_cards(id),
     changed_at  timestamptz NOT NULL,
     changed_by  text
   )`,
  `CREATE INDEX chip_card_pin_changes_card_idx ON chip_card_pin_changes (card_id, changed_at)`,
  `CREATE TABLE linkage_staff_changes (
     id               text PRIMARY KEY,
     institution_id   text NOT NULL REFERENCES institutions(id),
     changed_on       date,
     bli_notified_on  date
   )`,

  // Audits, user units, incidents and notifications ----------------------------------------
  `CREATE TABLE audits (
     id                      text PRIMARY KEY,
     institution_id          text NOT NULL REFERENCES institutions(id),
     kind                    text NOT NULL CHECK (kind IN ('fsc_written', 'fsc_onsite', 'fsc_user_unit_exam', 'internal',
                                                           'self_inspection', 'jcic_consent_check', 'jcic_security', 'usage_review')),
     performed_at            timestamptz,
     subject                 text,
     report_sent_to_jcic_at  timestamptz,
     deleted_at              timestamptz
   )`,
  `CREATE INDEX audits_institution_idx ON audits (institution_id, kind, performed_at)`,
  `CREATE TABLE user_units (
     id              text PRIMARY KEY,
     institution_id  text NOT NULL REFERENCES institutions(id),
     name            text NOT NULL,
     joined_on       date,
     linkage_active  boolean NOT NULL DEFAULT true
   )`,
  `CREATE TABLE incidents (
     id                 text PRIMARY KEY,
     institution_id     text NOT NULL REFERENCES institutions(id),
     detected_at        timestamptz,
     kind               text,
     response_recorded  boolean
   )`,
  // notified_<recipient>_at in the state document: the earliest notification to that recipient.
  `CREATE TABLE notifications (
     id           text PRIMARY KEY,
     incident_id  text NOT NULL REFERENCES incidents(id),
     recipient    text NOT NULL CHECK (recipient IN ('jcic', 'bli', 'fsc', 'subject', 'other')),
     notified_at  timestamptz NOT NULL,
     channel      text,
     reference    text
   )`,
  `CREATE INDEX notifications_incident_idx ON notifications (incident_id)`,

  // Certifications, trainings, attestations -------------------------------------------------
  `CREATE TABLE certifications (
     id              text PRIMARY KEY,
     institution_id  text NOT NULL REFERENCES institutions(id),
     kind            text NOT NULL CHECK (kind IN ('ISO27001', 'TPIPAS')),
     valid_from      timestamptz,
     valid_until     timestamptz
   )`,
  `CREATE TABLE trainings (
     id               text PRIMARY KEY,
     institution_id   text NOT NULL REFERENCES institutions(id),
     staff_id         text NOT NULL,
     year             integer NOT NULL,
     required_hours   double precision NOT NULL CHECK (required_hours >= 0),
     completed_hours  double precision NOT NULL CHECK (completed_hours >= 0)
   )`,
  `CREATE TABLE attestations (
     id              text PRIMARY KEY,
     institution_id  text NOT NULL REFERENCES institutions(id),
     requirement     text NOT NULL,
     attested_by     text NOT NULL,
     attested_at     timestamptz NOT NULL,
     evidence_ref    text NOT NULL,
     valid_until     timestamptz,
     scope           text
   )`,
  `CREATE INDEX attestations_requirement_idx ON attestations (institution_id, requirement)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = [
    'attestations', 'trainings', 'certifications', 'notifications', 'incidents', 'user_units', 'audits',
    'linkage_staff_changes', 'chip_card_pin_changes', 'chip_card_custodians', 'chip_cards', 'data_access_log_settings',
    'batch_transfers', 'user_unit_data', 'deletion_evidence', 'deletions', 'jcic_derived_files', 'jcic_temp_records',
    'sample_records', 'monthly_samples', 'weekly_sheets', 'query_approvals', 'query_requests', 'consents',
    'access_reviews', 'admin_handovers', 'authorisation_changes', 'password_history', 'accounts',
    'staff_designations', 'staff_roles', 'staff', 'institutions',
  ];
  for (const t of tables) await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db);
}
