// Reading the query log for the per-record rules: an institution's log in seq order, a page at a
// time, turned straight into Rego values. On PostgreSQL one COPY streams a whole seq range and is
// cut into pages as it arrives; through kysely (PGlite) each page is one keyset query (seq > the
// last page's last seq).
//
// The hot path of a state evaluation: a 10 M-row log is 10 M rows through here. So:
// - instants are never Date objects. Through COPY they come as the database's JSON text under a
//   +08:00 time zone (`to_json(at)`: "2026-11-27T10:00:00.123+08:00"), which is already the
//   state document's Taipei RFC 3339 (state/time.ts) when it has whole milliseconds: the record
//   keeps a slice of the page's text, which time.parse_rfc3339_ns reads without copying (a
//   string built by concatenation is first flattened: 0.4 against 0.2 µs a parse, and a record
//   is parsed three times) and the database spends less than on epoch arithmetic. Through
//   kysely they come as epoch milliseconds (bigint) and are written with taipeiISO;
// - a record becomes a Rego object directly (no plain JS row, no fromJS);
// - the schema check (engine/schema/state.schema.json, $defs/query_record) is done by a fast test
//   of what the column types do not already guarantee (id not empty, conditions an object,
//   fields an array of strings); a row failing it goes through the full schema validation
//   (validate.ts), which names every problem → invalid_rows → a LOG-01 finding.

import { sql } from 'kysely';
import type pg from 'pg';
import { copyOutPages } from '../db/copy-out.ts';
import { CopyTextError, CopyTextReader } from '../db/copy-text.ts';
import { normalizeNumber } from '../rego/number.ts';
import { emptyRecord, ObjectValue, RECORD_PROTOTYPE, type Value } from '../rego/value.ts';
import { taipeiISO } from './time.ts';
import { normalizeRow, rowProblems } from './validate.ts';
import type { AnyDB } from './collect.ts';
import type { InvalidRow, Row } from './types.ts';

export interface LogPageOptions {
  institutionId: string;
  asOf: Date;
  /** Rows with seq greater than this. */
  afterSeq: number;
  /** … and at most this (inclusive; default: no bound). */
  toSeq?: number;
  /** Rows per page (default 5,000). */
  limit?: number;
  /**
   * The pg pool behind `db` (PostgreSQL): logPages then streams the range with COPY … TO STDOUT
   * in text format (db/copy-out.ts, db/copy-text.ts), far cheaper per row than the driver's
   * parsing of each column. Without it, through kysely (PGlite).
   */
  pool?: pg.Pool;
}

export interface LogPage {
  /** Valid records as Rego objects (document order). */
  values: Value[];
  /** Their ids, sequence numbers and consent ids (same order). */
  ids: string[];
  seqs: number[];
  consentIds: (string | null)[];
  /** Rows that do not fit the schema, with their sequence numbers. */
  invalid: { seq: number; rows: InvalidRow[] }[];
  /** The highest sequence number read (afterSeq when the page is empty). */
  lastSeq: number;
  /** Rows read (valid + invalid). */
  rows: number;
}

export const DEFAULT_PAGE_SIZE = 5_000;

/**
 * The log rows of an institution after `afterSeq` (up to `toSeq`) up to the as-of instant, in seq
 * order, at most `limit` of them (none: all).
 */
