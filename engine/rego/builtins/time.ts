// time.* built-ins, after OPA's v1/topdown/time.go (which delegates to Go's `time` package).
//
// Instants are nanoseconds since the Unix epoch held as exact bigints (OPA: int64). Time zones are
// IANA names resolved with Intl.DateTimeFormat (offsets computed per instant; the formatter is
// cached per zone in ctx.interCache). Layouts follow Go's reference-time syntax
// ("2006-01-02T15:04:05Z07:00"), including the named constants OPA accepts (RFC3339, RFC1123, ...).

import { goQuote } from '../format.ts';
import { BigDecimal, isInteger, toBigInt } from '../number.ts';
import { isNumber, typeName, type Value } from '../value.ts';
import { builtinError, operandTypeError, t, typeError, type Builtin, type BuiltinContext } from './registry.ts';

// ---------------------------------------------------------------------------------------------
// Numbers

const NS_PER_SEC = 1_000_000_000n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An exact integer as a Rego number: a JS number when safe, else a bigint. */
function intValue(n: bigint): number | bigint {
  return n >= -MAX_SAFE && n <= MAX_SAFE ? Number(n) : n;
}

/** The exact integer value of a Rego number, or undefined when it is not an integer. */
export function exactInteger(v: number | bigint | BigDecimal): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || !Number.isInteger(v)) return undefined;
    return BigInt(v);
  }
  if (!isInteger(v) || v.exp > 1000) return undefined; // (far beyond any range this module accepts)
  return toBigInt(v);
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, as Go)

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}
function bFloorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Days since 1970-01-01 of a civil date (month 1–12; day may overflow). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const mp = (m + 9) % 12;
  const doy = floorDiv(153 * mp + 2, 5) + d - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const d = doy - floorDiv(153 * mp + 2, 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? y + 1 : y, m, d];
}

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}
function daysIn(m: number, y: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

// ---------------------------------------------------------------------------------------------
// Time zones

interface Zone {
  name: string; // as given ("UTC" for UTC)
  /** Offset east of UTC in seconds at the given Unix second. */
  offsetAt(unixSec: number): number;
  /** Zone abbreviation at the given Unix second (Go's tzdata names where known). */
  abbrevAt(unixSec: number): string;
}

const UTC_ZONE: Zone = { name: 'UTC', offsetAt: () => 0, abbrevAt: () => 'UTC' };

// Abbreviations tzdata uses for zones where Intl (en-US) only offers "GMT+8"-style names.
// [standard, daylight]
const ABBREVS: Record<string, [string, string]> = {
  'Asia/Taipei': ['CST', 'CDT'],
  'Asia/Shanghai': ['CST', 'CDT'],
  'Asia/Chongqing': ['CST', 'CDT'],
  'Asia/Harbin': ['CST', 'CDT'],
  'Asia/Macau': ['CST', 'CDT'],
  'PRC': ['CST', 'CDT'],
  'ROC': ['CST', 'CDT'],
  'Asia/Hong_Kong': ['HKT', 'HKST'],
  'Asia/Tokyo': ['JST', 'JDT'],
  'Japan': ['JST', 'JDT'],
  'Asia/Seoul': ['KST', 'KDT'],
  'Asia/Pyongyang': ['KST', 'KST'],
  'Asia/Kolkata': ['IST', 'IST'],
  'Asia/Calcutta': ['IST', 'IST'],
  'Asia/Jerusalem': ['IST', 'IDT'],
  'Asia/Tel_Aviv': ['IST', 'IDT'],
  'Asia/Karachi': ['PKT', 'PKST'],
  'Asia/Manila': ['PST', 'PDT'],
  'Asia/Jakarta': ['WIB', 'WIB'],
  'Asia/Makassar': ['WITA', 'WITA'],
  'Asia/Jayapura': ['WIT', 'WIT'],
  'Africa/Johannesburg': ['SAST', 'SAST'],
  'Africa/Lagos': ['WAT', 'WAT'],
  'Africa/Nairobi': ['EAT', 'EAT'],
  'Africa/Cairo': ['EET', 'EEST'],
  'Europe/London': ['GMT', 'BST'],
  'Europe/Dublin': ['GMT', 'IST'],
  'Europe/Lisbon': ['WET', 'WEST'],
  'Europe/Moscow': ['MSK', 'MSK'],
  'Australia/Sydney': ['AEST', 'AEDT'],
  'Australia/Melbourne': ['AEST', 'AEDT'],
  'Australia/Brisbane': ['AEST', 'AEDT'],
  'Australia/Adelaide': ['ACST', 'ACDT'],
  'Australia/Darwin': ['ACST', 'ACDT'],
  'Australia/Perth': ['AWST', 'AWDT'],
  'Pacific/Auckland': ['NZST', 'NZDT'],
  'Pacific/Honolulu': ['HST', 'HDT'],
};
const CET_ZONES = new Set([
  'Europe/Berlin', 'Europe/Paris', 'Europe/Madrid', 'Europe/Rome', 'Europe/Amsterdam', 'Europe/Brussels',
  'Europe/Vienna', 'Europe/Zurich', 'Europe/Stockholm', 'Europe/Oslo', 'Europe/Copenhagen', 'Europe/Prague',
  'Europe/Warsaw', 'Europe/Budapest', 'Europe/Belgrade', 'Europe/Luxembourg', 'Europe/Monaco', 'Europe/Malta',
  'Europe/Zagreb', 'Europe/Ljubljana', 'Europe/Bratislava', 'Europe/Andorra', 'Europe/Tirane', 'Africa/Algiers',
  'Africa/Tunis', 'Africa/Ceuta', 'Arctic/Longyearbyen', 'CET',
]);
const EET_ZONES = new Set([
  'Europe/Athens', 'Europe/Helsinki', 'Europe/Kiev', 'Europe/Kyiv', 'Europe/Riga', 'Europe/Tallinn',
  'Europe/Vilnius', 'Europe/Sofia', 'Europe/Bucharest', 'Europe/Chisinau', 'Asia/Beirut', 'Asia/Nicosia',
  'Europe/Nicosia', 'Africa/Tripoli', 'EET',
]);

function offsetName(offsetSec: number): string {
  // tzdata's numeric abbreviations: "+08", "-03", "+0530", "+0545".
  const sign = offsetSec < 0 ? '-' : '+';
  const a = Math.abs(offsetSec);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  return sign + String(h).padStart(2, '0') + (m !== 0 ? String(m).padStart(2, '0') : '');
}

const INTL_MAX_SEC = 8.64e12 - 86400 * 2;

class IntlZone implements Zone {
  readonly name: string;
  private readonly fmt: Intl.DateTimeFormat;
  private abbrFmt: Intl.DateTimeFormat | undefined;
  private readonly cache = new Map<number, number>();

  constructor(name: string, iana: string) {
    this.name = name;
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: iana,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  offsetAt(unixSec: number): number {
    const s = Math.max(-INTL_MAX_SEC, Math.min(INTL_MAX_SEC, unixSec));
    const cached = this.cache.get(s);
    if (cached !== undefined) return cached;
    let y = 0, mo = 1, d = 1, h = 0, mi = 0, se = 0, bc = false;
    for (const p of this.fmt.formatToParts(new Date(s * 1000))) {
      switch (p.type) {
        case 'year': y = parseInt(p.value, 10); break;
        case 'month': mo = parseInt(p.value, 10); break;
        case 'day': d = parseInt(p.value, 10); break;
        case 'hour': h = parseInt(p.value, 10); break;
        case 'minute': mi = parseInt(p.value, 10); break;
        case 'second': se = parseInt(p.value, 10); break;
        case 'era': bc = p.value.startsWith('B'); break;
      }
    }
    if (bc) y = 1 - y;
    const local = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    const off = local - s;
    if (this.cache.size > 4096) this.cache.clear();
    this.cache.set(s, off);
    return off;
  }

  abbrevAt(unixSec: number): string {
    const off = this.offsetAt(unixSec);
    const table = ABBREVS[this.name];
    const year = civilFromDays(Math.floor(unixSec / 86400))[0];
    const jan = this.offsetAt(daysFromCivil(year, 1, 1) * 86400);
    const jul = this.offsetAt(daysFromCivil(year, 7, 1) * 86400);
    const isDst = jan !== jul && off === Math.max(jan, jul);
    if (table) return isDst ? table[1] : table[0];
    if (CET_ZONES.has(this.name) && (off === 3600 || off === 7200)) return off === 7200 ? 'CEST' : 'CET';
    if (EET_ZONES.has(this.name) && (off === 7200 || off === 10800)) return off === 10800 ? 'EEST' : 'EET';
    if (this.name === 'UTC' || this.name === 'Etc/UTC' || this.name === 'Etc/UCT' || this.name === 'UCT' || this.name === 'Zulu' || this.name === 'Etc/Zulu') return 'UTC';
    if (this.name === 'GMT' || this.name === 'Etc/GMT' || this.name === 'Greenwich') return 'GMT';
    this.abbrFmt ??= new Intl.DateTimeFormat('en-US', { timeZone: this.fmt.resolvedOptions().timeZone, timeZoneName: 'short' });
    const part = this.abbrFmt
      .formatToParts(new Date(Math.max(-INTL_MAX_SEC, Math.min(INTL_MAX_SEC, unixSec)) * 1000))
      .find((p) => p.type === 'timeZoneName');
    if (part && /^[A-Z]{3,5}$/.test(part.value)) return part.value;
    return offsetName(off);
  }
}

function localZoneName(): string {
  try {
    return new Intl.DateTimeFormat('en-US').resolvedOptions().timeZone ?? 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Resolves a zone name as Go's time.LoadLocation would (throws a builtin error when unknown). */
function loadZone(name: string, ctx: BuiltinContext, builtin: string): Zone {
  if (name === '' || name === 'UTC') return UTC_ZONE;
  const key = 'time.zone:' + name;
  const hit = ctx.interCache.get(key);
  if (hit !== undefined) return hit as Zone;
  let iana = name;
  if (name === 'Local') iana = localZoneName();
  let zone: Zone;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: iana }).resolvedOptions().timeZone;
    // Go's zone names are case-sensitive; Intl's are not.
    if (resolved !== iana && resolved.toLowerCase() === iana.toLowerCase()) throw new RangeError('case');
    if (name === 'Local' && (resolved === 'UTC' || resolved === 'Etc/UTC')) zone = { ...UTC_ZONE, name: 'Local' };
    else zone = new IntlZone(name === 'Local' ? resolved : name, iana);
  } catch {
    throw builtinError(builtin, `unknown time zone ${name}`);
  }
  if (ctx.interCache.size < 10_000) ctx.interCache.set(key, zone);
  return zone;
}

// ---------------------------------------------------------------------------------------------
// Broken-down times

interface Civil {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
  second: number;
  nsec: number;
  weekday: number; // 0 = Sunday
  yday: number; // 1-based
  offset: number; // seconds east of UTC
  zone: Zone;
  unixSec: number;
}

interface ZTime {
  ns: bigint;
  zone: Zone;
}

function splitNs(ns: bigint): [number, number] {
  const sec = bFloorDiv(ns, NS_PER_SEC);
  return [Number(sec), Number(ns - sec * NS_PER_SEC)];
}

function civil(tm: ZTime): Civil {
  const [unixSec, nsec] = splitNs(tm.ns);
  const offset = tm.zone.offsetAt(unixSec);
  const local = unixSec + offset;
  const days = floorDiv(local, 86400);
  const sod = local - days * 86400;
  const [year, month, day] = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(sod / 3600),
    minute: Math.floor((sod % 3600) / 60),
    second: sod % 60,
    nsec,
    weekday: (((days + 4) % 7) + 7) % 7,
    yday: days - daysFromCivil(year, 1, 1) + 1,
    offset,
    zone: tm.zone,
    unixSec,
  };
}

