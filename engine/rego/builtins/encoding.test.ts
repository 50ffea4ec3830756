import { describe, expect, it } from 'vitest';
import { equal, ObjectValue, SetValue, type Value } from '../value.ts';
import { builtins } from './encoding.ts';
import { builtinCaller } from './testutil.ts';

const { call, err } = builtinCaller(builtins);
const obj = (r: Record<string, Value>): ObjectValue => ObjectValue.fromRecord(r);

describe('json', () => {
  it('marshal', () => {
    expect(call('json.marshal', [obj({ foo: SetValue.from([3, 1, 2]) })])).toBe('[{"foo":[1,2,3]}]');
    expect(call('json.marshal', [1234567890, 2000000, 1000000000])).toBe('[1234567890,2000000,1000000000]');
    expect(call('json.marshal', 'a<b&c')).toBe('"a\\u003cb\\u0026c"');
    expect(call('json.marshal', ObjectValue.from([[1, 'x'], ['b', 'y']]))).toBe('{"1":"x","b":"y"}');
  });
  it('marshal_with_options', () => {
    const x: Value = [1234567890, 2000000, 1000000000];
    expect(call('json.marshal_with_options', x, obj({ indent: '  ' }))).toBe('[\n  1234567890,\n  2000000,\n  1000000000\n]');
    expect(call('json.marshal_with_options', x, obj({}))).toBe('[1234567890,2000000,1000000000]');
    expect(call('json.marshal_with_options', x, obj({ pretty: true }))).toBe('[\n\t1234567890,\n\t2000000,\n\t1000000000\n]');
    expect(call('json.marshal_with_options', x, obj({ pretty: false, prefix: 'NO!', indent: 'BAD!' }))).toBe('[1234567890,2000000,1000000000]');
    expect(call('json.marshal_with_options', x, obj({ prefix: 'JSON => ' }))).toBe(
      'JSON => [\nJSON => \t1234567890,\nJSON => \t2000000,\nJSON => \t1000000000\nJSON => ]',
    );
    expect(call('json.marshal_with_options', obj({ foo: 'bar', bar: 'baz' }), obj({ prefix: 'JSON => ' }))).toBe(
      'JSON => {\nJSON => \t"bar": "baz",\nJSON => \t"foo": "bar"\nJSON => }',
    );
    expect(call('json.marshal_with_options', [], obj({ indent: '    ', prefix: '---' }))).toBe('---[]');
    expect(call('json.marshal_with_options', [[[]]], obj({ indent: '  ' }))).toBe('[\n  [\n    []\n  ]\n]');
    expect(err('json.marshal_with_options', [], obj({ indent: '    ', include_winning_lottery_numbers: true }))).toEqual({
      code: 'eval_type_error',
      message: 'json.marshal_with_options: operand 2 object contained unknown key "include_winning_lottery_numbers"',
    });
    expect(err('json.marshal_with_options', [], obj({ pretty: 1 })).message).toBe(
      'json.marshal_with_options: operand 2 key "pretty" failed cast to bool',
    );
  });
  it('unmarshal and is_valid', () => {
    expect(equal(call('json.unmarshal', '[{"foo":[1,2,3]}]')!, [obj({ foo: [1, 2, 3] })])).toBe(true);
    expect(err('json.unmarshal', 1)).toEqual({ code: 'eval_type_error', message: 'json.unmarshal: operand 1 must be string but got number' });
    expect(err('json.unmarshal', '{').code).toBe('eval_builtin_error');
    expect(['plainstring', '{', '{"json": "ok"}'].map((d) => call('json.is_valid', d))).toEqual([false, false, true]);
    expect(call('json.is_valid', 1)).toBe(false);
  });
});

describe('yaml', () => {
  it('round-trips', () => {
    const v: Value = [obj({ foo: SetValue.from([1, 2, 3]), s: 'true', e: '' })];
    const text = call('yaml.marshal', v) as string;
    expect(equal(call('yaml.unmarshal', text)!, [obj({ e: '', foo: [1, 2, 3], s: 'true' })])).toBe(true);
    expect(call('yaml.marshal', obj({ a: [1, 2] }))).toBe('a:\n- 1\n- 2\n');
  });
  it('errors and is_valid', () => {
    expect(err('yaml.unmarshal', '[1,2,3')).toEqual({
      code: 'eval_builtin_error',
      message: "yaml.unmarshal: yaml: line 1: did not find expected ',' or ']'",
    });
    const docs = ['foo:\n  - qux: bar\n  - baz: 2', 'foo:\n  - qux: bar\n  - baz: {', '{"json": "ok"}'];
    expect(docs.map((d) => call('yaml.is_valid', d))).toEqual([true, false, true]);
    expect(call('yaml.is_valid', 1)).toBe(false);
  });
});

