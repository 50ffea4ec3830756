// uuid.* built-ins, after OPA's v1/topdown/uuid.go and internal/uuid (google/uuid parsing).

import { randomBytes } from 'node:crypto';
import { keyOf, ObjectValue, type Key, type Value } from '../value.ts';
import { operandTypeError, t, type Builtin } from './registry.ts';

/** A version 4 random UUID, formatted as OPA does (lower-case hex, dashed). */
export function newUUIDv4(): string {
  const bs = randomBytes(16);
  bs[8] = (bs[8] & ~0xc0) | 0x80;
  bs[6] = (bs[6] & ~0xf0) | 0x40;
  const h = bs.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function xtob(a: number, b: number): number | undefined {
  const hv = (c: number): number => {
    if (c >= 48 && c <= 57) return c - 48;
    if (c >= 97 && c <= 102) return c - 87;
    if (c >= 65 && c <= 70) return c - 55;
    return -1;
  };
  const x = hv(a);
  const y = hv(b);
  if (x < 0 || y < 0) return undefined;
  return (x << 4) | y;
}

/** google/uuid's Parse: 36-char dashed, urn:uuid: prefixed, {braced}, or 32 hex digits. */
export function parseUUIDBytes(text: string): Uint8Array | undefined {
  let s = Buffer.from(text, 'utf8');
  const out = new Uint8Array(16);
  switch (s.length) {
    case 36:
      break;
    case 36 + 9:
      if (s.subarray(0, 9).toString('latin1').toLowerCase() !== 'urn:uuid:') return undefined;
      s = s.subarray(9);
      break;
    case 36 + 2:
      s = s.subarray(1);
      break;
    case 32:
      for (let i = 0; i < 16; i++) {
        const v = xtob(s[i * 2], s[i * 2 + 1]);
        if (v === undefined) return undefined;
        out[i] = v;
      }
      return out;
    default:
      return undefined;
  }
  const dash = 45;
  if (s[8] !== dash || s[13] !== dash || s[18] !== dash || s[23] !== dash) return undefined;
  const offs = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
  for (let i = 0; i < 16; i++) {
    const v = xtob(s[offs[i]], s[offs[i] + 1]);
    if (v === undefined) return undefined;
    out[i] = v;
  }
  return out;
}

function variantName(b8: number): string {
  if ((b8 & 0xc0) === 0x80) return 'RFC4122';
  if ((b8 & 0xe0) === 0xc0) return 'Microsoft';
  if ((b8 & 0xe0) === 0xe0) return 'Future';
  return 'Reserved';
}

function macVars(b: number): string {
  if ((b & 0b11) === 0b11) return 'local:multicast';
  if ((b & 0b01) === 0b01) return 'global:multicast';
  if ((b & 0b10) === 0b10) return 'local:unicast';
  return 'global:unicast';
}

const G1582_NS100 = 122192928000000000n; // 100-ns intervals from 1582-10-15 to 1970-01-01
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function intValue(n: bigint): number | bigint {
  return n >= -MAX_SAFE && n <= MAX_SAFE ? Number(n) : n;
}

/** The object uuid.parse returns for the given bytes. */
export function describeUUID(u: Uint8Array): ObjectValue {
  const version = u[6] >> 4;
  const rec: Record<string, Value> = { version, variant: variantName(u[8]) };
  if (version === 1 || version === 2) {
    const dv = new DataView(u.buffer, u.byteOffset, 16);
    let time = BigInt(dv.getUint32(0));
    time |= BigInt(dv.getUint16(4)) << 32n;
    time |= BigInt(dv.getUint16(6) & 0xfff) << 48n;
    rec.time = intValue((time - G1582_NS100) * 100n);
    const node = Array.from(u.subarray(10, 16), (b) => b.toString(16).padStart(2, '0'));
    rec.nodeid = node.join('-');
    rec.macvariables = macVars(u[10]);
    rec.clocksequence = dv.getUint16(8) & 0x3fff;
    if (version === 2) {
      rec.id = dv.getUint32(0);
      const d = u[9];
      rec.domain = d === 0 ? 'Person' : d === 1 ? 'Group' : d === 2 ? 'Org' : `Domain${d}`;
    }
  }
  return ObjectValue.fromRecord(rec);
}

export const builtins: Builtin[] = [
  {
    name: 'uuid.rfc4122',
    args: [t.string],
    result: t.string,
    nondeterministic: true,
    description: 'Returns a new UUIDv4.',
    fn: ([k], ctx) => {
      // OPA caches by the operand for the whole evaluation: same key, same UUID.
      let cache = ctx.cache.get('uuid.rfc4122') as Map<Key, string> | undefined;
      if (cache === undefined) {
        cache = new Map();
        ctx.cache.set('uuid.rfc4122', cache);
      }
      const key = keyOf(k);
      let u = cache.get(key);
      if (u === undefined) {
        u = newUUIDv4();
        cache.set(key, u);
      }
      return u;
    },
  },
  {
    name: 'uuid.parse',
    args: [t.string],
    result: t.objectOf(t.string, t.any),
    description: 'Parses the string value as an UUID and returns an object with the well-defined fields of the UUID if valid.',
    fn: ([s]) => {
      if (typeof s !== 'string') throw operandTypeError('uuid.parse', 1, s, 'string');
      const u = parseUUIDBytes(s);
      return u === undefined ? undefined : describeUUID(u);
    },
  },
];
