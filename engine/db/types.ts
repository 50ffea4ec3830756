// The typed view of bligate's database (migrations: engine/db/migrations/*.ts, the source of
// truth; this interface must follow them). Read by the state collector.
//
// Value conventions, identical for both drivers (engine/db/connect.ts installs the parsers):
// - timestamptz → Date when read; write a Date or an RFC 3339 string with offset.
// - date (Asia/Taipei calendar dates) → 'YYYY-MM-DD' string, both ways.
// - bigint (int8, also count(*)) → number (values stay far below 2^53).
// - jsonb → parsed JSON when read; WRITE IT AS JSON TEXT (JSON.stringify(v)): the pg driver
//   would otherwise turn a JS array into a PostgreSQL array literal.
// - double precision → number.
//
// Columns the state schema requires but real records may lack are nullable here on purpose
// (see 0001_core.ts): the collector turns such a row into an `invalid_rows` entry.
//
// Derived facts (the collector computes them; the tables keep the history):
// - staff.designated / designation_approved_by / _at / duty_from / duty_to: the staff member's
//   staff_designations row with approved_at <= as_of and (revoked_at null or > as_of), latest
//   approved_at first.
// - staff.roles: staff_roles rows with (granted_at null or <= as_of) and (revoked_at null or > as_of).
// - accounts.password_set_at / password_complexity_ok / password_length: the latest
//   password_history row with set_at <= as_of; password_reused_recent: its password_hash equals
//   one of the previous N rows' (N = param password.history); can_login = enabled and not locked.
// - query_records[].approval: the request's (query_log.request_id) latest query_approvals row
//   with decision 'approved'; query_records[].deleted_at: query_log_deletions.deleted_at.
// - monthly_samples.sampled = count of sample_records; reviewed_staff = their distinct staff_id.
// - jcic_temp_records.derived_files: jcic_derived_files.
// - deletions.evidence_ref / evidence_deleted_at: the earliest deletion_evidence row;
//   performer_designated: performed_by holds staff role 'deletion'.
// - batch_transfers.handler_designated: handled_by holds staff role 'batch'.
// - chip_cards.card_custodian / pin_custodian: the open chip_card_custodians period at as_of
//   (custody 'card' / 'pin'); last_staff_change_at: latest from_at <= as_of;
//   pin_changed_at: latest chip_card_pin_changes.changed_at <= as_of.
// - incidents.notified_{jcic,bli,fsc}_at: earliest notifications.notified_at per recipient.
// - data_access_logs: data_access_log_settings (one row per institution).
// - query_months / query_weeks: counts of query_log by Taipei month / ISO week: whole Taipei days
//   before the as-of instant's day from query_log_daily_counts (kept on append by a trigger,
//   0004), the as-of day itself from query_log (at <= as_of), summed per month / week in SQL.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** timestamptz: read as Date, written as Date or RFC 3339 string. */
export type Instant = ColumnType<Date, Date | string, Date | string>;
/** Nullable timestamptz. */
export type NullableInstant = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** timestamptz with a default (now()). */
export type DefaultInstant = ColumnType<Date, Date | string | undefined, Date | string>;
/** date (Taipei calendar date), 'YYYY-MM-DD'. */
export type CalendarDate = string;
export type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
/** jsonb: read as parsed JSON, written as JSON text. */
export type Json<T extends JsonValue = JsonValue> = ColumnType<T, string, string>;
export type JsonWithDefault<T extends JsonValue = JsonValue> = ColumnType<T, string | undefined, string>;
export type NullableJson<T extends JsonValue = JsonValue> = ColumnType<T | null, string | null | undefined, string | null>;

/** A nullable column that may be omitted on insert. */
type Opt<T> = ColumnType<T | null, T | null | undefined, T | null>;
/** A column with a database default. */
type Def<T> = ColumnType<T, T | undefined, T>;

export type InstitutionRole = 'user_unit' | 'management_agency' | 'supervisor';
export type StaffRole =
  | 'query' | 'review' | 'card_custody' | 'pin_custody' | 'admin' | 'jcic_linkage' | 'sampling' | 'deletion' | 'batch';
export type AccountKind = 'query' | 'admin' | 'batch' | 'service';
export type AuthorisationChangeKind = 'grant' | 'revoke' | 'modify' | 'disable' | 'enable';
export type ConsentChannel = 'written' | 'electronic';
export type SampleOutcome = 'ok' | 'irregular' | 'unverifiable';
export type DeletionMethod = 'designated_person' | 'scheduled_job' | 'other';
export type AuditKind =
  | 'fsc_written' | 'fsc_onsite' | 'fsc_user_unit_exam' | 'internal' | 'self_inspection'
  | 'jcic_consent_check' | 'jcic_security' | 'usage_review';
