// vitest globalSetup: a throwaway PostgreSQL cluster for the tests.
//
// - TEST_DATABASE_URL set → used as is (a role that may CREATE DATABASE and CREATE ROLE).
// - Otherwise: finds Debian's server binaries (/usr/lib/postgresql/<v>/bin, or `pg_config
//   --bindir`), runs initdb into a temp dir (as the `postgres` OS user when running as root:
//   PostgreSQL refuses to run as root), starts it on a free 127.0.0.1 port with its unix socket
//   in the temp dir (fsync off: a test cluster), creates database `bligate_test`, and exports
//   TEST_DATABASE_URL (also `provide`d as 'testDatabaseUrl'). Teardown stops it and removes the
//   directory.
// Each test file then makes its own database (test/setup/db.ts: createTestDatabase()), so files
// run in parallel.
//
// By hand: `npx tsx test/setup/postgres.ts` starts one and prints its URL; Ctrl-C stops it.
import { spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const INSTALL_HINT =
  'PostgreSQL is not installed: the database tests need its server binaries (initdb, pg_ctl). ' +
  'Install them with `apt-get install -y postgresql` (Debian/Ubuntu; `npm test` does this itself when run as root), ' +
  'or set TEST_DATABASE_URL=postgres://user@host:port/db to use an existing server.';

/** The directory holding initdb and pg_ctl, or null. Newest Debian version first. */
export function findPostgresBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')) && existsSync(path.join(base, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    if (versions.length > 0) return path.join(base, versions[0]!, 'bin');
  }
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  } catch {
    // no pg_config
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function osUser(name: string): { uid: number; gid: number } | null {
  try {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
    if (!line) return null;
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  } catch {
    return null;
  }
}

export interface Cluster {
  url: string;
  dir: string;
  port: number;
  stop(): void;
}

/** Runs a server binary, as `postgres` when we are root. Throws with its output on failure. */
function runPg(bin: string, args: string[], asPostgres: boolean): void {
  const cmd = asPostgres ? 'runuser' : bin;
  const argv = asPostgres ? ['-u', 'postgres', '--', bin, ...args] : args;
  const r = spawnSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  if (r.error) throw new Error(`${path.basename(bin)}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${path.basename(bin)} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join(' | ')}`);
}

export async function startCluster(): Promise<Cluster> {
  const binDir = findPostgresBinDir();
  if (!binDir) throw new Error(INSTALL_HINT);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const pgUser = isRoot ? osUser('postgres') : null;
  if (isRoot && !pgUser) throw new Error('running as root, but there is no `postgres` OS user to run PostgreSQL as (apt-get install -y postgresql creates it)');

  const dir = mkdtempSync(path.join(os.tmpdir(), 'bligate-pg-'));
  const data = path.join(dir, 'data');
  const sock = dir;
  if (pgUser) {
    chownSync(dir, pgUser.uid, pgUser.gid);
    chmodSync(dir, 0o700);
  }
  const port = await freePort();
  try {
    runPg(path.join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], !!pgUser);
    runPg(
      path.join(binDir, 'pg_ctl'),
      [
        '-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60',
        '-o', `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c TimeZone=UTC`,
        'start',
      ],
      !!pgUser,
    );
  } catch (e) {
    let log = '';
    try {
      log = readFileSync(path.join(dir, 'server.log'), 'utf8').trim().split('\n').slice(-5).join(' | ');
    } catch {
      // no log
    }
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot start the test PostgreSQL cluster: ${(e as Error).message}${log ? ` (server log: ${log})` : ''}`);
  }
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      runPg(path.join(binDir, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], !!pgUser);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  try {
    await admin.connect();
    await admin.query('CREATE DATABASE bligate_test');
  } catch (e) {
    stop();
    throw new Error(`the test PostgreSQL cluster started but cannot be used: ${(e as Error).message}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/bligate_test`, dir, port, stop };
}

interface GlobalSetupContext {
  provide(key: string, value: unknown): void;
}

export default async function setup(ctx?: GlobalSetupContext): Promise<() => void> {
  if (process.env.TEST_DATABASE_URL) {
    ctx?.provide('testDatabaseUrl', process.env.TEST_DATABASE_URL);
    return () => undefined;
  }
  const cluster = await startCluster();
  process.env.TEST_DATABASE_URL = cluster.url;
  ctx?.provide('testDatabaseUrl', cluster.url);
  const onExit = () => cluster.stop();
  process.once('exit', onExit);
  return () => {
    process.off('exit', onExit);
    cluster.stop();
    delete process.env.TEST_DATABASE_URL;
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabaseUrl: string;
  }
}

// `npx tsx test/setup/postgres.ts`: start a cluster by hand.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cluster = await startCluster();
  process.stdout.write(`TEST_DATABASE_URL=${cluster.url}\n(data in ${cluster.dir}; Ctrl-C stops and removes it)\n`);
  const bye = () => {
    cluster.stop();
    process.exit(0);
  };
  process.on('SIGINT', bye);
  process.on('SIGTERM', bye);
  setInterval(() => undefined, 1 << 30);
}
