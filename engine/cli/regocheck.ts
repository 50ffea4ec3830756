// `bligate rego check [--strict] [--format pretty|json] PATH...`: OPA's `opa check` (cmd/check.go).
//
// Parses every .rego file under the paths (other files are ignored, as `opa check` does) and
// compiles them together. Nothing is printed when all is well (exit 0); otherwise the errors go to
// stderr — pretty: OPA's `N errors occurred:` text with `file:row: code: message` lines; json:
// `{"errors": [{message, code, location, details}]}` — and the exit status is 1.
// --strict adds OPA's strict-mode checks (engine/rego/check/strict.ts), reported at the compile
// stage where OPA reports them: unused imports, shadowing and unused locals/arguments before
// the compiler's own checks, deprecated built-ins after them.

import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadPaths, LoadErrors, splitPrefix } from '../loader/index.ts';
import type { Module } from '../rego/ast.ts';
import { parseOptions, UsageError } from './args.ts';
import { errorText, type OutputError } from './eval.ts';
import { GoStruct, indentJSON, type GoJSON } from './gojson.ts';

export interface RunIO {
  stdout(s: string): void;
  stderr(s: string): void;
}

export const CHECK_USAGE = `Usage:
  bligate rego check [flags] PATH...

Check Rego source files for parse and compilation errors (as \`opa check\` does). Nothing is
printed when the files are correct.

Flags:
  -S, --strict            enable strict mode (unused imports, unused local assignments and
                          function arguments, shadowed input/data, deprecated built-ins)
  -f, --format FORMAT     pretty (default) or json
  -m, --max-errors N      maximum errors to report (default 10; 0 or less: no limit)
  -h, --help              this text

Exit status: 0 when the files are correct; 1 on errors.`;

interface CheckParams {
  paths: string[];
  strict: boolean;
  format: 'pretty' | 'json';
  maxErrors: number;
}

export function parseCheckArgs(argv: string[]): CheckParams | 'help' {
  const p = parseOptions(argv, [
    { name: 'strict', short: 'S' },
    { name: 'format', short: 'f', value: true },
    { name: 'max-errors', short: 'm', value: true },
    { name: 'help', short: 'h' },
  ]);
  if (p.flags.has('help')) return 'help';
  if (p.positional.length === 0) throw new UsageError('specify at least one file');
  const format = p.values.get('format')?.[0] ?? 'pretty';
  if (format !== 'pretty' && format !== 'json') throw new UsageError(`invalid argument "${format}" for "-f, --format" flag: must be one of pretty, json`);
  const me = p.values.get('max-errors')?.[0];
  let maxErrors = 10;
  if (me !== undefined) {
    if (!/^-?\d+$/.test(me)) throw new UsageError(`invalid argument "${me}" for "-m, --max-errors" flag: parse error`);
    maxErrors = Number(me);
  }
  return { paths: p.positional, strict: p.flags.has('strict'), format, maxErrors };
}

/** The .rego files under the paths (directories walked recursively, in name order). */
function regoFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string, top: boolean): void => {
    let st;
    try {
      st = statSync(p);
    } catch {
      if (top) out.push(p); // let the loader report it
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(path.join(p, name), false);
    } else if (top || p.endsWith('.rego')) out.push(p);
  };
  for (const given of paths) {
    const { prefix, path: p } = splitPrefix(given);
    if (prefix.length) out.push(given);
    else walk(p, true);
  }
  return out;
}

interface ErrorLike {
  message: string;
  code?: string;
  location?: { file?: string; row: number; col: number };
  details?: unknown;
}

function toOutput(e: ErrorLike): OutputError {
  const o: OutputError = { message: e.message };
  if (e.code) o.code = e.code;
  if (e.location) o.location = { file: e.location.file ?? '', row: e.location.row, col: e.location.col };
  if (e.details !== undefined && e.details !== null) o.details = e.details;
  return o;
}

function jsonValue(x: unknown): GoJSON {
  if (x === null || x === undefined) return null;
  if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return x;
  if (Array.isArray(x)) return x.map(jsonValue);
  return new GoStruct(Object.entries(x as object).filter(([, v]) => v !== undefined).map(([k, v]) => [k, jsonValue(v)]));
}

function errorsJSON(errs: OutputError[]): string {
  return indentJSON(
    new GoStruct([
      [
        'errors',
        errs.map((e) => {
          const f: [string, GoJSON][] = [['message', e.message]];
          if (e.code) f.push(['code', e.code]);
          if (e.location) f.push(['location', new GoStruct([['file', e.location.file], ['row', e.location.row], ['col', e.location.col]])]);
          if (e.details !== undefined) f.push(['details', jsonValue(e.details)]);
          return new GoStruct(f);
        }),
      ],
    ]),
  );
}

function report(io: RunIO, format: 'pretty' | 'json', errs: OutputError[], loading: boolean): number {
  if (format === 'json') io.stderr(errorsJSON(errs));
  else {
    const what = loading ? ' during loading' : '';
    const text = errs.length === 1 ? `1 error occurred${what}: ${errorText(errs[0])}` : `${errs.length} errors occurred${what}:\n${errs.map(errorText).join('\n')}`;
    io.stderr(text + '\n');
  }
  return 1;
}

function limit(errs: OutputError[], max: number): OutputError[] {
  if (max <= 0 || errs.length <= max) return errs;
  return [...errs.slice(0, max), { code: 'rego_compile_error', message: 'error limit reached' }];
}

function compileErrors(engine: typeof import('../rego/index.ts'), modules: Module[]): ErrorLike[] {
  try {
    engine.compileModules(modules);
  } catch (e) {
    const list = (e as { errors?: ErrorLike[] }).errors;
    if (Array.isArray(list)) return list;
    if ((e as ErrorLike).code) return [e as ErrorLike];
    throw e;
  }
  return [];
}

/**
 * Checks the modules; returns the errors in OPA's order (empty when clean): the checks OPA makes
 * on every v1 module (and, with strict, the early strict-mode checks), else the compiler's errors,
 * else (strict) deprecated built-ins.
 */
export async function checkModules(modules: Module[], strict: boolean): Promise<ErrorLike[]> {
  const engine = await import('../rego/index.ts');
  const { strictChecks, sortErrors } = await import('../rego/check/strict.ts');
  const { defaultBuiltins } = await import('../rego/builtins/index.ts');
  const found = strictChecks(modules, { builtins: defaultBuiltins() });
  const first = strict ? sortErrors([...found.v1, ...found.early]) : found.v1;
  if (first.length) return first;
  const errs = compileErrors(engine, modules);
  if (errs.length) return errs;
  return strict ? found.late : [];
}

/** Runs `bligate rego check ARGS`; returns the exit code. */
export async function run(argv: string[], io: RunIO): Promise<number> {
  let p: CheckParams | 'help';
  try {
    p = parseCheckArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`bligate: rego check: ${e.message}\nRun 'bligate rego check --help' for usage.\n`);
      return 1;
    }
    throw e;
  }
  if (p === 'help') {
    io.stdout(CHECK_USAGE + '\n');
    return 0;
  }
  let modules: Module[];
  try {
    modules = loadPaths(regoFiles(p.paths)).modules;
  } catch (e) {
    if (e instanceof LoadErrors) return report(io, p.format, limit(e.issues.map(toOutput), p.maxErrors), true);
    throw e;
  }
  const errs = await checkModules(modules, p.strict);
  if (errs.length === 0) return 0;
  return report(io, p.format, limit(errs.map(toOutput), p.maxErrors), false);
}