/** Go's time.Date: normalises out-of-range fields, resolves the zone offset. Returns ns since epoch. */
function dateToNs(
  year: number, month: number, day: number, hour: number, min: number, sec: number, nsec: number, zone: Zone,
): bigint {
  // Normalise month into [1, 12] carrying into the year.
  let m0 = month - 1;
  year += floorDiv(m0, 12);
  m0 = ((m0 % 12) + 12) % 12;
  const days = BigInt(daysFromCivil(year, m0 + 1, 1)) + BigInt(day - 1);
  const local = days * 86400n + BigInt(hour) * 3600n + BigInt(min) * 60n + BigInt(sec);
  let unix = local;
  const localN = Number(local);
  const off1 = zone.offsetAt(localN);
  if (off1 !== 0) {
    const off2 = zone.offsetAt(localN - off1);
    unix = local - BigInt(off2 !== off1 ? off2 : off1);
  }
  return unix * NS_PER_SEC + BigInt(nsec);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const dayNsCache = new Map<number, bigint>();

function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let j = i; j < i + n; j++) {
    const c = s.charCodeAt(j) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Fast path for the common RFC 3339 shape (YYYY-MM-DDTHH:MM:SS[.frac](Z|±hh:mm)), scanned
 * without allocating; anything else (and anything out of range) is left to the full Go-layout
 * parser, which decides errors.
 */
function fastRFC3339(s: string): bigint | undefined {
  const len = s.length;
  if (len < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return undefined;
  }
  const y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2), h = digits(s, 11, 2), mi = digits(s, 14, 2), se = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return undefined;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1])) return undefined;
  let i = 19;
  let frac = 0;
  if (s.charCodeAt(i) === 46) {
    i++;
    const start = i;
    while (i < len) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (i - start < 9) frac = frac * 10 + c;
      i++;
    }
    const n = i - start;
    if (n === 0 || n > 9) return undefined;
    for (let j = n; j < 9; j++) frac *= 10;
  }
  let off = 0;
  const z = s.charCodeAt(i);
  if (z === 90 && i + 1 === len) {
    off = 0;
  } else if ((z === 43 || z === 45) && i + 6 === len && s.charCodeAt(i + 3) === 58) {
    const oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return undefined;
    off = (oh * 60 + om) * 60 * (z === 45 ? -1 : 1);
  } else {
    return undefined;
  }
  // The day's first nanosecond (a BigInt, cached: instants of the same day share it) plus the
  // offset into the day, which a double holds exactly (|x| < 2 × 86,400 × 10^9 < 2^53).
  const days = daysFromCivil(y, mo, d);
  // Only days whose instants lie beyond 2^53 ns (≈ 104 days after 1970) and well within int64
  // (≈ 106,751 days): the result is then a BigInt in range, which the caller returns as it is.
  // Other instants (before 1970-04-22, after 2262-02) go through the full parser.
  if (days < 110 || days > 106_700) return undefined;
  let dayNs = dayNsCache.get(days);
  if (dayNs === undefined) {
    if (dayNsCache.size >= 4096) dayNsCache.clear();
    dayNsCache.set(days, (dayNs = BigInt(days) * 86_400_000_000_000n));
  }
  return dayNs + BigInt((h * 3600 + mi * 60 + se - off) * 1_000_000_000 + frac);
}

