// Applies the plain-SQL migrations in migrations/ in name order. All of it runs in one
// transaction behind an advisory lock, so two processes starting at once apply each file
// exactly once, and a failure leaves the schema as it was. Applied files are recorded with a
// checksum; a file changed after it was applied stops the start.

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';
import { LedgerlineError } from '../shared/index.ts';
import { StoreErrors } from './errors.ts';
import type { Database } from './schema.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (name) => {
      const text = await readFile(new URL(name, dir), 'utf8');
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    }),
  );
}

/** Lock key derived from the schema name, so test schemas on one server do not wait on each other. */
function lockKey(schema: string): number {
  return createHash('sha256').update(`ledgerline.migrate:${schema}`).digest().readInt32BE(0);
}

/** Returns the names applied by this call (empty when already up to date). Throws LL_STORE_MIGRATION_*. */
export async function migrate(db: Kysely<Database>, schema: string, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await loadMigrations());
  const anyDb = db as unknown as Kysely<Record<string, never>>;
  return anyDb.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${lockKey(schema)})`.execute(trx);
    await sql.raw(`create schema if not exists "${schema}"`).execute(trx);
    await sql
      .raw(
        `create table if not exists "${schema}".ll_migrations (name text primary key, checksum text not null, applied_at timestamptz not null default now())`,
      )
      .execute(trx);
    const done = await sql<{ name: string; checksum: string }>`select name, checksum from ll_migrations`.execute(trx);
    const applied = new Map(done.rows.map((r) => [r.name, r.checksum]));
    const ran: string[] = [];
    for (const m of all) {
      const prev = applied.get(m.name);
      if (prev !== undefined) {
        if (prev !== m.checksum) {
          throw new LedgerlineError(StoreErrors.MIGRATION_EDITED, `migration ${m.name} was changed after it was applied`, { name: m.name });
        }
        continue;
      }
      try {
        await sql.raw(m.sql).execute(trx);
      } catch (err) {
        throw new LedgerlineError(StoreErrors.MIGRATION_FAILED, `migration ${m.name} failed: ${(err as Error).message}`, { name: m.name }, { cause: err });
      }
      await sql`insert into ll_migrations (name, checksum) values (${m.name}, ${m.checksum})`.execute(trx);
      ran.push(m.name);
    }
    return ran;
  });
}