function logQuery(o: LogPageOptions, instants: 'ms' | 'json', limit?: number) {
  const T = sql`${o.asOf.toISOString()}::timestamptz`;
  const upper = o.toSeq === undefined ? sql`` : sql`AND q.seq <= ${o.toSeq}`;
  // 'json': JSON text, RFC 3339 in the session's time zone (COPY_SETTINGS: +08:00).
  const ms = (col: unknown) => (instants === 'json' ? sql`to_json(${col})` : sql`floor(extract(epoch FROM ${col}) * 1000)::bigint`);
  return sql<DriverRow>`
    SELECT q.seq, q.id, ${ms(sql`q.at`)} AS at_ms, q.account_id, q.staff_id, q.ip, q.op_code, q.conditions, q.case_no,
           q.reason, q.purpose, q.consent_id, q.fields, q.destination_country, q.printed_other_case, q.modified_data,
           ap.request_id AS approval_request, ap.approved_by, ${ms(sql`ap.approved_at`)} AS approved_at_ms, ap.level_ok,
           ${ms(sql`del.deleted_at`)} AS deleted_at_ms
      FROM query_log q
      LEFT JOIN LATERAL (
        SELECT x.request_id, x.approved_by, x.approved_at, x.level_ok FROM query_approvals x
         WHERE x.request_id = q.request_id AND x.decision = 'approved' AND (x.approved_at IS NULL OR x.approved_at <= ${T})
         ORDER BY x.approved_at DESC NULLS LAST, x.id DESC LIMIT 1) ap ON q.request_id IS NOT NULL
      LEFT JOIN query_log_deletions del ON del.query_seq = q.seq AND del.deleted_at <= ${T}
     WHERE q.institution_id = ${o.institutionId} AND q.seq > ${o.afterSeq} ${upper} AND q.at <= ${T}
     ORDER BY q.seq
     ${limit === undefined ? sql`` : sql`LIMIT ${limit}`}`;
}

/** One page of the log (through kysely: PostgreSQL or PGlite). */
export async function readLogPage(db: AnyDB, o: LogPageOptions): Promise<LogPage> {
  const rows = (await logQuery(o, 'ms', o.limit ?? DEFAULT_PAGE_SIZE).execute(db)).rows;
  return toPage(rows.map(fromDriverRow), o.afterSeq);
}

/** The COPY session's settings: instants written in Taipei's offset (to_json in logQuery). */
const COPY_SETTINGS = { TimeZone: '<+08>-08' }; // POSIX: the zone named +08, 8 hours east of UTC

/**
 * Pages of the log after `afterSeq` (up to `toSeq`), in seq order.
 * - With `pool` (PostgreSQL): one COPY of the whole range, cut into pages of `limit` rows as it
 *   arrives (a query per page would cost the database a plan over every partition each time).
 * - Otherwise a query per page; the next page's query is sent before the current page is
 *   handed out, so the database works on it while the caller evaluates.
 */
export async function* logPages(db: AnyDB, o: LogPageOptions): AsyncGenerator<LogPage> {
  const limit = o.limit ?? DEFAULT_PAGE_SIZE;
  if (o.pool) {
    let after = o.afterSeq;
    for await (const buf of copyOutPages(o.pool, logQuery(o, 'json').compile(db), limit, { settings: COPY_SETTINGS })) {
      const page = toPage(rawRowsFromCopy(buf), after);
      after = page.lastSeq;
      yield page;
    }
    return;
  }
  let page = await readLogPage(db, o);
  for (;;) {
    if (page.rows === 0) return;
    const more = page.rows === limit;
    const next = more ? readLogPage(db, { ...o, afterSeq: page.lastSeq }) : undefined;
    next?.catch(() => undefined); // awaited below
    yield page;
    if (!next) return;
    page = await next;
  }
}

/** A row of the page query, instants as Taipei RFC 3339 text (state/time.ts). */
export interface RawRow {
  seq: number | string;
  id: unknown;
  at: string | null;
  account_id: string | null;
  staff_id: string | null;
  ip: string | null;
  op_code: string | null;
  conditions: unknown;
  /**
   * Read with COPY: conditions as the database's jsonb text (null: SQL NULL), and `conditions`
   * left undefined — the text goes straight to a Rego value (flatObjectValue), not through a
   * plain JS object first.
   */
  conditionsText?: string | null;
  case_no: string | null;
  reason: string | null;
  purpose: string | null;
  consent_id: string | null;
  fields: unknown;
  destination_country: string | null;
  printed_other_case: boolean | null;
  modified_data: boolean | null;
  approval_request: string | null;
  approved_by: string | null;
  approved_at: string | null;
  level_ok: boolean | null;
  deleted_at: string | null;
}

