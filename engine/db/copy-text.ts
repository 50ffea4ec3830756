// Reading PostgreSQL's COPY text format (what `COPY (query) TO STDOUT` sends by default): rows end
// with a newline, columns are separated by tabs, NULL is `\N`, and a backslash escapes the
// characters that would otherwise break the layout (see the COPY documentation, "Text Format").
//
// Made for reading many rows cheaply: the whole buffer is decoded once as Latin-1, so that a
// character's index in that string is its byte offset, and tabs and newlines are found with
// indexOf. A column is cut out of that string as it is unless it holds bytes above 0x7F (then it
// is decoded from the buffer as UTF-8) or a backslash (then it is unescaped byte by byte): a
// UTF-8 multi-byte sequence never contains a tab, newline or backslash byte, so the layout can be
// read in Latin-1 whatever the text holds.

const TAB = 9;
const NEWLINE = 10;
const BACKSLASH = 92;

/** A COPY text-format row that does not have the expected layout. */
export class CopyTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyTextError';
  }
}

/**
 * Reads the rows of a COPY text-format buffer column by column:
 *
 *     const r = new CopyTextReader(buf);
 *     while (r.nextRow()) { const a = r.text(); const b = r.text(); r.endRow(); }
 */
export class CopyTextReader {
  private readonly s: string;
  /** Start of the next column (or row). */
  private pos = 0;
  /** Index of the current row's newline. */
  private rowEnd = -1;
  /** 1-based number of the current row, for errors. */
  private row = 0;
  /** The next backslash at or after the last column read (or Infinity). */
  private nextBackslash = -1;
  /** The next byte above 0x7F at or after the last column read (or Infinity). */
  private nextHigh = -1;
  private readonly high = /[\x80-\xff]/g;
  /** UTF-8 texts decoded, by their Latin-1 reading (see utf8()). */
  private decoded: Map<string, string> | undefined = new Map();

  constructor(private readonly buf: Buffer) {
    this.s = buf.toString('latin1');
  }

  /** Moves to the next row; false at the end of the buffer. */
  nextRow(): boolean {
    if (this.rowEnd >= 0) this.pos = this.rowEnd + 1;
    if (this.pos >= this.s.length) return false;
    const nl = this.s.indexOf('\n', this.pos);
    this.rowEnd = nl < 0 ? this.s.length : nl;
    this.row++;
    return true;
  }

  /** The next column of the current row: its text, or null for NULL. */
  text(): string | null {
    const s = this.s;
    const a = this.pos;
    const b = this.columnEnd();
    this.pos = b + 1;
    if (b - a === 2 && s.charCodeAt(a) === BACKSLASH && s.charCodeAt(a + 1) === 78 /* N */) return null;
    if (this.hasBackslash(a, b)) return this.unescape(a, b);
    return this.hasHigh(a, b) ? this.utf8(a, b) : s.slice(a, b);
  }

  /**
   * The next column when it holds a JSON string (as `to_json` writes one): the text inside the
   * quotes, cut out as it is when the string has no escapes and only ASCII; else the column's
   * text (a quoted string with escapes or other text, which the caller then rejects or parses);
   * null for NULL.
   */
  jsonText(): string | null {
    const s = this.s;
    const a = this.pos;
    const b = this.columnEnd();
    if (b - a >= 2 && s.charCodeAt(a) === 34 && s.charCodeAt(b - 1) === 34 && !this.hasBackslash(a, b) && !this.hasHigh(a, b)) {
      this.pos = b + 1;
      return s.slice(a + 1, b - 1);
    }
    return this.text();
  }

  /** The end of the column starting at pos (its tab, or the row's newline). */
  private columnEnd(): number {
    const a = this.pos;
    const end = this.rowEnd;
    if (a > end) throw new CopyTextError(`COPY row ${this.row}: fewer columns than expected`);
    const b = this.s.indexOf('\t', a);
    return b < 0 || b > end ? end : b;
  }

  /** True when [a, b) holds a backslash (the next one is looked up once, not once per column). */
  private hasBackslash(a: number, b: number): boolean {
    if (this.nextBackslash < a) {
      const i = this.s.indexOf('\\', a);
      this.nextBackslash = i < 0 ? Infinity : i;
    }
    return this.nextBackslash < b;
  }

  /**
   * [a, b) decoded as UTF-8. Texts that repeat (a query's reason is often one of a few) are
   * decoded once per page: the Latin-1 text (the bytes) looked up is cheaper than decoding it.
   */
  private utf8(a: number, b: number): string {
    const decoded = this.decoded;
    if (decoded === undefined) return this.buf.toString('utf8', a, b);
    const bytes = this.s.slice(a, b);
    let text = decoded.get(bytes);
    if (text === undefined) {
      text = this.buf.toString('utf8', a, b);
      decoded.set(bytes, text);
      // Texts that hardly repeat: looking them up would only cost.
      if (decoded.size >= 256) this.decoded = undefined;
    }
    return text;
  }

  /** True when [a, b) holds a byte above 0x7F. */
  private hasHigh(a: number, b: number): boolean {
    if (this.nextHigh < a) {
      this.high.lastIndex = a;
      this.nextHigh = this.high.test(this.s) ? this.high.lastIndex - 1 : Infinity;
    }
    return this.nextHigh < b;
  }

  /** Ends the current row: every column must have been read. */
  endRow(): void {
    if (this.pos !== this.rowEnd + 1) throw new CopyTextError(`COPY row ${this.row}: more columns than expected`);
  }

  /** A column with backslash escapes, unescaped at the byte level and then decoded as UTF-8. */
  private unescape(a: number, b: number): string {
    const src = this.buf;
    const out = Buffer.allocUnsafe(b - a);
    let n = 0;
    for (let i = a; i < b; i++) {
      const c = src[i]!;
      if (c !== BACKSLASH || i + 1 >= b) {
        out[n++] = c;
        continue;
      }
      const e = src[++i]!;
      switch (e) {
        case 98: out[n++] = 8; break; // \b
        case 102: out[n++] = 12; break; // \f
        case 110: out[n++] = NEWLINE; break; // \n
        case 114: out[n++] = 13; break; // \r
        case 116: out[n++] = TAB; break; // \t
        case 118: out[n++] = 11; break; // \v
        case 120: { // \xD or \xDD (hex)
          let v = 0;
          let k = 0;
          while (k < 2 && i + 1 < b && isHex(src[i + 1]!)) v = v * 16 + hexValue(src[++i]!), k++;
          out[n++] = k === 0 ? 120 : v;
          break;
        }
        default:
          if (e >= 48 && e <= 55) { // \D, \DD or \DDD (octal)
            let v = e - 48;
            for (let k = 0; k < 2 && i + 1 < b && src[i + 1]! >= 48 && src[i + 1]! <= 55; k++) v = v * 8 + (src[++i]! - 48);
            out[n++] = v & 0xff;
          } else {
            out[n++] = e; // any other character stands for itself (\\ among them)
          }
      }
    }
    return out.toString('utf8', 0, n);
  }
}

const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const hexValue = (c: number) => (c <= 57 ? c - 48 : c <= 70 ? c - 55 : c - 87);
