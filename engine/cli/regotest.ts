// `bligate rego test [PATH...]`: OPA's `opa test` (cmd/test.go, v1/tester/runner.go and
// reporter.go) on our engine.
//
// - Loads .rego, .json and .yaml files as `rego eval -d` does (engine/loader), compiles all modules
//   together, and runs every rule whose name (the last ground part of its head ref up to the first
//   `test_`/`todo_test_` part) starts with `test_`, in any package: the test passes when
//   `data.<pkg>.<name>` is defined and `true` (partial-object tests `test_x[note] if ...` pass
//   when every value is true, with one sub-result per key); `todo_test_` rules are SKIPPED; a test
//   whose evaluation raises an error is ERROR. Several definitions of one test name are renamed
//   `test_x#01`, `test_x#02`, … and run separately, as OPA does.
// - `print` output is captured per test (shown with -v, and base64 in JSON as OPA's []byte).
// - Output: pretty (default), json (OPA's []Result), junit (JUnit XML; OPA itself has no JUnit
//   format, so this is the conventional testsuites/testsuite/testcase schema), or with
//   --coverage OPA's coverage JSON (--threshold N: below it, exit 2).
// - Exit codes as OPA: 0 all passed; 2 when any test failed, errored or was skipped (-z: skips
//   do not count); 1 on load/compile errors, bad flags, an erroring or failing test in
//   --coverage mode, or no tests with --fail-on-empty; 2 when coverage is below --threshold.

import { loadPaths, LoadErrors } from '../loader/index.ts';
import type { Module, Rule, Term } from '../rego/ast.ts';
import { parseOptions, UsageError } from './args.ts';
import { coverageJSON, coverageReport, thresholdErrorText } from './coverage.ts';
import { errorsText, type OutputError } from './eval.ts';
import { GoMap, GoNum, GoStruct, indentJSON, type GoJSON } from './gojson.ts';

export interface RunIO {
  stdout(s: string): void;
  stderr(s: string): void;
}

export const TEST_USAGE = `Usage:
  bligate rego test [flags] PATH...

Execute Rego test cases (as \`opa test\` does): every rule whose name starts with "test_" in the
.rego files found under PATH (data .json/.yaml files are loaded as \`rego eval -d\` loads them).
Rules prefixed "todo_test_" are reported as skipped.

Flags:
  -v, --verbose               per-test results and print() output
  -r, --run REGEX             run only tests whose full name (data.pkg.test_x) matches REGEX
  -f, --format FORMAT         pretty (default), json or junit
  -c, --coverage              report coverage (OPA's coverage JSON; overrides --format)
      --threshold PCT         exit 2 when coverage is below PCT (implies --coverage)
      --timeout DURATION      per-test timeout (default 5s), e.g. 500ms, 10s, 1m
  -z, --exit-zero-on-skipped  skipped tests do not make the exit status non-zero
      --fail-on-empty         exit 1 when no test was run
  -h, --help                  this text

Exit status: 0 when every test passed; 2 when a test failed, errored or was skipped, or coverage
is below the threshold; 1 on load or compile errors and invalid flags.`;

const FORMATS = ['pretty', 'json', 'junit'] as const;
type Format = (typeof FORMATS)[number];

interface TestParams {
  paths: string[];
  verbose: boolean;
  run?: string;
  format: Format;
  coverage: boolean;
  threshold: number;
  timeoutNs: bigint;
  exitZeroOnSkipped: boolean;
  failOnEmpty: boolean;
}

// ---------------------------------------------------------------------------------------------
// Go durations

const UNITS: Record<string, bigint> = { ns: 1n, us: 1_000n, 'µs': 1_000n, 'μs': 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/** Go's time.ParseDuration (e.g. "1.5s", "300ms", "1m30s"; "0" allowed), in nanoseconds. */
export function parseGoDuration(s: string): bigint {
  if (s === '0') return 0n;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let rest = s;
  let neg = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    neg = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '') throw new UsageError(`invalid duration "${s}"`);
  let total = 0n;
  let pos = 0;
  re.lastIndex = 0;
  while (pos < rest.length) {
    re.lastIndex = pos;
    const m = re.exec(rest);
    if (!m) throw new UsageError(rest.slice(pos).match(/^[\d.]+$/) ? `missing unit in duration "${s}"` : `invalid duration "${s}"`);
    const [int, frac = ''] = m[1].split('.');
    const unit = UNITS[m[2]];
    const scale = 10n ** BigInt(frac.length);
    total += (BigInt(int || '0') * scale + BigInt(frac || '0')) * unit / scale;
    pos = re.lastIndex;
  }
  return neg ? -total : total;
}

