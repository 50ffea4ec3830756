// The log reader's fast schema test must agree with the full schema validation: a row it lets
// through fits the schema (and reads the same as the plain record), and a row that does not fit
// is reported with the schema's problems.
import { describe, expect, it } from 'vitest';
import { toJS } from '../rego/json.ts';
import { ObjectValue } from '../rego/value.ts';
import fc from 'fast-check';
import { jsonInstant, plainRecord, toPage, type RawRow } from './log-reader.ts';
import { taipeiISO } from './time.ts';
import { rowProblems } from './validate.ts';

const base: RawRow = {
  seq: '7',
  id: 'q-1',
  at: '2025-11-27T10:00:00+08:00',
  account_id: 'a1',
  staff_id: 's1',
  ip: '10.0.0.1',
  op_code: 'J10',
  conditions: { national_id: 'A123456789', n: 12 },
  case_no: 'C-1',
  reason: '房屋貸款審核',
  purpose: 'credit',
  consent_id: 'c1',
  fields: ['name', 'national_id'],
  destination_country: 'TW',
  printed_other_case: false,
  modified_data: null,
  approval_request: 'r1',
  approved_by: 's2',
  approved_at: '2025-11-27T09:58:20.123+08:00',
  level_ok: true,
  deleted_at: null,
};

const variants: [string, Partial<RawRow>][] = [
  ['a complete row', {}],
  ['no approval', { approval_request: null, approved_by: null, approved_at: null, level_ok: null }],
  ['an approval without approver or time', { approved_by: null, approved_at: null, level_ok: null }],
  ['null text columns', { account_id: null, staff_id: null, ip: null, op_code: null, case_no: null, reason: null, purpose: null, consent_id: null, destination_country: null }],
  ['null conditions', { conditions: null }],
  ['empty conditions and fields', { conditions: {}, fields: [] }],
  ['a deleted record', { deleted_at: '2025-11-27T10:01:40.999+08:00' }],
  ['nested conditions', { conditions: { a: [1, 2.5, { b: null }], big: 12345678901234 } }],
  ['fields null (read as [], through the full check)', { fields: null }],
  ['an empty id', { id: '' }],
  ['conditions an array', { conditions: [1, 2] }],
  ['conditions a number', { conditions: 3 }],
  ['conditions a string', { conditions: 'x' }],
  ['fields not an array', { fields: { a: 1 } }],
  ['fields with a number', { fields: ['name', 3] }],
  ['no instant', { at: null }],
];

describe('log reader: fast schema test', () => {
  const firstInvalid = variants.findIndex(([n]) => n === 'an empty id');
  variants.forEach(([name, change], i) => {
    it(`agrees with the schema: ${name}`, () => {
      const raw = { ...base, ...change };
      const page = toPage([raw], 0);
      const problems = rowProblems('query_records', plainRecord(raw), 'seq 7');
      expect(page.rows).toBe(1);
      expect(page.lastSeq).toBe(7);
      expect(problems.length === 0).toBe(i < firstInvalid);
      if (problems.length === 0) {
        expect(page.invalid).toEqual([]);
        expect(page.seqs).toEqual([7]);
        expect(toJS(page.values[0])).toEqual(plainRecord(raw));
        // The object's size is given, not counted: it must be its number of keys.
        const v = page.values[0] as ObjectValue;
        expect(v.size).toBe(Object.keys(plainRecord(raw)).length);
        const approval = v.get('approval');
        if (approval instanceof ObjectValue) expect(approval.size).toBe(3);
      } else {
        expect(page.values).toEqual([]);
        expect(page.invalid).toEqual([{ seq: 7, rows: problems }]);
      }
    });
  });

});

describe('log reader: instants from the database\'s JSON text', () => {
  it('keeps the text when it is already Taipei RFC 3339 with milliseconds, else cuts the fraction to them', () => {
    expect(jsonInstant(null)).toBeNull();
    for (const t of ['2025-11-27T10:00:00+08:00', '2025-11-27T09:58:20.123+08:00']) expect(jsonInstant(t)).toBe(t);
    expect(jsonInstant('2025-11-27T09:58:20.5+08:00')).toBe('2025-11-27T09:58:20.500+08:00');
    expect(jsonInstant('2025-11-27T09:58:20.12+08:00')).toBe('2025-11-27T09:58:20.120+08:00');
    expect(jsonInstant('2025-11-27T09:58:20.123456+08:00')).toBe('2025-11-27T09:58:20.123+08:00');
    expect(jsonInstant('2025-11-27T09:58:20.000999+08:00')).toBe('2025-11-27T09:58:20+08:00');
    // Another offset (not what the COPY session writes): read as an instant.
    expect(jsonInstant('2025-11-27T01:58:20.25Z')).toBe('2025-11-27T09:58:20.250+08:00');
    expect(jsonInstant('infinity')).toBe('infinity'); // left to the schema check
  });

  it('gives what taipeiISO gives for the same instant (PostgreSQL\'s text: microseconds, trailing zeros dropped)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_271_999_999 }), fc.integer({ min: 0, max: 999 }), (ms, us) => {
        const iso = taipeiISO(ms);
        const frac = String((((ms % 1000) + 1000) % 1000) * 1000 + us).padStart(6, '0').replace(/0+$/, '');
        const text = `${iso.slice(0, 19)}${frac ? `.${frac}` : ''}+08:00`;
        expect(jsonInstant(text)).toBe(iso);
      }),
    );
  });
});
