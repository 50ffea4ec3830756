// `bligate check FILE|DIR...`: config-mode policies on configuration files, for CI pipelines.
//
// Exit 0 when clean, 1 on violations (and due_soon with --fail-on due_soon), 2 on a usage error
// or an unreadable / invalid file (every such file is reported with file:line:col).

import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseOptions, UsageError } from './args.ts';
import type { IO } from './main.ts';
import { createChecker, type Finding } from '../check/findings.ts';
import { FORMATS, fails, render, type CheckReport, type Format } from '../check/formats.ts';
import { readConfig, SourceError } from '../check/source.ts';
import { validateConfig } from '../check/validate.ts';
import { applyWaivers, readWaivers, type WaiverSet } from '../check/waivers.ts';

export const CHECK_USAGE = `Check query-system configuration files against the FSC plan (config-mode policies).

Usage:
  bligate check [flags] FILE|DIR...

Flags:
  -f, --format FORMAT      output on stdout: text (default), json, sarif, junit, github
  -o, --output FORMAT=FILE also write FORMAT to FILE (repeatable), e.g. --output sarif=bligate.sarif
      --fail-on LEVEL      violation (default) or due_soon (due_soon findings fail too)
      --policy DIR         add the institution's own Rego policies (repeatable); their
                           package bligate.areas.<name> config_findings are reported too
      --data FILE          parameter overrides (YAML/JSON: dotted name → value); only values
                           stricter than the plan's are applied, weaker ones are violations
      --waivers FILE       approved exceptions (requirement, subject/file, reason, approved_by,
                           ticket, expires)
      --as-of DATE         date for waiver expiry (YYYY-MM-DD; default: today in Asia/Taipei)
      --no-color           plain text even on a terminal
  -h, --help               this help

Directories are searched recursively for *.yaml, *.yml and *.json configuration files.
Exit codes: 0 clean, 1 violations, 2 usage error or unreadable/invalid file.`;

const VERSION = '0.1.0';

function taipeiToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Taipei', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** Configuration files named on the command line (directories searched recursively). */
export function collectFiles(args: string[]): { files: string[]; errors: string[] } {
  const files: string[] = [];
  const errors: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir).sort()) {
      if (e.startsWith('.') || e === 'node_modules') continue;
      const p = path.join(dir, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/i.test(e)) files.push(p);
    }
  };
  for (const a of args) {
    let st;
    try {
      st = statSync(a);
    } catch {
      errors.push(`${a}:1:1: no such file or directory`);
      continue;
    }
    if (st.isDirectory()) walk(a);
    else files.push(a);
  }
  return { files, errors };
}

