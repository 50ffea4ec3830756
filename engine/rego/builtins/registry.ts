// The built-in function interface shared by every built-in module and the evaluator.
//
// A built-in receives its operands as Rego values and returns a value, or `undefined` for an
// undefined result. Errors are thrown: `operandTypeError(...)` for eval_type_error and
// `builtinError(...)` for eval_builtin_error. The evaluator turns a thrown error into an
// undefined result unless strict built-in errors are on (OPA's default behaviour).

import type { Location } from '../ast.ts';
import { RegoError } from '../errors.ts';
import { typeName, type Value } from '../value.ts';

/** OPA's JSON type declarations (as in `opa capabilities`). */
export type TypeSpec =
  | { type: 'any'; of?: TypeSpec[] }
  | { type: 'null' }
  | { type: 'boolean' }
  | { type: 'number' }
  | { type: 'string' }
  | { type: 'array'; static?: TypeSpec[]; dynamic?: TypeSpec }
  | { type: 'set'; of: TypeSpec }
  | { type: 'object'; static?: { key: string; value: TypeSpec }[]; dynamic?: { key: TypeSpec; value: TypeSpec } }
  | { type: 'function'; args: TypeSpec[]; result?: TypeSpec; variadic?: TypeSpec };

export const t = {
  any: { type: 'any' } as TypeSpec,
  null: { type: 'null' } as TypeSpec,
  boolean: { type: 'boolean' } as TypeSpec,
  number: { type: 'number' } as TypeSpec,
  string: { type: 'string' } as TypeSpec,
  anyOf: (...of: TypeSpec[]): TypeSpec => ({ type: 'any', of }),
  arrayOf: (dynamic: TypeSpec): TypeSpec => ({ type: 'array', dynamic }),
  tuple: (...items: TypeSpec[]): TypeSpec => ({ type: 'array', static: items }),
  setOf: (of: TypeSpec): TypeSpec => ({ type: 'set', of }),
  objectOf: (key: TypeSpec, value: TypeSpec): TypeSpec => ({ type: 'object', dynamic: { key, value } }),
};

export interface BuiltinContext {
  /** Strict built-in errors: errors propagate instead of making the call undefined. */
  readonly strict: boolean;
  /** The evaluation's instant (ns since the Unix epoch): `time.now_ns()` is constant within one evaluation. */
  readonly nowNs: bigint;
  /** Per-evaluation cache for built-ins (parsed regexes, time zones, ...); keys should be prefixed with the built-in name. */
  readonly cache: Map<string, unknown>;
  /** Call site, for error locations. */
  readonly location?: Location;
  /** rego.metadata.rule() / rego.metadata.chain() of the rule being evaluated (set by the evaluator). */
  readonly metadata?: { rule(): Value; chain(): Value };
  /** Cross-evaluation cache that survives between evaluations (e.g. compiled regex); bounded by its owner. */
  readonly interCache: Map<string, unknown>;
}

export interface Builtin {
  /** Full name as written in Rego (`count`, `time.now_ns`, `internal.member_2`, `plus`). */
  name: string;
  /** Operand types (for arity checks, capabilities and type errors). */
  args: TypeSpec[];
  /** Result type. */
  result: TypeSpec;
  /** Operator spelling when the built-in is an infix operator (`+`, `==`, ...). */
  infix?: string;
  /** Not a pure function of its operands (time.now_ns, rand.*, uuid.rfc4122, ...). */
  nondeterministic?: boolean;
  /** Deprecated in OPA (reported by `rego check --strict`). */
  deprecated?: boolean;
  /** One-line description (for `bligate rego capabilities`). */
  description?: string;
  /**
   * The implementation. Return `undefined` for an undefined result.
   * For `relation` built-ins (e.g. `walk`), return an array of every output value.
   */
  fn: (args: Value[], ctx: BuiltinContext) => Value | undefined;
  /** The built-in yields several outputs (fn returns an array of outputs). */
  relation?: boolean;
  /** Takes any number of operands and has no output operand (print). */
  variadic?: boolean;
}

/** eval_type_error: "NAME: operand N must be WANT but got GOT" (OPA's message shape). */
export function operandTypeError(name: string, pos: number, got: Value, ...want: string[]): RegoError {
  const w = want.length === 1 ? want[0] : `one of {${want.join(', ')}}`;
  return new RegoError('eval_type_error', `${name}: operand ${pos} must be ${w} but got ${typeName(got)}`);
}

/** eval_builtin_error: "NAME: message". */
export function builtinError(name: string, message: string): RegoError {
  return new RegoError('eval_builtin_error', `${name}: ${message}`);
}

/** eval_type_error with a free-form message: "NAME: message". */
export function typeError(name: string, message: string): RegoError {
  return new RegoError('eval_type_error', `${name}: ${message}`);
}

/**
 * Wraps a built-in so that a plain Error from its implementation (a parser's or a library's
 * message) becomes eval_builtin_error "NAME: msg"; RegoErrors pass through.
 */
export function wrapErrors(b: Builtin): Builtin {
  const fn = b.fn;
  return {
    ...b,
    fn: (args, ctx) => {
      try {
        return fn(args, ctx);
      } catch (e) {
        if (e instanceof RegoError) throw e;
        if (e instanceof Error) throw builtinError(b.name, e.message);
        throw e;
      }
    },
  };
}