export type NotificationRecipient = 'jcic' | 'bli' | 'fsc' | 'subject' | 'other';
export type CertificationKind = 'ISO27001' | 'TPIPAS';

export interface InstitutionsTable {
  id: string;
  name: string;
  role: InstitutionRole;
  batch_server: Def<boolean>;
  /** institution.parameters of the state document: dotted name → value. */
  parameters: JsonWithDefault<{ [name: string]: JsonValue }>;
  created_at: DefaultInstant;
  /** When the institution started taking part in the plan (Taipei date; 0003). */
  active_since: NullableDate;
}

export interface StaffTable {
  id: string;
  institution_id: string;
  name: string;
  title: Opt<string>;
  id_number: Opt<string>;
  left_on: NullableDate;
  transferred_on: NullableDate;
  register_deleted_at: NullableInstant;
  created_at: DefaultInstant;
}

export interface StaffRolesTable {
  staff_id: string;
  role: StaffRole;
  granted_at: NullableInstant;
  revoked_at: NullableInstant;
}

export interface StaffDesignationsTable {
  id: string;
  staff_id: string;
  designated_by: Opt<string>;
  approved_by: Opt<string>;
  approved_at: NullableInstant;
  duty_from: NullableDate;
  duty_to: NullableDate;
  revoked_at: NullableInstant;
  created_at: DefaultInstant;
}

export interface AccountsTable {
  id: string;
  institution_id: string;
  staff_id: Opt<string>;
  kind: AccountKind;
  shared: Def<boolean>;
  enabled: Def<boolean>;
  disabled_at: NullableInstant;
  created_at: NullableInstant;
  failed_attempts: Def<number>;
  locked: Def<boolean>;
  locked_at: NullableInstant;
  suspected_leak_at: NullableInstant;
}

/** Hashes only: never a password. */
export interface PasswordHistoryTable {
  id: Generated<number>;
  account_id: string;
  set_at: Instant;
  password_hash: string;
  hash_algorithm: Opt<string>;
  complexity_ok: Opt<boolean>;
  length: Opt<number>;
  set_by: Opt<string>;
}

export interface AuthorisationChangesTable {
  id: string;
  account_id: string;
  changed_at: NullableInstant;
  change: AuthorisationChangeKind;
  permission: Opt<string>;
  approved_by: Opt<string>;
  deleted_at: NullableInstant;
}

export interface AdminHandoversTable {
  id: string;
  institution_id: string;
  from_staff: string;
  to_staff: string;
  handover_on: NullableDate;
  old_account_id: Opt<string>;
  old_account_disabled_at: NullableInstant;
  new_account_id: Opt<string>;
  system_cannot_change: Def<boolean>;
  password_changed_at: NullableInstant;
}

export interface AccessReviewsTable {
  id: string;
  institution_id: string;
  performed_at: NullableInstant;
  reviewer: Opt<string>;
  scope: Opt<string>;
  deleted_at: NullableInstant;
}

export interface ConsentsTable {
  id: string;
  institution_id: string;
  subject_id: string;
  channel: ConsentChannel;
  consented_on: NullableDate;
  source_ip: Opt<string>;
  source_phone: Opt<string>;
  text_version: Opt<string>;
  identity_verified: Opt<boolean>;
  jcic_registered_at: NullableInstant;
  jcic_approved_at: NullableInstant;
  credit_granted: Opt<boolean>;
  credit_end_on: NullableDate;
  refused_on: NullableDate;
  deleted_at: NullableInstant;
}

export interface QueryRequestsTable {
  id: string;
  institution_id: string;
  requested_at: Instant;
  staff_id: Opt<string>;
  account_id: Opt<string>;
  case_no: Opt<string>;
  reason: Opt<string>;
  purpose: Opt<string>;
  consent_id: Opt<string>;
  fields: JsonWithDefault<string[]>;
}

export interface QueryApprovalsTable {
  id: string;
  request_id: string;
  decision: Def<'approved' | 'refused'>;
  approved_by: Opt<string>;
  approved_at: NullableInstant;
  level_ok: Opt<boolean>;
}

/**
 * The query log (partitioned by Taipei month on `at`, append-only, hash-chained). Write it only
 * through appendQueryLog / bulkLoadQueryLog (engine/db/querylog.ts), which assign seq,
 * prev_hash and row_hash; the Insertable type is for those functions.
 */