function checkRange(ns: bigint, builtin: string): bigint {
  if (ns < INT64_MIN || ns > INT64_MAX) throw builtinError(builtin, 'time outside of valid range');
  return ns;
}

// ---------------------------------------------------------------------------------------------
// Operands

const TZ_OPERAND = 'either number (ns) or [number (ns), string (tz)]';

/** OPA's tzTime: a number (ns) or [ns, tz] or [ns, tz, layout]. */
function tzTime(a: Value, ctx: BuiltinContext, builtin: string): { tm: ZTime; layout: string } {
  let n: Value;
  let zone = UTC_ZONE;
  let layout = '';
  if (Array.isArray(a)) {
    if (a.length === 0) throw typeError(builtin, `operand 1 must be ${TZ_OPERAND} but got array`);
    n = a[0];
    if (!isNumber(n)) throw operandTypeError(builtin, 1, n, 'number');
    if (a.length > 1) {
      const tz = a[1];
      if (typeof tz !== 'string') throw operandTypeError(builtin, 1, tz, 'string');
      zone = loadZone(tz, ctx, builtin);
    }
    if (a.length > 2) {
      const lay = a[2];
      if (typeof lay !== 'string') throw operandTypeError(builtin, 1, lay, 'string');
      layout = lay;
    }
  } else if (isNumber(a)) {
    n = a;
  } else {
    throw typeError(builtin, `operand 1 must be ${TZ_OPERAND} but got ${typeName(a)}`);
  }
  const ns = exactInteger(n as number | bigint | BigDecimal);
  if (ns === undefined || ns < INT64_MIN || ns > INT64_MAX) throw builtinError(builtin, 'timestamp too big');
  return { tm: { ns, zone }, layout };
}

function stringArg(name: string, v: Value, pos: number): string {
  if (typeof v !== 'string') throw operandTypeError(name, pos, v, 'string');
  return v;
}

function intArg(name: string, v: Value, pos: number): number {
  if (!isNumber(v)) throw operandTypeError(name, pos, v, 'number');
  const i = exactInteger(v);
  if (i === undefined) throw typeError(name, `operand ${pos} must be integer number but got floating-point number`);
  // Go int is 64-bit; values beyond ±2^53 cannot give a representable date anyway.
  if (i > INT64_MAX || i < INT64_MIN) throw typeError(name, `operand ${pos} must be integer number but got floating-point number`);
  return Number(i);
}

// ---------------------------------------------------------------------------------------------
// Go layouts

const enum Std {
  None = 0,
  LongMonth, Month, NumMonth, ZeroMonth,
  LongWeekDay, WeekDay,
  Day, UnderDay, ZeroDay, UnderYearDay, ZeroYearDay,
  Hour, Hour12, ZeroHour12,
  Minute, ZeroMinute,
  Second, ZeroSecond,
  LongYear, Year,
  PM, pm,
  TZ,
  ISO8601TZ, ISO8601SecondsTZ, ISO8601ShortTZ, ISO8601ColonTZ, ISO8601ColonSecondsTZ,
  NumTZ, NumSecondsTz, NumShortTZ, NumColonTZ, NumColonSecondsTZ,
  FracSecond0, FracSecond9,
}

interface Chunk {
  prefix: string;
  std: Std;
  /** For fractional seconds: digit count and separator. */
  digits?: number;
  sep?: string;
  suffix: string;
}

const LAYOUT_CONSTANTS: Record<string, string> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
};

const RFC3339 = LAYOUT_CONSTANTS.RFC3339;
const RFC3339Nano = LAYOUT_CONSTANTS.RFC3339Nano;

const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const SHORT_MONTHS = LONG_MONTHS.map((m) => m.slice(0, 3));
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SHORT_DAYS = LONG_DAYS.map((d) => d.slice(0, 3));