function fmtFrac(v: bigint, digits: number): string {
  const p = 10n ** BigInt(digits);
  const int = v / p;
  let frac = (v % p).toString().padStart(digits, '0').replace(/0+$/, '');
  return frac ? `${int}.${frac}` : `${int}`;
}

/** Go's time.Duration.String(). */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  const u = neg ? -ns : ns;
  let s: string;
  if (u < 1_000n) s = `${u}ns`;
  else if (u < 1_000_000n) s = fmtFrac(u, 3) + 'µs';
  else if (u < 1_000_000_000n) s = fmtFrac(u, 6) + 'ms';
  else {
    const h = u / 3_600_000_000_000n;
    const m = (u / 60_000_000_000n) % 60n;
    const sec = fmtFrac(u % 60_000_000_000n, 9) + 's';
    s = h > 0n ? `${h}h${m}m${sec}` : m > 0n ? `${m}m${sec}` : sec;
  }
  return neg ? '-' + s : s;
}

// ---------------------------------------------------------------------------------------------
// Arguments

export function parseTestArgs(argv: string[]): TestParams | 'help' {
  const p = parseOptions(argv, [
    { name: 'verbose', short: 'v' },
    { name: 'run', short: 'r', value: true },
    { name: 'format', short: 'f', value: true },
    { name: 'coverage', short: 'c' },
    { name: 'threshold', value: true },
    { name: 'timeout', value: true },
    { name: 'exit-zero-on-skipped', short: 'z' },
    { name: 'fail-on-empty' },
    { name: 'help', short: 'h' },
  ]);
  if (p.flags.has('help')) return 'help';
  if (p.positional.length === 0) throw new UsageError('specify at least one file');
  const format = (p.values.get('format')?.[0] ?? 'pretty') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`invalid argument "${format}" for "-f, --format" flag: must be one of ${FORMATS.join(', ')}`);
  const thr = p.values.get('threshold')?.[0];
  let threshold = 0;
  if (thr !== undefined) {
    threshold = Number(thr);
    if (thr.trim() === '' || Number.isNaN(threshold)) throw new UsageError(`invalid argument "${thr}" for "--threshold" flag: parse error`);
  }
  const to = p.values.get('timeout')?.[0];
  let timeoutNs = to === undefined ? 0n : parseGoDuration(to);
  if (timeoutNs <= 0n) timeoutNs = 5_000_000_000n; // OPA: unset (0) means 5s
  return {
    paths: p.positional,
    verbose: p.flags.has('verbose'),
    run: p.values.get('run')?.[0],
    format,
    coverage: p.flags.has('coverage'),
    threshold,
    timeoutNs,
    exitZeroOnSkipped: p.flags.has('exit-zero-on-skipped'),
    failOnEmpty: p.flags.has('fail-on-empty'),
  };
}

// ---------------------------------------------------------------------------------------------
// Results

interface ResultError {
  code?: string;
  message: string;
  location?: { file: string; row: number; col: number };
  /** Several errors (a query compile failure): marshalled as an array, as ast.Errors. */
  list?: ResultError[];
}

export interface SubResult {
  name: string;
  fail: boolean;
  sub: Map<string, SubResult>;
}

export interface TestResult {
  location: { file: string; row: number; col: number };
  package: string;
  name: string;
  durationNs: bigint;
  fail: boolean;
  skip: boolean;
  error?: ResultError;
  output: string;
  sub: Map<string, SubResult>;
}

const pass = (r: TestResult) => !r.fail && !r.skip && !r.error;
const outcome = (r: TestResult) => (pass(r) ? 'PASS' : r.fail ? 'FAIL' : r.skip ? 'SKIPPED' : 'ERROR');

function resultLine(r: TestResult): string {
  if (r.skip) return `${r.package}.${r.name}: ${outcome(r)}`;
  return `${r.package}.${r.name}: ${outcome(r)} (${formatGoDuration(r.durationNs)})`;
}

function* iterSub(m: Map<string, SubResult>, prefix: string[] = []): Generator<[string[], SubResult]> {
  for (const k of [...m.keys()].sort()) {
    const sr = m.get(k)!;
    const full = [...prefix, k];
    yield [full, sr];
    yield* iterSub(sr.sub, full);
  }
}

