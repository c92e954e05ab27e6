export { DEFAULT_SHARE_POLICY, SLICE_SECONDS, exactShares, layerShares, roundShares, type Claim, type LayerShares, type SharePolicy } from './shares.ts';
export { HOP_SECONDS, WINDOW_SECONDS, STRENGTH_DECADES, mergeWindows, replicatedSegments, strengthOf, windowStarts, type ReplicatedSegment } from './master.ts';
export { BACKGROUND_MIN, BACKGROUND_SAMPLE, SHORTLISTED, Z_ATTRIBUTE, composedSegments, worksToAlign, type Candidate, type ComposedSegment } from './composition.ts';
export { AttributionErrors } from './errors.ts';
export {
  ATTRIBUTION_LIMITS,
  ENGINE_VERSION,
  attributeAnalysis,
  attributeOutput,
  getOutput,
  licenceScope,
  recordAttribution,
  reindexCompositions,
  submitOutput,
  usesOfTrack,
  type AttributeOptions,
  type AttributeReport,
  type AttributionDeps,
  type AttributionRepos,
  type ReindexReport,
  type SubmitOptions,
} from './service.ts';
export { attributeJob, type AttributePayload, type AttributeWork, type AttributionServices } from './attribute-job.ts';
export { alignJob, shortlistJob } from './composition-jobs.ts';
export { CompositionSearch } from './works.ts';
export type { AttributionStore, OutputRecord, StoredAttribution, TrackUse } from './store.ts';
export type * from './types.ts';
export { timelineSvg } from './plot.ts';
