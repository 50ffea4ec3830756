// PEM decoding as Go's encoding/pem.Decode does it, and JWK parsing to node:crypto keys, shared by
// the JWT (jwt.ts) and X.509 (x509.ts) built-ins.

import { createPublicKey, createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { base64Decode, padBase64URL } from './encoding.ts';

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export interface PemBlock {
  type: string;
  headers: Record<string, string>;
  bytes: Buffer;
}

/** Go's base64.StdEncoding.DecodeString (newlines ignored). Throws "illegal base64 data at input byte N". */
export function stdBase64(s: string): Buffer {
  return Buffer.from(base64Decode(s, STD));
}

/** Go's base64.RawURLEncoding.DecodeString. */
export function rawURLBase64(s: string): Buffer {
  if (s.includes('=')) throw new Error(`illegal base64 data at input byte ${s.indexOf('=')}`);
  const pad = s.length % 4 === 2 ? '==' : s.length % 4 === 3 ? '=' : '';
  if (s.length % 4 === 1) throw new Error(`illegal base64 data at input byte ${s.length - 1}`);
  return Buffer.from(base64Decode(s + pad, URL));
}

/** OPA's base64url.decode: pads a missing `=` then decodes with the URL alphabet (bytes). */
export function base64URLDecodeLenient(s0: string): Buffer {
  const s = padBase64URL(s0);
  if (s === undefined) throw new Error(`illegal base64url string: ${s0}`);
  return Buffer.from(base64Decode(s, URL));
}

function getLine(data: string): [string, string] {
  const i = data.indexOf('\n');
  let line: string;
  let rest: string;
  if (i < 0) {
    line = data;
    rest = '';
  } else {
    line = data.slice(0, i);
    rest = data.slice(i + 1);
  }
  return [line.replace(/[ \t\r]+$/, ''), rest];
}

/** Go's pem.Decode: the first PEM block in `data` and the rest after it; [undefined, data] if none. */
export function pemDecode(data: string): [PemBlock | undefined, string] {
  let rest = data;
  for (;;) {
    if (rest.startsWith('-----BEGIN ')) rest = rest.slice(11);
    else {
      const i = rest.indexOf('\n-----BEGIN ');
      if (i < 0) return [undefined, data];
      rest = rest.slice(i + 12);
    }
    let typeLine: string;
    [typeLine, rest] = getLine(rest);
    if (!typeLine.endsWith('-----')) continue;
    typeLine = typeLine.slice(0, -5);
    const headers: Record<string, string> = {};
    let nh = 0;
    let truncated = false;
    for (;;) {
      if (rest.length === 0) {
        truncated = true;
        break;
      }
      const [line, next] = getLine(rest);
      const c = line.indexOf(':');
      if (c < 0) break;
      headers[line.slice(0, c).trim()] = line.slice(c + 1).trim();
      nh++;
      rest = next;
    }
    if (truncated) return [undefined, data];
    let endIndex: number;
    let endTrailerIndex: number;
    if (nh === 0 && rest.startsWith('-----END ')) {
      endIndex = 0;
      endTrailerIndex = 9;
    } else {
      endIndex = rest.indexOf('\n-----END ');
      endTrailerIndex = endIndex + 10;
    }
    if (endIndex < 0) continue;
    let endTrailer = rest.slice(endTrailerIndex);
    const trailerLen = typeLine.length + 5;
    if (endTrailer.length < trailerLen) continue;
    const restOfEndLine = endTrailer.slice(trailerLen);
    endTrailer = endTrailer.slice(0, trailerLen);
    if (!endTrailer.startsWith(typeLine) || !endTrailer.endsWith('-----')) continue;
    if (getLine(restOfEndLine)[0].length !== 0) continue;
    const b64 = rest.slice(0, endIndex).replace(/[ \t]/g, '');
    let bytes: Buffer;
    try {
      bytes = stdBase64(b64);
    } catch {
      continue;
    }
    rest = getLine(rest.slice(endIndex + 9))[1];
    return [{ type: typeLine, headers, bytes }, rest];
  }
}

/** Go's pem.EncodeToMemory for a block without headers. */
export function pemEncode(type: string, bytes: Buffer): string {
  const b64 = bytes.toString('base64');
  let out = `-----BEGIN ${type}-----\n`;
  for (let i = 0; i < b64.length; i += 64) out += b64.slice(i, i + 64) + '\n';
  return out + `-----END ${type}-----\n`;
}

// ---------------------------------------------------------------------------------------------
// JWK

/** A key from a JWK: an asymmetric key object or an HMAC secret. */
export interface JWKKey {
  kty: string;
  /** Public key (derived from the private one when the JWK holds one). */
  key: KeyObject | undefined;
  /** Private key when the JWK holds private material. */
  privateKey: KeyObject | undefined;
  /** Symmetric secret (kty "oct"). */
  secret: Buffer | undefined;
  alg: string;
  kid: string;
}

function jwkOne(o: Record<string, unknown>): JWKKey {
  const kty = o.kty;
  if (typeof kty !== 'string') throw new Error('invalid key type from JSON ()');
  const alg = typeof o.alg === 'string' ? o.alg : '';
  const kid = typeof o.kid === 'string' ? o.kid : '';
  if (kty === 'oct') {
    if (typeof o.k !== 'string') throw new Error('failed to parse oct key: required field k is missing');
    return { kty, key: undefined, privateKey: undefined, secret: rawURLBase64(o.k.replace(/=+$/, '')), alg, kid };
  }
  if (kty !== 'RSA' && kty !== 'EC' && kty !== 'OKP') throw new Error(`invalid key type from JSON (${kty})`);
  const jwk = o as JsonWebKey;
  try {
    if (o.d !== undefined) {
      const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
      return { kty, key: createPublicKey(privateKey), privateKey, secret: undefined, alg, kid };
    }
    return { kty, key: createPublicKey({ key: jwk, format: 'jwk' }), privateKey: undefined, secret: undefined, alg, kid };
  } catch (e) {
    throw new Error(`failed to parse ${kty} key: ${(e as Error).message}`);
  }
}

/** jwk.Parse: a single JWK or a JWK set ({"keys": [...]}). */
export function parseJWKSet(text: string): JWKKey[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`failed to unmarshal JWK set: ${(e as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('failed to unmarshal JWK set: not an object');
  const o = raw as Record<string, unknown>;
  if ('keys' in o) {
    if (!Array.isArray(o.keys)) throw new Error('failed to parse JWK set: "keys" must be an array');
    return o.keys.map((k) => {
      if (k === null || typeof k !== 'object' || Array.isArray(k)) throw new Error('failed to parse key: not an object');
      return jwkOne(k as Record<string, unknown>);
    });
  }
  return [jwkOne(o)];
}
