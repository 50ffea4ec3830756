// The conformance runner: `npm run conformance -- [DIR...] [options]`.
//
// Runs OPA's YAML conformance cases (default: every topic folder of
// ../shared/opa-conformance/cases beside the repository) with OPA's runner rules, in worker
// threads so that a case that hangs or crashes is counted as failed and never stops the run.
// Prints one line per topic folder, writes a JSON report, and ends with `N passed, M failed`.

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseCaseFile } from './compare.ts';
import type { Job, WorkerMessage } from './worker.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..');
/**
 * ../shared/opa-conformance/cases beside the repository; BLIGATE_CONFORMANCE_CASES overrides;
 * /work/shared/... is the fallback for clones made elsewhere (e.g. a CI clone in /tmp).
 */
function defaultCasesRoot(): string {
  if (process.env.BLIGATE_CONFORMANCE_CASES) return path.resolve(process.env.BLIGATE_CONFORMANCE_CASES);
  const candidates = [path.resolve(REPO_ROOT, '..', 'shared', 'opa-conformance', 'cases'), '/work/shared/opa-conformance/cases'];
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}
export const DEFAULT_CASES_ROOT = defaultCasesRoot();

const USAGE = `usage: npm run conformance -- [DIR...] [options]

DIR is a topic folder (a path, or a topic name under ${DEFAULT_CASES_ROOT});
default: every topic folder there.

options:
  --baseline FILE   fail (exit 1) when fewer cases pass than FILE's {"passed": N}
  --filter REGEX    run only cases whose note matches REGEX
  --report FILE     JSON report (default: reports/conformance.json)
  --timeout MS      time limit per case (default: 10000)
  --jobs N          worker threads (default: number of CPUs, at most 8)
  -v, --verbose     print the reason of every failure
  -h, --help        this text`;

export interface Options {
  dirs: string[];
  baseline?: string;
  filter?: RegExp;
  report: string;
  timeoutMs: number;
  jobs: number;
  verbose: boolean;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[]): Options | 'help' {
  const o: Options = {
    dirs: [],
    report: path.join(REPO_ROOT, 'reports', 'conformance.json'),
    timeoutMs: 10_000,
    jobs: Math.max(1, Math.min(8, os.availableParallelism?.() ?? os.cpus().length)),
    verbose: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq > 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
      return argv[++i];
    };
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '-v':
      case '--verbose':
        o.verbose = true;
        break;
      case '--baseline':
        o.baseline = value();
        break;
      case '--filter': {
        const src = value();
        try {
          o.filter = new RegExp(src);
        } catch (e) {
          throw new UsageError(`--filter: invalid regular expression ${JSON.stringify(src)}`);
        }
        break;
      }
      case '--report':
        o.report = path.resolve(value());
        break;
      case '--timeout': {
        const n = Number(value());
        if (!Number.isFinite(n) || n <= 0) throw new UsageError('--timeout needs a positive number of milliseconds');
        o.timeoutMs = n;
        break;
      }
      case '--jobs':
      case '-j': {
        const n = Number(value());
        if (!Number.isInteger(n) || n <= 0) throw new UsageError('--jobs needs a positive integer');
        o.jobs = n;
        break;
      }
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        o.dirs.push(a);
    }
  }
  return o;
}

/** Resolves DIR arguments (paths, or topic names under the default root); default every topic. */
export function resolveDirs(dirs: string[], root = DEFAULT_CASES_ROOT): string[] {
  if (dirs.length === 0) {
    if (!existsSync(root)) throw new UsageError(`conformance cases not found at ${root}`);
    return readdirSync(root)
      .filter((d) => statSync(path.join(root, d)).isDirectory())
      .sort()
      .map((d) => path.join(root, d));
  }
  return dirs.map((d) => {
    if (existsSync(d) && statSync(d).isDirectory()) return path.resolve(d);
    const under = path.join(root, d);
    if (existsSync(under) && statSync(under).isDirectory()) return under;
    throw new UsageError(`no such case folder: ${d}`);
  });
}

export interface CaseRecord {
  folder: string;
  file: string; // relative to the cases root when under it
  index: number;
  note: string;
  status: 'passed' | 'failed';
  reason?: string;
}

interface PendingCase extends CaseRecord {
  abs: string;
}

/** Collects the cases of the folders (a file that cannot be read fails as one case). */
function collect(dirs: string[], filter: RegExp | undefined): PendingCase[] {
  const out: PendingCase[] = [];
  for (const dir of dirs) {
    const folder = path.basename(dir);
    const files = readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();
    for (const f of files) {
      const abs = path.join(dir, f);
      const rel = path.relative(path.dirname(dir), abs).split(path.sep).join('/');
      let cases;
      try {
        cases = parseCaseFile(readFileSync(abs, 'utf8'));
      } catch (e) {
        out.push({ folder, file: rel, abs, index: -1, note: `${folder}/${f}`, status: 'failed', reason: `cannot read case file: ${(e as Error).message}` });
        continue;
      }
      cases.forEach((c, index) => {
        if (filter && !filter.test(c.note)) return;
        out.push({ folder, file: rel, abs, index, note: c.note, status: 'failed' });
      });
    }
  }
  return out;
}

const WORKER_URL = new URL('./worker.mjs', import.meta.url);

