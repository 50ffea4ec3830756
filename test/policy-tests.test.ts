// The policy pack's own Rego tests pass under `bligate rego test`, cover at least 95 % of
// policies/, and the pack is clean under `bligate rego check --strict`.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'bligate.mjs');

function bligate(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
}

describe('policy pack', () => {
  it('passes rego check --strict', () => {
    const r = bligate('rego', 'check', '--strict', 'policies');
    expect(r.stderr + r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  it('passes its Rego tests with ≥ 95 % coverage of policies/', () => {
    const r = bligate('rego', 'test', 'policies', 'rules-tests', '--coverage');
    expect(r.status, r.stderr).toBe(0);
    const cov = JSON.parse(r.stdout) as { files: Record<string, { covered_lines?: number; not_covered_lines?: number }> };
    let covered = 0;
    let total = 0;
    for (const [file, f] of Object.entries(cov.files)) {
      if (!file.startsWith('policies/')) continue;
      covered += f.covered_lines ?? 0;
      total += (f.covered_lines ?? 0) + (f.not_covered_lines ?? 0);
    }
    expect(total).toBeGreaterThan(0);
    expect((100 * covered) / total).toBeGreaterThanOrEqual(95);
  }, 120_000);
});
