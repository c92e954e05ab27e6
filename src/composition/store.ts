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
}
