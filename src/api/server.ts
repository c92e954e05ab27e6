// Runs the API on a port with the process's runtime, and stops it cleanly: stop accepting,
// finish requests, finish or hand back running jobs, close the store.

import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Runtime } from '../runtime/index.ts';
import { requeueStale, startWebhooks } from '../screening/index.ts';
import { buildApp } from './app.ts';

export interface ServeOptions {
  port: number;
  host: string;
  /** Take jobs in this process (embedded mode); with Redis, dedicated workers usually do. */
  work: boolean;
  logLevel?: string;
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  stop(): Promise<void>;
}

/** Fills the consent view in the background so the first checks do not wait on the store. */
async function warmConsent(rt: Runtime, logger: pino.Logger): Promise<void> {
  try {
    for (const org of await rt.store.repos.catalog.listOrganisations()) {
      const tracks = await rt.consent.view.warm(org.id);
      logger.info({ org: org.slug, tracks }, 'consent view warmed');
    }
  } catch (err) {
    logger.warn({ err }, 'consent view warm-up stopped; checks load on demand');
  }
}

export async function serve(rt: Runtime, opts: ServeOptions): Promise<RunningServer> {
  const logger = pino({
    level: opts.logLevel ?? 'info',
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
  });
  const screening = { store: rt.store, clock: rt.clock, queue: rt.queue, uploadsDir: rt.uploadsDir };
  const app = await buildApp(
    {
      store: rt.store,
      clock: rt.clock,
      keys: rt.keys,
      fingerprints: async () => ({ store: rt.store, clock: rt.clock, index: await rt.fingerprintIndex(), pool: rt.pool }),
      pool: rt.pool,
      consent: rt.consent,
      screening,
    },
    { logger },
  );
  await app.listen({ port: opts.port, host: opts.host });
  if (opts.work) await rt.queue.start();
  void warmConsent(rt, logger);
  const webhooks = startWebhooks(rt.store, { onError: (u, error) => logger.warn({ upload: u.id, url: u.webhookUrl, error }, 'webhook delivery failed') });
  // Uploads a crash left queued go back to the queue; ones whose job gave up are failed.
  const sweep = setInterval(() => void requeueStale(screening).catch((err) => logger.warn({ err }, 'upload sweep failed')), 60_000);
  sweep.unref();
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  let stopping: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    app,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(sweep);
        await app.close();
        await webhooks.stop();
        await rt.close({ graceMs: 30_000 });
      })()),
  };
}
