// Opens the store on one of its two engines: PGlite in a data directory (embedded default) or
// a PostgreSQL server (scaled). Both get the same migrations and the same repositories.

import { randomBytes } from 'node:crypto';
import { open as openFile, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { LedgerlineError } from '../shared/index.ts';
import { StoreErrors } from './errors.ts';
import { migrate } from './migrate.ts';
import { narrowToOwner, privateDataDir } from './private-dir.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

export type Engine = 'pglite' | 'postgres';

export interface StoreConfig {
  /** Data directory for the embedded engine; ignored when databaseUrl is set. */
  dataDir?: string;
  /** postgres://… ; an optional `schema` query parameter selects the schema (default public). */
  databaseUrl?: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

export interface OpenedDb {
  engine: Engine;
  schema: string;
  db: Kysely<Database>;
  /** Where the data lives, for messages: a directory or a URL without its password. */
  location: string;
  close(): Promise<void>;
}

// int8 and numeric counts fit in a double for everything ledgerline counts; dates stay text
// so a release date never shifts with the process time zone.
const INT8 = 20;
const DATE = 1082;

export function parseDatabaseUrl(url: string): { connectionString: string; schema: string; location: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new LedgerlineError(StoreErrors.BAD_URL, `"${url}" is not a URL; expected postgres://user@host:port/database`, { url });
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new LedgerlineError(StoreErrors.BAD_URL, `database URL must start with postgres:// (got ${u.protocol}//)`, { url: redact(u) });
  }
  if (!u.hostname) throw new LedgerlineError(StoreErrors.BAD_URL, 'database URL has no host', { url: redact(u) });
  const schema = u.searchParams.get('schema') ?? 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new LedgerlineError(StoreErrors.BAD_URL, `schema "${schema}" must be a lower-case identifier`, { schema });
  }
  u.searchParams.delete('schema');
  return { connectionString: u.toString(), schema, location: redact(u) };
}

function redact(u: URL): string {
  const c = new URL(u.toString());
  if (c.password) c.password = '***';
  return c.toString();
}

async function openPostgres(cfg: StoreConfig & { databaseUrl: string }): Promise<OpenedDb> {
  const { connectionString, schema, location } = parseDatabaseUrl(cfg.databaseUrl);
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => {
      if (oid === INT8) return (v: string) => Number(v);
      if (oid === DATE) return (v: string) => v;
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const pool = new pg.Pool({
    connectionString,
    max: cfg.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    options: `-c search_path="${schema}"`,
    types,
  });
  // An idle client that loses its server must not take the process down.
  pool.on('error', () => {});
  try {
    const c = await pool.connect();
    c.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw new LedgerlineError(StoreErrors.UNREACHABLE, `cannot connect to ${location}: ${(err as Error).message}`, { url: location }, { cause: err });
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { engine: 'postgres', schema, db, location, close: () => db.destroy() };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock tokens this process holds, so a second open in the same process is refused too. */
const heldLocks = new Set<string>();

/**
 * PGlite has one backend per directory; a second process opening it would corrupt it. A lock
 * file holding `pid:token` keeps others out. It is stale once its process is gone, or when it
 * carries our pid but a token we never issued (a restarted container reuses pids).
 */
async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const lock = join(dir, 'ledgerline.lock');
  const token = randomBytes(8).toString('hex');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await openFile(lock, 'wx');
      await fh.writeFile(`${process.pid}:${token}`);
      await fh.close();
      heldLocks.add(token);
      return async () => {
        heldLocks.delete(token);
        await rm(lock, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const [pidText, owner] = (await readFile(lock, 'utf8').catch(() => '')).trim().split(':');
      const pid = Number(pidText);
      const live = pid === process.pid ? heldLocks.has(owner ?? '') : pid > 0 && pidAlive(pid);
      if (live) {
        throw new LedgerlineError(
          StoreErrors.DATA_DIR_LOCKED,
          `data directory ${dir} is in use by process ${pid}; stop it, or run against PostgreSQL with --database to share data between processes`,
          { dataDir: dir, pid },
        );
      }
      await rm(lock, { force: true });
    }
  }
  throw new LedgerlineError(StoreErrors.DATA_DIR_LOCKED, `could not lock data directory ${dir}`, { dataDir: dir });
}

async function openPGlite(dataDir: string): Promise<OpenedDb> {
  await privateDataDir(dataDir);
  const unlock = await lockDataDir(dataDir);
  try {
    const pgl = new PGlite(join(dataDir, 'pgdata'), {
      parsers: { [INT8]: (v: string) => Number(v), [DATE]: (v: string) => v },
    });
    await pgl.waitReady;
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pgl) });
    return {
      engine: 'pglite',
      schema: 'public',
      db,
      location: dataDir,
      close: async () => {
        await db.destroy();
        // PGlite's files made since the open are 0666 under the 0700 directory: narrow them too.
        await narrowToOwner(dataDir);
        await unlock();
      },
    };
  } catch (err) {
    await unlock();
    throw err;
  }
}

/** Opens and migrates. Throws LL_STORE_BAD_URL, LL_STORE_UNREACHABLE, LL_STORE_DATA_DIR_LOCKED, LL_STORE_MIGRATION_*. */
export async function openDatabase(cfg: StoreConfig): Promise<OpenedDb> {
  const opened = cfg.databaseUrl
    ? await openPostgres({ ...cfg, databaseUrl: cfg.databaseUrl })
    : await openPGlite(cfg.dataDir ?? '.ledgerline');
  try {
    await migrate(opened.db, opened.schema);
  } catch (err) {
    await opened.close();
    throw err;
  }
  return opened;
}
