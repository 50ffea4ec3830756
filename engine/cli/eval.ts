// `bligate rego eval`: OPA's `opa eval` (v1/cmd/eval.go, internal/presentation) for our engine.
//
// Output and exit codes follow OPA: JSON results `{"result": [...]}` (`{}` when undefined),
// errors `{"errors": [...]}` on stdout for --format json (on stderr as text for the other
// formats); exit 0, or 2 on any error, or 1 with --fail when the result is undefined and with
// --fail-defined when it is defined.

import { readFileSync } from 'node:fs';
import type { Value } from '../rego/value.ts';
import { LoadErrors, loadPaths, type LoadIssue } from '../loader/index.ts';
import type { EvalParams } from './eval-args.ts';
import { compactJSON, fromValue, GoMap, GoNum, GoStruct, indentJSON, type GoJSON } from './gojson.ts';
import { arityLookup, captureQuery, type Capture } from './capture.ts';
import { renderTable } from './table.ts';

/** An error that is printed as one plain line on stderr (OPA prints such errors as text). */
export class PlainError extends Error {}

interface Out {
  stdout(s: string): void;
  stderr(s: string): void;
}

interface ResultRow {
  expressions: { value: Value; text: string; location: { row: number; col: number } }[];
  bindings: Map<string, Value>;
}

/** An error in OPA's structured form. */
export interface OutputError {
  message: string;
  code?: string;
  location?: { file: string; row: number; col: number };
  details?: unknown;
}

function toOutputErrors(e: unknown): OutputError[] | undefined {
  if (e instanceof LoadErrors) return e.issues.map(fromIssue);
  const name = (e as { name?: string } | null)?.name;
  if (name === 'RegoErrorList') return ((e as { errors: LoadIssue[] }).errors ?? []).map(fromIssue);
  if (name === 'RegoError') return [fromIssue(e as LoadIssue)];
  return undefined;
}

function fromIssue(i: LoadIssue): OutputError {
  const o: OutputError = { message: i.message };
  if (i.code) o.code = i.code;
  if (i.location) o.location = { file: i.location.file ?? '', row: i.location.row, col: i.location.col };
  if (i.details !== undefined && i.details !== null) o.details = i.details;
  return o;
}

/** Generic JS → Go JSON (objects keep their key order, like Go structs). */
function fromJS(x: unknown): GoJSON {
  if (x === null || x === undefined) return null;
  if (typeof x === 'boolean' || typeof x === 'string' || typeof x === 'number') return x;
  if (typeof x === 'bigint') return new GoNum(x.toString());
  if (Array.isArray(x)) return x.map(fromJS);
  if (x instanceof Map) return new GoMap(new Map([...x].map(([k, v]) => [String(k), fromJS(v)])));
  return new GoStruct(Object.entries(x as object).filter(([, v]) => v !== undefined).map(([k, v]) => [k, fromJS(v)]));
}

function errorsJSON(errs: OutputError[]): GoJSON {
  return new GoStruct([
    [
      'errors',
      errs.map((e) => {
        const f: [string, GoJSON][] = [['message', e.message]];
        if (e.code) f.push(['code', e.code]);
        if (e.location) f.push(['location', new GoStruct([['file', e.location.file], ['row', e.location.row], ['col', e.location.col]])]);
        if (e.details !== undefined) f.push(['details', fromJS(e.details)]);
        return new GoStruct(f);
      }),
    ],
  ]);
}

/** OPA's text of one error (`file:row: code: message`, details lines indented by a tab). */
export function errorText(e: OutputError): string {
  let msg = e.code ? `${e.code}: ${e.message}` : e.message;
  if (e.code && e.location) {
    const where = e.location.file ? `${e.location.file}:${e.location.row}` : `${e.location.row}:${e.location.col}`;
    msg = `${where}: ${msg}`;
  }
  const d = e.details as { line?: unknown; idx?: unknown } | undefined;
  if (d && typeof d.line === 'string' && typeof d.idx === 'number') {
    const line = d.line.replace(/^\t+/, '');
    const indent = Math.max(0, d.idx - (d.line.length - line.length));
    msg += `\n\t${line}\n\t${' '.repeat(indent)}^`;
  }
  return msg;
}

/** OPA's OutputErrors.Error(). */
export function errorsText(errs: OutputError[]): string {
  if (errs.length === 1) return `1 error occurred: ${errorText(errs[0])}`;
  return `${errs.length} errors occurred:\n${errs.map(errorText).join('\n')}`;
}

function resultJSON(rows: ResultRow[]): GoJSON {
  if (rows.length === 0) return new GoStruct([]);
  return new GoStruct([
    [
      'result',
      rows.map((r) => {
        const f: [string, GoJSON][] = [
          [
            'expressions',
            r.expressions.map(
              (x) =>
                new GoStruct([
                  ['value', fromValue(x.value)],
                  ['text', x.text],
                  ['location', new GoStruct([['row', x.location.row], ['col', x.location.col]])],
                ]),
            ),
          ],
        ];
        if (r.bindings.size > 0) f.push(['bindings', bindingsJSON(r)]);
        return new GoStruct(f);
      }),
    ],
  ]);
}