export interface QueryLogTable {
  seq: number;
  id: string;
  institution_id: string;
  at: Instant;
  account_id: Opt<string>;
  staff_id: Opt<string>;
  ip: Opt<string>;
  op_code: Opt<string>;
  conditions: NullableJson<{ [key: string]: JsonValue }>;
  case_no: Opt<string>;
  reason: Opt<string>;
  purpose: Opt<string>;
  consent_id: Opt<string>;
  request_id: Opt<string>;
  fields: JsonWithDefault<string[]>;
  destination_country: Opt<string>;
  printed_other_case: Opt<boolean>;
  modified_data: Opt<boolean>;
  prev_hash: string;
  row_hash: string;
  /** When the row reached the database (not hashed: bookkeeping only). */
  recorded_at: DefaultInstant;
}

export interface QueryLogHeadTable {
  singleton: Def<boolean>;
  last_seq: number;
  last_hash: string;
  updated_at: DefaultInstant;
}

/**
 * Rows of query_log per (institution, Asia/Taipei calendar day of `at`) (0004). Kept by the
 * trigger query_log_count_days (AFTER INSERT … FOR EACH STATEMENT on query_log): never written by
 * the application (bligate_app may only read it). Only grows, as the log does.
 */
export interface QueryLogDailyCountsTable {
  institution_id: string;
  /** Taipei calendar date, 'YYYY-MM-DD'. */
  day: CalendarDate;
  records: number;
}

export interface QueryLogDeletionsTable {
  query_seq: number;
  query_id: string;
  query_at: Instant;
  deleted_at: Instant;
  deleted_by: Opt<string>;
  reason: Opt<string>;
}

/** Collector's cache of per-record results (not evidence; may be dropped). */
export interface QueryRecordResultsTable {
  policy_digest: string;
  query_seq: number;
  context_digest: Def<string>;
  findings: Json;
  computed_at: DefaultInstant;
}

export interface EvaluationCheckpointsTable {
  policy_digest: string;
  last_seq: number;
  last_hash: string;
  context_digest: Def<string>;
  state: JsonWithDefault;
  updated_at: DefaultInstant;
}

export interface WeeklySheetsTable {
  id: string;
  institution_id: string;
  /** ISO week, Taipei: 'YYYY-Www'. */
  week: string;
  produced_at: NullableInstant;
  signed_by: Opt<string>;
  signed_at: NullableInstant;
  approved_by: Opt<string>;
  approved_at: NullableInstant;
  deleted_at: NullableInstant;
  records: Opt<number>;
}

export interface MonthlySamplesTable {
  id: string;
  institution_id: string;
  /** Taipei month 'YYYY-MM'. */
  month: string;
  reviewer: Opt<string>;
  completed_at: NullableInstant;
  deleted_at: NullableInstant;
  system_records_checked: Opt<boolean>;
}

export interface SampleRecordsTable {
  sample_id: string;
  query_seq: number;
  query_id: string;
  query_at: Instant;
  staff_id: Opt<string>;
  outcome: SampleOutcome;
  note: Opt<string>;
  checked_at: NullableInstant;
}

export interface JcicTempRecordsTable {
  id: string;
  institution_id: string;
  obtained_at: NullableInstant;
  deleted_at: NullableInstant;
}

export interface JcicDerivedFilesTable {
  id: string;
  temp_record_id: string;
  path: string;
  deleted_at: NullableInstant;
}

export interface DeletionsTable {
  id: string;
  institution_id: string;
  target: string;
  deleted_at: NullableInstant;
  method: DeletionMethod;
  performed_by: Opt<string>;
  covers_derived_files: Opt<boolean>;
}

export interface DeletionEvidenceTable {
  id: string;
  deletion_id: string;
  evidence_ref: string;
  kind: Opt<string>;
  recorded_at: NullableInstant;
  deleted_at: NullableInstant;
}

export interface UserUnitDataTable {
  id: string;
  institution_id: string;
  case_no: string;
  use_completed_on: NullableDate;
  retention_needed: Def<boolean>;
  deleted_at: NullableInstant;
  procedure_ref: Opt<string>;
}

export interface BatchTransfersTable {
  id: string;
  institution_id: string;
  transferred_at: NullableInstant;
  handled_by: Opt<string>;
  integrity_checked: Opt<boolean>;
  access_controlled: Opt<boolean>;
  use_until: NullableInstant;
  last_used_at: NullableInstant;
  left_premises: Opt<boolean>;
}

