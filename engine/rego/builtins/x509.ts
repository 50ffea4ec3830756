// crypto.x509.* and crypto.parse_private_keys, after OPA's v1/topdown/crypto.go.
//
// OPA returns Go's x509.Certificate (and x509.CertificateRequest, tls.Certificate) marshalled to
// JSON. A small DER reader here produces that shape for the commonly used fields: raw bytes,
// version, serial, names, validity, key and signature algorithms, public key, key usages, basic
// constraints, key ids, SANs (DNS names, emails, IPs, URIs) plus OPA's URIStrings, AIA, CRL
// distribution points and policies. Chain verification uses node:crypto's X509Certificate.

import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { RegoError } from '../errors.ts';
import { fromJS } from '../json.ts';
import { isNumber, ObjectValue, SetValue, type Value } from '../value.ts';
import { builtinError, operandTypeError, t, wrapErrors, type Builtin, type BuiltinContext } from './registry.ts';
import { pemDecode, pemEncode, stdBase64 } from './pem.ts';

// ---------------------------------------------------------------------------------------------
// DER

interface Node {
  cls: number; // 0 universal, 1 application, 2 context, 3 private
  constructed: boolean;
  tag: number;
  /** Offset of the header. */
  start: number;
  /** Offset of the contents. */
  cs: number;
  /** End of the contents. */
  end: number;
  buf: Buffer;
}

class Asn1Error extends Error {}

function readNode(buf: Buffer, off: number, limit = buf.length): Node {
  if (off + 2 > limit) throw new Asn1Error('asn1: syntax error: data truncated');
  const b = buf[off];
  const cls = b >> 6;
  const constructed = (b & 0x20) !== 0;
  let tag = b & 0x1f;
  let p = off + 1;
  if (tag === 0x1f) {
    tag = 0;
    for (;;) {
      if (p >= limit) throw new Asn1Error('asn1: syntax error: data truncated');
      const c = buf[p++];
      tag = tag * 128 + (c & 0x7f);
      if (!(c & 0x80)) break;
    }
  }
  if (p >= limit) throw new Asn1Error('asn1: syntax error: data truncated');
  let len = buf[p++];
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Asn1Error('asn1: structure error: length too large');
    len = 0;
    for (let i = 0; i < n; i++) {
      if (p >= limit) throw new Asn1Error('asn1: syntax error: data truncated');
      len = len * 256 + buf[p++];
    }
  }
  if (p + len > limit) throw new Asn1Error('asn1: syntax error: data truncated');
  return { cls, constructed, tag, start: off, cs: p, end: p + len, buf };
}

function children(n: Node): Node[] {
  const out: Node[] = [];
  let p = n.cs;
  while (p < n.end) {
    const c = readNode(n.buf, p, n.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

const raw = (n: Node): Buffer => n.buf.subarray(n.start, n.end);
const content = (n: Node): Buffer => n.buf.subarray(n.cs, n.end);

function expect(n: Node | undefined, tag: number, what: string): Node {
  if (n === undefined || n.cls !== 0 || n.tag !== tag) throw new Asn1Error(`asn1: structure error: tags don't match (${tag} vs ${n ? `{class:${n.cls} tag:${n.tag}}` : 'missing'}) ${what}`);
  return n;
}

function oid(n: Node): number[] {
  const b = content(n);
  const out: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if (!(b[i] & 0x80)) {
      if (out.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        out.push(first, v - first * 40);
      } else out.push(v);
      v = 0;
    }
  }
  return out;
}

const oidStr = (n: Node): string => oid(n).join('.');

function bigInt(b: Buffer): bigint {
  if (b.length === 0) return 0n;
  let v = BigInt('0x' + b.toString('hex'));
  if (b[0] & 0x80) v -= 1n << BigInt(b.length * 8);
  return v;
}

function intValue(n: Node): bigint {
  return bigInt(content(n));
}

function num(b: bigint): number | bigint {
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

function str(n: Node): string {
  const b = content(n);
  if (n.tag === 30) {
    // BMPString: UTF-16BE
    let s = '';
    for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i] << 8) | b[i + 1]);
    return s;
  }
  return n.tag === 12 ? b.toString('utf8') : b.toString('latin1');
}

function time(n: Node): string {
  const s = content(n).toString('latin1');
  let m: RegExpMatchArray | null;
  let y: number;
  let rest: string;
  if (n.tag === 23) {
    m = s.match(/^(\d\d)(\d{10})Z$/) ?? s.match(/^(\d\d)(\d{8})Z$/);
    if (!m) throw new Asn1Error('x509: malformed validity');
    y = Number(m[1]);
    y += y < 50 ? 2000 : 1900;
    rest = m[2].length === 8 ? m[2] + '00' : m[2];
  } else {
    m = s.match(/^(\d{4})(\d{10})Z$/);
    if (!m) throw new Asn1Error('x509: malformed validity');
    y = Number(m[1]);
    rest = m[2];
  }
  const p = (i: number): string => rest.slice(i, i + 2);
  return `${String(y).padStart(4, '0')}-${p(0)}-${p(2)}T${p(4)}:${p(6)}:${p(8)}Z`;
}

