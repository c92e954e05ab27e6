// A job kind: `run` is the work (pure, CPU-bound, runs in a worker thread with no database),
// `apply` is its effect (runs in the caller's process inside one transaction, at most once per
// idempotency key, however often the job is delivered).

import type { JobsStore } from './store.ts';

export interface RunContext {
  attempt: number;
  jobId: string;
}

export interface ApplyContext<S = unknown> {
  attempt: number;
  jobId: string;
  idempotencyKey: string;
  /** What the process offers effects beyond the repositories (the fingerprint index, say); set by the runtime. */
  services: S;
}

export interface JobDefinition<P = unknown, Res = unknown, R extends { jobs: JobsStore } = { jobs: JobsStore }, S = unknown> {
  name: string;
  /** URL of the module that exports this definition (its import.meta.url); worker threads import it. */
  module: string;
  maxAttempts?: number;
  /** First retry delay; doubles with each attempt (exponential backoff). */
  backoffMs?: number;
  /** A run longer than this is stopped and counts as a failed attempt. */
  timeoutMs?: number;
  run(payload: P, ctx: RunContext): Promise<Res> | Res;
  apply?(repos: R, payload: P, result: Res, ctx: ApplyContext<S>): Promise<unknown>;
  /** What is kept of the result once applied (default: all of it); large work products need not be stored. */
  keep?(result: Res): unknown;
}

export function defineJob<P, Res, R extends { jobs: JobsStore } = { jobs: JobsStore }, S = unknown>(
  def: JobDefinition<P, Res, R, S>,
): JobDefinition<P, Res, R, S> {
  if (!/^[a-z][a-z0-9_.-]{0,99}$/.test(def.name)) throw new Error(`job name "${def.name}" must be lower-case, at most 100 characters`);
  return def;
}

export const DEFAULTS = { maxAttempts: 5, backoffMs: 1000, timeoutMs: 10 * 60_000 } as const;

/** Delay before attempt `attempt + 1`: backoff * 2^(attempt-1), with up to 20% jitter so retries spread out. */
export function retryDelay(backoffMs: number, attempt: number, random = Math.random): number {
  const base = backoffMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(base * (1 + 0.2 * random()));
}
