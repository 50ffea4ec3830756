// The demo data set: a realistic user unit (示範銀行 Demo Bank, a batch/server user unit with
// 40 staff and about two years of history: ~200,000 queries with their requests, approvals and
// consents, weekly sheets, monthly samples, reviews, audits…), JCIC (the management agency) and
// the FSC (the supervisor), generated deterministically from a seed, with a documented list of
// injected violations (INJECTED below; docs/demo-violations.md and engine/demo/expected.json
// are written from it by `tsx engine/demo/docs.ts`).
//
// The generator produces database rows (engine/db/migrations), table by table; seed.ts inserts
// them. Everything that is not an injected violation is compliant with the plan.

import type { CanonicalRow } from '../db/chain.ts';
import { Rng } from './prng.ts';

export const DEMO_AS_OF = '2026-11-27T10:00:00+08:00';
export const DEMO_SEED = 20261127;
export const BANK = 'bank-001';
export const JCIC = 'jcic';
export const FSC = 'fsc';

export type Row = Record<string, unknown>;

/** An injected violation: what `bligate evaluate` must report, and why. */
export interface Injected {
  requirement: string;
  status: 'violation' | 'due_soon';
  /** The finding's subject (institution included). */
  subject: Record<string, unknown>;
  why: string;
}

/** A generated query-log row: the hashed fields (engine/db/chain.ts) with a Date instant. */
export type QueryLogRow = Omit<CanonicalRow, 'at' | 'conditions'> & {
  at: Date;
  conditions: { [key: string]: string } | null;
};

export interface DemoData {
  asOf: string;
  /** Rows per table, in insertion order (foreign keys first). */
  tables: Map<string, Row[]>;
  /** The query log, in time order (seq is assigned on insertion). */
  queryLog: QueryLogRow[];
  /** Sample records by sample id: the sampled log rows' ids (seq/at/staff are read back after loading). */
  samples: Map<string, { ids: string[]; checkedAt: Date }>;
  /** Query-log deletions by log id (query_log_deletions). */
  logDeletions: { query_id: string; deleted_at: Date; deleted_by: string; reason: string }[];
  injected: Injected[];
}

// ---------------------------------------------------------------------------------------------
// Time helpers (Asia/Taipei, no DST)

const DAY = 86_400_000;
const at = (date: string, hm = '09:00') => new Date(`${date}T${hm}:00+08:00`);
const dateOf = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const addDays = (date: string, n: number) => dateOf(new Date(at(date, '12:00').getTime() + n * DAY));
const weekday = (date: string) => ((at(date, '12:00').getUTCDay() + 6) % 7) + 1; // 1 = Monday

/** ISO week "YYYY-Www" of a Taipei date. */
export function isoWeek(date: string): string {
  const d = at(date, '12:00');
  const thursday = new Date(d.getTime() + (4 - weekday(date)) * DAY);
  const y = thursday.getUTCFullYear();
  const jan1 = Date.UTC(y, 0, 1, 4);
  const n = Math.floor((thursday.getTime() - jan1) / (7 * DAY)) + 1;
  return `${y}-W${String(n).padStart(2, '0')}`;
}

/** Monday (Taipei date) of ISO week "YYYY-Www". */
function weekMonday(w: string): string {
  const y = Number(w.slice(0, 4));
  const jan4 = `${y}-01-04`;
  const mon = addDays(jan4, 1 - weekday(jan4));
  return addDays(mon, (Number(w.slice(6)) - 1) * 7);
}

const monthOf = (date: string) => date.slice(0, 7);
const nextMonth = (m: string) => {
  const [y, mm] = m.split('-').map(Number);
  return mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
};

// ---------------------------------------------------------------------------------------------

const ALLOWED_FIELDS = ['name', 'national_id', 'birth_date', 'employer', 'change_date', 'insured_salary'];
const SURNAMES = ['陳', '林', '黃', '張', '李', '王', '吳', '劉', '蔡', '楊', '許', '鄭', '謝', '郭', '洪', '曾', '邱', '廖', '賴', '周'];
const GIVEN = ['志明', '淑芬', '冠宇', '怡君', '家豪', '雅婷', '俊傑', '佩珊', '建宏', '宜蓁', '承翰', '欣怡', '宗翰', '詩涵', '彥廷', '郁婷'];
const REASONS = ['新貸款申請', '房屋貸款審核', '信用貸款審核', '增貸審核', '企業主貸款審核'];

export interface GenerateOptions {
  seed?: number;
  /** Roughly how many queries (default 200,000). */
  queries?: number;
}

