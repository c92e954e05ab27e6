// The part both queues share: run a job's work on the pool, then apply its effect in one
// transaction guarded by the effects ledger, so a redelivered job never applies twice.

import type { Transactor } from '../shared/index.ts';
import { DEFAULTS, type JobDefinition } from './define.ts';
import type { WorkerPool } from './pool.ts';
import type { JobsStore } from './store.ts';

export interface Delivery {
  jobId: string;
  attempt: number;
  idempotencyKey: string;
  payload: unknown;
}

/**
 * Runs and applies one delivery. `finish`, when given, runs inside the same transaction after
 * the effect (the embedded queue marks the job done there). Throws whatever the work threw.
 */
export async function executeJob<R extends { jobs: JobsStore }>(
  store: Transactor<R>,
  pool: WorkerPool,
  def: JobDefinition<unknown, unknown, R>,
  services: unknown,
  d: Delivery,
  finish?: (repos: R, result: unknown) => Promise<void>,
): Promise<unknown> {
  const result = await pool.run({
    module: def.module,
    name: def.name,
    payload: d.payload,
    attempt: d.attempt,
    jobId: d.jobId,
    timeoutMs: def.timeoutMs ?? DEFAULTS.timeoutMs,
  });
  const kept = def.keep ? def.keep(result) : result;
  await store.transaction(async (repos) => {
    if (def.apply && (await repos.jobs.recordEffect(d.idempotencyKey, def.name))) {
      await def.apply(repos, d.payload, result, { attempt: d.attempt, jobId: d.jobId, idempotencyKey: d.idempotencyKey, services });
    }
    if (finish) await finish(repos, kept);
  });
  return kept;
}

/** The job kinds a process runs, and the services their effects may use. */
export class JobRegistry<R extends { jobs: JobsStore }, S = unknown> {
  private readonly defs = new Map<string, JobDefinition<unknown, unknown, R>>();

  constructor(
    defs: ReadonlyArray<JobDefinition<never, unknown, R, S>>,
    readonly services: S = undefined as S,
  ) {
    for (const d of defs) this.defs.set(d.name, d as unknown as JobDefinition<unknown, unknown, R>);
  }

  get(name: string): JobDefinition<unknown, unknown, R> | undefined {
    return this.defs.get(name);
  }

  names(): string[] {
    return [...this.defs.keys()];
  }
}
