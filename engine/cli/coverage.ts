// Coverage reports for `bligate rego test --coverage`, in OPA's shape (v1/cover/cover.go):
//
//   {"files": {FILE: {"covered": [{"start": {"row": N}, "end": {"row": M}}], "not_covered": [...],
//                     "covered_lines": n, "not_covered_lines": n, "coverage": pct}},
//    "covered_lines": n, "not_covered_lines": n, "coverage": pct}
//
// As OPA does, "covered" rows are the rows the evaluator reached (expressions evaluated, rule heads
// of rules that produced a value) and "not covered" rows are the rows of rule heads and of
// expressions (except `some` declarations) that were never reached. Per-file fields are omitted
// when empty/zero (Go's omitempty); the totals are always present.

import type { Body, Expr, Module, Rule, Term } from '../rego/ast.ts';
import { GoMap, GoNum, GoStruct, indentJSON, type GoJSON } from './gojson.ts';

/** What the engine reports: rows hit and rows never reached, per file (CompiledPolicy.coverage()). */
export type EngineCoverage = Map<string, { covered: Set<number>; notCovered: Set<number> }>;

export interface Range {
  start: number;
  end: number;
}

export interface FileReport {
  covered: Range[];
  notCovered: Range[];
  coveredLines: number;
  notCoveredLines: number;
  coverage: number;
}

export interface CoverageReport {
  files: Map<string, FileReport>;
  coveredLines: number;
  notCoveredLines: number;
  coverage: number;
}

/** Sorted rows → maximal runs of consecutive rows (OPA's sortedPositionSliceToRangeSlice). */
export function toRanges(rows: Iterable<number>): Range[] {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r === last.end + 1) last.end = r;
    else out.push({ start: r, end: r });
  }
  return out;
}

const lines = (rs: Range[]) => rs.reduce((n, r) => n + r.end - r.start + 1, 0);

function walkTermExprs(t: Term, f: (e: Expr) => void): void {
  switch (t.type) {
    case 'ref':
      walkTermExprs(t.head, f);
      for (const p of t.path) walkTermExprs(p, f);
      break;
    case 'array':
    case 'set':
      for (const x of t.items) walkTermExprs(x, f);
      break;
    case 'object':
      for (const [k, v] of t.items) {
        walkTermExprs(k, f);
        walkTermExprs(v, f);
      }
      break;
    case 'arraycomp':
    case 'setcomp':
      walkTermExprs(t.term, f);
      walkBodyExprs(t.body, f);
      break;
    case 'objectcomp':
      walkTermExprs(t.key, f);
      walkTermExprs(t.value, f);
      walkBodyExprs(t.body, f);
      break;
    case 'call':
      for (const a of t.args) walkTermExprs(a, f);
      break;
    case 'template':
      for (const p of t.parts) if (typeof p !== 'string') walkTermExprs(p, f);
      break;
    default:
      break;
  }
}

/** Calls f on every expression of the body, nested ones (comprehensions, `every`) included. */
export function walkBodyExprs(body: Body, f: (e: Expr) => void): void {
  for (const e of body) {
    f(e);
    switch (e.kind) {
      case 'term':
        walkTermExprs(e.term, f);
        break;
      case 'somein':
        if (e.key) walkTermExprs(e.key, f);
        walkTermExprs(e.value, f);
        walkTermExprs(e.domain, f);
        break;
      case 'every':
        walkTermExprs(e.domain, f);
        walkBodyExprs(e.body, f);
        break;
      default:
        break;
    }
    for (const w of e.with) walkTermExprs(w.value, f);
  }
}

/** Every rule of the module, `else` branches included (OPA's WalkRules). */
export function allRules(m: Module): Rule[] {
  const out: Rule[] = [];
  for (let r of m.rules) {
    out.push(r);
    while (r.else) {
      r = r.else;
      out.push(r);
    }
  }
  return out;
}

/**
 * Builds OPA's coverage report from the rows the engine reached. `modules` are all loaded modules
 * (every one of them appears in the report, as in OPA).
 */
