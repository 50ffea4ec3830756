import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compactJSON, fromValue } from '../cli/gojson.ts';
import { findJSONSyntaxError } from './jsonpos.ts';
import { LoadErrors, loadPaths, splitPrefix, type LoadIssue } from './index.ts';

let dir: string;
let cwd: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bligate-loader-'));
  cwd = process.cwd();
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

function files(tree: Record<string, string>): void {
  for (const [p, text] of Object.entries(tree)) {
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
}

function dataOf(paths: string[]): string {
  return compactJSON(fromValue(loadPaths(paths).data));
}

function issuesOf(paths: string[]): LoadIssue[] {
  try {
    loadPaths(paths);
  } catch (e) {
    expect(e).toBeInstanceOf(LoadErrors);
    return (e as LoadErrors).issues;
  }
  throw new Error('expected loading to fail');
}

describe('data documents', () => {
  it('merges a top-level document at the root of data', () => {
    files({ 'd/data.json': '{"a": 1}' });
    expect(dataOf(['d'])).toBe('{"a":1}');
    expect(dataOf(['d/data.json'])).toBe('{"a":1}');
  });

  it('merges documents under the path of their directory', () => {
    files({ 'd/a/b/data.json': '{"x": 1}', 'd/a/c/other-name.json': '[1, 2]', 'd/y/config.yaml': 'k: v\nnum: 3\n', 'd/z/list.yml': '- 1\n' });
    expect(dataOf(['d'])).toBe('{"a":{"b":{"x":1},"c":[1,2]},"y":{"k":"v","num":3},"z":[1]}');
  });

  it('merges objects recursively across files and paths', () => {
    files({ 'd/a/one.json': '{"k": {"x": 1}}', 'd/a/two.yaml': 'k:\n  yy: 2\n', 'e/data.json': '{"a": {"k": {"z": 3}}}' });
    expect(dataOf(['d', 'e'])).toBe('{"a":{"k":{"x":1,"yy":2,"z":3}}}');
  });

  it('keeps big integers and decimals exact', () => {
    files({ 'd/data.json': '{"ns": 1800000000000000000123, "f": 0.1000000000000000000001}' });
    expect(dataOf(['d'])).toBe('{"f":0.1000000000000000000001,"ns":1800000000000000000123}');
  });

  it('loads under a prefix with a.b:PATH', () => {
    files({ 'x.json': '[1]' });
    expect(splitPrefix('a.b:x.json')).toEqual({ prefix: ['a', 'b'], path: 'x.json' });
    expect(splitPrefix('file:///tmp/x.json')).toEqual({ prefix: [], path: 'file:///tmp/x.json' });
    expect(dataOf(['a.b:x.json'])).toBe('{"a":{"b":[1]}}');
  });

  it('reads YAML 1.1 scalars as OPA (go-yaml) does', () => {
    files({ 'd/data.yaml': 'y: yes\nn: off\nbig: 12345678901234567890\nd: 2024-01-02\n' });
    expect(dataOf(['d'])).toBe('{"big":12345678901234567890,"d":"2024-01-02","false":false,"true":true}');
  });

  it('skips unknown file types inside directories but reads named files by content', () => {
    files({ 'd/README.md': '# hello', 'd/notes.txt': 'x', 'named.data': '{"n": 1}' });
    expect(dataOf(['d'])).toBe('{}');
    expect(dataOf(['named.data'])).toBe('{"n":1}');
  });
});

describe('conflicts and errors', () => {
  it('reports a conflict naming both files', () => {
    files({ 'd/a/one.json': '{"k": 1}', 'd/a/two.json': '{"k": 2}' });
    const issues = issuesOf(['d']);
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toContain(path.join('d', 'a', 'two.json'));
    expect(issues[0].message).toContain(path.join('d', 'a', 'one.json'));
    expect(issues[0].message).toContain('data.a.k');
  });

  it('treats equal scalar values as a conflict (as OPA does)', () => {
    files({ 'one.json': '{"k": 1}', 'two.json': '{"k": 1}' });
    expect(issuesOf(['one.json', 'two.json'])[0].message).toMatch(/two\.json: merge error: data\.k .*one\.json/);
  });

  it('reports a conflict between an object and a value', () => {
    files({ 'd/a/data.json': '[1]', 'd/data.json': '{"a": {"b": 1}}' });
    expect(issuesOf(['d'])[0].message).toContain('merge error');
  });

  it('requires top-level documents to be objects', () => {
    files({ 'd/list.json': '[1, 2]' });
    expect(issuesOf(['d'])[0].message).toBe(`${path.join('d', 'list.json')}: document must be of type object`);
  });

  it('names file, line and column of bad JSON', () => {
    files({ 'bad.json': '{\n  "a": 1,\n  "b": tru\n}\n' });
    const [issue] = issuesOf(['bad.json']);
    expect(issue.message).toMatch(/^bad\.json:3:\d+: /);
    expect(issue.location).toMatchObject({ file: 'bad.json', row: 3 });
  });

  it('names file, line and column of bad YAML', () => {
    files({ 'd/bad.yaml': 'a: [1, 2\nb: 3\n' });
    const [issue] = issuesOf(['d']);
    expect(issue.message).toMatch(new RegExp(`^${path.join('d', 'bad.yaml').replace(/[.]/g, '\\.')}:\\d+:\\d+: `));
    expect(issue.location?.file).toBe(path.join('d', 'bad.yaml'));
  });

  it('collects every error', () => {
    files({ 'd/a.json': '{', 'd/b.json': '}' });
    expect(issuesOf(['d', 'missing.json'])).toHaveLength(3);
    expect(issuesOf(['missing.json'])[0].message).toBe('stat missing.json: no such file or directory');
  });

  it('LoadErrors has OPA-style text', () => {
    files({ 'd/a.json': '[1]' });
    try {
      loadPaths(['d']);
    } catch (e) {
      expect((e as Error).message).toBe(`1 error occurred during loading: ${path.join('d', 'a.json')}: document must be of type object`);
    }
  });
});

describe('modules', () => {
  it('loads .rego files with the paths as given joined with directory entries', () => {
    files({ 'p/a.rego': 'package a\n\nx := 1\n', 'p/sub/b.rego': 'package b\n\ny := 2\n', 'c.rego': 'package c\n' });
    const r = loadPaths(['./p', './c.rego']);
    expect(r.modules.map((m) => m.file).sort()).toEqual(['./c.rego', path.join('p', 'a.rego'), path.join('p', 'sub', 'b.rego')].sort());
  });

  it('reports Rego parse errors with their code and location', () => {
    files({ 'p/bad.rego': 'package a\n\nx := \n' });
    const issues = issuesOf(['p']);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0].code).toBe('rego_parse_error');
    expect(issues[0].location?.file).toBe(path.join('p', 'bad.rego'));
  });
});

describe('JSON syntax positions', () => {
  it('finds the first error', () => {
    expect(findJSONSyntaxError('{"a": 1}')).toBeNull();
    expect(findJSONSyntaxError('{\n  "a": 1,\n}')).toMatchObject({ row: 3, col: 1 });
    expect(findJSONSyntaxError('[1, 2')).toMatchObject({ row: 1, col: 6 });
    expect(findJSONSyntaxError('{"a": 1} x')).toMatchObject({ row: 1, col: 10 });
  });
});
