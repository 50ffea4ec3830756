// Pure logic of the conformance runner (no engine needed): reading OPA's YAML case files,
// a JSON form for values, and OPA's rules for comparing results and errors.
//
// The "JSON form" (JForm) is what OPA's runner compares: every value converted as `ast.JSON`
// does (sets become arrays in set order, objects get string keys), with numbers kept as exact
// decimal text so that 1, 1.0 and 1e0 are equal and nothing beyond 2^53 loses a digit.

import YAML from 'yaml';

/** An exact number in a JSON-form value (decimal text as written). */
export class JNum {
  readonly text: string;
  constructor(text: string) {
    this.text = normalizeNumberText(text);
  }
}

export type JForm = null | boolean | string | JNum | JForm[] | { [k: string]: JForm };

// ---------------------------------------------------------------------------------------------
// Numbers

/** Rewrites a YAML/Rego number literal as a JSON number literal (`.5` → `0.5`, `+1` → `1`, `1_000` → `1000`). */
export function normalizeNumberText(raw: string): string {
  let s = raw.replace(/_/g, '').trim();
  let sign = '';
  if (s.startsWith('+')) s = s.slice(1);
  else if (s.startsWith('-')) {
    sign = '-';
    s = s.slice(1);
  }
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(s);
  if (!m || (m[1] === '' && (m[2] === undefined || m[2] === ''))) return raw; // not decimal: leave as is
  const int = m[1] === '' ? '0' : m[1];
  const frac = m[2] ? '.' + m[2] : '';
  const exp = m[3] !== undefined ? 'e' + m[3] : '';
  return sign + int + frac + exp;
}

interface Decimal {
  neg: boolean;
  digits: string; // no leading/trailing zeros; '' for zero
  exp: number; // value = 0.digits × 10^exp
}

function parseDecimal(text: string): Decimal | null {
  const m = /^(-?)(\d+)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(text);
  if (!m) return null;
  const intPart = m[2];
  const frac = m[3] ?? '';
  let digits = intPart + frac;
  let exp = intPart.length + (m[4] ? parseInt(m[4], 10) : 0);
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead);
  exp -= lead;
  digits = digits.replace(/0+$/, '');
  if (digits === '') return { neg: false, digits: '', exp: 0 };
  return { neg: m[1] === '-', digits, exp };
}

/** A canonical text for a number: equal numbers ⇔ equal texts. */
export function canonicalNumber(text: string): string {
  const d = parseDecimal(text);
  if (!d) return 'N?' + text;
  if (d.digits === '') return '0';
  return `${d.neg ? '-' : ''}0.${d.digits}e${d.exp}`;
}

export function compareNumberTexts(a: string, b: string): number {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (!x || !y) return a < b ? -1 : a > b ? 1 : 0;
  const sx = x.digits === '' ? 0 : x.neg ? -1 : 1;
  const sy = y.digits === '' ? 0 : y.neg ? -1 : 1;
  if (sx !== sy) return sx < sy ? -1 : 1;
  if (sx === 0) return 0;
  let mag: number;
  if (x.exp !== y.exp) mag = x.exp < y.exp ? -1 : 1;
  else {
    const n = Math.max(x.digits.length, y.digits.length);
    const dx = x.digits.padEnd(n, '0');
    const dy = y.digits.padEnd(n, '0');
    mag = dx < dy ? -1 : dx > dy ? 1 : 0;
  }
  return sx < 0 ? -mag : mag;
}

// ---------------------------------------------------------------------------------------------
// JSON form: building, canonical text, ordering

/** Converts a plain JS value (as parsed from YAML/JSON, bigint and JNum allowed) to JSON form. */
export function toJForm(x: unknown): JForm {
  if (x === null || x === undefined) return null;
  switch (typeof x) {
    case 'boolean':
    case 'string':
      return x;
    case 'bigint':
      return new JNum(x.toString());
    case 'number':
      if (!Number.isFinite(x)) throw new Error(`non-finite number ${x} in a JSON value`);
      return new JNum(String(x));
  }
  if (x instanceof JNum) return x;
  if (Array.isArray(x)) return x.map(toJForm);
  if (x instanceof Map) {
    const out: { [k: string]: JForm } = Object.create(null);
    for (const [k, v] of x) out[String(k)] = toJForm(v);
    return out;
  }
  if (x instanceof Date) return x.toISOString();
  if (typeof x === 'object') {
    const out: { [k: string]: JForm } = Object.create(null);
    for (const k of Object.keys(x as object)) out[k] = toJForm((x as Record<string, unknown>)[k]);
    return out;
  }
  throw new Error(`cannot convert ${typeof x} to JSON`);
}

