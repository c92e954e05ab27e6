// Opens a real store on either engine for one test file: PGlite in a fresh temporary
// directory, or PostgreSQL in a fresh schema that is dropped afterwards.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.ts';
import { PG_URL } from './env.ts';

export const ENGINES = ['pglite', 'postgres'] as const;
export type TestEngine = (typeof ENGINES)[number];

export interface TestStore {
  store: Store;
  /** What to pass to another process (CLI, worker) to reach the same data. */
  location: { dataDir?: string; databaseUrl?: string };
  cleanup(): Promise<void>;
}

export function freshSchemaUrl(): { url: string; schema: string } {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const u = new URL(PG_URL);
  u.searchParams.set('schema', schema);
  return { url: u.toString(), schema };
}

export async function dropSchema(schema: string): Promise<void> {
  const u = new URL(PG_URL);
  u.searchParams.delete('schema');
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    await c.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await c.end();
  }
}

export async function openTestStore(engine: TestEngine): Promise<TestStore> {
  if (engine === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'll-test-'));
    const store = await openStore({ dataDir: dir });
    return {
      store,
      location: { dataDir: dir },
      cleanup: async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const { url, schema } = freshSchemaUrl();
  const store = await openStore({ databaseUrl: url, poolSize: 5 });
  return {
    store,
    location: { databaseUrl: url },
    cleanup: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
}

export async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, stepMs = 25): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