function errorString(e: ResultError): string {
  if (e.list) return errorsText(e.list.map(toOutputError));
  const msg = e.code ? `${e.code}: ${e.message}` : e.message;
  if (!e.location) return msg;
  const where = e.location.file ? `${e.location.file}:${e.location.row}` : `${e.location.row}:${e.location.col}`;
  return `${where}: ${msg}`;
}

function toOutputError(e: ResultError): OutputError {
  const o: OutputError = { message: e.message };
  if (e.code) o.code = e.code;
  if (e.location) o.location = e.location;
  return o;
}

function toResultError(e: unknown): ResultError {
  const x = e as { name?: string; code?: string; message?: string; location?: { file?: string; row: number; col: number }; errors?: unknown[] };
  if (x && x.name === 'RegoErrorList' && Array.isArray(x.errors)) {
    const list = x.errors.map(toResultError);
    return list.length === 1 ? list[0] : { message: String(x.message), list };
  }
  if (x && typeof x.code === 'string') {
    const r: ResultError = { code: x.code, message: String(x.message) };
    if (x.location) r.location = { file: x.location.file ?? '', row: x.location.row, col: x.location.col };
    return r;
  }
  return { message: e instanceof Error ? e.message : String(e) };
}

// ---------------------------------------------------------------------------------------------
// Discovery

const VAR_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TEST_PREFIX = 'test_';
const SKIP_PREFIX = 'todo_test_';

function isScalar(t: Term): boolean {
  return t.type === 'string' || t.type === 'number' || t.type === 'boolean' || t.type === 'null';
}

function scalarText(t: Term): string {
  switch (t.type) {
    case 'string':
      return JSON.stringify(t.value);
    case 'number':
      return t.raw;
    case 'boolean':
      return String(t.value);
    default:
      return 'null';
  }
}

/** OPA's Ref.String() for a ground ref whose first term is a var. */
function refString(ref: Term[]): string {
  let s = '';
  ref.forEach((t, i) => {
    if (i === 0) s += t.type === 'var' ? t.name : t.type === 'string' ? t.value : scalarText(t);
    else if (t.type === 'string' && VAR_RE.test(t.value)) s += '.' + t.value;
    else s += `[${scalarText(t)}]`;
  });
  return s;
}

/** `data.a.b` for the package path. */
function packageString(m: Module): string {
  return refString([{ type: 'var', name: 'data', loc: m.package.loc }, ...m.package.path]);
}

/** OPA's ruleName(): the ground head-ref prefix up to the first test_/todo_test_ part, and that name. */
function ruleName(rule: Rule): { name: string; ref: Term[]; full: Term[] } {
  const ground: Term[] = [];
  for (const [i, t] of rule.head.ref.entries()) {
    if (i > 0 && !isScalar(t)) break;
    ground.push(t);
  }
  let n = '';
  const ref: Term[] = [];
  for (const t of ground) {
    ref.push(t);
    n = t.type === 'var' ? t.name : t.type === 'string' ? t.value : '';
    if (n.startsWith(TEST_PREFIX) || n.startsWith(SKIP_PREFIX)) break;
  }
  return { name: n, ref, full: ground };
}

interface TestCase {
  module: Module;
  rule: Rule;
  pkg: string;
  name: string;
  query: string;
  fullName: string;
  skip: boolean;
  partialObject: boolean;
}

/**
 * Finds the test rules and renames duplicate test names (`test_x#01`, …) in the modules' ASTs so
 * that each definition is compiled and run on its own (OPA's rewriteDuplicateTestNames).
 */
