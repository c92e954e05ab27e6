// JobsStore over Kysely. Claiming uses FOR UPDATE SKIP LOCKED so several processes on one
// PostgreSQL never take the same job; leases use the database clock so machines may disagree
// about the time.

import { sql, type Kysely, type Selectable } from 'kysely';
import type { JobRow, JobState, JobsStore } from '../jobs/store.ts';
import type { Database, JobsTable } from './schema.ts';
import { iso, parseJson } from './rows.ts';

const toJob = (r: Selectable<JobsTable>): JobRow => ({
  id: String(r.id),
  name: r.name,
  payload: parseJson(r.payload),
  idempotencyKey: r.idempotency_key,
  state: r.state as JobState,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  backoffMs: r.backoff_ms,
  lastError: r.last_error,
  result: r.result === null ? null : parseJson(r.result),
  createdAt: iso(r.created_at)!,
  finishedAt: iso(r.finished_at),
});

const ms = (n: number) => sql<Date>`now() + ${String(Math.max(0, Math.round(n)))} * interval '1 millisecond'`;

export function jobsRepo(db: Kysely<Database>): JobsStore {
  return {
    async insertJob(job) {
      const inserted = await db
        .insertInto('jobs')
        .values({
          name: job.name,
          payload: JSON.stringify(job.payload ?? null),
          idempotency_key: job.idempotencyKey,
          state: 'queued',
          max_attempts: job.maxAttempts,
          backoff_ms: job.backoffMs,
          run_at: ms(job.delayMs),
        })
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return { job: toJob(inserted), created: true };
      const existing = await db.selectFrom('jobs').selectAll().where('idempotency_key', '=', job.idempotencyKey).executeTakeFirstOrThrow();
      return { job: toJob(existing), created: false };
    },
    async getJob(id) {
      if (!/^\d{1,18}$/.test(id)) return null;
      const r = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toJob(r) : null;
    },
    async getJobByKey(key) {
      const r = await db.selectFrom('jobs').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
      return r ? toJob(r) : null;
    },
    async claimDue(workerId, limit, leaseMs) {
      const due = db
        .selectFrom('jobs')
        .select('id')
        .where('state', '=', 'queued')
        .where('run_at', '<=', sql<Date>`now()`)
        .orderBy('run_at')
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked();
      const rows = await db
        .updateTable('jobs')
        .set({ state: 'running', attempts: sql`attempts + 1`, locked_by: workerId, locked_until: ms(leaseMs) })
        .where('id', 'in', due)
        .returningAll()
        .execute();
      return rows.map(toJob).sort((a, b) => Number(a.id) - Number(b.id));
    },
    async extendLeases(workerId, ids, leaseMs) {
      if (ids.length === 0) return;
      await db
        .updateTable('jobs')
        .set({ locked_until: ms(leaseMs) })
        .where('id', 'in', ids)
        .where('locked_by', '=', workerId)
        .where('state', '=', 'running')
        .execute();
    },
    async complete(id, workerId, result) {
      const r = await db
        .updateTable('jobs')
        .set({ state: 'done', result: JSON.stringify(result ?? null), finished_at: sql`now()`, locked_by: null, locked_until: null, last_error: null })
        .where('id', '=', id)
        .where('locked_by', '=', workerId)
        .where('state', '=', 'running')
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    async fail(id, workerId, error, retryInMs) {
      const r = await db
        .updateTable('jobs')
        .set(
          retryInMs === null
            ? { state: 'failed', last_error: error, finished_at: sql`now()`, locked_by: null, locked_until: null }
            : { state: 'queued', last_error: error, run_at: ms(retryInMs), locked_by: null, locked_until: null },
        )
        .where('id', '=', id)
        .where('locked_by', '=', workerId)
        .where('state', '=', 'running')
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    async giveBack(id, workerId) {
      await db
        .updateTable('jobs')
        .set({ state: 'queued', attempts: sql`greatest(attempts - 1, 0)`, locked_by: null, locked_until: null, run_at: sql`now()` })
        .where('id', '=', id)
        .where('locked_by', '=', workerId)
        .where('state', '=', 'running')
        .execute();
    },
    async reclaimExpired() {
      const r = await db
        .updateTable('jobs')
        .set({
          state: sql`case when attempts >= max_attempts then 'failed' else 'queued' end`,
          last_error: 'lease expired: the process running the job stopped',
          finished_at: sql`case when attempts >= max_attempts then now() else null end`,
          locked_by: null,
          locked_until: null,
        })
        .where('state', '=', 'running')
        .where('locked_until', '<', sql<Date>`now()`)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async counts() {
      const rows = await db.selectFrom('jobs').select(['state', sql<string>`count(*)`.as('n')]).groupBy('state').execute();
      const out: Record<JobState, number> = { queued: 0, running: 0, done: 0, failed: 0 };
      for (const r of rows) out[r.state as JobState] = Number(r.n);
      return out;
    },
    async recordEffect(key, jobName) {
      const r = await db
        .insertInto('job_effects')
        .values({ idempotency_key: key, job_name: jobName })
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
  };
}
