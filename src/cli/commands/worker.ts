// `ledgerline worker`: a process that only runs jobs. With --redis it takes BullMQ jobs; without,
// it shares the jobs table of a PostgreSQL database with other processes.

import { Command, Option } from 'commander';
import { CommonErrors, LedgerlineError } from '../../shared/index.ts';
import { openRuntime } from '../../runtime/index.ts';
import { act, parseIntArg, withDataOptions, type GlobalOptions, type Io } from '../context.ts';

export function workerCommand(io: Io, state: { code: number }): Command {
  return withDataOptions(new Command('worker'))
    .description('run jobs: BullMQ on Redis (--redis) or the jobs table of a shared PostgreSQL (--database)')
    .addOption(new Option('--redis <url>', 'Redis URL (redis://…)').env('LEDGERLINE_REDIS_URL'))
    .option('--threads <n>', 'worker threads (default: one per core)', parseIntArg(1, 256))
    .action(
      act(state, async (o: GlobalOptions & { threads?: number }) => {
        if (!o.database) {
          throw new LedgerlineError(CommonErrors.BAD_INPUT, 'a worker needs the shared database: pass --database postgres://… (the embedded store belongs to `serve`)');
        }
        const rt = await openRuntime({
          databaseUrl: o.database,
          redisUrl: o.redis,
          threads: o.threads,
          // One JSON line per finished job on stderr, for the operator's log collector.
          onJobEvent: (e) => io.err(JSON.stringify({ time: new Date().toISOString(), pid: process.pid, job: e })),
        });
        await rt.queue.start();
        io.err(`ledgerline worker running (${rt.queue.kind}; ${rt.store.location})`);
        await new Promise<void>((resolve) => {
          const stop = () => {
            io.err('ledgerline worker: finishing running jobs…');
            void rt.close({ graceMs: 30_000 }).then(resolve);
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      }),
    );
}
