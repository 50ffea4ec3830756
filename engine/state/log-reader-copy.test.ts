// On real PostgreSQL, the log reader's COPY path (with the pg pool) reads the very pages the
// kysely path reads: the same records, sequence numbers, consent ids and invalid rows, for rows
// with awkward text, nested and escaped JSON, approvals, deletions and schema violations.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../../test/setup/db.ts';
import { openDatabase, type OpenDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { appendQueryLog } from '../db/querylog.ts';
import type { QueryLogInput } from '../db/chain.ts';
import { toJS } from '../rego/json.ts';
import type { AnyDB } from './collect.ts';
import { flatObjectValue, jsonValue, logPages, type LogPage } from './log-reader.ts';

const AS_OF = new Date('2026-11-27T10:00:00+08:00');

function row(n: number, extra: Partial<QueryLogInput> = {}): QueryLogInput {
  return {
    id: `q${n}`, institution_id: 'u1', at: `2026-0${1 + (n % 9)}-0${1 + (n % 9)}T10:0${n % 10}:00.${String(n).padStart(3, '0')}+08:00`,
    account_id: 'a1', staff_id: 's1', ip: '10.0.0.1', op_code: 'J10', conditions: { national_id: `P${n}` }, case_no: `C${n}`,
    reason: '房貸授信審核', purpose: 'credit', consent_id: 'c1', request_id: 'r1', fields: ['name', 'employer'],
    destination_country: 'TW', printed_other_case: false, modified_data: false, ...extra,
  };
}

const plain = (p: LogPage) => ({ ...p, values: p.values.map((v) => toJS(v)) });

describe('log reader: COPY and kysely read the same pages', () => {
  let t: TestDatabase;
  let h: OpenDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    h = await openDatabase({ url: t.url });
    await migrateToLatest(h.db);
    const db = h.db as AnyDB;
    await sql`INSERT INTO institutions (id, name, role) VALUES ('u1', 'Unit One', 'user_unit')`.execute(db);
    await sql`INSERT INTO query_requests (id, institution_id, requested_at) VALUES ('r1', 'u1', '2026-01-01T00:00:00+08:00'), ('r2', 'u1', '2026-01-01T00:00:00+08:00'), ('r3', 'u1', '2026-01-01T00:00:00+08:00')`.execute(db);
    await sql`INSERT INTO query_approvals (id, request_id, decision, approved_by, approved_at, level_ok) VALUES
      ('p1', 'r1', 'approved', 's2', '2026-01-01T09:00:00.5+08:00', true),
      ('p2', 'r2', 'approved', NULL, NULL, NULL),
      ('p3', 'r3', 'approved', 's3', '2026-03-03T10:02:00.000999+08:00', true)`.execute(db);
    await appendQueryLog(h.db, [
      row(1),
      row(2, { reason: 'tab\there\nnew line \\ back\\slash \\N', case_no: '\\N', ip: null, staff_id: '' }),
      row(3, { conditions: { 'k\t"q"': 'v\\\n😀', nested: { a: [1, 2.5, null, true], b: 'x' }, big: 12345678901234 } }),
      row(4, { conditions: null, fields: [], request_id: 'r2' }),
      row(5, { conditions: {}, request_id: null, printed_other_case: null, modified_data: true, destination_country: null }),
      row(6, { fields: ['é\t', 'name'], consent_id: null, purpose: null }),
      row(7, { id: 'q\t7 😀' }),
      row(8, { conditions: [1, 2] as never }), // invalid: conditions not an object
      row(9, { fields: ['name', 3] as never }), // invalid: a field not text
      row(10, { conditions: { a: 'x', b: 'y' } }),
      row(11, { at: '2027-01-05T10:00:00+08:00' }), // after the as-of instant
      // Microseconds (cut to milliseconds), and none left after the cut.
      row(12, { at: '2026-03-03T10:03:00.123456+08:00', request_id: 'r3' }),
      row(13, { at: '2026-03-03T10:03:01.000250+08:00' }),
    ]);
    const seq3 = (await sql<{ seq: string }>`SELECT seq::text FROM query_log WHERE id = 'q3'`.execute(db)).rows[0]!.seq;
    await sql`INSERT INTO query_log_deletions (query_seq, query_id, query_at, deleted_at) VALUES (${seq3}, 'q3', '2026-04-04T10:03:00+08:00', '2026-06-01T12:00:00.25+08:00')`.execute(db);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  for (const limit of [100, 8, 3, 1]) {
    it(`pages of ${limit}`, async () => {
      const read = async (pool: boolean) => {
        const pages = [];
        for await (const p of logPages(h.db as AnyDB, { institutionId: 'u1', asOf: AS_OF, afterSeq: 0, limit, pool: pool ? h.pool : undefined })) pages.push(plain(p));
        return pages;
      };
      const viaCopy = await read(true);
      const viaKysely = await read(false);
      expect(viaCopy).toEqual(viaKysely);
      const all = viaCopy.flatMap((p) => p.values) as Record<string, unknown>[];
      expect(all.map((v) => v.id)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q\t7 😀', 'q10', 'q12', 'q13']);
      expect(all[8]!.at).toBe('2026-03-03T10:03:00.123+08:00');
      expect(all[8]!.approval).toEqual({ approved_by: 's3', approved_at: '2026-03-03T10:02:00+08:00', level_ok: true });
      expect(all[9]!.at).toBe('2026-03-03T10:03:01+08:00');
      expect(viaCopy.flatMap((p) => p.invalid).length).toBe(2);
      expect(all[1]!.reason).toBe('tab\there\nnew line \\ back\\slash \\N');
      expect(all[2]!.deleted_at).toBe('2026-06-01T12:00:00.250+08:00');
      expect(all[0]!.approval).toEqual({ approved_by: 's2', approved_at: '2026-01-01T09:00:00.500+08:00', level_ok: true });
    });
  }
});

describe('flatObjectValue', () => {
  it('reads a flat object of strings as jsonValue(JSON.parse) does, and leaves anything else to JSON.parse', () => {
    // jsonb's own layout of flat objects of strings, and texts that are not (undefined).
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (o) => {
        const text = `{${Object.entries(o).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}`;
        const v = flatObjectValue(text);
        if (v !== undefined) {
          expect(toJS(v)).toEqual(toJS(jsonValue(JSON.parse(text))));
          expect(v.size).toBe(Object.keys(o).length);
        }
        else expect(text.includes('\\')).toBe(true);
      }),
    );
    for (const t of ['{"a": 1}', '{"a": "x",  "b": "y"}', '{"a":"x"}', '[]', '{"a": "x"', '{"a": "x", "a": "y"}', '{"a": {"b": "c"}}']) {
      expect(flatObjectValue(t)).toBeUndefined();
    }
  });
});
