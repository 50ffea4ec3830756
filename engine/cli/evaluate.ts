// `bligate evaluate [--as-of INSTANT] [--db URL] [--format text|json]`: the institution's live
// state, from the database, through the policy pack (state mode).
//
// - The database: --db URL, else DATABASE_URL, else the embedded PGlite database in
//   --data-dir (default ./.bligate/db). An empty embedded database is seeded with the demo
//   first (the README's quick start), and evaluated as of the demo's instant.
// - Every institution in the database is evaluated (or those named with --institution).
// - Output: text (bilingual, grouped by requirement) or json (the findings array) on stdout; a
//   progress line on stderr when the run takes over a second (on a TTY, or with --progress).
// - Exit status: 0 when there is no violation (due_soon findings do not fail), 1 when there
//   are violations, 2 on usage or database errors (one line on stderr).

import os from 'node:os';
import { POLICY_DIR } from '../paths.ts';
import { parseOptions, UsageError } from './args.ts';

export interface RunIO {
  stdout(s: string): void;
  stderr(s: string): void;
  /** Whether stderr is a terminal (progress shown only then, unless --progress). */
  isTTY?: boolean;
}

export const EVALUATE_USAGE = `Usage:
  bligate evaluate [flags]

Evaluate the institutions' live state in the database against the policy pack (state mode) and
print the findings grouped by requirement. With no database configured and an empty embedded
database, the demo data set is seeded first (see docs/demo-violations.md).

Flags:
      --as-of INSTANT     the evaluation's instant, RFC 3339 with offset (default: now; for the
                          demo database: the demo's instant, 2026-11-27T10:00:00+08:00)
      --db URL            PostgreSQL URL (default: $DATABASE_URL; none: embedded database)
      --data-dir DIR      embedded database directory (default ./.bligate/db)
  -f, --format FORMAT     text (default) or json
  -i, --institution ID    evaluate only this institution (repeatable)
  -p, --policies DIR      the policy pack (default: the bundled policies/)
      --no-cache          evaluate every query-log record again (ignore cached results)
      --workers N         evaluate the query log in N worker threads, each reading its part of
                          the log over its own connection (PostgreSQL only; default: 2, or 1
                          on a one-core machine; 1 = the main thread; ~300 MB each)
      --no-seed           never seed the demo into an empty embedded database
      --progress          show progress on stderr even when it is not a terminal
  -h, --help              this text

Exit status: 0 no violation; 1 violations found; 2 usage or database error.`;


interface Params {
  asOf?: string;
  url?: string;
  dataDir?: string;
  format: 'text' | 'json';
  institutions: string[];
  policies: string;
  cache: boolean;
  /** undefined: the default (2 threads on PostgreSQL when there are 2 cores). */
  workers: number | undefined;
  seed: boolean;
  progress: boolean;
}

function parse(argv: string[]): Params | 'help' {
  const o = parseOptions(argv, [
    { name: 'as-of', value: true },
    { name: 'db', value: true },
    { name: 'data-dir', value: true },
    { name: 'format', short: 'f', value: true },
    { name: 'institution', short: 'i', value: true, repeat: true },
    { name: 'policies', short: 'p', value: true },
    { name: 'no-cache' },
    { name: 'workers', value: true },
    { name: 'no-seed' },
    { name: 'progress' },
    { name: 'help', short: 'h' },
  ]);
  if (o.flags.has('help')) return 'help';
  if (o.positional.length) throw new UsageError(`unexpected argument "${o.positional[0]}"`);
  const format = o.values.get('format')?.[0] ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`invalid --format "${format}": text or json`);
  const workersText = o.values.get('workers')?.[0];
  const workers = workersText === undefined ? undefined : Number(workersText);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 64)) {
    throw new UsageError(`invalid --workers "${workersText}": a whole number from 1 to 64`);
  }
  return {
    asOf: o.values.get('as-of')?.[0],
    url: o.values.get('db')?.[0],
    dataDir: o.values.get('data-dir')?.[0],
    format,
    institutions: o.values.get('institution') ?? [],
    policies: o.values.get('policies')?.[0] ?? POLICY_DIR,
    cache: !o.flags.has('no-cache'),
    workers,
    seed: !o.flags.has('no-seed'),
    progress: o.flags.has('progress'),
  };
}

/** A progress line on stderr, rewritten in place, shown once the run is older than a second. */
function progressReporter(io: RunIO, enabled: boolean) {
  const started = Date.now();
  let shown = false;
  let last = 0;
  return {
    update(text: string) {
      if (!enabled) return;
      const now = Date.now();
      if (now - started < 1000 || now - last < 100) return;
      last = now;
      shown = true;
      io.stderr(`\r\x1b[K${text}`);
    },
    done() {
      if (shown) io.stderr('\r\x1b[K');
    },
  };
}

