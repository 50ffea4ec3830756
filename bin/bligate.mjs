#!/usr/bin/env node
// The `bligate` command. Runs the bundle dist/bligate.mjs (bin/build.mjs) when it is newer than
// every source file; otherwise registers tsx's ESM loader and imports the TypeScript entry point
// (engine/cli/main.ts) directly, so a fresh checkout or an edited source always runs correctly.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestSource } from './sources.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'bligate.mjs');

async function load() {
  if (!process.env.BLIGATE_NO_BUNDLE && existsSync(bundle) && statSync(bundle).mtimeMs > newestSource(root)) {
    return import(bundle);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import('../engine/cli/main.ts');
}

try {
  const { main } = await load();
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  // Only reached when the CLI itself cannot load; main() reports its own errors.
  process.stderr.write(`bligate: internal error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
  if (process.env.BLIGATE_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  process.exitCode = 2;
}