function typeRank(v: JForm): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return 1;
  if (v instanceof JNum) return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 4;
  return 5;
}

/** Go's string order (UTF-8 bytes, i.e. code points). */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const x = Array.from(a);
  const y = Array.from(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) return x[i].codePointAt(0)! < y[i].codePointAt(0)! ? -1 : 1;
  }
  return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
}

/** OPA's order over JSON values (null < boolean < number < string < array < object). */
export function compareJ(a: JForm, b: JForm): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return a === b ? 0 : a ? 1 : -1;
    case 2:
      return compareNumberTexts((a as JNum).text, (b as JNum).text);
    case 3:
      return compareStrings(a as string, b as string);
    case 4: {
      const x = a as JForm[];
      const y = b as JForm[];
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compareJ(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
    }
    default: {
      const x = a as { [k: string]: JForm };
      const y = b as { [k: string]: JForm };
      const kx = Object.keys(x).sort(compareStrings);
      const ky = Object.keys(y).sort(compareStrings);
      const n = Math.min(kx.length, ky.length);
      for (let i = 0; i < n; i++) {
        let c = compareStrings(kx[i], ky[i]);
        if (c !== 0) return c;
        c = compareJ(x[kx[i]], y[ky[i]]);
        if (c !== 0) return c;
      }
      return kx.length < ky.length ? -1 : kx.length > ky.length ? 1 : 0;
    }
  }
}

/** Canonical text of a JSON-form value: equal values ⇔ equal texts. */
export function canonicalJ(v: JForm): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof JNum) return canonicalNumber(v.text);
  if (Array.isArray(v)) return '[' + v.map(canonicalJ).join(',') + ']';
  const keys = Object.keys(v).sort(compareStrings);
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJ(v[k])).join(',') + '}';
}

/** Readable JSON text of a JSON-form value (for failure reasons). */
export function showJ(v: JForm): string {
  if (v === null || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof JNum) return v.text;
  if (Array.isArray(v)) return '[' + v.map(showJ).join(',') + ']';
  const keys = Object.keys(v).sort(compareStrings);
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + showJ(v[k])).join(',') + '}';
}

/** JSON text with numbers exactly as written (for handing data to the engine's JSON parser). */
export function jsonTextOf(x: unknown): string {
  if (x === null || x === undefined) return 'null';
  switch (typeof x) {
    case 'boolean':
      return x ? 'true' : 'false';
    case 'string':
      return JSON.stringify(x);
    case 'bigint':
      return x.toString();
    case 'number':
      if (!Number.isFinite(x)) throw new Error(`non-finite number ${x} in a JSON value`);
      return String(x);
  }
  if (x instanceof JNum) return x.text;
  if (Array.isArray(x)) return '[' + x.map(jsonTextOf).join(',') + ']';
  if (x instanceof Date) return JSON.stringify(x.toISOString());
  if (x instanceof Map) return '{' + [...x].map(([k, v]) => JSON.stringify(String(k)) + ':' + jsonTextOf(v)).join(',') + '}';
  const o = x as Record<string, unknown>;
  return '{' + Object.keys(o).map((k) => JSON.stringify(k) + ':' + jsonTextOf(o[k])).join(',') + '}';
}

// ---------------------------------------------------------------------------------------------
// Case files

export interface TestCase {
  note: string;
  query: string;
  modules: string[];
  data?: unknown;
  input?: unknown;
  input_term?: string;
  want_result?: Record<string, unknown>[];
  want_error_code?: string;
  want_error?: string;
  strict_error?: boolean;
  sort_bindings?: boolean;
  ignore_generated_vars?: boolean;
}

const FLOAT_TEXT = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$/;

/** YAML 1.1 settings, big integers intact, decimals kept as exact text, timestamps kept as strings. */
export const YAML_OPTIONS = {
  version: '1.1' as const,
  intAsBigInt: true,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  customTags: (tags: any[]) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    tags.map((t: any) => {
      if (t.tag === 'tag:yaml.org,2002:float') {
        const orig = t.resolve;
        return { ...t, resolve: (s: string, ...rest: unknown[]) => (FLOAT_TEXT.test(s) && /\d/.test(s) ? new JNum(s) : orig(s, ...rest)) };
      }
      if (t.tag === 'tag:yaml.org,2002:timestamp') return { ...t, resolve: (s: string) => s };
      return t;
    }),
};

/** Parses a YAML document with the runner's settings. */
export function parseYAMLDoc(text: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return YAML.parse(text, YAML_OPTIONS as any);
}

