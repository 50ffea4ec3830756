import { describe, expect, it } from 'vitest';
import { parseModule } from '../rego/index.ts';
import { defaultBuiltins } from '../rego/builtins/index.ts';
import { checkStrict } from '../rego/check/strict.ts';
import { run } from './regocheck.ts';

const FX = 'test/fixtures/regotest/check';

async function rc(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  return { code, out, err };
}

/** Strict findings of one module as `row: code: message` lines. */
function strict(src: string): string[] {
  const m = parseModule(src, 'test.rego');
  return checkStrict([m], { builtins: defaultBuiltins() }).map((e) => `${e.location?.row}: ${e.code}: ${e.message}`);
}

describe('rego check', () => {
  it('clean files: no output, exit 0 (strict too)', async () => {
    for (const args of [[`${FX}/clean`], ['--strict', `${FX}/clean`], ['-S', '-f', 'json', `${FX}/clean`]]) {
      const r = await rc(...args);
      expect(r).toEqual({ code: 0, out: '', err: '' });
    }
  });

  it('parse errors: OPA\'s text and JSON on stderr, exit 1', async () => {
    const r = await rc(`${FX}/parse`);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^1 error occurred during loading: test\/fixtures\/regotest\/check\/parse\/bad\.rego:4: rego_parse_error: /);
    const j = await rc('--format', 'json', `${FX}/parse`);
    expect(j.code).toBe(1);
    const doc = JSON.parse(j.err);
    expect(doc.errors).toHaveLength(1);
    expect(doc.errors[0]).toMatchObject({ code: 'rego_parse_error', location: { file: `${FX}/parse/bad.rego`, row: 4 } });
    expect(Object.keys(doc.errors[0]).slice(0, 3)).toEqual(['message', 'code', 'location']);
  });

  it('compile errors: `N errors occurred:` with file:row: code: message lines', async () => {
    const r = await rc(`${FX}/compile`);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`2 errors occurred:\n${FX}/compile/unsafe.rego:4: rego_unsafe_var_error: var x is unsafe\n${FX}/compile/unsafe.rego:8: rego_unsafe_var_error: var y is unsafe\n`);
    const j = await rc('-f', 'json', `${FX}/compile`);
    expect(JSON.parse(j.err)).toEqual({
      errors: [
        { message: 'var x is unsafe', code: 'rego_unsafe_var_error', location: { file: `${FX}/compile/unsafe.rego`, row: 4, col: 2 } },
        { message: 'var y is unsafe', code: 'rego_unsafe_var_error', location: { file: `${FX}/compile/unsafe.rego`, row: 8, col: 2 } },
      ],
    });
  });

  it('--max-errors limits the errors and adds "error limit reached"', async () => {
    const r = await rc('-m', '1', `${FX}/compile`);
    expect(r.err).toBe(`2 errors occurred:\n${FX}/compile/unsafe.rego:4: rego_unsafe_var_error: var x is unsafe\nrego_compile_error: error limit reached\n`);
  });

  it('--strict reports OPA\'s strict-mode findings', async () => {
    const r = await rc('--strict', `${FX}/strict`);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      [
        '5 errors occurred:',
        `${FX}/strict/policy.rego:3: rego_compile_error: import data.foo unused`,
        `${FX}/strict/policy.rego:8: rego_compile_error: assigned var x unused`,
        `${FX}/strict/policy.rego:12: rego_compile_error: unused argument b. (hint: use _ (wildcard variable) instead)`,
        `${FX}/strict/policy.rego:23: rego_compile_error: args must not shadow input (use a different variable name)`,
        `${FX}/strict/policy.rego:25: rego_compile_error: assigned var tmp unused`,
        '',
      ].join('\n'),
    );
    // Without --strict only the checks OPA applies to every v1 module remain.
    const plain = await rc(`${FX}/strict`);
    expect(plain.code).toBe(1);
    expect(plain.err).toBe(`1 error occurred: ${FX}/strict/policy.rego:23: rego_compile_error: args must not shadow input (use a different variable name)\n`);
  });

  it('--strict: deprecated built-ins (rego_type_error), user functions of the same name excepted', async () => {
    const r = await rc('--strict', `${FX}/deprecated`);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `2 errors occurred:\n${FX}/deprecated/dep.rego:3: rego_type_error: deprecated built-in function calls in expression: any\n${FX}/deprecated/dep.rego:6: rego_type_error: deprecated built-in function calls in expression: re_match\n`,
    );
    const j = await rc('--strict', '-f', 'json', `${FX}/deprecated`);
    expect(JSON.parse(j.err).errors[0]).toEqual({
      message: 'deprecated built-in function calls in expression: any',
      code: 'rego_type_error',
      location: { file: `${FX}/deprecated/dep.rego`, row: 3, col: 6 },
    });
    expect((await rc(`${FX}/deprecated`)).code).toBe(0);
  });

  it('usage', async () => {
    expect((await rc()).code).toBe(1);
    expect((await rc()).err).toMatch(/specify at least one file/);
    expect((await rc('-f', 'yaml', FX)).code).toBe(1);
    expect((await rc('--help')).out).toMatch(/bligate rego check/);
  });
});

