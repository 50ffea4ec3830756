// COPY text format: the reader against hand-made buffers, and against what real PostgreSQL sends
// for awkward text (tabs, newlines, backslashes, multi-byte UTF-8, NULLs) through copyOut.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/setup/db.ts';
import { isDatabaseFault } from './connect.ts';
import { copyOutChunks, copyOutPages, inlineParameters, sqlLiteral, type CopyOutOptions } from './copy-out.ts';

/** The whole COPY output in one buffer. */
async function copyOut(pool: pg.Pool, query: { sql: string; parameters: readonly unknown[] }, opts?: CopyOutOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of copyOutChunks(pool, query, opts)) chunks.push(c);
  return Buffer.concat(chunks);
}
import { CopyTextError, CopyTextReader } from './copy-text.ts';

function readAll(buf: Buffer, columns: number): (string | null)[][] {
  const r = new CopyTextReader(buf);
  const rows: (string | null)[][] = [];
  while (r.nextRow()) {
    const row: (string | null)[] = [];
    for (let i = 0; i < columns; i++) row.push(r.text());
    r.endRow();
    rows.push(row);
  }
  return rows;
}

describe('CopyTextReader', () => {
  it('reads columns, NULLs and empty text', () => {
    expect(readAll(Buffer.from('1\tab\t\\N\n2\t\t\n'), 3)).toEqual([
      ['1', 'ab', null],
      ['2', '', ''],
    ]);
  });

  it('reads a last row without its newline, and nothing from an empty buffer', () => {
    expect(readAll(Buffer.from('x\ty'), 2)).toEqual([['x', 'y']]);
    expect(readAll(Buffer.alloc(0), 2)).toEqual([]);
  });

  it('unescapes backslash sequences (named, octal, hex, any other character)', () => {
    const text = 'a\\tb\\nc\\rd\\\\e\\bf\\fg\\vh\\101\\x42\\q\\N';
    expect(readAll(Buffer.from(`${text}\n`), 1)).toEqual([['a\tb\nc\rd\\e\bf\fg\vhABqN']]);
  });

  it('decodes multi-byte UTF-8, also next to escapes', () => {
    const rows = readAll(Buffer.from('房貸授信\tab\tx\\t審核é\n\\N\t😀\tplain\n', 'utf8'), 3);
    expect(rows).toEqual([
      ['房貸授信', 'ab', 'x\t審核é'],
      [null, '😀', 'plain'],
    ]);
  });

  it('reads a JSON string column as the text inside its quotes when it has no escapes, else as text', () => {
    const r = new CopyTextReader(Buffer.from('"2026-11-27T10:00:00.5+08:00"\t"a\\\\"b"\t"é"\t\\N\t7\t""\n', 'utf8'));
    expect(r.nextRow()).toBe(true);
    expect([r.jsonText(), r.jsonText(), r.jsonText(), r.jsonText(), r.jsonText(), r.jsonText()]).toEqual(['2026-11-27T10:00:00.5+08:00', '"a\\"b"', '"é"', null, '7', '']);
    r.endRow();
    expect(() => r.jsonText()).toThrow(/fewer columns/);
  });

  it('decodes UTF-8 texts that repeat, and many that do not', () => {
    const texts = [...Array.from({ length: 600 }, (_, i) => ['房貸授信審核', `理由 ${i}`, 'é']).flat(), '房貸授信審核'];
    const rows = readAll(Buffer.from(texts.map((t) => `${t}\n`).join(''), 'utf8'), 1);
    expect(rows.map((r) => r[0])).toEqual(texts);
  });

  it('names the row with too few or too many columns', () => {
    expect(() => readAll(Buffer.from('a\tb\nc\n'), 2)).toThrow(new CopyTextError('COPY row 2: fewer columns than expected'));
    expect(() => readAll(Buffer.from('a\tb\tc\n'), 2)).toThrow(new CopyTextError('COPY row 1: more columns than expected'));
  });
});

describe('copyOut parameters', () => {
  it('writes parameters as SQL literals', () => {
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral('a\\b')).toBe(" E'a\\\\b'");
    expect(sqlLiteral(12)).toBe('12');
    expect(sqlLiteral(12n)).toBe('12');
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(true)).toBe('TRUE');
    expect(sqlLiteral(new Date('2026-11-27T02:00:00Z'))).toBe("'2026-11-27T02:00:00.000Z'");
    expect(() => sqlLiteral(Number.NaN)).toThrow(/not a finite number/);
    expect(() => sqlLiteral({})).toThrow(/unsupported parameter/);
    expect(inlineParameters('SELECT $1, $2, $10', ['a', 2, 3, 4, 5, 6, 7, 8, 9, 'ten'])).toBe("SELECT 'a', 2, 'ten'");
    expect(() => inlineParameters('SELECT $2', ['a'])).toThrow(/no parameter \$2/);
  });
});

