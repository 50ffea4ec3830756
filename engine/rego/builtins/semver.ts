// semver.* built-ins, after OPA's v1/topdown/semver.go and internal/semver.
//
// Validation is strict SemVer 2.0.0 (no leading zeros in numeric identifiers, non-empty
// pre-release/build sections), with OPA's tolerance of a leading "v".

import { goQuote } from '../format.ts';
import type { Value } from '../value.ts';
import { builtinError, operandTypeError, t, type Builtin } from './registry.ts';

const NUM = '(?:0|[1-9]\\d*)';
const PRE_ID = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const BUILD_ID = '[0-9A-Za-z-]+';
const SEMVER_RE = new RegExp(
  `^(${NUM})\\.(${NUM})\\.(${NUM})(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?$`,
);
const INT64_MAX = (1n << 63n) - 1n;

export interface SemVer {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string;
  build: string;
}

export function parseSemVer(s: string): SemVer | undefined {
  if (s.startsWith('v')) s = s.slice(1);
  const m = SEMVER_RE.exec(s);
  if (!m) return undefined;
  const major = BigInt(m[1]);
  const minor = BigInt(m[2]);
  const patch = BigInt(m[3]);
  if (major > INT64_MAX || minor > INT64_MAX || patch > INT64_MAX) return undefined;
  return { major, minor, patch, pre: m[4] ?? '', build: m[5] ?? '' };
}

function cmp<T>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const ALL_DIGITS = /^\d+$/;

export function compareSemVer(a: SemVer, b: SemVer): number {
  const c = cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch);
  if (c !== 0) return c;
  if (a.pre === b.pre) return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  const xs = a.pre.split('.');
  const ys = b.pre.split('.');
  for (let i = 0; ; i++) {
    if (i >= xs.length || i >= ys.length) return cmp(xs.length, ys.length);
    const x = xs[i];
    const y = ys[i];
    const xi = ALL_DIGITS.test(x);
    const yi = ALL_DIGITS.test(y);
    if (xi && !yi) return -1;
    if (!xi && yi) return 1;
    const r = xi ? cmp(BigInt(x), BigInt(y)) : x < y ? -1 : x > y ? 1 : 0;
    if (r !== 0) return r;
  }
}

function str(name: string, v: Value, pos: number): string {
  if (typeof v !== 'string') throw operandTypeError(name, pos, v, 'string');
  return v;
}

export const builtins: Builtin[] = [
  {
    name: 'semver.is_valid',
    args: [t.any],
    result: t.boolean,
    description: 'Validates that the input is a valid SemVer string.',
    fn: ([v]) => typeof v === 'string' && parseSemVer(v) !== undefined,
  },
  {
    name: 'semver.compare',
    args: [t.string, t.string],
    result: t.number,
    description: 'Compares valid SemVer formatted version strings.',
    fn: ([a, b]) => {
      const name = 'semver.compare';
      const sa = str(name, a, 1);
      const sb = str(name, b, 2);
      const va = parseSemVer(sa);
      if (!va) throw builtinError(name, `operand 1: string ${goQuote(sa)} is not a valid SemVer`);
      const vb = parseSemVer(sb);
      if (!vb) throw builtinError(name, `operand 2: string ${goQuote(sb)} is not a valid SemVer`);
      return compareSemVer(va, vb);
    },
  },
];
