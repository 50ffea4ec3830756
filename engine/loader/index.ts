// Loads policies and data from files and directories, as OPA's loader does (v1/loader/loader.go)
// for `opa eval -d PATH`:
//
// - A directory is walked recursively (entries in name order). Every `.rego` file is a module;
//   every `.json`, `.yaml` and `.yml` file (any name, not only data.json) is a data document.
//   Other files inside a directory are skipped; a file named directly on the command line with
//   another extension is tried as Rego, then JSON, then YAML ("can't recognize file type").
// - A data document is merged under `data` at the path of its directory relative to the path
//   given (`-d dir` with dir/a/b/x.json → data.a.b); a document at the top (a file given
//   directly, or directly inside the given directory) must be an object.
// - `-d a.b:PATH` loads PATH's content under data.a.b.
// - Merging is recursive over objects; any other overlap is a conflict (an error naming both
//   files), even between equal values (OPA's merge.InterfaceMaps).
// - Module file names (in error locations) are the paths as given, joined with the names found
//   in directories.
// - All errors are collected, then thrown together as a LoadErrors.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { Module } from '../rego/ast.ts';
import type { ErrorLocation } from '../rego/errors.ts';
import { parseJSON, parseYAML } from '../rego/json.ts';
import { parseModule } from '../rego/parser.ts';
import { ObjectValue, type Value } from '../rego/value.ts';
import { findJSONSyntaxError } from './jsonpos.ts';

/** One loading problem: a RegoError (parse errors keep their code) or a plain message. */
export interface LoadIssue {
  message: string;
  code?: string;
  location?: ErrorLocation;
  details?: unknown;
}

export class LoadErrors extends Error {
  readonly issues: LoadIssue[];
  constructor(issues: LoadIssue[]) {
    super(
      issues.length === 1
        ? `1 error occurred during loading: ${issueText(issues[0])}`
        : `${issues.length} errors occurred during loading:\n${issues.map(issueText).join('\n')}`,
    );
    this.name = 'LoadErrors';
    this.issues = issues;
  }
}

/** OPA's one-line text of an issue (`file:row: code: message` for Rego errors). */
export function issueText(i: LoadIssue): string {
  if (!i.code) return i.message;
  const loc = i.location;
  const where = loc ? (loc.file ? `${loc.file}:${loc.row}: ` : `${loc.row}:${loc.col}: `) : '';
  return `${where}${i.code}: ${i.message}`;
}

export interface LoadResult {
  modules: Module[];
  /** The base document (all data files merged). */
  data: ObjectValue;
  /** The data files read, in load order. */
  dataFiles: string[];
}

type Kind = 'rego' | 'json' | 'yaml';

function kindOf(file: string): Kind | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.rego') return 'rego';
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return undefined;
}

/** `a.b:path` → prefix ["a","b"], path (as OPA's SplitPrefix; URLs are left alone). */
export function splitPrefix(p: string): { prefix: string[]; path: string } {
  if (p.indexOf('://') === p.indexOf(':')) return { prefix: [], path: p };
  const i = p.indexOf(':');
  if (i > 0) return { prefix: p.slice(0, i).split('.'), path: p.slice(i + 1) };
  return { prefix: [], path: p };
}

function fileURLPath(p: string): string {
  if (!p.includes('://')) return p;
  let u: URL;
  try {
    u = new URL(p);
  } catch {
    throw new Error(`invalid URL: ${p}`);
  }
  if (u.protocol !== 'file:') throw new Error(`unsupported URL scheme: ${p}`);
  return decodeURIComponent(u.pathname);
}

// ---------------------------------------------------------------------------------------------
// Data merging (kept mutable while loading, with the file each part came from)

interface Leaf {
  kind: 'leaf';
  value: Value;
  file: string;
}
interface Dir {
  kind: 'dir';
  entries: Map<string, Node>;
  file: string; // the first file that created this object
}
type Node = Leaf | Dir;

function toNode(v: Value, file: string): Node {
  if (v instanceof ObjectValue) {
    const entries = new Map<string, Node>();
    let allStrings = true;
    for (const [k] of v.entries()) if (typeof k !== 'string') allStrings = false;
    if (!allStrings) return { kind: 'leaf', value: v, file };
    for (const [k, val] of v.entries()) entries.set(k as string, toNode(val, file));
    return { kind: 'dir', entries, file };
  }
  return { kind: 'leaf', value: v, file };
}

