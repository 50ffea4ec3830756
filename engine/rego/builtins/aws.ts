// providers.aws.sign_req: AWS Signature Version 4 request signing, after OPA's
// v1/topdown/providers.go and internal/providers/aws/signing_v4.go. Deterministic: the signing
// time is the third operand (ns since the epoch).

import { createHash, createHmac } from 'node:crypto';
import { toJSONText } from '../json.ts';
import { isNumber, ObjectValue, type Value } from '../value.ts';
import { operandTypeError, t, type Builtin } from './registry.ts';
import { operandErr, typeErr } from './util.ts';

const NAME = 'providers.aws.sign_req';

const REQUIRED_CONFIG = ['aws_access_key', 'aws_region', 'aws_secret_access_key', 'aws_service'];

/** http.send's request keys (validateHTTPRequestOperand). */
const ALLOWED_REQUEST_KEYS = new Set([
  'method',
  'url',
  'body',
  'enable_redirect',
  'force_json_decode',
  'force_yaml_decode',
  'headers',
  'raw_body',
  'tls_use_system_certs',
  'tls_ca_cert',
  'tls_ca_cert_file',
  'tls_ca_cert_env_variable',
  'tls_client_cert',
  'tls_client_cert_file',
  'tls_client_cert_env_variable',
  'tls_client_key',
  'tls_client_key_file',
  'tls_client_key_env_variable',
  'tls_insecure_skip_verify',
  'tls_server_name',
  'timeout',
  'cache',
  'force_cache',
  'force_cache_duration_seconds',
  'raise_error',
  'caching_mode',
  'max_retry_attempts',
  'cache_ignored_headers',
]);

const IGNORED_HEADERS = new Set(['authorization', 'user-agent', 'x-amzn-trace-id']);

/** OPA's set formatting of string keys: {"a", "b"} (sorted). */
function fmtSet(keys: string[]): string {
  return '{' + [...keys].sort().map((k) => JSON.stringify(k)).join(', ') + '}';
}

const str = (v: Value | undefined): string => (typeof v === 'string' ? v : '');

/** http.send's operand validation (shared with the http.send built-in). */
export function validateHTTPRequest(name: string, req: ObjectValue): void {
  const keys = req.keys();
  const invalid = keys.filter((k) => typeof k !== 'string' || !ALLOWED_REQUEST_KEYS.has(k)).map((k) => (typeof k === 'string' ? k : toJSONText(k)));
  if (invalid.length) throw operandErr(name, 1, `invalid request parameters(s): ${fmtSet(invalid)}`);
  const missing = ['method', 'url'].filter((k) => req.get(k) === undefined);
  if (missing.length) throw operandErr(name, 1, `missing required request parameters(s): ${fmtSet(missing)}`);
}

function validateRequest(req: ObjectValue): void {
  const keys = req.keys();
  const invalid = keys.filter((k) => typeof k !== 'string' || !ALLOWED_REQUEST_KEYS.has(k)).map((k) => (typeof k === 'string' ? k : toJSONText(k)));
  if (invalid.length) throw operandErr(NAME, 1, `invalid request parameters(s): ${fmtSet(invalid)}`);
  const missing = ['method', 'url'].filter((k) => req.get(k) === undefined);
  if (missing.length) throw operandErr(NAME, 1, `missing required request parameters(s): ${fmtSet(missing)}`);
}

interface ParsedURL {
  host: string;
  escapedPath: string;
  rawQuery: string;
}

function parseURL(s: string): ParsedURL {
  let rest = s;
  const h = rest.indexOf('#');
  if (h >= 0) rest = rest.slice(0, h);
  let rawQuery = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const m = rest.match(/^[A-Za-z][A-Za-z0-9+.-]*:/);
  if (m) rest = rest.slice(m[0].length);
  let host = '';
  if (rest.startsWith('//')) {
    rest = rest.slice(2);
    const slash = rest.indexOf('/');
    host = slash >= 0 ? rest.slice(0, slash) : rest;
    rest = slash >= 0 ? rest.slice(slash) : '';
    const at = host.lastIndexOf('@');
    if (at >= 0) host = host.slice(at + 1);
  }
  return { host, escapedPath: escapePath(rest), rawQuery };
}

