// Where bligate's own files are (policies/, engine/schema/, …), whether it runs from the
// TypeScript sources or from the bundle in dist/: the nearest directory upwards holding
// bligate's package.json.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'bligate') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`bligate: cannot find the bligate installation above ${start}`);
    dir = up;
  }
}

export const ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
export const POLICY_DIR = path.join(ROOT, 'policies');
export const SCHEMA_DIR = path.join(ROOT, 'engine', 'schema');
