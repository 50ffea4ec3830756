// The `bligate` command line. Usage errors exit 2 with a one-line message; no stack traces reach
// users (set BLIGATE_DEBUG=1 to see them for internal errors).

import { UsageError } from './args.ts';

const VERSION = '0.1.0';

export const USAGE = `bligate: policy-as-code compliance engine (Rego, evaluated in-process)

Usage:
  bligate <command> [flags]

Commands:
  evaluate      evaluate the institutions' live state in the database (state mode)
  demo          seed the demo data set into the database
  verify-log    verify the hash chain of the query log (changed, missing, reordered rows)
  check         check configuration files against the plan (CI: text, json, sarif, junit, github)
  rego eval     evaluate a Rego query (OPA-compatible \`opa eval\`)
  rego test     run Rego tests (\`opa test\`)
  rego check    check Rego modules (\`opa check\`)

Flags:
  -h, --help      help for bligate
      --version   print the version

Run 'bligate rego --help' for the policy-author tools.`;

export const REGO_USAGE = `bligate rego: OPA-compatible tools for policy authors

Usage:
  bligate rego <command> [flags]

Commands:
  eval     evaluate a Rego query and print the result
  test     run Rego tests (OPA-compatible \`opa test\`)
  check    check Rego modules for parse and compile errors (\`opa check\`)
  capabilities  list the supported built-ins (OPA's capabilities JSON)

Run 'bligate rego <command> --help' for the flags of a command.`;

export interface IO {
  stdout(s: string): void;
  stderr(s: string): void;
}

const processIO: IO = {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
};

function usageError(io: IO, message: string, hint: string): number {
  io.stderr(`bligate: ${message}\n${hint}\n`);
  return 2;
}

const isHelp = (a: string | undefined) => a === '-h' || a === '--help' || a === 'help';

async function rego(argv: string[], io: IO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined) return usageError(io, 'missing command after "rego"', "Run 'bligate rego --help' for usage.");
  if (isHelp(sub)) {
    io.stdout(REGO_USAGE + '\n');
    return 0;
  }
  if (sub === 'eval') {
    const { parseEvalArgs, EVAL_USAGE } = await import('./eval-args.ts');
    let params;
    try {
      params = parseEvalArgs(rest);
    } catch (e) {
      if (e instanceof UsageError) return usageError(io, `rego eval: ${e.message}`, "Run 'bligate rego eval --help' for usage.");
      throw e;
    }
    if (params === 'help') {
      io.stdout(EVAL_USAGE + '\n');
      return 0;
    }
    const { runEval } = await import('./eval.ts');
    return runEval(params, io);
  }
  if (sub === 'test') return (await import('./regotest.ts')).run(rest, io);
  if (sub === 'check') return (await import('./regocheck.ts')).run(rest, io);
  if (sub === 'capabilities') return (await import('./capabilities.ts')).run(rest, io);
  return usageError(io, `unknown command "rego ${sub}"`, "Run 'bligate rego --help' for usage.");
}

export async function main(argv: string[], io: IO = processIO): Promise<number> {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined) {
      io.stderr(USAGE + '\n');
      return 2;
    }
    if (isHelp(cmd)) {
      io.stdout(USAGE + '\n');
      return 0;
    }
    if (cmd === '--version' || cmd === 'version') {
      io.stdout(`bligate ${VERSION}\n`);
      return 0;
    }
    if (cmd === 'rego') return await rego(rest, io);
    if (cmd === 'check') return await (await import('./check.ts')).run(rest, io, { isTTY: process.stdout.isTTY });
    if (cmd === 'evaluate') return await (await import('./evaluate.ts')).run(rest, { ...io, isTTY: io === processIO && process.stderr.isTTY === true });
    if (cmd === 'verify-log') return await (await import('./verifylog.ts')).run(rest, io);
    if (cmd === 'demo') return await (await import('./demo.ts')).run(rest, { ...io, isTTY: io === processIO && process.stderr.isTTY === true });
    if (cmd.startsWith('-')) return usageError(io, `unknown flag: ${cmd}`, "Run 'bligate --help' for usage.");
    return usageError(io, `unknown command "${cmd}"`, "Run 'bligate --help' for usage.");
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    io.stderr(`bligate: internal error: ${msg}\n`);
    if (process.env.BLIGATE_DEBUG && e instanceof Error && e.stack) io.stderr(e.stack + '\n');
    return 2;
  }
}
