// Waivers: approved, expiring exceptions to findings.
//
//   waivers:
//     - requirement: LOCK-01
//       subject: {key: lockout.max_failed_attempts}     # and/or
//       file: "configs/branch-*.yaml"                   # glob on the file path
//       reason: Legacy terminal cannot lock; replaced in Q1
//       approved_by: CISO 王大明
//       ticket: SEC-1234
//       expires: 2027-03-31
//
// A waiver without an expiry or an approver is invalid input. A waived finding is still
// reported, marked waived with the reason, and does not fail the run; an expired waiver no longer
// applies and is reported itself.

import type { Finding } from './findings.ts';
import { parseConfig, SourceError, type ConfigSource } from './source.ts';
import { readFileSync } from 'node:fs';

export interface Waiver {
  requirement: string;
  subject?: Record<string, unknown>;
  file?: string;
  reason: string;
  approved_by: string;
  ticket: string;
  /** Last day the waiver applies (YYYY-MM-DD, inclusive). */
  expires: string;
  /** Where it is written. */
  line: number;
  index: number;
}

export interface WaiverSet {
  file: string;
  active: Waiver[];
  expired: Waiver[];
}

const FIELDS = new Set(['requirement', 'subject', 'file', 'reason', 'approved_by', 'ticket', 'expires']);

export function readWaivers(file: string, today: string): WaiverSet {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SourceError(file, { line: 1, col: 1 }, `cannot read waivers: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  return parseWaivers(parseConfig(text, file), today);
}

function dateString(v: unknown): string | undefined {
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().slice(0, 10);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))) return v;
  return undefined;
}

export function parseWaivers(src: ConfigSource, today: string): WaiverSet {
  const root = src.value as { waivers?: unknown } | null;
  const fail = (path: (string | number)[], msg: string): never => {
    throw new SourceError(src.file, src.locate(path), msg);
  };
  if (!root || typeof root !== 'object' || !Array.isArray(root.waivers)) fail([], 'a waivers file needs a top-level "waivers:" list');
  const active: Waiver[] = [];
  const expired: Waiver[] = [];
  (root!.waivers as unknown[]).forEach((w, i) => {
    const at = ['waivers', i];
    if (!w || typeof w !== 'object' || Array.isArray(w)) fail(at, `waiver ${i + 1} must be a mapping`);
    const o = w as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!FIELDS.has(k)) fail([...at, k], `waiver ${i + 1}: unknown key "${k}"`);
    const str = (k: string): string => {
      const v = o[k];
      if (typeof v !== 'string' || v.trim() === '') fail([...at, ...(k in o ? [k] : [])], `waiver ${i + 1}: "${k}" is required (a non-empty string)`);
      return (v as string).trim();
    };
    const requirement = str('requirement');
    if (!/^[A-Z]+-\d{2}$/.test(requirement)) fail([...at, 'requirement'], `waiver ${i + 1}: "${requirement}" is not a requirement ID (e.g. LOCK-01)`);
    const reason = str('reason');
    const approved_by = str('approved_by');
    const ticket = str('ticket');
    if (!('expires' in o)) fail(at, `waiver ${i + 1}: "expires" is required (YYYY-MM-DD): waivers without an expiry are not accepted`);
    const expires = dateString(o.expires);
    if (!expires) fail([...at, 'expires'], `waiver ${i + 1}: "expires" must be a date YYYY-MM-DD`);
    const subject = o.subject;
    if (subject !== undefined && (typeof subject !== 'object' || subject === null || Array.isArray(subject))) fail([...at, 'subject'], `waiver ${i + 1}: "subject" must be a mapping`);
    const fileGlob = o.file;
    if (fileGlob !== undefined && (typeof fileGlob !== 'string' || fileGlob === '')) fail([...at, 'file'], `waiver ${i + 1}: "file" must be a path or glob`);
    if (subject === undefined && fileGlob === undefined) fail(at, `waiver ${i + 1}: give "subject" or "file" (what the waiver covers)`);
    const waiver: Waiver = {
      requirement,
      subject: subject as Record<string, unknown> | undefined,
      file: fileGlob as string | undefined,
      reason,
      approved_by,
      ticket,
      expires: expires!,
      line: src.locate(at).line,
      index: i,
    };
    (expires! < today ? expired : active).push(waiver);
  });
  return { file: src.file, active, expired };
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function waiverMatches(w: Waiver, f: Finding): boolean {
  if (w.requirement !== f.requirement) return false;
  if (w.file !== undefined) {
    const re = globToRegExp(w.file.replace(/^\.\//, ''));
    if (!re.test(f.file.replace(/^\.\//, ''))) return false;
  }
  if (w.subject !== undefined) {
    for (const [k, v] of Object.entries(w.subject)) if (!sameValue(f.subject[k], v)) return false;
  }
  return true;
}

/** Marks waived findings (first matching active waiver wins). */
export function applyWaivers(findings: Finding[], set: WaiverSet | undefined): void {
  if (!set) return;
  for (const f of findings) {
    const w = set.active.find((x) => waiverMatches(x, f));
    if (w) f.waiver = { reason: w.reason, approved_by: w.approved_by, ticket: w.ticket, expires: w.expires, file: set.file, line: w.line };
  }
}
