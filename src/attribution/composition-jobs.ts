// The composition layer's two passes as job kinds for the worker pool: choosing the works worth
// aligning (a scan of the whole catalog's patches) and aligning the output with them (seconds
// of CPU). Neither may stall the process that serves requests.

import { describePatches, QUERY_HOP, unpackChroma, type PackedChroma, type ShortlistData } from '../composition/index.ts';
import { defineJob } from '../jobs/index.ts';
import { composedSegments, worksToAlign, type ComposedSegment } from './composition.ts';

export interface ShortlistPayload {
  query: PackedChroma;
  /** In shared memory: the thread reads the catalog's patches without a copy. */
  works: ShortlistData;
}

export const shortlistJob = defineJob<ShortlistPayload, string[]>({
  name: 'composition.shortlist',
  module: import.meta.url,
  maxAttempts: 1,
  timeoutMs: 5 * 60_000,
  run: (p) => worksToAlign(p.works, describePatches(unpackChroma(p.query), QUERY_HOP)),
});

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
