// `ledgerline serve`: the HTTP API, on the embedded store by default or on PostgreSQL and
// Redis. Migrations run at start. SIGINT/SIGTERM stop it gracefully.

import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { serve } from '../../api/index.ts';
import { openRuntime, type Runtime } from '../../runtime/index.ts';
import { act, parseIntArg, SERVER_FILE, withDataOptions, type GlobalOptions, type Io } from '../context.ts';

export interface ServeFlags extends GlobalOptions {
  port: number;
  host: string;
  /** Run jobs in this process: by default when embedded, not with Redis (`ledgerline worker` does). */
  work?: boolean;
  threads?: number;
}

export function addServeOptions(cmd: Command): Command {
  return withDataOptions(cmd)
    .addOption(new Option('--redis <url>', 'Redis URL (redis://…): jobs go to BullMQ for `ledgerline worker` processes').env('LEDGERLINE_REDIS_URL'))
    .addOption(new Option('--port <port>', 'port').argParser(parseIntArg(0, 65535)).default(8080).env('PORT'))
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--threads <n>', 'worker threads for jobs (default: one per core)', parseIntArg(1, 256))
    .option('--work', 'run jobs in this process too (the default on the embedded store and a database without Redis)')
    .option('--no-work', 'do not run jobs in this process (the default with --redis: start `ledgerline worker` processes)');
}

/**
 * Starts the server and resolves when a signal has stopped it. `prepare` runs on the opened
 * runtime before the port opens (the demo seeds its data there).
 */
export async function runServer(io: Io, o: ServeFlags, prepare?: (rt: Runtime) => Promise<void>): Promise<void> {
  const rt = await openRuntime({ dataDir: o.data, databaseUrl: o.database, redisUrl: o.redis, threads: o.threads });
  let server;
  try {
    await prepare?.(rt);
    server = await serve(rt, { port: o.port, host: o.host, work: o.work ?? !o.redis });
  } catch (err) {
    await rt.close({ graceMs: 0 });
    throw err;
  }
  const where = rt.store.engine === 'postgres' ? `${rt.store.location}, schema ${rt.store.schema}` : rt.store.location;
  const jobs = `${rt.queue.kind}${(o.work ?? !o.redis) ? '' : ', run by `ledgerline worker` processes'}`;
  io.err(`ledgerline listening on ${server.url} (${rt.store.engine}: ${where}; jobs: ${jobs})`);
  // Commands that find the embedded data held learn from this file which server to go through.
  const serverFile = rt.store.engine === 'pglite' ? join(rt.store.location, SERVER_FILE) : null;
  if (serverFile) {
    // Written whole under another name and renamed, so a reader never sees half of it.
    await writeFile(`${serverFile}.tmp`, JSON.stringify({ url: server.url, pid: process.pid }), { mode: 0o600 });
    await rename(`${serverFile}.tmp`, serverFile);
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      io.err('ledgerline: stopping…');
      void server
        .stop()
        .then(() => (serverFile ? rm(serverFile, { force: true }) : undefined))
        .then(() => resolve());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function serveCommand(io: Io, state: { code: number }): Command {
  return addServeOptions(new Command('serve'))
    .description('run the HTTP API (and, embedded, the job workers)')
    .action(act(state, async (o: ServeFlags) => runServer(io, o)));
}