// ---------------------------------------------------------------------------------------------
// Go JSON shapes

type J = unknown;
const b64 = (b: Buffer | undefined): J => (b === undefined ? null : b.toString('base64'));

const NAME_FIELDS: Record<string, string> = {
  '2.5.4.6': 'Country',
  '2.5.4.10': 'Organization',
  '2.5.4.11': 'OrganizationalUnit',
  '2.5.4.7': 'Locality',
  '2.5.4.8': 'Province',
  '2.5.4.9': 'StreetAddress',
  '2.5.4.17': 'PostalCode',
};

function attrValue(n: Node): J {
  if (n.cls === 0) {
    switch (n.tag) {
      case 12:
      case 19:
      case 20:
      case 22:
      case 26:
      case 27:
      case 28:
      case 30:
        return str(n);
      case 2:
        return num(intValue(n));
      case 1:
        return content(n)[0] !== 0;
      case 6:
        return oid(n);
    }
  }
  return b64(content(n));
}

function pkixName(n: Node): Record<string, J> {
  const out: Record<string, J> = {
    Country: null,
    Organization: null,
    OrganizationalUnit: null,
    Locality: null,
    Province: null,
    StreetAddress: null,
    PostalCode: null,
    SerialNumber: '',
    CommonName: '',
    Names: [] as J[],
    ExtraNames: null,
  };
  for (const rdn of children(n)) {
    for (const atv of children(rdn)) {
      const [t0, v0] = children(atv);
      const type = oid(t0);
      const value = attrValue(v0);
      (out.Names as J[]).push({ Type: type, Value: value });
      if (typeof value !== 'string') continue;
      const key = type.join('.');
      if (key === '2.5.4.3') out.CommonName = value;
      else if (key === '2.5.4.5') out.SerialNumber = value;
      else if (NAME_FIELDS[key]) ((out[NAME_FIELDS[key]] ??= []) as J[]).push(value);
    }
  }
  return out;
}

const SIG_ALGS: Record<string, number> = {
  '1.2.840.113549.1.1.2': 1,
  '1.2.840.113549.1.1.4': 2,
  '1.2.840.113549.1.1.5': 3,
  '1.2.840.113549.1.1.11': 4,
  '1.2.840.113549.1.1.12': 5,
  '1.2.840.113549.1.1.13': 6,
  '1.2.840.10040.4.3': 7,
  '2.16.840.1.101.3.4.3.2': 8,
  '1.2.840.10045.4.1': 9,
  '1.2.840.10045.4.3.2': 10,
  '1.2.840.10045.4.3.3': 11,
  '1.2.840.10045.4.3.4': 12,
  '1.3.101.112': 16,
};

function sigAlg(n: Node): number {
  const [o, params] = children(n);
  const s = oidStr(o);
  if (s === '1.2.840.113549.1.1.10') {
    // RSASSA-PSS: the hash is in the parameters.
    const txt = params ? content(params).toString('hex') : '';
    if (txt.includes('608648016503040201')) return 13;
    if (txt.includes('608648016503040202')) return 14;
    if (txt.includes('608648016503040203')) return 15;
    return 0;
  }
  return SIG_ALGS[s] ?? 0;
}

const PK_ALGS: Record<string, number> = { '1.2.840.113549.1.1.1': 1, '1.2.840.10040.4.1': 2, '1.2.840.10045.2.1': 3, '1.3.101.112': 4 };

const jwkInt = (s: string | undefined): J => (s === undefined ? null : num(BigInt('0x' + (Buffer.from(s, 'base64url').toString('hex') || '0'))));

function publicKeyJSON(spki: Buffer): J {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    return null;
  }
  return keyJSON(key);
}

function keyJSON(key: KeyObject): J {
  const kt = key.asymmetricKeyType;
  if (kt === 'ed25519') {
    const jwk = key.export({ format: 'jwk' });
    const pub = Buffer.from(jwk.x ?? '', 'base64url');
    if (key.type === 'private') return b64(Buffer.concat([Buffer.from(jwk.d ?? '', 'base64url'), pub]));
    return b64(pub);
  }
  if (kt !== 'rsa' && kt !== 'ec') return null;
  const jwk = key.export({ format: 'jwk' });
  if (kt === 'rsa') {
    const pub = { N: jwkInt(jwk.n), E: jwkInt(jwk.e) };
    if (key.type !== 'private') return pub;
    return {
      ...pub,
      D: jwkInt(jwk.d),
      Primes: [jwkInt(jwk.p), jwkInt(jwk.q)],
      Precomputed: { Dp: jwkInt(jwk.dp), Dq: jwkInt(jwk.dq), Qinv: jwkInt(jwk.qi), CRTValues: [] },
    };
  }
  const pub = { Curve: {}, X: jwkInt(jwk.x), Y: jwkInt(jwk.y) };
  return key.type === 'private' ? { ...pub, D: jwkInt(jwk.d) } : pub;
}

