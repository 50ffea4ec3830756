// The newest modification time of bligate's TypeScript sources (engine/**/*.ts and bench/**/*.ts,
// tests excluded),
// to tell whether dist/bligate.mjs is current.

import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export function newestSource(root) {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(path.join(root, 'engine'));
  walk(path.join(root, 'bench')); // dist/state-eval.mjs
  return newest;
}
