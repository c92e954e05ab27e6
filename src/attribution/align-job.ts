// The composition layer's alignments as a job kind for the worker pool: aligning an output with
// every candidate is seconds of CPU, which must not stall the process that serves requests.

import { unpackChroma, type PackedChroma } from '../composition/index.ts';
import { defineJob } from '../jobs/index.ts';
import { composedSegments, type ComposedSegment } from './composition.ts';

export interface AlignPayload {
  query: PackedChroma;
  candidates: Array<{ trackId: string; chroma: PackedChroma }>;
}

export const alignJob = defineJob<AlignPayload, ComposedSegment[]>({
  name: 'composition.align',
  module: import.meta.url,
  maxAttempts: 1,
  timeoutMs: 10 * 60_000,
  run: (p) =>
    composedSegments(
      unpackChroma(p.query),
      p.candidates.map((c) => ({ trackId: c.trackId, chroma: unpackChroma(c.chroma) })),
    ),
});
