export { chromaOf, FRAME_SECONDS, type Chroma } from './chroma.ts';
export { alignChroma, keyShifts, KEYS_TRIED, type Alignment } from './align.ts';
export { COMPOSITION_VERSION, packChroma, unpackChroma, type PackedChroma } from './features.ts';
export type { CompositionRecord, CompositionStore } from './store.ts';
export { CATALOG_HOP, DIMS, QUERY_HOP, ShortlistBuilder, describePatches, shortlist, type ShortlistData } from './shortlist.ts';
