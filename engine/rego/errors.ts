// Errors with OPA's codes and message shapes.
//
// Parse/compile errors (rego_*) are collected and thrown together as a RegoErrorList, whose
// message is OPA's "N errors occurred:" text. Evaluation errors (eval_*) are thrown one at a time.

import type { Location } from './ast.ts';

export type RegoErrorCode =
  | 'rego_parse_error'
  | 'rego_compile_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'rego_type_error'
  | 'eval_conflict_error'
  | 'eval_type_error'
  | 'eval_builtin_error'
  | 'eval_with_merge_error'
  | 'eval_cancel_error'
  | 'eval_internal_error';

export interface ErrorLocation {
  file: string;
  row: number;
  col: number;
}

export class RegoError extends Error {
  readonly code: RegoErrorCode;
  readonly location?: ErrorLocation;
  readonly details?: unknown;

  constructor(code: RegoErrorCode, message: string, location?: Location | ErrorLocation, details?: unknown) {
    super(message);
    this.name = 'RegoError';
    this.code = code;
    if (location) this.location = { file: location.file, row: location.row, col: location.col };
    this.details = details;
  }

  /** OPA's one-line form: `file:row: code: message` (location omitted when unknown). */
  override toString(): string {
    const where = this.location ? `${this.location.file ? this.location.file + ':' : ''}${this.location.row}: ` : '';
    return `${where}${this.code}: ${this.message}`;
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { code: this.code, message: this.message };
    if (this.location) out.location = { ...this.location };
    if (this.details !== undefined) out.details = this.details;
    return out;
  }
}

/** Several parse/compile errors reported together, as OPA does. */
export class RegoErrorList extends Error {
  readonly errors: RegoError[];
  constructor(errors: RegoError[]) {
    super(formatErrorList(errors));
    this.name = 'RegoErrorList';
    this.errors = errors;
  }
  get code(): RegoErrorCode {
    return this.errors[0]?.code ?? 'rego_compile_error';
  }
}

export function formatErrorList(errors: RegoError[]): string {
  if (errors.length === 1) return `1 error occurred: ${errors[0].toString()}`;
  return `${errors.length} errors occurred:\n${errors.map((e) => e.toString()).join('\n')}`;
}

export function isRegoError(e: unknown): e is RegoError | RegoErrorList {
  return e instanceof RegoError || e instanceof RegoErrorList;
}

/** Maximum errors reported by parse/compile before giving up (OPA's default is 10). */
export const MAX_ERRORS = 10;