function startsWithLowerCase(s: string): boolean {
  if (s.length === 0) return false;
  const c = s.charCodeAt(0);
  return c >= 97 && c <= 122;
}
function isDigitAt(s: string, i: number): boolean {
  if (i >= s.length) return false;
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

const STD0X = [Std.ZeroMonth, Std.ZeroDay, Std.ZeroHour12, Std.ZeroMinute, Std.ZeroSecond, Std.Year];

/** Go's nextStdChunk. */
function nextStdChunk(layout: string): Chunk {
  const n = layout.length;
  const ret = (i: number, std: Std, len: number): Chunk => ({ prefix: layout.slice(0, i), std, suffix: layout.slice(i + len) });
  for (let i = 0; i < n; i++) {
    const c = layout[i];
    switch (c) {
      case 'J':
        if (layout.startsWith('Jan', i)) {
          if (layout.startsWith('January', i)) return ret(i, Std.LongMonth, 7);
          if (!startsWithLowerCase(layout.slice(i + 3))) return ret(i, Std.Month, 3);
        }
        break;
      case 'M':
        if (layout.startsWith('Mon', i)) {
          if (layout.startsWith('Monday', i)) return ret(i, Std.LongWeekDay, 6);
          if (!startsWithLowerCase(layout.slice(i + 3))) return ret(i, Std.WeekDay, 3);
        }
        if (layout.startsWith('MST', i)) return ret(i, Std.TZ, 3);
        break;
      case '0':
        if (i + 1 < n && layout[i + 1] >= '1' && layout[i + 1] <= '6') return ret(i, STD0X[layout.charCodeAt(i + 1) - 49], 2);
        if (layout.startsWith('002', i)) return ret(i, Std.ZeroYearDay, 3);
        break;
      case '1':
        if (i + 1 < n && layout[i + 1] === '5') return ret(i, Std.Hour, 2);
        return ret(i, Std.NumMonth, 1);
      case '2':
        if (layout.startsWith('2006', i)) return ret(i, Std.LongYear, 4);
        return ret(i, Std.Day, 1);
      case '_':
        if (i + 1 < n && layout[i + 1] === '2') {
          if (layout.startsWith('2006', i + 1)) return { prefix: layout.slice(0, i + 1), std: Std.LongYear, suffix: layout.slice(i + 5) };
          return ret(i, Std.UnderDay, 2);
        }
        if (layout.startsWith('__2', i)) return ret(i, Std.UnderYearDay, 3);
        break;
      case '3':
        return ret(i, Std.Hour12, 1);
      case '4':
        return ret(i, Std.Minute, 1);
      case '5':
        return ret(i, Std.Second, 1);
      case 'P':
        if (i + 1 < n && layout[i + 1] === 'M') return ret(i, Std.PM, 2);
        break;
      case 'p':
        if (i + 1 < n && layout[i + 1] === 'm') return ret(i, Std.pm, 2);
        break;
      case '-':
        if (layout.startsWith('-070000', i)) return ret(i, Std.NumSecondsTz, 7);
        if (layout.startsWith('-07:00:00', i)) return ret(i, Std.NumColonSecondsTZ, 9);
        if (layout.startsWith('-0700', i)) return ret(i, Std.NumTZ, 5);
        if (layout.startsWith('-07:00', i)) return ret(i, Std.NumColonTZ, 6);
        if (layout.startsWith('-07', i)) return ret(i, Std.NumShortTZ, 3);
        break;
      case 'Z':
        if (layout.startsWith('Z070000', i)) return ret(i, Std.ISO8601SecondsTZ, 7);
        if (layout.startsWith('Z07:00:00', i)) return ret(i, Std.ISO8601ColonSecondsTZ, 9);
        if (layout.startsWith('Z0700', i)) return ret(i, Std.ISO8601TZ, 5);
        if (layout.startsWith('Z07:00', i)) return ret(i, Std.ISO8601ColonTZ, 6);
        if (layout.startsWith('Z07', i)) return ret(i, Std.ISO8601ShortTZ, 3);
        break;
      case '.':
      case ',':
        if (i + 1 < n && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
          const ch = layout[i + 1];
          let j = i + 1;
          while (j < n && layout[j] === ch) j++;
          if (!isDigitAt(layout, j)) {
            return {
              prefix: layout.slice(0, i),
              std: ch === '0' ? Std.FracSecond0 : Std.FracSecond9,
              digits: j - (i + 1),
              sep: c,
              suffix: layout.slice(j),
            };
          }
        }
        break;
    }
  }
  return { prefix: layout, std: Std.None, suffix: '' };
}

function pad(x: number, width: number): string {
  if (x < 0) return '-' + pad(-x, width);
  return String(x).padStart(width, '0');
}

/** Go's Time.Format. */
export function formatTime(c: Civil, layout: string): string {
  let out = '';
  let rest = layout;
  while (rest !== '') {
    const ch = nextStdChunk(rest);
    out += ch.prefix;
    if (ch.std === Std.None) break;
    rest = ch.suffix;
    switch (ch.std) {
      case Std.Year: out += pad(((c.year % 100) + 100) % 100, 2); break;
      case Std.LongYear: out += pad(c.year, 4); break;
      case Std.Month: out += SHORT_MONTHS[c.month - 1]; break;
      case Std.LongMonth: out += LONG_MONTHS[c.month - 1]; break;
      case Std.NumMonth: out += String(c.month); break;
      case Std.ZeroMonth: out += pad(c.month, 2); break;
      case Std.WeekDay: out += SHORT_DAYS[c.weekday]; break;
      case Std.LongWeekDay: out += LONG_DAYS[c.weekday]; break;
      case Std.Day: out += String(c.day); break;
      case Std.UnderDay: out += (c.day < 10 ? ' ' : '') + String(c.day); break;
      case Std.ZeroDay: out += pad(c.day, 2); break;
      case Std.UnderYearDay: out += String(c.yday).padStart(3, ' '); break;
      case Std.ZeroYearDay: out += pad(c.yday, 3); break;
      case Std.Hour: out += pad(c.hour, 2); break;
      case Std.Hour12: out += String(c.hour % 12 === 0 ? 12 : c.hour % 12); break;
      case Std.ZeroHour12: out += pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2); break;
      case Std.Minute: out += String(c.minute); break;
      case Std.ZeroMinute: out += pad(c.minute, 2); break;
      case Std.Second: out += String(c.second); break;
      case Std.ZeroSecond: out += pad(c.second, 2); break;
      case Std.PM: out += c.hour >= 12 ? 'PM' : 'AM'; break;
      case Std.pm: out += c.hour >= 12 ? 'pm' : 'am'; break;
      case Std.ISO8601TZ: case Std.ISO8601ColonTZ: case Std.ISO8601SecondsTZ: case Std.ISO8601ShortTZ:
      case Std.ISO8601ColonSecondsTZ: case Std.NumTZ: case Std.NumColonTZ: case Std.NumSecondsTz:
      case Std.NumShortTZ: case Std.NumColonSecondsTZ: {
        const std = ch.std;
        const iso = std === Std.ISO8601TZ || std === Std.ISO8601ColonTZ || std === Std.ISO8601SecondsTZ ||
          std === Std.ISO8601ShortTZ || std === Std.ISO8601ColonSecondsTZ;
        if (c.offset === 0 && iso) {
          out += 'Z';
          break;
        }
        let zone = Math.trunc(c.offset / 60);
        let abs = c.offset;
        if (zone < 0) {
          out += '-';
          zone = -zone;
          abs = -abs;
        } else {
          out += '+';
        }
        out += pad(Math.trunc(zone / 60), 2);
        if (std === Std.ISO8601ColonTZ || std === Std.NumColonTZ || std === Std.ISO8601ColonSecondsTZ || std === Std.NumColonSecondsTZ) out += ':';
        if (std !== Std.NumShortTZ && std !== Std.ISO8601ShortTZ) out += pad(zone % 60, 2);
        if (std === Std.ISO8601SecondsTZ || std === Std.NumSecondsTz || std === Std.NumColonSecondsTZ || std === Std.ISO8601ColonSecondsTZ) {
          if (std === Std.NumColonSecondsTZ || std === Std.ISO8601ColonSecondsTZ) out += ':';
          out += pad(abs % 60, 2);
        }
        break;
      }
      case Std.TZ: {
        const name = c.zone === UTC_ZONE ? 'UTC' : c.zone.abbrevAt(c.unixSec);
        if (name !== '') {
          out += name;
          break;
        }
        let zone = Math.trunc(c.offset / 60);
        if (zone < 0) {
          out += '-';
          zone = -zone;
        } else out += '+';
        out += pad(Math.trunc(zone / 60), 2) + pad(zone % 60, 2);
        break;
      }
      case Std.FracSecond0:
      case Std.FracSecond9: {
        const n = ch.digits!;
        const trim = ch.std === Std.FracSecond9;
        if (trim && (n === 0 || c.nsec === 0)) break;
        let frac = pad(c.nsec, 9);
        if (n < 9) frac = frac.slice(0, n);
        if (trim) frac = frac.replace(/0+$/, '');
        if (frac !== '' || !trim) out += ch.sep! + frac;
        break;
      }
    }
  }
  return out;
}

