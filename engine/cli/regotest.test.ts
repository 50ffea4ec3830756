import { describe, expect, it } from 'vitest';
import { coverageJSON, coverageReport, goFloat, thresholdErrorText, toRanges } from './coverage.ts';
import { formatGoDuration, parseGoDuration, run } from './regotest.ts';

const FX = 'test/fixtures/regotest';

async function rt(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  return { code, out, err };
}

// A minimal XML reader for checking the JUnit output's structure.
interface XEl {
  name: string;
  attrs: Record<string, string>;
  children: XEl[];
  text: string;
}
function parseXML(src: string): XEl {
  const unesc = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const body = src.replace(/^<\?xml[^>]*\?>\s*/, '');
  const root: XEl = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: XEl[] = [root];
  const re = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < body.length) {
    re.lastIndex = pos;
    m = re.exec(body);
    if (!m) throw new Error(`bad XML at ${pos}: ${body.slice(pos, pos + 40)}`);
    pos = re.lastIndex;
    if (m[5] !== undefined) {
      stack[stack.length - 1].text += unesc(m[5]);
      continue;
    }
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      const top = stack.pop()!;
      if (top.name !== name) throw new Error(`mismatched </${name}> (open <${top.name}>)`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([\w:.-]+)="([^"]*)"/g)) attrs[a[1]] = unesc(a[2]);
    const el: XEl = { name, attrs, children: [], text: '' };
    stack[stack.length - 1].children.push(el);
    if (!selfClose) stack.push(el);
  }
  if (stack.length !== 1) throw new Error('unclosed elements');
  expect(root.children.length).toBe(1);
  return root.children[0];
}

describe('go durations', () => {
  it('formats like time.Duration.String', () => {
    expect(formatGoDuration(0n)).toBe('0s');
    expect(formatGoDuration(999n)).toBe('999ns');
    expect(formatGoDuration(1_500n)).toBe('1.5µs');
    expect(formatGoDuration(1_234_567n)).toBe('1.234567ms');
    expect(formatGoDuration(2_500_000_000n)).toBe('2.5s');
    expect(formatGoDuration(90_000_000_000n)).toBe('1m30s');
    expect(formatGoDuration(3_600_000_000_000n)).toBe('1h0m0s');
  });
  it('parses like time.ParseDuration', () => {
    expect(parseGoDuration('5s')).toBe(5_000_000_000n);
    expect(parseGoDuration('1.5ms')).toBe(1_500_000n);
    expect(parseGoDuration('1m30s')).toBe(90_000_000_000n);
    expect(parseGoDuration('0')).toBe(0n);
    expect(() => parseGoDuration('5')).toThrow(/missing unit/);
    expect(() => parseGoDuration('abc')).toThrow(/invalid duration/);
  });
});

describe('rego test: passing suite', () => {
  it('runs every test_ rule, with input, data, function and built-in mocks; exit 0', async () => {
    const r = await rt(`${FX}/pass`);
    expect(r.err).toBe('');
    expect(r.out).toBe('PASS: 6/6\n');
    expect(r.code).toBe(0);
  });

  it('-v prints one line per test and the print() output', async () => {
    const r = await rt('-v', `${FX}/pass`);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    for (const name of ['test_get_allowed', 'test_get_denied', 'test_data_mock', 'test_function_mock', 'test_builtin_mock', 'test_print']) {
      expect(lines.some((l) => new RegExp(`^data\\.authz_test\\.${name}: PASS \\(\\d`).test(l)), name).toBe(true);
    }
    expect(lines).toContain(`${FX}/pass/authz_test.rego:5:`);
    expect(r.out).toContain('\n\n  checking 42\n\n');
    expect(r.out).toMatch(/-{80}\nPASS: 6\/6\n$/);
  });

  it('--run filters on the full test name (RE2 syntax)', async () => {
    const r = await rt('-v', '--run', 'authz_test\\.test_get_', `${FX}/pass`);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/PASS: 2\/2\n$/);
    expect(r.out).not.toContain('test_data_mock');
    const none = await rt('--run', 'nothing_matches', `${FX}/pass`);
    expect(none.out).toBe('');
    expect(none.code).toBe(0);
    const empty = await rt('--run', 'nothing_matches', '--fail-on-empty', `${FX}/pass`);
    expect(empty.err).toBe('no tests were run\n');
    expect(empty.code).toBe(1);
    const bad = await rt('--run', '(', `${FX}/pass`);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/regexp/);
  });
});

