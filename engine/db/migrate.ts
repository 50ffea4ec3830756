// Runs the migrations in engine/db/migrations/ with kysely's Migrator.
//
// Each file NNNN_name.ts exports up(db) (and down(db)), and is listed in migrations/index.ts. On PostgreSQL and PGlite (both report
// transactional DDL) the Migrator runs all pending migrations of one call in ONE transaction,
// after taking its migration lock: a migration that fails midway leaves the schema exactly as it
// was before the call (test: engine/db/migrate.test.ts, with a deliberately failing migration).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import { MIGRATIONS } from './migrations/index.ts';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Loads every NNNN_*.ts / .js file of a folder (not tests, not declarations), in name order. */
export class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.folder))
      .filter((f) => /^\d+_[\w-]+\.(ts|js|mjs)$/.test(f) && !/\.(test|d)\.[mc]?[tj]s$/.test(f))
      .sort();
    const out: Record<string, Migration> = {};
    for (const f of files) {
      const mod = (await import(pathToFileURL(path.join(this.folder, f)).href)) as Partial<Migration> & { default?: Migration };
      const m = typeof mod.up === 'function' ? (mod as Migration) : mod.default;
      if (!m || typeof m.up !== 'function') throw new Error(`migration ${f} exports no up()`);
      out[f.replace(/\.[mc]?[tj]s$/, '')] = m;
    }
    return out;
  }
}

/** bligate's own migrations (migrations/index.ts: bundled with the CLI). */
export class BundledMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return { ...MIGRATIONS };
  }
}

/** A migration run failed; `message` names the migration and the database's error (one line). */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration: string | undefined,
    readonly results: readonly MigrationResult[],
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** The Migrator for bligate's migrations, or for the migration files of another folder (tests). */
export function migrator(db: Kysely<any>, folder?: string): Migrator {
  return new Migrator({ db, provider: folder === undefined ? new BundledMigrationProvider() : new FolderMigrationProvider(folder) });
}

/** Brings the schema up to date; returns the names of the migrations applied by this call. */
export async function migrateToLatest(db: Kysely<any>, folder?: string): Promise<string[]> {
  const { error, results = [] } = await migrator(db, folder).migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const first = String((error as Error)?.message ?? error).split('\n')[0];
    throw new MigrationError(`migration ${failed ?? '(setup)'} failed, schema left unchanged: ${first}`, failed, results, error);
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
