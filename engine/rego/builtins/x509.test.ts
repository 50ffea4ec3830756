import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ObjectValue, type Value } from '../value.ts';
import { builtins, parseCertificateDER } from './x509.ts';
import type { BuiltinContext } from './registry.ts';

const ctx = (): BuiltinContext => ({ strict: true, nowNs: 1700000000000000000n, cache: new Map(), interCache: new Map() });
const byName = new Map(builtins.map((b) => [b.name, b]));
const call = (name: string, ...args: Value[]): Value | undefined => byName.get(name)!.fn(args, ctx());

// The start of a certificate, cut off inside the public key: a truncated (malformed) DER.
const CERT = `-----BEGIN CERTIFICATE-----
MIIBqDCCAU6gAwIBAgIUUXAiYQ8V2nZfa0Kw6c5L3Ax5WdIwCgYIKoZIzj0EAwIw
FzEVMBMGA1UEAwwMdGVzdC5leGFtcGxlMB4XDTI0MDEwMTAwMDAwMFoXDTM0MDEw
MTAwMDAwMFowFzEVMBMGA1UEAwwMdGVzdC5leGFtcGxlMFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAE
-----END CERTIFICATE-----`;

describe('crypto.parse_private_keys / parse_rsa_private_key', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pkcs1 = privateKey.export({ format: 'pem', type: 'pkcs1' }) as string;
  const pkcs8 = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'sec1' }) as string;

  it('parses several PEM blocks of different types', () => {
    const keys = call('crypto.parse_private_keys', pkcs1 + pkcs8 + ec) as Value[];
    expect(keys.length).toBe(3);
    expect((keys[0] as ObjectValue).get('E')).toBe(65537);
    expect((keys[2] as ObjectValue).has('D')).toBe(true);
  });

  it('accepts base64 of PEM; empty input is null; junk is []', () => {
    expect((call('crypto.parse_private_keys', Buffer.from(pkcs8).toString('base64')) as Value[]).length).toBe(1);
    expect(call('crypto.parse_private_keys', '')).toBe(null);
    expect(call('crypto.parse_private_keys', 'nope')).toEqual([]);
  });

  it('parse_rsa_private_key gives the JWK', () => {
    const jwk = call('crypto.x509.parse_rsa_private_key', pkcs1) as ObjectValue;
    const want = privateKey.export({ format: 'jwk' });
    expect(jwk.get('kty')).toBe('RSA');
    expect(jwk.get('n')).toBe(want.n);
    expect(jwk.get('qi')).toBe(want.qi);
    expect(() => call('crypto.x509.parse_rsa_private_key', '')).toThrow('input PEM data was empty');
  });
});

describe('crypto.x509 errors', () => {
  it('reports malformed data as Go does', () => {
    expect(() => call('crypto.x509.parse_certificates', 'YmFkc3RyaW5n')).toThrow('x509: malformed certificate');
    expect(() => call('crypto.x509.parse_certificates', 'foobar')).toThrow('illegal base64');
    expect(() => call('crypto.x509.parse_certificates', '-----BEGIN KEY-----\nAAAA\n-----END KEY-----\n')).toThrow("PEM block type is 'KEY', expected CERTIFICATE");
  });

  it('parse_and_verify needs at least two certificates', () => {
    expect(call('crypto.x509.parse_and_verify_certificates', 'YmFkc3RyaW5n')).toEqual([false, []]);
  });

  it('with_options rejects unknown options', () => {
    const o = ObjectValue.fromRecord({ Foo: 1 });
    // invalid certificate input makes the result [false, []] before options are read
    expect(call('crypto.x509.parse_and_verify_certificates_with_options', 'YmFkc3RyaW5n', o)).toEqual([false, []]);
  });

  it('a truncated certificate is malformed', () => {
    expect(() => parseCertificateDER(Buffer.from(CERT.split('\n').slice(1, -1).join(''), 'base64'))).toThrow('x509: malformed certificate');
  });
});