describe('rego test: failures, errors, skips', () => {
  it('pretty output lists non-passing tests and the summary; exit 2', async () => {
    const r = await rt(`${FX}/mixed`);
    expect(r.code).toBe(2);
    const out = r.out;
    expect(out).toMatch(/^test\/fixtures\/regotest\/mixed\/lib_test\.rego:5:\ndata\.lib\.test_double_wrong: FAIL \(/);
    expect(out).toMatch(/data\.lib\.test_conflict_error: ERROR \([^)]+\)\n {2}test\/fixtures\/regotest\/mixed\/lib\.rego:6: eval_conflict_error: complete rules must not produce multiple outputs\n/);
    expect(out).toContain('data.lib.todo_test_later: SKIPPED\n');
    expect(out).toMatch(/data\.lib\.test_undefined: FAIL/);
    expect(out).toMatch(/data\.lib\.test_cases: FAIL \([^)]+\)\n {2}three: FAIL\n/);
    expect(out).toMatch(/data\.lib\.test_dup#01: FAIL/);
    expect(out).not.toMatch(/test_double_ok/);
    expect(out).not.toMatch(/data\.lib\.test_dup: /);
    expect(out).toMatch(/-{80}\nPASS: 3\/9\nFAIL: 4\/9\nSKIPPED: 1\/9\nERROR: 1\/9\n$/);
  });

  it('-v adds passing tests, print output of failing tests and the FAILURES section', async () => {
    const r = await rt('-v', `${FX}/mixed`);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/data\.lib\.test_double_ok: PASS/);
    expect(r.out).toMatch(/data\.lib\.test_double_wrong: FAIL \([^)]+\)\n\n {2}double\(2\) is 4\n\n/);
    expect(r.out).toMatch(/ {2}two: PASS\n/);
    expect(r.out).toMatch(/-{80}\nFAILURES\n-{80}\ndata\.lib\.test_double_wrong: FAIL/);
  });

  it('-z: skipped tests alone do not fail the run', async () => {
    const skipOnly = await rt('--run', 'todo_test_later|test_double_ok', `${FX}/mixed`);
    expect(skipOnly.code).toBe(2);
    const z = await rt('-z', '--run', 'todo_test_later|test_double_ok', `${FX}/mixed`);
    expect(z.code).toBe(0);
    expect(z.out).toMatch(/PASS: 1\/2\nSKIPPED: 1\/2\n$/);
  });

  it('--format json gives OPA\'s result array', async () => {
    const r = await rt('--format', 'json', `${FX}/mixed`);
    expect(r.code).toBe(2);
    const arr = JSON.parse(r.out) as Record<string, unknown>[];
    expect(arr.map((x) => x.name)).toEqual(['test_double_ok', 'test_double_wrong', 'test_conflict_error', 'todo_test_later', 'test_undefined', 'test_cases', 'test_dup', 'test_dup#01']);
    for (const x of arr) {
      expect(x.package).toBe('data.lib');
      expect(Object.keys(x.location as object)).toEqual(['file', 'row', 'col']);
      expect((x.location as { file: string }).file).toBe(`${FX}/mixed/lib_test.rego`);
      expect(typeof x.duration).toBe('number');
    }
    const by = Object.fromEntries(arr.map((x) => [x.name as string, x]));
    expect(by.test_double_ok.fail).toBeUndefined();
    expect(by.test_double_ok.error).toBeUndefined();
    expect(by.test_double_wrong.fail).toBe(true);
    expect(Buffer.from(by.test_double_wrong.output as string, 'base64').toString()).toBe('double(2) is 4\n');
    expect(by.test_conflict_error.error).toEqual({
      code: 'eval_conflict_error',
      message: 'complete rules must not produce multiple outputs',
      location: { file: `${FX}/mixed/lib.rego`, row: 6, col: 1 },
    });
    expect(by.todo_test_later.skip).toBe(true);
    expect(by.todo_test_later.duration).toBe(0);
    expect(by.test_cases.sub_results).toEqual({ three: { name: 'three', fail: true }, two: { name: 'two' } });
    expect((by['test_dup#01'].location as { row: number }).row).toBe(24);
  });

  it('--format json on a passing suite', async () => {
    const r = await rt('-f', 'json', `${FX}/pass`);
    expect(r.code).toBe(0);
    const arr = JSON.parse(r.out) as { name: string; fail?: boolean }[];
    expect(arr).toHaveLength(6);
    expect(arr.every((x) => !x.fail)).toBe(true);
  });

  it('--format junit gives well-formed JUnit XML', async () => {
    const r = await rt('--format', 'junit', `${FX}/mixed`);
    expect(r.code).toBe(2);
    expect(r.out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    const root = parseXML(r.out);
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '8', failures: '4', errors: '1', skipped: '1' });
    expect(root.children).toHaveLength(1);
    const suite = root.children[0];
    expect(suite.name).toBe('testsuite');
    expect(suite.attrs).toMatchObject({ name: 'data.lib', tests: '8', failures: '4', errors: '1', skipped: '1' });
    expect(Number(suite.attrs.time)).toBeGreaterThanOrEqual(0);
    const cases = suite.children;
    expect(cases.every((c) => c.name === 'testcase' && c.attrs.classname === 'data.lib' && c.attrs.file === `${FX}/mixed/lib_test.rego`)).toBe(true);
    const by = Object.fromEntries(cases.map((c) => [c.attrs.name, c]));
    expect(by.test_double_ok.children).toEqual([]);
    expect(by.test_double_wrong.children.map((c) => c.name)).toEqual(['failure', 'system-out']);
    expect(by.test_double_wrong.children[1].text).toBe('double(2) is 4\n');
    expect(by.test_conflict_error.children[0].name).toBe('error');
    expect(by.test_conflict_error.children[0].attrs.type).toBe('eval_conflict_error');
    expect(by.todo_test_later.children[0].name).toBe('skipped');
    expect(by.test_cases.children[0].text).toContain('three');
    expect(by['test_dup#01'].attrs.line).toBe('24');
  });

  it('junit on a passing suite', async () => {
    const r = await rt('-f', 'junit', `${FX}/pass`);
    expect(r.code).toBe(0);
    const root = parseXML(r.out);
    expect(root.attrs).toMatchObject({ tests: '6', failures: '0', errors: '0', skipped: '0' });
    expect(root.children.map((s) => s.attrs.name)).toEqual(['data.authz_test']);
  });
});

