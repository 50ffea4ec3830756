// crypto.* digest and HMAC built-ins, after OPA's v1/topdown/crypto.go (x509/JWT are out of scope).

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Value } from '../value.ts';
import { operandTypeError, t, type Builtin } from './registry.ts';

function str(name: string, v: Value, pos: number): string {
  if (typeof v !== 'string') throw operandTypeError(name, pos, v, 'string');
  return v;
}

function digest(name: string, algo: string, description: string): Builtin {
  return {
    name,
    args: [t.string],
    result: t.string,
    description,
    fn: ([x]) => createHash(algo).update(str(name, x, 1), 'utf8').digest('hex'),
  };
}

function hmac(name: string, algo: string, description: string): Builtin {
  return {
    name,
    args: [t.string, t.string],
    result: t.string,
    description,
    fn: ([x, key]) => {
      const msg = str(name, x, 1);
      const k = str(name, key, 2);
      return createHmac(algo, Buffer.from(k, 'utf8')).update(msg, 'utf8').digest('hex');
    },
  };
}

export const builtins: Builtin[] = [
  digest('crypto.md5', 'md5', 'Returns a string representing the input string hashed with the MD5 function'),
  digest('crypto.sha1', 'sha1', 'Returns a string representing the input string hashed with the SHA1 function'),
  digest('crypto.sha256', 'sha256', 'Returns a string representing the input string hashed with the SHA256 function'),
  hmac('crypto.hmac.md5', 'md5', 'Returns a string representing the MD5 HMAC of the input message using the input key.'),
  hmac('crypto.hmac.sha1', 'sha1', 'Returns a string representing the SHA1 HMAC of the input message using the input key.'),
  hmac('crypto.hmac.sha256', 'sha256', 'Returns a string representing the SHA256 HMAC of the input message using the input key.'),
  hmac('crypto.hmac.sha512', 'sha512', 'Returns a string representing the SHA512 HMAC of the input message using the input key.'),
  {
    name: 'crypto.hmac.equal',
    args: [t.string, t.string],
    result: t.boolean,
    description: 'Returns a boolean representing the result of comparing two MACs for equality without leaking timing information.',
    fn: ([a, b]) => {
      const name = 'crypto.hmac.equal';
      const x = Buffer.from(str(name, a, 1), 'utf8');
      const y = Buffer.from(str(name, b, 2), 'utf8');
      // Go's hmac.Equal: constant-time compare; different lengths are simply unequal.
      if (x.length !== y.length) return false;
      return timingSafeEqual(x, y);
    },
  },
];
