// Every migration, imported statically so that the bundle (dist/bligate.mjs) carries them: a
// bundled CLI cannot import the .ts files of this folder at run time. Add each new migration
// here; engine/db/migrate.test.ts checks that this list and the folder agree.
import type { Migration } from 'kysely';
import * as m0001 from './0001_core.ts';
import * as m0002 from './0002_query_log.ts';
import * as m0003 from './0003_schema_additions.ts';
import * as m0004 from './0004_query_log_counts.ts';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_core': m0001,
  '0002_query_log': m0002,
  '0003_schema_additions': m0003,
  '0004_query_log_counts': m0004,
};