// ---- parsing ----

class BadErr extends Error {}

class ParseError extends Error {
  constructor(layout: string, value: string, layoutElem: string, valueElem: string, message: string) {
    super(
      message === ''
        ? `parsing time ${goQuote(value)} as ${goQuote(layout)}: cannot parse ${goQuote(valueElem)} as ${goQuote(layoutElem)}`
        : `parsing time ${goQuote(value)}${message}`,
    );
  }
}

function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigitAt(s, 0)) throw new BadErr();
  if (!isDigitAt(s, 1)) {
    if (fixed) throw new BadErr();
    return [s.charCodeAt(0) - 48, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

function getnum3(s: string, fixed: boolean): [number, string] {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + s.charCodeAt(i) - 48;
  if (i === 0 || (fixed && i !== 3)) throw new BadErr();
  return [n, s.slice(i)];
}

function goAtoi(s: string): number {
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '' || !/^\d+$/.test(s)) throw new BadErr();
  const x = parseInt(s, 10);
  return neg ? -x : x;
}

function cutspace(s: string): string {
  let i = 0;
  while (i < s.length && s[i] === ' ') i++;
  return s.slice(i);
}

function skip(value: string, prefix: string): string {
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') throw new BadErr();
      prefix = cutspace(prefix);
      value = cutspace(value);
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) throw new BadErr();
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return value;
}

function lookup(tab: string[], val: string): [number, string] {
  for (let i = 0; i < tab.length; i++) {
    const v = tab[i];
    if (val.length >= v.length && val.slice(0, v.length).toLowerCase() === v.toLowerCase()) return [i, val.slice(v.length)];
  }
  throw new BadErr();
}

function commaOrPeriod(c: string): boolean {
  return c === '.' || c === ',';
}

function parseNanoseconds(value: string, nbytes: number): [number, string] {
  if (!commaOrPeriod(value[0])) throw new BadErr();
  if (nbytes > 10) {
    value = value.slice(0, 10);
    nbytes = 10;
  }
  let ns = goAtoi(value.slice(1, nbytes));
  if (ns < 0) return [0, 'fractional second'];
  for (let i = 0; i < 10 - nbytes; i++) ns *= 10;
  return [ns, ''];
}

function leadingIntLen(s: string): number {
  let i = 0;
  while (i < s.length && isDigitAt(s, i)) i++;
  return i;
}

function parseSignedOffset(value: string): number {
  const sign = value[0];
  if (sign !== '-' && sign !== '+') return 0;
  const n = leadingIntLen(value.slice(1));
  if (n === 0) return 0;
  const x = parseInt(value.slice(1, 1 + n), 10);
  if (x > 24) return 0;
  return 1 + n;
}

function parseTimeZone(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith('ChST') || value.startsWith('MeST')) return 4;
  if (value.startsWith('GMT')) {
    const rest = value.slice(3);
    return rest.length === 0 ? 3 : 3 + parseSignedOffset(rest);
  }
  if (value[0] === '+' || value[0] === '-') return parseSignedOffset(value);
  let nUpper = 0;
  for (; nUpper < 6; nUpper++) {
    if (nUpper >= value.length) break;
    const c = value.charCodeAt(nUpper);
    if (c < 65 || c > 90) break;
  }
  switch (nUpper) {
    case 5:
      return value[4] === 'T' ? 5 : 0;
    case 4:
      return value[3] === 'T' || value.startsWith('WITA') ? 4 : 0;
    case 3:
      return 3;
    default:
      return 0;
  }
}