/** Runs the cases in a pool of worker threads; each case is bounded by the time limit. */
async function runAll(cases: PendingCase[], o: Options, onDone: (c: PendingCase) => void): Promise<void> {
  const queue = cases.filter((c) => c.index >= 0);
  for (const c of cases) if (c.index < 0) onDone(c);
  let next = 0;
  let unavailable: string | undefined;
  let active = 0;

  await new Promise<void>((resolveAll) => {
    if (queue.length === 0) return resolveAll();

    const finish = (c: PendingCase, ok: boolean, reason?: string) => {
      c.status = ok ? 'passed' : 'failed';
      c.reason = ok ? undefined : reason;
      onDone(c);
    };

    const startWorker = () => {
      if (next >= queue.length) {
        if (active === 0) resolveAll();
        return;
      }
      active++;
      const w = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: 2048 }, stdout: false, stderr: false });
      let current: PendingCase | undefined;
      let timer: NodeJS.Timeout | undefined;
      let ended = false;
      // A worker that cannot load the engine within a minute counts as "engine not available".
      timer = setTimeout(() => {
        unavailable ??= 'the engine did not load within 60 s';
        timer = undefined;
        dispatch();
      }, 60_000);

      const end = (restart: boolean) => {
        if (ended) return;
        ended = true;
        if (timer) clearTimeout(timer);
        active--;
        void w.terminate();
        if (restart) startWorker();
        else if (active === 0) resolveAll();
      };

      const dispatch = () => {
        if (unavailable !== undefined) {
          while (next < queue.length) finish(queue[next++], false, `engine not available: ${unavailable}`);
        }
        if (next >= queue.length) return end(false);
        current = queue[next++];
        const job: Job = { id: next - 1, file: current.abs, index: current.index };
        timer = setTimeout(() => {
          const c = current!;
          current = undefined;
          finish(c, false, `timeout: over ${o.timeoutMs} ms`);
          end(true);
        }, o.timeoutMs);
        w.postMessage(job);
      };

      w.on('message', (m: WorkerMessage) => {
        if (ended) return;
        if (m.kind === 'ready' || m.kind === 'unavailable') if (timer) clearTimeout(timer);
        if (m.kind === 'ready') return dispatch();
        if (m.kind === 'unavailable') {
          unavailable ??= m.reason;
          return dispatch();
        }
        if (timer) clearTimeout(timer);
        const c = current;
        current = undefined;
        if (c) finish(c, m.ok, m.reason);
        dispatch();
      });
      w.on('error', (e) => {
        if (ended) return;
        const c = current;
        current = undefined;
        if (c) finish(c, false, `worker crashed: ${e.message}`);
        end(true);
      });
      w.on('exit', (code) => {
        if (ended) return;
        const c = current;
        current = undefined;
        if (c) finish(c, false, `worker exited with code ${code}`);
        end(true);
      });
    };

    const n = Math.min(o.jobs, queue.length);
    for (let i = 0; i < n; i++) startWorker();
  });
}

export function readBaseline(file: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read baseline ${file}: ${(e as Error).message}`);
  }
  const n = (parsed as { passed?: unknown } | null)?.passed;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new UsageError(`baseline ${file}: want {"passed": N}`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  let o: Options;
  let dirs: string[];
  let baseline: number | undefined;
  try {
    const parsed = parseArgs(argv);
    if (parsed === 'help') {
      console.log(USAGE);
      return 0;
    }
    o = parsed;
    dirs = resolveDirs(o.dirs);
    if (o.baseline) baseline = readBaseline(o.baseline);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`conformance: ${e.message}`);
      return 2;
    }
    throw e;
  }

  const started = Date.now();
  const cases = collect(dirs, o.filter);
  const folders = dirs.map((d) => path.basename(d));
  const perFolder = new Map<string, { total: number; done: number; passed: number }>();
  for (const f of folders) perFolder.set(f, { total: 0, done: 0, passed: 0 });
  for (const c of cases) perFolder.get(c.folder)!.total++;

  // Folder lines come out in order, as soon as a folder and all folders before it are done.
  let printed = 0;
  const flush = () => {
    while (printed < folders.length) {
      const f = folders[printed];
      const s = perFolder.get(f)!;
      if (s.done < s.total) break;
      console.log(`${f}: ${s.passed}/${s.total}`);
      if (o.verbose) {
        for (const c of cases) {
          if (c.folder === f && c.status === 'failed') console.log(`  FAIL ${c.file}#${c.index} ${c.note}\n    ${(c.reason ?? '').split('\n').join('\n    ')}`);
        }
      }
      printed++;
    }
  };

  await runAll(cases, o, (c) => {
    const s = perFolder.get(c.folder)!;
    s.done++;
    if (c.status === 'passed') s.passed++;
    flush();
  });
  flush();

  const passed = cases.filter((c) => c.status === 'passed').length;
  const failed = cases.length - passed;
  const report = {
    generated: new Date().toISOString(),
    durationMs: Date.now() - started,
    casesRoot: DEFAULT_CASES_ROOT,
    filter: o.filter?.source ?? null,
    passed,
    failed,
    total: cases.length,
    folders: Object.fromEntries([...perFolder].map(([f, s]) => [f, { passed: s.passed, total: s.total }])),
    cases: cases.map((c) => ({ folder: c.folder, file: c.file, index: c.index, note: c.note, status: c.status, ...(c.reason ? { reason: c.reason } : {}) })),
  };
  try {
    mkdirSync(path.dirname(o.report), { recursive: true });
    writeFileSync(o.report, JSON.stringify(report, null, 2) + '\n');
  } catch (e) {
    console.error(`conformance: cannot write report ${o.report}: ${(e as Error).message}`);
  }

  let code = failed > 0 ? 1 : 0;
  if (baseline !== undefined) {
    if (passed < baseline) console.error(`conformance: ${passed} passed is below the baseline of ${baseline} (${o.baseline})`);
    else if (passed > baseline) console.error(`conformance: ${passed} passed, above the baseline of ${baseline}: raise it in ${o.baseline}`);
    code = passed < baseline ? 1 : 0;
  }
  console.log(`${passed} passed, ${failed} failed`);
  return code;
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(`conformance: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 2;
    },
  );
}
