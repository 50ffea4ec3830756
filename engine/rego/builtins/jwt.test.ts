import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ObjectValue, type Value } from '../value.ts';
import { builtins, _internal } from './jwt.ts';
import { pemDecode } from './pem.ts';
import type { BuiltinContext } from './registry.ts';

const ctx = (nowNs = 1700000000000000000n): BuiltinContext => ({ strict: true, nowNs, cache: new Map(), interCache: new Map() });
const byName = new Map(builtins.map((b) => [b.name, b]));
const call = (name: string, ...args: Value[]): Value | undefined => byName.get(name)!.fn(args, ctx());
const obj = (o: Record<string, Value>): ObjectValue => ObjectValue.fromRecord(o);

function keyPair(type: 'rsa' | 'ec' | 'ed25519', alg: string, kid = ''): { priv: string; pub: string; pem: string } {
  const opts = type === 'rsa' ? { modulusLength: 2048 } : type === 'ec' ? { namedCurve: alg === 'ES384' ? 'P-384' : alg === 'ES512' ? 'P-521' : 'P-256' } : {};
  const { privateKey, publicKey } = generateKeyPairSync(type as 'rsa', opts as { modulusLength: number });
  const extra = kid ? { kid } : {};
  return {
    priv: JSON.stringify({ ...privateKey.export({ format: 'jwk' }), ...extra }),
    pub: JSON.stringify({ ...publicKey.export({ format: 'jwk' }), ...extra }),
    pem: publicKey.export({ format: 'pem', type: 'spki' }) as string,
  };
}

describe('io.jwt sign and verify round trips', () => {
  const cases: [string, 'rsa' | 'ec' | 'ed25519'][] = [
    ['RS256', 'rsa'],
    ['RS512', 'rsa'],
    ['PS256', 'rsa'],
    ['PS384', 'rsa'],
    ['ES256', 'ec'],
    ['ES384', 'ec'],
    ['ES512', 'ec'],
    ['EdDSA', 'ed25519'],
  ];
  for (const [alg, type] of cases) {
    it(alg, () => {
      const k = keyPair(type, alg);
      const token = call('io.jwt.encode_sign_raw', JSON.stringify({ alg, typ: 'JWT' }), '{"sub":"me"}', k.priv) as string;
      const verify = `io.jwt.verify_${alg.toLowerCase()}`;
      expect(call(verify, token, k.pem)).toBe(true);
      expect(call(verify, token, k.pub)).toBe(true);
      // a different key does not verify
      const other = keyPair(type, alg);
      expect(call(verify, token, other.pem)).toBe(false);
      // decode_verify picks the algorithm from the header
      const res = call('io.jwt.decode_verify', token, obj({ cert: k.pem })) as Value[];
      expect(res[0]).toBe(true);
      expect((res[2] as ObjectValue).get('sub')).toBe('me');
    });
  }

  it('a private JWK does not verify with verify_rs256 (Go exports a private key)', () => {
    const k = keyPair('rsa', 'RS256');
    const token = call('io.jwt.encode_sign_raw', '{"alg":"RS256"}', '{}', k.priv) as string;
    expect(call('io.jwt.verify_rs256', token, k.priv)).toBe(false);
  });

  it('picks the JWKS key by kid, and skips keys whose alg differs', () => {
    const a = keyPair('rsa', 'RS256', 'a');
    const b = keyPair('rsa', 'RS256', 'b');
    const token = call('io.jwt.encode_sign_raw', '{"alg":"RS256","kid":"b"}', '{}', b.priv) as string;
    const jwks = JSON.stringify({ keys: [JSON.parse(a.pub), JSON.parse(b.pub)] });
    expect(call('io.jwt.verify_rs256', token, jwks)).toBe(true);
    const wrongAlg = JSON.stringify({ keys: [{ ...JSON.parse(b.pub), kid: 'c', alg: 'PS256' }] });
    expect(call('io.jwt.verify_rs256', token, wrongAlg)).toBe(false);
  });
});

