// A fixed pool of worker threads for CPU-bound job work. A worker that dies or overruns its
// time limit fails only the task it was running and is replaced.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LedgerlineError, type ErrorCode } from '../shared/index.ts';

interface RemoteCode {
  code: string;
  kind: string;
  title: string;
  details?: unknown;
}
import { DEFAULTS, type JobDefinition } from './define.ts';
import { JobErrors } from './errors.ts';

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);
const ENTRY = new URL(FROM_SOURCE ? './worker-entry.ts' : './worker-entry.js', import.meta.url).href;

export interface PoolTask {
  module: string;
  name: string;
  payload: unknown;
  attempt: number;
  jobId: string;
  timeoutMs: number;
}

interface Pending extends PoolTask {
  taskId: number;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

interface Slot {
  worker: Worker;
  task: Pending | null;
  timer: NodeJS.Timeout | null;
}

/** Each worker thread's JavaScript heap limit. */
const WORKER_HEAP_MB = 1536;

/** Marks a slot whose thread is waiting to be restarted, so nothing is dispatched to it. */
const BROKEN = { taskId: -1 } as Pending;

export class WorkerPool {
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  private nextId = 1;
  private closing = false;

  constructor(size = availableParallelism()) {
    this.size = Math.max(1, size);
  }

  /**
   * Jobs a queue should hold for this pool: one more than the threads, so while one job's effect
   * is applied (in a transaction, on the main thread) every thread is still working.
   */
  get jobsInHand(): number {
    return this.size + 1;
  }

  get busy(): number {
    return this.slots.filter((s) => s.task && s.task !== BROKEN).length;
  }

  /** Starts the threads now rather than on first use (a server, so no request waits for them). */
  start(): void {
    if (!this.closing && this.slots.length === 0) for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
  }

  run(task: PoolTask): Promise<unknown> {
    if (this.closing) return Promise.reject(new LedgerlineError(JobErrors.POOL_CLOSED, 'worker pool is closed'));
    // Threads start on first use: a command that never runs a task never pays for them.
    this.start();
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...task, taskId: this.nextId++, resolve, reject });
      this.dispatch();
    });
  }

  /** Runs one job kind's work on a thread directly, outside any queue: one attempt, no effects. */
  runJob<P, R>(job: Pick<JobDefinition<P, R, never>, 'module' | 'name' | 'timeoutMs'>, payload: P): Promise<R> {
    return this.run({ module: job.module, name: job.name, payload, attempt: 1, jobId: 'inline', timeoutMs: job.timeoutMs ?? DEFAULTS.timeoutMs }) as Promise<R>;
  }

  /** Waits for running and queued tasks, then stops the threads. */
  async close(): Promise<void> {
    this.closing = true;
    while (this.waiting.length > 0 || this.busy > 0) await new Promise((r) => setTimeout(r, 20));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  /** Stops at once; running and queued tasks fail with LL_JOBS_POOL_CLOSED. */
  async destroy(): Promise<void> {
    this.closing = true;
    const err = new LedgerlineError(JobErrors.POOL_CLOSED, 'worker pool was stopped');
    for (const p of this.waiting.splice(0)) p.reject(err);
    for (const s of this.slots) {
      if (s.timer) clearTimeout(s.timer);
      if (s.task !== BROKEN) s.task?.reject(err);
      s.task = null;
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    // A thread's JavaScript heap is bounded, so no task can take the machine's memory through it;
    // typed arrays (decoded audio) live outside that heap and are bounded by the decode budget.
    const worker = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY, typescript: FROM_SOURCE }, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    const slot: Slot = { worker, task: null, timer: null };
    const spawnedAt = Date.now();
    worker.on('message', (m: { taskId: number; ok: boolean; result?: unknown; error?: string; coded?: RemoteCode | null }) => {
      const t = slot.task;
      if (!t || t.taskId !== m.taskId) return;
      this.finish(slot);
      if (m.ok) t.resolve(m.result);
      else if (m.coded) t.reject(new LedgerlineError(m.coded as ErrorCode, m.error ?? '', m.coded.details as Record<string, unknown> | undefined));
      else t.reject(new Error(m.error));
      this.dispatch();
    });
    const died = (reason: string) => {
      if (this.closing && !slot.task) return;
      const t = slot.task === BROKEN ? null : slot.task;
      this.finish(slot);
      const i = this.slots.indexOf(slot);
      if (i >= 0 && !this.closing) {
        // A thread that dies idle right after starting cannot load; retry slowly, not in a hot loop.
        if (!t && Date.now() - spawnedAt < 1000) {
          slot.task = BROKEN;
          setTimeout(() => {
            if (!this.closing && this.slots[i] === slot) this.slots[i] = this.spawn();
            this.dispatch();
          }, 1000).unref();
        } else {
          this.slots[i] = this.spawn();
        }
      }
      t?.reject(new LedgerlineError(JobErrors.WORKER_CRASHED, `worker thread stopped while running ${t.name}: ${reason}`));
      this.dispatch();
    };
    worker.on('error', (e) => died(e.message));
    worker.on('exit', (code) => died(`exit code ${code}`));
    return slot;
  }

  private finish(slot: Slot) {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.task = null;
  }

  private dispatch() {
    for (const slot of this.slots) {
      if (this.waiting.length === 0) return;
      if (slot.task) continue;
      const t = this.waiting.shift()!;
      slot.task = t;
      slot.timer = setTimeout(() => {
        if (slot.task !== t) return;
        this.finish(slot);
        t.reject(new LedgerlineError(JobErrors.TIMEOUT, `${t.name} ran longer than ${t.timeoutMs} ms`));
        const i = this.slots.indexOf(slot);
        void slot.worker.terminate();
        if (i >= 0) this.slots[i] = this.spawn();
        this.dispatch();
      }, t.timeoutMs);
      slot.worker.postMessage({ taskId: t.taskId, module: t.module, name: t.name, payload: t.payload, attempt: t.attempt, jobId: t.jobId });
    }
  }
}
