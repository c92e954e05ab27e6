// What every command shares: where the data is (--data, --database, --redis and their
// environment variables), output in text or --json, and one mapping from errors to exit codes
// (0 ok, 1 failure, 2 bad usage or input).

import { CommanderError, InvalidArgumentError, Option, type Command } from 'commander';
import { isLedgerlineError, LedgerlineError, type Caller, type ErrorKind } from '../shared/index.ts';
import type { Runtime } from '../runtime/index.ts';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

export interface GlobalOptions {
  data?: string;
  database?: string;
  redis?: string;
  json?: boolean;
}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

const INPUT_KINDS: ErrorKind[] = ['bad_input', 'not_found', 'conflict', 'unauthenticated', 'forbidden', 'too_large'];

export function exitCodeFor(err: unknown): number {
  if (isLedgerlineError(err)) return INPUT_KINDS.includes(err.kind) ? EXIT.usage : EXIT.failure;
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  return EXIT.failure;
}

/** Adds the data-location options every command takes. */
export function withDataOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--data <dir>', 'embedded data directory').env('LEDGERLINE_DATA'))
    .addOption(new Option('--database <url>', 'PostgreSQL URL (postgres://…); overrides --data').env('LEDGERLINE_DATABASE_URL'));
}

export function withJson(cmd: Command): Command {
  return cmd.option('--json', 'print JSON');
}

/** Opens the runtime for one command; `threads` defaults to 1 (commands that decode audio ask for more). */
export async function withRuntime<T>(opts: GlobalOptions, fn: (rt: Runtime) => Promise<T>, threads = 1): Promise<T> {
  // Loaded here, not above: a command that needs no database does not pay for its engines.
  const { openRuntime } = await import('../runtime/index.ts');
  let rt: Runtime;
  try {
    rt = await openRuntime({ dataDir: opts.data, databaseUrl: opts.database, redisUrl: opts.redis, threads });
  } catch (err) {
    throw await namingTheServer(err);
  }
  try {
    return await fn(rt);
  } finally {
    await rt.close({ graceMs: 0 });
  }
}

/** Where a server on an embedded data directory says it listens (written by `serve`). */
export const SERVER_FILE = 'server.json';

/**
 * An embedded data directory held by a running server: the error says which server (from the
 * server.json it writes there) and how to reach the same operations through it; its details
 * carry the server's URL (`server`) for a command with a more precise way.
 */
async function namingTheServer(err: unknown): Promise<unknown> {
  if (!isLedgerlineError(err) || err.code !== 'LL_STORE_DATA_DIR_LOCKED' || typeof err.details?.dataDir !== 'string') return err;
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const held = await readFile(join(err.details.dataDir, SERVER_FILE), 'utf8').then((t) => JSON.parse(t) as { url?: unknown }, () => null);
  if (typeof held?.url !== 'string') return err;
  const message = `${err.message}. The server at ${held.url} holds it: do this through its API (reference at ${held.url}/docs) with an API key, or stop the server to run the command on the data directly`;
  return new LedgerlineError(err, message, { ...err.details, server: held.url });
}

/** The caller of a command acting in organisation `org` (slug or id). */
export async function callerFor(rt: Runtime, org: string): Promise<Caller> {
  const { resolveOrganisation } = await import('../catalog/index.ts');
  return { orgId: (await resolveOrganisation(rt, org)).id, actor: cliActor() };
}

/** Prints an entity or list as JSON, or as aligned `key: value` text. */
export function print(io: Io, json: boolean | undefined, value: unknown): void {
  if (json) {
    io.out(JSON.stringify(value));
    return;
  }
  const rows = Array.isArray(value) ? value : [value];
  for (const row of rows) {
    if (row && typeof row === 'object') {
      const entries = Object.entries(row as Record<string, unknown>);
      const width = Math.max(...entries.map(([k]) => k.length));
      io.out(entries.map(([k, v]) => `${k.padEnd(width)}  ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`).join('\n'));
      if (rows.length > 1) io.out('');
    } else {
      io.out(String(row));
    }
  }
  if (rows.length === 0) io.out('(none)');
}

/**
 * Prints a list as one aligned row per item under a header of `columns` (long values cut with
 * "…"), or as JSON. Lists read better as tables; one entity reads better as `print` gives it.
 */
export function printTable(io: Io, json: boolean | undefined, rows: readonly unknown[], columns: readonly string[]): void {
  if (json) {
    io.out(JSON.stringify(rows));
    return;
  }
  if (rows.length === 0) {
    io.out('(none)');
    return;
  }
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return s.length > 40 ? `${s.slice(0, 39)}…` : s;
  };
  const cells = rows.map((r) => columns.map((c) => cell((r as Record<string, unknown>)[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  io.out([line([...columns]), ...cells.map(line)].join('\n'));
}

export function reportError(io: Io, json: boolean | undefined, err: unknown): number {
  const code = exitCodeFor(err);
  if (isLedgerlineError(err)) {
    if (json) io.err(JSON.stringify({ error: { code: err.code, message: err.message, details: err.details ?? null } }));
    else io.err(`ledgerline: ${err.message} [${err.code}]`);
  } else if (err instanceof CommanderError) {
    // commander already printed its message
  } else {
    io.err(`ledgerline: ${(err as Error)?.stack ?? String(err)}`);
  }
  return code;
}

/** The organisation a command acts in, and the audit actor of the local CLI. */
export function cliActor(): string {
  return `cli:${process.env.USER ?? process.env.LOGNAME ?? 'local'}`;
}

/** Wraps an action so its exit code reaches main(); errors propagate to main's handler. */
export function act<A extends unknown[]>(state: { code: number }, fn: (...args: A) => Promise<number | void>) {
  return async (...args: A) => {
    const code = await fn(...args);
    state.code = typeof code === 'number' ? code : EXIT.ok;
  };
}

export function parseIntArg(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

/**
 * A progress reporter for long batches: one updating line on a terminal, else a line at most
 * every 250 ms (and always the last), on stderr so stdout stays machine-readable.
 */
export function progress(io: Io, label: string, tty = Boolean(process.stderr.isTTY)): (done: number, total: number) => void {
  const started = Date.now();
  let last = 0;
  let lastStep = -1;
  return (done, total) => {
    const now = Date.now();
    if (tty) {
      // A bar redrawn in place at most ten times a second, with the time left at the rate so far.
      if (done !== total && now - last < 100) return;
      last = now;
      const share = total ? done / total : 1;
      const width = 24;
      const filled = Math.round(share * width);
      const left = done > 0 && done < total ? ` ${Math.ceil((((now - started) / done) * (total - done)) / 1000)} s left` : '';
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${Math.floor(share * 100)}%${left}\x1b[K${done === total ? '\n' : ''}`);
      return;
    }
    // In a log: every item of a short run, else one line per tenth, and always the last.
    const step = total <= 20 ? done : Math.floor((done * 10) / total);
    if (step === lastStep && done !== total) return;
    lastStep = step;
    io.err(`${label} ${done}/${total}`);
  };
}