const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

/** Go's time.Parse (default location UTC; the local zone is taken to be UTC). Returns ns since epoch. */
export function parseTime(alayout: string, avalue: string): bigint {
  let layout = alayout;
  let value = avalue;
  let rangeErr = '';
  let amSet = false;
  let pmSet = false;
  let year = 0, month = -1, day = -1, yday = -1, hour = 0, min = 0, sec = 0, nsec = 0;
  let zoneOffset = -1;
  let zSet = false;
  for (;;) {
    const chunk = nextStdChunk(layout);
    const stdstr = layout.slice(chunk.prefix.length, layout.length - chunk.suffix.length);
    try {
      value = skip(value, chunk.prefix);
    } catch {
      throw new ParseError(alayout, avalue, chunk.prefix, value, '');
    }
    if (chunk.std === Std.None) {
      if (value.length !== 0) throw new ParseError(alayout, avalue, '', value, `: extra text: ${goQuote(value)}`);
      break;
    }
    layout = chunk.suffix;
    const hold = value;
    try {
      switch (chunk.std) {
        case Std.Year: {
          if (value.length < 2) throw new BadErr();
          const p = value.slice(0, 2);
          value = value.slice(2);
          year = goAtoi(p);
          year += year >= 69 ? 1900 : 2000;
          break;
        }
        case Std.LongYear: {
          if (value.length < 4 || !isDigitAt(value, 0)) throw new BadErr();
          const p = value.slice(0, 4);
          value = value.slice(4);
          year = goAtoi(p);
          break;
        }
        case Std.Month:
          [month, value] = lookup(SHORT_MONTHS, value);
          month++;
          break;
        case Std.LongMonth:
          [month, value] = lookup(LONG_MONTHS, value);
          month++;
          break;
        case Std.NumMonth:
        case Std.ZeroMonth:
          [month, value] = getnum(value, chunk.std === Std.ZeroMonth);
          if (month <= 0 || month > 12) rangeErr = 'month';
          break;
        case Std.WeekDay:
          [, value] = lookup(SHORT_DAYS, value);
          break;
        case Std.LongWeekDay:
          [, value] = lookup(LONG_DAYS, value);
          break;
        case Std.Day:
        case Std.UnderDay:
        case Std.ZeroDay:
          if (chunk.std === Std.UnderDay && value.length > 0 && value[0] === ' ') value = value.slice(1);
          [day, value] = getnum(value, chunk.std === Std.ZeroDay);
          break;
        case Std.UnderYearDay:
        case Std.ZeroYearDay:
          for (let i = 0; i < 2; i++) {
            if (chunk.std === Std.UnderYearDay && value.length > 0 && value[0] === ' ') value = value.slice(1);
          }
          [yday, value] = getnum3(value, chunk.std === Std.ZeroYearDay);
          break;
        case Std.Hour:
          [hour, value] = getnum(value, false);
          if (hour < 0 || hour >= 24) rangeErr = 'hour';
          break;
        case Std.Hour12:
        case Std.ZeroHour12:
          [hour, value] = getnum(value, chunk.std === Std.ZeroHour12);
          if (hour < 0 || hour > 12) rangeErr = 'hour';
          break;
        case Std.Minute:
        case Std.ZeroMinute:
          [min, value] = getnum(value, chunk.std === Std.ZeroMinute);
          if (min < 0 || min >= 60) rangeErr = 'minute';
          break;
        case Std.Second:
        case Std.ZeroSecond: {
          [sec, value] = getnum(value, chunk.std === Std.ZeroSecond);
          if (sec < 0 || sec >= 60) {
            rangeErr = 'second';
            break;
          }
          if (value.length >= 2 && commaOrPeriod(value[0]) && isDigitAt(value, 1)) {
            const next = nextStdChunk(layout).std;
            if (next === Std.FracSecond0 || next === Std.FracSecond9) break;
            let n = 2;
            while (n < value.length && isDigitAt(value, n)) n++;
            [nsec, rangeErr] = parseNanoseconds(value, n);
            value = value.slice(n);
          }
          break;
        }
        case Std.PM: {
          if (value.length < 2) throw new BadErr();
          const p = value.slice(0, 2);
          value = value.slice(2);
          if (p === 'PM') pmSet = true;
          else if (p === 'AM') amSet = true;
          else throw new BadErr();
          break;
        }
        case Std.pm: {
          if (value.length < 2) throw new BadErr();
          const p = value.slice(0, 2);
          value = value.slice(2);
          if (p === 'pm') pmSet = true;
          else if (p === 'am') amSet = true;
          else throw new BadErr();
          break;
        }
        case Std.ISO8601TZ: case Std.ISO8601ShortTZ: case Std.ISO8601ColonTZ: case Std.ISO8601SecondsTZ:
        case Std.ISO8601ColonSecondsTZ: case Std.NumTZ: case Std.NumShortTZ: case Std.NumColonTZ:
        case Std.NumSecondsTz: case Std.NumColonSecondsTZ: {
          const std = chunk.std;
          if (
            (std === Std.ISO8601TZ || std === Std.ISO8601ShortTZ || std === Std.ISO8601ColonTZ ||
              std === Std.ISO8601SecondsTZ || std === Std.ISO8601ColonSecondsTZ) &&
            value.length >= 1 && value[0] === 'Z'
          ) {
            value = value.slice(1);
            zSet = true;
            break;
          }
          let sign: string, hh: string, mm: string, ss: string;
          if (std === Std.ISO8601ColonTZ || std === Std.NumColonTZ) {
            if (value.length < 6 || value[3] !== ':') throw new BadErr();
            [sign, hh, mm, ss, value] = [value.slice(0, 1), value.slice(1, 3), value.slice(4, 6), '00', value.slice(6)];
          } else if (std === Std.NumShortTZ || std === Std.ISO8601ShortTZ) {
            if (value.length < 3) throw new BadErr();
            [sign, hh, mm, ss, value] = [value.slice(0, 1), value.slice(1, 3), '00', '00', value.slice(3)];
          } else if (std === Std.ISO8601ColonSecondsTZ || std === Std.NumColonSecondsTZ) {
            if (value.length < 9 || value[3] !== ':' || value[6] !== ':') throw new BadErr();
            [sign, hh, mm, ss, value] = [value.slice(0, 1), value.slice(1, 3), value.slice(4, 6), value.slice(7, 9), value.slice(9)];
          } else if (std === Std.ISO8601SecondsTZ || std === Std.NumSecondsTz) {
            if (value.length < 7) throw new BadErr();
            [sign, hh, mm, ss, value] = [value.slice(0, 1), value.slice(1, 3), value.slice(3, 5), value.slice(5, 7), value.slice(7)];
          } else {
            if (value.length < 5) throw new BadErr();
            [sign, hh, mm, ss, value] = [value.slice(0, 1), value.slice(1, 3), value.slice(3, 5), '00', value.slice(5)];
          }
          const hr = getnum(hh, true)[0];
          const mn = getnum(mm, true)[0];
          const sc = getnum(ss, true)[0];
          if (hr > 24) rangeErr = 'time zone offset hour';
          if (mn > 60) rangeErr = 'time zone offset minute';
          if (sc > 60) rangeErr = 'time zone offset second';
          zoneOffset = (hr * 60 + mn) * 60 + sc;
          if (sign === '-') zoneOffset = -zoneOffset;
          else if (sign !== '+') throw new BadErr();
          break;
        }
        case Std.TZ: {
          if (value.startsWith('UTC')) {
            zSet = true;
            value = value.slice(3);
            break;
          }
          const n = parseTimeZone(value);
          if (n === 0) throw new BadErr();
          // An unknown abbreviation makes a fabricated zone with the wall clock taken as UTC.
          value = value.slice(n);
          break;
        }
        case Std.FracSecond0: {
          const ndigit = 1 + chunk.digits!;
          if (value.length < ndigit) throw new BadErr();
          [nsec, rangeErr] = parseNanoseconds(value, ndigit);
          value = value.slice(ndigit);
          break;
        }
        case Std.FracSecond9: {
          if (value.length < 2 || !commaOrPeriod(value[0]) || !isDigitAt(value, 1)) break;
          let i = 0;
          while (i + 1 < value.length && isDigitAt(value, i + 1)) i++;
          [nsec, rangeErr] = parseNanoseconds(value, 1 + i);
          value = value.slice(1 + i);
          break;
        }
      }
    } catch (e) {
      if (!(e instanceof BadErr)) throw e;
      throw new ParseError(alayout, avalue, stdstr, hold, '');
    }
    if (rangeErr !== '') throw new ParseError(alayout, avalue, stdstr, value, `: ${rangeErr} out of range`);
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;

  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) yday--;
    }
    if (yday < 1 || yday > 365) throw new ParseError(alayout, avalue, '', value, ': day-of-year out of range');
    if (m === 0) {
      m = Math.floor((yday - 1) / 31) + 1;
      if (DAYS_BEFORE[m] < yday) m++;
      d = yday - DAYS_BEFORE[m - 1];
    }
    if (month >= 0 && month !== m) throw new ParseError(alayout, avalue, '', value, ': day-of-year does not match month');
    month = m;
    if (day >= 0 && day !== d) throw new ParseError(alayout, avalue, '', value, ': day-of-year does not match day');
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) throw new ParseError(alayout, avalue, '', value, ': day out of range');

  const ns = dateToNs(year, month, day, hour, min, sec, nsec, UTC_ZONE);
  if (!zSet && zoneOffset !== -1) return ns - BigInt(zoneOffset) * NS_PER_SEC;
  return ns;
}

