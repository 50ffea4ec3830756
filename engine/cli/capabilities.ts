// `bligate rego capabilities`: the built-ins and language features this engine supports, in the
// shape of OPA's capabilities JSON (`opa capabilities --current`).

import { defaultBuiltins } from '../rego/builtins/index.ts';
import type { IO } from './main.ts';

export const CAPABILITIES_USAGE = `Print the capabilities of bligate's Rego engine (OPA's capabilities JSON).

Usage:
  bligate rego capabilities [--format json|pretty]

Flags:
  -f, --format   json (default, OPA's capabilities document) or pretty (one built-in per line)`;

export function capabilities(): Record<string, unknown> {
  const builtins = [...defaultBuiltins().values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((b) => {
      const decl: Record<string, unknown> = { type: 'function', args: b.args, result: b.result };
      if (b.variadic) decl.variadic = { type: 'any' };
      const out: Record<string, unknown> = { name: b.name, decl };
      if (b.infix) out.infix = b.infix;
      if (b.nondeterministic) out.nondeterministic = true;
      if (b.deprecated) out.deprecated = true;
      if (b.relation) out.relation = true;
      if (b.description) out.description = b.description;
      return out;
    });
  return {
    builtins,
    future_keywords: ['contains', 'every', 'if', 'in'],
    wasm_abi_versions: [],
    features: ['rego_v1', 'rule_head_ref_string_prefixes', 'rule_head_refs', 'template_strings'],
  };
}

export async function run(argv: string[], io: IO): Promise<number> {
  let format = 'json';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      io.stdout(CAPABILITIES_USAGE + '\n');
      return 0;
    }
    if (a === '-f' || a === '--format') format = argv[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice(9);
    else {
      io.stderr(`bligate: rego capabilities: unknown argument "${a}"\nRun 'bligate rego capabilities --help' for usage.\n`);
      return 2;
    }
  }
  const caps = capabilities();
  if (format === 'json') {
    io.stdout(JSON.stringify(caps, null, 2) + '\n');
    return 0;
  }
  if (format === 'pretty') {
    for (const b of caps.builtins as { name: string; decl: { args: unknown[] }; deprecated?: boolean }[]) {
      io.stdout(`${b.name}/${b.decl.args.length}${b.deprecated ? ' (deprecated)' : ''}\n`);
    }
    io.stdout(`${(caps.builtins as unknown[]).length} built-ins\n`);
    return 0;
  }
  io.stderr(`bligate: rego capabilities: unknown format "${format}" (json or pretty)\n`);
  return 2;
}
