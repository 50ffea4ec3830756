// Opening bligate's database: PostgreSQL through `pg` when given a postgres:// URL, otherwise
// PGlite (embedded PostgreSQL) in a data directory, default ./.bligate/db. Both get the same
// value parsers (see engine/db/types.ts) and the same migrations (engine/db/migrate.ts).
//
// Failing to reach the database is a DatabaseConnectionError whose message is one line naming
// the host and port (or the data directory) and the cause; callers print `bligate: <message>`.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './types.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { migrateToLatest } from './migrate.ts';

export const DEFAULT_DATA_DIR = path.join('.bligate', 'db');

export type DatabaseKind = 'postgres' | 'pglite';

export interface OpenOptions {
  /** postgres:// or postgresql:// URL; absent → PGlite. */
  url?: string;
  /** PGlite data directory (default ./.bligate/db). Ignored with a URL. */
  dataDir?: string;
  /** Bring the schema up to date after connecting (default false). */
  migrate?: boolean;
  /** pg pool size (default 4). */
  poolSize?: number;
  /** Seconds to wait for a PostgreSQL connection (default 10). */
  connectTimeoutSeconds?: number;
}

export interface OpenDatabase {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Where it is, for messages: 'host:port/dbname' (no credentials) or the data directory. */
  location: string;
  /** The pg pool (PostgreSQL only): for COPY and other driver-level work. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

/** The database could not be reached or opened. `message` is one line, fit for the user. */
export class DatabaseConnectionError extends Error {
  constructor(
    message: string,
    readonly kind: DatabaseKind,
    readonly location: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'DatabaseConnectionError';
  }
}

/** A database fault reported by a worker thread (see isDatabaseFault); the message is the driver's. */
export class DatabaseFaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseFaultError';
  }
}

// What the pg driver throws, without a code, when the server goes away mid-query.
const CONNECTION_LOST = /^(Connection terminated|Client has encountered a connection error|Client was closed)/;

/**
 * True when `e` is the database's fault, not bligate's: the server could not be reached, refused
 * a statement (an SQLSTATE code), or went away mid-run (a socket error code or the driver's
 * connection-lost messages). The CLI reports these in one line with exit 2.
 */
export function isDatabaseFault(e: unknown): boolean {
  if (e instanceof DatabaseConnectionError || e instanceof DatabaseFaultError) return true;
  if (!(e instanceof Error)) return false;
  if (typeof (e as { code?: unknown }).code === 'string') return true;
  return CONNECTION_LOST.test(e.message);
}

/** The URL to use: an explicit flag, else DATABASE_URL, else none (embedded). */
export function resolveDatabaseUrl(flag?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = flag ?? env.DATABASE_URL;
  return v === undefined || v === '' ? undefined : v;
}

// ---- value parsers, shared by both drivers -----------------------------------------------------
const OID_INT8 = 20;
const OID_DATE = 1082;

function parseInt8(v: string): number {
  return Number(v);
}
function parseDate(v: string): string {
  return v; // 'YYYY-MM-DD' as PostgreSQL prints it (DateStyle ISO)
}

const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): any {
    if (format === undefined || format === 'text') {
      if (oid === OID_INT8) return parseInt8;
      if (oid === OID_DATE) return parseDate;
    }
    return (pg.types.getTypeParser as (oid: number, format?: string) => unknown)(oid, format ?? 'text');
  },
};

// ---- PostgreSQL --------------------------------------------------------------------------------

/** 'host:port/dbname' of a URL, without credentials. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname || decodeURIComponent(u.searchParams.get('host') ?? '') || 'localhost';
    const port = u.port || '5432';
    const dbname = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default database)';
    return `${host}:${port}/${dbname}`;
  } catch {
    return '(unparseable URL)';
  }
}

function causeOf(e: unknown): { text: string; code?: string } {
  const err = e as { code?: string; message?: string; errors?: unknown[] };
  // Node's AggregateError (IPv4 + IPv6 attempts): take the first inner error.
  if (Array.isArray(err?.errors) && err.errors.length > 0) return causeOf(err.errors[0]);
  const code = err?.code;
  const firstLine = String(err?.message ?? e).split('\n')[0];
  switch (code) {
    case 'ECONNREFUSED':
      return { text: 'connection refused (is PostgreSQL running there?)', code };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { text: 'host not found', code };
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { text: `unreachable (${code})`, code };
    case 'ECONNRESET':
      return { text: 'connection reset by the server', code };
    case '28P01':
    case '28000':
      return { text: `authentication failed: ${firstLine}`, code };
    case '3D000':
      return { text: firstLine, code };
    default:
      if (/timeout/i.test(firstLine)) return { text: 'connection timed out', code: code ?? 'ETIMEDOUT' };
      return { text: firstLine, code };
  }
}

async function openPostgres(url: string, opts: OpenOptions): Promise<OpenDatabase> {
  const location = describeUrl(url);
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new DatabaseConnectionError(
      `not a PostgreSQL URL: expected postgres://user@host:port/dbname, got ${JSON.stringify(url.slice(0, 60))}`,
      'postgres',
      location,
      'EINVALIDURL',
    );
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 4,
    connectionTimeoutMillis: (opts.connectTimeoutSeconds ?? 10) * 1000,
    types: pgTypes,
  });
  // An idle client losing its server must not crash the process.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    const c = causeOf(e);
    throw new DatabaseConnectionError(`cannot connect to PostgreSQL at ${location}: ${c.text}`, 'postgres', location, c.code);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    db,
    kind: 'postgres',
    location,
    pool,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy(); // ends the pool
    },
  };
}

// ---- PGlite ----------------------------------------------------------------------------------

async function openPGlite(opts: OpenOptions): Promise<OpenDatabase> {
  const dataDir = path.resolve(opts.dataDir ?? DEFAULT_DATA_DIR);
  const location = dataDir;
  let pglite;
  try {
    mkdirSync(dataDir, { recursive: true });
    const { PGlite, types } = await import('@electric-sql/pglite');
    pglite = await PGlite.create(dataDir, {
      parsers: { [types.DATE]: parseDate, [types.INT8]: parseInt8 },
    });
    await pglite.query('select 1');
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const first = String(err?.message ?? e).split('\n')[0] || 'unknown error';
    throw new DatabaseConnectionError(`cannot open the embedded database in ${dataDir}: ${first}`, 'pglite', location, err?.code);
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  let closed = false;
  return {
    db,
    kind: 'pglite',
    location,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy(); // closes PGlite (flushes the data directory)
    },
  };
}

/**
 * Opens the database: PostgreSQL with a URL, PGlite in a data directory without one.
 * Throws DatabaseConnectionError (one-line message) when it cannot be reached.
 */
export async function openDatabase(opts: OpenOptions = {}): Promise<OpenDatabase> {
  const handle = opts.url ? await openPostgres(opts.url, opts) : await openPGlite(opts);
  if (opts.migrate) {
    try {
      await migrateToLatest(handle.db);
    } catch (e) {
      await handle.close().catch(() => undefined);
      throw e;
    }
  }
  return handle;
}

/** True when the connected role may use the named privilege on a table (for diagnostics). */
export async function hasTablePrivilege(db: Kysely<Database>, role: string, table: string, privilege: string): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`select has_table_privilege(${role}, ${table}, ${privilege}) as ok`.execute(db);
  return r.rows[0]?.ok === true;
}
