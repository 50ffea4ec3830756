// net.cidr_* and net.lookup_ip_addr, after OPA's v1/topdown/cidr.go and net.go (Go's net package:
// net.ParseCIDR / net.ParseIP on top of netip.ParseAddr).
//
// Addresses are normalised as Go's net package treats them: an IPv4-mapped IPv6 address
// (::ffff:a.b.c.d) is IPv4, and an IPv4 network only contains IPv4 addresses.

import { readFileSync } from 'node:fs';
import { RegoError } from '../errors.ts';
import { ObjectValue, SetValue, type Value } from '../value.ts';
import { builtinError, operandTypeError, t, type Builtin } from './registry.ts';

export interface Addr {
  v4: boolean;
  n: bigint; // 32 or 128 bits
}

export interface Net {
  v4: boolean;
  base: bigint; // masked
  prefix: number;
  /** The address Go keeps in the IPNet (masked for ParseCIDR; unmasked for cidr_merge of a bare IPv4). */
  ip: bigint;
}

const V4_MAPPED = 0xffffn << 32n;

function parseIPv4(s: string): bigint | undefined {
  // Scans the four decimal octets without allocating (hot in IP allow-list checks).
  let n = 0;
  let octets = 0;
  let i = 0;
  const len = s.length;
  while (octets < 4) {
    const start = i;
    let v = 0;
    while (i < len) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      i++;
    }
    const digits = i - start;
    if (digits === 0 || digits > 3 || v > 255) return undefined;
    if (digits > 1 && s.charCodeAt(start) === 48) return undefined; // leading zeros are rejected
    n = n * 256 + v;
    octets++;
    if (octets < 4) {
      if (i >= len || s.charCodeAt(i) !== 46) return undefined;
      i++;
    }
  }
  if (i !== len) return undefined;
  return BigInt(n);
}

/** netip.ParseAddr; returns the zone too (net.ParseIP/ParseCIDR reject zoned addresses). */
function parseAddrRaw(s: string): { is4: boolean; n: bigint; zone: string } | undefined {
  if (s.includes(':')) {
    let zone = '';
    const pct = s.indexOf('%');
    if (pct >= 0) {
      zone = s.slice(pct + 1);
      if (zone === '') return undefined;
      s = s.slice(0, pct);
    }
    let groups: number[] = [];
    let ellipsis = -1;
    let rest = s;
    if (rest.startsWith('::')) {
      ellipsis = 0;
      rest = rest.slice(2);
      if (rest === '') return { is4: false, n: 0n, zone };
    }
    while (rest !== '') {
      const m = /^[0-9a-fA-F]{1,4}/.exec(rest);
      if (!m) return undefined;
      // An embedded IPv4 address in the last 32 bits.
      if (rest.length > m[0].length && rest[m[0].length] === '.') {
        if (groups.length > 6) return undefined;
        const v4 = parseIPv4(rest);
        if (v4 === undefined) return undefined;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
        rest = '';
        break;
      }
      groups.push(parseInt(m[0], 16));
      rest = rest.slice(m[0].length);
      if (rest === '') break;
      if (rest[0] !== ':') return undefined;
      if (rest.startsWith('::')) {
        if (ellipsis >= 0) return undefined;
        ellipsis = groups.length;
        rest = rest.slice(2);
        continue;
      }
      rest = rest.slice(1);
      if (rest === '') return undefined; // trailing single colon
      if (groups.length >= 8) return undefined;
    }
    if (groups.length > 8) return undefined;
    if (ellipsis >= 0) {
      if (groups.length >= 8) return undefined; // :: must expand to at least one group
      const fill = new Array(8 - groups.length).fill(0);
      groups = [...groups.slice(0, ellipsis), ...fill, ...groups.slice(ellipsis)];
    } else if (groups.length !== 8) return undefined;
    let n = 0n;
    for (const g of groups) n = (n << 16n) | BigInt(g);
    return { is4: false, n, zone };
  }
  const v4 = parseIPv4(s);
  return v4 === undefined ? undefined : { is4: true, n: v4, zone: '' };
}

function normAddr(is4: boolean, n: bigint): Addr {
  if (!is4 && n >> 32n === 0xffffn) return { v4: true, n: n & 0xffffffffn };
  return { v4: is4, n };
}

/** net.ParseIP (no zones). */
export function parseIP(s: string): Addr | undefined {
  const a = parseAddrRaw(s);
  if (!a || a.zone !== '') return undefined;
  return normAddr(a.is4, a.n);
}

class CIDRError extends Error {}

function maskOf(bits: number, prefix: number): bigint {
  return ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
}