export interface DataAccessLogSettingsTable {
  institution_id: string;
  enabled: boolean;
  oldest_entry_at: NullableInstant;
  purged_before: NullableInstant;
}

export interface ChipCardsTable {
  id: string;
  institution_id: string;
  label: Opt<string>;
  issued_at: NullableInstant;
}

export interface ChipCardCustodiansTable {
  id: string;
  card_id: string;
  custody: 'card' | 'pin';
  staff_id: string;
  from_at: Instant;
  to_at: NullableInstant;
}

export interface ChipCardPinChangesTable {
  id: string;
  card_id: string;
  changed_at: Instant;
  changed_by: Opt<string>;
}

export interface LinkageStaffChangesTable {
  id: string;
  institution_id: string;
  changed_on: NullableDate;
  bli_notified_on: NullableDate;
}

export interface AuditsTable {
  id: string;
  institution_id: string;
  kind: AuditKind;
  performed_at: NullableInstant;
  subject: Opt<string>;
  report_sent_to_jcic_at: NullableInstant;
  deleted_at: NullableInstant;
}

/** Units overseen by a management agency / supervisor; keyed by (institution_id, id) (0003). */
export interface UserUnitsTable {
  id: string;
  /** The overseeing institution. */
  institution_id: string;
  name: string;
  joined_on: NullableDate;
  linkage_active: Def<boolean>;
  /** When the unit's linkage ended (Taipei date; 0003). */
  left_on: NullableDate;
}

export interface IncidentsTable {
  id: string;
  institution_id: string;
  detected_at: NullableInstant;
  kind: Opt<string>;
  response_recorded: Opt<boolean>;
}

export interface NotificationsTable {
  id: string;
  incident_id: string;
  recipient: NotificationRecipient;
  notified_at: Instant;
  channel: Opt<string>;
  reference: Opt<string>;
}

export interface CertificationsTable {
  id: string;
  institution_id: string;
  kind: CertificationKind;
  valid_from: NullableInstant;
  valid_until: NullableInstant;
}

export interface TrainingsTable {
  id: string;
  institution_id: string;
  staff_id: string;
  year: number;
  required_hours: number;
  completed_hours: number;
}

export interface AttestationsTable {
  id: string;
  institution_id: string;
  requirement: string;
  attested_by: string;
  attested_at: Instant;
  evidence_ref: string;
  valid_until: NullableInstant;
  scope: Opt<string>;
}

export interface Database {
  institutions: InstitutionsTable;
  staff: StaffTable;
  staff_roles: StaffRolesTable;
  staff_designations: StaffDesignationsTable;
  accounts: AccountsTable;
  password_history: PasswordHistoryTable;
  authorisation_changes: AuthorisationChangesTable;
  admin_handovers: AdminHandoversTable;
  access_reviews: AccessReviewsTable;
  consents: ConsentsTable;
  query_requests: QueryRequestsTable;
  query_approvals: QueryApprovalsTable;
  query_log: QueryLogTable;
  query_log_head: QueryLogHeadTable;
  query_log_daily_counts: QueryLogDailyCountsTable;
  query_log_deletions: QueryLogDeletionsTable;
  query_record_results: QueryRecordResultsTable;
  evaluation_checkpoints: EvaluationCheckpointsTable;
  weekly_sheets: WeeklySheetsTable;
  monthly_samples: MonthlySamplesTable;
  sample_records: SampleRecordsTable;
  jcic_temp_records: JcicTempRecordsTable;
  jcic_derived_files: JcicDerivedFilesTable;
  deletions: DeletionsTable;
  deletion_evidence: DeletionEvidenceTable;
  user_unit_data: UserUnitDataTable;
  batch_transfers: BatchTransfersTable;
  data_access_log_settings: DataAccessLogSettingsTable;
  chip_cards: ChipCardsTable;
  chip_card_custodians: ChipCardCustodiansTable;
  chip_card_pin_changes: ChipCardPinChangesTable;
  linkage_staff_changes: LinkageStaffChangesTable;
  audits: AuditsTable;
  user_units: UserUnitsTable;
  incidents: IncidentsTable;
  notifications: NotificationsTable;
  certifications: CertificationsTable;
  trainings: TrainingsTable;
  attestations: AttestationsTable;
}

export type QueryLogRow = Selectable<QueryLogTable>;
export type NewConsent = Insertable<ConsentsTable>;
export type ConsentUpdate = Updateable<ConsentsTable>;
