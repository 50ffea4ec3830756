// Runs a query as `COPY (query) TO STDOUT` and returns its rows in COPY text format (read them
// with copy-text.ts). For reading many rows: PostgreSQL sends COPY data in large messages that
// the driver hands over as they are, instead of parsing each row's columns into JS values.
//
// COPY takes no bind parameters, so the query's parameters are written into its text as SQL
// literals (strings through the driver's escapeLiteral). Only for queries built with kysely's sql
// template, whose text holds `$n` only as parameter placeholders.

import type pg from 'pg';
import { escapeLiteral } from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/** The SQL literal of a query parameter. */
export function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return escapeLiteral(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`copyOut: parameter ${v} is not a finite number`);
    return String(v);
  }
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return escapeLiteral(v.toISOString());
  throw new TypeError(`copyOut: unsupported parameter type ${typeof v}`);
}

/** The query's text with its $n placeholders replaced by the parameters' literals. */
export function inlineParameters(text: string, parameters: readonly unknown[]): string {
  return text.replace(/\$(\d+)(?!\d)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= parameters.length) throw new RangeError(`copyOut: no parameter $${n}`);
    return sqlLiteral(parameters[i]);
  });
}

/**
 * The query's COPY text-format output as the driver receives it, in chunks (rows may straddle
 * them). A connection whose COPY did not run to its end (an error, or the consumer stopped) is
 * closed, not returned to the pool.
 */
export async function* copyOutChunks(pool: pg.Pool, query: { sql: string; parameters: readonly unknown[] }, opts: CopyOutOptions = {}): AsyncGenerator<Buffer> {
  const text = `COPY (${inlineParameters(query.sql, query.parameters)}) TO STDOUT`;
  const settings = Object.entries(opts.settings ?? {});
  const client = await pool.connect();
  let finished = false;
  try {
    if (settings.length) {
      // In a transaction of its own, so that the settings end with it (SET LOCAL).
      await client.query('BEGIN READ ONLY');
      for (const [name, value] of settings) await client.query('SELECT set_config($1, $2, true)', [name, value]);
    }
    const stream = client.query(copyTo(text));
    let streamed = false;
    try {
      for await (const chunk of stream) yield chunk as Buffer;
      streamed = true;
    } finally {
      if (!streamed) stream.destroy();
    }
    if (settings.length) await client.query('COMMIT');
    finished = true;
  } finally {
    client.release(!finished);
  }
}

export interface CopyOutOptions {
  /**
   * Run-time settings for the COPY (name → value, e.g. TimeZone): set with SET LOCAL in a
   * read-only transaction around it, so that the pooled connection keeps its own.
   */
  settings?: Record<string, string>;
}

/**
 * The query's rows in COPY text format, in buffers of `rows` whole rows each (the last one may
 * hold fewer), as they arrive: the database streams the rows while the caller works on a page.
 */
export async function* copyOutPages(pool: pg.Pool, query: { sql: string; parameters: readonly unknown[] }, rows: number, opts: CopyOutOptions = {}): AsyncGenerator<Buffer> {
  if (!Number.isSafeInteger(rows) || rows < 1) throw new RangeError(`copyOutPages: rows must be a positive integer, not ${rows}`);
  let parts: Buffer[] = [];
  let count = 0;
  const page = () => (parts.length === 1 ? parts[0]! : Buffer.concat(parts));
  for await (const chunk of copyOutChunks(pool, query, opts)) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, nl + 1)) {
      if (++count < rows) continue;
      parts.push(chunk.subarray(start, nl + 1));
      yield page();
      parts = [];
      count = 0;
      start = nl + 1;
    }
    if (start < chunk.length) parts.push(start === 0 ? chunk : chunk.subarray(start));
  }
  if (parts.length) yield page();
}
