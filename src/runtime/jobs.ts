// Every job kind the service runs. Capabilities add their definitions here; worker processes
// and the embedded server load the same list, so any of them can run any job.

import { attributeJob, type AttributionServices } from '../attribution/index.ts';
import { extractJob } from '../fingerprint/index.ts';
import type { JobDefinition } from '../jobs/index.ts';
import { screenJob, type ScreeningServices } from '../screening/index.ts';
import type { Repositories } from '../store/index.ts';

/** What job effects may use besides the repositories; the runtime provides it. */
export type RuntimeServices = ScreeningServices & AttributionServices;

type AnyJob = JobDefinition<never, unknown, Repositories, RuntimeServices>;

export const allJobs: ReadonlyArray<AnyJob> = [extractJob as unknown as AnyJob, screenJob as unknown as AnyJob, attributeJob as unknown as AnyJob];
