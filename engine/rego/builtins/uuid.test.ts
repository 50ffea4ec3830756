import { describe, expect, it } from 'vitest';
import { ObjectValue, type Value } from '../value.ts';
import { builtins } from './uuid.ts';
import type { Builtin, BuiltinContext } from './registry.ts';

const ctx = (): BuiltinContext => ({ strict: true, nowNs: 1700000000000000000n, cache: new Map(), interCache: new Map() });
const byName = new Map<string, Builtin>(builtins.map((b) => [b.name, b]));
const call = (name: string, c: BuiltinContext, ...args: Value[]): Value | undefined => byName.get(name)!.fn(args, c);

describe('uuid.rfc4122', () => {
  it('is a v4 UUID, stable per key within one evaluation', () => {
    const c = ctx();
    const a = call('uuid.rfc4122', c, 'key') as string;
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (let i = 0; i < 100; i++) expect(call('uuid.rfc4122', c, 'key')).toBe(a);
    expect(call('uuid.rfc4122', c, 'other')).not.toBe(a);
    expect(call('uuid.rfc4122', ctx(), 'key')).not.toBe(a);
  });
});

describe('uuid.parse', () => {
  const v2 = ObjectValue.fromRecord({
    clocksequence: 12800,
    domain: 'Person',
    id: 1000,
    macvariables: 'local:unicast',
    nodeid: '32-50-96-b3-9f-47',
    time: 1693566990121469600n,
    variant: 'RFC4122',
    version: 2,
  });
  it('decodes versions and input formats', () => {
    const c = ctx();
    expect(call('uuid.parse', c, '00000000-0000-4000-8000-000000000000')).toEqual(ObjectValue.fromRecord({ variant: 'RFC4122', version: 4 }));
    expect(call('uuid.parse', c, '{00000000-0000-4000-8000-000000000000}')).toEqual(ObjectValue.fromRecord({ variant: 'RFC4122', version: 4 }));
    expect(call('uuid.parse', c, '000003e8-48b9-21ee-b200-325096b39f47')).toEqual(v2);
    expect(call('uuid.parse', c, 'urn:uuid:000003e8-48b9-21ee-b200-325096b39f47')).toEqual(v2);
    expect(call('uuid.parse', c, '38074da4-0b00-388d-9c3c-362de965547a')).toEqual(ObjectValue.fromRecord({ variant: 'RFC4122', version: 3 }));
    expect(call('uuid.parse', c, '6bea8ef2d3d33cd184e09bab06a52ece')).toEqual(ObjectValue.fromRecord({ variant: 'RFC4122', version: 3 }));
  });
  it('is undefined for invalid UUIDs, a type error for non-strings', () => {
    expect(call('uuid.parse', ctx(), 'not-a-uuid')).toBeUndefined();
    expect(call('uuid.parse', ctx(), '00000000-0000-4000-8000-00000000000g')).toBeUndefined();
    expect(() => call('uuid.parse', ctx(), 123)).toThrow('uuid.parse: operand 1 must be string but got number');
  });
});
