import { defineErrorCodes } from '../shared/index.ts';

export const JobErrors = defineErrorCodes('JOBS', {
  UNKNOWN_JOB: { kind: 'bad_input', title: 'No job of this name is registered' },
  WORKER_CRASHED: { kind: 'internal', title: 'The worker running the job stopped' },
  TIMEOUT: { kind: 'internal', title: 'The job ran longer than its time limit' },
  POOL_CLOSED: { kind: 'unavailable', title: 'The worker pool is shutting down' },
  LEASE_LOST: { kind: 'conflict', title: 'Another worker took the job over' },
  BAD_REDIS_URL: { kind: 'bad_input', title: 'The Redis URL is not valid' },
});