describe('rego test: coverage', () => {
  it('--coverage prints OPA\'s coverage JSON', async () => {
    const r = await rt('--coverage', `${FX}/cover`);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out);
    expect(Object.keys(rep)).toEqual(['files', 'covered_lines', 'not_covered_lines', 'coverage']);
    const lib = rep.files[`${FX}/cover/lib.rego`];
    expect(lib.covered).toEqual([{ start: { row: 3 }, end: { row: 3 } }]);
    expect(lib.not_covered).toEqual([
      { start: { row: 5 }, end: { row: 5 } },
      { start: { row: 7 }, end: { row: 7 } },
    ]);
    expect(lib.covered_lines).toBe(1);
    expect(lib.not_covered_lines).toBe(2);
    expect(lib.coverage).toBeCloseTo(33.333, 2);
    const t = rep.files[`${FX}/cover/lib_test.rego`];
    expect(t.coverage).toBe(100);
    expect(t.not_covered).toBeUndefined();
    expect(rep.covered_lines).toBe(2);
    expect(rep.not_covered_lines).toBe(2);
    expect(rep.coverage).toBe(50);
  });

  it('--threshold: below it exits 2 with OPA\'s message; at or above it prints the report', async () => {
    const low = await rt('--threshold', '90', `${FX}/cover`);
    expect(low.code).toBe(2);
    expect(low.out).toBe('');
    expect(low.err).toBe('Code coverage threshold not met: got 50.00 instead of 90.00\n');
    const verbose = await rt('--threshold', '90', '-v', `${FX}/cover`);
    expect(verbose.err).toBe(`Code coverage threshold not met: got 50.00 instead of 90.00\nLines not covered:\n\t${FX}/cover/lib.rego:5\n\t${FX}/cover/lib.rego:7\n`);
    const ok = await rt('--threshold', '50', `${FX}/cover`);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).coverage).toBe(50);
    const bad = await rt('--threshold', '101', `${FX}/cover`);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('Code coverage threshold must be between 0 and 100\n');
  });

  it('--coverage with failing or erroring tests exits 1 without a report', async () => {
    const fail = await rt('--coverage', '--run', 'test_double_wrong', `${FX}/mixed`);
    expect(fail.code).toBe(1);
    expect(fail.out).toMatch(/data\.lib\.test_double_wrong: FAIL/);
    expect(fail.err).toMatch(/^data\.lib\.test_double_wrong: FAIL \(/);
    const err = await rt('--coverage', '--run', 'test_conflict_error', `${FX}/mixed`);
    expect(err.code).toBe(1);
    expect(err.err).toMatch(/eval_conflict_error: complete rules must not produce multiple outputs/);
  });

  it('report building matches OPA on a fake engine coverage', () => {
    expect(toRanges([5, 3, 4, 9, 9, 11, 10])).toEqual([
      { start: 3, end: 5 },
      { start: 9, end: 11 },
    ]);
    const rep = coverageReport([], new Map([['a.rego', { covered: new Set([1, 2, 3]), notCovered: new Set([5]) }]]));
    expect(rep.coverage).toBe(75);
    expect(JSON.parse(coverageJSON(rep))).toEqual({
      files: { 'a.rego': { covered: [{ start: { row: 1 }, end: { row: 3 } }], not_covered: [{ start: { row: 5 }, end: { row: 5 } }], covered_lines: 3, not_covered_lines: 1, coverage: 75 } },
      covered_lines: 3,
      not_covered_lines: 1,
      coverage: 75,
    });
    expect(thresholdErrorText(rep, 80, true)).toBe('Code coverage threshold not met: got 75.00 instead of 80.00\nLines not covered:\n\ta.rego:5');
    expect(goFloat(66.66666666666667).text).toBe('66.66666666666667');
    expect(goFloat(100).text).toBe('100');
    const empty = JSON.parse(coverageJSON(coverageReport([], new Map())));
    expect(empty).toEqual({ files: {}, covered_lines: 0, not_covered_lines: 0, coverage: 0 });
  });
});

