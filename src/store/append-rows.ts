// Appending many rows to one table. The per-row cost of an INSERT's parameters dominates bulk
// writes, so each engine gets its cheapest path: on PGlite, COPY from an in-memory blob (text
// format, parsed by the engine itself); on PostgreSQL, INSERT ... SELECT FROM unnest of one
// array per column (one statement, as many parameters as columns). Conflicts are not handled:
// the caller appends rows it knows are new (inside its transaction).

import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Engine } from './open.ts';
import type { Database } from './schema.ts';

export interface Column {
  name: string;
  /** The PostgreSQL type of the column's array (unnest path). */
  type: string;
}

// Rows per statement: on the embedded engine a statement holds the event loop (about 0.2 s here).
const CHUNK = 10_000;

/** A value in COPY's text format: backslash escapes for the delimiters, \N for null. */
function copyText(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = v instanceof Date ? v.toISOString() : String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

export async function appendRows(db: Kysely<Database>, engine: Engine, table: string, columns: Column[], rows: unknown[][]): Promise<void> {
  const names = columns.map((c) => c.name).join(', ');
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    if (engine === 'pglite') {
      const text = part.map((r) => r.map(copyText).join('\t')).join('\n') + '\n';
      // The dialect hands a lone Blob parameter to PGlite as COPY's /dev/blob.
      await db.executeQuery(CompiledQuery.raw(`COPY ${table} (${names}) FROM '/dev/blob'`, [new Blob([text])]));
    } else {
      await sql`INSERT INTO ${sql.table(table)} (${sql.raw(names)}) ${unnestRows(columns, part)}`.execute(db);
    }
  }
}

/** The rows as one SELECT over unnest of an array per column: as many parameters as columns, whatever the rows. */
export function unnestRows(columns: Column[], rows: unknown[][]) {
  return sql`SELECT * FROM unnest(${sql.join(columns.map((c, k) => sql`${rows.map((r) => r[k])}::${sql.raw(c.type)}[]`))})`;
}
