// Every job kind the service runs. Capabilities add their definitions here; worker processes
// and the embedded server load the same list, so any of them can run any job.

import { extractJob } from '../fingerprint/index.ts';
import type { JobDefinition } from '../jobs/index.ts';
import type { Repositories } from '../store/index.ts';

export const allJobs: ReadonlyArray<JobDefinition<never, unknown, Repositories>> = [extractJob as unknown as JobDefinition<never, unknown, Repositories>];
