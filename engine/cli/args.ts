// A small command-line option parser (pflag-like: `-d X`, `--data X`, `--data=X`, flags may
// follow positional arguments, `--` ends options).

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  /** Long name without dashes. */
  name: string;
  short?: string;
  /** Takes a value (else boolean). */
  value?: boolean;
  /** May repeat (values are collected). */
  repeat?: boolean;
}

export interface Parsed {
  values: Map<string, string[]>;
  flags: Set<string>;
  positional: string[];
}

export function parseOptions(argv: string[], specs: OptionSpec[]): Parsed {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const out: Parsed = { values: new Map(), flags: new Set(), positional: [] };
  const set = (spec: OptionSpec, v: string) => {
    const list = out.values.get(spec.name) ?? [];
    if (!spec.repeat) list.length = 0;
    list.push(v);
    out.values.set(spec.name, list);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq > 0 ? eq : undefined);
      const spec = byLong.get(name);
      if (!spec) throw new UsageError(`unknown flag: --${name}`);
      if (spec.value) {
        if (eq > 0) set(spec, a.slice(eq + 1));
        else if (i + 1 < argv.length) set(spec, argv[++i]);
        else throw new UsageError(`flag needs an argument: --${name}`);
      } else {
        if (eq > 0) {
          const v = a.slice(eq + 1);
          if (v === 'true') out.flags.add(spec.name);
          else if (v === 'false') out.flags.delete(spec.name);
          else throw new UsageError(`invalid argument "${v}" for "--${name}" flag`);
        } else out.flags.add(spec.name);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // -d X, -dX, and bundled boolean shorts (-hI)
      for (let j = 1; j < a.length; j++) {
        const spec = byShort.get(a[j]);
        if (!spec) throw new UsageError(`unknown shorthand flag: '${a[j]}' in ${a}`);
        if (spec.value) {
          const rest = a.slice(j + 1).replace(/^=/, '');
          if (rest !== '') set(spec, rest);
          else if (i + 1 < argv.length) set(spec, argv[++i]);
          else throw new UsageError(`flag needs an argument: '${a[j]}' in -${a[j]}`);
          break;
        }
        out.flags.add(spec.name);
      }
      continue;
    }
    out.positional.push(a);
  }
  return out;
}
