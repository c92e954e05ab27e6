// A Kysely dialect over PGlite (Postgres compiled to WASM, in-process). PGlite has a single
// backend, so the driver hands out one connection at a time: a transaction holds it until
// COMMIT/ROLLBACK and other queries wait, which gives the same isolation a pool would.

import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly db: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // A parameterless raw script may hold several statements (migrations); only exec() runs those.
    if (compiled.parameters.length === 0 && compiled.query.kind === 'RawNode') {
      const results = await this.db.exec(compiled.sql);
      const last = results[results.length - 1];
      // COPY ... TO '/dev/blob' (period-plays.ts): the rows come back as one blob, handed on as a row.
      if (last?.blob) return { rows: [{ blob: last.blob }] as R[] };
      return { rows: (last?.rows ?? []) as R[], ...(last?.affectedRows !== undefined ? { numAffectedRows: BigInt(last.affectedRows) } : {}) };
    }
    // COPY ... FROM '/dev/blob' (append-rows.ts): the rows travel as the query's blob, not as parameters.
    const [first] = compiled.parameters;
    if (compiled.parameters.length === 1 && first instanceof Blob) {
      const res = await this.db.query<R>(compiled.sql, [], { blob: first });
      return { rows: res.rows, numAffectedRows: BigInt(res.affectedRows ?? 0) };
    }
    const res = await this.db.query<R>(compiled.sql, compiled.parameters as unknown[]);
    const affected = res.affectedRows;
    return affected !== undefined && compiled.query.kind !== 'SelectQueryNode'
      ? { rows: res.rows, numAffectedRows: BigInt(affected) }
      : { rows: res.rows };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite dialect does not stream');
  }
}

class PGliteDriver implements Driver {
  private readonly conn: PGliteConnection;
  private tail: Promise<void> = Promise.resolve();
  private readonly releases: Array<() => void> = [];

  constructor(private readonly db: PGlite) {
    this.conn = new PGliteConnection(db);
  }

  async init(): Promise<void> {
    await this.db.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const prev = this.tail;
    this.tail = prev.then(() => held);
    await prev;
    this.releases.push(release);
    return this.conn;
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const iso = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await conn.executeQuery(CompiledQuery.raw(`begin${iso}`));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    this.releases.shift()?.();
  }

  async destroy(): Promise<void> {
    await this.tail;
    if (!this.db.closed) await this.db.close();
  }
}

export class PGliteDialect implements Dialect {
  constructor(private readonly db: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}