/** A row of the page query as the driver gives it (kysely): instants as epoch milliseconds. */
type DriverRow = Omit<RawRow, 'at' | 'approved_at' | 'deleted_at'> & {
  at_ms: number | string | null;
  approved_at_ms: number | string | null;
  deleted_at_ms: number | string | null;
};

function fromDriverRow(d: DriverRow): RawRow {
  const { at_ms, approved_at_ms, deleted_at_ms, ...rest } = d;
  return { ...rest, at: instant(at_ms), approved_at: instant(approved_at_ms), deleted_at: instant(deleted_at_ms) };
}

/**
 * The rows of the page query from its COPY text-format output (columns in SELECT order), typed
 * as the driver would type them: jsonb parsed, booleans as booleans, bigints left as text.
 */
export function rawRowsFromCopy(buf: Buffer): RawRow[] {
  const r = new CopyTextReader(buf);
  const rows: RawRow[] = [];
  const json = new JsonTexts();
  while (r.nextRow()) {
    // Property initialisers run in source order: the columns' order.
    rows.push({
      seq: r.text() as string,
      id: r.text(),
      at: jsonInstant(r.jsonText()),
      account_id: r.text(),
      staff_id: r.text(),
      ip: r.text(),
      op_code: r.text(),
      conditions: undefined,
      conditionsText: r.text(),
      case_no: r.text(),
      reason: r.text(),
      purpose: r.text(),
      consent_id: r.text(),
      fields: json.parse(r.text()),
      destination_country: r.text(),
      printed_other_case: bool(r.text()),
      modified_data: bool(r.text()),
      approval_request: r.text(),
      approved_by: r.text(),
      approved_at: jsonInstant(r.jsonText()),
      level_ok: bool(r.text()),
      deleted_at: jsonInstant(r.jsonText()),
    });
    r.endRow();
  }
  return rows;
}

function bool(t: string | null): boolean | null {
  if (t === null) return null;
  if (t === 't') return true;
  if (t === 'f') return false;
  throw new CopyTextError(`not a boolean: ${JSON.stringify(t)}`);
}

/**
 * JSON texts of a page, parsed. A column whose texts repeat (a query's `fields` list is one of a
 * few) is parsed once per distinct text; the value is shared, as Rego values are never changed.
 */
class JsonTexts {
  private readonly seen = new Map<string, unknown>();
  private lastText: string | null = null;
  private lastValue: unknown = null;
  parse(t: string | null): unknown {
    if (t === null) return null;
    // The same text as the row before (the usual case): one string comparison, no hashing.
    if (t === this.lastText) return this.lastValue;
    let v = this.seen.get(t);
    if (v === undefined) {
      v = JSON.parse(t);
      if (this.seen.size < 64) this.seen.set(t, v);
    }
    this.lastText = t;
    this.lastValue = v;
    return v;
  }
}

const instant = (ms: number | string | null): string | null => (ms == null ? null : taipeiISO(Number(ms)));

const JSON_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?\+08:00$/;

/**
 * The Taipei RFC 3339 text (as taipeiISO writes it: milliseconds, only when not zero) of an
 * instant as the database writes it in JSON under a +08:00 time zone (the text inside the
 * quotes; COPY_SETTINGS). That is already the form when the fraction has three digits or none
 * (PostgreSQL drops trailing zeros): the text is kept as it is. Otherwise the fraction is cut to
 * milliseconds; text of another form goes through Date.parse, and when not even that reads it,
 * it is kept as it is (the schema check then finds the row invalid).
 */
