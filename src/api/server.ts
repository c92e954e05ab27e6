// Runs the API on a port with the process's runtime, and stops it cleanly: stop accepting,
// finish requests, finish or hand back running jobs, close the store.

import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Runtime } from '../runtime/index.ts';
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
  const app = await buildApp(rt, { logger });
  // Partner XML and audio are read on the pool's threads: start them before the first request.
  rt.pool.start();
  await app.listen({ port: opts.port, host: opts.host });
  if (opts.work) await rt.queue.start();
  void warmConsent(rt, logger);
  const background = rt.startBackground(logger);
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  let stopping: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    app,
    stop: () =>
      (stopping ??= (async () => {
        await app.close();
        await background.stop();
        await rt.close({ graceMs: 30_000 });
      })()),
  };
}