describe('rego test: errors and usage', () => {
  it('no path, bad flags: exit 1 with a message', async () => {
    expect((await rt()).code).toBe(1);
    expect((await rt()).err).toMatch(/specify at least one file/);
    expect((await rt('--bogus', FX)).code).toBe(1);
    expect((await rt('-f', 'xml', FX)).err).toMatch(/invalid argument "xml"/);
    expect((await rt('--timeout', '5', FX)).err).toMatch(/missing unit/);
  });
  it('--help', async () => {
    const r = await rt('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage:\n {2}bligate rego test/);
  });
  it('load and compile errors exit 1', async () => {
    const load = await rt(`${FX}/check/parse`);
    expect(load.code).toBe(1);
    expect(load.err).toMatch(/rego_parse_error/);
    const comp = await rt(`${FX}/check/compile`);
    expect(comp.code).toBe(1);
    expect(comp.err).toBe(
      `2 errors occurred:\n${FX}/check/compile/unsafe.rego:4: rego_unsafe_var_error: var x is unsafe\n${FX}/check/compile/unsafe.rego:8: rego_unsafe_var_error: var y is unsafe\n`,
    );
    const missing = await rt(`${FX}/does-not-exist`);
    expect(missing.code).toBe(1);
  });
  it('a test slower than --timeout is an ERROR (eval_cancel_error)', async () => {
    const r = await rt('--timeout', '1ns', '-f', 'json', '--run', 'test_double_ok', `${FX}/mixed`);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)[0].error).toEqual({ code: 'eval_cancel_error', message: 'caller cancelled query execution' });
  });
});
