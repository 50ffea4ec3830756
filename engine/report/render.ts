// Rendering findings for people (text: bilingual, grouped by requirement) and for programs
// (json: the findings array).

import type { Finding } from '../state/types.ts';

export interface ReportHead {
  asOf: string;
  institutions: { id: string; name: string; role: string }[];
  /** Log records per institution, for the summary line. */
  records?: Record<string, number>;
}

const ROLE_ZH: Record<string, string> = { user_unit: '使用單位', management_agency: '管理機構', supervisor: '監督機關' };

function subjectText(s: Record<string, unknown>): string {
  return Object.entries(s)
    .filter(([k]) => k !== 'institution')
    .map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

function evidenceText(e: unknown): string {
  const text = JSON.stringify(e);
  return text.length > 400 ? `${text.slice(0, 397)}...` : text;
}

/** Plain text, grouped by requirement (in ID order), each finding with subject, evidence and messages. */
export function renderText(findings: Finding[], head: ReportHead): string {
  const out: string[] = [];
  const violations = findings.filter((f) => f.status === 'violation').length;
  const dueSoon = findings.length - violations;
  out.push(`bligate evaluate — as of ${head.asOf}`);
  for (const i of head.institutions) {
    const n = head.records?.[i.id];
    out.push(`  ${i.id}  ${i.name} (${ROLE_ZH[i.role] ?? i.role} / ${i.role})${n ? ` · ${n.toLocaleString('en-US')} query-log records` : ''}`);
  }
  out.push('');
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const l = groups.get(f.requirement);
    if (l) l.push(f);
    else groups.set(f.requirement, [f]);
  }
  for (const req of [...groups.keys()].sort()) {
    const list = groups.get(req)!;
    const f0 = list[0];
    out.push(`${req}  ${f0.title?.zh_TW ?? ''} / ${f0.title?.en ?? ''}  [${f0.clause}] ${f0.severity}  — ${list.length} finding${list.length === 1 ? '' : 's'}`);
    for (const f of list) {
      const mark = f.status === 'violation' ? '✗ violation' : '! due soon';
      const subject = subjectText(f.subject);
      out.push(`  ${mark}  ${f.subject.institution}${subject ? ` · ${subject}` : ''}`);
      out.push(`      ${f.message?.zh_TW ?? ''}`);
      out.push(`      ${f.message?.en ?? ''}`);
      out.push(`      evidence: ${evidenceText(f.evidence)}`);
      if (f.institution_defined?.length) out.push(`      institution-defined (機構自訂): ${f.institution_defined.join(', ')}`);
    }
    out.push('');
  }
  const reqs = groups.size;
  out.push(
    findings.length === 0
      ? '無違規事項。No findings.'
      : `${violations} 項違規、${dueSoon} 項即將到期，涉及 ${reqs} 項要求。${violations} violation${violations === 1 ? '' : 's'}, ${dueSoon} due soon, across ${reqs} requirement${reqs === 1 ? '' : 's'}.`,
  );
  return out.join('\n') + '\n';
}

/** The findings array, as JSON (two-space indented). */
export function renderJSON(findings: Finding[]): string {
  return JSON.stringify(findings, null, 2) + '\n';
}