describe('io.jwt.decode_verify constraints', () => {
  const secret = 'secret';
  const jwk = JSON.stringify({ kty: 'oct', k: Buffer.from(secret).toString('base64url') });
  const tok = (payload: object): string => call('io.jwt.encode_sign_raw', '{"alg":"HS256","typ":"JWT"}', JSON.stringify(payload), jwk) as string;

  it('checks exp and nbf against the time constraint (ns)', () => {
    const token = tok({ nbf: 100, exp: 200 });
    const at = (s: number): Value => (call('io.jwt.decode_verify', token, obj({ secret, time: s * 1e9 })) as Value[])[0];
    expect(at(99)).toBe(false);
    expect(at(100)).toBe(true);
    expect(at(199)).toBe(true);
    expect(at(200)).toBe(false);
  });

  it('uses the evaluation time when no time is given', () => {
    const token = tok({ exp: 1 });
    expect((byName.get('io.jwt.decode_verify')!.fn([token, obj({ secret })], ctx(0n)) as Value[])[0]).toBe(true);
    expect((byName.get('io.jwt.decode_verify')!.fn([token, obj({ secret })], ctx(2000000000n)) as Value[])[0]).toBe(false);
  });

  it('rejects bad constraint objects', () => {
    const token = tok({});
    expect(() => call('io.jwt.decode_verify', token, obj({}))).toThrow('no key constraint');
    expect(() => call('io.jwt.decode_verify', token, obj({ secret, cert: '{"kty":"oct","k":"AA"}' }))).toThrow('duplicate key constraints');
    expect(() => call('io.jwt.decode_verify', token, obj({ secret, foo: 1 }))).toThrow('unknown token validation constraint: foo');
    expect(() => call('io.jwt.decode_verify', token, obj({ secret, time: -1 }))).toThrow('must not be negative');
  });

  it('checks iss and aud', () => {
    const token = tok({ iss: 'me', aud: ['x', 'y'] });
    expect((call('io.jwt.decode_verify', token, obj({ secret, iss: 'me', aud: 'y' })) as Value[])[0]).toBe(true);
    expect((call('io.jwt.decode_verify', token, obj({ secret, iss: 'you', aud: 'y' })) as Value[])[0]).toBe(false);
    // a token with aud needs an aud constraint
    expect((call('io.jwt.decode_verify', token, obj({ secret })) as Value[])[0]).toBe(false);
  });
});

describe('helpers', () => {
  it("headerGetString mimics fastjson's leniency", () => {
    expect(_internal.headerGetString('{"alg":"HS256"}', 'alg')).toBe('HS256');
    expect(() => _internal.headerGetString('e', 'alg')).toThrow('jwsbb: header "alg" not found');
    expect(() => _internal.headerGetString('', 'alg')).toThrow('cannot parse JSON: cannot parse empty string');
    expect(() => _internal.headerGetString('{"a', 'alg')).toThrow('cannot parse JSON');
  });

  it('pemDecode returns the rest after the block', () => {
    const body = Buffer.from('hello').toString('base64');
    const [b, rest] = pemDecode(`junk\n-----BEGIN X-----\n${body}\n-----END X-----\nmore`);
    expect(b?.type).toBe('X');
    expect(b?.bytes.toString()).toBe('hello');
    expect(rest).toBe('more');
    expect(pemDecode('no pem here')[0]).toBeUndefined();
    // mismatched END type is no block
    expect(pemDecode(`-----BEGIN X-----\n${body}\n-----END Y-----\n`)[0]).toBeUndefined();
  });

  it('ecdsaDER encodes r||s', () => {
    const der = _internal.ecdsaDER(Buffer.from([0x80, 0x01]));
    expect(der.toString('hex')).toBe('3007020200800201' + '01');
  });
});
