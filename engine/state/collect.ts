// The state collector: builds the state document (engine/schema/state.schema.json) of one
// institution as of an instant, from the database (engine/db/migrations).
//
// - The "small" collections (staff, accounts, consents, sheets, samples, audits…) are read
//   with one query each, rebuilt as of the instant from their history tables (designations,
//   password history, custodians, notifications…).
// - High-volume facts are computed in SQL: per-month and per-ISO-week query counts (Taipei
//   calendar) → query_months / query_weeks; monthly sample sizes and reviewed staff.
// - The query log is never loaded whole: log-reader.ts pages through it by sequence number
//   (keyset pagination), a page at a time, straight into Rego values.
// - Rows that do not fit the schema leave their collection and become invalid_rows entries.

import { sql, type Kysely, type RawBuilder } from 'kysely';
import { toJS } from '../rego/json.ts';
import { logPages } from './log-reader.ts';
import { normalizeRow, checkRows, rowProblems } from './validate.ts';
import { taipeiISO } from './time.ts';
import type { InvalidRow, Row, StateDocument } from './types.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDB = Kysely<any>;

export interface CollectOptions {
  /** The instant of the evaluation. */
  asOf: Date;
  institutionId: string;
  /** The password history depth for PWD-03 (plan: 3; a larger institution override applies). */
  passwordHistory?: number;
}

export class CollectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CollectError';
  }
}

async function rows(db: AnyDB, q: RawBuilder<unknown>): Promise<Row[]> {
  const r = await q.execute(db);
  return r.rows as Row[];
}

/** JS values of a database row as the document writes them (instants in Taipei time). */
function plain(v: unknown): unknown {
  if (v instanceof Date) return taipeiISO(v);
  if (typeof v === 'bigint') return Number(v);
  return v;
}

function clean(collection: string, r: Row, asOf: Date, events: string[] = []): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(r)) {
    // An event recorded after the as-of instant had not happened yet.
    if (events.includes(k) && v instanceof Date && v.getTime() > asOf.getTime()) out[k] = null;
    else out[k] = plain(v);
  }
  return normalizeRow(collection, out);
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** The institutions in the database (id, name, role), ordered by id. */
export async function listInstitutions(db: AnyDB): Promise<{ id: string; name: string; role: string }[]> {
  return (await rows(db, sql`SELECT id, name, role FROM institutions ORDER BY id`)) as { id: string; name: string; role: string }[];
}

/**
 * The document without query_records: every small collection, the SQL aggregates, and the
 * invalid rows found. Throws CollectError when the institution is unknown.
 */
