// The embedded queue: jobs live in the jobs table (PGlite or PostgreSQL), so they survive a
// restart; this process leases due jobs, runs them on its worker-thread pool, and keeps the
// leases alive while they run. A process that dies stops renewing, and its jobs return to the
// queue when the lease runs out.

import { randomUUID } from 'node:crypto';
import { LedgerlineError, type Transactor } from '../shared/index.ts';
import { DEFAULTS, retryDelay } from './define.ts';
import { JobErrors } from './errors.ts';
import { executeJob, type JobRegistry } from './execute.ts';
import type { WorkerPool } from './pool.ts';
import type { EnqueueOptions, JobInfo, JobListener, JobQueue } from './queue.ts';
import type { JobRow, JobsStore } from './store.ts';

export interface TableQueueOptions<R extends { jobs: JobsStore }> {
  store: Transactor<R>;
  /** The queue owns the pool: close() stops it. */
  pool: WorkerPool;
  registry: JobRegistry<R>;
  /** Jobs this process holds at once; defaults to the pool's jobsInHand. */
  concurrency?: number;
  pollMs?: number;
  leaseMs?: number;
  workerId?: string;
  onEvent?: JobListener;
}

const toInfo = (j: JobRow): JobInfo => ({
  id: j.id,
  name: j.name,
  status: j.state,
  attempts: j.attempts,
  lastError: j.lastError,
  result: j.result,
});

export class TableQueue<R extends { jobs: JobsStore }> implements JobQueue {
  readonly kind = 'embedded' as const;
  readonly workerId: string;
  private readonly inFlight = new Map<string, Promise<void>>();
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;

  constructor(private readonly o: TableQueueOptions<R>) {
    this.workerId = o.workerId ?? `embedded:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.concurrency = o.concurrency ?? o.pool.jobsInHand;
    this.pollMs = o.pollMs ?? 250;
    this.leaseMs = o.leaseMs ?? 30_000;
  }

  async enqueue(name: string, payload: unknown, opts: EnqueueOptions = {}) {
    const def = this.o.registry.get(name);
    if (!def) throw new LedgerlineError(JobErrors.UNKNOWN_JOB, `no job named "${name}"`, { name, known: this.o.registry.names() });
    const { job, created } = await this.o.store.repos.jobs.insertJob({
      name,
      payload,
      idempotencyKey: opts.idempotencyKey ?? randomUUID(),
      maxAttempts: opts.maxAttempts ?? def.maxAttempts ?? DEFAULTS.maxAttempts,
      backoffMs: opts.backoffMs ?? def.backoffMs ?? DEFAULTS.backoffMs,
      delayMs: opts.delayMs ?? 0,
    });
    if (created) this.kick();
    return { id: job.id, created };
  }

  async get(id: string): Promise<JobInfo | null> {
    const j = await this.o.store.repos.jobs.getJob(id);
    return j ? toInfo(j) : null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    // Jobs whose process died while running them (a crash, a kill) come back now.
    await this.o.store.repos.jobs.reclaimExpired();
    this.heartbeat = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.schedule(0);
  }

  async close(opts: { graceMs?: number } = {}): Promise<void> {
    if (!this.running) return this.o.pool.close();
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    const grace = opts.graceMs ?? 30_000;
    const all = Promise.all(this.inFlight.values());
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), grace))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      // Stopping the pool fails the running work with LL_JOBS_POOL_CLOSED; process() then gives each job back.
      await this.o.pool.destroy();
      await all;
    } else {
      await this.o.pool.close();
    }
    if (this.heartbeat) clearInterval(this.heartbeat);
  }

  private kick() {
    if (this.running) this.schedule(0);
  }

  private schedule(ms: number) {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => (this.ticking = null));
    }, ms);
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    try {
      await this.o.store.repos.jobs.reclaimExpired();
      const free = this.concurrency - this.inFlight.size;
      if (free > 0) {
        const jobs = await this.o.store.repos.jobs.claimDue(this.workerId, free, this.leaseMs);
        // Jobs claimed while close() began are in flight like any other: close() waits for this
        // tick, then finishes them within its grace period (or hands them back when it runs out).
        for (const j of jobs) {
          const p = this.process(j).finally(() => {
            this.inFlight.delete(j.id);
            this.kick();
          });
          this.inFlight.set(j.id, p);
        }
        if (jobs.length === free) return this.schedule(0);
      }
    } catch {
      // The database was briefly unavailable; the next poll tries again.
    }
    this.schedule(this.pollMs);
  }

  private async renew() {
    if (this.inFlight.size === 0) return;
    await this.o.store.repos.jobs.extendLeases(this.workerId, [...this.inFlight.keys()], this.leaseMs).catch(() => {});
  }

  private async process(j: JobRow): Promise<void> {
    const jobs = this.o.store.repos.jobs;
    const def = this.o.registry.get(j.name);
    if (!def) {
      await jobs.fail(j.id, this.workerId, `no job named "${j.name}" is registered in this process`, null);
      return;
    }
    try {
      await executeJob(this.o.store, this.o.pool, def, this.o.registry.services, { jobId: j.id, attempt: j.attempts, idempotencyKey: j.idempotencyKey, payload: j.payload }, async (repos, result) => {
        if (!(await repos.jobs.complete(j.id, this.workerId, result))) {
          throw new LedgerlineError(JobErrors.LEASE_LOST, `job ${j.id} was taken over by another worker`);
        }
      });
      this.o.onEvent?.({ type: 'done', id: j.id, name: j.name, attempt: j.attempts });
    } catch (err) {
      if (err instanceof LedgerlineError && (err.code === JobErrors.LEASE_LOST.code || err.code === JobErrors.POOL_CLOSED.code)) {
        if (err.code === JobErrors.POOL_CLOSED.code) await jobs.giveBack(j.id, this.workerId).catch(() => {});
        return;
      }
      const retryIn = j.attempts < j.maxAttempts ? retryDelay(j.backoffMs, j.attempts) : null;
      const error = (err as Error).message ?? String(err);
      await jobs.fail(j.id, this.workerId, error, retryIn).catch(() => {});
      this.o.onEvent?.({ type: retryIn === null ? 'failed' : 'retry', id: j.id, name: j.name, attempt: j.attempts, error });
    }
  }
}