export function discoverTests(modules: Module[]): TestCase[] {
  const sorted = [...modules].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const count = new Map<string, number>();
  const out: TestCase[] = [];
  for (const m of sorted) {
    const pkg = packageString(m);
    for (const rule of m.rules) {
      const rn = ruleName(rule);
      let { name, ref } = rn;
      const full = rn.full;
      const isTest = name.startsWith(TEST_PREFIX);
      const isSkip = name.startsWith(SKIP_PREFIX);
      if (!isTest && !isSkip) continue;
      if (isTest) {
        const key = pkg + '.' + refString(ref);
        const k = count.get(key);
        if (k !== undefined) {
          const newName = `${name}#${String(k).padStart(2, '0')}`;
          const last = ref.length - 1;
          const old = ref[last];
          const renamed: Term = old.type === 'var' ? { ...old, name: newName } : { type: 'string', value: newName, loc: old.loc };
          rule.head.ref[last] = renamed;
          for (let e = rule.else; e; e = e.else) if (e.head.ref[last] === old) e.head.ref[last] = renamed;
          ref = [...ref.slice(0, last), renamed];
          name = newName;
        }
        count.set(key, (k ?? 0) + 1);
      }
      if (rule.head.args !== undefined) continue; // functions are not tests
      const refText = refString(ref);
      const fullName = `${pkg}.${refText}`;
      const query =
        pkg +
        ref
          .map((t, i) => {
            const name = i === 0 && t.type === 'var' ? t.name : t.type === 'string' ? t.value : undefined;
            if (name === undefined) return `[${scalarText(t)}]`;
            return VAR_RE.test(name) ? '.' + name : `[${JSON.stringify(name)}]`;
          })
          .join('');
      out.push({
        module: m,
        rule,
        pkg,
        name: refText,
        query,
        fullName,
        skip: isSkip,
        partialObject: !rule.head.contains && full.length < rule.head.ref.length,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Running

function subResults(v: unknown, ObjectValue: typeof import('../rego/value.ts').ObjectValue): { fail: boolean; sub: Map<string, SubResult> } {
  const sub = new Map<string, SubResult>();
  let fail = false;
  if (!(v instanceof ObjectValue)) return { fail: true, sub };
  for (const [k, val] of v.entries()) {
    const name = typeof k === 'string' ? k : JSON.stringify(k);
    let sr: SubResult;
    if (val instanceof ObjectValue) {
      const inner = subResults(val, ObjectValue);
      sr = { name, fail: inner.fail, sub: inner.sub };
    } else sr = { name, fail: val !== true, sub: new Map() };
    if (sr.fail) fail = true;
    sub.set(name, sr);
  }
  return { fail, sub };
}

function durationNs(t0: bigint): bigint {
  return process.hrtime.bigint() - t0;
}

// ---------------------------------------------------------------------------------------------
// Reporters

function prettyReport(results: TestResult[], verbose: boolean): string {
  const out: string[] = [];
  const println = (s = '') => out.push(s + '\n');
  let dirty = false;
  let passN = 0;
  let failN = 0;
  let skipN = 0;
  let errN = 0;
  const failures: TestResult[] = [];
  let lastFile = '';
  for (const tr of results) {
    if (tr.skip) skipN++;
    else if (tr.error) errN++;
    else {
      if (tr.fail) failures.push(tr);
      if (tr.sub.size > 0) {
        for (const [, sr] of iterSub(tr.sub)) if (sr.sub.size === 0) sr.fail ? failN++ : passN++;
      } else if (pass(tr)) passN++;
      else if (tr.fail) failN++;
    }
    if (verbose || !pass(tr)) {
      if (lastFile !== '' && lastFile !== tr.location.file) println();
      println(`${tr.location.file}:${tr.location.row}:`);
      lastFile = tr.location.file;
      dirty = true;
      println(resultLine(tr));
      for (const [full, sr] of iterSub(tr.sub)) {
        if (sr.fail || verbose) println(`  ${'  '.repeat(full.length - 1)}${sr.name}: ${sr.fail ? 'FAIL' : 'PASS'}`);
      }
      if (tr.output.length > 0) {
        println();
        println(
          tr.output
            .trim()
            .split('\n')
            .map((l) => '  ' + l)
            .join('\n'),
        );
        println();
      }
    }
    if (tr.error) println(`  ${errorString(tr.error)}`);
  }
  if (failN > 0 && verbose) {
    println('-'.repeat(80));
    println('FAILURES');
    println('-'.repeat(80));
    for (const f of failures) {
      println(resultLine(f));
      for (const [full, sr] of iterSub(f.sub)) {
        if (sr.fail && sr.sub.size === 0) full.forEach((n, i) => println(`${'  '.repeat(i)}${n}: FAIL`));
      }
      println();
    }
  }
  if (dirty) println('-'.repeat(80));
  const total = passN + failN + skipN + errN;
  if (passN) println(`PASS: ${passN}/${total}`);
  if (failN) println(`FAIL: ${failN}/${total}`);
  if (skipN) println(`SKIPPED: ${skipN}/${total}`);
  if (errN) println(`ERROR: ${errN}/${total}`);
  return out.join('');
}

function errorJSON(e: ResultError): GoJSON {
  if (e.list) return e.list.map(errorJSON);
  const f: [string, GoJSON][] = [];
  if (e.code) f.push(['code', e.code]);
  f.push(['message', e.message]);
  if (e.location) f.push(['location', new GoStruct([['file', e.location.file], ['row', e.location.row], ['col', e.location.col]])]);
  return new GoStruct(f);
}

function subJSON(m: Map<string, SubResult>): GoMap {
  const out = new Map<string, GoJSON>();
  for (const [k, sr] of m) {
    const f: [string, GoJSON][] = [];
    if (sr.sub.size) f.push(['sub_results', subJSON(sr.sub)]);
    if (sr.name) f.push(['name', sr.name]);
    if (sr.fail) f.push(['fail', true]);
    out.set(k, new GoStruct(f));
  }
  return new GoMap(out);
}

/** OPA's JSONReporter: the []*Result array (field order of tester.Result). */
export function jsonReport(results: TestResult[]): string {
  return indentJSON(
    results.map((r) => {
      const f: [string, GoJSON][] = [];
      if (r.error) f.push(['error', errorJSON(r.error)]);
      f.push(['location', new GoStruct([['file', r.location.file], ['row', r.location.row], ['col', r.location.col]])]);
      if (r.sub.size) f.push(['sub_results', subJSON(r.sub)]);
      f.push(['package', r.package]);
      f.push(['name', r.name]);
      if (r.output) f.push(['output', Buffer.from(r.output, 'utf8').toString('base64')]);
      f.push(['duration', new GoNum(r.durationNs.toString())]);
      if (r.fail) f.push(['fail', true]);
      if (r.skip) f.push(['skip', true]);
      return new GoStruct(f);
    }),
  );
}

function xml(s: string): string {
  return s.replace(/[&<>"']|[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : c === "'" ? '&apos;' : '',
  );
}

const seconds = (ns: bigint) => (Number(ns) / 1e9).toFixed(6);

/** JUnit XML: one <testsuite> per package, one <testcase> per test. */
export function junitReport(results: TestResult[], totalNs: bigint): string {
  const byPkg = new Map<string, TestResult[]>();
  for (const r of results) {
    let l = byPkg.get(r.package);
    if (!l) byPkg.set(r.package, (l = []));
    l.push(r);
  }
  const counts = (rs: TestResult[]) => ({
    tests: rs.length,
    failures: rs.filter((r) => r.fail && !r.error).length,
    errors: rs.filter((r) => r.error).length,
    skipped: rs.filter((r) => r.skip).length,
    time: rs.reduce((n, r) => n + r.durationNs, 0n),
  });
  const attrs = (c: ReturnType<typeof counts>) => `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}"`;
  const all = counts(results);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="bligate rego test" ${attrs(all)} time="${seconds(totalNs)}">`];
  for (const [pkg, rs] of byPkg) {
    const c = counts(rs);
    lines.push(`  <testsuite name="${xml(pkg)}" ${attrs(c)} time="${seconds(c.time)}">`);
    for (const r of rs) {
      const open = `    <testcase name="${xml(r.name)}" classname="${xml(pkg)}" file="${xml(r.location.file)}" line="${r.location.row}" time="${seconds(r.durationNs)}"`;
      const inner: string[] = [];
      if (r.skip) inner.push('      <skipped message="todo test"/>');
      else if (r.error) inner.push(`      <error message="${xml(errorString(r.error))}" type="${xml(r.error.code ?? 'error')}">${xml(errorString(r.error))}</error>`);
      else if (r.fail) {
        const failed = [...iterSub(r.sub)].filter(([, sr]) => sr.fail && sr.sub.size === 0).map(([full]) => full.join(' / '));
        const text = failed.length ? `failed sub-tests: ${failed.join(', ')}` : `${r.package}.${r.name} is undefined or not true`;
        inner.push(`      <failure message="FAIL" type="fail">${xml(text)}</failure>`);
      }
      if (r.output) inner.push(`      <system-out>${xml(r.output)}</system-out>`);
      if (inner.length === 0) lines.push(open + '/>');
      else lines.push(open + '>', ...inner, '    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// The command

/** Runs `bligate rego test ARGS`; returns the exit code. */
export async function run(argv: string[], io: RunIO): Promise<number> {
  let p: TestParams | 'help';
  try {
    p = parseTestArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`bligate: rego test: ${e.message}\nRun 'bligate rego test --help' for usage.\n`);
      return 1;
    }
    throw e;
  }
  if (p === 'help') {
    io.stdout(TEST_USAGE + '\n');
    return 0;
  }
  if (!(p.threshold >= 0 && p.threshold <= 100)) {
    io.stderr('Code coverage threshold must be between 0 and 100\n');
    return 1;
  }
  if (p.threshold > 0) p.coverage = true;

  let filter: ((s: string) => boolean) | undefined;
  if (p.run !== undefined && p.run !== '') {
    try {
      const { RE2JS } = await import('re2js');
      const re = RE2JS.compile(p.run);
      filter = (s) => re.matcher(s).find();
    } catch (e) {
      io.stderr(`error parsing regexp: ${(e as Error).message}\n`);
      return 1;
    }
  }

  const engine = await import('../rego/index.ts');
  const { printSink } = await import('../rego/builtins/internal.ts');
  const { ObjectValue } = await import('../rego/value.ts');

  let loaded;
  try {
    loaded = loadPaths(p.paths);
  } catch (e) {
    if (e instanceof LoadErrors) {
      io.stderr(e.message + '\n');
      return 1;
    }
    throw e;
  }

  const tests = discoverTests(loaded.modules);
  let policy;
  try {
    policy = engine.compileModules(loaded.modules, { coverage: p.coverage } as Parameters<typeof engine.compileModules>[1]);
  } catch (e) {
    const errs = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(errs)) {
      io.stderr(errorsText(errs.map((x) => toOutputError(toResultError(x)))) + '\n');
      return 1;
    }
    if ((e as { code?: unknown }).code) {
      io.stderr(errorString(toResultError(e)) + '\n');
      return 1;
    }
    throw e;
  }

  const results: TestResult[] = [];
  const t0all = process.hrtime.bigint();
  for (const tc of tests) {
    if (filter && !filter(tc.fullName)) continue;
    const loc = tc.rule.loc;
    const r: TestResult = {
      location: { file: loc.file || tc.module.file, row: loc.row, col: loc.col },
      package: tc.pkg,
      name: tc.name,
      durationNs: 0n,
      fail: false,
      skip: false,
      output: '',
      sub: new Map(),
    };
    results.push(r);
    if (tc.skip) {
      r.skip = true;
      continue;
    }
    const printed: string[] = [];
    const prevWrite = printSink.write;
    printSink.write = (line: string) => void printed.push(line);
    const t0 = process.hrtime.bigint();
    try {
      const rows = policy.prepare(tc.query).eval({ data: loaded.data });
      r.durationNs = durationNs(t0);
      if (rows.length === 0) r.fail = true;
      else {
        const v = rows[0].expressions[0]?.value;
        if (tc.partialObject) {
          const sr = subResults(v, ObjectValue);
          r.fail = sr.fail;
          r.sub = sr.sub;
        } else r.fail = v !== true;
      }
    } catch (e) {
      r.durationNs = durationNs(t0);
      r.error = toResultError(e);
    } finally {
      printSink.write = prevWrite;
    }
    r.output = printed.length ? printed.join('\n') + '\n' : '';
    if (!r.error && r.durationNs > p.timeoutNs) {
      r.fail = false;
      r.sub = new Map();
      r.error = { code: 'eval_cancel_error', message: 'caller cancelled query execution' };
    }
  }
  const totalNs = process.hrtime.bigint() - t0all;

  let exitCode = 0;
  for (const r of results) if (!pass(r) && !(r.skip && p.exitZeroOnSkipped)) exitCode = 2;

  if (p.coverage) {
    // OPA's JSONCoverageReporter: errors and failures stop the report (exit 1).
    const errored = results.find((r) => r.error);
    if (errored) {
      io.stderr(errorString(errored.error!) + '\n');
      return 1;
    }
    const failures = results.filter((r) => r.fail);
    if (failures.length > 0) {
      io.stdout(prettyReport(failures, p.verbose));
      const f = failures[0];
      let s = resultLine(f) + '\n';
      for (const [full, sr] of iterSub(f.sub)) s += `${'  '.repeat(full.length)}${sr.name}: ${sr.fail ? 'FAIL' : 'PASS'}\n`;
      io.stderr(s + '\n');
      return 1;
    }
    const report = coverageReport(loaded.modules, policy.coverage());
    if (report.coverage < p.threshold) {
      io.stderr(thresholdErrorText(report, p.threshold, p.verbose) + '\n');
      return 2;
    }
    io.stdout(coverageJSON(report));
  } else if (p.format === 'json') io.stdout(jsonReport(results));
  else if (p.format === 'junit') io.stdout(junitReport(results, totalNs));
  else io.stdout(prettyReport(results, p.verbose));

  if (results.length === 0 && p.failOnEmpty) {
    io.stderr('no tests were run\n');
    return 1;
  }
  return exitCode;
}