/** Reads a case file's `cases`. */
export function parseCaseFile(text: string): TestCase[] {
  const doc = parseYAMLDoc(text) as { cases?: unknown } | null;
  if (!doc || !Array.isArray(doc.cases)) throw new Error('no `cases` list');
  return doc.cases.map((c: Record<string, unknown>, i: number) => {
    if (c === null || typeof c !== 'object') throw new Error(`case ${i} is not a mapping`);
    return {
      ...c,
      note: String(c.note ?? `case ${i}`),
      query: String(c.query ?? ''),
      modules: Array.isArray(c.modules) ? c.modules.map(String) : [],
    } as TestCase;
  });
}

// ---------------------------------------------------------------------------------------------
// Results

/** One result row in JSON form: variable → value. */
export type Row = Record<string, JForm>;

const GENERATED_VAR = /^__local\d+__$/;

/** Applies `sort_bindings` / `ignore_generated_vars` to a row. */
export function normaliseRow(row: Row, opts: { sortBindings?: boolean; ignoreGeneratedVars?: boolean }): Row {
  const out: Row = {};
  for (const k of Object.keys(row)) {
    if (opts.ignoreGeneratedVars && GENERATED_VAR.test(k)) continue;
    let v = row[k];
    if (opts.sortBindings && Array.isArray(v)) v = [...v].sort(compareJ);
    out[k] = v;
  }
  return out;
}

export interface Comparison {
  ok: boolean;
  reason?: string;
}

/** Compares result rows as sets (OPA's runner), after normalising both sides. */
export function compareResults(
  want: Record<string, unknown>[],
  got: Row[],
  opts: { sortBindings?: boolean; ignoreGeneratedVars?: boolean } = {},
): Comparison {
  const wantRows = want.map((r) => normaliseRow(toJForm(r) as Row, opts));
  const gotRows = got.map((r) => normaliseRow(r, opts));
  const ws = new Map(wantRows.map((r) => [canonicalJ(r), r]));
  const gs = new Map(gotRows.map((r) => [canonicalJ(r), r]));
  const missing = [...ws.keys()].filter((k) => !gs.has(k));
  const extra = [...gs.keys()].filter((k) => !ws.has(k));
  if (missing.length === 0 && extra.length === 0) return { ok: true };
  const show = (rows: Row[]) => (rows.length === 0 ? 'undefined (no rows)' : rows.map(showJ).join(', '));
  let reason = `unexpected result:\n    want: ${show([...ws.values()])}\n    got:  ${show([...gs.values()])}`;
  if (missing.length && extra.length) reason += `\n    missing: ${missing.length} row(s), unexpected: ${extra.length} row(s)`;
  return { ok: false, reason };
}

/** What an error looks like to the comparison (RegoError, RegoErrorList or any JS error). */
export interface ErrorLike {
  code?: string;
  message: string;
  /** OPA's Error() text (`file:row: code: message`), when known. */
  text?: string;
}

/** Checks an evaluation outcome against a case's expectations (OPA's runner rules). */
export function checkOutcome(tc: TestCase, outcome: { rows: Row[] } | { error: ErrorLike }): Comparison {
  const wantsError = tc.want_error_code !== undefined || tc.want_error !== undefined;
  if ('error' in outcome) {
    const e = outcome.error;
    if (!wantsError) return { ok: false, reason: `unexpected error: ${e.text ?? e.message}` };
    if (tc.want_error_code !== undefined && e.code !== tc.want_error_code) {
      return { ok: false, reason: `want error code ${tc.want_error_code}, got ${e.code ?? '(none)'}: ${e.text ?? e.message}` };
    }
    if (tc.want_error !== undefined) {
      const hay = [e.text ?? '', e.message];
      if (!hay.some((h) => h.includes(tc.want_error as string))) {
        return { ok: false, reason: `want error containing ${JSON.stringify(tc.want_error)}, got: ${e.text ?? e.message}` };
      }
    }
    if (tc.want_result !== undefined) return { ok: false, reason: 'case wants both a result and an error' };
    return { ok: true };
  }
  if (wantsError) {
    return { ok: false, reason: `want error ${[tc.want_error_code, tc.want_error && JSON.stringify(tc.want_error)].filter(Boolean).join(' ')}, got ${outcome.rows.length} result row(s)` };
  }
  if (tc.want_result === undefined) return { ok: false, reason: "case has none of 'want_result', 'want_error_code', 'want_error'" };
  return compareResults(tc.want_result, outcome.rows, { sortBindings: tc.sort_bindings, ignoreGeneratedVars: tc.ignore_generated_vars });
}
