// Configuration files (YAML or JSON) read with their positions, so that findings and schema
// errors can point at the exact line and column of a key.

import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

export interface Position {
  line: number; // 1-based
  col: number; // 1-based
}

export class SourceError extends Error {
  constructor(
    readonly file: string,
    readonly pos: Position,
    message: string,
  ) {
    super(`${file}:${pos.line}:${pos.col}: ${message}`);
    this.name = 'SourceError';
  }
}

export interface ConfigSource {
  file: string;
  value: unknown;
  /** Position of the key (or item) at a path of segments; the deepest existing ancestor otherwise. */
  locate(path: (string | number)[]): Position;
  /** Position of a dotted key path such as "password.min_length" or "parameters.sampling.rate". */
  locateDotted(key: string): Position;
}

export function readConfig(file: string): ConfigSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SourceError(file, { line: 1, col: 1 }, code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}`);
  }
  return parseConfig(text, file);
}

/** Parses YAML (JSON is YAML) with YAML 1.1 scalars off: `yes`/`no` stay strings, as in YAML 1.2. */
export function parseConfig(text: string, file: string): ConfigSource {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, strict: true });
  const err = doc.errors[0];
  if (err) {
    const p = lc.linePos(err.pos[0]);
    throw new SourceError(file, { line: p.line, col: p.col }, err.message.split('\n')[0].replace(/ at line \d+, column \d+.*$/, ''));
  }
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const posOf = (n: Node | null | undefined): Position => {
    const off = n?.range?.[0] ?? 0;
    const p = lc.linePos(off);
    return { line: p.line, col: p.col };
  };
  const locate = (path: (string | number)[]): Position => walk(doc, path, posOf);
  const locateDotted = (key: string): Position => {
    const segs = key.split('.');
    return locate(resolveDotted(doc, segs));
  };
  return { file, value, locate, locateDotted };
}

/** Position of the key node at path (or of the deepest existing ancestor). */
function walk(doc: Document, path: (string | number)[], posOf: (n: Node | null | undefined) => Position): Position {
  let node: unknown = doc.contents;
  let best: Position = posOf(doc.contents as Node);
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return best;
      best = posOf(pair.key as Node);
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) return best;
      best = posOf(item as Node);
      node = item;
    } else {
      return best;
    }
  }
  return best;
}

/**
 * Splits a dotted key against the document: a map key may itself contain dots
 * ("parameters" → "sampling.rate"), so at each level the longest existing key wins.
 */
function resolveDotted(doc: Document, segs: string[]): string[] {
  const out: string[] = [];
  let node: unknown = doc.contents;
  let i = 0;
  while (i < segs.length) {
    if (!isMap(node)) {
      out.push(...segs.slice(i));
      break;
    }
    let matched = false;
    for (let j = segs.length; j > i; j--) {
      const cand = segs.slice(i, j).join('.');
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === cand);
      if (pair) {
        out.push(cand);
        node = pair.value;
        i = j;
        matched = true;
        break;
      }
    }
    if (!matched) {
      out.push(...segs.slice(i));
      break;
    }
  }
  return out;
}
