// The catalog's works as the composition layer searches them. Each organisation's shortlist
// patches are loaded once and kept (in shared memory, for the pool's threads), and loaded again
// when the stored features change; the shortlist and the alignments run on the pool's threads.

import { COMPOSITION_VERSION, ShortlistBuilder, type CompositionStore, type PackedChroma, type ShortlistData } from '../composition/index.ts';
import type { WorkerPool } from '../jobs/index.ts';
import type { ComposedSegment } from './composition.ts';
import { alignJob, shortlistJob, type AlignPayload, type ShortlistPayload } from './composition-jobs.ts';

export class CompositionSearch {
  private readonly cache = new Map<string, { stamp: string; data: ShortlistData }>();

  constructor(private readonly pool: WorkerPool) {}

  /** Works the output follows (composition.ts), among the organisation's tracks. */
  async compose(store: CompositionStore, orgId: string, query: PackedChroma): Promise<ComposedSegment[]> {
    const works = await this.worksOf(store, orgId);
    if (works.trackIds.length === 0) return [];
    const ids = await this.pool.runJob<ShortlistPayload, string[]>(shortlistJob, { query, works });
    const features = (await store.featuresOf(orgId, ids)).filter((f) => f.version === COMPOSITION_VERSION);
    return this.pool.runJob<AlignPayload, ComposedSegment[]>(alignJob, { query, candidates: features.map((f) => ({ trackId: f.trackId, chroma: f })) });
  }

  private async worksOf(store: CompositionStore, orgId: string): Promise<ShortlistData> {
    // The stamp is read before the patches: a change between the two reloads once more, and never serves stale patches as fresh.
    const stamp = await store.featuresStamp(orgId);
    const hit = this.cache.get(orgId);
    if (hit?.stamp === stamp) return hit.data;
    const builder = new ShortlistBuilder();
    for (const t of await store.patchesOf(orgId)) builder.add(t.trackId, t.patches);
    const data = builder.data();
    this.cache.set(orgId, { stamp, data });
    return data;
  }
}
