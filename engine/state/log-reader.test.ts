// The log reader's fast schema test must agree with the full schema validation: a row it lets
// through fits the schema (and reads the same as the plain record), and a row that does not fit
// is reported with the schema's problems.
import { describe, expect, it } from 'vitest';
import { toJS } from '../rego/json.ts';
import { plainRecord, toPage, type RawRow } from './log-reader.ts';
import { rowProblems } from './validate.ts';

const base: RawRow = {
  seq: '7',
  id: 'q-1',
  at_ms: '1764208800000',
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
  approved_at_ms: 1764208700123,
  level_ok: true,
  deleted_at_ms: null,
};

const variants: [string, Partial<RawRow>][] = [
  ['a complete row', {}],
  ['no approval', { approval_request: null, approved_by: null, approved_at_ms: null, level_ok: null }],
  ['an approval without approver or time', { approved_by: null, approved_at_ms: null, level_ok: null }],
  ['null text columns', { account_id: null, staff_id: null, ip: null, op_code: null, case_no: null, reason: null, purpose: null, consent_id: null, destination_country: null }],
  ['null conditions', { conditions: null }],
  ['empty conditions and fields', { conditions: {}, fields: [] }],
  ['a deleted record', { deleted_at_ms: '1764208900999' }],
  ['nested conditions', { conditions: { a: [1, 2.5, { b: null }], big: 12345678901234 } }],
  ['fields null (read as [], through the full check)', { fields: null }],
  ['an empty id', { id: '' }],
  ['conditions an array', { conditions: [1, 2] }],
  ['conditions a number', { conditions: 3 }],
  ['conditions a string', { conditions: 'x' }],
  ['fields not an array', { fields: { a: 1 } }],
  ['fields with a number', { fields: ['name', 3] }],
  ['no instant', { at_ms: null as unknown as string }],
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
      } else {
        expect(page.values).toEqual([]);
        expect(page.invalid).toEqual([{ seq: 7, rows: problems }]);
      }
    });
  });

  it('writes instants in Taipei time with milliseconds only when there are any', () => {
    const v = toJS(toPage([base], 0).values[0]) as Record<string, unknown>;
    expect(v.at).toBe('2025-11-27T10:00:00+08:00');
    expect((v.approval as Record<string, unknown>).approved_at).toBe('2025-11-27T09:58:20.123+08:00');
  });
});