function bindingsJSON(r: ResultRow): GoMap {
  return new GoMap(new Map([...r.bindings].map(([k, v]) => [k, fromValue(v)])));
}

const PRETTY_LIMIT = 80;

/** OPA's pretty format: a lone value as indented JSON, else a table; "undefined" when empty. */
export function prettyText(rows: ResultRow[]): string {
  if (rows.length === 0) return 'undefined\n';
  const first = rows[0];
  if (rows.length === 1 && first.bindings.size === 0) {
    if (first.expressions.length === 1 || first.expressions.every((x) => typeof x.value === 'boolean')) {
      return indentJSON(fromValue(first.expressions[0].value));
    }
  }
  type Key = { varName?: string; index: number; text: string };
  const keys: Key[] = [...first.bindings.keys()].sort().map((k) => ({ varName: k, index: -1, text: k }));
  first.expressions.forEach((x, index) => {
    if (typeof x.value !== 'boolean' || first.bindings.size === 0) keys.push({ index, text: x.text });
  });
  const cell = (v: Value | undefined) => {
    const s = v === undefined ? 'null' : compactJSON(fromValue(v));
    return s.length > PRETTY_LIMIT ? s.slice(0, PRETTY_LIMIT) + '...' : s;
  };
  const body = rows.map((r) => keys.map((k) => cell(k.varName !== undefined ? r.bindings.get(k.varName) : r.expressions[k.index]?.value)));
  return renderTable(
    keys.map((k) => k.text),
    body,
  );
}

function readInput(p: EvalParams, json: typeof import('../rego/json.ts')): Value | undefined {
  let text: string;
  let name: string;
  if (p.stdinInput) {
    name = '<stdin>';
    try {
      text = readFileSync(0, 'utf8');
    } catch (e) {
      throw new PlainError(`read stdin: ${(e as Error).message}`);
    }
  } else if (p.input !== undefined) {
    name = p.input;
    try {
      text = readFileSync(p.input, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new PlainError(`open ${p.input}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
    }
  } else return undefined;
  // OPA's util.Unmarshal: JSON if the text is valid JSON, else YAML.
  try {
    return json.parseJSON(text, name);
  } catch {
    try {
      return json.parseYAML(text, name);
    } catch (e) {
      throw new PlainError(`unable to parse input: ${(e as Error).message.split('\n')[0]}`);
    }
  }
}

/** Result rows as OPA reports them: captured values as expression values, generated parts dropped. */
export function uncapture(rows: readonly ResultRow[], cap: Capture): ResultRow[] {
  const hidden = new Set(cap.captures.filter((c): c is string => c !== undefined));
  return rows.map((r) => ({
    expressions: r.expressions.slice(0, cap.original).map((x, i) => {
      const c = cap.captures[i];
      return c === undefined ? { ...x, value: true } : { ...x, value: r.bindings.get(c) ?? x.value };
    }),
    bindings: new Map([...r.bindings].filter(([k]) => !hidden.has(k))),
  }));
}

/** Runs `rego eval`; returns the exit code. */
export async function runEval(p: EvalParams, out: Out): Promise<number> {
  const engine = await import('../rego/index.ts');
  const json = await import('../rego/json.ts');

  let rows: ResultRow[];
  try {
    const input = readInput(p, json);
    const loaded = loadPaths(p.data);
    const compiled = engine.compileModules(loaded.modules);
    // Capture expression values as OPA's rego package does (see capture.ts).
    const { defaultBuiltins } = await import('../rego/builtins/index.ts');
    const cap = captureQuery(engine.parseQuery(p.query, ''), arityLookup(defaultBuiltins(), loaded.modules));
    const pq = compiled.prepare(cap.query);
    rows = uncapture(pq.eval({ input, data: loaded.data, strictBuiltinErrors: p.strictBuiltinErrors }), cap);
  } catch (e) {
    if (e instanceof PlainError) {
      out.stderr(e.message + '\n');
      return 2;
    }
    const errs = toOutputErrors(e);
    if (!errs) throw e;
    if (p.format === 'json') out.stdout(indentJSON(errorsJSON(errs)));
    else out.stderr(errorsText(errs) + '\n');
    return 2;
  }

  switch (p.format) {
    case 'json':
      out.stdout(indentJSON(resultJSON(rows)));
      break;
    case 'pretty':
      out.stdout(prettyText(rows));
      break;
    case 'values':
      for (const r of rows) out.stdout(indentJSON(r.expressions.map((x) => fromValue(x.value))));
      break;
    case 'bindings':
      for (const r of rows) out.stdout(indentJSON(bindingsJSON(r)));
      break;
    case 'raw':
      for (const r of rows) out.stdout(r.expressions.map((x) => (typeof x.value === 'string' ? x.value : compactJSON(fromValue(x.value)))).join(' ') + '\n');
      break;
  }
  const defined = rows.length > 0;
  if ((p.fail && !defined) || (p.failDefined && defined)) return 1;
  return 0;
}