function fromNode(n: Node): Value {
  if (n.kind === 'leaf') return n.value;
  const o = new ObjectValue();
  for (const [k, v] of n.entries) o.set(k, fromNode(v));
  return o;
}

function refText(keys: string[]): string {
  return ['data', ...keys].map((k, i) => (i === 0 ? k : /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`)).join('');
}

/** The first conflict between `into` and `add`, or null. */
function findConflict(into: Dir, add: Dir, at: string[]): { at: string[]; other: string } | null {
  for (const [k, v] of add.entries) {
    const cur = into.entries.get(k);
    if (cur === undefined) continue;
    if (cur.kind === 'dir' && v.kind === 'dir') {
      const c = findConflict(cur, v, [...at, k]);
      if (c) return c;
    } else {
      return { at: [...at, k], other: cur.file };
    }
  }
  return null;
}

function mergeInto(into: Dir, add: Dir): void {
  for (const [k, v] of add.entries) {
    const cur = into.entries.get(k);
    if (cur === undefined) into.entries.set(k, v);
    else mergeInto(cur as Dir, v as Dir);
  }
}

// ---------------------------------------------------------------------------------------------

class Loader {
  readonly modules = new Map<string, Module>();
  readonly root: Dir = { kind: 'dir', entries: new Map(), file: '' };
  readonly issues: LoadIssue[] = [];
  readonly dataFiles: string[] = [];

  walk(p: string, parent: string[], depth: number): void {
    let info;
    try {
      info = statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.issues.push({ message: code === 'ENOENT' ? `stat ${p}: no such file or directory` : `stat ${p}: ${(e as Error).message}` });
      return;
    }
    if (!info.isDirectory()) {
      this.loadFile(p, parent, depth);
      return;
    }
    const here = depth > 0 ? [...parent, path.basename(p)] : parent;
    let names: string[];
    try {
      names = readdirSync(p);
    } catch (e) {
      this.issues.push({ message: `${p}: ${(e as Error).message}` });
      return;
    }
    names.sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
    for (const name of names) this.walk(path.join(p, name), here, depth + 1);
  }

  loadFile(file: string, parent: string[], depth: number): void {
    const kind = kindOf(file);
    if (kind === undefined && depth > 0) return; // other files inside directories are skipped
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      this.issues.push({ message: `open ${file}: ${(e as Error).message}` });
      return;
    }
    if (kind === 'rego') return this.loadRego(file, text);
    if (kind === 'json') return this.loadData(file, text, parent, 'json');
    if (kind === 'yaml') return this.loadData(file, text, parent, 'yaml');
    // A file named directly with an unknown extension: Rego, else JSON, else YAML.
    const asRego = tryParse(() => parseModule(text, file));
    if (asRego.ok) return void this.modules.set(file, asRego.value);
    const asJSON = tryParse(() => parseJSON(text, file));
    if (asJSON.ok) return this.mergeDocument(file, asJSON.value, parent);
    const asYAML = tryParse(() => parseYAML(text, file));
    if (asYAML.ok) return this.mergeDocument(file, asYAML.value, parent);
    this.issues.push({ message: `${file}: can't recognize file type` });
  }

  loadRego(file: string, text: string): void {
    try {
      this.modules.set(file, parseModule(text, file));
    } catch (e) {
      this.issues.push(...regoIssues(e, file));
    }
  }

  loadData(file: string, text: string, parent: string[], kind: 'json' | 'yaml'): void {
    let value: Value;
    try {
      value = kind === 'json' ? parseJSON(text, file) : parseYAML(text, file);
    } catch (e) {
      this.issues.push(kind === 'json' ? jsonIssue(e, file, text) : yamlIssue(e, file, text));
      return;
    }
    this.mergeDocument(file, value, parent);
  }

  mergeDocument(file: string, value: Value, parent: string[]): void {
    this.dataFiles.push(file);
    if (parent.length === 0 && !(value instanceof ObjectValue)) {
      this.issues.push({ message: `${file}: document must be of type object` });
      return;
    }
    // Wrap the document in objects for its directory path.
    let node: Node = toNode(value, file);
    for (let i = parent.length - 1; i >= 0; i--) node = { kind: 'dir', entries: new Map([[parent[i], node]]), file };
    if (node.kind !== 'dir') {
      this.issues.push({ message: `${file}: document must be of type object` });
      return;
    }
    const conflict = findConflict(this.root, node, []);
    if (conflict) {
      this.issues.push({ message: `${file}: merge error: ${refText(conflict.at)} is also defined by ${conflict.other}` });
      return;
    }
    mergeInto(this.root, node);
  }
}

function tryParse<T>(f: () => T): { ok: true; value: T } | { ok: false } {
  try {
    return { ok: true, value: f() };
  } catch {
    return { ok: false };
  }
}

function regoIssues(e: unknown, file: string): LoadIssue[] {
  const list = (e as { errors?: unknown })?.errors;
  if (Array.isArray(list)) return list.map((x) => issueOf(x, file));
  return [issueOf(e, file)];
}

function issueOf(e: unknown, file: string): LoadIssue {
  if (e && typeof e === 'object' && typeof (e as LoadIssue).message === 'string') {
    const x = e as LoadIssue;
    if (typeof x.code === 'string') {
      const out: LoadIssue = { message: x.message, code: x.code };
      if (x.location) out.location = { file: x.location.file, row: x.location.row, col: x.location.col };
      if (x.details !== undefined) out.details = x.details;
      return out;
    }
    return { message: `${file}: ${x.message}` };
  }
  return { message: `${file}: ${String(e)}` };
}

/** Position and reason of a data parse error (json.ts's DataParseError has line, col, reason). */
function located(e: unknown): { row: number; col: number; reason?: string } | undefined {
  const x = e as { line?: unknown; col?: unknown; reason?: unknown; location?: { row?: unknown; col?: unknown } } | null;
  if (x && typeof x.line === 'number' && typeof x.col === 'number') {
    return { row: x.line, col: x.col, reason: typeof x.reason === 'string' ? x.reason : undefined };
  }
  const loc = x?.location;
  if (loc && typeof loc.row === 'number' && typeof loc.col === 'number') return { row: loc.row, col: loc.col };
  return undefined;
}

function bare(msg: string, file: string): string {
  // Drop a "file:" / "file:row:col:" prefix already in front of the message.
  let m = msg;
  if (m.startsWith(file + ':')) m = m.slice(file.length + 1).replace(/^\d+(:\d+)?:\s*/, '').trimStart();
  return m.split('\n')[0];
}

function dataIssue(file: string, row: number, col: number, reason: string): LoadIssue {
  return { message: `${file}:${row}:${col}: ${reason}`, location: { file, row, col } };
}

function jsonIssue(e: unknown, file: string, text: string): LoadIssue {
  const loc = located(e);
  const msg = e instanceof Error ? e.message : String(e);
  if (loc) return dataIssue(file, loc.row, loc.col, loc.reason ?? bare(msg, file));
  const found = findJSONSyntaxError(text);
  if (found) return dataIssue(file, found.row, found.col, bare(msg, file) || found.message);
  return { message: `${file}: ${bare(msg, file) || 'invalid JSON'}` };
}

function yamlIssue(e: unknown, file: string, text: string): LoadIssue {
  const loc = located(e);
  const msg = e instanceof Error ? e.message : String(e);
  if (loc) return dataIssue(file, loc.row, loc.col, loc.reason ?? bare(msg, file));
  const err = YAML.parseDocument(text, { version: '1.1', prettyErrors: false }).errors[0];
  if (err?.linePos) return dataIssue(file, err.linePos[0].line, err.linePos[0].col, bare(msg, file) || err.message.split('\n')[0]);
  return { message: `${file}: ${bare(msg, file) || 'invalid YAML'}` };
}

/** Loads the paths (files or directories; `prefix:path` allowed). Throws LoadErrors. */
export function loadPaths(paths: string[]): LoadResult {
  const l = new Loader();
  for (const given of paths) {
    const { prefix, path: p0 } = splitPrefix(given);
    let p: string;
    try {
      p = fileURLPath(p0);
    } catch (e) {
      l.issues.push({ message: (e as Error).message });
      continue;
    }
    l.walk(p, prefix, 0);
  }
  if (l.issues.length > 0) throw new LoadErrors(l.issues);
  return { modules: [...l.modules.values()], data: fromNode(l.root) as ObjectValue, dataFiles: l.dataFiles };
}