// ---- durations ----

const DURATION_UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n, // U+00B5
  'μs': 1000n, // U+03BC
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const TWO63 = 1n << 63n;

/** Go's time.ParseDuration. */
export function parseDuration(orig: string): bigint {
  const invalid = (): Error => new Error(`time: invalid duration ${goQuote(orig)}`);
  let s = orig;
  let d = 0n;
  let neg = false;
  if (s !== '') {
    const c = s[0];
    if (c === '-' || c === '+') {
      neg = c === '-';
      s = s.slice(1);
    }
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  while (s !== '') {
    let v = 0n;
    let f = 0n;
    let scale = 1;
    if (!(s[0] === '.' || (s[0] >= '0' && s[0] <= '9'))) throw invalid();
    // leading int
    let i = 0;
    for (; i < s.length && isDigitAt(s, i); i++) {
      if (v > (TWO63 - 1n) / 10n) throw invalid(); // overflow
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > TWO63) throw invalid();
    }
    const pre = i > 0;
    s = s.slice(i);
    let post = false;
    if (s !== '' && s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      for (; j < s.length && isDigitAt(s, j); j++) {
        if (overflow) continue;
        if (f > (TWO63 - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(s.charCodeAt(j) - 48);
        if (y > TWO63) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) throw invalid();
    let k = 0;
    for (; k < s.length; k++) {
      const c = s[k];
      if (c === '.' || (c >= '0' && c <= '9')) break;
    }
    if (k === 0) throw new Error(`time: missing unit in duration ${goQuote(orig)}`);
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = DURATION_UNITS[u];
    if (unit === undefined) throw new Error(`time: unknown unit ${goQuote(u)} in duration ${goQuote(orig)}`);
    if (v > TWO63 / unit) throw invalid();
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > TWO63) throw invalid();
    }
    d += v;
    if (d > TWO63) throw invalid();
  }
  if (neg) return -d;
  if (d > TWO63 - 1n) throw invalid();
  return d;
}

// ---------------------------------------------------------------------------------------------
// Built-ins

const tzArg = t.anyOf(t.number, t.tuple(t.number, t.string));

function wrapGoError<T>(name: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ParseError || (e instanceof Error && e.constructor === Error)) throw builtinError(name, e.message);
    throw e;
  }
}