export function generateDemo(opts: GenerateOptions = {}): DemoData {
  const rng = new Rng(opts.seed ?? DEMO_SEED);
  const targetQueries = opts.queries ?? 200_000;
  const tables = new Map<string, Row[]>();
  const t = (name: string) => {
    let l = tables.get(name);
    if (!l) tables.set(name, (l = []));
    return l;
  };
  const injected: Injected[] = [];
  const inject = (requirement: string, institution: string, subject: Record<string, unknown>, why: string, status: Injected['status'] = 'violation') =>
    injected.push({ requirement, status, subject: { institution, ...subject }, why });

  const asOf = new Date(DEMO_AS_OF);
  const START = '2025-01-06'; // Monday of ISO week 2025-W02: no activity in 2024
  const LAST = dateOf(asOf); // 2026-11-27

  // ------------------------------------------------------------------------------------------
  // Institutions
  t('institutions').push(
    { id: BANK, name: '示範銀行 Demo Bank', role: 'user_unit', batch_server: true, parameters: '{}' },
    { id: JCIC, name: '財團法人金融聯合徵信中心 JCIC', role: 'management_agency', batch_server: false, parameters: '{}' },
    { id: FSC, name: '金融監督管理委員會 FSC', role: 'supervisor', batch_server: false, parameters: '{}' },
  );

  // ------------------------------------------------------------------------------------------
  // Bank staff (40): s01–s30 query staff, s31–s32 reviewers, s33 card custodian, s34 PIN
  // custodian, s35–s36 administrators, s37 deletion, s38 batch operator, s39 unit head, s40 auditor.
  const sid = (i: number) => `s${String(i).padStart(2, '0')}`;
  const HEAD = sid(39);
  const hired = at('2025-01-06', '07:30');
  const rolesOf = (i: number): string[] =>
    i <= 30 ? ['query'] : i <= 32 ? ['review', 'sampling'] : i === 33 ? ['card_custody'] : i === 34 ? ['pin_custody'] : i <= 36 ? ['admin'] : i === 37 ? ['deletion'] : i === 38 ? ['batch'] : [];
  const titleOf = (i: number) =>
    i <= 30 ? '授信專員' : i <= 32 ? '覆核主管' : i <= 34 ? '行政專員' : i <= 36 ? '系統管理員' : i === 37 ? '資料管理專員' : i === 38 ? '批次作業專員' : i === 39 ? '分行經理' : '內部稽核';
  for (let i = 1; i <= 40; i++) {
    const id = sid(i);
    t('staff').push({
      id,
      institution_id: BANK,
      name: rng.pick(SURNAMES) + rng.pick(GIVEN),
      title: titleOf(i),
      id_number: `A1${String(23456700 + i * 37).slice(0, 8)}`,
      left_on: null,
      transferred_on: null,
      register_deleted_at: null,
    });
    for (const role of rolesOf(i)) t('staff_roles').push({ staff_id: id, role, granted_at: hired, revoked_at: null });
    if (i <= 38) {
      t('staff_designations').push({
        id: `des-${id}`,
        staff_id: id,
        designated_by: HEAD,
        approved_by: HEAD,
        approved_at: hired,
        duty_from: '2025-01-06',
        duty_to: null,
        revoked_at: null,
      });
    }
  }
  const staffRow = (id: string) => t('staff').find((s) => s.id === id)!;

  const designation = (id: string) => t('staff_designations').find((d) => d.staff_id === id)!;
  // s29 transfers on 2026-05-15 (account disabled that day, duty closed: compliant).
  staffRow('s29').transferred_on = '2026-05-15';
  designation('s29').duty_to = '2026-05-15';
  designation('s30').duty_to = '2026-08-31';
  // SOD-01: reviewer s32 was also given the query role on 2026-06-01.
  t('staff_roles').push({ staff_id: 's32', role: 'query', granted_at: at('2026-06-01'), revoked_at: null });
  inject('SOD-01', BANK, { staff: 's32' }, 'Reviewer s32 samples query records and was also given the query role.');
  // The new PIN custodian from 2026-04-01 (see CARD-01 below).
  t('staff_roles').push({ staff_id: 's37', role: 'pin_custody', granted_at: at('2026-04-01'), revoked_at: null });
  // ACCT-02: s30 leaves on 2026-08-31, but the account stays enabled.
  staffRow('s30').left_on = '2026-08-31';
  inject('ACCT-02', BANK, { account: 'q-s30', staff: 's30' }, 's30 left on 2026-08-31; account q-s30 is still enabled at the as-of instant.');
  // STAFF-02: s28's register entry lacks the identification number.
  staffRow('s28').id_number = null;
  inject('STAFF-02', BANK, { staff: 's28' }, "The query staff register entry of s28 has no identification card number or user account.");

  // ------------------------------------------------------------------------------------------
  // Bank accounts and passwords
  const created = at('2025-01-06', '08:00');
  const accounts: Row[] = [];
  for (let i = 1; i <= 30; i++) accounts.push({ id: `q-${sid(i)}`, staff_id: sid(i), kind: 'query' });
  accounts.push({ id: 'adm-s35', staff_id: 's35', kind: 'admin' }, { id: 'adm-s36', staff_id: 's36', kind: 'admin' });
  accounts.push({ id: 'batch-01', staff_id: 's38', kind: 'batch' });
  // STAFF-01: the auditor s40, never designated, has an enabled query account.
  accounts.push({ id: 'q-s40', staff_id: 's40', kind: 'query' });
  accounts.push({ id: 'q-s32', staff_id: 's32', kind: 'query' });
  inject('STAFF-01', BANK, { account: 'q-s40', staff: 's40' }, 'Query account q-s40 belongs to s40, who was never designated by the unit head.');
  for (const a of accounts) {
    Object.assign(a, {
      institution_id: BANK,
      shared: false,
      enabled: true,
      disabled_at: null,
      created_at: a.id === 'adm-s36' ? at('2026-03-01', '09:00') : a.id === 'q-s32' ? at('2026-06-01', '09:00') : created,
      failed_attempts: 0,
      locked: false,
      locked_at: null,
      suspected_leak_at: null,
    });
    t('accounts').push(a);
  }
  const acct = (id: string) => t('accounts').find((a) => a.id === id)!;
  acct('q-s29').enabled = false;
  acct('q-s29').disabled_at = at('2026-05-15', '08:00');
  // ADMIN-01: administrator handover s35 → s36 on 2026-03-01; the old account is stopped two days late.
  acct('adm-s35').enabled = false;
  acct('adm-s35').disabled_at = at('2026-03-03', '10:00');
  inject('ADMIN-01', BANK, { handover: 'ho-2026-03', staff: 's35' }, 'The administrator handover of 2026-03-01 stopped the old account adm-s35 only on 2026-03-03.');
  // ACCT-01: a shared account.
  t('accounts').push({
    id: 'q-shared', institution_id: BANK, staff_id: null, kind: 'query', shared: true, enabled: true, disabled_at: null,
    created_at: at('2026-02-02', '09:00'), failed_attempts: 0, locked: false, locked_at: null, suspected_leak_at: null,
  });
  inject('ACCT-01', BANK, { account: 'q-shared' }, 'Account q-shared is used by more than one person.');
  inject('ACCT-01', BANK, { account: 'q-shared' }, 'Query account q-shared belongs to no staff member (a second finding, same subject).');
  // LOCK-01: six failed logins without a lock.
  acct('q-s05').failed_attempts = 6;
  inject('LOCK-01', BANK, { account: 'q-s05' }, 'q-s05 has 6 consecutive failed logins (limit 5) and is not locked.');
  // PWD-04: a leak suspected on 2026-10-05, the password never changed afterwards.
  acct('q-s06').suspected_leak_at = at('2026-10-05', '14:00');

  // Password history: every account changes its password every 60–85 days; the last change is
  // 5–55 days before the as-of instant (so none is due soon), each a new, complex, 12-character
  // password. Exceptions: q-s09 last changed on 2026-07-01 (PWD-02); q-s06 on 2026-09-30, before
  // the suspected leak (PWD-04); q-s07's current password is weak (PWD-01), q-s08's repeats its
  // third-last (PWD-03).
  for (const a of t('accounts')) {
    const id = a.id as string;
    const first = (a.created_at as Date).getTime();
    const end = a.disabled_at ? (a.disabled_at as Date).getTime() - DAY : asOf.getTime();
    let last = id === 'q-s09' ? at('2026-07-01', '09:00').getTime() : id === 'q-s06' ? at('2026-09-30', '09:00').getTime() : end - rng.int(5, 55) * DAY;
    if (last < first) last = first;
    const times: number[] = [last];
    for (let w = last - rng.int(60, 85) * DAY; w > first; w -= rng.int(60, 85) * DAY) times.unshift(w);
    if (times[0] !== first) times.unshift(first);
    times.forEach((when, n) => {
      const current = n === times.length - 1;
      const reuse = current && id === 'q-s08' && n >= 2;
      const weak = current && id === 'q-s07';
      t('password_history').push({
        account_id: id,
        set_at: new Date(when),
        password_hash: reuse ? `scrypt$${id}$pw${n - 2}` : `scrypt$${id}$pw${n}`,
        hash_algorithm: 'scrypt',
        complexity_ok: !weak,
        length: weak ? 7 : 12,
        set_by: id,
      });
    });
  }
  inject('PWD-01', BANK, { account: 'q-s07' }, "q-s07's current password has 7 characters (minimum 8).");
  inject('PWD-01', BANK, { account: 'q-s07' }, "q-s07's current password did not meet the complexity rules when set (a second finding, same subject).");
  inject('PWD-02', BANK, { account: 'q-s09' }, 'q-s09 has not changed its password for more than 90 days.');
  inject('PWD-03', BANK, { account: 'q-s08' }, "q-s08's current password equals one of its previous 3.");
  inject('PWD-04', BANK, { account: 'q-s06' }, "q-s06's password was suspected leaked on 2026-10-05 and has not been changed since.");

  // Authorisation change log (batch/server units): a grant per account, approved by the head.
  for (const a of t('accounts')) {
    t('authorisation_changes').push({
      id: `ac-${a.id}-grant`,
      account_id: a.id,
      changed_at: a.created_at,
      change: 'grant',
      permission: a.kind === 'admin' ? 'system_admin' : a.kind === 'batch' ? 'batch_transfer' : 'credit_query',
      approved_by: HEAD,
      deleted_at: null,
    });
    if (a.disabled_at && a.id !== 'adm-s35') {
      t('authorisation_changes').push({ id: `ac-${a.id}-disable`, account_id: a.id, changed_at: a.disabled_at, change: 'disable', permission: 'credit_query', approved_by: HEAD, deleted_at: null });
    }
  }
  // STAFF-03: a grant record deleted within its 5-year retention.
  t('authorisation_changes').find((c) => c.id === 'ac-q-s10-grant')!.deleted_at = at('2026-01-10', '10:00');
  inject('STAFF-03', BANK, { account: 'q-s10', record: 'ac-q-s10-grant' }, 'The authorisation change record granting q-s10 was deleted on 2026-01-10, within 5 years.');
  t('authorisation_changes').push({ id: 'ac-adm-s35-disable', account_id: 'adm-s35', changed_at: acct('adm-s35').disabled_at, change: 'disable', permission: 'system_admin', approved_by: HEAD, deleted_at: null });

  t('admin_handovers').push({
    id: 'ho-2026-03', institution_id: BANK, from_staff: 's35', to_staff: 's36', handover_on: '2026-03-01',
    old_account_id: 'adm-s35', old_account_disabled_at: acct('adm-s35').disabled_at, new_account_id: 'adm-s36',
    system_cannot_change: false, password_changed_at: null,
  });

  // Access reviews: twice a year — except 2025, which had only one (REVIEW-01).
  for (const [id, when] of [
    ['rev-2025-2', '2025-12-15'],
    ['rev-2026-1', '2026-06-18'],
    ['rev-2026-2', '2026-11-10'],
  ] as const) {
    t('access_reviews').push({ id, institution_id: BANK, performed_at: at(when, '15:00'), reviewer: HEAD, scope: 'all query system accounts', deleted_at: null });
  }
  inject('REVIEW-01', BANK, { year: 2025 }, 'Only one account and permission review was performed in 2025 (at least 2 a year).');

  // Chip card and custodians: card with s33, PIN with s34; the PIN custodian changed on
  // 2026-04-01 (s34 → s37) and the PIN was not changed (CARD-01).
  t('chip_cards').push({ id: 'card-01', institution_id: BANK, label: 'JCIC 查詢晶片卡', issued_at: at('2025-01-06', '07:00') });
  t('chip_card_custodians').push(
    { id: 'cc-1', card_id: 'card-01', custody: 'card', staff_id: 's33', from_at: at('2025-01-06', '07:00'), to_at: null },
    { id: 'cc-2', card_id: 'card-01', custody: 'pin', staff_id: 's34', from_at: at('2025-01-06', '07:00'), to_at: at('2026-04-01') },
    { id: 'cc-3', card_id: 'card-01', custody: 'pin', staff_id: 's37', from_at: at('2026-04-01'), to_at: null },
  );
  t('chip_card_pin_changes').push({ id: 'pin-1', card_id: 'card-01', changed_at: at('2025-01-06', '07:10'), changed_by: 's34' });
  inject('CARD-01', BANK, { card: 'card-01' }, 'The PIN custodian of card-01 changed on 2026-04-01 and the PIN has not been changed since.');

  // ------------------------------------------------------------------------------------------
  // Queries, requests, approvals and consents.
  const queryLog: QueryLogRow[] = [];
  const queryStaff = (date: string) =>
    Array.from({ length: 30 }, (_, k) => sid(k + 1)).filter((s) => !(s === 's29' && date >= '2026-05-15') && !(s === 's30' && date >= '2026-08-31'));
  const openCases = new Map<string, { case_no: string; consent: string; subject: string }[]>();
  let caseSeq = 0;
  let qSeq = 0;
  const days: string[] = [];
  for (let d = START; d <= LAST; d = addDays(d, 1)) if (weekday(d) <= 5) days.push(d);
  const perDay = targetQueries / days.length;
  const consentRows = t('consents');
  const newCase = (staff: string, when: Date) => {
    caseSeq++;
    const case_no = `C${dateOf(when).slice(0, 4)}-${String(caseSeq).padStart(6, '0')}`;
    const consent = `con-${String(caseSeq).padStart(6, '0')}`;
    const subject = `P${String(100000000 + caseSeq * 7919).slice(-9)}`;
    const electronic = rng.chance(0.7);
    const registered = new Date(when.getTime() - rng.int(60, 180) * 60_000);
    const granted = rng.chance(0.8);
    consentRows.push({
      id: consent,
      institution_id: BANK,
      subject_id: subject,
      channel: electronic ? 'electronic' : 'written',
      consented_on: dateOf(new Date(registered.getTime() - 30 * 60_000)),
      source_ip: electronic ? `203.0.113.${rng.int(1, 254)}` : null,
      source_phone: null,
      text_version: electronic ? 'consent-text-2024.07' : null,
      identity_verified: electronic ? true : null,
      jcic_registered_at: registered,
      jcic_approved_at: new Date(registered.getTime() + 20 * 60_000),
      credit_granted: granted,
      credit_end_on: granted ? addDays(dateOf(when), 365 * rng.int(3, 20)) : null,
      refused_on: granted ? null : addDays(dateOf(when), rng.int(5, 20)) <= LAST ? addDays(dateOf(when), rng.int(5, 20)) : null,
      deleted_at: null,
    });
    const c = { case_no, consent, subject };
    const list = openCases.get(staff) ?? [];
    list.push(c);
    if (list.length > 12) list.shift();
    openCases.set(staff, list);
    return c;
  };
  const approvals = t('query_approvals');
  const requests = t('query_requests');
  for (const day of days) {
    const n = Math.max(1, Math.round(perDay * (0.75 + rng.next() * 0.5)));
    const staffToday = queryStaff(day);
    const lastMinute = day === LAST ? 9 * 60 + 50 : 17 * 60 + 30;
    const minutes = Array.from({ length: n }, () => rng.int(8 * 60 + 30, lastMinute)).sort((a, b) => a - b);
    for (const m of minutes) {
      const when = new Date(at(day, '00:00').getTime() + m * 60_000 + rng.int(0, 59) * 1000);
      const staff = rng.pick(staffToday);
      const list = openCases.get(staff) ?? [];
      const c = list.length > 0 && rng.chance(0.65) ? rng.pick(list) : newCase(staff, when);
      qSeq++;
      const id = `q-${String(qSeq).padStart(7, '0')}`;
      const requestId = `r-${String(qSeq).padStart(7, '0')}`;
      const approvedAt = new Date(when.getTime() - rng.int(3, 40) * 60_000);
      requests.push({
        id: requestId, institution_id: BANK, requested_at: new Date(approvedAt.getTime() - 5 * 60_000), staff_id: staff, account_id: `q-${staff}`,
        case_no: c.case_no, reason: rng.pick(REASONS), purpose: 'credit', consent_id: c.consent, fields: JSON.stringify(ALLOWED_FIELDS),
      });
      approvals.push({ id: `ap-${String(qSeq).padStart(7, '0')}`, request_id: requestId, decision: 'approved', approved_by: rng.chance(0.5) ? 's31' : 's32', approved_at: approvedAt, level_ok: true });
      queryLog.push({
        id,
        institution_id: BANK,
        at: when,
        account_id: `q-${staff}`,
        staff_id: staff,
        ip: `10.20.${rng.int(1, 9)}.${rng.int(10, 250)}`,
        op_code: 'J10',
        conditions: { national_id: c.subject, inquiry: 'employment' },
        case_no: c.case_no,
        reason: requests[requests.length - 1].reason as string,
        purpose: 'credit',
        consent_id: c.consent,
        request_id: requestId,
        fields: ALLOWED_FIELDS,
        destination_country: 'TW',
        printed_other_case: false,
        modified_data: false,
      });
    }
  }

  // Per-record violations, on fixed queries (ids stay stable across generator changes).
  const q = (k: number) => queryLog[Math.floor((queryLog.length * k) / 13)];
  const mark = (row: QueryLogRow, requirement: string, why: string, change: (r: QueryLogRow) => void) => {
    change(row);
    inject(requirement, BANK, { record: row.id }, why);
  };
  mark(q(1), 'PURPOSE-01', 'The query states the purpose "marketing" (credit business only).', (r) => (r.purpose = 'marketing'));
  mark(q(2), 'MIN-01', 'The query obtained the field "medical_history", outside the six allowed fields.', (r) => (r.fields = [...ALLOWED_FIELDS, 'medical_history']));
  mark(q(3), 'QUERY-01', 'The query has no approval (its request was never approved).', (r) => {
    const i = approvals.findIndex((a) => a.request_id === r.request_id);
    approvals.splice(i, 1);
  });
  mark(q(4), 'QUERY-02', 'The query staff changed data (modified_data).', (r) => (r.modified_data = true));
  mark(q(5), 'XBORDER-01', 'The data was sent to Singapore (SG).', (r) => (r.destination_country = 'SG'));
  mark(q(6), 'LOG-01', 'The log record has no IP address.', (r) => (r.ip = null));
  // CONSENT-01: a query whose consent JCIC approved only after the query.
  {
    const r = q(7);
    const when = r.at;
    const c = newCase(r.staff_id!, when);
    const row = consentRows[consentRows.length - 1];
    row.jcic_approved_at = new Date(when.getTime() + 2 * 3600_000);
    r.case_no = c.case_no;
    r.consent_id = c.consent;
    const req = requests.find((x) => x.id === r.request_id)!;
    req.case_no = c.case_no;
    req.consent_id = c.consent;
    inject('CONSENT-01', BANK, { record: r.id }, `The consent ${c.consent} was approved by JCIC two hours after the query.`);
  }
  // LOG-01: a log record deleted after a year (kept 5 years).
  const logDeletions = [{ query_id: q(8).id, deleted_at: at('2026-06-01', '11:00'), deleted_by: 's35', reason: 'housekeeping' }];
  inject('LOG-01', BANK, { record: q(8).id }, 'The log record was deleted on 2026-06-01, within its 5-year retention.');

  // Consent violations (consents no query uses).
  const c2 = newCase('s01', at('2026-02-10', '10:00'));
  Object.assign(consentRows[consentRows.length - 1], { channel: 'electronic', source_ip: null, source_phone: null });
  inject('CONSENT-02', BANK, { consent: c2.consent }, 'An electronic consent without the source IP address or phone number.');
  const c3 = newCase('s02', at('2025-03-03', '10:00'));
  Object.assign(consentRows[consentRows.length - 1], { credit_granted: false, credit_end_on: null, refused_on: '2025-03-10', deleted_at: at('2026-02-01', '09:00') });
  inject('CONSENT-03', BANK, { consent: c3.consent }, 'A consent for credit refused on 2025-03-10 was deleted on 2026-02-01, before 5 years.');
  const c4 = newCase('s03', at('2026-04-07', '10:00'));
  Object.assign(consentRows[consentRows.length - 1], { consented_on: null });
  inject('CONSENT-02', BANK, { table: 'consents', record: c4.consent, pointer: '/consented_on' }, 'A consent row without its date (a schema violation: reported, never a crash).');
  for (const list of openCases.values()) list.length = 0;

  // ------------------------------------------------------------------------------------------
  // Weekly sheets: produced the Monday after each week, signed by a query staff member, approved by the head.
  const weekCounts = new Map<string, number>();
  const monthQueries = new Map<string, QueryLogRow[]>();
  for (const r of queryLog) {
    const d = dateOf(r.at);
    weekCounts.set(isoWeek(d), (weekCounts.get(isoWeek(d)) ?? 0) + 1);
    const m = monthOf(d);
    let l = monthQueries.get(m);
    if (!l) monthQueries.set(m, (l = []));
    l.push(r);
  }
  for (const [week, records] of weekCounts) {
    const end = addDays(weekMonday(week), 7);
    if (at(end, '00:00') > asOf) continue; // the current week is not over
    const produced = at(end, '09:30');
    const sheet: Row = {
      id: `ws-${week}`, institution_id: BANK, week, produced_at: produced, signed_by: 's01', signed_at: at(end, '11:00'),
      approved_by: HEAD, approved_at: at(end, '16:00'), deleted_at: null, records,
    };
    if (week === '2026-W20') {
      sheet.approved_by = null;
      sheet.approved_at = null;
      inject('WEEKLY-01', BANK, { week }, 'The weekly query record sheet of 2026-W20 was never approved.');
    }
    t('weekly_sheets').push(sheet);
  }

  // Monthly samples: 2 % (at least 10) of each month's records, by a reviewer, by the 10th of the
  // next month; batch/server units also check the system records.
  const samples = new Map<string, { ids: string[]; checkedAt: Date }>();
  for (const [month, list] of monthQueries) {
    const due = nextMonth(month);
    const completed = at(`${due}-10`, '16:00');
    if (completed > asOf) continue;
    let k = Math.max(10, Math.ceil(list.length * 0.02));
    if (month === '2026-03') {
      k = 12;
      inject('SAMPLE-01', BANK, { month }, `Only 12 of the ${list.length} query records of 2026-03 were sampled (2 % required).`);
    }
    const id = `smp-${month}`;
    t('monthly_samples').push({ id, institution_id: BANK, month, reviewer: month < '2026-01' ? 's31' : 's32', completed_at: completed, deleted_at: null, system_records_checked: true });
    samples.set(id, { ids: rng.sample(list, Math.min(k, list.length)).map((r) => r.id), checkedAt: new Date(completed.getTime() - 3600_000) });
  }

  // Audits: internal audit every half-year (2025-H2 missing: INTAUDIT-01), self-inspection
  // every year with the report sent to JCIC (2025's report not sent: SELFCHECK-01).
  const audit = (id: string, institution_id: string, kind: string, when: Date, extra: Row = {}) =>
    t('audits').push({ id, institution_id, kind, performed_at: when, subject: null, report_sent_to_jcic_at: null, deleted_at: null, ...extra });
  audit('ia-2025-h1', BANK, 'internal', at('2025-06-20', '10:00'));
  audit('ia-2026-h1', BANK, 'internal', at('2026-06-19', '10:00'));
  audit('ia-2026-h2', BANK, 'internal', at('2026-11-20', '10:00'));
  inject('INTAUDIT-01', BANK, { half: '2025-H2' }, 'No internal audit in the second half of 2025.');
  audit('si-2025', BANK, 'self_inspection', at('2025-11-12', '10:00'));
  audit('si-2026', BANK, 'self_inspection', at('2026-10-15', '10:00'), { report_sent_to_jcic_at: at('2026-10-20', '10:00') });
  inject('SELFCHECK-01', BANK, { audit: 'si-2025', year: 2025 }, "The 2025 self-inspection's report was never sent to JCIC.");

  // Incidents: one reported in time, one reported to JCIC and BLI only the next day (INCIDENT-01).
  t('incidents').push(
    { id: 'inc-2025-07', institution_id: BANK, detected_at: at('2025-07-08', '10:00'), kind: 'misdirected_email', response_recorded: true },
    { id: 'inc-2026-09', institution_id: BANK, detected_at: at('2026-09-14', '15:00'), kind: 'lost_printout', response_recorded: true },
  );
  t('notifications').push(
    { id: 'n-1', incident_id: 'inc-2025-07', recipient: 'jcic', notified_at: at('2025-07-08', '10:30'), channel: 'phone', reference: null },
    { id: 'n-2', incident_id: 'inc-2025-07', recipient: 'bli', notified_at: at('2025-07-08', '10:40'), channel: 'email', reference: null },
    { id: 'n-3', incident_id: 'inc-2026-09', recipient: 'jcic', notified_at: at('2026-09-15', '09:00'), channel: 'email', reference: null },
    { id: 'n-4', incident_id: 'inc-2026-09', recipient: 'bli', notified_at: at('2026-09-15', '09:10'), channel: 'email', reference: null },
  );
  inject('INCIDENT-01', BANK, { incident: 'inc-2026-09', party: 'jcic' }, 'The incident detected on 2026-09-14 15:00 was reported to JCIC only the next morning (limit: 1 hour).');
  inject('INCIDENT-01', BANK, { incident: 'inc-2026-09', party: 'bli' }, 'The same incident was reported to BLI only the next morning (limit: 1 hour).');

  // Data obtained per case and its deletion within a month after use (one deleted 3 months late: DEL-04).
  for (let i = 1; i <= 300; i++) {
    const used = addDays('2025-02-01', i * 2);
    if (used > addDays(LAST, -40)) break;
    const late = i === 150;
    t('user_unit_data').push({
      id: `uud-${String(i).padStart(4, '0')}`, institution_id: BANK, case_no: `C-U-${i}`, use_completed_on: used, retention_needed: false,
      deleted_at: at(addDays(used, late ? 120 : rng.int(3, 25)), '18:00'), procedure_ref: 'DP-2024-01',
    });
    if (late) inject('DEL-04', BANK, { record: `uud-${String(i).padStart(4, '0')}` }, `Data of a case whose use completed on ${used} was deleted 120 days later (limit 30).`);
  }
  // Access logs of the data: kept, but entries before 2025-06-01 were purged (BATCH-03).
  t('data_access_log_settings').push({ institution_id: BANK, enabled: true, oldest_entry_at: at('2025-06-01', '00:00'), purged_before: at('2025-06-01', '00:00') });
  inject('BATCH-03', BANK, { log: 'data_access_logs' }, 'The access logs of the data were purged before 2025-06-01, less than 5 years ago.');

  // Attestations for the requirements checked through a responsible person's word.
  for (const req of ['SEC-01', 'RULES-01', 'LOG-03', 'CARDAUDIT-01', 'SOD-01']) {
    t('attestations').push({
      id: `att-${req}`, institution_id: BANK, requirement: req, attested_by: HEAD, attested_at: at('2026-07-01', '10:00'),
      evidence_ref: `DOC-${req}-2026`, valid_until: at('2027-06-30', '23:59'), scope: 'Demo Bank credit query unit',
    });
  }

  // ------------------------------------------------------------------------------------------
  // JCIC (management agency)
  const jstaff = ['j01', 'j02', 'j03', 'j04', 'j05', 'j06'];
  const jroles: Record<string, string[]> = { j01: ['jcic_linkage'], j02: ['deletion'], j03: ['batch'], j04: ['jcic_linkage'], j05: ['admin'], j06: ['review'] };
  for (const s of jstaff) {
    t('staff').push({ id: s, institution_id: JCIC, name: rng.pick(SURNAMES) + rng.pick(GIVEN), title: '資訊安全專員', id_number: `F2${String(30000000 + Number(s.slice(1)) * 11)}`, left_on: null, transferred_on: null, register_deleted_at: null });
    for (const role of jroles[s]) t('staff_roles').push({ staff_id: s, role, granted_at: at('2025-01-02'), revoked_at: null });
  }
  // Temporary records: one a day, deleted after about 72 h, with a derived file; the deletion
  // is a scheduled job with evidence kept.
  let tempN = 0;
  for (let d = '2025-01-02'; d <= addDays(LAST, -5); d = addDays(d, 7)) {
    tempN++;
    const id = `tmp-${d}`;
    const obtained = at(d, '02:00');
    const onTime = new Date(obtained.getTime() + 72 * 3600_000 + rng.int(1, 600) * 60_000);
    let deleted = onTime;
    if (tempN === 40) {
      deleted = new Date(obtained.getTime() + 100 * 3600_000);
      inject('TEMP-01', JCIC, { record: id }, `Temporary record ${id} was deleted 100 hours after it was obtained (limit 96).`);
    }
    t('jcic_temp_records').push({ id, institution_id: JCIC, obtained_at: obtained, deleted_at: deleted });
    const file = `/data/derived/${d}.csv`;
    t('jcic_derived_files').push({ id: `df-${d}`, temp_record_id: id, path: file, deleted_at: tempN === 60 ? null : onTime });
    if (tempN === 60) {
      inject('DEL-02', JCIC, { record: id, file }, `The deletion of ${id} claims to cover the derived files, but ${file} was never deleted.`);
      inject('TEMP-01', JCIC, { record: id, file }, `The derived file ${file} is still present, long after the 96-hour limit.`);
    }
    const delId = `del-${d}`;
    const byPerson = tempN === 70;
    t('deletions').push({
      id: delId, institution_id: JCIC, target: id, deleted_at: deleted, method: byPerson ? 'designated_person' : 'scheduled_job',
      performed_by: byPerson ? 'j05' : 'job:purge-temp', covers_derived_files: true,
    });
    if (byPerson) inject('DEL-01', JCIC, { deletion: delId }, `Deletion ${delId} was done by j05, who is not designated for deletions.`);
    t('deletion_evidence').push({
      id: `ev-${d}`, deletion_id: delId, evidence_ref: `purge-log/${d}`, kind: 'job_log', recorded_at: deleted,
      deleted_at: tempN === 80 ? at('2026-10-01', '10:00') : null,
    });
    if (tempN === 80) inject('DEL-03', JCIC, { deletion: delId }, `The evidence of deletion ${delId} was destroyed on 2026-10-01 (kept 5 years).`);
  }
  // Batch transfers: handled by j03 with an integrity check, used within the approved period.
  for (let i = 1; i <= 24; i++) {
    const when = at(addDays('2025-01-06', i * 28), '03:00');
    if (when > asOf) break;
    const id = `bt-${String(i).padStart(2, '0')}`;
    const row: Row = {
      id, institution_id: JCIC, transferred_at: when, handled_by: 'j03', integrity_checked: true, access_controlled: true,
      use_until: new Date(when.getTime() + 14 * DAY), last_used_at: new Date(when.getTime() + 10 * DAY), left_premises: false,
    };
    if (i === 5) {
      row.integrity_checked = false;
      inject('BATCH-01', JCIC, { transfer: id }, `Batch transfer ${id} had no integrity check.`);
    }
    if (i === 9) {
      row.last_used_at = new Date(when.getTime() + 20 * DAY);
      inject('BATCH-02', JCIC, { transfer: id }, `Batch data of ${id} was used 6 days after its approved period ended.`);
    }
    t('batch_transfers').push(row);
  }
  t('data_access_log_settings').push({ institution_id: JCIC, enabled: true, oldest_entry_at: at('2021-01-01', '00:00'), purged_before: null });
  // Linkage staff changes: BLI notified within 7 days — once after 10 days (NOTIFY-01).
  t('linkage_staff_changes').push(
    { id: 'lsc-2025-04', institution_id: JCIC, changed_on: '2025-04-01', bli_notified_on: '2025-04-03' },
    { id: 'lsc-2026-02', institution_id: JCIC, changed_on: '2026-02-02', bli_notified_on: '2026-02-12' },
  );
  inject('NOTIFY-01', JCIC, { change: 'lsc-2026-02' }, 'The linkage staff change of 2026-02-02 was notified to BLI on 2026-02-12 (limit 7 days).');
  // User units JCIC oversees.
  const units = [
    { id: BANK, name: '示範銀行 Demo Bank', joined_on: '2019-03-01' },
    { id: 'bank-002', name: '範例商業銀行 Sample Commercial Bank', joined_on: '2019-03-01' },
    { id: 'bank-003', name: '練習信用合作社 Practice Credit Union', joined_on: '2020-07-01' },
  ];
  // user_units.id is the table's primary key, so each overseer's rows carry its prefix
  // ("jcic:bank-001"); the collector strips it. JCIC's join dates are unknown (the units start
  // with JCIC's own records); the FSC knows bank-003 joined on 2020-07-01.
  for (const u of units) {
    t('user_units').push({ id: `${JCIC}:${u.id}`, institution_id: JCIC, name: u.name, joined_on: null, linkage_active: true });
    t('user_units').push({ id: `${FSC}:${u.id}`, institution_id: FSC, name: u.name, joined_on: u.id === 'bank-003' ? '2020-07-01' : null, linkage_active: true });
  }
  // JCIC audits: consent-record checks of every unit each year (bank-003 missed in 2025:
  // JCICAUDIT-01), a security audit every year, a usage review every year.
  for (const y of [2025, 2026]) {
    for (const u of units) {
      if (y === 2025 && u.id === 'bank-003') continue;
      audit(`jcc-${y}-${u.id}`, JCIC, 'jcic_consent_check', at(`${y}-09-1${units.indexOf(u)}`, '10:00'), { subject: u.id });
      audit(`usr-${y}-${u.id}`, JCIC, 'usage_review', at(`${y}-10-0${units.indexOf(u) + 1}`, '10:00'), { subject: u.id });
    }
    if (y === 2026) audit(`jsa-${y}`, JCIC, 'jcic_security', at(`${y}-08-20`, '10:00'));
  }
  inject('JCICAUDIT-01', JCIC, { user_unit: 'bank-003', year: 2025 }, "JCIC did not check bank-003's consent records in 2025.");
  inject('USAGE-01', JCIC, { user_unit: 'bank-003', year: 2025 }, "JCIC did not review bank-003's linkage usage in 2025.");
  inject('JCICAUDIT-02', JCIC, { year: 2025 }, 'JCIC ran no data-security audit in 2025.');
  // Certificates: ISO 27001 renewed every year; the TPIPAS certificate lapsed for two weeks.
  t('certifications').push(
    { id: 'iso-2025', institution_id: JCIC, kind: 'ISO27001', valid_from: at('2024-12-01'), valid_until: at('2025-12-01') },
    { id: 'iso-2026', institution_id: JCIC, kind: 'ISO27001', valid_from: at('2025-12-01'), valid_until: at('2027-06-30') },
    { id: 'tpipas-2025', institution_id: JCIC, kind: 'TPIPAS', valid_from: at('2024-11-15'), valid_until: at('2025-11-15') },
    { id: 'tpipas-2026', institution_id: JCIC, kind: 'TPIPAS', valid_from: at('2025-11-15'), valid_until: at('2026-11-15') },
  );
  t('attestations').push({
    id: 'att-jcic-CERT-01', institution_id: JCIC, requirement: 'CERT-01', attested_by: 'j06', attested_at: at('2026-01-15', '10:00'),
    evidence_ref: 'ISMS-SCOPE-2026', valid_until: at('2027-06-30', '23:59'), scope: 'ISO 27001 and TPIPAS scope covers the BLI linkage',
  });
  inject('CERT-01', JCIC, { certificate: 'TPIPAS' }, 'The TPIPAS certificate expired on 2026-11-15 and has not been renewed.');
  // Training of JCIC's responsible staff: j04 completed 2 of 6 hours in 2025 (TRAIN-01).
  for (const s of jstaff) {
    t('trainings').push({ id: `tr-2025-${s}`, institution_id: JCIC, staff_id: s, year: 2025, required_hours: 6, completed_hours: s === 'j04' ? 2 : 6 });
  }
  inject('TRAIN-01', JCIC, { staff: 'j04', year: 2025 }, 'j04 completed 2 of the 6 training hours their security level requires in 2025.');
  // JCIC's incident: reported to the FSC and BLI within the hour.
  t('incidents').push({ id: 'jinc-2026-05', institution_id: JCIC, detected_at: at('2026-05-05', '09:00'), kind: 'malware_alert', response_recorded: true });
  t('notifications').push(
    { id: 'n-j1', incident_id: 'jinc-2026-05', recipient: 'fsc', notified_at: at('2026-05-05', '09:20'), channel: 'phone', reference: null },
    { id: 'n-j2', incident_id: 'jinc-2026-05', recipient: 'bli', notified_at: at('2026-05-05', '09:25'), channel: 'phone', reference: null },
  );

  // ------------------------------------------------------------------------------------------
  // FSC (supervisor): written audits of JCIC each half-year (2025-H2 missing: FSCAUDIT-01), an
  // on-site audit every two years; examinations of every user unit every 5 years (bank-003,
  // joined 2020, not examined in 2020–2024: FSCAUDIT-02).
  audit('fw-2025-h1', FSC, 'fsc_written', at('2025-05-20'), { subject: JCIC });
  audit('fw-2026-h1', FSC, 'fsc_written', at('2026-05-19'), { subject: JCIC });
  audit('fo-2025', FSC, 'fsc_onsite', at('2025-10-14'), { subject: JCIC });
  audit('fx-bank-001', FSC, 'fsc_user_unit_exam', at('2025-04-11'), { subject: BANK });
  audit('fx-bank-002', FSC, 'fsc_user_unit_exam', at('2025-08-06'), { subject: 'bank-002' });
  inject('FSCAUDIT-01', FSC, { check: 'written', half: '2025-H2' }, 'The FSC made no written audit of JCIC in the second half of 2025.');
  inject('FSCAUDIT-02', FSC, { user_unit: 'bank-003', period: '2020-2024' }, 'bank-003 (joined 2020-07-01) was not examined in 2020–2024.');

  return { asOf: DEMO_AS_OF, tables, queryLog, samples, logDeletions, injected };
}

/** True when the institutions are exactly the demo's (the database holds the demo). */
export function isDemoInstitutions(list: { id: string; name: string }[]): boolean {
  const ids = list.map((i) => i.id).sort();
  return ids.length === 3 && ids[0] === BANK && ids[1] === FSC && ids[2] === JCIC && list.some((i) => i.id === BANK && i.name === '示範銀行 Demo Bank');
}