/** net.ParseCIDR; throws "invalid CIDR address: s". */
export function parseCIDR(s: string): Net {
  const slash = s.indexOf('/');
  const bad = (): CIDRError => new CIDRError(`invalid CIDR address: ${s}`);
  if (slash < 0) throw bad();
  const a = parseAddrRaw(s.slice(0, slash));
  if (!a || a.zone !== '') throw bad();
  const mask = s.slice(slash + 1);
  if (!/^\d+$/.test(mask) || mask.length > 8) throw bad();
  const p = parseInt(mask, 10);
  const bits = a.is4 ? 32 : 128;
  if (p > bits) throw bad();
  const base = a.n & maskOf(bits, p);
  if (!a.is4 && base >> 32n === 0xffffn && p >= 96) {
    // An IPv4-mapped network behaves (and prints) as the IPv4 network.
    const b4 = base & 0xffffffffn;
    return { v4: true, base: b4, prefix: p - 96, ip: b4 };
  }
  return { v4: a.is4, base, prefix: p, ip: base };
}

function bitsOf(n: Net | Addr): number {
  return n.v4 ? 32 : 128;
}

export function netContains(net: Net, a: Addr): boolean {
  if (net.v4 !== a.v4) return false;
  const shift = BigInt(bitsOf(net) - net.prefix);
  return a.n >> shift === net.base >> shift;
}

function lastAddr(net: Net): bigint {
  return net.base | ((1n << BigInt(bitsOf(net) - net.prefix)) - 1n);
}

export function formatAddr(a: Addr): string {
  if (a.v4) return [24n, 16n, 8n, 0n].map((s) => String((a.n >> s) & 0xffn)).join('.');
  if (a.n >> 32n === 0xffffn) return formatAddr({ v4: true, n: a.n & 0xffffffffn });
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((a.n >> BigInt(i * 16)) & 0xffffn));
  let e0 = -1;
  let e1 = -1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j > i && j - i > e1 - e0) {
      e0 = i;
      e1 = j;
      i = j;
    }
  }
  if (e1 - e0 <= 1) {
    e0 = -1;
    e1 = -1;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === e0) {
      out += '::';
      i = e1 - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += g[i].toString(16);
  }
  return out;
}

export function formatNet(n: Net): string {
  return `${formatAddr({ v4: n.v4, n: n.ip })}/${n.prefix}`;
}

function str(name: string, v: Value, pos: number): string {
  if (typeof v !== 'string') throw operandTypeError(name, pos, v, 'string');
  return v;
}

/** Parsed CIDRs by text: allow-lists are a handful of constant strings checked many times. */
const cidrCache = new Map<string, Net>();
const CIDR_CACHE_MAX = 4096;

function netOperand(name: string, v: Value, pos: number): Net {
  const s = str(name, v, pos);
  const hit = cidrCache.get(s);
  if (hit !== undefined) return hit;
  let net: Net;
  try {
    net = parseCIDR(s);
  } catch (e) {
    throw builtinError(name, (e as Error).message);
  }
  if (cidrCache.size >= CIDR_CACHE_MAX) cidrCache.clear();
  cidrCache.set(s, net);
  return net;
}

function cidrContains(name: string, a: Value, b: Value): boolean {
  const netA = netOperand(name, a, 1);
  const bStr = str(name, b, 1);
  const ip = parseIP(bStr);
  if (ip) return netContains(netA, ip);
  let netB: Net;
  try {
    netB = parseCIDR(bStr);
  } catch {
    throw builtinError(name, `not a valid textual representation of an IP address or CIDR: ${bStr}`);
  }
  const first: Addr = { v4: netB.v4, n: netB.base };
  if (!netContains(netA, first)) return false;
  return netContains(netA, { v4: netB.v4, n: lastAddr(netB) });
}

// ---- cidr_contains_matches ----

const MATCH_ELEMENT_ERR = 'element must be string or non-empty array';

function matchTerm(name: string, operand: number, v: Value): Value {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    if (v.length === 0) throw builtinError(name, `operand ${operand}: ${MATCH_ELEMENT_ERR}`);
    return v[0];
  }
  throw builtinError(name, `operand ${operand}: ${MATCH_ELEMENT_ERR}`);
}

function eachMatchOperand(name: string, operand: number, a: Value, f: (cidr: Value, index: Value) => void): void {
  if (typeof a === 'string') f(a, a);
  else if (Array.isArray(a)) (a as Value[]).forEach((e, i) => f(matchTerm(name, operand, e), i));
  else if (a instanceof SetValue) for (const e of a.values()) f(matchTerm(name, operand, e), e);
  else if (a instanceof ObjectValue) for (const [k, v] of a.entries()) f(matchTerm(name, operand, v), k);
}

// ---- cidr_merge ----