export async function collectSmall(db: AnyDB, opts: CollectOptions): Promise<StateDocument> {
  const { asOf, institutionId: inst } = opts;
  const T = ts(asOf);
  const [head] = await rows(db, sql`SELECT id, name, role, batch_server, parameters FROM institutions WHERE id = ${inst}`);
  if (!head) throw new CollectError(`institution "${inst}" is not in the database`);
  const params = (head.parameters ?? {}) as Record<string, unknown>;
  const institution: StateDocument['institution'] = {
    id: String(head.id),
    name: String(head.name),
    role: String(head.role),
    batch_server: head.batch_server === true,
  };
  if (Object.keys(params).length) institution.parameters = params;
  const historyDepth = Math.max(opts.passwordHistory ?? 3, typeof params['password.history'] === 'number' ? (params['password.history'] as number) : 0);

  const doc: StateDocument = { as_of: taipeiISO(asOf), institution };
  const invalid: InvalidRow[] = [];
  const put = (collection: string, list: Row[]) => {
    const r = checkRows(collection, list);
    doc[collection] = r.rows;
    invalid.push(...r.invalid);
  };

  // Staff: roles, designation and duty as of T.
  put(
    'staff',
    (
      await rows(
        db,
        sql`SELECT s.id, s.name, s.title, s.id_number,
              COALESCE((SELECT json_agg(r.role ORDER BY r.role) FROM staff_roles r
                         WHERE r.staff_id = s.id AND (r.granted_at IS NULL OR r.granted_at <= ${T})
                           AND (r.revoked_at IS NULL OR r.revoked_at > ${T})), '[]'::json) AS roles,
              (d.id IS NOT NULL) AS designated,
              d.approved_by AS designation_approved_by, d.approved_at AS designation_approved_at,
              d.duty_from::text AS duty_from, d.duty_to::text AS duty_to,
              CASE WHEN s.left_on <= (${T} AT TIME ZONE 'Asia/Taipei')::date THEN s.left_on::text END AS left_on,
              CASE WHEN s.transferred_on <= (${T} AT TIME ZONE 'Asia/Taipei')::date THEN s.transferred_on::text END AS transferred_on,
              s.register_deleted_at
            FROM staff s
            LEFT JOIN LATERAL (
              SELECT x.id, x.approved_by, x.approved_at, x.duty_from, x.duty_to FROM staff_designations x
               WHERE x.staff_id = s.id AND x.approved_at <= ${T} AND (x.revoked_at IS NULL OR x.revoked_at > ${T})
               ORDER BY x.approved_at DESC, x.id DESC LIMIT 1) d ON true
            WHERE s.institution_id = ${inst}
            ORDER BY s.id`,
      )
    ).map((r) => clean('staff', r, asOf, ['register_deleted_at'])),
  );

  // Accounts: state as of T, current password from the history (hashes only).
  put(
    'accounts',
    (
      await rows(
        db,
        sql`SELECT a.id, a.staff_id, a.kind, a.shared,
              CASE WHEN a.disabled_at IS NOT NULL THEN a.disabled_at > ${T} ELSE a.enabled END AS enabled,
              a.disabled_at, a.created_at,
              cur.set_at AS password_set_at,
              COALESCE(EXISTS (
                SELECT 1 FROM (SELECT p2.password_hash FROM password_history p2
                                WHERE p2.account_id = a.id AND p2.set_at <= ${T}
                                ORDER BY p2.set_at DESC, p2.id DESC OFFSET 1 LIMIT ${historyDepth}) prev
                 WHERE prev.password_hash = cur.password_hash), false) AS password_reused_recent,
              cur.complexity_ok AS password_complexity_ok, cur.length AS password_length,
              a.failed_attempts,
              (a.locked AND (a.locked_at IS NULL OR a.locked_at <= ${T})) AS locked,
              a.suspected_leak_at
            FROM accounts a
            LEFT JOIN LATERAL (
              SELECT p.set_at, p.password_hash, p.complexity_ok, p.length FROM password_history p
               WHERE p.account_id = a.id AND p.set_at <= ${T} ORDER BY p.set_at DESC, p.id DESC LIMIT 1) cur ON true
            WHERE a.institution_id = ${inst} AND (a.created_at IS NULL OR a.created_at <= ${T})
            ORDER BY a.id`,
      )
    ).map((r) => {
      const row = clean('accounts', r, asOf, ['disabled_at', 'suspected_leak_at']);
      row.can_login = row.enabled === true && row.locked !== true;
      return row;
    }),
  );

  put(
    'authorisation_changes',
    (
      await rows(
        db,
        sql`SELECT c.id, c.account_id, c.changed_at, c.change, c.permission, c.approved_by, c.deleted_at
            FROM authorisation_changes c JOIN accounts a ON a.id = c.account_id
            WHERE a.institution_id = ${inst} AND (c.changed_at IS NULL OR c.changed_at <= ${T})
            ORDER BY c.id`,
      )
    ).map((r) => clean('authorisation_changes', r, asOf, ['deleted_at'])),
  );

  put(
    'admin_handovers',
    (
      await rows(
        db,
        sql`SELECT id, from_staff, to_staff, handover_on::text AS handover_on, old_account_id, old_account_disabled_at,
              new_account_id, system_cannot_change, password_changed_at
            FROM admin_handovers
            WHERE institution_id = ${inst} AND (handover_on IS NULL OR handover_on <= (${T} AT TIME ZONE 'Asia/Taipei')::date)
            ORDER BY id`,
      )
    ).map((r) => clean('admin_handovers', r, asOf, ['old_account_disabled_at', 'password_changed_at'])),
  );

  put(
    'access_reviews',
    (
      await rows(
        db,
        sql`SELECT id, performed_at, reviewer, scope, deleted_at FROM access_reviews
            WHERE institution_id = ${inst} AND (performed_at IS NULL OR performed_at <= ${T}) ORDER BY id`,
      )
    ).map((r) => clean('access_reviews', r, asOf, ['deleted_at'])),
  );

  put(
    'consents',
    (
      await rows(
        db,
        sql`SELECT id, subject_id, channel, consented_on::text AS consented_on, source_ip, source_phone, text_version,
              identity_verified, jcic_registered_at, jcic_approved_at, credit_granted, credit_end_on::text AS credit_end_on,
              CASE WHEN refused_on <= (${T} AT TIME ZONE 'Asia/Taipei')::date THEN refused_on::text END AS refused_on,
              deleted_at
            FROM consents
            WHERE institution_id = ${inst} AND (consented_on IS NULL OR consented_on <= (${T} AT TIME ZONE 'Asia/Taipei')::date)
            ORDER BY id`,
      )
    ).map((r) => clean('consents', r, asOf, ['jcic_registered_at', 'jcic_approved_at', 'deleted_at'])),
  );

  // Query-log aggregates (Taipei calendar), computed in the database.
  // Per Taipei day: whole days before the as-of instant's Taipei day from the counters kept on
  // append (query_log_daily_counts, migration 0004); that day itself counted from the log up to
  // the instant (index (institution_id, at)). Exactly the rows with at <= T, as a GROUP BY of
  // the whole log would count them.
  const taipeiDays = sql`
      SELECT day, records FROM query_log_daily_counts
       WHERE institution_id = ${inst} AND day < (${T} AT TIME ZONE 'Asia/Taipei')::date
      UNION ALL
      SELECT (${T} AT TIME ZONE 'Asia/Taipei')::date, count(*) FROM query_log
       WHERE institution_id = ${inst} AND at <= ${T}
         AND at >= ((${T} AT TIME ZONE 'Asia/Taipei')::date::timestamp AT TIME ZONE 'Asia/Taipei')`;
  doc.query_months = (
    await rows(
      db,
      sql`SELECT to_char(day::timestamp, 'YYYY-MM') AS month, sum(records)::bigint AS records
          FROM (${taipeiDays}) AS d GROUP BY 1 HAVING sum(records) > 0 ORDER BY 1`,
    )
  ).map((r) => ({ month: String(r.month), records: Number(r.records) }));
  doc.query_weeks = (
    await rows(
      db,
      sql`SELECT to_char(day::timestamp, 'IYYY-"W"IW') AS week, sum(records)::bigint AS records
          FROM (${taipeiDays}) AS d GROUP BY 1 HAVING sum(records) > 0 ORDER BY 1`,
    )
  ).map((r) => ({ week: String(r.week), records: Number(r.records) }));

  put(
    'weekly_sheets',
    (
      await rows(
        db,
        sql`SELECT id, week, produced_at, signed_by, signed_at, approved_by, approved_at, deleted_at, records
            FROM weekly_sheets WHERE institution_id = ${inst} AND (produced_at IS NULL OR produced_at <= ${T})
            ORDER BY week, id`,
      )
    ).map((r) => clean('weekly_sheets', r, asOf, ['signed_at', 'approved_at', 'deleted_at'])),
  );

  // Monthly samples: size and reviewed staff from the sampled records.
  put(
    'monthly_samples',
    (
      await rows(
        db,
        sql`SELECT m.id, m.month, m.reviewer,
              (SELECT count(*)::int FROM sample_records r WHERE r.sample_id = m.id) AS sampled,
              m.completed_at, m.deleted_at,
              COALESCE((SELECT json_agg(DISTINCT r.staff_id) FROM sample_records r
                         WHERE r.sample_id = m.id AND r.staff_id IS NOT NULL), '[]'::json) AS reviewed_staff,
              m.system_records_checked
            FROM monthly_samples m
            WHERE m.institution_id = ${inst} AND (m.completed_at IS NULL OR m.completed_at <= ${T})
            ORDER BY m.month, m.id`,
      )
    ).map((r) => {
      const row = clean('monthly_samples', r, asOf, ['deleted_at']);
      if (Array.isArray(row.reviewed_staff)) row.reviewed_staff = [...(row.reviewed_staff as string[])].sort();
      return row;
    }),
  );

  put(
    'jcic_temp_records',
    (
      await rows(
        db,
        sql`SELECT t.id, t.obtained_at, t.deleted_at,
              COALESCE((SELECT json_agg(json_build_object('path', f.path,
                          'deleted_at', CASE WHEN f.deleted_at <= ${T} THEN f.deleted_at END) ORDER BY f.path)
                        FROM jcic_derived_files f WHERE f.temp_record_id = t.id), '[]'::json) AS derived_files
            FROM jcic_temp_records t
            WHERE t.institution_id = ${inst} AND (t.obtained_at IS NULL OR t.obtained_at <= ${T})
            ORDER BY t.id`,
      )
    ).map((r) => {
      const row = clean('jcic_temp_records', r, asOf, ['deleted_at']);
      // json_build_object gives instants as text in the session's time zone: make them RFC 3339.
      row.derived_files = ((row.derived_files as Row[]) ?? []).map((f) => ({
        path: f.path,
        deleted_at: f.deleted_at == null ? null : taipeiISO(new Date(String(f.deleted_at))),
      }));
      return row;
    }),
  );

  put(
    'deletions',
    (
      await rows(
        db,
        sql`SELECT d.id, d.target, d.deleted_at, d.method, d.performed_by,
              CASE WHEN d.performed_by IS NULL THEN NULL ELSE EXISTS (
                SELECT 1 FROM staff_roles r WHERE r.staff_id = d.performed_by AND r.role = 'deletion'
                   AND (r.granted_at IS NULL OR r.granted_at <= d.deleted_at)
                   AND (r.revoked_at IS NULL OR r.revoked_at > d.deleted_at)) END AS performer_designated,
              d.covers_derived_files,
              e.evidence_ref, e.deleted_at AS evidence_deleted_at
            FROM deletions d
            LEFT JOIN LATERAL (SELECT x.evidence_ref, x.deleted_at FROM deletion_evidence x WHERE x.deletion_id = d.id
                                ORDER BY x.recorded_at NULLS LAST, x.id LIMIT 1) e ON true
            WHERE d.institution_id = ${inst} AND (d.deleted_at IS NULL OR d.deleted_at <= ${T})
            ORDER BY d.id`,
      )
    ).map((r) => clean('deletions', r, asOf, ['evidence_deleted_at'])),
  );

  put(
    'user_unit_data',
    (
      await rows(
        db,
        sql`SELECT id, case_no, use_completed_on::text AS use_completed_on, retention_needed, deleted_at, procedure_ref
            FROM user_unit_data WHERE institution_id = ${inst} ORDER BY id`,
      )
    ).map((r) => clean('user_unit_data', r, asOf, ['deleted_at'])),
  );

  put(
    'batch_transfers',
    (
      await rows(
        db,
        sql`SELECT b.id, b.transferred_at, b.handled_by,
              CASE WHEN b.handled_by IS NULL THEN NULL ELSE EXISTS (
                SELECT 1 FROM staff_roles r WHERE r.staff_id = b.handled_by AND r.role = 'batch'
                   AND (r.granted_at IS NULL OR r.granted_at <= b.transferred_at)
                   AND (r.revoked_at IS NULL OR r.revoked_at > b.transferred_at)) END AS handler_designated,
              b.integrity_checked, b.access_controlled, b.use_until, b.last_used_at, b.left_premises
            FROM batch_transfers b
            WHERE b.institution_id = ${inst} AND (b.transferred_at IS NULL OR b.transferred_at <= ${T})
            ORDER BY b.id`,
      )
    ).map((r) => clean('batch_transfers', r, asOf, ['last_used_at'])),
  );

  const [logs] = await rows(
    db,
    sql`SELECT enabled, oldest_entry_at, purged_before FROM data_access_log_settings WHERE institution_id = ${inst}`,
  );
  if (logs) {
    const row = clean('data_access_logs', logs, asOf);
    const problems = rowProblems('data_access_logs', row, 'data_access_logs');
    if (problems.length) invalid.push(...problems);
    else doc.data_access_logs = row;
  }

  put(
    'chip_cards',
    (
      await rows(
        db,
        sql`SELECT c.id,
              (SELECT x.staff_id FROM chip_card_custodians x WHERE x.card_id = c.id AND x.custody = 'card'
                  AND x.from_at <= ${T} AND (x.to_at IS NULL OR x.to_at > ${T}) ORDER BY x.from_at DESC LIMIT 1) AS card_custodian,
              (SELECT x.staff_id FROM chip_card_custodians x WHERE x.card_id = c.id AND x.custody = 'pin'
                  AND x.from_at <= ${T} AND (x.to_at IS NULL OR x.to_at > ${T}) ORDER BY x.from_at DESC LIMIT 1) AS pin_custodian,
              (SELECT max(p.changed_at) FROM chip_card_pin_changes p WHERE p.card_id = c.id AND p.changed_at <= ${T}) AS pin_changed_at,
              (SELECT max(x.from_at) FROM chip_card_custodians x WHERE x.card_id = c.id AND x.from_at <= ${T}) AS last_staff_change_at
            FROM chip_cards c
            WHERE c.institution_id = ${inst} AND (c.issued_at IS NULL OR c.issued_at <= ${T})
            ORDER BY c.id`,
      )
    ).map((r) => clean('chip_cards', r, asOf)),
  );

  put(
    'linkage_staff_changes',
    (
      await rows(
        db,
        sql`SELECT id, changed_on::text AS changed_on,
              CASE WHEN bli_notified_on <= (${T} AT TIME ZONE 'Asia/Taipei')::date THEN bli_notified_on::text END AS bli_notified_on
            FROM linkage_staff_changes
            WHERE institution_id = ${inst} AND (changed_on IS NULL OR changed_on <= (${T} AT TIME ZONE 'Asia/Taipei')::date)
            ORDER BY id`,
      )
    ).map((r) => clean('linkage_staff_changes', r, asOf)),
  );

  put(
    'audits',
    (
      await rows(
        db,
        sql`SELECT id, kind, performed_at, subject, report_sent_to_jcic_at, deleted_at FROM audits
            WHERE institution_id = ${inst} AND (performed_at IS NULL OR performed_at <= ${T}) ORDER BY id`,
      )
    ).map((r) => clean('audits', r, asOf, ['report_sent_to_jcic_at', 'deleted_at'])),
  );

  // user_units.id is the table's primary key: an overseer's row may carry its own prefix
  // ("jcic:bank-001") so that JCIC and the FSC can both list a unit; the document gets "bank-001".
  put(
    'user_units',
    (
      await rows(
        db,
        sql`SELECT CASE WHEN left(id, length(institution_id) + 1) = institution_id || ':' THEN substr(id, length(institution_id) + 2) ELSE id END AS id,
              name, joined_on::text AS joined_on, linkage_active FROM user_units
            WHERE institution_id = ${inst} AND (joined_on IS NULL OR joined_on <= (${T} AT TIME ZONE 'Asia/Taipei')::date) ORDER BY id`,
      )
    ).map((r) => clean('user_units', r, asOf)),
  );

  put(
    'incidents',
    (
      await rows(
        db,
        sql`SELECT i.id, i.detected_at, i.kind,
              (SELECT min(n.notified_at) FROM notifications n WHERE n.incident_id = i.id AND n.recipient = 'jcic' AND n.notified_at <= ${T}) AS notified_jcic_at,
              (SELECT min(n.notified_at) FROM notifications n WHERE n.incident_id = i.id AND n.recipient = 'bli' AND n.notified_at <= ${T}) AS notified_bli_at,
              (SELECT min(n.notified_at) FROM notifications n WHERE n.incident_id = i.id AND n.recipient = 'fsc' AND n.notified_at <= ${T}) AS notified_fsc_at,
              i.response_recorded
            FROM incidents i
            WHERE i.institution_id = ${inst} AND (i.detected_at IS NULL OR i.detected_at <= ${T}) ORDER BY i.id`,
      )
    ).map((r) => clean('incidents', r, asOf)),
  );

  put(
    'certifications',
    (
      await rows(
        db,
        sql`SELECT id, kind, valid_from, valid_until FROM certifications
            WHERE institution_id = ${inst} AND (valid_from IS NULL OR valid_from <= ${T}) ORDER BY id`,
      )
    ).map((r) => clean('certifications', r, asOf)),
  );

  put(
    'trainings',
    (
      await rows(
        db,
        sql`SELECT id, staff_id, year, required_hours, completed_hours FROM trainings
            WHERE institution_id = ${inst} AND year <= extract(year FROM ${T} AT TIME ZONE 'Asia/Taipei') ORDER BY id`,
      )
    ).map((r) => clean('trainings', r, asOf)),
  );

  put(
    'attestations',
    (
      await rows(
        db,
        sql`SELECT id, requirement, attested_by, attested_at, evidence_ref, valid_until, scope FROM attestations
            WHERE institution_id = ${inst} AND attested_at <= ${T} ORDER BY id`,
      )
    ).map((r) => clean('attestations', r, asOf)),
  );

  if (invalid.length) doc.invalid_rows = invalid;
  return doc;
}

/** The whole document, query log included (for small institutions, tests and `--dump`). */
export async function collectState(db: AnyDB, opts: CollectOptions): Promise<StateDocument> {
  const doc = await collectSmall(db, opts);
  const records: Row[] = [];
  const invalid = (doc.invalid_rows as InvalidRow[] | undefined) ?? [];
  for await (const page of logPages(db, { institutionId: opts.institutionId, asOf: opts.asOf, afterSeq: 0 })) {
    for (const v of page.values) records.push(toJS(v) as Row);
    for (const i of page.invalid) invalid.push(...i.rows);
  }
  doc.query_records = records;
  if (invalid.length) doc.invalid_rows = invalid;
  return doc;
}
