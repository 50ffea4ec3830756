// The query log's hash chain: the canonical content of a row and its hash.
//
// CANONICAL CONTENT (version "bligate.query_log.v1") of a row is the JSON text, with no
// whitespace, of this array, in this order:
//
//   ["bligate.query_log.v1", prev_hash, id, institution_id, at, account_id, staff_id, ip,
//    op_code, conditions, case_no, reason, purpose, consent_id, request_id, fields,
//    destination_country, printed_other_case, modified_data]
//
// - prev_hash: the previous row's row_hash (lower-case hex); for seq 1, 64 zeros (GENESIS).
// - strings: JSON strings as JSON.stringify writes them; absent/NULL values: null.
// - at: the instant in UTC as YYYY-MM-DDTHH:MM:SS.ffffffZ, always 6 fraction digits (PostgreSQL
//   keeps microseconds; e.g. 2026-09-30T15:59:00.000000Z for 2026-09-30T23:59:00+08:00).
// - conditions (an object or null) and fields (an array of strings): canonical JSON — object
//   keys sorted by UTF-16 code units, no whitespace, numbers as JavaScript prints them (jsonb
//   keeps them, and they round-trip through JSON.parse).
// - booleans: true / false / null.
// row_hash = lower-case hex SHA-256 of the UTF-8 bytes of the canonical content.
//
// seq is not in the content: the order is bound by prev_hash, so a row moved to another seq
// still verifies by itself but breaks the links around it — verify-log reports it as
// "reordered", a gap in seq as "missing", a content change as "changed". recorded_at is
// bookkeeping, not hashed.
import crypto from 'node:crypto';
import type { JsonValue } from './types.ts';

export const CHAIN_VERSION = 'bligate.query_log.v1';
export const GENESIS_HASH = '0'.repeat(64);

/** A query-log record as the application supplies it (seq and hashes are assigned on append). */
export interface QueryLogInput {
  id: string;
  institution_id: string;
  /** A Date or an RFC 3339 instant with offset (at most microsecond precision). */
  at: Date | string;
  account_id?: string | null;
  staff_id?: string | null;
  ip?: string | null;
  op_code?: string | null;
  conditions?: { [key: string]: JsonValue } | null;
  case_no?: string | null;
  reason?: string | null;
  purpose?: string | null;
  consent_id?: string | null;
  request_id?: string | null;
  fields?: string[];
  destination_country?: string | null;
  printed_other_case?: boolean | null;
  modified_data?: boolean | null;
}

/** The hashed fields of a row, normalised (at canonical, absent → null). */
export interface CanonicalRow {
  id: string;
  institution_id: string;
  at: string;
  account_id: string | null;
  staff_id: string | null;
  ip: string | null;
  op_code: string | null;
  conditions: { [key: string]: JsonValue } | null;
  case_no: string | null;
  reason: string | null;
  purpose: string | null;
  consent_id: string | null;
  request_id: string | null;
  fields: string[];
  destination_country: string | null;
  printed_other_case: boolean | null;
  modified_data: boolean | null;
}

export interface ChainedRow extends CanonicalRow {
  seq: number;
  prev_hash: string;
  row_hash: string;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:?\d{2})$/;

/** An instant as YYYY-MM-DDTHH:MM:SS.ffffffZ (UTC, microseconds). Throws on a bad instant. */
export function canonicalInstant(v: Date | string): string {
  if (v instanceof Date) {
    const t = v.getTime();
    if (Number.isNaN(t)) throw new RangeError('invalid Date');
    return `${v.toISOString().slice(0, 23)}000Z`;
  }
  const m = RFC3339.exec(v);
  if (!m) throw new RangeError(`not an RFC 3339 instant with offset: ${JSON.stringify(v)}`);
  const [, y, mo, d, h, mi, s, frac = '', off] = m;
  const digits = frac.padEnd(9, '0');
  if (/[1-9]/.test(digits.slice(6))) throw new RangeError(`instant has more than microsecond precision: ${v}`);
  let offsetMin = 0;
  if (off !== 'Z' && off !== 'z') {
    const sign = off![0] === '-' ? -1 : 1;
    const hh = Number(off!.slice(1, 3));
    const mm = Number(off!.slice(-2));
    offsetMin = sign * (hh * 60 + mm);
  }
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(base);
  if (
    Number(y) < 100 ||
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    throw new RangeError(`invalid instant: ${v}`);
  }
  const date = new Date(base - offsetMin * 60_000);
  return `${date.toISOString().slice(0, 19)}.${digits.slice(0, 6)}Z`;
}

