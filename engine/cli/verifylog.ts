// `bligate verify-log [--db URL] [--data-dir DIR] [--format text|json]`: recomputes the query
// log's hash chain (engine/db/verify.ts) and reports every changed, missing or reordered row by
// seq. Exit 0: intact; 1: not intact; 2: usage or connection errors.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseOptions, UsageError } from './args.ts';
import { DatabaseConnectionError, DEFAULT_DATA_DIR, openDatabase, resolveDatabaseUrl, type OpenDatabase } from '../db/connect.ts';
import { verifyQueryLog, type Problem, type ProblemKind } from '../db/verify.ts';

export interface RunIO {
  stdout(s: string): void;
  stderr(s: string): void;
}

export const VERIFY_LOG_USAGE = `Usage:
  bligate verify-log [flags]

Recompute the query log's hash chain, in seq order and in batches, and report every row that was
changed, is missing (a gap in seq) or stands out of order, with its sequence number.

Flags:
      --db URL            PostgreSQL URL (postgres://user@host:port/db); default: $DATABASE_URL,
                          else the embedded database
      --data-dir DIR      the embedded database's directory (default ${DEFAULT_DATA_DIR})
  -f, --format FORMAT     text (default) or json
      --batch N           rows per batch (default 5000)
      --max-problems N    problems to list (default 1000; all are counted)
  -h, --help              this text

Exit status: 0 when the log is intact; 1 when it is not; 2 on usage or connection errors.`;

interface Params {
  url: string | undefined;
  dataDir: string;
  format: 'text' | 'json';
  batch: number;
  maxProblems: number;
}

function positiveInt(flag: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw new UsageError(`invalid argument "${v}" for "--${flag}" flag: a positive integer`);
  return Number(v);
}

export function parseVerifyLogArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): Params | 'help' {
  const p = parseOptions(argv, [
    { name: 'db', value: true },
    { name: 'data-dir', value: true },
    { name: 'format', short: 'f', value: true },
    { name: 'batch', value: true },
    { name: 'max-problems', value: true },
    { name: 'help', short: 'h' },
  ]);
  if (p.flags.has('help')) return 'help';
  if (p.positional.length > 0) throw new UsageError(`unexpected argument: ${p.positional[0]}`);
  const format = p.values.get('format')?.[0] ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`invalid argument "${format}" for "-f, --format" flag: must be one of text, json`);
  const db = p.values.get('db')?.[0];
  if (db !== undefined && db === '') throw new UsageError('--db needs a URL');
  return {
    url: resolveDatabaseUrl(db, env),
    dataDir: p.values.get('data-dir')?.[0] ?? DEFAULT_DATA_DIR,
    format,
    batch: positiveInt('batch', p.values.get('batch')?.[0], 5000),
    maxProblems: positiveInt('max-problems', p.values.get('max-problems')?.[0], 1000),
  };
}

const n = (x: number) => x.toLocaleString('en-US');

function problemLine(p: Problem): string {
  const where = p.seqTo !== undefined ? `seq ${p.seqTo === p.seq ? p.seq : `${p.seq}..${p.seqTo}`}` : `seq ${p.seq}`;
  return `${p.kind.padEnd(10)} ${where}: ${p.detail}\n`;
}

export async function run(argv: string[], io: RunIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let params: Params | 'help';
  try {
    params = parseVerifyLogArgs(argv, env);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`bligate: verify-log: ${e.message}\nRun 'bligate verify-log --help' for usage.\n`);
      return 2;
    }
    throw e;
  }
  if (params === 'help') {
    io.stdout(VERIFY_LOG_USAGE + '\n');
    return 0;
  }
  if (params.url === undefined && !existsSync(path.join(params.dataDir, 'PG_VERSION'))) {
    io.stderr(`bligate: verify-log: no embedded database in ${path.resolve(params.dataDir)} (give --db URL or --data-dir DIR)\n`);
    return 2;
  }

  let handle: OpenDatabase;
  try {
    handle = await openDatabase(params.url !== undefined ? { url: params.url } : { dataDir: params.dataDir });
  } catch (e) {
    if (e instanceof DatabaseConnectionError) {
      io.stderr(`bligate: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  try {
    const hasLog = await handle.db
      .selectFrom('information_schema.tables' as never)
      .select('table_name' as never)
      .where('table_name' as never, 'in', ['query_log', 'query_log_head'] as never)
      .execute();
    if (hasLog.length < 2) {
      io.stderr(`bligate: verify-log: ${handle.location} has no query log (its schema is not migrated)\n`);
      return 2;
    }
    const text = params.format === 'text';
    const report = await verifyQueryLog(handle.db, {
      batchSize: params.batch,
      maxProblems: params.maxProblems,
      onProblem: text ? (p) => io.stdout(problemLine(p)) : undefined,
    });
    if (text) {
      const range = report.firstSeq === null ? 'no rows' : `seq ${n(report.firstSeq)}..${n(report.lastSeq!)}`;
      const where = `${handle.kind === 'postgres' ? 'PostgreSQL' : 'embedded database'} ${handle.location}`;
      if (report.ok) {
        io.stdout(`verify-log: intact: ${n(report.rows)} rows (${range}) in ${where}\n`);
      } else {
        const total = Object.values(report.counts).reduce((a, b) => a + b, 0);
        const parts = (Object.entries(report.counts) as [ProblemKind, number][]).filter(([, c]) => c > 0).map(([k, c]) => `${n(c)} ${k}`);
        io.stdout(`verify-log: NOT INTACT: ${n(total)} problem${total === 1 ? '' : 's'} (${parts.join(', ')}) in ${n(report.rows)} rows (${range}) in ${where}\n`);
      }
    } else {
      io.stdout(
        JSON.stringify(
          {
            ok: report.ok,
            rows: report.rows,
            first_seq: report.firstSeq,
            last_seq: report.lastSeq,
            head: report.head,
            counts: report.counts,
            problems: report.problems,
            truncated: report.truncated,
          },
          null,
          2,
        ) + '\n',
      );
    }
    return report.ok ? 0 : 1;
  } catch (e) {
    const msg = String((e as Error)?.message ?? e).split('\n')[0];
    io.stderr(`bligate: verify-log: ${msg}\n`);
    if (env.BLIGATE_DEBUG && e instanceof Error) io.stderr(`${e.stack}\n`);
    return 2;
  } finally {
    await handle.close();
  }
}
