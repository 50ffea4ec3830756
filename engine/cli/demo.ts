// `bligate demo [--db URL] [--reset]`: seeds the demo data set (engine/demo/generate.ts) — a
// user unit with ~200,000 queries over two years, JCIC and the FSC, with the injected
// violations listed in docs/demo-violations.md — into the database.

import { parseOptions, UsageError } from './args.ts';

export interface RunIO {
  stdout(s: string): void;
  stderr(s: string): void;
  isTTY?: boolean;
}

export const DEMO_USAGE = `Usage:
  bligate demo [flags]

Seed the demo data set into the database (default: the embedded database ./.bligate/db):
示範銀行 Demo Bank (a batch/server user unit: 40 staff, ~200,000 queries over two years with
their requests, approvals and consents, weekly sheets, monthly samples, reviews, audits), JCIC
and the FSC, with one or more injected violations of every automated requirement
(docs/demo-violations.md, engine/demo/expected.json). Then run 'bligate evaluate'.

Flags:
      --db URL          PostgreSQL URL (default: $DATABASE_URL; none: embedded database)
      --data-dir DIR    embedded database directory (default ./.bligate/db)
      --reset           remove everything in the database first (all bligate tables!)
      --progress        show progress on stderr even when it is not a terminal
  -h, --help            this text

Exit status: 0 seeded; 2 usage or database error (or the database is not empty without --reset).`;

export async function run(argv: string[], io: RunIO): Promise<number> {
  let o;
  try {
    o = parseOptions(argv, [
      { name: 'db', value: true },
      { name: 'data-dir', value: true },
      { name: 'reset' },
      { name: 'progress' },
      { name: 'help', short: 'h' },
    ]);
    if (o.positional.length) throw new UsageError(`unexpected argument "${o.positional[0]}"`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`bligate: demo: ${e.message}\nRun 'bligate demo --help' for usage.\n`);
      return 2;
    }
    throw e;
  }
  if (o.flags.has('help')) {
    io.stdout(DEMO_USAGE + '\n');
    return 0;
  }
  const { openDatabase, resolveDatabaseUrl, DatabaseConnectionError, DEFAULT_DATA_DIR } = await import('../db/connect.ts');
  const { MigrationError, migrateToLatest } = await import('../db/migrate.ts');
  const url = resolveDatabaseUrl(o.values.get('db')?.[0]);
  const dataDir = o.values.get('data-dir')?.[0] ?? DEFAULT_DATA_DIR;
  const reset = o.flags.has('reset');
  const showProgress = o.flags.has('progress') || io.isTTY === true;
  if (reset && !url) {
    const { rmSync } = await import('node:fs');
    rmSync(dataDir, { recursive: true, force: true });
  }
  let handle;
  try {
    handle = await openDatabase({ url, dataDir, migrate: !(reset && url) });
    if (reset && url) {
      const { dropEverything } = await import('../demo/seed.ts');
      await dropEverything(handle.db as never);
      await migrateToLatest(handle.db);
    }
  } catch (e) {
    if (handle) await handle.close().catch(() => undefined);
    if (e instanceof DatabaseConnectionError || e instanceof MigrationError) {
      io.stderr(`bligate: ${e.message}\n`);
      return 2;
    }
    const err = e as { code?: unknown; message?: string };
    if (typeof err?.code === 'string') {
      io.stderr(`bligate: demo: database error: ${String(err.message).split('\n')[0]}\n`);
      return 2;
    }
    throw e;
  }
  try {
    const { isEmpty, seedDemo } = await import('../demo/seed.ts');
    if (!(await isEmpty(handle.db as never))) {
      io.stderr(`bligate: demo: the database ${handle.location} is not empty; use --reset to replace its content with the demo\n`);
      return 2;
    }
    const started = Date.now();
    let last = 0;
    const r = await seedDemo(handle, {
      progress: (done, total) => {
        const now = Date.now();
        if (!showProgress || now - started < 1000 || now - last < 100) return;
        last = now;
        io.stderr(`\r\x1b[Kseeding the demo: ${Math.floor((100 * done) / total)} % (${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} rows)`);
      },
    });
    if (showProgress && Date.now() - started >= 1000) io.stderr('\r\x1b[K');
    io.stdout(
      `Seeded the demo into ${handle.location}: ${r.rows.toLocaleString('en-US')} rows, ${r.queries.toLocaleString('en-US')} query-log records, ` +
        `${r.data.injected.length} injected findings (docs/demo-violations.md).\nNext: bligate evaluate${url ? ' --db …' : ''}\n`,
    );
    return 0;
  } catch (e) {
    const err = e as { code?: unknown; message?: string };
    if (typeof err?.code === 'string') {
      io.stderr(`bligate: demo: database error: ${String(err.message).split('\n')[0]}\n`);
      return 2;
    }
    throw e;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
