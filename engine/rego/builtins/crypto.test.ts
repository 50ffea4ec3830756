import { describe, expect, it } from 'vitest';
import type { Value } from '../value.ts';
import { builtins } from './crypto.ts';
import { builtinCaller } from './testutil.ts';

const { call } = builtinCaller(builtins);

describe('crypto', () => {
  it('digests', () => {
    expect(call('crypto.md5', 'lorem ipsum')).toBe('80a751fde577028640c419000e33eba6');
    expect(call('crypto.sha1', 'lorem ipsum')).toBe('bfb7759a67daeb65410490b4d98bb9da7d1ea2ce');
    expect(call('crypto.sha256', 'lorem ipsum')).toBe('5e2bf57d3f40c4b6df69daf1936cb766f832374b4fc0259a7cbff06e2f70f269');
  });
  it('hmacs', () => {
    expect(call('crypto.hmac.md5', 'foo', 'bar')).toBe('31b6db9e5eb4addb42f1a6ca07367adc');
    expect(call('crypto.hmac.sha1', 'foo', 'bar')).toBe('85d155c55ed286a300bd1cf124de08d87e914f3a');
    expect(call('crypto.hmac.sha256', 'foo', 'bar')).toBe('147933218aaabc0b8b10a2b3a5c34684c8d94341bcf10a4736dc7270f7741851');
    expect(call('crypto.hmac.sha512', 'foo', 'bar')).toBe(
      '24257d7210582a65c731ec55159c8184cc24c02489453e58587f71f44c23a2d61b4b72154a89d17b2d49448a8452ea066f4fc56a2bcead45c088572ffccdb3d8',
    );
    const m = 'åäöçß🥲♙Ω';
    const k = '秘密の';
    expect(call('crypto.hmac.md5', m, k)).toBe('20a8743c2157ac60b7e8b79c83651b8d');
    expect(call('crypto.hmac.sha1', m, k)).toBe('81759c39013935fcf0de833d44c8018d7c1455dd');
    expect(call('crypto.hmac.sha256', m, k)).toBe('eb90daeb76d4b2571fbdaf94bbb240809faa8fed93ec0c260dd38c3fdf8d963a');
    expect(call('crypto.hmac.sha512', m, k)).toBe(
      '192f5afded233d6e21427aa26ed267ac118cfa2971013d91cbed530c0b208d78138b83dfe1d6cc3553d7bd518f22a481402c723028e1279d1ffbe8f11ea6b125',
    );
  });
  it('hmac.equal', () => {
    expect(call('crypto.hmac.equal', '31b6db9e5eb4addb42f1a6ca07367adc', '31b6db9e5eb4addb42f1a6ca07367adc')).toBe(true);
    expect(call('crypto.hmac.equal', '31b6db9e5eb4addb42f1a6ca07367adc', '31b6db9e5eb4addb')).toBe(false);
  });
  it('type errors', () => {
    expect(() => call('crypto.md5', 1)).toThrow('crypto.md5: operand 1 must be string but got number');
    expect(() => call('crypto.hmac.sha1', 'x', null)).toThrow('crypto.hmac.sha1: operand 2 must be string but got null');
  });
});
