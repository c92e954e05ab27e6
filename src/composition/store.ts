// What the composition index needs from the database: each catalog track's packed chroma.

import type { PackedChroma } from './features.ts';

export interface CompositionRecord extends PackedChroma {
  trackId: string;
  orgId: string;
}

export interface CompositionStore {
  insertFeatures(rec: CompositionRecord): Promise<void>;
  /** Features of these tracks of the organisation, or of all its tracks when `trackIds` is null. */
  featuresOf(orgId: string, trackIds: string[] | null): Promise<CompositionRecord[]>;
  /** Every current-version track's shortlist patches, the organisation's whole shortlist. */
  patchesOf(orgId: string): Promise<Array<{ trackId: string; patches: Int8Array }>>;
  /** Changes whenever a track's features are added, replaced or removed: when a cached shortlist is stale. */
  featuresStamp(orgId: string): Promise<string>;
}
