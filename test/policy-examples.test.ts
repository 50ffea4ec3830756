// The example documents in examples/ give exactly the findings they document, and the
// traceability matrix is complete and up to date.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYAML } from 'yaml';
import { compileModules, parseModule } from '../engine/rego/index.ts';
import { fromJS, parseJSON, toJS } from '../engine/rego/json.ts';
import type { Value } from '../engine/rego/value.ts';
import { buildExamples, CONFIG_EXPECTED, sortExpected, sortKeys, type Expected } from '../engine/examples/build.ts';
import { buildMatrix, matrixProblems, renderMatrix } from '../engine/matrix/matrix.ts';
import { loadPaths } from '../engine/loader/index.ts';
import { schemaValidator } from '../engine/check/validate.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const requirementsMd = path.resolve(root, '..', 'shared', 'plan', 'requirements.md');

function policyPack() {
  const loaded = loadPaths([path.join(root, 'policies')]);
  const policy = compileModules(loaded.modules);
  return { policy, data: loaded.data };
}

function findings(query: string, input: Value): Expected[] {
  const { policy, data } = pack;
  const rows = policy.prepare(query).eval({ input, data });
  if (rows.length === 0) return [];
  const js = toJS(rows[0].expressions[0].value) as { requirement: string; status: string; subject: Record<string, unknown> }[];
  return sortExpected(
    js.map((f) => {
      const { institution: _i, ...subject } = f.subject as Record<string, unknown>;
      return { requirement: f.requirement, status: f.status, subject: sortKeys(subject as never) as Record<string, never> };
    }),
  );
}

let pack: ReturnType<typeof policyPack>;

describe('policy examples', () => {
  pack = policyPack();
  const stateDir = path.join(root, 'examples', 'state');
  const roles = existsSync(stateDir) ? readdirSync(stateDir).filter((d) => existsSync(path.join(stateDir, d, 'compliant.json'))) : [];

  it('are assembled from their parts and committed (npm run examples)', () => {
    for (const [rel, text] of buildExamples(root).files) {
      expect(readFileSync(path.join(root, rel), 'utf8'), rel).toBe(text);
    }
  });

  for (const role of roles) {
    it(`state/${role}: both documents are valid against the state schema`, () => {
      const validate = schemaValidator('state');
      for (const f of ['compliant.json', 'violating.json']) {
        const ok = validate(JSON.parse(readFileSync(path.join(stateDir, role, f), 'utf8')));
        expect(ok, `${role}/${f}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
      }
    });
    it(`state/${role}: the compliant document has no finding`, () => {
      const input = parseJSON(readFileSync(path.join(stateDir, role, 'compliant.json'), 'utf8'));
      expect(findings('data.bligate.state.findings', input)).toEqual([]);
    });
    it(`state/${role}: the violating document gives exactly its documented findings`, () => {
      const input = parseJSON(readFileSync(path.join(stateDir, role, 'violating.json'), 'utf8'));
      const expected = JSON.parse(readFileSync(path.join(stateDir, role, 'violating.expected.json'), 'utf8')) as Expected[];
      expect(findings('data.bligate.state.findings', input)).toEqual(sortExpected(expected.map((e) => ({ ...e, subject: sortKeys(e.subject as never) as never }))));
    });
  }

  const configDir = path.join(root, 'examples', 'config');
  if (existsSync(path.join(configDir, 'compliant.yaml'))) {
    it('config: both configurations are valid against the config schema', () => {
      const validate = schemaValidator('config');
      for (const f of ['compliant.yaml', 'violating.yaml']) {
        const ok = validate(parseYAML(readFileSync(path.join(configDir, f), 'utf8')));
        expect(ok, `${f}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
      }
    });
    it('config: the compliant configuration has no finding', () => {
      const input = fromJS(parseYAML(readFileSync(path.join(configDir, 'compliant.yaml'), 'utf8')));
      expect(findings('data.bligate.config.findings', input)).toEqual([]);
    });
    it('config: the violating configuration gives exactly its documented findings', () => {
      const input = fromJS(parseYAML(readFileSync(path.join(configDir, 'violating.yaml'), 'utf8')));
      const expected = JSON.parse(readFileSync(path.join(root, CONFIG_EXPECTED), 'utf8')) as Expected[];
      expect(findings('data.bligate.config.findings', input)).toEqual(sortExpected(expected.map((e) => ({ ...e, subject: sortKeys(e.subject as never) as never }))));
    });
  }
});

describe('requirements matrix', () => {
  it('covers every requirement with rules and tests, and is up to date (npm run matrix)', () => {
    const { rows, unknown } = buildMatrix(root, readFileSync(requirementsMd, 'utf8'));
    expect(matrixProblems(rows, unknown)).toEqual([]);
    expect(readFileSync(path.join(root, 'docs', 'requirements-matrix.md'), 'utf8')).toBe(renderMatrix(rows));
  });
});