export const builtins: Builtin[] = [
  {
    name: 'time.now_ns',
    args: [],
    result: t.number,
    nondeterministic: true,
    description: 'Returns the current time since epoch in nanoseconds.',
    fn: (_args, ctx) => intValue(ctx.nowNs),
  },
  {
    name: 'time.parse_ns',
    args: [t.string, t.string],
    result: t.number,
    description: 'Returns the time in nanoseconds parsed from the string in the given format. `undefined` if the result would be outside the valid time range that can fit within an `int64`.',
    fn: ([layoutV, valueV]) => {
      const name = 'time.parse_ns';
      let layout = stringArg(name, layoutV, 1);
      const value = stringArg(name, valueV, 2);
      if (Object.prototype.hasOwnProperty.call(LAYOUT_CONSTANTS, layout)) layout = LAYOUT_CONSTANTS[layout];
      const ns = wrapGoError(name, () => parseTime(layout, value));
      return intValue(checkRange(ns, name));
    },
  },
  {
    name: 'time.parse_rfc3339_ns',
    args: [t.string],
    result: t.number,
    description: 'Returns the time in nanoseconds parsed from the string in RFC3339 format. `undefined` if the result would be outside the valid time range that can fit within an `int64`.',
    fn: ([valueV]) => {
      const name = 'time.parse_rfc3339_ns';
      const value = stringArg(name, valueV, 1);
      const fast = fastRFC3339(value);
      if (fast !== undefined) return fast; // within int64 and beyond 2^53: no checks, no conversion
      const ns = wrapGoError(name, () => parseTime(RFC3339, value));
      return intValue(checkRange(ns, name));
    },
  },
  {
    name: 'time.parse_duration_ns',
    args: [t.string],
    result: t.number,
    description: 'Returns the duration in nanoseconds represented by a string.',
    fn: ([durV]) => {
      const name = 'time.parse_duration_ns';
      const dur = stringArg(name, durV, 1);
      return intValue(wrapGoError(name, () => parseDuration(dur)));
    },
  },
  {
    name: 'time.format',
    args: [t.anyOf(t.number, t.tuple(t.number, t.string), t.tuple(t.number, t.string, t.string))],
    result: t.string,
    description: 'Returns the formatted timestamp for the nanoseconds since epoch.',
    fn: ([x], ctx) => {
      const { tm, layout } = tzTime(x, ctx, 'time.format');
      let lay = layout;
      if (lay === '') lay = RFC3339Nano;
      else if (Object.prototype.hasOwnProperty.call(LAYOUT_CONSTANTS, lay)) lay = LAYOUT_CONSTANTS[lay];
      return formatTime(civil(tm), lay);
    },
  },
  {
    name: 'time.date',
    args: [tzArg],
    result: t.tuple(t.number, t.number, t.number),
    description: 'Returns the `[year, month, day]` for the nanoseconds since epoch.',
    fn: ([x], ctx) => {
      const c = civil(tzTime(x, ctx, 'time.date').tm);
      return [c.year, c.month, c.day];
    },
  },
  {
    name: 'time.clock',
    args: [tzArg],
    result: t.tuple(t.number, t.number, t.number),
    description: 'Returns the `[hour, minute, second]` of the day for the nanoseconds since epoch.',
    fn: ([x], ctx) => {
      const c = civil(tzTime(x, ctx, 'time.clock').tm);
      return [c.hour, c.minute, c.second];
    },
  },
  {
    name: 'time.weekday',
    args: [tzArg],
    result: t.string,
    description: 'Returns the day of the week (Monday, Tuesday, ...) for the nanoseconds since epoch.',
    fn: ([x], ctx) => LONG_DAYS[civil(tzTime(x, ctx, 'time.weekday').tm).weekday],
  },
  {
    name: 'time.add_date',
    args: [t.number, t.number, t.number, t.number],
    result: t.number,
    description: 'Returns the nanoseconds since epoch after adding years, months and days to nanoseconds. Month & day values outside their usual ranges after the operation and will be normalized - for example, October 32 would become November 1. `undefined` if the result would be outside the valid time range that can fit within an `int64`.',
    fn: ([x, yV, mV, dV], ctx) => {
      const name = 'time.add_date';
      const { tm } = tzTime(x, ctx, name);
      const years = intArg(name, yV, 2);
      const months = intArg(name, mV, 3);
      const days = intArg(name, dV, 4);
      const c = civil(tm);
      const ns = dateToNs(c.year + years, c.month + months, c.day + days, c.hour, c.minute, c.second, c.nsec, tm.zone);
      return intValue(checkRange(ns, name));
    },
  },
  {
    name: 'time.diff',
    args: [tzArg, tzArg],
    result: t.tuple(t.number, t.number, t.number, t.number, t.number, t.number),
    description: 'Returns the difference between two unix timestamps in nanoseconds (with optional timezone strings).',
    fn: ([a, b], ctx) => {
      const name = 'time.diff';
      let t1 = tzTime(a, ctx, name).tm;
      let t2 = tzTime(b, ctx, name).tm;
      if (t1.zone !== t2.zone) t2 = { ns: t2.ns, zone: t1.zone };
      if (t1.ns > t2.ns) [t1, t2] = [t2, t1];
      const c1 = civil(t1);
      const c2 = civil(t2);
      let year = c2.year - c1.year;
      let month = c2.month - c1.month;
      let day = c2.day - c1.day;
      let hour = c2.hour - c1.hour;
      let min = c2.minute - c1.minute;
      let sec = c2.second - c1.second;
      if (sec < 0) {
        sec += 60;
        min--;
      }
      if (min < 0) {
        min += 60;
        hour--;
      }
      if (hour < 0) {
        hour += 24;
        day--;
      }
      if (day < 0) {
        // Days in c1's month: Go's time.Date(y1, M1, 32) normalisation.
        const [, , d32] = civilFromDays(daysFromCivil(c1.year, c1.month, 32));
        day += 32 - d32;
        month--;
      }
      if (month < 0) {
        month += 12;
        year--;
      }
      return [year, month, day, hour, min, sec];
    },
  },
];

/** Helpers of OPA's conformance runner (not real built-ins): `test.sleep(duration)`. */
export const testHelpers: Builtin[] = [
  {
    name: 'test.sleep',
    args: [t.string],
    result: t.null,
    nondeterministic: true,
    description: 'Test helper: sleeps for the given duration (conformance runner only).',
    fn: ([d]) => {
      const name = 'test.sleep';
      const dur = stringArg(name, d, 1);
      const ns = wrapGoError(name, () => parseDuration(dur));
      const ms = Number(ns / 1_000_000n);
      if (ms > 0) {
        const end = Date.now() + Math.min(ms, 10_000);
        const sab = new Int32Array(new SharedArrayBuffer(4));
        while (Date.now() < end) Atomics.wait(sab, 0, 0, Math.max(1, end - Date.now()));
      }
      return null;
    },
  },
];
