import { describe, expect, it } from 'vitest';
import type { Finding } from '../state/types.ts';
import { renderJSON, renderText } from './render.ts';

const f = (requirement: string, status: string, subject: Record<string, unknown>): Finding => ({
  requirement, clause: '五(一)4', severity: 'high', title: { zh_TW: '密碼', en: 'Passwords' }, status,
  subject: { institution: 'b', ...subject }, evidence: { n: 1 }, message: { zh_TW: '中文訊息', en: 'English message' },
});

describe('report rendering', () => {
  const findings = [f('PWD-01', 'violation', { account: 'a1' }), f('PWD-01', 'due_soon', { account: 'a2' }), f('ACCT-01', 'violation', { account: 'x' })];
  const head = { asOf: '2026-11-27T10:00:00+08:00', institutions: [{ id: 'b', name: 'Bank', role: 'user_unit' }], records: { b: 1234 } };

  it('groups by requirement, in ID order, bilingual, with clause, subject and evidence', () => {
    const t = renderText(findings, head);
    expect(t.indexOf('ACCT-01')).toBeLessThan(t.indexOf('PWD-01'));
    expect(t).toContain('PWD-01  密碼 / Passwords  [五(一)4] high  — 2 findings');
    expect(t).toContain('  ✗ violation  b · account a1\n      中文訊息\n      English message\n      evidence: {"n":1}');
    expect(t).toContain('! due soon  b · account a2');
    expect(t).toContain('b  Bank (使用單位 / user_unit) · 1,234 query-log records');
    expect(t).toMatch(/2 violations, 1 due soon, across 2 requirements\.\n$/);
  });

  it('says so when there is nothing', () => {
    expect(renderText([], head)).toMatch(/No findings\.\n$/);
  });

  it('gives the findings array as JSON', () => {
    expect(JSON.parse(renderJSON(findings))).toEqual(findings);
  });
});