describe('strict-mode analysis (OPA\'s compile_test cases)', () => {
  it('unused imports', () => {
    expect(strict('package p\nimport data.foo.bar as bar\nr if {\n\tinput.bar == 11\n}\n')).toEqual(['2: rego_compile_error: import data.foo.bar as bar unused']);
    expect(strict('package p\nimport data.foo\nr if { data.foo == 10 }\n')).toEqual(['2: rego_compile_error: import data.foo unused']);
    expect(strict('package p\nimport data.foo\nimport data.x.power\nr if { foo == 10 }\n')).toEqual(['3: rego_compile_error: import data.x.power unused']);
    expect(strict('package p\nimport data.foo.x\nimport data.power.ranger\nr if { ranger == x }\n')).toEqual([]);
    expect(strict('package p\nimport data.foo\nr := count(foo) > 1\n')).toEqual([]);
    expect(strict('package p\nimport data.foo\nr := sprintf("%v %d", [foo, 0])\n')).toEqual([]);
    expect(strict('package p\nimport data.foo\nr if {\n\tevery x in foo { x > 1 }\n}\n')).toEqual([]);
    expect(strict('package p\nimport data.foo\nr if {\n\tevery x in [1,2,3] { x > foo }\n}\n')).toEqual([]);
    expect(strict('package p\nimport future.keywords\nimport rego.v1\nr := true\n')).toEqual([]);
    expect(strict('package p\nimport data.foo\nr if { f(1) }\nf(foo) := foo == 1\n')).toEqual(['2: rego_compile_error: import data.foo unused']);
    expect(strict('package p\nimport data.foo\nr if { foo := true; foo }\n')).toEqual(['2: rego_compile_error: import data.foo unused']);
    expect(strict('package p\nimport data.bar\nimport data.foo\nr := foo\n')).toEqual(['2: rego_compile_error: import data.bar unused']);
    expect(strict('package p\nimport data.lib\nr if lib.f(1)\n')).toEqual([]);
  });

  it('duplicate imports', () => {
    expect(strict('package test\nimport input.noconflict\nimport input.foo\nimport data.foo\nimport data.bar.foo\np := noconflict\nq := foo\n')).toEqual([
      '4: rego_compile_error: import must not shadow import input.foo',
      '5: rego_compile_error: import must not shadow import input.foo',
    ]);
    expect(strict('package test\nimport input.foo\nimport input.bar as foo\nq := foo\n')).toEqual(['3: rego_compile_error: import must not shadow import input.foo']);
  });

  it('input/data shadowing', () => {
    expect(strict('package test\ninput if { true }\np if { true }\ndata if { true }\n')).toEqual([
      '2: rego_compile_error: rules must not shadow input (use a different rule name)',
      '4: rego_compile_error: rules must not shadow data (use a different rule name)',
    ]);
    expect(strict('package test\np if {\n\tinput := 1\n\tinput == 1\n}\nq := [x | data := 3; x := data]\n')).toEqual([
      '3: rego_compile_error: variables must not shadow input (use a different variable name)',
      '6: rego_compile_error: variables must not shadow data (use a different variable name)',
    ]);
  });

  it('unused assignments and arguments', () => {
    expect(strict('package play\n\np if {\n\tx := 1\n}\n')).toEqual(['4: rego_compile_error: assigned var x unused']);
    expect(strict('package p\np := y if {\n\ty := 1\n}\nq if {\n\tx := 1\n\t[a | a := x]\n}\n')).toEqual([]);
    expect(strict('package p\nq := [1 | z := 2]\n')).toEqual(['2: rego_compile_error: assigned var z unused']);
    expect(strict('package p\nq if {\n\t[a, b] := [1, 2]\n\ta > 0\n}\n')).toEqual(['3: rego_compile_error: assigned var b unused']);
    expect(strict('package p\nq if {\n\tevery x in [1] { y := x }\n}\n')).toEqual(['3: rego_compile_error: assigned var y unused']);
    expect(strict('package p\nf(x, y) := x\n')).toEqual(['2: rego_compile_error: unused argument y. (hint: use _ (wildcard variable) instead)']);
    expect(strict('package p\nf(x, _) := x\ng([a, b]) := a + b\n')).toEqual([]);
    // An argument used by any branch of an else chain counts as used (OPA #5758).
    expect(strict('package p\nf(x, y) := 1 if { x > y } else := 2\n')).toEqual([]);
    expect(strict('package p\nf(x) := y if { y := x }\n')).toEqual([]);
  });

  it('deprecated built-ins', () => {
    expect(strict('package test\np := all([true, false])\n')).toEqual(['2: rego_type_error: deprecated built-in function calls in expression: all']);
    expect(strict('package test\nany(arr) := true in arr\np := any([true, false])\n')).toEqual([]);
    expect(strict('package test\np if {\n\tx := cast_string(1)\n\tx\n}\n')).toEqual(['3: rego_type_error: deprecated built-in function calls in expression: cast_string']);
  });
});
