// Finds where a JSON text is malformed (for error messages with line and column): a small
// validating scanner, run only after a parse has already failed.

export interface SyntaxPosition {
  offset: number;
  row: number; // 1-based
  col: number; // 1-based, in characters
  message: string;
}

export function positionOf(text: string, offset: number): { row: number; col: number } {
  let row = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      row++;
      lineStart = i + 1;
    }
  }
  return { row, col: Math.min(offset, text.length) - lineStart + 1 };
}

class Fail {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** Returns the first syntax error of a JSON text, or null if it is valid JSON. */
export function findJSONSyntaxError(text: string): SyntaxPosition | null {
  let i = 0;
  const n = text.length;
  const describe = (at: number) => (at >= n ? 'end of input' : `character ${JSON.stringify(text[at])}`);
  const ws = () => {
    while (i < n) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else break;
    }
  };
  const expect = (lit: string) => {
    for (let k = 0; k < lit.length; k++) {
      if (text[i + k] !== lit[k]) throw new Fail(i + k, `unexpected ${describe(i + k)} in literal ${lit}`);
    }
    i += lit.length;
  };
  const str = () => {
    i++; // opening quote
    while (true) {
      if (i >= n) throw new Fail(i, 'unterminated string');
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) throw new Fail(i, 'control character in string');
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Fail(i, 'invalid \\u escape in string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Fail(i, 'invalid escape in string');
      } else i++;
    }
  };
  const num = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(text.slice(i, i + 4096));
    if (!m || m[0] === '' || m[0] === '-') throw new Fail(i, `invalid number`);
    i += m[0].length;
  };
  const value = (depth: number): void => {
    if (depth > 10_000) throw new Fail(i, 'nesting too deep');
    ws();
    if (i >= n) throw new Fail(i, 'unexpected end of input, expecting a value');
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      while (true) {
        ws();
        if (text[i] !== '"') throw new Fail(i, `unexpected ${describe(i)}, expecting a string for an object key`);
        str();
        ws();
        if (text[i] !== ':') throw new Fail(i, `unexpected ${describe(i)} after object key, expecting ':'`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        throw new Fail(i, `unexpected ${describe(i)} after object value, expecting ',' or '}'`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      while (true) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        throw new Fail(i, `unexpected ${describe(i)} after array element, expecting ',' or ']'`);
      }
    }
    if (c === '"') return str();
    if (c === 't') return expect('true');
    if (c === 'f') return expect('false');
    if (c === 'n') return expect('null');
    if (c === '-' || (c >= '0' && c <= '9')) return num();
    throw new Fail(i, `unexpected ${describe(i)}, expecting a value`);
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1; // BOM
    value(0);
    ws();
    if (i < n) throw new Fail(i, `unexpected ${describe(i)} after the top-level value`);
    return null;
  } catch (e) {
    if (e instanceof RangeError) return { offset: i, ...positionOf(text, i), message: 'nesting too deep' };
    if (!(e instanceof Fail)) throw e;
    return { offset: e.offset, ...positionOf(text, e.offset), message: e.message };
  }
}