interface GoURL {
  Scheme: string;
  Opaque: string;
  User: J;
  Host: string;
  Path: string;
  RawPath: string;
  OmitHost: boolean;
  ForceQuery: boolean;
  RawQuery: string;
  Fragment: string;
  RawFragment: string;
}

function goURL(s: string): GoURL {
  const u: GoURL = { Scheme: '', Opaque: '', User: null, Host: '', Path: '', RawPath: '', OmitHost: false, ForceQuery: false, RawQuery: '', Fragment: '', RawFragment: '' };
  let rest = s;
  const h = rest.indexOf('#');
  if (h >= 0) {
    u.Fragment = decodeURIComponentSafe(rest.slice(h + 1));
    rest = rest.slice(0, h);
  }
  const m = rest.match(/^([A-Za-z][A-Za-z0-9+.-]*):/);
  if (m) {
    u.Scheme = m[1].toLowerCase();
    rest = rest.slice(m[0].length);
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    u.RawQuery = rest.slice(q + 1);
    u.ForceQuery = u.RawQuery === '';
    rest = rest.slice(0, q);
  }
  if (rest.startsWith('//')) {
    rest = rest.slice(2);
    const slash = rest.indexOf('/');
    let auth = slash >= 0 ? rest.slice(0, slash) : rest;
    rest = slash >= 0 ? rest.slice(slash) : '';
    const at = auth.lastIndexOf('@');
    if (at >= 0) {
      u.User = {};
      auth = auth.slice(at + 1);
    }
    u.Host = auth;
  } else if (u.Scheme !== '' && !rest.startsWith('/')) {
    u.Opaque = rest;
    return u;
  }
  u.Path = decodeURIComponentSafe(rest);
  return u;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const EXT_KEY_USAGES: Record<string, number> = {
  '2.5.29.37.0': 0,
  '1.3.6.1.5.5.7.3.1': 1,
  '1.3.6.1.5.5.7.3.2': 2,
  '1.3.6.1.5.5.7.3.3': 3,
  '1.3.6.1.5.5.7.3.4': 4,
  '1.3.6.1.5.5.7.3.5': 5,
  '1.3.6.1.5.5.7.3.6': 6,
  '1.3.6.1.5.5.7.3.7': 7,
  '1.3.6.1.5.5.7.3.8': 8,
  '1.3.6.1.5.5.7.3.9': 9,
  '1.3.6.1.4.1.311.10.3.3': 10,
  '2.16.840.1.113730.4.1': 11,
  '1.3.6.1.4.1.311.2.1.22': 12,
  '1.3.6.1.4.1.311.61.1.1': 13,
};

function ipString(b: Buffer): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
    // compress the longest run of zeros (Go style)
    let best = -1;
    let bestLen = 1;
    for (let i = 0; i < 8; ) {
      if (groups[i] !== '0') {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && groups[j] === '0') j++;
      if (j - i > bestLen) {
        best = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (best < 0) return groups.join(':');
    return groups.slice(0, best).join(':') + '::' + groups.slice(best + bestLen).join(':');
  }
  return '?' + b.toString('hex');
}

interface SANs {
  DNSNames: string[] | null;
  EmailAddresses: string[] | null;
  IPAddresses: string[] | null;
  URIs: GoURL[] | null;
  URIStrings: string[] | null;
}

function parseSANs(value: Buffer, out: SANs): void {
  const seq = readNode(value, 0);
  for (const g of children(seq)) {
    if (g.cls !== 2) continue;
    const c = content(g);
    switch (g.tag) {
      case 1:
        (out.EmailAddresses ??= []).push(c.toString('latin1'));
        break;
      case 2:
        (out.DNSNames ??= []).push(c.toString('latin1'));
        break;
      case 6: {
        const s = c.toString('latin1');
        (out.URIs ??= []).push(goURL(s));
        (out.URIStrings ??= []).push(s);
        break;
      }
      case 7:
        (out.IPAddresses ??= []).push(ipString(c));
        break;
    }
  }
}

function extensionsJSON(exts: Node[], cert: Record<string, J>, sans: SANs): void {
  const list: J[] = [];
  const unhandled: J[] = [];
  for (const e of exts) {
    const parts = children(e);
    const id = oid(parts[0]);
    let critical = false;
    let valueNode = parts[1];
    if (valueNode.cls === 0 && valueNode.tag === 1) {
      critical = content(valueNode)[0] !== 0;
      valueNode = parts[2];
    }
    const value = content(valueNode);
    list.push({ Id: id, Critical: critical, Value: b64(value) });
    const key = id.join('.');
    let handled = true;
    try {
      switch (key) {
        case '2.5.29.15': {
          const bits = content(readNode(value, 0));
          let usage = 0;
          for (let i = 0; i < 9; i++) {
            const byte = bits[1 + (i >> 3)];
            if (byte !== undefined && byte & (0x80 >> (i & 7))) usage |= 1 << i;
          }
          cert.KeyUsage = usage;
          break;
        }
        case '2.5.29.19': {
          const seq = children(readNode(value, 0));
          let isCA = false;
          let maxPathLen = -1;
          for (const c of seq) {
            if (c.tag === 1) isCA = content(c)[0] !== 0;
            else if (c.tag === 2) maxPathLen = Number(intValue(c));
          }
          cert.BasicConstraintsValid = true;
          cert.IsCA = isCA;
          cert.MaxPathLen = maxPathLen;
          cert.MaxPathLenZero = maxPathLen === 0;
          break;
        }
        case '2.5.29.17':
          parseSANs(value, sans);
          break;
        case '2.5.29.37': {
          for (const o of children(readNode(value, 0))) {
            const u = EXT_KEY_USAGES[oidStr(o)];
            if (u !== undefined) ((cert.ExtKeyUsage ??= []) as J[]).push(u);
            else ((cert.UnknownExtKeyUsage ??= []) as J[]).push(oid(o));
          }
          break;
        }
        case '2.5.29.14':
          cert.SubjectKeyId = b64(content(readNode(value, 0)));
          break;
        case '2.5.29.35':
          for (const c of children(readNode(value, 0))) if (c.cls === 2 && c.tag === 0) cert.AuthorityKeyId = b64(content(c));
          break;
        case '1.3.6.1.5.5.7.1.1':
          for (const ad of children(readNode(value, 0))) {
            const [m, loc] = children(ad);
            if (loc.cls !== 2 || loc.tag !== 6) continue;
            const s = content(loc).toString('latin1');
            const ms = oidStr(m);
            if (ms === '1.3.6.1.5.5.7.48.1') ((cert.OCSPServer ??= []) as J[]).push(s);
            else if (ms === '1.3.6.1.5.5.7.48.2') ((cert.IssuingCertificateURL ??= []) as J[]).push(s);
          }
          break;
        case '2.5.29.31':
          for (const dp of children(readNode(value, 0))) {
            for (const c of children(dp)) {
              if (c.cls !== 2 || c.tag !== 0) continue;
              for (const full of children(c)) {
                if (full.cls !== 2 || full.tag !== 0) continue;
                for (const gn of children(full)) {
                  if (gn.cls === 2 && gn.tag === 6) ((cert.CRLDistributionPoints ??= []) as J[]).push(content(gn).toString('latin1'));
                }
              }
            }
          }
          break;
        case '2.5.29.32':
          for (const pi of children(readNode(value, 0))) {
            const o = children(pi)[0];
            ((cert.PolicyIdentifiers ??= []) as J[]).push(oid(o));
            ((cert.Policies ??= []) as J[]).push(oidStr(o));
          }
          break;
        default:
          handled = false;
      }
    } catch {
      throw new Asn1Error(`x509: invalid extension ${key}`);
    }
    if (!handled && critical) unhandled.push(id);
  }
  cert.Extensions = list.length ? list : null;
  cert.UnhandledCriticalExtensions = unhandled.length ? unhandled : null;
}

function emptySANs(): SANs {
  return { DNSNames: null, EmailAddresses: null, IPAddresses: null, URIs: null, URIStrings: null };
}

/** x509.ParseCertificate → Go's JSON shape (plus OPA's URIStrings). */
export function parseCertificateDER(der: Buffer): Record<string, J> {
  try {
    return parseCertificateInner(der);
  } catch (e) {
    if (e instanceof Asn1Error && e.message.startsWith('x509: invalid extension')) throw e;
    throw new Asn1Error('x509: malformed certificate');
  }
}

function parseCertificateInner(der: Buffer): Record<string, J> {
  const top = expect(readNode(der, 0), 16, 'certificate');
  const [tbs, sigAlgNode, sigNode] = children(top);
  expect(tbs, 16, 'tbs');
  const f = children(tbs);
  let i = 0;
  let version = 1;
  if (f[i].cls === 2 && f[i].tag === 0) {
    version = Number(intValue(children(f[i])[0])) + 1;
    i++;
  }
  const serial = expect(f[i++], 2, 'serial');
  i++; // signature AlgorithmIdentifier (inner)
  const issuer = expect(f[i++], 16, 'issuer');
  const validity = children(expect(f[i++], 16, 'validity'));
  const subject = expect(f[i++], 16, 'subject');
  const spki = expect(f[i++], 16, 'spki');
  let exts: Node[] = [];
  for (; i < f.length; i++) {
    if (f[i].cls === 2 && f[i].tag === 3) exts = children(expect(children(f[i])[0], 16, 'extensions'));
  }
  const spkiAlg = oidStr(children(children(spki)[0])[0]);
  const sigBits = content(expect(sigNode, 3, 'signature'));
  const cert: Record<string, J> = {
    Raw: b64(der.subarray(0, top.end)),
    RawTBSCertificate: b64(raw(tbs)),
    RawSubjectPublicKeyInfo: b64(raw(spki)),
    RawSubject: b64(raw(subject)),
    RawIssuer: b64(raw(issuer)),
    Signature: b64(sigBits.subarray(1)),
    SignatureAlgorithm: sigAlg(sigAlgNode),
    PublicKeyAlgorithm: PK_ALGS[spkiAlg] ?? 0,
    PublicKey: publicKeyJSON(raw(spki)),
    Version: version,
    SerialNumber: num(intValue(serial)),
    Issuer: pkixName(issuer),
    Subject: pkixName(subject),
    NotBefore: time(validity[0]),
    NotAfter: time(validity[1]),
    KeyUsage: 0,
    Extensions: null,
    ExtraExtensions: null,
    UnhandledCriticalExtensions: null,
    ExtKeyUsage: null,
    UnknownExtKeyUsage: null,
    BasicConstraintsValid: false,
    IsCA: false,
    MaxPathLen: 0,
    MaxPathLenZero: false,
    SubjectKeyId: null,
    AuthorityKeyId: null,
    OCSPServer: null,
    IssuingCertificateURL: null,
    DNSNames: null,
    EmailAddresses: null,
    IPAddresses: null,
    URIs: null,
    PermittedDNSDomainsCritical: false,
    PermittedDNSDomains: null,
    ExcludedDNSDomains: null,
    PermittedIPRanges: null,
    ExcludedIPRanges: null,
    PermittedEmailAddresses: null,
    ExcludedEmailAddresses: null,
    PermittedURIDomains: null,
    ExcludedURIDomains: null,
    CRLDistributionPoints: null,
    PolicyIdentifiers: null,
    Policies: null,
    InhibitAnyPolicy: 0,
    InhibitAnyPolicyZero: false,
    InhibitPolicyMapping: 0,
    InhibitPolicyMappingZero: false,
    RequireExplicitPolicy: 0,
    RequireExplicitPolicyZero: false,
    PolicyMappings: null,
    URIStrings: null,
  };
  const sans = emptySANs();
  extensionsJSON(exts, cert, sans);
  Object.assign(cert, sans);
  return cert;
}

/** x509.ParseCertificates: concatenated DER certificates. */
function parseCertificatesDER(der: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let p = 0;
  while (p < der.length) {
    let n: Node;
    try {
      n = readNode(der, p);
    } catch {
      throw new Asn1Error('x509: malformed certificate');
    }
    out.push(der.subarray(p, n.end));
    p = n.end;
  }
  return out;
}

function certsFromPem(data: string): Buffer[] {
  const parts: Buffer[] = [];
  let rest = data;
  while (rest.length > 0) {
    const [block, r] = pemDecode(rest);
    if (block !== undefined && block.type !== 'CERTIFICATE') throw new Asn1Error(`PEM block type is '${block.type}', expected CERTIFICATE`);
    if (block === undefined) break;
    rest = r;
    parts.push(block.bytes);
  }
  return parseCertificatesDER(Buffer.concat(parts));
}

function certsFromString(s: string): Buffer[] {
  if (s.startsWith('-----BEGIN')) return certsFromPem(s);
  const b = stdBase64(s);
  if (b.subarray(0, 10).toString('latin1') === '-----BEGIN') return certsFromPem(b.toString('latin1'));
  return parseCertificatesDER(b);
}

// ---------------------------------------------------------------------------------------------
// chain verification (Go's x509.Certificate.Verify, simplified)

interface VerifyOpts {
  dnsName: string;
  currentTimeMs: number;
  keyUsages: number[];
}

function verifyChain(ders: Buffer[], opts: VerifyOpts): Buffer[] | undefined {
  if (ders.length < 2) return undefined;
  const certs = ders.map((d) => ({ der: d, x: new X509Certificate(d), json: parseCertificateDER(d) }));
  const root = certs[0];
  const intermediates = certs.slice(1, -1);
  const leaf = certs[certs.length - 1];
  const timeOK = (c: (typeof certs)[0]): boolean => {
    const nb = Date.parse(c.json.NotBefore as string);
    const na = Date.parse(c.json.NotAfter as string);
    return opts.currentTimeMs >= nb && opts.currentTimeMs <= na;
  };
  const isCA = (c: (typeof certs)[0]): boolean => (c.json.Version as number) < 3 || (c.json.BasicConstraintsValid === true && c.json.IsCA === true);
  const signs = (parent: (typeof certs)[0], child: (typeof certs)[0]): boolean => {
    try {
      return child.x.checkIssued(parent.x) && child.x.verify(parent.x.publicKey);
    } catch {
      return false;
    }
  };
  if (!timeOK(leaf)) return undefined;
  if (opts.dnsName !== '') {
    const ok = leaf.x.checkHost(opts.dnsName, { subject: 'never' }) !== undefined || leaf.x.checkIP(opts.dnsName) !== undefined;
    if (!ok) return undefined;
  }
  const search = (cur: (typeof certs)[0], chain: (typeof certs)[0][], depth: number): (typeof certs)[0][] | undefined => {
    if (root.der.equals(cur.der)) return chain;
    if (signs(root, cur) && timeOK(root) && isCA(root)) return [...chain, root];
    if (depth > 8) return undefined;
    for (const im of intermediates) {
      if (chain.includes(im)) continue;
      if (!timeOK(im) || !isCA(im) || !signs(im, cur)) continue;
      const r = search(im, [...chain, im], depth + 1);
      if (r) return r;
    }
    return undefined;
  };
  const chain = search(leaf, [leaf], 0);
  if (!chain) return undefined;
  // Extended key usage: default (no KeyUsages given) is server auth; Any accepts all.
  const wanted = opts.keyUsages.length ? opts.keyUsages : [1];
  if (!wanted.includes(0)) {
    for (const c of chain) {
      const eku = c.json.ExtKeyUsage as number[] | null;
      if (eku === null || eku.includes(0)) continue;
      if (!wanted.some((u) => eku.includes(u))) return undefined;
    }
  }
  return chain.map((c) => c.der);
}

const KEY_USAGES: Record<string, number> = {
  KeyUsageAny: 0,
  KeyUsageServerAuth: 1,
  KeyUsageClientAuth: 2,
  KeyUsageCodeSigning: 3,
  KeyUsageEmailProtection: 4,
  KeyUsageIPSECEndSystem: 5,
  KeyUsageIPSECTunnel: 6,
  KeyUsageIPSECUser: 7,
  KeyUsageTimeStamping: 8,
  KeyUsageOCSPSigning: 9,
  KeyUsageMicrosoftServerGatedCrypto: 10,
  KeyUsageNetscapeServerGatedCrypto: 11,
  KeyUsageMicrosoftCommercialCodeSigning: 12,
  KeyUsageMicrosoftKernelCodeSigning: 13,
};

function verifyOptions(o: ObjectValue, ctx: BuiltinContext): VerifyOpts {
  const opts: VerifyOpts = { dnsName: '', currentTimeMs: Number(ctx.nowNs / 1000000n), keyUsages: [] };
  for (const [k, v] of o.entries()) {
    if (typeof k !== 'string') continue;
    switch (k) {
      case 'DNSName':
        if (typeof v !== 'string') throw new Asn1Error("'DNSName' should be a string");
        opts.dnsName = v.replace(/^"+|"+$/g, '');
        break;
      case 'CurrentTime':
        if (!isNumber(v)) throw new Asn1Error("'CurrentTime' should be a number");
        if (typeof v === 'number' && !Number.isInteger(v)) throw new Asn1Error("'CurrentTime' should be a valid int64 number");
        opts.currentTimeMs = Number(BigInt(typeof v === 'number' ? v : v.toString()) / 1000000n);
        break;
      case 'MaxConstraintComparisons':
        if (!isNumber(v)) throw new Asn1Error("'MaxConstraintComparisons' should be a number");
        break;
      case 'KeyUsages': {
        let items: Value[];
        if (Array.isArray(v)) items = v as Value[];
        else if (v instanceof SetValue) items = v.values();
        else throw new Asn1Error("'KeyUsages' should be an Array or Set");
        const invalid: string[] = [];
        for (const it of items) {
          if (typeof it !== 'string') continue;
          const s = it.replace(/^"+|"+$/g, '');
          if (KEY_USAGES[s] !== undefined) opts.keyUsages.push(KEY_USAGES[s]);
          else invalid.push(s);
        }
        if (invalid.length) throw new Asn1Error(`invalid entries for 'KeyUsages' found: [${invalid.join(' ')}]`);
        break;
      }
      default:
        throw new Asn1Error('invalid key option');
    }
  }
  return opts;
}

// ---------------------------------------------------------------------------------------------
// CSR

function parseCSR(der: Buffer): Record<string, J> {
  // Go's asn1 checks the outer tag before the length.
  if (der.length > 0 && der[0] !== 0x30) {
    const b = der[0];
    throw new Asn1Error(`asn1: structure error: tags don't match (16 vs {class:${b >> 6} tag:${b & 0x1f} isCompound:${(b & 0x20) !== 0}}) certificateRequest`);
  }
  const top = expect(readNode(der, 0), 16, 'csr');
  const [info, sigAlgNode, sigNode] = children(top);
  expect(info, 16, 'csr info');
  const f = children(info);
  const version = Number(intValue(expect(f[0], 2, 'version')));
  const subject = expect(f[1], 16, 'subject');
  const spki = expect(f[2], 16, 'spki');
  const spkiAlg = oidStr(children(children(spki)[0])[0]);
  const csr: Record<string, J> = {
    Raw: b64(der.subarray(0, top.end)),
    RawTBSCertificateRequest: b64(raw(info)),
    RawSubjectPublicKeyInfo: b64(raw(spki)),
    RawSubject: b64(raw(subject)),
    Version: version,
    Signature: b64(content(expect(sigNode, 3, 'signature')).subarray(1)),
    SignatureAlgorithm: sigAlg(sigAlgNode),
    PublicKeyAlgorithm: PK_ALGS[spkiAlg] ?? 0,
    PublicKey: publicKeyJSON(raw(spki)),
    Subject: pkixName(subject),
    Attributes: null,
    Extensions: null,
    ExtraExtensions: null,
    DNSNames: null,
    EmailAddresses: null,
    IPAddresses: null,
    URIs: null,
  };
  const attrs = f[3] && f[3].cls === 2 && f[3].tag === 0 ? children(f[3]) : [];
  const exts: Node[] = [];
  for (const a of attrs) {
    const [type, values] = children(a);
    if (oidStr(type) === '1.2.840.113549.1.9.14') for (const v of children(values)) exts.push(...children(v));
  }
  const holder: Record<string, J> = {};
  const sans = emptySANs();
  extensionsJSON(exts, holder, sans);
  csr.Extensions = holder.Extensions;
  csr.DNSNames = sans.DNSNames;
  csr.EmailAddresses = sans.EmailAddresses;
  csr.IPAddresses = sans.IPAddresses;
  csr.URIs = sans.URIs;
  return csr;
}

// ---------------------------------------------------------------------------------------------
// private keys

function parsePrivateKeyBlock(type: string, bytes: Buffer): KeyObject | undefined {
  try {
    switch (type) {
      case 'RSA PRIVATE KEY':
        return createPrivateKey({ key: bytes, format: 'der', type: 'pkcs1' });
      case 'PRIVATE KEY':
        return createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
      case 'EC PRIVATE KEY':
        return createPrivateKey({ key: bytes, format: 'der', type: 'sec1' });
    }
  } catch {
    throw new Asn1Error(type === 'RSA PRIVATE KEY' ? 'x509: failed to parse private key' : type === 'PRIVATE KEY' ? 'x509: failed to parse private key' : 'x509: failed to parse EC private key');
  }
  return undefined;
}

function privateKeysFromPEMData(data: string): KeyObject[] {
  let s = data;
  try {
    s = stdBase64(s).toString('latin1');
  } catch {
    // not base64: PEM text as given
  }
  const out: KeyObject[] = [];
  let rest = s;
  while (rest.length > 0) {
    const inputLen = rest.length;
    const [block, r] = pemDecode(rest);
    rest = r;
    if (block === undefined && rest.length === 0) break;
    if (inputLen === rest.length) break;
    if (block === undefined) continue;
    const k = parsePrivateKeyBlock(block.type, block.bytes);
    if (k) out.push(k);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// key pair (tls.X509KeyPair)

function keyPair(certIn: string, keyIn: string): J {
  let certPem = certIn;
  let keyPem = keyIn;
  if (!certPem.startsWith('-----BEGIN ')) certPem = stdBase64(certPem).toString('latin1');
  if (!keyPem.startsWith('-----BEGIN ')) keyPem = stdBase64(keyPem).toString('latin1');
  if (!certPem.startsWith('-----BEGIN ')) certPem = pemEncode('CERTIFICATE', Buffer.from(certPem, 'latin1'));
  if (!keyPem.startsWith('-----BEGIN')) keyPem = pemEncode('PRIVATE KEY', Buffer.from(keyPem, 'latin1'));
  const certs: Buffer[] = [];
  let rest = certPem;
  for (;;) {
    const [block, r] = pemDecode(rest);
    if (block === undefined) break;
    if (block.type === 'CERTIFICATE') certs.push(block.bytes);
    rest = r;
  }
  if (certs.length === 0) throw new Asn1Error('tls: failed to find any PEM data in certificate input');
  let keyBlock;
  rest = keyPem;
  for (;;) {
    const [block, r] = pemDecode(rest);
    if (block === undefined) throw new Asn1Error('tls: failed to find any PEM data in key input');
    if (block.type === 'PRIVATE KEY' || block.type.endsWith(' PRIVATE KEY')) {
      keyBlock = block;
      break;
    }
    rest = r;
  }
  let key: KeyObject | undefined;
  for (const type of ['pkcs1', 'pkcs8', 'sec1'] as const) {
    try {
      key = createPrivateKey({ key: keyBlock.bytes, format: 'der', type });
      break;
    } catch {
      // next
    }
  }
  if (!key) throw new Asn1Error('tls: failed to parse private key');
  const leaf = parseCertificateDER(certs[0]);
  const pub = createPublicKey(key).export({ format: 'der', type: 'spki' });
  const certPub = Buffer.from(leaf.RawSubjectPublicKeyInfo as string, 'base64');
  if (!pub.equals(certPub)) throw new Asn1Error('tls: private key does not match public key');
  return {
    Certificate: certs.map((c) => c.toString('base64')),
    PrivateKey: keyJSON(key),
    SupportedSignatureAlgorithms: null,
    OCSPStaple: null,
    SignedCertificateTimestamps: null,
    Leaf: leaf,
  };
}

// ---------------------------------------------------------------------------------------------

function s1(name: string, v: Value, pos: number): string {
  if (typeof v !== 'string') throw operandTypeError(name, pos, v, 'string');
  return v;
}

const wrap = wrapErrors;

const objAny = t.objectOf(t.string, t.any);

const list: Builtin[] = [
  {
    name: 'crypto.x509.parse_certificates',
    args: [t.string],
    result: t.arrayOf(objAny),
    description: 'Returns zero or more certificates from the given encoded string containing DER certificate data.',
    fn: ([x]) => fromJS(certsFromString(s1('crypto.x509.parse_certificates', x, 1)).map(parseCertificateDER)),
  },
  {
    name: 'crypto.x509.parse_and_verify_certificates',
    args: [t.string],
    result: t.tuple(t.boolean, t.arrayOf(objAny)),
    description: 'Returns one or more certificates from the given string containing PEM or base64 encoded DER certificates after verifying the supplied certificates form a complete certificate chain back to a trusted root.',
    fn: ([x], ctx) => {
      const input = s1('crypto.x509.parse_and_verify_certificates', x, 1);
      const invalid: Value = [false, []];
      let ders: Buffer[];
      try {
        ders = certsFromString(input);
      } catch {
        return invalid;
      }
      let chain: Buffer[] | undefined;
      try {
        chain = verifyChain(ders, { dnsName: '', currentTimeMs: Number(ctx.nowNs / 1000000n), keyUsages: [] });
      } catch {
        return invalid;
      }
      if (!chain) return invalid;
      return [true, fromJS(chain.map(parseCertificateDER))];
    },
  },
  {
    name: 'crypto.x509.parse_and_verify_certificates_with_options',
    args: [t.string, t.objectOf(t.string, t.any)],
    result: t.tuple(t.boolean, t.arrayOf(objAny)),
    description: 'Returns one or more certificates from the given string containing PEM or base64 encoded DER certificates after verifying the supplied certificates form a complete certificate chain back to a trusted root. A config option passed as the second argument can be used to configure the validation options used.',
    fn: ([x, o], ctx) => {
      const name = 'crypto.x509.parse_and_verify_certificates_with_options';
      const input = s1(name, x, 1);
      if (!(o instanceof ObjectValue)) throw operandTypeError(name, 2, o, 'object');
      const invalid: Value = [false, []];
      let ders: Buffer[];
      try {
        ders = certsFromString(input);
      } catch {
        return invalid;
      }
      const opts = verifyOptions(o, ctx);
      let chain: Buffer[] | undefined;
      try {
        chain = verifyChain(ders, opts);
      } catch {
        return invalid;
      }
      if (!chain) return invalid;
      // OPA returns the plain x509.Certificate here (no URIStrings).
      return [
        true,
        fromJS(
          chain.map((d) => {
            const c = parseCertificateDER(d);
            delete c.URIStrings;
            return c;
          }),
        ),
      ];
    },
  },
  {
    name: 'crypto.x509.parse_certificate_request',
    args: [t.string],
    result: objAny,
    description: 'Returns a PKCS #10 certificate signing request from the given PEM-encoded PKCS#10 certificate signing request.',
    fn: ([x]) => {
      const input = s1('crypto.x509.parse_certificate_request', x, 1);
      let bytes: Buffer;
      if (!input.startsWith('-----BEGIN CERTIFICATE REQUEST-----')) bytes = stdBase64(input);
      else bytes = Buffer.from(input, 'latin1');
      const [block] = pemDecode(bytes.toString('latin1'));
      if (block !== undefined && block.type !== 'CERTIFICATE REQUEST') throw new Asn1Error('invalid PEM-encoded certificate signing request');
      if (block !== undefined) bytes = block.bytes;
      let csr: Record<string, J>;
      try {
        csr = parseCSR(bytes);
      } catch (e) {
        if (e instanceof Asn1Error && e.message.startsWith('asn1:')) throw e;
        throw new Asn1Error('asn1: structure error: ' + (e as Error).message);
      }
      return fromJS(csr);
    },
  },
  {
    name: 'crypto.x509.parse_keypair',
    args: [t.string, t.string],
    result: objAny,
    description: 'Returns a valid key pair',
    fn: ([c, k]) => {
      const name = 'crypto.x509.parse_keypair';
      const cert = s1(name, c, 1);
      const key = s1(name, k, 1);
      return fromJS(keyPair(cert, key));
    },
  },
  {
    name: 'crypto.x509.parse_rsa_private_key',
    args: [t.string],
    result: objAny,
    description: 'Returns a JWK for signing a JWT from the given PEM-encoded RSA private key.',
    fn: ([x]) => {
      let pem = s1('crypto.x509.parse_rsa_private_key', x, 1);
      if (pem === '') throw new Asn1Error('input PEM data was empty');
      if (!pem.startsWith('-----BEGIN')) pem = stdBase64(pem).toString('latin1');
      const keys = privateKeysFromPEMData(pem);
      if (keys.length === 0) return null;
      const jwk = keys[0].export({ format: 'jwk' }) as Record<string, unknown>;
      return fromJS(jwk);
    },
  },
  {
    name: 'crypto.parse_private_keys',
    args: [t.string],
    result: t.arrayOf(objAny),
    description: 'Returns zero or more private keys from the given encoded string containing DER certificate data.',
    fn: ([x]) => {
      const input = s1('crypto.parse_private_keys', x, 1);
      if (input === '') return null;
      const keys = privateKeysFromPEMData(input);
      return fromJS(keys.map(keyJSON));
    },
  },
];

export const builtins: Builtin[] = list.map(wrap);
