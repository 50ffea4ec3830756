// `npm run matrix` regenerates docs/requirements-matrix.md; `npm run matrix -- --check` fails
// (exit 1) when it is stale or when a requirement has no rule or no test.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMatrix, matrixProblems, renderMatrix } from './matrix.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const reqFile = process.env.BLIGATE_REQUIREMENTS ?? path.resolve(root, '..', 'shared', 'plan', 'requirements.md');
const out = path.join(root, 'docs', 'requirements-matrix.md');
const check = process.argv.includes('--check');

if (!existsSync(reqFile)) {
  console.error(`matrix: requirements not found: ${reqFile}`);
  process.exit(2);
}
const { rows, unknown } = buildMatrix(root, readFileSync(reqFile, 'utf8'));
const text = renderMatrix(rows);
const problems = matrixProblems(rows, unknown);

if (check) {
  const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
  if (current !== text) problems.unshift(`docs/requirements-matrix.md is stale: run npm run matrix and commit it`);
  for (const p of problems) console.error(`matrix: ${p}`);
  const covered = rows.filter((r) => r.rules.length && r.tests.length).length;
  console.log(`matrix: ${covered}/${rows.length} requirements have rules and tests`);
  process.exit(problems.length ? 1 : 0);
}
writeFileSync(out, text);
console.log(`matrix: wrote ${path.relative(root, out)} (${rows.length} requirements)`);
for (const p of problems) console.warn(`matrix: ${p}`);
