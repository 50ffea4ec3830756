// A kysely dialect for PGlite (the embedded PostgreSQL in WebAssembly).
//
// Why not the `kysely-pglite-dialect` package: its peer range is @electric-sql/pglite
// ^0.2 || ^0.3 || ^0.4, and bligate uses 0.5 (PostgreSQL 18). The driver is small: PGlite is one
// connection, so a mutex hands it to one kysely "connection" at a time (a transaction holds it
// from BEGIN to COMMIT, so other queries cannot slip into it), and everything else — the query
// compiler, the adapter (transactional DDL, the migration lock), introspection — is kysely's
// own PostgreSQL code.
import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite);
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}

/** A FIFO mutex. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const acquired = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return acquired;
  }
}

class PGliteDriver implements Driver {
  readonly #mutex = new Mutex();
  readonly #connection: PGliteConnection;
  #release: (() => void) | null = null;

  constructor(pglite: PGlite) {
    this.#connection = new PGliteConnection(pglite);
  }
  async init(): Promise<void> {
    await this.#connection.pglite.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    this.#release = await this.#mutex.lock();
    return this.#connection;
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let text = 'begin';
    if (settings.isolationLevel) text += ` isolation level ${settings.isolationLevel}`;
    if (settings.accessMode) text += ` ${settings.accessMode}`;
    await connection.executeQuery(CompiledQuery.raw(text));
    this.#connection.inTransaction = true;
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('commit'));
    } finally {
      this.#connection.inTransaction = false;
    }
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } finally {
      this.#connection.inTransaction = false;
    }
  }
  async releaseConnection(): Promise<void> {
    const r = this.#release;
    this.#release = null;
    r?.();
  }
  async destroy(): Promise<void> {
    if (!this.#connection.pglite.closed) await this.#connection.pglite.close();
  }
}

let cursorCounter = 0;

class PGliteConnection implements DatabaseConnection {
  inTransaction = false;
  constructor(readonly pglite: PGlite) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    const affected = result.affectedRows;
    const kind = compiledQuery.query.kind;
    const isWrite = kind === 'InsertQueryNode' || kind === 'UpdateQueryNode' || kind === 'DeleteQueryNode' || kind === 'MergeQueryNode';
    return {
      rows: result.rows,
      ...(isWrite && affected !== undefined ? { numAffectedRows: BigInt(affected) } : {}),
    };
  }

  /** Streams through a server-side cursor (inside the caller's transaction, or its own). */
  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new Error('chunkSize must be a positive integer');
    const name = `bligate_cursor_${++cursorCounter}`;
    const own = !this.inTransaction;
    if (own) await this.pglite.query('begin');
    let declared = false;
    let done = false;
    try {
      await this.pglite.query(`declare ${name} no scroll cursor for ${compiledQuery.sql}`, [...compiledQuery.parameters]);
      declared = true;
      for (;;) {
        const r = await this.pglite.query<R>(`fetch forward ${chunkSize} from ${name}`);
        if (r.rows.length > 0) yield { rows: r.rows };
        if (r.rows.length < chunkSize) break;
      }
      done = true;
    } finally {
      // Also reached when the consumer stops early (return()) or a query fails.
      if (own) {
        await this.pglite.query(done ? 'commit' : 'rollback').catch(() => undefined);
      } else if (declared) {
        await this.pglite.query(`close ${name}`).catch(() => undefined);
      }
    }
  }
}
