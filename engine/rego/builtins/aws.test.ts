import { describe, expect, it } from 'vitest';
import { ObjectValue, type Value } from '../value.ts';
import { builtins } from './aws.ts';
import { caller } from './testutil.ts';

const call = caller(builtins);
const cfg = ObjectValue.fromRecord({ aws_access_key: 'AKID', aws_secret_access_key: 'SECRET', aws_service: 'execute-api', aws_region: 'eu-west-1' });
const headers = (v: Value | undefined): ObjectValue => (v as ObjectValue).get('headers') as ObjectValue;

describe('providers.aws.sign_req', () => {
  it('signs path and query; only s3/glacier get x-amz-content-sha256', () => {
    const req = ObjectValue.fromRecord({ method: 'GET', url: 'https://api.example.com/a%20b/c?x=1&y=2' });
    const h = headers(call('providers.aws.sign_req', req, cfg, 1451311705000000000n));
    expect(h.get('host')).toBe('api.example.com');
    expect(h.get('x-amz-content-sha256')).toBeUndefined();
    expect(h.get('x-amz-date')).toBe('20151228T140825Z');
    expect(h.get('Authorization')).toMatch(/^AWS4-HMAC-SHA256 Credential=AKID\/20151228\/eu-west-1\/execute-api\/aws4_request,SignedHeaders=host;x-amz-date,Signature=[0-9a-f]{64}$/);
  });
  it('is deterministic and ignores user-agent when signing', () => {
    const a = ObjectValue.fromRecord({ method: 'GET', url: 'https://h/' });
    const b = ObjectValue.fromRecord({ method: 'GET', url: 'https://h/', headers: ObjectValue.fromRecord({ 'User-Agent': 'x' }) });
    const sa = headers(call('providers.aws.sign_req', a, cfg, 0)).get('Authorization');
    const sb = headers(call('providers.aws.sign_req', b, cfg, 0)).get('Authorization');
    expect(sa).toBe(sb);
  });
  it('rejects unknown request keys', () => {
    const req = ObjectValue.fromRecord({ method: 'GET', url: 'https://h/', nope: 1 });
    expect(() => call('providers.aws.sign_req', req, cfg, 0)).toThrow('operand 1 invalid request parameters(s): {"nope"}');
  });
});