const ADDR_MAX = (1n << 128n) - 1n;

/** 128-bit range of a network (IPv4 in the v4-mapped block), as cilium's GetAddressRange. */
function range128(n: Net): [bigint, bigint] {
  const first = n.v4 ? V4_MAPPED | n.base : n.base;
  const last = n.v4 ? V4_MAPPED | lastAddr(n) : lastAddr(n);
  return [first, last];
}

function prevIP(x: bigint): bigint {
  return x === 0n || x === V4_MAPPED ? x : x - 1n;
}

function netFrom128(base: bigint, prefix: number): Net {
  if (base >> 32n === 0xffffn && prefix >= 96) {
    const b4 = base & 0xffffffffn;
    return { v4: true, base: b4, prefix: prefix - 96, ip: b4 };
  }
  return { v4: false, base, prefix, ip: base };
}

/** The minimal list of CIDRs covering [first, last]. */
function rangeToCIDRs(first: bigint, last: bigint): Net[] {
  const out: Net[] = [];
  let cur = first;
  while (cur <= last) {
    let size = 0;
    while (size < 128) {
      const block = 1n << BigInt(size + 1);
      if ((cur & (block - 1n)) !== 0n || cur + block - 1n > last) break;
      size++;
    }
    out.push(netFrom128(cur, 128 - size));
    const next = cur + (1n << BigInt(size));
    if (next > ADDR_MAX) break;
    cur = next;
  }
  return out;
}

function generateIPNet(name: string, v: Value): Net {
  if (typeof v !== 'string') throw builtinError(name, 'element must be string');
  const ip = parseIP(v);
  if (!ip) {
    try {
      return parseCIDR(v);
    } catch (e) {
      throw builtinError(name, (e as Error).message);
    }
  }
  if (ip.v4) {
    const first = Number(ip.n >> 24n);
    const prefix = first < 0x80 ? 8 : first < 0xc0 ? 16 : 24; // Go's IP.DefaultMask
    return { v4: true, base: ip.n & maskOf(32, prefix), prefix, ip: ip.n };
  }
  throw builtinError(name, 'IPv6 invalid: needs prefix length');
}

