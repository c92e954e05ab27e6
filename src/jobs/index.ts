export { defineJob, retryDelay, DEFAULTS, type JobDefinition, type RunContext, type ApplyContext } from './define.ts';
export type { JobQueue, JobInfo, JobStatus, EnqueueOptions, JobEvent, JobListener } from './queue.ts';
export type { JobsStore, JobRow, JobState, NewJob } from './store.ts';
export { JobErrors } from './errors.ts';
export { WorkerPool } from './pool.ts';
export { JobRegistry, executeJob, type Delivery } from './execute.ts';
export { TableQueue, type TableQueueOptions } from './table-queue.ts';
export { BullQueue, checkRedisUrl, type BullQueueOptions } from './bullmq-queue.ts';
