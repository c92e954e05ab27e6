// Reading a partner's ERN message on a worker thread: parsing up to 20 MB of XML takes seconds
// and hundreds of MB at the limits, which must not hold the event loop that answers every other
// request. The pool's timeout bounds the time; the reader's limits bound the memory.

import { defineJob, type WorkerPool } from '../../jobs/index.ts';
import { readErn } from './ern.ts';
import type { ErnMessage } from './types.ts';

export const readErnJob = defineJob<{ xml: Uint8Array | string }, ErnMessage>({
  name: 'ddex.read',
  module: import.meta.url,
  timeoutMs: 60_000,
  maxAttempts: 1,
  run: ({ xml }) => readErn(xml),
});

/** Reads an ERN message on the worker pool; the same errors as readErn. */
export function readErnOffThread(pool: WorkerPool, xml: Uint8Array | string): Promise<ErnMessage> {
  return pool.runJob(readErnJob, { xml });
}
