export { chromaOf, FRAME_SECONDS, type Chroma } from './chroma.ts';
export { alignChroma, keyShifts, KEYS_TRIED, type Alignment } from './align.ts';
