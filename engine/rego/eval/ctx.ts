// The evaluation context: one per evaluation (and one per `with` scope inside it).

import type { Location } from '../ast.ts';
import { RegoError } from '../errors.ts';
import type { BuiltinContext } from '../builtins/registry.ts';
import type { Value } from '../value.ts';
import { ObjectValue } from '../value.ts';
import type { IRCallTarget } from '../compile/ir.ts';

/** Sentinel stored in the memo for "evaluated, undefined". */
export const UNDEF = Symbol('undefined');
/** Sentinel stored in the memo while a node is being evaluated (guards against runaway recursion). */
export const PENDING = Symbol('pending');

export type Memo = (Value | typeof UNDEF | typeof PENDING | undefined)[];

export interface DataOverride {
  path: string[];
  value: Value;
}

export type FnMock = { k: 'value'; v: Value } | { k: 'fn'; target: IRCallTarget };

export class Ctx implements BuiltinContext {
  input: Value | undefined;
  data: ObjectValue;
  memo: Memo;
  readonly strict: boolean;
  readonly nowNs: bigint;
  readonly cache: Map<string, unknown>;
  readonly interCache: Map<string, unknown>;
  location?: Location;
  metadata?: { rule(): Value; chain(): Value };
  dataOverrides: DataOverride[] | null = null;
  fnMocks: Map<string, FnMock> | null = null;
  /** Memo for function calls: function path key → (args key → result). */
  fnMemo: Map<string, Map<string, Value | typeof UNDEF>> | null = null;
  /** performance.now() after which evaluation is cancelled (eval_cancel_error). */
  deadline = Infinity;
  /** Iteration counter: the deadline is checked every 4096 iterations. */
  ticks = 0;

  /** Throws eval_cancel_error when the deadline has passed (call from loops). */
  tick(): void {
    if ((++this.ticks & 4095) === 0 && this.deadline !== Infinity && performance.now() > this.deadline) {
      throw new RegoError('eval_cancel_error', 'caller cancelled query execution');
    }
  }

  constructor(opts: {
    input: Value | undefined;
    data: ObjectValue;
    nodes: number;
    strict: boolean;
    nowNs: bigint;
    cache?: Map<string, unknown>;
    interCache: Map<string, unknown>;
  }) {
    this.input = opts.input;
    this.data = opts.data;
    this.memo = new Array(opts.nodes);
    this.strict = opts.strict;
    this.nowNs = opts.nowNs;
    this.cache = opts.cache ?? new Map();
    this.interCache = opts.interCache;
  }

  /** A derived context for a `with` scope (fresh memo, same built-in cache and instant). */
  derive(): Ctx {
    const c = new Ctx({
      input: this.input,
      data: this.data,
      nodes: this.memo.length,
      strict: this.strict,
      nowNs: this.nowNs,
      cache: this.cache,
      interCache: this.interCache,
    });
    c.deadline = this.deadline;
    c.dataOverrides = this.dataOverrides ? [...this.dataOverrides] : null;
    c.fnMocks = this.fnMocks ? new Map(this.fnMocks) : null;
    return c;
  }
}