describe('copyOut on PostgreSQL', () => {
  let t: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    t = await createTestDatabase();
    pool = new pg.Pool({ connectionString: t.url, max: 2 });
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await t?.drop();
  });

  const awkward = ['plain', 'tab\there', 'new\nline', 'cr\rx', 'back\\slash', '\\N', 'N', '', '房貸授信審核', 'é😀\\\t', "quote ' \"", 'x'.repeat(5000)];

  it('reads back every text exactly, with NULLs and parameters inlined', async () => {
    const buf = await copyOut(pool, {
      sql: 'SELECT s, NULL::text, length(s), $1::text FROM unnest($2::text[]) WITH ORDINALITY AS u(s, n) ORDER BY n',
      parameters: ["p'\\1\t", `{${awkward.map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`],
    });
    expect(readAll(buf, 4)).toEqual(awkward.map((s) => [s, null, String([...s].length), "p'\\1\t"]));
  });

  it('reads jsonb and booleans as PostgreSQL writes them', async () => {
    const buf = await copyOut(pool, { sql: `SELECT '{"b": "x\\\\ty", "a": [1, 2.5, null]}'::jsonb, true, false`, parameters: [] });
    const [row] = readAll(buf, 3);
    expect(JSON.parse(row![0]!)).toEqual({ a: [1, 2.5, null], b: 'x\\ty' });
    expect(row!.slice(1)).toEqual(['t', 'f']);
  });

  it('runs the COPY with the settings asked for, and the pooled connection keeps its own', async () => {
    const query = { sql: "SELECT to_json('2026-11-27T02:00:00.25Z'::timestamptz), current_setting('TimeZone')", parameters: [] };
    const before = readAll(await copyOut(pool, query), 2)[0]!;
    expect(readAll(await copyOut(pool, query, { settings: { TimeZone: '<+08>-08' } }), 2)).toEqual([['"2026-11-27T10:00:00.25+08:00"', '<+08>-08']]);
    for (let i = 0; i < 3; i++) expect(readAll(await copyOut(pool, query), 2)[0]).toEqual(before);
    await expect(copyOut(pool, { sql: 'SELECT 1/0', parameters: [] }, { settings: { TimeZone: 'UTC' } })).rejects.toThrow(/division by zero/);
    await expect(copyOut(pool, { sql: 'SELECT 1', parameters: [] }, { settings: { no_such_setting: 'x' } })).rejects.toThrow(/no_such_setting/);
    expect((await copyOut(pool, { sql: 'SELECT 4', parameters: [] })).toString()).toBe('4\n');
  });

  it('rejects with the database error and does not reuse the connection', async () => {
    await expect(copyOut(pool, { sql: 'SELECT 1/0', parameters: [] })).rejects.toThrow(/division by zero/);
    const buf = await copyOut(pool, { sql: 'SELECT 1', parameters: [] });
    expect(buf.toString()).toBe('1\n');
  });

  it('cuts the stream into pages of whole rows, whatever the chunks', async () => {
    const query = { sql: "SELECT n, repeat('é', n % 300), NULL FROM generate_series(1, 20000) AS n ORDER BY n", parameters: [] };
    const whole = await copyOut(pool, query);
    for (const rows of [1, 7, 5000, 20000, 30000]) {
      const pages: Buffer[] = [];
      for await (const p of copyOutPages(pool, query, rows)) pages.push(p);
      expect(pages.length).toBe(Math.ceil(20000 / rows));
      expect(pages.map((p) => readAll(p, 3).length)).toEqual(pages.map((_, i) => Math.min(rows, 20000 - i * rows)));
      expect(Buffer.concat(pages).equals(whole)).toBe(true);
    }
    await expect(copyOutPages(pool, query, 0).next()).rejects.toThrow(/positive integer/);
  });

  it('gives the connection up when the reader stops early, and the pool goes on', async () => {
    const query = { sql: 'SELECT n FROM generate_series(1, 200000) AS n', parameters: [] };
    for await (const p of copyOutPages(pool, query, 10)) {
      expect(readAll(p, 1)[0]).toEqual(['1']);
      break;
    }
    expect((await copyOut(pool, { sql: 'SELECT 2', parameters: [] })).toString()).toBe('2\n');
    expect(pool.totalCount).toBeLessThanOrEqual(2);
  });

  it('reports a connection lost mid-COPY as a database fault, and the pool goes on', async () => {
    const query = { sql: 'SELECT n, repeat(\'x\', 50) FROM generate_series(1, 2000000) AS n', parameters: [] };
    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    try {
      const pages = copyOutPages(pool, query, 10);
      expect((await pages.next()).done).toBe(false);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'COPY (SELECT n, repeat%' AND pid <> pg_backend_pid()`);
      const error = await (async () => {
        try {
          for (;;) if ((await pages.next()).done) return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(Error);
      expect(isDatabaseFault(error)).toBe(true);
    } finally {
      await admin.end();
    }
    expect(isDatabaseFault(new Error('state worker: x is not a function'))).toBe(false);
    expect((await copyOut(pool, { sql: 'SELECT 3', parameters: [] })).toString()).toBe('3\n');
  });
});