export function jsonInstant(t: string | null): string | null {
  if (t === null) return null;
  const n = t.length;
  // The database's own text (digits where digits go): no fraction, or three digits not all zero.
  if ((n === 25 || (n === 29 && t.charCodeAt(19) === 46 && !t.startsWith('000', 20))) && t.charCodeAt(10) === 84 && t.endsWith('+08:00')) return t;
  const m = JSON_INSTANT.exec(t);
  if (m) {
    const ms = ((m[2] ?? '') + '000').slice(0, 3);
    return ms === '000' ? `${m[1]}+08:00` : `${m[1]}.${ms}+08:00`;
  }
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? taipeiISO(ms) : t;
}

/** A page from the query's rows (exported for tests). */
export function toPage(rows: RawRow[], afterSeq: number): LogPage {
  const page: LogPage = { values: [], ids: [], seqs: [], consentIds: [], invalid: [], lastSeq: afterSeq, rows: rows.length };
  for (const r of rows) {
    const seq = Number(r.seq);
    page.lastSeq = seq;
    const value = fastRecord(r);
    if (value) {
      page.values.push(value);
      page.ids.push(r.id as string);
      page.seqs.push(seq);
      page.consentIds.push(r.consent_id);
      continue;
    }
    // Not certainly valid: the full schema check decides, and names the problems.
    const row = plainRecord(r);
    const problems = rowProblems('query_records', row, `seq ${seq}`);
    if (problems.length) {
      page.invalid.push({ seq, rows: problems });
    } else {
      page.values.push(jsonValue(row));
      page.ids.push(row.id as string);
      page.seqs.push(seq);
      page.consentIds.push(r.consent_id);
    }
  }
  return page;
}

/** The number of keys fastRecord sets. */
const RECORD_KEYS = 17;

/**
 * The record as a Rego object when the row certainly fits the schema, else undefined. The
 * columns' types guarantee the rest: text columns are strings or null, booleans booleans or
 * null, instants valid (at NOT NULL); see the test that pins this against the schema.
 */
function fastRecord(r: RawRow): ObjectValue | undefined {
  if (typeof r.id !== 'string' || r.id.length === 0 || r.at == null) return undefined;
  const c = conditionsValue(r);
  if (c === undefined) return undefined;
  const f = r.fields;
  if (!Array.isArray(f)) return undefined;
  for (let i = 0; i < f.length; i++) if (typeof f[i] !== 'string') return undefined;
  const rec = new QueryRecord(r, c, approvalValue(r), f as string[]);
  return ObjectValue.adopt(rec, RECORD_KEYS);
}

/**
 * A query record's keys as in-object properties (RECORD_PROTOTYPE): one allocation, and the
 * shape every record of a page shares.
 */
const QueryRecord = function QueryRecord(this: Record<string, Value>, r: RawRow, conditions: Value, approval: Value, fields: string[]) {
  this.id = r.id as string;
  this.at = r.at;
  this.account_id = r.account_id;
  this.staff_id = r.staff_id;
  this.ip = r.ip;
  this.op_code = r.op_code;
  this.conditions = conditions;
  this.case_no = r.case_no;
  this.reason = r.reason;
  this.purpose = r.purpose;
  this.consent_id = r.consent_id;
  this.approval = approval;
  this.fields = fields;
  this.destination_country = r.destination_country;
  this.printed_other_case = r.printed_other_case;
  this.modified_data = r.modified_data;
  this.deleted_at = r.deleted_at;
} as unknown as { new (r: RawRow, conditions: Value, approval: Value, fields: string[]): Record<string, Value>; prototype: object };
QueryRecord.prototype = RECORD_PROTOTYPE;

/** The row's conditions as plain JSON. */
function plainConditions(r: RawRow): unknown {
  if (r.conditionsText === undefined) return r.conditions;
  return r.conditionsText === null ? null : JSON.parse(r.conditionsText);
}

/** The row's conditions as a Rego value when they are null or an object (what the schema allows), else undefined. */
function conditionsValue(r: RawRow): Value | undefined {
  const t = r.conditionsText;
  if (t !== undefined && t !== null) {
    const flat = flatObjectValue(t);
    if (flat !== undefined) return flat;
  }
  const c = plainConditions(r);
  if (c === null) return null;
  if (typeof c !== 'object' || Array.isArray(c)) return undefined;
  return jsonValue(c);
}

