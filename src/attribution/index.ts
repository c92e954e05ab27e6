export { DEFAULT_SHARE_POLICY, SLICE_SECONDS, exactShares, layerShares, roundShares, type Claim, type LayerShares, type SharePolicy } from './shares.ts';
export { HOP_SECONDS, WINDOW_SECONDS, STRENGTH_DECADES, mergeWindows, replicatedSegments, strengthOf, windowStarts, type ReplicatedSegment } from './master.ts';