export function mergeCIDRs(nets: Net[]): Net[] {
  type R = { first: bigint; last: bigint; net: Net | undefined };
  const ranges: R[] = nets.map((n) => {
    const [first, last] = range128(n);
    return { first, last, net: n };
  });
  ranges.sort((a, b) => (a.last < b.last ? -1 : a.last > b.last ? 1 : a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  for (let i = ranges.length - 1; i > 0; i--) {
    if (prevIP(ranges[i].first) <= ranges[i - 1].last) {
      const first = ranges[i - 1].first < ranges[i].first ? ranges[i - 1].first : ranges[i].first;
      ranges[i - 1] = { first, last: ranges[i].last, net: undefined };
      ranges.splice(i, 1);
    }
  }
  const out: Net[] = [];
  for (const r of ranges) {
    if (r.net) out.push(r.net);
    else out.push(...rangeToCIDRs(r.first, r.last));
  }
  return out;
}

// ---- lookup_ip_addr ----

function hostsLookup(host: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync('/etc/hosts', 'utf8');
  } catch {
    return undefined;
  }
  const want = host.toLowerCase().replace(/\.$/, '');
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const fields = line.replace(/#.*/, '').trim().split(/\s+/);
    if (fields.length < 2) continue;
    const a = parseIP(fields[0].replace(/%.*$/, ''));
    if (!a) continue;
    if (fields.slice(1).some((h) => h.toLowerCase().replace(/\.$/, '') === want)) out.push(formatAddr(a));
  }
  return out.length > 0 ? out : undefined;
}

const EXPAND_LIMIT = 1n << 20n;

export const builtins: Builtin[] = [
  {
    name: 'net.cidr_contains',
    args: [t.string, t.string],
    result: t.boolean,
    description:
      'Checks if a CIDR or IP is contained within another CIDR. `output` is `true` if `cidr_or_ip` (e.g. `127.0.0.64/26` or `127.0.0.1`) is contained within `cidr` (e.g. `127.0.0.1/24`) and `false` otherwise. Supports both IPv4 and IPv6 notations.',
    fn: ([a, b]) => cidrContains('net.cidr_contains', a, b),
  },
  {
    name: 'net.cidr_overlap',
    args: [t.string, t.string],
    result: t.boolean,
    deprecated: true,
    description: 'Checks if an IP address is contained within a CIDR. Deprecated: use `net.cidr_contains` instead.',
    fn: ([a, b]) => cidrContains('net.cidr_overlap', a, b),
  },
  {
    name: 'net.cidr_intersects',
    args: [t.string, t.string],
    result: t.boolean,
    description: 'Checks if a CIDR intersects with another CIDR (e.g. `192.168.0.0/16` overlaps with `192.168.1.0/24`). Supports both IPv4 and IPv6 notations.',
    fn: ([a, b]) => {
      const name = 'net.cidr_intersects';
      const na = netOperand(name, a, 1);
      const nb = netOperand(name, b, 1);
      return netContains(na, { v4: nb.v4, n: nb.base }) || netContains(nb, { v4: na.v4, n: na.base });
    },
  },
  {
    name: 'net.cidr_contains_matches',
    args: (() => {
      const elem = t.anyOf(t.string, t.arrayOf(t.any));
      const op = t.anyOf(t.string, t.arrayOf(elem), t.setOf(elem), t.objectOf(t.string, elem));
      return [op, op];
    })(),
    result: t.setOf(t.tuple(t.any, t.any)),
    description:
      'Checks if collections of cidrs or ips are contained within another collection of cidrs and returns matches. This function is similar to `net.cidr_contains` except it allows callers to pass collections of CIDRs or IPs as arguments and returns the matches (as opposed to a boolean result indicating a match between two CIDRs/IPs).',
    fn: ([a, b]) => {
      const name = 'net.cidr_contains_matches';
      const out = new SetValue();
      eachMatchOperand(name, 1, a, (c1, i1) => {
        eachMatchOperand(name, 2, b, (c2, i2) => {
          if (cidrContains(name, c1, c2)) out.add([i1, i2]);
        });
      });
      return out;
    },
  },
  {
    name: 'net.cidr_expand',
    args: [t.string],
    result: t.setOf(t.string),
    description: 'Expands CIDR to set of hosts  (e.g., `net.cidr_expand("192.168.0.0/30")` generates 4 hosts: `{"192.168.0.0", "192.168.0.1", "192.168.0.2", "192.168.0.3"}`).',
    fn: ([a]) => {
      const name = 'net.cidr_expand';
      const n = netOperand(name, a, 1);
      const count = 1n << BigInt(bitsOf(n) - n.prefix);
      if (count > EXPAND_LIMIT) {
        throw new RegoError('eval_cancel_error', `${name}: timed out before generating all IP addresses`);
      }
      const out = new SetValue();
      for (let i = 0n; i < count; i++) out.add(formatAddr({ v4: n.v4, n: n.base + i }));
      return out;
    },
  },
  {
    name: 'net.cidr_is_valid',
    args: [t.string],
    result: t.boolean,
    description: 'Parses an IPv4/IPv6 CIDR and returns a boolean indicating if the provided CIDR is valid.',
    fn: ([a]) => {
      if (typeof a !== 'string') return false;
      try {
        parseCIDR(a);
        return true;
      } catch {
        return false;
      }
    },
  },
  {
    name: 'net.cidr_merge',
    args: [t.anyOf(t.arrayOf(t.anyOf(t.string)), t.setOf(t.string))],
    result: t.setOf(t.string),
    description:
      'Merges IP addresses and subnets into the smallest possible list of CIDRs (e.g., `net.cidr_merge(["192.0.128.0/24", "192.0.129.0/24"])` generates `{"192.0.128.0/23"}`.This function merges adjacent subnets where possible, those contained within others and also removes any duplicates.\nSupports both IPv4 and IPv6 notations. IPv6 inputs need a prefix length (e.g. "/128").',
    fn: ([a]) => {
      const name = 'net.cidr_merge';
      let elems: Value[];
      if (Array.isArray(a)) elems = a as Value[];
      else if (a instanceof SetValue) elems = a.values();
      else throw builtinError(name, 'operand must be an array');
      const nets = elems.map((e) => generateIPNet(name, e));
      return SetValue.from(mergeCIDRs(nets).map(formatNet));
    },
  },
  {
    name: 'net.lookup_ip_addr',
    args: [t.string],
    result: t.setOf(t.string),
    nondeterministic: true,
    description:
      'Returns the set of IP addresses (both v4 and v6) that the passed-in `name` resolves to using the standard name resolution mechanisms available. (bligate: IP literals and /etc/hosts only; no DNS queries are made.)',
    fn: ([a]) => {
      const name = 'net.lookup_ip_addr';
      const host = str(name, a, 1);
      const raw = parseAddrRaw(host);
      if (raw) return SetValue.from([formatAddr(normAddr(raw.is4, raw.n)) + (raw.zone ? '%' + raw.zone : '')]);
      const hosts = hostsLookup(host);
      if (hosts) return SetValue.from(hosts);
      throw builtinError(name, `lookup ${host}: no such host (DNS resolution is not available)`);
    },
  },
];
