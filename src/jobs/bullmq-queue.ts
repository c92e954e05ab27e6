// The scaled queue: BullMQ on Redis. Any number of `ledgerline worker` processes on any
// machines take jobs from one Redis; each runs the work on its own worker-thread pool and
// applies effects through the shared PostgreSQL, guarded by the effects ledger.

import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as BullMQ from 'bullmq';
import type { Job, Queue, Worker } from 'bullmq';
import type * as IORedis from 'ioredis';
import type { Redis } from 'ioredis';
import { LedgerlineError, type Transactor } from '../shared/index.ts';
import { DEFAULTS } from './define.ts';
import { JobErrors } from './errors.ts';
import { executeJob, type JobRegistry } from './execute.ts';
import type { WorkerPool } from './pool.ts';
import type { EnqueueOptions, JobInfo, JobListener, JobQueue, JobStatus } from './queue.ts';
import type { JobsStore } from './store.ts';

export interface BullQueueOptions<R extends { jobs: JobsStore }> {
  redisUrl: string;
  store: Transactor<R>;
  /** The queue owns the pool: close() stops it. */
  pool: WorkerPool;
  registry: JobRegistry<R>;
  queueName?: string;
  /** Key prefix in Redis; lets several deployments (or test runs) share one Redis. */
  prefix?: string;
  concurrency?: number;
  /** How long a worker's claim on a job lasts without renewal; a dead worker's jobs return after it. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  onEvent?: JobListener;
}

interface Data {
  key: string;
  payload: unknown;
}

export function checkRedisUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new LedgerlineError(JobErrors.BAD_REDIS_URL, `"${url}" is not a URL; expected redis://host:port`, { url });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new LedgerlineError(JobErrors.BAD_REDIS_URL, `Redis URL must start with redis:// or rediss:// (got ${u.protocol}//)`, { url });
  }
  return url;
}

/**
 * BullMQ and ioredis are loaded when a queue on Redis is made, not when this module is: every
 * command imports the jobs capability, and most never touch Redis (their load is 0.3 s).
 */
const load = () => {
  const require = createRequire(import.meta.url);
  return { bullmq: require('bullmq') as typeof BullMQ, ioredis: require('ioredis') as typeof IORedis };
};

/** BullMQ ids live inside Redis keys; a digest keeps any idempotency key safe to use as one. */
const bullId = (key: string) => `k${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;

const STATUS: Record<string, JobStatus> = {
  waiting: 'queued',
  delayed: 'queued',
  prioritized: 'queued',
  'waiting-children': 'queued',
  active: 'running',
  completed: 'done',
  failed: 'failed',
};

export class BullQueue<R extends { jobs: JobsStore }> implements JobQueue {
  readonly kind = 'bullmq' as const;
  private readonly connection: Redis;
  private readonly lib: typeof BullMQ;
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;
  private readonly name: string;
  private abandoning = false;

  constructor(private readonly o: BullQueueOptions<R>) {
    checkRedisUrl(o.redisUrl);
    this.name = o.queueName ?? 'ledgerline';
    const { bullmq, ioredis } = load();
    this.lib = bullmq;
    this.connection = new ioredis.Redis(o.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    // Connection errors surface through the commands that fail; ioredis keeps reconnecting.
    this.connection.on('error', () => {});
    this.queue = new bullmq.Queue(this.name, { connection: this.connection, prefix: o.prefix ?? 'll' });
  }

  async enqueue(name: string, payload: unknown, opts: EnqueueOptions = {}) {
    const def = this.o.registry.get(name);
    if (!def) throw new LedgerlineError(JobErrors.UNKNOWN_JOB, `no job named "${name}"`, { name, known: this.o.registry.names() });
    const key = opts.idempotencyKey ?? randomUUID();
    const jobId = bullId(key);
    const existing = await this.queue.getJob(jobId);
    if (existing) return { id: jobId, created: false };
    await this.queue.add(name, { key, payload } satisfies Data, {
      jobId,
      attempts: opts.maxAttempts ?? def.maxAttempts ?? DEFAULTS.maxAttempts,
      backoff: { type: 'exponential', delay: opts.backoffMs ?? def.backoffMs ?? DEFAULTS.backoffMs, jitter: 0.2 },
      delay: opts.delayMs ?? 0,
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
    return { id: jobId, created: true };
  }

  async get(id: string): Promise<JobInfo | null> {
    // State first, then the job: a job read before it completed and a state read after would
    // report "done" without its result.
    const state = await this.queue.getJobState(id);
    const job = await this.queue.getJob(id);
    if (!job) return null;
    return {
      id,
      name: job.name,
      status: STATUS[state] ?? 'queued',
      attempts: job.attemptsMade,
      lastError: job.failedReason ?? null,
      result: job.returnvalue ?? null,
    };
  }

  async start(): Promise<void> {
    if (this.worker) return;
    // The worker blocks on its own connection; BullMQ leaves a connection it was given open, so close() ends it.
    this.workerConnection = this.connection.duplicate();
    this.workerConnection.on('error', () => {});
    this.worker = new this.lib.Worker(this.name, (job, token) => this.process(job, token), {
      connection: this.workerConnection,
      prefix: this.o.prefix ?? 'll',
      concurrency: this.o.concurrency ?? this.o.pool.jobsInHand,
      lockDuration: this.o.lockDurationMs ?? 30_000,
      stalledInterval: this.o.stalledIntervalMs ?? 30_000,
      autorun: true,
    });
    this.worker.on('error', () => {});
    this.worker.on('completed', (job) => this.o.onEvent?.({ type: 'done', id: job.id ?? '', name: job.name, attempt: job.attemptsMade }));
    this.worker.on('failed', (job, err) => {
      if (!job || err instanceof this.lib.DelayedError) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1);
      this.o.onEvent?.({ type: final ? 'failed' : 'retry', id: job.id ?? '', name: job.name, attempt: job.attemptsMade, error: err.message });
    });
    await this.worker.waitUntilReady();
  }

  async close(opts: { graceMs?: number } = {}): Promise<void> {
    const grace = opts.graceMs ?? 30_000;
    if (this.worker) {
      const closing = this.worker.close();
      const timer = setTimeout(() => {
        // Past the grace period: stop the work and hand running jobs back (see process()).
        this.abandoning = true;
        void this.o.pool.destroy();
      }, grace);
      await closing;
      clearTimeout(timer);
    }
    await this.o.pool.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.connection.disconnect();
  }

  private async process(job: Job<Data>, token?: string): Promise<unknown> {
    const def = this.o.registry.get(job.name);
    if (!def) throw new Error(`no job named "${job.name}" is registered in this worker`);
    try {
      return await executeJob(this.o.store, this.o.pool, def, this.o.registry.services, {
        jobId: job.id ?? '',
        attempt: job.attemptsMade + 1,
        idempotencyKey: job.data.key,
        payload: job.data.payload,
      });
    } catch (err) {
      if (this.abandoning && err instanceof LedgerlineError && err.code === JobErrors.POOL_CLOSED.code) {
        // Returned untouched: due at once for the next worker, no attempt counted.
        await job.moveToDelayed(Date.now(), token);
        throw new this.lib.DelayedError();
      }
      throw err;
    }
  }
}
