#!/usr/bin/env node
// The `bligate` command. TypeScript runs without a build step: tsx's ESM loader is registered
// in-process, then the CLI entry point (engine/cli/main.ts) is imported.
import { register } from 'tsx/esm/api';

register();
try {
  const { main } = await import('../engine/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  // Only reached when the CLI itself cannot load; main() reports its own errors.
  process.stderr.write(`bligate: internal error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
  if (process.env.BLIGATE_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  process.exitCode = 2;
}
