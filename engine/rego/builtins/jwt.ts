// io.jwt.* built-ins, after OPA's v1/topdown/tokens.go: decoding, signature verification
// (HS/RS/PS/ES/EdDSA with PEM certificates, PEM public keys, JWKs and JWK sets), full
// decode-and-verify with constraints, and JWS compact signing from a JWK.

import { constants, createHmac, createPublicKey, sign as cryptoSign, timingSafeEqual, verify as cryptoVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { RegoError } from '../errors.ts';
import { DataParseError, parseJSON, toJSONText } from '../json.ts';
import { compareNumbers, type RegoNumber } from '../number.ts';
import { isNumber, ObjectValue, type Value } from '../value.ts';
import { builtinError, operandTypeError, t, wrapErrors, type Builtin, type BuiltinContext } from './registry.ts';
import { base64URLDecodeLenient, parseJWKSet, pemDecode, type JWKKey } from './pem.ts';

class GoError extends Error {}

function err(msg: string): GoError {
  return new GoError(msg);
}

function strOperand(v: Value, pos: number, name: string): string {
  if (typeof v !== 'string') throw operandTypeError(name, pos, v, 'string');
  return v;
}

interface Token {
  header: string;
  payload: string;
  signature: string;
  decodedHeader?: ObjectValue;
}

function decodeJWT(v: Value, name: string): Token {
  const s = strOperand(v, 1, name);
  if (!s.includes('.')) throw err('encoded JWT had no period separators');
  const parts = s.split('.');
  if (parts.length !== 3) throw err(`encoded JWT must have 3 sections, found ${parts.length}`);
  return { header: parts[0], payload: parts[1], signature: parts[2] };
}

function b64(s: string): Buffer {
  return base64URLDecodeLenient(s);
}

function jsonObject(text: string): ObjectValue {
  let v: Value;
  try {
    v = parseJSON(text);
  } catch (e) {
    throw err(`invalid JSON: ${e instanceof DataParseError ? e.reason : (e as Error).message}`);
  }
  if (!(v instanceof ObjectValue)) throw err('decoded JSON type was not an Object');
  return v;
}

function decodeHeader(token: Token): ObjectValue {
  let raw: Buffer;
  try {
    raw = b64(token.header);
  } catch (e) {
    throw err(`JWT header had invalid encoding: ${(e as Error).message}`);
  }
  let header: ObjectValue;
  try {
    header = jsonObject(raw.toString('utf8'));
  } catch (e) {
    throw err(`bad JWT header: ${(e as Error).message}`);
  }
  if (header.get('enc') !== undefined) throw err('JWT is a JWE object, which is not supported');
  token.decodedHeader = header;
  return header;
}

function decodeSignature(token: Token): Buffer {
  return b64(token.signature);
}

function decode(v: Value, name: string): Value {
  const token = decodeJWT(v, name);
  const header = decodeHeader(token);
  let p: string;
  try {
    p = b64(token.payload).toString('utf8');
  } catch (e) {
    throw err(`JWT payload had invalid encoding: ${(e as Error).message}`);
  }
  const cty = header.get('cty');
  if (typeof cty === 'string' && cty === 'JWT') {
    return decode(trimChars(p, `"'`), name);
  }
  const payload = jsonObject(p);
  let sig: Buffer;
  try {
    sig = decodeSignature(token);
  } catch (e) {
    throw err(`JWT signature had invalid encoding: ${(e as Error).message}`);
  }
  return [header, payload, sig.toString('hex')];
}

function trimChars(s: string, cut: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && cut.includes(s[a])) a++;
  while (b > a && cut.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

// ---- keys ----

interface VerificationKey {
  /** Public key, or undefined for a symmetric secret. */
  key: KeyObject | undefined;
  /** The JWK held private material (Go's jwk.Export gives a private key: not usable for verify_*). */
  isPrivate: boolean;
  secret: Buffer | undefined;
  alg: string;
  kid: string;
}

const TOKEN_ALGORITHMS = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512', 'EdDSA']);

function getKeysFromCertOrJWK(certificate: string): VerificationKey[] {
  const [block, rest] = pemDecode(certificate);
  if (block !== undefined) {
    if (rest.length > 0) throw err('extra data after a PEM certificate block');
    if (block.type === 'CERTIFICATE') {
      let key: KeyObject;
      try {
        key = new X509Certificate(block.bytes).publicKey;
      } catch (e) {
        throw err(`failed to parse a PEM certificate: ${goX509Error(e)}`);
      }
      return [{ key, isPrivate: false, secret: undefined, alg: '', kid: '' }];
    }
    if (block.type === 'PUBLIC KEY') {
      let key: KeyObject;
      try {
        key = createPublicKey({ key: block.bytes, format: 'der', type: 'spki' });
      } catch (e) {
        throw err(`failed to parse a PEM public key: ${goX509Error(e)}`);
      }
      return [{ key, isPrivate: false, secret: undefined, alg: '', kid: '' }];
    }
    throw err('failed to extract a Key from the PEM certificate');
  }
  let jwks: JWKKey[];
  try {
    jwks = parseJWKSet(certificate);
  } catch (e) {
    throw err(`failed to parse a JWK key (set): ${(e as Error).message}`);
  }
  const out: VerificationKey[] = [];
  for (const k of jwks) {
    if (k.alg !== '' && !TOKEN_ALGORITHMS.has(k.alg)) continue;
    out.push({ key: k.key, isPrivate: k.privateKey !== undefined, secret: k.secret, alg: k.alg, kid: k.kid });
  }
  return out;
}

function goX509Error(e: unknown): string {
  const m = (e as Error).message ?? String(e);
  return /asn1|ASN1|wrong tag|header too long|nested asn1/.test(m) ? 'x509: malformed certificate' : m;
}

// ---- signature schemes ----

type Kind = 'hmac' | 'rsa' | 'pss' | 'es' | 'eddsa';

interface Scheme {
  kind: Kind;
  hash: string | null;
}

const SCHEMES: Record<string, Scheme> = {
  HS256: { kind: 'hmac', hash: 'sha256' },
  HS384: { kind: 'hmac', hash: 'sha384' },
  HS512: { kind: 'hmac', hash: 'sha512' },
  RS256: { kind: 'rsa', hash: 'sha256' },
  RS384: { kind: 'rsa', hash: 'sha384' },
  RS512: { kind: 'rsa', hash: 'sha512' },
  PS256: { kind: 'pss', hash: 'sha256' },
  PS384: { kind: 'pss', hash: 'sha384' },
  PS512: { kind: 'pss', hash: 'sha512' },
  ES256: { kind: 'es', hash: 'sha256' },
  ES384: { kind: 'es', hash: 'sha384' },
  ES512: { kind: 'es', hash: 'sha512' },
  EdDSA: { kind: 'eddsa', hash: null },
};

/** DER encoding of an ECDSA signature from the r||s halves (as Go's verify_esXXX splits it). */
function ecdsaDER(sig: Buffer): Buffer {
  const n = Math.floor(sig.length / 2);
  const int = (b: Buffer): Buffer => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let x = b.subarray(i);
    if (x.length === 0) x = Buffer.from([0]);
    if (x[0] & 0x80) x = Buffer.concat([Buffer.from([0]), x]);
    return Buffer.concat([Buffer.from([0x02]), derLen(x.length), x]);
  };
  const body = Buffer.concat([int(sig.subarray(0, n)), int(sig.subarray(n))]);
  return Buffer.concat([Buffer.from([0x30]), derLen(body.length), body]);
}

function derLen(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n >>= 8;
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Verifies `sig` over `data` with the scheme; false on any mismatch (wrong key type included). */
function verifyWith(scheme: Scheme, k: VerificationKey, data: Buffer, sig: Buffer): boolean {
  try {
    if (scheme.kind === 'hmac') {
      if (k.secret === undefined) return false;
      const mac = createHmac(scheme.hash!, k.secret).update(data).digest();
      return mac.length === sig.length && timingSafeEqual(mac, sig);
    }
    const key = k.key;
    if (key === undefined || k.isPrivate) return false;
    const kt = key.asymmetricKeyType;
    switch (scheme.kind) {
      case 'rsa':
        if (kt !== 'rsa') return false;
        return cryptoVerify(scheme.hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, sig);
      case 'pss':
        if (kt !== 'rsa') return false;
        return cryptoVerify(scheme.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, sig);
      case 'es':
        if (kt !== 'ec') return false;
        if (sig.length === 0) return false;
        return cryptoVerify(scheme.hash, data, { key, dsaEncoding: 'der' }, ecdsaDER(sig));
      case 'eddsa':
        if (kt !== 'ed25519') return false;
        return cryptoVerify(null, data, key, sig);
    }
  } catch {
    return false;
  }
  return false;
}

/** The JWT header fields OPA validates. */
interface TokenHeader {
  alg: string;
  kid: string;
  typ: string;
  cty: string;
  crit: Set<string> | undefined;
  unknown: string[];
}

function parseTokenHeader(h: ObjectValue): TokenHeader {
  const out: TokenHeader = { alg: '', kid: '', typ: '', cty: '', crit: undefined, unknown: [] };
  for (const [k, v] of h.entries()) {
    const ks = k as string;
    switch (ks) {
      case 'alg':
      case 'kid':
      case 'typ':
      case 'cty':
        if (typeof v !== 'string') throw err(`${ks}: must be a string`);
        out[ks] = v;
        break;
      case 'crit': {
        if (!Array.isArray(v)) throw err('crit: must be a list');
        out.crit = new Set();
        for (const e of v as Value[]) if (typeof e === 'string') out.crit.add(e);
        if (out.crit.size === 0) throw err('crit: must be a nonempty list');
        break;
      }
      default:
        out.unknown.push(ks);
    }
  }
  return out;
}

function headerValid(h: TokenHeader): boolean {
  if (h.alg === '') return false;
  for (const u of h.unknown) if (h.crit?.has(u)) return false;
  return true;
}

function verifyBuiltin(name: string, alg: string): Builtin {
  const scheme = SCHEMES[alg];
  return {
    name,
    args: [t.string, t.string],
    result: t.boolean,
    description: `Verifies if a ${alg} JWT signature is valid.`,
    fn: ([jwt, keyStr]) => {
      const token = decodeJWT(jwt, name);
      const s = strOperand(keyStr, 2, name);
      const keys = getKeysFromCertOrJWK(s);
      const signature = decodeSignature(token);
      const header = parseTokenHeader(decodeHeader(token));
      const data = Buffer.from(token.header + '.' + token.payload, 'utf8');
      if (header.kid !== '') {
        const k = keys.find((x) => x.kid === header.kid);
        if (k !== undefined) return verifyWith(scheme, { ...k, secret: undefined }, data, signature);
      }
      for (const k of keys) {
        if (k.alg !== '' && header.alg !== k.alg) continue;
        if (verifyWith(scheme, { ...k, secret: undefined }, data, signature)) return true;
      }
      return false;
    },
  };
}

function verifyHS(name: string, hash: string): Builtin {
  return {
    name,
    args: [t.string, t.string],
    result: t.boolean,
    description: `Verifies if a ${name.slice(-5).toUpperCase()} (secret) JWT signature is valid.`,
    fn: ([jwt, secret]) => {
      strOperand(jwt, 1, name);
      const sec = strOperand(secret, 2, name);
      const token = decodeJWT(jwt, name);
      const mac = createHmac(hash, Buffer.from(sec, 'utf8'))
        .update(token.header + '.' + token.payload, 'utf8')
        .digest();
      const sig = decodeSignature(token);
      return sig.length === mac.length && timingSafeEqual(sig, mac);
    },
  };
}

// ---- decode_verify ----

interface Constraints {
  secret: string;
  alg: string;
  iss: string;
  aud: string;
  keys: VerificationKey[] | undefined;
  time: number;
}

function timeFromValue(v: Value): number {
  if (!isNumber(v)) throw err('token time constraint: must be a number');
  const f = typeof v === 'number' ? v : Number(typeof v === 'bigint' ? v : v.toNumber());
  if (!Number.isFinite(f)) throw err('token time constraint: unvalid float64');
  if (f < 0) throw err('token time constraint: must not be negative');
  return f;
}

function parseConstraints(o: ObjectValue, ctx: BuiltinContext): Constraints {
  const c: Constraints = { secret: '', alg: '', iss: '', aud: '', keys: undefined, time: -1 };
  for (const [k, v] of o.entries()) {
    const name = typeof k === 'string' ? k : toJSONText(k);
    switch (name) {
      case 'cert':
        if (typeof v !== 'string') throw err('cert constraint: must be a string');
        c.keys = getKeysFromCertOrJWK(v);
        break;
      case 'secret':
      case 'alg':
      case 'iss':
      case 'aud':
        if (typeof v !== 'string') throw err(`${name} constraint: must be a string`);
        c[name] = v;
        break;
      case 'time':
        c.time = timeFromValue(v);
        break;
      default:
        throw err(`unknown token validation constraint: ${name}`);
    }
  }
  if (c.time === -1) c.time = Number(ctx.nowNs);
  return c;
}

const SIGNATURE_NOT_VERIFIED = Symbol('signature not verified');

function constraintsVerify(c: Constraints, kid: string, alg: string, header: string, payload: string, sig: Buffer): true | typeof SIGNATURE_NOT_VERIFIED {
  const data = Buffer.from(header + '.' + payload, 'utf8');
  const scheme = SCHEMES[alg];
  const check = (k: VerificationKey): boolean => scheme !== undefined && verifyWith(scheme, { ...k, isPrivate: false }, data, sig);
  if (c.keys !== undefined) {
    if (kid !== '') {
      const k = c.keys.find((x) => x.kid === kid);
      if (k !== undefined) return check(k) ? true : SIGNATURE_NOT_VERIFIED;
    }
    for (const k of c.keys) {
      if (k.alg !== '' && alg !== k.alg) continue;
      if (check(k)) return true;
    }
    return SIGNATURE_NOT_VERIFIED;
  }
  if (c.secret !== '') {
    if (scheme === undefined || scheme.kind !== 'hmac') return SIGNATURE_NOT_VERIFIED;
    return verifyWith(scheme, { key: undefined, isPrivate: false, secret: Buffer.from(c.secret, 'utf8'), alg: '', kid: '' }, data, sig)
      ? true
      : SIGNATURE_NOT_VERIFIED;
  }
  throw err('unexpectedly found no keys to trust');
}

function validAudience(c: Constraints, aud: Value): boolean {
  if (typeof aud === 'string') return aud === c.aud;
  if (!Array.isArray(aud)) return false;
  return (aud as Value[]).some((e) => typeof e === 'string' && e === c.aud);
}

function decodeVerify(args: Value[], ctx: BuiltinContext): Value {
  const name = 'io.jwt.decode_verify';
  let a = args[0];
  const b = args[1];
  if (!(b instanceof ObjectValue)) throw operandTypeError(name, 2, b, 'object');
  const unverified: Value = [false, new ObjectValue(), new ObjectValue()];
  const c = parseConstraints(b, ctx);
  const nkeys = (c.keys !== undefined ? 1 : 0) + (c.secret !== '' ? 1 : 0);
  if (nkeys > 1) throw err('duplicate key constraints');
  if (nkeys < 1) throw err('no key constraint');

  let token: Token;
  let p: string;
  for (;;) {
    token = decodeJWT(a, name);
    decodeHeader(token);
    const header = parseTokenHeader(token.decodedHeader!);
    if (!headerValid(header)) return unverified;
    if (c.alg !== '' && c.alg !== header.alg) return unverified;
    const signature = decodeSignature(token);
    if (constraintsVerify(c, header.kid, header.alg, token.header, token.payload, signature) !== true) return unverified;
    try {
      p = b64(token.payload).toString('utf8');
    } catch (e) {
      throw err(`JWT payload had invalid encoding: ${(e as Error).message}`);
    }
    if (header.cty.toUpperCase() === 'JWT') {
      a = p;
      continue;
    }
    break;
  }
  const payload = jsonObject(p);
  const header = token.decodedHeader!;

  if (c.iss !== '') {
    const iss = payload.get('iss');
    if (iss === undefined || iss !== c.iss) return unverified;
  }
  const aud = payload.get('aud');
  if (aud !== undefined) {
    if (!validAudience(c, aud)) return unverified;
  } else if (c.aud !== '') return unverified;

  const now = c.time / 1e9;
  const exp = payload.get('exp');
  if (exp !== undefined) {
    if (!isNumber(exp)) throw err('exp value must be a number');
    if (compareNumbers(now, exp as RegoNumber) !== -1) return unverified;
  }
  const nbf = payload.get('nbf');
  if (nbf !== undefined) {
    if (!isNumber(nbf)) throw err('nbf value must be a number');
    if (compareNumbers(now, nbf as RegoNumber) === -1) return unverified;
  }
  return [true, header, payload];
}

// ---- signing ----

/** A lenient JSON header parse as jwsbb.HeaderParse (valyala/fastjson) does it. */
function headerGetString(headers: string, key: string): string {
  const s = headers.replace(/^[ \t\r\n]+/, '');
  if (s === '') throw err('cannot parse JSON: cannot parse empty string');
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch {
    // fastjson takes any run of number characters as a number (not an object: no fields).
    if (/^[-+.0-9eEinfINFa]+[ \t\r\n]*$/.test(s)) throw err(`jwsbb: header "${key}" not found`);
    throw err('cannot parse JSON');
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw err(`jwsbb: header "${key}" not found`);
  const x = (v as Record<string, unknown>)[key];
  if (typeof x !== 'string') throw err(`jwsbb: header "${key}" not found`);
  return x;
}

function b64url(b: Buffer | string): string {
  return (typeof b === 'string' ? Buffer.from(b, 'utf8') : b).toString('base64url');
}

function signWith(alg: string, key: JWKKey, data: Buffer): Buffer {
  const scheme = SCHEMES[alg];
  switch (scheme.kind) {
    case 'hmac':
      if (key.secret === undefined) throw err(`failed to sign payload: invalid key type for ${alg}`);
      return createHmac(scheme.hash!, key.secret).update(data).digest();
    case 'rsa':
      if (key.privateKey?.asymmetricKeyType !== 'rsa') throw err(`failed to sign payload: invalid key type for ${alg}`);
      return cryptoSign(scheme.hash, data, { key: key.privateKey, padding: constants.RSA_PKCS1_PADDING });
    case 'pss':
      if (key.privateKey?.asymmetricKeyType !== 'rsa') throw err(`failed to sign payload: invalid key type for ${alg}`);
      return cryptoSign(scheme.hash, data, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
    case 'es':
      if (key.privateKey?.asymmetricKeyType !== 'ec') throw err(`failed to sign payload: invalid key type for ${alg}`);
      return cryptoSign(scheme.hash, data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    case 'eddsa':
      if (key.privateKey?.asymmetricKeyType !== 'ed25519') throw err(`failed to sign payload: invalid key type for ${alg}`);
      return cryptoSign(null, data, key.privateKey);
  }
}

function isValidJSON(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

function encodeSign(headers: string, payload: string, jwkSrc: string): string {
  let keys: JWKKey[];
  try {
    keys = parseJWKSet(jwkSrc);
  } catch (e) {
    throw err((e as Error).message);
  }
  if (keys.length === 0) throw err('no keys found in JWK set');
  const key = keys[0];
  let alg: string;
  try {
    alg = headerGetString(headers, 'alg');
  } catch (e) {
    throw err(`missing or invalid 'alg' header: ${(e as Error).message}`);
  }
  if (!TOKEN_ALGORITHMS.has(alg)) throw err(`unknown JWS algorithm: ${alg}`);
  let typ: string | undefined;
  try {
    typ = headerGetString(headers, 'typ');
  } catch {
    typ = undefined;
  }
  if ((typ === undefined || typ === 'JWT') && !isValidJSON(payload)) throw err('type is JWT but payload is not JSON');
  const signingInput = b64url(headers) + '.' + b64url(payload);
  const sig = signWith(alg, key, Buffer.from(signingInput, 'utf8'));
  return signingInput + '.' + b64url(sig);
}

const wrap = wrapErrors;

const objAny = t.objectOf(t.any, t.any);

const list: Builtin[] = [
  {
    name: 'io.jwt.decode',
    args: [t.string],
    result: t.tuple(objAny, objAny, t.string),
    description: 'Decodes a JSON Web Token and outputs it as an object.',
    fn: ([x]) => decode(x, 'io.jwt.decode'),
  },
  {
    name: 'io.jwt.decode_verify',
    args: [t.string, t.objectOf(t.string, t.any)],
    result: t.tuple(t.boolean, objAny, objAny),
    description: 'Verifies a JWT signature under parameterized constraints and decodes the claims if it is valid.',
    fn: (args, ctx) => decodeVerify(args, ctx),
  },
  verifyHS('io.jwt.verify_hs256', 'sha256'),
  verifyHS('io.jwt.verify_hs384', 'sha384'),
  verifyHS('io.jwt.verify_hs512', 'sha512'),
  verifyBuiltin('io.jwt.verify_rs256', 'RS256'),
  verifyBuiltin('io.jwt.verify_rs384', 'RS384'),
  verifyBuiltin('io.jwt.verify_rs512', 'RS512'),
  verifyBuiltin('io.jwt.verify_ps256', 'PS256'),
  verifyBuiltin('io.jwt.verify_ps384', 'PS384'),
  verifyBuiltin('io.jwt.verify_ps512', 'PS512'),
  verifyBuiltin('io.jwt.verify_es256', 'ES256'),
  verifyBuiltin('io.jwt.verify_es384', 'ES384'),
  verifyBuiltin('io.jwt.verify_es512', 'ES512'),
  verifyBuiltin('io.jwt.verify_eddsa', 'EdDSA'),
  {
    name: 'io.jwt.encode_sign',
    args: [t.objectOf(t.string, t.any), t.objectOf(t.string, t.any), t.objectOf(t.string, t.any)],
    result: t.string,
    nondeterministic: true,
    description: 'Encodes and optionally signs a JSON Web Token. Inputs are taken as objects, not encoded strings (see `io.jwt.encode_sign_raw`).',
    fn: ([h, p, k]) =>
      encodeSign(toJSONText(h, undefined, { escapeHTML: true }), toJSONText(p, undefined, { escapeHTML: true }), toJSONText(k, undefined, { escapeHTML: true })),
  },
  {
    name: 'io.jwt.encode_sign_raw',
    args: [t.string, t.string, t.string],
    result: t.string,
    nondeterministic: true,
    description: 'Encodes and optionally signs a JSON Web Token.',
    fn: ([h, p, k]) => {
      const name = 'io.jwt.encode_sign_raw';
      const jwk = strOperand(k, 3, name);
      const headers = strOperand(h, 1, name);
      const payload = strOperand(p, 2, name);
      return encodeSign(headers, payload, jwk);
    },
  },
];

export const builtins: Builtin[] = list.map(wrap);

// Exposed for tests.
export const _internal = { getKeysFromCertOrJWK, headerGetString, ecdsaDER };