export function coverageReport(modules: readonly Module[], engine: EngineCoverage): CoverageReport {
  const covered = new Map<string, Set<number>>();
  for (const [file, c] of engine) if (file && c.covered.size > 0) covered.set(file, new Set(c.covered));
  const notCovered = new Map<string, Set<number>>();
  const isCovered = (file: string, row: number) => covered.get(file)?.has(row) ?? false;
  const addNot = (file: string, row: number) => {
    if (!file || isCovered(file, row)) return;
    let s = notCovered.get(file);
    if (!s) notCovered.set(file, (s = new Set()));
    s.add(row);
  };
  for (const m of modules) {
    if (!notCovered.has(m.file)) notCovered.set(m.file, new Set());
    for (const r of allRules(m)) {
      addNot(r.head.loc.file || m.file, r.head.loc.row);
      walkBodyExprs(r.body, (e) => {
        if (e.kind === 'some' || e.kind === 'somein') return;
        addNot(e.loc.file, e.loc.row);
      });
    }
  }
  // Rows the engine knows it never reached (e.g. generated bodies) that the AST walk missed.
  for (const [file, c] of engine) for (const row of c.notCovered) addNot(file, row);

  const files = new Map<string, FileReport>();
  const names = new Set([...covered.keys(), ...notCovered.keys()]);
  let cov = 0;
  let notCov = 0;
  for (const file of [...names].sort()) {
    const c = toRanges(covered.get(file) ?? []);
    const n = toRanges(notCovered.get(file) ?? []);
    const cl = lines(c);
    const nl = lines(n);
    files.set(file, { covered: c, notCovered: n, coveredLines: cl, notCoveredLines: nl, coverage: cl + nl === 0 ? 0 : (100 * cl) / (cl + nl) });
    cov += cl;
    notCov += nl;
  }
  return { files, coveredLines: cov, notCoveredLines: notCov, coverage: cov + notCov === 0 ? 0 : (100 * cov) / (cov + notCov) };
}

/** A float64 as Go's encoding/json writes it. */
export function goFloat(x: number): GoNum {
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return new GoNum(String(x));
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Go: strconv 'e' format with at least two exponent digits.
    const [m, e] = x.toExponential().split('e');
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[-+]/, '');
    return new GoNum(`${m}e${sign}${digits.padStart(2, '0')}`);
  }
  return new GoNum(String(x));
}

function rangesJSON(rs: Range[]): GoJSON {
  return rs.map((r) => new GoStruct([['start', new GoStruct([['row', r.start]])], ['end', new GoStruct([['row', r.end]])]]));
}

/** The report as OPA's JSON (2-space indented, trailing newline). */
export function coverageJSON(r: CoverageReport): string {
  const files = new Map<string, GoJSON>();
  for (const [file, f] of r.files) {
    const fields: [string, GoJSON][] = [];
    if (f.covered.length) fields.push(['covered', rangesJSON(f.covered)]);
    if (f.notCovered.length) fields.push(['not_covered', rangesJSON(f.notCovered)]);
    if (f.coveredLines) fields.push(['covered_lines', f.coveredLines]);
    if (f.notCoveredLines) fields.push(['not_covered_lines', f.notCoveredLines]);
    if (f.coverage) fields.push(['coverage', goFloat(f.coverage)]);
    files.set(file, new GoStruct(fields));
  }
  return indentJSON(
    new GoStruct([
      ['files', new GoMap(files)],
      ['covered_lines', r.coveredLines],
      ['not_covered_lines', r.notCoveredLines],
      ['coverage', goFloat(r.coverage)],
    ]),
  );
}

/** OPA's CoverageThresholdError text (with the uncovered lines when verbose). */
export function thresholdErrorText(r: CoverageReport, threshold: number, verbose: boolean): string {
  let s = `Code coverage threshold not met: got ${r.coverage.toFixed(2)} instead of ${threshold.toFixed(2)}`;
  if (verbose && r.files.size > 0) {
    s += '\nLines not covered:';
    for (const file of [...r.files.keys()].sort()) {
      for (const rg of r.files.get(file)!.notCovered) {
        s += rg.start === rg.end ? `\n\t${file}:${rg.start}` : `\n\t${file}:${rg.start}-${rg.end}`;
      }
    }
  }
  return s;
}
