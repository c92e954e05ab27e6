// What the job system needs from storage: the jobs table (embedded queue) and the effects
// ledger that makes every job's effect happen once, whichever queue delivered it.

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface JobRow {
  id: string;
  name: string;
  payload: unknown;
  idempotencyKey: string;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  backoffMs: number;
  lastError: string | null;
  result: unknown;
  createdAt: string;
  finishedAt: string | null;
}

export interface NewJob {
  name: string;
  payload: unknown;
  idempotencyKey: string;
  maxAttempts: number;
  backoffMs: number;
  delayMs: number;
}

export interface JobsStore {
  /** Inserts unless a job with the same idempotency key exists; returns the job either way. */
  insertJob(job: NewJob): Promise<{ job: JobRow; created: boolean }>;
  getJob(id: string): Promise<JobRow | null>;
  getJobByKey(idempotencyKey: string): Promise<JobRow | null>;
  /** Takes up to `limit` due jobs, leasing them to `workerId` for `leaseMs`; counts an attempt. */
  claimDue(workerId: string, limit: number, leaseMs: number): Promise<JobRow[]>;
  extendLeases(workerId: string, ids: string[], leaseMs: number): Promise<void>;
  /** Marks done if `workerId` still holds the lease; false means the lease was lost. */
  complete(id: string, workerId: string, result: unknown): Promise<boolean>;
  /** Re-queues after `retryInMs`, or fails for good when `retryInMs` is null. */
  fail(id: string, workerId: string, error: string, retryInMs: number | null): Promise<boolean>;
  /** Hands a leased job back untouched (graceful shutdown); the attempt is not counted. */
  giveBack(id: string, workerId: string): Promise<void>;
  /** Re-queues running jobs whose lease ran out (their process died); returns how many. */
  reclaimExpired(): Promise<number>;
  counts(): Promise<Record<JobState, number>>;
  /** Records that the effect for `idempotencyKey` is applied; false if it already was. */
  recordEffect(idempotencyKey: string, jobName: string): Promise<boolean>;
}