export async function run(argv: string[], io: IO, env: { isTTY?: boolean } = {}): Promise<number> {
  let opts;
  try {
    opts = parseOptions(argv, [
      { name: 'format', short: 'f', value: true },
      { name: 'output', short: 'o', value: true, repeat: true },
      { name: 'fail-on', value: true },
      { name: 'policy', value: true, repeat: true },
      { name: 'data', value: true },
      { name: 'waivers', value: true },
      { name: 'as-of', value: true },
      { name: 'no-color' },
      { name: 'help', short: 'h' },
    ]);
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e.message);
    throw e;
  }
  if (opts.flags.has('help')) {
    io.stdout(CHECK_USAGE + '\n');
    return 0;
  }
  const format = (opts.values.get('format')?.[0] ?? 'text') as Format;
  if (!FORMATS.includes(format)) return usage(io, `unknown format "${format}" (one of ${FORMATS.join(', ')})`);
  const outputs: { format: Format; file: string }[] = [];
  for (const o of opts.values.get('output') ?? []) {
    const m = /^([a-z]+)=(.+)$/.exec(o);
    if (!m || !FORMATS.includes(m[1] as Format)) return usage(io, `--output wants FORMAT=FILE with FORMAT one of ${FORMATS.join(', ')}, got "${o}"`);
    outputs.push({ format: m[1] as Format, file: m[2] });
  }
  const failOn = opts.values.get('fail-on')?.[0] ?? 'violation';
  if (failOn !== 'violation' && failOn !== 'due_soon') return usage(io, `--fail-on wants violation or due_soon, got "${failOn}"`);
  const asOf = opts.values.get('as-of')?.[0] ?? taipeiToday();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) return usage(io, `--as-of wants a date YYYY-MM-DD, got "${asOf}"`);
  if (opts.positional.length === 0) return usage(io, 'no configuration file or directory given');

  const problems: string[] = [];
  // Parameter overrides and waivers are inputs too: invalid ones stop the run (exit 2).
  let overrides: Record<string, unknown> | undefined;
  const dataFile = opts.values.get('data')?.[0];
  if (dataFile) {
    try {
      const src = readConfig(dataFile);
      const v = src.value as Record<string, unknown> | null;
      const o = v && typeof v === 'object' && !Array.isArray(v) ? ((v.parameters as Record<string, unknown>) ?? v) : undefined;
      if (!o || typeof o !== 'object' || Array.isArray(o)) throw new SourceError(dataFile, { line: 1, col: 1 }, 'parameter overrides must be a mapping of dotted names to values');
      overrides = o;
    } catch (e) {
      if (e instanceof SourceError) problems.push(e.message);
      else throw e;
    }
  }
  let waivers: WaiverSet | undefined;
  const waiverFile = opts.values.get('waivers')?.[0];
  if (waiverFile) {
    try {
      waivers = readWaivers(waiverFile, asOf);
    } catch (e) {
      if (e instanceof SourceError) problems.push(`${e.message} (invalid waiver)`);
      else throw e;
    }
  }
  const { files, errors } = collectFiles(opts.positional);
  problems.push(...errors);
  if (files.length === 0 && errors.length === 0) problems.push(`no *.yaml, *.yml or *.json file in ${opts.positional.join(', ')}`);

  let checker;
  try {
    checker = createChecker(opts.values.get('policy') ?? []);
  } catch (e) {
    const msg = (e as Error).message.split('\n').slice(0, 20).join('\n');
    io.stderr(`bligate check: cannot load policies: ${msg}\n`);
    return 2;
  }
  const findings: Finding[] = [];
  const checked: string[] = [];
  for (const file of files) {
    let src;
    try {
      src = readConfig(file);
    } catch (e) {
      if (e instanceof SourceError) {
        problems.push(e.message);
        continue;
      }
      throw e;
    }
    const issues = validateConfig(src);
    if (issues.length) {
      for (const i of issues) problems.push(`${i.file}:${i.pos.line}:${i.pos.col}: ${i.pointer}: ${i.message}`);
      continue;
    }
    checked.push(file);
    findings.push(...checker.check(src, overrides));
  }
  applyWaivers(findings, waivers);
  const report: CheckReport = {
    version: VERSION,
    files: checked,
    findings,
    expiredWaivers: (waivers?.expired ?? []).map((w) => ({ file: waivers!.file, waiver: w })),
    requirements: checker.requirements,
    failOnDueSoon: failOn === 'due_soon',
  };
  const color = !opts.flags.has('no-color') && (env.isTTY ?? false) && !process.env.NO_COLOR;
  io.stdout(render(format, report, color && format === 'text'));
  for (const o of outputs) {
    try {
      writeFileSync(o.file, render(o.format, report, false));
    } catch (e) {
      problems.push(`${o.file}:1:1: cannot write: ${(e as Error).message}`);
    }
  }
  for (const p of problems) io.stderr(`bligate check: ${p}\n`);
  if (problems.length) return 2;
  return findings.some((f) => fails(f, report.failOnDueSoon)) ? 1 : 0;
}

function usage(io: IO, message: string): number {
  io.stderr(`bligate check: ${message}\nRun 'bligate check --help' for usage.\n`);
  return 2;
}