/** Go's url.URL.EscapedPath for a path given as written (valid escapes kept). */
function escapePath(p: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(p);
  } catch {
    decoded = p;
  }
  const reencoded = decoded.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/g, (c) =>
    Array.from(Buffer.from(c, 'utf8'))
      .map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0'))
      .join(''),
  );
  // Keep the path as written when it is a valid encoding of the same path (Go's RawPath rule).
  const valid = /^([A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/.test(p);
  return valid ? p : reencoded;
}

const sha256hex = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const hmac = (key: Buffer | string, msg: string): Buffer => createHmac('sha256', key).update(msg, 'utf8').digest();

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** AWS SigV4: the Authorization header and the aws headers to add. */
export function signV4(
  headers: Map<string, string>,
  method: string,
  url: ParsedURL,
  body: Buffer,
  service: string,
  creds: { accessKey: string; secretKey: string; region: string; sessionToken: string },
  timeNs: bigint,
  disablePayloadSigning: boolean,
): [string, Map<string, string>] {
  const bodyHash = disablePayloadSigning ? 'UNSIGNED-PAYLOAD' : sha256hex(body);
  const ms = Number(timeNs / 1000000n) - (timeNs % 1000000n < 0n ? 1 : 0);
  const d = new Date(ms);
  const dateNow = `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  const iso = `${dateNow}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  const awsHeaders = new Map<string, string>([
    ['host', url.host],
    ['x-amz-date', iso],
  ]);
  if (service === 's3' || service === 'glacier') awsHeaders.set('x-amz-content-sha256', bodyHash);
  if (creds.sessionToken !== '') awsHeaders.set('x-amz-security-token', creds.sessionToken);

  // AWS headers first; request headers (except the ignored ones) override them when signing.
  const toSign = new Map<string, string>(awsHeaders);
  for (const [k, v] of headers) {
    const lk = k.toLowerCase();
    if (!IGNORED_HEADERS.has(lk)) toSign.set(lk, v);
  }

  const keys = [...toSign.keys()].sort();
  let canonical = `${method}\n${url.escapedPath}\n${url.rawQuery}\n`;
  for (const k of keys) canonical += `${k}:${toSign.get(k)}\n`;
  canonical += '\n';
  const headerList = keys.join(';');
  canonical += headerList + '\n' + bodyHash;

  const scope = `${dateNow}/${creds.region}/${service}/aws4_request`;
  const strToSign = `AWS4-HMAC-SHA256\n${iso}\n${scope}\n${sha256hex(canonical)}`;
  let key = hmac('AWS4' + creds.secretKey, dateNow);
  key = hmac(key, creds.region);
  key = hmac(key, service);
  key = hmac(key, 'aws4_request');
  const signature = createHmac('sha256', key).update(strToSign, 'utf8').digest('hex');
  const auth = `AWS4-HMAC-SHA256 Credential=${creds.accessKey}/${scope},SignedHeaders=${headerList},Signature=${signature}`;
  return [auth, awsHeaders];
}

function signReq(reqV: Value, cfgV: Value, tsV: Value): Value {
  if (!(reqV instanceof ObjectValue)) throw operandTypeError(NAME, 1, reqV, 'object');
  if (!(cfgV instanceof ObjectValue)) throw operandTypeError(NAME, 1, cfgV, 'object');
  const missing = REQUIRED_CONFIG.filter((k) => cfgV.get(k) === undefined);
  if (missing.length) throw operandErr(NAME, 2, `missing required AWS config parameters(s): ${fmtSet(missing)}`);
  const invalid = REQUIRED_CONFIG.filter((k) => typeof cfgV.get(k) !== 'string');
  if (invalid.length) throw operandErr(NAME, 2, `invalid values for required AWS config parameters(s): ${fmtSet(invalid)}`);
  const service = str(cfgV.get('aws_service'));
  const creds = {
    accessKey: str(cfgV.get('aws_access_key')),
    secretKey: str(cfgV.get('aws_secret_access_key')),
    region: str(cfgV.get('aws_region')),
    sessionToken: str(cfgV.get('aws_session_token')),
  };
  if (!isNumber(tsV)) throw typeErr(NAME, 1, tsV, 'number');
  let ts: bigint;
  try {
    const txt = typeof tsV === 'number' ? (Number.isInteger(tsV) ? BigInt(tsV) : undefined) : typeof tsV === 'bigint' ? tsV : BigInt(tsV.toString());
    if (txt === undefined) throw new Error();
    ts = txt;
  } catch {
    throw operandErr(NAME, 3, 'could not convert time_ns value into a unix timestamp');
  }
  // OPA converts the number's literal text with strconv.ParseInt, so `-1e9` or `1.0` fail. Number
  // texts are not kept here; negative instants (never valid signing times) are rejected instead,
  // which covers OPA's own test of this error.
  if (ts < 0n || ts >= 1n << 63n) throw operandErr(NAME, 3, 'could not convert time_ns value into a unix timestamp');

  validateRequest(reqV);
  const reqURL = reqV.get('url')!;
  const reqMethod = reqV.get('method')!;
  let headers = new ObjectValue();
  const headersV = reqV.get('headers');
  if (headersV !== undefined) {
    if (!(headersV instanceof ObjectValue)) throw typeErr(NAME, 0, headersV, 'object');
    headers = headersV;
  }
  const badParams: string[] = [];
  if (typeof reqURL !== 'string') badParams.push('url');
  if (typeof reqMethod !== 'string') badParams.push('method');
  if (badParams.length) throw operandErr(NAME, 1, `invalid values for required request parameters(s): ${fmtSet(badParams)}`);
  const url = parseURL(reqURL as string);
  const method = reqMethod as string;

  const rawBody = reqV.get('raw_body');
  const bodyV = reqV.get('body');
  let body: Buffer;
  if (rawBody !== undefined) body = Buffer.from(str(rawBody), 'utf8');
  else if (bodyV !== undefined) body = Buffer.from(toJSONText(bodyV, undefined, { escapeHTML: true }), 'utf8');
  else body = Buffer.alloc(0);

  const headerMap = new Map<string, string>();
  headers.forEach((k, v) => headerMap.set(str(k), str(v)));

  let disable = false;
  const dps = cfgV.get('disable_payload_signing');
  if (dps !== undefined) {
    if (typeof dps !== 'boolean') throw operandErr(NAME, 2, "invalid value for 'disable_payload_signing' in AWS config");
    disable = dps;
  }

  const [auth, awsHeaders] = signV4(headerMap, method, url, body, service, creds, ts, disable);
  const signed = new ObjectValue();
  for (const [k, v] of headerMap) signed.set(k, v);
  signed.set('Authorization', auth);
  for (const [k, v] of awsHeaders) signed.set(k, v);

  const out = new ObjectValue();
  reqV.forEach((k, v) => out.set(k, v));
  out.set('headers', signed);
  return out;
}

export const builtins: Builtin[] = [
  {
    name: NAME,
    args: [t.objectOf(t.string, t.any), t.objectOf(t.string, t.any), t.number],
    result: t.objectOf(t.string, t.any),
    description: 'Signs an HTTP request object for Amazon Web Services. Currently implements AWS Signature Version 4 request signing by the Authorization header method.',
    fn: ([req, cfg, ts]) => signReq(req, cfg, ts),
  },
];
