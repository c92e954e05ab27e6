// One suite, every queue: the jobs table on PGlite and on PostgreSQL, and BullMQ on Redis.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullQueue, executeJob, JobRegistry, TableQueue, WorkerPool, type JobQueue } from '../../src/jobs/index.ts';
import type { Repositories } from '../../src/store/index.ts';
import { REDIS_URL } from '../helpers/env.ts';
import { openTestStore, waitFor, type TestStore } from '../helpers/store.ts';
import { testJobs } from './fixtures/test-jobs.ts';

type Kind = 'table-pglite' | 'table-postgres' | 'bullmq';
const KINDS: Kind[] = ['table-pglite', 'table-postgres', 'bullmq'];

describe.each(KINDS)('job queue: %s', (kind) => {
  let ts: TestStore;
  const registry = new JobRegistry<Repositories>(testJobs);
  const prefix = `lltest-${randomBytes(4).toString('hex')}`;

  function makeQueue(poolSize = 2): JobQueue {
    const pool = new WorkerPool(poolSize);
    if (kind === 'bullmq') {
      return new BullQueue({ redisUrl: REDIS_URL, store: ts.store, pool, registry, prefix, lockDurationMs: 1500, stalledIntervalMs: 500 });
    }
    return new TableQueue({ store: ts.store, pool, registry, pollMs: 20, leaseMs: 1500 });
  }

  async function effects(tag: string) {
    const all = await ts.store.repos.audit.readAfter(0, 100_000);
    return all.filter((e) => e.action === 'test.effect' && e.subject === tag);
  }

  const done = (q: JobQueue, id: string) =>
    waitFor(async () => {
      const j = await q.get(id);
      return j && (j.status === 'done' || j.status === 'failed') ? j : null;
    });

  beforeAll(async () => {
    ts = await openTestStore(kind === 'table-pglite' ? 'pglite' : 'postgres');
  });
  afterAll(async () => {
    await ts.cleanup();
  });

  it('runs a job in a worker thread and applies its effect once', async () => {
    const q = makeQueue();
    await q.start();
    const { id } = await q.enqueue('test.double', { tag: 'double', n: 21 });
    const j = await done(q, id);
    expect(j.status).toBe('done');
    expect(j.result).toEqual({ doubled: 42 });
    expect(await effects('double')).toHaveLength(1);
    await q.close();
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    const q = makeQueue();
    await q.start();
    const { id } = await q.enqueue('test.flaky', { tag: 'flaky', okAt: 3 }, { backoffMs: 40, maxAttempts: 5 });
    const j = await done(q, id);
    expect(j.status).toBe('done');
    expect(j.attempts).toBe(3);
    expect(j.result).toEqual({ attempt: 3 });
    expect(await effects('flaky')).toHaveLength(1);
    await q.close();
  });

  it('fails a job for good after its last attempt, with the error kept', async () => {
    const q = makeQueue();
    await q.start();
    const { id } = await q.enqueue('test.flaky', { tag: 'hopeless', okAt: 99 }, { backoffMs: 10, maxAttempts: 2 });
    const j = await done(q, id);
    expect(j.status).toBe('failed');
    expect(j.attempts).toBe(2);
    expect(j.lastError).toContain('flaky failure on attempt 2');
    expect(await effects('hopeless')).toHaveLength(0);
    await q.close();
  });

  it('retries a job that crashes its worker thread, and the pool replaces the thread', async () => {
    const q = makeQueue(1);
    await q.start();
    const { id } = await q.enqueue('test.crash', { tag: 'crash', okAt: 2 }, { backoffMs: 20 });
    const j = await done(q, id);
    expect(j.status).toBe('done');
    expect(j.attempts).toBe(2);
    // The replaced thread serves the next job.
    const next = await q.enqueue('test.double', { tag: 'after-crash', n: 1 });
    expect((await done(q, next.id)).status).toBe('done');
    await q.close();
  });

  it('treats the same idempotency key as the same job', async () => {
    const q = makeQueue();
    const a = await q.enqueue('test.double', { tag: 'idem', n: 1 }, { idempotencyKey: `idem-${kind}` });
    const b = await q.enqueue('test.double', { tag: 'idem', n: 1 }, { idempotencyKey: `idem-${kind}` });
    expect(b.id).toBe(a.id);
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    await q.start();
    await done(q, a.id);
    expect(await effects('idem')).toHaveLength(1);
    await q.close();
  });

  it('never applies an effect twice when a job is delivered again', async () => {
    // A redelivery is what a queue does when a worker died after committing the effect but
    // before acknowledging the job: the same key arrives a second time.
    const pool = new WorkerPool(1);
    const reg = new JobRegistry<Repositories>(testJobs);
    const delivery = { jobId: 'x', attempt: 1, idempotencyKey: `redeliver-${kind}`, payload: { tag: 'redeliver', n: 5 } };
    await executeJob(ts.store, pool, reg.get('test.double')!, reg.services, delivery);
    await executeJob(ts.store, pool, reg.get('test.double')!, reg.services, { ...delivery, attempt: 2 });
    await pool.close();
    expect(await effects('redeliver')).toHaveLength(1);
  });

  it('finishes in-flight jobs on a graceful shutdown', async () => {
    const q = makeQueue();
    await q.start();
    const { id } = await q.enqueue('test.slow', { tag: 'graceful', ms: 400 });
    await waitFor(async () => (await q.get(id))?.status === 'running');
    await q.close({ graceMs: 10_000 });
    const probe = makeQueue();
    expect((await probe.get(id))?.status).toBe('done');
    expect(await effects('graceful')).toHaveLength(1);
    await probe.close();
  });

  it('returns in-flight jobs when the grace period runs out, and another worker finishes them', async () => {
    const q = makeQueue();
    await q.start();
    const { id } = await q.enqueue('test.slow', { tag: 'returned', ms: 1500 }, { maxAttempts: 2 });
    await waitFor(async () => (await q.get(id))?.status === 'running');
    await q.close({ graceMs: 50 });
    expect(await effects('returned')).toHaveLength(0);
    const status = (await makeQueueProbe())?.status;
    expect(status).toBe('queued');
    const next = makeQueue();
    await next.start();
    const j = await done(next, id);
    expect(j.status).toBe('done');
    expect(await effects('returned')).toHaveLength(1);
    await next.close();

    async function makeQueueProbe() {
      const probe = makeQueue();
      const info = await probe.get(id);
      await probe.close();
      return info;
    }
  });

  it('refuses an unknown job name', async () => {
    const q = makeQueue();
    await expect(q.enqueue('no.such.job', {})).rejects.toMatchObject({ code: 'LL_JOBS_UNKNOWN_JOB' });
    await q.close();
  });

  it('keeps queued jobs across a restart of the process that holds them', async () => {
    const before = makeQueue();
    const { id } = await before.enqueue('test.double', { tag: 'restart', n: 4 });
    await before.close();
    if (kind === 'table-pglite') {
      // Reopen the same data directory, as a restarted embedded server does.
      await ts.store.close();
      const { openStore } = await import('../../src/store/index.ts');
      ts.store = await openStore(ts.location);
    }
    const after = makeQueue();
    await after.start();
    expect((await done(after, id)).result).toEqual({ doubled: 8 });
    await after.close();
  });
});
