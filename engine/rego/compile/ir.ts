// The compiler's intermediate form: resolved, flattened bodies.
//
// After resolution every variable is either a local (uniquely renamed within its rule or query;
// `slot` is its frame index) or a global reference rooted at `data`/`input`. Nested calls are
// hoisted into their own expressions with generated output variables, as OPA's compiler does,
// so every call's operands are plain terms.

import type { Location } from '../ast.ts';
import type { Value } from '../value.ts';

export type IRTerm =
  | { k: 'const'; v: Value }
  | { k: 'var'; name: string; slot: number; gen: boolean }
  | { k: 'ref'; root: IRRoot; path: IRTerm[]; loc: Location }
  | { k: 'array'; items: IRTerm[] }
  | { k: 'object'; items: [IRTerm, IRTerm][] }
  | { k: 'set'; items: IRTerm[] }
  | { k: 'comp'; kind: 'array' | 'set' | 'object'; key: IRTerm | null; value: IRTerm; body: IRBody; own: Own; loc: Location }
  /** Each non-literal part is a small body computing the value into `out` (undefined → "<undefined>"). */
  | { k: 'template'; parts: (string | { body: IRBody; out: IRTerm; own: Own })[]; loc: Location };

/** Root of a reference: the data or input document, or a local term (var, literal, ...). */
/** Slots [start, end) allocated inside a closure: its own variables; any other variable it uses is captured. */
export type Own = [number, number];

export type IRRoot = { k: 'data' } | { k: 'input' } | { k: 'term'; t: IRTerm };

export type IRCallTarget =
  | { k: 'builtin'; name: string }
  | { k: 'func'; path: string[] } // user function at data path
  | { k: 'dynamic'; ref: IRTerm }; // data.x[y](...) dynamic dispatch

export interface IRWith {
  /** 'input' / 'data' paths, or a function/built-in name being mocked. */
  target: { k: 'input'; path: string[] } | { k: 'data'; path: string[] } | { k: 'func'; name: string; path?: string[] };
  value: IRTerm;
  /** For function mocks: the replacement as a function target, when the value names one. */
  fnValue?: IRCallTarget;
  loc: Location;
}

export type IRExpr =
  | { k: 'unify'; a: IRTerm; b: IRTerm; loc: Location }
  | { k: 'call'; fn: IRCallTarget; args: IRTerm[]; out: IRTerm | null; loc: Location; text: string }
  | { k: 'term'; t: IRTerm; loc: Location }
  | { k: 'somein'; key: IRTerm | null; value: IRTerm; domain: IRTerm; loc: Location }
  | { k: 'every'; key: IRTerm | null; value: IRTerm; domain: IRTerm; body: IRBody; own: Own; loc: Location }
  | { k: 'not'; body: IRBody; loc: Location }
  | { k: 'with'; mods: IRWith[]; body: IRBody; loc: Location };

/**
 * A body is a list of units; each unit is one source expression (after hoisting, a small list
 * of IR expressions evaluated in order). Safety reordering moves whole units.
 */
export interface IRUnit {
  exprs: IRExpr[];
  loc: Location;
  /** For query bodies: the slot receiving the expression's value, and its source text. */
  valueSlot?: number;
  valueTerm?: IRTerm;
  text?: string;
  /** Index of the source expression (for stable ordering and messages). */
  index: number;
}

export type IRBody = IRUnit[];
