#!/usr/bin/env node
// Installs the dependencies (`npm ci`) when node_modules is missing or does not match
// package-lock.json. Runs before `npm start`, `npm test` and `npm run conformance`, so that the
// README's two commands work on a fresh clone. Plain Node: nothing here may need a dependency.
//
// "Matches" means: every package that package-lock.json lists is installed at the locked
// version. A stamp (node_modules/.bligate-deps) with the lock file's hash makes the usual case a
// single small read.

import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lockFile = path.join(root, 'package-lock.json');
const modules = path.join(root, 'node_modules');
const stamp = path.join(modules, '.bligate-deps');

function lockHash() {
  return createHash('sha256')
    .update(readFileSync(lockFile))
    .update(readFileSync(path.join(root, 'package.json')))
    .digest('hex');
}

/** Why node_modules does not match the lock file, or null when it does. */
function staleReason(hash) {
  if (!existsSync(modules)) return 'node_modules is missing';
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash) return null;
  let lock;
  try {
    lock = JSON.parse(readFileSync(lockFile, 'utf8'));
  } catch (e) {
    return `package-lock.json is unreadable (${e.message})`;
  }
  const pkgs = lock.packages ?? {};
  for (const [where, info] of Object.entries(pkgs)) {
    if (where === '' || !where.startsWith('node_modules/') || info.link) continue;
    const manifest = path.join(root, where, 'package.json');
    if (!existsSync(manifest)) {
      if (info.optional) continue; // optional (platform-specific) packages may be absent
      return `${where.slice('node_modules/'.length)} is not installed`;
    }
    try {
      const installed = JSON.parse(readFileSync(manifest, 'utf8')).version;
      if (info.version && installed !== info.version) return `${where.slice('node_modules/'.length)} is ${installed}, the lock file wants ${info.version}`;
    } catch {
      return `${where} is damaged`;
    }
  }
  return null;
}

function main() {
  if (!existsSync(lockFile)) {
    console.error('ensure-deps: package-lock.json is missing');
    return 1;
  }
  const hash = lockHash();
  const reason = staleReason(hash);
  if (reason !== null) {
    console.error(`ensure-deps: ${reason}; running npm ci`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['ci', '--include=dev', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.error) {
      console.error(`ensure-deps: cannot run npm ci: ${r.error.message}`);
      return 1;
    }
    if (r.status !== 0) {
      console.error(`ensure-deps: npm ci failed (exit ${r.status ?? r.signal})`);
      return r.status || 1;
    }
    const again = staleReason(hash);
    if (again !== null) {
      console.error(`ensure-deps: still out of date after npm ci: ${again}`);
      return 1;
    }
  }
  try {
    writeFileSync(stamp, hash + '\n');
  } catch {
    // read-only node_modules: fine, the check runs again next time
  }
  return 0;
}

/** True when PostgreSQL's initdb and pg_ctl are installed (Debian layout or on PATH). */
function havePostgresServer() {
  const base = '/usr/lib/postgresql';
  try {
    for (const v of readdirSync(base)) {
      if (existsSync(path.join(base, v, 'bin', 'initdb')) && existsSync(path.join(base, v, 'bin', 'pg_ctl'))) return true;
    }
  } catch {
    // no Debian layout
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return true;
  }
  return false;
}

function ensurePostgres() {
  if (process.env.TEST_DATABASE_URL || havePostgresServer()) return 0;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/etc/debian_version')) {
    console.error('ensure-deps: PostgreSQL is not installed; the database tests need it: apt-get install -y postgresql (as root), or set TEST_DATABASE_URL');
    return 0;
  }
  console.error('ensure-deps: PostgreSQL is not installed; installing Debian\'s postgresql (apt-get, once)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'postgresql']]) {
    const r = spawnSync('apt-get', args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.error || r.status !== 0) {
      const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
      console.error(`ensure-deps: apt-get ${args[0]} failed (${r.error ? r.error.message : `exit ${r.status}`})${tail ? `:\n${tail}` : ''}`);
      return 1;
    }
  }
  if (!havePostgresServer()) {
    console.error('ensure-deps: apt-get installed postgresql, but initdb is still not found');
    return 1;
  }
  return 0;
}

let status = main();
if (status === 0 && (process.env.npm_lifecycle_event === 'pretest' || process.argv.includes('--postgres'))) status = ensurePostgres();
process.exitCode = status;
