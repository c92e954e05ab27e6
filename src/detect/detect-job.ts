// Detection as a job kind, so batches run on the worker-thread pool (both cores) and screening
// can queue it like any other work.

import { defineJob, type WorkerPool } from '../jobs/index.ts';
import { ordered } from '../shared/index.ts';
import { detect, type DetectInput, type DetectOutput } from './service.ts';

export const detectJob = defineJob<DetectInput, DetectOutput>({
  name: 'detect.analyse',
  module: import.meta.url,
  timeoutMs: 5 * 60_000,
  maxAttempts: 2,
  run: (input) => detect(input),
});

export function runDetect(pool: WorkerPool, input: DetectInput): Promise<DetectOutput> {
  return pool.runJob(detectJob, input);
}

/** Judges files on the pool, yielding in input order; a file that fails yields its error. */
export function detectFiles(pool: WorkerPool, files: string[], opts: Omit<DetectInput, 'path' | 'bytes'> = {}) {
  return ordered(files, pool.size * 2, (path) => runDetect(pool, { ...opts, path }));
}
