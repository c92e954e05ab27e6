export { DEFAULT_CONFIG, type FingerprintConfig } from './config.ts';
export { analysisSignal, fingerprintPcm, fingerprintSignal, type AnalysisSignal, type Fingerprint } from './extract.ts';
export { makeHashes, queryKeys, sliceHashes, DEFAULT_TOLERANCE, type Hashes, type QueryTolerance } from './hashes.ts';
export { findPeaks, type Peaks } from './peaks.ts';
export { matchHashes, type RawMatch, type MatchOptions } from './match.ts';
export { describeEdit, type Edit, type EditKind } from './edit.ts';
export { binomialTail, chanceOf, plausibleEdit } from './chance.ts';
export { MemoryIndex, buildSorted, locateKeys, lookupSorted, materialize, type SortedPostings } from './memory-index.ts';
export type { FingerprintIndex } from './index-store.ts';
export { postingFields, type LookupResult, type PostingList } from './postings.ts';
export { SegmentIndex } from './segments.ts';
export { FingerprintErrors } from './errors.ts';
export { extractJob, extract, type ExtractInput, type ExtractOutput } from './extract-job.ts';
export type { FingerprintStore, FingerprintRecord, MatchedTrack } from './store.ts';
export {
  addTracks,
  attachAudio,
  matchFiles,
  matchBytes,
  findCatalogMatches,
  DEFAULT_MATCH,
  type FingerprintDeps,
  type AddReport,
  type AttachedAudio,
  type MatchReport,
  type TrackMatch,
} from './service.ts';
