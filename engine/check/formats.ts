// Output formats of `bligate check`: text, json, sarif (2.1.0), junit, github.

import type { Finding, RequirementInfo } from './findings.ts';
import type { Waiver } from './waivers.ts';

export interface CheckReport {
  version: string;
  files: string[];
  findings: Finding[];
  expiredWaivers: { file: string; waiver: Waiver }[];
  requirements: Map<string, RequirementInfo>;
  failOnDueSoon: boolean;
}

export type Format = 'text' | 'json' | 'sarif' | 'junit' | 'github';
export const FORMATS: Format[] = ['text', 'json', 'sarif', 'junit', 'github'];

/** A finding fails the run unless waived; due_soon fails only with --fail-on due_soon. */
export function fails(f: Finding, failOnDueSoon: boolean): boolean {
  if (f.waiver) return false;
  return f.status === 'violation' || (failOnDueSoon && f.status === 'due_soon');
}

function sorted(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) =>
    a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.pos.line - b.pos.line || a.pos.col - b.pos.col || (a.requirement < b.requirement ? -1 : a.requirement > b.requirement ? 1 : 0),
  );
}

// ---- text ---------------------------------------------------------------------------------------

const C = {
  red: (s: string) => `\x1b[31m${s}\x1b[0m`,
  yellow: (s: string) => `\x1b[33m${s}\x1b[0m`,
  green: (s: string) => `\x1b[32m${s}\x1b[0m`,
  dim: (s: string) => `\x1b[2m${s}\x1b[0m`,
  bold: (s: string) => `\x1b[1m${s}\x1b[0m`,
};

