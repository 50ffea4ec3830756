// Array built-ins: array.concat, array.slice, array.reverse, array.flatten (OPA v1/topdown/array.go).

import type { Value } from '../value.ts';
import { t, type Builtin } from './registry.ts';
import { arr, intOperand } from './util.ts';

const anyArray = t.arrayOf(t.any);

export const builtins: Builtin[] = [
  {
    name: 'array.concat',
    args: [anyArray, anyArray],
    result: anyArray,
    description: 'Concatenates two arrays.',
    fn: ([a, b]) => {
      const x = arr('array.concat', a, 1);
      const y = arr('array.concat', b, 2);
      return [...x, ...y];
    },
  },
  {
    name: 'array.slice',
    args: [anyArray, t.number, t.number],
    result: anyArray,
    description: 'Returns a slice of a given array. If `start` is greater or equal than `stop`, `slice` is `[]`.',
    fn: ([a, s, e]) => {
      const x = arr('array.slice', a, 1);
      let start = intOperand('array.slice', s, 2);
      let stop = intOperand('array.slice', e, 3);
      if (stop < 0) stop = 0;
      else if (stop > x.length) stop = x.length;
      if (start < 0) start = 0;
      else if (start > stop) start = stop;
      return x.slice(start, stop);
    },
  },
  {
    name: 'array.reverse',
    args: [anyArray],
    result: anyArray,
    description: 'Returns the reverse of a given array.',
    fn: ([a]) => {
      const x = arr('array.reverse', a, 1);
      const out: Value[] = new Array(x.length);
      for (let i = 0; i < x.length; i++) out[i] = x[x.length - 1 - i];
      return out;
    },
  },
  {
    name: 'array.flatten',
    args: [anyArray],
    result: anyArray,
    description: 'Flattens an array by one level: elements that are arrays are spliced in, others are kept.',
    fn: ([a]) => {
      const x = arr('array.flatten', a, 1);
      const out: Value[] = [];
      for (const e of x) {
        if (Array.isArray(e)) out.push(...(e as readonly Value[]));
        else out.push(e);
      }
      return out;
    },
  },
];
