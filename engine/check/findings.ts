// Config-mode evaluation: the policy pack (plus an institution's own policies) compiled once,
// evaluated on each configuration document, findings located at the offending key.

import { POLICY_DIR } from '../paths.ts';
import type { Annotation, Module } from '../rego/ast.ts';
import { compileModules, type PreparedQuery } from '../rego/index.ts';
import { fromJS, toJS } from '../rego/json.ts';
import type { Value } from '../rego/value.ts';
import { loadPaths } from '../loader/index.ts';
import type { ConfigSource, Position } from './source.ts';

export const PACK_DIR = POLICY_DIR;

export interface Finding {
  file: string;
  pos: Position;
  requirement: string;
  clause: string;
  title: { zh_TW: string; en: string };
  status: 'violation' | 'due_soon';
  severity: string;
  subject: Record<string, unknown>;
  evidence: unknown;
  message: { zh_TW: string; en: string };
  institution_defined?: string[];
  waiver?: { reason: string; approved_by: string; ticket: string; expires: string; file: string; line: number };
}

export interface RequirementInfo {
  id: string;
  clause: string;
  title: string;
  title_zh: string;
  description: string;
  severity: string;
  modes: string[];
}

export interface ConfigChecker {
  /** Requirements the config-mode rules can report, from the METADATA. */
  requirements: Map<string, RequirementInfo>;
  check(src: ConfigSource, overrides?: Record<string, unknown>): Finding[];
}

/** Requirement metadata of every rule (rule or document scope) carrying custom.requirement. */
export function requirementInfo(modules: Module[]): Map<string, RequirementInfo> {
  const out = new Map<string, RequirementInfo>();
  for (const m of modules) {
    for (const r of m.rules) {
      for (const a of r.annotations as Annotation[]) {
        const c = (a.custom ?? {}) as Record<string, unknown>;
        if (typeof c.requirement !== 'string') continue;
        const modes = Array.isArray(c.modes) ? c.modes.map(String) : [];
        const prev = out.get(c.requirement);
        out.set(c.requirement, {
          id: c.requirement,
          clause: String(c.clause ?? prev?.clause ?? ''),
          title: a.title ?? prev?.title ?? c.requirement,
          title_zh: String(c.title_zh ?? prev?.title_zh ?? ''),
          description: a.description ?? prev?.description ?? '',
          severity: String(c.severity ?? prev?.severity ?? 'medium'),
          modes: [...new Set([...(prev?.modes ?? []), ...modes])],
        });
      }
    }
  }
  return out;
}

export function createChecker(extraPolicyDirs: string[] = []): ConfigChecker {
  const loaded = loadPaths([PACK_DIR, ...extraPolicyDirs]);
  // The built-in pack is checked in CI, so it compiles on first use; an institution's own
  // policies are compiled in full so that their errors are reported up front.
  const policy = compileModules(loaded.modules, { lazy: extraPolicyDirs.length === 0 });
  const query: PreparedQuery = policy.prepare('data.bligate.config.findings');
  const requirements = requirementInfo(loaded.modules);
  return {
    requirements,
    check(src, overrides) {
      let doc = src.value;
      if (overrides && Object.keys(overrides).length) {
        const base = (doc && typeof doc === 'object' ? doc : {}) as Record<string, unknown>;
        doc = { ...base, parameters: { ...((base.parameters as Record<string, unknown>) ?? {}), ...overrides } };
      }
      const input = fromJS(doc ?? {});
      const rows = query.eval({ input, data: loaded.data });
      const value: Value = rows[0]?.expressions[0]?.value ?? [];
      const list = toJS(value) as Omit<Finding, 'file' | 'pos'>[];
      return list.map((f) => {
        const key = typeof f.subject?.key === 'string' ? (f.subject.key as string) : undefined;
        return { ...f, file: src.file, pos: key ? src.locateDotted(key) : { line: 1, col: 1 } };
      });
    },
  };
}