function width(s: string): number {
  // East Asian wide characters take two columns in a terminal.
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

export function renderText(r: CheckReport, color: boolean): string {
  const paint = color ? C : { red: (s: string) => s, yellow: (s: string) => s, green: (s: string) => s, dim: (s: string) => s, bold: (s: string) => s };
  const lines: string[] = [];
  const rows = sorted(r.findings).map((f) => {
    const status = f.waiver ? 'waived' : f.status;
    return { f, cols: [`${f.file}:${f.pos.line}:${f.pos.col}`, f.requirement, status, f.severity, f.message.en] };
  });
  if (rows.length) {
    const head = ['LOCATION', 'REQUIREMENT', 'STATUS', 'SEVERITY', 'MESSAGE'];
    const widths = head.map((h, i) => Math.max(width(h), ...rows.map((x) => width(x.cols[i]))));
    widths[4] = Math.min(widths[4], 100);
    lines.push(paint.bold(head.map((h, i) => pad(h, widths[i])).join('  ').trimEnd()));
    for (const { f, cols } of rows) {
      const st = cols[2] === 'violation' ? paint.red(pad(cols[2], widths[2])) : cols[2] === 'due_soon' ? paint.yellow(pad(cols[2], widths[2])) : paint.dim(pad(cols[2], widths[2]));
      lines.push([pad(cols[0], widths[0]), pad(cols[1], widths[1]), st, pad(cols[3], widths[3]), cols[4]].join('  ').trimEnd());
      lines.push(`${' '.repeat(widths[0] + widths[1] + widths[2] + widths[3] + 8)}${paint.dim(f.message.zh_TW)}`);
      if (f.waiver) lines.push(`${' '.repeat(widths[0] + 2)}${paint.dim(`waived: ${f.waiver.reason} (approved by ${f.waiver.approved_by}, ${f.waiver.ticket}, until ${f.waiver.expires})`)}`);
    }
  }
  for (const { file, waiver } of r.expiredWaivers) {
    lines.push(paint.yellow(`${file}:${waiver.line}: waiver for ${waiver.requirement} expired on ${waiver.expires} (${waiver.ticket}); it no longer applies / 豁免已於 ${waiver.expires} 到期，不再適用`));
  }
  const failing = r.findings.filter((f) => fails(f, r.failOnDueSoon)).length;
  const violations = r.findings.filter((f) => f.status === 'violation' && !f.waiver).length;
  const dueSoon = r.findings.filter((f) => f.status === 'due_soon' && !f.waiver).length;
  const waived = r.findings.filter((f) => f.waiver).length;
  const summary = `${r.files.length} file${r.files.length === 1 ? '' : 's'} checked: ${violations} violation${violations === 1 ? '' : 's'}, ${dueSoon} due soon, ${waived} waived`;
  lines.push((failing ? paint.red : paint.green)(`${summary} / 檢查 ${r.files.length} 個檔案：違規 ${violations}、即將到期 ${dueSoon}、豁免 ${waived}`));
  return lines.join('\n') + '\n';
}

// ---- json ---------------------------------------------------------------------------------------

export function renderJSON(r: CheckReport): string {
  const out = {
    version: r.version,
    files: r.files,
    summary: {
      violations: r.findings.filter((f) => f.status === 'violation' && !f.waiver).length,
      due_soon: r.findings.filter((f) => f.status === 'due_soon' && !f.waiver).length,
      waived: r.findings.filter((f) => f.waiver).length,
      failed: r.findings.some((f) => fails(f, r.failOnDueSoon)),
    },
    findings: sorted(r.findings).map((f) => ({
      file: f.file,
      line: f.pos.line,
      column: f.pos.col,
      requirement: f.requirement,
      clause: f.clause,
      title: f.title,
      status: f.status,
      severity: f.severity,
      subject: f.subject,
      evidence: f.evidence,
      message: f.message,
      ...(f.institution_defined ? { institution_defined: f.institution_defined } : {}),
      ...(f.waiver ? { waived: true, waiver: f.waiver } : { waived: false }),
    })),
    expired_waivers: r.expiredWaivers.map(({ file, waiver }) => ({ file, line: waiver.line, requirement: waiver.requirement, expires: waiver.expires, ticket: waiver.ticket, approved_by: waiver.approved_by })),
  };
  return JSON.stringify(out, null, 2) + '\n';
}

// ---- SARIF 2.1.0 --------------------------------------------------------------------------------

const LEVEL: Record<string, 'error' | 'warning' | 'note'> = { high: 'error', medium: 'error', low: 'warning' };

export function renderSARIF(r: CheckReport): string {
  const used = [...new Set(r.findings.map((f) => f.requirement))];
  const ids = [...new Set([...[...r.requirements.values()].filter((q) => q.modes.includes('config')).map((q) => q.id), ...used])].sort();
  const rules = ids.map((id) => {
    const q = r.requirements.get(id);
    const f = r.findings.find((x) => x.requirement === id);
    const title = q?.title ?? f?.title.en ?? id;
    const titleZh = q?.title_zh ?? f?.title.zh_TW ?? '';
    const clause = q?.clause ?? f?.clause ?? '';
    return {
      id,
      name: title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^./, (c) => c.toUpperCase()),
      shortDescription: { text: `${id} ${title} / ${titleZh}` },
      fullDescription: { text: `${q?.description || title} (FSC plan clause ${clause} / 計畫條款 ${clause})` },
      help: {
        text: `${id} — ${title} / ${titleZh}. Clause ${clause} of the FSC plan on querying labour-insurance records through JCIC.`,
        markdown: `**${id}** — ${title} / ${titleZh}\n\nClause **${clause}** of the FSC plan (金融機構透過聯徵中心介接使用勞保局業務資料計畫).`,
      },
      defaultConfiguration: { level: LEVEL[q?.severity ?? 'medium'] ?? 'error' },
      properties: { clause, title_zh: titleZh, severity: q?.severity ?? f?.severity ?? 'medium', tags: ['compliance', 'fsc-plan'] },
    };
  });
  const index = new Map(ids.map((id, i) => [id, i]));
  const results = sorted(r.findings).map((f) => ({
    ruleId: f.requirement,
    ruleIndex: index.get(f.requirement)!,
    level: f.status === 'due_soon' ? 'warning' : (LEVEL[f.severity] ?? 'error'),
    kind: 'fail',
    message: { text: `${f.message.en} / ${f.message.zh_TW}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(f.file) },
          region: { startLine: f.pos.line, startColumn: f.pos.col },
        },
      },
    ],
    partialFingerprints: { 'bligate/v1': `${f.requirement}:${JSON.stringify(f.subject)}` },
    properties: { status: f.status, clause: f.clause, severity: f.severity, subject: f.subject, evidence: f.evidence, message_zh_TW: f.message.zh_TW, ...(f.institution_defined ? { institution_defined: f.institution_defined } : {}) },
    ...(f.waiver
      ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `${f.waiver.reason} (approved by ${f.waiver.approved_by}, ticket ${f.waiver.ticket}, expires ${f.waiver.expires})`, location: { physicalLocation: { artifactLocation: { uri: toUri(f.waiver.file) }, region: { startLine: f.waiver.line } } } }] }
      : {}),
  }));
  const notifications = r.expiredWaivers.map(({ file, waiver }) => ({
    level: 'warning',
    message: { text: `Waiver for ${waiver.requirement} (${waiver.ticket}) expired on ${waiver.expires}; it no longer applies.` },
    locations: [{ physicalLocation: { artifactLocation: { uri: toUri(file) }, region: { startLine: waiver.line } } }],
    descriptor: { id: 'expired-waiver' },
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'bligate', version: r.version, informationUri: 'https://github.com/bligate/bligate', rules } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        artifacts: r.files.map((f) => ({ location: { uri: toUri(f) } })),
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function toUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/').replace(/^\.\//, '');
}

// ---- JUnit --------------------------------------------------------------------------------------

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One test case per requirement (of config mode) per file. */
export function renderJUnit(r: CheckReport): string {
  const ids = [...new Set([...[...r.requirements.values()].filter((q) => q.modes.includes('config')).map((q) => q.id), ...r.findings.map((f) => f.requirement)])].sort();
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  for (const file of r.files) {
    const cases: string[] = [];
    let suiteFailures = 0;
    for (const id of ids) {
      const q = r.requirements.get(id);
      const fs = r.findings.filter((f) => f.file === file && f.requirement === id);
      const failing = fs.filter((f) => fails(f, r.failOnDueSoon));
      const name = `${id} ${q?.title ?? ''} / ${q?.title_zh ?? ''}`.trim();
      let body = '';
      if (failing.length) {
        suiteFailures++;
        const text = failing.map((f) => `${f.file}:${f.pos.line}:${f.pos.col} [${f.status}] ${f.message.en}\n${f.message.zh_TW}`).join('\n\n');
        body = `<failure type="${xml(failing[0].status)}" message="${xml(failing[0].message.en)}">${xml(text)}</failure>`;
      }
      const notes = fs.filter((f) => !failing.includes(f)).map((f) => `${f.waiver ? 'waived' : f.status}: ${f.message.en}${f.waiver ? ` (waiver: ${f.waiver.reason}, ${f.waiver.ticket})` : ''}`);
      if (notes.length) body += `<system-out>${xml(notes.join('\n'))}</system-out>`;
      cases.push(`    <testcase classname="${xml(file)}" name="${xml(name)}" file="${xml(file)}"${body ? `>${body}</testcase>` : '/>'}`);
    }
    total += ids.length;
    failures += suiteFailures;
    suites.push(`  <testsuite name="${xml(file)}" tests="${ids.length}" failures="${suiteFailures}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bligate check" tests="${total}" failures="${failures}" errors="0">\n${suites.join('\n')}\n</testsuites>\n`;
}

// ---- GitHub workflow annotations ----------------------------------------------------------------

const ghData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const ghProp = (s: string) => ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function renderGitHub(r: CheckReport): string {
  const lines: string[] = [];
  for (const f of sorted(r.findings)) {
    const kind = f.waiver ? 'notice' : fails(f, r.failOnDueSoon) ? 'error' : 'warning';
    const title = `${f.requirement} ${f.title.en}${f.waiver ? ' (waived)' : ''}`;
    const msg = `${f.message.en} / ${f.message.zh_TW}${f.waiver ? ` — waived: ${f.waiver.reason} (${f.waiver.ticket}, until ${f.waiver.expires})` : ''}`;
    lines.push(`::${kind} file=${ghProp(f.file)},line=${f.pos.line},col=${f.pos.col},title=${ghProp(title)}::${ghData(msg)}`);
  }
  for (const { file, waiver } of r.expiredWaivers) {
    lines.push(`::warning file=${ghProp(file)},line=${waiver.line},title=${ghProp(`expired waiver ${waiver.requirement}`)}::${ghData(`Waiver ${waiver.ticket} expired on ${waiver.expires}; it no longer applies.`)}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

export function render(format: Format, r: CheckReport, color: boolean): string {
  switch (format) {
    case 'text':
      return renderText(r, color);
    case 'json':
      return renderJSON(r);
    case 'sarif':
      return renderSARIF(r);
    case 'junit':
      return renderJUnit(r);
    case 'github':
      return renderGitHub(r);
  }
}
