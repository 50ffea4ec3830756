import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalContent, canonicalInstant, canonicalJson, chainRows, GENESIS_HASH, normaliseRow, taipeiMonth } from './chain.ts';

describe('canonical instants', () => {
  it('converts offsets to UTC with microseconds', () => {
    expect(canonicalInstant('2026-09-30T23:59:00+08:00')).toBe('2026-09-30T15:59:00.000000Z');
    expect(canonicalInstant('2026-01-01T00:00:00.123456Z')).toBe('2026-01-01T00:00:00.123456Z');
    expect(canonicalInstant('2026-01-01T00:00:00.1-01:30')).toBe('2026-01-01T01:30:00.100000Z');
    expect(canonicalInstant('2026-03-01T07:00:00+0800')).toBe('2026-02-28T23:00:00.000000Z');
    expect(canonicalInstant(new Date('2026-10-01T00:00:00.5Z'))).toBe('2026-10-01T00:00:00.500000Z');
    expect(canonicalInstant('2026-01-01T00:00:00.123456000Z')).toBe('2026-01-01T00:00:00.123456Z');
  });
  it('rejects what is not an instant with offset, and nanoseconds', () => {
    for (const bad of ['2026-09-30', '2026-09-30T23:59:00', '2026-02-30T00:00:00Z', '2026-01-01T24:00:00Z', 'yesterday', '2026-01-01T00:00:00.1234567Z']) {
      expect(() => canonicalInstant(bad), bad).toThrow(RangeError);
    }
    expect(() => canonicalInstant(new Date(Number.NaN))).toThrow(RangeError);
  });
  it('gives the Taipei month', () => {
    expect(taipeiMonth('2026-09-30T15:59:59.999999Z')).toBe('2026-09');
    expect(taipeiMonth('2026-09-30T16:00:00.000000Z')).toBe('2026-10');
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every level and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: null, x: 'é' }], c: true } })).toBe('{"a":{"c":true,"d":[1,{"x":"é","y":null}]},"b":1}');
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
    expect(() => canonicalJson({ x: Number.POSITIVE_INFINITY })).toThrow();
  });
});

describe('row hash', () => {
  const r = {
    id: 'Q-1',
    institution_id: 'bank-001',
    at: '2026-09-30T23:59:00+08:00',
    account_id: 'acc-1',
    staff_id: 's-1',
    conditions: { z: 1, a: ['x', true] },
    fields: ['name', 'insured_salary'],
    purpose: '授信',
    printed_other_case: false,
  };
  it('is SHA-256 over the documented canonical content (golden vector)', () => {
    const content = canonicalContent(GENESIS_HASH, normaliseRow(r));
    expect(content).toBe(
      '["bligate.query_log.v1","' + '0'.repeat(64) + '","Q-1","bank-001","2026-09-30T15:59:00.000000Z","acc-1","s-1",null,null,' +
        '{"a":["x",true],"z":1},null,null,"授信",null,null,["name","insured_salary"],null,false,null]',
    );
    const [first, second] = chainRows(0, GENESIS_HASH, [r, { id: 'Q-2', institution_id: 'bank-001', at: new Date('2026-10-01T00:00:00.5Z') }]);
    expect(first!.row_hash).toBe(createHash('sha256').update(content, 'utf8').digest('hex'));
    expect(first!.row_hash).toBe('0fbb7756d275129fef1155bbfc17624368b924b933b20fc2389c34418b6f6741');
    expect(first!.seq).toBe(1);
    expect(second!.prev_hash).toBe(first!.row_hash);
    expect(second!.seq).toBe(2);
    expect(second!.row_hash).toBe('508519587ddc1f68eb4b41ab88ebf820d002814bca92b276bf484dfd23b852be');
  });
  it('changes with any field, the previous hash, and key order does not matter', () => {
    const base = chainRows(0, GENESIS_HASH, [r])[0]!.row_hash;
    expect(chainRows(0, GENESIS_HASH, [{ ...r, printed_other_case: null }])[0]!.row_hash).not.toBe(base);
    expect(chainRows(0, GENESIS_HASH, [{ ...r, fields: ['insured_salary', 'name'] }])[0]!.row_hash).not.toBe(base);
    expect(chainRows(0, 'f'.repeat(64), [r])[0]!.row_hash).not.toBe(base);
    expect(chainRows(0, GENESIS_HASH, [{ ...r, conditions: { a: ['x', true], z: 1 } }])[0]!.row_hash).toBe(base);
    expect(chainRows(0, GENESIS_HASH, [{ ...r, at: '2026-09-30T15:59:00Z' }])[0]!.row_hash).toBe(base);
  });
  it('requires id and institution', () => {
    expect(() => chainRows(0, GENESIS_HASH, [{ ...r, id: '' }])).toThrow(/id is required/);
  });
});
