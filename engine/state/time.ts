// Instants as the state document writes them: RFC 3339 in Taipei time (+08:00), the way the
// plan's records read ("2026-09-30T23:59:00+08:00").

const TAIPEI_MS = 8 * 3600 * 1000;
const p2 = (n: number) => String(n).padStart(2, '0');

const DAY_MS = 86_400_000;
const TWO = Array.from({ length: 60 }, (_, i) => p2(i));
// "YYYY-MM-DDT" of a Taipei day number (the log's instants fall on few days: cached).
const dayPrefix = new Map<number, string>();

/** RFC 3339 with +08:00 (milliseconds only when not zero). */
export function taipeiISO(d: Date | string | number): string {
  const t = d instanceof Date ? d.getTime() : typeof d === 'number' ? d : Date.parse(d);
  if (!Number.isFinite(t)) throw new RangeError(`not an instant: ${String(d)}`);
  const local = t + TAIPEI_MS;
  if (local >= 0 && local < 253402300800000) {
    // Years 1970–9999: the date part from the cache, the time of day by arithmetic.
    const day = Math.floor(local / DAY_MS);
    let prefix = dayPrefix.get(day);
    if (prefix === undefined) {
      if (dayPrefix.size >= 4096) dayPrefix.clear();
      const x = new Date(day * DAY_MS);
      prefix = `${String(x.getUTCFullYear()).padStart(4, '0')}-${p2(x.getUTCMonth() + 1)}-${p2(x.getUTCDate())}T`;
      dayPrefix.set(day, prefix);
    }
    const inDay = local - day * DAY_MS;
    const ms = inDay % 1000;
    const secs = (inDay - ms) / 1000;
    const hh = Math.floor(secs / 3600);
    const mm = Math.floor((secs % 3600) / 60);
    const text = `${prefix}${TWO[hh]}:${TWO[mm]}:${TWO[secs % 60]}`;
    return ms ? `${text}.${String(ms).padStart(3, '0')}+08:00` : `${text}+08:00`;
  }
  const x = new Date(t + TAIPEI_MS);
  const ms = x.getUTCMilliseconds();
  return (
    `${String(x.getUTCFullYear()).padStart(4, '0')}-${p2(x.getUTCMonth() + 1)}-${p2(x.getUTCDate())}` +
    `T${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())}` +
    (ms ? `.${String(ms).padStart(3, '0')}` : '') +
    '+08:00'
  );
}

/** "YYYY-MM-DD" of an instant in Taipei. */
export function taipeiDate(d: Date | number): string {
  return taipeiISO(d).slice(0, 10);
}

/** Parses an RFC 3339 instant (with offset); throws a one-line error otherwise. */
export function parseInstant(s: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(s)) {
    throw new RangeError(`invalid instant "${s}": use RFC 3339 with an offset, e.g. 2026-11-27T10:00:00+08:00`);
  }
  const t = Date.parse(s);
  if (!Number.isFinite(t)) throw new RangeError(`invalid instant "${s}"`);
  return new Date(t);
}
