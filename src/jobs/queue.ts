// The one queue interface both implementations honour.

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface EnqueueOptions {
  /** Same key, same job: a second enqueue returns the first job and adds nothing. */
  idempotencyKey?: string;
  maxAttempts?: number;
  backoffMs?: number;
  delayMs?: number;
}

export interface JobInfo {
  id: string;
  name: string;
  status: JobStatus;
  attempts: number;
  lastError: string | null;
  result: unknown;
}

/** What a queue reports as this process finishes jobs (for logs). */
export interface JobEvent {
  type: 'done' | 'failed' | 'retry';
  id: string;
  name: string;
  attempt: number;
  error?: string;
}

export type JobListener = (e: JobEvent) => void;

export interface JobQueue {
  readonly kind: 'embedded' | 'bullmq';
  enqueue(name: string, payload: unknown, opts?: EnqueueOptions): Promise<{ id: string; created: boolean }>;
  get(id: string): Promise<JobInfo | null>;
  /** Starts taking jobs in this process. A queue that is never started only enqueues. */
  start(): Promise<void>;
  /**
   * Stops taking jobs, waits up to `graceMs` for running ones to finish, and hands the rest
   * back to the queue for another worker (or the next start).
   */
  close(opts?: { graceMs?: number }): Promise<void>;
}