export async function run(argv: string[], io: RunIO): Promise<number> {
  let p: Params | 'help';
  try {
    p = parse(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`bligate: evaluate: ${e.message}\nRun 'bligate evaluate --help' for usage.\n`);
      return 2;
    }
    throw e;
  }
  if (p === 'help') {
    io.stdout(EVALUATE_USAGE + '\n');
    return 0;
  }
  const { parseInstant } = await import('../state/time.ts');
  let asOf: Date | undefined;
  try {
    if (p.asOf !== undefined) asOf = parseInstant(p.asOf);
  } catch (e) {
    io.stderr(`bligate: evaluate: ${(e as Error).message}\n`);
    return 2;
  }

  const { openDatabase, resolveDatabaseUrl, DatabaseConnectionError, isDatabaseFault } = await import('../db/connect.ts');
  const { MigrationError } = await import('../db/migrate.ts');
  const url = resolveDatabaseUrl(p.url);
  const progress = progressReporter(io, p.progress || io.isTTY === true);
  let handle;
  try {
    handle = await openDatabase({ url, dataDir: p.dataDir, migrate: true });
  } catch (e) {
    if (e instanceof DatabaseConnectionError || e instanceof MigrationError) {
      io.stderr(`bligate: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  try {
    const { listInstitutions, CollectError } = await import('../state/collect.ts');
    const { isEmpty, seedDemo } = await import('../demo/seed.ts');
    const { DEMO_AS_OF, isDemoInstitutions } = await import('../demo/generate.ts');
    const db = handle.db as never;

    if (!url && p.seed && (await isEmpty(db))) {
      io.stderr(`bligate: the embedded database ${handle.location} is empty: seeding the demo (docs/demo-violations.md)…\n`);
      await seedDemo(handle, { progress: (done, total) => progress.update(`seeding the demo: ${Math.floor((100 * done) / total)} %`) });
    }
    const all = await listInstitutions(db);
    if (all.length === 0) {
      progress.done();
      io.stderr(`bligate: evaluate: the database ${handle.location} holds no institution (run 'bligate demo' to seed the demo)\n`);
      return 2;
    }
    if (!asOf) {
      if (isDemoInstitutions(all)) {
        asOf = new Date(DEMO_AS_OF);
        io.stderr(`bligate: demo database: evaluating as of the demo's instant ${DEMO_AS_OF} (use --as-of to change)\n`);
      } else asOf = new Date();
    }
    const chosen = p.institutions.length ? all.filter((i) => p.institutions.includes(i.id)) : all;
    for (const id of p.institutions) {
      if (!all.some((i) => i.id === id)) {
        progress.done();
        io.stderr(`bligate: evaluate: institution "${id}" is not in the database\n`);
        return 2;
      }
    }

    const { loadPolicyPack } = await import('../state/policy.ts');
    const { evaluateInstitution, mergeFindings } = await import('../state/evaluate.ts');
    const { taipeiISO } = await import('../state/time.ts');
    let pack;
    try {
      pack = loadPolicyPack(p.policies);
    } catch (e) {
      progress.done();
      io.stderr(`bligate: evaluate: cannot load the policy pack ${p.policies}: ${(e as Error).message.split('\n')[0]}\n`);
      return 2;
    }
    const lists = [];
    const records: Record<string, number> = {};
    for (const inst of chosen) {
      try {
        const r = await evaluateInstitution(db, {
          asOf,
          institutionId: inst.id,
          pack,
          cache: p.cache,
          workers: p.workers ?? (handle.kind === 'postgres' ? Math.min(2, os.availableParallelism()) : 1),
          databaseUrl: handle.kind === 'postgres' ? url : undefined,
          pool: handle.pool,
          onProgress: (x) =>
            progress.update(
              x.phase === 'records' && x.total
                ? `${inst.id}: query log ${Math.min(100, Math.floor((100 * (x.done ?? 0)) / x.total))} % (${(x.done ?? 0).toLocaleString('en-US')} / ${x.total.toLocaleString('en-US')})`
                : `${inst.id}: ${x.phase === 'collect' ? 'collecting the state' : x.phase === 'evaluate' ? 'evaluating' : 'done'}`,
            ),
        });
        lists.push(r.findings);
        records[inst.id] = r.stats.records;
      } catch (e) {
        if (e instanceof CollectError) {
          progress.done();
          io.stderr(`bligate: evaluate: ${e.message}\n`);
          return 2;
        }
        throw e;
      }
    }
    progress.done();
    const findings = mergeFindings(lists);
    const { renderText, renderJSON } = await import('../report/render.ts');
    io.stdout(p.format === 'json' ? renderJSON(findings) : renderText(findings, { asOf: taipeiISO(asOf), institutions: chosen, records }));
    return findings.some((f) => f.status === 'violation') ? 1 : 0;
  } catch (e) {
    progress.done();
    // A database that went away mid-run (or refused a statement): one line, exit 2.
    if (isDatabaseFault(e)) {
      io.stderr(`bligate: evaluate: database error: ${(e as Error).message.split('\n')[0]}\n`);
      return 2;
    }
    throw e;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
