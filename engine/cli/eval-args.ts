// Arguments of `bligate rego eval` (kept apart from the evaluator so that help and usage
// errors do not load the engine).

import { parseOptions, UsageError } from './args.ts';

export const EVAL_USAGE = `Usage:
  bligate rego eval [flags] QUERY

Evaluate a Rego query and print the result (as \`opa eval\` does).

Flags:
  -d, --data PATH              load policies (.rego) and data (.json, .yaml, .yml) from a file
                               or directory (recursively); repeatable; \`a.b:PATH\` loads under data.a.b
  -i, --input FILE             input document (JSON or YAML)
  -I, --stdin-input            read the input document from stdin
  -f, --format FORMAT          json (default), pretty, values, bindings or raw
      --fail                   exit 1 when the result is undefined (empty)
      --fail-defined           exit 1 when the result is defined (non-empty)
      --strict-builtin-errors  treat the first built-in function error as fatal
  -h, --help                   this text

Exit status: 0 on success; 2 on errors; 1 with --fail on an undefined result and with
--fail-defined on a defined one.`;

const FORMATS = ['json', 'pretty', 'values', 'bindings', 'raw'] as const;
type Format = (typeof FORMATS)[number];

export interface EvalParams {
  data: string[];
  input?: string;
  stdinInput: boolean;
  format: Format;
  fail: boolean;
  failDefined: boolean;
  strictBuiltinErrors: boolean;
  query: string;
}

export function parseEvalArgs(argv: string[]): EvalParams | 'help' {
  const p = parseOptions(argv, [
    { name: 'data', short: 'd', value: true, repeat: true },
    { name: 'input', short: 'i', value: true },
    { name: 'stdin-input', short: 'I' },
    { name: 'format', short: 'f', value: true },
    { name: 'fail' },
    { name: 'fail-defined' },
    { name: 'strict-builtin-errors' },
    { name: 'help', short: 'h' },
  ]);
  if (p.flags.has('help')) return 'help';
  if (p.positional.length === 0) throw new UsageError('specify query argument');
  if (p.positional.length > 1) throw new UsageError('specify at most one query argument');
  const format = (p.values.get('format')?.[0] ?? 'json') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`invalid argument "${format}" for "-f, --format" flag: must be one of ${FORMATS.join(', ')}`);
  const fail = p.flags.has('fail');
  const failDefined = p.flags.has('fail-defined');
  if (fail && failDefined) throw new UsageError('specify --fail or --fail-defined but not both');
  const input = p.values.get('input')?.[0];
  const stdinInput = p.flags.has('stdin-input');
  if (stdinInput && input !== undefined) throw new UsageError('specify --stdin-input or --input but not both');
  return {
    data: p.values.get('data') ?? [],
    input,
    stdinInput,
    format,
    fail,
    failDefined,
    strictBuiltinErrors: p.flags.has('strict-builtin-errors'),
    query: p.positional[0],
  };
}
