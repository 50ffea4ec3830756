// The per-record part of a state evaluation: one page of the query log (log-reader.ts) through the
// areas whose rules read input.query_records, with the collections those rules read (staff,
// institution…, the "context"), and the page's invalid rows through data_quality. The same code
// runs in the main thread and in worker threads (record-worker.ts).

import { ObjectValue, type Value } from '../rego/value.ts';
import { jsonValue, logPages, type LogPage, type LogPageOptions } from './log-reader.ts';
import type { AnyDB } from './collect.ts';
import type { PolicyPack } from './policy.ts';
import type { Finding, InvalidRow, Row } from './types.ts';

/**
 * Consents by id, converted to Rego values once. A page's document carries only the consents
 * its records refer to (a record's consent is looked up by id): the whole collection would make
 * every page cost as much as the consent register.
 */
export class ConsentIndex {
  private readonly byId = new Map<string, Row[]>();
  private readonly converted = new Map<string, Value[]>();
  constructor(consents: Row[]) {
    for (const c of consents) {
      const id = String(c.id);
      const l = this.byId.get(id);
      if (l) l.push(c);
      else this.byId.set(id, [c]);
    }
  }

  forIds(ids: Iterable<string | null>): Value[] {
    const out: Value[] = [];
    const seen = new Set<string>();
    for (const id of ids) {
      if (typeof id !== 'string' || seen.has(id)) continue;
      seen.add(id);
      let v = this.converted.get(id);
      if (!v) {
        const rows = this.byId.get(id);
        if (!rows) continue;
        this.converted.set(id, (v = rows.map((c) => jsonValue(c))));
      }
      for (const x of v) out.push(x);
    }
    return out;
  }
}

/** What every page's document shares: as_of, institution and the collections the areas read. */
export interface RecordContext {
  pack: PolicyPack;
  /** The record areas (pack.recordAreas). */
  areas: string[];
  /** as_of, institution, staff… as Rego values (consents apart). */
  base: [string, Value][];
  consents?: ConsentIndex;
  /** For data_quality on invalid rows. */
  asOf: string;
  institution: unknown;
}

/** Builds the context from the plain JSON of the shared part (`consents` among them or not). */
export function recordContext(pack: PolicyPack, areas: string[], shared: Record<string, unknown>): RecordContext {
  const base: [string, Value][] = [];
  for (const [k, v] of Object.entries(shared)) if (k !== 'consents' && v !== undefined) base.push([k, jsonValue(v)]);
  return {
    pack,
    areas,
    base,
    consents: Array.isArray(shared.consents) ? new ConsentIndex(shared.consents as Row[]) : undefined,
    asOf: String(shared.as_of),
    institution: shared.institution,
  };
}

/** The findings of one page by sequence number (only records with findings). */
export function evaluatePage(ctx: RecordContext, page: LogPage): Map<number, Finding[]> {
  const found: Finding[] = [];
  if (page.values.length) {
    const input = new ObjectValue();
    for (const [k, v] of ctx.base) input.set(k, v);
    if (ctx.consents) input.set('consents', ctx.consents.forIds(page.consentIds));
    input.set('query_records', page.values);
    for (const f of ctx.pack.findings(input, ctx.areas)) found.push(f);
  }
  if (page.invalid.length && ctx.pack.areas.includes('data_quality')) {
    const rows: InvalidRow[] = page.invalid.flatMap((inv) => inv.rows);
    const doc = { as_of: ctx.asOf, institution: ctx.institution, invalid_rows: rows };
    for (const f of ctx.pack.findings(doc as never, ['data_quality'])) found.push(f);
  }
  const bySeq = new Map<number, Finding[]>();
  if (found.length === 0) return bySeq; // the usual page: no id → seq map needed
  const seqOf = new Map<string, number>();
  for (let i = 0; i < page.ids.length; i++) seqOf.set(page.ids[i], page.seqs[i]);
  for (const inv of page.invalid) for (const r of inv.rows) seqOf.set(r.id, inv.seq);
  for (const f of found) {
    const seq = seqOf.get(String((f.subject as Record<string, unknown>).record));
    if (seq === undefined) continue; // not about a record of this page: the whole-document run gives it
    let l = bySeq.get(seq);
    if (!l) bySeq.set(seq, (l = []));
    l.push(f);
  }
  return bySeq;
}

/**
 * Reads and evaluates the log pages of `o` (log-reader.ts) one after the other; `onPage` gets each
 * page with its findings by sequence number. The main thread and the workers both run this.
 */
export async function evaluateLog(db: AnyDB, ctx: RecordContext, o: LogPageOptions, onPage: (page: LogPage, found: Map<number, Finding[]>) => Promise<void> | void): Promise<void> {
  for await (const page of logPages(db, o)) await onPage(page, evaluatePage(ctx, page));
}