/**
 * The Rego object of a jsonb text that is a flat object of strings, as PostgreSQL writes it
 * (`{"k": "v", "k2": "v2"}`: keys and string values without escapes), else undefined (then
 * JSON.parse decides). Query conditions are usually of this kind.
 */
export function flatObjectValue(t: string): ObjectValue | undefined {
  const n = t.length;
  if (n < 2 || t.charCodeAt(0) !== 123 || t.charCodeAt(n - 1) !== 125 || t.indexOf('\\') >= 0) return undefined;
  const rec = emptyRecord();
  if (n === 2) return ObjectValue.adopt(rec, 0);
  let i = 1;
  let size = 0;
  for (;;) {
    if (t.charCodeAt(i) !== 34) return undefined; // "
    const keyEnd = t.indexOf('"', i + 1);
    // ": "
    if (keyEnd < 0 || t.charCodeAt(keyEnd + 1) !== 58 || t.charCodeAt(keyEnd + 2) !== 32 || t.charCodeAt(keyEnd + 3) !== 34) return undefined;
    const valueEnd = t.indexOf('"', keyEnd + 4);
    if (valueEnd < 0) return undefined;
    const key = t.slice(i + 1, keyEnd);
    if (key in rec) return undefined; // not jsonb's layout (it has no duplicate keys)
    rec[key] = t.slice(keyEnd + 4, valueEnd);
    size++;
    const c = t.charCodeAt(valueEnd + 1);
    if (c === 125 && valueEnd + 2 === n) return ObjectValue.adopt(rec, size); // }
    if (c !== 44 || t.charCodeAt(valueEnd + 2) !== 32) return undefined; // ", "
    i = valueEnd + 3;
  }
}

function approvalValue(r: RawRow): Value {
  if (r.approval_request == null) return null;
  const a = emptyRecord();
  a.approved_by = r.approved_by ?? null;
  a.approved_at = r.approved_at;
  a.level_ok = r.level_ok ?? null;
  return ObjectValue.adopt(a, 3);
}

/** The record as plain JSON, the way the state document writes it (for the schema check and dumps). */
export function plainRecord(r: RawRow): Row {
  const rec: Row = {
    id: r.id,
    at: r.at,
    account_id: r.account_id,
    staff_id: r.staff_id,
    ip: r.ip,
    op_code: r.op_code,
    conditions: plainConditions(r),
    case_no: r.case_no,
    reason: r.reason,
    purpose: r.purpose,
    consent_id: r.consent_id,
    approval:
      r.approval_request == null
        ? null
        : { approved_by: r.approved_by ?? null, approved_at: r.approved_at, level_ok: r.level_ok ?? null },
    fields: r.fields ?? [],
    destination_country: r.destination_country,
    printed_other_case: r.printed_other_case,
    modified_data: r.modified_data,
    deleted_at: r.deleted_at,
  };
  return normalizeRow('query_records', rec);
}

/** A Rego value from parsed JSON (string keys only; numbers as OPA reads JSON numbers). */
export function jsonValue(x: unknown): Value {
  switch (typeof x) {
    case 'string':
    case 'boolean':
      return x;
    case 'number':
      return normalizeNumber(x) as Value;
    case 'object': {
      if (x === null) return null;
      if (Array.isArray(x)) {
        const out: Value[] = new Array(x.length);
        for (let i = 0; i < x.length; i++) out[i] = jsonValue(x[i]);
        return out;
      }
      const rec = emptyRecord();
      const src = x as Record<string, unknown>;
      let size = 0;
      for (const k of Object.keys(src)) {
        if (src[k] === undefined) continue;
        rec[k] = jsonValue(src[k]);
        size++;
      }
      return ObjectValue.adopt(rec, size);
    }
  }
  throw new TypeError(`not JSON: ${typeof x}`);
}