describe('base64 / base64url / hex', () => {
  it('encodes and decodes', () => {
    expect(call('base64.encode', 'hello')).toBe('aGVsbG8=');
    expect(call('base64.encode', 'subjects?_d')).toBe('c3ViamVjdHM/X2Q=');
    expect(call('base64.decode', 'c3ViamVjdHM/X2Q=')).toBe('subjects?_d');
    expect(call('base64.decode', 'dGhlcmU=')).toBe('there');
    expect(call('base64.is_valid', 'aGVsbG8=')).toBe(true);
    expect(call('base64.is_valid', "{'not':'base64'}")).toBe(false);
    expect(err('base64.decode', 'aGVsbG8')).toEqual({ code: 'eval_builtin_error', message: 'base64.decode: illegal base64 data at input byte 4' });
    expect(call('base64url.encode', 'subjects?_d')).toBe('c3ViamVjdHM_X2Q=');
    expect(call('base64url.encode_no_pad', 'hello')).toBe('aGVsbG8');
    expect(call('base64url.decode', 'aGVsbG8')).toBe('hello');
    expect(call('base64url.decode', 'c3ViamVjdHM_X2Q=')).toBe('subjects?_d');
    expect(err('base64url.decode', 'a').message).toBe('base64url.decode: illegal base64url string: a');
    expect(call('hex.encode', 'hi')).toBe('6869');
    expect(call('hex.decode', '6869')).toBe('hi');
    expect(err('hex.decode', '686').message).toBe('hex.decode: encoding/hex: odd length hex string');
    expect(err('hex.decode', '6g').message).toBe("hex.decode: encoding/hex: invalid byte: U+0067 'g'");
  });
});

describe('urlquery', () => {
  it('encode / decode', () => {
    expect(call('urlquery.encode', 'a=b+1')).toBe('a%3Db%2B1');
    expect(call('urlquery.encode', '')).toBe('');
    expect(call('urlquery.encode', 'a b/é~')).toBe('a+b%2F%C3%A9~');
    expect(call('urlquery.decode', 'a%3Db%2B1')).toBe('a=b+1');
    expect(call('urlquery.decode', 'a+b')).toBe('a b');
    expect(err('urlquery.decode', 'a%zzb')).toEqual({ code: 'eval_builtin_error', message: 'urlquery.decode: invalid URL escape "%zz"' });
  });
  it('encode_object', () => {
    expect(call('urlquery.encode_object', obj({}))).toBe('');
    expect(call('urlquery.encode_object', obj({ c: 'd', a: 'b' }))).toBe('a=b&c=d');
    expect(call('urlquery.encode_object', obj({ a: 'c=b+1' }))).toBe('a=c%3Db%2B1');
    expect(call('urlquery.encode_object', obj({ a: ['b+1', 'c+2'] }))).toBe('a=b%2B1&a=c%2B2');
    expect(call('urlquery.encode_object', obj({ a: SetValue.from(['b+1']) }))).toBe('a=b%2B1');
    expect(err('urlquery.encode_object', obj({ a: 1 }))).toEqual({
      code: 'eval_type_error',
      message: 'urlquery.encode_object: operand 1 values must be string, array[string], or set[string]',
    });
  });
  it('decode_object', () => {
    expect(call('urlquery.decode_object', 'a=value_a1&b=value_b&a=value_a2')).toEqual(obj({ a: ['value_a1', 'value_a2'], b: ['value_b'] }));
    expect(call('urlquery.decode_object', 'a=value_a1&b')).toEqual(obj({ a: ['value_a1'], b: [''] }));
    expect(call('urlquery.decode_object', '')).toEqual(obj({}));
    expect(err('urlquery.decode_object', 'a=1;b=2').message).toBe('urlquery.decode_object: invalid semicolon separator in query');
  });
});
