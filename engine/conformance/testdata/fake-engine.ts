// A stand-in engine for the conformance runner's tests: the query names what evaluation does.
import { RegoError, RegoErrorList } from '../../rego/errors.ts';

export function parseModule(src: string, file: string) {
  return { src, file };
}

export function valueFromTermSource(src: string) {
  return src;
}

export function compileModules(_modules: unknown[]) {
  return {
    prepare(query: string) {
      if (query === 'compile-error') throw new RegoErrorList([new RegoError('rego_compile_error', 'bad module')]);
      return {
        eval() {
          switch (query) {
            case 'one':
              return [{ expressions: [], bindings: new Map([['x', 1]]) }];
            case 'two':
              return [{ expressions: [], bindings: new Map([['x', 2]]) }];
            case 'hang':
              for (;;);
            case 'crash':
              throw new TypeError('boom');
            case 'recurse': {
              const f = (n: number): number => f(n + 1) + 1;
              return f(0);
            }
            case 'exit':
              process.exit(3);
            case 'conflict':
              throw new RegoError('eval_conflict_error', 'complete rules must not produce multiple outputs', { file: 'test-0.rego', row: 3, col: 1 });
            default:
              return [];
          }
        },
      };
    },
  };
}