/** Canonical JSON: sorted keys, no whitespace. */
export function canonicalJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError('non-finite number in JSON');
    return JSON.stringify(v);
  }
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x === undefined ? null : x)).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  throw new TypeError(`cannot put a ${typeof v} in JSON`);
}

const str = (v: string | null | undefined): string | null => (v === undefined || v === null ? null : String(v));
const bool = (v: boolean | null | undefined): boolean | null => (v === undefined || v === null ? null : v);

export function normaliseRow(r: QueryLogInput): CanonicalRow & { seq: number; prev_hash: string; row_hash: string } {
  if (typeof r.id !== 'string' || r.id === '') throw new TypeError('query log row: id is required');
  if (typeof r.institution_id !== 'string' || r.institution_id === '') throw new TypeError(`query log row ${r.id}: institution_id is required`);
  // seq / prev_hash / row_hash are placeholders here, so that chainRows fills the same object
  // (one allocation per row) and its shape stays stable.
  return {
    seq: 0,
    prev_hash: '',
    row_hash: '',
    id: r.id,
    institution_id: r.institution_id,
    at: canonicalInstant(r.at),
    account_id: str(r.account_id),
    staff_id: str(r.staff_id),
    ip: str(r.ip),
    op_code: str(r.op_code),
    conditions: r.conditions ?? null,
    case_no: str(r.case_no),
    reason: str(r.reason),
    purpose: str(r.purpose),
    consent_id: str(r.consent_id),
    request_id: str(r.request_id),
    fields: r.fields ?? [],
    destination_country: str(r.destination_country),
    printed_other_case: bool(r.printed_other_case),
    modified_data: bool(r.modified_data),
  };
}

const q = (v: string | null): string => (v === null ? 'null' : JSON.stringify(v));
const b = (v: boolean | null): string => (v === null ? 'null' : v ? 'true' : 'false');
const VERSION_JSON = JSON.stringify(CHAIN_VERSION);

/** The canonical content string of a row (see the header). */
export function canonicalContent(prevHash: string, r: CanonicalRow): string {
  return (
    '[' + VERSION_JSON +
    ',' + JSON.stringify(prevHash) +
    ',' + JSON.stringify(r.id) +
    ',' + JSON.stringify(r.institution_id) +
    ',"' + r.at + '"' +
    ',' + q(r.account_id) +
    ',' + q(r.staff_id) +
    ',' + q(r.ip) +
    ',' + q(r.op_code) +
    ',' + (r.conditions === null ? 'null' : canonicalJson(r.conditions)) +
    ',' + q(r.case_no) +
    ',' + q(r.reason) +
    ',' + q(r.purpose) +
    ',' + q(r.consent_id) +
    ',' + q(r.request_id) +
    ',' + canonicalJson(r.fields) +
    ',' + q(r.destination_country) +
    ',' + b(r.printed_other_case) +
    ',' + b(r.modified_data) +
    ']'
  );
}

// crypto.hash (Node >= 20.12) hashes in one call without a Hash object per row, which matters
// for the garbage collector at millions of rows.
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash;
const sha256hex = oneShot
  ? (s: string) => oneShot('sha256', s, 'hex')
  : (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');

export function rowHash(prevHash: string, r: CanonicalRow): string {
  return sha256hex(canonicalContent(prevHash, r));
}

/** Assigns seq and hashes to rows following (lastSeq, lastHash). */
export function chainRows(lastSeq: number, lastHash: string, rows: readonly QueryLogInput[]): ChainedRow[] {
  if (!/^[0-9a-f]{64}$/.test(lastHash)) throw new RangeError(`chain head hash is not 64 hex digits: ${JSON.stringify(lastHash)}`);
  const out: ChainedRow[] = new Array(rows.length);
  let seq = lastSeq;
  let prev = lastHash;
  for (let i = 0; i < rows.length; i++) {
    const r = normaliseRow(rows[i]!) as ChainedRow;
    const h = rowHash(prev, r);
    r.seq = ++seq;
    r.prev_hash = prev;
    r.row_hash = h;
    out[i] = r;
    prev = h;
  }
  return out;
}

/** The Asia/Taipei month ('YYYY-MM') of a canonical instant: Taiwan is UTC+8 all year. */
export function taipeiMonth(canonicalAt: string): string {
  const d = new Date(Date.parse(canonicalAt.slice(0, 23) + 'Z') + 8 * 3_600_000);
  return d.toISOString().slice(0, 7);
}
